//! Waiters declared by hand, as a library author writes them, against the sandbox's
//! lifecycles on tokio's paused clock.
#![cfg(feature = "clusters")]

mod support;

use std::time::Duration;

use atlas_endpoints::models::{
    ClusterDescription, ClusterDescriptionRequest, ClusterDescriptionStateName,
};
use atlas_endpoints::{
    atlas_endpoint, AtlasClient, Call, Client, ErrorKind, NoContent, TimeoutKind, WaitFor,
    WaitForGone,
};
use atlas_endpoints_sandbox::{Sandbox, DEFAULT_GROUP_ID};
use std::future::IntoFuture as _;

use futures::StreamExt as _;

const GROUP: &str = DEFAULT_GROUP_ID;

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

    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/clusters/<cluster_name>",
        version = "2024-08-05"
    )]
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

#[tokio::test(start_paused = true)]
async fn a_created_cluster_is_waited_for_until_idle() {
    let (_sandbox, client) = sandbox().await;
    let mut states = client.create_cluster(GROUP, &cluster("c1")).wait().states();
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
    let error = client
        .create_cluster(GROUP, &cluster("c2"))
        .wait()
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
    client
        .create_cluster(GROUP, &cluster("c3"))
        .wait()
        .await
        .expect("created");
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
    let cluster = client
        .create_cluster(GROUP, &cluster("c4"))
        .wait()
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
    let wait = client
        .create_cluster(GROUP, &cluster("c5"))
        .wait()
        .into_future();
    let outcome = tokio::time::timeout(Duration::from_secs(12), wait).await;
    assert!(outcome.is_err(), "creating lasts 20 s");
    let polls = sandbox.request_count();
    tokio::time::sleep(Duration::from_secs(300)).await;
    assert_eq!(
        sandbox.request_count(),
        polls,
        "no poll after the wait was dropped"
    );
}
