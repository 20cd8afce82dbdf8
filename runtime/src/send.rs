//! The one function every request goes through: auth, send, retry, read, map errors.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue, StatusCode};
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{Challenge, Reauthorize, RequestContext};
use crate::body::read_capped;
use crate::client_state::ClientState;
use crate::deprecation::warn_if_deprecated;
use crate::endpoint::Endpoint;
use crate::error::{shown_duration, Error, Result, TimeoutKind};
use crate::request::PreparedRequest;
use crate::retry::{RetryPolicy, RetryWait};
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
    /// The whole-call timeout: `None` is the client's, `Some(None)` no bound at all.
    pub(crate) timeout: Option<Option<Duration>>,
    /// The per-attempt timeout: `None` is the client's, `Some(None)` no bound at all.
    pub(crate) attempt_timeout: Option<Option<Duration>>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) max_response_bytes: Option<usize>,
    /// Whether a successful answer's body is left on the wire, for a download to stream.
    pub(crate) streaming: bool,
}

impl CallOptions {
    /// The whole-call timeout this call runs under.
    pub(crate) fn call_timeout(&self, client: &ClientState) -> Option<Duration> {
        self.timeout.unwrap_or(client.timeouts.call)
    }
}

/// When a bound passes, and its value, to name it in the error.
type Deadline = Option<(Instant, Duration)>;

fn deadline_after(limit: Option<Duration>) -> Deadline {
    let limit = limit?;
    Some((Instant::now().checked_add(limit)?, limit))
}

/// Sends `request` with the client's credentials, retrying transient failures, and returns
/// the body of a successful answer; any other answer becomes an [`Error`] that keeps status,
/// headers, body and the parsed Atlas error, and says how many attempts were made.
///
/// The whole call runs under its whole-call timeout: the token request, the attempts and the
/// waits between them. With [`CallOptions::streaming`], a successful answer's body is left on
/// the wire, in `Response::stream`, for a download to stream (bounded by the same deadline
/// through its request's own timeout); retries happen only before that: a success is never
/// retried, and error answers are read whole as usual.
pub(crate) async fn send(
    client: &ClientState,
    endpoint: &'static Endpoint,
    request: PreparedRequest,
    options: CallOptions,
) -> Result<Response> {
    let deadline = deadline_after(options.call_timeout(client));
    let progress = Progress::default();
    // A `serialize_by` endpoint waits for the calls of this client on the same resource, within
    // the whole-call timeout, and holds the lock through every attempt.
    let call = async {
        let _serial = match request.serial_key() {
            Some(key) => Some(client.serial.lock(key).await),
            None => None,
        };
        send_attempts(Sending {
            client,
            endpoint,
            request: &request,
            options,
            deadline,
            progress: &progress,
        })
        .await
    };
    let Some((at, limit)) = deadline else {
        return call.await;
    };
    match tokio::time::timeout_at(at, call).await {
        Ok(outcome) => outcome,
        Err(_) => Err(progress.unanswered(
            endpoint,
            Error::timed_out(TimeoutKind::Call, Some(limit), None)
                .with_endpoint(endpoint)
                .with_attempts(progress.attempts.load(Ordering::Relaxed)),
        )),
    }
}

/// How far a call got, readable after its future was dropped by the whole-call timeout.
#[derive(Default)]
struct Progress {
    /// The attempt being made, counting from 1 (0 before the first).
    attempts: AtomicU32,
    /// Whether the last attempt's request may have reached the server and its answer has not
    /// come: set as sending starts, cleared when the status line arrives or connecting failed.
    in_flight: AtomicBool,
}

impl Progress {
    /// `error`, marked as a write of unknown outcome when the request may have been sent and
    /// no answer came. A `GET` changes nothing, so its outcome never matters.
    fn unanswered(&self, endpoint: &Endpoint, error: Error) -> Error {
        if self.in_flight.load(Ordering::Relaxed) && endpoint.method != crate::endpoint::Method::Get
        {
            error.with_outcome_unknown()
        } else {
            error
        }
    }
}

/// One call as it is sent: what every attempt needs.
#[derive(Clone, Copy)]
struct Sending<'a> {
    client: &'a ClientState,
    endpoint: &'static Endpoint,
    request: &'a PreparedRequest,
    options: CallOptions,
    /// The whole-call deadline, if any.
    deadline: Deadline,
    progress: &'a Progress,
}

/// What follows a failed attempt.
enum Next {
    Retry(Duration),
    /// Give up with this attempt's outcome, with a note on why it was not retried.
    GiveUp(Option<String>),
}

async fn send_attempts(sending: Sending<'_>) -> Result<Response> {
    let Sending {
        client, endpoint, ..
    } = sending;
    let progress = sending.progress;
    let policy = client.retry;
    let max_attempts = if RetryPolicy::may_repeat(endpoint) {
        sending
            .options
            .max_attempts
            .unwrap_or(policy.max_attempts)
            .max(1)
    } else {
        1
    };
    let mut attempt = 1;
    // The tokens the last retry took from the client's retry budget, given back on success.
    let mut last_retry_cost = None;
    loop {
        progress.attempts.store(attempt, Ordering::Relaxed);
        let span = tracing::debug_span!(
            "atlas_request",
            method = endpoint.method.as_str(),
            template = endpoint.template,
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let outcome = send_once(sending).instrument(span.clone()).await;
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
        let next = match retry_wait {
            None => Next::GiveUp(None),
            Some(_) if attempt >= max_attempts => Next::GiveUp(None),
            Some(RetryWait::TooLong(asked)) => Next::GiveUp(Some(format!(
                "not retried: the server asked to wait {} (`Retry-After`), longer than the \
                 retry policy waits ({}, `max_retry_after`), and a retry sooner would meet \
                 the same answer",
                shown_duration(asked),
                shown_duration(policy.max_retry_after)
            ))),
            Some(RetryWait::For(wait)) => {
                let after_timeout = matches!(&outcome, Err(error) if error.is_timeout());
                if let Some((_, limit)) = sending.deadline.filter(|(at, _)| {
                    Instant::now()
                        .checked_add(wait)
                        .is_none_or(|retry_at| retry_at >= *at)
                }) {
                    Next::GiveUp(Some(format!(
                        "not retried: waiting {} first would pass the whole-call timeout of {}",
                        shown_duration(wait),
                        shown_duration(limit)
                    )))
                } else {
                    match client.retry_quota.acquire(after_timeout) {
                        Some(cost) => {
                            last_retry_cost = Some(cost);
                            Next::Retry(wait)
                        }
                        None => Next::GiveUp(Some(
                            "not retried: the client's retry budget is spent (its calls \
                             retried too often lately; see `RetryBudget`)"
                                .to_owned(),
                        )),
                    }
                }
            }
        };
        let note = match next {
            Next::Retry(wait) => {
                let entered = span.enter();
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
                drop(entered);
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            Next::GiveUp(note) => note,
        };
        let noted = |error: Error| match &note {
            Some(note) => error.with_note(note.clone()),
            None => error,
        };
        return match outcome {
            Ok(response) => {
                if response.status.is_success() {
                    client.retry_quota.succeeded(last_retry_cost);
                }
                warn_if_deprecated(endpoint, &response.headers);
                finish(endpoint, response, sending.request.is_enveloped())
                    .map_err(|error| noted(error.with_attempts(attempt)))
            }
            Err(error) => Err(progress.unanswered(
                endpoint,
                noted(error.with_endpoint(endpoint).with_attempts(attempt)),
            )),
        };
    }
}

/// Runs `work` within the per-attempt bound, if there is one.
async fn within<T>(bound: Deadline, work: impl Future<Output = Result<T>>) -> Result<T> {
    match bound {
        None => work.await,
        Some((at, limit)) => tokio::time::timeout_at(at, work)
            .await
            .unwrap_or_else(|_| Err(Error::timed_out(TimeoutKind::Attempt, Some(limit), None))),
    }
}

/// One attempt: authorizes, sends and reads the whole answer (up to the size cap), within the
/// per-attempt timeout. A `401` is answered once, with the digest challenge it carries or a
/// renewed service-account token; a second `401` is the caller's answer, never a loop.
async fn send_once(sending: Sending<'_>) -> Result<Response> {
    let Sending {
        client,
        endpoint,
        request,
        options,
        deadline,
        progress,
    } = sending;
    let streaming = options.streaming;
    let context = RequestContext {
        http: &client.http,
        method: request.method(),
        url: Some(request.url()),
        body: request.body(),
        token_url: &client.token_url,
        token_timeout: client.timeouts.token,
        connect_timeout: client.timeouts.connect,
    };
    let attempt_timeout = options.attempt_timeout.unwrap_or(client.timeouts.attempt);
    let cap = options
        .max_response_bytes
        .unwrap_or(client.max_response_bytes);
    // reqwest's own timeouts are the connect timeout and, for a download, the whole-call
    // deadline (which bounds its body too).
    let transport = |error: reqwest::Error| {
        let (which, limit) = match streaming {
            true => (TimeoutKind::Call, deadline.map(|(_, limit)| limit)),
            false => (TimeoutKind::Attempt, attempt_timeout),
        };
        Error::transport(error.without_url()).with_timeout(which, limit, client.timeouts.connect)
    };
    let mut answered_challenge = false;
    // The header of a second sending, when the `401` said what it must be (a digest answer),
    // and the challenge it answers, shared once the server accepts the answer.
    let mut answer: Option<HeaderValue> = None;
    let mut answered: Option<Challenge> = None;
    // An operation without authentication (`security: []`) gets no credentials at all: no
    // header, no token request, no answer to a digest challenge.
    let authenticated = !endpoint.unauthenticated;
    loop {
        // The token request has a bound of its own (the token timeout), outside the attempt's.
        let authorization = match answer.take() {
            Some(header) => Some(header),
            None if authenticated => client.auth.authorize(&context).await?,
            None => None,
        };
        // Within the announced rate limit: may wait (inside the whole-call timeout, before the
        // attempt's own starts).
        let permit = match (&client.pacer, request.pace_key()) {
            (Some(pacer), Some(key)) => Some(pacer.acquire(key).await),
            _ => None,
        };
        let bound = deadline_after(attempt_timeout);
        progress.in_flight.store(true, Ordering::Relaxed);
        let mut response = within(bound, async {
            let request = build(request, authorization.as_ref(), streaming, deadline);
            client.http.execute(request).await.map_err(&transport)
        })
        .await
        .inspect_err(|error| {
            if error.is_connect_failure() {
                progress.in_flight.store(false, Ordering::Relaxed);
            }
        })?;
        progress.in_flight.store(false, Ordering::Relaxed);
        if let Some(permit) = permit {
            permit.answered(response.status(), response.headers());
        }
        if let Some(challenge) = answered.take() {
            if response.status() != StatusCode::UNAUTHORIZED {
                client.auth.accepted(challenge);
            }
        }
        if response.status() == StatusCode::UNAUTHORIZED && authenticated && !answered_challenge {
            let next = client
                .auth
                .after_unauthorized(&context, response.headers(), authorization.as_ref())
                .await?;
            if !matches!(next, Reauthorize::No) {
                answered_challenge = true;
                if let Reauthorize::With(header, challenge) = next {
                    answer = Some(header);
                    answered = Some(challenge);
                }
                // Reading the refused body lets the connection be reused for the retry.
                let _ = within(bound, read_capped(response, cap, &transport)).await;
                continue;
            }
        }
        let status = response.status();
        if streaming && status.is_success() {
            return Ok(Response {
                status,
                headers: response.headers().clone(),
                body: Bytes::new(),
                stream: Some(response),
            });
        }
        // Reading the body needs no headers: they are taken, not copied.
        let headers = std::mem::take(response.headers_mut());
        let body = within(bound, read_capped(response, cap, &transport)).await?;
        return Ok(Response {
            status,
            headers,
            body,
            stream: None,
        });
    }
}

/// The request of one attempt, with its credentials. reqwest takes it whole, so the header
/// map and the URL are copied for each attempt (a retry sends them again), but no more.
fn build(
    request: &PreparedRequest,
    authorization: Option<&HeaderValue>,
    streaming: bool,
    deadline: Deadline,
) -> reqwest::Request {
    let mut headers = request.headers().clone();
    // The shown `Authorization` is the scheme only: the real value takes its place.
    match authorization {
        Some(authorization) => headers.insert(AUTHORIZATION, authorization.clone()),
        None => headers.remove(AUTHORIZATION),
    };
    let mut sent = reqwest::Request::new(request.method().to_http(), request.url().clone());
    *sent.headers_mut() = headers;
    if let Some(body) = request.body_bytes() {
        // `Bytes` clones share the buffer, so a replay costs no copy.
        *sent.body_mut() = Some(body.clone().into());
    }
    // A download's body streams after the call returns, so only reqwest can bound it: by
    // what is left of the whole-call timeout.
    if let Some((at, _)) = deadline.filter(|_| streaming) {
        *sent.timeout_mut() = Some(at.saturating_duration_since(Instant::now()));
    }
    sent
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

    type Unwrap = fn(StatusCode, Bytes) -> (StatusCode, Bytes);

    /// `unwrap` of `body`, answered `200`, gives `status` and `expected`.
    fn assert_unwraps(unwrap: Unwrap, body: &'static [u8], status: StatusCode, expected: &[u8]) {
        let (unwrapped_status, unwrapped) = unwrap(StatusCode::OK, Bytes::from_static(body));
        assert_eq!(unwrapped_status, status);
        assert_eq!(&unwrapped[..], expected);
    }

    #[test]
    fn an_unasked_envelope_is_unwrapped_and_a_bare_body_is_left_alone() {
        let bare = br#"{"content":{"recommendations":[]}}"#;
        let enveloped = br#"{"status":200,"content":{"content":{"recommendations":[]}}}"#;
        assert_unwraps(unwrap_envelope_if_present, enveloped, StatusCode::OK, bare);
        assert_unwraps(unwrap_envelope_if_present, bare, StatusCode::OK, bare);
    }

    #[test]
    fn envelope_with_content_yields_the_content_and_the_inner_status() {
        let enveloped = br#"{"status":404,"content":{"errorCode":"RESOURCE_NOT_FOUND"}}"#;
        let content = br#"{"errorCode":"RESOURCE_NOT_FOUND"}"#;
        assert_unwraps(unwrap_envelope, enveloped, StatusCode::NOT_FOUND, content);
    }

    #[test]
    fn enveloped_page_keeps_its_body() {
        let page = br#"{"status":200,"results":[]}"#;
        assert_unwraps(unwrap_envelope, page, StatusCode::OK, page);
    }

    #[test]
    fn a_body_that_is_not_an_envelope_is_left_alone() {
        let (status, body) =
            unwrap_envelope(StatusCode::BAD_GATEWAY, Bytes::from_static(b"<html>"));
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        assert_eq!(&body[..], b"<html>");
    }
}
