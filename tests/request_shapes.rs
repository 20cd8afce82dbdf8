//! The exact request every declared endpoint sends, inspected without any network: method,
//! path, query, `Accept`, `Content-Type` and body.

#![allow(deprecated)] // the serverless endpoints are deprecated; they are still declared

mod support;

use atlas_endpoints::models::ServerlessBackupRestoreJobRequest;
use atlas_endpoints::prelude::*;
use atlas_endpoints::{
    Client, DeliveryType, ErrorKind, FlexBackupRestoreJobCreate, FlexBackupSnapshotDownloadCreate,
    Method, PreparedRequest, Rule,
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
    support::inspecting_client()
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

/// The path below the API prefix of the serverless instance's `rest`.
fn serverless(rest: &str) -> String {
    format!("/groups/{GROUP}/serverless/{INSTANCE}/backup/{rest}")
}

/// The path below the API prefix of the Flex cluster's `rest`.
fn flex(rest: &str) -> String {
    format!("/groups/{GROUP}/flexClusters/{FLEX}/backup/{rest}")
}

/// The body of the serverless restore job the table creates.
fn serverless_job() -> ServerlessBackupRestoreJobRequest {
    let mut job =
        ServerlessBackupRestoreJobRequest::new(DeliveryType::Automated, "target-0", GROUP);
    job.snapshot_id = Some(SNAPSHOT.to_owned());
    job
}

/// The body of the Flex restore job the table creates.
fn flex_restore() -> FlexBackupRestoreJobCreate {
    let mut body = FlexBackupRestoreJobCreate::new(SNAPSHOT, "flex-target");
    body.target_project_id = Some(GROUP.to_owned());
    body
}

/// The body of the Flex snapshot download the table asks for.
fn snapshot_download() -> FlexBackupSnapshotDownloadCreate {
    FlexBackupSnapshotDownloadCreate::new(SNAPSHOT)
}

/// One test per row, `name: call => method target, media type, body;`: the request that
/// `call` builds, inspected, is `method` on `target` (the path below the API prefix, with
/// its query) with that `Accept` and, if `body` is `Some`, that JSON body with the same
/// `Content-Type`.
macro_rules! request_shapes {
    ($(
        $name:ident: $call:expr => $method:ident $target:expr, $media_type:expr, $body:expr;
    )*) => {$(
        #[test]
        fn $name() {
            let request = $call.inspect().unwrap();
            assert_shape(&request, Method::$method, &$target, $media_type, $body);
        }
    )*};
}

request_shapes! {
    list_serverless_restore_jobs:
        client().list_serverless_restore_jobs(GROUP, INSTANCE)
            .page_num(2).items_per_page(50).include_count(false).envelope(true).pretty(true)
        => Get serverless(
            "restoreJobs?pageNum=2&itemsPerPage=50&includeCount=false&envelope=true&pretty=true"
        ), V2023, None;
    get_serverless_restore_job:
        client().get_serverless_restore_job(GROUP, INSTANCE, JOB)
        => Get serverless(&format!("restoreJobs/{JOB}")), V2023, None;
    get_serverless_backup_restore_job_pretty:
        client().get_serverless_restore_job(GROUP, INSTANCE, JOB).pretty(true)
        => Get serverless(&format!("restoreJobs/{JOB}?pretty=true")), V2023, None;
    create_serverless_restore_job:
        client().create_serverless_restore_job(GROUP, INSTANCE, &serverless_job())
            .envelope(false)
        => Post serverless("restoreJobs?envelope=false"), V2023, Some(serde_json::json!({
            "deliveryType": "automated",
            "snapshotId": SNAPSHOT,
            "targetClusterName": "target-0",
            "targetGroupId": GROUP,
        }));
    list_serverless_backup_snapshots:
        client().list_serverless_backup_snapshots(GROUP, INSTANCE)
        => Get serverless("snapshots?pageNum=1"), V2023, None;
    get_serverless_backup_snapshot:
        client().get_serverless_backup_snapshot(GROUP, INSTANCE, SNAPSHOT).envelope(true)
        => Get serverless(&format!("snapshots/{SNAPSHOT}?envelope=true")), V2023, None;
    list_flex_restore_jobs:
        client().list_flex_restore_jobs(GROUP, FLEX).items_per_page(500)
        => Get flex("restoreJobs?pageNum=1&itemsPerPage=500"), V2024, None;
    get_flex_restore_job:
        client().get_flex_restore_job(GROUP, FLEX, JOB).pretty(true)
        => Get flex(&format!("restoreJobs/{JOB}?pretty=true")), V2024, None;
    create_flex_restore_job:
        client().create_flex_restore_job(GROUP, FLEX, &flex_restore())
        => Post flex("restoreJobs"), V2024, Some(serde_json::json!({
            "snapshotId": SNAPSHOT,
            "targetDeploymentItemName": "flex-target",
            "targetProjectId": GROUP,
        }));
    list_flex_backup_snapshots:
        client().list_flex_backup_snapshots(GROUP, FLEX)
            .page_num(3).include_count(true).envelope(true)
        => Get flex("snapshots?pageNum=3&includeCount=true&envelope=true"), V2024, None;
    get_flex_backup_snapshot:
        client().get_flex_backup_snapshot(GROUP, FLEX, SNAPSHOT)
        => Get flex(&format!("snapshots/{SNAPSHOT}")), V2024, None;
    download_flex_backup:
        client().download_flex_backup(GROUP, FLEX, &snapshot_download())
        => Post flex("download"), V2024, Some(serde_json::json!({ "snapshotId": SNAPSHOT }));
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
    let client = support::client_for(&sandbox);
    let call = client.get_flex_backup_snapshot(GROUP, FLEX, SNAPSHOT);
    let error = support::error_of(call.pretty(true)).await;
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(sandbox.request_count(), 0);
}

#[test]
fn path_values_are_checked_against_the_spec_patterns() {
    let client = client();
    let cases = [
        (
            client
                .get_flex_restore_job(GROUP, FLEX, "not-an-id")
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
                .get_serverless_restore_job(GROUP, "-leading-dash", JOB)
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
