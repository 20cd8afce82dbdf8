//! A token endpoint that answers nonsense must not crash the client, keep a token for years,
//! or make later calls blame their own arguments.

mod support;

use atlas_endpoints_runtime::{Client, ErrorKind};
use wiremock::{MockServer, ResponseTemplate};

/// A server whose token endpoint answers `token_answer` and whose API answers `{}`.
async fn server(token_answer: serde_json::Value) -> MockServer {
    let server = support::token_server(200, token_answer).await;
    support::answer_root(
        &server,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({})),
    )
    .await;
    server
}

fn client(server: &MockServer) -> Client {
    support::service_account_client(server.uri(), "mdb_sa_id_hostile", "mdb_sa_sk_hostile")
}

async fn token_requests(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|request| request.url.path() == "/api/oauth/token")
        .count()
}

#[tokio::test]
async fn a_lifetime_of_u64_max_is_clamped_instead_of_overflowing() {
    let server = server(serde_json::json!({
        "access_token": "tok",
        "token_type": "Bearer",
        "expires_in": u64::MAX,
    }))
    .await;
    let client = client(&server);
    for _ in 0..3 {
        support::get_root(&client).await.expect("the call succeeds");
    }
    assert_eq!(
        token_requests(&server).await,
        1,
        "the clamped token is reused"
    );
}

#[tokio::test]
async fn a_token_with_cr_lf_is_an_auth_error_when_it_arrives() {
    let server = server(serde_json::json!({
        "access_token": "tok\r\nX-Injected: 1",
        "expires_in": 3600,
    }))
    .await;
    let client = client(&server);
    for _ in 0..2 {
        let error = support::get_root(&client).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
        assert!(!error.to_string().contains("nothing was sent"), "{error}");
    }
    assert_eq!(
        token_requests(&server).await,
        1,
        "the refused token is not cached; the second call shares the first one's failure"
    );
}

#[tokio::test]
async fn an_empty_token_is_refused() {
    let server = server(serde_json::json!({"access_token": "", "expires_in": 3600})).await;
    let error = support::get_root(&client(&server)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.to_string().contains("empty access token"), "{error}");
}

#[tokio::test]
async fn calls_waiting_for_a_failing_token_endpoint_share_its_failure() {
    let server = MockServer::start().await;
    support::answer_token(&server, ResponseTemplate::new(503)).await;
    let client = client(&server);

    let calls = (0..64).map(|_| std::future::IntoFuture::into_future(support::get_root(&client)));
    let results = futures::future::join_all(calls).await;

    assert!(results.iter().all(|result| result
        .as_ref()
        .is_err_and(|error| error.kind() == ErrorKind::Auth)));
    assert_eq!(
        token_requests(&server).await,
        1,
        "one request for 64 waiting calls"
    );
}
