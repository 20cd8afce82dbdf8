//! Digest against a server that rotates nonces: each `401` is answered with its own
//! challenge, so concurrent calls never share a one-time nonce; a challenge that cannot be
//! answered is an error that says why, not a bare `401`.

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use atlas_endpoints_runtime::{Client, ErrorKind};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

/// Accepts each nonce it issued once, then never again (RFC 7616 allows one-time nonces).
/// It checks the nonce only: the digest arithmetic is the sandbox's tests' business.
#[derive(Default)]
struct OneTimeNonces {
    issued: Mutex<HashSet<String>>,
    next: AtomicU64,
}

fn nonce_of(authorization: &str) -> Option<&str> {
    let start = authorization.find("nonce=\"")? + "nonce=\"".len();
    let end = authorization[start..].find('"')? + start;
    Some(&authorization[start..end])
}

impl Respond for OneTimeNonces {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let sent = request
            .headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .filter(|value| value.starts_with("Digest "))
            .and_then(nonce_of);
        let mut issued = self.issued.lock().unwrap();
        if sent.is_some_and(|nonce| issued.remove(nonce)) {
            return ResponseTemplate::new(200).set_body_json(serde_json::json!({}));
        }
        let nonce = format!("nonce{}", self.next.fetch_add(1, Ordering::Relaxed));
        issued.insert(nonce.clone());
        // Atlas's 401 has a body; reading it lets the other calls run in between.
        ResponseTemplate::new(401)
            .insert_header(
                "WWW-Authenticate",
                format!(
                    r#"Digest realm="MMS Public API", nonce="{nonce}", algorithm=MD5, qop="auth""#
                ),
            )
            .set_body_json(serde_json::json!({"error": 401, "errorCode": "UNAUTHORIZED"}))
    }
}

fn api_key_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("public", "private")
        .build()
        .unwrap()
}

/// Several workers, so that calls really run at once, as a listing's pages do. A plain test
/// with a runtime of its own: the mock server is dropped outside it, since its `Drop` blocks
/// on its own state and can hang on a worker thread.
#[test]
fn concurrent_calls_each_answer_their_own_one_time_nonce() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(support::serving(OneTimeNonces::default()));
    let client = api_key_client(&server);

    for round in 0..2 {
        let calls = (0..64).map(|_| {
            let client = client.clone();
            runtime.spawn(async move { support::get_root(&client).await })
        });
        let results = runtime.block_on(futures::future::join_all(calls));
        let failed: Vec<_> = results
            .into_iter()
            .map(|joined| joined.expect("no call panics"))
            .filter_map(Result::err)
            .collect();
        assert!(failed.is_empty(), "round {round}: {failed:?}");
    }
    drop(client);
    drop(runtime);
    drop(server);
}

async fn refusing_with(challenge: &'static str) -> MockServer {
    support::serving(ResponseTemplate::new(401).insert_header("WWW-Authenticate", challenge)).await
}

#[tokio::test]
async fn a_challenge_without_a_nonce_is_an_error_saying_so() {
    let server = refusing_with(r#"Digest realm="MMS Public API", qop="auth""#).await;

    let error = support::get_root(&api_key_client(&server))
        .await
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(error.to_string().contains("has no nonce"), "{error}");
}

#[tokio::test]
async fn an_unsupported_algorithm_is_an_error_naming_it() {
    let server =
        refusing_with(r#"Digest realm="MMS Public API", nonce="abc", algorithm=SHA-1, qop="auth""#)
            .await;

    let error = support::get_root(&api_key_client(&server))
        .await
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(
        error
            .to_string()
            .contains(r#"asks for algorithm "SHA-1", which this client does not support"#),
        "{error}"
    );
}
