//! Decoding response bodies, naming the field that did not fit.

use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::send::Response;

/// Decodes a JSON body; an empty body decodes as `null`, so `()` and `Option<T>` accept the
/// empty answers of deletions.
pub(crate) fn decode_json<T: DeserializeOwned>(
    endpoint: &'static Endpoint,
    response: &Response,
) -> Result<T> {
    let failed = |path: String, message: String| {
        Error::decode(path, message, response.status, response.body.clone()).with_endpoint(endpoint)
    };
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &response.body
    };
    // The plain decoder is the fast path; only a body that fails is decoded again with path
    // tracking, which costs about half as much again, to name the field that did not fit.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| failed(error.path().to_string(), error.inner().to_string()))?;
    deserializer
        .end()
        .map_err(|error| failed(String::new(), error.to_string()))?;
    Ok(value)
}
