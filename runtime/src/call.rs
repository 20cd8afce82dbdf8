//! A prepared call of one endpoint, and `Call<T>`, what non-paginated endpoints return.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;

use std::sync::Arc;

use crate::client_state::ClientState;
use crate::endpoint::Endpoint;
use crate::error::{Error, InvalidArgument, Result, Rule};
use crate::page::Page;
use crate::path::format_path;
use crate::query::{
    append_checked, append_struct_checked, AppendQueryParams, CommonQuery, PageQuery, QueryPairs,
    QueryValue,
};
use crate::request::PreparedRequest;
use crate::send::CallOptions;

/// One endpoint with its arguments, validated but not yet sent.
///
/// A validation failure is kept here and reported when the call is awaited or inspected, so
/// that the generated methods can return their builder directly and nothing is ever sent.
#[doc(hidden)]
pub struct EndpointCall {
    client: Arc<ClientState>,
    endpoint: &'static Endpoint,
    path: std::result::Result<String, InvalidArgument>,
    query: QueryPairs,
    body: Option<Bytes>,
    body_error: Option<InvalidArgument>,
    pub(crate) common: CommonQuery,
    pub(crate) options: CallOptions,
    // Constrained query values and one-page answers of writes (`Call<Page<T>>`).
    query_error: Option<InvalidArgument>,
    pub(crate) page: PageQuery,
    /// The `#[header]` values, rendered and checked (issue 10, shape 7).
    headers: std::result::Result<Vec<(HeaderName, HeaderValue)>, InvalidArgument>,
    /// The lock the call holds while it is sent, for a `serialize_by` endpoint.
    serial_key: Option<String>,
    /// What the pacer counts this call's requests under: the endpoint and its first path value
    /// (shared with each request, not copied).
    pace_key: Arc<str>,
    /// The path values as given, when some are to be filled in from an answer (a waiter's
    /// poll of a resource the call creates); `None` for every other call.
    deferred_path: Option<Box<[String]>>,
}

/// Stand-ins for path values that a waiter's poll takes from the answer of the call it waits
/// after (`response.id`): the macro passes `DEFERRED[k]` for the `k`-th such value, and
/// `EndpointCall::fill_deferred` puts the real ones in once the answer is read.
pub const DEFERRED: [&str; 4] = [
    "\0atlas-endpoints:deferred:0",
    "\0atlas-endpoints:deferred:1",
    "\0atlas-endpoints:deferred:2",
    "\0atlas-endpoints:deferred:3",
];

/// Which stand-in `value` is, if it is one.
fn deferred_index(value: &str) -> Option<usize> {
    if value.len() != DEFERRED[0].len() || !value.starts_with('\0') {
        return None;
    }
    DEFERRED.iter().position(|marker| *marker == value)
}

impl EndpointCall {
    pub(crate) fn new<B: Serialize + ?Sized>(
        client: &Arc<ClientState>,
        endpoint: &'static Endpoint,
        path: &[&str],
        query: &[&dyn QueryValue],
        flattened: &[&dyn AppendQueryParams],
        body: Option<&B>,
    ) -> Self {
        // Only the arguments' pairs: the paging and common ones join them as each request is
        // built. No argument, no allocation.
        let mut pairs = QueryPairs::with_capacity(query.len());
        let mut query_error = None;
        // The arguments' own parameters come first, the flattened structs' after them.
        let split = endpoint
            .query_params
            .len()
            .saturating_sub(endpoint.flattened_params);
        let (own, structs) = endpoint.query_params.split_at(split);
        for (param, value) in own.iter().zip(query) {
            if let Err(error) = append_checked(param, *value, &mut pairs) {
                query_error.get_or_insert(error);
            }
        }
        for value in flattened {
            if let Err(error) = append_struct_checked(structs, *value, &mut pairs) {
                query_error.get_or_insert(error);
            }
        }
        let (body, body_error) = match body.map(serde_json::to_vec) {
            None => (None, None),
            Some(Ok(bytes)) => (Some(Bytes::from(bytes)), None),
            Some(Err(error)) => (
                None,
                Some(InvalidArgument {
                    parameter: "body".into(),
                    value: String::new(),
                    rule: Rule::Serializable(error.to_string()),
                }),
            ),
        };
        let deferred_path = path
            .iter()
            .any(|value| deferred_index(value).is_some())
            .then(|| path.iter().map(|value| (*value).to_owned()).collect());
        EndpointCall {
            client: Arc::clone(client),
            endpoint,
            path: match deferred_path {
                None => format_path(endpoint, path),
                Some(_) => Err(unfilled(endpoint, path)),
            },
            deferred_path,
            serial_key: crate::serial::serial_key(endpoint, path),
            pace_key: pace_key(endpoint, path),
            query: pairs,
            body,
            body_error,
            common: CommonQuery::default(),
            options: CallOptions::default(),
            query_error,
            page: PageQuery::default(),
            headers: Ok(Vec::new()),
        }
    }

    /// What refuses this call before anything of a wait is sent: an argument that breaks a
    /// rule, but for the path values still to come from an answer (checked once filled).
    pub(crate) fn refusal(&self) -> Option<Error> {
        let invalid =
            |invalid: &InvalidArgument| Error::from(invalid.clone()).with_endpoint(self.endpoint);
        match &self.deferred_path {
            None => return self.prepare_call().err(),
            Some(raw) => {
                let values: Vec<&str> = raw.iter().map(String::as_str).collect();
                let still_to_come = |value: &str| deferred_index(value).is_some();
                if let Err(error) =
                    crate::path::check_path_values(self.endpoint, &values, still_to_come)
                {
                    return Some(invalid(&error));
                }
            }
        }
        let other = [&self.body_error, &self.query_error]
            .into_iter()
            .flatten()
            .next();
        other.or(self.headers.as_ref().err()).map(invalid)
    }

    /// Puts the values taken from an answer in place of the stand-ins ([`DEFERRED`]) among
    /// the path values; `values[k]` replaces `DEFERRED[k]`, and `None` (the answer had no
    /// such value) fails the path, naming the parameter.
    pub(crate) fn fill_deferred(&mut self, values: &[Option<String>]) {
        let Some(raw) = self.deferred_path.take() else {
            return;
        };
        let mut owned = Vec::with_capacity(raw.len());
        for value in raw.iter() {
            match deferred_index(value) {
                None => owned.push(value.clone()),
                Some(k) => match values.get(k).cloned().flatten() {
                    Some(value) => owned.push(value),
                    None => {
                        let path: Vec<&str> = raw.iter().map(String::as_str).collect();
                        self.path = Err(unfilled(self.endpoint, &path));
                        return;
                    }
                },
            }
        }
        let filled: Vec<&str> = owned.iter().map(String::as_str).collect();
        self.path = format_path(self.endpoint, &filled);
        self.serial_key = crate::serial::serial_key(self.endpoint, &filled);
        self.pace_key = pace_key(self.endpoint, &filled);
    }

    /// Sets the values of `endpoint.header_params`, in order. Each is rendered as its query
    /// text would be (`None` sends no header, a list one header per item) and must be a
    /// legal header value; otherwise the call fails with `InvalidArgument` before sending.
    pub(crate) fn with_headers(mut self, values: &[&dyn QueryValue]) -> Self {
        self.headers = header_values(self.endpoint, values);
        self
    }

    pub(crate) fn client(&self) -> &ClientState {
        &self.client
    }

    pub(crate) fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The request this call sends, with paging parameters when it lists; fails, without
    /// sending anything, when an argument broke a rule.
    pub(crate) fn prepare(&self, page: Option<&PageQuery>) -> Result<PreparedRequest> {
        let invalid =
            |invalid: &InvalidArgument| Error::from(invalid.clone()).with_endpoint(self.endpoint);
        let path = self.path.as_ref().map_err(invalid)?;
        if let Some(error) = &self.body_error {
            return Err(invalid(error));
        }
        if let Some(error) = &self.query_error {
            return Err(invalid(error));
        }
        let headers = self.headers.as_ref().map_err(invalid)?;
        self.common
            .validate(self.endpoint.common)
            .map_err(|e| invalid(&e))?;
        if let Some(page) = page {
            page.validate(self.endpoint).map_err(|e| invalid(&e))?;
        }
        // The arguments' pairs, then the paging parameters, then the common ones.
        let paging = page.map_or([None; 3], |page| page.pairs(self.endpoint));
        let common = self.common.pairs(self.endpoint.common);
        let query = (self
            .query
            .iter()
            .map(|(name, value)| (*name, value.as_str())))
        .chain(
            paging
                .iter()
                .chain(&common)
                .flatten()
                .map(|(name, text)| (*name, text.as_str())),
        );
        // Only an envelope the endpoint takes is sent (`validate` refused any other).
        let enveloped = self.common.envelope == Some(true);
        PreparedRequest::new(
            &self.client,
            self.endpoint,
            path,
            query,
            self.body.clone(),
            enveloped,
        )
        .map(|request| {
            request
                .with_headers(headers)
                .with_serial_key(self.serial_key.clone())
                .with_pace_key(Arc::clone(&self.pace_key))
        })
        .map_err(|error| error.with_endpoint(self.endpoint))
    }

    /// The request of a [`Call`]: with the paging parameters set on it when the endpoint
    /// takes them (a write that answers one page, `Call<Page<T>>`).
    pub(crate) fn prepare_call(&self) -> Result<PreparedRequest> {
        self.prepare(self.endpoint.paginated.then_some(&self.page))
    }
}

/// What the pacer counts a call's requests under: the endpoint and its first path value.
fn pace_key(endpoint: &'static Endpoint, path: &[&str]) -> Arc<str> {
    let parts = [
        endpoint.method.as_str(),
        endpoint.template,
        path.first().copied().unwrap_or_default(),
    ];
    // `join` sizes the string once; `format!` would grow it several times on the way.
    Arc::from(parts.join(" "))
}

/// The refusal of a path whose value was to come from an answer and did not: it names the
/// first parameter still standing in.
fn unfilled(endpoint: &'static Endpoint, path: &[&str]) -> InvalidArgument {
    let index = path
        .iter()
        .position(|value| deferred_index(value).is_some())
        .unwrap_or(0);
    InvalidArgument {
        parameter: endpoint
            .path_params
            .get(index)
            .map_or("<path>", |param| param.name())
            .into(),
        value: String::new(),
        rule: Rule::FromAnswer,
    }
}

/// The header values of a call: each rendered as text, then checked as a header value.
fn header_values(
    endpoint: &'static Endpoint,
    values: &[&dyn QueryValue],
) -> std::result::Result<Vec<(HeaderName, HeaderValue)>, InvalidArgument> {
    let mut headers = Vec::with_capacity(values.len());
    for (param, value) in endpoint.header_params.iter().zip(values) {
        let mut rendered = QueryPairs::new();
        value.append_query(param.wire_name(), &mut rendered);
        for (wire_name, text) in rendered {
            let refuse = |why: &str| InvalidArgument {
                parameter: param.name().into(),
                value: text.clone(),
                rule: Rule::WellFormed(why.into()),
            };
            let name = HeaderName::from_bytes(wire_name.as_bytes())
                .map_err(|_| refuse("a header name"))?;
            let header = HeaderValue::from_str(&text).map_err(|_| {
                refuse("a header value: visible ASCII, spaces and tabs, no line breaks")
            })?;
            headers.push((name, header));
        }
    }
    Ok(headers)
}

impl fmt::Debug for EndpointCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointCall")
            .field("endpoint", &self.endpoint.rust_name)
            .field("path", &self.path)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

mod sealed {
    pub trait Sealed {}
}

/// What a generated endpoint method can return: [`Call`] or [`Paginated`](crate::Paginated).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "an endpoint method returns `Call<T>`, or `Paginated<T>` with `paginated`, not `{Self}`",
    label = "not a return type of `#[atlas_endpoint]`"
)]
pub trait FromEndpointCall: sealed::Sealed + Sized {
    fn from_endpoint_call(call: EndpointCall) -> Self;
}

/// A call of an endpoint that answers with one `T`; await it to send it.
///
/// Returned by every non-paginated endpoint method. Set the common query parameters before
/// awaiting, or [`inspect`](Call::inspect) the request without sending it. Test doubles that
/// implement an endpoint trait return [`Call::ready`].
///
/// ```no_run
/// # use atlas_endpoints_runtime::{Call, Result};
/// # async fn run(call: Call<serde_json::Value>) -> Result<()> {
/// let value = call.pretty(true).await?;
/// # Ok(()) }
/// ```
///
/// The second parameter says what [`wait`](Call::wait) polls after the call, for operations
/// that settle later than they answer (see [`WaitFor`](crate::WaitFor)); [`NoWait`] for the
/// others.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T, W = NoWait> {
    source: Source<T>,
    pub(crate) waiter: W,
}

/// The waiter of a [`Call`] that has none: awaiting it is all there is.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoWait;

/// What a [`Call`] or a [`Paginated`](crate::Paginated) sends: an endpoint call, or, for
/// test doubles, a value ready-made.
// Calls are almost always of endpoints; boxing that variant would allocate on every call.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Source<R> {
    Endpoint(EndpointCall),
    Ready(R),
}

/// Builder methods that set one thing of the endpoint call a `Call` or `Paginated` holds in
/// its `source` (nothing for a ready-made one): `fn name(arg: Type) => |call| setting;`, each
/// with its own docs.
macro_rules! source_setters {
    ($($(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) => |$call:ident| $set:expr;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, $arg: $ty) -> Self {
                self.source.configure(|$call| $set);
                self
            }
        )*
    };
}
pub(crate) use source_setters;

/// The settings of the endpoint call a [`Call`] or a [`Paginated`](crate::Paginated) holds,
/// the same for both: `$subject` names what they apply to in the docs (`"this call"`), and
/// `$timeout_end` and `$cap_end` end the docs of `timeout` and `max_response_bytes`.
macro_rules! call_settings {
    ($subject:literal, $timeout_end:literal, $cap_end:literal) => {
        source_setters! {
            /// Asks Atlas to wrap the response in an envelope (`envelope=true`); the wrapper is
            /// removed again before decoding, so the result is the same.
            ///
            /// On an endpoint that does not take `envelope` (see
            /// [`Endpoint::common`](crate::Endpoint::common)), `true` makes the call fail with
            /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) before anything
            /// is sent, and `false` sends nothing.
            fn envelope(envelope: bool) => |call| call.common.envelope = Some(envelope);

            /// Asks Atlas for a pretty-printed body (`pretty=true`).
            ///
            /// Some operations do not take `pretty` (see
            /// [`Endpoint::common`](crate::Endpoint::common)): there `true` makes the call fail
            /// with [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) before
            /// anything is sent, and `false` sends nothing.
            fn pretty(pretty: bool) => |call| call.common.pretty = Some(pretty);

            #[doc = concat!(
                "The whole-call timeout of ", $subject, ", overriding the client's ",
                "([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)): the longest it may ",
                "take, token request, attempts and retry waits included", $timeout_end
            )]
            fn timeout(timeout: Duration) => |call| call.options.timeout = Some(Some(timeout));

            #[doc = concat!(
                "The per-attempt timeout of ", $subject, ", overriding the client's ",
                "([`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout))."
            )]
            fn attempt_timeout(timeout: Duration)
                => |call| call.options.attempt_timeout = Some(Some(timeout));

            #[doc = concat!(
                "The largest answer ", $subject, " reads, in bytes, overriding the client's ",
                "([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes))",
                $cap_end
            )]
            fn max_response_bytes(bytes: usize)
                => |call| call.options.max_response_bytes = Some(bytes);

            #[doc = concat!(
                "How many times ", $subject, " is sent at most, overriding the client's retry ",
                "policy (only endpoints that are safe to repeat are ever sent more than once)."
            )]
            fn max_attempts(max_attempts: u32)
                => |call| call.options.max_attempts = Some(max_attempts.max(1));
        }
    };
}
pub(crate) use call_settings;

impl<R> Source<R> {
    /// Applies a setting to the endpoint call; a ready-made value has nothing to set.
    pub(crate) fn configure(&mut self, set: impl FnOnce(&mut EndpointCall)) {
        if let Source::Endpoint(call) = self {
            set(call);
        }
    }

    pub(crate) fn endpoint(&self) -> Option<&'static Endpoint> {
        match self {
            Source::Endpoint(call) => Some(call.endpoint()),
            Source::Ready(_) => None,
        }
    }
}

impl<T, W> sealed::Sealed for Call<T, W> {}

impl<T, W: Default> FromEndpointCall for Call<T, W> {
    fn from_endpoint_call(call: EndpointCall) -> Self {
        Call {
            source: Source::Endpoint(call),
            waiter: W::default(),
        }
    }
}

impl<T, W: Default> Call<T, W> {
    /// A call that sends nothing and yields `value`: what a test double returns from an
    /// endpoint method it overrides.
    ///
    /// ```
    /// # async fn run() -> atlas_endpoints_runtime::Result<()> {
    /// use atlas_endpoints_runtime::Call;
    ///
    /// let call: Call<u32> = Call::ready(7);
    /// assert!(call.endpoint().is_none());
    /// # Ok(()) }
    /// ```
    pub fn ready(value: T) -> Self {
        Call {
            source: Source::Ready(value),
            waiter: W::default(),
        }
    }
}

impl<T, W> Call<T, W> {
    call_settings!(
        "this call",
        "; for a download, the body too.",
        "; downloads are never capped."
    );

    /// No whole-call or per-attempt timeout for this call, e.g. a large download on a slow
    /// link; the connect and token timeouts still apply.
    pub fn no_timeouts(mut self) -> Self {
        self.source.configure(|call| {
            call.options.timeout = Some(None);
            call.options.attempt_timeout = Some(None);
        });
        self
    }

    /// The endpoint this call belongs to; `None` for [`Call::ready`].
    pub fn endpoint(&self) -> Option<&'static Endpoint> {
        self.source.endpoint()
    }

    /// The request as it would be sent (credentials redacted), without sending it.
    pub fn inspect(&self) -> Result<PreparedRequest> {
        match &self.source {
            Source::Endpoint(call) => call.prepare_call(),
            Source::Ready(_) => Err(Error::config("a ready-made call sends no request")),
        }
    }
}

impl<T: DeserializeOwned + Send + 'static, W> Call<T, W> {
    /// Sends the request and decodes the answer; the same as awaiting the call.
    pub fn send(self) -> impl Future<Output = Result<T>> + Send + 'static {
        send_source(self.source)
    }
}

/// Sends what a `Call` holds; apart from `Call::send` so that the future does not hold the
/// waiter.
pub(crate) async fn send_source<T: DeserializeOwned + Send + 'static>(
    source: Source<T>,
) -> Result<T> {
    let call = match source {
        Source::Endpoint(call) => call,
        Source::Ready(value) => return Ok(value),
    };
    call.send_json().await
}

impl EndpointCall {
    /// Sends this call's request and decodes its answer as `T`; the call stays, to be sent
    /// again (a waiter's poll).
    pub(crate) async fn send_json<T: DeserializeOwned>(&self) -> Result<T> {
        let request = self.prepare_call()?;
        let response =
            crate::send::send(self.client(), self.endpoint(), request, self.options).await?;
        crate::decode::decode_json(self.endpoint(), &response)
    }
}

impl<T: DeserializeOwned + Send + 'static, W> IntoFuture for Call<T, W> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(send_source(self.source))
    }
}

impl<T, W> Call<T, W> {
    /// The call and its waiter, apart.
    pub(crate) fn into_parts(self) -> (Source<T>, W) {
        (self.source, self.waiter)
    }

    /// A call of its parts.
    pub(crate) fn from_parts(source: Source<T>, waiter: W) -> Self {
        Call { source, waiter }
    }

    /// The same call without its waiter, as a plain `Call<T>`: for code that names the type
    /// of calls of different waiters, or keeps a signature from before the waiter.
    pub fn without_wait(self) -> Call<T> {
        Call {
            source: self.source,
            waiter: NoWait,
        }
    }
}

// Downloads (issue 10, shape 5): `Call<Download>` streams the body instead of decoding it.
// `Download` is no `Deserialize`, so these impls do not overlap those of `Call<T>` above.

impl Call<crate::answer::Download> {
    /// Sends the request and returns the answer as soon as its headers arrive, with the body
    /// still streaming; the same as awaiting the call.
    pub async fn send(self) -> Result<crate::answer::Download> {
        let call = match self.source {
            Source::Endpoint(call) => call,
            Source::Ready(download) => return Ok(download),
        };
        let request = call.prepare(None)?;
        let call_timeout = call.options.call_timeout(call.client());
        let connect_timeout = call.client().timeouts.connect;
        let options = CallOptions {
            streaming: true,
            ..call.options
        };
        let response = crate::send::send(call.client(), call.endpoint(), request, options).await?;
        match response.stream {
            Some(stream) => Ok(crate::answer::Download::from_response(
                stream,
                call_timeout,
                connect_timeout,
            )),
            // Streaming leaves every success on the wire; a body read whole is one too.
            None => Ok(crate::answer::Download::from_bytes(response.body)),
        }
    }
}

impl IntoFuture for Call<crate::answer::Download> {
    type Output = Result<crate::answer::Download>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The paging parameters of a write that answers one page (`paginated` on `POST`, `PUT` or
/// `PATCH`): the request is sent once, with the body, for the page asked for. Such a call is
/// never repeated page by page, since each request would repeat the write.
impl<T, W> Call<Page<T>, W> {
    source_setters! {
        /// The page to answer (`pageNum`, from 1).
        fn page_num(page_num: u32) => |call| call.page.page_num = Some(page_num);

        /// How many items the page holds (`itemsPerPage`, 1 to the endpoint's maximum).
        fn items_per_page(items_per_page: u32) => |call| call.page.items_per_page = Some(items_per_page);

        /// Whether Atlas counts every item (`includeCount`); `true` is refused before sending
        /// where the spec lists no `includeCount`.
        fn include_count(include_count: bool) => |call| call.page.include_count = Some(include_count);
    }
}

impl<T, W> fmt::Debug for Call<T, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Endpoint(call) => f.debug_tuple("Call").field(call).finish(),
            Source::Ready(_) => f.write_str("Call::ready(..)"),
        }
    }
}

pub(crate) use sealed::Sealed;
