//! Every declared endpoint of the serverless and Flex backup families against the sandbox,
//! over loopback HTTP: listings, get-one, and create-then-list-then-get consistency.

#![allow(deprecated)] // the serverless endpoints are deprecated; they are still served

mod support;

use std::fmt::Debug;

use atlas_endpoints::models::{FlexBackupRestoreJobStatus, ServerlessBackupRestoreJobRequest};
use atlas_endpoints::prelude::*;
use atlas_endpoints::{
    Call, Client, DeliveryType, ErrorKind, FlexBackupRestoreJobCreate, FlexBackupSnapshot,
    FlexBackupSnapshotDownloadCreate, FlexBackupStatus, FlexDeliveryType, Paginated,
    ServerlessSnapshotStatus,
};
use atlas_endpoints_sandbox::{
    Sandbox, DEFAULT_FLEX_CLUSTER, DEFAULT_FLEX_JOB_COUNT, DEFAULT_FLEX_SNAPSHOT_COUNT,
    DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT, MEDIA_TYPE_2023_01_01,
    MEDIA_TYPE_2024_11_13,
};
use serde::de::DeserializeOwned;
use support::{all, client_for, error_of, ok};

const GROUP: &str = DEFAULT_GROUP_ID;
const INSTANCE: &str = DEFAULT_INSTANCE;
const CLUSTER: &str = DEFAULT_FLEX_CLUSTER;
const UNKNOWN_ID: &str = "0123456789abcdef01234567";

/// The default sandbox, and a client for it.
async fn default_sandbox() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().await.expect("the sandbox starts");
    let client = client_for(&sandbox);
    (sandbox, client)
}

/// Every request `sandbox` received asked for `media_type`.
fn all_accept(sandbox: &Sandbox, media_type: &str) -> bool {
    sandbox
        .requests()
        .iter()
        .all(|r| r.header("accept") == Some(media_type))
}

/// A get of `UNKNOWN_ID` is refused with `RESOURCE_NOT_FOUND`.
async fn assert_not_found<T: Debug + DeserializeOwned + Send + 'static>(get_unknown: Call<T>) {
    let missing = error_of(get_unknown).await;
    assert!(missing.is_error_code("RESOURCE_NOT_FOUND"), "{missing}");
}

/// The end of a list-and-get test: an unknown id is not found (`get_unknown`), and every
/// request the test sent asked for `media_type`.
async fn assert_unknown_not_found_and_all_accept<T: Debug + DeserializeOwned + Send + 'static>(
    sandbox: &Sandbox,
    get_unknown: Call<T>,
    media_type: &str,
) {
    assert_not_found(get_unknown).await;
    assert!(all_accept(sandbox, media_type));
}

/// Every item of `listing`, fetched `per_page` a page; there must be `count`.
async fn all_in_pages_of<T>(per_page: u32, listing: Paginated<T>, count: usize) -> Vec<T>
where
    T: DeserializeOwned + Send + 'static,
{
    let items = all(listing.items_per_page(per_page)).await;
    assert_eq!(items.len(), count);
    items
}

/// Each of `items` is what `get_one` answers for it.
async fn assert_each_served<'a, T>(
    items: impl IntoIterator<Item = &'a T>,
    get_one: impl Fn(&T) -> Call<T>,
) where
    T: PartialEq + Debug + DeserializeOwned + Send + 'static,
{
    for item in items {
        assert_eq!(&ok(get_one(item)).await, item);
    }
}

/// `created`, a job just made, is the last item on the first page of `listing`, which now
/// counts `count` jobs, and `get_one` answers with it too.
async fn assert_listed_last_and_served<T>(
    created: &T,
    listing: Paginated<T>,
    count: usize,
    get_one: Call<T>,
) where
    T: PartialEq + Debug + DeserializeOwned + Send + 'static,
{
    let page = listing.await.unwrap();
    assert_eq!(page.total_count(), Some(count as u64));
    assert_eq!(page.results().last(), Some(created));
    assert_eq!(&get_one.await.unwrap(), created);
}

#[tokio::test]
async fn serverless_restore_jobs_list_and_get_one_agree() {
    let (sandbox, client) = default_sandbox().await;

    let listing = client.list_serverless_restore_jobs(GROUP, INSTANCE);
    let jobs = all_in_pages_of(10, listing, DEFAULT_JOB_COUNT).await;

    let first_and_last = [&jobs[0], &jobs[DEFAULT_JOB_COUNT - 1]];
    assert_each_served(first_and_last, |job| {
        let id = job.id.as_deref().unwrap();
        client.get_serverless_restore_job(GROUP, INSTANCE, id)
    })
    .await;

    let unknown = client.get_serverless_restore_job(GROUP, INSTANCE, UNKNOWN_ID);
    assert_unknown_not_found_and_all_accept(&sandbox, unknown, MEDIA_TYPE_2023_01_01).await;
}

#[tokio::test]
async fn serverless_snapshots_list_and_get_one_agree() {
    let (sandbox, client) = default_sandbox().await;

    let page = client
        .list_serverless_backup_snapshots(GROUP, INSTANCE)
        .items_per_page(100)
        .await
        .unwrap();
    assert_eq!(page.total_count(), Some(DEFAULT_JOB_COUNT as u64));
    let snapshot = &page.results()[5];
    assert_eq!(snapshot.status, Some(ServerlessSnapshotStatus::Completed));
    assert_eq!(snapshot.serverless_instance_name.as_deref(), Some(INSTANCE));

    let id = snapshot.id.as_deref().unwrap();
    let one = ok(client.get_serverless_backup_snapshot(GROUP, INSTANCE, id)).await;
    assert_eq!(&one, snapshot);

    // The operation takes `envelope` but no `pretty`.
    let enveloped = client
        .get_serverless_backup_snapshot(GROUP, INSTANCE, id)
        .envelope(true)
        .await
        .unwrap();
    assert_eq!(&enveloped, snapshot);
    let sent = sandbox.request_count();
    let pretty = client.get_serverless_backup_snapshot(GROUP, INSTANCE, id);
    let refused = error_of(pretty.pretty(true)).await;
    assert_eq!(refused.kind(), ErrorKind::InvalidArgument);
    assert_eq!(sandbox.request_count(), sent, "nothing was sent");

    // Every restore job names a snapshot that exists.
    let jobs = all(client.list_serverless_restore_jobs(GROUP, INSTANCE)).await;
    let snapshot_id = jobs[7].snapshot_id.as_deref().unwrap();
    let restored = ok(client.get_serverless_backup_snapshot(GROUP, INSTANCE, snapshot_id)).await;
    assert_eq!(restored.id.as_deref(), Some(snapshot_id));
}

#[tokio::test]
async fn a_created_serverless_restore_job_is_listed_and_served() {
    let (sandbox, client) = default_sandbox().await;
    let snapshots = all(client.list_serverless_backup_snapshots(GROUP, INSTANCE)).await;
    let snapshot_id = snapshots[3].id.clone().unwrap();

    let mut job =
        ServerlessBackupRestoreJobRequest::new(DeliveryType::Automated, "restore-target", GROUP);
    job.snapshot_id = Some(snapshot_id.clone());
    let created = ok(client.create_serverless_restore_job(GROUP, INSTANCE, &job)).await;
    let id = created.id.clone().expect("the new job has an id");
    assert_eq!(created.delivery_type, DeliveryType::Automated);
    assert_eq!(created.snapshot_id.as_deref(), Some(snapshot_id.as_str()));
    assert_eq!(created.target_cluster_name, "restore-target");
    assert_eq!(created.finished_at, None, "a new job is in progress");

    let post = sandbox
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(post.header("content-type"), Some(MEDIA_TYPE_2023_01_01));

    let listing = client.list_serverless_restore_jobs(GROUP, INSTANCE);
    let one = client.get_serverless_restore_job(GROUP, INSTANCE, &id);
    let count = DEFAULT_JOB_COUNT + 1;
    assert_listed_last_and_served(&created, listing.items_per_page(500), count, one).await;

    // A job without the snapshot the sandbox needs is refused, and nothing is created.
    let incomplete = ServerlessBackupRestoreJobRequest::new(DeliveryType::Download, "x", GROUP);
    let error = error_of(client.create_serverless_restore_job(GROUP, INSTANCE, &incomplete)).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.attempts(), 1, "a POST is sent once");
    let after = ok(client.list_serverless_restore_jobs(GROUP, INSTANCE)).await;
    assert_eq!(after.total_count(), Some(DEFAULT_JOB_COUNT as u64 + 1));
}

#[tokio::test]
async fn flex_restore_jobs_list_and_get_one_agree() {
    let (sandbox, client) = default_sandbox().await;

    let jobs = all(client.list_flex_restore_jobs(GROUP, CLUSTER)).await;
    assert_eq!(jobs.len(), DEFAULT_FLEX_JOB_COUNT);
    assert!(jobs
        .iter()
        .any(|j| j.delivery_type == Some(FlexDeliveryType::Download)));
    assert!(jobs
        .iter()
        .any(|j| j.delivery_type == Some(FlexDeliveryType::Restore)));

    assert_each_served(&jobs, |job| {
        let id = job.id.as_deref().unwrap();
        client.get_flex_restore_job(GROUP, CLUSTER, id).pretty(true)
    })
    .await;
    let unknown = client.get_flex_restore_job(GROUP, CLUSTER, UNKNOWN_ID);
    assert_unknown_not_found_and_all_accept(&sandbox, unknown, MEDIA_TYPE_2024_11_13).await;
}

/// The first completed snapshot of `snapshots`.
fn first_completed(snapshots: &[FlexBackupSnapshot]) -> &FlexBackupSnapshot {
    snapshots
        .iter()
        .find(|s| s.status == Some(FlexBackupStatus::Completed))
        .unwrap()
}

#[tokio::test]
async fn flex_snapshots_list_and_get_one_agree() {
    let (_sandbox, client) = default_sandbox().await;

    let listing = client.list_flex_backup_snapshots(GROUP, CLUSTER);
    let snapshots = all_in_pages_of(3, listing, DEFAULT_FLEX_SNAPSHOT_COUNT).await;
    assert_eq!(
        snapshots.last().unwrap().status,
        Some(FlexBackupStatus::Running)
    );

    assert_each_served(&snapshots, |snapshot| {
        let id = snapshot.id.as_deref().unwrap();
        client
            .get_flex_backup_snapshot(GROUP, CLUSTER, id)
            .envelope(true)
    })
    .await;

    let pretty = client.get_flex_backup_snapshot(GROUP, CLUSTER, UNKNOWN_ID);
    let refused = error_of(pretty.pretty(true)).await;
    assert_eq!(refused.kind(), ErrorKind::InvalidArgument);
    assert_not_found(client.get_flex_backup_snapshot(GROUP, CLUSTER, UNKNOWN_ID)).await;
}

#[tokio::test]
async fn a_created_flex_restore_job_is_listed_and_served() {
    let (_sandbox, client) = default_sandbox().await;
    let snapshots = all(client.list_flex_backup_snapshots(GROUP, CLUSTER)).await;
    let snapshot_id = first_completed(&snapshots).id.clone().unwrap();

    let body = FlexBackupRestoreJobCreate::new(&snapshot_id, "flex-restore");
    let created = ok(client.create_flex_restore_job(GROUP, CLUSTER, &body)).await;
    let id = created.id.clone().expect("the new job has an id");
    assert_eq!(created.delivery_type, Some(FlexDeliveryType::Restore));
    assert_eq!(created.status, Some(FlexBackupRestoreJobStatus::Pending));
    assert_eq!(created.snapshot_id.as_deref(), Some(snapshot_id.as_str()));
    assert_eq!(
        created.target_deployment_item_name.as_deref(),
        Some("flex-restore")
    );
    assert_eq!(created.target_project_id.as_deref(), Some(GROUP));

    let listing = client.list_flex_restore_jobs(GROUP, CLUSTER);
    let one = client.get_flex_restore_job(GROUP, CLUSTER, &id);
    let count = DEFAULT_FLEX_JOB_COUNT + 1;
    assert_listed_last_and_served(&created, listing, count, one).await;
}

#[tokio::test]
async fn a_flex_download_is_listed_and_served_and_needs_a_completed_snapshot() {
    let (_sandbox, client) = default_sandbox().await;
    let snapshots = all(client.list_flex_backup_snapshots(GROUP, CLUSTER)).await;
    let completed = first_completed(&snapshots);

    let request = FlexBackupSnapshotDownloadCreate::new(completed.id.clone().unwrap());
    let download = ok(client.download_flex_backup(GROUP, CLUSTER, &request)).await;
    assert_eq!(download.delivery_type, Some(FlexDeliveryType::Download));
    assert_eq!(download.status, Some(FlexBackupRestoreJobStatus::Completed));
    assert!(download.snapshot_url.is_some());
    assert!(download.expiration_date.is_some());

    let listed = all(client.list_flex_restore_jobs(GROUP, CLUSTER)).await;
    assert_eq!(listed.len(), DEFAULT_FLEX_JOB_COUNT + 1);
    assert_eq!(listed.last(), Some(&download));
    let one = client
        .get_flex_restore_job(GROUP, CLUSTER, download.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(one, download);

    // The newest snapshot is still running: no download yet, and nothing is created.
    let running = snapshots.last().unwrap();
    let request = FlexBackupSnapshotDownloadCreate::new(running.id.clone().unwrap());
    let error = error_of(client.download_flex_backup(GROUP, CLUSTER, &request)).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert!(error.is_error_code("SNAPSHOT_NOT_COMPLETE"), "{error}");
    let after = ok(client.list_flex_restore_jobs(GROUP, CLUSTER)).await;
    assert_eq!(after.total_count(), Some(DEFAULT_FLEX_JOB_COUNT as u64 + 1));
}

#[tokio::test]
async fn a_seeded_flex_cluster_lists_every_page() {
    let sandbox = Sandbox::builder()
        .flex_cluster(GROUP, "big-flex", 250, 120)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);

    let jobs = client.list_flex_restore_jobs(GROUP, "big-flex");
    let jobs = all(jobs.items_per_page(100)).await;
    assert_eq!(jobs.len(), 250);
    let snapshots = client.list_flex_backup_snapshots(GROUP, "big-flex");
    let snapshots = all(snapshots.items_per_page(50)).await;
    assert_eq!(snapshots.len(), 120);
    // Every job restores a snapshot of the cluster.
    let ids: std::collections::HashSet<_> = snapshots.iter().filter_map(|s| s.id.clone()).collect();
    assert!(jobs
        .iter()
        .all(|j| ids.contains(j.snapshot_id.as_deref().unwrap())));

    // The default cluster is not there once the seed is chosen.
    let error = error_of(client.list_flex_restore_jobs(GROUP, CLUSTER)).await;
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"), "{error}");
}

#[tokio::test]
async fn past_the_sunset_every_serverless_endpoint_is_gone_and_flex_is_not() {
    let sandbox = Sandbox::builder()
        .sunset_serverless(true)
        .instance(GROUP, INSTANCE, 3)
        .flex_cluster(GROUP, CLUSTER, 2, 2)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let job = ServerlessBackupRestoreJobRequest::new(DeliveryType::Automated, "x", GROUP);

    let errors = [
        error_of(client.list_serverless_restore_jobs(GROUP, INSTANCE)).await,
        error_of(client.get_serverless_restore_job(GROUP, INSTANCE, UNKNOWN_ID)).await,
        error_of(client.create_serverless_restore_job(GROUP, INSTANCE, &job)).await,
        error_of(client.list_serverless_backup_snapshots(GROUP, INSTANCE)).await,
        error_of(client.get_serverless_backup_snapshot(GROUP, INSTANCE, UNKNOWN_ID)).await,
    ];
    for error in errors {
        assert!(error.is_version_gone(), "{error}");
        let message = error.to_string();
        assert!(message.contains("; use Flex"), "{message}");
    }

    let jobs = all(client.list_flex_restore_jobs(GROUP, CLUSTER)).await;
    assert_eq!(jobs.len(), 2);
}
