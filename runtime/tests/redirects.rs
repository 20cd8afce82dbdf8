//! Atlas never redirects: a redirect to another origin is an error naming where it pointed,
//! for API calls, the token endpoint and revocation alike; one within the origin is followed.

mod support;

use atlas_endpoints_runtime::ErrorKind;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn redirecting(status: u16, from: &str, to: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(from.to_owned()))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", to.as_str()))
        .mount(&server)
        .await;
    server
}

async fn answering_anything() -> MockServer {
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"results": []})))
        .mount(&other)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "minted-elsewhere", "expires_in": 3600
        })))
        .mount(&other)
        .await;
    other
}

#[tokio::test]
async fn an_api_redirect_to_another_host_is_an_error_naming_it() {
    let other = answering_anything().await;
    let target = format!("{}/elsewhere", other.uri());
    let server = redirecting(302, "/api/atlas/v2/", target.clone()).await;
    let client = support::bearer_client(server.uri());

    let error = support::get_root(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(
        error.report().to_string().contains(&target),
        "{}",
        error.report()
    );
    assert!(
        other.received_requests().await.unwrap().is_empty(),
        "nothing reached the other host"
    );
}

#[tokio::test]
async fn a_token_endpoint_redirect_to_another_host_never_yields_its_token() {
    let other = answering_anything().await;
    let server = redirecting(307, "/api/oauth/token", format!("{}/token", other.uri())).await;
    let client =
        support::service_account_client(server.uri(), "mdb_sa_id_redirect", "mdb_sa_sk_redirect");

    let error = support::get_root(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Transport, "{}", error.report());
    assert!(
        other.received_requests().await.unwrap().is_empty(),
        "the secret stayed home"
    );
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed() {
    let server = MockServer::start().await;
    let moved = ResponseTemplate::new(302).insert_header("Location", "/api/atlas/v2/moved");
    support::answer_root(&server, moved).await;
    let ok = ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true}));
    support::answer_at(&server, "GET", "/api/atlas/v2/moved", ok).await;
    let client = support::bearer_client(server.uri());

    let answer = support::get_root(&client).await.unwrap();

    assert_eq!(answer, serde_json::json!({"ok": true}));
}
