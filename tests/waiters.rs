//! Waiters declared by hand, as a library author writes them, against the sandbox's
//! lifecycles on tokio's paused clock.
#![cfg(feature = "clusters")]

mod support;

use std::time::Duration;

use atlas_endpoints::models::{
    ClusterDescription, ClusterDescriptionRequest, ClusterDescriptionStateName,
    FlexBackupRestoreJob, FlexBackupRestoreJobCreate, FlexBackupRestoreJobStatus,
};
use atlas_endpoints::{
    atlas_endpoint, AtlasClient, Call, Client, ErrorKind, NoContent, TimeoutKind, WaitFor,
    WaitForGone,
};
use atlas_endpoints_sandbox::{Sandbox, DEFAULT_GROUP_ID};
use std::future::IntoFuture as _;

use futures::StreamExt as _;

const GROUP: &str = DEFAULT_GROUP_ID;

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
trait ClusterWaits: AtlasClient {
    #[atlas_endpoint(
        POST,
        "/groups/<group_id>/clusters",
        version = "2024-10-23",
        wait(
            poll = get_cluster(group_id, &body.name),
            state = state_name: ClusterDescriptionStateName,
            pending = [Creating, Updating, Repairing],
            target = [Idle],
            delay = "1s",
            poll_interval = "5s",
            timeout = "10m",
        )
    )]
    fn create_cluster(
        &self,
        #[path(pattern = r"^([a-f0-9]{24})$")] group_id: &str,
        #[body] body: &ClusterDescriptionRequest,
    ) -> Call<ClusterDescription, WaitFor<ClusterDescription>>;

    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<cluster_name>", version = "2024-08-05")]
    fn get_cluster(&self, group_id: &str, cluster_name: &str) -> Call<ClusterDescription>;

    #[atlas_endpoint(
        DELETE,
        "/groups/<group_id>/clusters/<cluster_name>",
        version = "2023-02-01",
        wait(
            poll = get_cluster(group_id, cluster_name),
            state = state_name: ClusterDescriptionStateName,
            pending = [Deleting, Idle],
            gone,
            delay = "1s",
            poll_interval = "5s",
        )
    )]
    fn delete_cluster(
        &self,
        group_id: &str,
        cluster_name: &str,
    ) -> Call<NoContent, WaitForGone<ClusterDescription>>;
}

impl ClusterWaits for Client {}

fn cluster(name: &str) -> ClusterDescriptionRequest {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "clusterType": "REPLICASET",
        "replicationSpecs": [{"regionConfigs": [{
            "providerName": "AWS", "regionName": "US_EAST_1", "priority": 7,
            "electableSpecs": {"instanceSize": "M10", "nodeCount": 3}
        }]}]
    }))
    .expect("a cluster request")
}

async fn sandbox() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().await.expect("the sandbox starts");
    let client = support::client_for(&sandbox);
    (sandbox, client)
}

/// The wait of a create of cluster `name` in `GROUP`.
fn creating(client: &Client, name: &str) -> atlas_endpoints::Wait<ClusterDescription> {
    client.create_cluster(GROUP, &cluster(name)).wait()
}

#[tokio::test(start_paused = true)]
async fn a_created_cluster_is_waited_for_until_idle() {
    let (_sandbox, client) = sandbox().await;
    let mut states = creating(&client, "c1").states();
    let mut seen = Vec::new();
    while let Some(observation) = states.next().await {
        let observation = observation.expect("the wait goes on");
        seen.push(observation.state.clone().unwrap_or_default());
        if observation.done {
            assert_eq!(
                observation.resource.expect("a resource").name.as_deref(),
                Some("c1")
            );
        }
    }
    assert_eq!(seen, ["CREATING", "IDLE"]);
}

#[tokio::test(start_paused = true)]
async fn a_wait_times_out_naming_the_last_state() {
    let (_sandbox, client) = sandbox().await;
    let error = creating(&client, "c2")
        .timeout(Duration::from_secs(8))
        .await
        .expect_err("creating takes 20 s");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.timeout_kind(), Some(TimeoutKind::Wait));
    assert_eq!(error.last_state(), Some("CREATING"));
    let message = error.to_string();
    assert!(message.contains("last state CREATING"), "{message}");
}

#[tokio::test(start_paused = true)]
async fn a_deleted_cluster_is_waited_for_until_gone() {
    let (_sandbox, client) = sandbox().await;
    creating(&client, "c3").await.expect("created");
    client
        .delete_cluster(GROUP, "c3")
        .wait()
        .await
        .expect("deleted");
    let error = client.get_cluster(GROUP, "c3").await.expect_err("gone");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test(start_paused = true)]
async fn a_wait_outlives_its_service_account_token_and_renews_it() {
    let sandbox = Sandbox::builder()
        .service_account("mdb_sa_id_waits", "mdb_sa_sk_waits")
        .token_lifetime(Duration::from_secs(10))
        .start()
        .await
        .expect("the sandbox starts");
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .service_account("mdb_sa_id_waits", "mdb_sa_sk_waits")
        .build()
        .expect("a client");
    // Creating lasts 20 s and the wait polls every 5 s: tokens of 10 s run out on the way.
    let cluster = creating(&client, "c4")
        .await
        .expect("the wait renews its token");
    assert_eq!(cluster.state_name, Some(ClusterDescriptionStateName::Idle));
    assert!(
        sandbox.token_request_count() >= 2,
        "{} token requests",
        sandbox.token_request_count()
    );
}

#[tokio::test(start_paused = true)]
async fn dropping_a_wait_stops_its_polls() {
    let (sandbox, client) = sandbox().await;
    let wait = creating(&client, "c5").into_future();
    let outcome = tokio::time::timeout(Duration::from_secs(12), wait).await;
    assert!(outcome.is_err(), "creating lasts 20 s");
    let polls = sandbox.request_count();
    assert!(
        polls >= 3,
        "the create and two polls (after 1 s and 6 s) were sent: {polls}"
    );
    tokio::time::sleep(Duration::from_secs(300)).await;
    assert_eq!(
        sandbox.request_count(),
        polls,
        "no poll after the wait was dropped"
    );
}

#[tokio::test(start_paused = true)]
async fn a_timeout_of_duration_max_is_no_limit_and_a_zero_interval_no_busy_loop() {
    let (sandbox, client) = sandbox().await;
    let cluster = creating(&client, "c6")
        .timeout(Duration::MAX)
        .poll_interval(Duration::ZERO)
        .await
        .expect("created");
    assert_eq!(cluster.state_name, Some(ClusterDescriptionStateName::Idle));
    // 20 s of creating, polled every 100 ms at the most often: not thousands of polls.
    assert!(
        sandbox.request_count() <= 250,
        "{} requests",
        sandbox.request_count()
    );
}

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
trait FlexJobs: AtlasClient {
    #[atlas_endpoint(
        POST,
        "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs",
        version = "2024-11-13",
        wait(
            poll = get_flex_job(group_id, name, response.id),
            state = status: FlexBackupRestoreJobStatus,
            pending = [Pending, Queued, Running],
            target = [Completed],
            failed = [Failed],
        )
    )]
    fn create_flex_job(
        &self,
        group_id: &str,
        name: &str,
        #[body] body: &FlexBackupRestoreJobCreate,
    ) -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;

    #[atlas_endpoint(GET,
        "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs/<restore_job_id>",
        version = "2024-11-13")]
    fn get_flex_job(
        &self,
        group_id: &str,
        name: &str,
        restore_job_id: &str,
    ) -> Call<FlexBackupRestoreJob>;
}

impl FlexJobs for Client {}

#[tokio::test]
async fn an_answer_without_the_id_to_poll_by_ends_the_wait_naming_the_parameter() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = support::bearer_client(server.uri(), "token");
    let job: FlexBackupRestoreJobCreate = serde_json::from_value(serde_json::json!({
        "snapshotId": "6912a6b07c7425acaded35d8", "targetDeploymentItemName": "f1"
    }))
    .expect("a job");
    let error = client
        .create_flex_job(GROUP, "f1", &job)
        .wait()
        .delay(Duration::ZERO)
        .await
        .expect_err("there is no id to poll by");
    let detail = error
        .invalid_argument_detail()
        .expect("a refused path value");
    assert_eq!(detail.parameter, "restore_job_id");
    assert_eq!(detail.rule, atlas_endpoints::Rule::FromAnswer);
    assert!(error.to_string().contains("while waiting"), "{error}");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "the create only: no poll went out");
}

#[tokio::test(start_paused = true)]
async fn a_poll_that_would_be_refused_stops_the_wait_before_the_call_is_sent() {
    let (sandbox, client) = sandbox().await;
    let unnamed: ClusterDescriptionRequest =
        serde_json::from_value(serde_json::json!({"clusterType": "REPLICASET"}))
            .expect("a request");
    let before = sandbox.request_count();
    let error = client
        .create_cluster(GROUP, &unnamed)
        .wait()
        .await
        .expect_err("the poll has no cluster name");
    let detail = error.invalid_argument_detail().expect("a refused argument");
    assert_eq!(detail.parameter, "cluster_name");
    assert_eq!(detail.rule, atlas_endpoints::Rule::NotEmpty);
    assert!(error.to_string().contains("nothing was sent"), "{error}");
    assert_eq!(sandbox.request_count(), before, "the create was not sent");
}
