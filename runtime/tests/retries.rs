//! Retries are bounded client-wide and honest: a retry budget shared by every clone keeps a
//! failing server from being stormed, and a `Retry-After` longer than the policy waits ends
//! the call instead of retrying early into the same answer.

mod support;

use std::time::Duration;

use atlas_endpoints_runtime::{Client, RetryBudget, RetryPolicy};
use wiremock::{MockServer, ResponseTemplate};

fn client(server: &MockServer, budget: RetryBudget) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .retry_budget(budget)
        .build()
        .unwrap()
}

async fn answering(status: u16) -> MockServer {
    support::serving(ResponseTemplate::new(status)).await
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

/// 64 calls, spread over 4 clones of one client.
async fn storm(client: &Client) -> Vec<atlas_endpoints_runtime::Result<serde_json::Value>> {
    let clones: Vec<Client> = (0..4).map(|_| client.clone()).collect();
    let calls = (0..64).map(|i| {
        std::future::IntoFuture::into_future(support::get_root(&clones[i % clones.len()]))
    });
    futures::future::join_all(calls).await
}

#[tokio::test]
async fn sixty_four_calls_against_an_endless_503_share_one_retry_budget() {
    let server = answering(503).await;
    let client = client(&server, RetryBudget::default());

    let results = storm(&client).await;

    assert!(results.iter().all(Result::is_err));
    // The default budget: 100 tokens, 5 a retry, so 20 retries for all clones together.
    assert_eq!(request_count(&server).await, 64 + 20, "not 64 × 3 = 192");
    let spent = results
        .iter()
        .filter_map(|result| result.as_ref().err())
        .filter(|error| error.to_string().contains("retry budget is spent"))
        .count();
    assert!(
        spent >= 64 - 20,
        "calls that could not retry say why ({spent})"
    );
}

#[tokio::test]
async fn an_unlimited_budget_retries_every_call_in_full() {
    let server = answering(503).await;

    let results = storm(&client(&server, RetryBudget::unlimited())).await;

    assert!(results.iter().all(Result::is_err));
    assert_eq!(request_count(&server).await, 64 * 3);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_waits_gives_up_saying_so() {
    let server =
        support::serving(ResponseTemplate::new(429).insert_header("Retry-After", "3600")).await;

    let error = support::get_root(&client(&server, RetryBudget::default()))
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(error.attempts(), 1);
    assert!(
        error.to_string().contains(
            "the server asked to wait 3600 s (`Retry-After`), longer than the retry policy waits (60 s"
        ),
        "{error}"
    );
    assert_eq!(
        request_count(&server).await,
        1,
        "no retry into a certain 429"
    );
}
