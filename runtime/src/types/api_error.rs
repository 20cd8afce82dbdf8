use serde::{Deserialize, Serialize};

/// The error body Atlas returns with every failed request.
///
/// Every field is optional when decoding, so that a partial or unusual error body still
/// yields what it has.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// The HTTP status code, as Atlas repeats it in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<u16>,
    /// The application error code, e.g. `RESOURCE_NOT_FOUND`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// What went wrong, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The reason phrase, e.g. `Not Found`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Values that the error message refers to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<serde_json::Value>,
    /// Which fields of a request were wrong, for `400 Bad Request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<BadRequestDetail>,
}

/// The fields of a request that Atlas refused.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BadRequestDetail {
    /// One entry per refused field.
    #[serde(default)]
    pub fields: Vec<FieldViolation>,
}

/// One refused field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldViolation {
    /// The path to the field in the request body.
    #[serde(default)]
    pub field: String,
    /// Why the field was refused.
    #[serde(default)]
    pub description: String,
}
