//! Transient faults are retried to success; the rest become typed errors. Every case runs
//! against a real loopback server and counts the requests it received.

#![allow(deprecated)]

mod support;

use std::collections::HashSet;
use std::time::Duration;

use atlas_endpoints::{
    atlas_endpoint, AtlasClient, Call, Client, ErrorKind, ServerlessBackupRestoreJob,
};
use atlas_endpoints_sandbox::{Fault, ListingQuirk, Sandbox};
use support::{
    all, error_of, fast_client, first_page_len, restore_jobs, sandbox_with, GROUP, JOBS_PATH,
};

/// A sandbox with five restore jobs, whose listing answers with `faults` first.
async fn faulted(faults: impl IntoIterator<Item = Fault>) -> Sandbox {
    let sandbox = sandbox_with(5).await;
    sandbox.inject(JOBS_PATH, faults);
    sandbox
}

#[tokio::test]
async fn two_503s_then_success_takes_three_requests() {
    let sandbox = faulted([Fault::status(503), Fault::status(503)]).await;

    assert_eq!(first_page_len(&fast_client(&sandbox)).await.unwrap(), 5);

    assert_eq!(sandbox.request_count(), 3);
    assert_eq!(sandbox.pending_faults(), 0);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let sandbox = faulted([Fault::rate_limited(1, 100)]).await;
    let started = std::time::Instant::now();

    assert_eq!(first_page_len(&fast_client(&sandbox)).await.unwrap(), 5);

    assert_eq!(sandbox.request_count(), 2);
    // Retry-After is one second; the computed backoff alone would be a few milliseconds.
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn persistent_503s_give_up_after_the_configured_attempts() {
    let sandbox = faulted(std::iter::repeat_n(Fault::status(503), 5)).await;

    let error = first_page_len(&fast_client(&sandbox)).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.attempts(), 3);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert_eq!(sandbox.request_count(), 3);
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried() {
    let sandbox = faulted([Fault::ResetMidBody]).await;

    assert_eq!(first_page_len(&fast_client(&sandbox)).await.unwrap(), 5);
    assert_eq!(sandbox.request_count(), 2);
}

#[tokio::test]
async fn an_html_502_page_is_retried_and_kept_raw_when_it_persists() {
    let sandbox = faulted([Fault::HtmlBadGateway]).await;
    assert_eq!(first_page_len(&fast_client(&sandbox)).await.unwrap(), 5);

    sandbox.inject(JOBS_PATH, std::iter::repeat_n(Fault::HtmlBadGateway, 3));
    let error = first_page_len(&fast_client(&sandbox)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(error.api_error().is_none());
    assert!(String::from_utf8_lossy(error.body().unwrap()).contains("<html"));
    assert_eq!(sandbox.request_count(), 2 + 3);
}

#[tokio::test]
async fn truncated_and_invalid_json_are_decode_errors_sent_once() {
    let sandbox = sandbox_with(5).await;
    let client = fast_client(&sandbox);

    sandbox.inject(JOBS_PATH, [Fault::TruncatedJson]);
    let truncated = first_page_len(&client).await.unwrap_err();
    sandbox.inject(JOBS_PATH, [Fault::InvalidJson]);
    let invalid = first_page_len(&client).await.unwrap_err();

    assert_eq!(truncated.kind(), ErrorKind::Decode);
    assert_eq!(invalid.kind(), ErrorKind::Decode);
    assert_eq!(invalid.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(sandbox.request_count(), 2);
}

#[tokio::test]
async fn a_delay_past_the_timeout_is_a_timeout_error_and_calls_can_override_it() {
    let sandbox = sandbox_with(5).await;
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    sandbox.inject(JOBS_PATH, [Fault::Delay(Duration::from_millis(600))]);
    let error = first_page_len(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.is_timeout());
    assert_eq!(
        sandbox.request_count(),
        1,
        "timeouts are the caller's bound, not retried"
    );

    sandbox.inject(JOBS_PATH, [Fault::Delay(Duration::from_millis(400))]);
    let page = restore_jobs(&client)
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(page.results().len(), 5);
}

trait Orders: AtlasClient {
    #[atlas_endpoint(POST, "/groups/<group_id>/orders")]
    fn create_order(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[body] order: &serde_json::Value,
    ) -> Call<serde_json::Value>;
}

trait IdempotentOrders: AtlasClient {
    #[atlas_endpoint(POST, "/groups/<group_id>/orders", idempotent)]
    fn place_order(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[body] order: &serde_json::Value,
    ) -> Call<serde_json::Value>;
}

impl Orders for Client {}
impl IdempotentOrders for Client {}

/// Sends the POST that `order` makes of `{"size": size}` to a sandbox that answers the
/// orders path with two 503s first (and, as it has no such route, 404 after them): the
/// sandbox, and the status and attempts of the error the call ends with.
async fn order_after_two_503s(
    size: u32,
    order: impl FnOnce(&Client, &serde_json::Value) -> Call<serde_json::Value>,
) -> (Sandbox, (Option<u16>, u32)) {
    let sandbox = sandbox_with(1).await;
    let path = format!("/api/atlas/v2/groups/{GROUP}/orders");
    sandbox.inject(&path, [Fault::status(503), Fault::status(503)]);
    let body = serde_json::json!({ "size": size });
    let error = error_of(order(&fast_client(&sandbox), &body)).await;
    let ended = (error.status().map(|s| s.as_u16()), error.attempts());
    (sandbox, ended)
}

#[tokio::test]
async fn a_post_is_sent_once_even_on_503() {
    let (sandbox, ended) =
        order_after_two_503s(1, |client, order| client.create_order(GROUP, order)).await;

    assert_eq!(ended, (Some(503), 1), "status and attempts");
    assert_eq!(sandbox.request_count(), 1);
    assert_eq!(sandbox.requests()[0].body, br#"{"size":1}"#);
}

#[tokio::test]
async fn a_post_declared_idempotent_is_retried_with_its_body() {
    // The sandbox has no such route: after the two faults it answers 404.
    let (sandbox, ended) =
        order_after_two_503s(2, |client, order| client.place_order(GROUP, order)).await;

    assert_eq!(ended, (Some(404), 3), "status and attempts");
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.body == br#"{"size":2}"#));
}

fn ids(jobs: &[ServerlessBackupRestoreJob]) -> Vec<String> {
    jobs.iter().map(|job| job.id.clone().unwrap()).collect()
}

#[tokio::test]
async fn a_concurrent_listing_of_10000_jobs_yields_each_once_in_order() {
    let sandbox = sandbox_with(10_000).await;
    let client = fast_client(&sandbox);

    let concurrent = all(restore_jobs(&client).concurrency(8)).await;
    assert_eq!(sandbox.request_count(), 100);
    let sequential = all(restore_jobs(&client).concurrency(1).items_per_page(500)).await;

    assert_eq!(concurrent.len(), 10_000);
    assert_eq!(
        ids(&concurrent).into_iter().collect::<HashSet<_>>().len(),
        10_000
    );
    assert_eq!(ids(&concurrent), ids(&sequential));
}

#[tokio::test]
async fn a_server_repeating_the_same_page_ends_with_an_error_not_duplicates() {
    let sandbox = sandbox_with(250).await;
    sandbox.set_listing_quirk(ListingQuirk::SamePageForever);

    let error = restore_jobs(&fast_client(&sandbox))
        .collect_all()
        .await
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(error.to_string().contains("repeats"), "{error}");
    // The first page, and at most the pages already in flight when the repeat was seen.
    assert!(sandbox.request_count() <= 1 + atlas_endpoints::DEFAULT_PAGE_CONCURRENCY);
}

#[tokio::test]
async fn a_count_that_grows_during_the_listing_is_followed_without_duplicates() {
    let sandbox = sandbox_with(250).await;
    sandbox.set_listing_quirk(ListingQuirk::GrowingCount);

    let jobs = all(restore_jobs(&fast_client(&sandbox))).await;

    assert_eq!(jobs.len(), 250);
    assert_eq!(ids(&jobs).into_iter().collect::<HashSet<_>>().len(), 250);
}

#[tokio::test]
async fn next_links_past_the_end_stop_at_the_empty_page() {
    let sandbox = sandbox_with(300).await;
    sandbox.set_listing_quirk(ListingQuirk::NextLinkPastTheEnd);

    let jobs = all(restore_jobs(&fast_client(&sandbox)).include_count(false)).await;

    assert_eq!(jobs.len(), 300);
    // Three full pages, the empty fourth that ends it, and at most one read-ahead.
    assert!((4..=5).contains(&sandbox.request_count()));
}
