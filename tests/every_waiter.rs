//! Every waiter of the generated API against the sandbox's lifecycles, on tokio's paused
//! clock (the sandbox follows it, so hours of Atlas time pass in milliseconds): each reaches
//! its end with its declared timing, fails on a failed or unexpected state (or a refused
//! poll, for the waits that read no state), times out naming the state it was held in, and
//! rides out `5xx` answers and lost connections while it polls.
#![cfg(all(
    feature = "clusters",
    feature = "flex-clusters",
    feature = "cloud-backups",
    feature = "flex-restore-jobs",
    feature = "atlas-search",
    feature = "private-endpoint-services",
    feature = "online-archive",
    feature = "streams",
    feature = "project-ip-access-list"
))]

mod support;

use std::time::Duration;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{Error, ErrorKind, RetryPolicy, TimeoutKind, Wait};
use atlas_endpoints_sandbox::{
    Fault, Sandbox, DEFAULT_CLUSTER, DEFAULT_FLEX_CLUSTER, DEFAULT_GROUP_ID as G,
};
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{FutureExt as _, StreamExt as _};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// What a test sees of one observation of a wait, whatever the resource's type.
struct Seen {
    state: Option<String>,
    resource: Value,
    done: bool,
}

type Seen_ = atlas_endpoints::Result<Seen>;

/// How a test runs a wait: with the declared timing, or polling at once (so that it can act
/// on the resource while the wait goes on), with a timeout of its own.
#[derive(Clone, Copy, Default)]
struct Tuning {
    at_once: bool,
    timeout: Option<Duration>,
}

impl Tuning {
    fn apply<G, O>(self, mut wait: Wait<G, O>) -> Wait<G, O>
    where
        G: DeserializeOwned + Send + 'static,
        O: Send + 'static,
    {
        if self.at_once {
            wait = wait.delay(Duration::ZERO);
        }
        if let Some(timeout) = self.timeout {
            wait = wait.timeout(timeout);
        }
        wait
    }
}

/// The observations of `wait`, the resource as JSON.
fn seen<G, O>(tuning: Tuning, wait: Wait<G, O>) -> BoxStream<'static, Seen_>
where
    G: DeserializeOwned + Serialize + Send + 'static,
    O: Send + 'static,
{
    tuning
        .apply(wait)
        .states()
        .map(|observed| {
            observed.map(|observed| Seen {
                state: observed.state,
                resource: serde_json::to_value(&observed.resource).unwrap_or_default(),
                done: observed.done,
            })
        })
        .boxed()
}

/// How a test makes the wait fail.
enum Failure {
    /// Shows this state on the resource: one the waiter lists as failed, or does not expect.
    State(&'static str),
    /// The resource's lifecycle fails it (`Sandbox::fail`), for a state spelled over fields.
    Lifecycle,
    /// The poll is refused (403): the failure of a wait that reads no state.
    Refused,
}

/// How a test keeps the wait from its end.
enum Holding {
    /// Shows this pending state, for good.
    State(&'static str),
    /// Holds the resource where it is (`Sandbox::hold`).
    Where,
    /// The poll answers 503, for good: a wait that reads no state never sees the 404.
    Unavailable,
}

/// A path of the test's resource below `/api/atlas/v2`, from the id the set-up made (if
/// any) and the resource the poll answered (`Null` before the first answer).
type PathOf = fn(&str, &Value) -> String;

struct Case {
    /// The operation the wait follows.
    op: &'static str,
    /// What must exist first, made with plain calls; answers an id the wait uses, or "".
    setup: fn(Client) -> BoxFuture<'static, String>,
    start: fn(Client, Tuning, String) -> BoxStream<'static, Seen_>,
    /// Where the resource is, for the sandbox's controls.
    place: PathOf,
    /// What the wait polls, for faults.
    poll: PathOf,
    failure: Failure,
    holding: Holding,
    /// The states that end the wait well; empty for a wait that ends gone.
    ends: &'static [&'static str],
}

fn model<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the test's body fits the model")
}

fn cluster_body() -> atlas_endpoints::models::ClusterDescriptionRequest {
    model(json!({
        "name": "c1",
        "clusterType": "REPLICASET",
        "replicationSpecs": [{"regionConfigs": [{
            "providerName": "AWS", "regionName": "US_EAST_1", "priority": 7,
            "electableSpecs": {"instanceSize": "M10", "nodeCount": 3}
        }]}]
    }))
}

fn flex_body() -> atlas_endpoints::models::FlexClusterDescriptionCreate {
    model(
        json!({"name": "f1", "providerSettings": {"backingProviderName": "AWS", "regionName": "US_EAST_1"}}),
    )
}

fn index_body() -> atlas_endpoints::models::SearchIndexCreateRequest {
    model(
        json!({"collectionName": "coll", "database": "db", "name": "idx", "type": "search",
        "definition": {"mappings": {"dynamic": true}}}),
    )
}

fn index_update() -> atlas_endpoints::models::SearchIndexUpdateRequest {
    model(json!({"definition": {"mappings": {"dynamic": false}}}))
}

fn deployment_body() -> atlas_endpoints::models::ApiSearchDeploymentRequest {
    model(json!({"specs": [{"instanceSize": "S20_HIGHCPU_NVME", "nodeCount": 2}]}))
}

fn archive_body() -> atlas_endpoints::models::BackupOnlineArchiveCreate {
    model(
        json!({"collName": "coll", "dbName": "db", "criteria": {"type": "DATE", "dateField": "created", "expireAfterDays": 30}}),
    )
}

fn snapshot_body() -> atlas_endpoints::models::DiskBackupOnDemandSnapshotRequest {
    model(json!({"description": "before the upgrade", "retentionInDays": 5}))
}

fn service_body() -> atlas_endpoints::models::CloudProviderEndpointServiceRequest {
    model(json!({"providerName": "AWS", "region": "us-east-1"}))
}

/// Lets every lifecycle started so far settle (the longest lasts 20 s).
async fn settle() {
    tokio::time::sleep(Duration::from_secs(120)).await;
}

async fn ok<T>(call: impl std::future::IntoFuture<Output = atlas_endpoints::Result<T>>) -> T {
    call.await.expect("the set-up call succeeds")
}

fn nothing(_: Client) -> BoxFuture<'static, String> {
    async { String::new() }.boxed()
}

fn cluster_exists(client: Client) -> BoxFuture<'static, String> {
    async move {
        ok(client
            .create_cluster(G, None, None, &cluster_body())
            .without_wait())
        .await;
        settle().await;
        String::new()
    }
    .boxed()
}

fn flex_exists(client: Client) -> BoxFuture<'static, String> {
    async move {
        ok(client.create_flex_cluster(G, &flex_body()).without_wait()).await;
        settle().await;
        String::new()
    }
    .boxed()
}

fn processor_exists(client: Client) -> BoxFuture<'static, String> {
    async move {
        let workspace = json!({"name": "t1", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}});
        ok(client.create_stream_workspace(G, &model(workspace))).await;
        let processor = json!({"name": "p1", "pipeline": [{"$source": {"connectionName": "sample_stream_solar"}}]});
        ok(client.create_stream_processor(G, "t1", &model(processor)).without_wait()).await;
        settle().await;
        String::new()
    }
    .boxed()
}

fn index_exists(client: Client) -> BoxFuture<'static, String> {
    async move {
        let index = ok(client
            .create_cluster_search_index(G, DEFAULT_CLUSTER, &index_body())
            .without_wait())
        .await;
        settle().await;
        atlas_endpoints::waiting::search_index_id(&index)
            .expect("an index id")
            .to_owned()
    }
    .boxed()
}

fn cluster(_: &str, _: &Value) -> String {
    format!("/groups/{G}/clusters/c1")
}

fn flex(_: &str, _: &Value) -> String {
    format!("/groups/{G}/flexClusters/f1")
}

fn processor(_: &str, _: &Value) -> String {
    format!("/groups/{G}/streams/t1/processor/p1")
}

fn deployment(_: &str, _: &Value) -> String {
    format!("/groups/{G}/clusters/{DEFAULT_CLUSTER}/search/deployment")
}

/// The index the set-up made, or the one the poll answers.
fn index(id: &str, resource: &Value) -> String {
    let id = resource["indexID"].as_str().unwrap_or(id);
    format!("/groups/{G}/clusters/{DEFAULT_CLUSTER}/search/indexes/{id}")
}

fn index_by_name(_: &str, _: &Value) -> String {
    format!("/groups/{G}/clusters/{DEFAULT_CLUSTER}/search/indexes/db/coll/idx")
}

fn entry(_: &str, _: &Value) -> String {
    format!("/groups/{G}/accessList/192.0.2.1")
}

fn entry_status(_: &str, _: &Value) -> String {
    format!("/groups/{G}/accessList/192.0.2.1/status")
}

/// An object below `collection` of the default cluster (or project), by the id the set-up
/// made or the one in `field` of the answer.
macro_rules! by_id {
    ($collection:literal, $field:literal) => {
        |id: &str, resource: &Value| {
            let id = resource[$field].as_str().unwrap_or(id);
            format!("/groups/{G}{}/{id}", $collection)
        }
    };
}

/// A snapshot of the Flex cluster the sandbox seeds.
const FLEX_SNAPSHOT: &str = "6912a6b07c7425acaded35d8";

fn cases() -> Vec<Case> {
    vec![
        Case {
            op: "createGroupCluster",
            setup: nothing,
            start: |c, t, _| seen(t, c.create_cluster(G, None, None, &cluster_body()).wait()),
            place: cluster,
            poll: cluster,
            failure: Failure::State("DELETING"),
            holding: Holding::State("CREATING"),
            ends: &["IDLE"],
        },
        Case {
            op: "updateGroupCluster",
            setup: cluster_exists,
            start: |c, t, _| {
                let change = model(json!({"paused": true}));
                seen(t, c.update_cluster(G, "c1", None, None, &change).wait())
            },
            place: cluster,
            poll: cluster,
            failure: Failure::State("DELETING"),
            holding: Holding::State("UPDATING"),
            ends: &["IDLE"],
        },
        Case {
            op: "getGroupCluster",
            setup: |c| {
                async move {
                    ok(c.create_cluster(G, None, None, &cluster_body())
                        .without_wait())
                    .await;
                    String::new()
                }
                .boxed()
            },
            start: |c, t, _| seen(t, c.get_cluster(G, "c1", None, None).wait()),
            place: cluster,
            poll: cluster,
            failure: Failure::State("DELETING"),
            holding: Holding::State("CREATING"),
            ends: &["IDLE"],
        },
        Case {
            op: "deleteGroupCluster",
            setup: cluster_exists,
            start: |c, t, _| seen(t, c.delete_cluster(G, "c1", None).wait()),
            place: cluster,
            poll: cluster,
            failure: Failure::State("CREATING"),
            holding: Holding::State("DELETING"),
            ends: &[],
        },
        Case {
            op: "createGroupFlexCluster",
            setup: nothing,
            start: |c, t, _| seen(t, c.create_flex_cluster(G, &flex_body()).wait()),
            place: flex,
            poll: flex,
            failure: Failure::State("DELETING"),
            holding: Holding::State("CREATING"),
            ends: &["IDLE"],
        },
        Case {
            op: "updateGroupFlexCluster",
            setup: flex_exists,
            start: |c, t, _| {
                let change = model(json!({"terminationProtectionEnabled": true}));
                seen(t, c.update_flex_cluster(G, "f1", &change).wait())
            },
            place: flex,
            poll: flex,
            failure: Failure::State("DELETING"),
            holding: Holding::State("UPDATING"),
            ends: &["IDLE"],
        },
        Case {
            op: "deleteGroupFlexCluster",
            setup: flex_exists,
            start: |c, t, _| seen(t, c.delete_flex_cluster(G, "f1").wait()),
            place: flex,
            poll: flex,
            failure: Failure::State("CREATING"),
            holding: Holding::State("DELETING"),
            ends: &[],
        },
        Case {
            op: "createGroupClusterBackupRestoreJob",
            setup: nothing,
            start: |c, t, _| {
                let job = model(
                    json!({"deliveryType": "automated", "snapshotId": "6912a6b07c7425acaded35d8",
                    "targetClusterName": "Cluster0", "targetGroupId": G}),
                );
                seen(
                    t,
                    c.create_backup_restore_job(G, DEFAULT_CLUSTER, &job).wait(),
                )
            },
            place: by_id!("/clusters/Cluster0/backup/restoreJobs", "id"),
            poll: by_id!("/clusters/Cluster0/backup/restoreJobs", "id"),
            failure: Failure::Lifecycle,
            holding: Holding::Where,
            ends: &["FINISHED"],
        },
        Case {
            op: "createGroupFlexClusterBackupRestoreJob",
            // The backups of the Flex cluster the sandbox seeds.
            setup: nothing,
            start: |c, t, _| {
                let job = model(json!({"snapshotId": FLEX_SNAPSHOT,
                    "targetDeploymentItemName": DEFAULT_FLEX_CLUSTER, "targetProjectId": G}));
                seen(
                    t,
                    c.create_flex_restore_job(G, DEFAULT_FLEX_CLUSTER, &job)
                        .wait(),
                )
            },
            place: by_id!("/flexClusters/flex-demo/backup/restoreJobs", "id"),
            poll: by_id!("/flexClusters/flex-demo/backup/restoreJobs", "id"),
            failure: Failure::State("FAILED"),
            holding: Holding::State("RUNNING"),
            ends: &["COMPLETED"],
        },
        Case {
            op: "takeGroupClusterBackupSnapshots",
            setup: nothing,
            start: |c, t, _| {
                seen(
                    t,
                    c.take_snapshots(G, DEFAULT_CLUSTER, &snapshot_body())
                        .wait(),
                )
            },
            place: by_id!("/clusters/Cluster0/backup/snapshots", "id"),
            poll: by_id!("/clusters/Cluster0/backup/snapshots", "id"),
            failure: Failure::State("failed"),
            holding: Holding::State("inProgress"),
            ends: &["completed"],
        },
        Case {
            op: "deleteGroupClusterBackupSnapshot",
            setup: |c| {
                async move {
                    let snapshot = ok(c
                        .take_snapshots(G, DEFAULT_CLUSTER, &snapshot_body())
                        .without_wait())
                    .await;
                    settle().await;
                    atlas_endpoints::waiting::snapshot_id(&snapshot)
                        .expect("a snapshot id")
                        .to_owned()
                }
                .boxed()
            },
            start: |c, t, id| {
                seen(
                    t,
                    c.delete_cluster_backup_snapshot(G, DEFAULT_CLUSTER, &id)
                        .wait(),
                )
            },
            place: by_id!("/clusters/Cluster0/backup/snapshots", "id"),
            poll: by_id!("/clusters/Cluster0/backup/snapshots", "id"),
            failure: Failure::Refused,
            holding: Holding::Unavailable,
            ends: &[],
        },
        Case {
            op: "createGroupClusterSearchIndex",
            setup: nothing,
            start: |c, t, _| {
                seen(
                    t,
                    c.create_cluster_search_index(G, DEFAULT_CLUSTER, &index_body())
                        .wait(),
                )
            },
            place: index,
            poll: index,
            failure: Failure::State("FAILED"),
            holding: Holding::State("BUILDING"),
            ends: &["READY"],
        },
        Case {
            op: "updateGroupClusterSearchIndex",
            setup: index_exists,
            start: |c, t, id| {
                seen(
                    t,
                    c.update_cluster_search_index(G, DEFAULT_CLUSTER, &id, &index_update())
                        .wait(),
                )
            },
            place: index,
            poll: index,
            failure: Failure::State("FAILED"),
            holding: Holding::State("BUILDING"),
            ends: &["READY"],
        },
        Case {
            op: "deleteGroupClusterSearchIndex",
            setup: index_exists,
            start: |c, t, id| {
                seen(
                    t,
                    c.delete_cluster_search_index(G, DEFAULT_CLUSTER, &id)
                        .wait(),
                )
            },
            place: index,
            poll: index,
            failure: Failure::State("FAILED"),
            holding: Holding::State("DELETING"),
            ends: &[],
        },
        Case {
            op: "updateGroupClusterSearchIndexByName",
            setup: index_exists,
            start: |c, t, _| {
                seen(
                    t,
                    c.update_index_by_name(
                        G,
                        DEFAULT_CLUSTER,
                        "db",
                        "coll",
                        "idx",
                        &index_update(),
                    )
                    .wait(),
                )
            },
            place: index,
            poll: index_by_name,
            failure: Failure::State("FAILED"),
            holding: Holding::State("BUILDING"),
            ends: &["READY"],
        },
        Case {
            op: "deleteGroupClusterSearchIndexByName",
            setup: index_exists,
            start: |c, t, _| {
                seen(
                    t,
                    c.delete_index_by_name(G, DEFAULT_CLUSTER, "db", "coll", "idx")
                        .wait(),
                )
            },
            place: index,
            poll: index_by_name,
            failure: Failure::State("FAILED"),
            holding: Holding::State("DELETING"),
            ends: &[],
        },
        Case {
            op: "createGroupClusterSearchDeployment",
            setup: nothing,
            start: |c, t, _| {
                seen(
                    t,
                    c.create_cluster_search_deployment(G, DEFAULT_CLUSTER, &deployment_body())
                        .wait(),
                )
            },
            place: deployment,
            poll: deployment,
            // The waiter lists every state of the spec's enum.
            failure: Failure::Refused,
            holding: Holding::State("UPDATING"),
            ends: &["IDLE"],
        },
        Case {
            op: "updateGroupClusterSearchDeployment",
            setup: |c| {
                async move {
                    ok(
                        c.create_cluster_search_deployment(G, DEFAULT_CLUSTER, &deployment_body())
                            .without_wait(),
                    )
                    .await;
                    settle().await;
                    String::new()
                }
                .boxed()
            },
            start: |c, t, _| {
                seen(
                    t,
                    c.update_cluster_search_deployment(G, DEFAULT_CLUSTER, &deployment_body())
                        .wait(),
                )
            },
            place: deployment,
            poll: deployment,
            failure: Failure::Refused,
            holding: Holding::State("UPDATING"),
            ends: &["IDLE"],
        },
        Case {
            op: "createGroupPrivateEndpointEndpointService",
            setup: nothing,
            start: |c, t, _| {
                seen(
                    t,
                    c.create_private_endpoint_service(G, &service_body()).wait(),
                )
            },
            place: by_id!("/privateEndpoint/AWS/endpointService", "id"),
            poll: by_id!("/privateEndpoint/AWS/endpointService", "id"),
            failure: Failure::State("FAILED"),
            holding: Holding::State("INITIATING"),
            ends: &["WAITING_FOR_USER", "AVAILABLE"],
        },
        Case {
            op: "deleteGroupPrivateEndpointEndpointService",
            setup: |c| {
                async move {
                    let service = ok(c
                        .create_private_endpoint_service(G, &service_body())
                        .without_wait())
                    .await;
                    settle().await;
                    atlas_endpoints::waiting::endpoint_service_id(&service)
                        .expect("a service id")
                        .to_owned()
                }
                .boxed()
            },
            start: |c, t, id| seen(t, c.delete_private_endpoint_service(G, "AWS", &id).wait()),
            place: by_id!("/privateEndpoint/AWS/endpointService", "id"),
            poll: by_id!("/privateEndpoint/AWS/endpointService", "id"),
            failure: Failure::State("FAILED"),
            holding: Holding::State("DELETING"),
            ends: &[],
        },
        Case {
            op: "createGroupClusterOnlineArchive",
            setup: nothing,
            start: |c, t, _| {
                seen(
                    t,
                    c.create_online_archive(G, DEFAULT_CLUSTER, &archive_body())
                        .wait(),
                )
            },
            place: by_id!("/clusters/Cluster0/onlineArchives", "_id"),
            poll: by_id!("/clusters/Cluster0/onlineArchives", "_id"),
            failure: Failure::State("ORPHANED"),
            holding: Holding::State("PENDING"),
            ends: &["ACTIVE", "PAUSED"],
        },
        Case {
            op: "deleteGroupClusterOnlineArchive",
            setup: |c| {
                async move {
                    let archive = ok(c
                        .create_online_archive(G, DEFAULT_CLUSTER, &archive_body())
                        .without_wait())
                    .await;
                    settle().await;
                    archive.id.expect("an archive id")
                }
                .boxed()
            },
            start: |c, t, id| seen(t, c.delete_online_archive(G, DEFAULT_CLUSTER, &id).wait()),
            place: by_id!("/clusters/Cluster0/onlineArchives", "_id"),
            poll: by_id!("/clusters/Cluster0/onlineArchives", "_id"),
            failure: Failure::State("ORPHANED"),
            holding: Holding::State("DELETED"),
            ends: &[],
        },
        Case {
            op: "createGroupStreamProcessor",
            setup: |c| {
                async move {
                    let workspace = json!({"name": "t1", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}});
                    ok(c.create_stream_workspace(G, &model(workspace))).await;
                    String::new()
                }
                .boxed()
            },
            start: |c, t, _| {
                let processor = model(
                    json!({"name": "p1", "pipeline": [{"$source": {"connectionName": "sample_stream_solar"}}]}),
                );
                seen(t, c.create_stream_processor(G, "t1", &processor).wait())
            },
            place: processor,
            poll: processor,
            failure: Failure::State("FAILED"),
            holding: Holding::State("CREATING"),
            ends: &["CREATED", "STARTED"],
        },
        Case {
            op: "startGroupStreamProcessor",
            setup: processor_exists,
            start: |c, t, _| seen(t, c.start_stream_processor(G, "t1", "p1").wait()),
            place: processor,
            poll: processor,
            failure: Failure::State("FAILED"),
            holding: Holding::State("CREATED"),
            ends: &["STARTED"],
        },
        Case {
            op: "stopGroupStreamProcessor",
            setup: |c| {
                async move {
                    processor_exists(c.clone()).await;
                    ok(c.start_stream_processor(G, "t1", "p1").without_wait()).await;
                    settle().await;
                    String::new()
                }
                .boxed()
            },
            start: |c, t, _| seen(t, c.stop_stream_processor(G, "t1", "p1").wait()),
            place: processor,
            poll: processor,
            failure: Failure::State("FAILED"),
            holding: Holding::State("STARTED"),
            ends: &["STOPPED"],
        },
        Case {
            op: "deleteGroupStreamProcessor",
            setup: processor_exists,
            start: |c, t, _| seen(t, c.delete_stream_processor(G, "t1", "p1").wait()),
            place: processor,
            poll: processor,
            failure: Failure::Refused,
            holding: Holding::Unavailable,
            ends: &[],
        },
        Case {
            op: "getGroupAccessListStatus",
            setup: |c| {
                async move {
                    let entry = model(json!({"ipAddress": "192.0.2.1", "comment": "the office"}));
                    ok(c.create_access_list_entry(G, &[entry])).await;
                    String::new()
                }
                .boxed()
            },
            start: |c, t, _| seen(t, c.get_access_list_status(G, "192.0.2.1").wait()),
            place: entry,
            poll: entry_status,
            failure: Failure::State("FAILED"),
            holding: Holding::State("PENDING"),
            ends: &["ACTIVE"],
        },
    ]
}

/// A sandbox on the paused clock, a client for it that sends each request once (so a
/// fault reaches the wait, not the retries), and the case's set-up done.
async fn ready(case: &Case) -> (Sandbox, Client, String) {
    let sandbox = Sandbox::start().await.expect("the sandbox starts");
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");
    let id = (case.setup)(client.clone()).await;
    (sandbox, client, id)
}

/// Every observation until the end, or the error that ended the wait.
async fn run(mut states: BoxStream<'static, Seen_>) -> (Vec<Seen>, Option<Error>) {
    let mut seen = Vec::new();
    while let Some(next) = states.next().await {
        match next {
            Ok(observation) => seen.push(observation),
            Err(error) => return (seen, Some(error)),
        }
    }
    (seen, None)
}

/// The first observation of a wait that polls at once; the test acts on the resource while
/// the rest of the stream waits.
async fn first(case: &Case, states: &mut BoxStream<'static, Seen_>) -> Seen {
    let first = states.next().await.expect("a first observation");
    let first = first.unwrap_or_else(|error| panic!("{}: {error}", case.op));
    assert!(
        !first.done,
        "{}: the first poll found the end: {:?}",
        case.op, first.state
    );
    first
}

#[tokio::test(start_paused = true)]
async fn every_waiter_reaches_its_end_with_its_declared_timing() {
    // Each case's future is boxed: all of them inline would overflow the test's stack.
    for case in cases() {
        reaches_its_end(&case).boxed().await;
    }
}

/// One case of [`every_waiter_reaches_its_end_with_its_declared_timing`].
async fn reaches_its_end(case: &Case) {
    let (_sandbox, client, id) = ready(case).await;
    let (seen, error) = run((case.start)(client, Tuning::default(), id)).await;
    assert!(
        error.is_none(),
        "{}: {}",
        case.op,
        error.map(|e| e.to_string()).unwrap_or_default()
    );
    let last = seen
        .last()
        .unwrap_or_else(|| panic!("{}: nothing seen", case.op));
    assert!(last.done, "{}", case.op);
    match case.ends {
        [] => assert_eq!(last.state, None, "{}: a deletion ends gone", case.op),
        ends => assert!(
            ends.contains(&last.state.as_deref().unwrap_or_default()),
            "{}: ended in {:?}",
            case.op,
            last.state
        ),
    }
}

#[tokio::test(start_paused = true)]
async fn every_waiter_fails_on_a_state_it_does_not_wait_for() {
    // Each case's future is boxed: all of them inline would overflow the test's stack.
    for case in cases() {
        fails_on_a_state_it_does_not_wait_for(&case).boxed().await;
    }
}

/// One case of [`every_waiter_fails_on_a_state_it_does_not_wait_for`].
async fn fails_on_a_state_it_does_not_wait_for(case: &Case) {
    let (sandbox, client, id) = ready(case).await;
    let tuning = Tuning {
        at_once: true,
        timeout: None,
    };
    let mut states = (case.start)(client, tuning, id.clone());
    let first = first(case, &mut states).await;
    let place = (case.place)(&id, &first.resource);
    let expected = match case.failure {
        Failure::State(state) => {
            assert!(
                sandbox.set_state(&place, state),
                "{}: nothing at {place}",
                case.op
            );
            state
        }
        Failure::Lifecycle => {
            assert!(
                sandbox.fail(&place),
                "{}: nothing to fail at {place}",
                case.op
            );
            "FAILED"
        }
        Failure::Refused => {
            let poll = format!("/api/atlas/v2{}", (case.poll)(&id, &first.resource));
            sandbox.inject(&poll, [Fault::status(403)]);
            let (_, error) = run(states).await;
            let error = error.unwrap_or_else(|| panic!("{}: the wait ended well", case.op));
            assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(403),
                "{}: {error}",
                case.op
            );
            return;
        }
    };
    let (_, error) = run(states).await;
    let error = error.unwrap_or_else(|| panic!("{}: the wait ended well", case.op));
    assert_eq!(error.kind(), ErrorKind::Wait, "{}: {error}", case.op);
    assert_eq!(error.last_state(), Some(expected), "{}: {error}", case.op);
    assert!(error.to_string().contains(expected), "{}: {error}", case.op);
}

#[tokio::test(start_paused = true)]
async fn every_waiter_times_out_naming_the_state_it_was_held_in() {
    // Each case's future is boxed: all of them inline would overflow the test's stack.
    for case in cases() {
        times_out_naming_the_state_it_was_held_in(&case)
            .boxed()
            .await;
    }
}

/// One case of [`every_waiter_times_out_naming_the_state_it_was_held_in`].
async fn times_out_naming_the_state_it_was_held_in(case: &Case) {
    let (sandbox, client, id) = ready(case).await;
    let limit = Duration::from_secs(20 * 60);
    let tuning = Tuning {
        at_once: true,
        timeout: Some(limit),
    };
    let mut states = (case.start)(client, tuning, id.clone());
    let first = first(case, &mut states).await;
    let place = (case.place)(&id, &first.resource);
    let held = match case.holding {
        Holding::State(state) => {
            assert!(
                sandbox.set_state(&place, state),
                "{}: nothing at {place}",
                case.op
            );
            Some(state.to_owned())
        }
        Holding::Where => {
            assert!(sandbox.hold(&place), "{}: nothing at {place}", case.op);
            Some(first.state.clone().expect("a state"))
        }
        Holding::Unavailable => {
            let poll = format!("/api/atlas/v2{}", (case.poll)(&id, &first.resource));
            sandbox.inject(&poll, std::iter::repeat_n(Fault::status(503), 5000));
            None
        }
    };
    let (_, error) = run(states).await;
    let error = error.unwrap_or_else(|| panic!("{}: the wait ended", case.op));
    assert_eq!(error.kind(), ErrorKind::Timeout, "{}: {error}", case.op);
    assert_eq!(error.timeout_kind(), Some(TimeoutKind::Wait), "{}", case.op);
    assert_eq!(error.timeout_limit(), Some(limit), "{}", case.op);
    let message = error.to_string();
    match held {
        Some(held) => {
            assert_eq!(
                error.last_state(),
                Some(held.as_str()),
                "{}: {error}",
                case.op
            );
            assert!(
                message.contains(&format!("last state {held}")),
                "{}: {message}",
                case.op
            );
        }
        None => {
            // The last poll's failure is the cause.
            let cause = std::error::Error::source(&error).map(ToString::to_string);
            assert!(
                cause.is_some_and(|c| c.contains("503")),
                "{}: {message}",
                case.op
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn every_waiter_rides_out_server_errors_and_lost_connections() {
    // Each case's future is boxed: all of them inline would overflow the test's stack.
    for case in cases() {
        rides_out_server_errors_and_lost_connections(&case)
            .boxed()
            .await;
    }
}

/// One case of [`every_waiter_rides_out_server_errors_and_lost_connections`].
async fn rides_out_server_errors_and_lost_connections(case: &Case) {
    let (sandbox, client, id) = ready(case).await;
    let tuning = Tuning {
        at_once: true,
        timeout: None,
    };
    let mut states = (case.start)(client, tuning, id.clone());
    let first = first(case, &mut states).await;
    let poll = format!("/api/atlas/v2{}", (case.poll)(&id, &first.resource));
    sandbox.inject(
        &poll,
        [
            Fault::status(503),
            Fault::status(500),
            Fault::HtmlBadGateway,
            Fault::ResetMidBody,
            Fault::rate_limited(1, 100),
        ],
    );
    let (seen, error) = run(states).await;
    assert!(
        error.is_none(),
        "{}: {}",
        case.op,
        error.map(|e| e.to_string()).unwrap_or_default()
    );
    assert!(seen.last().is_some_and(|last| last.done), "{}", case.op);
    assert_eq!(
        sandbox.pending_faults(),
        0,
        "{}: every fault met a poll",
        case.op
    );
}
