//! Serverless instance routes (sunset by Atlas on 2026-01-22).

use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::Value;

use crate::checks::{self, ListParams, PathParams, QueryParams, Validator};
use crate::errors::ApiError;
use crate::render::Format;
use crate::state::SharedState;
use crate::{MEDIA_TYPE_2023_01_01, SERVERLESS_SUNSET};

/// `listGroupServerlessBackupRestoreJobs`.
const LIST_RESTORE_JOBS: &str =
    "/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs";

/// The serverless routes.
pub(crate) fn routes() -> Router<SharedState> {
    Router::new().route(LIST_RESTORE_JOBS, get(list_restore_jobs))
}

/// Authentication, then the sunset (410), then the version (406): the guards
/// every serverless route runs before looking at its own parameters.
fn guard(
    state: &SharedState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    media_type: &'static str,
) -> Result<(), ApiError> {
    state.auth.authenticate(method, uri, headers)?;
    if state.sunset_serverless {
        return Err(ApiError::gone(SERVERLESS_SUNSET));
    }
    checks::accept(headers, media_type)
}

async fn list_restore_jobs(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let format = Format::lenient(&query);
    let outcome = list_restore_jobs_body(&state, &method, &uri, &headers, &query);
    super::respond(outcome, MEDIA_TYPE_2023_01_01, format)
}

fn list_restore_jobs_body(
    state: &SharedState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    query: &QueryParams,
) -> Result<Value, ApiError> {
    guard(state, method, uri, headers, MEDIA_TYPE_2023_01_01)?;

    let path = PathParams::extract(LIST_RESTORE_JOBS, uri.path());
    let group_id = path.get("groupId");
    let name = path.get("clusterName");
    let mut validator = Validator::default();
    validator.object_id("groupId", group_id);
    validator.cluster_name("clusterName", name);
    let params = ListParams::validate(query, &mut validator);
    validator.finish()?;

    let data = state.read();
    let group = data
        .groups
        .get(group_id)
        .ok_or_else(|| ApiError::group_not_found(group_id))?;
    let instance = group
        .serverless
        .get(name)
        .ok_or_else(|| ApiError::serverless_instance_not_found(group_id, name))?;
    // Both names passed validation, so they need no encoding.
    let canonical = format!("/api/atlas/v2/groups/{group_id}/serverless/{name}/backup/restoreJobs");
    let quirk = state.faults.listing(params.items_per_page);
    Ok(super::page(
        &instance.restore_jobs,
        params,
        &state.base_url,
        &canonical,
        quirk,
    ))
}
