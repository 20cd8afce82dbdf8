//! A write whose connection dies after the request was sent is not sent again, and its error
//! says that its outcome is unknown; error-code helpers name the conflicts a create that is
//! sent again meets.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use atlas_endpoints_runtime::private::endpoint_call;
use atlas_endpoints_runtime::{codes, Call, Client, Endpoint, ErrorKind, Method, Segment};
use tokio::io::AsyncReadExt;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `POST /`, below the API prefix, with a body.
static CREATE: Endpoint =
    Endpoint::builder(Method::Post, "create", "/", &[Segment::Literal("/")], &[])
        .body()
        .build();

fn create(client: &Client) -> Call<serde_json::Value> {
    endpoint_call(
        client,
        &CREATE,
        &[],
        &[],
        Some(&serde_json::json!({"name": "c"})),
    )
}

/// A server that reads each request whole, then closes the connection without answering (or,
/// with `stall`, keeps it open without answering); returns its URL and the requests it read.
async fn server_that_reads_then(stall: bool) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut connection, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut read = Vec::new();
                let mut buffer = [0u8; 4096];
                // The headers, then the (small) body: the request has reached the server.
                while !String::from_utf8_lossy(&read).contains("\"name\"")
                    && !String::from_utf8_lossy(&read).starts_with("GET")
                {
                    match connection.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read.extend_from_slice(&buffer[..n]),
                    }
                }
                seen.fetch_add(1, Ordering::SeqCst);
                if stall {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
                drop(connection);
            });
        }
    });
    (url, requests)
}

#[tokio::test]
async fn a_post_whose_connection_dies_after_sending_is_sent_once_and_says_its_outcome_is_unknown() {
    let (url, requests) = server_that_reads_then(false).await;
    let client = support::bearer_client(url);

    let error = create(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert!(
        error.to_string().contains("the outcome is unknown"),
        "{error}"
    );
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "a POST is never sent again"
    );
}

#[tokio::test]
async fn a_post_that_passes_its_attempt_timeout_after_sending_has_an_unknown_outcome() {
    let (url, requests) = server_that_reads_then(true).await;
    let client =
        support::bearer_client_with(url, |b| b.attempt_timeout(Duration::from_millis(200)));

    let error = create(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_post_that_could_not_connect_was_never_sent() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = support::bearer_client(format!("http://127.0.0.1:{port}"));

    let error = create(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(!error.is_outcome_unknown(), "{error}");
    assert!(!error.to_string().contains("outcome"), "{error}");
}

#[tokio::test]
async fn a_get_whose_connection_dies_changes_nothing_and_has_no_unknown_outcome() {
    let (url, _) = server_that_reads_then(false).await;
    let client = support::bearer_client_with(url, |b| b.max_attempts(1));

    let error = support::get_root(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Transport);
    assert!(!error.is_outcome_unknown());
}

async fn conflict(code: &str) -> atlas_endpoints_runtime::Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(serde_json::json!({
            "error": 409, "errorCode": code, "detail": "conflict", "reason": "Conflict"
        })))
        .mount(&server)
        .await;
    create(&support::bearer_client(server.uri()))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_create_sent_again_meets_a_conflict_the_helpers_name() {
    for code in [codes::DUPLICATE_CLUSTER_NAME, codes::GROUP_ALREADY_EXISTS] {
        let error = conflict(code).await;
        assert!(error.is_conflict(), "{code}");
        assert!(error.is_already_exists(), "{code}");
        assert!(error.is_error_code(code));
        assert!(!error.is_outcome_unknown(), "Atlas answered");
    }

    let paused = conflict(codes::CANNOT_UPDATE_PAUSED_CLUSTER).await;
    assert!(paused.is_conflict());
    assert!(!paused.is_already_exists());
    assert_eq!(
        paused.error_code(),
        Some(codes::CANNOT_UPDATE_PAUSED_CLUSTER)
    );
}
