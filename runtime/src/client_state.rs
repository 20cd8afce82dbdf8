//! What every clone of a [`Client`](crate::Client) shares: the connection pool, where the API
//! lives, the credentials and the limits. The layers below the client (requests, the send
//! funnel, calls and listings) hold this, never the client itself.

use crate::auth::Auth;
use crate::retry::RetryPolicy;

pub(crate) struct ClientState {
    pub(crate) http: reqwest::Client,
    /// The base URL joined with the API prefix, without a trailing slash.
    pub(crate) api_root: String,
    /// Where service accounts exchange their credentials for access tokens.
    pub(crate) token_url: String,
    pub(crate) auth: Auth,
    pub(crate) max_pages: u32,
    pub(crate) retry: RetryPolicy,
    pub(crate) page_concurrency: usize,
}
