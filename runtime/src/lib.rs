//! The runtime behind [`atlas-endpoints`](https://docs.rs/atlas-endpoints): the [`Client`], its
//! authentication, the one request function every endpoint goes through, the shared
//! [`Paginated`] listing and the [`Error`] type.
//!
//! Applications use it through the `atlas-endpoints` facade, which re-exports everything here
//! together with the `#[atlas_endpoint]` attribute and the declared Atlas endpoints.

#![warn(missing_docs)]

mod auth;
mod call;
mod catalog;
mod client;
mod decode;
mod deprecation;
mod endpoint;
mod error;
mod inspect;
mod page;
mod page_guard;
mod paginated;
mod path;
mod pattern;
mod query;
mod retry;
mod send;
mod types;

#[cfg(test)]
mod tests;

#[doc(hidden)]
pub mod private;

pub use auth::Auth;
pub use call::Call;
pub use catalog::catalog;
pub use client::{AtlasClient, Client, ClientBuilder, DEFAULT_API_PREFIX, DEFAULT_BASE_URL};
pub use endpoint::{
    CommonParams, Endpoint, Method, ParamLocation, PathParam, QueryParam, Segment, SpecParam,
};
pub use error::{Error, ErrorKind, InvalidArgument, Result, Rule};
pub use inspect::PreparedRequest;
pub use page::Page;
pub use paginated::{Paginated, DEFAULT_MAX_PAGES, DEFAULT_PAGE_CONCURRENCY};
pub use pattern::{Pattern, CLUSTER_NAME, OBJECT_ID};
pub use query::QueryValue;
pub use retry::RetryPolicy;
pub use types::{ApiError, BadRequestDetail, BsonTimestamp, FieldViolation, Link};

/// The foreign types that appear in this crate's public API.
pub mod reexports {
    pub use bytes::Bytes;
    pub use futures::stream::BoxStream;
    pub use http::{HeaderMap, HeaderValue, StatusCode};
    pub use reqwest::Url;
}
