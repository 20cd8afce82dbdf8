//! Client-side pacing against the sandbox: after a `429` with `Retry-After`, the client holds
//! the next calls of that endpoint and project until the wait has passed, instead of sending
//! them into the same refusal. (The runtime's `tests/pacing.rs` measures pacing under an
//! enforced limit.)

#![allow(deprecated)]

use std::time::{Duration, Instant};

use atlas_endpoints::prelude::*;
use atlas_endpoints::Client;
use atlas_endpoints_sandbox::{Fault, Sandbox, DEFAULT_GROUP_ID, DEFAULT_INSTANCE};

fn jobs_path() -> String {
    format!(
        "/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/{DEFAULT_INSTANCE}/backup/restoreJobs"
    )
}

async fn held_for(pacing: bool) -> (Duration, usize, Option<u16>) {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.inject(&jobs_path(), [Fault::rate_limited(1, 100)]);
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .max_attempts(1)
        .pacing(pacing)
        .build()
        .unwrap();

    let first = client
        .list_serverless_restore_jobs(DEFAULT_GROUP_ID, DEFAULT_INSTANCE)
        .await
        .unwrap_err();
    assert_eq!(first.status().map(|s| s.as_u16()), Some(429));
    // The answer said `Retry-After: 1`; the client has no wait of its own (one attempt).
    sandbox.inject(&jobs_path(), [Fault::rate_limited(1, 100)]);
    let started = Instant::now();
    let second = client
        .list_serverless_restore_jobs(DEFAULT_GROUP_ID, DEFAULT_INSTANCE)
        .await;
    let status = second.err().and_then(|e| e.status()).map(|s| s.as_u16());
    (started.elapsed(), sandbox.pending_faults(), status)
}

#[tokio::test]
async fn after_a_429_the_next_call_waits_for_retry_after() {
    let (waited, pending, status) = held_for(true).await;
    assert!(waited >= Duration::from_millis(900), "{waited:?}");
    // It was sent after the wait (and met the second scripted 429).
    assert_eq!(pending, 0);
    assert_eq!(status, Some(429));
}

#[tokio::test]
async fn without_pacing_the_next_call_goes_at_once() {
    let (waited, pending, _) = held_for(false).await;
    assert!(waited < Duration::from_millis(500), "{waited:?}");
    assert_eq!(pending, 0);
}
