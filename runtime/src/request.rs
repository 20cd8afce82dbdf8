//! The request a call sends, exactly as it goes on the wire: every call builds one, and
//! `inspect()` shows it without sending it.

use std::fmt;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use crate::client_state::ClientState;
use crate::defaults::MAX_URL_BYTES;
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
    /// Whether the query asks for `envelope=true`, so the answer is unwrapped before decoding.
    enveloped: bool,
    /// The client lock the request is sent under, for a `serialize_by` endpoint.
    serial_key: Option<String>,
    /// What the client's pacer counts the request under.
    pace_key: String,
}

impl PreparedRequest {
    pub(crate) fn new(
        client: &ClientState,
        endpoint: &'static Endpoint,
        path: &str,
        query: &[(&'static str, String)],
        body: Option<Bytes>,
        enveloped: bool,
    ) -> Result<Self> {
        let mut url = Url::parse(&format!("{}{}", client.api_root, path)).map_err(|error| {
            Error::invalid_argument("path", path, Rule::WellFormed(error.to_string()))
        })?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(name, value)| (*name, value.as_str())));
        }
        // Path values are bounded one by one; a URL too long for any server as a whole names
        // its longest query value, the likeliest cause.
        if url.as_str().len() > MAX_URL_BYTES {
            let (parameter, value) = query
                .iter()
                .max_by_key(|(_, value)| value.len())
                .map_or(("path", path), |(name, value)| (*name, value.as_str()));
            return Err(Error::invalid_argument(
                parameter,
                value,
                Rule::MaxEncodedLength(MAX_URL_BYTES),
            ));
        }
        let media_type = HeaderValue::try_from(endpoint.media_type()).map_err(|_| {
            Error::invalid_argument(
                "version",
                endpoint.version,
                Rule::WellFormed("a media type".into()),
            )
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, accept_header(endpoint)?);
        if body.is_some() {
            headers.insert(CONTENT_TYPE, media_type);
        }
        // An operation without authentication (`security: []`) shows no credentials either.
        if let Some(redacted) = client
            .auth
            .redacted_authorization()
            .filter(|_| !endpoint.unauthenticated)
        {
            headers.insert(AUTHORIZATION, redacted);
        }
        Ok(PreparedRequest {
            method: endpoint.method,
            url,
            headers,
            body,
            enveloped,
            serial_key: None,
            pace_key: String::new(),
        })
    }

    /// Sends the request under the client's lock of `key` (a `serialize_by` endpoint).
    pub(crate) fn with_serial_key(mut self, key: Option<String>) -> Self {
        self.serial_key = key;
        self
    }

    /// Counts the request under `key` in the client's pacer.
    pub(crate) fn with_pace_key(mut self, key: String) -> Self {
        self.pace_key = key;
        self
    }

    /// What the client's pacer counts this request under.
    pub(crate) fn pace_key(&self) -> &str {
        &self.pace_key
    }

    /// The client lock this request is sent under, if any.
    pub(crate) fn serial_key(&self) -> Option<&str> {
        self.serial_key.as_deref()
    }

    /// Adds the `#[header]` values; a name given twice (a list) is sent once per value.
    pub(crate) fn with_headers(mut self, extra: &[(HeaderName, HeaderValue)]) -> Self {
        for (name, value) in extra {
            self.headers.append(name.clone(), value.clone());
        }
        self
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

    pub(crate) fn is_enveloped(&self) -> bool {
        self.enveloped
    }
}

/// `Accept`: the JSON media type, or that of a download (`format = "gzip"`).
fn accept_header(endpoint: &Endpoint) -> Result<HeaderValue> {
    HeaderValue::try_from(endpoint.accept()).map_err(|_| {
        Error::invalid_argument(
            "version",
            endpoint.version,
            Rule::WellFormed("a media type".into()),
        )
    })
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
