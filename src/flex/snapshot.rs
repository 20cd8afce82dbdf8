use chrono::{DateTime, Utc};

use super::FlexBackupStatus;
use crate::model::model;
use crate::Link;

model! {
    /// A snapshot of a Flex cluster (spec schema `FlexBackupSnapshot20241113`).
    ///
    /// Atlas fills in every field; each is optional because the spec requires none.
    pub struct FlexBackupSnapshot {
        /// The snapshot's 24-hex-digit id.
        pub id: Option<String>,
        /// When Atlas deletes the snapshot.
        pub expiration: Option<DateTime<Utc>>,
        /// When taking the snapshot finished.
        pub finish_time: Option<DateTime<Utc>>,
        /// The links of the snapshot.
        pub links: Vec<Link>,
        /// The MongoDB version of the cluster when the snapshot was taken.
        #[serde(rename = "mongoDBVersion")]
        pub mongo_db_version: Option<String>,
        /// When the snapshot was scheduled.
        pub scheduled_time: Option<DateTime<Utc>>,
        /// When taking the snapshot started.
        pub start_time: Option<DateTime<Utc>>,
        /// Where the snapshot stands.
        pub status: Option<FlexBackupStatus>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_snapshot_round_trips() {
        let json = serde_json::json!({
            "id": "5e2211c17a3e5a48f5497de4",
            "expiration": "2025-12-03T10:15:00Z",
            "finishTime": "2025-11-03T10:20:00Z",
            "links": [{"href": "https://cloud.mongodb.com/x", "rel": "self"}],
            "mongoDBVersion": "8.0.3",
            "scheduledTime": "2025-11-03T10:00:00Z",
            "startTime": "2025-11-03T10:15:00Z",
            "status": "RUNNING"
        });
        let snapshot: FlexBackupSnapshot = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(snapshot.mongo_db_version.as_deref(), Some("8.0.3"));
        assert_eq!(snapshot.status, Some(FlexBackupStatus::Running));
        assert_eq!(serde_json::to_value(&snapshot).unwrap(), json);
    }
}
