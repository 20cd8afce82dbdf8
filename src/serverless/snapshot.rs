use chrono::{DateTime, Utc};

use super::{FrequencyType, ServerlessSnapshotStatus, SnapshotType};
use crate::model::model;
use crate::Link;

model! {
    /// A snapshot of a serverless instance (spec schema `ServerlessBackupSnapshot`).
    ///
    /// Atlas fills in every field; each is optional because the spec requires none.
    pub struct ServerlessBackupSnapshot {
        /// The snapshot's 24-hex-digit id.
        pub id: Option<String>,
        /// When the snapshot was taken.
        pub created_at: Option<DateTime<Utc>>,
        /// When Atlas deletes the snapshot.
        pub expires_at: Option<DateTime<Utc>>,
        /// Which schedule of the backup policy the snapshot belongs to.
        pub frequency_type: Option<FrequencyType>,
        /// The links of the snapshot.
        pub links: Vec<Link>,
        /// The MongoDB version of the instance when the snapshot was taken, e.g. `7.0.5`.
        pub mongod_version: Option<String>,
        /// The serverless instance the snapshot is of.
        pub serverless_instance_name: Option<String>,
        /// Whether the snapshot was asked for or scheduled.
        pub snapshot_type: Option<SnapshotType>,
        /// Where the snapshot stands.
        pub status: Option<ServerlessSnapshotStatus>,
        /// The size of the snapshot, in bytes.
        pub storage_size_bytes: Option<i64>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_snapshot_round_trips() {
        let json = serde_json::json!({
            "id": "5e2211c17a3e5a48f5497de4",
            "createdAt": "2025-11-03T10:15:00Z",
            "expiresAt": "2025-12-03T10:15:00Z",
            "frequencyType": "daily",
            "links": [{"href": "https://cloud.mongodb.com/x", "rel": "self"}],
            "mongodVersion": "7.0.5",
            "serverlessInstanceName": "serverless-demo",
            "snapshotType": "scheduled",
            "status": "completed",
            "storageSizeBytes": 123456789
        });
        let snapshot: ServerlessBackupSnapshot = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(snapshot.status, Some(ServerlessSnapshotStatus::Completed));
        assert_eq!(snapshot.frequency_type, Some(FrequencyType::Daily));
        assert_eq!(serde_json::to_value(&snapshot).unwrap(), json);
    }

    #[test]
    fn unknown_enum_values_are_kept() {
        let snapshot: ServerlessBackupSnapshot = serde_json::from_value(serde_json::json!({
            "frequencyType": "yearly", "snapshotType": "fallback", "status": "archived"
        }))
        .unwrap();
        assert_eq!(
            snapshot.frequency_type,
            Some(FrequencyType::Other("yearly".into()))
        );
        assert_eq!(
            snapshot.snapshot_type,
            Some(SnapshotType::Other("fallback".into()))
        );
        assert_eq!(
            snapshot.status,
            Some(ServerlessSnapshotStatus::Other("archived".into()))
        );
    }
}
