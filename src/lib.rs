//! Call the MongoDB Atlas Administration API through endpoints declared with one attribute.
//!
//! ```no_run
//! use atlas_endpoints::prelude::*;
//! use futures::TryStreamExt;
//!
//! # async fn run() -> atlas_endpoints::Result<()> {
//! let client = Client::from_env()?;
//! let jobs: Vec<_> = client
//!     .list_flex_restore_jobs("32b6e34b3d91647abb20e7b8", "my-flex-cluster")
//!     .items_per_page(200)
//!     .items()
//!     .try_collect()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Every operation of the Atlas Administration API is a method of a trait, one trait per tag
//! of the spec ([`api`]), with typed [`models`]. Each tag is a Cargo feature (`clusters`,
//! `cloud-backups`, ...; `full` for all); the default features are the backup tags
//! `cloud-backups`, `flex-restore-jobs` and `flex-snapshots`.
//! [`prelude`] brings the client and every enabled trait into scope.
//!
//! Every endpoint is declared with [`atlas_endpoint`] and implemented for
//! [`Client`]. Library authors declare more endpoints the same way, in their own crates:
//!
//! ```no_run
//! use atlas_endpoints::{atlas_endpoint, Call, Client};
//!
//! pub trait Projects {
//!     /// Return one project.
//!     #[atlas_endpoint(GET, "/groups/<group_id>", operation_id = "getGroup")]
//!     fn get_project(
//!         &self,
//!         #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
//!     ) -> Call<serde_json::Value>;
//! }
//!
//! impl Projects for Client {}
//! ```
//!
//! [`catalog()`] lists every endpoint declared in the program, these and those of any library
//! linked in, with the metadata of each ([`Endpoint`]): operation id, method, path, version,
//! parameters, pagination, deprecation.

#![warn(missing_docs)]

// Generated code names `::atlas_endpoints::__private`, also inside this crate.
extern crate self as atlas_endpoints;

pub use atlas_endpoints_macros::atlas_endpoint;
pub use atlas_endpoints_runtime::HeaderParam;
pub use atlas_endpoints_runtime::{
    catalog, reexports, ApiError, AtlasClient, Auth, BadRequestDetail, BsonTimestamp, Call, Client,
    ClientBuilder, CommonParams, Endpoint, EndpointBuilder, Error, ErrorKind, FieldViolation,
    InvalidArgument, Link, Method, Page, Paginated, ParamLocation, PathParam, Pattern,
    PreparedRequest, QueryParam, QueryParams, QueryValue, Report, Result, RetryPolicy, Rule,
    Segment, SpecParam, CLUSTER_NAME, DEFAULT_API_PREFIX, DEFAULT_BASE_URL, DEFAULT_MAX_PAGES,
    DEFAULT_PAGE_CONCURRENCY, DEFAULT_VERSION, OBJECT_ID,
};
// Answers that are not JSON of a known shape (issue 10, shapes 5 and 6).
pub use atlas_endpoints_runtime::{codes, AtlasCliProfile, DEFAULT_PACING, DEFAULT_PROFILE};
pub use atlas_endpoints_runtime::{Download, NoContent};
// Waiting for long-running operations (issue 14).
pub use atlas_endpoints_runtime::{
    Gone, NoWait, Observation, TimeoutKind, Wait, WaitFor, WaitForGone,
};

#[doc(hidden)]
pub use atlas_endpoints_runtime::private as __private;

mod model_support;
mod open_enum;

pub mod api;
pub mod models;
pub mod waiting;
pub use api::prelude;

// The first version's names (see `compat`).
#[cfg(all(
    feature = "cloud-backups",
    feature = "flex-restore-jobs",
    feature = "flex-snapshots"
))]
mod compat;
#[cfg(all(feature = "cloud-backups", feature = "flex-restore-jobs"))]
pub mod serverless_sunset;
#[cfg(all(
    feature = "cloud-backups",
    feature = "flex-restore-jobs",
    feature = "flex-snapshots"
))]
pub use compat::{
    DeliveryType, FlexBackupStatus, FlexBackups, FlexDeliveryType, FrequencyType,
    ServerlessBackups, ServerlessSnapshotStatus, SnapshotType,
};
#[cfg(all(
    feature = "cloud-backups",
    feature = "flex-restore-jobs",
    feature = "flex-snapshots"
))]
pub use models::{
    FlexBackupRestoreJob, FlexBackupRestoreJobCreate, FlexBackupSnapshot,
    FlexBackupSnapshotDownloadCreate, ServerlessBackupRestoreJob, ServerlessBackupSnapshot,
};
