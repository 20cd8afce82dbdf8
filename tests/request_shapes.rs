//! The exact request every declared endpoint sends, inspected without any network: method,
//! path, query, `Accept`, `Content-Type` and body.

#![allow(deprecated)] // the serverless endpoints are deprecated; they are still declared

use atlas_endpoints::{
    Client, DeliveryType, ErrorKind, FlexBackupRestoreJobCreate, FlexBackupSnapshotDownloadCreate,
    FlexBackups, Method, PreparedRequest, Rule, ServerlessBackupRestoreJob, ServerlessBackups,
};

const BASE: &str = "https://cloud.mongodb.com";
const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const JOB: &str = "5e2211c17a3e5a48f5497de3";
const SNAPSHOT: &str = "5e2211c17a3e5a48f5497de4";
const INSTANCE: &str = "serverless-demo";
const FLEX: &str = "flex-demo";
const V2023: &str = "application/vnd.atlas.2023-01-01+json";
const V2024: &str = "application/vnd.atlas.2024-11-13+json";

fn client() -> Client {
    Client::builder()
        .base_url(BASE)
        .bearer_token("token")
        .build()
        .unwrap()
}

/// Asserts the whole request: `target` is the path below the API prefix with its query.
fn assert_shape(
    request: &PreparedRequest,
    method: Method,
    target: &str,
    media_type: &str,
    body: Option<serde_json::Value>,
) {
    assert_eq!(request.method(), method, "{request}");
    assert_eq!(
        request.url().as_str(),
        format!("{BASE}/api/atlas/v2{target}"),
        "{request}"
    );
    assert_eq!(request.headers()["accept"], media_type, "{request}");
    match body {
        Some(expected) => {
            assert_eq!(request.headers()["content-type"], media_type, "{request}");
            let sent: serde_json::Value = serde_json::from_slice(request.body().unwrap()).unwrap();
            assert_eq!(sent, expected);
        }
        None => {
            assert!(request.headers().get("content-type").is_none(), "{request}");
            assert!(request.body().is_none(), "{request}");
        }
    }
}

#[test]
fn list_serverless_backup_restore_jobs() {
    let request = client()
        .list_serverless_backup_restore_jobs(GROUP, INSTANCE)
        .page_num(2)
        .items_per_page(50)
        .include_count(false)
        .envelope(true)
        .pretty(true)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!("/groups/{GROUP}/serverless/{INSTANCE}/backup/restoreJobs?pageNum=2&itemsPerPage=50&includeCount=false&envelope=true&pretty=true"),
        V2023,
        None,
    );
}

#[test]
fn get_serverless_backup_restore_job() {
    let request = client()
        .get_serverless_backup_restore_job(GROUP, INSTANCE, JOB)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!("/groups/{GROUP}/serverless/{INSTANCE}/backup/restoreJobs/{JOB}"),
        V2023,
        None,
    );
    let pretty = client()
        .get_serverless_backup_restore_job(GROUP, INSTANCE, JOB)
        .pretty(true)
        .inspect()
        .unwrap();
    assert_eq!(pretty.url().query(), Some("pretty=true"));
}

#[test]
fn create_serverless_backup_restore_job() {
    let mut job = ServerlessBackupRestoreJob::new(DeliveryType::Automated, "target-0", GROUP);
    job.snapshot_id = Some(SNAPSHOT.to_owned());
    let request = client()
        .create_serverless_backup_restore_job(GROUP, INSTANCE, &job)
        .envelope(false)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Post,
        &format!("/groups/{GROUP}/serverless/{INSTANCE}/backup/restoreJobs?envelope=false"),
        V2023,
        Some(serde_json::json!({
            "deliveryType": "automated",
            "snapshotId": SNAPSHOT,
            "targetClusterName": "target-0",
            "targetGroupId": GROUP,
        })),
    );
}

#[test]
fn list_serverless_backup_snapshots() {
    let request = client()
        .list_serverless_backup_snapshots(GROUP, INSTANCE)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!("/groups/{GROUP}/serverless/{INSTANCE}/backup/snapshots?pageNum=1"),
        V2023,
        None,
    );
}

#[test]
fn get_serverless_backup_snapshot() {
    let request = client()
        .get_serverless_backup_snapshot(GROUP, INSTANCE, SNAPSHOT)
        .envelope(true)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!("/groups/{GROUP}/serverless/{INSTANCE}/backup/snapshots/{SNAPSHOT}?envelope=true"),
        V2023,
        None,
    );
}

#[test]
fn list_flex_backup_restore_jobs() {
    let request = client()
        .list_flex_backup_restore_jobs(GROUP, FLEX)
        .items_per_page(500)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!(
            "/groups/{GROUP}/flexClusters/{FLEX}/backup/restoreJobs?pageNum=1&itemsPerPage=500"
        ),
        V2024,
        None,
    );
}

#[test]
fn get_flex_backup_restore_job() {
    let request = client()
        .get_flex_backup_restore_job(GROUP, FLEX, JOB)
        .pretty(true)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!("/groups/{GROUP}/flexClusters/{FLEX}/backup/restoreJobs/{JOB}?pretty=true"),
        V2024,
        None,
    );
}

#[test]
fn create_flex_backup_restore_job() {
    let mut body = FlexBackupRestoreJobCreate::new(SNAPSHOT, "flex-target");
    body.target_project_id = Some(GROUP.to_owned());
    let request = client()
        .create_flex_backup_restore_job(GROUP, FLEX, &body)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Post,
        &format!("/groups/{GROUP}/flexClusters/{FLEX}/backup/restoreJobs"),
        V2024,
        Some(serde_json::json!({
            "snapshotId": SNAPSHOT,
            "targetDeploymentItemName": "flex-target",
            "targetProjectId": GROUP,
        })),
    );
}

#[test]
fn list_flex_backup_snapshots() {
    let request = client()
        .list_flex_backup_snapshots(GROUP, FLEX)
        .page_num(3)
        .include_count(true)
        .envelope(true)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!("/groups/{GROUP}/flexClusters/{FLEX}/backup/snapshots?pageNum=3&includeCount=true&envelope=true"),
        V2024,
        None,
    );
}

#[test]
fn get_flex_backup_snapshot() {
    let request = client()
        .get_flex_backup_snapshot(GROUP, FLEX, SNAPSHOT)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Get,
        &format!("/groups/{GROUP}/flexClusters/{FLEX}/backup/snapshots/{SNAPSHOT}"),
        V2024,
        None,
    );
}

#[test]
fn download_flex_backup_snapshot() {
    let body = FlexBackupSnapshotDownloadCreate::new(SNAPSHOT);
    let request = client()
        .download_flex_backup_snapshot(GROUP, FLEX, &body)
        .inspect()
        .unwrap();
    assert_shape(
        &request,
        Method::Post,
        &format!("/groups/{GROUP}/flexClusters/{FLEX}/backup/download"),
        V2024,
        Some(serde_json::json!({ "snapshotId": SNAPSHOT })),
    );
}

#[test]
fn pretty_on_an_endpoint_without_it_fails_before_sending() {
    let client = client();
    let calls = [
        client
            .get_serverless_backup_snapshot(GROUP, INSTANCE, SNAPSHOT)
            .pretty(true)
            .inspect(),
        client
            .get_flex_backup_snapshot(GROUP, FLEX, SNAPSHOT)
            .envelope(true)
            .pretty(true)
            .inspect(),
    ];
    for result in calls {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        let detail = error.invalid_argument_detail().unwrap();
        assert_eq!(detail.parameter, "pretty");
        assert_eq!(detail.rule, Rule::NotAccepted);
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }

    // `false` is what Atlas assumes without the parameter: accepted, and not sent.
    let request = client
        .get_flex_backup_snapshot(GROUP, FLEX, SNAPSHOT)
        .pretty(false)
        .inspect()
        .unwrap();
    assert_eq!(request.url().query(), None);
}

#[tokio::test]
async fn pretty_on_an_endpoint_without_it_sends_nothing() {
    let sandbox = atlas_endpoints_sandbox::Sandbox::start().await.unwrap();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .build()
        .unwrap();
    let error = client
        .get_flex_backup_snapshot(GROUP, FLEX, SNAPSHOT)
        .pretty(true)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(sandbox.request_count(), 0);
}

#[test]
fn path_values_are_checked_against_the_spec_patterns() {
    let client = client();
    let cases = [
        (
            client
                .get_flex_backup_restore_job(GROUP, FLEX, "not-an-id")
                .inspect(),
            "restore_job_id",
        ),
        (
            client
                .get_serverless_backup_snapshot(GROUP, INSTANCE, "ABCDEF0123456789abcdef01")
                .inspect(),
            "snapshot_id",
        ),
        (
            client
                .list_flex_backup_snapshots(GROUP, "flex/../demo")
                .inspect(),
            "name",
        ),
        (
            client
                .get_serverless_backup_restore_job(GROUP, "-leading-dash", JOB)
                .inspect(),
            "cluster_name",
        ),
    ];
    for (result, parameter) in cases {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
        assert_eq!(
            error.invalid_argument_detail().unwrap().parameter,
            parameter
        );
    }
}
