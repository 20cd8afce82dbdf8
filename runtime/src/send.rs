//! The one function every request goes through: auth, send, retry, read, map errors.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue, StatusCode};
use tracing::Instrument;

use crate::auth::RequestContext;
use crate::client_state::ClientState;
use crate::deprecation::warn_if_deprecated;
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::request::PreparedRequest;
use crate::retry::RetryPolicy;
use crate::types::ApiError;

/// An answer read to its end: what one attempt produced, and, once it is a success, what
/// [`send`] returns.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// A success whose body is still on the wire, for downloads (`body` is then empty).
    pub(crate) stream: Option<reqwest::Response>,
}

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_attempts: Option<u32>,
}

/// Sends `request` with the client's credentials, retrying transient failures, and returns
/// the body of a successful answer; any other answer becomes an [`Error`] that keeps status,
/// headers, body and the parsed Atlas error, and says how many attempts were made.
pub(crate) async fn send(
    client: &ClientState,
    endpoint: &'static Endpoint,
    request: PreparedRequest,
    options: CallOptions,
) -> Result<Response> {
    send_with(client, endpoint, request, options, false).await
}

/// [`send`], but a successful answer's body is left on the wire, in `Response::stream`, for a
/// download to stream. Retries happen only before that: a success is never retried, and
/// error answers are read whole as before.
pub(crate) async fn send_streaming(
    client: &ClientState,
    endpoint: &'static Endpoint,
    request: PreparedRequest,
    options: CallOptions,
) -> Result<Response> {
    send_with(client, endpoint, request, options, true).await
}

async fn send_with(
    client: &ClientState,
    endpoint: &'static Endpoint,
    request: PreparedRequest,
    options: CallOptions,
    streaming: bool,
) -> Result<Response> {
    let policy = client.retry;
    let max_attempts = if RetryPolicy::may_repeat(endpoint) {
        options.max_attempts.unwrap_or(policy.max_attempts).max(1)
    } else {
        1
    };
    let mut attempt = 1;
    loop {
        let span = tracing::debug_span!(
            "atlas_request",
            method = endpoint.method.as_str(),
            template = endpoint.template,
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let outcome = send_once(client, endpoint, &request, options, streaming)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        let retry_wait = match &outcome {
            Ok(response) => {
                span.record("status", response.status.as_u16());
                RetryPolicy::is_transient(response.status)
                    .then(|| policy.delay(attempt, Some(&response.headers)))
            }
            Err(error) => error
                .is_transient_transport()
                .then(|| policy.delay(attempt, None)),
        };
        match (outcome, retry_wait) {
            (outcome, Some(wait)) if attempt < max_attempts => {
                let _entered = span.enter();
                match &outcome {
                    Ok(response) => tracing::warn!(
                        status = response.status.as_u16(),
                        wait_ms = wait.as_millis() as u64,
                        "atlas answered with a transient error; retrying"
                    ),
                    Err(error) => tracing::warn!(
                        error = %error,
                        wait_ms = wait.as_millis() as u64,
                        "request failed; retrying"
                    ),
                }
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            (Ok(response), _) => {
                warn_if_deprecated(endpoint, &response.headers);
                return finish(endpoint, response, request.is_enveloped())
                    .map_err(|error| error.with_attempts(attempt));
            }
            (Err(error), _) => return Err(error.with_endpoint(endpoint).with_attempts(attempt)),
        }
    }
}

/// One attempt: authorizes, sends and reads the whole answer. A `401` is answered once, with
/// the digest challenge it carries or a renewed service-account token; a second `401` is the
/// caller's answer, never a loop.
async fn send_once(
    client: &ClientState,
    endpoint: &'static Endpoint,
    request: &PreparedRequest,
    options: CallOptions,
    streaming: bool,
) -> Result<Response> {
    let url = request.url();
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let context = RequestContext {
        http: &client.http,
        method: request.method(),
        target: &target,
        body: request.body(),
        token_url: &client.token_url,
    };
    let mut answered_challenge = false;
    // An operation without authentication (`security: []`) gets no credentials at all: no
    // header, no token request, no answer to a digest challenge.
    let authenticated = !endpoint.unauthenticated;
    loop {
        let authorization = if authenticated {
            client.auth.authorize(&context).await?
        } else {
            None
        };
        let response = build(client, request, authorization.as_ref(), options)
            .send()
            .await
            .map_err(|error| Error::transport(error.without_url()))?;
        if response.status() == StatusCode::UNAUTHORIZED
            && authenticated
            && !answered_challenge
            && client
                .auth
                .after_unauthorized(response.headers(), authorization.as_ref())
                .await
        {
            answered_challenge = true;
            // Reading the refused body lets the connection be reused for the retry.
            let _ = response.bytes().await;
            continue;
        }
        let status = response.status();
        let headers = response.headers().clone();
        if streaming && status.is_success() {
            return Ok(Response {
                status,
                headers,
                body: Bytes::new(),
                stream: Some(response),
            });
        }
        let body = response
            .bytes()
            .await
            .map_err(|error| Error::transport(error.without_url()))?;
        return Ok(Response {
            status,
            headers,
            body,
            stream: None,
        });
    }
}

fn build(
    client: &ClientState,
    request: &PreparedRequest,
    authorization: Option<&HeaderValue>,
    options: CallOptions,
) -> reqwest::RequestBuilder {
    let mut headers = request.headers().clone();
    headers.remove(AUTHORIZATION);
    if let Some(authorization) = authorization {
        headers.insert(AUTHORIZATION, authorization.clone());
    }
    let mut builder = client
        .http
        .request(request.method().to_http(), request.url().clone())
        .headers(headers);
    if let Some(body) = request.body_bytes() {
        // `Bytes` clones share the buffer, so a replay costs no copy.
        builder = builder.body(body.clone());
    }
    if let Some(timeout) = options.timeout {
        builder = builder.timeout(timeout);
    }
    builder
}

/// Maps a complete answer: unwraps an envelope, then success or a typed API error.
fn finish(endpoint: &'static Endpoint, response: Response, enveloped: bool) -> Result<Response> {
    if response.stream.is_some() {
        return Ok(response);
    }
    let Response {
        status,
        headers,
        body,
        stream,
    } = response;
    let (status, body) = if enveloped {
        unwrap_envelope(status, body)
    } else if endpoint.envelope_default {
        // The spec's `envelope` defaults to true: the answer may come wrapped unasked.
        unwrap_envelope_if_present(status, body)
    } else {
        (status, body)
    };
    if status.is_success() {
        Ok(Response {
            status,
            headers,
            body,
            stream,
        })
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

/// For endpoints whose `envelope` defaults to true: unwraps the body only when it is an
/// envelope, an object with a numeric `status`, so an answer that came unwrapped (whose own
/// fields may include `content`, as in `schemaAdvice`) is decoded as it is.
fn unwrap_envelope_if_present(status: StatusCode, body: Bytes) -> (StatusCode, Bytes) {
    #[derive(serde::Deserialize)]
    struct Status {
        status: Option<u16>,
    }
    match serde_json::from_slice::<Status>(&body) {
        Ok(Status { status: Some(_) }) => unwrap_envelope(status, body),
        _ => (status, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unasked_envelope_is_unwrapped_and_a_bare_body_is_left_alone() {
        let (status, body) = unwrap_envelope_if_present(
            StatusCode::OK,
            Bytes::from_static(br#"{"status":200,"content":{"content":{"recommendations":[]}}}"#),
        );
        assert_eq!(status, StatusCode::OK);
        assert_eq!(&body[..], br#"{"content":{"recommendations":[]}}"#);

        let bare = Bytes::from_static(br#"{"content":{"recommendations":[]}}"#);
        let (status, body) = unwrap_envelope_if_present(StatusCode::OK, bare.clone());
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, bare);
    }

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
