//! What every clone of a [`Client`](crate::Client) shares: the connection pool, where the API
//! lives, the credentials and the limits. The layers below the client (requests, the send
//! funnel, calls and listings) hold this, never the client itself.

use std::time::Duration;

use reqwest::Url;

use crate::auth::Auth;
use crate::pacing::Pacer;
use crate::retry::{RetryPolicy, RetryQuota};
use crate::serial::SerialLocks;

pub(crate) struct ClientState {
    pub(crate) http: reqwest::Client,
    /// The base URL joined with the API prefix, without a trailing slash.
    pub(crate) api_root: String,
    /// The API root parsed once, so that a request only sets its path and query on a copy.
    pub(crate) api_url: ApiUrl,
    /// Where service accounts exchange their credentials for access tokens.
    pub(crate) token_url: String,
    pub(crate) auth: Auth,
    pub(crate) max_pages: u32,
    pub(crate) retry: RetryPolicy,
    /// The retries left to every clone of the client together.
    pub(crate) retry_quota: RetryQuota,
    pub(crate) page_concurrency: usize,
    pub(crate) timeouts: Timeouts,
    /// The largest JSON answer read; downloads are not capped.
    pub(crate) max_response_bytes: usize,
    /// The locks of `serialize_by` endpoints, shared by every clone.
    pub(crate) serial: SerialLocks,
    /// Client-side pacing under the announced rate limit; `None` when turned off.
    pub(crate) pacer: Option<Pacer>,
}

/// The API root, parsed.
pub(crate) enum ApiUrl {
    /// A root that prints as it was written: requests copy it and set their path below
    /// `path`, the root's own path without a trailing slash.
    Parsed { url: Url, path: String },
    /// A root that would not survive that (an API prefix with `?` or `#`): each request
    /// parses the root and its path as one text, as written.
    Unparsed,
}

impl ApiUrl {
    /// `api_root` parsed, when requests can be built on it.
    pub(crate) fn new(api_root: &str) -> Self {
        match Url::parse(api_root) {
            Ok(url)
                if url.query().is_none()
                    && url.fragment().is_none()
                    && url.as_str().trim_end_matches('/') == api_root =>
            {
                let path = url.path().trim_end_matches('/').to_owned();
                ApiUrl::Parsed { url, path }
            }
            _ => ApiUrl::Unparsed,
        }
    }
}

/// The client's timeouts; `None` is no bound, which the builder sets only when asked to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    /// Everything one call does: token, attempts, retry waits.
    pub(crate) call: Option<Duration>,
    /// One HTTP exchange.
    pub(crate) attempt: Option<Duration>,
    /// A token or revocation request; always bounded, since the token lock waits for it.
    pub(crate) token: Duration,
    /// Opening a connection (set on the connection pool; kept here to name it in errors).
    pub(crate) connect: Option<Duration>,
}
