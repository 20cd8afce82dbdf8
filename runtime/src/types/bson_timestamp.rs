use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A BSON timestamp: the moment an oplog entry was written and its order within that second.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BsonTimestamp {
    /// When the oplog recorded the operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateTime<Utc>>,
    /// The order of the operation among those recorded at `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
}
