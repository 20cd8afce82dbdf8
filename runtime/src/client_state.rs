//! What every clone of a [`Client`](crate::Client) shares: the connection pool, where the API
//! lives, the credentials and the limits. The layers below the client (requests, the send
//! funnel, calls and listings) hold this, never the client itself.

use std::time::Duration;

use crate::auth::Auth;
use crate::pacing::Pacer;
use crate::retry::{RetryPolicy, RetryQuota};
use crate::serial::SerialLocks;

pub(crate) struct ClientState {
    pub(crate) http: reqwest::Client,
    /// The base URL joined with the API prefix, without a trailing slash.
    pub(crate) api_root: String,
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
