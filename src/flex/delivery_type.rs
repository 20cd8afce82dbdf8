use crate::open_enum::open_enum;

open_enum! {
    /// How a restore job of a Flex cluster delivers its snapshot (`deliveryType`).
    pub enum FlexDeliveryType {
        /// Atlas restores the snapshot to the target cluster.
        Restore = "RESTORE",
        /// Atlas offers the snapshot as a download.
        Download = "DOWNLOAD",
    }
}
