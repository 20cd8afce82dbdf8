//! Flex cluster backup routes (API version 2024-11-13): restore jobs (list,
//! create, get one), snapshots (list, get one) and snapshot downloads.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};

use crate::checks::{self, ListParams, PathParams, QueryParams, Validator};
use crate::errors::ApiError;
use crate::render::Format;
use crate::seed::flex::{self, FlexStatus, NewFlexJob};
use crate::state::{Data, FlexCluster, SharedState};
use crate::MEDIA_TYPE_2024_11_13;

/// `listGroupFlexClusterBackupRestoreJobs` (GET) and
/// `createGroupFlexClusterBackupRestoreJob` (POST).
const RESTORE_JOBS: &str = "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs";
/// `getGroupFlexClusterBackupRestoreJob`.
const RESTORE_JOB: &str =
    "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}";
/// `listGroupFlexClusterBackupSnapshots`.
const SNAPSHOTS: &str = "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots";
/// `getGroupFlexClusterBackupSnapshot` (the spec gives it no `pretty`).
const SNAPSHOT: &str =
    "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}";
/// `downloadGroupFlexClusterBackup`.
const DOWNLOAD: &str = "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/download";

/// The description of a 24-hex id, for body fields.
const OBJECT_ID: &str = "24 lowercase hexadecimal characters";

/// The Flex routes.
pub(crate) fn routes() -> Router<SharedState> {
    Router::new()
        .route(
            RESTORE_JOBS,
            get(list_restore_jobs).post(create_restore_job),
        )
        .route(RESTORE_JOB, get(get_restore_job))
        .route(SNAPSHOTS, get(list_snapshots))
        .route(SNAPSHOT, get(get_snapshot))
        .route(DOWNLOAD, post(download))
}

/// Authentication, then the version (406).
fn guard(
    state: &SharedState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<(), ApiError> {
    state.auth.authenticate(method, uri, headers)?;
    checks::accept(headers, MEDIA_TYPE_2024_11_13)
}

/// Validates `groupId` and `name` (with whatever else `validator` holds) and
/// returns them.
fn cluster_path<'p>(path: &'p PathParams, validator: &mut Validator) -> (&'p str, &'p str) {
    let group_id = path.get("groupId");
    let name = path.get("name");
    validator.object_id("groupId", group_id);
    validator.cluster_name("name", name);
    (group_id, name)
}

/// The cluster, or 404 for an unknown project or cluster.
fn cluster<'d>(data: &'d Data, group_id: &str, name: &str) -> Result<&'d FlexCluster, ApiError> {
    data.groups
        .get(group_id)
        .ok_or_else(|| ApiError::group_not_found(group_id))?
        .flex
        .get(name)
        .ok_or_else(|| ApiError::flex_cluster_not_found(group_id, name))
}

fn cluster_mut<'d>(
    data: &'d mut Data,
    group_id: &str,
    name: &str,
) -> Result<&'d mut FlexCluster, ApiError> {
    data.groups
        .get_mut(group_id)
        .ok_or_else(|| ApiError::group_not_found(group_id))?
        .flex
        .get_mut(name)
        .ok_or_else(|| ApiError::flex_cluster_not_found(group_id, name))
}

async fn list_restore_jobs(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let format = Format::lenient(&query);
    let outcome = list_body(&state, &method, &uri, &headers, &query, RESTORE_JOBS);
    super::respond(outcome, MEDIA_TYPE_2024_11_13, format)
}

async fn list_snapshots(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let format = Format::lenient(&query);
    let outcome = list_body(&state, &method, &uri, &headers, &query, SNAPSHOTS);
    super::respond(outcome, MEDIA_TYPE_2024_11_13, format)
}

/// One page of the restore jobs or the snapshots (as `template` says).
fn list_body(
    state: &SharedState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    query: &QueryParams,
    template: &str,
) -> Result<Value, ApiError> {
    guard(state, method, uri, headers)?;

    let path = PathParams::extract(template, uri.path());
    let mut validator = Validator::default();
    let (group_id, name) = cluster_path(&path, &mut validator);
    let params = ListParams::validate(query, &mut validator);
    validator.finish()?;

    let data = state.read();
    let cluster = cluster(&data, group_id, name)?;
    let quirk = state.faults.listing(params.items_per_page);
    // Both names passed validation, so they need no encoding.
    let base = format!("/api/atlas/v2/groups/{group_id}/flexClusters/{name}/backup");
    Ok(if template == SNAPSHOTS {
        let canonical = format!("{base}/snapshots");
        super::page(
            &cluster.snapshots,
            params,
            &state.base_url,
            &canonical,
            quirk,
        )
    } else {
        let canonical = format!("{base}/restoreJobs");
        super::page(
            &cluster.restore_jobs,
            params,
            &state.base_url,
            &canonical,
            quirk,
        )
    })
}

async fn get_restore_job(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let format = Format::lenient(&query);
    let outcome = (|| {
        guard(&state, &method, &uri, &headers)?;
        let path = PathParams::extract(RESTORE_JOB, uri.path());
        let mut validator = Validator::default();
        let (group_id, name) = cluster_path(&path, &mut validator);
        let job_id = path.get("restoreJobId");
        validator.object_id("restoreJobId", job_id);
        validator.format_params(&query, true);
        validator.finish()?;

        let data = state.read();
        cluster(&data, group_id, name)?
            .restore_jobs
            .iter()
            .find(|job| job.id == job_id)
            .map(super::to_json)
            .ok_or_else(|| ApiError::restore_job_not_found(name, job_id))
    })();
    super::respond_one(outcome, MEDIA_TYPE_2024_11_13, format)
}

async fn get_snapshot(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = QueryParams::parse(uri.query());
    // The spec gives this operation no `pretty`: it is ignored.
    let format = Format {
        pretty: false,
        ..Format::lenient(&query)
    };
    let outcome = (|| {
        guard(&state, &method, &uri, &headers)?;
        let path = PathParams::extract(SNAPSHOT, uri.path());
        let mut validator = Validator::default();
        let (group_id, name) = cluster_path(&path, &mut validator);
        let snapshot_id = path.get("snapshotId");
        validator.object_id("snapshotId", snapshot_id);
        validator.format_params(&query, false);
        validator.finish()?;

        let data = state.read();
        cluster(&data, group_id, name)?
            .snapshots
            .iter()
            .find(|snapshot| snapshot.id == snapshot_id)
            .map(super::to_json)
            .ok_or_else(|| ApiError::snapshot_not_found(name, snapshot_id))
    })();
    super::respond_one(outcome, MEDIA_TYPE_2024_11_13, format)
}

/// Which POST: a restore (`restoreJobs`) or a download (`download`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Restore,
    Download,
}

async fn create_restore_job(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    create(state, method, uri, headers, body, Kind::Restore).await
}

async fn download(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    create(state, method, uri, headers, body, Kind::Download).await
}

async fn create(
    state: SharedState,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
    kind: Kind,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let format = Format::lenient(&query);
    // The recorder already read the body within its limit.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let outcome = create_body(&state, &method, &uri, &headers, &query, &bytes, kind);
    super::respond_one(outcome, MEDIA_TYPE_2024_11_13, format)
}

fn create_body(
    state: &SharedState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    query: &QueryParams,
    bytes: &[u8],
    kind: Kind,
) -> Result<Value, ApiError> {
    guard(state, method, uri, headers)?;
    let template = match kind {
        Kind::Restore => RESTORE_JOBS,
        Kind::Download => DOWNLOAD,
    };
    let path = PathParams::extract(template, uri.path());
    let mut validator = Validator::default();
    let (group_id, name) = cluster_path(&path, &mut validator);
    validator.format_params(query, true);
    let requested = validator
        .json_object(bytes)
        .and_then(|body| read_request(&body, &mut validator, kind, group_id));
    let (snapshot_id, request) = validator.finish_with(requested)?;

    let mut data = state.write();
    let cluster = cluster_mut(&mut data, group_id, name)?;
    let snapshot = cluster
        .snapshots
        .iter()
        .find(|snapshot| snapshot.id == snapshot_id)
        .ok_or_else(|| ApiError::snapshot_not_found(name, &snapshot_id))?;
    if snapshot.status != FlexStatus::Completed {
        return Err(ApiError::snapshot_not_complete(
            &snapshot_id,
            snapshot.status.as_str(),
        ));
    }
    let snapshot = snapshot.clone();
    let (now, sequence) = cluster.clock.tick();
    let job = flex::created_flex_job(
        &state.base_url,
        group_id,
        name,
        &snapshot,
        request,
        now,
        sequence,
    );
    let json = super::to_json(&job);
    cluster.restore_jobs.push(job);
    Ok(json)
}

/// Reads a `FlexBackupRestoreJobCreate20241113` body (`snapshotId` and
/// `targetDeploymentItemName` required, `targetProjectId` defaulting to the
/// cluster's project) or a `FlexBackupSnapshotDownloadCreate20241113` one
/// (`snapshotId` required). Read-only fields are ignored.
fn read_request(
    body: &Map<String, Value>,
    validator: &mut Validator,
    kind: Kind,
    group_id: &str,
) -> Option<(String, NewFlexJob)> {
    let snapshot_id =
        validator.body_string(body, "snapshotId", true, checks::is_object_id, OBJECT_ID);
    let request = match kind {
        Kind::Download => NewFlexJob::Download,
        Kind::Restore => {
            let target = validator.body_string(
                body,
                "targetDeploymentItemName",
                true,
                checks::is_deployment_item_name,
                "1 to 64 letters, digits or any of -_.(),:&@+'",
            );
            let project = validator.body_string(
                body,
                "targetProjectId",
                false,
                checks::is_object_id,
                OBJECT_ID,
            );
            NewFlexJob::Restore {
                target_deployment_item_name: target?,
                target_project_id: project.unwrap_or_else(|| group_id.to_owned()),
            }
        }
    };
    Some((snapshot_id?, request))
}
