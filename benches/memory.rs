//! Peak heap while listing 100,000 restore jobs (200 pages of 500, no latency): streamed one
//! by one with `.items()` against collected with `.collect_all()`.
//!
//! `cargo bench --bench memory` (a few seconds; no criterion, it prints its own table)
//!
//! A counting global allocator (`common::counting`) wraps the system allocator and tracks the
//! bytes currently allocated and their peak. The pages come from a loopback server of the
//! bench's own that replays the 200 bodies the sandbox served once at the start: the sandbox
//! holds its 100,000 jobs (hundreds of MiB) and keeps more for each listing it serves, which
//! would swamp what the client holds. The replaying server keeps nothing per request (it
//! writes a body it already has), so each figure, the peak *above* the level measured just
//! before that listing starts, is the client's: after one untimed listing has filled the
//! connection pool. Each mode runs twice; the table shows the run with the higher peak.
//!
//! A second table measures one call against a server whose JSON body never ends (it would
//! send 4 GiB): the peak stays at about the size cap (`max_response_bytes`, 32 MiB by
//! default), where the call fails with `ResponseTooLarge`, instead of growing with the body.

use std::any::Any;
use std::hint::black_box;
use std::time::{Duration, Instant};

use atlas_endpoints::prelude::*;
use atlas_endpoints::{Client, ErrorKind};
use atlas_endpoints_sandbox::Sandbox;
use futures::StreamExt;

mod common;

use common::counting::{current, peak, reset_peak};
use common::{replay, HandClient, GROUP, INSTANCE};

const JOBS: usize = 100_000;
const ITEMS_PER_PAGE: u32 = 500;
/// Each mode runs this often; the table shows the highest peak.
const ROUNDS: usize = 2;

#[global_allocator]
static ALLOCATOR: common::counting::Counting = common::counting::Counting;

/// What one run of a mode measured.
struct Measured {
    items: usize,
    /// The highest level above the baseline while the listing ran.
    peak: usize,
    /// What was still allocated above the baseline when the listing returned (the collected
    /// items, before they are dropped).
    retained: usize,
    elapsed: Duration,
}

/// Runs `listing` from a fresh baseline: the peak is reset to the current level first.
fn measure<F>(rt: &tokio::runtime::Runtime, listing: F) -> Measured
where
    F: std::future::Future<Output = (usize, Option<Box<dyn Any>>)>,
{
    let baseline = current();
    reset_peak();
    let start = Instant::now();
    let (items, kept) = rt.block_on(listing);
    let elapsed = start.elapsed();
    let retained = current().saturating_sub(baseline);
    let peak = peak().saturating_sub(baseline);
    drop(kept);
    Measured {
        items,
        peak,
        retained,
        elapsed,
    }
}

#[allow(deprecated)] // The serverless endpoints are deprecated; they are what exists today.
fn listing(
    client: &Client,
    concurrency: Option<usize>,
) -> atlas_endpoints::Paginated<atlas_endpoints::ServerlessBackupRestoreJob> {
    let listing = client
        .list_serverless_restore_jobs(GROUP, INSTANCE)
        .items_per_page(ITEMS_PER_PAGE);
    match concurrency {
        Some(pages) => listing.concurrency(pages),
        None => listing,
    }
}

async fn stream(client: &Client, concurrency: Option<usize>) -> (usize, Option<Box<dyn Any>>) {
    let mut items = listing(client, concurrency).items();
    let mut count = 0;
    while let Some(item) = items.next().await {
        black_box(item.expect("the server answers"));
        count += 1;
    }
    (count, None)
}

async fn collect(client: &Client, concurrency: Option<usize>) -> (usize, Option<Box<dyn Any>>) {
    let items = listing(client, concurrency)
        .collect_all()
        .await
        .expect("the server answers");
    (items.len(), Some(Box::new(items)))
}

async fn hand_collect(hand: &HandClient) -> (usize, Option<Box<dyn Any>>) {
    let items = hand
        .list_all(GROUP, INSTANCE, ITEMS_PER_PAGE)
        .await
        .expect("the server answers");
    (items.len(), Some(Box::new(items)))
}

/// What a run lists, and how.
#[derive(Clone, Copy)]
enum Mode {
    /// `.items()`, each item dropped as it comes; `None` is the default concurrency.
    Stream(Option<usize>),
    /// `.collect_all()`.
    Collect(Option<usize>),
    /// The hand-written page loop of `common`, collecting.
    HandCollect,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Stream(None) => "items() streamed, concurrency 4 (default)",
            Mode::Stream(Some(_)) => "items() streamed, concurrency 1",
            Mode::Collect(_) => "collect_all(), concurrency 4 (default)",
            Mode::HandCollect => "hand-written page loop, collected",
        }
    }

    async fn run(self, client: &Client, hand: &HandClient) -> (usize, Option<Box<dyn Any>>) {
        match self {
            Mode::Stream(concurrency) => stream(client, concurrency).await,
            Mode::Collect(concurrency) => collect(client, concurrency).await,
            Mode::HandCollect => hand_collect(hand).await,
        }
    }
}

/// What the endless server sends at most before it closes: far past any cap measured.
const ENDLESS_LIMIT: u64 = 4 * 1024 * 1024 * 1024;

/// A loopback server answering every request with `200` and a chunked JSON body that does
/// not end (before [`ENDLESS_LIMIT`]); returns its base URL. Its chunk is built once, so the
/// server itself allocates nothing per chunk.
async fn endless_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let chunk: &'static [u8] = Box::leak(
        format!("{:x}\r\n{}\r\n", 64 * 1024, "1,".repeat(32 * 1024))
            .into_bytes()
            .into_boxed_slice(),
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                             transfer-encoding: chunked\r\n\r\nc\r\n{\"results\":[\r\n";
                if socket.write_all(head).await.is_err() {
                    return;
                }
                let mut sent = 0u64;
                while sent < ENDLESS_LIMIT {
                    if socket.write_all(chunk).await.is_err() {
                        return;
                    }
                    sent += 64 * 1024;
                }
            });
        }
    });
    format!("http://{address}")
}

/// One call against the endless server with `cap` (the default when `None`); returns 1 when
/// it failed as it must, with `ResponseTooLarge`.
#[allow(deprecated)]
async fn endless_call(client: &Client, cap: Option<usize>) -> (usize, Option<Box<dyn Any>>) {
    let listing = client
        .list_serverless_restore_jobs(GROUP, INSTANCE)
        .items_per_page(ITEMS_PER_PAGE);
    let listing = match cap {
        Some(cap) => listing.max_response_bytes(cap),
        None => listing,
    };
    let error = listing.await.expect_err("an endless body cannot succeed");
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
    (1, None)
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    // Counting from the start, so that the current level is the whole heap.
    common::counting::set_on(true);
    let rt = common::runtime();
    let served = common::serve(
        &rt,
        Sandbox::builder().instance(GROUP, INSTANCE, JOBS),
        Duration::from_secs(30),
    );
    let page_count = JOBS.div_ceil(ITEMS_PER_PAGE as usize) as u32;
    let pages = rt.block_on(replay::fetch_pages(
        &served.hand,
        INSTANCE,
        page_count,
        Some(ITEMS_PER_PAGE),
    ));
    drop(served);
    let json: usize = pages.iter().map(Vec::len).sum();
    let base_url = rt.block_on(replay::replay_server(pages, Duration::ZERO));
    let (client, hand) = common::clients(&base_url, "t", Duration::from_secs(30));
    // Warm both clients: one request each (lazily compiled patterns), then one whole listing
    // at the default concurrency, so that the crate's connection pool already holds the 4
    // keep-alive connections its listings use. Without it, the first listing measured would
    // also count the buffers of 3 new connections (about 1.7 MiB).
    let first = rt
        .block_on(async { listing(&client, None).await })
        .expect("the server answers");
    assert_eq!(first.total_count(), Some(JOBS as u64));
    drop(first);
    rt.block_on(hand.page(GROUP, INSTANCE, 1, Some(ITEMS_PER_PAGE)))
        .expect("the server answers");
    println!(
        "the replaying server holds the {JOBS} jobs' pages: {} of JSON (the heap: {}, what the \
         sandbox left included)",
        mib(json),
        mib(current())
    );
    let warm = rt.block_on(Mode::Stream(None).run(&client, &hand));
    assert_eq!(warm.0, JOBS, "the warm-up listing: every job, once");

    let modes = [
        Mode::Stream(None),
        Mode::Stream(Some(1)),
        Mode::Collect(None),
        Mode::HandCollect,
    ];
    let mut results = Vec::new();
    for mode in modes {
        let name = mode.name();
        let mut worst: Option<Measured> = None;
        for _ in 0..ROUNDS {
            let measured = measure(&rt, mode.run(&client, &hand));
            assert_eq!(measured.items, JOBS, "{name}: every job, once");
            worst = Some(match worst {
                Some(worst) if worst.peak >= measured.peak => worst,
                _ => measured,
            });
        }
        results.push((name, worst.expect("at least one round")));
    }

    println!("\nmemory: {JOBS} jobs, {ITEMS_PER_PAGE} a page, peak heap above the level before each listing (highest of {ROUNDS} runs)");
    println!(
        "  {:<44} {:>8} {:>12} {:>12} {:>9}",
        "mode", "items", "peak", "retained", "time"
    );
    for (name, measured) in &results {
        println!(
            "  {name:<44} {:>8} {:>12} {:>12} {:>9}",
            measured.items,
            mib(measured.peak),
            mib(measured.retained),
            common::format_duration(measured.elapsed),
        );
    }
    let streamed = results[0].1.peak.max(1) as f64;
    println!(
        "  ratio collect_all / items (both concurrency 4): {:.1}",
        results[2].1.peak as f64 / streamed
    );
    println!(
        "  ratio items concurrency 4 / concurrency 1: {:.2}",
        results[0].1.peak as f64 / results[1].1.peak.max(1) as f64
    );

    let endless_url = rt.block_on(endless_server());
    let endless = Client::builder()
        .base_url(endless_url)
        .bearer_token("t")
        .build()
        .expect("a client");
    // Warm the connection pool as above.
    rt.block_on(endless_call(&endless, Some(64 * 1024)));
    println!("\nmemory: one call against a JSON body that never ends (the server would send 4 GiB), peak heap above the level before it (highest of {ROUNDS} runs)");
    println!("  {:<44} {:>12} {:>9}", "size cap", "peak", "time");
    for (name, cap) in [
        ("32 MiB (the default)", None),
        ("1 MiB (`.max_response_bytes(1 << 20)`)", Some(1 << 20)),
    ] {
        let mut worst: Option<Measured> = None;
        for _ in 0..ROUNDS {
            let measured = measure(&rt, endless_call(&endless, cap));
            assert_eq!(measured.items, 1, "{name}: the call failed as it must");
            worst = Some(match worst {
                Some(worst) if worst.peak >= measured.peak => worst,
                _ => measured,
            });
        }
        let worst = worst.expect("at least one round");
        println!(
            "  {name:<44} {:>12} {:>9}",
            mib(worst.peak),
            common::format_duration(worst.elapsed),
        );
    }
}
