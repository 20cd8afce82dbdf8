//! A request as it will be sent, for tests and dry runs.

use std::fmt;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue};
use reqwest::Url;

use crate::client::Client;
use crate::endpoint::{Endpoint, Method};
use crate::error::{Error, Result, Rule};

/// The request a call sends: method, URL, headers and body.
///
/// [`Call::inspect`](crate::Call::inspect) and
/// [`Paginated::inspect`](crate::Paginated::inspect) return it without sending anything; its
/// `Authorization` header shows the scheme only, never the credentials.
///
/// ```
/// # use atlas_endpoints_runtime::{Call, Result};
/// # fn show(call: Call<serde_json::Value>) -> Result<()> {
/// let request = call.inspect()?;
/// println!("{request}");   // GET https://cloud.mongodb.com/api/atlas/v2/...
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PreparedRequest {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl PreparedRequest {
    pub(crate) fn new(
        client: &Client,
        endpoint: &'static Endpoint,
        path: &str,
        query: &[(&'static str, String)],
        body: Option<Bytes>,
    ) -> Result<Self> {
        let inner = client.inner();
        let mut url = Url::parse(&format!("{}{}", inner.api_root, path)).map_err(|error| {
            Error::invalid_argument("path", path, Rule::WellFormed(error.to_string()))
        })?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(name, value)| (*name, value.as_str())));
        }
        let media_type = HeaderValue::try_from(endpoint.media_type()).map_err(|_| {
            Error::invalid_argument(
                "version",
                endpoint.version,
                Rule::WellFormed("a media type".into()),
            )
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, media_type.clone());
        if body.is_some() {
            headers.insert(CONTENT_TYPE, media_type);
        }
        if let Some(redacted) = inner.auth.redacted_authorization() {
            headers.insert(AUTHORIZATION, redacted);
        }
        Ok(PreparedRequest {
            method: endpoint.method,
            url,
            headers,
            body,
        })
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The full URL, with the query.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The headers; `Authorization` is redacted.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The JSON body, for endpoints that take one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    pub(crate) fn body_bytes(&self) -> Option<&Bytes> {
        self.body.as_ref()
    }
}

impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            write!(f, "\n{name}: {}", value.to_str().unwrap_or("<binary>"))?;
        }
        if let Some(body) = &self.body {
            write!(f, "\n\n{}", String::from_utf8_lossy(body))?;
        }
        Ok(())
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &self.headers)
            .field("body", &self.body.as_deref().map(String::from_utf8_lossy))
            .finish()
    }
}
