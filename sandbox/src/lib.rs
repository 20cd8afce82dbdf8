//! An in-process fake of the MongoDB Atlas Administration API, served over
//! HTTP/1.1 on loopback, for tests and offline examples.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use atlas_endpoints_sandbox::{Sandbox, DEFAULT_GROUP_ID, DEFAULT_INSTANCE};
//!
//! let sandbox = Sandbox::start().await?;
//! let url = format!(
//!     "{}/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/{DEFAULT_INSTANCE}/backup/restoreJobs",
//!     sandbox.base_url(),
//! );
//! // Send GET `url` with `Authorization: Bearer {sandbox.token()}` and
//! // `Accept: application/vnd.atlas.2023-01-01+json`, then inspect
//! // `sandbox.requests()` to see exactly what was sent.
//! # let _ = url;
//! # Ok(())
//! # }
//! ```
//!
//! # Routes
//!
//! | Method | Path | Version (`Accept`) |
//! | --- | --- | --- |
//! | `GET` | `/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs` | [`MEDIA_TYPE_2023_01_01`] |
//!
//! Any other path answers 404 `RESOURCE_NOT_FOUND`; a known path with another
//! method answers 405 `METHOD_NOT_ALLOWED`. Routes added with
//! [`SandboxBuilder::route`] are served too.
//!
//! # What every request goes through
//!
//! 1. It is counted and recorded ([`Sandbox::requests`]) before anything
//!    else, whatever its path and outcome. The path is kept as received,
//!    percent-encoding included.
//! 2. 401 [`UNAUTHORIZED`](error_codes::UNAUTHORIZED) unless `Authorization`
//!    is `Bearer <token>` ([`DEFAULT_TOKEN`] unless configured; the scheme is
//!    matched case-insensitively, the token exactly). The response carries
//!    `WWW-Authenticate: Bearer realm="atlas-sandbox"`.
//! 3. Serverless routes of a sandbox built with
//!    [`SandboxBuilder::sunset_serverless`]: 410
//!    [`VERSION_GONE`](error_codes::VERSION_GONE) with a
//!    `Sunset: Thu, 22 Jan 2026 00:00:00 GMT` header.
//! 4. 406 [`INVALID_VERSION_DATE`](error_codes::INVALID_VERSION_DATE) unless
//!    there is exactly one `Accept` header and it is exactly the route's
//!    media type (no parameters, no lists); the detail names that media type
//!    and so does `parameters`: `[{"acceptedMediaType": "..."}]`.
//! 5. 400 [`VALIDATION_ERROR`](error_codes::VALIDATION_ERROR) when a path
//!    parameter does not match the spec's pattern (checked on the
//!    percent-decoded segment; an encoded `/` stays inside its segment and
//!    so fails the pattern) or a query parameter is invalid: `pageNum` not an
//!    integer in `1..=2147483647`, `itemsPerPage` not an integer in `1..=500`,
//!    `includeCount`, `envelope` or `pretty` not exactly `true` or `false` (an
//!    empty value is invalid too). Every invalid element is listed in
//!    `badRequestDetail.fields`. When a query parameter is repeated, the first
//!    value counts; unknown query parameters are ignored.
//! 6. 404 [`RESOURCE_NOT_FOUND`](error_codes::RESOURCE_NOT_FOUND) for an
//!    unknown project or serverless instance.
//! 7. 200.
//!
//! # Bodies
//!
//! Errors follow the spec's `ApiError`, with `Content-Type: application/json`:
//!
//! ```json
//! {"detail": "...", "error": 404, "errorCode": "RESOURCE_NOT_FOUND",
//!  "parameters": [{"groupId": "..."}], "reason": "Not Found"}
//! ```
//!
//! `parameters` holds one-key objects naming what the error is about; 400s add
//! `badRequestDetail: {"fields": [{"field": "...", "description": "..."}]}`.
//!
//! Lists answer with the route's media type as `Content-Type` and a page
//! object `{"links": [...], "results": [...], "totalCount": N}`:
//!
//! * `pageNum` defaults to 1, `itemsPerPage` to 100; page k holds items
//!   `(k-1)*n .. k*n` in a stable order, and a page past the end is empty.
//! * `totalCount` is left out when `includeCount=false`.
//! * `links` always has `self`, `previous` when `pageNum` > 1 and `next` when
//!   items follow; each `href` is an absolute URL on [`Sandbox::base_url`]
//!   with that page's `pageNum` and `itemsPerPage`.
//!
//! What the sandbox does with the two formatting flags:
//!
//! * `pretty=true` indents the JSON.
//! * `envelope=true` makes the HTTP status 200 and carries the real one in
//!   the body: a page gains `"status": 200` next to `links` and `results`;
//!   an error becomes `{"status": <code>, "content": <ApiError>}`. Headers
//!   (`Content-Type`, `Sunset`, ...) are unchanged.
//!
//! Both flags are honoured on every response the sandbox itself produces,
//! errors included, as long as their value is exactly `true`.
//!
//! # Data
//!
//! Without [`SandboxBuilder::instance`], the sandbox holds project
//! [`DEFAULT_GROUP_ID`] with serverless instance [`DEFAULT_INSTANCE`]
//! ([`DEFAULT_JOB_COUNT`] restore jobs) and [`DEFAULT_EMPTY_INSTANCE`] (none).
//! Restore jobs are generated deterministically from the project id, the
//! instance name and the job's index: ObjectId-shaped ids, delivery types
//! cycling `automated`, `download`, `pointInTime`, snapshots six hours apart
//! from `2025-11-03T10:15:00Z`, the three newest jobs still in progress (no
//! `finishedAt`), and a few failed, cancelled or expired ones.
//!
//! # Limits
//!
//! Bodies are read up to 16 MiB (a larger one is recorded empty and answered
//! 413 `PAYLOAD_TOO_LARGE`). A request that is not valid HTTP/1.1 is refused
//! by the HTTP layer before it can be recorded.

mod checks;
mod errors;
mod recording;
mod render;
mod routes;
mod seed;
mod state;

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::recording::Recorder;
use crate::state::{InstanceSeed, SandboxState};

pub use crate::seed::MAX_JOBS_PER_INSTANCE;

/// The project (group) id of the default seed.
pub const DEFAULT_GROUP_ID: &str = "5e2211c17a3e5a48f5497de3";
/// The serverless instance of the default seed that holds restore jobs.
pub const DEFAULT_INSTANCE: &str = "serverless-demo";
/// How many restore jobs [`DEFAULT_INSTANCE`] holds.
pub const DEFAULT_JOB_COUNT: usize = 42;
/// The serverless instance of the default seed that holds no restore job.
pub const DEFAULT_EMPTY_INSTANCE: &str = "empty-instance";
/// The bearer token a sandbox accepts unless [`SandboxBuilder::token`] says
/// otherwise.
pub const DEFAULT_TOKEN: &str = "sandbox-token";
/// The media type of API version 2023-01-01, which the serverless routes
/// serve.
pub const MEDIA_TYPE_2023_01_01: &str = "application/vnd.atlas.2023-01-01+json";
/// The `Sunset` header value of the serverless routes (HTTP date).
pub const SERVERLESS_SUNSET: &str = "Thu, 22 Jan 2026 00:00:00 GMT";

/// The `errorCode` values the sandbox answers with.
pub mod error_codes {
    /// 401: missing or wrong bearer token.
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    /// 406: the `Accept` header does not name the route's version. The spec
    /// lists no code for this case; this one is the sandbox's choice.
    pub const INVALID_VERSION_DATE: &str = "INVALID_VERSION_DATE";
    /// 410: the route's version is sunset.
    pub const VERSION_GONE: &str = "VERSION_GONE";
    /// 400: a path or query parameter is invalid.
    pub const VALIDATION_ERROR: &str = "VALIDATION_ERROR";
    /// 404: unknown project, instance or path.
    pub const RESOURCE_NOT_FOUND: &str = "RESOURCE_NOT_FOUND";
    /// 405: a known path with an unsupported method (the sandbox's choice).
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    /// 413: the body exceeds what the sandbox reads (the sandbox's choice).
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
}

/// One request as the sandbox received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The raw path as received, percent-encoding preserved.
    pub path: String,
    /// The raw query string (without `?`), if the request had one.
    pub query: Option<String>,
    /// The headers, names lowercase, values decoded lossily as UTF-8; repeated
    /// headers appear once per value.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A running sandbox: an HTTP server on `127.0.0.1` on a tokio task of the
/// runtime that started it. Dropping it shuts the server down gracefully.
pub struct Sandbox {
    addr: SocketAddr,
    base_url: String,
    token: String,
    recorder: Recorder,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("requests", &self.recorder.len())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox with the default seed and token.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder, to choose the data, the token and extra routes.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bearer token the sandbox accepts.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// How many requests arrived since the start or the last
    /// [`reset_requests`](Sandbox::reset_requests).
    pub fn request_count(&self) -> usize {
        self.recorder.len()
    }

    /// The requests that arrived since the start or the last
    /// [`reset_requests`](Sandbox::reset_requests), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.recorder.all()
    }

    /// Forgets the recorded requests; the count starts again from 0.
    pub fn reset_requests(&self) {
        self.recorder.clear();
    }

    /// Stops accepting connections and waits (up to 5 seconds, then aborts)
    /// for the server to finish the requests in flight. Dropping the sandbox
    /// also stops it, without waiting.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Configures a [`Sandbox`] before it starts.
#[derive(Debug, Default)]
pub struct SandboxBuilder {
    instances: Vec<InstanceSeed>,
    token: Option<String>,
    sunset_serverless: bool,
    routers: Vec<Router>,
}

impl SandboxBuilder {
    /// Adds serverless instance `name` to project `group_id`, with `jobs`
    /// restore jobs (at most [`MAX_JOBS_PER_INSTANCE`]). Once any instance is
    /// added, the default seed is not used. Adding the same instance again
    /// replaces it. Ids or names that do not match the spec's patterns are
    /// stored but can never be reached (requests for them answer 400).
    pub fn instance(mut self, group_id: &str, name: &str, jobs: usize) -> Self {
        self.instances.push(InstanceSeed {
            group_id: group_id.to_owned(),
            name: name.to_owned(),
            jobs,
        });
        self
    }

    /// The bearer token to accept instead of [`DEFAULT_TOKEN`].
    pub fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }

    /// When `on`, the serverless routes answer 410 `VERSION_GONE` with a
    /// `Sunset` header (after authentication), as Atlas does past their
    /// sunset date.
    pub fn sunset_serverless(mut self, on: bool) -> Self {
        self.sunset_serverless = on;
        self
    }

    /// Merges extra routes (e.g. a library's own endpoints) into the sandbox.
    /// Their requests are recorded and counted like any other. A fallback set
    /// on `router` is discarded: unmatched paths get the sandbox's 404.
    ///
    /// # Panics
    ///
    /// [`start`](SandboxBuilder::start) panics, as [`Router::merge`] does, if
    /// `router` declares the same method on the same path as the sandbox or
    /// as another added router.
    pub fn route(mut self, router: Router) -> Self {
        self.routers.push(router);
        self
    }

    /// Binds `127.0.0.1:0` and serves on a task spawned on the current tokio
    /// runtime (a current-thread runtime such as `#[tokio::test]`'s works).
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    ///
    /// # Panics
    ///
    /// When called outside a tokio runtime, or when added routes overlap (see
    /// [`route`](SandboxBuilder::route)).
    pub async fn start(self) -> io::Result<Sandbox> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let token = self.token.unwrap_or_else(|| DEFAULT_TOKEN.to_owned());

        let seeds = if self.instances.is_empty() {
            vec![
                InstanceSeed {
                    group_id: DEFAULT_GROUP_ID.to_owned(),
                    name: DEFAULT_INSTANCE.to_owned(),
                    jobs: DEFAULT_JOB_COUNT,
                },
                InstanceSeed {
                    group_id: DEFAULT_GROUP_ID.to_owned(),
                    name: DEFAULT_EMPTY_INSTANCE.to_owned(),
                    jobs: 0,
                },
            ]
        } else {
            self.instances
        };
        let state = SandboxState::new(
            token.clone(),
            self.sunset_serverless,
            base_url.clone(),
            &seeds,
        );

        let mut app = routes::router(std::sync::Arc::new(state));
        for router in self.routers {
            app = app.merge(router.reset_fallback());
        }
        let app = app
            .method_not_allowed_fallback(routes::method_not_allowed)
            .fallback(routes::not_found);

        // The recorder wraps the whole app as one fallback service, so it
        // sees every request first and exactly as received.
        let recorder = Recorder::default();
        let app = Router::new()
            .fallback_service(app)
            .layer(axum::middleware::from_fn_with_state(
                recorder.clone(),
                recording::record,
            ));

        let (shutdown, signal) = oneshot::channel::<()>();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            // A dropped sender ends the wait too.
            let _ = signal.await;
        });
        let task = tokio::spawn(async move {
            // `serve` only returns once shut down; it reports no error.
            let _ = server.await;
        });

        Ok(Sandbox {
            addr,
            base_url,
            token,
            recorder,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}
