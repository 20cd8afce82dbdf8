//! What the client writes to `tracing`: retries with their attempt and status, one warning
//! per deprecated endpoint, and never a credential.
//!
//! Kept in a test binary of its own: `tracing` caches per call site whether anyone listens,
//! so a test of another file emitting the same events without a subscriber, at the same
//! moment on another thread, could leave them switched off here.

#![allow(deprecated)]

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use atlas_endpoints_sandbox::Fault;
use support::{fast_client, first_page_len, sandbox_with, JOBS_PATH};

/// Collects what `tracing` writes while `body` runs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn capture_subscriber(captured: &Captured) -> impl tracing::Subscriber {
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
}

#[tokio::test]
async fn retries_are_visible_in_tracing_and_logs_hold_no_secret() {
    let sandbox = sandbox_with(5).await;
    sandbox.inject(JOBS_PATH, [Fault::status(503)]);
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(capture_subscriber(&captured));

    first_page_len(&fast_client(&sandbox)).await.unwrap();

    let logs = captured.text();
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("atlas_request"), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("status=503"), "{logs}");
    assert!(
        !logs.contains(sandbox.token()),
        "the token leaked into the logs"
    );
}

#[tokio::test]
async fn deprecation_headers_warn_once_per_endpoint() {
    use wiremock::{matchers::method, Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("deprecation", "true")
                .insert_header("sunset", "Thu, 22 Jan 2026 00:00:00 GMT")
                .set_body_json(serde_json::json!({"results": []})),
        )
        .mount(&server)
        .await;
    let client = support::bearer_client(server.uri(), "t");
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(capture_subscriber(&captured));

    for _ in 0..3 {
        first_page_len(&client).await.unwrap();
    }

    let logs = captured.text();
    assert_eq!(
        logs.matches("announces the end of this endpoint version")
            .count(),
        1,
        "{logs}"
    );
    assert!(
        logs.contains("flexClusters"),
        "the warning names the replacement: {logs}"
    );
}
