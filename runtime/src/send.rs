//! The one function every request goes through: auth, send, retry, read, map errors.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue, StatusCode};
use tracing::Instrument;

use crate::auth::RequestContext;
use crate::client::Client;
use crate::deprecation::warn_if_deprecated;
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::inspect::PreparedRequest;
use crate::retry::RetryPolicy;
use crate::types::ApiError;

/// A successful response, read to the end.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
}

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_attempts: Option<u32>,
}

/// What one attempt produced: an answer read to its end, or an error before that.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Sends `request` with the client's credentials, retrying transient failures, and returns
/// the body of a successful answer; any other answer becomes an [`Error`] that keeps status,
/// headers, body and the parsed Atlas error, and says how many attempts were made.
pub(crate) async fn send(
    client: &Client,
    endpoint: &'static Endpoint,
    request: PreparedRequest,
    options: CallOptions,
) -> Result<Response> {
    let inner = client.inner();
    let policy = inner.retry;
    let max_attempts = if RetryPolicy::may_repeat(endpoint) {
        options.max_attempts.unwrap_or(policy.max_attempts).max(1)
    } else {
        1
    };
    let enveloped = request
        .url()
        .query_pairs()
        .any(|(name, value)| name == "envelope" && value == "true");
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
        let outcome = send_once(client, &request, options)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        let retry_wait = match &outcome {
            Ok(answer) => {
                span.record("status", answer.status.as_u16());
                RetryPolicy::is_transient(answer.status)
                    .then(|| policy.delay(attempt, Some(&answer.headers)))
            }
            Err(error) => error
                .is_transient_transport()
                .then(|| policy.delay(attempt, None)),
        };
        match (outcome, retry_wait) {
            (outcome, Some(wait)) if attempt < max_attempts => {
                let _entered = span.enter();
                match &outcome {
                    Ok(answer) => tracing::warn!(
                        status = answer.status.as_u16(),
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
            (Ok(answer), _) => {
                warn_if_deprecated(endpoint, &answer.headers);
                return finish(endpoint, answer, enveloped)
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
    client: &Client,
    request: &PreparedRequest,
    options: CallOptions,
) -> Result<Answer> {
    let inner = client.inner();
    let url = request.url();
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let context = RequestContext {
        http: &inner.http,
        method: request.method(),
        target: &target,
        body: request.body(),
        token_url: &inner.token_url,
    };
    let mut answered_challenge = false;
    loop {
        let authorization = inner.auth.authorize(&context).await?;
        let response = build(client, request, authorization.as_ref(), options)
            .send()
            .await
            .map_err(|error| Error::transport(error.without_url()))?;
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
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|error| Error::transport(error.without_url()))?;
        return Ok(Answer {
            status,
            headers,
            body,
        });
    }
}

fn build(
    client: &Client,
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
        .inner()
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
fn finish(endpoint: &'static Endpoint, answer: Answer, enveloped: bool) -> Result<Response> {
    let (status, body) = if enveloped {
        unwrap_envelope(answer.status, answer.body)
    } else {
        (answer.status, answer.body)
    };
    if status.is_success() {
        Ok(Response { status, body })
    } else {
        Err(api_error(status, answer.headers, body).with_endpoint(endpoint))
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
