//! The three ways to authenticate, against the sandbox (and wiremock for scripted token
//! endpoint failures): round trips, renewal, retries, and secrets that never show.

#![allow(deprecated)]

mod support;

use std::time::Duration;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{Client, ErrorKind};
use atlas_endpoints_sandbox::{DigestAlgorithm, Sandbox, SandboxBuilder};
use futures::future::join_all;
use support::{first_page_len, GROUP, INSTANCE, JOBS_PATH};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PUBLIC_KEY: &str = "abcdefgh";
const PRIVATE_KEY: &str = "1c4e6f8a-private-key-value-2b3d";
const CLIENT_ID: &str = "mdb_sa_id_6655443322110099aabbccdd";
const CLIENT_SECRET: &str = "mdb_sa_sk_client-secret-value";

/// A sandbox to be, with five restore jobs for `INSTANCE`.
fn five_jobs() -> SandboxBuilder {
    Sandbox::builder().instance(GROUP, INSTANCE, 5)
}

async fn digest_sandbox(algorithm: DigestAlgorithm) -> Sandbox {
    let keys = five_jobs().digest_key(PUBLIC_KEY, PRIVATE_KEY);
    keys.digest_algorithm(algorithm).start().await.unwrap()
}

async fn service_account_sandbox(lifetime: Duration) -> Sandbox {
    let account = five_jobs().service_account(CLIENT_ID, CLIENT_SECRET);
    account.token_lifetime(lifetime).start().await.unwrap()
}

fn digest_client(sandbox: &Sandbox, private_key: &str) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .api_key(PUBLIC_KEY, private_key)
        .build()
        .unwrap()
}

fn service_account_client(base_url: &str, secret: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .service_account(CLIENT_ID, secret)
        .build()
        .unwrap()
}

#[tokio::test]
async fn digest_costs_one_extra_round_trip_once_then_one_per_call() {
    let sandbox = digest_sandbox(DigestAlgorithm::Md5).await;
    let client = digest_client(&sandbox, PRIVATE_KEY);

    assert_eq!(first_page_len(&client).await.unwrap(), 5);
    assert_eq!(sandbox.request_count(), 2, "challenge, then the answer");
    assert_eq!(
        sandbox.requests()[1]
            .header("authorization")
            .map(|h| h.starts_with("Digest ")),
        Some(true)
    );

    for _ in 0..99 {
        first_page_len(&client).await.unwrap();
    }
    assert_eq!(sandbox.request_count(), 101, "100 calls, 101 requests");
}

#[tokio::test]
async fn digest_with_sha_256_works_too() {
    let sandbox = digest_sandbox(DigestAlgorithm::Sha256).await;
    let client = digest_client(&sandbox, PRIVATE_KEY);

    assert_eq!(first_page_len(&client).await.unwrap(), 5);
    assert_eq!(first_page_len(&client).await.unwrap(), 5);
    assert_eq!(sandbox.request_count(), 3);
    assert!(sandbox.requests()[2]
        .header("authorization")
        .unwrap()
        .contains("SHA-256"));
}

#[tokio::test]
async fn a_stale_nonce_is_replaced_with_one_retry() {
    let sandbox = digest_sandbox(DigestAlgorithm::Md5).await;
    let client = digest_client(&sandbox, PRIVATE_KEY);
    first_page_len(&client).await.unwrap();

    sandbox.expire_nonces();
    assert_eq!(first_page_len(&client).await.unwrap(), 5);

    assert_eq!(
        sandbox.request_count(),
        2 + 2,
        "stale answer, then the new nonce"
    );
    first_page_len(&client).await.unwrap();
    assert_eq!(sandbox.request_count(), 5, "steady again");
}

#[tokio::test]
async fn a_wrong_private_key_is_a_typed_401_without_a_loop() {
    let sandbox = digest_sandbox(DigestAlgorithm::Md5).await;
    let client = digest_client(&sandbox, "wrong-private-key");

    let error = first_page_len(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(error.is_error_code("UNAUTHORIZED"));
    assert_eq!(sandbox.request_count(), 2);
    assert!(!format!("{error} {error:?} {client:?}").contains("wrong-private-key"));
}

#[tokio::test]
async fn concurrent_calls_with_a_cold_cache_share_one_token_request() {
    let sandbox = service_account_sandbox(Duration::from_secs(3600)).await;
    let client = service_account_client(&sandbox.base_url(), CLIENT_SECRET);

    let results = join_all((0..64).map(|_| first_page_len(&client))).await;

    assert!(results.iter().all(|r| matches!(r, Ok(5))));
    assert_eq!(sandbox.token_request_count(), 1);
    assert_eq!(sandbox.live_token_count(), 1);
}

#[tokio::test]
async fn a_token_past_its_lifetime_is_renewed() {
    let sandbox = service_account_sandbox(Duration::from_secs(2)).await;
    let client = service_account_client(&sandbox.base_url(), CLIENT_SECRET);

    first_page_len(&client).await.unwrap();
    first_page_len(&client).await.unwrap();
    assert_eq!(sandbox.token_request_count(), 1, "still fresh");

    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(first_page_len(&client).await.unwrap(), 5);
    assert_eq!(sandbox.token_request_count(), 2, "renewed, not refused");
}

#[tokio::test]
async fn revoking_forgets_the_token_and_the_next_call_gets_a_new_one() {
    let sandbox = service_account_sandbox(Duration::from_secs(3600)).await;
    let client = service_account_client(&sandbox.base_url(), CLIENT_SECRET);
    first_page_len(&client).await.unwrap();

    assert!(client.revoke_token().await.unwrap());
    assert_eq!(sandbox.revoke_count(), 1);
    assert_eq!(sandbox.live_token_count(), 0);
    assert!(
        !client.revoke_token().await.unwrap(),
        "nothing left to revoke"
    );

    first_page_len(&client).await.unwrap();
    assert_eq!(sandbox.token_request_count(), 2);
}

#[tokio::test]
async fn a_wrong_client_secret_is_a_clear_auth_error() {
    let sandbox = service_account_sandbox(Duration::from_secs(3600)).await;
    let client = service_account_client(&sandbox.base_url(), "wrong-secret-value");

    let error = first_page_len(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let message = error.to_string();
    assert!(
        message.contains("invalid_client") && message.contains(CLIENT_ID),
        "{message}"
    );
    assert!(!message.contains("wrong-secret-value"));
    assert_eq!(sandbox.token_request_count(), 1);
    assert_eq!(sandbox.request_count(), 1, "no API request without a token");
}

const TOKEN_PATH: &str = "/api/oauth/token";

fn token_response(token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token, "token_type": "Bearer", "expires_in": 3600
    }))
}

/// The mock token endpoint, answering with `response`.
fn token_endpoint(response: ResponseTemplate) -> Mock {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(response)
}

/// The mock restore jobs, answering requests with `Authorization: Bearer <token>` with
/// `response`.
fn jobs_for_token(token: &str, response: ResponseTemplate) -> Mock {
    Mock::given(method("GET"))
        .and(path(JOBS_PATH))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(response)
}

/// The number of jobs a service-account client of `server`, with the right secret, finds
/// on the first page.
async fn first_page_len_from(server: &MockServer) -> atlas_endpoints::Result<usize> {
    first_page_len(&service_account_client(&server.uri(), CLIENT_SECRET)).await
}

#[tokio::test]
async fn a_rate_limited_token_endpoint_is_a_clear_error() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "60")
        .set_body_json(serde_json::json!({"error": "rate_limited"}));
    token_endpoint(limited).expect(1).mount(&server).await;

    let error = first_page_len_from(&server).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Auth);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(error.to_string().contains("retry after 60"), "{error}");
}

#[tokio::test]
async fn a_401_saying_the_token_is_invalid_renews_it_once_and_retries_once() {
    let server = MockServer::start().await;
    let first = token_endpoint(token_response("first-token"));
    first.up_to_n_times(1).mount(&server).await;
    let second = token_endpoint(token_response("second-token"));
    second.mount(&server).await;
    let refused = ResponseTemplate::new(401)
        .insert_header("WWW-Authenticate", r#"Bearer error="invalid_token""#);
    jobs_for_token("first-token", refused).mount(&server).await;
    let empty = ResponseTemplate::new(200).set_body_json(serde_json::json!({"results": []}));
    jobs_for_token("second-token", empty).mount(&server).await;

    assert_eq!(first_page_len_from(&server).await.unwrap(), 0);

    let received = server.received_requests().await.unwrap();
    let paths: Vec<_> = received.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, [TOKEN_PATH, JOBS_PATH, TOKEN_PATH, JOBS_PATH]);
}

#[tokio::test]
async fn an_api_that_always_answers_invalid_token_is_not_retried_in_a_loop() {
    let server = MockServer::start().await;
    let token = token_endpoint(token_response("some-token"));
    token.expect(2).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("WWW-Authenticate", r#"Bearer error="invalid_token""#)
                .set_body_json(serde_json::json!({
                    "error": 401, "errorCode": "UNAUTHORIZED", "reason": "Unauthorized"
                })),
        )
        .expect(2)
        .mount(&server)
        .await;

    let error = first_page_len_from(&server).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(error.is_error_code("UNAUTHORIZED"));
}

#[tokio::test]
async fn refused_calls_with_a_fresh_token_do_not_mint_new_tokens() {
    // Atlas answers 401 for missing permissions too; renewing the token on each would cost a
    // token request per refused call (Atlas allows 10 a minute per service account).
    let server = MockServer::start().await;
    token_endpoint(token_response("some-token"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": 401, "errorCode": "UNAUTHORIZED", "reason": "Unauthorized"
        })))
        .expect(30)
        .mount(&server)
        .await;
    let client = service_account_client(&server.uri(), CLIENT_SECRET);

    for _ in 0..30 {
        let error = first_page_len(&client).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    }
}

#[tokio::test]
async fn no_secret_appears_in_any_rendering() {
    let sandbox = service_account_sandbox(Duration::from_secs(3600)).await;
    let client = service_account_client(&sandbox.base_url(), CLIENT_SECRET);
    first_page_len(&client).await.unwrap();
    let issued = sandbox.requests()[1]
        .header("authorization")
        .unwrap()
        .trim_start_matches("Bearer ")
        .to_owned();
    assert!(!issued.is_empty());

    let digest = digest_client(&sandbox, PRIVATE_KEY);
    // This sandbox has no Digest keys.
    let digest_error = first_page_len(&digest).await.unwrap_err();
    let listing = client.list_serverless_restore_jobs(GROUP, INSTANCE);
    let renderings = [
        format!("{client:?}"),
        format!("{digest:?}"),
        format!("{digest_error} {digest_error:?}"),
        format!("{}", listing.inspect().unwrap()),
        format!("{:?}", listing.inspect().unwrap()),
        format!("{listing:?}"),
        format!(
            "{:?}",
            Client::builder().service_account(CLIENT_ID, CLIENT_SECRET)
        ),
    ];
    for rendering in &renderings {
        for secret in [PRIVATE_KEY, CLIENT_SECRET, issued.as_str()] {
            assert!(
                !rendering.contains(secret),
                "{secret:?} leaked in {rendering}"
            );
        }
    }
}
