//! A loopback server that replays pages the sandbox served once, keeping nothing per request.
//!
//! The sandbox does real work for every request (it completes each item against its schema,
//! records the request, and holds its seeded jobs), several times what a client does with
//! the answer. Timed against it, a client's difference is lost in the server's time and its
//! noise; and its memory swamps the client's. So the benches check both sides against the
//! sandbox (the same request, the same items), then time them against this server: each
//! request is answered with the stored body its `pageNum` asks for, after a fixed latency,
//! one timer per request, so requests in flight wait together as they would on a distant
//! server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{HandClient, GROUP};

/// Connections the replaying servers of this process have accepted.
static CONNECTIONS: AtomicUsize = AtomicUsize::new(0);

/// How many connections the replaying servers have accepted so far: a client that keeps its
/// connections alive opens one per request in flight, once.
pub fn connections() -> usize {
    CONNECTIONS.load(Ordering::Relaxed)
}

/// The bodies of a listing's pages, the first page first.
pub type Pages = Arc<Vec<Vec<u8>>>;

/// The bodies of pages `1..=pages` of `instance`'s restore jobs, fetched once from the
/// sandbox `hand` talks to.
pub async fn fetch_pages(
    hand: &HandClient,
    instance: &str,
    pages: u32,
    items_per_page: Option<u32>,
) -> Pages {
    let mut bodies = Vec::with_capacity(pages as usize);
    for page_num in 1..=pages {
        let body = hand
            .http
            .get(hand.url(GROUP, instance, page_num, items_per_page))
            .headers(hand.headers())
            .send()
            .await
            .and_then(|response| response.error_for_status())
            .expect("the sandbox answers")
            .bytes()
            .await
            .expect("the sandbox sends the page");
        bodies.push(body.to_vec());
    }
    Arc::new(bodies)
}

/// Starts a server that answers each request, after `latency`, with the page its `pageNum`
/// asks for (the first without one, an empty page past the last), keep-alive; returns its
/// base URL. It allocates nothing per request but a small buffer and the response head.
pub async fn replay_server(pages: Pages, latency: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            // The head and the body go out as two writes: without this, Nagle's algorithm
            // holds the body until the client's delayed ACK of the head, 40 ms later.
            let _ = socket.set_nodelay(true);
            CONNECTIONS.fetch_add(1, Ordering::Relaxed);
            let pages = Arc::clone(&pages);
            tokio::spawn(async move {
                let mut received = Vec::with_capacity(4096);
                let mut buffer = [0u8; 4096];
                loop {
                    let end = loop {
                        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                            break at + 4;
                        }
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => received.extend_from_slice(&buffer[..n]),
                        }
                    };
                    let page_num = page_num_of(&received[..end]);
                    received.drain(..end);
                    let body: &[u8] = match pages.get(page_num.saturating_sub(1)) {
                        Some(body) => body,
                        None => br#"{"results":[]}"#,
                    };
                    if !latency.is_zero() {
                        tokio::time::sleep(latency).await;
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\n\r\n",
                        body.len()
                    );
                    if socket.write_all(head.as_bytes()).await.is_err()
                        || socket.write_all(body).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

/// The `pageNum` of a request head; 1 without one.
fn page_num_of(head: &[u8]) -> usize {
    let line = head.split(|&byte| byte == b'\r').next().unwrap_or_default();
    let Some(at) = line.windows(8).position(|w| w == b"pageNum=") else {
        return 1;
    };
    line[at + 8..]
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .fold(0, |n, digit| n * 10 + usize::from(digit - b'0'))
}
