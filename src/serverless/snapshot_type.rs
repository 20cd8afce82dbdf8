use crate::open_enum::open_enum;

open_enum! {
    /// Whether a snapshot was asked for or taken by the backup schedule (`snapshotType`).
    pub enum SnapshotType {
        /// Someone asked for it.
        OnDemand = "onDemand",
        /// The backup schedule took it.
        Scheduled = "scheduled",
    }
}
