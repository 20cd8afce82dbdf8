//! Decoding response bodies, naming the field that did not fit.

use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::json_path::path_of_error;
use crate::send::Response;

/// Decodes a JSON body; an empty body decodes as `null`, so `()` and `Option<T>` accept the
/// empty answers of deletions. A body that does not fit is an error naming the path of the
/// value it failed in (`results[3].status`).
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
    // One decoder per type, the plain one: the path is read off the text where serde_json
    // stopped, only when it fails (see `json_path`).
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = T::deserialize(&mut deserializer)
        .map_err(|error| failed(path_of_error(body, &error), error.to_string()))?;
    deserializer
        .end()
        .map_err(|error| failed(String::new(), error.to_string()))?;
    Ok(value)
}
