//! `serialize_by(group_id)`: within one client, the calls of such an endpoint on one project
//! are sent one at a time (the access list takes no concurrent POSTs), while calls on other
//! projects, and clients of their own, still run at once.

mod support;

use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_endpoints::{atlas_endpoint, AtlasClient, Call, Client, NoContent};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
pub trait AccessList: AtlasClient {
    #[atlas_endpoint(POST, "/groups/<group_id>/accessList", serialize_by(group_id))]
    fn create_entry(&self, group_id: &str, #[body] entry: &serde_json::Value) -> Call<NoContent>;

    #[atlas_endpoint(DELETE, "/groups/<group_id>/accessList/<entry_value>", serialize_by(group_id))]
    fn delete_entry(&self, group_id: &str, entry_value: &str) -> Call<NoContent>;
}

impl AccessList for Client {}

const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbb";
/// How long the server takes over each request.
const SLOW: Duration = Duration::from_millis(300);

/// Answers every request after [`SLOW`], noting when each arrived.
#[derive(Clone, Default)]
struct Arrivals(Arc<Mutex<Vec<(String, Instant)>>>);

impl Respond for Arrivals {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Ok(mut arrivals) = self.0.lock() {
            arrivals.push((request.url.path().to_owned(), Instant::now()));
        }
        ResponseTemplate::new(204).set_delay(SLOW)
    }
}

/// A server that answers as [`Arrivals`] does, what it notes, and a client of it.
async fn served() -> (MockServer, Arrivals, Client) {
    let server = MockServer::start().await;
    let arrivals = Arrivals::default();
    Mock::given(wiremock::matchers::any())
        .respond_with(arrivals.clone())
        .mount(&server)
        .await;
    let client = client(&server);
    (server, arrivals, client)
}

fn client(server: &MockServer) -> Client {
    support::bearer_client(server.uri(), "t")
}

/// Sends `a` and `b` at once; both must succeed.
async fn both<A, B>(
    a: impl IntoFuture<Output = atlas_endpoints::Result<A>>,
    b: impl IntoFuture<Output = atlas_endpoints::Result<B>>,
) {
    let (a, b) = tokio::join!(a.into_future(), b.into_future());
    a.unwrap();
    b.unwrap();
}

/// The time between the first and the last arrival.
fn spread(arrivals: &Arrivals) -> Duration {
    let arrivals = arrivals.0.lock().unwrap();
    let first = arrivals.iter().map(|(_, at)| *at).min().unwrap();
    let last = arrivals.iter().map(|(_, at)| *at).max().unwrap();
    last - first
}

fn entry(cidr: &str) -> serde_json::Value {
    serde_json::json!({ "cidrBlock": cidr })
}

#[tokio::test]
async fn two_concurrent_creates_on_one_project_do_not_overlap() {
    let (_server, arrivals, client) = served().await;

    both(
        client.create_entry(A, &entry("10.0.0.0/24")),
        client.clone().create_entry(A, &entry("10.0.1.0/24")),
    )
    .await;

    // The second was sent only once the first was answered.
    assert_eq!(arrivals.0.lock().unwrap().len(), 2);
    assert!(spread(&arrivals) >= SLOW, "{:?}", spread(&arrivals));
}

#[tokio::test]
async fn a_create_and_a_delete_on_one_project_share_its_lock() {
    let (_server, arrivals, client) = served().await;
    let delete = client.delete_entry(A, "10.0.1.0/24");

    both(client.create_entry(A, &entry("10.0.0.0/24")), delete).await;

    assert!(spread(&arrivals) >= SLOW, "{:?}", spread(&arrivals));
}

#[tokio::test]
async fn creates_on_different_projects_run_at_once() {
    let (_server, arrivals, client) = served().await;

    both(
        client.create_entry(A, &entry("10.0.0.0/24")),
        client.create_entry(B, &entry("10.0.0.0/24")),
    )
    .await;

    assert!(spread(&arrivals) < SLOW / 2, "{:?}", spread(&arrivals));
}

#[tokio::test]
async fn the_lock_is_per_client() {
    let (server, arrivals, _) = served().await;
    let other = client(&server);

    both(
        client(&server).create_entry(A, &entry("10.0.0.0/24")),
        other.create_entry(A, &entry("10.0.1.0/24")),
    )
    .await;

    assert!(spread(&arrivals) < SLOW / 2, "{:?}", spread(&arrivals));
}
