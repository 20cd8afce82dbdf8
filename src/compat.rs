//! The names of the first version, kept so its users do not break: the 11 backup methods
//! under their old names (deprecated, each calling the generated method it became), their
//! traits, and the old model names.
//!
//! The generated traits name methods by the spec's short operation names
//! (`list_serverless_restore_jobs`); the first version had chosen its own
//! (`list_serverless_backup_restore_jobs`). The four snapshot methods kept their names and
//! live in the generated traits only, which `atlas_endpoints::prelude::*` brings into scope.

#![allow(deprecated)]

use crate::api::{CloudBackups, FlexRestoreJobs, FlexSnapshots};
use crate::models::{
    FlexBackupRestoreJob, FlexBackupRestoreJobCreate, FlexBackupSnapshotDownloadCreate,
    ServerlessBackupRestoreJob, ServerlessBackupRestoreJobRequest,
};
use crate::{Call, Client, Paginated};

/// How a serverless restore job delivers its snapshot (`deliveryType`).
pub type DeliveryType = crate::models::ServerlessBackupRestoreJobDeliveryType;
/// How often a serverless snapshot is taken (`frequencyType`).
pub type FrequencyType = crate::models::ServerlessBackupSnapshotFrequencyType;
/// Whether a serverless snapshot was taken on schedule or on demand (`snapshotType`).
pub type SnapshotType = crate::models::ServerlessBackupSnapshotSnapshotType;
/// The state of a serverless snapshot (`status`).
pub type ServerlessSnapshotStatus = crate::models::ServerlessBackupSnapshotStatus;
/// How a Flex restore job delivers its snapshot (`deliveryType`).
pub type FlexDeliveryType = crate::models::FlexBackupRestoreJobDeliveryType;
/// The state of a Flex snapshot (`status`).
pub type FlexBackupStatus = crate::models::FlexBackupSnapshotStatus;

/// The serverless backup methods under their first names; the methods themselves are
/// [`CloudBackups`]'.
pub trait ServerlessBackups: CloudBackups {
    /// Renamed [`CloudBackups::list_serverless_restore_jobs`].
    #[deprecated = "renamed CloudBackups::list_serverless_restore_jobs; Atlas sunsets the endpoint on 2026-01-22 (use FlexRestoreJobs::list_flex_restore_jobs)"]
    fn list_serverless_backup_restore_jobs(
        &self,
        group_id: &str,
        cluster_name: &str,
    ) -> Paginated<ServerlessBackupRestoreJob> {
        self.list_serverless_restore_jobs(group_id, cluster_name)
    }

    /// Renamed [`CloudBackups::get_serverless_restore_job`].
    #[deprecated = "renamed CloudBackups::get_serverless_restore_job; Atlas sunsets the endpoint on 2026-01-22 (use FlexRestoreJobs::get_flex_restore_job)"]
    fn get_serverless_backup_restore_job(
        &self,
        group_id: &str,
        cluster_name: &str,
        restore_job_id: &str,
    ) -> Call<ServerlessBackupRestoreJob> {
        self.get_serverless_restore_job(group_id, cluster_name, restore_job_id)
    }

    /// Renamed [`CloudBackups::create_serverless_restore_job`]; the body is now the request
    /// view of the job, without its read-only fields.
    #[deprecated = "renamed CloudBackups::create_serverless_restore_job; Atlas sunsets the endpoint on 2026-01-22 (use FlexRestoreJobs::create_flex_restore_job)"]
    fn create_serverless_backup_restore_job(
        &self,
        group_id: &str,
        cluster_name: &str,
        job: &ServerlessBackupRestoreJobRequest,
    ) -> Call<ServerlessBackupRestoreJob> {
        self.create_serverless_restore_job(group_id, cluster_name, job)
    }
}

impl ServerlessBackups for Client {}

/// The Flex backup methods under their first names and in one trait; the methods themselves
/// are [`FlexRestoreJobs`]' and [`FlexSnapshots`]'.
pub trait FlexBackups: FlexRestoreJobs + FlexSnapshots {
    /// Renamed [`FlexRestoreJobs::list_flex_restore_jobs`].
    #[deprecated = "renamed FlexRestoreJobs::list_flex_restore_jobs"]
    fn list_flex_backup_restore_jobs(
        &self,
        group_id: &str,
        name: &str,
    ) -> Paginated<FlexBackupRestoreJob> {
        self.list_flex_restore_jobs(group_id, name)
    }

    /// Renamed [`FlexRestoreJobs::get_flex_restore_job`].
    #[deprecated = "renamed FlexRestoreJobs::get_flex_restore_job"]
    fn get_flex_backup_restore_job(
        &self,
        group_id: &str,
        name: &str,
        restore_job_id: &str,
    ) -> Call<FlexBackupRestoreJob> {
        self.get_flex_restore_job(group_id, name, restore_job_id)
    }

    /// Renamed [`FlexRestoreJobs::create_flex_restore_job`].
    #[deprecated = "renamed FlexRestoreJobs::create_flex_restore_job"]
    fn create_flex_backup_restore_job(
        &self,
        group_id: &str,
        name: &str,
        job: &FlexBackupRestoreJobCreate,
    ) -> Call<FlexBackupRestoreJob> {
        self.create_flex_restore_job(group_id, name, job)
            .without_wait()
    }

    /// Renamed [`FlexSnapshots::download_flex_backup`].
    #[deprecated = "renamed FlexSnapshots::download_flex_backup"]
    fn download_flex_backup_snapshot(
        &self,
        group_id: &str,
        name: &str,
        request: &FlexBackupSnapshotDownloadCreate,
    ) -> Call<FlexBackupRestoreJob> {
        self.download_flex_backup(group_id, name, request)
    }
}

impl FlexBackups for Client {}
