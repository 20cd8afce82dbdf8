//! An error's `Display` says that error only; its causes come from `source()`, so a reporter
//! that walks the chain (anyhow's `{:#}`, eyre, tracing) prints each cause exactly once.

mod support;

use atlas_endpoints_runtime::{Client, Error, ErrorKind};

/// The error of a call to a loopback server that closes every connection without answering.
async fn closed_connection() -> Error {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            drop(connection);
        }
    });
    let client = Client::builder()
        .base_url(base_url)
        .bearer_token("t")
        .max_attempts(1)
        .build()
        .unwrap();
    support::get_root(&client).await.unwrap_err()
}

fn causes(error: &Error) -> Vec<String> {
    std::iter::successors(std::error::Error::source(error), |cause| cause.source())
        .map(ToString::to_string)
        .collect()
}

#[tokio::test]
async fn a_chain_reporter_prints_each_cause_of_a_transport_error_once() {
    let error = closed_connection().await;
    assert_eq!(error.kind(), ErrorKind::Transport);
    let own = error.to_string();
    let causes = causes(&error);
    assert!(!causes.is_empty(), "a closed connection has causes");
    for cause in &causes {
        assert!(
            !own.contains(cause.as_str()),
            "Display repeats {cause:?}: {own}"
        );
    }

    let reported = format!("{:#}", anyhow::Error::new(error));
    assert!(reported.starts_with(&own), "{reported}");
    for cause in &causes {
        assert_eq!(
            reported.matches(cause.as_str()).count(),
            1,
            "{cause:?} must appear once in {reported:?}"
        );
    }
}

#[tokio::test]
async fn report_puts_the_error_and_its_causes_on_one_line() {
    let error = closed_connection().await;
    let line = error.report().to_string();
    assert!(line.starts_with(&error.to_string()), "{line}");
    assert!(!line.contains('\n'), "{line:?}");
    for cause in causes(&error) {
        assert_eq!(
            line.matches(cause.as_str()).count(),
            1,
            "{line} and {cause}"
        );
    }
}

#[tokio::test]
async fn a_server_that_fails_tls_is_tried_once() {
    // A plain-text server behind an https:// URL: the handshake fails the same way every time.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("https://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut connection, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            use tokio::io::AsyncWriteExt;
            let _ = connection
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let client = Client::builder()
        .base_url(base_url)
        .bearer_token("t")
        .build()
        .unwrap();

    let error = support::get_root(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Transport, "{}", error.report());
    assert_eq!(error.attempts(), 1, "{}", error.report());
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
}
