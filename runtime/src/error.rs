//! The one error type of every call.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::endpoint::Endpoint;
use crate::types::ApiError;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed.
///
/// Small and opaque like `reqwest::Error`: ask it what it is with [`kind`](Error::kind),
/// [`status`](Error::status), [`is_error_code`](Error::is_error_code),
/// [`api_error`](Error::api_error) or
/// [`invalid_argument_detail`](Error::invalid_argument_detail). Its `Display` is one lowercase
/// line; neither `Display` nor `Debug` ever shows a credential.
///
/// ```
/// # async fn run(client: atlas_endpoints_runtime::Client) {}
/// use atlas_endpoints_runtime::{Error, ErrorKind};
///
/// fn explain(error: &Error) -> &'static str {
///     match error.kind() {
///         ErrorKind::InvalidArgument => "fix the input; nothing was sent",
///         ErrorKind::Api if error.is_error_code("RESOURCE_NOT_FOUND") => "no such resource",
///         ErrorKind::Api => "atlas refused the request",
///         ErrorKind::Timeout => "try again later",
///         _ => "see the message",
///     }
/// }
/// ```
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: Kind,
    endpoint: Option<&'static Endpoint>,
    attempts: u32,
    /// The page of a listing whose request or answer failed.
    page_num: Option<u32>,
    /// Why the call stopped where it did, when that is not the failure itself (e.g. why a
    /// transient failure was not retried).
    note: Option<String>,
    /// A write whose request may have reached the server, with no answer read.
    outcome_unknown: bool,
}

enum Kind {
    InvalidArgument(InvalidArgument),
    Config(String),
    Auth(String, Option<StatusCode>),
    Api(ApiFailure),
    Transport(reqwest::Error),
    Timeout(TimeoutFailure),
    TooLarge(TooLargeFailure),
    Decode(DecodeFailure),
    Pagination(String),
    /// Writing a download failed (issue 10, shape 5).
    Io(std::io::Error),
    /// A wait ended without its target (issue 14).
    Wait(WaitFailure),
}

/// How a wait ended without reaching its target state, and what it saw last.
pub(crate) struct WaitFailure {
    pub(crate) end: WaitEnd,
    /// The method polled (`get_cluster`).
    pub(crate) poll: &'static str,
    pub(crate) last_state: Option<String>,
    pub(crate) waited: Duration,
    pub(crate) polls: u32,
    /// The states the wait expected, as a message shows them (`pending CREATING; target IDLE`).
    pub(crate) expected: String,
    /// The failure of the last poll, when polls were failing as the time ran out.
    pub(crate) last_error: Option<Box<Error>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitEnd {
    /// The wait timeout passed.
    TimedOut(Duration),
    /// The state is one the wait lists as failed.
    Failed,
    /// The state is neither pending, target nor failed.
    Unexpected,
    /// The resource answered 404 while the wait expected it to reach a state.
    Gone,
}

struct ApiFailure {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    parsed: Option<ApiError>,
}

struct TimeoutFailure {
    which: TimeoutKind,
    /// The bound that passed, when known.
    limit: Option<Duration>,
    source: Option<reqwest::Error>,
}

struct TooLargeFailure {
    cap: usize,
    status: StatusCode,
    /// The `Content-Length` the server announced, when it announced one past the cap.
    announced: Option<u64>,
}

struct DecodeFailure {
    path: String,
    message: String,
    status: StatusCode,
    body: Bytes,
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument broke a rule of the API; nothing was sent.
    InvalidArgument,
    /// The client could not be configured (e.g. a missing environment variable).
    Config,
    /// Credentials could not be turned into an `Authorization` header (e.g. the token
    /// endpoint refused the service account).
    Auth,
    /// Atlas answered with an error status.
    Api,
    /// The request could not be sent or the response could not be read.
    Transport,
    /// A timeout passed: [`Error::timeout_kind`] says which one, [`Error::timeout_limit`]
    /// its value.
    Timeout,
    /// The answer's body was larger than the size cap
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); it
    /// was read no further.
    ResponseTooLarge,
    /// The response body did not have the documented shape.
    Decode,
    /// A listing could not go on safely (e.g. it passed its page limit).
    Pagination,
    /// A download could not be written where it was asked to go (`Download::save`,
    /// `Download::write_to`); the cause is the `std::io::Error`.
    Io,
    /// A wait ([`Wait`](crate::Wait)) saw its resource reach a failed state, a state it did
    /// not expect, or go away (404) while it waited for a target state;
    /// [`Error::last_state`] names the state. A wait that runs out of time is a
    /// [`Timeout`](ErrorKind::Timeout) with [`TimeoutKind::Wait`].
    Wait,
}

/// Which timeout ended a call; see [`Error::timeout_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The whole-call timeout: the bound of everything a call does (token request, attempts,
    /// retry waits); [`ClientBuilder::timeout`](crate::ClientBuilder::timeout) or the call's
    /// `.timeout(d)`.
    Call,
    /// The per-attempt timeout: the bound of one HTTP exchange, from sending to the end of the
    /// body (to the headers, for a download);
    /// [`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout) or the
    /// call's `.attempt_timeout(d)`. A repeatable request is retried after it.
    Attempt,
    /// The bound of a service account's token (or revocation) request;
    /// [`ClientBuilder::token_timeout`](crate::ClientBuilder::token_timeout).
    Token,
    /// The bound of opening a connection;
    /// [`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout).
    Connect,
    /// The bound of a whole wait for a long-running operation;
    /// [`Wait::timeout`](crate::Wait::timeout). [`Error::last_state`] names the state seen last.
    Wait,
}

impl TimeoutKind {
    /// The builder setting that sets this timeout, as messages name it.
    fn setting(self) -> &'static str {
        match self {
            TimeoutKind::Call => "whole-call timeout (`timeout`)",
            TimeoutKind::Attempt => "per-attempt timeout (`attempt_timeout`)",
            TimeoutKind::Token => "token request timeout (`token_timeout`)",
            TimeoutKind::Connect => "connect timeout (`connect_timeout`)",
            TimeoutKind::Wait => "wait timeout (`Wait::timeout`)",
        }
    }
}

/// A duration as messages show it: `250 ms`, `30 s`, `1.5 s`.
pub(crate) fn shown_duration(duration: Duration) -> String {
    if duration.subsec_nanos() == 0 {
        format!("{} s", duration.as_secs())
    } else if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// A byte count as messages show it: `32 MiB`, `1500 bytes`.
pub(crate) fn shown_bytes(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    const KIB: usize = 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// An argument that broke a rule of the API, with what it was and which rule it broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArgument {
    /// The parameter, as named in Rust for path arguments (`cluster_name`) and on the wire for
    /// query parameters (`itemsPerPage`).
    pub parameter: Cow<'static, str>,
    /// The refused value.
    pub value: String,
    /// The rule it broke.
    pub rule: Rule,
}

/// A rule that an argument must follow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The value must match this regular expression from the spec.
    Pattern(&'static str),
    /// The value must be at least `min` and at most `max`.
    Range {
        /// The smallest allowed value.
        min: u64,
        /// The largest allowed value, when there is one.
        max: Option<u64>,
    },
    /// The value must not be empty.
    NotEmpty,
    /// The value must not be `.` or `..`, which would change the path.
    NotDotSegment,
    /// The value must serialize to JSON.
    Serializable(String),
    /// The value must be usable in an HTTP header or URL.
    WellFormed(String),
    /// The parameter must be left out: the endpoint does not take it (e.g. `pretty=true` on
    /// an operation whose spec lists no `pretty`).
    NotAccepted,
    // Operation-specific query constraints (`#[query(min_items, max_items, one_of)]`).
    /// The parameter must be sent with at least `min` and at most `max` values (the spec's
    /// `minItems` and `maxItems`); `value` is the number given.
    Items {
        /// The fewest values allowed.
        min: usize,
        /// The most values allowed, when there is a maximum.
        max: Option<usize>,
    },
    /// The value must be one of these (the spec's closed `enum`).
    OneOf(&'static [&'static str]),
    // Issue 10, shape 2.
    /// The value must be given plain, not percent-encoded: its parameter's spec pattern
    /// spells the encoded slash (`%2F`), the runtime encodes the value itself, and a `%` in it
    /// would be sent double-encoded. Write `10.0.0.0/24`, not `10.0.0.0%2F24`.
    PlainValue,
    /// The value comes from the answer of the call a waiter waits after (`response.id`), and
    /// that answer had none.
    FromAnswer,
    /// The value, percent-encoded, must be at most this many bytes: no longer URL is taken
    /// by servers everywhere (RFC 9110 asks for 8000 octets).
    MaxEncodedLength(usize),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Pattern(pattern) => write!(f, "must match {pattern}"),
            Rule::Range {
                min,
                max: Some(max),
            } => write!(f, "must be between {min} and {max}"),
            Rule::Range { min, max: None } => write!(f, "must be at least {min}"),
            Rule::NotEmpty => f.write_str("must not be empty"),
            Rule::NotDotSegment => f.write_str("must not be `.` or `..`"),
            Rule::Serializable(why) => write!(f, "must serialize to JSON ({why})"),
            Rule::WellFormed(why) => write!(f, "must be well formed ({why})"),
            Rule::NotAccepted => f.write_str("must be left out, the endpoint does not take it"),
            Rule::Items {
                min,
                max: Some(max),
            } => write!(f, "must have between {min} and {max} values"),
            Rule::Items { min, max: None } => write!(f, "must have at least {min} values"),
            Rule::OneOf(values) => write!(f, "must be one of {}", values.join(", ")),
            Rule::MaxEncodedLength(max) => write!(
                f,
                "must be at most {max} bytes once percent-encoded: a longer URL is not taken by servers everywhere"
            ),
            Rule::FromAnswer => f.write_str(
                "must be in the answer of the call the waiter waits after, which had none",
            ),
            Rule::PlainValue => f.write_str(
                "must be the plain value, not percent-encoded: write `/`, not `%2F`; it is encoded once when sent",
            ),
        }
    }
}

impl Error {
    fn new(kind: Kind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                endpoint: None,
                attempts: 1,
                page_num: None,
                note: None,
                outcome_unknown: false,
            }),
        }
    }

    pub(crate) fn invalid_argument(
        parameter: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
        rule: Rule,
    ) -> Self {
        Error::new(Kind::InvalidArgument(InvalidArgument {
            parameter: parameter.into(),
            value: value.into(),
            rule,
        }))
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::new(Kind::Config(message.into()))
    }

    pub(crate) fn auth(message: impl Into<String>, status: Option<StatusCode>) -> Self {
        Error::new(Kind::Auth(message.into(), status))
    }

    pub(crate) fn api(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        parsed: Option<ApiError>,
    ) -> Self {
        Error::new(Kind::Api(ApiFailure {
            status,
            headers,
            body,
            parsed,
        }))
    }

    /// A failure of reqwest. Its own timeouts are the connect timeout, or (for requests that
    /// set one) the bound the caller names with [`Error::with_timeout`].
    pub(crate) fn transport(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            let which = if error.is_connect() {
                TimeoutKind::Connect
            } else {
                TimeoutKind::Attempt
            };
            Error::timed_out(which, None, Some(error))
        } else {
            Error::new(Kind::Transport(error))
        }
    }

    /// `which` timeout passed, after `limit`.
    pub(crate) fn timed_out(
        which: TimeoutKind,
        limit: Option<Duration>,
        source: Option<reqwest::Error>,
    ) -> Self {
        Error::new(Kind::Timeout(TimeoutFailure {
            which,
            limit,
            source,
        }))
    }

    /// Names the timeout of a timeout error (reqwest knows only that one passed); other
    /// errors pass unchanged. A connect timeout stays one, with `connect` as its value.
    pub(crate) fn with_timeout(
        mut self,
        which: TimeoutKind,
        limit: Option<Duration>,
        connect: Option<Duration>,
    ) -> Self {
        if let Kind::Timeout(failure) = &mut self.inner.kind {
            if failure.which == TimeoutKind::Connect {
                failure.limit = failure.limit.or(connect);
            } else {
                failure.which = which;
                failure.limit = limit.or(failure.limit);
            }
        }
        self
    }

    /// The body of an answer with `status` went past `cap` bytes (or announced that it would).
    pub(crate) fn too_large(cap: usize, status: StatusCode, announced: Option<u64>) -> Self {
        Error::new(Kind::TooLarge(TooLargeFailure {
            cap,
            status,
            announced,
        }))
    }

    /// Adds why the call stopped here, shown after the failure (`; not retried: …`).
    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Self {
        self.inner.note = Some(note.into());
        self
    }

    /// [`Error::with_note`], after the note the error has, if any.
    pub(crate) fn with_added_note(mut self, note: impl Into<String>) -> Self {
        let note = note.into();
        self.inner.note = Some(match self.inner.note.take() {
            Some(before) => format!("{before}; {note}"),
            None => note,
        });
        self
    }

    /// Marks a failed write whose request may have reached the server, without an answer.
    pub(crate) fn with_outcome_unknown(mut self) -> Self {
        self.inner.outcome_unknown = true;
        self
    }

    /// Whether the request certainly never left the client: connecting failed (refused,
    /// unreachable, TLS, the connect timeout), so nothing was written.
    pub(crate) fn is_connect_failure(&self) -> bool {
        match &self.inner.kind {
            Kind::Transport(error) => error.is_connect(),
            Kind::Timeout(failure) => failure.which == TimeoutKind::Connect,
            _ => false,
        }
    }

    /// Names the page of a listing this error belongs to.
    pub(crate) fn with_page_num(mut self, page_num: u32) -> Self {
        self.inner.page_num = Some(page_num);
        self
    }

    pub(crate) fn decode(path: String, message: String, status: StatusCode, body: Bytes) -> Self {
        Error::new(Kind::Decode(DecodeFailure {
            path,
            message,
            status,
            body,
        }))
    }

    pub(crate) fn pagination(message: impl Into<String>) -> Self {
        Error::new(Kind::Pagination(message.into()))
    }

    pub(crate) fn io(error: std::io::Error) -> Self {
        Error::new(Kind::Io(error))
    }

    pub(crate) fn with_endpoint(mut self, endpoint: &'static Endpoint) -> Self {
        self.inner.endpoint = Some(endpoint);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// Whether this is a lost connection that a retry may get past: refused or reset
    /// connections, bodies cut short, and an attempt that passed the per-attempt timeout; not
    /// the other timeouts, which bound the whole call.
    pub(crate) fn is_transient_transport(&self) -> bool {
        match &self.inner.kind {
            Kind::Timeout(failure) => failure.which == TimeoutKind::Attempt,
            // reqwest reports a body cut short while reading it as a decode error; the
            // runtime decodes JSON itself, so here it can only mean a lost connection.
            Kind::Transport(error) => {
                (error.is_connect() || error.is_request() || error.is_body() || error.is_decode())
                    && !is_tls_failure(error)
            }
            _ => false,
        }
    }

    /// How many times the request was sent before this error (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match &self.inner.kind {
            Kind::InvalidArgument(_) => ErrorKind::InvalidArgument,
            Kind::Config(_) => ErrorKind::Config,
            Kind::Auth(..) => ErrorKind::Auth,
            Kind::Api(_) => ErrorKind::Api,
            Kind::Transport(_) => ErrorKind::Transport,
            Kind::Timeout(_) => ErrorKind::Timeout,
            Kind::TooLarge(_) => ErrorKind::ResponseTooLarge,
            Kind::Decode(_) => ErrorKind::Decode,
            Kind::Pagination(_) => ErrorKind::Pagination,
            Kind::Io(_) => ErrorKind::Io,
            Kind::Wait(failure) => match failure.end {
                WaitEnd::TimedOut(_) => ErrorKind::Timeout,
                _ => ErrorKind::Wait,
            },
        }
    }

    /// The endpoint that failed, when the error comes from a call.
    pub fn endpoint(&self) -> Option<&'static Endpoint> {
        self.inner.endpoint
    }

    /// The HTTP status of the response, for API and decode errors.
    pub fn status(&self) -> Option<StatusCode> {
        match &self.inner.kind {
            Kind::Api(api) => Some(api.status),
            Kind::Auth(_, status) => *status,
            Kind::Decode(decode) => Some(decode.status),
            Kind::TooLarge(too_large) => Some(too_large.status),
            Kind::Transport(error) => error.status(),
            Kind::Timeout(failure) => failure.source.as_ref().and_then(reqwest::Error::status),
            _ => None,
        }
    }

    /// Which timeout passed, for [`ErrorKind::Timeout`].
    ///
    /// ```
    /// # fn check(error: atlas_endpoints_runtime::Error) {
    /// use atlas_endpoints_runtime::TimeoutKind;
    ///
    /// if error.timeout_kind() == Some(TimeoutKind::Call) {
    ///     // the whole call ran out of time, retries included
    /// }
    /// # }
    /// ```
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        match &self.inner.kind {
            Kind::Timeout(failure) => Some(failure.which),
            Kind::Wait(WaitFailure {
                end: WaitEnd::TimedOut(_),
                ..
            }) => Some(TimeoutKind::Wait),
            _ => None,
        }
    }

    /// The value of the timeout that passed, for [`ErrorKind::Timeout`], when known.
    pub fn timeout_limit(&self) -> Option<Duration> {
        match &self.inner.kind {
            Kind::Timeout(failure) => failure.limit,
            Kind::Wait(WaitFailure {
                end: WaitEnd::TimedOut(limit),
                ..
            }) => Some(*limit),
            _ => None,
        }
    }

    /// The state a wait saw last (`CREATING`, `FAILED`), for an error that ended a
    /// [`Wait`](crate::Wait); `None` when no poll answered with a state.
    pub fn last_state(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Wait(failure) => failure.last_state.as_deref(),
            _ => None,
        }
    }

    /// How long a [`Wait`](crate::Wait) had waited when it ended with this error, and how
    /// many times it polled.
    pub fn waited(&self) -> Option<(Duration, u32)> {
        match &self.inner.kind {
            Kind::Wait(failure) => Some((failure.waited, failure.polls)),
            _ => None,
        }
    }

    pub(crate) fn wait(failure: WaitFailure) -> Self {
        Error::new(Kind::Wait(failure))
    }

    /// The size cap an answer went past, for [`ErrorKind::ResponseTooLarge`].
    pub fn size_cap(&self) -> Option<usize> {
        match &self.inner.kind {
            Kind::TooLarge(too_large) => Some(too_large.cap),
            _ => None,
        }
    }

    /// The page of a listing whose request or answer failed (counting from 1).
    pub fn page_num(&self) -> Option<u32> {
        self.inner.page_num
    }

    /// The error body Atlas sent, when it could be parsed.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &self.inner.kind {
            Kind::Api(api) => api.parsed.as_ref(),
            _ => None,
        }
    }

    /// The application error code Atlas sent, e.g. `RESOURCE_NOT_FOUND`.
    pub fn error_code(&self) -> Option<&str> {
        self.api_error()?.error_code.as_deref()
    }

    /// Whether Atlas answered with this application error code.
    ///
    /// ```
    /// # fn check(error: atlas_endpoints_runtime::Error) {
    /// if error.is_error_code("RESOURCE_NOT_FOUND") {
    ///     // treat as absent
    /// }
    /// # }
    /// ```
    pub fn is_error_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// The response headers of an API error.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match &self.inner.kind {
            Kind::Api(api) => Some(&api.headers),
            _ => None,
        }
    }

    /// The raw response body of an API or decode error.
    pub fn body(&self) -> Option<&[u8]> {
        match &self.inner.kind {
            Kind::Api(api) => Some(&api.body),
            Kind::Decode(decode) => Some(&decode.body),
            _ => None,
        }
    }

    /// The refused argument, for [`ErrorKind::InvalidArgument`].
    pub fn invalid_argument_detail(&self) -> Option<&InvalidArgument> {
        match &self.inner.kind {
            Kind::InvalidArgument(invalid) => Some(invalid),
            _ => None,
        }
    }

    /// Where in the response body decoding failed, e.g. `results[3].deliveryType`.
    pub fn decode_path(&self) -> Option<&str> {
        match &self.inner.kind {
            Kind::Decode(decode) => Some(&decode.path),
            _ => None,
        }
    }

    /// The error followed by each of its causes, on one line (`could not complete the
    /// request: error sending request: client error (Connect): tcp connect error: Connection
    /// refused`), for programs that print
    /// errors without a reporter such as `anyhow`'s `{:#}`.
    ///
    /// `Display` says this error only and [`source`](std::error::Error::source) gives the
    /// causes, as reqwest does, so reporters that walk the chain print each cause once.
    pub fn report(&self) -> Report<'_> {
        Report(self)
    }

    // Error bodies that are not `ApiError` (issue 10, shape 10).

    /// The body of an API or decode error as JSON, when it is JSON, whatever its schema: the
    /// resource-policy operations, for one, answer `400` with a schema of their own.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        self.body_as()
    }

    /// The body of an API or decode error decoded as `T`, when it fits: for error bodies of
    /// a schema of their own, which [`api_error`](Error::api_error) reads only in part.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(self.body()?).ok()
    }

    /// Whether Atlas answered `409 Conflict`, whatever its error code.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(StatusCode::CONFLICT) && self.kind() == ErrorKind::Api
    }

    /// Whether Atlas refused a create because what it creates exists already
    /// ([`codes::ALREADY_EXISTS`](crate::codes::ALREADY_EXISTS): `DUPLICATE_CLUSTER_NAME`,
    /// `GROUP_ALREADY_EXISTS`). After a create whose [outcome was
    /// unknown](Error::is_outcome_unknown), this answer to sending it again may mean the first
    /// one went through: look the resource up before adopting it.
    ///
    /// ```
    /// # fn check(error: atlas_endpoints_runtime::Error) {
    /// use atlas_endpoints_runtime::codes;
    ///
    /// if error.is_already_exists() || error.is_error_code(codes::CANNOT_UPDATE_PAUSED_CLUSTER) {
    ///     // branch on the conflict
    /// }
    /// # }
    /// ```
    pub fn is_already_exists(&self) -> bool {
        self.error_code()
            .is_some_and(|code| crate::codes::ALREADY_EXISTS.contains(&code))
    }

    /// Whether this is a write (`POST`, `PUT`, `PATCH`, `DELETE`) whose request may have
    /// reached Atlas but whose answer never came: the connection was lost, or a timeout passed,
    /// after the request was sent. Atlas may or may not have carried it out, and the runtime
    /// did not send it again (a `POST` or `PATCH` is sent once unless declared `idempotent`).
    /// Look the resource up before sending it again: a repeated create may answer `409`
    /// ([`is_already_exists`](Error::is_already_exists)). A request that failed to connect is
    /// not one of these: it was never sent.
    pub fn is_outcome_unknown(&self) -> bool {
        self.inner.outcome_unknown
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, Kind::Timeout(_))
    }

    /// Whether Atlas answered `410 Gone` with `VERSION_GONE`: the endpoint's version has passed
    /// its sunset date. [`Endpoint::deprecated`] names the replacement.
    pub fn is_version_gone(&self) -> bool {
        self.status() == Some(StatusCode::GONE) && self.is_error_code("VERSION_GONE")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_kind(f)?;
        if let Some(page_num) = self.inner.page_num {
            write!(f, " (page {page_num})")?;
        }
        if self.inner.attempts > 1 {
            write!(f, " (after {} attempts)", self.inner.attempts)?;
        }
        if let Some(note) = &self.inner.note {
            write!(f, "; {note}")?;
        }
        if self.inner.outcome_unknown {
            f.write_str(
                "; the outcome is unknown: the request was sent and no answer came, so Atlas \
                 may have carried it out; it was not sent again, look the resource up before \
                 retrying",
            )?;
        }
        Ok(())
    }
}

impl Error {
    fn fmt_kind(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let endpoint = self.inner.endpoint;
        match &self.inner.kind {
            Kind::InvalidArgument(invalid) => write!(
                f,
                "invalid value {:?} for parameter `{}`: {}; nothing was sent",
                shorten(&invalid.value),
                invalid.parameter,
                invalid.rule
            ),
            Kind::Config(message) => write!(f, "invalid configuration: {message}"),
            Kind::Auth(message, _) => write!(f, "authentication failed: {message}"),
            Kind::Api(api) => {
                if let Some(endpoint) = endpoint {
                    write!(f, "{} ", endpoint.rust_name)?;
                }
                write!(f, "failed with {}", api.status)?;
                if let Some(parsed) = &api.parsed {
                    if let Some(code) = &parsed.error_code {
                        write!(f, " {code}")?;
                    }
                    if let Some(detail) = parsed.detail.as_deref().filter(|d| !d.is_empty()) {
                        write!(f, ": {}", printable(detail))?;
                    }
                }
                if self.is_version_gone() {
                    f.write_str(" (this endpoint version is gone")?;
                    if let Some(sunset) = endpoint.and_then(|e| e.sunset) {
                        write!(f, " since its sunset on {sunset}")?;
                    }
                    match endpoint.and_then(|e| e.deprecated) {
                        Some(note) => write!(f, ": {note})")?,
                        None => f.write_str(")")?,
                    }
                }
                Ok(())
            }
            Kind::Transport(_) => f.write_str("could not complete the request"),
            Kind::Timeout(failure) => {
                let what = match failure.which {
                    TimeoutKind::Call => "the call timed out",
                    TimeoutKind::Attempt => "the request timed out",
                    TimeoutKind::Token => "the token request timed out",
                    TimeoutKind::Connect => "connecting timed out",
                    TimeoutKind::Wait => "the wait timed out",
                };
                write!(f, "{what}: it passed the {}", failure.which.setting())?;
                if let Some(limit) = failure.limit {
                    write!(f, " of {}", shown_duration(limit))?;
                }
                Ok(())
            }
            Kind::TooLarge(too_large) => {
                f.write_str("the answer")?;
                if let Some(endpoint) = endpoint {
                    write!(f, " of {}", endpoint.rust_name)?;
                }
                write!(
                    f,
                    " is larger than the size cap of {} (`max_response_bytes`)",
                    shown_bytes(too_large.cap)
                )?;
                match too_large.announced {
                    Some(length) => write!(f, ": it announced {length} bytes and was not read"),
                    None => f.write_str(": reading stopped at the cap"),
                }
            }
            Kind::Decode(decode) => {
                f.write_str("could not decode the response")?;
                if let Some(endpoint) = endpoint {
                    write!(f, " of {}", endpoint.rust_name)?;
                }
                if decode.path.is_empty() || decode.path == "." {
                    write!(f, ": {}", decode.message)
                } else {
                    write!(f, " at `{}`: {}", decode.path, decode.message)
                }
            }
            Kind::Pagination(message) => write!(f, "listing stopped: {message}"),
            Kind::Io(_) => f.write_str("could not write the download"),
            Kind::Wait(failure) => fmt::Display::fmt(failure, f),
        }
    }
}

/// The longest a value or a server's text is shown in a message; the whole of it stays
/// available (`invalid_argument_detail()`, `body()`).
const SHOWN_CHARS: usize = 200;

/// A value as a message shows it: at most [`SHOWN_CHARS`] characters.
fn shorten(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", &value[..end])),
        None => Cow::Borrowed(value),
    }
}

/// Text from a server as a message shows it: shortened, with control characters (ESC, CR,
/// LF, …) escaped, so a hostile answer can neither forge log lines nor drive the terminal.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    let text = shorten(text);
    if !text.chars().any(char::is_control) {
        return text;
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if c.is_control() => c.escape_default().collect(),
                c => c.to_string(),
            })
            .collect(),
    )
}

/// Whether a transport error comes from TLS refusing the server (a certificate that does not
/// verify, a server that does not speak TLS): no retry heals those.
fn is_tls_failure(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        // I/O errors nest (hyper wraps the TLS stream's error in another), and their
        // `source()` skips the error they wrap, so look inside each one.
        let mut inner: &(dyn std::error::Error + 'static) = cause;
        loop {
            if inner.is::<rustls::Error>() {
                return true;
            }
            match inner
                .downcast_ref::<std::io::Error>()
                .and_then(std::io::Error::get_ref)
            {
                Some(wrapped) => inner = wrapped,
                None => break,
            }
        }
        source = cause.source();
    }
    false
}

/// The one-line rendering of an error and all its causes; see [`Error::report`].
pub struct Report<'a>(&'a Error);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = std::error::Error::source(self.0);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Error");
        out.field("kind", &self.kind());
        if self.inner.attempts > 1 {
            out.field("attempts", &self.inner.attempts);
        }
        if let Some(endpoint) = self.inner.endpoint {
            out.field("endpoint", &endpoint.rust_name);
        }
        match &self.inner.kind {
            Kind::InvalidArgument(invalid) => out
                .field("parameter", &invalid.parameter)
                .field("value", &shorten(&invalid.value))
                .field("rule", &invalid.rule),
            Kind::Config(message) => out.field("message", message),
            Kind::Auth(message, status) => out.field("message", message).field("status", status),
            Kind::Api(api) => out
                .field("status", &api.status)
                .field("api_error", &api.parsed)
                .field("body", &String::from_utf8_lossy(&api.body)),
            Kind::Transport(error) => out.field("source", error),
            Kind::Timeout(failure) => out
                .field("timeout", &failure.which)
                .field("limit", &failure.limit)
                .field("source", &failure.source),
            Kind::TooLarge(too_large) => out
                .field("cap", &too_large.cap)
                .field("status", &too_large.status)
                .field("announced", &too_large.announced),
            Kind::Decode(decode) => out
                .field("path", &decode.path)
                .field("message", &decode.message)
                .field("status", &decode.status),
            Kind::Pagination(message) => out.field("message", message),
            Kind::Io(error) => out.field("source", error),
            Kind::Wait(failure) => out
                .field("end", &failure.end)
                .field("poll", &failure.poll)
                .field("last_state", &failure.last_state)
                .field("waited", &failure.waited)
                .field("polls", &failure.polls),
        };
        if let Some(page_num) = self.inner.page_num {
            out.field("page_num", &page_num);
        }
        if let Some(note) = &self.inner.note {
            out.field("note", note);
        }
        if self.inner.outcome_unknown {
            out.field("outcome_unknown", &true);
        }
        out.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.kind {
            Kind::Transport(error) => Some(error),
            Kind::Timeout(failure) => failure
                .source
                .as_ref()
                .map(|error| error as &(dyn std::error::Error + 'static)),
            Kind::Io(error) => Some(error),
            Kind::Wait(failure) => failure
                .last_error
                .as_deref()
                .map(|error| error as &(dyn std::error::Error + 'static)),
            _ => None,
        }
    }
}

impl fmt::Display for WaitFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.last_state.as_deref().map(printable);
        match (self.end, &state) {
            (WaitEnd::TimedOut(limit), _) => write!(
                f,
                "the wait timed out: it passed the {} of {}",
                TimeoutKind::Wait.setting(),
                shown_duration(limit)
            )?,
            (WaitEnd::Gone, _) => write!(f, "{} answered 404: the resource is gone", self.poll)?,
            (WaitEnd::Failed, Some(state)) => {
                write!(f, "{} answered the failed state {state}", self.poll)?
            }
            (WaitEnd::Unexpected, Some(state)) => {
                write!(f, "{} answered the unexpected state {state}", self.poll)?
            }
            (_, None) => write!(f, "{} answered no state", self.poll)?,
        }
        f.write_str(" (")?;
        match (&state, self.end) {
            (Some(_), WaitEnd::Failed | WaitEnd::Unexpected) => {}
            (Some(state), _) => write!(f, "last state {state}, ")?,
            (None, _) => f.write_str("no state seen, ")?,
        }
        write!(
            f,
            "after {} and {} poll{}; {})",
            shown_duration(Duration::from_secs(self.waited.as_secs())),
            self.polls,
            if self.polls == 1 { "" } else { "s" },
            self.expected
        )
    }
}

impl From<InvalidArgument> for Error {
    fn from(invalid: InvalidArgument) -> Self {
        Error::new(Kind::InvalidArgument(invalid))
    }
}
