//! Shared set-up for the integration tests: a sandbox, a client pointed at it, the listing
//! most tests exercise, and short ways to await a call that must succeed or fail.

#![allow(dead_code)] // each test file uses its own part of this module
#![allow(deprecated)] // the serverless endpoints are deprecated; they are still served

use std::fmt::Debug;
use std::future::IntoFuture;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{
    Client, Endpoint, Error, Paginated, ParamLocation, ServerlessBackupRestoreJob,
};
use atlas_endpoints_sandbox::Sandbox;
use serde::de::DeserializeOwned;

pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
pub const INSTANCE: &str = "big-instance";
/// The restore jobs of `INSTANCE` in `GROUP`, as the sandbox sees the path.
pub const JOBS_PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless/big-instance/backup/restoreJobs";

/// A client for `sandbox`, with its token.
pub fn client_for(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .build()
        .expect("a client for the sandbox")
}

/// A sandbox holding `jobs` restore jobs for `INSTANCE` in `GROUP`.
pub async fn sandbox_with(jobs: usize) -> Sandbox {
    Sandbox::builder()
        .instance(GROUP, INSTANCE, jobs)
        .start()
        .await
        .expect("the sandbox starts")
}

/// [`sandbox_with`] `jobs`, and a client for it.
pub async fn sandbox_and_client(jobs: usize) -> (Sandbox, Client) {
    let sandbox = sandbox_with(jobs).await;
    let client = client_for(&sandbox);
    (sandbox, client)
}

/// The listing most tests exercise: the restore jobs of `INSTANCE` in `GROUP`.
pub fn restore_jobs(client: &Client) -> Paginated<ServerlessBackupRestoreJob> {
    client.list_serverless_restore_jobs(GROUP, INSTANCE)
}

/// How many jobs the first page of [`restore_jobs`] holds.
pub async fn first_page_len(client: &Client) -> atlas_endpoints::Result<usize> {
    let page = restore_jobs(client).await?;
    Ok(page.results().len())
}

/// What `call` answers with; the test fails if it fails.
pub async fn ok<T>(call: impl IntoFuture<Output = atlas_endpoints::Result<T>>) -> T {
    call.await.expect("the call succeeds")
}

/// Every item of `listing`, over all its pages; the test fails if the listing does.
pub async fn all<T: DeserializeOwned + Send + 'static>(listing: Paginated<T>) -> Vec<T> {
    listing.collect_all().await.expect("the listing succeeds")
}

/// The error `call` ends with; the test fails if it succeeds.
pub async fn error_of<T: Debug>(
    call: impl IntoFuture<Output = atlas_endpoints::Result<T>>,
) -> Error {
    call.await.expect_err("the call must fail")
}

/// A client of `sandbox` that retries without the real waits, so suites stay fast; the waits
/// have unit tests.
pub fn fast_client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .retry_policy(atlas_endpoints::RetryPolicy {
            base_delay: std::time::Duration::from_millis(5),
            ..atlas_endpoints::RetryPolicy::default()
        })
        .build()
        .unwrap()
}

/// A client with the bearer token `token` for the server at `base_url` (a mock server's).
pub fn bearer_client(base_url: impl Into<String>, token: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token(token)
        .build()
        .unwrap()
}

/// A client for Atlas's own base URL that the request-shape tests only inspect: nothing is
/// sent.
pub fn inspecting_client() -> Client {
    bearer_client(atlas_endpoints::DEFAULT_BASE_URL, "token")
}

/// The spec's names of the parameters `endpoint` sends in `location`, in order.
pub fn spec_names_in(endpoint: &Endpoint, location: ParamLocation) -> Vec<&'static str> {
    let params = endpoint.spec_params().into_iter();
    params
        .filter(|param| param.location == location)
        .map(|param| param.name)
        .collect()
}
