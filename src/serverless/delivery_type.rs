use crate::open_enum::open_enum;

open_enum! {
    /// How a restore job of a serverless instance delivers its snapshot (`deliveryType`).
    pub enum DeliveryType {
        /// Atlas restores the snapshot to the target cluster.
        Automated = "automated",
        /// Atlas offers the snapshot as a download.
        Download = "download",
        /// Atlas restores the target cluster to a moment in time.
        PointInTime = "pointInTime",
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
        assert_eq!(known.to_string(), "pointInTime");
    }
}
