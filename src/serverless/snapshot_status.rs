use crate::open_enum::open_enum;

open_enum! {
    /// Where a snapshot of a serverless instance stands (`status`).
    pub enum ServerlessSnapshotStatus {
        /// Waiting to be taken.
        Queued = "queued",
        /// Being taken.
        InProgress = "inProgress",
        /// Taken and usable.
        Completed = "completed",
        /// Could not be taken.
        Failed = "failed",
    }
}
