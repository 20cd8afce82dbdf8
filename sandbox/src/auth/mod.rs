//! Who a request is from: the sandbox's static bearer token, an access token
//! of a service account ([`oauth`]), or an API key over HTTP Digest
//! ([`digest`]); and the 401 that answers anyone else.

pub(crate) mod basic;
pub(crate) mod digest;
pub(crate) mod ids;
pub(crate) mod oauth;

use std::fmt;
use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};

use crate::errors::ApiError;
use digest::{DigestAlgorithm, DigestAuth};
use oauth::{OAuth, TokenStatus};

/// The `WWW-Authenticate` challenge for bearer tokens.
const BEARER_CHALLENGE: &str = "Bearer realm=\"atlas-sandbox\"";

/// A secret (private key, client secret) that `Debug` does not print.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(secret: &str) -> Self {
        Secret(secret.to_owned())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// How the sandbox authenticates, as configured on the builder.
#[derive(Debug)]
pub(crate) struct AuthConfig {
    pub token: String,
    pub digest_keys: Vec<(String, Secret)>,
    pub digest_algorithm: DigestAlgorithm,
    pub nonce_lifetime: Duration,
    pub service_accounts: Vec<(String, Secret)>,
    pub token_lifetime: Duration,
}

/// Who sent a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    /// The sandbox's static bearer token.
    StaticToken,
    /// An access token issued to this service account (client id).
    ServiceAccount(String),
    /// Digest credentials of this API key (public key).
    ApiKey(String),
}

/// Everything authentication needs, shared by the routes and the
/// [`crate::Sandbox`].
#[derive(Debug)]
pub(crate) struct Auth {
    token: String,
    /// `None` when no API key is configured: Digest is then not offered.
    digest: Option<DigestAuth>,
    pub oauth: OAuth,
}

impl Auth {
    pub(crate) fn new(config: AuthConfig) -> Self {
        let digest = (!config.digest_keys.is_empty()).then(|| {
            DigestAuth::new(
                config.digest_keys,
                config.digest_algorithm,
                config.nonce_lifetime,
            )
        });
        Auth {
            token: config.token,
            digest,
            oauth: OAuth::new(config.service_accounts, config.token_lifetime),
        }
    }

    /// The static bearer token.
    pub(crate) fn token(&self) -> &str {
        &self.token
    }

    /// Makes every Digest nonce issued so far stale.
    pub(crate) fn expire_nonces(&self) {
        if let Some(digest) = &self.digest {
            digest.expire_nonces();
        }
    }

    /// Who sent a request of `method` to `uri` with `headers`, or the 401 to
    /// answer.
    pub(crate) fn authenticate(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Result<Caller, ApiError> {
        // A value that is not UTF-8 counts as no credentials.
        let authorization = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| std::str::from_utf8(value.as_bytes()).ok());
        let Some((scheme, credentials)) = authorization.and_then(|value| value.split_once(' '))
        else {
            return Err(self.refuse(self.missing_detail(), false));
        };
        if scheme.eq_ignore_ascii_case("bearer") {
            return self.bearer(credentials);
        }
        match &self.digest {
            Some(digest) if scheme.eq_ignore_ascii_case("digest") => {
                let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
                digest
                    .verify(method.as_str(), path_and_query, credentials)
                    .map(Caller::ApiKey)
                    .map_err(|refusal| self.refuse(refusal.detail, refusal.stale))
            }
            _ => Err(self.refuse(self.missing_detail(), false)),
        }
    }

    fn bearer(&self, token: &str) -> Result<Caller, ApiError> {
        if token == self.token {
            return Ok(Caller::StaticToken);
        }
        // The token itself is never echoed.
        match self.oauth.status(token) {
            TokenStatus::Live(client_id) => Ok(Caller::ServiceAccount(client_id)),
            TokenStatus::Expired => Err(self.refuse(
                "The access token has expired: request a new one from the token endpoint.",
                false,
            )),
            TokenStatus::Revoked => Err(self.refuse(
                "The access token has been revoked: request a new one from the token endpoint.",
                false,
            )),
            TokenStatus::Unknown => Err(self.refuse(
                "The bearer token is neither the sandbox's token nor an access token it issued.",
                false,
            )),
        }
    }

    fn missing_detail(&self) -> &'static str {
        if self.digest.is_some() {
            "Authentication is required: send `Authorization: Bearer <token>` with the \
             sandbox's token or an access token, or Digest credentials of an API key."
        } else {
            "Authentication is required: send `Authorization: Bearer <token>` with the \
             sandbox's token or an access token."
        }
    }

    /// 401 with a Digest challenge carrying a fresh nonce (when API keys are
    /// configured), then the bearer challenge.
    fn refuse(&self, detail: &str, stale: bool) -> ApiError {
        let mut error = ApiError::unauthorized(detail.to_owned());
        if let Some(digest) = &self.digest {
            if let Ok(value) = HeaderValue::from_str(&digest.challenge(stale)) {
                error = error.with_header(header::WWW_AUTHENTICATE, value);
            }
        }
        error.with_header(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(BEARER_CHALLENGE),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(digest_keys: Vec<(String, Secret)>) -> Auth {
        Auth::new(AuthConfig {
            token: "static".to_owned(),
            digest_keys,
            digest_algorithm: DigestAlgorithm::Md5,
            nonce_lifetime: Duration::from_secs(300),
            service_accounts: Vec::new(),
            token_lifetime: Duration::from_secs(3600),
        })
    }

    fn challenges(error: &ApiError) -> Vec<String> {
        error
            .headers
            .iter()
            .filter(|(name, _)| name == header::WWW_AUTHENTICATE)
            .map(|(_, value)| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect()
    }

    /// Headers with `authorization` as their `Authorization` (none when it is
    /// not a valid header value); the schemes' tests use it too.
    pub(super) fn headers(authorization: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(authorization) {
            headers.insert(header::AUTHORIZATION, value);
        }
        headers
    }

    #[test]
    fn accepts_the_static_token_only_as_sent() {
        let auth = auth(Vec::new());
        let uri = Uri::from_static("/x");
        let check = |value: &[u8]| auth.authenticate(&Method::GET, &uri, &headers(value));
        assert_eq!(check(b"Bearer static").ok(), Some(Caller::StaticToken));
        assert_eq!(check(b"bEaReR static").ok(), Some(Caller::StaticToken));
        for refused in [
            &b"Bearer  static"[..],
            b"Bearer other",
            b"static",
            b"\xffBearer",
        ] {
            let error = check(refused).err();
            assert_eq!(error.as_ref().map(|e| e.error), Some(401));
            assert_eq!(
                error.as_ref().map(challenges),
                Some(vec![BEARER_CHALLENGE.to_owned()])
            );
        }
        // No Digest without API keys.
        assert!(check(b"Digest username=\"x\"").is_err());
    }

    #[test]
    fn challenges_with_digest_first_when_keys_exist() {
        let auth = auth(vec![("pub".to_owned(), Secret::new("priv"))]);
        let uri = Uri::from_static("/x");
        let values: [&[u8]; 5] = [
            b"",
            b"Digest",
            b"Digest ,,=",
            b"Digest username=\"pub\"",
            b"Basic x",
        ];
        for value in values {
            let error = auth.authenticate(&Method::GET, &uri, &headers(value)).err();
            let found = error.as_ref().map(challenges).unwrap_or_default();
            assert_eq!(found.len(), 2, "{value:?}");
            assert!(found[0].starts_with("Digest realm=\"MMS Public API\", domain=\"\", nonce=\""));
            assert!(found[0].ends_with(", algorithm=MD5, qop=\"auth\", stale=false"));
            assert_eq!(found[1], BEARER_CHALLENGE);
        }
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let auth = auth(vec![("pub".to_owned(), Secret::new("very-private"))]);
        let debug = format!("{auth:?}");
        assert!(debug.contains("pub"));
        assert!(!debug.contains("very-private"));
    }
}
