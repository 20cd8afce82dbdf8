//! Listing 10,000 restore jobs, 100 pages of 100, with 20 ms of latency on every request:
//! the crate's sequential and concurrent modes against a hand-written page loop; then the
//! concurrent modes again with 100 ms of latency, against the ideal.
//!
//! `cargo bench --bench listing` (about two and a half minutes: a listing page after page
//! takes about 2.2 s, and criterion wants at least 10 samples of each; the measurement times
//! are set per benchmark, so `--measurement-time` on the command line does not change them)
//!
//! - `sequential`: `.items_per_page(100).concurrency(1).collect_all()`.
//! - `concurrent_4`: the same with the default concurrency (4 pages in flight once the
//!   first page gave the count).
//! - `concurrent_8`: `.concurrency(8)`.
//! - `hand_written`: reqwest + serde_json, `pageNum` 1, 2, 3… until a short page or until
//!   `totalCount` items are in (so it sends the same 100 requests; a loop that waits for a
//!   short page alone would send a 101st for the empty page), what the official Go SDK
//!   leaves to its users.
//!
//! Every mode is first checked against the sandbox (the same items in the same order, the
//! requests it sends); the timings are then taken against a loopback server replaying the
//! sandbox's 100 pages (`common::replay`), with the latency as one timer per request, so
//! concurrent requests wait at the same time as they would on a distant server. The
//! sandbox's own work per page (it completes every item against the schema, about as long
//! as the latency at 100 items) would otherwise count as latency.
//!
//! The ideal of a listing of P pages at concurrency c is 1 + ⌈(P − 1)/c⌉ round trips: the
//! first page alone (it gives the count), then the other pages c at a time. The bench prints
//! each mode's ratio to it; at 100 ms (`concurrent_4_100ms`, `concurrent_8_100ms`: 26 and 14
//! round trips, 2.6 s and 1.4 s) the latency dominates the server's and the client's work
//! as it does against Atlas.

mod common;

use std::time::Duration;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{Client, ServerlessBackupRestoreJob, DEFAULT_PAGE_CONCURRENCY};
use atlas_endpoints_sandbox::Sandbox;
use common::{replay, HandClient, Timings, GROUP, INSTANCE};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode};

const JOBS: usize = 10_000;
const ITEMS_PER_PAGE: u32 = 100;
const PAGES: usize = JOBS / ITEMS_PER_PAGE as usize;
const LATENCY: Duration = Duration::from_millis(20);
/// The latency of the second group, closer to a distant server's.
const FAR_LATENCY: Duration = Duration::from_millis(100);

/// The crate's modes: name and `.concurrency(..)` (`None`: the default).
const MODES: [(&str, Option<usize>); 3] = [
    ("sequential", Some(1)),
    ("concurrent_4", None),
    ("concurrent_8", Some(8)),
];

/// The concurrent modes timed again at [`FAR_LATENCY`]: name and concurrency.
const FAR_MODES: [(&str, usize); 2] = [("concurrent_4_100ms", 4), ("concurrent_8_100ms", 8)];

static TIMINGS: Timings = Timings::new();

/// The shortest a listing of [`PAGES`] pages can take at `concurrency` pages in flight:
/// the first page alone, then the rest `concurrency` at a time, each a round trip.
fn ideal(latency: Duration, concurrency: usize) -> Duration {
    let round_trips = 1 + (PAGES - 1).div_ceil(concurrency);
    latency * round_trips as u32
}

/// `None` is the default concurrency.
#[allow(deprecated)] // The serverless endpoints are deprecated; they are what exists today.
async fn generated(client: &Client, concurrency: Option<usize>) -> Vec<ServerlessBackupRestoreJob> {
    let mut listing = client
        .list_serverless_restore_jobs(GROUP, INSTANCE)
        .items_per_page(ITEMS_PER_PAGE);
    if let Some(pages) = concurrency {
        listing = listing.concurrency(pages);
    }
    listing.collect_all().await.expect("the sandbox answers")
}

async fn hand_written(hand: &HandClient) -> Vec<ServerlessBackupRestoreJob> {
    hand.list_all(GROUP, INSTANCE, ITEMS_PER_PAGE)
        .await
        .expect("the sandbox answers")
}

/// Every mode must yield the same 10,000 items. The requests each mode sends are printed: the
/// hand-written loop sends one a page; the crate may send one more (a read-ahead past the
/// last page), never more than that.
async fn check_same_listing(sandbox: &Sandbox, client: &Client, hand: &HandClient) {
    sandbox.reset_requests();
    let reference = hand_written(hand).await;
    assert_eq!(reference.len(), JOBS, "hand_written: every job");
    assert_eq!(
        sandbox.request_count(),
        PAGES,
        "hand_written: one request a page"
    );
    println!(
        "hand_written: {} jobs in {} requests",
        reference.len(),
        sandbox.request_count()
    );
    for (name, concurrency) in MODES {
        sandbox.reset_requests();
        let items = generated(client, concurrency).await;
        assert!(
            items == reference,
            "{name}: the same items in the same order"
        );
        let requests = sandbox.request_count();
        assert!(
            (PAGES..=PAGES + 1).contains(&requests),
            "{name}: {requests} requests for {PAGES} pages"
        );
        println!("{name}: {} jobs in {requests} requests", items.len());
    }
    sandbox.reset_requests();
    println!(
        "every mode lists the same {JOBS} jobs from the sandbox (default concurrency {DEFAULT_PAGE_CONCURRENCY})"
    );
}

/// The two clients, talking to the server that replays the listing at one latency.
struct Replayed {
    client: Client,
    hand: HandClient,
}

/// Starts a server replaying `pages` with `latency` a request.
fn start_replay(
    rt: &tokio::runtime::Runtime,
    pages: &replay::Pages,
    latency: Duration,
) -> Replayed {
    let base_url = rt.block_on(replay::replay_server(pages.clone(), latency));
    let (client, hand) = common::clients(&base_url, "t", Duration::from_secs(30));
    Replayed { client, hand }
}

fn bench(criterion: &mut Criterion, rt: &tokio::runtime::Runtime, near: &Replayed, far: &Replayed) {
    let mut group = criterion.benchmark_group("listing_10k_jobs_100_pages_20ms");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));

    // With flat sampling, criterion runs `ceil(measurement time / (10 × time a listing))`
    // listings a sample; measurement times a little under 10 listings keep that at one
    // listing a sample (criterion then warns that 10 samples take longer than the
    // measurement time: expected). Page after page takes a little over 100 × 20 ms.
    group.measurement_time(Duration::from_secs(18));
    bench_generated(&mut group, rt, &near.client, MODES[0]);
    let name = "hand_written";
    TIMINGS.bench_async(&mut group, (name, name), rt, || hand_written(&near.hand));
    // About 0.5 s and 0.3 s a listing: one or two listings a sample.
    group.measurement_time(Duration::from_secs(5));
    bench_generated(&mut group, rt, &near.client, MODES[1]);
    bench_generated(&mut group, rt, &near.client, MODES[2]);
    group.finish();

    // 2.6 s and 1.4 s a listing: one listing a sample, 10 samples (criterion's least), and
    // no hand-written loop (10 s a listing).
    let mut group = criterion.benchmark_group("listing_10k_jobs_100_pages_100ms");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    for (name, concurrency) in FAR_MODES {
        group.measurement_time(ideal(FAR_LATENCY, concurrency) * 8);
        bench_generated(&mut group, rt, &far.client, (name, Some(concurrency)));
    }
    group.finish();
}

fn bench_generated(
    group: &mut BenchmarkGroup<'_, WallTime>,
    rt: &tokio::runtime::Runtime,
    client: &Client,
    (name, concurrency): (&'static str, Option<usize>),
) {
    TIMINGS.bench_async(group, (name, name), rt, || generated(client, concurrency));
}

fn main() {
    let rt = common::runtime();
    let served = common::serve(
        &rt,
        Sandbox::builder().instance(GROUP, INSTANCE, JOBS),
        Duration::from_secs(30),
    );
    rt.block_on(check_same_listing(
        &served.sandbox,
        &served.client,
        &served.hand,
    ));
    let pages = rt.block_on(replay::fetch_pages(
        &served.hand,
        INSTANCE,
        PAGES as u32,
        Some(ITEMS_PER_PAGE),
    ));
    drop(served);
    let near = start_replay(&rt, &pages, LATENCY);
    let far = start_replay(&rt, &pages, FAR_LATENCY);
    let replayed = rt.block_on(generated(&near.client, None));
    assert_eq!(replayed.len(), JOBS, "the replayed listing: every job");

    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &rt, &near, &far);
    criterion.final_summary();

    let printed = TIMINGS.print_ratios(
        "listing (10,000 jobs, 100 pages, 20 ms a request)",
        "hand_written",
        &["sequential", "concurrent_4", "concurrent_8"],
    );
    if printed {
        let floor = LATENCY * PAGES as u32;
        println!(
            "  (the latency alone, page after page: {})",
            common::format_duration(floor)
        );
    }
    print_ratios_to_ideal();
}

/// Each mode's median against the ideal of its concurrency and latency.
fn print_ratios_to_ideal() {
    let modes = MODES
        .iter()
        .map(|&(name, concurrency)| {
            let concurrency = concurrency.unwrap_or(DEFAULT_PAGE_CONCURRENCY);
            (name, LATENCY, concurrency)
        })
        .chain(FAR_MODES.iter().map(|&(name, c)| (name, FAR_LATENCY, c)));
    let mut header = false;
    for (name, latency, concurrency) in modes {
        let Some(median) = TIMINGS.median(name) else {
            continue;
        };
        if !header {
            println!("\nlisting against the ideal, 1 + ⌈(pages − 1)/concurrency⌉ round trips");
            header = true;
        }
        let ideal = ideal(latency, concurrency);
        println!(
            "  {name:<24} {latency:>6?} c={concurrency}   ideal {:>10}   median {:>10}   {:.2}",
            common::format_duration(ideal),
            common::format_duration(median),
            median.as_secs_f64() / ideal.as_secs_f64()
        );
    }
}
