//! HTTP Digest (RFC 7616) with Atlas programmatic API keys.

use std::sync::Mutex;

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use http::header::WWW_AUTHENTICATE;
use http::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::{sensitive_header, RequestContext};
use crate::error::{printable, Error, Result};

/// An API key and the server's latest challenge, whose nonce is reused with a rising `nc`
/// so that steady-state calls need no extra round trip.
///
/// A `401` with a fresh challenge is answered with *that* challenge, for that request, and the
/// challenge is kept for the requests that follow only once that answer has been accepted: a
/// server that issues one-time nonces (RFC 7616 allows them) then sees each nonce answered by
/// the request it was issued to, even among concurrent requests, where a shared latest
/// challenge let another request use (and so spend) the nonce first.
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
        self.respond(challenge, request).map(Some)
    }

    fn respond(
        &self,
        challenge: &mut WwwAuthenticateHeader,
        request: &RequestContext<'_>,
    ) -> Result<HeaderValue> {
        let context = AuthContext::new_with_method(
            self.public_key.as_str(),
            self.private_key.expose_secret(),
            request.target(),
            request.body,
            HttpMethod::from(request.method.as_str()),
        );
        let answer = challenge.respond(&context).map_err(|error| {
            Error::auth(
                format!(
                    "could not answer the digest challenge: {}",
                    printable(&error.to_string())
                ),
                None,
            )
        })?;
        sensitive_header(answer.to_header_string(), "digest authorization")
    }

    /// After a `401`: the answer to its own digest challenge for this request, and the
    /// challenge to [`keep`](DigestKey::keep) once the answer is accepted; `None` when it
    /// carries no digest challenge (the `401` is then the caller's answer). A challenge that
    /// cannot be answered (no nonce, an algorithm this client does not have) is an error
    /// saying so.
    pub(super) fn answer_challenge(
        &self,
        headers: &HeaderMap,
        request: &RequestContext<'_>,
    ) -> Result<Option<(HeaderValue, WwwAuthenticateHeader)>> {
        let mut refused = None;
        let offered = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter(|value| {
                value
                    .trim_start()
                    .get(..6)
                    .is_some_and(|scheme| scheme.eq_ignore_ascii_case("digest"))
            });
        for value in offered {
            match WwwAuthenticateHeader::parse(value) {
                Ok(mut challenge) => {
                    let header = self.respond(&mut challenge, request)?;
                    return Ok(Some((header, challenge)));
                }
                Err(error) => {
                    refused.get_or_insert(error);
                }
            }
        }
        match refused {
            None => Ok(None),
            Some(error) => Err(Error::auth(
                unanswerable(&error),
                Some(http::StatusCode::UNAUTHORIZED),
            )),
        }
    }
}

impl DigestKey {
    /// Keeps a challenge whose answer the server accepted, for the requests that follow.
    pub(super) fn keep(&self, challenge: WwwAuthenticateHeader) {
        *self
            .challenge
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(challenge);
    }
}

/// Why a digest challenge cannot be answered, in words; the server's text escaped.
fn unanswerable(error: &digest_auth::Error) -> String {
    match error {
        digest_auth::Error::MissingRequired(what, _) => {
            format!("the server's digest challenge has no {what}, so it cannot be answered")
        }
        digest_auth::Error::UnknownAlgorithm(algorithm) => format!(
            "the server's digest challenge asks for algorithm {:?}, which this client does not \
             support (MD5, SHA-256 and SHA-512-256, and their -sess forms, are)",
            printable(algorithm)
        ),
        other => format!(
            "the server's digest challenge could not be read: {}",
            printable(&other.to_string())
        ),
    }
}
