//! A prepared call of one endpoint, and `Call<T>`, what non-paginated endpoints return.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::Client;
use crate::endpoint::Endpoint;
use crate::error::{Error, InvalidArgument, Result, Rule};
use crate::inspect::PreparedRequest;
use crate::path::format_path;
use crate::query::{CommonQuery, PageQuery, QueryPairs, QueryValue};

/// One endpoint with its arguments, validated but not yet sent.
///
/// A validation failure is kept here and reported when the call is awaited or inspected, so
/// that the generated methods can return their builder directly and nothing is ever sent.
#[doc(hidden)]
pub struct EndpointCall {
    client: Client,
    endpoint: &'static Endpoint,
    path: std::result::Result<String, InvalidArgument>,
    query: QueryPairs,
    body: Option<Bytes>,
    body_error: Option<InvalidArgument>,
    pub(crate) common: CommonQuery,
}

impl EndpointCall {
    pub(crate) fn new<B: Serialize + ?Sized>(
        client: &Client,
        endpoint: &'static Endpoint,
        path: &[&str],
        query: &[&dyn QueryValue],
        body: Option<&B>,
    ) -> Self {
        let mut pairs = QueryPairs::with_capacity(query.len() + 5);
        for (param, value) in endpoint.query_params.iter().zip(query) {
            value.append_query(param.wire_name, &mut pairs);
        }
        let (body, body_error) = match body.map(serde_json::to_vec) {
            None => (None, None),
            Some(Ok(bytes)) => (Some(Bytes::from(bytes)), None),
            Some(Err(error)) => (
                None,
                Some(InvalidArgument {
                    parameter: "body".into(),
                    value: String::new(),
                    rule: Rule::Serializable(error.to_string()),
                }),
            ),
        };
        EndpointCall {
            client: client.clone(),
            endpoint,
            path: format_path(endpoint, path),
            query: pairs,
            body,
            body_error,
            common: CommonQuery::default(),
        }
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The request this call sends, with paging parameters when it lists; fails, without
    /// sending anything, when an argument broke a rule.
    pub(crate) fn prepare(&self, page: Option<&PageQuery>) -> Result<PreparedRequest> {
        let invalid =
            |invalid: &InvalidArgument| Error::from(invalid.clone()).with_endpoint(self.endpoint);
        let path = self.path.as_ref().map_err(invalid)?;
        if let Some(error) = &self.body_error {
            return Err(invalid(error));
        }
        let mut query = self.query.clone();
        if let Some(page) = page {
            page.validate().map_err(|e| invalid(&e))?;
            page.append_to(&mut query);
        }
        self.common.append_to(&mut query);
        PreparedRequest::new(&self.client, self.endpoint, path, &query, self.body.clone())
            .map_err(|error| error.with_endpoint(self.endpoint))
    }
}

impl fmt::Debug for EndpointCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointCall")
            .field("endpoint", &self.endpoint.rust_name)
            .field("path", &self.path)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

mod sealed {
    pub trait Sealed {}
}

/// What a generated endpoint method can return: [`Call`] or [`Paginated`](crate::Paginated).
#[doc(hidden)]
pub trait FromEndpointCall: sealed::Sealed + Sized {
    fn from_endpoint_call(call: EndpointCall) -> Self;
}

/// A call of an endpoint that answers with one `T`; await it to send it.
///
/// Returned by every non-paginated endpoint method. Set the common query parameters before
/// awaiting, or [`inspect`](Call::inspect) the request without sending it.
///
/// ```no_run
/// # use atlas_endpoints_runtime::{Call, Result};
/// # async fn run(call: Call<serde_json::Value>) -> Result<()> {
/// let value = call.pretty(true).await?;
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T> {
    call: EndpointCall,
    output: PhantomData<fn() -> T>,
}

impl<T> sealed::Sealed for Call<T> {}

impl<T> FromEndpointCall for Call<T> {
    fn from_endpoint_call(call: EndpointCall) -> Self {
        Call {
            call,
            output: PhantomData,
        }
    }
}

impl<T> Call<T> {
    /// Asks Atlas to wrap the response in an envelope (`envelope=true`); the wrapper is
    /// removed again before decoding, so the result is the same.
    pub fn envelope(mut self, envelope: bool) -> Self {
        self.call.common.envelope = Some(envelope);
        self
    }

    /// Asks Atlas for a pretty-printed body (`pretty=true`).
    pub fn pretty(mut self, pretty: bool) -> Self {
        self.call.common.pretty = Some(pretty);
        self
    }

    /// The endpoint this call belongs to.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.call.endpoint()
    }

    /// The request as it would be sent (credentials redacted), without sending it.
    pub fn inspect(&self) -> Result<PreparedRequest> {
        self.call.prepare(None)
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// Sends the request and decodes the answer; the same as awaiting the call.
    pub async fn send(self) -> Result<T> {
        let request = self.call.prepare(None)?;
        let response = crate::send::send(self.call.client(), self.call.endpoint(), request).await?;
        crate::decode::decode_json(self.call.endpoint(), &response)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Call").field(&self.call).finish()
    }
}

pub(crate) use sealed::Sealed;
