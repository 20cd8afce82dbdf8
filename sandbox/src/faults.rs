//! Scripted misbehaviour: queued faults, added latency and listing quirks.
//!
//! [`apply`] runs as a middleware inside the recorder (so faulted requests
//! are still recorded and counted) and outside every route (so faults apply
//! before authentication, whatever the credentials). Listing quirks are read
//! by the list routes through [`Faults::listing`]. See the crate docs,
//! section *Faults*, for what each fault sends.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{self, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

use crate::error_codes;
use crate::render::JSON;
use crate::MEDIA_TYPE_2023_01_01;

/// One scripted misbehaviour, used for one matching request.
///
/// Queue faults with [`Sandbox::inject`](crate::Sandbox::inject); the crate
/// docs (section *Faults*) describe exactly what each one sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answers `status` with an Atlas `ApiError` body (`errorCode`
    /// `RATE_LIMITED` for 429, `SERVICE_UNAVAILABLE` for 503, ...), without
    /// running the route. With `retry_after`, adds `Retry-After: <seconds>`;
    /// with `rate_limit`, adds `RateLimit-Limit` and `RateLimit-Remaining`.
    Status {
        /// The HTTP status, 200 to 999 (anything else is answered 500).
        status: u16,
        /// Seconds for a `Retry-After` header.
        retry_after: Option<u64>,
        /// Values for the `RateLimit-Limit` and `RateLimit-Remaining`
        /// headers.
        rate_limit: Option<RateLimit>,
    },
    /// 502 with `Content-Type: text/html` and an HTML page, as a load
    /// balancer in front of the API would send; the route does not run.
    HtmlBadGateway,
    /// Runs the route, sends its status, its headers and a `Content-Length`
    /// announcing its whole body, then the first half of the body, then
    /// drops the connection: the client sees a body (transport) error, not a
    /// clean end.
    ResetMidBody,
    /// Runs the route and answers 200 with its headers but only the first
    /// half of its body, with a `Content-Length` of that half: the HTTP
    /// exchange is valid, the JSON is cut.
    TruncatedJson,
    /// 200 with `Content-Type: application/vnd.atlas.2023-01-01+json` and the
    /// body `{"results": [ nope`; the route does not run.
    InvalidJson,
    /// Waits this long (without blocking other requests), then serves the
    /// request normally.
    Delay(Duration),
}

/// The values of the `RateLimit-Limit` and `RateLimit-Remaining` headers of a
/// [`Fault::Status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// `RateLimit-Limit`: requests allowed in the window.
    pub limit: u64,
    /// `RateLimit-Remaining`: requests left in the window.
    pub remaining: u64,
}

impl Fault {
    /// `status` with an `ApiError` body and no extra header.
    pub fn status(status: u16) -> Fault {
        Fault::Status {
            status,
            retry_after: None,
            rate_limit: None,
        }
    }

    /// `status` with an `ApiError` body and `Retry-After: <seconds>`.
    pub fn retry_after(status: u16, seconds: u64) -> Fault {
        Fault::Status {
            status,
            retry_after: Some(seconds),
            rate_limit: None,
        }
    }

    /// 429 `RATE_LIMITED` with `Retry-After: <seconds>`,
    /// `RateLimit-Limit: <limit>` and `RateLimit-Remaining: 0`.
    pub fn rate_limited(seconds: u64, limit: u64) -> Fault {
        Fault::Status {
            status: 429,
            retry_after: Some(seconds),
            rate_limit: Some(RateLimit {
                limit,
                remaining: 0,
            }),
        }
    }
}

/// Paging misbehaviour of every list route, for testing a client's paging
/// guards; set with [`Sandbox::set_listing_quirk`](crate::Sandbox::set_listing_quirk).
///
/// A quirk changes only successful pages: errors, `self` and `previous`
/// links and the omission of `totalCount` under `includeCount=false` stay as
/// usual. A `next` link that a quirk adds on page 2 147 483 647 (the largest
/// `pageNum` the sandbox accepts) points one page further, and following it
/// answers 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ListingQuirk {
    /// Pages as documented under *Bodies* in the crate docs.
    #[default]
    None,
    /// Every `pageNum` answers page 1's items, always with a `next` link (to
    /// `pageNum + 1`), and `totalCount` is ten times the real count: a
    /// server that repeats itself forever. A client that follows `next`, or
    /// pages until it has `totalCount` items, never stops on its own.
    SamePageForever,
    /// Items and links are right, but `totalCount` grows: the first page
    /// served after the quirk is set reports the real count, and every page
    /// served adds its `itemsPerPage` to the count the next page reports
    /// (whichever listing it belongs to). A count that changes during a
    /// listing, which a client paging until it has `totalCount` items never
    /// reaches.
    GrowingCount,
    /// Items and `totalCount` are right, but every page has a `next` link
    /// (to `pageNum + 1`), the last one and the empty pages past the end
    /// included. A client that follows `next` links without stopping at an
    /// empty page or at `totalCount` never stops on its own.
    NextLinkPastTheEnd,
}

/// What a list route must do for the page it is about to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct PageQuirk {
    /// The quirk in force.
    pub quirk: ListingQuirk,
    /// What to add to `totalCount` ([`ListingQuirk::GrowingCount`] only).
    pub extra_count: usize,
}

/// Faults queued for one path pattern.
#[derive(Debug)]
struct Rule {
    /// The pattern as given: an exact path, or a prefix followed by `*`.
    pattern: String,
    faults: VecDeque<Fault>,
}

impl Rule {
    fn matches(&self, path: &str) -> bool {
        match self.pattern.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.pattern,
        }
    }
}

#[derive(Debug, Default)]
struct Listing {
    quirk: ListingQuirk,
    /// Sum of `itemsPerPage` of the pages served under `GrowingCount`.
    growth: usize,
}

#[derive(Debug, Default)]
struct Inner {
    /// In the order patterns were first given.
    rules: Mutex<Vec<Rule>>,
    /// Added to every request, in nanoseconds (saturated at `u64::MAX`).
    latency_nanos: AtomicU64,
    listing: Mutex<Listing>,
}

/// The fault settings, shared by the middleware, the list routes and the
/// [`crate::Sandbox`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults(Arc<Inner>);

/// Locks `mutex`; a panic while it was held does not poison later calls.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Faults {
    pub(crate) fn inject(&self, pattern: &str, faults: impl IntoIterator<Item = Fault>) {
        let mut rules = lock(&self.0.rules);
        let index = match rules.iter().position(|rule| rule.pattern == pattern) {
            Some(index) => index,
            None => {
                rules.push(Rule {
                    pattern: pattern.to_owned(),
                    faults: VecDeque::new(),
                });
                rules.len() - 1
            }
        };
        rules[index].faults.extend(faults);
        rules.retain(|rule| !rule.faults.is_empty());
    }

    pub(crate) fn pending(&self) -> usize {
        lock(&self.0.rules)
            .iter()
            .map(|rule| rule.faults.len())
            .sum()
    }

    pub(crate) fn clear(&self) {
        lock(&self.0.rules).clear();
    }

    /// The next fault for a request to `path`: the front of the first
    /// pattern, in the order patterns were first given, that matches and
    /// still has faults.
    fn take(&self, path: &str) -> Option<Fault> {
        let mut rules = lock(&self.0.rules);
        let index = rules.iter().position(|rule| rule.matches(path))?;
        let fault = rules[index].faults.pop_front();
        if rules[index].faults.is_empty() {
            rules.remove(index);
        }
        fault
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.0.latency_nanos.store(nanos, Ordering::Relaxed);
    }

    fn latency(&self) -> Duration {
        Duration::from_nanos(self.0.latency_nanos.load(Ordering::Relaxed))
    }

    pub(crate) fn set_listing_quirk(&self, quirk: ListingQuirk) {
        *lock(&self.0.listing) = Listing { quirk, growth: 0 };
    }

    /// The quirk in force, without counting a page served (for choosing which items a
    /// page will show before serving it).
    pub(crate) fn peek_listing(&self) -> PageQuirk {
        let listing = lock(&self.0.listing);
        PageQuirk {
            quirk: listing.quirk,
            extra_count: 0,
        }
    }

    /// Called by a list route once it is about to serve a page of
    /// `items_per_page` items: the quirk to apply to it.
    pub(crate) fn listing(&self, items_per_page: u32) -> PageQuirk {
        let mut listing = lock(&self.0.listing);
        let extra_count = listing.growth;
        if listing.quirk == ListingQuirk::GrowingCount {
            listing.growth = listing.growth.saturating_add(items_per_page as usize);
        }
        PageQuirk {
            quirk: listing.quirk,
            extra_count: if listing.quirk == ListingQuirk::GrowingCount {
                extra_count
            } else {
                0
            },
        }
    }
}

/// Middleware: takes the request's fault (if any) on arrival, waits the
/// added latency, then misbehaves as the fault says or serves normally.
pub(crate) async fn apply(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let fault = faults.take(request.uri().path());
    let latency = faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    match fault {
        Fault::Status {
            status,
            retry_after,
            rate_limit,
        } => status_response(status, retry_after, rate_limit),
        Fault::HtmlBadGateway => html_bad_gateway(),
        Fault::ResetMidBody => reset_mid_body(next.run(request).await).await,
        Fault::TruncatedJson => truncated(next.run(request).await).await,
        Fault::InvalidJson => {
            let mut response = Response::new(Body::from(INVALID_JSON));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(MEDIA_TYPE_2023_01_01),
            );
            response
        }
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
    }
}

/// The body of [`Fault::InvalidJson`].
pub(crate) const INVALID_JSON: &str = "{\"results\": [ nope";

/// The body of [`Fault::HtmlBadGateway`].
pub(crate) const BAD_GATEWAY_HTML: &str =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>sandbox-lb</center>\r\n\
</body>\r\n</html>\r\n";

/// The `errorCode` of a [`Fault::Status`] answer.
pub(crate) fn error_code(status: StatusCode) -> String {
    match status.as_u16() {
        404 => error_codes::RESOURCE_NOT_FOUND.to_owned(),
        429 => error_codes::RATE_LIMITED.to_owned(),
        500 => error_codes::UNEXPECTED_ERROR.to_owned(),
        _ => match status.canonical_reason() {
            // "Service Unavailable" -> "SERVICE_UNAVAILABLE".
            Some(reason) => reason
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect(),
            None => error_codes::SANDBOX_FAULT.to_owned(),
        },
    }
}

fn status_response(code: u16, retry_after: Option<u64>, rate_limit: Option<RateLimit>) -> Response {
    let scripted = StatusCode::from_u16(code)
        .ok()
        .filter(|status| !status.is_informational());
    let status = scripted.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("");
    let detail = match scripted {
        Some(_) => format!(
            "Fault injected by the sandbox: {} {reason}.",
            status.as_u16()
        ),
        None => format!(
            "Fault injected by the sandbox: status {code} cannot be sent, so 500 is sent instead."
        ),
    };
    let body = json!({
        "detail": detail,
        "error": status.as_u16(),
        "errorCode": error_code(status),
        "parameters": [],
        "reason": reason,
    });
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(limit) = rate_limit {
        headers.insert(
            HeaderName::from_static("ratelimit-limit"),
            HeaderValue::from(limit.limit),
        );
        headers.insert(
            HeaderName::from_static("ratelimit-remaining"),
            HeaderValue::from(limit.remaining),
        );
    }
    response
}

fn html_bad_gateway() -> Response {
    let mut response = Response::new(Body::from(BAD_GATEWAY_HTML));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// The real response's parts and whole body (empty if the body fails).
async fn split(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (mut parts, body) = response.into_parts();
    let bytes = body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::TRANSFER_ENCODING);
    (parts, bytes)
}

async fn truncated(response: Response) -> Response {
    let (mut parts, bytes) = split(response).await;
    let half = bytes.slice(..bytes.len() / 2);
    parts.status = StatusCode::OK;
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(half.len()));
    Response::from_parts(parts, Body::from(half))
}

/// How long the connection stays open after the first half of the body,
/// so that it reaches the client before the connection is dropped.
const RESET_PAUSE: Duration = Duration::from_millis(20);

async fn reset_mid_body(response: Response) -> Response {
    let (mut parts, bytes) = split(response).await;
    let half = bytes.slice(..bytes.len() / 2);
    // An empty body cannot be cut short under a Content-Length of 0: it is
    // sent chunked instead, and the missing last chunk is the error.
    if !bytes.is_empty() {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    }
    let head = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(half) });
    let abort = futures::stream::once(async {
        tokio::time::sleep(RESET_PAUSE).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault injected by the sandbox: connection dropped mid-body",
        ))
    });
    let body = Body::from_stream(futures::StreamExt::chain(head, abort));
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_exactly_or_by_prefix() {
        let rule = |pattern: &str| Rule {
            pattern: pattern.to_owned(),
            faults: VecDeque::new(),
        };
        assert!(rule("/a/b").matches("/a/b"));
        assert!(!rule("/a/b").matches("/a/b/c"));
        assert!(!rule("/a/b").matches("/a"));
        assert!(rule("/a/*").matches("/a/b/c"));
        assert!(rule("/a/*").matches("/a/"));
        assert!(!rule("/a/*").matches("/a"));
        assert!(rule("*").matches("/anything"));
        assert!(rule("/a*b").matches("/a*b"));
        assert!(!rule("/a*b").matches("/axb"));
    }

    #[test]
    fn faults_are_taken_in_order_per_pattern() {
        let faults = Faults::default();
        faults.inject("/x", [Fault::status(503), Fault::status(502)]);
        faults.inject("/*", [Fault::InvalidJson]);
        faults.inject("/x", [Fault::HtmlBadGateway]);
        assert_eq!(faults.pending(), 4);
        assert_eq!(faults.take("/y"), Some(Fault::InvalidJson));
        assert_eq!(faults.take("/y"), None);
        assert_eq!(faults.take("/x"), Some(Fault::status(503)));
        assert_eq!(faults.take("/x"), Some(Fault::status(502)));
        assert_eq!(faults.take("/x"), Some(Fault::HtmlBadGateway));
        assert_eq!(faults.take("/x"), None);
        assert_eq!(faults.pending(), 0);
        faults.inject("/x", []);
        assert_eq!(faults.pending(), 0);
        faults.inject("/x", [Fault::InvalidJson]);
        faults.clear();
        assert_eq!(faults.take("/x"), None);
    }

    #[test]
    fn error_codes_follow_the_status() {
        let code = |status: u16| error_code(StatusCode::from_u16(status).unwrap_or_default());
        assert_eq!(code(429), "RATE_LIMITED");
        assert_eq!(code(503), "SERVICE_UNAVAILABLE");
        assert_eq!(code(500), "UNEXPECTED_ERROR");
        assert_eq!(code(504), "GATEWAY_TIMEOUT");
        assert_eq!(code(404), "RESOURCE_NOT_FOUND");
        assert_eq!(code(418), "I_M_A_TEAPOT");
        assert_eq!(code(599), "SANDBOX_FAULT");
    }

    #[test]
    fn latency_saturates() {
        let faults = Faults::default();
        faults.set_latency(Duration::MAX);
        assert_eq!(faults.latency(), Duration::from_nanos(u64::MAX));
        faults.set_latency(Duration::from_millis(5));
        assert_eq!(faults.latency(), Duration::from_millis(5));
    }

    #[test]
    fn growing_count_grows_per_page_served() {
        let faults = Faults::default();
        assert_eq!(faults.listing(10), PageQuirk::default());
        faults.set_listing_quirk(ListingQuirk::GrowingCount);
        assert_eq!(faults.listing(10).extra_count, 0);
        assert_eq!(faults.listing(5).extra_count, 10);
        assert_eq!(faults.listing(10).extra_count, 15);
        faults.set_listing_quirk(ListingQuirk::GrowingCount);
        assert_eq!(faults.listing(10).extra_count, 0);
        faults.set_listing_quirk(ListingQuirk::SamePageForever);
        assert_eq!(
            faults.listing(10),
            PageQuirk {
                quirk: ListingQuirk::SamePageForever,
                extra_count: 0
            }
        );
    }
}
