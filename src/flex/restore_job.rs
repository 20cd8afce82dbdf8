use chrono::{DateTime, Utc};

use super::{FlexBackupStatus, FlexDeliveryType};
use crate::model::model;
use crate::Link;

model! {
    /// A restore job of a Flex cluster (spec schema `FlexBackupRestoreJob20241113`): a restore to
    /// a cluster, or a download of a snapshot.
    ///
    /// Atlas fills in every field; each is optional because the spec requires none.
    pub struct FlexBackupRestoreJob {
        /// The job's 24-hex-digit id.
        pub id: Option<String>,
        /// Whether the job restores to a cluster or prepares a download.
        pub delivery_type: Option<FlexDeliveryType>,
        /// When the download link stops working.
        pub expiration_date: Option<DateTime<Utc>>,
        /// The Flex cluster the snapshot was taken of.
        pub instance_name: Option<String>,
        /// The links of the job.
        pub links: Vec<Link>,
        /// The 24-hex-digit id of the project of the cluster the snapshot was taken of.
        pub project_id: Option<String>,
        /// When the restore finished.
        pub restore_finished_date: Option<DateTime<Utc>>,
        /// When the restore was scheduled.
        pub restore_scheduled_date: Option<DateTime<Utc>>,
        /// When the snapshot restored was finished.
        pub snapshot_finished_date: Option<DateTime<Utc>>,
        /// The 24-hex-digit id of the snapshot restored.
        pub snapshot_id: Option<String>,
        /// Where to download the snapshot, for download jobs.
        pub snapshot_url: Option<String>,
        /// Where the job stands.
        pub status: Option<FlexBackupStatus>,
        /// The cluster the snapshot is restored to.
        pub target_deployment_item_name: Option<String>,
        /// The 24-hex-digit id of the project of the target cluster.
        pub target_project_id: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_job_round_trips() {
        let json = serde_json::json!({
            "id": "5e2211c17a3e5a48f5497de3",
            "deliveryType": "RESTORE",
            "expirationDate": "2025-11-05T10:15:00Z",
            "instanceName": "flex-demo",
            "links": [{"href": "https://cloud.mongodb.com/x", "rel": "self"}],
            "projectId": "5e2211c17a3e5a48f5497de5",
            "restoreFinishedDate": "2025-11-03T10:45:00Z",
            "restoreScheduledDate": "2025-11-03T10:15:00Z",
            "snapshotFinishedDate": "2025-11-03T09:15:00Z",
            "snapshotId": "5e2211c17a3e5a48f5497de4",
            "snapshotUrl": "https://example.invalid/snapshot.tar.gz",
            "status": "COMPLETED",
            "targetDeploymentItemName": "flex-target",
            "targetProjectId": "5e2211c17a3e5a48f5497de5"
        });
        let job: FlexBackupRestoreJob = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(job.delivery_type, Some(FlexDeliveryType::Restore));
        assert_eq!(job.status, Some(FlexBackupStatus::Completed));
        assert_eq!(serde_json::to_value(&job).unwrap(), json);
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let job: FlexBackupRestoreJob = serde_json::from_value(serde_json::json!({
            "deliveryType": "TELEPORT", "status": "PAUSED"
        }))
        .unwrap();
        assert_eq!(
            job.delivery_type,
            Some(FlexDeliveryType::Other("TELEPORT".into()))
        );
        assert_eq!(job.status, Some(FlexBackupStatus::Other("PAUSED".into())));
    }
}
