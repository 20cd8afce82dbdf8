//! The families every Atlas tool calls most, with the values a user would pass: clusters
//! (a three-node AWS replica set, a sharded cluster across two providers), projects, database
//! users (an AWS IAM role ARN on `$external`), the project IP access list (a CIDR block) and
//! a backup snapshot schedule. Each test checks the exact request that reaches a loopback
//! server and decodes a realistic answer into the generated model.
#![cfg(all(
    feature = "clusters",
    feature = "projects",
    feature = "database-users",
    feature = "project-ip-access-list",
    feature = "cloud-backups"
))]

mod support;

use atlas_endpoints::models::{
    CloudDatabaseUserAwsIamType, CloudDatabaseUserDatabaseName, CloudDatabaseUserRequest,
    ClusterDescription, ClusterDescriptionClusterType, ClusterDescriptionRequest, DatabaseUserRole,
    DatabaseUserRoleRoleName, DiskBackupSnapshotSchedule20240805Request, GroupRequest,
    NetworkPermissionEntryRequest,
};
use atlas_endpoints::prelude::*;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ORG: &str = "5e2211c17a3e5a48f5497de3";
const CLUSTER_ID: &str = "6a1b2c3d4e5f60718293a4b5";

fn client(server: &MockServer) -> Client {
    support::bearer_client(server.uri(), "token")
}

fn atlas(version: &str) -> String {
    format!("application/vnd.atlas.{version}+json")
}

async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request");
    requests.into_iter().next().unwrap()
}

/// What Atlas answers for a cluster: the request's fields plus the read-only ones.
fn cluster_answer(request: &Value) -> Value {
    let mut answer = request.clone();
    let fields = answer.as_object_mut().unwrap();
    fields.insert("id".into(), json!(CLUSTER_ID));
    fields.insert("groupId".into(), json!(GROUP));
    fields.insert("stateName".into(), json!("CREATING"));
    fields.insert("createDate".into(), json!("2026-12-01T10:15:00Z"));
    fields.insert("mongoDBVersion".into(), json!("8.0.4"));
    fields.insert(
        "links".into(),
        json!([{"href": format!("https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP}/clusters/app"), "rel": "self"}]),
    );
    answer
}

#[tokio::test]
async fn a_three_node_aws_replica_set_is_created_as_sent() {
    let sent = json!({
        "name": "app",
        "clusterType": "REPLICASET",
        "mongoDBMajorVersion": "8.0",
        "backupEnabled": true,
        "replicationSpecs": [{
            "zoneName": "Zone 1",
            "regionConfigs": [{
                "providerName": "AWS",
                "regionName": "US_EAST_1",
                "priority": 7,
                "electableSpecs": {"instanceSize": "M10", "nodeCount": 3, "diskSizeGB": 10.0},
                "autoScaling": {"compute": {"enabled": false}, "diskGB": {"enabled": true}}
            }]
        }],
        "tags": [{"key": "team", "value": "payments"}]
    });
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/atlas/v2/groups/{GROUP}/clusters")))
        .and(header("content-type", atlas("2024-10-23").as_str()))
        .and(header("accept", atlas("2024-10-23").as_str()))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(201).set_body_json(cluster_answer(&sent)))
        .mount(&server)
        .await;

    // A user's JSON (a file, a template) decodes into the request model without loss.
    let request: ClusterDescriptionRequest = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(
        request.cluster_type,
        Some(ClusterDescriptionClusterType::Replicaset)
    );
    let created: ClusterDescription = client(&server)
        .create_cluster(GROUP, None, None, &request)
        .await
        .unwrap();

    assert_eq!(created.id.as_deref(), Some(CLUSTER_ID));
    assert_eq!(
        created.state_name.as_ref().map(|s| s.as_str()),
        Some("CREATING")
    );
    assert_eq!(created.mongo_db_version.as_deref(), Some("8.0.4"));
    assert_eq!(created.replication_specs.len(), 1);
    let request = only_request(&server).await;
    assert_eq!(request.body_json::<Value>().unwrap(), sent);
}

#[tokio::test]
async fn a_sharded_cluster_across_aws_and_gcp_keeps_every_region() {
    let shards: Vec<Value> = [0, 1]
        .iter()
        .map(|shard| {
            json!({
                "zoneName": format!("Shard {shard}"),
                "regionConfigs": [
                    {
                        "providerName": "AWS", "regionName": "EU_WEST_1", "priority": 7,
                        "electableSpecs": {"instanceSize": "M30", "nodeCount": 2}
                    },
                    {
                        "providerName": "GCP", "regionName": "EUROPE_WEST_3", "priority": 6,
                        "electableSpecs": {"instanceSize": "M30", "nodeCount": 1}
                    }
                ]
            })
        })
        .collect();
    let sent = json!({"name": "global-shop", "clusterType": "SHARDED", "replicationSpecs": shards});
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/atlas/v2/groups/{GROUP}/clusters")))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(201).set_body_json(cluster_answer(&sent)))
        .mount(&server)
        .await;

    let request: ClusterDescriptionRequest = serde_json::from_value(sent.clone()).unwrap();
    let created = client(&server)
        .create_cluster(GROUP, None, None, &request)
        .await
        .unwrap();
    assert_eq!(created.replication_specs.len(), 2);
    let answer = serde_json::to_value(&created).unwrap();
    assert_eq!(
        answer["replicationSpecs"][1]["regionConfigs"][1]["regionName"],
        "EUROPE_WEST_3"
    );
    assert_eq!(
        answer["replicationSpecs"][0]["regionConfigs"][0]["providerName"],
        "AWS"
    );
}

#[tokio::test]
async fn a_project_is_created_without_its_read_only_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/atlas/v2/groups"))
        .and(body_json(
            json!({"name": "payments-prod", "orgId": ORG, "withDefaultAlertsSettings": true}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": GROUP, "name": "payments-prod", "orgId": ORG, "clusterCount": 0,
            "created": "2026-12-01T09:00:00Z", "links": []
        })))
        .mount(&server)
        .await;

    // `Group.clusterCount` and `created` are required and read-only: the request view has no
    // such fields, so `new` asks only for the name and the organization.
    let mut project = GroupRequest::new("payments-prod", ORG);
    project.with_default_alerts_settings = Some(true);
    let group = client(&server).create_group(None, &project).await.unwrap();
    assert_eq!(group.cluster_count, 0);
    assert_eq!(group.id.as_deref(), Some(GROUP));
}

#[tokio::test]
async fn an_iam_role_arn_is_a_database_user_on_external() {
    const ARN: &str = "arn:aws:iam::123456789012:role/app";
    let server = MockServer::start().await;
    let answer = json!({
        "username": ARN, "databaseName": "$external", "groupId": GROUP, "awsIAMType": "ROLE",
        "roles": [{"roleName": "readWrite", "databaseName": "orders"}], "links": []
    });
    Mock::given(method("POST"))
        .and(path(format!("/api/atlas/v2/groups/{GROUP}/databaseUsers")))
        .and(body_json(json!({
            "awsIAMType": "ROLE", "databaseName": "$external", "groupId": GROUP,
            "roles": [{"databaseName": "orders", "roleName": "readWrite"}], "username": ARN
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(&answer))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .mount(&server)
        .await;

    let role = DatabaseUserRole::new("orders", DatabaseUserRoleRoleName::ReadWrite);
    let mut user = CloudDatabaseUserRequest::new(
        CloudDatabaseUserDatabaseName::External,
        GROUP,
        vec![role],
        ARN,
    );
    user.aws_iam_type = Some(CloudDatabaseUserAwsIamType::Role);
    let client = client(&server);
    let created = client.create_database_user(GROUP, &user).await.unwrap();
    assert_eq!(created.username, ARN);

    // The ARN is one path segment: its `/` is percent-encoded, not a new segment.
    client
        .get_database_user(GROUP, "$external", ARN)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let get = requests
        .iter()
        .find(|r| r.method.as_str() == "GET")
        .unwrap();
    assert_eq!(
        get.url.path(),
        format!("/api/atlas/v2/groups/{GROUP}/databaseUsers/%24external/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp")
    );
}

#[tokio::test]
async fn a_cidr_block_is_an_access_list_entry_and_a_path_value() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/atlas/v2/groups/{GROUP}/accessList")))
        .and(body_json(json!([{"cidrBlock": "10.8.0.0/16", "comment": "office VPN"}])))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "results": [{"cidrBlock": "10.8.0.0/16", "comment": "office VPN", "groupId": GROUP, "links": []}],
            "totalCount": 1, "links": []
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!(
            "/api/atlas/v2/groups/{GROUP}/accessList/10.8.0.0%2F16"
        )))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    let mut entry = NetworkPermissionEntryRequest::new();
    entry.cidr_block = Some("10.8.0.0/16".into());
    entry.comment = Some("office VPN".into());
    let client = client(&server);
    let page = client
        .create_access_list_entry(GROUP, &[entry])
        .await
        .unwrap();
    assert_eq!(page.results()[0].cidr_block.as_deref(), Some("10.8.0.0/16"));

    // The spec's pattern is written for the encoded value; the CIDR block is given as is.
    client
        .delete_access_list_entry(GROUP, "10.8.0.0/16")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_backup_schedule_is_updated_with_its_policy_items() {
    let sent = json!({
        "referenceHourOfDay": 3,
        "referenceMinuteOfHour": 30,
        "restoreWindowDays": 7,
        "policies": [{
            "id": "5f1e2d3c4b5a69788796a5b4",
            "policyItems": [
                {"frequencyType": "daily", "frequencyInterval": 1, "retentionUnit": "days", "retentionValue": 7},
                {"frequencyType": "weekly", "frequencyInterval": 6, "retentionUnit": "weeks", "retentionValue": 4}
            ]
        }]
    });
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!(
            "/api/atlas/v2/groups/{GROUP}/clusters/app/backup/schedule"
        )))
        .and(header("content-type", atlas("2024-08-05").as_str()))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "clusterId": CLUSTER_ID, "clusterName": "app", "referenceHourOfDay": 3,
            "referenceMinuteOfHour": 30, "restoreWindowDays": 7,
            "nextSnapshot": "2026-12-02T03:30:00Z", "policies": sent["policies"], "links": []
        })))
        .mount(&server)
        .await;

    let schedule: DiskBackupSnapshotSchedule20240805Request =
        serde_json::from_value(sent.clone()).unwrap();
    let updated = client(&server)
        .update_backup_schedule(GROUP, "app", &schedule)
        .await
        .unwrap();
    assert_eq!(updated.cluster_name.as_deref(), Some("app"));
    assert!(updated.next_snapshot.is_some());
}
