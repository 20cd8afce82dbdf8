//! The sandbox over real loopback HTTP.

mod support;

use atlas_endpoints_sandbox::{
    Sandbox, DEFAULT_EMPTY_INSTANCE, DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT,
    DEFAULT_TOKEN, MAX_JOBS_PER_INSTANCE,
};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::{
    assert_api_error, get, href, jobs, rels, request, serverless_at, start, Reply, SERVERLESS,
};

fn jobs_path(group: &str, instance: &str) -> String {
    serverless_at(group, instance, "restoreJobs")
}

/// GET the restore jobs of `instance` in `group`, as a client would.
async fn get_jobs_of(sandbox: &Sandbox, group: &str, instance: &str) -> Reply {
    get(sandbox, &jobs_path(group, instance), SERVERLESS).await
}

/// GET the default restore jobs with `query`, as a client would.
async fn get_jobs(sandbox: &Sandbox, query: &str) -> Reply {
    get(sandbox, &format!("{}?{query}", jobs()), SERVERLESS).await
}

/// GET `path_and_query` with the given token (None: no `Authorization`) and
/// `Accept` (None: none).
async fn get_with(
    sandbox: &Sandbox,
    path_and_query: &str,
    token: Option<&str>,
    accept: Option<&str>,
) -> Reply {
    let mut request = request(sandbox, Method::GET, path_and_query);
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    Reply::of(request).await
}

#[tokio::test]
async fn missing_or_wrong_token_is_401() {
    let sandbox = Sandbox::start().await.expect("start");
    assert_eq!(sandbox.token(), DEFAULT_TOKEN);

    let none = get_with(&sandbox, &jobs(), None, Some(SERVERLESS)).await;
    assert_api_error(&none, 401, "UNAUTHORIZED");

    // Authentication comes before the Accept check.
    let wrong = get_with(&sandbox, &jobs(), Some("nope"), Some("text/html")).await;
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
        let reply = get_with(&sandbox, &jobs(), Some(DEFAULT_TOKEN), accept).await;
        assert_api_error(&reply, 406, "INVALID_VERSION_DATE");
        assert!(reply.json["detail"]
            .as_str()
            .is_some_and(|d| d.contains(SERVERLESS)));
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
        (format!("{}?itemsPerPage=0", jobs()), "itemsPerPage"),
        (format!("{}?itemsPerPage=501", jobs()), "itemsPerPage"),
        (format!("{}?itemsPerPage=ten", jobs()), "itemsPerPage"),
        (format!("{}?pageNum=0", jobs()), "pageNum"),
        (format!("{}?includeCount=yes", jobs()), "includeCount"),
    ];
    for (path, field) in cases {
        let reply = get(&sandbox, &path, SERVERLESS).await;
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
    let reply = get(&sandbox, &path, SERVERLESS).await;
    assert_api_error(&reply, 400, "VALIDATION_ERROR");
    assert_eq!(
        reply.json["badRequestDetail"]["fields"][0]["field"],
        "clusterName"
    );
    // Percent-decoding for validation: `%2D` is `-`, a valid name.
    let encoded_hyphen = get_jobs_of(&sandbox, DEFAULT_GROUP_ID, "serverless%2Ddemo").await;
    assert_eq!(encoded_hyphen.status, StatusCode::OK);
    // The recorded path is the raw one.
    assert_eq!(sandbox.requests()[0].path, path);
}

#[tokio::test]
async fn unknown_group_instance_or_route_is_404() {
    let sandbox = Sandbox::start().await.expect("start");
    let instance = get_jobs_of(&sandbox, DEFAULT_GROUP_ID, "no-such-instance").await;
    assert_api_error(&instance, 404, "RESOURCE_NOT_FOUND");
    // An unknown project has its own code, as in Atlas.
    let group = get_jobs_of(&sandbox, "0123456789abcdef01234567", DEFAULT_INSTANCE).await;
    assert_api_error(&group, 404, "GROUP_NOT_FOUND");
    let route = get(&sandbox, "/api/atlas/v2/nowhere", SERVERLESS).await;
    assert_api_error(&route, 404, "RESOURCE_NOT_FOUND");
}

#[tokio::test]
async fn default_page_holds_every_job_with_the_spec_fields() {
    let sandbox = Sandbox::start().await.expect("start");
    let reply = get(&sandbox, &jobs(), SERVERLESS).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), SERVERLESS);
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

    let empty = get_jobs_of(&sandbox, DEFAULT_GROUP_ID, DEFAULT_EMPTY_INSTANCE).await;
    assert_eq!(empty.json["totalCount"], 0);
    assert_eq!(empty.json["results"], serde_json::json!([]));
}

#[tokio::test]
async fn pages_link_to_their_neighbours() {
    let sandbox = Sandbox::start().await.expect("start");
    let all = get(&sandbox, &jobs(), SERVERLESS).await.json["results"].clone();
    let base = format!("{}{}", sandbox.base_url(), jobs());

    let second = get_jobs(&sandbox, "pageNum=2&itemsPerPage=10").await;
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
    let mut url = format!("{}?itemsPerPage=10", jobs());
    let mut seen = Vec::new();
    loop {
        let page = get(&sandbox, &url, SERVERLESS).await;
        seen.extend(page.json["results"].as_array().cloned().unwrap_or_default());
        match href(&page.json, "next") {
            Some(next) => url = next.trim_start_matches(&sandbox.base_url()).to_owned(),
            None => break,
        }
        assert!(seen.len() <= DEFAULT_JOB_COUNT, "next links loop");
    }
    assert_eq!(Value::Array(seen), all);

    let past = get_jobs(&sandbox, "pageNum=9&itemsPerPage=10").await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(past.json["results"], serde_json::json!([]));
    assert_eq!(rels(&past.json), ["self", "previous"]);
}

#[tokio::test]
async fn include_count_false_omits_total_count() {
    let sandbox = Sandbox::start().await.expect("start");
    let reply = get_jobs(&sandbox, "includeCount=false").await;
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
    let page = get_jobs(&sandbox, "envelope=true&itemsPerPage=5").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json["status"], 200);
    assert_eq!(page.json["results"].as_array().map(Vec::len), Some(5));

    let error = get(
        &sandbox,
        &format!(
            "{}?envelope=true",
            jobs_path(DEFAULT_GROUP_ID, "no-such-instance")
        ),
        SERVERLESS,
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
    let compact = get_jobs(&sandbox, "itemsPerPage=2").await;
    let pretty = get_jobs(&sandbox, "itemsPerPage=2&pretty=true").await;
    assert!(!compact.text.contains('\n'));
    assert!(pretty.text.contains("\n  \""));
    assert_eq!(pretty.json, compact.json);
}

#[tokio::test]
async fn sunset_serverless_answers_410_after_authentication() {
    let sandbox = start(Sandbox::builder().sunset_serverless(true)).await;
    let gone = get(&sandbox, &jobs(), SERVERLESS).await;
    assert_api_error(&gone, 410, "VERSION_GONE");
    assert_eq!(gone.header("sunset"), "Thu, 22 Jan 2026 00:00:00 GMT");

    let unauthenticated = get_with(&sandbox, &jobs(), None, None).await;
    assert_api_error(&unauthenticated, 401, "UNAUTHORIZED");
}

#[tokio::test]
async fn every_request_is_counted_and_recorded() {
    let sandbox = Sandbox::start().await.expect("start");
    assert_eq!(sandbox.request_count(), 0);

    get_with(&sandbox, &jobs(), None, None).await; // 401
    get(&sandbox, "/elsewhere?a=%20b", SERVERLESS).await; // 404
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
    assert_eq!(requests[0].path, jobs());
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[1].path, "/elsewhere");
    assert_eq!(requests[1].query.as_deref(), Some("a=%20b"));
    assert_eq!(requests[1].header("Accept"), Some(SERVERLESS));
    assert_eq!(requests[2].method, "POST");
    assert_eq!(requests[2].body, br#"{"name":"x"}"#);

    sandbox.reset_requests();
    assert_eq!(sandbox.request_count(), 0);
    assert!(sandbox.requests().is_empty());
    get(&sandbox, &jobs(), SERVERLESS).await;
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
        Some(SERVERLESS),
    )
    .await;
    assert_eq!(old_token.status, StatusCode::UNAUTHORIZED);

    let mine = get_jobs_of(&sandbox, group, "mine").await;
    assert_eq!(mine.json["totalCount"], 3);
    // Adding an instance replaces the default seed.
    let default = get(&sandbox, &jobs(), SERVERLESS).await;
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
        SERVERLESS,
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
