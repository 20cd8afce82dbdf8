//! The one function every request goes through: auth, send, read, map errors.

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, StatusCode};

use crate::auth::RequestContext;
use crate::client::Client;
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::inspect::PreparedRequest;
use crate::types::ApiError;

/// A successful response, read to the end.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
}

/// Sends `request` with the client's credentials and returns the body of a successful
/// answer; any other answer becomes an [`Error`] that keeps status, headers, body and the
/// parsed Atlas error.
///
/// A `401` is answered once: with the digest challenge it carries, or with a renewed
/// service-account token. A second `401` is the caller's error, never a loop.
pub(crate) async fn send(
    client: &Client,
    endpoint: &'static Endpoint,
    request: PreparedRequest,
) -> Result<Response> {
    let enveloped = request
        .url()
        .query_pairs()
        .any(|(name, value)| name == "envelope" && value == "true");
    let (method, url, mut headers, body) = request.into_parts();
    headers.remove(AUTHORIZATION);
    let inner = client.inner();
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let context = RequestContext {
        http: &inner.http,
        method,
        target: &target,
        body: body.as_deref(),
        token_url: &inner.token_url,
    };
    let failed =
        |error: reqwest::Error| Error::transport(error.without_url()).with_endpoint(endpoint);
    let mut answered_challenge = false;
    let response = loop {
        let authorization = inner
            .auth
            .authorize(&context)
            .await
            .map_err(|error| error.with_endpoint(endpoint))?;
        let mut request_headers = headers.clone();
        if let Some(authorization) = &authorization {
            request_headers.insert(AUTHORIZATION, authorization.clone());
        }
        let mut builder = inner
            .http
            .request(method.to_http(), url.clone())
            .headers(request_headers);
        if let Some(body) = &body {
            // `Bytes` clones share the buffer, so a replay after a challenge costs no copy.
            builder = builder.body(body.clone());
        }
        let response = builder.send().await.map_err(failed)?;
        if response.status() == StatusCode::UNAUTHORIZED
            && !answered_challenge
            && inner
                .auth
                .after_unauthorized(response.headers(), authorization.as_ref())
                .await
        {
            answered_challenge = true;
            // Reading the refused body lets the connection be reused for the retry.
            let _ = response.bytes().await;
            continue;
        }
        break response;
    };
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(failed)?;
    let (status, body) = if enveloped {
        unwrap_envelope(status, body)
    } else {
        (status, body)
    };
    if status.is_success() {
        Ok(Response { status, body })
    } else {
        Err(api_error(status, headers, body).with_endpoint(endpoint))
    }
}

fn api_error(status: StatusCode, headers: HeaderMap, body: Bytes) -> Error {
    let parsed = serde_json::from_slice::<ApiError>(&body).ok();
    Error::api(status, headers, body, parsed)
}

/// With `envelope=true` Atlas answers `200` and carries the real status in the body:
/// `{"status": 404, "content": {...}}` for single objects and errors, the page itself plus
/// `"status"` for lists. Returns the real status and the body without its wrapper.
fn unwrap_envelope(status: StatusCode, body: Bytes) -> (StatusCode, Bytes) {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        status: Option<u16>,
        #[serde(borrow)]
        content: Option<&'a serde_json::value::RawValue>,
    }
    let Ok(envelope) = serde_json::from_slice::<Envelope<'_>>(&body) else {
        return (status, body);
    };
    let status = envelope
        .status
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(status);
    match envelope.content {
        Some(content) => (status, Bytes::copy_from_slice(content.get().as_bytes())),
        None => (status, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_with_content_yields_the_content_and_the_inner_status() {
        let (status, body) = unwrap_envelope(
            StatusCode::OK,
            Bytes::from_static(br#"{"status":404,"content":{"errorCode":"RESOURCE_NOT_FOUND"}}"#),
        );
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(&body[..], br#"{"errorCode":"RESOURCE_NOT_FOUND"}"#);
    }

    #[test]
    fn enveloped_page_keeps_its_body() {
        let page = Bytes::from_static(br#"{"status":200,"results":[]}"#);
        let (status, body) = unwrap_envelope(StatusCode::OK, page.clone());
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, page);
    }

    #[test]
    fn a_body_that_is_not_an_envelope_is_left_alone() {
        let (status, body) =
            unwrap_envelope(StatusCode::BAD_GATEWAY, Bytes::from_static(b"<html>"));
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert_eq!(&body[..], b"<html>");
    }
}
