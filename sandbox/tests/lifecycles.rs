//! What a waiter polls, for every resource whose state moves: the state a created (or
//! changed, or deleted) resource shows at the path a waiter reads, as the sandbox's clock
//! moves on, and the failures and stalls a test forces (`Sandbox::fail`, `Sandbox::hold`).

mod support;

use std::time::Duration;

use atlas_endpoints_sandbox::{Sandbox, DEFAULT_FLEX_CLUSTER, DEFAULT_GROUP_ID};
use serde_json::{json, Value};
use support::{
    assert_not_found, delete, flex_f1, get, group, patch, post, replica_set, FLEX, V2023, V2023_02,
    V2024_05, V2024_08, V2024_10,
};

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// `field` of the answer to a GET of `path`, which must be a 200.
async fn field(sandbox: &Sandbox, path: &str, accept: &str, field: &str) -> Value {
    let reply = get(sandbox, path, accept).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    reply.json[field].clone()
}

/// Creates a resource: the answer, which must be `status`.
async fn create(sandbox: &Sandbox, path: &str, accept: &str, body: &Value, status: u16) -> Value {
    let reply = post(sandbox, path, accept, body).await;
    assert_eq!(reply.status, status, "{path}: {}", reply.text);
    reply.json
}

fn id_of(value: &Value, field: &str) -> String {
    value[field].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn a_cloud_backup_snapshot_is_queued_in_progress_then_completed_or_failed() {
    let sandbox = Sandbox::start().await.unwrap();
    let list = group("/clusters/Cluster0/backup/snapshots");
    let taken = create(&sandbox, &list, V2023, &json!({"description": "x"}), 200).await;
    assert_eq!(taken["status"], "queued");
    let path = format!("{list}/{}", id_of(&taken, "id"));
    assert_eq!(field(&sandbox, &path, V2023, "status").await, "queued");
    sandbox.advance(secs(3));
    assert_eq!(field(&sandbox, &path, V2023, "status").await, "inProgress");
    sandbox.advance(secs(10));
    assert_eq!(field(&sandbox, &path, V2023, "status").await, "completed");

    let other = create(&sandbox, &list, V2023, &json!({}), 200).await;
    let other = format!("{list}/{}", id_of(&other, "id"));
    assert!(sandbox.fail(&other));
    sandbox.advance(secs(60));
    assert_eq!(field(&sandbox, &other, V2023, "status").await, "failed");
    assert_eq!(sandbox.state_of(&other).as_deref(), Some("failed"));
}

#[tokio::test]
async fn a_cloud_backup_restore_job_shows_its_end_as_finished_at_or_failed() {
    let sandbox = Sandbox::start().await.unwrap();
    let snapshot = create(
        &sandbox,
        &group("/clusters/Cluster0/backup/snapshots"),
        V2023,
        &json!({}),
        200,
    )
    .await;
    let list = group("/clusters/Cluster0/backup/restoreJobs");
    let body = json!({
        "deliveryType": "automated", "snapshotId": id_of(&snapshot, "id"),
        "targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID,
    });
    let job = create(&sandbox, &list, V2023, &body, 200).await;
    assert_eq!(job["failed"], false);
    assert!(job.get("finishedAt").is_none(), "{job}");
    let path = format!("{list}/{}", id_of(&job, "id"));
    assert_eq!(sandbox.state_of(&path).as_deref(), Some("RUNNING"));
    sandbox.advance(secs(5));
    let running = get(&sandbox, &path, V2023).await;
    assert!(running.json.get("finishedAt").is_none(), "{}", running.text);
    sandbox.advance(secs(5));
    let done = get(&sandbox, &path, V2023).await;
    // It settled 10 s after the sandbox's clock started.
    assert_eq!(
        done.json["finishedAt"], "2026-12-01T00:00:10Z",
        "{}",
        done.text
    );
    assert_eq!(done.json["failed"], false);
    assert_eq!(sandbox.state_of(&path).as_deref(), Some("COMPLETED"));

    let failing = create(&sandbox, &list, V2023, &body, 200).await;
    let failing = format!("{list}/{}", id_of(&failing, "id"));
    assert!(sandbox.fail(&failing));
    let failed = get(&sandbox, &failing, V2023).await;
    assert_eq!(failed.json["failed"], true, "{}", failed.text);
    assert!(failed.json["finishedAt"].is_string());
}

#[tokio::test]
async fn a_flex_restore_job_is_pending_queued_running_then_completed() {
    let sandbox = Sandbox::start().await.unwrap();
    let flex = group(&format!("/flexClusters/{DEFAULT_FLEX_CLUSTER}/backup"));
    let snapshots = get(&sandbox, &format!("{flex}/snapshots"), FLEX).await;
    let completed = snapshots
        .results()
        .into_iter()
        .find(|s| s["status"] == "COMPLETED")
        .expect("a completed snapshot");
    let body = json!({"snapshotId": completed["id"], "targetDeploymentItemName": "Cluster0"});
    let list = format!("{flex}/restoreJobs");
    let job = create(&sandbox, &list, FLEX, &body, 200).await;
    assert_eq!(job["status"], "PENDING");
    let path = format!("{list}/{}", id_of(&job, "id"));
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push(field(&sandbox, &path, FLEX, "status").await);
        sandbox.advance(secs(2));
    }
    assert_eq!(
        seen,
        [
            "PENDING",
            "QUEUED",
            "RUNNING",
            "RUNNING",
            "RUNNING",
            "COMPLETED"
        ]
    );
    assert_eq!(
        field(&sandbox, &path, FLEX, "restoreFinishedDate").await,
        "2026-12-01T00:00:10Z"
    );

    let failing = create(&sandbox, &list, FLEX, &body, 200).await;
    let failing = format!("{list}/{}", id_of(&failing, "id"));
    assert!(sandbox.fail(&failing));
    assert_eq!(field(&sandbox, &failing, FLEX, "status").await, "FAILED");
}

#[tokio::test]
async fn a_private_endpoint_service_is_read_at_its_cloud_providers_path() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = json!({"providerName": "AZURE", "region": "US_EAST_2"});
    let services = group("/privateEndpoint/endpointService");
    let created = create(&sandbox, &services, V2023, &body, 200).await;
    assert_eq!(created["status"], "INITIATING");
    assert_eq!(created["cloudProvider"], "AZURE");
    assert_eq!(created["regionName"], "US_EAST_2");
    let id = id_of(&created, "id");
    let path = group(&format!("/privateEndpoint/AZURE/endpointService/{id}"));
    assert_eq!(field(&sandbox, &path, V2023, "status").await, "INITIATING");
    // Listed for its provider only.
    let azure = get(
        &sandbox,
        &group("/privateEndpoint/AZURE/endpointService"),
        V2023,
    )
    .await;
    assert_eq!(
        azure.json.as_array().map(Vec::len),
        Some(1),
        "{}",
        azure.text
    );
    let aws = get(
        &sandbox,
        &group("/privateEndpoint/AWS/endpointService"),
        V2023,
    )
    .await;
    assert_eq!(aws.json, json!([]));
    // Another provider's path does not name it.
    let elsewhere = group(&format!("/privateEndpoint/AWS/endpointService/{id}"));
    assert_not_found(&sandbox, &elsewhere, V2023, "RESOURCE_NOT_FOUND").await;
    sandbox.advance(secs(10));
    assert_eq!(field(&sandbox, &path, V2023, "status").await, "AVAILABLE");
    // The path without the provider, which changes it, names the same service.
    let changed = patch(
        &sandbox,
        &group(&format!("/privateEndpoint/endpointService/{id}")),
        V2023,
        &json!({}),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.json["cloudProvider"], "AZURE");

    assert_eq!(delete(&sandbox, &path, V2023).await.status, 204);
    assert_eq!(field(&sandbox, &path, V2023, "status").await, "DELETING");
    sandbox.advance(secs(5));
    assert_not_found(&sandbox, &path, V2023, "RESOURCE_NOT_FOUND").await;

    let failing = create(&sandbox, &services, V2023, &body, 200).await;
    let failing = group(&format!(
        "/privateEndpoint/AZURE/endpointService/{}",
        id_of(&failing, "id")
    ));
    assert!(sandbox.fail(&failing));
    assert_eq!(field(&sandbox, &failing, V2023, "status").await, "FAILED");
}

#[tokio::test]
async fn an_online_archive_is_pending_then_active_pauses_and_is_deleted() {
    let sandbox = Sandbox::start().await.unwrap();
    let list = group("/clusters/Cluster0/onlineArchives");
    let body = json!({
        "dbName": "sales", "collName": "orders",
        "criteria": {"type": "DATE", "dateField": "created", "expireAfterDays": 30},
    });
    let created = create(&sandbox, &list, V2023, &body, 200).await;
    assert_eq!(created["state"], "PENDING");
    let path = format!("{list}/{}", id_of(&created, "_id"));
    assert_eq!(field(&sandbox, &path, V2023, "state").await, "PENDING");
    sandbox.advance(secs(5));
    assert_eq!(field(&sandbox, &path, V2023, "state").await, "ACTIVE");

    let paused = patch(&sandbox, &path, V2023, &json!({"paused": true})).await;
    assert_eq!(paused.status, 200, "{}", paused.text);
    assert_eq!(paused.json["state"], "PAUSING");
    sandbox.advance(secs(5));
    assert_eq!(field(&sandbox, &path, V2023, "state").await, "PAUSED");
    patch(&sandbox, &path, V2023, &json!({"paused": false})).await;
    assert_eq!(field(&sandbox, &path, V2023, "state").await, "ACTIVE");

    // No state of the spec's is a failure: a waiter for an archive times out instead.
    assert!(!sandbox.fail(&path));
    assert_eq!(delete(&sandbox, &path, V2023).await.status, 204);
    assert_eq!(field(&sandbox, &path, V2023, "state").await, "DELETED");
    sandbox.advance(secs(5));
    assert_eq!(get(&sandbox, &path, V2023).await.status, 404);
}

#[tokio::test]
async fn a_stream_processor_is_created_started_stopped_and_listed() {
    let sandbox = Sandbox::start().await.unwrap();
    let workspace = json!({"name": "t1", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}});
    create(&sandbox, &group("/streams"), V2023_02, &workspace, 200).await;
    let body =
        json!({"name": "p1", "pipeline": [{"$source": {"connectionName": "sample_stream_solar"}}]});
    let created = create(
        &sandbox,
        &group("/streams/t1/processor"),
        V2024_05,
        &body,
        200,
    )
    .await;
    assert_eq!(created["state"], "INIT");
    let path = group("/streams/t1/processor/p1");
    sandbox.advance(secs(1));
    assert_eq!(field(&sandbox, &path, V2024_05, "state").await, "CREATING");
    sandbox.advance(secs(2));
    assert_eq!(field(&sandbox, &path, V2024_05, "state").await, "CREATED");

    let started = post(&sandbox, &format!("{path}:start"), V2024_05, &json!({})).await;
    assert_eq!(started.status, 200, "{}", started.text);
    assert_eq!(field(&sandbox, &path, V2024_05, "state").await, "CREATED");
    sandbox.advance(secs(3));
    assert_eq!(field(&sandbox, &path, V2024_05, "state").await, "STARTED");
    post(&sandbox, &format!("{path}:stop"), V2024_05, &json!({})).await;
    sandbox.advance(secs(3));
    assert_eq!(field(&sandbox, &path, V2024_05, "state").await, "STOPPED");

    // The list is `/processors`, of the processors created at `/processor`.
    let listed = get(&sandbox, &group("/streams/t1/processors"), V2024_05).await;
    assert_eq!(listed.json["totalCount"], 1, "{}", listed.text);
    assert_eq!(listed.results()[0]["state"], "STOPPED");

    assert!(sandbox.fail(&path));
    assert_eq!(field(&sandbox, &path, V2024_05, "state").await, "FAILED");
    let missing = post(
        &sandbox,
        &group("/streams/t1/processor/nope:start"),
        V2024_05,
        &json!({}),
    )
    .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
}

#[tokio::test]
async fn an_access_list_entry_status_is_pending_then_active() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = json!([{"cidrBlock": "10.8.0.0/16"}, {"ipAddress": "192.0.2.1"}]);
    create(&sandbox, &group("/accessList"), V2023, &body, 200).await;
    let status = group("/accessList/10.8.0.0%2F16/status");
    assert_eq!(field(&sandbox, &status, V2023, "STATUS").await, "PENDING");
    // The entry itself has no status field.
    let entry = get(&sandbox, &group("/accessList/10.8.0.0%2F16"), V2023).await;
    assert!(entry.json.get("STATUS").is_none(), "{}", entry.text);
    sandbox.advance(secs(5));
    assert_eq!(field(&sandbox, &status, V2023, "STATUS").await, "ACTIVE");

    // A decoded CIDR block names the entry too, and so does its status path.
    assert!(sandbox.fail(&group("/accessList/192.0.2.1/status")));
    let other = group("/accessList/192.0.2.1/status");
    assert_eq!(field(&sandbox, &other, V2023, "STATUS").await, "FAILED");
    assert_eq!(
        sandbox.state_of(&format!(
            "/groups/{DEFAULT_GROUP_ID}/accessList/10.8.0.0/16"
        )),
        Some("ACTIVE".to_owned())
    );
    let unknown = get(&sandbox, &group("/accessList/10.9.0.0%2F16/status"), V2023).await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
}

#[tokio::test]
async fn a_search_index_moves_alike_by_id_and_by_name() {
    let sandbox = Sandbox::start().await.unwrap();
    let list = group("/clusters/Cluster0/search/indexes");
    let body = json!({"database": "sales", "collectionName": "orders", "name": "default",
                      "type": "search", "definition": {"mappings": {"dynamic": true}}});
    let created = create(&sandbox, &list, V2024_05, &body, 201).await;
    assert_eq!(created["status"], "PENDING");
    let by_id = format!("{list}/{}", id_of(&created, "indexID"));
    let by_name = format!("{list}/sales/orders/default");
    assert_eq!(field(&sandbox, &by_id, V2024_05, "status").await, "PENDING");
    assert_eq!(
        field(&sandbox, &by_name, V2024_05, "status").await,
        "PENDING"
    );
    sandbox.advance(secs(10));
    assert_eq!(field(&sandbox, &by_name, V2024_05, "status").await, "READY");
    assert_eq!(field(&sandbox, &by_id, V2024_05, "status").await, "READY");

    assert_eq!(delete(&sandbox, &by_name, V2024_05).await.status, 204);
    assert_eq!(
        field(&sandbox, &by_id, V2024_05, "status").await,
        "DELETING"
    );
    sandbox.advance(secs(2));
    assert_eq!(get(&sandbox, &by_id, V2024_05).await.status, 404);
    assert_eq!(get(&sandbox, &by_name, V2024_05).await.status, 404);

    let again = create(&sandbox, &list, V2024_05, &body, 201).await;
    assert!(sandbox.fail(&by_name));
    let by_id = format!("{list}/{}", id_of(&again, "indexID"));
    assert_eq!(field(&sandbox, &by_id, V2024_05, "status").await, "FAILED");
}

#[tokio::test]
async fn a_search_deployment_is_updating_then_idle() {
    let sandbox = Sandbox::start().await.unwrap();
    let path = group("/clusters/Cluster0/search/deployment");
    let specs = json!({"specs": [{"instanceSize": "S20_HIGHCPU_NVME", "nodeCount": 2}]});
    let created = create(&sandbox, &path, V2023, &specs, 200).await;
    assert_eq!(created["stateName"], "UPDATING");
    sandbox.advance(secs(10));
    assert_eq!(field(&sandbox, &path, V2023, "stateName").await, "IDLE");
    assert!(!sandbox.fail(&path), "no failure state");
}

#[tokio::test]
async fn a_held_cluster_stays_creating_until_changed() {
    let sandbox = Sandbox::start().await.unwrap();
    create(
        &sandbox,
        &group("/clusters"),
        V2024_10,
        &replica_set("c1"),
        201,
    )
    .await;
    let path = group("/clusters/c1");
    // A cluster's states hold no failure.
    assert!(!sandbox.fail(&path));
    assert!(sandbox.hold(&path));
    sandbox.advance(secs(3600));
    assert_eq!(
        field(&sandbox, &path, V2024_08, "stateName").await,
        "CREATING"
    );
    assert_eq!(sandbox.state_of(&path).as_deref(), Some("CREATING"));
    // A change starts a phase again.
    patch(&sandbox, &path, V2024_10, &json!({"paused": false})).await;
    sandbox.advance(secs(10));
    assert_eq!(field(&sandbox, &path, V2024_08, "stateName").await, "IDLE");

    assert!(!sandbox.hold(&group("/clusters/nope")));
    assert_eq!(sandbox.state_of(&group("/clusters/nope")), None);
    // Without the prefix too; a project is in no lifecycle.
    assert!(sandbox
        .state_of(&format!("groups/{DEFAULT_GROUP_ID}/clusters/c1"))
        .is_some());
    assert_eq!(sandbox.state_of(&group("")), None);
}

#[tokio::test]
async fn a_flex_cluster_is_held_and_deleted() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = flex_f1();
    create(&sandbox, &group("/flexClusters"), FLEX, &body, 201).await;
    let path = group("/flexClusters/f1");
    sandbox.advance(secs(10));
    assert_eq!(field(&sandbox, &path, FLEX, "stateName").await, "IDLE");
    assert_eq!(delete(&sandbox, &path, FLEX).await.status, 204);
    assert!(sandbox.hold(&path));
    sandbox.advance(secs(60));
    assert_eq!(field(&sandbox, &path, FLEX, "stateName").await, "DELETING");
}
