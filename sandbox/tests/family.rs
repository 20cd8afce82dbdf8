//! The serverless and Flex backup family over loopback: restore jobs,
//! snapshots and downloads, with the state they share. The requests the
//! sandbox must refuse are one table at the end, one test per row.

mod support;

use atlas_endpoints_sandbox::{
    Fault, ListingQuirk, Sandbox, DEFAULT_EMPTY_INSTANCE, DEFAULT_FLEX_CLUSTER,
    DEFAULT_FLEX_JOB_COUNT, DEFAULT_FLEX_SNAPSHOT_COUNT, DEFAULT_GROUP_ID, DEFAULT_INSTANCE,
    DEFAULT_JOB_COUNT,
};
use reqwest::header::ACCEPT;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use support::{
    assert_api_error, at, flex, flex_at, get, id, post, rels, send, serverless, serverless_at,
    start, Reply, FLEX, SERVERLESS, UNKNOWN_ID,
};

fn assert_ok(reply: &Reply, media_type: &str) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), media_type);
}

/// `item` has every field of `expected`, with the same value.
fn assert_fields(item: &Value, expected: &Value) {
    for (field, value) in expected.as_object().expect("an object") {
        assert_eq!(&item[field], value, "{field}");
    }
}

fn is_object_id(value: &Value) -> bool {
    value.as_str().is_some_and(|id| {
        id.len() == 24 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// `2025-11-03T10:15:00Z`-shaped.
fn is_rfc3339(value: &Value) -> bool {
    value.as_str().is_some_and(|date| {
        let b = date.as_bytes();
        b.len() == 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && b[19] == b'Z'
            && date[..4]
                .parse::<u32>()
                .is_ok_and(|year| (2025..2040).contains(&year))
    })
}

/// The results of the default serverless instance's listing `kind`.
async fn serverless_items(sandbox: &Sandbox, kind: &str) -> Vec<Value> {
    get(sandbox, &serverless(kind), SERVERLESS).await.results()
}

/// The results of the default Flex cluster's listing `kind`.
async fn flex_items(sandbox: &Sandbox, kind: &str) -> Vec<Value> {
    get(sandbox, &flex(kind), FLEX).await.results()
}

/// GET the item `id` of the default serverless instance's listing `kind`.
async fn serverless_one(sandbox: &Sandbox, kind: &str, id: &str) -> Reply {
    get(sandbox, &at(&serverless(kind), id), SERVERLESS).await
}

/// GET the item `id` of the default Flex cluster's listing `kind`.
async fn flex_one(sandbox: &Sandbox, kind: &str, id: &str) -> Reply {
    get(sandbox, &at(&flex(kind), id), FLEX).await
}

// ----- serverless -----

#[tokio::test]
async fn serverless_snapshots_list_and_resolve_every_job_reference() {
    let sandbox = Sandbox::start().await.expect("start");
    let page = get(&sandbox, &serverless("snapshots"), SERVERLESS).await;
    assert_ok(&page, SERVERLESS);
    assert_eq!(page.json["totalCount"], DEFAULT_JOB_COUNT);
    let snapshots = page.results();
    assert_eq!(snapshots.len(), DEFAULT_JOB_COUNT);
    assert_eq!(snapshots[0]["createdAt"], "2025-11-03T10:15:00Z");
    for snapshot in &snapshots {
        assert!(is_object_id(&snapshot["id"]));
        assert!(is_rfc3339(&snapshot["createdAt"]) && is_rfc3339(&snapshot["expiresAt"]));
        assert!(snapshot["expiresAt"].as_str() > snapshot["createdAt"].as_str());
        assert!(["hourly", "daily", "weekly", "monthly"]
            .contains(&snapshot["frequencyType"].as_str().unwrap_or("")));
        assert_eq!(snapshot["status"], "completed");
        assert_eq!(snapshot["snapshotType"], "scheduled");
        assert_eq!(snapshot["serverlessInstanceName"], DEFAULT_INSTANCE);
        assert!(snapshot["mongodVersion"]
            .as_str()
            .is_some_and(|v| v.split('.').count() == 3 && v.starts_with("8.0.")));
        assert!(snapshot["storageSizeBytes"]
            .as_i64()
            .is_some_and(|size| size > 100_000_000));
    }
    assert!(snapshots.iter().any(|s| s["frequencyType"] == "daily"));
    assert!(snapshots.iter().any(|s| s["frequencyType"] == "hourly"));

    // Every restore job names a snapshot of the listing, taken at its
    // `timestamp`.
    let jobs = serverless_items(&sandbox, "restoreJobs").await;
    assert_eq!(jobs.len(), DEFAULT_JOB_COUNT);
    for job in &jobs {
        let snapshot = snapshots
            .iter()
            .find(|s| s["id"] == job["snapshotId"])
            .expect("the job's snapshot is listed");
        assert_eq!(snapshot["createdAt"], job["timestamp"]);
    }

    // Get one: the same object as in the listing, at its `self` link.
    let first = &snapshots[5];
    let one = serverless_one(&sandbox, "snapshots", id(first)).await;
    assert_ok(&one, SERVERLESS);
    assert_eq!(&one.json, first);
    let self_link = first["links"][0]["href"].as_str().unwrap_or("");
    let first_id = first["id"].as_str().unwrap_or("?");
    let path = at(&serverless("snapshots"), first_id);
    assert_eq!(self_link, format!("{}{path}", sandbox.base_url()));

    // Paging works as on the restore jobs.
    let second = get(
        &sandbox,
        &serverless("snapshots?itemsPerPage=10&pageNum=2"),
        SERVERLESS,
    )
    .await;
    assert_eq!(second.results(), snapshots[10..20].to_vec());
    assert_eq!(rels(&second.json), ["self", "previous", "next"]);

    let empty_instance = serverless_at(DEFAULT_GROUP_ID, DEFAULT_EMPTY_INSTANCE, "snapshots");
    let empty = get(&sandbox, &empty_instance, SERVERLESS).await;
    assert_eq!(empty.json["totalCount"], 0);
}

#[tokio::test]
async fn serverless_get_one_restore_job() {
    let sandbox = Sandbox::start().await.expect("start");
    let jobs = serverless_items(&sandbox, "restoreJobs").await;
    let job = &jobs[7];
    let one = serverless_one(&sandbox, "restoreJobs", id(job)).await;
    assert_ok(&one, SERVERLESS);
    assert_eq!(&one.json, job);
}

#[tokio::test]
async fn serverless_create_then_list_then_get() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = serverless_items(&sandbox, "snapshots").await;
    let before = serverless_items(&sandbox, "restoreJobs").await;
    let snapshot = &snapshots[10];
    let request = json!({
        "deliveryType": "automated",
        "snapshotId": snapshot["id"],
        "targetClusterName": "Cluster0",
        "targetGroupId": DEFAULT_GROUP_ID,
        // Read-only fields are ignored.
        "id": UNKNOWN_ID,
        "failed": true,
    });
    let created = post(&sandbox, &serverless("restoreJobs"), SERVERLESS, &request).await;
    assert_ok(&created, SERVERLESS);
    let job = created.json.clone();
    assert!(is_object_id(&job["id"]));
    assert_ne!(job["id"], UNKNOWN_ID);
    assert!(before.iter().all(|old| old["id"] != job["id"]));
    let expected = json!({
        "deliveryType": "automated", "snapshotId": snapshot["id"],
        "timestamp": snapshot["createdAt"], "targetClusterName": "Cluster0",
        "targetGroupId": DEFAULT_GROUP_ID, "failed": false, "cancelled": false,
    });
    assert_fields(&job, &expected);
    assert!(job.get("finishedAt").is_none());
    assert!(is_rfc3339(&job["expiresAt"]));
    // Created after every seeded job: its id sorts last.
    assert!(before.iter().all(|old| id(old) < id(&job)));

    let after = get(&sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_eq!(after.json["totalCount"], DEFAULT_JOB_COUNT + 1);
    assert_eq!(after.results().last(), Some(&job));
    let one = serverless_one(&sandbox, "restoreJobs", id(&job)).await;
    assert_eq!(one.json, job);
    let self_link = job["links"][0]["href"].as_str().unwrap_or("");
    let job_id = job["id"].as_str().unwrap_or("?");
    assert!(self_link.ends_with(&format!("/restoreJobs/{job_id}")));

    // A download gets a delivery URL; the count keeps growing.
    let download = json!({
        "deliveryType": "download",
        "snapshotId": snapshot["id"],
        "targetClusterName": DEFAULT_INSTANCE,
        "targetGroupId": DEFAULT_GROUP_ID,
    });
    let download = post(&sandbox, &serverless("restoreJobs"), SERVERLESS, &download).await;
    assert_ok(&download, SERVERLESS);
    assert!(download.json["deliveryUrl"][0]
        .as_str()
        .is_some_and(|url| url.starts_with("https://")
            && url.contains(snapshot["id"].as_str().unwrap_or("?"))));
    assert!(id(&download.json) > id(&job));
    let count = get(
        &sandbox,
        &serverless("restoreJobs?itemsPerPage=1"),
        SERVERLESS,
    )
    .await;
    assert_eq!(count.json["totalCount"], DEFAULT_JOB_COUNT + 2);
    // The snapshots are not changed by restores.
    let snapshot_count = get(&sandbox, &serverless("snapshots"), SERVERLESS).await;
    assert_eq!(snapshot_count.json["totalCount"], DEFAULT_JOB_COUNT);
}

#[tokio::test]
async fn serverless_point_in_time_restores_from_the_snapshot_before() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = serverless_items(&sandbox, "snapshots").await;
    // 2025-11-04T12:00:00Z: after the snapshot of 10:15 that day, before 16:15.
    let moment = 1_762_257_600_i64;
    let body = json!({
        "deliveryType": "pointInTime",
        "pointInTimeUTCSeconds": moment,
        "targetClusterName": "staging-restore",
        "targetGroupId": DEFAULT_GROUP_ID,
    });
    let created = post(&sandbox, &serverless("restoreJobs"), SERVERLESS, &body).await;
    assert_ok(&created, SERVERLESS);
    let expected = snapshots
        .iter()
        .find(|s| s["createdAt"] == "2025-11-04T10:15:00Z")
        .expect("seeded snapshot");
    assert_eq!(created.json["snapshotId"], expected["id"]);
    assert_eq!(created.json["pointInTimeUTCSeconds"], moment);
    assert_eq!(
        created.json["desiredTimestamp"]["date"],
        "2025-11-04T12:00:00Z"
    );
    assert_eq!(created.json["desiredTimestamp"]["increment"], moment);

    // With oplogTs and oplogInc instead.
    let body = json!({
        "deliveryType": "pointInTime",
        "oplogTs": moment,
        "oplogInc": 3,
        "targetClusterName": "staging-restore",
        "targetGroupId": DEFAULT_GROUP_ID,
    });
    let oplog = post(&sandbox, &serverless("restoreJobs"), SERVERLESS, &body).await;
    assert_ok(&oplog, SERVERLESS);
    assert_eq!(oplog.json["oplogTs"], moment);
    assert_eq!(oplog.json["oplogInc"], 3);

    let count = get(&sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_eq!(count.json["totalCount"], DEFAULT_JOB_COUNT + 2);
}

#[tokio::test]
async fn the_whole_serverless_family_is_sunset_together() {
    let sandbox = start(Sandbox::builder().sunset_serverless(true)).await;
    let body = json!({"deliveryType": "automated", "snapshotId": UNKNOWN_ID,
                      "targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID})
    .to_string();
    let unknown_job = format!("restoreJobs/{UNKNOWN_ID}");
    let unknown_snapshot = format!("snapshots/{UNKNOWN_ID}");
    let cases = [
        (Method::GET, "restoreJobs", None),
        (Method::POST, "restoreJobs", Some(body.as_str())),
        (Method::GET, &unknown_job, None),
        (Method::GET, "snapshots", None),
        (Method::GET, &unknown_snapshot, None),
    ];
    for (method, kind, body) in cases {
        let path = serverless(kind);
        let reply = send(&sandbox, method, &path, SERVERLESS, body).await;
        assert_api_error(&reply, 410, "VERSION_GONE");
        assert_eq!(
            reply.header("sunset"),
            "Thu, 22 Jan 2026 00:00:00 GMT",
            "{path}"
        );
    }
    // Flex is not sunset.
    let flex_jobs = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_ok(&flex_jobs, FLEX);
}

// ----- formatting -----

#[tokio::test]
async fn envelope_wraps_single_objects_in_content() {
    let sandbox = Sandbox::start().await.expect("start");
    let jobs = serverless_items(&sandbox, "restoreJobs").await;
    let path = at(&serverless("restoreJobs"), id(&jobs[0]));
    let wrapped = get(&sandbox, &format!("{path}?envelope=true"), SERVERLESS).await;
    assert_ok(&wrapped, SERVERLESS);
    assert_eq!(wrapped.json, json!({"status": 200, "content": jobs[0]}));

    let flex_snapshots = flex_items(&sandbox, "snapshots").await;
    let snapshot = &flex_snapshots[0];
    let flex_snapshot = flex_one(
        &sandbox,
        "snapshots",
        &format!("{}?envelope=true", id(snapshot)),
    )
    .await;
    assert_eq!(
        flex_snapshot.json,
        json!({"status": 200, "content": snapshot})
    );

    // A POST answered in an envelope still creates its job.
    let body = json!({"snapshotId": snapshot["id"]});
    let created = post(&sandbox, &flex("download?envelope=true"), FLEX, &body).await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.json["status"], 200);
    assert_eq!(created.json["content"]["deliveryType"], "DOWNLOAD");
    let listed = flex_items(&sandbox, "restoreJobs").await;
    assert_eq!(listed.last(), Some(&created.json["content"]));

    // An error of a single-object route, in an envelope.
    let unknown = format!("{UNKNOWN_ID}?envelope=true");
    let missing = flex_one(&sandbox, "restoreJobs", &unknown).await;
    assert_eq!(missing.status, StatusCode::OK);
    assert_eq!(missing.json["status"], 404);
    assert_eq!(missing.json["content"]["errorCode"], "RESOURCE_NOT_FOUND");
}

#[tokio::test]
async fn pretty_is_ignored_where_the_spec_does_not_define_it() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = serverless_items(&sandbox, "snapshots").await;
    let snapshot_path = at(&serverless("snapshots"), id(&snapshots[0]));
    // getGroupServerlessBackupSnapshot has no `pretty`: neither applied nor
    // validated.
    for query in ["pretty=true", "pretty=yes"] {
        let reply = get(&sandbox, &format!("{snapshot_path}?{query}"), SERVERLESS).await;
        assert_ok(&reply, SERVERLESS);
        assert!(!reply.text.contains('\n'), "{query}");
        assert_eq!(reply.json, snapshots[0]);
    }
    let flex_snapshots = flex_items(&sandbox, "snapshots").await;
    let flex_path = format!("{}?pretty=true", id(&flex_snapshots[0]));
    let flex_snapshot = flex_one(&sandbox, "snapshots", &flex_path).await;
    assert!(!flex_snapshot.text.contains('\n'));
    // `envelope` is still validated there.
    let bad_envelope = get(
        &sandbox,
        &format!("{snapshot_path}?envelope=yes"),
        SERVERLESS,
    )
    .await;
    assert_api_error(&bad_envelope, 400, "VALIDATION_ERROR");
    assert_eq!(bad_envelope.fields(), ["envelope"]);

    // Where the spec defines it, `pretty` indents and is validated.
    let jobs = flex_items(&sandbox, "restoreJobs").await;
    let job_path = at(&flex("restoreJobs"), id(&jobs[0]));
    let pretty = get(&sandbox, &format!("{job_path}?pretty=true"), FLEX).await;
    assert!(pretty.text.contains("\n  \""));
    assert_eq!(pretty.json, jobs[0]);
    let invalid = get(&sandbox, &format!("{job_path}?pretty=yes"), FLEX).await;
    assert_eq!(invalid.fields(), ["pretty"]);
}

// ----- Flex -----

#[tokio::test]
async fn flex_lists_hold_the_seeded_backups() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots_page = get(&sandbox, &flex("snapshots"), FLEX).await;
    assert_ok(&snapshots_page, FLEX);
    assert_eq!(
        snapshots_page.json["totalCount"],
        DEFAULT_FLEX_SNAPSHOT_COUNT
    );
    let snapshots = snapshots_page.results();
    assert_eq!(snapshots.len(), DEFAULT_FLEX_SNAPSHOT_COUNT);
    assert_eq!(snapshots[0]["scheduledTime"], "2025-11-05T03:00:00Z");
    for snapshot in &snapshots {
        assert!(is_object_id(&snapshot["id"]));
        for field in ["scheduledTime", "startTime", "expiration"] {
            assert!(is_rfc3339(&snapshot[field]), "{field}");
        }
        assert!(
            ["COMPLETED", "FAILED", "RUNNING"].contains(&snapshot["status"].as_str().unwrap_or(""))
        );
        assert_eq!(
            snapshot.get("finishTime").is_some(),
            snapshot["status"] != "RUNNING"
        );
        assert!(snapshot["mongoDBVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("8.0.")));
    }
    assert_eq!(
        snapshots[DEFAULT_FLEX_SNAPSHOT_COUNT - 1]["status"],
        "RUNNING"
    );
    assert!(snapshots.iter().any(|s| s["status"] == "FAILED"));

    let jobs_page = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_ok(&jobs_page, FLEX);
    assert_eq!(jobs_page.json["totalCount"], DEFAULT_FLEX_JOB_COUNT);
    let jobs = jobs_page.results();
    for job in &jobs {
        assert!(is_object_id(&job["id"]));
        assert_eq!(job["instanceName"], DEFAULT_FLEX_CLUSTER);
        assert_eq!(job["projectId"], DEFAULT_GROUP_ID);
        assert!(is_rfc3339(&job["restoreScheduledDate"]));
        // Every job restores a completed snapshot of the cluster.
        let snapshot_id = job["snapshotId"].as_str().unwrap_or("");
        let one = flex_one(&sandbox, "snapshots", snapshot_id).await;
        assert_ok(&one, FLEX);
        assert_eq!(one.json["status"], "COMPLETED");
        assert_eq!(job["snapshotFinishedDate"], one.json["finishTime"]);
        match job["deliveryType"].as_str() {
            Some("RESTORE") => {
                assert!(job["targetDeploymentItemName"].is_string());
                assert_eq!(job["targetProjectId"], DEFAULT_GROUP_ID);
            }
            Some("DOWNLOAD") => {
                assert!(job.get("targetDeploymentItemName").is_none());
                assert_eq!(
                    job.get("snapshotUrl").is_some(),
                    job["status"] == "COMPLETED"
                );
            }
            other => panic!("deliveryType {other:?}"),
        }
    }
    assert!(jobs
        .iter()
        .any(|j| j["deliveryType"] == "DOWNLOAD" && j["snapshotUrl"].is_string()));
    assert!(jobs.iter().any(|j| j["status"] == "QUEUED"));
    assert!(jobs.iter().any(|j| j["status"] == "FAILED"));
    assert!(jobs.iter().any(|j| j["status"] == "COMPLETED"));

    // Get one restore job: the listed object.
    let one = flex_one(&sandbox, "restoreJobs", id(&jobs[2])).await;
    assert_ok(&one, FLEX);
    assert_eq!(one.json, jobs[2]);

    // Paging.
    let page = get(&sandbox, &flex("snapshots?itemsPerPage=3&pageNum=2"), FLEX).await;
    assert_eq!(page.results(), snapshots[3..6].to_vec());
    assert_eq!(rels(&page.json), ["self", "previous", "next"]);
    let self_link = format!(
        "{}{}?pageNum=2&itemsPerPage=3",
        sandbox.base_url(),
        flex("snapshots")
    );
    assert_eq!(page.json["links"][0]["href"], self_link);
    let uncounted = get(&sandbox, &flex("restoreJobs?includeCount=false"), FLEX).await;
    assert!(uncounted.json.get("totalCount").is_none());
}

#[tokio::test]
async fn flex_routes_check_credentials_and_version() {
    let sandbox = Sandbox::start().await.expect("start");
    let anonymous = reqwest::Client::new()
        .get(format!("{}{}", sandbox.base_url(), flex("snapshots")))
        .header(ACCEPT, FLEX)
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    for path in [
        flex("restoreJobs"),
        flex("snapshots"),
        format!("{}/{UNKNOWN_ID}", flex("restoreJobs")),
        format!("{}/{UNKNOWN_ID}", flex("snapshots")),
    ] {
        let reply = get(&sandbox, &path, SERVERLESS).await;
        assert_api_error(&reply, 406, "INVALID_VERSION_DATE");
        assert!(
            reply.json["detail"]
                .as_str()
                .is_some_and(|d| d.contains(FLEX)),
            "{path}"
        );
    }
}

#[tokio::test]
async fn flex_restore_create_then_list_then_get() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = flex_items(&sandbox, "snapshots").await;
    let before = flex_items(&sandbox, "restoreJobs").await;
    let snapshot = snapshots
        .iter()
        .find(|s| s["status"] == "COMPLETED")
        .expect("a completed snapshot");
    let body = json!({"snapshotId": snapshot["id"], "targetDeploymentItemName": "Cluster0",
                      "status": "FAILED"});
    let created = post(&sandbox, &flex("restoreJobs"), FLEX, &body).await;
    assert_ok(&created, FLEX);
    let job = created.json.clone();
    assert!(is_object_id(&job["id"]));
    assert!(before.iter().all(|old| id(old) < id(&job)));
    let expected = json!({
        "deliveryType": "RESTORE", "status": "PENDING", "snapshotId": snapshot["id"],
        "snapshotFinishedDate": snapshot["finishTime"], "targetDeploymentItemName": "Cluster0",
        // The target project defaults to the cluster's.
        "targetProjectId": DEFAULT_GROUP_ID, "instanceName": DEFAULT_FLEX_CLUSTER,
    });
    assert_fields(&job, &expected);
    assert!(job.get("snapshotUrl").is_none() && job.get("restoreFinishedDate").is_none());
    // Scheduled after every seeded job.
    assert!(before
        .iter()
        .all(|old| old["restoreScheduledDate"].as_str() < job["restoreScheduledDate"].as_str()));

    let listed = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(listed.json["totalCount"], DEFAULT_FLEX_JOB_COUNT + 1);
    assert_eq!(listed.results().last(), Some(&job));
    let one = flex_one(&sandbox, "restoreJobs", id(&job)).await;
    assert_eq!(one.json, job);

    // Another project as the target, and a non-ASCII target name.
    let body = json!({"snapshotId": snapshot["id"], "targetDeploymentItemName": "Prüfung-2",
                      "targetProjectId": UNKNOWN_ID});
    let elsewhere = post(&sandbox, &flex("restoreJobs"), FLEX, &body).await;
    assert_ok(&elsewhere, FLEX);
    assert_eq!(elsewhere.json["targetProjectId"], UNKNOWN_ID);
    assert_ne!(elsewhere.json["id"], job["id"]);
    let listed = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(listed.json["totalCount"], DEFAULT_FLEX_JOB_COUNT + 2);
}

#[tokio::test]
async fn flex_download_hands_out_a_snapshot_url() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = flex_items(&sandbox, "snapshots").await;
    let snapshot = &snapshots[1];
    let body = json!({"snapshotId": snapshot["id"]});
    let reply = post(&sandbox, &flex("download"), FLEX, &body).await;
    assert_ok(&reply, FLEX);
    let job = reply.json.clone();
    assert!(is_object_id(&job["id"]));
    assert_eq!(job["deliveryType"], "DOWNLOAD");
    assert_eq!(job["status"], "COMPLETED");
    assert_eq!(job["snapshotId"], snapshot["id"]);
    let url = job["snapshotUrl"].as_str().unwrap_or("");
    assert!(url.starts_with("https://") && url.contains(snapshot["id"].as_str().unwrap_or("?")));
    assert!(is_rfc3339(&job["expirationDate"]));
    assert!(job["expirationDate"].as_str() > job["restoreScheduledDate"].as_str());
    assert!(job.get("targetDeploymentItemName").is_none());

    // A download is a restore job of the cluster.
    let listed = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(listed.json["totalCount"], DEFAULT_FLEX_JOB_COUNT + 1);
    assert_eq!(listed.results().last(), Some(&job));
    let one = flex_one(&sandbox, "restoreJobs", id(&job)).await;
    assert_eq!(one.json, job);
}

// ----- builder, recording, faults -----

#[tokio::test]
async fn the_builder_seeds_flex_clusters() {
    let group = "0123456789abcdef01234567";
    let builder = Sandbox::builder()
        .flex_cluster(group, "flex-a", 3, 0)
        .flex_cluster(group, "flex-b", 0, 12);
    let sandbox = start(builder).await;
    let a_jobs = get(&sandbox, &flex_at(group, "flex-a", "restoreJobs"), FLEX).await;
    assert_eq!(a_jobs.json["totalCount"], 3);
    // Jobs need a snapshot to restore: one is seeded.
    let a_snapshots = get(&sandbox, &flex_at(group, "flex-a", "snapshots"), FLEX).await;
    assert_eq!(a_snapshots.json["totalCount"], 1);
    let only = &a_snapshots.results()[0];
    assert!(a_jobs
        .results()
        .iter()
        .all(|job| job["snapshotId"] == only["id"]));
    let b_snapshots = get(&sandbox, &flex_at(group, "flex-b", "snapshots"), FLEX).await;
    assert_eq!(b_snapshots.json["totalCount"], 12);
    let b_jobs = get(&sandbox, &flex_at(group, "flex-b", "restoreJobs"), FLEX).await;
    assert_eq!(b_jobs.json["totalCount"], 0);

    // Adding a Flex cluster replaces the whole default seed.
    let default_flex = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_api_error(&default_flex, 404, "RESOURCE_NOT_FOUND");
    let default_serverless = get(&sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_api_error(&default_serverless, 404, "RESOURCE_NOT_FOUND");

    // Seeding is deterministic.
    let again = start(Sandbox::builder().flex_cluster(group, "flex-b", 0, 12)).await;
    let replay = get(&again, &flex_at(group, "flex-b", "snapshots"), FLEX).await;
    let ids =
        |reply: &Reply| -> Vec<Value> { reply.results().iter().map(|s| s["id"].clone()).collect() };
    assert_eq!(ids(&replay), ids(&b_snapshots));
}

#[tokio::test]
async fn posts_are_recorded_and_faults_apply_before_any_change() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = flex_items(&sandbox, "snapshots").await;
    let body = json!({"snapshotId": snapshots[0]["id"]});
    sandbox.inject(&flex("download"), [Fault::status(503)]);
    let faulted = post(&sandbox, &flex("download"), FLEX, &body).await;
    assert_api_error(&faulted, 503, "SERVICE_UNAVAILABLE");
    let count = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(count.json["totalCount"], DEFAULT_FLEX_JOB_COUNT);

    let served = post(&sandbox, &flex("download"), FLEX, &body).await;
    assert_ok(&served, FLEX);
    let requests = sandbox.requests();
    let posts: Vec<_> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 2);
    assert!(posts.iter().all(|r| r.path == flex("download")));
    assert_eq!(posts[1].header("accept"), Some(FLEX));
    assert_eq!(
        serde_json::from_slice::<Value>(&posts[1].body).ok(),
        Some(body.clone())
    );

    // Listing quirks bend the new lists too.
    sandbox.set_listing_quirk(ListingQuirk::NextLinkPastTheEnd);
    let last = get(
        &sandbox,
        &serverless("snapshots?itemsPerPage=100"),
        SERVERLESS,
    )
    .await;
    assert_eq!(rels(&last.json), ["self", "next"]);
}

// ----- refusals -----

const INVALID: &str = "VALIDATION_ERROR";
const NOT_FOUND: &str = "RESOURCE_NOT_FOUND";
const WRONG_VERSION: &str = "INVALID_VERSION_DATE";
const NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
const NOT_COMPLETE: &str = "SNAPSHOT_NOT_COMPLETE";

/// Ids that the default sandbox seeds, for refused requests that must name something
/// that exists.
struct Seeded {
    /// A serverless restore job.
    serverless_job: String,
    /// The first Flex snapshot: completed.
    flex_snapshot: String,
    /// The newest Flex snapshot: still running.
    running: String,
    /// A Flex snapshot that failed.
    failed: String,
}

impl Seeded {
    async fn read(sandbox: &Sandbox) -> Seeded {
        let jobs = serverless_items(sandbox, "restoreJobs").await;
        let snapshots = flex_items(sandbox, "snapshots").await;
        let with_status = |status: &str| {
            let snapshot = snapshots.iter().find(|s| s["status"] == status);
            id(snapshot.expect(status)).to_owned()
        };
        Seeded {
            serverless_job: id(&jobs[7]).to_owned(),
            flex_snapshot: id(&snapshots[0]).to_owned(),
            running: with_status("RUNNING"),
            failed: with_status("FAILED"),
        }
    }
}

/// A request the sandbox must refuse, and the Atlas error it must refuse it with.
struct Refusal {
    request: Request,
    status: u16,
    code: &'static str,
    /// For a 400: the fields `badRequestDetail` names, in order.
    fields: Vec<&'static str>,
    /// `parameters[index][name] == value`: what the error is about.
    parameter: Option<(usize, &'static str, Value)>,
}

/// What a [`Refusal`] sends.
struct Request {
    method: Method,
    path: String,
    accept: &'static str,
    body: Option<String>,
}

impl Request {
    fn new(method: Method, path: String, accept: &'static str) -> Request {
        Request {
            method,
            path,
            accept,
            body: None,
        }
    }

    fn get(path: String, accept: &'static str) -> Request {
        Request::new(Method::GET, path, accept)
    }

    /// A POST of `body` as JSON.
    fn post(path: String, accept: &'static str, body: Value) -> Request {
        Request::post_raw(path, accept, &body.to_string())
    }

    /// A POST of `body` as it is, JSON or not.
    fn post_raw(path: String, accept: &'static str, body: &str) -> Request {
        let mut request = Request::new(Method::POST, path, accept);
        request.body = Some(body.to_owned());
        request
    }

    /// Refused with `status` and `code`.
    fn is(self, status: u16, code: &'static str) -> Refusal {
        Refusal {
            request: self,
            status,
            code,
            fields: Vec::new(),
            parameter: None,
        }
    }

    /// Refused as invalid, naming `fields`.
    fn invalid(self, fields: &[&'static str]) -> Refusal {
        let mut refusal = self.is(400, INVALID);
        refusal.fields = fields.to_vec();
        refusal
    }
}

impl Refusal {
    /// The first parameter of the error is `{name: value}`.
    fn naming(self, name: &'static str, value: impl Into<Value>) -> Refusal {
        self.naming_at(0, name, value)
    }

    /// Parameter `index` of the error is `{name: value}`.
    fn naming_at(mut self, index: usize, name: &'static str, value: impl Into<Value>) -> Refusal {
        self.parameter = Some((index, name, value.into()));
        self
    }
}

/// Sends `refusal`'s request to `sandbox`, checks the error it gets, and that nothing was
/// created.
async fn assert_refused(sandbox: &Sandbox, refusal: Refusal) {
    let Refusal {
        request,
        status,
        code,
        fields,
        parameter,
    } = refusal;
    let Request {
        method,
        path,
        accept,
        body,
    } = request;
    let what = format!("{method} {path}");
    let reply = send(sandbox, method, &path, accept, body.as_deref()).await;
    assert_api_error(&reply, status, code);
    if status == 400 {
        assert_eq!(reply.fields(), fields, "{what}");
    }
    if let Some((index, name, value)) = parameter {
        assert_eq!(reply.json["parameters"][index][name], value, "{what}");
    }
    let serverless_jobs = get(sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_eq!(serverless_jobs.json["totalCount"], DEFAULT_JOB_COUNT);
    let flex_jobs = get(sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(flex_jobs.json["totalCount"], DEFAULT_FLEX_JOB_COUNT);
}

/// One test per row, `name: refusal;`, in module `refused`: the refusal's request is sent to
/// a default sandbox and checked with [`assert_refused`]. A row may use `seeded`, the
/// [`Seeded`] ids of that sandbox.
macro_rules! refusals {
    ($seeded:ident; $($name:ident: $refusal:expr;)*) => {
        mod refused {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let sandbox = Sandbox::start().await.expect("start");
                    #[allow(unused_variables)]
                    let $seeded = Seeded::read(&sandbox).await;
                    assert_refused(&sandbox, $refusal).await;
                }
            )*
        }
    };
}

refusals! { seeded;
    // A serverless restore job.
    serverless_restore_job_unknown:
        Request::get(serverless(&format!("restoreJobs/{UNKNOWN_ID}")), SERVERLESS)
            .is(404, NOT_FOUND).naming("restoreJobId", UNKNOWN_ID);
    serverless_restore_job_id_malformed:
        Request::get(serverless("restoreJobs/NOT-AN-ID"), SERVERLESS).invalid(&["restoreJobId"]);
    serverless_restore_job_in_the_flex_version:
        Request::get(serverless(&format!("restoreJobs/{}", seeded.serverless_job)), FLEX)
            .is(406, WRONG_VERSION).naming("acceptedMediaType", SERVERLESS);
    serverless_restore_job_of_an_unknown_instance:
        Request::get(serverless_at(DEFAULT_GROUP_ID, "nowhere",
            &format!("restoreJobs/{}", seeded.serverless_job)), SERVERLESS)
            .is(404, NOT_FOUND).naming("clusterName", "nowhere");

    // A serverless snapshot.
    serverless_snapshot_unknown:
        Request::get(serverless(&format!("snapshots/{UNKNOWN_ID}")), SERVERLESS)
            .is(404, NOT_FOUND).naming("snapshotId", UNKNOWN_ID);
    serverless_snapshot_instance_and_id_malformed:
        Request::get(serverless_at(DEFAULT_GROUP_ID, "-bad", "snapshots/xyz"), SERVERLESS)
            .invalid(&["clusterName", "snapshotId"]);
    serverless_snapshots_page_too_large:
        Request::get(serverless("snapshots?itemsPerPage=501"), SERVERLESS)
            .invalid(&["itemsPerPage"]);
    serverless_snapshots_as_plain_json:
        Request::get(serverless("snapshots"), "application/json").is(406, WRONG_VERSION);
    serverless_snapshot_in_the_flex_version:
        Request::get(serverless(&format!("snapshots/{UNKNOWN_ID}")), FLEX).is(406, WRONG_VERSION);

    // Creating a serverless restore job.
    serverless_create_from_an_empty_object:
        Request::post(serverless("restoreJobs"), SERVERLESS, json!({}))
            .invalid(&["deliveryType", "targetClusterName", "targetGroupId"]);
    serverless_create_without_target_group:
        Request::post(serverless("restoreJobs"), SERVERLESS, json!({"deliveryType": "automated",
            "targetClusterName": "Cluster0", "snapshotId": UNKNOWN_ID}))
            .invalid(&["targetGroupId"]);
    serverless_create_without_snapshot:
        Request::post(serverless("restoreJobs"), SERVERLESS, json!({"deliveryType": "automated",
            "targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID}))
            .invalid(&["snapshotId"]);
    serverless_create_with_wrong_values:
        Request::post(serverless("restoreJobs"), SERVERLESS, json!({"deliveryType": "teleport",
            "targetClusterName": "_bad", "targetGroupId": 42, "snapshotId": "ABC", "oplogInc": 0}))
            .invalid(&["deliveryType", "targetClusterName", "targetGroupId", "snapshotId",
                "oplogInc"]);
    serverless_create_point_in_time_without_oplog_inc:
        Request::post(serverless("restoreJobs"), SERVERLESS, json!({"deliveryType": "pointInTime",
            "targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID,
            "oplogTs": 1_762_257_600}))
            .invalid(&["oplogInc"]);
    // Before the first snapshot: nothing can restore it.
    serverless_create_point_in_time_before_the_first_snapshot:
        Request::post(serverless("restoreJobs"), SERVERLESS, json!({"deliveryType": "pointInTime",
            "pointInTimeUTCSeconds": 1_700_000_000, "targetClusterName": "staging-restore",
            "targetGroupId": DEFAULT_GROUP_ID}))
            .invalid(&["pointInTimeUTCSeconds"]);
    serverless_create_from_an_empty_body:
        Request::post_raw(serverless("restoreJobs"), SERVERLESS, "").invalid(&["body"]);
    serverless_create_from_broken_json:
        Request::post_raw(serverless("restoreJobs"), SERVERLESS, "{not json").invalid(&["body"]);
    serverless_create_from_a_json_array:
        Request::post_raw(serverless("restoreJobs"), SERVERLESS, "[1, 2]").invalid(&["body"]);
    // Path and body problems are reported together.
    serverless_create_with_bad_path_and_body:
        Request::post(serverless_at(DEFAULT_GROUP_ID, "-x", "restoreJobs"), SERVERLESS,
            json!({"targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID}))
            .invalid(&["clusterName", "deliveryType"]);
    serverless_create_from_an_unknown_snapshot:
        Request::post(serverless("restoreJobs"), SERVERLESS, json!({"deliveryType": "automated",
            "snapshotId": UNKNOWN_ID, "targetClusterName": "Cluster0",
            "targetGroupId": DEFAULT_GROUP_ID}))
            .is(404, NOT_FOUND).naming("snapshotId", UNKNOWN_ID);
    serverless_create_in_an_unknown_group:
        Request::post(serverless_at(UNKNOWN_ID, DEFAULT_INSTANCE, "restoreJobs"), SERVERLESS,
            json!({"deliveryType": "automated", "snapshotId": UNKNOWN_ID,
                   "targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID}))
            .is(404, "GROUP_NOT_FOUND").naming("groupId", UNKNOWN_ID);
    serverless_create_in_the_flex_version:
        Request::post(serverless("restoreJobs"), FLEX, json!({"deliveryType": "automated",
            "snapshotId": UNKNOWN_ID, "targetClusterName": "Cluster0",
            "targetGroupId": DEFAULT_GROUP_ID}))
            .is(406, WRONG_VERSION);

    // Flex paths, versions and methods.
    flex_download_as_plain_json:
        Request::post(flex("download"), "application/json", json!({"snapshotId": UNKNOWN_ID}))
            .is(406, WRONG_VERSION);
    flex_cluster_name_malformed:
        Request::get(flex_at(DEFAULT_GROUP_ID, "bad_name", "restoreJobs"), FLEX).invalid(&["name"]);
    flex_group_and_snapshot_ids_malformed:
        Request::get(flex_at("XYZ", DEFAULT_FLEX_CLUSTER, "snapshots/123"), FLEX)
            .invalid(&["groupId", "snapshotId"]);
    flex_restore_job_id_malformed:
        Request::get(flex("restoreJobs/123"), FLEX).invalid(&["restoreJobId"]);
    flex_cluster_unknown:
        Request::get(flex_at(DEFAULT_GROUP_ID, "nope", "snapshots"), FLEX)
            .is(404, NOT_FOUND).naming("name", "nope");
    // A serverless instance is not a Flex cluster.
    flex_cluster_that_is_a_serverless_instance:
        Request::get(flex_at(DEFAULT_GROUP_ID, DEFAULT_INSTANCE, "snapshots"), FLEX)
            .is(404, NOT_FOUND);
    flex_restore_job_unknown:
        Request::get(flex(&format!("restoreJobs/{UNKNOWN_ID}")), FLEX).is(404, NOT_FOUND);
    flex_snapshot_unknown:
        Request::get(flex(&format!("snapshots/{UNKNOWN_ID}")), FLEX).is(404, NOT_FOUND);
    flex_get_on_the_download_path:
        Request::get(flex("download"), FLEX).is(405, NOT_ALLOWED);
    flex_delete_on_a_list:
        Request::new(Method::DELETE, flex("restoreJobs"), FLEX).is(405, NOT_ALLOWED);

    // Creating a Flex restore job.
    flex_restore_without_snapshot_and_target:
        Request::post(flex("restoreJobs"), FLEX, json!({"targetProjectId": DEFAULT_GROUP_ID}))
            .invalid(&["snapshotId", "targetDeploymentItemName"]);
    flex_restore_without_target:
        Request::post(flex("restoreJobs"), FLEX, json!({"snapshotId": seeded.flex_snapshot}))
            .invalid(&["targetDeploymentItemName"]);
    flex_restore_with_malformed_target_and_project:
        Request::post(flex("restoreJobs"), FLEX, json!({"snapshotId": seeded.flex_snapshot,
            "targetDeploymentItemName": "a/b", "targetProjectId": "nope"}))
            .invalid(&["targetDeploymentItemName", "targetProjectId"]);
    flex_restore_with_a_target_name_too_long:
        Request::post(flex("restoreJobs"), FLEX, json!({"snapshotId": seeded.flex_snapshot,
            "targetDeploymentItemName": "x".repeat(65)}))
            .invalid(&["targetDeploymentItemName"]);
    flex_restore_of_an_unknown_snapshot:
        Request::post(flex("restoreJobs"), FLEX, json!({"snapshotId": UNKNOWN_ID,
            "targetDeploymentItemName": "Cluster0"}))
            .is(404, NOT_FOUND).naming("snapshotId", UNKNOWN_ID);
    flex_restore_of_a_running_snapshot:
        Request::post(flex("restoreJobs"), FLEX, json!({"snapshotId": seeded.running,
            "targetDeploymentItemName": "Cluster0"}))
            .is(409, NOT_COMPLETE).naming_at(1, "status", "RUNNING");
    flex_restore_of_a_failed_snapshot:
        Request::post(flex("restoreJobs"), FLEX, json!({"snapshotId": seeded.failed,
            "targetDeploymentItemName": "Cluster0"}))
            .is(409, NOT_COMPLETE).naming_at(1, "status", "FAILED");

    // A Flex download.
    flex_download_without_snapshot:
        Request::post(flex("download"), FLEX, json!({})).invalid(&["snapshotId"]);
    flex_download_from_a_form:
        Request::post_raw(flex("download"), FLEX, "snapshotId=1").invalid(&["body"]);
    flex_download_of_an_unknown_snapshot:
        Request::post(flex("download"), FLEX, json!({"snapshotId": UNKNOWN_ID})).is(404, NOT_FOUND);
    flex_download_of_a_running_snapshot:
        Request::post(flex("download"), FLEX, json!({"snapshotId": seeded.running}))
            .is(409, NOT_COMPLETE);
    flex_download_from_an_unknown_cluster:
        Request::post(flex_at(DEFAULT_GROUP_ID, "gone", "download"), FLEX,
            json!({"snapshotId": seeded.flex_snapshot}))
            .is(404, NOT_FOUND);
}
