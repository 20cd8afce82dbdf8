use chrono::{DateTime, Utc};

use super::DeliveryType;
use crate::model::model;
use crate::{BsonTimestamp, Link};

model! {
    /// A restore job of a serverless instance (spec schema `ServerlessBackupRestoreJob`).
    pub struct ServerlessBackupRestoreJob {
        /// The job's 24-hex-digit id.
        pub id: Option<String>,
        /// How the snapshot reaches its target.
        pub delivery_type: DeliveryType,
        /// Where to download the snapshot, for `download` jobs.
        pub delivery_url: Vec<String>,
        /// The oplog position to restore to, for point-in-time restores.
        pub desired_timestamp: Option<BsonTimestamp>,
        /// Whether someone cancelled the job.
        pub cancelled: Option<bool>,
        /// Whether the job's download link has expired.
        pub expired: Option<bool>,
        /// Whether the job failed.
        pub failed: Option<bool>,
        /// When the download link expires.
        pub expires_at: Option<DateTime<Utc>>,
        /// When the job finished.
        pub finished_at: Option<DateTime<Utc>>,
        /// When the snapshot was taken.
        pub timestamp: Option<DateTime<Utc>>,
        /// The links of the job.
        pub links: Vec<Link>,
        /// The oplog increment to restore to, with `oplog_ts`.
        pub oplog_inc: Option<i64>,
        /// The oplog timestamp (seconds since the Unix epoch) to restore to, with `oplog_inc`.
        pub oplog_ts: Option<i64>,
        /// The moment (seconds since the Unix epoch) of a point-in-time restore.
        #[serde(rename = "pointInTimeUTCSeconds")]
        pub point_in_time_utc_seconds: Option<i64>,
        /// The 24-hex-digit id of the snapshot restored.
        pub snapshot_id: Option<String>,
        /// The cluster the snapshot is restored to.
        pub target_cluster_name: String,
        /// The 24-hex-digit id of the project of the target cluster.
        pub target_group_id: String,
    }
}

impl ServerlessBackupRestoreJob {
    /// A restore job to create with
    /// [`create_serverless_backup_restore_job`](super::ServerlessBackups::create_serverless_backup_restore_job):
    /// the three fields the spec requires, every other one unset. Set `snapshot_id`, or the
    /// `oplog_*`/`point_in_time_utc_seconds` fields for a point-in-time restore, on the result.
    pub fn new(
        delivery_type: DeliveryType,
        target_cluster_name: impl Into<String>,
        target_group_id: impl Into<String>,
    ) -> Self {
        ServerlessBackupRestoreJob {
            id: None,
            delivery_type,
            delivery_url: Vec::new(),
            desired_timestamp: None,
            cancelled: None,
            expired: None,
            failed: None,
            expires_at: None,
            finished_at: None,
            timestamp: None,
            links: Vec::new(),
            oplog_inc: None,
            oplog_ts: None,
            point_in_time_utc_seconds: None,
            snapshot_id: None,
            target_cluster_name: target_cluster_name.into(),
            target_group_id: target_group_id.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_job_from_the_spec_round_trips() {
        let json = serde_json::json!({
            "id": "5e2211c17a3e5a48f5497de3",
            "deliveryType": "pointInTime",
            "desiredTimestamp": {"date": "2025-11-03T10:15:00Z", "increment": 1199145601},
            "cancelled": false, "expired": false, "failed": false,
            "expiresAt": "2025-11-05T10:15:00Z",
            "finishedAt": "2025-11-03T10:45:00Z",
            "timestamp": "2025-11-03T10:15:00Z",
            "links": [{"href": "https://cloud.mongodb.com/x", "rel": "self"}],
            "oplogInc": 3, "oplogTs": 1762164900, "pointInTimeUTCSeconds": 1762164900,
            "snapshotId": "5e2211c17a3e5a48f5497de4",
            "targetClusterName": "target-0",
            "targetGroupId": "5e2211c17a3e5a48f5497de5"
        });
        let job: ServerlessBackupRestoreJob = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(job.point_in_time_utc_seconds, Some(1_762_164_900));
        assert_eq!(
            job.desired_timestamp.as_ref().and_then(|t| t.increment),
            Some(1_199_145_601)
        );
        assert_eq!(serde_json::to_value(&job).unwrap(), json);
    }

    #[test]
    fn a_new_job_serializes_only_what_was_set() {
        let mut job = ServerlessBackupRestoreJob::new(
            DeliveryType::Automated,
            "target-0",
            "5e2211c17a3e5a48f5497de5",
        );
        job.snapshot_id = Some("5e2211c17a3e5a48f5497de4".into());
        assert_eq!(
            serde_json::to_value(&job).unwrap(),
            serde_json::json!({
                "deliveryType": "automated",
                "snapshotId": "5e2211c17a3e5a48f5497de4",
                "targetClusterName": "target-0",
                "targetGroupId": "5e2211c17a3e5a48f5497de5"
            })
        );
    }
}
