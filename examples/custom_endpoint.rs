//! For library authors: declare an Atlas endpoint the facade does not have, serve it from the
//! sandbox, and call it.
//!
//! ```text
//! cargo run --example custom_endpoint
//! ```
//!
//! The endpoint is `getGroup` (`GET /api/atlas/v2/groups/{groupId}`, version 2023-01-01): one
//! trait method with `#[atlas_endpoint]`, one empty `impl` for `Client`. The sandbox does not
//! know it, so the example adds an axum route for it with `SandboxBuilder::route`, the way a
//! library tests its own endpoints offline.

use std::process::ExitCode;

use atlas_endpoints::{atlas_endpoint, AtlasClient, Call, Client, ErrorKind, Link};
use atlas_endpoints_sandbox::{Sandbox, DEFAULT_GROUP_ID};
use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

mod support;

/// A project, with the fields this library needs (spec schema `Group`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// The project's 24-hex-digit id.
    pub id: Option<String>,
    /// The project's name.
    pub name: String,
    /// The 24-hex-digit id of the organization the project belongs to.
    pub org_id: String,
    /// How many clusters the project holds.
    pub cluster_count: i64,
    /// When the project was created.
    pub created: DateTime<Utc>,
    /// The links of the project.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The endpoints this library adds. `AtlasClient` as supertrait lets generic code call them.
pub trait Projects: AtlasClient {
    /// Return one project.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>",
        version = "2023-01-01",
        operation_id = "getGroup"
    )]
    fn get_project(&self, #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str) -> Call<Project>;
}

impl Projects for Client {}

const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// The route a library adds to the sandbox for its endpoint: it checks the version as Atlas
/// does and knows one project.
fn projects_route() -> Router {
    Router::new().route("/api/atlas/v2/groups/{groupId}", get(get_group))
}

async fn get_group(Path(group_id): Path<String>, headers: HeaderMap) -> Response {
    let error = |status: StatusCode, code: &str, detail: String| {
        let body = json!({
            "error": status.as_u16(), "errorCode": code, "detail": detail,
            "reason": status.canonical_reason(), "parameters": [{"groupId": group_id}],
        });
        (status, Json(body)).into_response()
    };
    if headers.get(header::ACCEPT).map(|v| v.as_bytes()) != Some(MEDIA_TYPE.as_bytes()) {
        return error(
            StatusCode::NOT_ACCEPTABLE,
            "INVALID_VERSION_DATE",
            format!("this route serves {MEDIA_TYPE}"),
        );
    }
    if group_id != DEFAULT_GROUP_ID {
        return error(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            format!("no project {group_id}"),
        );
    }
    let body = json!({
        "id": DEFAULT_GROUP_ID,
        "name": "sandbox-project",
        "orgId": "5e2211c17a3e5a48f5497de9",
        "clusterCount": 2,
        "created": "2025-11-03T10:15:00Z",
        "links": [],
    });
    ([(header::CONTENT_TYPE, MEDIA_TYPE)], Json(body)).into_response()
}

#[tokio::main]
async fn main() -> ExitCode {
    support::exit_status(run().await)
}

async fn run() -> Result<(), String> {
    let sandbox = Sandbox::builder()
        .route(projects_route())
        .start()
        .await
        .map_err(|e| format!("could not start the sandbox: {e}"))?;
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .build()
        .map_err(|e| e.report().to_string())?;

    let call = client.get_project(DEFAULT_GROUP_ID);
    let endpoint = call
        .endpoint()
        .ok_or("a declared call knows its endpoint")?;
    println!(
        "{} {} {} (version {})",
        endpoint.operation_id().unwrap_or("-"),
        endpoint.method(),
        endpoint.spec_path(),
        endpoint.version()
    );
    println!(
        "request: {}",
        call.inspect().map_err(|e| e.report().to_string())?
    );

    let project = call.await.map_err(|e| e.report().to_string())?;
    println!(
        "project {} ({}) of organization {}: {} clusters, created {}",
        project.name,
        project.id.as_deref().unwrap_or("-"),
        project.org_id,
        project.cluster_count,
        project.created.format("%Y-%m-%d")
    );

    // Errors are the same typed errors as the facade's endpoints give.
    let missing = client
        .get_project("000000000000000000000000")
        .await
        .expect_err("an unknown project is a 404");
    println!("unknown project: {missing}");
    let invalid = client
        .get_project("not-a-project-id")
        .await
        .expect_err("a malformed id is refused");
    assert_eq!(invalid.kind(), ErrorKind::InvalidArgument);
    println!("malformed id: {invalid}");

    // The new endpoint is in the catalog, next to the facade's.
    let declared = atlas_endpoints::catalog()
        .iter()
        .filter(|e| e.operation_id() == Some("getGroup"))
        .count();
    println!("getGroup appears {declared} time(s) in the catalog");
    println!("requests the sandbox received: {}", sandbox.request_count());
    Ok(())
}
