//! How failures reach the caller: Atlas errors from the sandbox, and scripted faults.

#![allow(deprecated)]

mod support;

use std::time::Duration;

use atlas_endpoints::prelude::*;
use atlas_endpoints::reexports::StatusCode;
use atlas_endpoints::{atlas_endpoint, Auth, Call, Client, ErrorKind, Paginated};
use atlas_endpoints_sandbox::Sandbox;
use support::{
    all, client_for, error_of, restore_jobs, sandbox_and_client, sandbox_with, GROUP, INSTANCE,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn an_unknown_instance_is_a_404_resource_not_found() {
    let (_sandbox, client) = sandbox_and_client(1).await;

    let error = error_of(client.list_serverless_restore_jobs(GROUP, "no-such-instance")).await;

    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"));
    let api_error = error.api_error().unwrap();
    assert_eq!(api_error.error, Some(404));
    assert!(error.body().is_some_and(|body| !body.is_empty()));
    let message = error.to_string();
    assert!(
        message.contains("list_serverless_restore_jobs") && message.contains("RESOURCE_NOT_FOUND"),
        "{message}"
    );
}

#[tokio::test]
async fn an_enveloped_error_keeps_its_real_status() {
    let (_sandbox, client) = sandbox_and_client(1).await;

    let listing = client.list_serverless_restore_jobs(GROUP, "no-such-instance");
    let error = error_of(listing.envelope(true)).await;

    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"));
}

#[tokio::test]
async fn a_sunset_endpoint_says_it_is_gone_and_names_its_replacement() {
    let sandbox = Sandbox::builder()
        .instance(GROUP, INSTANCE, 5)
        .sunset_serverless(true)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);

    let error = error_of(restore_jobs(&client).collect_all()).await;

    assert_eq!(error.status(), Some(StatusCode::GONE));
    assert!(error.is_version_gone());
    assert!(error.headers().is_some_and(|h| h.contains_key("sunset")));
    let message = error.to_string();
    assert!(
        message.contains("gone") && message.contains("flexClusters"),
        "{message}"
    );
    assert!(
        message.contains("since its sunset on 2026-01-22"),
        "{message}"
    );
    assert_eq!(
        error.endpoint().unwrap().deprecated(),
        Some(message_note(&error))
    );
}

fn message_note(error: &atlas_endpoints::Error) -> &'static str {
    error
        .endpoint()
        .and_then(|e| e.deprecated())
        .unwrap_or_default()
}

#[tokio::test]
async fn no_credentials_is_a_401() {
    let sandbox = sandbox_with(1).await;
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .auth(Auth::none())
        .build()
        .unwrap();

    let error = error_of(restore_jobs(&client)).await;

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(sandbox.request_count(), 1);
    assert!(sandbox.requests()[0].header("authorization").is_none());
}

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
trait WrongVersion {
    #[atlas_endpoint(GET, "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs",
        paginated, version = "2099-01-01")]
    fn list_with_a_future_version(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
    ) -> Paginated<serde_json::Value>;
}

impl WrongVersion for Client {}

#[tokio::test]
async fn a_version_the_server_does_not_serve_is_a_406() {
    let (sandbox, client) = sandbox_and_client(1).await;

    let error = error_of(client.list_with_a_future_version(GROUP, INSTANCE)).await;

    assert_eq!(error.status(), Some(StatusCode::NOT_ACCEPTABLE));
    assert_eq!(
        sandbox.requests()[0].header("accept"),
        Some("application/vnd.atlas.2099-01-01+json")
    );
}

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
trait Scripted {
    #[atlas_endpoint(GET, "/groups/<group_id>/widgets", paginated)]
    fn list_widgets(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
    ) -> Paginated<serde_json::Value>;

    #[atlas_endpoint(GET, "/groups/<group_id>/restoreJob")]
    fn get_job(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
    ) -> Call<atlas_endpoints::ServerlessBackupRestoreJob>;
}

impl Scripted for Client {}

fn client_for_mock(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("mock-token")
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

/// A mock server that answers every GET with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    let every_get = Mock::given(method("GET")).respond_with(response);
    every_get.mount(&server).await;
    server
}

const WIDGETS: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/widgets";

#[tokio::test]
async fn a_field_of_the_wrong_type_is_a_decode_error_that_names_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/restoreJob",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "deliveryType": "automated", "targetClusterName": "x", "targetGroupId": "y",
            "desiredTimestamp": {"date": "not a date"}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let error = client_for_mock(&server).get_job(GROUP).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.decode_path(), Some("desiredTimestamp.date"));
    assert!(
        error.to_string().contains("desiredTimestamp.date"),
        "{error}"
    );
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_without_parsed_body() {
    let server =
        answering(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>")).await;

    let error = client_for_mock(&server).get_job(GROUP).await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    assert!(error.api_error().is_none());
    assert_eq!(error.body(), Some(&b"<html>bad gateway</html>"[..]));
}

/// Serves full pages with a `next` link forever; with `distinct`, each page has new items.
struct EndlessPages {
    served: std::sync::atomic::AtomicU64,
    distinct: bool,
}

impl wiremock::Respond for EndlessPages {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let page = self
            .served
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let offset = if self.distinct { page * 100 } else { 0 };
        let results: Vec<_> = (offset..offset + 100)
            .map(|n| serde_json::json!({"n": n}))
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "results": results,
            "links": [{"rel": "self", "href": "x"}, {"rel": "next", "href": "y"}]
        }))
    }
}

async fn endless_server(distinct: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(WIDGETS))
        .respond_with(EndlessPages {
            served: Default::default(),
            distinct,
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_server_that_never_ends_a_listing_is_stopped_by_the_page_limit() {
    let server = endless_server(true).await;

    let results: Vec<_> = futures::StreamExt::collect::<Vec<_>>(
        client_for_mock(&server)
            .list_widgets(GROUP)
            .max_pages(4)
            .pages(),
    )
    .await;

    assert_eq!(results.len(), 5);
    assert!(results[..4].iter().all(Result::is_ok));
    let error = results[4].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(error.to_string().contains("max_pages"), "{error}");
    // Four pages, plus at most the one page of read-ahead.
    assert!(server.received_requests().await.unwrap().len() <= 5);
}

#[tokio::test]
async fn a_server_that_repeats_a_page_ends_the_listing_with_an_error() {
    let server = endless_server(false).await;

    let results: Vec<_> =
        futures::StreamExt::collect::<Vec<_>>(client_for_mock(&server).list_widgets(GROUP).pages())
            .await;

    assert_eq!(results.len(), 2, "the first page, then the error");
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(error.to_string().contains("page 2 repeats"), "{error}");
}

#[tokio::test]
async fn links_without_next_end_the_listing() {
    let server = MockServer::start().await;
    let full_page: Vec<_> = (0..100).map(|i| serde_json::json!({"n": i})).collect();
    Mock::given(method("GET"))
        .and(path(WIDGETS))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "results": full_page, "links": [{"rel": "self", "href": "x"}]
        })))
        .expect(1)
        .mount(&server)
        .await;

    let items = all(client_for_mock(&server).list_widgets(GROUP)).await;

    assert_eq!(items.len(), 100);
}

#[tokio::test]
async fn a_page_without_results_is_a_decode_error() {
    let server = answering(ResponseTemplate::new(200).set_body_string("{\"totalCount\": 3}")).await;

    let error = error_of(client_for_mock(&server).list_widgets(GROUP).collect_all()).await;

    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.to_string().contains("results"), "{error}");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_error() {
    let server = answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(3))).await;

    let error = client_for_mock(&server).get_job(GROUP).await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind and drop a listener to get a loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token("t")
        .build()
        .unwrap();

    let error = client.get_job(GROUP).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(error.attempts(), 3, "a GET is retried on connection errors");
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
}
