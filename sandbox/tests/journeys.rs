//! Create, read, list, update and delete, as a user of each family does it, against the
//! engine: projects, clusters (through their states), Flex clusters, database users named
//! by an AWS IAM role ARN, access-list entries given as CIDR blocks, backup schedules.

mod support;

use std::time::Duration;

use atlas_endpoints_sandbox::{Sandbox, DEFAULT_GROUP_ID, DEFAULT_ORG_ID};
use serde_json::json;
use support::{
    assert_api_error, assert_not_found, delete, flex_f1, get, group, patch, post, replica_set,
    Reply, FLEX, V2023, V2023_02, V2024_08, V2024_10,
};

/// The projects.
const PROJECTS: &str = "/api/atlas/v2/groups";

fn names(page: &Reply, field: &str) -> Vec<String> {
    page.results()
        .iter()
        .filter_map(|item| item[field].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_project_is_created_found_renamed_listed_and_deleted() {
    let sandbox = Sandbox::start().await.unwrap();
    // `clusterCount` is read-only: a create does not need it.
    let p1 = json!({"name": "p1", "orgId": DEFAULT_ORG_ID});
    let created = post(&sandbox, PROJECTS, V2023, &p1).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let id = created.json["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 24);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(created.json["orgId"], DEFAULT_ORG_ID);
    assert!(created.json["created"]
        .as_str()
        .unwrap()
        .starts_with("2026-12-01T"));

    let again = post(&sandbox, PROJECTS, V2023, &p1).await;
    assert_api_error(&again, 409, "GROUP_ALREADY_EXISTS");

    let path = format!("/api/atlas/v2/groups/{id}");
    let renamed = patch(&sandbox, &path, V2023, &json!({"name": "p2"})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(get(&sandbox, &path, V2023).await.json["name"], "p2");

    let listed = get(&sandbox, PROJECTS, V2023).await;
    assert_eq!(names(&listed, "name"), ["sandbox-project", "p2"]);
    assert_eq!(listed.json["totalCount"], 2);

    assert_eq!(delete(&sandbox, &path, V2023).await.status, 204);
    assert_not_found(&sandbox, &path, V2023, "GROUP_NOT_FOUND").await;
    // Nothing below a deleted project is found either.
    let clusters = get(&sandbox, &format!("{path}/clusters"), V2024_08).await;
    assert_api_error(&clusters, 404, "GROUP_NOT_FOUND");
}

#[tokio::test]
async fn a_cluster_is_creating_then_idle_and_deleting_then_gone() {
    let sandbox = Sandbox::start().await.unwrap();
    let created = post(&sandbox, &group("/clusters"), V2024_10, &replica_set("c1")).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json["stateName"], "CREATING");
    assert_eq!(created.json["groupId"], DEFAULT_GROUP_ID);
    assert_eq!(
        created.json["replicationSpecs"][0]["regionConfigs"][0]["regionName"],
        "US_EAST_1"
    );

    let duplicate = post(&sandbox, &group("/clusters"), V2024_10, &replica_set("c1")).await;
    assert_api_error(&duplicate, 409, "DUPLICATE_CLUSTER_NAME");

    let path = group("/clusters/c1");
    assert_eq!(
        get(&sandbox, &path, V2024_08).await.json["stateName"],
        "CREATING"
    );
    sandbox.advance(Duration::from_secs(60));
    assert_eq!(
        get(&sandbox, &path, V2024_08).await.json["stateName"],
        "IDLE"
    );

    let updated = patch(&sandbox, &path, V2024_10, &json!({"paused": true})).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json["stateName"], "UPDATING");
    assert_eq!(updated.json["paused"], true);
    sandbox.advance(Duration::from_secs(60));
    assert_eq!(
        get(&sandbox, &path, V2024_08).await.json["stateName"],
        "IDLE"
    );

    let listed = get(&sandbox, &group("/clusters"), V2024_08).await;
    assert_eq!(names(&listed, "name"), ["Cluster0", "c1"]);

    assert_eq!(delete(&sandbox, &path, V2023_02).await.status, 202);
    assert_eq!(
        get(&sandbox, &path, V2024_08).await.json["stateName"],
        "DELETING"
    );
    sandbox.advance(Duration::from_secs(60));
    assert_not_found(&sandbox, &path, V2024_08, "CLUSTER_NOT_FOUND").await;

    // A cluster is scoped by its project.
    let other = json!({"name": "other", "orgId": DEFAULT_ORG_ID});
    let other = post(&sandbox, PROJECTS, V2023, &other).await;
    let other_clusters = format!(
        "/api/atlas/v2/groups/{}/clusters",
        other.json["id"].as_str().unwrap()
    );
    assert!(get(&sandbox, &other_clusters, V2024_08)
        .await
        .results()
        .is_empty());
}

#[tokio::test]
async fn a_bad_cluster_is_refused_naming_the_field_and_creates_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut body = replica_set("bad");
    body["replicationSpecs"][0]["regionConfigs"][0]["priority"] = json!(99);
    let refused = post(&sandbox, &group("/clusters"), V2024_10, &body).await;
    assert_api_error(&refused, 400, "VALIDATION_ERROR");
    assert_eq!(
        refused.fields(),
        ["replicationSpecs[0].regionConfigs[0].priority"]
    );
    assert_not_found(
        &sandbox,
        &group("/clusters/bad"),
        V2024_08,
        "CLUSTER_NOT_FOUND",
    )
    .await;

    // A version the operation does not offer.
    let old = post(
        &sandbox,
        &group("/clusters"),
        "application/vnd.atlas.2020-01-01+json",
        &replica_set("x"),
    )
    .await;
    assert_api_error(&old, 406, "INVALID_VERSION_DATE");
}

#[tokio::test]
async fn a_flex_cluster_moves_through_its_states() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = flex_f1();
    let created = post(&sandbox, &group("/flexClusters"), FLEX, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json["stateName"], "CREATING");
    sandbox.advance(Duration::from_secs(30));
    let path = group("/flexClusters/f1");
    assert_eq!(get(&sandbox, &path, FLEX).await.json["stateName"], "IDLE");
    assert_eq!(delete(&sandbox, &path, FLEX).await.status, 204);
    assert_eq!(
        get(&sandbox, &path, FLEX).await.json["stateName"],
        "DELETING"
    );
    sandbox.advance(Duration::from_secs(30));
    assert_eq!(get(&sandbox, &path, FLEX).await.status, 404);
}

#[tokio::test]
async fn a_database_user_named_by_an_iam_role_arn() {
    let sandbox = Sandbox::start().await.unwrap();
    let arn = "arn:aws:iam::123456789012:role/app";
    let body = json!({
        "databaseName": "$external", "username": arn, "awsIAMType": "ROLE", "groupId": DEFAULT_GROUP_ID,
        "roles": [{"databaseName": "admin", "roleName": "readWriteAnyDatabase"}]
    });
    let created = post(&sandbox, &group("/databaseUsers"), V2023, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json["username"], arn);

    // The ARN is one path segment, its `:` and `/` encoded.
    let path = group("/databaseUsers/%24external/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp");
    let found = get(&sandbox, &path, V2023).await;
    assert_eq!(found.status, 200, "{}", found.text);
    assert_eq!(found.json["awsIAMType"], "ROLE");
    let listed = get(&sandbox, &group("/databaseUsers"), V2023).await;
    assert_eq!(names(&listed, "username"), [arn]);

    let changed = patch(&sandbox, &path, V2023, &json!({"description": "the app"})).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(
        get(&sandbox, &path, V2023).await.json["description"],
        "the app"
    );

    assert_eq!(delete(&sandbox, &path, V2023).await.status, 204);
    assert_not_found(&sandbox, &path, V2023, "USERNAME_NOT_FOUND").await;
}

#[tokio::test]
async fn access_list_entries_are_cidr_blocks_in_the_path_too() {
    let sandbox = Sandbox::start().await.unwrap();
    let body =
        json!([{"cidrBlock": "10.8.0.0/16", "comment": "office"}, {"ipAddress": "192.0.2.1"}]);
    let created = post(&sandbox, &group("/accessList"), V2023, &body).await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.results()[0]["cidrBlock"], "10.8.0.0/16");
    assert_eq!(created.results()[1]["ipAddress"], "192.0.2.1");
    assert_eq!(created.json["totalCount"], 2);

    let path = group("/accessList/10.8.0.0%2F16");
    let found = get(&sandbox, &path, V2023).await;
    assert_eq!(found.status, 200, "{}", found.text);
    assert_eq!(found.json["comment"], "office");
    let status = get(&sandbox, &group("/accessList/10.8.0.0%2F16/status"), V2023).await;
    assert_eq!(status.status, 200, "{}", status.text);

    assert_eq!(delete(&sandbox, &path, V2023).await.status, 204);
    assert_eq!(get(&sandbox, &path, V2023).await.status, 404);
    let listed = get(&sandbox, &group("/accessList"), V2023).await;
    assert_eq!(listed.json["totalCount"], 1);
}

#[tokio::test]
async fn a_backup_schedule_is_one_object_per_cluster() {
    let sandbox = Sandbox::start().await.unwrap();
    let path = group("/clusters/Cluster0/backup/schedule");
    let before = get(&sandbox, &path, V2024_08).await;
    assert_eq!(before.status, 200, "{}", before.text);
    let policy =
        json!({"referenceHourOfDay": 4, "referenceMinuteOfHour": 30, "restoreWindowDays": 5});
    let changed = patch(&sandbox, &path, V2024_08, &policy).await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let after = get(&sandbox, &path, V2024_08).await;
    assert_eq!(after.json["referenceHourOfDay"], 4);
    assert_eq!(after.json["restoreWindowDays"], 5);

    let bad = patch(
        &sandbox,
        &path,
        V2024_08,
        &json!({"referenceHourOfDay": "four"}),
    )
    .await;
    assert_api_error(&bad, 400, "VALIDATION_ERROR");
    assert_eq!(bad.fields(), ["referenceHourOfDay"]);

    // A schedule of a cluster that does not exist.
    let missing = get(&sandbox, &group("/clusters/nope/backup/schedule"), V2024_08).await;
    assert_api_error(&missing, 404, "CLUSTER_NOT_FOUND");
}

#[tokio::test]
async fn listings_page_as_atlas_does() {
    let sandbox = Sandbox::start().await.unwrap();
    for index in 0..5 {
        let body = json!({"name": format!("p{index}"), "orgId": DEFAULT_ORG_ID});
        assert_eq!(post(&sandbox, PROJECTS, V2023, &body).await.status, 200);
    }
    let page = get(
        &sandbox,
        "/api/atlas/v2/groups?itemsPerPage=2&pageNum=2",
        V2023,
    )
    .await;
    assert_eq!(names(&page, "name"), ["p1", "p2"]);
    assert_eq!(support::rels(&page.json), ["self", "previous", "next"]);
    assert_eq!(page.json["totalCount"], 6);
    let uncounted = get(
        &sandbox,
        "/api/atlas/v2/groups?includeCount=false&pageNum=3&itemsPerPage=2",
        V2023,
    )
    .await;
    assert!(uncounted.json.get("totalCount").is_none());
    assert_eq!(support::rels(&uncounted.json), ["self", "previous"]);
    let enveloped = get(
        &sandbox,
        "/api/atlas/v2/groups?envelope=true&itemsPerPage=501",
        V2023,
    )
    .await;
    assert_eq!(enveloped.status, 200);
    assert_eq!(enveloped.json["status"], 400);
    assert_eq!(enveloped.json["content"]["errorCode"], "VALIDATION_ERROR");
}
