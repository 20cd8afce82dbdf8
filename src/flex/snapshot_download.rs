use crate::model::model;
use crate::Link;

model! {
    /// The body that asks for a download of a Flex snapshot (spec schema
    /// `FlexBackupSnapshotDownloadCreate20241113`).
    pub struct FlexBackupSnapshotDownloadCreate {
        /// The 24-hex-digit id of the snapshot to download.
        pub snapshot_id: String,
        /// Set by Atlas: links; leave empty in a request.
        pub links: Vec<Link>,
    }
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
