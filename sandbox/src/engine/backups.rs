//! What the spec cannot say about the backups of serverless instances and Flex clusters:
//! the seeded restore jobs and snapshots (consistent with each other), which snapshot a
//! new restore job restores (the one named, or for a point in time the newest taken at or
//! before it), that a Flex restore or download needs a completed snapshot, and the fields
//! a new job gets.
//!
//! The jobs and snapshots live in the engine's store like any object, so that listing
//! and reading them is the engine's; this module keeps the snapshots as typed values and
//! a clock per deployment, for the three `POST`s that create jobs.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::store::{Key, Store};
use crate::checks::{self, Validator};
use crate::errors::{ApiError, FieldViolation};
use crate::seed::flex::{self, FlexSnapshot, FlexStatus, FlexTarget, NewFlexJob};
use crate::seed::{
    self, Creation, DeliveryType, NewServerlessJob, PointInTime, ServerlessSnapshot,
};
use crate::state::{Clock, FlexSeed, InstanceSeed};

/// The operations whose body this module reads and whose object it makes.
pub(crate) const OPERATIONS: &[&str] = &[
    "createGroupServerlessBackupRestoreJob",
    "createGroupFlexClusterBackupRestoreJob",
    "downloadGroupFlexClusterBackup",
];

/// The collections of deployments with backups, their parameters unnamed: Atlas holds
/// them, the sandbox only those it seeded, so an unknown one is a 404.
pub(crate) const STATEFUL: &[&str] = &[
    "/api/atlas/v2/groups/{}/serverless/{}",
    "/api/atlas/v2/groups/{}/serverless/{}/backup/restoreJobs/{}",
    "/api/atlas/v2/groups/{}/serverless/{}/backup/snapshots/{}",
    "/api/atlas/v2/groups/{}/flexClusters/{}/backup/restoreJobs/{}",
    "/api/atlas/v2/groups/{}/flexClusters/{}/backup/snapshots/{}",
];

/// The earliest Unix second a point in time may name (2008-01-01), and the largest.
const EPOCH_SECONDS_MIN: i64 = 1_199_145_600;
const INT32_MAX: i64 = i32::MAX as i64;
/// The description of a 24-hex id, for body fields.
const OBJECT_ID: &str = "24 lowercase hexadecimal characters";

/// A deployment: its project and name.
type Deployment = (String, String);

/// The snapshots and clocks of every seeded deployment.
#[derive(Debug, Default)]
pub(crate) struct Backups {
    serverless: BTreeMap<Deployment, (Vec<ServerlessSnapshot>, Clock)>,
    flex: BTreeMap<Deployment, (Vec<FlexSnapshot>, Clock)>,
    base_url: String,
}

/// A body this module read, to act on once every check passed.
pub(crate) enum Requested {
    Serverless {
        job: NewServerlessJob,
        snapshot_id: Option<String>,
        /// The field that gave the point in time, to name it in an error.
        moment_field: &'static str,
    },
    Flex {
        snapshot_id: String,
        job: NewFlexJob,
    },
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl Backups {
    /// The deployments' state, and the objects to store: each deployment, its restore
    /// jobs and its snapshots, oldest first (`path after /api/atlas/v2`, object).
    pub fn seed(
        base_url: &str,
        instances: &[InstanceSeed],
        flex_clusters: &[FlexSeed],
    ) -> (Backups, Vec<(String, Value)>) {
        let mut backups = Backups {
            base_url: base_url.to_owned(),
            ..Backups::default()
        };
        let mut objects = Vec::new();
        // A deployment seeded in another project brings that project.
        for group_id in instances
            .iter()
            .map(|seed| &seed.group_id)
            .chain(flex_clusters.iter().map(|seed| &seed.group_id))
        {
            objects.push((
                format!("groups/{group_id}"),
                serde_json::json!({"id": group_id, "name": format!("project-{group_id}"),
                                   "orgId": crate::DEFAULT_ORG_ID, "clusterCount": 0}),
            ));
        }
        for seed in instances {
            let at = format!("groups/{}/serverless/{}", seed.group_id, seed.name);
            objects.push((
                at.clone(),
                serde_json::json!({"name": seed.name, "groupId": seed.group_id, "stateName": "IDLE"}),
            ));
            for job in seed::restore_jobs(base_url, &seed.group_id, &seed.name, seed.jobs) {
                objects.push((format!("{at}/backup/restoreJobs/{}", job.id), json(&job)));
            }
            let snapshots =
                seed::serverless_snapshots(base_url, &seed.group_id, &seed.name, seed.jobs);
            for snapshot in &snapshots {
                objects.push((
                    format!("{at}/backup/snapshots/{}", snapshot.id),
                    json(snapshot),
                ));
            }
            let clock = Clock::starting_at(seed::serverless_now(seed.jobs));
            backups.serverless.insert(
                (seed.group_id.clone(), seed.name.clone()),
                (snapshots, clock),
            );
        }
        for seed in flex_clusters {
            let at = format!("groups/{}/flexClusters/{}", seed.group_id, seed.name);
            objects.push((
                at.clone(),
                serde_json::json!({"name": seed.name, "groupId": seed.group_id, "stateName": "IDLE",
                    "providerSettings": {"backingProviderName": "AWS", "regionName": "US_EAST_1"}}),
            ));
            let made = flex::flex_backups(
                base_url,
                &seed.group_id,
                &seed.name,
                seed.jobs,
                seed.snapshots,
            );
            for job in &made.restore_jobs {
                objects.push((format!("{at}/backup/restoreJobs/{}", job.id), json(job)));
            }
            for snapshot in &made.snapshots {
                objects.push((
                    format!("{at}/backup/snapshots/{}", snapshot.id),
                    json(snapshot),
                ));
            }
            backups.flex.insert(
                (seed.group_id.clone(), seed.name.clone()),
                (made.snapshots, Clock::starting_at(made.now)),
            );
        }
        (backups, objects)
    }

    /// Reads the body of one of [`OPERATIONS`]: what it asks, or every field it gets
    /// wrong (with the values, for the error's `parameters`).
    pub fn read(
        operation_id: &str,
        bytes: &[u8],
        group_id: &str,
    ) -> Result<Requested, (Vec<FieldViolation>, Vec<Value>)> {
        let mut validator = Validator::default();
        let requested = validator
            .json_object(bytes)
            .and_then(|body| match operation_id {
                "createGroupServerlessBackupRestoreJob" => read_serverless(&body, &mut validator),
                "downloadGroupFlexClusterBackup" => read_flex(&body, &mut validator, None),
                _ => read_flex(&body, &mut validator, Some(group_id)),
            });
        validator.into_result(requested)
    }

    /// Makes the job a read body asks for, in the deployment the path names, and stores
    /// it under `key` (the list's path) with a new id: where it is stored, and the job as
    /// answered.
    pub fn create(
        &mut self,
        store: &mut Store,
        key: &Key,
        group_id: &str,
        name: &str,
        requested: Requested,
    ) -> Result<(Key, Value), ApiError> {
        let deployment = (group_id.to_owned(), name.to_owned());
        let job = match requested {
            Requested::Serverless {
                job,
                snapshot_id,
                moment_field,
            } => {
                let Some((snapshots, clock)) = self.serverless.get_mut(&deployment) else {
                    return Err(ApiError::serverless_instance_not_found(group_id, name));
                };
                let snapshot =
                    pick_snapshot(snapshots, name, &job, snapshot_id.as_deref(), moment_field)?
                        .clone();
                let at = Creation::new(&self.base_url, group_id, name, clock.tick());
                json(&seed::created_serverless_job(&at, &snapshot, job))
            }
            Requested::Flex { snapshot_id, job } => {
                let Some((snapshots, clock)) = self.flex.get_mut(&deployment) else {
                    return Err(ApiError::flex_cluster_not_found(group_id, name));
                };
                let snapshot = snapshots
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
                let at = Creation::new(&self.base_url, group_id, name, clock.tick());
                json(&flex::created_flex_job(&at, &snapshot, job))
            }
        };
        let id = job
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let mut at = key.clone();
        // A download is answered as a restore job and listed with them.
        if at.last().is_some_and(|last| last == "download") {
            at.pop();
            at.push("restoreJobs".to_owned());
        }
        at.push(id);
        store.put(at.clone(), job.clone(), None, std::time::Duration::ZERO);
        Ok((at, job))
    }
}

/// A body that [`Backups::read`] accepts for one of [`OPERATIONS`] in the default data
/// (restoring the newest snapshot of [`crate::DEFAULT_INSTANCE`], or a completed one of
/// [`crate::DEFAULT_FLEX_CLUSTER`]).
pub(crate) fn example_body(operation_id: &str) -> Option<Value> {
    use crate::DEFAULT_GROUP_ID;
    use crate::{DEFAULT_FLEX_CLUSTER, DEFAULT_FLEX_JOB_COUNT, DEFAULT_FLEX_SNAPSHOT_COUNT};
    let completed = || {
        flex::flex_backups(
            "",
            DEFAULT_GROUP_ID,
            DEFAULT_FLEX_CLUSTER,
            DEFAULT_FLEX_JOB_COUNT,
            DEFAULT_FLEX_SNAPSHOT_COUNT,
        )
        .snapshots
        .into_iter()
        .rev()
        .find(|snapshot| snapshot.status == FlexStatus::Completed)
        .map(|snapshot| snapshot.id)
    };
    match operation_id {
        "createGroupServerlessBackupRestoreJob" => Some(serde_json::json!({
            "deliveryType": "pointInTime",
            "pointInTimeUTCSeconds": INT32_MAX,
            "targetClusterName": "Cluster0",
            "targetGroupId": DEFAULT_GROUP_ID,
        })),
        "createGroupFlexClusterBackupRestoreJob" => Some(serde_json::json!({
            "snapshotId": completed()?,
            "targetDeploymentItemName": "Cluster0",
        })),
        "downloadGroupFlexClusterBackup" => Some(serde_json::json!({ "snapshotId": completed()? })),
        _ => None,
    }
}

/// A path value that names a seeded restore job or snapshot of the default data, for the
/// backup paths that have one.
pub(crate) fn example_path_value(path: &str, param: &str) -> Option<String> {
    use crate::{DEFAULT_FLEX_CLUSTER, DEFAULT_FLEX_JOB_COUNT, DEFAULT_FLEX_SNAPSHOT_COUNT};
    use crate::{DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT};
    if path.contains("/serverless/{clusterName}/backup/") {
        return match param {
            "snapshotId" => seed::serverless_snapshots(
                "",
                DEFAULT_GROUP_ID,
                DEFAULT_INSTANCE,
                DEFAULT_JOB_COUNT,
            )
            .first()
            .map(|snapshot| snapshot.id.clone()),
            "restoreJobId" => {
                seed::restore_jobs("", DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT)
                    .first()
                    .map(|job| job.id.clone())
            }
            _ => None,
        };
    }
    if path.contains("/flexClusters/{name}/backup/") {
        let made = flex::flex_backups(
            "",
            DEFAULT_GROUP_ID,
            DEFAULT_FLEX_CLUSTER,
            DEFAULT_FLEX_JOB_COUNT,
            DEFAULT_FLEX_SNAPSHOT_COUNT,
        );
        return match param {
            "snapshotId" => made.snapshots.first().map(|snapshot| snapshot.id.clone()),
            "restoreJobId" => made.restore_jobs.first().map(|job| job.id.clone()),
            _ => None,
        };
    }
    None
}

/// The snapshot a new serverless job restores: the one named, or (point in time) the
/// newest taken at or before the moment.
fn pick_snapshot<'s>(
    snapshots: &'s [ServerlessSnapshot],
    name: &str,
    job: &NewServerlessJob,
    snapshot_id: Option<&str>,
    moment_field: &str,
) -> Result<&'s ServerlessSnapshot, ApiError> {
    let moment = job.point_in_time.utc_seconds;
    let snapshot = match snapshot_id {
        Some(id) => snapshots
            .iter()
            .find(|snapshot| snapshot.id == id)
            .ok_or_else(|| ApiError::snapshot_not_found(name, id))?,
        None => {
            let at = moment.unwrap_or(i64::MAX);
            snapshots
                .iter()
                .rev()
                .find(|snapshot| snapshot.created_secs <= at)
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        moment_field,
                        Value::from(at),
                        format!(
                            "{moment_field} `{at}` is invalid: {name} has no snapshot taken at \
                             or before {}.",
                            seed::rfc3339(at)
                        ),
                    )
                })?
        }
    };
    if let Some(at) = moment.filter(|at| *at < snapshot.created_secs) {
        return Err(ApiError::invalid_field(
            moment_field,
            Value::from(at),
            format!(
                "{moment_field} `{at}` is invalid: it precedes snapshot {} ({}), which cannot \
                 restore it.",
                snapshot.id, snapshot.created_at
            ),
        ));
    }
    Ok(snapshot)
}

/// Reads a `ServerlessBackupRestoreJob` body: `deliveryType`, `targetClusterName` and
/// `targetGroupId` are required (the spec's `required`); `snapshotId` is required to
/// restore or download a snapshot, a point in time (`pointInTimeUTCSeconds`, or `oplogTs`
/// with `oplogInc`) for `pointInTime`. Read-only fields are ignored.
fn read_serverless(body: &Map<String, Value>, validator: &mut Validator) -> Option<Requested> {
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
    let target_group_id =
        validator.body_string(body, "targetGroupId", true, checks::is_object_id, OBJECT_ID);
    let snapshot_id =
        validator.body_string(body, "snapshotId", false, checks::is_object_id, OBJECT_ID);
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
    let restores_to = match point_in_time_job {
        true => PointInTime {
            utc_seconds: point_in_time.or(oplog_ts),
            oplog_ts,
            oplog_inc,
        },
        false => PointInTime::default(),
    };
    let job = NewServerlessJob {
        delivery_type,
        target_cluster_name: target_cluster_name?,
        target_group_id: target_group_id?,
        point_in_time: restores_to,
    };
    Some(Requested::Serverless {
        job,
        snapshot_id,
        moment_field,
    })
}

/// Reads a `FlexBackupRestoreJobCreate20241113` body (`restore_into` the cluster's
/// project: `snapshotId` and `targetDeploymentItemName` required, `targetProjectId`
/// defaulting to that project) or a `FlexBackupSnapshotDownloadCreate20241113` one
/// (`snapshotId` required). Read-only fields are ignored.
fn read_flex(
    body: &Map<String, Value>,
    validator: &mut Validator,
    restore_into: Option<&str>,
) -> Option<Requested> {
    let snapshot_id =
        validator.body_string(body, "snapshotId", true, checks::is_object_id, OBJECT_ID);
    let job = match restore_into {
        None => NewFlexJob::Download,
        Some(group_id) => {
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
            NewFlexJob::Restore(FlexTarget {
                target_deployment_item_name: target?,
                target_project_id: project.unwrap_or_else(|| group_id.to_owned()),
            })
        }
    };
    Some(Requested::Flex {
        snapshot_id: snapshot_id?,
        job,
    })
}
