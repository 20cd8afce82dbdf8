//! Atlas service accounts: OAuth 2.0 client credentials with a cached, renewed access token.

use std::time::Duration;

use http::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use http::HeaderValue;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{AccessToken, RequestContext};
use crate::body::read_capped;
use crate::defaults::MAX_TOKEN_ANSWER_BYTES;
use crate::error::{printable, Error, Result, TimeoutKind};

/// Renew this long before the token expires, at most; Atlas tokens live an hour.
const RENEWAL_MARGIN: Duration = Duration::from_secs(60);

/// The longest a token is trusted, whatever `expires_in` says: Atlas issues tokens for an
/// hour, so a longer promise is a broken or hostile token endpoint, not a reason to keep a
/// token for years (golang.org/x/oauth2 clamps likewise).
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// A `401` for a token younger than this is about the request (Atlas also answers `401` for
/// missing permissions), not the token, unless the server says the token is invalid: renewing
/// it would cost a token request per refused call, and Atlas allows 10 a minute.
const FRESH_TOKEN_AGE: Duration = Duration::from_secs(60);

pub(super) struct ServiceAccount {
    client_id: String,
    client_secret: SecretString,
    /// The cached token. The lock is held while a token is fetched, so concurrent calls wait
    /// for that one request instead of each sending their own (Atlas allows 10 a minute); the
    /// token request is bounded by the token timeout, so the wait is too.
    token: Mutex<Option<CachedToken>>,
    /// The last failed token request, shared with the calls that queue behind it so that a
    /// failing token endpoint is asked once per backoff period, not once per waiting call.
    failure: std::sync::Mutex<Option<TokenFailure>>,
}

struct TokenFailure {
    message: String,
    status: Option<http::StatusCode>,
    /// Failures in a row, for the backoff.
    streak: u32,
    retry_at: Instant,
}

/// How long calls share a failed token request before one asks again: doubling from this
/// (1 s, 2 s, 4 s, …) up to [`MAX_FAILURE_BACKOFF`].
const FIRST_FAILURE_BACKOFF: Duration = Duration::from_secs(1);
const MAX_FAILURE_BACKOFF: Duration = Duration::from_secs(30);

struct CachedToken {
    access_token: AccessToken,
    issued_at: Instant,
    renew_at: Instant,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
}

impl ServiceAccount {
    pub(super) fn new(client_id: String, client_secret: SecretString) -> Self {
        ServiceAccount {
            client_id,
            client_secret,
            token: Mutex::new(None),
            failure: std::sync::Mutex::new(None),
        }
    }

    pub(super) fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `Bearer <token>` with a token that is fresh for a while yet, fetching one if needed.
    pub(super) async fn authorize(&self, request: &RequestContext<'_>) -> Result<HeaderValue> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return token.access_token.header();
        }
        *cached = None;
        if let Some(shared) = self.recent_failure() {
            return Err(shared);
        }
        match self.fetch(request).await {
            Ok(token) => {
                *self.failures() = None;
                let header = token.access_token.header();
                *cached = Some(token);
                header
            }
            Err(error) => {
                self.record_failure(&error);
                Err(error)
            }
        }
    }

    fn failures(&self) -> std::sync::MutexGuard<'_, Option<TokenFailure>> {
        self.failure
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The failure of a token request made moments ago, as this call's error, while its
    /// backoff lasts.
    fn recent_failure(&self) -> Option<Error> {
        let failures = self.failures();
        let failure = failures.as_ref()?;
        let wait = failure.retry_at.checked_duration_since(Instant::now())?;
        Some(Error::auth(
            format!(
                "{} (a request moments ago; the token endpoint is asked again in {} ms)",
                failure.message,
                wait.as_millis()
            ),
            failure.status,
        ))
    }

    fn record_failure(&self, error: &Error) {
        let mut failures = self.failures();
        let streak = failures.as_ref().map_or(0, |f| f.streak).saturating_add(1);
        let backoff = FIRST_FAILURE_BACKOFF.saturating_mul(1 << (streak - 1).min(5));
        let now = Instant::now();
        *failures = Some(TokenFailure {
            message: error.report().to_string(),
            status: error.status(),
            streak,
            retry_at: now
                .checked_add(backoff.min(MAX_FAILURE_BACKOFF))
                .unwrap_or(now),
        });
    }

    /// After a `401` to a request that carried `sent`: returns whether to send it once more.
    ///
    /// A token renewed meanwhile by another call is worth a retry. The token that was sent is
    /// dropped, and the request retried, only when the server says the token is invalid
    /// (`WWW-Authenticate: Bearer error="invalid_token"`) or the token has been in use for a
    /// while (it may have been revoked or have expired early); a fresh token refused without
    /// such a word is kept, and the `401` is the caller's answer.
    pub(super) async fn after_unauthorized(
        &self,
        sent: Option<&HeaderValue>,
        response_headers: &http::HeaderMap,
    ) -> bool {
        let mut cached = self.token.lock().await;
        let Some(token) = cached.as_ref() else {
            return true;
        };
        let was_sent = sent.is_some_and(|sent| {
            token
                .access_token
                .header()
                .is_ok_and(|header| header == *sent)
        });
        if !was_sent {
            return true;
        }
        if says_invalid_token(response_headers) || token.issued_at.elapsed() >= FRESH_TOKEN_AGE {
            *cached = None;
            return true;
        }
        false
    }

    /// Revokes the cached token, if there is one; returns whether one was revoked.
    pub(super) async fn revoke(&self, request: &RequestContext<'_>) -> Result<bool> {
        let mut cached = self.token.lock().await;
        let Some(token) = cached.take() else {
            return Ok(false);
        };
        let body = format!(
            "token={}&token_type_hint=access_token",
            utf8_percent_encode(
                token.access_token.secret().expose_secret(),
                NON_ALPHANUMERIC
            )
        );
        let url = revoke_url(request.token_url);
        let response = self.post_form(request, &url, body).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(true);
        }
        Err(self.failure("revoking the access token", response).await)
    }

    async fn fetch(&self, request: &RequestContext<'_>) -> Result<CachedToken> {
        let response = self
            .post_form(
                request,
                request.token_url,
                "grant_type=client_credentials".to_owned(),
            )
            .await?;
        if !response.status().is_success() {
            return Err(self.failure("requesting an access token", response).await);
        }
        let status = response.status();
        let body = read_capped(response, MAX_TOKEN_ANSWER_BYTES, |error| {
            token_transport(request, error)
        })
        .await?;
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|error| {
            Error::auth(
                format!("the token endpoint answered with an unexpected body: {error}"),
                Some(status),
            )
        })?;
        if token
            .token_type
            .as_deref()
            .is_some_and(|kind| !kind.eq_ignore_ascii_case("bearer"))
        {
            return Err(Error::auth(
                "the token endpoint issued a token that is not a bearer token",
                Some(status),
            ));
        }
        check_token(&token.access_token, status)?;
        let now = Instant::now();
        Ok(CachedToken {
            access_token: AccessToken::new(SecretString::from(token.access_token)),
            issued_at: now,
            renew_at: renew_at(now, token.expires_in),
        })
    }

    async fn post_form(
        &self,
        request: &RequestContext<'_>,
        url: &str,
        body: String,
    ) -> Result<reqwest::Response> {
        request
            .http
            .post(url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body)
            .timeout(request.token_timeout)
            .send()
            .await
            .map_err(|error| token_transport(request, error))
    }

    /// A clear error from a refused token or revoke request; OAuth errors name their cause.
    async fn failure(&self, what: &str, response: reqwest::Response) -> Error {
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = read_capped(response, MAX_TOKEN_ANSWER_BYTES, Error::transport)
            .await
            .unwrap_or_default();
        let mut message = format!(
            "{what} for service account {:?} failed with {status}",
            self.client_id
        );
        if let Ok(oauth) = serde_json::from_slice::<OAuthError>(&body) {
            // The server's words, escaped, and never repeating the secret it was sent.
            let secret = self.client_secret.expose_secret();
            let shown = |text: &str| match secret.is_empty() {
                true => printable(text).into_owned(),
                false => printable(&text.replace(secret, "<redacted>")).into_owned(),
            };
            if let Some(error) = oauth.error {
                message.push_str(&format!(": {}", shown(&error)));
            }
            if let Some(description) = oauth.error_description {
                message.push_str(&format!(" ({})", shown(&description)));
            }
        }
        if let Some(retry_after) = retry_after {
            message.push_str(&format!("; retry after {retry_after} s"));
        }
        Error::auth(message, Some(status))
    }
}

/// A failure of a token or revocation request; a timeout is the token timeout (or the
/// connect timeout), named with its value.
fn token_transport(request: &RequestContext<'_>, error: reqwest::Error) -> Error {
    Error::transport(error.without_url()).with_timeout(
        TimeoutKind::Token,
        Some(request.token_timeout),
        request.connect_timeout,
    )
}

/// Whether a `WWW-Authenticate` challenge says the bearer token itself is the problem
/// (RFC 6750 §3.1 `invalid_token`).
fn says_invalid_token(headers: &http::HeaderMap) -> bool {
    headers
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.to_ascii_lowercase().contains("invalid_token"))
}

/// When a token issued at `now` for `expires_in` seconds is renewed: a minute before it
/// expires, or a quarter of its lifetime before for short-lived tokens. Missing means Atlas's
/// hour; anything longer is clamped to it; `0` means it is used once and renewed at once.
fn renew_at(now: Instant, expires_in: Option<u64>) -> Instant {
    let lifetime = expires_in
        .map_or(MAX_TOKEN_LIFETIME, Duration::from_secs)
        .min(MAX_TOKEN_LIFETIME);
    let margin = RENEWAL_MARGIN.min(lifetime / 4);
    now.checked_add(lifetime.saturating_sub(margin))
        .unwrap_or(now)
}

/// Refuses, when it arrives, a token that could never go into an `Authorization` header (empty,
/// or with control characters such as CR/LF), so no call later blames its own arguments.
fn check_token(token: &str, status: http::StatusCode) -> Result<()> {
    let problem = if token.is_empty() {
        Some("an empty access token")
    } else if !token.bytes().all(|byte| byte.is_ascii_graphic()) {
        Some("an access token with spaces or control characters")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::auth(
            format!("the token endpoint issued {problem}"),
            Some(status),
        )),
        None => Ok(()),
    }
}

/// The revocation endpoint beside the token endpoint: `…/oauth/token` → `…/oauth/revoke`.
fn revoke_url(token_url: &str) -> String {
    match token_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/revoke"),
        None => format!("{token_url}/revoke"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_clamped_and_never_overflow() {
        let now = Instant::now();
        let hour = Duration::from_secs(3600);
        let minute = Duration::from_secs(60);
        assert_eq!(renew_at(now, None), now + hour - minute);
        assert_eq!(renew_at(now, Some(u64::MAX)), now + hour - minute);
        assert_eq!(renew_at(now, Some(1_000_000_000_000)), now + hour - minute);
        assert_eq!(renew_at(now, Some(120)), now + Duration::from_secs(90));
        assert_eq!(renew_at(now, Some(0)), now);
    }

    #[test]
    fn tokens_that_cannot_be_sent_are_refused_on_arrival() {
        let ok = http::StatusCode::OK;
        assert!(check_token("eyJhbGciOi.x-y_z", ok).is_ok());
        for bad in ["", "abc\r\nX-Injected: 1", "two words", "tab\t"] {
            let error = check_token(bad, ok).unwrap_err();
            assert_eq!(error.kind(), crate::error::ErrorKind::Auth, "{bad:?}");
            assert!(!error.to_string().contains("Injected"), "{error}");
        }
    }

    #[test]
    fn revoke_url_sits_beside_the_token_url() {
        assert_eq!(
            revoke_url("https://cloud.mongodb.com/api/oauth/token"),
            "https://cloud.mongodb.com/api/oauth/revoke"
        );
    }
}
