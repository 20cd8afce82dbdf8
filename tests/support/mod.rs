//! Shared set-up for the integration tests: a sandbox and a client pointed at it.

#![allow(dead_code)]

use atlas_endpoints::Client;
use atlas_endpoints_sandbox::Sandbox;

pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
pub const INSTANCE: &str = "big-instance";

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
