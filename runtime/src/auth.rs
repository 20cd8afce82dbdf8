//! How requests prove who sends them.

use std::fmt;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result, Rule};

/// The credentials a [`Client`](crate::Client) sends with every request.
///
/// The secret is held in a [`SecretString`], zeroed on drop, and never shown by `Debug`,
/// errors or [`PreparedRequest`](crate::PreparedRequest).
///
/// ```
/// use atlas_endpoints_runtime::Auth;
///
/// let auth = Auth::bearer("my-access-token");
/// assert_eq!(format!("{auth:?}"), "Auth::Bearer(<redacted>)");
/// ```
#[derive(Clone, Default)]
pub struct Auth {
    scheme: Scheme,
}

#[derive(Clone, Default)]
enum Scheme {
    #[default]
    None,
    Bearer(SecretString),
}

impl Auth {
    /// No credentials: Atlas answers `401 Unauthorized` to every call.
    pub fn none() -> Self {
        Auth::default()
    }

    /// An OAuth access token, sent as `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth {
            scheme: Scheme::Bearer(SecretString::from(token.into())),
        }
    }

    /// Whether these credentials send anything.
    pub fn is_none(&self) -> bool {
        matches!(self.scheme, Scheme::None)
    }

    /// The `Authorization` header to send, marked sensitive so that HTTP tooling hides it.
    pub(crate) fn authorization(&self) -> Result<Option<HeaderValue>> {
        match &self.scheme {
            Scheme::None => Ok(None),
            Scheme::Bearer(token) => {
                let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
                    .map_err(
                        // The token is deliberately left out of the error.
                        |_| {
                            Error::invalid_argument(
                                "access token",
                                "<redacted>",
                                Rule::WellFormed("visible ASCII only".into()),
                            )
                        },
                    )?;
                value.set_sensitive(true);
                Ok(Some(value))
            }
        }
    }

    /// The `Authorization` header as request inspection shows it: scheme only.
    pub(crate) fn redacted_authorization(&self) -> Option<HeaderValue> {
        match self.scheme {
            Scheme::None => None,
            Scheme::Bearer(_) => Some(HeaderValue::from_static("Bearer <redacted>")),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Scheme::None => f.write_str("Auth::None"),
            Scheme::Bearer(_) => f.write_str("Auth::Bearer(<redacted>)"),
        }
    }
}
