//! Turning bodies into responses, honouring `pretty` and `envelope`.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

use crate::checks::QueryParams;
use crate::errors::ApiError;

/// `Content-Type` of error bodies.
pub(crate) const JSON: &str = "application/json";

/// How to shape a response body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Format {
    /// `pretty=true`: indent the JSON.
    pub pretty: bool,
    /// `envelope=true`: answer 200 and carry the status in the body.
    pub envelope: bool,
}

impl Format {
    /// The format a request asked for, read before its query is validated so
    /// that early errors (401, 406, 410) are shaped as asked too. A value
    /// other than `true` counts as `false` here; validation rejects it later.
    pub(crate) fn lenient(query: &QueryParams) -> Self {
        Format {
            pretty: query.first("pretty") == Some("true"),
            envelope: query.first("envelope") == Some("true"),
        }
    }
}

/// An error response: `application/json`, or in an envelope
/// `{"status": <code>, "content": <ApiError>}` with HTTP 200.
pub(crate) fn error(error: ApiError, format: Format) -> Response {
    let status = error.status;
    let headers = error.headers.clone();
    let body = serde_json::to_value(&error).unwrap_or(Value::Null);
    let body = if format.envelope {
        serde_json::json!({ "status": status.as_u16(), "content": body })
    } else {
        body
    };
    let mut response = json(status, JSON, &body, format);
    for (name, value) in headers {
        response.headers_mut().append(name, value);
    }
    response
}

/// A success response whose body is a page; in an envelope the page gains
/// `"status"` next to `links` and `results`, and HTTP is 200.
pub(crate) fn object(
    status: StatusCode,
    content_type: &str,
    mut body: Value,
    format: Format,
) -> Response {
    if format.envelope {
        if let Value::Object(map) = &mut body {
            map.insert("status".to_owned(), Value::from(status.as_u16()));
        }
    }
    json(status, content_type, &body, format)
}

/// A success response whose body is one resource; in an envelope it becomes
/// `{"status": <code>, "content": <resource>}` and HTTP is 200.
pub(crate) fn single(
    status: StatusCode,
    content_type: &str,
    body: Value,
    format: Format,
) -> Response {
    let body = if format.envelope {
        serde_json::json!({ "status": status.as_u16(), "content": body })
    } else {
        body
    };
    json(status, content_type, &body, format)
}

/// Serializes `body` and sets status and `Content-Type`.
fn json(status: StatusCode, content_type: &str, body: &Value, format: Format) -> Response {
    let bytes = if format.pretty {
        serde_json::to_vec_pretty(body)
    } else {
        serde_json::to_vec(body)
    };
    // Serializing a `Value` cannot fail; answer 500 rather than panic if it did.
    let (status, bytes) = match bytes {
        Ok(bytes) => (status, bytes),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, b"{}".to_vec()),
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = if format.envelope {
        StatusCode::OK
    } else {
        status
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type_value(content_type));
    response
}

/// A `Content-Type` value; media types come from the tables and are plain ASCII.
fn content_type_value(content_type: &str) -> HeaderValue {
    HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static(JSON))
}
