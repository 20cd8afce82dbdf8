//! Serverless instance backup routes (sunset by Atlas on 2026-01-22): restore
//! jobs (list, create, get one) and snapshots (list, get one).

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{Map, Value};

use crate::checks::{self, ListParams, PathParams, QueryParams, Validator};
use crate::errors::ApiError;
use crate::render::Format;
use crate::seed::{self, DeliveryType, NewServerlessJob, ServerlessSnapshot};
use crate::state::{Data, ServerlessInstance, SharedState};
use crate::{MEDIA_TYPE_2023_01_01, SERVERLESS_SUNSET};

/// `listGroupServerlessBackupRestoreJobs` (GET) and
/// `createGroupServerlessBackupRestoreJob` (POST).
const RESTORE_JOBS: &str =
    "/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs";
/// `getGroupServerlessBackupRestoreJob`.
const RESTORE_JOB: &str =
    "/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs/{restoreJobId}";
/// `listGroupServerlessBackupSnapshots`.
const SNAPSHOTS: &str = "/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots";
/// `getGroupServerlessBackupSnapshot` (the spec gives it no `pretty`).
const SNAPSHOT: &str =
    "/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/snapshots/{snapshotId}";

/// The spec's bounds of the epoch-seconds fields (`int32`, from 2008).
const EPOCH_SECONDS_MIN: i64 = 1_199_145_600;
const INT32_MAX: i64 = i32::MAX as i64;

/// The serverless routes.
pub(crate) fn routes() -> Router<SharedState> {
    Router::new()
        .route(
            RESTORE_JOBS,
            get(list_restore_jobs).post(create_restore_job),
        )
        .route(RESTORE_JOB, get(get_restore_job))
        .route(SNAPSHOTS, get(list_snapshots))
        .route(SNAPSHOT, get(get_snapshot))
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

/// Validates `groupId` and `clusterName` (with whatever else `validator`
/// holds) and returns them.
fn instance_path<'p>(path: &'p PathParams, validator: &mut Validator) -> (&'p str, &'p str) {
    let group_id = path.get("groupId");
    let name = path.get("clusterName");
    validator.object_id("groupId", group_id);
    validator.cluster_name("clusterName", name);
    (group_id, name)
}

/// The instance, or 404 for an unknown project or instance.
fn instance<'d>(
    data: &'d Data,
    group_id: &str,
    name: &str,
) -> Result<&'d ServerlessInstance, ApiError> {
    data.groups
        .get(group_id)
        .ok_or_else(|| ApiError::group_not_found(group_id))?
        .serverless
        .get(name)
        .ok_or_else(|| ApiError::serverless_instance_not_found(group_id, name))
}

fn instance_mut<'d>(
    data: &'d mut Data,
    group_id: &str,
    name: &str,
) -> Result<&'d mut ServerlessInstance, ApiError> {
    data.groups
        .get_mut(group_id)
        .ok_or_else(|| ApiError::group_not_found(group_id))?
        .serverless
        .get_mut(name)
        .ok_or_else(|| ApiError::serverless_instance_not_found(group_id, name))
}

/// The canonical path of one of the instance's lists (`restoreJobs` or
/// `snapshots`); both names passed validation, so they need no encoding.
fn list_path(group_id: &str, name: &str, kind: &str) -> String {
    format!("/api/atlas/v2/groups/{group_id}/serverless/{name}/backup/{kind}")
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
    super::respond(outcome, MEDIA_TYPE_2023_01_01, format)
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
    super::respond(outcome, MEDIA_TYPE_2023_01_01, format)
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
    guard(state, method, uri, headers, MEDIA_TYPE_2023_01_01)?;

    let path = PathParams::extract(template, uri.path());
    let mut validator = Validator::default();
    let (group_id, name) = instance_path(&path, &mut validator);
    let params = ListParams::validate(query, &mut validator);
    validator.finish()?;

    let data = state.read();
    let instance = instance(&data, group_id, name)?;
    let quirk = state.faults.listing(params.items_per_page);
    Ok(if template == SNAPSHOTS {
        let canonical = list_path(group_id, name, "snapshots");
        super::page(
            &instance.snapshots,
            params,
            &state.base_url,
            &canonical,
            quirk,
        )
    } else {
        let canonical = list_path(group_id, name, "restoreJobs");
        super::page(
            &instance.restore_jobs,
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
        guard(&state, &method, &uri, &headers, MEDIA_TYPE_2023_01_01)?;
        let path = PathParams::extract(RESTORE_JOB, uri.path());
        let mut validator = Validator::default();
        let (group_id, name) = instance_path(&path, &mut validator);
        let job_id = path.get("restoreJobId");
        validator.object_id("restoreJobId", job_id);
        validator.format_params(&query, true);
        validator.finish()?;

        let data = state.read();
        instance(&data, group_id, name)?
            .restore_jobs
            .iter()
            .find(|job| job.id == job_id)
            .map(super::to_json)
            .ok_or_else(|| ApiError::restore_job_not_found(name, job_id))
    })();
    super::respond_one(outcome, MEDIA_TYPE_2023_01_01, format)
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
        guard(&state, &method, &uri, &headers, MEDIA_TYPE_2023_01_01)?;
        let path = PathParams::extract(SNAPSHOT, uri.path());
        let mut validator = Validator::default();
        let (group_id, name) = instance_path(&path, &mut validator);
        let snapshot_id = path.get("snapshotId");
        validator.object_id("snapshotId", snapshot_id);
        validator.format_params(&query, false);
        validator.finish()?;

        let data = state.read();
        instance(&data, group_id, name)?
            .snapshots
            .iter()
            .find(|snapshot| snapshot.id == snapshot_id)
            .map(super::to_json)
            .ok_or_else(|| ApiError::snapshot_not_found(name, snapshot_id))
    })();
    super::respond_one(outcome, MEDIA_TYPE_2023_01_01, format)
}

async fn create_restore_job(
    State(state): State<SharedState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let format = Format::lenient(&query);
    // The recorder already read the body within its limit.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let outcome = create_body(&state, &method, &uri, &headers, &query, &bytes);
    super::respond_one(outcome, MEDIA_TYPE_2023_01_01, format)
}

/// A request's new job, once its body passed validation; the snapshot is
/// looked up afterwards.
struct Requested {
    job: NewServerlessJob,
    snapshot_id: Option<String>,
    /// The field that gave the point in time, to name it in an error.
    moment_field: &'static str,
}

fn create_body(
    state: &SharedState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    query: &QueryParams,
    bytes: &[u8],
) -> Result<Value, ApiError> {
    guard(state, method, uri, headers, MEDIA_TYPE_2023_01_01)?;
    let path = PathParams::extract(RESTORE_JOBS, uri.path());
    let mut validator = Validator::default();
    let (group_id, name) = instance_path(&path, &mut validator);
    validator.format_params(query, true);
    let requested = validator
        .json_object(bytes)
        .and_then(|body| read_new_job(&body, &mut validator));
    let requested = validator.finish_with(requested)?;

    let mut data = state.write();
    let instance = instance_mut(&mut data, group_id, name)?;
    let snapshot = pick_snapshot(instance, name, &requested)?.clone();
    let (now, sequence) = instance.clock.tick();
    let job = seed::created_serverless_job(
        &state.base_url,
        group_id,
        name,
        &snapshot,
        requested.job,
        now,
        sequence,
    );
    let json = super::to_json(&job);
    instance.restore_jobs.push(job);
    Ok(json)
}

/// The snapshot a new job restores: the one named, or (point in time) the
/// newest taken at or before the moment.
fn pick_snapshot<'i>(
    instance: &'i ServerlessInstance,
    name: &str,
    requested: &Requested,
) -> Result<&'i ServerlessSnapshot, ApiError> {
    let moment = requested.job.point_in_time;
    let snapshot = match &requested.snapshot_id {
        Some(id) => instance
            .snapshots
            .iter()
            .find(|snapshot| snapshot.id == *id)
            .ok_or_else(|| ApiError::snapshot_not_found(name, id))?,
        None => {
            let at = moment.unwrap_or(i64::MAX);
            instance
                .snapshots
                .iter()
                .rev()
                .find(|snapshot| snapshot.created_secs <= at)
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        requested.moment_field,
                        Value::from(at),
                        format!(
                            "{} `{at}` is invalid: {name} has no snapshot taken at or before \
                             {}.",
                            requested.moment_field,
                            seed::rfc3339(at)
                        ),
                    )
                })?
        }
    };
    if let Some(at) = moment.filter(|at| *at < snapshot.created_secs) {
        return Err(ApiError::invalid_field(
            requested.moment_field,
            Value::from(at),
            format!(
                "{} `{at}` is invalid: it precedes snapshot {} ({}), which cannot restore it.",
                requested.moment_field, snapshot.id, snapshot.created_at
            ),
        ));
    }
    Ok(snapshot)
}

/// Reads a `ServerlessBackupRestoreJob` request body: `deliveryType`,
/// `targetClusterName` and `targetGroupId` are required (the spec's
/// `required`); `snapshotId` is required to restore or download a snapshot,
/// a point in time (`pointInTimeUTCSeconds`, or `oplogTs` with `oplogInc`)
/// for `pointInTime`. Read-only fields are ignored.
fn read_new_job(body: &Map<String, Value>, validator: &mut Validator) -> Option<Requested> {
    let delivery_type = validator.body_string(
        body,
        "deliveryType",
        true,
        |value| matches!(value, "automated" | "download" | "pointInTime"),
        "one of automated, download, pointInTime",
    );
    let target_cluster_name = validator.body_string(
        body,
        "targetClusterName",
        true,
        checks::is_cluster_name,
        "a letter or digit followed by letters, digits or hyphens",
    );
    let target_group_id = validator.body_string(
        body,
        "targetGroupId",
        true,
        checks::is_object_id,
        "24 lowercase hexadecimal characters",
    );
    let snapshot_id = validator.body_string(
        body,
        "snapshotId",
        false,
        checks::is_object_id,
        "24 lowercase hexadecimal characters",
    );
    let point_in_time =
        validator.body_integer(body, "pointInTimeUTCSeconds", EPOCH_SECONDS_MIN, INT32_MAX);
    let oplog_ts = validator.body_integer(body, "oplogTs", EPOCH_SECONDS_MIN, INT32_MAX);
    let oplog_inc = validator.body_integer(body, "oplogInc", 1, INT32_MAX);

    let delivery_type = match delivery_type?.as_str() {
        "automated" => DeliveryType::Automated,
        "download" => DeliveryType::Download,
        _ => DeliveryType::PointInTime,
    };
    let point_in_time_job = delivery_type == DeliveryType::PointInTime;
    let given = |field: &str| body.get(field).is_some_and(|value| !value.is_null());
    if !point_in_time_job && !given("snapshotId") {
        validator.body_rule(
            "snapshotId",
            Value::Null,
            "snapshotId is required when deliveryType is automated or download.".to_owned(),
        );
    }
    let mut moment_field = "pointInTimeUTCSeconds";
    if point_in_time_job {
        if given("oplogTs") && !given("oplogInc") {
            validator.body_rule(
                "oplogInc",
                Value::Null,
                "oplogInc is required with oplogTs.".to_owned(),
            );
        }
        if !given("pointInTimeUTCSeconds") && !given("oplogTs") {
            validator.body_rule(
                "pointInTimeUTCSeconds",
                Value::Null,
                "pointInTimeUTCSeconds (or oplogTs with oplogInc) is required when \
                 deliveryType is pointInTime."
                    .to_owned(),
            );
        }
        if point_in_time.is_none() && oplog_ts.is_some() {
            moment_field = "oplogTs";
        }
    }
    let job = NewServerlessJob {
        delivery_type,
        target_cluster_name: target_cluster_name?,
        target_group_id: target_group_id?,
        point_in_time: point_in_time_job
            .then_some(point_in_time.or(oplog_ts))
            .flatten(),
        oplog_ts: point_in_time_job.then_some(oplog_ts).flatten(),
        oplog_inc: point_in_time_job.then_some(oplog_inc).flatten(),
    };
    Some(Requested {
        job,
        snapshot_id,
        moment_field,
    })
}
