//! Types the Atlas API shares across endpoints.

mod api_error;
mod bson_timestamp;
mod link;

pub use api_error::{ApiError, BadRequestDetail, FieldViolation};
pub use bson_timestamp::BsonTimestamp;
pub use link::Link;
