//! Issue 10, shapes 5, 6, 9, 10, 14, 15 and 16: downloads, answers without a schema,
//! `envelope` defaulting to true, error bodies that are not `ApiError`, sunsets and older
//! versions. Each shape has a declaration below (of a real operation of the spec), a
//! request-shape test (`inspect()`) and a loopback test; the declarations themselves are
//! checked against the spec by `scripts/check_catalog.py`.

mod support;

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use atlas_endpoints::reexports::StatusCode;
use atlas_endpoints::{
    atlas_endpoint, catalog, AtlasClient, Call, Client, Download, ErrorKind, NoContent,
};
use futures::StreamExt as _;
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ORG: &str = "4888442a3354817a7320eb61";
const CLUSTER: &str = "Cluster0";

/// The media types of the versions and formats below.
mod media {
    pub const JSON_2023: &str = "application/vnd.atlas.2023-01-01+json";
    pub const JSON_2023_10: &str = "application/vnd.atlas.2023-10-01+json";
    pub const JSON_2024_08: &str = "application/vnd.atlas.2024-08-05+json";
    pub const CSV_2023: &str = "application/vnd.atlas.2023-01-01+csv";
    pub const GZIP_2023: &str = "application/vnd.atlas.2023-01-01+gzip";
}

#[derive(Debug, Deserialize, PartialEq)]
struct SchemaAdvice {
    content: SchemaAdviceContent,
}

#[derive(Debug, Deserialize, PartialEq)]
struct SchemaAdviceContent {
    recommendations: Vec<serde_json::Value>,
}

/// The policy of `getGroupBackupCompliancePolicy`, the fields both versions share.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct CompliancePolicy {
    project_id: String,
}

/// `ApiAtlasInvalidResourcePolicyCreateErrorView`, the 400 body of the resource-policy
/// operations: not an `ApiError`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InvalidPolicies {
    error_type: String,
    invalid_policies: Vec<serde_json::Value>,
}

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
pub trait Answers: AtlasClient {
    /// Shape 5: a `+gzip` download.
    #[atlas_endpoint(GET, "/groups/<group_id>/dataFederation/<tenant_name>/queryLogs.gz",
        version = "2023-01-01", format = "gzip",
        operation_id = "downloadGroupDataFederationQueryLogs", common())]
    fn download_federation_query_logs(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        tenant_name: &str,
        #[query] end_date: Option<i64>,
        #[query] start_date: Option<i64>,
    ) -> Call<Download>;

    /// Shape 5: a `+csv` download.
    #[atlas_endpoint(GET, "/orgs/<org_id>/invoices/<invoice_id>/csv",
        version = "2023-01-01", format = "csv", operation_id = "getOrgInvoiceCsv")]
    fn get_invoice_csv(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] org_id: &str,
        #[path(pattern = "[0-9a-f]+")] invoice_id: &str,
    ) -> Call<Download>;

    /// Shape 6: a `200` without a schema.
    #[atlas_endpoint(POST, "/groups/<group_id>/maintenanceWindow/defer",
        version = "2023-01-01", operation_id = "deferGroupMaintenanceWindow", common(envelope))]
    fn defer_maintenance_window(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
    ) -> Call<NoContent>;

    /// Shape 9: `envelope` defaults to true.
    #[atlas_endpoint(GET,
        "/groups/<group_id>/clusters/<cluster_name>/performanceAdvisor/schemaAdvice",
        version = "2024-08-05", operation_id = "listGroupClusterPerformanceAdvisorSchemaAdvice",
        common(envelope(default = true)))]
    fn schema_advice(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
    ) -> Call<SchemaAdvice>;

    /// Shape 10: a `400` whose body is not an `ApiError`.
    #[atlas_endpoint(POST, "/orgs/<org_id>/resourcePolicies:validate",
        version = "2024-08-05", operation_id = "validateOrgResourcePolicies")]
    fn validate_resource_policies(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] org_id: &str,
        #[body] policy: &serde_json::Value,
    ) -> Call<serde_json::Value>;

    /// Shape 15: the latest version, under the plain name.
    #[atlas_endpoint(GET, "/groups/<group_id>/backupCompliancePolicy",
        version = "2023-10-01", operation_id = "getGroupBackupCompliancePolicy")]
    fn get_backup_compliance_policy(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
    ) -> Call<CompliancePolicy>;

    /// Shapes 15 and 14: an older version, pinned by a method of its own named after its
    /// version, with its own model and the sunset the spec gives that version.
    #[atlas_endpoint(GET, "/groups/<group_id>/backupCompliancePolicy",
        version = "2023-01-01", sunset = "2027-07-01",
        operation_id = "getGroupBackupCompliancePolicy")]
    fn get_backup_compliance_policy_2023_01_01(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
    ) -> Call<CompliancePolicy>;
}

impl Answers for Client {}

fn client_for(base_url: &str) -> Client {
    support::bearer_client(base_url, "token")
}

fn offline() -> Client {
    client_for("https://cloud.mongodb.com")
}

// ---- shape 5: downloads -------------------------------------------------------------------

#[test]
fn a_download_asks_for_its_format_and_sends_no_body() {
    let client = offline();
    let request = client
        .download_federation_query_logs(GROUP, "tenant-1", Some(1_636_481_348), None)
        .inspect()
        .unwrap();
    assert_eq!(
        request.url().as_str(),
        format!("https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP}/dataFederation/tenant-1/queryLogs.gz?endDate=1636481348")
    );
    assert_eq!(request.headers()["accept"], media::GZIP_2023);
    assert!(request.headers().get("content-type").is_none());

    let csv = client.get_invoice_csv(ORG, "abc123").inspect().unwrap();
    assert_eq!(csv.headers()["accept"], media::CSV_2023);
    let endpoint = client.get_invoice_csv(ORG, "abc123").endpoint().unwrap();
    assert_eq!(endpoint.format(), "csv");
    assert_eq!(endpoint.media_type(), media::JSON_2023);
}

#[tokio::test]
async fn a_csv_download_is_streamed_and_written_to_any_async_writer() {
    let server = MockServer::start().await;
    let invoice = format!("/api/atlas/v2/orgs/{ORG}/invoices/abc123/csv");
    Mock::given(method("GET"))
        .and(path(invoice))
        .and(header("accept", media::CSV_2023))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("date,amount\n2026-01-01,12.50\n", media::CSV_2023),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server.uri());

    let download = client.get_invoice_csv(ORG, "abc123").await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], media::CSV_2023);
    let mut sink = Vec::new();
    let written = download.write_to(&mut sink).await.unwrap();
    assert_eq!(written, sink.len() as u64);
    assert_eq!(sink, b"date,amount\n2026-01-01,12.50\n");
}

#[tokio::test]
async fn a_download_is_retried_only_before_its_body_starts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0x1f, 0x8b, 8, 0]))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .retry_policy(atlas_endpoints::RetryPolicy {
            base_delay: std::time::Duration::from_millis(1),
            ..atlas_endpoints::RetryPolicy::default()
        })
        .build()
        .unwrap();

    let path = std::env::temp_dir().join(format!("atlas-answers-{}.gz", std::process::id()));
    let written = client
        .download_federation_query_logs(GROUP, "tenant-1", None, None)
        .await
        .unwrap()
        .save(&path)
        .await
        .unwrap();
    assert_eq!(written, 4);
    assert_eq!(std::fs::read(&path).unwrap(), [0x1f, 0x8b, 8, 0]);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_download_error_is_an_api_error_read_whole() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": "no such tenant"
        })))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let error = client
        .download_federation_query_logs(GROUP, "tenant-1", None, None)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"));
}

/// A loopback HTTP/1.1 server that answers one download with `total` bytes in chunks of
/// `chunk` bytes, generated as they are written; with `cut_after`, it drops the connection
/// after that many bytes, mid-body. Counts requests and the bytes it has written.
struct RawServer {
    url: String,
    requests: Arc<AtomicUsize>,
    sent: Arc<AtomicU64>,
    accept: Arc<std::sync::Mutex<String>>,
}

async fn raw_server(total: u64, chunk: usize, cut_after: Option<u64>) -> RawServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let sent = Arc::new(AtomicU64::new(0));
    let accept = Arc::new(std::sync::Mutex::new(String::new()));
    let (requests_, sent_, accept_) = (requests.clone(), sent.clone(), accept.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (requests, sent, accept) = (requests_.clone(), sent_.clone(), accept_.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                requests.fetch_add(1, Ordering::SeqCst);
                let head = String::from_utf8_lossy(&head).to_string();
                if let Some(line) = head
                    .lines()
                    .find(|line| line.to_ascii_lowercase().starts_with("accept:"))
                {
                    *accept.lock().unwrap() = line[7..].trim().to_owned();
                }
                let start = "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.atlas.2023-01-01+gzip\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
                if socket.write_all(start.as_bytes()).await.is_err() {
                    return;
                }
                let data: Vec<u8> = (0..chunk).map(|i| (i % 251) as u8).collect();
                let mut written = 0u64;
                while written < total {
                    if cut_after.is_some_and(|cut| written >= cut) {
                        return; // the connection drops mid-body
                    }
                    let n = chunk.min((total - written) as usize);
                    let frame = [format!("{n:x}\r\n").as_bytes(), &data[..n], b"\r\n"].concat();
                    if socket.write_all(&frame).await.is_err() {
                        return;
                    }
                    written += n as u64;
                    sent.store(written, Ordering::SeqCst);
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    RawServer {
        url,
        requests,
        sent,
        accept,
    }
}

/// An `AsyncWrite` that only counts: the download's bytes go through it and are dropped.
#[derive(Default)]
struct CountingSink {
    bytes: u64,
    largest_write: usize,
}

impl AsyncWrite for CountingSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.bytes += buf.len() as u64;
        self.largest_write = self.largest_write.max(buf.len());
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

const LARGE: u64 = 64 * 1024 * 1024;

#[tokio::test]
async fn a_64_mib_download_arrives_in_chunks_before_its_end_and_is_never_held_whole() {
    let server = raw_server(LARGE, 64 * 1024, None).await;
    let client = client_for(&server.url);

    let download = client
        .download_federation_query_logs(GROUP, "tenant-1", None, None)
        .await
        .unwrap();
    assert_eq!(*server.accept.lock().unwrap(), media::GZIP_2023);
    let mut stream = download.into_stream();
    let first = stream.next().await.unwrap().unwrap();
    // The server blocks once the socket buffers (a few MiB) are full, so it cannot have
    // written the whole body while the client has read one chunk: the body is not buffered.
    assert!(
        server.sent.load(Ordering::SeqCst) < LARGE,
        "the whole body was sent before the first chunk was read"
    );
    let mut sink = CountingSink::default();
    sink.write_all(&first).await.unwrap();
    while let Some(chunk) = stream.next().await {
        sink.write_all(&chunk.unwrap()).await.unwrap();
    }
    assert_eq!(sink.bytes, LARGE);
    assert!(
        sink.largest_write <= 1024 * 1024,
        "a chunk of {} bytes",
        sink.largest_write
    );
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_download_cut_mid_body_is_a_transport_error_and_is_not_retried() {
    let server = raw_server(LARGE, 64 * 1024, Some(1024 * 1024)).await;
    let client = client_for(&server.url);

    let download = client
        .download_federation_query_logs(GROUP, "tenant-1", None, None)
        .await
        .unwrap();
    let mut sink = CountingSink::default();
    let error = download.write_to(&mut sink).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(sink.bytes >= 1024 * 1024 && sink.bytes < LARGE);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_download_that_cannot_be_saved_is_an_io_error() {
    let error = Download::from_bytes(&b"data"[..])
        .save(std::env::temp_dir().join("no-such-dir-atlas").join("x.gz"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Io);
    assert!(std::error::Error::source(&error).is_some());
}

// ---- shape 6: answers without a schema ----------------------------------------------------

#[test]
fn an_answer_without_a_schema_is_requested_as_json() {
    let request = offline().defer_maintenance_window(GROUP).inspect().unwrap();
    assert_eq!(
        request.url().path(),
        format!("/api/atlas/v2/groups/{GROUP}/maintenanceWindow/defer")
    );
    assert_eq!(request.headers()["accept"], media::JSON_2023);
}

#[tokio::test]
async fn no_content_accepts_an_empty_body_an_empty_object_and_any_json() {
    for answer in [
        ResponseTemplate::new(200),
        ResponseTemplate::new(204),
        ResponseTemplate::new(202).set_body_string("{}"),
        ResponseTemplate::new(200).set_body_string(r#"{"deferred": true, "n": [1, 2]}"#),
        ResponseTemplate::new(200).set_body_string("  "),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(format!(
                "/api/atlas/v2/groups/{GROUP}/maintenanceWindow/defer"
            )))
            .respond_with(answer)
            .expect(1)
            .mount(&server)
            .await;
        let client = client_for(&server.uri());
        assert_eq!(
            client.defer_maintenance_window(GROUP).await.unwrap(),
            NoContent
        );
    }
}

// ---- shape 9: envelope defaulting to true -------------------------------------------------

#[test]
fn an_envelope_by_default_endpoint_sends_no_envelope_parameter_unless_asked() {
    let client = offline();
    let call = client.schema_advice(GROUP, CLUSTER);
    assert!(call.endpoint().unwrap().envelope_default());
    assert_eq!(call.inspect().unwrap().url().query(), None);
    let asked = client.schema_advice(GROUP, CLUSTER).envelope(false);
    assert_eq!(
        asked.inspect().unwrap().url().query(),
        Some("envelope=false")
    );
}

#[tokio::test]
async fn an_envelope_by_default_answer_decodes_wrapped_or_not() {
    let advice = serde_json::json!({"content": {"recommendations": [{"description": "x"}]}});
    let expected = SchemaAdvice {
        content: SchemaAdviceContent {
            recommendations: vec![serde_json::json!({"description": "x"})],
        },
    };
    for body in [
        serde_json::json!({"status": 200, "content": advice}),
        advice.clone(),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!(
                "/api/atlas/v2/groups/{GROUP}/clusters/{CLUSTER}/performanceAdvisor/schemaAdvice"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let client = client_for(&server.uri());
        assert_eq!(
            client.schema_advice(GROUP, CLUSTER).await.unwrap(),
            expected
        );
    }
}

#[tokio::test]
async fn an_unasked_envelope_carrying_an_error_is_that_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "status": 404,
            "content": {"error": 404, "errorCode": "CLUSTER_NOT_FOUND", "detail": "none"}
        })))
        .mount(&server)
        .await;
    let error = client_for(&server.uri())
        .schema_advice(GROUP, CLUSTER)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.is_error_code("CLUSTER_NOT_FOUND"));
}

// ---- shape 10: error bodies that are not ApiError -----------------------------------------

#[test]
fn a_resource_policy_validation_sends_its_versioned_body() {
    let policy =
        serde_json::json!({"policies": [{"body": "forbid (principal, action, resource);"}]});
    let request = offline()
        .validate_resource_policies(ORG, &policy)
        .inspect()
        .unwrap();
    assert_eq!(request.headers()["content-type"], media::JSON_2024_08);
    assert_eq!(
        request.url().path(),
        format!("/api/atlas/v2/orgs/{ORG}/resourcePolicies:validate")
    );
}

#[tokio::test]
async fn an_error_body_of_another_schema_is_kept_and_parsed_where_it_can_be() {
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "errorType": "INVALID_POLICY",
        "invalidPolicies": [{"policy": "forbid", "errors": [{"detail": "bad"}]}]
    });
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/atlas/v2/orgs/{ORG}/resourcePolicies:validate"
        )))
        .and(header("content-type", media::JSON_2024_08))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_raw(serde_json::to_vec(&body).unwrap(), media::JSON_2024_08),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri());

    let error = client
        .validate_resource_policies(ORG, &serde_json::json!({"policies": []}))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(error.body_json(), Some(body));
    let typed: InvalidPolicies = error.body_as().unwrap();
    assert_eq!(typed.error_type, "INVALID_POLICY");
    assert_eq!(typed.invalid_policies.len(), 1);
    // Best effort: the body is no ApiError, so it has none of its fields.
    assert_eq!(error.error_code(), None);
    assert_eq!(
        error.headers().unwrap()["content-type"],
        media::JSON_2024_08
    );
}

#[tokio::test]
async fn an_error_body_that_is_not_json_has_no_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .mount(&server)
        .await;
    let error = client_for(&server.uri())
        .validate_resource_policies(ORG, &serde_json::json!({}))
        .await
        .unwrap_err();
    assert_eq!(error.body_json(), None);
    assert_eq!(error.body(), Some(&b"<html>bad gateway</html>"[..]));
}

// ---- shapes 14 and 15: sunsets and older versions -----------------------------------------

#[test]
fn each_version_is_a_method_with_its_own_accept() {
    let client = offline();
    let latest = client.get_backup_compliance_policy(GROUP);
    let older = client.get_backup_compliance_policy_2023_01_01(GROUP);
    assert_eq!(
        latest.inspect().unwrap().headers()["accept"],
        media::JSON_2023_10
    );
    assert_eq!(
        older.inspect().unwrap().headers()["accept"],
        media::JSON_2023
    );
    assert_eq!(latest.endpoint().unwrap().sunset(), None);
    assert_eq!(older.endpoint().unwrap().sunset(), Some("2027-07-01"));
    let versions: Vec<_> = catalog()
        .into_iter()
        .filter(|e| e.module_path() == module_path!())
        .filter(|e| e.operation_id() == Some("getGroupBackupCompliancePolicy"))
        .map(|e| e.version())
        .collect();
    assert_eq!(versions.len(), 2, "{versions:?}");
}

#[tokio::test]
async fn the_pinned_version_is_the_one_asked_for_and_a_gone_one_says_since_when() {
    let server = MockServer::start().await;
    let url = format!("/api/atlas/v2/groups/{GROUP}/backupCompliancePolicy");
    Mock::given(method("GET"))
        .and(path(url.as_str()))
        .and(header("accept", media::JSON_2023_10))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "projectId": GROUP, "onDemandPolicyItem": {}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(url.as_str()))
        .and(header("accept", media::JSON_2023))
        .respond_with(ResponseTemplate::new(410).set_body_json(serde_json::json!({
            "error": 410, "errorCode": "VERSION_GONE", "detail": "gone"
        })))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());

    let policy = client.get_backup_compliance_policy(GROUP).await.unwrap();
    assert_eq!(policy.project_id, GROUP);
    let error = client
        .get_backup_compliance_policy_2023_01_01(GROUP)
        .await
        .unwrap_err();
    assert!(error.is_version_gone());
    assert!(
        error.to_string().contains("since its sunset on 2027-07-01"),
        "{error}"
    );
}

#[test]
fn the_serverless_endpoints_carry_their_sunset() {
    let serverless: Vec<_> = catalog()
        .into_iter()
        .filter(|e| e.template().contains("/serverless/") && e.template().contains("/backup/"))
        .collect();
    assert_eq!(serverless.len(), 5);
    for endpoint in serverless {
        assert_eq!(
            endpoint.sunset(),
            Some("2026-01-22"),
            "{}",
            endpoint.rust_name()
        );
    }
}

// ---- shape 16: the declarations above agree with the spec ---------------------------------

/// Writes this test program's catalog (the facade's endpoints and the declarations above) as
/// the `catalog` example does, and runs `scripts/check_catalog.py` on it. Skipped, saying
/// so, when the spec or Python with PyYAML is not there.
#[test]
fn the_declarations_of_this_file_match_the_spec() {
    let root = env!("CARGO_MANIFEST_DIR");
    let spec = std::path::Path::new(root).join("../shared/atlas-openapi/v2.yaml");
    let has_yaml = std::process::Command::new("python3")
        .args(["-c", "import yaml"])
        .status()
        .is_ok_and(|status| status.success());
    if !spec.exists() || !has_yaml {
        eprintln!(
            "skipped: no spec at {} or no python3 with PyYAML",
            spec.display()
        );
        return;
    }
    let mut lines = String::new();
    // This file's declarations, not the crate's generated ones.
    for endpoint in catalog()
        .into_iter()
        .filter(|e| e.module_path() == module_path!())
    {
        let params: Vec<_> = endpoint
            .spec_params()
            .into_iter()
            .map(|p| {
                serde_json::json!({"name": p.name, "in": p.location.as_str(), "pattern": p.pattern})
            })
            .collect();
        let line = serde_json::json!({
            "operationId": endpoint.operation_id(),
            "method": endpoint.method().as_str(),
            "path": endpoint.spec_path(),
            "version": endpoint.version(),
            "params": params,
            "paginated": endpoint.is_paginated(),
            "deprecated": endpoint.deprecated(),
            "sunset": endpoint.sunset(),
            "format": endpoint.format(),
            "envelopeDefault": endpoint.envelope_default(),
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    let file = std::env::temp_dir().join(format!(
        "atlas-answers-catalog-{}.jsonl",
        std::process::id()
    ));
    std::fs::write(&file, lines).unwrap();
    let output = std::process::Command::new("python3")
        .arg(std::path::Path::new(root).join("scripts/check_catalog.py"))
        .arg(&spec)
        .arg("--catalog")
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
