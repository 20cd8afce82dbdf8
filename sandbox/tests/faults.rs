//! Scripted faults, latency and listing quirks, over real loopback HTTP.

use std::time::{Duration, Instant};

use atlas_endpoints_sandbox::{
    Fault, ListingQuirk, RateLimit, Sandbox, DEFAULT_GROUP_ID, DEFAULT_INSTANCE,
    MEDIA_TYPE_2023_01_01, REVOKE_PATH, TOKEN_PATH,
};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

fn jobs_path() -> String {
    format!(
        "/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/{DEFAULT_INSTANCE}/backup/restoreJobs"
    )
}

/// GET `path_and_query` with the sandbox's token and the right `Accept`.
async fn send(client: &Client, sandbox: &Sandbox, path_and_query: &str) -> Response {
    client
        .get(format!("{}{path_and_query}", sandbox.base_url()))
        .header(AUTHORIZATION, format!("Bearer {}", sandbox.token()))
        .header(ACCEPT, MEDIA_TYPE_2023_01_01)
        .send()
        .await
        .expect("the response head arrives")
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

fn rels(page: &Value) -> Vec<&str> {
    page["links"]
        .as_array()
        .map(|links| links.iter().filter_map(|l| l["rel"].as_str()).collect())
        .unwrap_or_default()
}

fn href<'a>(page: &'a Value, rel: &str) -> Option<&'a str> {
    page["links"].as_array()?.iter().find(|l| l["rel"] == rel)?["href"].as_str()
}

fn ids(page: &Value) -> Vec<String> {
    page["results"]
        .as_array()
        .map(|jobs| {
            jobs.iter()
                .filter_map(|job| job["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn queued_503s_then_normal_service() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs_path(), [Fault::status(503), Fault::status(503)]);
    assert_eq!(sandbox.pending_faults(), 2);

    for left in [1, 0] {
        let response = get(&sandbox, &jobs_path()).await;
        assert_eq!(header(&response, "content-type"), "application/json");
        let (status, body) = json(response).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"], 503);
        assert_eq!(body["errorCode"], "SERVICE_UNAVAILABLE");
        assert_eq!(body["reason"], "Service Unavailable");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        assert_eq!(sandbox.pending_faults(), left);
    }
    let (status, body) = json(get(&sandbox, &jobs_path()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["totalCount"], 42);
    // Faulted requests are recorded and counted too.
    assert_eq!(sandbox.request_count(), 3);
    assert!(sandbox.requests().iter().all(|r| r.path == jobs_path()));
}

#[tokio::test]
async fn faults_apply_before_authentication() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs_path(), [Fault::status(500)]);
    // No credentials at all: the fault still answers, not a 401.
    let response = Client::new()
        .get(format!("{}{}", sandbox.base_url(), jobs_path()))
        .send()
        .await
        .expect("response");
    let (status, body) = json(response).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["errorCode"], "UNEXPECTED_ERROR");
    // Without a fault, the same request is refused.
    let response = Client::new()
        .get(format!("{}{}", sandbox.base_url(), jobs_path()))
        .send()
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn rate_limited_carries_retry_after_and_rate_limit_headers() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(
        &jobs_path(),
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

    let limited = get(&sandbox, &jobs_path()).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&limited, "retry-after"), "7");
    assert_eq!(header(&limited, "ratelimit-limit"), "100");
    assert_eq!(header(&limited, "ratelimit-remaining"), "0");
    let (_, body) = json(limited).await;
    assert_eq!(body["errorCode"], "RATE_LIMITED");
    assert_eq!(body["error"], 429);

    let unavailable = get(&sandbox, &jobs_path()).await;
    assert_eq!(unavailable.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(header(&unavailable, "retry-after"), "3");
    assert!(unavailable.headers().get("ratelimit-limit").is_none());

    let no_retry_after = get(&sandbox, &jobs_path()).await;
    assert_eq!(no_retry_after.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(no_retry_after.headers().get(RETRY_AFTER).is_none());
    assert_eq!(header(&no_retry_after, "ratelimit-limit"), "50");
    assert_eq!(header(&no_retry_after, "ratelimit-remaining"), "2");
}

#[tokio::test]
async fn html_bad_gateway_is_an_html_page() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs_path(), [Fault::HtmlBadGateway]);
    let response = get(&sandbox, &jobs_path()).await;
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
    let full = get(&sandbox, &jobs_path())
        .await
        .bytes()
        .await
        .expect("full body");

    sandbox.inject(&jobs_path(), [Fault::ResetMidBody]);
    let response = get(&sandbox, &jobs_path()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), MEDIA_TYPE_2023_01_01);
    assert_eq!(
        header(&response, CONTENT_LENGTH.as_str()),
        full.len().to_string()
    );
    let error = response.bytes().await.expect_err("the body is cut");
    assert!(error.is_body() || error.is_decode(), "{error:?}");

    // The sandbox keeps serving afterwards.
    let (status, _) = json(get(&sandbox, &jobs_path()).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn reset_mid_body_fails_an_empty_body_too() {
    let sandbox = Sandbox::builder()
        .service_account("mdb_sa_id_1", "secret")
        .start()
        .await
        .expect("start");
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
    let full = get(&sandbox, &jobs_path())
        .await
        .bytes()
        .await
        .expect("full body");
    sandbox.inject(&jobs_path(), [Fault::TruncatedJson]);
    let response = get(&sandbox, &jobs_path()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), MEDIA_TYPE_2023_01_01);
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
    sandbox.inject(&jobs_path(), [Fault::InvalidJson]);
    let response = get(&sandbox, &jobs_path()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), MEDIA_TYPE_2023_01_01);
    let text = response.text().await.expect("body");
    assert_eq!(text, "{\"results\": [ nope");
    let error = serde_json::from_str::<Value>(&text).expect_err("not JSON");
    assert!(error.is_syntax(), "{error}");
}

#[tokio::test]
async fn delay_trips_a_client_timeout_then_serves() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs_path(), [Fault::Delay(Duration::from_secs(2))]);
    let impatient = Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = impatient
        .get(format!("{}{}", sandbox.base_url(), jobs_path()))
        .header(AUTHORIZATION, format!("Bearer {}", sandbox.token()))
        .header(ACCEPT, MEDIA_TYPE_2023_01_01)
        .send()
        .await
        .expect_err("the delay outlasts the timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(sandbox.pending_faults(), 0);

    // A delay within the timeout: slower, but served normally.
    sandbox.inject(&jobs_path(), [Fault::Delay(Duration::from_millis(150))]);
    let started = Instant::now();
    let (status, body) = json(get(&sandbox, &jobs_path()).await).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["totalCount"], 42);
}

#[tokio::test]
async fn a_delayed_request_does_not_hold_up_others() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.inject(&jobs_path(), [Fault::Delay(Duration::from_secs(3))]);
    let client = Client::new();
    let url = format!("{}{}", sandbox.base_url(), jobs_path());
    let token = format!("Bearer {}", sandbox.token());
    let slow = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .get(url)
                .header(AUTHORIZATION, token)
                .header(ACCEPT, MEDIA_TYPE_2023_01_01)
                .send()
                .await
                .map(|r| r.status())
        }
    });
    // Wait until the slow request has taken its fault.
    let deadline = Instant::now() + Duration::from_secs(2);
    while sandbox.pending_faults() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(sandbox.pending_faults(), 0);
    let (status, _) = json(send(&client, &sandbox, &jobs_path()).await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!slow.is_finished(), "the delayed request is still waiting");
    slow.abort();
}

#[tokio::test]
async fn a_trailing_star_matches_by_prefix() {
    let sandbox = Sandbox::builder()
        .service_account("mdb_sa_id_1", "secret")
        .start()
        .await
        .expect("start");
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
    let (status, body) = json(get(&sandbox, &format!("{}?pageNum=2", jobs_path())).await).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(body["errorCode"], "GATEWAY_TIMEOUT");
    assert_eq!(sandbox.pending_faults(), 0);

    // Without `*`, the path must match exactly (the query does not count).
    sandbox.inject("/api/atlas/v2", [Fault::status(503)]);
    let (status, _) = json(get(&sandbox, &jobs_path()).await).await;
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
    let (status, _) = json(get(&sandbox, &jobs_path()).await).await;
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
        &jobs_path(),
        cases.iter().map(|(scripted, _)| Fault::status(*scripted)),
    );
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for (scripted, sent) in cases {
        let response = send(&client, &sandbox, &jobs_path()).await;
        assert_eq!(response.status().as_u16(), sent, "scripted {scripted}");
        let (_, body) = json(response).await;
        assert_eq!(body["error"], sent, "scripted {scripted}");
    }
    for scripted in [204, 304] {
        sandbox.inject(&jobs_path(), [Fault::status(scripted)]);
        let response = send(&client, &sandbox, &jobs_path()).await;
        assert_eq!(response.status().as_u16(), scripted);
        // These statuses carry no body; what matters is that the connection
        // is left usable.
        let _ = response.bytes().await;
    }
    let (status, _) = json(send(&client, &sandbox, &jobs_path()).await).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn latency_applies_to_requests_concurrently() {
    let sandbox = Sandbox::builder()
        .latency(Duration::from_millis(100))
        .start()
        .await
        .expect("start");
    let client = Client::new();
    let url = format!("{}{}", sandbox.base_url(), jobs_path());
    let token = format!("Bearer {}", sandbox.token());

    // One request waits at least the latency.
    let started = Instant::now();
    assert_eq!(
        send(&client, &sandbox, &jobs_path()).await.status(),
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(100));

    // Ten at once wait together, not one after another (10 x 100 ms).
    let started = Instant::now();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let request = client
                .get(&url)
                .header(AUTHORIZATION, &token)
                .header(ACCEPT, MEDIA_TYPE_2023_01_01);
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
    assert_eq!(
        send(&client, &sandbox, &jobs_path()).await.status(),
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(250));
    sandbox.set_latency(Duration::ZERO);
    assert_eq!(
        send(&client, &sandbox, &jobs_path()).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn same_page_forever_repeats_page_one_with_a_next_link() {
    let sandbox = Sandbox::start().await.expect("start");
    let (_, first) = json(get(&sandbox, &format!("{}?itemsPerPage=10", jobs_path())).await).await;
    sandbox.set_listing_quirk(ListingQuirk::SamePageForever);
    for page_num in [1, 2, 5, 99] {
        let (status, page) = json(
            get(
                &sandbox,
                &format!("{}?itemsPerPage=10&pageNum={page_num}", jobs_path()),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&page), ids(&first), "page {page_num}");
        assert_eq!(page["totalCount"], 420);
        assert!(
            href(&page, "next").is_some_and(|h| h.contains(&format!("pageNum={}&", page_num + 1)))
        );
    }
    sandbox.set_listing_quirk(ListingQuirk::None);
    let (_, past) = json(get(&sandbox, &format!("{}?pageNum=99", jobs_path())).await).await;
    assert!(ids(&past).is_empty());
    assert_eq!(rels(&past), ["self", "previous"]);
    assert_eq!(past["totalCount"], 42);
}

#[tokio::test]
async fn growing_count_grows_by_items_per_page() {
    let sandbox = Sandbox::start().await.expect("start");
    let (_, normal_second) = json(
        get(
            &sandbox,
            &format!("{}?itemsPerPage=10&pageNum=2", jobs_path()),
        )
        .await,
    )
    .await;
    sandbox.set_listing_quirk(ListingQuirk::GrowingCount);
    let mut counts = Vec::new();
    for page_num in 1..=5 {
        let (_, page) = json(
            get(
                &sandbox,
                &format!("{}?itemsPerPage=10&pageNum={page_num}", jobs_path()),
            )
            .await,
        )
        .await;
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
    let (status, _) = json(get(&sandbox, &format!("{}?pageNum=0", jobs_path())).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, page) = json(get(&sandbox, &format!("{}?itemsPerPage=10", jobs_path())).await).await;
    assert_eq!(page["totalCount"], 92);
    // Setting the quirk again starts from the real count.
    sandbox.set_listing_quirk(ListingQuirk::GrowingCount);
    let (_, page) = json(get(&sandbox, &jobs_path()).await).await;
    assert_eq!(page["totalCount"], 42);
}

#[tokio::test]
async fn next_link_past_the_end_never_stops() {
    let sandbox = Sandbox::start().await.expect("start");
    sandbox.set_listing_quirk(ListingQuirk::NextLinkPastTheEnd);
    let (_, last) = json(
        get(
            &sandbox,
            &format!("{}?itemsPerPage=10&pageNum=5", jobs_path()),
        )
        .await,
    )
    .await;
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
    let (_, last) = json(
        get(
            &sandbox,
            &format!("{}?itemsPerPage=10&pageNum=5", jobs_path()),
        )
        .await,
    )
    .await;
    assert!(href(&last, "next").is_none());
}
