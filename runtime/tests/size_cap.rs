//! A JSON answer is read up to a size cap, never further: an endless body ends the call with
//! an error naming the cap instead of filling memory.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use atlas_endpoints_runtime::{ErrorKind, DEFAULT_MAX_RESPONSE_BYTES};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wiremock::ResponseTemplate;

/// What the endless server sends before it gives up and closes: far more than any cap under
/// test, so a client without a cap reads all of it (and then fails to decode it).
const SERVER_LIMIT: u64 = 256 * 1024 * 1024;

/// Reads one request's head off `socket`; `None` if the connection ends first.
async fn read_request_head(socket: &mut TcpStream) -> Option<()> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = socket.read(&mut buffer).await.ok().filter(|&n| n > 0)?;
        received.extend_from_slice(&buffer[..n]);
        if received.windows(4).any(|w| w == b"\r\n\r\n") {
            return Some(());
        }
    }
}

/// A loopback server that answers every request with `200`, chunked, and a JSON body that
/// never ends (until [`SERVER_LIMIT`]). Returns its base URL and the bytes of body it wrote.
async fn endless_server() -> (String, Arc<AtomicU64>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let written = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&written);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move {
                if read_request_head(&mut socket).await.is_none() {
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "1,".repeat(32 * 1024));
                let opening = "{\"results\":[";
                let opening = format!("{:x}\r\n{opening}\r\n", opening.len());
                if socket.write_all(head.as_bytes()).await.is_err()
                    || socket.write_all(opening.as_bytes()).await.is_err()
                {
                    return;
                }
                while counter.load(Ordering::Relaxed) < SERVER_LIMIT {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                    counter.fetch_add(64 * 1024, Ordering::Relaxed);
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    (format!("http://{address}"), written)
}

#[tokio::test]
async fn an_endless_json_body_stops_at_the_cap() {
    let (base_url, written) = endless_server().await;
    let client = support::bearer_client_with(base_url, |b| b.max_response_bytes(1024 * 1024));

    let error = support::get_root(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
    assert_eq!(error.size_cap(), Some(1024 * 1024));
    assert!(error.to_string().contains("size cap of 1 MiB"), "{error}");
    // The client hung up at the cap: the server is stopped well before its own limit (by
    // what fits in the socket buffers, not by the 256 MiB it would send).
    assert!(
        written.load(Ordering::Relaxed) < SERVER_LIMIT,
        "the whole endless body was read"
    );
}

#[tokio::test]
async fn an_announced_length_past_the_cap_is_refused_unread_and_a_call_can_raise_the_cap() {
    let body = format!("{{\"name\":\"{}\"}}", "x".repeat(2000));
    let server =
        support::serving(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .await;
    let client = support::bearer_client_with(server.uri(), |b| b.max_response_bytes(1024));

    let error = support::get_root(&client).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
    assert!(
        error.to_string().contains(&format!(
            "size cap of 1 KiB (`max_response_bytes`): it announced {} bytes",
            body.len()
        )),
        "{error}"
    );
    assert_eq!(error.attempts(), 1, "a large answer is not retried");

    let value = support::get_root(&client)
        .max_response_bytes(4096)
        .await
        .expect("the call's own cap fits");
    assert_eq!(value["name"].as_str().map(str::len), Some(2000));
}

#[tokio::test]
async fn a_client_is_capped_at_32_mib_by_default() {
    let server = support::serving(ResponseTemplate::new(200).set_body_raw(
        vec![b' '; DEFAULT_MAX_RESPONSE_BYTES + 1],
        "application/json",
    ))
    .await;

    let error = support::get_root(&support::bearer_client(server.uri()))
        .await
        .unwrap_err();

    assert_eq!(error.size_cap(), Some(32 * 1024 * 1024), "{error}");
    assert!(error.to_string().contains("32 MiB"), "{error}");
}
