//! After the serverless sunset (`410 VERSION_GONE` on the serverless routes), an instance's
//! restore jobs are listed through the Flex cluster of the same name, which Atlas migrated it
//! to; before it, through the serverless listing.

mod support;

use atlas_endpoints::serverless_sunset::{restore_jobs, RestoreJobs};
use atlas_endpoints::Client;
use atlas_endpoints_sandbox::{Sandbox, DEFAULT_GROUP_ID as GROUP};
use support::client_for as client;

const NAME: &str = "migrated";

/// Serverless instance [`NAME`] with 7 restore jobs and Flex cluster [`NAME`] with 3, before
/// the sunset or after it.
async fn migrated(sunset: bool) -> Sandbox {
    Sandbox::builder()
        .sunset_serverless(sunset)
        .instance(GROUP, NAME, 7)
        .flex_cluster(GROUP, NAME, 3, 4)
        .start()
        .await
        .unwrap()
}

/// [`NAME`]'s restore jobs as `restore_jobs` lists them from a sandbox [`migrated`] after the
/// sunset or before it: the sandbox, which listing answered, and how many jobs it holds.
async fn listed(sunset: bool) -> (Sandbox, &'static str, usize) {
    let sandbox = migrated(sunset).await;
    let listing = restore_jobs(&client(&sandbox), GROUP, NAME).await.unwrap();
    let (kind, count) = match listing {
        RestoreJobs::Serverless(jobs) => ("serverless", jobs.collect_all().await.unwrap().len()),
        RestoreJobs::Flex(jobs) => ("flex", jobs.collect_all().await.unwrap().len()),
    };
    (sandbox, kind, count)
}

#[tokio::test]
async fn after_the_sunset_the_flex_cluster_of_the_same_name_is_listed() {
    let (sandbox, kind, count) = listed(true).await;

    // The serverless listing is gone.
    assert_eq!((kind, count), ("flex", 3));
    let paths: Vec<String> = sandbox.requests().iter().map(|r| r.path.clone()).collect();
    assert!(paths[0].contains("/serverless/migrated/"), "{paths:?}");
    assert!(
        paths[1..]
            .iter()
            .all(|p| p.contains("/flexClusters/migrated/")),
        "{paths:?}"
    );
}

#[tokio::test]
async fn before_the_sunset_the_serverless_listing_is_kept() {
    let (_sandbox, kind, count) = listed(false).await;

    // The serverless listing still answers.
    assert_eq!((kind, count), ("serverless", 7));
}

#[tokio::test]
async fn other_errors_are_not_taken_for_the_sunset() {
    let sandbox = migrated(false).await;
    let wrong = Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token("not-the-token")
        .build()
        .unwrap();

    let error = restore_jobs(&wrong, GROUP, NAME).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(sandbox.request_count(), 1, "no Flex request after a 401");
}
