//! OAuth 2.0 client credentials, as Atlas service accounts use them: the
//! token and revocation endpoints, and the access tokens they issue.
//!
//! Clients authenticate with HTTP Basic (`client_id:client_secret`, taken as
//! is) and send `application/x-www-form-urlencoded` bodies. Errors follow
//! RFC 6749 §5.2: `{"error": "...", "error_description": "..."}`.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::Auth;
use serde_json::{json, Value};

use super::ids::Ids;
use super::{basic, Secret};
use crate::checks::QueryParams;
use crate::{REVOKE_PATH, TOKEN_PATH};

/// How many access tokens the sandbox remembers; past that, the oldest are
/// forgotten (and then count as never issued).
pub(crate) const MAX_TOKENS: usize = 10_000;

/// The form content type both endpoints require.
const FORM: &str = "application/x-www-form-urlencoded";

/// One issued access token.
#[derive(Debug)]
struct TokenEntry {
    client_id: String,
    issued: Instant,
    revoked: bool,
}

/// Issued tokens, oldest first in `order`.
#[derive(Debug, Default)]
struct Tokens {
    entries: HashMap<String, TokenEntry>,
    order: VecDeque<String>,
}

/// What a presented access token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenStatus {
    /// Issued to this client, unexpired and unrevoked.
    Live(String),
    /// Issued, but its lifetime has passed.
    Expired,
    /// Issued, then revoked.
    Revoked,
    /// Never issued (or forgotten, see [`MAX_TOKENS`]).
    Unknown,
}

/// The service accounts, the tokens issued to them and the endpoint counters.
#[derive(Debug)]
pub(crate) struct OAuth {
    clients: HashMap<String, Secret>,
    lifetime: Duration,
    ids: Ids,
    tokens: Mutex<Tokens>,
    token_requests: AtomicUsize,
    revoke_requests: AtomicUsize,
}

impl OAuth {
    /// `clients` are (client id, client secret) pairs; a repeated id keeps its
    /// last secret.
    pub(crate) fn new(clients: Vec<(String, Secret)>, lifetime: Duration) -> Self {
        OAuth {
            clients: clients.into_iter().collect(),
            lifetime,
            ids: Ids::new(),
            tokens: Mutex::new(Tokens::default()),
            token_requests: AtomicUsize::new(0),
            revoke_requests: AtomicUsize::new(0),
        }
    }

    fn tokens(&self) -> MutexGuard<'_, Tokens> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn is_expired(&self, entry: &TokenEntry) -> bool {
        entry.issued.elapsed() >= self.lifetime
    }

    /// What `token` is.
    pub(crate) fn status(&self, token: &str) -> TokenStatus {
        match self.tokens().entries.get(token) {
            None => TokenStatus::Unknown,
            Some(entry) if entry.revoked => TokenStatus::Revoked,
            Some(entry) if self.is_expired(entry) => TokenStatus::Expired,
            Some(entry) => TokenStatus::Live(entry.client_id.clone()),
        }
    }

    /// Tokens issued, unexpired and unrevoked.
    pub(crate) fn live_count(&self) -> usize {
        self.tokens()
            .entries
            .values()
            .filter(|entry| !entry.revoked && !self.is_expired(entry))
            .count()
    }

    /// POSTs to the token endpoint so far.
    pub(crate) fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::Relaxed)
    }

    /// POSTs to the revocation endpoint so far.
    pub(crate) fn revoke_requests(&self) -> usize {
        self.revoke_requests.load(Ordering::Relaxed)
    }

    /// `expires_in`: the lifetime in whole seconds, rounded up, at least 1.
    fn expires_in(&self) -> u64 {
        let seconds = self.lifetime.as_secs();
        let rounded = if self.lifetime.subsec_nanos() > 0 {
            seconds.saturating_add(1)
        } else {
            seconds
        };
        rounded.max(1)
    }

    fn issue(&self, client_id: &str) -> String {
        let token = format!("sandbox-at-{}", self.ids.fresh("access_token"));
        let mut tokens = self.tokens();
        tokens.entries.insert(
            token.clone(),
            TokenEntry {
                client_id: client_id.to_owned(),
                issued: Instant::now(),
                revoked: false,
            },
        );
        tokens.order.push_back(token.clone());
        while tokens.order.len() > MAX_TOKENS {
            if let Some(oldest) = tokens.order.pop_front() {
                tokens.entries.remove(&oldest);
            }
        }
        token
    }

    /// The client id of valid Basic client credentials.
    fn authenticate_client(&self, headers: &HeaderMap) -> Result<String, OAuthError> {
        let (client_id, secret) = basic::credentials(headers).ok_or_else(|| {
            OAuthError::invalid_client(
                "Send the client id and secret as HTTP Basic credentials \
                 (Authorization: Basic base64(client_id:client_secret)).",
            )
        })?;
        match self.clients.get(&client_id) {
            Some(expected) if expected.expose() == secret => Ok(client_id),
            _ => Err(OAuthError::invalid_client(
                "Unknown client id or wrong client secret.",
            )),
        }
    }
}

/// An RFC 6749 §5.2 error.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: &'static str,
}

impl OAuthError {
    /// 401: missing, malformed or wrong client credentials.
    fn invalid_client(description: &'static str) -> Self {
        OAuthError {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description,
        }
    }

    /// 400: the request is malformed.
    fn invalid_request(description: &'static str) -> Self {
        OAuthError {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            description,
        }
    }

    fn into_response(self) -> Response {
        let mut response = json_response(
            self.status,
            &json!({ "error": self.error, "error_description": self.description }),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"atlas-sandbox\""),
            );
        }
        response
    }
}

/// A JSON response that no cache may keep (RFC 6749 §5.1).
fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The form parameters of a request, checking its content type and that no
/// parameter named in `single` is repeated (RFC 6749 §3.2).
fn form(headers: &HeaderMap, body: &[u8], single: &[&str]) -> Result<QueryParams, OAuthError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case(FORM));
    if !is_form {
        return Err(OAuthError::invalid_request(
            "The body must be sent as application/x-www-form-urlencoded.",
        ));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| OAuthError::invalid_request("The body is not UTF-8."))?;
    let params = QueryParams::parse(Some(text));
    if single.iter().any(|name| params.count(name) > 1) {
        return Err(OAuthError::invalid_request(
            "A parameter is repeated; each may appear once.",
        ));
    }
    Ok(params)
}

/// `POST /api/oauth/token` and `POST /api/oauth/revoke`.
pub(crate) fn routes() -> Router<Arc<Auth>> {
    Router::new()
        .route(TOKEN_PATH, post(token))
        .route(REVOKE_PATH, post(revoke))
}

async fn token(State(auth): State<Arc<Auth>>, headers: HeaderMap, body: Bytes) -> Response {
    let oauth = &auth.oauth;
    oauth.token_requests.fetch_add(1, Ordering::Relaxed);
    match token_body(oauth, &headers, &body) {
        Ok(body) => json_response(StatusCode::OK, &body),
        Err(error) => error.into_response(),
    }
}

fn token_body(oauth: &OAuth, headers: &HeaderMap, body: &[u8]) -> Result<Value, OAuthError> {
    let client_id = oauth.authenticate_client(headers)?;
    let params = form(headers, body, &["grant_type", "scope"])?;
    match params.first("grant_type") {
        None | Some("") => Err(OAuthError::invalid_request(
            "The grant_type parameter is missing.",
        )),
        Some("client_credentials") => Ok(json!({
            "access_token": oauth.issue(&client_id),
            "token_type": "Bearer",
            "expires_in": oauth.expires_in(),
        })),
        Some(_) => Err(OAuthError {
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            description: "Only the client_credentials grant type is supported.",
        }),
    }
}

async fn revoke(State(auth): State<Arc<Auth>>, headers: HeaderMap, body: Bytes) -> Response {
    let oauth = &auth.oauth;
    oauth.revoke_requests.fetch_add(1, Ordering::Relaxed);
    match revoke_body(oauth, &headers, &body) {
        Ok(()) => {
            let mut response = Response::new(Body::empty());
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => error.into_response(),
    }
}

fn revoke_body(oauth: &OAuth, headers: &HeaderMap, body: &[u8]) -> Result<(), OAuthError> {
    let client_id = oauth.authenticate_client(headers)?;
    let params = form(headers, body, &["token", "token_type_hint"])?;
    let token = params
        .first("token")
        .filter(|token| !token.is_empty())
        .ok_or_else(|| OAuthError::invalid_request("The token parameter is missing."))?;
    // RFC 7009 §2.2: an unknown token is not an error. The hint is only a
    // hint: there is one kind of token to look in.
    let mut tokens = oauth.tokens();
    match tokens.entries.get_mut(token) {
        Some(entry) if entry.client_id != client_id => Err(OAuthError::invalid_request(
            "The token was issued to another client.",
        )),
        Some(entry) => {
            entry.revoked = true;
            Ok(())
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_live_expire_and_revoke() {
        let oauth = OAuth::new(
            vec![("id".to_owned(), Secret::new("secret"))],
            Duration::from_secs(60),
        );
        let token = oauth.issue("id");
        assert_eq!(oauth.status(&token), TokenStatus::Live("id".to_owned()));
        assert_eq!(oauth.status("other"), TokenStatus::Unknown);
        assert_eq!(oauth.live_count(), 1);
        if let Some(entry) = oauth.tokens().entries.get_mut(&token) {
            entry.revoked = true;
        }
        assert_eq!(oauth.status(&token), TokenStatus::Revoked);
        assert_eq!(oauth.live_count(), 0);

        let expired = OAuth::new(Vec::new(), Duration::ZERO);
        let token = expired.issue("id");
        assert_eq!(expired.status(&token), TokenStatus::Expired);
        assert_eq!(expired.live_count(), 0);
    }

    #[test]
    fn expires_in_rounds_up_to_at_least_one_second() {
        let expires_in = |lifetime| OAuth::new(Vec::new(), lifetime).expires_in();
        assert_eq!(expires_in(Duration::ZERO), 1);
        assert_eq!(expires_in(Duration::from_millis(1500)), 2);
        assert_eq!(expires_in(Duration::from_secs(3600)), 3600);
        assert_eq!(expires_in(Duration::MAX), u64::MAX);
    }

    #[test]
    fn forgets_the_oldest_tokens_past_the_limit() {
        let oauth = OAuth::new(Vec::new(), Duration::from_secs(60));
        let first = oauth.issue("id");
        for _ in 0..MAX_TOKENS {
            oauth.issue("id");
        }
        assert_eq!(oauth.status(&first), TokenStatus::Unknown);
        assert_eq!(oauth.live_count(), MAX_TOKENS);
    }
}
