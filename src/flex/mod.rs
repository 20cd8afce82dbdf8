//! Backups of Flex clusters (spec tags "Flex Restore Jobs" and "Flex Snapshots").
//!
//! These endpoints replace the serverless backup endpoints of
//! [`ServerlessBackups`](crate::ServerlessBackups), which Atlas sunsets on 2026-01-22.

mod delivery_type;
mod restore_job;
mod restore_job_create;
mod snapshot;
mod snapshot_download;
mod status;

pub use delivery_type::FlexDeliveryType;
pub use restore_job::FlexBackupRestoreJob;
pub use restore_job_create::FlexBackupRestoreJobCreate;
pub use snapshot::FlexBackupSnapshot;
pub use snapshot_download::FlexBackupSnapshotDownloadCreate;
pub use status::FlexBackupStatus;

use crate::{atlas_endpoint, AtlasClient, Call, Client, Paginated};

/// Restore jobs, snapshots and snapshot downloads of Flex clusters.
///
/// `AtlasClient` as supertrait lets generic code (`impl FlexBackups`) call the methods. In
/// every method, `group_id` is the project's 24-hex-digit id and `name` the Flex cluster's
/// name.
pub trait FlexBackups: AtlasClient {
    /// Return all restore jobs of one Flex cluster.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs",
        paginated,
        version = "2024-11-13",
        operation_id = "listGroupFlexClusterBackupRestoreJobs"
    )]
    fn list_flex_backup_restore_jobs(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
    ) -> Paginated<FlexBackupRestoreJob>;

    /// Return one restore job of a Flex cluster; `restore_job_id` is its 24-hex-digit id.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs/<restore_job_id>",
        version = "2024-11-13",
        operation_id = "getGroupFlexClusterBackupRestoreJob"
    )]
    fn get_flex_backup_restore_job(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
        #[path(pattern = "^([a-f0-9]{24})$")] restore_job_id: &str,
    ) -> Call<FlexBackupRestoreJob>;

    /// Start restoring a snapshot of a Flex cluster; Atlas answers with the new job.
    ///
    /// Build the body with [`FlexBackupRestoreJobCreate::new`]. Sent once: a POST is not
    /// retried after a transient failure.
    #[atlas_endpoint(
        POST,
        "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs",
        version = "2024-11-13",
        operation_id = "createGroupFlexClusterBackupRestoreJob"
    )]
    fn create_flex_backup_restore_job(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
        #[body] job: &FlexBackupRestoreJobCreate,
    ) -> Call<FlexBackupRestoreJob>;

    /// Return all snapshots of one Flex cluster.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/flexClusters/<name>/backup/snapshots",
        paginated,
        version = "2024-11-13",
        operation_id = "listGroupFlexClusterBackupSnapshots"
    )]
    fn list_flex_backup_snapshots(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
    ) -> Paginated<FlexBackupSnapshot>;

    /// Return one snapshot of a Flex cluster; `snapshot_id` is its 24-hex-digit id.
    ///
    /// The spec lists no `pretty` for this operation, so `.pretty(true)` fails before sending.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/flexClusters/<name>/backup/snapshots/<snapshot_id>",
        version = "2024-11-13",
        operation_id = "getGroupFlexClusterBackupSnapshot",
        common(envelope)
    )]
    fn get_flex_backup_snapshot(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
        #[path(pattern = "^([a-f0-9]{24})$")] snapshot_id: &str,
    ) -> Call<FlexBackupSnapshot>;

    /// Ask for a download of a Flex snapshot; Atlas answers with the download job, whose
    /// `snapshot_url` says where to fetch the snapshot once it is ready.
    ///
    /// Sent once: a POST is not retried after a transient failure.
    #[atlas_endpoint(
        POST,
        "/groups/<group_id>/flexClusters/<name>/backup/download",
        version = "2024-11-13",
        operation_id = "downloadGroupFlexClusterBackup"
    )]
    fn download_flex_backup_snapshot(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
        #[body] request: &FlexBackupSnapshotDownloadCreate,
    ) -> Call<FlexBackupRestoreJob>;
}

impl FlexBackups for Client {}
