//! Backups of serverless instances (spec tag "Cloud Backups").
//!
//! Atlas sunsets these endpoints on 2026-01-22 in favour of the Flex backup endpoints
//! ([`FlexBackups`](crate::FlexBackups)); every method here is deprecated and says which
//! endpoint replaces it.

mod delivery_type;
mod frequency_type;
mod restore_job;
mod snapshot;
mod snapshot_status;
mod snapshot_type;

pub use delivery_type::DeliveryType;
pub use frequency_type::FrequencyType;
pub use restore_job::ServerlessBackupRestoreJob;
pub use snapshot::ServerlessBackupSnapshot;
pub use snapshot_status::ServerlessSnapshotStatus;
pub use snapshot_type::SnapshotType;

use crate::{atlas_endpoint, AtlasClient, Call, Client, Paginated};

/// Restore jobs and snapshots of serverless instances.
///
/// `AtlasClient` as supertrait lets generic code (`impl ServerlessBackups`) call the methods.
/// In every method, `group_id` is the project's 24-hex-digit id and `cluster_name` the
/// instance's name.
pub trait ServerlessBackups: AtlasClient {
    /// Return all restore jobs for one serverless instance.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs",
        paginated,
        version = "2023-01-01",
        sunset = "2026-01-22",
        operation_id = "listGroupServerlessBackupRestoreJobs",
        deprecated = "Atlas sunsets this endpoint on 2026-01-22; list the restore jobs of the Flex cluster instead (FlexBackups::list_flex_backup_restore_jobs, GET /groups/{groupId}/flexClusters/{name}/backup/restoreJobs, version 2024-11-13)"
    )]
    fn list_serverless_backup_restore_jobs(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
    ) -> Paginated<ServerlessBackupRestoreJob>;

    /// Return one restore job of a serverless instance; `restore_job_id` is its 24-hex-digit id.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs/<restore_job_id>",
        version = "2023-01-01",
        sunset = "2026-01-22",
        operation_id = "getGroupServerlessBackupRestoreJob",
        deprecated = "Atlas sunsets this endpoint on 2026-01-22; get the restore job of the Flex cluster instead (FlexBackups::get_flex_backup_restore_job, GET /groups/{groupId}/flexClusters/{name}/backup/restoreJobs/{restoreJobId}, version 2024-11-13)"
    )]
    fn get_serverless_backup_restore_job(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
        #[path(pattern = "^([a-f0-9]{24})$")] restore_job_id: &str,
    ) -> Call<ServerlessBackupRestoreJob>;

    /// Start restoring a snapshot of a serverless instance; Atlas answers with the new job.
    ///
    /// Build the job with [`ServerlessBackupRestoreJob::new`]. Sent once: a POST is not
    /// retried after a transient failure.
    #[atlas_endpoint(
        POST,
        "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs",
        version = "2023-01-01",
        sunset = "2026-01-22",
        operation_id = "createGroupServerlessBackupRestoreJob",
        deprecated = "Atlas sunsets this endpoint on 2026-01-22; restore a snapshot of the Flex cluster instead (FlexBackups::create_flex_backup_restore_job, POST /groups/{groupId}/flexClusters/{name}/backup/restoreJobs, version 2024-11-13)"
    )]
    fn create_serverless_backup_restore_job(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
        #[body] job: &ServerlessBackupRestoreJob,
    ) -> Call<ServerlessBackupRestoreJob>;

    /// Return all snapshots of one serverless instance.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/serverless/<cluster_name>/backup/snapshots",
        paginated,
        version = "2023-01-01",
        sunset = "2026-01-22",
        operation_id = "listGroupServerlessBackupSnapshots",
        deprecated = "Atlas sunsets this endpoint on 2026-01-22; list the snapshots of the Flex cluster instead (FlexBackups::list_flex_backup_snapshots, GET /groups/{groupId}/flexClusters/{name}/backup/snapshots, version 2024-11-13)"
    )]
    fn list_serverless_backup_snapshots(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
    ) -> Paginated<ServerlessBackupSnapshot>;

    /// Return one snapshot of a serverless instance; `snapshot_id` is its 24-hex-digit id.
    ///
    /// The spec lists no `pretty` for this operation, so `.pretty(true)` fails before sending.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/serverless/<cluster_name>/backup/snapshots/<snapshot_id>",
        version = "2023-01-01",
        sunset = "2026-01-22",
        operation_id = "getGroupServerlessBackupSnapshot",
        common(envelope),
        deprecated = "Atlas sunsets this endpoint on 2026-01-22; get the snapshot of the Flex cluster instead (FlexBackups::get_flex_backup_snapshot, GET /groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}, version 2024-11-13)"
    )]
    fn get_serverless_backup_snapshot(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
        #[path(pattern = "^([a-f0-9]{24})$")] snapshot_id: &str,
    ) -> Call<ServerlessBackupSnapshot>;
}

impl ServerlessBackups for Client {}
