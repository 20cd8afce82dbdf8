use crate::open_enum::open_enum;

open_enum! {
    /// Where a Flex snapshot or restore job stands (`status`).
    pub enum FlexBackupStatus {
        /// Accepted, not yet queued.
        Pending = "PENDING",
        /// Waiting for its turn.
        Queued = "QUEUED",
        /// Under way.
        Running = "RUNNING",
        /// Did not succeed.
        Failed = "FAILED",
        /// Done.
        Completed = "COMPLETED",
    }
}
