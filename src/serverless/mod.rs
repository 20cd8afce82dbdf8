//! Backups of serverless instances (spec tag "Cloud Backups").
//!
//! Atlas sunsets these endpoints on 2026-01-22 in favour of the Flex backup endpoints; every
//! method here is deprecated and says which endpoint replaces it.

mod restore_job;

pub use restore_job::{DeliveryType, ServerlessBackupRestoreJob};

use crate::{atlas_endpoint, AtlasClient, Client, Paginated};

/// Restore jobs and snapshots of serverless instances.
///
/// `AtlasClient` as supertrait lets generic code (`impl ServerlessBackups`) call the methods.
pub trait ServerlessBackups: AtlasClient {
    /// Return all restore jobs for one serverless instance.
    ///
    /// `group_id` is the project's 24-hex-digit id, `cluster_name` the instance's name.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs",
        paginated,
        version = "2023-01-01",
        operation_id = "listGroupServerlessBackupRestoreJobs",
        deprecated = "Atlas sunsets this endpoint on 2026-01-22; list the restore jobs of the Flex cluster instead (GET /groups/{groupId}/flexClusters/{name}/backup/restoreJobs, version 2024-11-13)"
    )]
    fn list_serverless_backup_restore_jobs(
        &self,
        group_id: &str,
        cluster_name: &str,
    ) -> Paginated<ServerlessBackupRestoreJob>;
}

impl ServerlessBackups for Client {}
