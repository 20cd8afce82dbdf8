//! The runtime behind [`atlas-endpoints`](https://docs.rs/atlas-endpoints): the [`Client`], its
//! authentication, the one request function every endpoint goes through, the shared
//! [`Paginated`] listing and the [`Error`] type.
//!
//! Applications use it through the `atlas-endpoints` facade, which re-exports everything here
//! together with the `#[atlas_endpoint]` attribute and the declared Atlas endpoints.

//!
//! # How the crate reads
//!
//! From the bottom up, each module using only those before it (`scripts/check_layers.py`
//! checks this in CI): the defaults; wire types, patterns and the endpoint metadata a
//! declaration records; errors; path and query formatting; retry and deprecation rules;
//! authentication; the state clones of a client share; the request as it is sent; the one
//! send funnel and decoding; pages; `Call` and `Paginated`; the catalog; the client; and the
//! hidden module generated code calls.

#![warn(missing_docs)]

/// Builder methods that each set one field, with their own docs:
/// `fn name(arg: Type) => field.path = value;`, or `fn name() => field = value;` for a flag.
/// `setters!(const ...)` makes `const fn`s, for the endpoint builder.
macro_rules! setters {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty)?) => $($field:ident).+ = $value:expr;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, $($arg: $ty)?) -> Self {
            self.$($field).+ = $value;
            self
        }
    )*};
    (const $($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty)?) => $($field:ident).+ = $value:expr;)*) => {$(
        $(#[$doc])*
        pub const fn $name(mut self, $($arg: $ty)?) -> Self {
            self.$($field).+ = $value;
            self
        }
    )*};
}

mod answer;
mod auth;
mod body;
mod call;
mod catalog;
mod client;
mod client_state;
pub mod codes;
mod decode;
mod defaults;
mod deprecation;
mod endpoint;
mod error;
mod json_path;
mod pacing;
mod page;
mod page_guard;
mod paginated;
mod path;
mod pattern;
mod profile;
mod query;
mod request;
mod retry;
mod send;
mod serial;
mod types;
mod wait;
mod wait_args;

#[cfg(test)]
mod tests;

#[doc(hidden)]
pub mod private;

pub use answer::{Download, NoContent};
pub use auth::Auth;
pub use call::{Call, NoWait};
pub use catalog::catalog;
pub use client::{AtlasClient, Client, ClientBuilder};
pub use defaults::{
    DEFAULT_API_PREFIX, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_BASE_URL, DEFAULT_CALL_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_PACING,
    DEFAULT_PAGE_CONCURRENCY, DEFAULT_TOKEN_TIMEOUT, DEFAULT_VERSION,
};
pub use endpoint::{
    CommonParams, Endpoint, EndpointBuilder, HeaderParam, Method, ParamLocation, PathParam,
    QueryParam, Segment, SpecParam,
};
pub use error::{Error, ErrorKind, InvalidArgument, Report, Result, Rule, TimeoutKind};
pub use page::Page;
pub use paginated::Paginated;
pub use pattern::{Pattern, CLUSTER_NAME, OBJECT_ID};
pub use profile::{AtlasCliProfile, DEFAULT_PROFILE};
pub use query::{QueryParams, QueryValue};
pub use request::PreparedRequest;
pub use retry::{RetryBudget, RetryPolicy};
pub use types::{ApiError, BadRequestDetail, BsonTimestamp, FieldViolation, Link};
pub use wait::{Gone, Observation, Wait, WaitFor, WaitForGone};

/// The foreign types that appear in this crate's public API.
pub mod reexports {
    pub use bytes::Bytes;
    pub use futures::stream::BoxStream;
    pub use http::{HeaderMap, HeaderValue, StatusCode};
    pub use reqwest::Url;
}
