//! The request a call sends, exactly as it goes on the wire: every call builds one, and
//! `inspect()` shows it without sending it.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use crate::client_state::{ApiUrl, ClientState};
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
    /// What the client's pacer counts the request under (every call's request has one).
    pace_key: Option<Arc<str>>,
}

impl PreparedRequest {
    /// The request of `endpoint` at `path` (below the API root, values encoded) with `query`,
    /// its pairs in the order they are sent.
    pub(crate) fn new<'q>(
        client: &ClientState,
        endpoint: &'static Endpoint,
        path: &str,
        query: impl Iterator<Item = (&'static str, &'q str)> + Clone,
        body: Option<Bytes>,
        enveloped: bool,
    ) -> Result<Self> {
        let mut url = request_url(client, path)?;
        if query.clone().next().is_some() {
            url.query_pairs_mut().extend_pairs(query.clone());
        }
        // Path values are bounded one by one; a URL too long for any server as a whole names
        // its longest query value, the likeliest cause.
        if url.as_str().len() > MAX_URL_BYTES {
            let (parameter, value) = query
                .max_by_key(|(_, value)| value.len())
                .map_or(("path", path), |(name, value)| (name, value));
            return Err(Error::invalid_argument(
                parameter,
                value,
                Rule::MaxEncodedLength(MAX_URL_BYTES),
            ));
        }
        let mut headers = HeaderMap::with_capacity(3);
        endpoint
            .with_media_types(|accept, content_type| {
                headers.insert(ACCEPT, accept.clone());
                if body.is_some() {
                    headers.insert(CONTENT_TYPE, content_type.clone());
                }
            })
            .ok_or_else(|| {
                Error::invalid_argument(
                    "version",
                    endpoint.version,
                    Rule::WellFormed("a media type".into()),
                )
            })?;
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
            pace_key: None,
        })
    }

    /// Sends the request under the client's lock of `key` (a `serialize_by` endpoint).
    pub(crate) fn with_serial_key(mut self, key: Option<String>) -> Self {
        self.serial_key = key;
        self
    }

    /// Counts the request under `key` in the client's pacer.
    pub(crate) fn with_pace_key(mut self, key: Arc<str>) -> Self {
        self.pace_key = Some(key);
        self
    }

    /// What the client's pacer counts this request under.
    pub(crate) fn pace_key(&self) -> Option<&Arc<str>> {
        self.pace_key.as_ref()
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

/// The URL of `path` below the API root, without a query.
fn request_url(client: &ClientState, path: &str) -> Result<Url> {
    match &client.api_url {
        // Only the path is new: the scheme and host were parsed once, with the client.
        ApiUrl::Parsed { url, path: root } => {
            let mut url = url.clone();
            let mut full = String::with_capacity(root.len() + path.len());
            full.push_str(root);
            full.push_str(path);
            url.set_path(&full);
            Ok(url)
        }
        ApiUrl::Unparsed => Url::parse(&format!("{}{}", client.api_root, path)).map_err(|error| {
            Error::invalid_argument("path", path, Rule::WellFormed(error.to_string()))
        }),
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Client;

    /// Roots as the builder makes them: with and without a path, port, IPv6, an encoded
    /// character, and prefixes that keep a query or fragment (parsed whole each time).
    const ROOTS: [(&str, &str); 7] = [
        ("https://cloud.mongodb.com", "/api/atlas/v2"),
        ("http://127.0.0.1:8080/", ""),
        ("http://[::1]:9/x/", "/api"),
        ("https://example.com/a%20b", "/api/atlas/v2"),
        ("https://example.com/ä", "/v2"),
        ("http://localhost", "/api?x=1"),
        ("http://localhost", "/api#f"),
    ];

    /// A client for each root, built once (a client loads the system's certificates).
    fn clients() -> &'static [Client] {
        static CLIENTS: std::sync::OnceLock<Vec<Client>> = std::sync::OnceLock::new();
        CLIENTS.get_or_init(|| {
            ROOTS
                .iter()
                .map(|(base_url, api_prefix)| {
                    Client::builder()
                        .base_url(*base_url)
                        .api_prefix(*api_prefix)
                        .build()
                        .unwrap()
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn a_request_url_is_the_root_and_the_path_parsed_as_one(
            root in 0..ROOTS.len(),
            path in "(/[-a-zA-Z0-9._~%!$&'()*+,;=:@\\\\é]{0,12}){0,4}",
        ) {
            let state = clients()[root].state();
            let whole = Url::parse(&format!("{}{}", state.api_root, path)).unwrap();
            let built = request_url(state, &path).unwrap();
            prop_assert_eq!(built.as_str(), whole.as_str());
        }
    }

    #[test]
    fn only_roots_that_print_as_written_are_parsed_once() {
        let parsed: Vec<bool> = clients()
            .iter()
            .map(|client| matches!(client.state().api_url, ApiUrl::Parsed { .. }))
            .collect();
        assert_eq!(parsed, [true, true, true, true, true, false, false]);
    }
}
