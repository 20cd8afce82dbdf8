#![allow(dead_code)] // each test file uses its own part of this module

//! What the runtime's integration tests share: one endpoint declared by hand (the runtime
//! cannot use the attribute, whose expansion names the facade), and a call of it.

use atlas_endpoints_runtime::private::endpoint_call;
use atlas_endpoints_runtime::{Call, Client, ClientBuilder, Endpoint, Method, Segment};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// `GET /`, below the API prefix.
pub static GET_ROOT: Endpoint =
    Endpoint::builder(Method::Get, "get_root", "/", &[Segment::Literal("/")], &[]).build();

/// A call of [`GET_ROOT`] through `client`.
pub fn get_root(client: &Client) -> Call<serde_json::Value> {
    endpoint_call(client, &GET_ROOT, &[], &[], None::<&()>)
}

/// A client with a bearer token for the server at `base_url`.
pub fn bearer_client(base_url: impl Into<String>) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token("t")
        .build()
        .unwrap()
}

/// A client with a bearer token for the server at `base_url`, and what `tune` sets.
pub fn bearer_client_with(
    base_url: impl Into<String>,
    tune: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Client {
    tune(Client::builder().base_url(base_url).bearer_token("t"))
        .build()
        .unwrap()
}

/// A client with a service account for the server at `base_url` (its token endpoint too).
pub fn service_account_client(base_url: impl Into<String>, id: &str, secret: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .service_account(id, secret)
        .build()
        .unwrap()
}

/// A server that answers every GET with `answer`.
pub async fn serving(answer: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// Answers the `method` requests to `at` on `server` with `answer`.
pub async fn answer_at(
    server: &MockServer,
    method_name: &str,
    at: &str,
    answer: impl Respond + 'static,
) {
    Mock::given(method(method_name))
        .and(path(at))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// Answers the service-account token requests (`POST /api/oauth/token`) with `answer`.
pub async fn answer_token(server: &MockServer, answer: impl Respond + 'static) {
    answer_at(server, "POST", "/api/oauth/token", answer).await;
}

/// A server whose token endpoint answers `status` with the JSON `body`.
pub async fn token_server(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    answer_token(&server, ResponseTemplate::new(status).set_body_json(body)).await;
    server
}

/// Answers the calls of [`GET_ROOT`] (`GET /api/atlas/v2/`) with `answer`.
pub async fn answer_root(server: &MockServer, answer: impl Respond + 'static) {
    answer_at(server, "GET", "/api/atlas/v2/", answer).await;
}

/// `error`'s message says `text`.
pub fn assert_says(error: &impl std::fmt::Display, text: &str) {
    let message = error.to_string();
    assert!(message.contains(text), "{message}");
}
