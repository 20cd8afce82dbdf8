//! One call over loopback HTTP: the generated method against a hand-written reqwest +
//! serde_json call of the same endpoint, decoding the same type.
//!
//! `cargo bench --bench one_call`
//!
//! The sandbox serves on the benchmark's own tokio runtime (2 workers), so each iteration
//! includes the server's work too, the same for both sides: the difference between the two
//! is the client's. One client per side is reused, so connections are kept alive.
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
//! counting allocator, off while timing). They include the sandbox's, the same for both
//! sides but for what the requests themselves differ in (the crate's sends `User-Agent`).

mod common;

use std::time::Duration;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{Client, Page, ServerlessBackupRestoreJob};
use atlas_endpoints_sandbox::Sandbox;
use common::{HandClient, HandPage, Served, Timings, GROUP, INSTANCE};
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

/// The heap allocations per call of each side (in the whole process, the sandbox's too).
fn print_allocations(rt: &tokio::runtime::Runtime, served: &Served, size: Size) {
    let per_call = |allocations: usize| allocations as f64 / COUNTED_CALLS as f64;
    let (_, ours) = common::counting::allocations(|| {
        rt.block_on(async {
            for _ in 0..COUNTED_CALLS {
                generated(&served.client, size).await;
            }
        })
    });
    let (_, theirs) = common::counting::allocations(|| {
        rt.block_on(async {
            for _ in 0..COUNTED_CALLS {
                hand_written(&served.hand, size).await;
            }
        })
    });
    println!(
        "{}: allocations per call, the sandbox's included: hand_written {:.1}, generated {:.1}",
        size.group,
        per_call(theirs),
        per_call(ours)
    );
    served.sandbox.reset_requests();
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

fn bench(criterion: &mut Criterion, rt: &tokio::runtime::Runtime, served: &Served) {
    for size in [SMALL, LARGE] {
        let mut group = criterion.benchmark_group(size.group);
        let name = size.name("generated");
        TIMINGS.bench_async(
            &mut group,
            ("generated", &name),
            rt,
            &served.sandbox,
            || generated(&served.client, size),
        );
        let name = size.name("hand_written");
        TIMINGS.bench_async(
            &mut group,
            ("hand_written", &name),
            rt,
            &served.sandbox,
            || hand_written(&served.hand, size),
        );
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

    for size in [SMALL, LARGE] {
        print_allocations(&rt, &served, size);
    }

    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &rt, &served);
    criterion.final_summary();

    for size in [SMALL, LARGE] {
        TIMINGS.print_ratios(
            size.group,
            &size.name("hand_written"),
            &[&size.name("generated")],
        );
    }
    drop(served);
}
