use serde::{Deserialize, Serialize};

use crate::Link;

/// The body that asks for a download of a Flex snapshot (spec schema
/// `FlexBackupSnapshotDownloadCreate20241113`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlexBackupSnapshotDownloadCreate {
    /// The 24-hex-digit id of the snapshot to download.
    pub snapshot_id: String,
    /// Set by Atlas: links; leave empty in a request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

impl FlexBackupSnapshotDownloadCreate {
    /// A download of snapshot `snapshot_id`.
    pub fn new(snapshot_id: impl Into<String>) -> Self {
        FlexBackupSnapshotDownloadCreate {
            snapshot_id: snapshot_id.into(),
            links: Vec::new(),
        }
    }
}
