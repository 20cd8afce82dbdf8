//! HTTP Digest (RFC 7616) with Atlas programmatic API keys.

use std::sync::Mutex;

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use http::header::WWW_AUTHENTICATE;
use http::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::{sensitive_header, RequestContext};
use crate::error::{Error, Result};

/// An API key and the server's latest challenge, whose nonce is reused with a rising `nc`
/// so that steady-state calls need no extra round trip.
pub(super) struct DigestKey {
    public_key: String,
    private_key: SecretString,
    challenge: Mutex<Option<WwwAuthenticateHeader>>,
}

impl DigestKey {
    pub(super) fn new(public_key: String, private_key: SecretString) -> Self {
        DigestKey {
            public_key,
            private_key,
            challenge: Mutex::new(None),
        }
    }

    pub(super) fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The answer to the current challenge for this request; `None` before the first one.
    pub(super) fn authorize(&self, request: &RequestContext<'_>) -> Result<Option<HeaderValue>> {
        // A poisoned lock only means another call panicked mid-update; the challenge inside is
        // still a parsed header, and at worst the server asks for a fresh one.
        let mut challenge = self
            .challenge
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(challenge) = challenge.as_mut() else {
            return Ok(None);
        };
        let context = AuthContext::new_with_method(
            self.public_key.as_str(),
            self.private_key.expose_secret(),
            request.target,
            request.body,
            HttpMethod::from(request.method.as_str()),
        );
        let answer = challenge.respond(&context).map_err(|error| {
            Error::auth(
                format!("could not answer the digest challenge: {error}"),
                None,
            )
        })?;
        sensitive_header(answer.to_header_string(), "digest authorization").map(Some)
    }

    /// Keeps the challenge of a `401` answer; returns whether there was one to answer.
    pub(super) fn take_challenge(&self, headers: &HeaderMap) -> bool {
        let challenge = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter(|value| value.trim_start().starts_with("Digest"))
            .find_map(|value| WwwAuthenticateHeader::parse(value).ok());
        match challenge {
            Some(challenge) => {
                *self
                    .challenge
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(challenge);
                true
            }
            None => false,
        }
    }
}
