//! Every declared endpoint of the serverless and Flex backup families against the sandbox,
//! over loopback HTTP: listings, get-one, and create-then-list-then-get consistency.

#![allow(deprecated)] // the serverless endpoints are deprecated; they are still served

mod support;

use atlas_endpoints::{
    DeliveryType, ErrorKind, FlexBackupRestoreJobCreate, FlexBackupSnapshotDownloadCreate,
    FlexBackupStatus, FlexBackups, FlexDeliveryType, ServerlessBackupRestoreJob, ServerlessBackups,
    ServerlessSnapshotStatus,
};
use atlas_endpoints_sandbox::{
    Sandbox, DEFAULT_FLEX_CLUSTER, DEFAULT_FLEX_JOB_COUNT, DEFAULT_FLEX_SNAPSHOT_COUNT,
    DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT, MEDIA_TYPE_2023_01_01,
    MEDIA_TYPE_2024_11_13,
};
use support::client_for;

const GROUP: &str = DEFAULT_GROUP_ID;
const UNKNOWN_ID: &str = "0123456789abcdef01234567";

async fn sandbox() -> Sandbox {
    Sandbox::start().await.expect("the sandbox starts")
}

#[tokio::test]
async fn serverless_restore_jobs_list_and_get_one_agree() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);

    let jobs = client
        .list_serverless_backup_restore_jobs(GROUP, DEFAULT_INSTANCE)
        .items_per_page(10)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(jobs.len(), DEFAULT_JOB_COUNT);

    for job in [&jobs[0], &jobs[DEFAULT_JOB_COUNT - 1]] {
        let id = job.id.as_deref().unwrap();
        let one = client
            .get_serverless_backup_restore_job(GROUP, DEFAULT_INSTANCE, id)
            .await
            .unwrap();
        assert_eq!(&one, job);
    }

    let missing = client
        .get_serverless_backup_restore_job(GROUP, DEFAULT_INSTANCE, UNKNOWN_ID)
        .await
        .unwrap_err();
    assert!(missing.is_error_code("RESOURCE_NOT_FOUND"), "{missing}");
    assert!(sandbox
        .requests()
        .iter()
        .all(|r| r.header("accept") == Some(MEDIA_TYPE_2023_01_01)));
}

#[tokio::test]
async fn serverless_snapshots_list_and_get_one_agree() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);

    let page = client
        .list_serverless_backup_snapshots(GROUP, DEFAULT_INSTANCE)
        .items_per_page(100)
        .await
        .unwrap();
    assert_eq!(page.total_count(), Some(DEFAULT_JOB_COUNT as u64));
    let snapshot = &page.results()[5];
    assert_eq!(snapshot.status, Some(ServerlessSnapshotStatus::Completed));
    assert_eq!(
        snapshot.serverless_instance_name.as_deref(),
        Some(DEFAULT_INSTANCE)
    );

    let id = snapshot.id.as_deref().unwrap();
    let one = client
        .get_serverless_backup_snapshot(GROUP, DEFAULT_INSTANCE, id)
        .await
        .unwrap();
    assert_eq!(&one, snapshot);

    // The operation takes `envelope` but no `pretty`.
    let enveloped = client
        .get_serverless_backup_snapshot(GROUP, DEFAULT_INSTANCE, id)
        .envelope(true)
        .await
        .unwrap();
    assert_eq!(&enveloped, snapshot);
    let sent = sandbox.request_count();
    let refused = client
        .get_serverless_backup_snapshot(GROUP, DEFAULT_INSTANCE, id)
        .pretty(true)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidArgument);
    assert_eq!(sandbox.request_count(), sent, "nothing was sent");

    // Every restore job names a snapshot that exists.
    let jobs = client
        .list_serverless_backup_restore_jobs(GROUP, DEFAULT_INSTANCE)
        .collect_all()
        .await
        .unwrap();
    let snapshot_id = jobs[7].snapshot_id.as_deref().unwrap();
    let restored = client
        .get_serverless_backup_snapshot(GROUP, DEFAULT_INSTANCE, snapshot_id)
        .await
        .unwrap();
    assert_eq!(restored.id.as_deref(), Some(snapshot_id));
}

#[tokio::test]
async fn a_created_serverless_restore_job_is_listed_and_served() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);
    let snapshots = client
        .list_serverless_backup_snapshots(GROUP, DEFAULT_INSTANCE)
        .collect_all()
        .await
        .unwrap();
    let snapshot_id = snapshots[3].id.clone().unwrap();

    let mut job = ServerlessBackupRestoreJob::new(DeliveryType::Automated, "restore-target", GROUP);
    job.snapshot_id = Some(snapshot_id.clone());
    let created = client
        .create_serverless_backup_restore_job(GROUP, DEFAULT_INSTANCE, &job)
        .await
        .unwrap();
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

    let page = client
        .list_serverless_backup_restore_jobs(GROUP, DEFAULT_INSTANCE)
        .items_per_page(500)
        .await
        .unwrap();
    assert_eq!(page.total_count(), Some(DEFAULT_JOB_COUNT as u64 + 1));
    assert_eq!(page.results().last(), Some(&created));

    let one = client
        .get_serverless_backup_restore_job(GROUP, DEFAULT_INSTANCE, &id)
        .await
        .unwrap();
    assert_eq!(one, created);

    // A job without the snapshot the sandbox needs is refused, and nothing is created.
    let incomplete = ServerlessBackupRestoreJob::new(DeliveryType::Download, "x", GROUP);
    let error = client
        .create_serverless_backup_restore_job(GROUP, DEFAULT_INSTANCE, &incomplete)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(error.attempts(), 1, "a POST is sent once");
    let after = client
        .list_serverless_backup_restore_jobs(GROUP, DEFAULT_INSTANCE)
        .await
        .unwrap();
    assert_eq!(after.total_count(), Some(DEFAULT_JOB_COUNT as u64 + 1));
}

#[tokio::test]
async fn flex_restore_jobs_list_and_get_one_agree() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);

    let jobs = client
        .list_flex_backup_restore_jobs(GROUP, DEFAULT_FLEX_CLUSTER)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(jobs.len(), DEFAULT_FLEX_JOB_COUNT);
    assert!(jobs
        .iter()
        .any(|j| j.delivery_type == Some(FlexDeliveryType::Download)));
    assert!(jobs
        .iter()
        .any(|j| j.delivery_type == Some(FlexDeliveryType::Restore)));

    for job in &jobs {
        let one = client
            .get_flex_backup_restore_job(GROUP, DEFAULT_FLEX_CLUSTER, job.id.as_deref().unwrap())
            .pretty(true)
            .await
            .unwrap();
        assert_eq!(&one, job);
    }
    let missing = client
        .get_flex_backup_restore_job(GROUP, DEFAULT_FLEX_CLUSTER, UNKNOWN_ID)
        .await
        .unwrap_err();
    assert!(missing.is_error_code("RESOURCE_NOT_FOUND"), "{missing}");
    assert!(sandbox
        .requests()
        .iter()
        .all(|r| r.header("accept") == Some(MEDIA_TYPE_2024_11_13)));
}

#[tokio::test]
async fn flex_snapshots_list_and_get_one_agree() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);

    let snapshots = client
        .list_flex_backup_snapshots(GROUP, DEFAULT_FLEX_CLUSTER)
        .items_per_page(3)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(snapshots.len(), DEFAULT_FLEX_SNAPSHOT_COUNT);
    assert_eq!(
        snapshots.last().unwrap().status,
        Some(FlexBackupStatus::Running)
    );

    for snapshot in &snapshots {
        let one = client
            .get_flex_backup_snapshot(GROUP, DEFAULT_FLEX_CLUSTER, snapshot.id.as_deref().unwrap())
            .envelope(true)
            .await
            .unwrap();
        assert_eq!(&one, snapshot);
    }

    let refused = client
        .get_flex_backup_snapshot(GROUP, DEFAULT_FLEX_CLUSTER, UNKNOWN_ID)
        .pretty(true)
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidArgument);
    let missing = client
        .get_flex_backup_snapshot(GROUP, DEFAULT_FLEX_CLUSTER, UNKNOWN_ID)
        .await
        .unwrap_err();
    assert!(missing.is_error_code("RESOURCE_NOT_FOUND"), "{missing}");
}

#[tokio::test]
async fn a_created_flex_restore_job_is_listed_and_served() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);
    let snapshots = client
        .list_flex_backup_snapshots(GROUP, DEFAULT_FLEX_CLUSTER)
        .collect_all()
        .await
        .unwrap();
    let completed = snapshots
        .iter()
        .find(|s| s.status == Some(FlexBackupStatus::Completed))
        .unwrap();
    let snapshot_id = completed.id.clone().unwrap();

    let body = FlexBackupRestoreJobCreate::new(&snapshot_id, "flex-restore");
    let created = client
        .create_flex_backup_restore_job(GROUP, DEFAULT_FLEX_CLUSTER, &body)
        .await
        .unwrap();
    let id = created.id.clone().expect("the new job has an id");
    assert_eq!(created.delivery_type, Some(FlexDeliveryType::Restore));
    assert_eq!(created.status, Some(FlexBackupStatus::Pending));
    assert_eq!(created.snapshot_id.as_deref(), Some(snapshot_id.as_str()));
    assert_eq!(
        created.target_deployment_item_name.as_deref(),
        Some("flex-restore")
    );
    assert_eq!(created.target_project_id.as_deref(), Some(GROUP));

    let page = client
        .list_flex_backup_restore_jobs(GROUP, DEFAULT_FLEX_CLUSTER)
        .await
        .unwrap();
    assert_eq!(page.total_count(), Some(DEFAULT_FLEX_JOB_COUNT as u64 + 1));
    assert_eq!(page.results().last(), Some(&created));
    let one = client
        .get_flex_backup_restore_job(GROUP, DEFAULT_FLEX_CLUSTER, &id)
        .await
        .unwrap();
    assert_eq!(one, created);
}

#[tokio::test]
async fn a_flex_download_is_listed_and_served_and_needs_a_completed_snapshot() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);
    let snapshots = client
        .list_flex_backup_snapshots(GROUP, DEFAULT_FLEX_CLUSTER)
        .collect_all()
        .await
        .unwrap();
    let completed = snapshots
        .iter()
        .find(|s| s.status == Some(FlexBackupStatus::Completed))
        .unwrap();

    let request = FlexBackupSnapshotDownloadCreate::new(completed.id.clone().unwrap());
    let download = client
        .download_flex_backup_snapshot(GROUP, DEFAULT_FLEX_CLUSTER, &request)
        .await
        .unwrap();
    assert_eq!(download.delivery_type, Some(FlexDeliveryType::Download));
    assert_eq!(download.status, Some(FlexBackupStatus::Completed));
    assert!(download.snapshot_url.is_some());
    assert!(download.expiration_date.is_some());

    let listed = client
        .list_flex_backup_restore_jobs(GROUP, DEFAULT_FLEX_CLUSTER)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed.len(), DEFAULT_FLEX_JOB_COUNT + 1);
    assert_eq!(listed.last(), Some(&download));
    let one = client
        .get_flex_backup_restore_job(GROUP, DEFAULT_FLEX_CLUSTER, download.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(one, download);

    // The newest snapshot is still running: no download yet, and nothing is created.
    let running = snapshots.last().unwrap();
    let request = FlexBackupSnapshotDownloadCreate::new(running.id.clone().unwrap());
    let error = client
        .download_flex_backup_snapshot(GROUP, DEFAULT_FLEX_CLUSTER, &request)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(409));
    assert!(error.is_error_code("SNAPSHOT_NOT_COMPLETE"), "{error}");
    let after = client
        .list_flex_backup_restore_jobs(GROUP, DEFAULT_FLEX_CLUSTER)
        .await
        .unwrap();
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

    let jobs = client
        .list_flex_backup_restore_jobs(GROUP, "big-flex")
        .items_per_page(100)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(jobs.len(), 250);
    let snapshots = client
        .list_flex_backup_snapshots(GROUP, "big-flex")
        .items_per_page(50)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(snapshots.len(), 120);
    // Every job restores a snapshot of the cluster.
    let ids: std::collections::HashSet<_> = snapshots.iter().filter_map(|s| s.id.clone()).collect();
    assert!(jobs
        .iter()
        .all(|j| ids.contains(j.snapshot_id.as_deref().unwrap())));

    // The default cluster is not there once the seed is chosen.
    let error = client
        .list_flex_backup_restore_jobs(GROUP, DEFAULT_FLEX_CLUSTER)
        .await
        .unwrap_err();
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"), "{error}");
}

#[tokio::test]
async fn past_the_sunset_every_serverless_endpoint_is_gone_and_flex_is_not() {
    let sandbox = Sandbox::builder()
        .sunset_serverless(true)
        .instance(GROUP, DEFAULT_INSTANCE, 3)
        .flex_cluster(GROUP, DEFAULT_FLEX_CLUSTER, 2, 2)
        .start()
        .await
        .unwrap();
    let client = client_for(&sandbox);
    let job = ServerlessBackupRestoreJob::new(DeliveryType::Automated, "x", GROUP);

    let errors = [
        client
            .list_serverless_backup_restore_jobs(GROUP, DEFAULT_INSTANCE)
            .await
            .map(drop)
            .unwrap_err(),
        client
            .get_serverless_backup_restore_job(GROUP, DEFAULT_INSTANCE, UNKNOWN_ID)
            .await
            .map(drop)
            .unwrap_err(),
        client
            .create_serverless_backup_restore_job(GROUP, DEFAULT_INSTANCE, &job)
            .await
            .map(drop)
            .unwrap_err(),
        client
            .list_serverless_backup_snapshots(GROUP, DEFAULT_INSTANCE)
            .await
            .map(drop)
            .unwrap_err(),
        client
            .get_serverless_backup_snapshot(GROUP, DEFAULT_INSTANCE, UNKNOWN_ID)
            .await
            .map(drop)
            .unwrap_err(),
    ];
    for error in errors {
        assert!(error.is_version_gone(), "{error}");
        let message = error.to_string();
        assert!(message.contains("FlexBackups::"), "{message}");
    }

    let jobs = client
        .list_flex_backup_restore_jobs(GROUP, DEFAULT_FLEX_CLUSTER)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(jobs.len(), 2);
}
