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

use std::future::IntoFuture;
use std::time::Duration;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{waiting, Error, ErrorKind, RetryPolicy, TimeoutKind, Wait};
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

/// The observations of `wait` run with `tuning`, the resource as JSON.
fn seen<G, O>(tuning: Tuning, mut wait: Wait<G, O>) -> BoxStream<'static, Seen_>
where
    G: DeserializeOwned + Serialize + Send + 'static,
    O: Send + 'static,
{
    if tuning.at_once {
        wait = wait.delay(Duration::ZERO);
    }
    if let Some(timeout) = tuning.timeout {
        wait = wait.timeout(timeout);
    }
    let observations = wait.states().map(|observed| {
        observed.map(|observed| Seen {
            state: observed.state,
            resource: serde_json::to_value(&observed.resource).unwrap_or_default(),
            done: observed.done,
        })
    });
    observations.boxed()
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

/// Where a test's resource is, below `/api/atlas/v2/groups/{G}`.
#[derive(Clone, Copy)]
enum Place {
    /// At this path.
    At(&'static str),
    /// In this collection, by the id the set-up made or the one in this field of the
    /// resource the poll answered (`Null` before the first answer).
    ById(&'static str, &'static str),
}

impl Place {
    fn path(self, id: &str, resource: &Value) -> String {
        match self {
            Place::At(path) => format!("/groups/{G}{path}"),
            Place::ById(collection, field) => {
                let id = resource[field].as_str().unwrap_or(id);
                format!("/groups/{G}{collection}/{id}")
            }
        }
    }
}

/// What must exist before the wait, made with plain calls; answers an id the wait uses, or "".
type Setup = fn(Client) -> BoxFuture<'static, String>;

/// Starts the wait, with the id the set-up answered.
type Start = fn(Client, Tuning, String) -> BoxStream<'static, Seen_>;

/// One waiter under test: how to reach it, and what it does.
struct Case {
    /// The operation the wait follows.
    op: &'static str,
    setup: Setup,
    start: Start,
    /// Where the resource is, for the sandbox's controls.
    place: Place,
    /// What the wait polls, for faults.
    poll: Place,
    failure: Failure,
    holding: Holding,
    /// The states that end the wait well; empty for a wait that ends gone.
    ends: &'static [&'static str],
}

impl Case {
    /// The wait of `op` that `start` starts, on the resource at `place`, which it polls; it
    /// needs no set-up, and what ends it is still to be said ([`Case::until`]).
    fn new(op: &'static str, place: Place, start: Start) -> Self {
        Case {
            op,
            setup: nothing,
            start,
            place,
            poll: place,
            failure: Failure::Refused,
            holding: Holding::Unavailable,
            ends: &[],
        }
    }

    /// The wait needs `setup` first.
    fn after(self, setup: Setup) -> Self {
        Case { setup, ..self }
    }

    /// The wait polls `poll`, another path than where the resource is.
    fn polling(self, poll: Place) -> Self {
        Case { poll, ..self }
    }

    /// The wait ends well in one of `ends`, fails on `failure` and is held by `holding`.
    fn until(self, ends: &'static [&'static str], failure: Failure, holding: Holding) -> Self {
        Case {
            ends,
            failure,
            holding,
            ..self
        }
    }

    /// The wait ends with the resource gone, fails on `failure` and is held by `holding`.
    fn until_gone(self, failure: Failure, holding: Holding) -> Self {
        self.until(&[], failure, holding)
    }
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

fn processor_body() -> atlas_endpoints::models::StreamsProcessorRequest {
    model(
        json!({"name": "p1", "pipeline": [{"$source": {"connectionName": "sample_stream_solar"}}]}),
    )
}

/// Lets every lifecycle started so far settle (the longest lasts 20 s).
async fn settle() {
    tokio::time::sleep(Duration::from_secs(120)).await;
}

async fn ok<T>(call: impl IntoFuture<Output = atlas_endpoints::Result<T>>) -> T {
    call.await.expect("the set-up call succeeds")
}

/// Sends the set-up `call`; the wait names its resource itself.
fn sent<T, C>(call: C) -> BoxFuture<'static, String>
where
    C: IntoFuture<Output = atlas_endpoints::Result<T>> + Send + 'static,
    C::IntoFuture: Send,
    T: Send + 'static,
{
    settled_then(call, false, no_id)
}

/// Sends the set-up `call`, lets what it started settle and answers the id `id_of` reads
/// from what it made.
fn settled<T, C>(call: C, id_of: fn(&T) -> Option<&str>) -> BoxFuture<'static, String>
where
    C: IntoFuture<Output = atlas_endpoints::Result<T>> + Send + 'static,
    C::IntoFuture: Send,
    T: Send + 'static,
{
    settled_then(call, true, id_of)
}

fn settled_then<T, C>(
    call: C,
    settles: bool,
    id_of: fn(&T) -> Option<&str>,
) -> BoxFuture<'static, String>
where
    C: IntoFuture<Output = atlas_endpoints::Result<T>> + Send + 'static,
    C::IntoFuture: Send,
    T: Send + 'static,
{
    async move {
        let made = ok(call).await;
        if settles {
            settle().await;
        }
        id_of(&made).expect("the set-up made an id").to_owned()
    }
    .boxed()
}

/// No id: the wait names its resource itself.
fn no_id<T>(_: &T) -> Option<&str> {
    Some("")
}

fn nothing(_: Client) -> BoxFuture<'static, String> {
    async { String::new() }.boxed()
}

fn cluster_creating(c: Client) -> BoxFuture<'static, String> {
    sent(
        c.create_cluster(G, None, None, &cluster_body())
            .without_wait(),
    )
}

fn cluster_exists(c: Client) -> BoxFuture<'static, String> {
    let create = c.create_cluster(G, None, None, &cluster_body());
    settled(create.without_wait(), no_id)
}

fn flex_exists(c: Client) -> BoxFuture<'static, String> {
    settled(c.create_flex_cluster(G, &flex_body()).without_wait(), no_id)
}

fn workspace_exists(c: Client) -> BoxFuture<'static, String> {
    let workspace = json!({"name": "t1", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}});
    sent(c.create_stream_workspace(G, &model(workspace)))
}

fn processor_exists(c: Client) -> BoxFuture<'static, String> {
    let create = c.create_stream_processor(G, "t1", &processor_body());
    workspace_exists(c)
        .then(|_| settled(create.without_wait(), no_id))
        .boxed()
}

fn processor_started(c: Client) -> BoxFuture<'static, String> {
    let start = c.start_stream_processor(G, "t1", "p1");
    processor_exists(c)
        .then(|_| settled(start.without_wait(), no_id))
        .boxed()
}

fn index_exists(c: Client) -> BoxFuture<'static, String> {
    let create = c.create_cluster_search_index(G, DEFAULT_CLUSTER, &index_body());
    settled(create.without_wait(), waiting::search_index_id)
}

fn snapshot_exists(c: Client) -> BoxFuture<'static, String> {
    let take = c.take_snapshots(G, DEFAULT_CLUSTER, &snapshot_body());
    settled(take.without_wait(), waiting::snapshot_id)
}

fn deployment_exists(c: Client) -> BoxFuture<'static, String> {
    let create = c.create_cluster_search_deployment(G, DEFAULT_CLUSTER, &deployment_body());
    settled(create.without_wait(), no_id)
}

fn service_exists(c: Client) -> BoxFuture<'static, String> {
    let create = c.create_private_endpoint_service(G, &service_body());
    settled(create.without_wait(), waiting::endpoint_service_id)
}

fn archive_exists(c: Client) -> BoxFuture<'static, String> {
    let create = c.create_online_archive(G, DEFAULT_CLUSTER, &archive_body());
    settled(create.without_wait(), |archive| archive.id.as_deref())
}

fn entry_exists(c: Client) -> BoxFuture<'static, String> {
    let entry = model(json!({"ipAddress": "192.0.2.1", "comment": "the office"}));
    sent(c.create_access_list_entry(G, &[entry]))
}

// The resources of the tests.
const CLUSTER: Place = Place::At("/clusters/c1");
const FLEX: Place = Place::At("/flexClusters/f1");
const RESTORE_JOB: Place = Place::ById("/clusters/Cluster0/backup/restoreJobs", "id");
const FLEX_RESTORE_JOB: Place = Place::ById("/flexClusters/flex-demo/backup/restoreJobs", "id");
const SNAPSHOT: Place = Place::ById("/clusters/Cluster0/backup/snapshots", "id");
const INDEX: Place = Place::ById("/clusters/Cluster0/search/indexes", "indexID");
const INDEX_BY_NAME: Place = Place::At("/clusters/Cluster0/search/indexes/db/coll/idx");
const DEPLOYMENT: Place = Place::At("/clusters/Cluster0/search/deployment");
const SERVICE: Place = Place::ById("/privateEndpoint/AWS/endpointService", "id");
const ARCHIVE: Place = Place::ById("/clusters/Cluster0/onlineArchives", "_id");
const PROCESSOR: Place = Place::At("/streams/t1/processor/p1");
const ENTRY: Place = Place::At("/accessList/192.0.2.1");
const ENTRY_STATUS: Place = Place::At("/accessList/192.0.2.1/status");

/// A snapshot of the Flex cluster the sandbox seeds.
const FLEX_SNAPSHOT: &str = "6912a6b07c7425acaded35d8";

// A table, laid out by hand: a case a few lines.
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use Failure::{Lifecycle, Refused};
    use Holding::{Unavailable, Where};
    let fails_on = Failure::State;
    let held_in = Holding::State;
    vec![
        Case::new("createGroupCluster", CLUSTER, |c, t, _| {
            seen(t, c.create_cluster(G, None, None, &cluster_body()).wait())
        })
        .until(&["IDLE"], fails_on("DELETING"), held_in("CREATING")),
        Case::new("updateGroupCluster", CLUSTER, |c, t, _| {
            let change = model(json!({"paused": true}));
            seen(t, c.update_cluster(G, "c1", None, None, &change).wait())
        })
        .after(cluster_exists)
        .until(&["IDLE"], fails_on("DELETING"), held_in("UPDATING")),
        Case::new("getGroupCluster", CLUSTER, |c, t, _| {
            seen(t, c.get_cluster(G, "c1", None, None).wait())
        })
        .after(cluster_creating)
        .until(&["IDLE"], fails_on("DELETING"), held_in("CREATING")),
        Case::new("deleteGroupCluster", CLUSTER, |c, t, _| {
            seen(t, c.delete_cluster(G, "c1", None).wait())
        })
        .after(cluster_exists)
        .until_gone(fails_on("CREATING"), held_in("DELETING")),
        Case::new("createGroupFlexCluster", FLEX, |c, t, _| {
            seen(t, c.create_flex_cluster(G, &flex_body()).wait())
        })
        .until(&["IDLE"], fails_on("DELETING"), held_in("CREATING")),
        Case::new("updateGroupFlexCluster", FLEX, |c, t, _| {
            let change = model(json!({"terminationProtectionEnabled": true}));
            seen(t, c.update_flex_cluster(G, "f1", &change).wait())
        })
        .after(flex_exists)
        .until(&["IDLE"], fails_on("DELETING"), held_in("UPDATING")),
        Case::new("deleteGroupFlexCluster", FLEX, |c, t, _| {
            seen(t, c.delete_flex_cluster(G, "f1").wait())
        })
        .after(flex_exists)
        .until_gone(fails_on("CREATING"), held_in("DELETING")),
        Case::new("createGroupClusterBackupRestoreJob", RESTORE_JOB, |c, t, _| {
            let job = model(json!({"deliveryType": "automated", "snapshotId": "6912a6b07c7425acaded35d8",
                "targetClusterName": "Cluster0", "targetGroupId": G}));
            seen(t, c.create_backup_restore_job(G, DEFAULT_CLUSTER, &job).wait())
        })
        .until(&["FINISHED"], Lifecycle, Where),
        // The backups of the Flex cluster the sandbox seeds.
        Case::new("createGroupFlexClusterBackupRestoreJob", FLEX_RESTORE_JOB, |c, t, _| {
            let job = model(json!({"snapshotId": FLEX_SNAPSHOT,
                "targetDeploymentItemName": DEFAULT_FLEX_CLUSTER, "targetProjectId": G}));
            seen(t, c.create_flex_restore_job(G, DEFAULT_FLEX_CLUSTER, &job).wait())
        })
        .until(&["COMPLETED"], fails_on("FAILED"), held_in("RUNNING")),
        Case::new("takeGroupClusterBackupSnapshots", SNAPSHOT, |c, t, _| {
            seen(t, c.take_snapshots(G, DEFAULT_CLUSTER, &snapshot_body()).wait())
        })
        .until(&["completed"], fails_on("failed"), held_in("inProgress")),
        Case::new("deleteGroupClusterBackupSnapshot", SNAPSHOT, |c, t, id| {
            seen(t, c.delete_cluster_backup_snapshot(G, DEFAULT_CLUSTER, &id).wait())
        })
        .after(snapshot_exists)
        .until_gone(Refused, Unavailable),
        Case::new("createGroupClusterSearchIndex", INDEX, |c, t, _| {
            seen(t, c.create_cluster_search_index(G, DEFAULT_CLUSTER, &index_body()).wait())
        })
        .until(&["READY"], fails_on("FAILED"), held_in("BUILDING")),
        Case::new("updateGroupClusterSearchIndex", INDEX, |c, t, id| {
            let update = c.update_cluster_search_index(G, DEFAULT_CLUSTER, &id, &index_update());
            seen(t, update.wait())
        })
        .after(index_exists)
        .until(&["READY"], fails_on("FAILED"), held_in("BUILDING")),
        Case::new("deleteGroupClusterSearchIndex", INDEX, |c, t, id| {
            seen(t, c.delete_cluster_search_index(G, DEFAULT_CLUSTER, &id).wait())
        })
        .after(index_exists)
        .until_gone(fails_on("FAILED"), held_in("DELETING")),
        Case::new("updateGroupClusterSearchIndexByName", INDEX, |c, t, _| {
            let update = &index_update();
            seen(t, c.update_index_by_name(G, DEFAULT_CLUSTER, "db", "coll", "idx", update).wait())
        })
        .after(index_exists)
        .polling(INDEX_BY_NAME)
        .until(&["READY"], fails_on("FAILED"), held_in("BUILDING")),
        Case::new("deleteGroupClusterSearchIndexByName", INDEX, |c, t, _| {
            seen(t, c.delete_index_by_name(G, DEFAULT_CLUSTER, "db", "coll", "idx").wait())
        })
        .after(index_exists)
        .polling(INDEX_BY_NAME)
        .until_gone(fails_on("FAILED"), held_in("DELETING")),
        // The waiter lists every state of the spec's enum: no state fails it.
        Case::new("createGroupClusterSearchDeployment", DEPLOYMENT, |c, t, _| {
            let create = c.create_cluster_search_deployment(G, DEFAULT_CLUSTER, &deployment_body());
            seen(t, create.wait())
        })
        .until(&["IDLE"], Refused, held_in("UPDATING")),
        Case::new("updateGroupClusterSearchDeployment", DEPLOYMENT, |c, t, _| {
            let update = c.update_cluster_search_deployment(G, DEFAULT_CLUSTER, &deployment_body());
            seen(t, update.wait())
        })
        .after(deployment_exists)
        .until(&["IDLE"], Refused, held_in("UPDATING")),
        Case::new("createGroupPrivateEndpointEndpointService", SERVICE, |c, t, _| {
            seen(t, c.create_private_endpoint_service(G, &service_body()).wait())
        })
        .until(&["WAITING_FOR_USER", "AVAILABLE"], fails_on("FAILED"), held_in("INITIATING")),
        Case::new("deleteGroupPrivateEndpointEndpointService", SERVICE, |c, t, id| {
            seen(t, c.delete_private_endpoint_service(G, "AWS", &id).wait())
        })
        .after(service_exists)
        .until_gone(fails_on("FAILED"), held_in("DELETING")),
        Case::new("createGroupClusterOnlineArchive", ARCHIVE, |c, t, _| {
            seen(t, c.create_online_archive(G, DEFAULT_CLUSTER, &archive_body()).wait())
        })
        .until(&["ACTIVE", "PAUSED"], fails_on("ORPHANED"), held_in("PENDING")),
        Case::new("deleteGroupClusterOnlineArchive", ARCHIVE, |c, t, id| {
            seen(t, c.delete_online_archive(G, DEFAULT_CLUSTER, &id).wait())
        })
        .after(archive_exists)
        .until_gone(fails_on("ORPHANED"), held_in("DELETED")),
        Case::new("createGroupStreamProcessor", PROCESSOR, |c, t, _| {
            seen(t, c.create_stream_processor(G, "t1", &processor_body()).wait())
        })
        .after(workspace_exists)
        .until(&["CREATED", "STARTED"], fails_on("FAILED"), held_in("CREATING")),
        Case::new("startGroupStreamProcessor", PROCESSOR, |c, t, _| {
            seen(t, c.start_stream_processor(G, "t1", "p1").wait())
        })
        .after(processor_exists)
        .until(&["STARTED"], fails_on("FAILED"), held_in("CREATED")),
        Case::new("stopGroupStreamProcessor", PROCESSOR, |c, t, _| {
            seen(t, c.stop_stream_processor(G, "t1", "p1").wait())
        })
        .after(processor_started)
        .until(&["STOPPED"], fails_on("FAILED"), held_in("STARTED")),
        Case::new("deleteGroupStreamProcessor", PROCESSOR, |c, t, _| {
            seen(t, c.delete_stream_processor(G, "t1", "p1").wait())
        })
        .after(processor_exists)
        .until_gone(Refused, Unavailable),
        Case::new("getGroupAccessListStatus", ENTRY, |c, t, _| {
            seen(t, c.get_access_list_status(G, "192.0.2.1").wait())
        })
        .after(entry_exists)
        .polling(ENTRY_STATUS)
        .until(&["ACTIVE"], fails_on("FAILED"), held_in("PENDING")),
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

/// A case's wait polling at once (with `timeout`, if any), past its first observation: the
/// test acts on the resource while the rest of the stream waits.
struct Started<'a> {
    case: &'a Case,
    sandbox: Sandbox,
    id: String,
    first: Seen,
    states: BoxStream<'static, Seen_>,
}

impl<'a> Started<'a> {
    async fn new(case: &'a Case, timeout: Option<Duration>) -> Self {
        let (sandbox, client, id) = ready(case).await;
        let tuning = Tuning {
            at_once: true,
            timeout,
        };
        let mut states = (case.start)(client, tuning, id.clone());
        let first = states.next().await.expect("a first observation");
        let first = first.unwrap_or_else(|error| panic!("{}: {error}", case.op));
        assert!(
            !first.done,
            "{}: the first poll found the end: {:?}",
            case.op, first.state
        );
        Started {
            case,
            sandbox,
            id,
            first,
            states,
        }
    }

    /// Acts on the resource with one of the sandbox's controls (`set_state`, `hold`, `fail`),
    /// which must find it.
    fn control(&self, act: impl FnOnce(&Sandbox, &str) -> bool) {
        let place = self.case.place.path(&self.id, &self.first.resource);
        let found = act(&self.sandbox, &place);
        assert!(found, "{}: nothing at {place}", self.case.op);
    }

    /// Answers the wait's polls with `faults`, in turn.
    fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        let poll = self.case.poll.path(&self.id, &self.first.resource);
        self.sandbox.inject(&format!("/api/atlas/v2{poll}"), faults);
    }

    /// The error that ends the wait; the test fails if it ends well.
    async fn error(self) -> Error {
        let (_, error) = run(self.states).await;
        error.unwrap_or_else(|| panic!("{}: the wait ended without an error", self.case.op))
    }
}

/// The tests, one a check: each runs its check on every case in turn. Each case's future is
/// boxed: all of them inline would overflow the test's stack.
macro_rules! for_every_case {
    ($($test:ident: $check:ident;)*) => {$(
        #[tokio::test(start_paused = true)]
        async fn $test() {
            for case in cases() {
                $check(&case).boxed().await;
            }
        }
    )*};
}

for_every_case! {
    every_waiter_reaches_its_end_with_its_declared_timing:
        reaches_its_end;
    every_waiter_fails_on_a_state_it_does_not_wait_for:
        fails_on_a_state_it_does_not_wait_for;
    every_waiter_times_out_naming_the_state_it_was_held_in:
        times_out_naming_the_state_it_was_held_in;
    every_waiter_rides_out_server_errors_and_lost_connections:
        rides_out_server_errors_and_lost_connections;
}

/// Fails the test, naming the case, if the wait ended with `error`.
fn assert_no_error(case: &Case, error: Option<Error>) {
    assert!(
        error.is_none(),
        "{}: {}",
        case.op,
        error.map(|e| e.to_string()).unwrap_or_default()
    );
}

/// The case's wait, with its declared timing, ends in one of its end states (or gone).
async fn reaches_its_end(case: &Case) {
    let (_sandbox, client, id) = ready(case).await;
    let (seen, error) = run((case.start)(client, Tuning::default(), id)).await;
    assert_no_error(case, error);
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

/// The case's wait fails once the resource shows its failing state (or the poll is refused).
async fn fails_on_a_state_it_does_not_wait_for(case: &Case) {
    let started = Started::new(case, None).await;
    let expected = match case.failure {
        Failure::State(state) => {
            started.control(|sandbox, place| sandbox.set_state(place, state));
            state
        }
        Failure::Lifecycle => {
            started.control(Sandbox::fail);
            "FAILED"
        }
        Failure::Refused => {
            started.inject([Fault::status(403)]);
            let error = started.error().await;
            let status = error.status().map(|s| s.as_u16());
            assert_eq!(status, Some(403), "{}: {error}", case.op);
            return;
        }
    };
    let error = started.error().await;
    assert_eq!(error.kind(), ErrorKind::Wait, "{}: {error}", case.op);
    assert_eq!(error.last_state(), Some(expected), "{}: {error}", case.op);
    assert!(error.to_string().contains(expected), "{}: {error}", case.op);
}

/// The case's wait, its resource held, times out naming the state it was held in (or the
/// poll's failure).
async fn times_out_naming_the_state_it_was_held_in(case: &Case) {
    let limit = Duration::from_secs(20 * 60);
    let started = Started::new(case, Some(limit)).await;
    let held = match case.holding {
        Holding::State(state) => {
            started.control(|sandbox, place| sandbox.set_state(place, state));
            Some(state.to_owned())
        }
        Holding::Where => {
            started.control(Sandbox::hold);
            Some(started.first.state.clone().expect("a state"))
        }
        Holding::Unavailable => {
            started.inject(std::iter::repeat_n(Fault::status(503), 5000));
            None
        }
    };
    let error = started.error().await;
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

/// The case's wait ends well through `5xx` answers, a lost connection and a `429`.
async fn rides_out_server_errors_and_lost_connections(case: &Case) {
    let started = Started::new(case, None).await;
    started.inject([
        Fault::status(503),
        Fault::status(500),
        Fault::HtmlBadGateway,
        Fault::ResetMidBody,
        Fault::rate_limited(1, 100),
    ]);
    let (seen, error) = run(started.states).await;
    assert_no_error(case, error);
    assert!(seen.last().is_some_and(|last| last.done), "{}", case.op);
    assert_eq!(
        started.sandbox.pending_faults(),
        0,
        "{}: every fault met a poll",
        case.op
    );
}
