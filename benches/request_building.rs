//! Building a request without sending it: the generated method against the same request
//! written by hand with reqwest.
//!
//! `cargo bench --bench request_building`
//!
//! - `generated`: `client.list_serverless_restore_jobs(group, name).items_per_page(200)
//!   .inspect()`: validates both path values against the spec's patterns, percent-encodes
//!   them, adds the paging parameters and builds URL and headers.
//! - `hand_written`: `format!` of the URL with its query, `Accept` and `Authorization`
//!   headers, `reqwest::Client::get(..).headers(..).build()`. No validation, no encoding.
//!
//! A second group splits `generated` in two: the method call alone (validation and the
//! path) and `inspect` of an existing listing (query, URL, headers).
//!
//! Before timing, the bench also counts the heap allocations of one request built by each
//! side (a counting allocator, off while timing): a figure no machine load changes.

mod common;

use std::hint::black_box;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{Client, PreparedRequest};
use common::{HandClient, Timings, GROUP, INSTANCE, MEDIA_TYPE};
use criterion::Criterion;
use reqwest::header::{ACCEPT, AUTHORIZATION};

const TOKEN: &str = "bench-token";
const BASE_URL: &str = "https://cloud.mongodb.com";
const ITEMS_PER_PAGE: u32 = 200;

static TIMINGS: Timings = Timings::new();

#[global_allocator]
static ALLOCATOR: common::counting::Counting = common::counting::Counting;

#[allow(deprecated)] // The serverless endpoints are deprecated; they are what exists today.
fn generated(client: &Client) -> PreparedRequest {
    client
        .list_serverless_restore_jobs(GROUP, INSTANCE)
        .items_per_page(ITEMS_PER_PAGE)
        .inspect()
        .expect("a valid request")
}

fn hand_written(hand: &HandClient) -> reqwest::Request {
    hand.request(GROUP, INSTANCE, 1, Some(ITEMS_PER_PAGE))
}

/// Both sides must build the same request, or the comparison means nothing.
fn check_same_request(client: &Client, hand: &HandClient) {
    let ours = generated(client);
    let theirs = hand_written(hand);
    assert_eq!(ours.method().as_str(), theirs.method().as_str(), "method");
    assert_eq!(ours.url().as_str(), theirs.url().as_str(), "URL");
    assert_eq!(ours.headers().get(ACCEPT), theirs.headers().get(ACCEPT));
    assert_eq!(
        ours.headers().get(ACCEPT).and_then(|v| v.to_str().ok()),
        Some(MEDIA_TYPE)
    );
    // Ours shows `Bearer <redacted>`; the scheme must be the same.
    let scheme = |value: Option<&reqwest::header::HeaderValue>| {
        value
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(' ').next().map(str::to_owned))
    };
    assert_eq!(
        scheme(ours.headers().get(AUTHORIZATION)),
        scheme(theirs.headers().get(AUTHORIZATION)),
        "Authorization scheme"
    );
    println!("both sides build: GET {}", ours.url());
}

/// The heap allocations of one request built by each side, and by the two halves of
/// `generated` (each made once first, so that lazily built state is not counted).
fn print_allocations(client: &Client, hand: &HandClient) {
    #[allow(deprecated)]
    let listing = || {
        client
            .list_serverless_restore_jobs(GROUP, INSTANCE)
            .items_per_page(ITEMS_PER_PAGE)
    };
    drop((generated(client), hand_written(hand)));
    let count = |work: &dyn Fn()| common::counting::allocations(work).1;
    let ours = count(&|| drop(generated(client)));
    let theirs = count(&|| drop(hand_written(hand)));
    let method_call = count(&|| drop(listing()));
    let built = listing();
    let inspect = count(&|| drop(built.inspect()));
    println!(
        "allocations per request: hand_written {theirs}, generated {ours} \
         (method call {method_call}, inspect {inspect})"
    );
}

fn bench(criterion: &mut Criterion, client: &Client, hand: &HandClient) {
    let mut group = criterion.benchmark_group("request_building");
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| TIMINGS.time("generated", iters, || generated(black_box(client))))
    });
    group.bench_function("hand_written", |b| {
        b.iter_custom(|iters| TIMINGS.time("hand_written", iters, || hand_written(black_box(hand))))
    });
    group.finish();

    let mut group = criterion.benchmark_group("request_building_breakdown");
    group.bench_function("generated_method_call_only", |b| {
        b.iter_custom(|iters| {
            TIMINGS.time("generated_method_call_only", iters, || {
                #[allow(deprecated)]
                let listing = black_box(client)
                    .list_serverless_restore_jobs(GROUP, INSTANCE)
                    .items_per_page(ITEMS_PER_PAGE);
                listing
            })
        })
    });
    #[allow(deprecated)]
    let listing = client
        .list_serverless_restore_jobs(GROUP, INSTANCE)
        .items_per_page(ITEMS_PER_PAGE);
    group.bench_function("generated_inspect_only", |b| {
        b.iter_custom(|iters| {
            TIMINGS.time("generated_inspect_only", iters, || {
                black_box(&listing).inspect().expect("a valid request")
            })
        })
    });
    group.finish();
}

fn main() {
    let client = Client::builder()
        .base_url(BASE_URL)
        .bearer_token(TOKEN)
        .build()
        .expect("a client");
    let hand = HandClient::new(BASE_URL, TOKEN);
    check_same_request(&client, &hand);
    print_allocations(&client, &hand);

    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &client, &hand);
    criterion.final_summary();

    TIMINGS.print_ratios(
        "request_building",
        "hand_written",
        &[
            "generated",
            "generated_method_call_only",
            "generated_inspect_only",
        ],
    );
}
