//! Flex cluster backup routes (API version 2024-11-13): restore jobs (list,
//! create, get one), snapshots (list, get one) and snapshot downloads.

use axum::body::Body;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use super::backup::{self, Call, Deployment, ItemRoute, Site};
use crate::checks::{self, Validator};
use crate::errors::ApiError;
use crate::seed::flex::{self, FlexStatus, NewFlexJob};
use crate::state::{FlexCluster, Group, SharedState};
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

impl Deployment for FlexCluster {
    const MEDIA_TYPE: &'static str = MEDIA_TYPE_2024_11_13;
    const NAME_PARAM: &'static str = "name";

    fn in_group(group: &Group) -> &BTreeMap<String, Self> {
        &group.flex
    }

    fn in_group_mut(group: &mut Group) -> &mut BTreeMap<String, Self> {
        &mut group.flex
    }

    fn not_found(group_id: &str, name: &str) -> ApiError {
        ApiError::flex_cluster_not_found(group_id, name)
    }
}

async fn list_restore_jobs(call: Call) -> Response {
    call.list(RESTORE_JOBS, |cluster: &FlexCluster| &cluster.restore_jobs)
}

async fn list_snapshots(call: Call) -> Response {
    call.list(SNAPSHOTS, |cluster: &FlexCluster| &cluster.snapshots)
}

async fn get_restore_job(call: Call) -> Response {
    call.get_one(ItemRoute::restore_job(
        RESTORE_JOB,
        |cluster: &FlexCluster| &cluster.restore_jobs,
    ))
}

async fn get_snapshot(call: Call) -> Response {
    call.get_one(ItemRoute::snapshot(SNAPSHOT, |cluster: &FlexCluster| {
        &cluster.snapshots
    }))
}

/// Which POST: a restore (`restoreJobs`) or a download (`download`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Restore,
    Download,
}

async fn create_restore_job(call: Call, body: Body) -> Response {
    create(call, body, Kind::Restore).await
}

async fn download(call: Call, body: Body) -> Response {
    create(call, body, Kind::Download).await
}

async fn create(call: Call, body: Body, kind: Kind) -> Response {
    let template = match kind {
        Kind::Restore => RESTORE_JOBS,
        Kind::Download => DOWNLOAD,
    };
    let read = move |body: &Map<String, Value>, validator: &mut Validator, group_id: &str| {
        read_request(body, validator, kind, group_id)
    };
    call.create(body, template, read, add_job).await
}

/// Adds the job of a request that passed validation: 404 for an unknown
/// snapshot, 409 for one not completed.
fn add_job(
    cluster: &mut FlexCluster,
    site: Site<'_>,
    (snapshot_id, request): (String, NewFlexJob),
) -> Result<Value, ApiError> {
    let snapshot = cluster
        .snapshots
        .iter()
        .find(|snapshot| snapshot.id == snapshot_id)
        .ok_or_else(|| ApiError::snapshot_not_found(site.name, &snapshot_id))?;
    if snapshot.status != FlexStatus::Completed {
        return Err(ApiError::snapshot_not_complete(
            &snapshot_id,
            snapshot.status.as_str(),
        ));
    }
    let snapshot = snapshot.clone();
    Ok(backup::push_job(
        &mut cluster.clock,
        &mut cluster.restore_jobs,
        |now, sequence| {
            flex::created_flex_job(
                site.base_url,
                site.group_id,
                site.name,
                &snapshot,
                request,
                now,
                sequence,
            )
        },
    ))
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
