use chrono::{DateTime, Utc};

use super::{FlexBackupStatus, FlexDeliveryType};
use crate::model::model;
use crate::Link;

model! {
    /// The body that starts a restore of a Flex snapshot (spec schema
    /// `FlexBackupRestoreJobCreate20241113`).
    ///
    /// The spec shares this schema with the job Atlas answers with: only `snapshot_id`,
    /// `target_deployment_item_name` and `target_project_id` are for the request; the other
    /// fields are Atlas's to fill in and stay unset (and unsent) in a body built with
    /// [`FlexBackupRestoreJobCreate::new`].
    pub struct FlexBackupRestoreJobCreate {
        /// The 24-hex-digit id of the snapshot to restore.
        pub snapshot_id: String,
        /// The cluster to restore the snapshot to.
        pub target_deployment_item_name: String,
        /// The 24-hex-digit id of the project of the target cluster; the snapshot's project when
        /// unset.
        pub target_project_id: Option<String>,
        /// Set by Atlas: the job's id.
        pub id: Option<String>,
        /// Set by Atlas: how the job delivers the snapshot.
        pub delivery_type: Option<FlexDeliveryType>,
        /// Set by Atlas: when the download link stops working.
        pub expiration_date: Option<DateTime<Utc>>,
        /// Set by Atlas: the Flex cluster the snapshot was taken of.
        pub instance_name: Option<String>,
        /// Set by Atlas: the links of the job.
        pub links: Vec<Link>,
        /// Set by Atlas: the project of the cluster the snapshot was taken of.
        pub project_id: Option<String>,
        /// Set by Atlas: when the restore finished.
        pub restore_finished_date: Option<DateTime<Utc>>,
        /// Set by Atlas: when the restore was scheduled.
        pub restore_scheduled_date: Option<DateTime<Utc>>,
        /// Set by Atlas: when the snapshot was finished.
        pub snapshot_finished_date: Option<DateTime<Utc>>,
        /// Set by Atlas: where to download the snapshot.
        pub snapshot_url: Option<String>,
        /// Set by Atlas: where the job stands.
        pub status: Option<FlexBackupStatus>,
    }
}

impl FlexBackupRestoreJobCreate {
    /// A restore of snapshot `snapshot_id` to the cluster `target_deployment_item_name` of the
    /// snapshot's project; set `target_project_id` to restore to another project.
    pub fn new(
        snapshot_id: impl Into<String>,
        target_deployment_item_name: impl Into<String>,
    ) -> Self {
        FlexBackupRestoreJobCreate {
            snapshot_id: snapshot_id.into(),
            target_deployment_item_name: target_deployment_item_name.into(),
            target_project_id: None,
            id: None,
            delivery_type: None,
            expiration_date: None,
            instance_name: None,
            links: Vec::new(),
            project_id: None,
            restore_finished_date: None,
            restore_scheduled_date: None,
            snapshot_finished_date: None,
            snapshot_url: None,
            status: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_body_holds_only_the_request_fields() {
        let mut body = FlexBackupRestoreJobCreate::new("5e2211c17a3e5a48f5497de4", "flex-target");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({
                "snapshotId": "5e2211c17a3e5a48f5497de4",
                "targetDeploymentItemName": "flex-target"
            })
        );
        body.target_project_id = Some("5e2211c17a3e5a48f5497de5".into());
        assert_eq!(
            serde_json::to_value(&body).unwrap()["targetProjectId"],
            "5e2211c17a3e5a48f5497de5"
        );
    }
}
