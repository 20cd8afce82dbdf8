#![allow(dead_code)] // each test file uses its own part of this module

//! What the runtime's integration tests share: one endpoint declared by hand (the runtime
//! cannot use the attribute, whose expansion names the facade), and a call of it.

use atlas_endpoints_runtime::private::endpoint_call;
use atlas_endpoints_runtime::{Call, Client, Endpoint, Method, Segment};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond};

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

/// A client with a service account for the server at `base_url` (its token endpoint too).
pub fn service_account_client(base_url: impl Into<String>, id: &str, secret: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .service_account(id, secret)
        .build()
        .unwrap()
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

/// Answers the calls of [`GET_ROOT`] (`GET /api/atlas/v2/`) with `answer`.
pub async fn answer_root(server: &MockServer, answer: impl Respond + 'static) {
    answer_at(server, "GET", "/api/atlas/v2/", answer).await;
}
