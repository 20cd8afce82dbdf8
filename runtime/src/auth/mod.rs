//! How requests prove who sends them: a static token, digest API keys, or a service account.

mod digest;
mod service_account;

use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::endpoint::Method;
use crate::error::{Error, Result, Rule};

use digest::DigestKey;
use service_account::ServiceAccount;

/// The credentials a [`Client`](crate::Client) sends with every request.
///
/// Atlas accepts three schemes, all handled here so that callers never think about tokens:
///
/// - [`Auth::bearer`]: an access token you already have.
/// - [`Auth::digest`]: a programmatic API key, answered with HTTP Digest (RFC 7616). The
///   server's nonce is kept and `nc` counted up, so after the first call each call costs one
///   round trip.
/// - [`Auth::service_account`]: OAuth 2.0 client credentials. The access token is fetched on
///   first use, cached, renewed before it expires and shared by every clone of the client;
///   concurrent calls share one token request.
///
/// Secrets are held in [`SecretString`]s, zeroed on drop, and never shown by `Debug`,
/// errors or [`PreparedRequest`](crate::PreparedRequest).
///
/// ```
/// use atlas_endpoints_runtime::Auth;
///
/// let auth = Auth::digest("public-key", "private-key");
/// assert_eq!(format!("{auth:?}"), "Auth::Digest { public_key: \"public-key\", private_key: <redacted> }");
/// ```
#[derive(Clone, Default)]
pub struct Auth {
    scheme: Scheme,
}

#[derive(Clone, Default)]
enum Scheme {
    #[default]
    None,
    Bearer(AccessToken),
    Digest(Arc<DigestKey>),
    ServiceAccount(Arc<ServiceAccount>),
}

/// An access token, with the `Authorization` value every request sends: made once, with the
/// token, rather than for each attempt.
#[derive(Clone)]
pub(crate) struct AccessToken {
    secret: SecretString,
    /// `Bearer <token>`, marked sensitive; `None` for a token no header can carry (the client
    /// builder and the token request refuse such a token before it is used).
    header: Option<HeaderValue>,
}

impl AccessToken {
    pub(crate) fn new(secret: SecretString) -> Self {
        let header = bearer_header(&secret).ok();
        AccessToken { secret, header }
    }

    pub(crate) fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// The `Authorization` value; the error of a token no header can carry.
    pub(crate) fn header(&self) -> Result<HeaderValue> {
        match &self.header {
            Some(header) => Ok(header.clone()),
            None => bearer_header(&self.secret),
        }
    }
}

/// What to do after a `401`.
pub(crate) enum Reauthorize {
    /// Nothing: the `401` is the caller's answer.
    No,
    /// Send the request again, authorized as usual (the token was renewed).
    Again,
    /// Send the request again with this header, the answer to the `401`'s own challenge;
    /// [`Auth::accepted`] keeps the challenge once the server took the answer.
    With(HeaderValue, Challenge),
}

/// A digest challenge answered for one request, not yet shared with the others.
pub(crate) struct Challenge(digest_auth::WwwAuthenticateHeader);

/// What the auth schemes need to know about the request being sent.
pub(crate) struct RequestContext<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) method: Method,
    /// The URL of the request; `None` for a request of the auth scheme's own (a revocation).
    pub(crate) url: Option<&'a reqwest::Url>,
    pub(crate) body: Option<&'a [u8]>,
    /// Where service accounts get their tokens.
    pub(crate) token_url: &'a str,
    /// The bound of a token or revocation request.
    pub(crate) token_timeout: std::time::Duration,
    /// The connection pool's connect timeout, to name it when it passes.
    pub(crate) connect_timeout: Option<std::time::Duration>,
}

impl RequestContext<'_> {
    /// The request target as sent, path and query: what a digest answer signs. Made only
    /// for that, as it is a new string.
    pub(crate) fn target(&self) -> String {
        let Some(url) = self.url else {
            return String::new();
        };
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }
}

impl Auth {
    /// No credentials: Atlas answers `401 Unauthorized` to every call.
    pub fn none() -> Self {
        Auth::default()
    }

    /// An OAuth access token, sent as `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth {
            scheme: Scheme::Bearer(AccessToken::new(SecretString::from(token.into()))),
        }
    }

    /// A programmatic API key: the public key is the digest user name, the private key its
    /// password.
    pub fn digest(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Auth {
            scheme: Scheme::Digest(Arc::new(DigestKey::new(
                public_key.into(),
                SecretString::from(private_key.into()),
            ))),
        }
    }

    /// A service account's client id and secret, exchanged for access tokens at the token URL
    /// (`{base URL}/api/oauth/token` unless the builder sets
    /// [`token_url`](crate::ClientBuilder::token_url)).
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Auth {
            scheme: Scheme::ServiceAccount(Arc::new(ServiceAccount::new(
                client_id.into(),
                SecretString::from(client_secret.into()),
            ))),
        }
    }

    /// Whether these credentials send anything.
    pub fn is_none(&self) -> bool {
        matches!(self.scheme, Scheme::None)
    }

    /// Refuses, when the client is built, credentials that could never be sent: a bearer token
    /// that is empty or has spaces or control characters (a pasted line break).
    pub(crate) fn check(&self) -> Result<()> {
        match &self.scheme {
            Scheme::Bearer(bearer) => {
                let token = bearer.secret().expose_secret();
                if token.is_empty() || !token.bytes().all(|byte| byte.is_ascii_graphic()) {
                    return Err(Error::config(
                        "the bearer token is empty or has spaces, line breaks or other control \
                         characters (a trailing newline, often); a token is visible ASCII only",
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The `Authorization` header for one request, or `None` when there is nothing to send
    /// yet (no credentials, or digest before the server's first challenge).
    pub(crate) async fn authorize(
        &self,
        request: &RequestContext<'_>,
    ) -> Result<Option<HeaderValue>> {
        match &self.scheme {
            Scheme::None => Ok(None),
            Scheme::Bearer(bearer) => bearer.header().map(Some),
            Scheme::Digest(key) => key.authorize(request),
            Scheme::ServiceAccount(account) => account.authorize(request).await.map(Some),
        }
    }

    /// Called when the server answered `401` to a request sent with `sent`: whether, and how,
    /// to send it once more (the answer to a new digest challenge, a renewed token). A digest
    /// challenge that cannot be answered is an error saying why.
    pub(crate) async fn after_unauthorized(
        &self,
        request: &RequestContext<'_>,
        response_headers: &HeaderMap,
        sent: Option<&HeaderValue>,
    ) -> Result<Reauthorize> {
        match &self.scheme {
            Scheme::None | Scheme::Bearer(_) => Ok(Reauthorize::No),
            Scheme::Digest(key) => Ok(match key.answer_challenge(response_headers, request)? {
                Some((header, challenge)) => Reauthorize::With(header, Challenge(challenge)),
                None => Reauthorize::No,
            }),
            Scheme::ServiceAccount(account) => Ok(
                match account.after_unauthorized(sent, response_headers).await {
                    true => Reauthorize::Again,
                    false => Reauthorize::No,
                },
            ),
        }
    }

    /// The server accepted the answer to `challenge`: later requests answer it too (with a
    /// rising `nc`) instead of waiting for a challenge of their own.
    pub(crate) fn accepted(&self, challenge: Challenge) {
        if let Scheme::Digest(key) = &self.scheme {
            key.keep(challenge.0);
        }
    }

    /// Revokes the cached access token of a service account; see
    /// [`Client::revoke_token`](crate::Client::revoke_token).
    pub(crate) async fn revoke(&self, request: &RequestContext<'_>) -> Result<bool> {
        match &self.scheme {
            Scheme::ServiceAccount(account) => account.revoke(request).await,
            _ => Err(Error::config(
                "only service accounts have access tokens to revoke",
            )),
        }
    }

    /// The `Authorization` header as request inspection shows it: the scheme only.
    pub(crate) fn redacted_authorization(&self) -> Option<HeaderValue> {
        match self.scheme {
            Scheme::None => None,
            Scheme::Bearer(_) | Scheme::ServiceAccount(_) => {
                Some(HeaderValue::from_static("Bearer <redacted>"))
            }
            Scheme::Digest(_) => Some(HeaderValue::from_static("Digest <redacted>")),
        }
    }
}

/// `Bearer <token>`, marked sensitive so that HTTP tooling hides it.
fn bearer_header(token: &SecretString) -> Result<HeaderValue> {
    sensitive_header(format!("Bearer {}", token.expose_secret()), "access token")
}

/// A header value that carries a secret; the error never repeats the value.
fn sensitive_header(value: String, what: &'static str) -> Result<HeaderValue> {
    let mut header = HeaderValue::try_from(value).map_err(|_| {
        Error::invalid_argument(
            what,
            "<redacted>",
            Rule::WellFormed("visible ASCII only".into()),
        )
    })?;
    header.set_sensitive(true);
    Ok(header)
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scheme {
            Scheme::None => f.write_str("Auth::None"),
            Scheme::Bearer(_) => f.write_str("Auth::Bearer(<redacted>)"),
            Scheme::Digest(key) => write!(
                f,
                "Auth::Digest {{ public_key: {:?}, private_key: <redacted> }}",
                key.public_key()
            ),
            Scheme::ServiceAccount(account) => write!(
                f,
                "Auth::ServiceAccount {{ client_id: {:?}, client_secret: <redacted> }}",
                account.client_id()
            ),
        }
    }
}
