//! Atlas service accounts: OAuth 2.0 client credentials with a cached, renewed access token.

use std::time::Duration;

use http::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use http::HeaderValue;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{bearer_header, RequestContext};
use crate::error::{Error, Result};

/// Renew this long before the token expires, at most; Atlas tokens live an hour.
const RENEWAL_MARGIN: Duration = Duration::from_secs(60);

pub(super) struct ServiceAccount {
    client_id: String,
    client_secret: SecretString,
    /// The cached token. The lock is held while a token is fetched, so concurrent calls wait
    /// for that one request instead of each sending their own (Atlas allows 10 a minute).
    token: Mutex<Option<CachedToken>>,
}

struct CachedToken {
    access_token: SecretString,
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
        }
    }

    pub(super) fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `Bearer <token>` with a token that is fresh for a while yet, fetching one if needed.
    pub(super) async fn authorize(&self, request: &RequestContext<'_>) -> Result<HeaderValue> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return bearer_header(&token.access_token);
        }
        *cached = None;
        let token = self.fetch(request).await?;
        let header = bearer_header(&token.access_token);
        *cached = Some(token);
        header
    }

    /// Drops the cached token if it is the one a refused request carried, so the next
    /// authorization fetches a new one; a token renewed meanwhile by another call is kept.
    pub(super) async fn forget_token(&self, sent: Option<&HeaderValue>) {
        let mut cached = self.token.lock().await;
        let was_sent = match (cached.as_ref(), sent) {
            (Some(token), Some(sent)) => {
                bearer_header(&token.access_token).is_ok_and(|header| header == *sent)
            }
            (Some(_), None) => true,
            (None, _) => false,
        };
        if was_sent {
            *cached = None;
        }
    }

    /// Revokes the cached token, if there is one; returns whether one was revoked.
    pub(super) async fn revoke(&self, request: &RequestContext<'_>) -> Result<bool> {
        let mut cached = self.token.lock().await;
        let Some(token) = cached.take() else {
            return Ok(false);
        };
        let body = format!(
            "token={}&token_type_hint=access_token",
            utf8_percent_encode(token.access_token.expose_secret(), NON_ALPHANUMERIC)
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
        let body = response.bytes().await.map_err(Error::transport)?;
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
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        // Renew a minute early, or a quarter of the lifetime early for short-lived tokens.
        let margin = RENEWAL_MARGIN.min(lifetime / 4);
        Ok(CachedToken {
            access_token: SecretString::from(token.access_token),
            renew_at: Instant::now() + lifetime.saturating_sub(margin),
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
            .send()
            .await
            .map_err(|error| Error::transport(error.without_url()))
    }

    /// A clear error from a refused token or revoke request; OAuth errors name their cause.
    async fn failure(&self, what: &str, response: reqwest::Response) -> Error {
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.unwrap_or_default();
        let mut message = format!(
            "{what} for service account {:?} failed with {status}",
            self.client_id
        );
        if let Ok(oauth) = serde_json::from_slice::<OAuthError>(&body) {
            if let Some(error) = oauth.error {
                message.push_str(&format!(": {error}"));
            }
            if let Some(description) = oauth.error_description {
                message.push_str(&format!(" ({description})"));
            }
        }
        if let Some(retry_after) = retry_after {
            message.push_str(&format!("; retry after {retry_after} s"));
        }
        Error::auth(message, Some(status))
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
    fn revoke_url_sits_beside_the_token_url() {
        assert_eq!(
            revoke_url("https://cloud.mongodb.com/api/oauth/token"),
            "https://cloud.mongodb.com/api/oauth/revoke"
        );
    }
}
