//! Listing restore jobs against the sandbox over loopback HTTP.

#![allow(deprecated)] // the serverless endpoints are deprecated; they are still served

mod support;

use std::collections::HashSet;

use atlas_endpoints::prelude::*;
use atlas_endpoints::ServerlessBackupRestoreJob;
use futures::{StreamExt, TryStreamExt};
use support::{all, client_for, restore_jobs, sandbox_and_client, GROUP, INSTANCE};

fn ids(jobs: &[ServerlessBackupRestoreJob]) -> Vec<String> {
    jobs.iter()
        .map(|job| job.id.clone().expect("an id"))
        .collect()
}

#[tokio::test]
async fn listing_1234_jobs_at_100_a_page_takes_13_requests_and_yields_each_once_in_order() {
    let (sandbox, client) = sandbox_and_client(1234).await;

    let jobs: Vec<_> = restore_jobs(&client)
        .items_per_page(100)
        .items()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(jobs.len(), 1234);
    assert_eq!(sandbox.request_count(), 13);
    let expected = ids(&jobs);
    assert_eq!(
        expected.iter().collect::<HashSet<_>>().len(),
        1234,
        "no duplicates"
    );

    // The same listing in pages of 500 gives the same sequence: the order is the server's.
    let in_big_pages = all(restore_jobs(&client).items_per_page(500)).await;
    assert_eq!(ids(&in_big_pages), expected);
    assert_eq!(sandbox.request_count(), 13 + 3);

    // Pages after the first are fetched concurrently, so they may arrive in any order;
    // each of the 13 pages is asked for exactly once.
    let mut page_nums: Vec<u32> = sandbox
        .requests()
        .iter()
        .take(13)
        .map(|request| {
            let query = request.query.clone().unwrap_or_default();
            assert!(query.contains("itemsPerPage=100"), "{query}");
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("pageNum="))
                .and_then(|n| n.parse().ok())
                .expect("every request names its page")
        })
        .collect();
    page_nums.sort_unstable();
    assert_eq!(page_nums, (1..=13).collect::<Vec<_>>());
}

#[tokio::test]
async fn awaiting_a_listing_fetches_one_page_with_count_and_links() {
    let (sandbox, client) = sandbox_and_client(250).await;

    let page = restore_jobs(&client)
        .page_num(2)
        .items_per_page(100)
        .await
        .unwrap();

    assert_eq!(page.page_num(), 2);
    assert_eq!(page.results().len(), 100);
    assert_eq!(page.total_count(), Some(250));
    assert!(page.link("next").is_some());
    assert!(page.link("previous").is_some());
    assert_eq!(sandbox.request_count(), 1);
}

#[tokio::test]
async fn without_include_count_the_listing_stops_on_the_short_page() {
    let (sandbox, client) = sandbox_and_client(1234).await;

    let uncounted = restore_jobs(&client).include_count(false);
    let pages: Vec<_> = uncounted.pages().try_collect().await.unwrap();

    assert_eq!(pages.len(), 13);
    assert!(pages.iter().all(|page| page.total_count().is_none()));
    assert_eq!(pages.iter().map(|p| p.results().len()).sum::<usize>(), 1234);
    let first = &sandbox.requests()[0];
    assert!(first
        .query
        .as_deref()
        .unwrap_or("")
        .contains("includeCount=false"));
}

#[tokio::test]
async fn an_exact_multiple_of_the_page_size_ends_without_an_extra_request() {
    let (sandbox, client) = sandbox_and_client(300).await;

    let jobs = all(restore_jobs(&client)).await;

    assert_eq!(jobs.len(), 300);
    // totalCount (300) is reached after page 3; no fourth, empty page is asked for.
    assert_eq!(sandbox.request_count(), 3);
}

#[tokio::test]
async fn an_enveloped_listing_yields_the_same_jobs() {
    let (sandbox, client) = sandbox_and_client(150).await;

    let plain = all(restore_jobs(&client)).await;
    let enveloped = all(restore_jobs(&client).envelope(true).pretty(true)).await;

    assert_eq!(plain, enveloped);
    let last = sandbox.requests().pop().unwrap();
    let query = last.query.unwrap_or_default();
    assert!(
        query.contains("envelope=true") && query.contains("pretty=true"),
        "{query}"
    );
}

#[tokio::test]
async fn an_empty_instance_yields_no_jobs_after_one_request() {
    let sandbox = atlas_endpoints_sandbox::Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);

    let jobs: Vec<_> = client
        .list_serverless_restore_jobs(
            atlas_endpoints_sandbox::DEFAULT_GROUP_ID,
            atlas_endpoints_sandbox::DEFAULT_EMPTY_INSTANCE,
        )
        .items()
        .collect()
        .await;

    assert!(jobs.is_empty());
    assert_eq!(sandbox.request_count(), 1);
}

#[tokio::test]
async fn requests_carry_the_versioned_accept_header_user_agent_and_token() {
    let (sandbox, client) = sandbox_and_client(1).await;

    restore_jobs(&client).await.unwrap();

    let request = &sandbox.requests()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.path,
        format!("/api/atlas/v2/groups/{GROUP}/serverless/{INSTANCE}/backup/restoreJobs")
    );
    assert_eq!(
        request.header("accept"),
        Some("application/vnd.atlas.2023-01-01+json")
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {}", sandbox.token()).as_str())
    );
    assert!(request
        .header("user-agent")
        .is_some_and(|agent| agent.starts_with("atlas-endpoints/")));
}
