//! Client-side pacing against a server that enforces a rate limit as Atlas does: a fixed window
//! of `LIMIT` requests a second, `RateLimit-Limit` and `RateLimit-Remaining` on every answer,
//! `429 RATE_LIMITED` with `Retry-After` past the limit. Three concurrent listings of one
//! project (60 pages) meet few or no `429`s with pacing, and many without; each run prints its
//! figures (`cargo test -p atlas-endpoints-runtime --test pacing -- --nocapture`). The facade's
//! `tests/pacing.rs` checks the hold after a `429` against the sandbox.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_endpoints_runtime::private::endpoint_call;
use atlas_endpoints_runtime::{Client, Endpoint, Method, Paginated, PathParam, Segment};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The path of [`LIST`], in segments.
const THINGS: &[Segment] = &[
    Segment::Literal("/groups/"),
    Segment::Param(0),
    Segment::Literal("/things"),
];

/// `GET /groups/<group_id>/things`, a listing.
static LIST: Endpoint = Endpoint::builder(
    Method::Get,
    "list_things",
    "/groups/<group_id>/things",
    THINGS,
    &[PathParam::new("group_id", "groupId")],
)
.paginated()
.build();

const GROUP: &str = "5e2211c17a3e5a48f5497de3";
const LIMIT: u64 = 20;
const WINDOW: Duration = Duration::from_secs(1);
const ITEMS: u64 = 100;
const PER_PAGE: u32 = 5;
const LISTINGS: usize = 3;

/// A fixed-window rate limiter in front of a listing of [`ITEMS`] items.
struct Limited {
    started: Instant,
    /// The window's index and the requests counted in it.
    window: Mutex<(u128, u64)>,
    served: AtomicUsize,
    limited: AtomicUsize,
}

/// The limiter as wiremock holds it.
#[derive(Clone)]
struct Limiter(Arc<Limited>);

impl Respond for Limiter {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let this = &self.0;
        let elapsed = this.started.elapsed();
        let index = elapsed.as_nanos() / WINDOW.as_nanos();
        let count = {
            let mut window = this.window.lock().unwrap();
            if window.0 != index {
                *window = (index, 0);
            }
            window.1 += 1;
            window.1
        };
        if count > LIMIT {
            this.limited.fetch_add(1, Ordering::SeqCst);
            let next = WINDOW.as_nanos() * (index + 1) - elapsed.as_nanos();
            let seconds = next.div_ceil(1_000_000_000) as u64;
            return ResponseTemplate::new(429)
                .insert_header("Retry-After", seconds.to_string())
                .insert_header("RateLimit-Limit", LIMIT.to_string())
                .insert_header("RateLimit-Remaining", "0")
                .set_body_json(serde_json::json!({
                    "error": 429, "errorCode": "RATE_LIMITED", "reason": "Too Many Requests"
                }));
        }
        this.served.fetch_add(1, Ordering::SeqCst);
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.parse::<u64>().ok())
        };
        let page = query("pageNum").unwrap_or(1);
        let per_page = query("itemsPerPage").unwrap_or(100);
        let first = (page - 1) * per_page;
        let results: Vec<_> = (first..(first + per_page).min(ITEMS))
            .map(|i| serde_json::json!({ "id": format!("item-{i}") }))
            .collect();
        ResponseTemplate::new(200)
            .insert_header("RateLimit-Limit", LIMIT.to_string())
            .insert_header("RateLimit-Remaining", (LIMIT - count).to_string())
            .set_body_json(serde_json::json!({ "results": results, "totalCount": ITEMS }))
    }
}

/// What one run of [`LISTINGS`] concurrent listings met.
#[derive(Debug)]
struct Figures {
    complete_listings: usize,
    requests: usize,
    answered_429: usize,
    elapsed: Duration,
}

async fn run(pacing: bool) -> Figures {
    let server = MockServer::start().await;
    let limited = Arc::new(Limited {
        started: Instant::now(),
        window: Mutex::new((0, 0)),
        served: AtomicUsize::new(0),
        limited: AtomicUsize::new(0),
    });
    Mock::given(wiremock::matchers::any())
        .respond_with(Limiter(limited.clone()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .pacing(pacing)
        .build()
        .unwrap();
    let started = Instant::now();
    let listings = (0..LISTINGS).map(|_| {
        let listing: Paginated<serde_json::Value> =
            endpoint_call(&client, &LIST, &[GROUP], &[], None::<&()>);
        listing.items_per_page(PER_PAGE).collect_all()
    });
    let results = futures::future::join_all(listings).await;
    let figures = Figures {
        complete_listings: results
            .iter()
            .filter(|r| r.as_ref().is_ok_and(|items| items.len() as u64 == ITEMS))
            .count(),
        requests: limited.served.load(Ordering::SeqCst) + limited.limited.load(Ordering::SeqCst),
        answered_429: limited.limited.load(Ordering::SeqCst),
        elapsed: started.elapsed(),
    };
    eprintln!("pacing {}: {figures:?}", if pacing { "on" } else { "off" });
    figures
}

#[tokio::test]
async fn with_pacing_concurrent_listings_meet_few_429s_and_all_complete() {
    let paced = run(true).await;
    assert_eq!(paced.complete_listings, LISTINGS, "{paced:?}");
    assert!(paced.answered_429 <= 1, "{paced:?}");
    // Waiting for the windows, not stalling: 60 pages at 20 a second.
    assert!(paced.elapsed < Duration::from_secs(10), "{paced:?}");
}

#[tokio::test]
async fn without_pacing_the_same_listings_meet_many_429s() {
    let unpaced = run(false).await;
    // What pacing saves: every one of these cost a `Retry-After` wait and a retry.
    assert!(unpaced.answered_429 >= 10, "{unpaced:?}");
    assert!(
        unpaced.requests > 60,
        "each 429 costs a request more: {unpaced:?}"
    );
}
