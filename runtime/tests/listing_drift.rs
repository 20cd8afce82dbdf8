//! A listing that changes while it is paged: a `totalCount` that falls never drops a fetched
//! page, items repeated by offset drift are dropped (by `id`) and counted, and a page that
//! fails to decode is named.

mod support;

use atlas_endpoints_runtime::private::endpoint_call;
use atlas_endpoints_runtime::{Client, Endpoint, ErrorKind, Method, Paginated, Segment};
use futures::TryStreamExt;
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

static LIST_THINGS: Endpoint = Endpoint::builder(
    Method::Get,
    "list_things",
    "/things",
    &[Segment::Literal("/things")],
    &[],
)
.paginated()
.build();

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    id: String,
}

fn list_things(client: &Client) -> Paginated<Thing> {
    endpoint_call(client, &LIST_THINGS, &[], &[], None::<&()>)
}

/// Every thing, fetched in pages of `per_page`.
async fn all_things(client: &Client, per_page: u32) -> atlas_endpoints_runtime::Result<Vec<Thing>> {
    list_things(client)
        .items_per_page(per_page)
        .collect_all()
        .await
}

fn page_num(request: &Request) -> u32 {
    request
        .url
        .query_pairs()
        .find(|(name, _)| name == "pageNum")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(1)
}

/// A page of the items with these ids, and `totalCount`.
fn page(ids: impl IntoIterator<Item = u32>, total: u64) -> ResponseTemplate {
    let results: Vec<_> = ids
        .into_iter()
        .map(|id| serde_json::json!({ "id": id.to_string() }))
        .collect();
    ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({ "results": results, "totalCount": total }))
}

/// A server listing `/things` with `answer(pageNum)`, and a client of it.
async fn serving(
    answer: impl Fn(u32) -> ResponseTemplate + Send + Sync + 'static,
) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/atlas/v2/things"))
        .respond_with(move |request: &Request| answer(page_num(request)))
        .mount(&server)
        .await;
    let client = support::bearer_client(server.uri());
    (server, client)
}

#[tokio::test]
async fn a_total_count_that_falls_between_pages_drops_no_fetched_page() {
    // 100 items in pages of 20; from page 2 on the (estimated) count says 20.
    let (_server, client) = serving(|n| match n {
        1 => page(1..=20, 100),
        2..=5 => page((n - 1) * 20 + 1..=n * 20, 20),
        _ => page([], 20),
    })
    .await;

    let things = all_things(&client, 20).await.unwrap();

    // Before: 40 items, pages 3 to 5 fetched and thrown away.
    let expected: Vec<Thing> = (1..=100).map(|id| Thing { id: id.to_string() }).collect();
    assert_eq!(things, expected);
}

#[tokio::test]
async fn items_repeated_by_offset_drift_are_dropped_and_counted() {
    // Two items were added before page 2 was fetched: its first two are page 1's last two.
    let (_server, client) = serving(|n| match n {
        1 => page(1..=20, 45),
        2 => page(19..=38, 47),
        3 => page(39..=45, 47),
        _ => page([], 47),
    })
    .await;

    let pages: Vec<_> = list_things(&client)
        .items_per_page(20)
        .concurrency(1)
        .pages()
        .try_collect()
        .await
        .unwrap();

    let dropped: Vec<usize> = pages.iter().map(|page| page.repeats_dropped()).collect();
    assert_eq!(dropped, [0, 2, 0]);
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.into_results())
        .map(|thing| thing.id)
        .collect();
    let expected: Vec<String> = (1..=45).map(|id| id.to_string()).collect();
    assert_eq!(ids, expected, "each item once, in order");
}

#[tokio::test]
async fn a_page_that_does_not_decode_is_named_in_the_error() {
    let (_server, client) = serving(|n| match n {
        1 | 2 => page((n - 1) * 2 + 1..=n * 2, 6),
        _ => ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "results": [{ "id": "5" }, { "id": 6 }],
            "totalCount": 6,
        })),
    })
    .await;

    let error = all_things(&client, 2).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Decode, "{error}");
    assert_eq!(error.page_num(), Some(3));
    assert_eq!(error.decode_path(), Some("results[1].id"));
    assert!(error.to_string().contains("(page 3)"), "{error}");
}
