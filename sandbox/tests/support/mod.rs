//! What the sandbox's integration tests share: the paths they ask for, one way to send a
//! request and read the answer whole, and the checks every Atlas error answer must pass.

#![allow(dead_code)] // each test file uses its own part of this module

use atlas_endpoints_sandbox::{
    Sandbox, SandboxBuilder, DEFAULT_FLEX_CLUSTER, DEFAULT_GROUP_ID, DEFAULT_INSTANCE,
    MEDIA_TYPE_2023_01_01, MEDIA_TYPE_2024_11_13,
};
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;

/// The media type of the serverless routes.
pub const SERVERLESS: &str = MEDIA_TYPE_2023_01_01;
/// The media type of the Flex routes.
pub const FLEX: &str = MEDIA_TYPE_2024_11_13;
/// The media types of the other versions the journeys and lifecycles ask for.
pub const V2023: &str = MEDIA_TYPE_2023_01_01;
pub const V2023_02: &str = "application/vnd.atlas.2023-02-01+json";
pub const V2024_05: &str = "application/vnd.atlas.2024-05-30+json";
pub const V2024_08: &str = "application/vnd.atlas.2024-08-05+json";
pub const V2024_10: &str = "application/vnd.atlas.2024-10-23+json";
/// A well-formed id that no seeded project, job or snapshot has.
pub const UNKNOWN_ID: &str = "0123456789abcdef01234567";

/// Starts the sandbox `builder` describes.
pub async fn start(builder: SandboxBuilder) -> Sandbox {
    builder.start().await.expect("start")
}

// ----- paths -----

/// `/backup/{kind}` of serverless instance `instance` in project `group`.
pub fn serverless_at(group: &str, instance: &str, kind: &str) -> String {
    format!("/api/atlas/v2/groups/{group}/serverless/{instance}/backup/{kind}")
}

/// `/backup/{kind}` of Flex cluster `cluster` in project `group`.
pub fn flex_at(group: &str, cluster: &str, kind: &str) -> String {
    format!("/api/atlas/v2/groups/{group}/flexClusters/{cluster}/backup/{kind}")
}

/// `/backup/{kind}` of the default serverless instance.
pub fn serverless(kind: &str) -> String {
    serverless_at(DEFAULT_GROUP_ID, DEFAULT_INSTANCE, kind)
}

/// `/backup/{kind}` of the default Flex cluster.
pub fn flex(kind: &str) -> String {
    flex_at(DEFAULT_GROUP_ID, DEFAULT_FLEX_CLUSTER, kind)
}

/// The restore jobs of the default serverless instance.
pub fn jobs() -> String {
    serverless("restoreJobs")
}

/// `path` below the default project.
pub fn group(path: &str) -> String {
    format!("/api/atlas/v2/groups/{DEFAULT_GROUP_ID}{path}")
}

/// The path of one item of the listing at `list`: `{list}/{id}`.
pub fn at(list: &str, id: &str) -> String {
    format!("{list}/{id}")
}

/// The `id` of a listed item, `""` if it has none.
pub fn id(item: &Value) -> &str {
    item["id"].as_str().unwrap_or("")
}

// ----- sending -----

/// The URL of `path_and_query` on `sandbox`.
pub fn url(sandbox: &Sandbox, path_and_query: &str) -> String {
    format!("{}{path_and_query}", sandbox.base_url())
}

thread_local! {
    /// The client the requests below go out on, one per test: libtest runs each test on a
    /// thread of its own, and building a client takes tens of milliseconds in a debug build.
    static CLIENT: reqwest::Client = reqwest::Client::new();
}

/// `method` `path_and_query` on `sandbox`, with no header set yet.
pub fn request(sandbox: &Sandbox, method: Method, path_and_query: &str) -> RequestBuilder {
    CLIENT.with(|client| client.request(method, url(sandbox, path_and_query)))
}

/// `request` with the sandbox's own token and `Accept: accept`.
pub fn authorized(request: RequestBuilder, sandbox: &Sandbox, accept: &str) -> RequestBuilder {
    request
        .header(AUTHORIZATION, format!("Bearer {}", sandbox.token()))
        .header(ACCEPT, accept)
}

/// An answer, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON; `Null` if it is not JSON.
    pub json: Value,
}

impl Reply {
    /// Sends `request` and reads the whole answer.
    pub async fn of(request: RequestBuilder) -> Reply {
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

    /// The value of header `name`, `""` if it is absent or not text.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Every `WWW-Authenticate` challenge, in order.
    pub fn challenges(&self) -> Vec<String> {
        self.headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect()
    }

    /// The `results` of a page.
    pub fn results(&self) -> Vec<Value> {
        self.json["results"].as_array().cloned().unwrap_or_default()
    }

    /// The fields a 400 names in `badRequestDetail`, in order.
    pub fn fields(&self) -> Vec<String> {
        self.json["badRequestDetail"]["fields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|f| f["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Sends `method` to `path_and_query` with the sandbox's token, `Accept: accept` and, if
/// any, `body` with `Content-Type: accept`.
pub async fn send(
    sandbox: &Sandbox,
    method: Method,
    path_and_query: &str,
    accept: &str,
    body: Option<&str>,
) -> Reply {
    let mut request = authorized(request(sandbox, method, path_and_query), sandbox, accept);
    if let Some(body) = body {
        request = request.header(CONTENT_TYPE, accept).body(body.to_owned());
    }
    Reply::of(request).await
}

/// GET with the sandbox's token.
pub async fn get(sandbox: &Sandbox, path_and_query: &str, accept: &str) -> Reply {
    send(sandbox, Method::GET, path_and_query, accept, None).await
}

/// POST `body` as JSON with the sandbox's token.
pub async fn post(sandbox: &Sandbox, path_and_query: &str, accept: &str, body: &Value) -> Reply {
    let body = body.to_string();
    send(sandbox, Method::POST, path_and_query, accept, Some(&body)).await
}

/// PATCH `body` as JSON with the sandbox's token.
pub async fn patch(sandbox: &Sandbox, path: &str, accept: &str, body: &Value) -> Reply {
    let body = body.to_string();
    send(sandbox, Method::PATCH, path, accept, Some(&body)).await
}

/// DELETE with the sandbox's token.
pub async fn delete(sandbox: &Sandbox, path: &str, accept: &str) -> Reply {
    send(sandbox, Method::DELETE, path, accept, None).await
}

// ----- bodies -----

/// A valid three-node M10 replica set named `name`, on AWS.
pub fn replica_set(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "clusterType": "REPLICASET",
        "replicationSpecs": [{"regionConfigs": [{
            "providerName": "AWS", "regionName": "US_EAST_1", "priority": 7,
            "electableSpecs": {"instanceSize": "M10", "nodeCount": 3}
        }]}]
    })
}

/// A Flex cluster named `f1`, on AWS.
pub fn flex_f1() -> Value {
    serde_json::json!({"name": "f1", "providerSettings": {"backingProviderName": "AWS", "regionName": "US_EAST_1"}})
}

// ----- checks -----

/// The answer is an Atlas error: `status`, JSON, and a body that repeats the status and
/// carries `code`, the status's reason, a detail and a list of parameters.
pub fn assert_api_error(reply: &Reply, status: u16, code: &str) {
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

/// A GET of `path` answers the Atlas error 404 `code`.
pub async fn assert_not_found(sandbox: &Sandbox, path: &str, accept: &str, code: &str) {
    assert_api_error(&get(sandbox, path, accept).await, 404, code);
}

/// The `rel` of every link of a page, in order.
pub fn rels(page: &Value) -> Vec<&str> {
    page["links"]
        .as_array()
        .map(|links| links.iter().filter_map(|l| l["rel"].as_str()).collect())
        .unwrap_or_default()
}

/// The `href` of a page's link `rel`.
pub fn href<'a>(page: &'a Value, rel: &str) -> Option<&'a str> {
    page["links"].as_array()?.iter().find(|l| l["rel"] == rel)?["href"].as_str()
}

/// The ids of a page's results, in order.
pub fn ids(page: &Value) -> Vec<String> {
    page["results"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
