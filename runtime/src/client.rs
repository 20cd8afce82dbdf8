//! The client: one connection pool, a base URL and credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use secrecy::ExposeSecret;

use crate::auth::Auth;
use crate::client_state::{ApiUrl, ClientState, Timeouts};
use crate::defaults::{
    DEFAULT_API_PREFIX, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_BASE_URL, DEFAULT_CALL_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_PACING,
    DEFAULT_PAGE_CONCURRENCY, DEFAULT_TOKEN_TIMEOUT, USER_AGENT,
};
use crate::error::{Error, Result};
use crate::pacing::Pacer;
use crate::profile::{AtlasCliProfile, ProfileCredentials, DEFAULT_PROFILE};
use crate::retry::{RetryBudget, RetryPolicy, RetryQuota};
use crate::serial::SerialLocks;

/// A handle to the Atlas Administration API.
///
/// Cheap to clone: clones share one connection pool. Every endpoint trait of the facade is
/// implemented for it, so its methods are the API's operations.
///
/// ```no_run
/// # async fn run() -> atlas_endpoints_runtime::Result<()> {
/// use atlas_endpoints_runtime::{Auth, Client};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .auth(Auth::bearer("my-access-token"))
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// // or, from MONGODB_ATLAS_BASE_URL and MONGODB_ATLAS_ACCESS_TOKEN:
/// let client = Client::from_env()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    state: Arc<ClientState>,
}

/// Gives the generated endpoint methods the [`Client`] to send through.
///
/// Implemented for [`Client`] and for references and smart pointers to an implementor, so
/// endpoint traits work on `Client`, `&Client`, `Arc<Client>` and on your own types that hold
/// a client. A test double that overrides every method of an endpoint trait still implements
/// this trait, e.g. by holding a client built for an unreachable address.
///
/// Declare endpoint traits with it as a supertrait (`pub trait Projects: AtlasClient`), so
/// that generic code bounded by the endpoint trait alone can call its methods.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Atlas client to send endpoint calls through",
    label = "endpoint methods need `AtlasClient`",
    note = "implement `AtlasClient` for `{Self}`, or declare the endpoint trait as `trait Name: AtlasClient`"
)]
pub trait AtlasClient {
    /// The client that sends the requests.
    fn atlas_client(&self) -> &Client;
}

impl AtlasClient for Client {
    fn atlas_client(&self) -> &Client {
        self
    }
}

impl<T: AtlasClient + ?Sized> AtlasClient for &T {
    fn atlas_client(&self) -> &Client {
        (**self).atlas_client()
    }
}

impl<T: AtlasClient + ?Sized> AtlasClient for Box<T> {
    fn atlas_client(&self) -> &Client {
        (**self).atlas_client()
    }
}

impl<T: AtlasClient + ?Sized> AtlasClient for Arc<T> {
    fn atlas_client(&self) -> &Client {
        (**self).atlas_client()
    }
}

impl Client {
    /// A builder with the defaults: Atlas's own base URL, no credentials, and the default
    /// timeouts, size cap and retries (see [`ClientBuilder`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment with the names Atlas's own tools use, or,
    /// without credentials there, from the Atlas CLI's profile; see
    /// [`ClientBuilder::with_env`].
    ///
    /// Fails with [`ErrorKind::Config`](crate::ErrorKind::Config) when no credentials are set
    /// or only half of a pair is.
    pub fn from_env() -> Result<Client> {
        Client::builder()
            .with_env(|name| std::env::var(name).ok())?
            .build()
    }

    /// A client configured from profile `name` of the Atlas CLI's config file (`None`:
    /// `MONGODB_ATLAS_PROFILE`, else `default`), with its credentials and server; see
    /// [`AtlasCliProfile`] for the file and the keys read. The environment is not read
    /// otherwise: [`Client::from_env`] lets variables win over the profile.
    pub fn from_atlas_cli_profile(name: Option<&str>) -> Result<Client> {
        let env = |name: &str| std::env::var(name).ok();
        let name = match name {
            Some(name) => name.to_owned(),
            None => env("MONGODB_ATLAS_PROFILE")
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_PROFILE.to_owned()),
        };
        let path = AtlasCliProfile::config_path(env).ok_or_else(|| {
            Error::config("cannot locate the Atlas CLI config file: HOME is not set")
        })?;
        let profile = AtlasCliProfile::from_file(path, &name)?;
        Client::builder().atlas_cli_profile(&profile).build()
    }

    /// The API root every path template is appended to, e.g.
    /// `https://cloud.mongodb.com/api/atlas/v2`.
    pub fn api_root(&self) -> &str {
        &self.state.api_root
    }

    /// Revokes the access token a service-account client holds (`POST {base}/api/oauth/revoke`)
    /// and forgets it; the next call fetches a new one. Returns whether there was a token to
    /// revoke. Fails with [`ErrorKind::Config`](crate::ErrorKind::Config) for other schemes.
    pub async fn revoke_token(&self) -> Result<bool> {
        let request = crate::auth::RequestContext {
            http: &self.state.http,
            method: crate::endpoint::Method::Post,
            url: None,
            body: None,
            token_url: &self.state.token_url,
            token_timeout: self.state.timeouts.token,
            connect_timeout: self.state.timeouts.connect,
        };
        self.state.auth.revoke(&request).await
    }

    pub(crate) fn state(&self) -> &Arc<ClientState> {
        &self.state
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_root", &self.state.api_root)
            .field("auth", &self.state.auth)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
///
/// # Defaults
///
/// | setting | default | |
/// | --- | --- | --- |
/// | [`timeout`](ClientBuilder::timeout) | [`DEFAULT_CALL_TIMEOUT`](crate::DEFAULT_CALL_TIMEOUT), 5 min | everything a call does: token, attempts, waits |
/// | [`attempt_timeout`](ClientBuilder::attempt_timeout) | [`DEFAULT_ATTEMPT_TIMEOUT`](crate::DEFAULT_ATTEMPT_TIMEOUT), 60 s | one HTTP exchange; retried |
/// | [`token_timeout`](ClientBuilder::token_timeout) | [`DEFAULT_TOKEN_TIMEOUT`](crate::DEFAULT_TOKEN_TIMEOUT), 30 s | a service account's token request |
/// | [`connect_timeout`](ClientBuilder::connect_timeout) | [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT), 10 s | opening a connection |
/// | [`max_response_bytes`](ClientBuilder::max_response_bytes) | [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES), 32 MiB | a JSON answer; downloads are not capped |
/// | [`retry_policy`](ClientBuilder::retry_policy) | [`RetryPolicy::default`] | 3 attempts |
/// | [`retry_budget`](ClientBuilder::retry_budget) | [`RetryBudget::default`] | 20 retries in a burst, shared by clones |
/// | [`pacing`](ClientBuilder::pacing) | [`DEFAULT_PACING`](crate::DEFAULT_PACING), on | stays under the `RateLimit-Remaining` Atlas announces |
///
/// No timeout is ever off unless asked for with [`no_timeouts`](ClientBuilder::no_timeouts).
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    api_prefix: String,
    token_url: Option<String>,
    allow_plain_http: bool,
    auth: Auth,
    user_agent: String,
    timeouts: Timeouts,
    max_response_bytes: usize,
    max_pages: u32,
    retry: RetryPolicy,
    retry_budget: RetryBudget,
    page_concurrency: usize,
    pacing: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_prefix: DEFAULT_API_PREFIX.to_owned(),
            token_url: None,
            allow_plain_http: false,
            auth: Auth::none(),
            user_agent: USER_AGENT.to_owned(),
            timeouts: Timeouts {
                call: Some(DEFAULT_CALL_TIMEOUT),
                attempt: Some(DEFAULT_ATTEMPT_TIMEOUT),
                token: DEFAULT_TOKEN_TIMEOUT,
                connect: Some(DEFAULT_CONNECT_TIMEOUT),
            },
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_pages: DEFAULT_MAX_PAGES,
            retry: RetryPolicy::default(),
            retry_budget: RetryBudget::default(),
            page_concurrency: DEFAULT_PAGE_CONCURRENCY,
            pacing: DEFAULT_PACING,
        }
    }
}

impl ClientBuilder {
    setters! {
        /// The server, e.g. `https://cloud.mongodb.com` (the default) or a sandbox's address.
        fn base_url(base_url: impl Into<String>) => base_url = base_url.into();

        /// The path of the API below the base URL; `/api/atlas/v2` by default.
        fn api_prefix(api_prefix: impl Into<String>) => api_prefix = api_prefix.into();

        /// The credentials sent with every request.
        fn auth(auth: Auth) => auth = auth;
    }

    /// Shorthand for `.auth(Auth::bearer(token))`.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.auth(Auth::bearer(token))
    }

    /// Shorthand for `.auth(Auth::digest(public_key, private_key))`: a programmatic API key.
    pub fn api_key(self, public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        self.auth(Auth::digest(public_key, private_key))
    }

    /// Shorthand for `.auth(Auth::service_account(client_id, client_secret))`.
    pub fn service_account(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.auth(Auth::service_account(client_id, client_secret))
    }

    setters! {
        /// Where service accounts get access tokens; `{base URL}/api/oauth/token` by default.
        /// Revocation goes to the `revoke` endpoint beside it.
        fn token_url(token_url: impl Into<String>) => token_url = Some(token_url.into());

        /// Lets the base URL and the token URL use plain `http://` on hosts other than loopback.
        ///
        /// Off by default: credentials (a bearer token, a service account's secret) would cross
        /// the network unencrypted, so `http://cloud.mongodb.com` (a typo away from the real
        /// thing) is refused by [`build`](ClientBuilder::build). Loopback (`127.0.0.0/8`, `::1`,
        /// `localhost`) is always allowed, for sandboxes and local proxies. Turn this on only for
        /// a proxy on a network you trust.
        fn allow_plain_http(allow: bool) => allow_plain_http = allow;

        /// The `User-Agent` header; `atlas-endpoints/<version>` by default.
        fn user_agent(user_agent: impl Into<String>) => user_agent = user_agent.into();

        /// The whole-call timeout: the longest one call may take, everything included (the token
        /// request, every attempt, the waits between them); [`DEFAULT_CALL_TIMEOUT`] by default.
        /// A call's `.timeout(d)` overrides it. When it passes the call fails with
        /// [`ErrorKind::Timeout`](crate::ErrorKind::Timeout) and
        /// [`TimeoutKind::Call`](crate::TimeoutKind::Call), and a retry whose wait would pass it is
        /// not made. For a download it bounds the body too.
        fn timeout(timeout: Duration) => timeouts.call = Some(timeout);

        /// The per-attempt timeout: the longest one HTTP exchange may take, from sending to the end
        /// of the body (to the headers, for a download); [`DEFAULT_ATTEMPT_TIMEOUT`] by default. A
        /// request that is safe to repeat is retried after it, within the whole-call timeout.
        fn attempt_timeout(timeout: Duration) => timeouts.attempt = Some(timeout);

        /// The longest a service account's token (or revocation) request may take;
        /// [`DEFAULT_TOKEN_TIMEOUT`] by default. Every clone of the client waits for the token
        /// request in flight, so this bound applies even after
        /// [`no_timeouts`](ClientBuilder::no_timeouts).
        fn token_timeout(timeout: Duration) => timeouts.token = timeout;

        /// The longest connecting to the server may take; [`DEFAULT_CONNECT_TIMEOUT`] by default.
        fn connect_timeout(timeout: Duration) => timeouts.connect = Some(timeout);
    }

    /// Turns the whole-call, per-attempt and connect timeouts off: a call then waits as long
    /// as the server does. For tools that bound time themselves; the token request keeps its
    /// [`token_timeout`](ClientBuilder::token_timeout). Settings after this turn single
    /// timeouts back on.
    pub fn no_timeouts(mut self) -> Self {
        self.timeouts.call = None;
        self.timeouts.attempt = None;
        self.timeouts.connect = None;
        self
    }

    setters! {
        /// The largest JSON answer (or error body) a call reads, in bytes;
        /// [`DEFAULT_MAX_RESPONSE_BYTES`] (32 MiB) by default. A larger answer fails with
        /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge), naming the cap,
        /// as soon as it announces its length or reaches the cap: nothing past it is buffered.
        /// Downloads (`Call<Download>`) stream and are never capped. A call's
        /// `.max_response_bytes(n)` overrides it.
        fn max_response_bytes(bytes: usize) => max_response_bytes = bytes;

        /// The retry allowance every clone of the client shares; see [`RetryBudget`] (the default
        /// allows 20 retries in a burst, earned back by successes). [`RetryBudget::unlimited`]
        /// lets each call retry as its policy allows.
        fn retry_budget(budget: RetryBudget) => retry_budget = budget;

        /// The most pages one listing fetches before it stops with an error
        /// ([`DEFAULT_MAX_PAGES`] by default); a guard against servers that never end a listing.
        fn max_pages(max_pages: u32) => max_pages = max_pages.max(1);

        /// Whether the client paces itself under the rate limit Atlas announces
        /// ([`DEFAULT_PACING`], on, by default). Per endpoint and project (or organization), once an
        /// answer carries `RateLimit-Remaining`, at most that many requests go before the next
        /// answer says more; with none left, one request a second probes for the refill; after a
        /// `429`, every request of that endpoint and project waits for its `Retry-After`. Waits
        /// count against the whole-call timeout. Without those headers nothing is paced.
        fn pacing(on: bool) => pacing = on;

        /// How transient failures are retried; see [`RetryPolicy`] (3 attempts by default).
        fn retry_policy(policy: RetryPolicy) => retry = policy;

        /// How many times a request is sent at most, the first included; shorthand for a
        /// [`RetryPolicy`] with this `max_attempts` (1 disables retries).
        fn max_attempts(max_attempts: u32) => retry.max_attempts = max_attempts.max(1);

        /// How many pages a listing fetches at once once it knows the total count
        /// ([`DEFAULT_PAGE_CONCURRENCY`] by default; 1 fetches page after page).
        fn page_concurrency(pages: usize) => page_concurrency = pages.max(1);
    }

    /// Reads the settings Atlas's own tools use from `lookup` (`std::env::var` in
    /// [`Client::from_env`]). `MONGODB_ATLAS_BASE_URL` sets the server when present; the
    /// credentials are the first of:
    ///
    /// 1. `MONGODB_ATLAS_ACCESS_TOKEN`: a bearer token;
    /// 2. `MONGODB_ATLAS_CLIENT_ID` and `MONGODB_ATLAS_CLIENT_SECRET`: a service account;
    /// 3. `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY` (or
    ///    `MONGODB_ATLAS_PUBLIC_KEY` and `MONGODB_ATLAS_PRIVATE_KEY`): an API key;
    /// 4. the Atlas CLI's profile `MONGODB_ATLAS_PROFILE` (else `default`) from its config file
    ///    ([`AtlasCliProfile::config_path`] of `lookup`): its credentials, and its server unless
    ///    `MONGODB_ATLAS_BASE_URL` is set. A missing file counts as no credentials, unless
    ///    `MONGODB_ATLAS_PROFILE` names a profile.
    ///
    /// The variables win over the profile, as a whole: a profile never completes half a pair.
    /// Half of a pair, or no credentials at all, is an error naming the missing variable.
    ///
    /// ```
    /// use atlas_endpoints_runtime::Client;
    ///
    /// let vars = [("MONGODB_ATLAS_ACCESS_TOKEN", "secret-token")];
    /// let lookup = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
    /// let client = Client::builder().with_env(lookup)?.build()?;
    /// assert_eq!(client.api_root(), "https://cloud.mongodb.com/api/atlas/v2");
    /// # Ok::<(), atlas_endpoints_runtime::Error>(())
    /// ```
    pub fn with_env(mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let present = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        if let Some(base_url) = present("MONGODB_ATLAS_BASE_URL") {
            self.base_url = base_url;
        }
        // A credential pasted with its line break would be refused by the server (or, as a
        // header, by the client) at the first call, naming nothing; refuse it here instead.
        let credential = |name: &'static str| match present(name) {
            Some(value) if !value.bytes().all(|byte| byte.is_ascii_graphic()) => {
                Err(Error::config(format!(
                    "{name} has spaces, line breaks or other control characters (a trailing \
                     newline, often); credentials are visible ASCII only"
                )))
            }
            value => Ok(value),
        };
        if let Some(token) = credential("MONGODB_ATLAS_ACCESS_TOKEN")? {
            return Ok(self.bearer_token(token));
        }
        let pair = |first: &'static str, second: &'static str| match (
            credential(first)?,
            credential(second)?,
        ) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(missing_half(first, second)),
            (None, Some(_)) => Err(missing_half(second, first)),
        };
        if let Some((id, secret)) = pair("MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET")?
        {
            return Ok(self.service_account(id, secret));
        }
        let api_key = match pair(
            "MONGODB_ATLAS_PUBLIC_API_KEY",
            "MONGODB_ATLAS_PRIVATE_API_KEY",
        )? {
            Some(key) => Some(key),
            None => pair("MONGODB_ATLAS_PUBLIC_KEY", "MONGODB_ATLAS_PRIVATE_KEY")?,
        };
        if let Some((public_key, private_key)) = api_key {
            return Ok(self.api_key(public_key, private_key));
        }
        let named = present("MONGODB_ATLAS_PROFILE");
        let path =
            AtlasCliProfile::config_path(&lookup).filter(|path| named.is_some() || path.is_file());
        let Some(path) = path else {
            return Err(Error::config(
                "no credentials in the environment: set MONGODB_ATLAS_ACCESS_TOKEN, \
                 MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET, or \
                 MONGODB_ATLAS_PUBLIC_API_KEY and MONGODB_ATLAS_PRIVATE_API_KEY, or configure \
                 the Atlas CLI (`atlas config init`)",
            ));
        };
        let name = named.unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        let profile = AtlasCliProfile::from_file(&path, &name)?;
        let base_url = present("MONGODB_ATLAS_BASE_URL");
        let builder = self.atlas_cli_profile(&profile);
        Ok(match base_url {
            Some(base_url) => builder.base_url(base_url),
            None => builder,
        })
    }

    /// Takes the credentials of an Atlas CLI profile (an API key or a service account), and
    /// its server when it names one (`ops_manager_url`); see [`AtlasCliProfile`].
    pub fn atlas_cli_profile(self, profile: &AtlasCliProfile) -> Self {
        let builder = match &profile.credentials {
            ProfileCredentials::ApiKey(public_key, private_key) => {
                self.api_key(public_key.clone(), private_key.expose_secret().to_owned())
            }
            ProfileCredentials::ServiceAccount(id, secret) => {
                self.service_account(id.clone(), secret.expose_secret().to_owned())
            }
        };
        match profile.base_url() {
            Some(base_url) => builder.base_url(base_url),
            None => builder,
        }
    }

    /// Builds the client and its connection pool.
    ///
    /// Fails with [`ErrorKind::Config`](crate::ErrorKind::Config) naming the setting that is
    /// wrong: a base or token URL that is not one (or plain `http://` off loopback), or a
    /// bearer token that no `Authorization` header can carry (empty, spaces, line breaks).
    pub fn build(self) -> Result<Client> {
        self.auth.check()?;
        let plain_http = self.allow_plain_http;
        let token_url = match &self.token_url {
            Some(token_url) => join_url("token URL", token_url, "", plain_http)?,
            None => join_url("base URL", &self.base_url, "/api/oauth/token", plain_http)?,
        };
        let api_root = join_url("base URL", &self.base_url, &self.api_prefix, plain_http)?;
        let mut http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .redirect(same_origin_redirects());
        // Call and attempt timeouts are the send funnel's, which can name the one that passed;
        // reqwest gets only the connect timeout.
        if let Some(timeout) = self.timeouts.connect {
            http = http.connect_timeout(timeout);
        }
        let http = http.build().map_err(|error| {
            // reqwest says only "builder error"; the cause (e.g. no CA certificates) is in
            // its source chain.
            let mut message = format!("could not build the HTTP client: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            Error::config(message)
        })?;
        Ok(Client {
            state: Arc::new(ClientState {
                http,
                api_url: ApiUrl::new(&api_root),
                api_root,
                token_url,
                auth: self.auth,
                max_pages: self.max_pages,
                retry: self.retry,
                retry_quota: RetryQuota::new(self.retry_budget),
                page_concurrency: self.page_concurrency,
                timeouts: self.timeouts,
                max_response_bytes: self.max_response_bytes,
                serial: SerialLocks::default(),
                pacer: self.pacing.then(|| Pacer::new(self.retry.max_retry_after)),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("api_prefix", &self.api_prefix)
            .field("auth", &self.auth)
            .field("timeouts", &self.timeouts)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

fn missing_half(present: &str, missing: &str) -> Error {
    Error::config(format!(
        "{present} is set but {missing} is not; set both or neither"
    ))
}

/// Joins a base URL (`what` names it in errors) and a path prefix, refusing what would send
/// requests, or credentials, somewhere unexpected. Messages never repeat a password the URL
/// carries.
fn join_url(
    what: &str,
    base_url: &str,
    api_prefix: &str,
    allow_plain_http: bool,
) -> Result<String> {
    let shown = redact_userinfo(base_url);
    let url = Url::parse(base_url)
        .map_err(|error| Error::config(format!("{what} {shown:?} is not a URL: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "{what} {shown:?} must start with http:// or https://"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "{what} {shown:?} must not have a query or fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "{what} {shown:?} must not carry credentials; use the builder's auth instead"
        )));
    }
    if url.scheme() == "http" && !allow_plain_http && !is_loopback(&url) {
        return Err(Error::config(format!(
            "{what} {shown:?} uses plain http:// on a host that is not loopback, which would \
             send credentials unencrypted; use https://, or opt in with \
             ClientBuilder::allow_plain_http(true)"
        )));
    }
    if !api_prefix.is_empty() && !api_prefix.starts_with('/') {
        return Err(Error::config(format!(
            "API prefix {api_prefix:?} must start with `/`"
        )));
    }
    let mut root = url.as_str().trim_end_matches('/').to_owned();
    root.push_str(api_prefix.trim_end_matches('/'));
    Ok(root)
}

/// Atlas's API never redirects. A redirect within the same origin (scheme, host and port) is
/// followed, up to a few hops; one to another origin is an error naming its `Location`, so
/// another host's answer (or, for the token endpoint, its token) is never taken for Atlas's,
/// and a revoked token is never sent elsewhere.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    const MAX_HOPS: usize = 5;
    reqwest::redirect::Policy::custom(|attempt| {
        let origin = |url: &Url| {
            (
                url.scheme().to_owned(),
                url.host_str().map(str::to_owned),
                url.port_or_known_default(),
            )
        };
        let first = attempt.previous().first().map(origin);
        if first.is_some_and(|first| first != origin(attempt.url())) {
            let location = redact_userinfo(attempt.url().as_str());
            attempt.error(format!(
                "the server redirected to another origin ({location})"
            ))
        } else if attempt.previous().len() > MAX_HOPS {
            attempt.error(format!("the server redirected more than {MAX_HOPS} times"))
        } else {
            attempt.follow()
        }
    })
}

/// Whether the URL's host is this machine: `localhost` or a loopback address.
fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The URL with any `user:password@` replaced, for messages; works on text that is not a URL.
fn redact_userinfo(url: &str) -> String {
    let Some(start) = url.find("://").map(|index| index + 3) else {
        return url.to_owned();
    };
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |index| start + index);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}<redacted>{}", &url[..start], &url[start + at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_root(base_url: &str, api_prefix: &str) -> Result<String> {
        join_url("base URL", base_url, api_prefix, false)
    }

    #[test]
    fn api_root_joins_base_and_prefix_without_double_slashes() {
        assert_eq!(
            api_root("https://cloud.mongodb.com/", "/api/atlas/v2/").unwrap(),
            "https://cloud.mongodb.com/api/atlas/v2"
        );
        assert_eq!(
            api_root("http://127.0.0.1:8080", "").unwrap(),
            "http://127.0.0.1:8080"
        );
    }

    #[test]
    fn api_root_refuses_other_schemes_queries_and_credentials() {
        assert!(api_root("ftp://example.com", "/api").is_err());
        assert!(api_root("https://example.com?x=1", "/api").is_err());
        assert!(api_root("https://user:pw@example.com", "/api").is_err());
        assert!(api_root("not a url", "/api").is_err());
        assert!(api_root("https://example.com", "api").is_err());
    }

    #[test]
    fn plain_http_is_for_loopback_unless_allowed() {
        for loopback in [
            "http://127.0.0.1:9",
            "http://127.8.0.1",
            "http://[::1]:80",
            "http://LOCALHOST:1",
        ] {
            assert!(api_root(loopback, "").is_ok(), "{loopback}");
        }
        let error = api_root("http://cloud.mongodb.com", "/api/atlas/v2").unwrap_err();
        assert!(error.to_string().contains("allow_plain_http"), "{error}");
        assert!(join_url("base URL", "http://cloud.mongodb.com", "", true).is_ok());
        let error = join_url("token URL", "http://auth.example/token", "", false).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid configuration: token URL"),
            "{error}"
        );
    }

    #[test]
    fn messages_never_show_the_password_of_a_url() {
        for url in [
            "https://user:hunter2@cloud.mongodb.com",
            "ftp://user:hunter2@cloud.mongodb.com/x",
            "https://user:hunter2@cloud.mongodb.com?x=1",
            "http://user:hunter2@[bad",
        ] {
            let error = api_root(url, "/api").unwrap_err();
            assert!(!error.to_string().contains("hunter2"), "{error}");
        }
        let builder = Client::builder().base_url("https://u:hunter2@cloud.mongodb.com");
        assert!(!format!("{builder:?}").contains("hunter2"));
        assert_eq!(
            redact_userinfo("https://a:b@h/p@x"),
            "https://<redacted>@h/p@x"
        );
        assert_eq!(redact_userinfo("no url at all"), "no url at all");
    }

    #[test]
    fn from_env_without_credentials_names_the_variable() {
        let error = Client::builder().with_env(|_| None).unwrap_err();
        assert!(error.to_string().contains("MONGODB_ATLAS_ACCESS_TOKEN"));
    }

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn from_env_prefers_token_then_service_account_then_api_key() {
        let debug = |vars| format!("{:?}", Client::builder().with_env(lookup(vars)).unwrap());
        let all = &[
            ("MONGODB_ATLAS_ACCESS_TOKEN", "t"),
            ("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id_1"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
        ];
        assert!(debug(all).contains("Auth::Bearer"));
        assert!(debug(&all[1..]).contains("Auth::ServiceAccount { client_id: \"mdb_sa_id_1\""));
        assert!(debug(&all[3..]).contains("Auth::Digest { public_key: \"pub\""));
        let short_names = &[
            ("MONGODB_ATLAS_PUBLIC_KEY", "pub2"),
            ("MONGODB_ATLAS_PRIVATE_KEY", "priv2"),
        ];
        assert!(debug(short_names).contains("public_key: \"pub2\""));
    }

    #[test]
    fn half_a_pair_names_the_missing_variable() {
        let halves: [(&'static [(&str, &str)], &str); 2] = [
            (
                &[("MONGODB_ATLAS_CLIENT_ID", "id")],
                "MONGODB_ATLAS_CLIENT_SECRET is not",
            ),
            (
                &[("MONGODB_ATLAS_PRIVATE_API_KEY", "k")],
                "MONGODB_ATLAS_PUBLIC_API_KEY is not",
            ),
        ];
        for (vars, missing) in halves {
            let error = Client::builder().with_env(lookup(vars)).unwrap_err();
            assert!(error.to_string().contains(missing), "{error}");
        }
    }

    #[test]
    fn the_token_url_follows_the_base_url_unless_set() {
        let client = Client::builder()
            .base_url("http://127.0.0.1:9/")
            .build()
            .unwrap();
        assert_eq!(
            client.state().token_url,
            "http://127.0.0.1:9/api/oauth/token"
        );
        let client = Client::builder()
            .token_url("https://auth.example/oauth/token")
            .build()
            .unwrap();
        assert_eq!(client.state().token_url, "https://auth.example/oauth/token");
    }

    #[test]
    fn debug_never_shows_the_token() {
        let client = Client::builder()
            .bearer_token("very-secret-token")
            .build()
            .unwrap();
        let rendered = format!(
            "{client:?} {:?}",
            Client::builder().bearer_token("very-secret-token")
        );
        assert!(!rendered.contains("very-secret-token"), "{rendered}");
        assert!(rendered.contains("<redacted>"));
    }
}
