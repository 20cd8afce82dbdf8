//! Scripted faults, latency and listing quirks, over real loopback HTTP.

use std::time::{Duration, Instant};

mod support;

use atlas_endpoints_sandbox::{Fault, ListingQuirk, RateLimit, Sandbox, REVOKE_PATH, TOKEN_PATH};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use support::{authorized, href, ids, jobs, rels, start, url, SERVERLESS};

/// GET `path_and_query` on `client` with the sandbox's token and the right `Accept`,
/// ready to send.
fn get_request(client: &Client, sandbox: &Sandbox, path_and_query: &str) -> RequestBuilder {
    authorized(
        client.get(url(sandbox, path_and_query)),
        sandbox,
        SERVERLESS,
    )
}

/// GET `path_and_query` with the sandbox's token and the right `Accept`.
async fn send(client: &Client, sandbox: &Sandbox, path_and_query: &str) -> Response {
    get_request(client, sandbox, path_and_query)
        .send()
        .await
        .expect("the response head arrives")
}

/// The status of the restore jobs listing, asked for on `client`.
async fn jobs_status(client: &Client, sandbox: &Sandbox) -> StatusCode {
    send(client, sandbox, &jobs()).await.status()
}

async fn get(sandbox: &Sandbox, path_and_query: &str) -> Response {
    send(&Client::new(), sandbox, path_and_query).await
}

fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// The body as JSON (`Null` if it is not JSON) and the status.
async fn json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The status and JSON body of the restore jobs page that `query` asks for.
async fn jobs_page(sandbox: &Sandbox, query: &str) -> (StatusCode, Value) {
    json(get(sandbox, &format!("{}?{query}", jobs())).await).await
}

/// The restore jobs asked for with `fault` injected, whose head still says 200 and the
/// Atlas media type.
async fn faulted_but_ok(sandbox: &Sandbox, fault: Fault) -> Response {
    sandbox.inject(&jobs(), [fault]);
    let response = get(sandbox, &jobs()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), SERVERLESS);
    response
}

/// The whole body of the restore jobs listing, served without a fault.
async fn full_body(sandbox: &Sandbox) -> Vec<u8> {
    let response = get(sandbox, &jobs()).await;
    response.bytes().await.expect("full body").to_vec()
}

#[tokio::test]
async fn queued_503s_then_normal_service() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs(), [Fault::status(503), Fault::status(503)]);
    assert_eq!(sandbox.pending_faults(), 2);

    for left in [1, 0] {
        let response = get(&sandbox, &jobs()).await;
        assert_eq!(header(&response, "content-type"), "application/json");
        let (status, body) = json(response).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"], 503);
        assert_eq!(body["errorCode"], "SERVICE_UNAVAILABLE");
        assert_eq!(body["reason"], "Service Unavailable");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        assert_eq!(sandbox.pending_faults(), left);
    }
    let (status, body) = json(get(&sandbox, &jobs()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["totalCount"], 42);
    // Faulted requests are recorded and counted too.
    assert_eq!(sandbox.request_count(), 3);
    assert!(sandbox.requests().iter().all(|r| r.path == jobs()));
}

#[tokio::test]
async fn faults_apply_before_authentication() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs(), [Fault::status(500)]);
    // No credentials at all: the fault still answers, not a 401.
    let anonymous = || Client::new().get(url(&sandbox, &jobs())).send();
    let response = anonymous().await.expect("response");
    let (status, body) = json(response).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["errorCode"], "UNEXPECTED_ERROR");
    // Without a fault, the same request is refused.
    let response = anonymous().await.expect("response");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn rate_limited_carries_retry_after_and_rate_limit_headers() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(
        &jobs(),
        [
            Fault::rate_limited(7, 100),
            Fault::retry_after(503, 3),
            Fault::Status {
                status: 429,
                retry_after: None,
                rate_limit: Some(RateLimit {
                    limit: 50,
                    remaining: 2,
                }),
            },
        ],
    );

    let limited = get(&sandbox, &jobs()).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&limited, "retry-after"), "7");
    assert_eq!(header(&limited, "ratelimit-limit"), "100");
    assert_eq!(header(&limited, "ratelimit-remaining"), "0");
    let (_, body) = json(limited).await;
    assert_eq!(body["errorCode"], "RATE_LIMITED");
    assert_eq!(body["error"], 429);

    let unavailable = get(&sandbox, &jobs()).await;
    assert_eq!(unavailable.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header(&unavailable, "retry-after"), "3");
    assert!(unavailable.headers().get("ratelimit-limit").is_none());

    let no_retry_after = get(&sandbox, &jobs()).await;
    assert_eq!(no_retry_after.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(no_retry_after.headers().get(RETRY_AFTER).is_none());
    assert_eq!(header(&no_retry_after, "ratelimit-limit"), "50");
    assert_eq!(header(&no_retry_after, "ratelimit-remaining"), "2");
}

#[tokio::test]
async fn html_bad_gateway_is_an_html_page() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs(), [Fault::HtmlBadGateway]);
    let response = get(&sandbox, &jobs()).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(header(&response, "content-type"), "text/html");
    let text = response.text().await.expect("body");
    assert!(text.starts_with("<html>"), "{text}");
    assert!(text.contains("502 Bad Gateway"));
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[tokio::test]
async fn reset_mid_body_fails_the_body_not_the_head() {
    let sandbox = Sandbox::start().await.expect("start");
    let full = full_body(&sandbox).await;

    let response = faulted_but_ok(&sandbox, Fault::ResetMidBody).await;
    assert_eq!(
        header(&response, CONTENT_LENGTH.as_str()),
        full.len().to_string()
    );
    let error = response.bytes().await.expect_err("the body is cut");
    assert!(error.is_body() || error.is_decode(), "{error:?}");

    // The sandbox keeps serving afterwards.
    let (status, _) = json(get(&sandbox, &jobs()).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn reset_mid_body_fails_an_empty_body_too() {
    let sandbox = start(Sandbox::builder().service_account("mdb_sa_id_1", "secret")).await;
    let revoke = || {
        Client::new()
            .post(format!("{}{REVOKE_PATH}", sandbox.base_url()))
            .basic_auth("mdb_sa_id_1", Some("secret"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("token=unknown")
            .send()
    };
    let clean = revoke().await.expect("response");
    assert_eq!(clean.status(), StatusCode::OK);
    assert!(clean.bytes().await.expect("empty body").is_empty());

    sandbox.inject(REVOKE_PATH, [Fault::ResetMidBody]);
    let response = revoke().await.expect("the head arrives");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err());
}

#[tokio::test]
async fn truncated_json_is_a_valid_exchange_with_cut_json() {
    let sandbox = Sandbox::start().await.expect("start");
    let full = full_body(&sandbox).await;
    let response = faulted_but_ok(&sandbox, Fault::TruncatedJson).await;
    let length = header(&response, CONTENT_LENGTH.as_str()).to_owned();
    let cut = response.bytes().await.expect("the exchange completes");
    assert_eq!(length, cut.len().to_string());
    assert_eq!(cut, full[..full.len() / 2]);
    let error = serde_json::from_slice::<Value>(&cut).expect_err("cut JSON");
    assert!(error.is_eof(), "{error}");

    // Even an error answer is turned into a 200 with half its body.
    sandbox.inject("/nowhere", [Fault::TruncatedJson]);
    let response = get(&sandbox, "/nowhere").await;
    assert_eq!(response.status(), StatusCode::OK);
    let cut = response.bytes().await.expect("the exchange completes");
    assert!(cut.starts_with(b"{\"detail\""));
    assert!(serde_json::from_slice::<Value>(&cut).is_err());
}

#[tokio::test]
async fn invalid_json_is_200_with_the_atlas_media_type() {
    let sandbox = Sandbox::start().await.expect("start");
    let response = faulted_but_ok(&sandbox, Fault::InvalidJson).await;
    let text = response.text().await.expect("body");
    assert_eq!(text, "{\"results\": [ nope");
    let error = serde_json::from_str::<Value>(&text).expect_err("not JSON");
    assert!(error.is_syntax(), "{error}");
}

#[tokio::test]
async fn delay_trips_a_client_timeout_then_serves() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs(), [Fault::Delay(Duration::from_secs(2))]);
    let impatient = Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = get_request(&impatient, &sandbox, &jobs())
        .send()
        .await
        .expect_err("the delay outlasts the timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(sandbox.pending_faults(), 0);

    // A delay within the timeout: slower, but served normally.
    sandbox.inject(&jobs(), [Fault::Delay(Duration::from_millis(150))]);
    let started = Instant::now();
    let (status, body) = json(get(&sandbox, &jobs()).await).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["totalCount"], 42);
}

#[tokio::test]
async fn a_delayed_request_does_not_hold_up_others() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs(), [Fault::Delay(Duration::from_secs(3))]);
    let client = Client::new();
    let slow_request = get_request(&client, &sandbox, &jobs());
    let slow = tokio::spawn(async move { slow_request.send().await.map(|r| r.status()) });
    // Wait until the slow request has taken its fault.
    let deadline = Instant::now() + Duration::from_secs(2);
    while sandbox.pending_faults() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(sandbox.pending_faults(), 0);
    let (status, _) = json(send(&client, &sandbox, &jobs()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!slow.is_finished(), "the delayed request is still waiting");
    slow.abort();
}

#[tokio::test]
async fn a_trailing_star_matches_by_prefix() {
    let sandbox = start(Sandbox::builder().service_account("mdb_sa_id_1", "secret")).await;
    sandbox.inject("/api/atlas/v2/*", [Fault::status(504)]);

    // Outside the prefix: served normally, the fault stays queued.
    let token = Client::new()
        .post(format!("{}{TOKEN_PATH}", sandbox.base_url()))
        .basic_auth("mdb_sa_id_1", Some("secret"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("response");
    assert_eq!(token.status(), StatusCode::OK);
    assert_eq!(sandbox.pending_faults(), 1);

    // Inside it, whatever the query: the fault is used.
    let (status, body) = jobs_page(&sandbox, "pageNum=2").await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(body["errorCode"], "GATEWAY_TIMEOUT");
    assert_eq!(sandbox.pending_faults(), 0);

    // Without `*`, the path must match exactly (the query does not count).
    sandbox.inject("/api/atlas/v2", [Fault::status(503)]);
    let (status, _) = json(get(&sandbox, &jobs()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sandbox.pending_faults(), 1);
    let (status, _) = json(get(&sandbox, "/api/atlas/v2?x=1").await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    // `*` alone matches every path; clear_faults drops what is left.
    sandbox.inject("*", [Fault::HtmlBadGateway, Fault::HtmlBadGateway]);
    let response = get(&sandbox, "/anything/at/all").await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    sandbox.clear_faults();
    assert_eq!(sandbox.pending_faults(), 0);
    let (status, _) = json(get(&sandbox, &jobs()).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn odd_statuses_do_not_break_the_server() {
    let sandbox = Sandbox::start().await.expect("start");
    let cases = [
        (0, 500),
        (99, 500),
        (101, 500),
        (199, 500),
        (1000, 500),
        (u16::MAX, 500),
        (200, 200),
        (302, 302),
        (418, 418),
        (599, 599),
        (999, 999),
    ];
    sandbox.inject(
        &jobs(),
        cases.iter().map(|(scripted, _)| Fault::status(*scripted)),
    );
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (scripted, sent) in cases {
        let response = send(&client, &sandbox, &jobs()).await;
        assert_eq!(response.status().as_u16(), sent, "scripted {scripted}");
        let (_, body) = json(response).await;
        assert_eq!(body["error"], sent, "scripted {scripted}");
    }
    for scripted in [204, 304] {
        sandbox.inject(&jobs(), [Fault::status(scripted)]);
        let response = send(&client, &sandbox, &jobs()).await;
        assert_eq!(response.status().as_u16(), scripted);
        // These statuses carry no body; what matters is that the connection
        // is left usable.
        let _ = response.bytes().await;
    }
    let (status, _) = json(send(&client, &sandbox, &jobs()).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn latency_applies_to_requests_concurrently() {
    let sandbox = start(Sandbox::builder().latency(Duration::from_millis(100))).await;
    let client = Client::new();

    // One request waits at least the latency.
    let started = Instant::now();
    assert_eq!(jobs_status(&client, &sandbox).await, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(100));

    // Ten at once wait together, not one after another (10 x 100 ms).
    let started = Instant::now();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let request = get_request(&client, &sandbox, &jobs());
            tokio::spawn(async move { request.send().await.map(|r| r.status()) })
        })
        .collect();
    for task in tasks {
        let status = task.await.expect("task").expect("response");
        assert_eq!(status, StatusCode::OK);
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(600), "{elapsed:?}");

    // Latency can be changed while running.
    sandbox.set_latency(Duration::from_millis(250));
    let started = Instant::now();
    assert_eq!(jobs_status(&client, &sandbox).await, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(250));
    sandbox.set_latency(Duration::ZERO);
    assert_eq!(jobs_status(&client, &sandbox).await, StatusCode::OK);
}

#[tokio::test]
async fn same_page_forever_repeats_page_one_with_a_next_link() {
    let sandbox = Sandbox::start().await.expect("start");
    let (_, first) = jobs_page(&sandbox, "itemsPerPage=10").await;
    sandbox.set_listing_quirk(ListingQuirk::SamePageForever);
    for page_num in [1, 2, 5, 99] {
        let (status, page) =
            jobs_page(&sandbox, &format!("itemsPerPage=10&pageNum={page_num}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&page), ids(&first), "page {page_num}");
        assert_eq!(page["totalCount"], 420);
        assert!(
            href(&page, "next").is_some_and(|h| h.contains(&format!("pageNum={}&", page_num + 1)))
        );
    }
    sandbox.set_listing_quirk(ListingQuirk::None);
    let (_, past) = jobs_page(&sandbox, "pageNum=99").await;
    assert!(ids(&past).is_empty());
    assert_eq!(rels(&past), ["self", "previous"]);
    assert_eq!(past["totalCount"], 42);
}

#[tokio::test]
async fn growing_count_grows_by_items_per_page() {
    let sandbox = Sandbox::start().await.expect("start");
    let (_, normal_second) = jobs_page(&sandbox, "itemsPerPage=10&pageNum=2").await;
    sandbox.set_listing_quirk(ListingQuirk::GrowingCount);
    let mut counts = Vec::new();
    for page_num in 1..=5 {
        let (_, page) = jobs_page(&sandbox, &format!("itemsPerPage=10&pageNum={page_num}")).await;
        if page_num == 2 {
            assert_eq!(ids(&page), ids(&normal_second));
        }
        if page_num == 5 {
            // The real last page: no next link, despite the count.
            assert_eq!(ids(&page).len(), 2);
            assert!(href(&page, "next").is_none());
        }
        counts.push(page["totalCount"].as_u64().unwrap_or(0));
    }
    assert_eq!(counts, [42, 52, 62, 72, 82]);
    // Errors do not count as pages served.
    let (status, _) = jobs_page(&sandbox, "pageNum=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, page) = jobs_page(&sandbox, "itemsPerPage=10").await;
    assert_eq!(page["totalCount"], 92);
    // Setting the quirk again starts from the real count.
    sandbox.set_listing_quirk(ListingQuirk::GrowingCount);
    let (_, page) = json(get(&sandbox, &jobs()).await).await;
    assert_eq!(page["totalCount"], 42);
}

#[tokio::test]
async fn next_link_past_the_end_never_stops() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.set_listing_quirk(ListingQuirk::NextLinkPastTheEnd);
    let (_, last) = jobs_page(&sandbox, "itemsPerPage=10&pageNum=5").await;
    assert_eq!(ids(&last).len(), 2);
    assert_eq!(last["totalCount"], 42);
    let next = href(&last, "next").expect("a next link on the last page");
    assert!(next.ends_with("pageNum=6&itemsPerPage=10"), "{next}");

    // Following it gives an empty page that links further still.
    let path = next.trim_start_matches(&sandbox.base_url()).to_owned();
    let (status, beyond) = json(get(&sandbox, &path).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ids(&beyond).is_empty());
    assert_eq!(beyond["totalCount"], 42);
    assert!(href(&beyond, "next").is_some_and(|h| h.contains("pageNum=7&")));

    sandbox.set_listing_quirk(ListingQuirk::None);
    let (_, last) = jobs_page(&sandbox, "itemsPerPage=10&pageNum=5").await;
    assert!(href(&last, "next").is_none());
}
