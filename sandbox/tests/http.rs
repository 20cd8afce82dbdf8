//! The sandbox over real loopback HTTP.

use atlas_endpoints_sandbox::{
    Sandbox, DEFAULT_EMPTY_INSTANCE, DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT,
    DEFAULT_TOKEN, MAX_JOBS_PER_INSTANCE, MEDIA_TYPE_2023_01_01,
};
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;

fn jobs_path(group: &str, instance: &str) -> String {
    format!("/api/atlas/v2/groups/{group}/serverless/{instance}/backup/restoreJobs")
}

fn default_jobs() -> String {
    jobs_path(DEFAULT_GROUP_ID, DEFAULT_INSTANCE)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    json: Value,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// GET `path_and_query` with the given token (None: no `Authorization`) and
/// `Accept` (None: none).
async fn get_with(
    sandbox: &Sandbox,
    path_and_query: &str,
    token: Option<&str>,
    accept: Option<&str>,
) -> Reply {
    let mut request = reqwest::Client::new().get(format!("{}{path_and_query}", sandbox.base_url()));
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    let response = request.send().await.expect("request reaches the sandbox");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        json,
    }
}

/// GET with the sandbox's token and the right `Accept`.
async fn get(sandbox: &Sandbox, path_and_query: &str) -> Reply {
    get_with(
        sandbox,
        path_and_query,
        Some(sandbox.token()),
        Some(MEDIA_TYPE_2023_01_01),
    )
    .await
}

fn assert_api_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.json["error"], status);
    assert_eq!(reply.json["errorCode"], code);
    assert_eq!(
        reply.json["reason"].as_str(),
        reply.status.canonical_reason()
    );
    assert!(reply.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(reply.json["parameters"].is_array());
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

#[tokio::test]
async fn missing_or_wrong_token_is_401() {
    let sandbox = Sandbox::start().await.expect("start");
    assert_eq!(sandbox.token(), DEFAULT_TOKEN);

    let none = get_with(&sandbox, &default_jobs(), None, Some(MEDIA_TYPE_2023_01_01)).await;
    assert_api_error(&none, 401, "UNAUTHORIZED");

    // Authentication comes before the Accept check.
    let wrong = get_with(&sandbox, &default_jobs(), Some("nope"), Some("text/html")).await;
    assert_api_error(&wrong, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn wrong_or_missing_accept_is_406_naming_the_media_type() {
    let sandbox = Sandbox::start().await.expect("start");
    for accept in [
        Some("application/json"),
        Some("application/vnd.atlas.2024-08-05+json"),
        None,
    ] {
        let reply = get_with(&sandbox, &default_jobs(), Some(DEFAULT_TOKEN), accept).await;
        assert_api_error(&reply, 406, "INVALID_VERSION_DATE");
        assert!(reply.json["detail"]
            .as_str()
            .is_some_and(|d| d.contains(MEDIA_TYPE_2023_01_01)));
    }
}

#[tokio::test]
async fn invalid_path_or_paging_is_400() {
    let sandbox = Sandbox::start().await.expect("start");
    let cases = [
        (
            jobs_path("5E2211C17A3E5A48F5497DE3", DEFAULT_INSTANCE),
            "groupId",
        ),
        (jobs_path("not-an-id", DEFAULT_INSTANCE), "groupId"),
        (
            jobs_path(DEFAULT_GROUP_ID, "-leading-hyphen"),
            "clusterName",
        ),
        (jobs_path(DEFAULT_GROUP_ID, "has_underscore"), "clusterName"),
        (format!("{}?itemsPerPage=0", default_jobs()), "itemsPerPage"),
        (
            format!("{}?itemsPerPage=501", default_jobs()),
            "itemsPerPage",
        ),
        (
            format!("{}?itemsPerPage=ten", default_jobs()),
            "itemsPerPage",
        ),
        (format!("{}?pageNum=0", default_jobs()), "pageNum"),
        (
            format!("{}?includeCount=yes", default_jobs()),
            "includeCount",
        ),
    ];
    for (path, field) in cases {
        let reply = get(&sandbox, &path).await;
        assert_api_error(&reply, 400, "VALIDATION_ERROR");
        assert_eq!(
            reply.json["badRequestDetail"]["fields"][0]["field"], field,
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_encoded_slash_stays_in_the_cluster_segment() {
    let sandbox = Sandbox::start().await.expect("start");
    // Decoded, this would read `serverless-demo/backup/restoreJobs` plus more.
    let path = jobs_path(DEFAULT_GROUP_ID, "serverless-demo%2Fbackup");
    let reply = get(&sandbox, &path).await;
    assert_api_error(&reply, 400, "VALIDATION_ERROR");
    assert_eq!(
        reply.json["badRequestDetail"]["fields"][0]["field"],
        "clusterName"
    );
    // Percent-decoding for validation: `%2D` is `-`, a valid name.
    let encoded_hyphen = get(&sandbox, &jobs_path(DEFAULT_GROUP_ID, "serverless%2Ddemo")).await;
    assert_eq!(encoded_hyphen.status, StatusCode::OK);
    // The recorded path is the raw one.
    assert_eq!(sandbox.requests()[0].path, path);
}

#[tokio::test]
async fn unknown_group_instance_or_route_is_404() {
    let sandbox = Sandbox::start().await.expect("start");
    let instance = get(&sandbox, &jobs_path(DEFAULT_GROUP_ID, "no-such-instance")).await;
    assert_api_error(&instance, 404, "RESOURCE_NOT_FOUND");
    let group = get(
        &sandbox,
        &jobs_path("0123456789abcdef01234567", DEFAULT_INSTANCE),
    )
    .await;
    assert_api_error(&group, 404, "RESOURCE_NOT_FOUND");
    let route = get(&sandbox, "/api/atlas/v2/nowhere").await;
    assert_api_error(&route, 404, "RESOURCE_NOT_FOUND");
}

#[tokio::test]
async fn default_page_holds_every_job_with_the_spec_fields() {
    let sandbox = Sandbox::start().await.expect("start");
    let reply = get(&sandbox, &default_jobs()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), MEDIA_TYPE_2023_01_01);
    assert_eq!(reply.json["totalCount"], DEFAULT_JOB_COUNT);
    let results = reply.json["results"].as_array().expect("results");
    assert_eq!(results.len(), DEFAULT_JOB_COUNT);
    assert_eq!(rels(&reply.json), ["self"]);

    let first = &results[0];
    assert_eq!(first["timestamp"], "2025-11-03T10:15:00Z");
    assert_eq!(first["targetGroupId"], DEFAULT_GROUP_ID);
    let types: Vec<&str> = results[..3]
        .iter()
        .filter_map(|job| job["deliveryType"].as_str())
        .collect();
    assert_eq!(types, ["automated", "download", "pointInTime"]);
    assert!(results[1]["deliveryUrl"].is_array());
    assert!(results[2]["pointInTimeUTCSeconds"]
        .as_i64()
        .is_some_and(|s| s >= 1_199_145_600));
    let self_link = first["links"][0]["href"].as_str().unwrap_or("");
    assert!(self_link.starts_with(&sandbox.base_url()));
    assert!(self_link.ends_with(first["id"].as_str().unwrap_or("?")));
    assert!(results.iter().any(|job| job.get("finishedAt").is_none()));

    let empty = get(
        &sandbox,
        &jobs_path(DEFAULT_GROUP_ID, DEFAULT_EMPTY_INSTANCE),
    )
    .await;
    assert_eq!(empty.json["totalCount"], 0);
    assert_eq!(empty.json["results"], serde_json::json!([]));
}

#[tokio::test]
async fn pages_link_to_their_neighbours() {
    let sandbox = Sandbox::start().await.expect("start");
    let all = get(&sandbox, &default_jobs()).await.json["results"].clone();
    let base = format!("{}{}", sandbox.base_url(), default_jobs());

    let second = get(
        &sandbox,
        &format!("{}?pageNum=2&itemsPerPage=10", default_jobs()),
    )
    .await;
    assert_eq!(second.json["totalCount"], DEFAULT_JOB_COUNT);
    assert_eq!(second.json["results"].as_array().map(Vec::len), Some(10));
    assert_eq!(second.json["results"][0], all[10]);
    assert_eq!(rels(&second.json), ["self", "previous", "next"]);
    assert_eq!(
        href(&second.json, "self"),
        Some(format!("{base}?pageNum=2&itemsPerPage=10").as_str())
    );
    assert_eq!(
        href(&second.json, "previous"),
        Some(format!("{base}?pageNum=1&itemsPerPage=10").as_str())
    );
    assert_eq!(
        href(&second.json, "next"),
        Some(format!("{base}?pageNum=3&itemsPerPage=10").as_str())
    );

    // Following `next` to the end visits every job once, in order.
    let mut url = format!("{}?itemsPerPage=10", default_jobs());
    let mut seen = Vec::new();
    loop {
        let page = get(&sandbox, &url).await;
        seen.extend(page.json["results"].as_array().cloned().unwrap_or_default());
        match href(&page.json, "next") {
            Some(next) => url = next.trim_start_matches(&sandbox.base_url()).to_owned(),
            None => break,
        }
        assert!(seen.len() <= DEFAULT_JOB_COUNT, "next links loop");
    }
    assert_eq!(Value::Array(seen), all);

    let past = get(
        &sandbox,
        &format!("{}?pageNum=9&itemsPerPage=10", default_jobs()),
    )
    .await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(past.json["results"], serde_json::json!([]));
    assert_eq!(rels(&past.json), ["self", "previous"]);
}

#[tokio::test]
async fn include_count_false_omits_total_count() {
    let sandbox = Sandbox::start().await.expect("start");
    let reply = get(&sandbox, &format!("{}?includeCount=false", default_jobs())).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.json.get("totalCount").is_none());
    assert_eq!(
        reply.json["results"].as_array().map(Vec::len),
        Some(DEFAULT_JOB_COUNT)
    );
}

#[tokio::test]
async fn envelope_answers_200_with_the_status_in_the_body() {
    let sandbox = Sandbox::start().await.expect("start");
    let page = get(
        &sandbox,
        &format!("{}?envelope=true&itemsPerPage=5", default_jobs()),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json["status"], 200);
    assert_eq!(page.json["results"].as_array().map(Vec::len), Some(5));

    let error = get(
        &sandbox,
        &format!(
            "{}?envelope=true",
            jobs_path(DEFAULT_GROUP_ID, "no-such-instance")
        ),
    )
    .await;
    assert_eq!(error.status, StatusCode::OK);
    assert_eq!(error.json["status"], 404);
    assert_eq!(error.json["content"]["errorCode"], "RESOURCE_NOT_FOUND");
    assert_eq!(error.json["content"]["error"], 404);
}

#[tokio::test]
async fn pretty_indents_the_same_json() {
    let sandbox = Sandbox::start().await.expect("start");
    let compact = get(&sandbox, &format!("{}?itemsPerPage=2", default_jobs())).await;
    let pretty = get(
        &sandbox,
        &format!("{}?itemsPerPage=2&pretty=true", default_jobs()),
    )
    .await;
    assert!(!compact.text.contains('\n'));
    assert!(pretty.text.contains("\n  \""));
    assert_eq!(pretty.json, compact.json);
}

#[tokio::test]
async fn sunset_serverless_answers_410_after_authentication() {
    let sandbox = Sandbox::builder()
        .sunset_serverless(true)
        .start()
        .await
        .expect("start");
    let gone = get(&sandbox, &default_jobs()).await;
    assert_api_error(&gone, 410, "VERSION_GONE");
    assert_eq!(gone.header("sunset"), "Thu, 22 Jan 2026 00:00:00 GMT");

    let unauthenticated = get_with(&sandbox, &default_jobs(), None, None).await;
    assert_api_error(&unauthenticated, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn every_request_is_counted_and_recorded() {
    let sandbox = Sandbox::start().await.expect("start");
    assert_eq!(sandbox.request_count(), 0);

    get_with(&sandbox, &default_jobs(), None, None).await; // 401
    get(&sandbox, "/elsewhere?a=%20b").await; // 404
    let post = reqwest::Client::new()
        .post(format!("{}/api/atlas/v2/anything", sandbox.base_url()))
        .header(AUTHORIZATION, format!("Bearer {DEFAULT_TOKEN}"))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"name":"x"}"#)
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), StatusCode::NOT_FOUND);
    assert_eq!(sandbox.request_count(), 3);

    let requests = sandbox.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, default_jobs());
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[1].path, "/elsewhere");
    assert_eq!(requests[1].query.as_deref(), Some("a=%20b"));
    assert_eq!(requests[1].header("Accept"), Some(MEDIA_TYPE_2023_01_01));
    assert_eq!(requests[2].method, "POST");
    assert_eq!(requests[2].body, br#"{"name":"x"}"#);

    sandbox.reset_requests();
    assert_eq!(sandbox.request_count(), 0);
    assert!(sandbox.requests().is_empty());
    get(&sandbox, &default_jobs()).await;
    assert_eq!(sandbox.request_count(), 1);
}

#[tokio::test]
async fn builder_sets_token_data_and_extra_routes() {
    let group = "0123456789abcdef01234567";
    let extra = axum::Router::new().route("/custom", axum::routing::get(|| async { "custom" }));
    let sandbox = Sandbox::builder()
        .token("secret")
        .instance(group, "mine", 3)
        .route(extra)
        .start()
        .await
        .expect("start");
    assert_eq!(sandbox.token(), "secret");

    let old_token = get_with(
        &sandbox,
        &jobs_path(group, "mine"),
        Some(DEFAULT_TOKEN),
        Some(MEDIA_TYPE_2023_01_01),
    )
    .await;
    assert_eq!(old_token.status, StatusCode::UNAUTHORIZED);

    let mine = get(&sandbox, &jobs_path(group, "mine")).await;
    assert_eq!(mine.json["totalCount"], 3);
    // Adding an instance replaces the default seed.
    let default = get(&sandbox, &default_jobs()).await;
    assert_eq!(default.status, StatusCode::NOT_FOUND);

    let custom = get_with(&sandbox, "/custom", None, None).await;
    assert_eq!(custom.text, "custom");
    assert_eq!(sandbox.request_count(), 4);
}

#[tokio::test]
async fn the_largest_instance_pages_to_its_end() {
    let group = "0123456789abcdef01234567";
    let sandbox = Sandbox::builder()
        .instance(group, "big", MAX_JOBS_PER_INSTANCE + 1)
        .start()
        .await
        .expect("start");
    let last = get(
        &sandbox,
        &format!("{}?itemsPerPage=500&pageNum=200", jobs_path(group, "big")),
    )
    .await;
    assert_eq!(last.status, StatusCode::OK);
    assert_eq!(last.json["totalCount"], MAX_JOBS_PER_INSTANCE);
    let results = last.json["results"].as_array().expect("results");
    assert_eq!(results.len(), 500);
    assert!(results[499]["finishedAt"].is_null());
    assert!(results
        .iter()
        .filter_map(|job| job["oplogTs"].as_i64())
        .all(|ts| ts <= i64::from(i32::MAX)));
    assert_eq!(rels(&last.json), ["self", "previous"]);
}

#[tokio::test]
async fn stopping_closes_the_port() {
    let client = reqwest::Client::new();

    let sandbox = Sandbox::start().await.expect("start");
    let url = format!("{}/ping", sandbox.base_url());
    assert!(client.get(&url).send().await.is_ok());
    sandbox.shutdown().await;
    assert!(client.get(&url).send().await.is_err());

    let dropped = Sandbox::start().await.expect("start");
    let url = format!("{}/ping", dropped.base_url());
    drop(dropped);
    // The server task notices the drop the next time it runs.
    let mut refused = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        if reqwest::Client::new().get(&url).send().await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "the dropped sandbox still answers");
}
