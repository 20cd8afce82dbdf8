//! Serverless instance backup routes (sunset by Atlas on 2026-01-22): restore
//! jobs (list, create, get one) and snapshots (list, get one).

use axum::body::Body;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use super::backup::{self, Call, Deployment, ItemRoute, Site};
use crate::checks::{self, Validator};
use crate::errors::ApiError;
use crate::seed::{self, DeliveryType, NewServerlessJob, ServerlessSnapshot};
use crate::state::{Group, ServerlessInstance, SharedState};
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

impl Deployment for ServerlessInstance {
    const MEDIA_TYPE: &'static str = MEDIA_TYPE_2023_01_01;
    const NAME_PARAM: &'static str = "clusterName";

    fn in_group(group: &Group) -> &BTreeMap<String, Self> {
        &group.serverless
    }

    fn in_group_mut(group: &mut Group) -> &mut BTreeMap<String, Self> {
        &mut group.serverless
    }

    fn not_found(group_id: &str, name: &str) -> ApiError {
        ApiError::serverless_instance_not_found(group_id, name)
    }

    /// The sunset (410) once Atlas retired the API.
    fn available(state: &SharedState) -> Result<(), ApiError> {
        if state.sunset_serverless {
            return Err(ApiError::gone(SERVERLESS_SUNSET));
        }
        Ok(())
    }
}

async fn list_restore_jobs(call: Call) -> Response {
    call.list(RESTORE_JOBS, |instance: &ServerlessInstance| {
        &instance.restore_jobs
    })
}

async fn list_snapshots(call: Call) -> Response {
    call.list(SNAPSHOTS, |instance: &ServerlessInstance| {
        &instance.snapshots
    })
}

async fn get_restore_job(call: Call) -> Response {
    call.get_one(ItemRoute::restore_job(
        RESTORE_JOB,
        |instance: &ServerlessInstance| &instance.restore_jobs,
    ))
}

async fn get_snapshot(call: Call) -> Response {
    call.get_one(ItemRoute::snapshot(
        SNAPSHOT,
        |instance: &ServerlessInstance| &instance.snapshots,
    ))
}

async fn create_restore_job(call: Call, body: Body) -> Response {
    let read = |body: &Map<String, Value>, validator: &mut Validator, _: &str| {
        read_new_job(body, validator)
    };
    call.create(body, RESTORE_JOBS, read, add_job).await
}

/// A request's new job, once its body passed validation; the snapshot is
/// looked up afterwards.
struct Requested {
    job: NewServerlessJob,
    snapshot_id: Option<String>,
    /// The field that gave the point in time, to name it in an error.
    moment_field: &'static str,
}

/// Adds the job of a request that passed validation: 404 for an unknown
/// snapshot, 400 for a point in time no snapshot can restore.
fn add_job(
    instance: &mut ServerlessInstance,
    site: Site<'_>,
    requested: Requested,
) -> Result<Value, ApiError> {
    let snapshot = pick_snapshot(instance, site.name, &requested)?.clone();
    Ok(backup::push_job(
        &mut instance.clock,
        &mut instance.restore_jobs,
        |now, sequence| {
            seed::created_serverless_job(
                site.base_url,
                site.group_id,
                site.name,
                &snapshot,
                requested.job,
                now,
                sequence,
            )
        },
    ))
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
