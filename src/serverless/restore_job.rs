use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{BsonTimestamp, Link};

/// A restore job of a serverless instance (spec schema `ServerlessBackupRestoreJob`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerlessBackupRestoreJob {
    /// The job's 24-hex-digit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// How the snapshot reaches its target.
    pub delivery_type: DeliveryType,
    /// Where to download the snapshot, for `download` jobs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery_url: Vec<String>,
    /// The oplog position to restore to, for point-in-time restores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_timestamp: Option<BsonTimestamp>,
    /// Whether someone cancelled the job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled: Option<bool>,
    /// Whether the job's download link has expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired: Option<bool>,
    /// Whether the job failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<bool>,
    /// When the download link expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When the job finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// When the snapshot was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<DateTime<Utc>>,
    /// The links of the job.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The oplog increment to restore to, with `oplog_ts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oplog_inc: Option<i64>,
    /// The oplog timestamp (seconds since the Unix epoch) to restore to, with `oplog_inc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oplog_ts: Option<i64>,
    /// The moment (seconds since the Unix epoch) of a point-in-time restore.
    #[serde(
        default,
        rename = "pointInTimeUTCSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub point_in_time_utc_seconds: Option<i64>,
    /// The 24-hex-digit id of the snapshot restored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// The cluster the snapshot is restored to.
    pub target_cluster_name: String,
    /// The 24-hex-digit id of the project of the target cluster.
    pub target_group_id: String,
}

/// How a restore job delivers its snapshot.
///
/// Unknown values from a newer Atlas are kept in [`DeliveryType::Other`] instead of failing
/// the whole response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeliveryType {
    /// Atlas restores the snapshot to the target cluster.
    Automated,
    /// Atlas offers the snapshot as a download.
    Download,
    /// Atlas restores the target cluster to a moment in time.
    PointInTime,
    /// A value this version of the crate does not know.
    Other(String),
}

impl DeliveryType {
    /// The value as Atlas writes it, e.g. `pointInTime`.
    pub fn as_str(&self) -> &str {
        match self {
            DeliveryType::Automated => "automated",
            DeliveryType::Download => "download",
            DeliveryType::PointInTime => "pointInTime",
            DeliveryType::Other(other) => other,
        }
    }
}

impl From<&str> for DeliveryType {
    fn from(value: &str) -> Self {
        match value {
            "automated" => DeliveryType::Automated,
            "download" => DeliveryType::Download,
            "pointInTime" => DeliveryType::PointInTime,
            other => DeliveryType::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for DeliveryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DeliveryType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DeliveryType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(DeliveryType::from(value.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_delivery_types_are_kept() {
        let parsed: DeliveryType = serde_json::from_str("\"teleport\"").unwrap();
        assert_eq!(parsed, DeliveryType::Other("teleport".into()));
        assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"teleport\"");
        let known: DeliveryType = serde_json::from_str("\"pointInTime\"").unwrap();
        assert_eq!(known, DeliveryType::PointInTime);
    }

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
}
