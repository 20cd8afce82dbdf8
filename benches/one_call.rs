//! One call over loopback HTTP: the generated method against a hand-written reqwest +
//! serde_json call of the same endpoint, decoding the same type.
//!
//! `cargo bench --bench one_call`
//!
//! Both sides are first checked against the sandbox: the same request line and `Accept`, the
//! same items, count and links. They are then timed against a loopback server replaying the
//! page the sandbox served (`common::replay`), on the benchmark's own tokio runtime (2
//! workers): its work per request is a write of a stored body, the same for both sides and
//! small, so the difference between the two is the client's, and not lost in the sandbox's
//! own time (it completes every item of a page against the schema). One client per side is
//! reused, so connections are kept alive.
//!
//! - `generated`: `client.list_serverless_restore_jobs(group, name).await`, one page
//!   decoded into `Page<ServerlessBackupRestoreJob>`.
//! - `hand_written`: `reqwest::Client::get(url).headers(..).send()`, `error_for_status`,
//!   `bytes`, `serde_json::from_slice::<HandPage>` where `HandPage` holds
//!   `Vec<ServerlessBackupRestoreJob>`, `totalCount` and `links`.
//!
//! Two sizes: `one_call` is one page of a small instance (20 jobs, Atlas's default page
//! size), where the request dominates; `one_call_500_jobs` is a full page of 500 jobs
//! (`itemsPerPage=500`, about 300 KB of JSON), where reading and decoding the body do.
//!
//! Before timing, the bench also counts the heap allocations of a call by each side (a
//! counting allocator, off while timing), the replaying server's few included.

mod common;

use std::time::Duration;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{Client, Page, ServerlessBackupRestoreJob};
use atlas_endpoints_sandbox::Sandbox;
use common::{replay, HandClient, HandPage, Timings, GROUP, INSTANCE};
use criterion::Criterion;

/// One page at Atlas's default page size.
const SMALL: Size = Size {
    group: "one_call",
    instance: INSTANCE,
    jobs: 20,
    items_per_page: None,
};

/// The largest page Atlas serves.
const LARGE: Size = Size {
    group: "one_call_500_jobs",
    instance: "bench-large",
    jobs: 500,
    items_per_page: Some(500),
};

/// Which instance a benchmark asks for, and how.
#[derive(Clone, Copy)]
struct Size {
    group: &'static str,
    instance: &'static str,
    jobs: usize,
    items_per_page: Option<u32>,
}

impl Size {
    fn name(self, side: &str) -> String {
        format!("{}/{side}", self.group)
    }
}

static TIMINGS: Timings = Timings::new();

#[global_allocator]
static ALLOCATOR: common::counting::Counting = common::counting::Counting;

/// Calls counted for the allocations per call.
const COUNTED_CALLS: usize = 20;

/// The heap allocations per call of each side (in the whole process, the replaying
/// server's too).
fn print_allocations(rt: &tokio::runtime::Runtime, replayed: &Replayed) {
    let size = replayed.size;
    let per_call = |allocations: usize| allocations as f64 / COUNTED_CALLS as f64;
    let connections = replay::connections();
    let (_, ours) = common::counting::allocations(|| {
        rt.block_on(async {
            for _ in 0..COUNTED_CALLS {
                generated(&replayed.client, size).await;
            }
        })
    });
    let ours_connected = replay::connections() - connections;
    let (_, theirs) = common::counting::allocations(|| {
        rt.block_on(async {
            for _ in 0..COUNTED_CALLS {
                hand_written(&replayed.hand, size).await;
            }
        })
    });
    let theirs_connected = replay::connections() - connections - ours_connected;
    println!(
        "{}: allocations per call: hand_written {:.1}, generated {:.1}; new connections in \
         {COUNTED_CALLS} calls: hand_written {theirs_connected}, generated {ours_connected}",
        size.group,
        per_call(theirs),
        per_call(ours)
    );
}

/// The two clients of one size, talking to the server that replays its page.
struct Replayed {
    size: Size,
    client: Client,
    hand: HandClient,
}

/// Starts a server replaying the page of `size` the sandbox serves, and checks that both
/// sides decode it as they decoded the sandbox's.
fn start_replay(rt: &tokio::runtime::Runtime, hand: &HandClient, size: Size) -> Replayed {
    rt.block_on(async {
        let pages = replay::fetch_pages(hand, size.instance, 1, size.items_per_page).await;
        let base_url = replay::replay_server(pages, Duration::ZERO).await;
        let (client, hand) = common::clients(&base_url, "t", Duration::from_secs(10));
        let ours = generated(&client, size).await;
        let theirs = hand_written(&hand, size).await;
        assert_eq!(
            ours.results().len(),
            size.jobs,
            "the replayed page holds every job"
        );
        assert_eq!(
            ours.results(),
            theirs.results.as_slice(),
            "the same items, replayed"
        );
        Replayed { size, client, hand }
    })
}

#[allow(deprecated)] // The serverless endpoints are deprecated; they are what exists today.
async fn generated(client: &Client, size: Size) -> Page<ServerlessBackupRestoreJob> {
    let listing = client.list_serverless_restore_jobs(GROUP, size.instance);
    let listing = match size.items_per_page {
        Some(per_page) => listing.items_per_page(per_page),
        None => listing,
    };
    listing.await.expect("the sandbox answers")
}

async fn hand_written(hand: &HandClient, size: Size) -> HandPage {
    hand.page(GROUP, size.instance, 1, size.items_per_page)
        .await
        .expect("the sandbox answers")
}

/// Both sides must send the same request and decode the same items.
async fn check_same_call(sandbox: &Sandbox, client: &Client, hand: &HandClient, size: Size) {
    sandbox.reset_requests();
    let ours = generated(client, size).await;
    let theirs = hand_written(hand, size).await;
    assert_eq!(ours.results().len(), size.jobs, "one page holds every job");
    assert_eq!(ours.results(), theirs.results.as_slice(), "the same items");
    assert_eq!(ours.total_count(), theirs.total_count, "the same count");
    assert_eq!(ours.links(), theirs.links.as_slice(), "the same links");
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 2, "one request each");
    let target = |i: usize| (&requests[i].method, &requests[i].path, &requests[i].query);
    assert_eq!(target(0), target(1), "the same request line");
    assert_eq!(
        requests[0].header("accept"),
        requests[1].header("accept"),
        "the same Accept"
    );
    println!(
        "{}: both sides send GET {}?{} and decode {} jobs",
        size.group,
        requests[0].path,
        requests[0].query.as_deref().unwrap_or(""),
        ours.results().len()
    );
    sandbox.reset_requests();
}

fn bench(criterion: &mut Criterion, rt: &tokio::runtime::Runtime, replayed: &[Replayed]) {
    for Replayed { size, client, hand } in replayed {
        let mut group = criterion.benchmark_group(size.group);
        let name = size.name("generated");
        TIMINGS.bench_async(&mut group, ("generated", &name), rt, || {
            generated(client, *size)
        });
        let name = size.name("hand_written");
        TIMINGS.bench_async(&mut group, ("hand_written", &name), rt, || {
            hand_written(hand, *size)
        });
        group.finish();
    }
}

fn main() {
    let rt = common::runtime();
    let served = common::serve(
        &rt,
        Sandbox::builder()
            .instance(GROUP, SMALL.instance, SMALL.jobs)
            .instance(GROUP, LARGE.instance, LARGE.jobs),
        Duration::from_secs(10),
    );
    for size in [SMALL, LARGE] {
        rt.block_on(check_same_call(
            &served.sandbox,
            &served.client,
            &served.hand,
            size,
        ));
    }
    let replayed: Vec<Replayed> = [SMALL, LARGE]
        .into_iter()
        .map(|size| start_replay(&rt, &served.hand, size))
        .collect();
    drop(served);

    for sizes in &replayed {
        print_allocations(&rt, sizes);
    }

    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &rt, &replayed);
    criterion.final_summary();

    for size in [SMALL, LARGE] {
        TIMINGS.print_ratios(
            size.group,
            &size.name("hand_written"),
            &[&size.name("generated")],
        );
    }
}
