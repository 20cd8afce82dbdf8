//! Atlas `ApiError` bodies.
//!
//! Every error the sandbox produces is one [`ApiError`], rendered by
//! [`crate::render`] (so `pretty` and `envelope` apply to errors too).

use std::ops::{Deref, DerefMut};

use axum::http::{HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error_codes;

/// The spec's `FieldViolation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FieldViolation {
    pub description: String,
    pub field: String,
}

/// The spec's `BadRequestDetail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BadRequestDetail {
    pub fields: Vec<FieldViolation>,
}

/// An error to answer with; boxed, so that `Result<_, ApiError>` stays small.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub(crate) struct ApiError(Box<ApiErrorBody>);

impl Deref for ApiError {
    type Target = ApiErrorBody;

    fn deref(&self) -> &ApiErrorBody {
        &self.0
    }
}

impl DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorBody {
        &mut self.0
    }
}

/// The spec's `ApiError`, plus the status and headers to answer with.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ApiErrorBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<BadRequestDetail>,
    pub detail: String,
    pub error: u16,
    pub error_code: &'static str,
    /// The spec types these as objects; the sandbox uses one-key objects
    /// naming what the error is about, e.g. `{"groupId": "..."}`.
    pub parameters: Vec<Value>,
    pub reason: &'static str,
    #[serde(skip)]
    pub status: StatusCode,
    #[serde(skip)]
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// An error with no parameters.
    pub(crate) fn new(status: StatusCode, error_code: &'static str, detail: String) -> Self {
        ApiError(Box::new(ApiErrorBody {
            bad_request_detail: None,
            detail,
            error: status.as_u16(),
            error_code,
            parameters: Vec::new(),
            reason: status.canonical_reason().unwrap_or(""),
            status,
            headers: Vec::new(),
        }))
    }

    /// Adds one `{name: value}` parameter.
    pub(crate) fn with_parameter(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.parameters.push(json!({ name: value.into() }));
        self
    }

    /// Adds a response header.
    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// 401: no credentials, or credentials the sandbox does not accept. The
    /// caller adds the `WWW-Authenticate` challenges.
    pub(crate) fn unauthorized(detail: String) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, error_codes::UNAUTHORIZED, detail)
    }

    /// 400: one or more request elements are invalid.
    pub(crate) fn validation(violations: Vec<FieldViolation>, values: Vec<Value>) -> Self {
        let detail = violations
            .iter()
            .map(|violation| violation.description.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut error = ApiError::new(
            StatusCode::BAD_REQUEST,
            error_codes::VALIDATION_ERROR,
            detail,
        );
        error.parameters = values;
        error.bad_request_detail = Some(BadRequestDetail { fields: violations });
        error
    }

    /// 400: one request element is invalid.
    pub(crate) fn invalid_field(field: &str, value: Value, description: String) -> Self {
        ApiError::validation(
            vec![FieldViolation {
                description,
                field: field.to_owned(),
            }],
            vec![json!({ field: value })],
        )
    }

    /// 404: the project has no serverless instance of this name.
    pub(crate) fn serverless_instance_not_found(group_id: &str, name: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            error_codes::RESOURCE_NOT_FOUND,
            format!("No serverless instance named {name} exists in project {group_id}."),
        )
        .with_parameter("clusterName", name)
        .with_parameter("groupId", group_id)
    }

    /// 404: the project has no flex cluster of this name.
    pub(crate) fn flex_cluster_not_found(group_id: &str, name: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            error_codes::RESOURCE_NOT_FOUND,
            format!("No flex cluster named {name} exists in project {group_id}."),
        )
        .with_parameter("name", name)
        .with_parameter("groupId", group_id)
    }

    /// 404: the instance or cluster `name` has no snapshot with this id.
    pub(crate) fn snapshot_not_found(name: &str, snapshot_id: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            error_codes::RESOURCE_NOT_FOUND,
            format!("No snapshot with id {snapshot_id} exists for {name}."),
        )
        .with_parameter("snapshotId", snapshot_id)
    }

    /// 409: the snapshot exists but did not complete, so nothing can be
    /// restored or downloaded from it.
    pub(crate) fn snapshot_not_complete(snapshot_id: &str, status: &str) -> Self {
        ApiError::new(
            StatusCode::CONFLICT,
            error_codes::SNAPSHOT_NOT_COMPLETE,
            format!(
                "Snapshot {snapshot_id} is {status}: only a completed snapshot can be restored \
                 or downloaded."
            ),
        )
        .with_parameter("snapshotId", snapshot_id)
        .with_parameter("status", status)
    }

    /// 404: no route matches the path.
    pub(crate) fn unknown_route(method: &str, path: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            error_codes::RESOURCE_NOT_FOUND,
            format!("The sandbox serves no resource at {method} {path}."),
        )
        .with_parameter("path", path)
    }

    /// 405: the path exists, the method does not.
    pub(crate) fn method_not_allowed(method: &str, path: &str) -> Self {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            error_codes::METHOD_NOT_ALLOWED,
            format!("The resource at {path} does not support {method}."),
        )
        .with_parameter("method", method)
    }

    /// 413: the body could not be read within the sandbox's limit.
    pub(crate) fn body_too_large(limit: usize) -> Self {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            error_codes::PAYLOAD_TOO_LARGE,
            format!("The request body could not be read in full (the limit is {limit} bytes)."),
        )
        .with_parameter("limit", limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_like_the_spec() {
        let error = ApiError::serverless_instance_not_found("abc", "demo");
        let body = serde_json::to_value(error).unwrap_or_default();
        assert_eq!(body["error"], 404);
        assert_eq!(body["errorCode"], "RESOURCE_NOT_FOUND");
        assert_eq!(body["reason"], "Not Found");
        assert_eq!(
            body["parameters"],
            json!([{"clusterName": "demo"}, {"groupId": "abc"}])
        );
        assert!(body.get("badRequestDetail").is_none());
        assert!(body.get("status").is_none());
    }
}
