//! Time is bounded: a stalled server, a stalled token endpoint and long retry waits all end
//! a call, with an error naming the timeout that passed and its value. Nothing here measures
//! how fast: the servers stall for far longer than the bounds, so a missing bound shows as a
//! wrong answer or a test that does not end.

mod support;

use std::time::Duration;

use atlas_endpoints_runtime::{Client, ClientBuilder, Error, ErrorKind, RetryPolicy, TimeoutKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Far longer than any bound under test.
const STALL: Duration = Duration::from_secs(30);

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// `{}`, as the API's answer.
fn empty_object() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({}))
}

/// A builder for the server at `server` with a bearer token.
fn bearer_builder(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri()).bearer_token("t")
}

/// The error of a call of `client` with a whole-call timeout of 200 ms, which must be that
/// timeout's.
async fn past_a_call_timeout_of_200_ms(client: &Client) -> Error {
    let error = support::get_root(client)
        .timeout(Duration::from_millis(200))
        .await
        .unwrap_err();
    assert_eq!(error.timeout_kind(), Some(TimeoutKind::Call), "{error}");
    error
}

async fn requests_to(server: &MockServer, wanted: &str) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().filter(|r| r.url.path() == wanted).count()
}

#[tokio::test]
async fn a_stalled_attempt_ends_at_the_attempt_timeout_and_is_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/atlas/v2/"))
        .respond_with(ResponseTemplate::new(200).set_delay(STALL))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    support::answer_root(&server, empty_object()).await;
    let client = bearer_builder(&server)
        .attempt_timeout(Duration::from_millis(200))
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let answer = support::get_root(&client)
        .await
        .expect("the second attempt answers");

    assert_eq!(answer, serde_json::json!({}));
    assert_eq!(requests_to(&server, "/api/atlas/v2/").await, 2);
}

#[tokio::test]
async fn attempts_that_all_stall_fail_naming_the_per_attempt_timeout() {
    let server = MockServer::start().await;
    support::answer_root(&server, ResponseTemplate::new(200).set_delay(STALL)).await;
    let client = bearer_builder(&server)
        .attempt_timeout(Duration::from_millis(100))
        .retry_policy(fast_retries())
        .max_attempts(2)
        .build()
        .unwrap();

    let error = support::get_root(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(error.timeout_kind(), Some(TimeoutKind::Attempt));
    assert_eq!(error.timeout_limit(), Some(Duration::from_millis(100)));
    assert_eq!(error.attempts(), 2);
    let message = error.to_string();
    assert!(
        message.contains("per-attempt timeout (`attempt_timeout`) of 100 ms"),
        "{message}"
    );
}

#[tokio::test]
async fn the_whole_call_timeout_bounds_a_stall_that_no_attempt_timeout_does() {
    let server = MockServer::start().await;
    support::answer_root(&server, ResponseTemplate::new(200).set_delay(STALL)).await;
    let client = support::bearer_client(server.uri());

    let error = past_a_call_timeout_of_200_ms(&client).await;

    support::assert_says(&error, "whole-call timeout (`timeout`) of 200 ms");
}

#[tokio::test]
async fn a_retry_wait_past_the_whole_call_timeout_is_not_waited_for() {
    let server = MockServer::start().await;
    support::answer_root(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", "5"),
    )
    .await;
    let client = support::bearer_client(server.uri());

    // Before: two waits of 5 s, three requests, and a 503 after 10 s despite `.timeout(1 s)`.
    let error = support::get_root(&client)
        .timeout(Duration::from_secs(1))
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    assert_eq!(error.attempts(), 1);
    support::assert_says(
        &error,
        "waiting 5 s first would pass the whole-call timeout of 1 s",
    );
    assert_eq!(requests_to(&server, "/api/atlas/v2/").await, 1);
}

async fn stalled_token_endpoint() -> MockServer {
    let server = MockServer::start().await;
    support::answer_token(&server, ResponseTemplate::new(200).set_delay(STALL)).await;
    support::answer_root(&server, empty_object()).await;
    server
}

/// A builder for the server at `server` with a service account.
fn service_account_builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .service_account("mdb_sa_id_stall", "mdb_sa_sk_stall")
}

#[tokio::test]
async fn a_stalled_token_request_ends_at_the_token_timeout_and_frees_the_clones() {
    let server = stalled_token_endpoint().await;
    let client = service_account_builder(&server)
        .token_timeout(Duration::from_millis(200))
        .no_timeouts()
        .build()
        .unwrap();
    let clone = client.clone();

    // Neither call has a call or attempt timeout: only the token timeout can end them.
    let (first, second) = tokio::join!(
        std::future::IntoFuture::into_future(support::get_root(&client)),
        std::future::IntoFuture::into_future(support::get_root(&clone)),
    );

    let first = first.unwrap_err();
    let second = second.unwrap_err();
    let timed_out = [&first, &second]
        .into_iter()
        .find(|error| error.kind() == ErrorKind::Timeout)
        .expect("one of the calls sent the token request");
    assert_eq!(timed_out.timeout_kind(), Some(TimeoutKind::Token));
    support::assert_says(
        &timed_out,
        "token request timeout (`token_timeout`) of 200 ms",
    );
    assert_eq!(requests_to(&server, "/api/oauth/token").await, 1);
    assert_eq!(requests_to(&server, "/api/atlas/v2/").await, 0);
}

#[tokio::test]
async fn the_whole_call_timeout_bounds_the_token_request_too() {
    let server = stalled_token_endpoint().await;
    let client = service_account_builder(&server).build().unwrap();

    let error = past_a_call_timeout_of_200_ms(&client).await;

    assert_eq!(error.timeout_limit(), Some(Duration::from_millis(200)));
}
