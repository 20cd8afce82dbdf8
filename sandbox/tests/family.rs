//! The serverless and Flex backup family over loopback: restore jobs,
//! snapshots and downloads, with the state they share.

use atlas_endpoints_sandbox::{
    Fault, ListingQuirk, Sandbox, DEFAULT_EMPTY_INSTANCE, DEFAULT_FLEX_CLUSTER,
    DEFAULT_FLEX_JOB_COUNT, DEFAULT_FLEX_SNAPSHOT_COUNT, DEFAULT_GROUP_ID, DEFAULT_INSTANCE,
    DEFAULT_JOB_COUNT, MEDIA_TYPE_2023_01_01, MEDIA_TYPE_2024_11_13,
};
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const SERVERLESS: &str = MEDIA_TYPE_2023_01_01;
const FLEX: &str = MEDIA_TYPE_2024_11_13;
const UNKNOWN_ID: &str = "0123456789abcdef01234567";

fn serverless(kind: &str) -> String {
    format!("/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/{DEFAULT_INSTANCE}/backup/{kind}")
}

fn flex(kind: &str) -> String {
    format!(
        "/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/flexClusters/{DEFAULT_FLEX_CLUSTER}/backup/{kind}"
    )
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    json: Value,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn results(&self) -> Vec<Value> {
        self.json["results"].as_array().cloned().unwrap_or_default()
    }

    fn fields(&self) -> Vec<String> {
        self.json["badRequestDetail"]["fields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|f| f["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Sends `method` to `path_and_query` with the sandbox's token, `accept`
/// (if any) and `body` (if any, as JSON).
async fn send(
    sandbox: &Sandbox,
    method: Method,
    path_and_query: &str,
    accept: Option<&str>,
    body: Option<&str>,
) -> Reply {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path_and_query}", sandbox.base_url()))
        .header(AUTHORIZATION, format!("Bearer {}", sandbox.token()));
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    if let Some(body) = body {
        request = request
            .header(CONTENT_TYPE, accept.unwrap_or("application/json"))
            .body(body.to_owned());
    }
    let response = request.send().await.expect("request reaches the sandbox");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        json,
    }
}

async fn get(sandbox: &Sandbox, path_and_query: &str, accept: &str) -> Reply {
    send(sandbox, Method::GET, path_and_query, Some(accept), None).await
}

async fn post(sandbox: &Sandbox, path_and_query: &str, accept: &str, body: &Value) -> Reply {
    let body = body.to_string();
    send(
        sandbox,
        Method::POST,
        path_and_query,
        Some(accept),
        Some(&body),
    )
    .await
}

fn assert_ok(reply: &Reply, media_type: &str) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.header("content-type"), media_type);
}

fn assert_api_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.json["error"], status);
    assert_eq!(reply.json["errorCode"], code);
    assert_eq!(
        reply.json["reason"].as_str(),
        reply.status.canonical_reason()
    );
    assert!(reply.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

fn is_object_id(value: &Value) -> bool {
    value.as_str().is_some_and(|id| {
        id.len() == 24 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// `2025-11-03T10:15:00Z`-shaped.
fn is_rfc3339(value: &Value) -> bool {
    value.as_str().is_some_and(|date| {
        let b = date.as_bytes();
        b.len() == 20
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && b[19] == b'Z'
            && date[..4]
                .parse::<u32>()
                .is_ok_and(|year| (2025..2040).contains(&year))
    })
}

fn rels(page: &Value) -> Vec<&str> {
    page["links"]
        .as_array()
        .map(|links| links.iter().filter_map(|l| l["rel"].as_str()).collect())
        .unwrap_or_default()
}

// ----- serverless -----

#[tokio::test]
async fn serverless_snapshots_list_and_resolve_every_job_reference() {
    let sandbox = Sandbox::start().await.expect("start");
    let page = get(&sandbox, &serverless("snapshots"), SERVERLESS).await;
    assert_ok(&page, SERVERLESS);
    assert_eq!(page.json["totalCount"], DEFAULT_JOB_COUNT);
    let snapshots = page.results();
    assert_eq!(snapshots.len(), DEFAULT_JOB_COUNT);
    assert_eq!(snapshots[0]["createdAt"], "2025-11-03T10:15:00Z");
    for snapshot in &snapshots {
        assert!(is_object_id(&snapshot["id"]));
        assert!(is_rfc3339(&snapshot["createdAt"]) && is_rfc3339(&snapshot["expiresAt"]));
        assert!(snapshot["expiresAt"].as_str() > snapshot["createdAt"].as_str());
        assert!(["hourly", "daily", "weekly", "monthly"]
            .contains(&snapshot["frequencyType"].as_str().unwrap_or("")));
        assert_eq!(snapshot["status"], "completed");
        assert_eq!(snapshot["snapshotType"], "scheduled");
        assert_eq!(snapshot["serverlessInstanceName"], DEFAULT_INSTANCE);
        assert!(snapshot["mongodVersion"]
            .as_str()
            .is_some_and(|v| v.split('.').count() == 3 && v.starts_with("8.0.")));
        assert!(snapshot["storageSizeBytes"]
            .as_i64()
            .is_some_and(|size| size > 100_000_000));
    }
    assert!(snapshots.iter().any(|s| s["frequencyType"] == "daily"));
    assert!(snapshots.iter().any(|s| s["frequencyType"] == "hourly"));

    // Every restore job names a snapshot of the listing, taken at its
    // `timestamp`.
    let jobs = get(&sandbox, &serverless("restoreJobs"), SERVERLESS)
        .await
        .results();
    assert_eq!(jobs.len(), DEFAULT_JOB_COUNT);
    for job in &jobs {
        let snapshot = snapshots
            .iter()
            .find(|s| s["id"] == job["snapshotId"])
            .expect("the job's snapshot is listed");
        assert_eq!(snapshot["createdAt"], job["timestamp"]);
    }

    // Get one: the same object as in the listing, at its `self` link.
    let first = &snapshots[5];
    let one = get(
        &sandbox,
        &format!(
            "{}/{}",
            serverless("snapshots"),
            first["id"].as_str().unwrap_or("")
        ),
        SERVERLESS,
    )
    .await;
    assert_ok(&one, SERVERLESS);
    assert_eq!(&one.json, first);
    let self_link = first["links"][0]["href"].as_str().unwrap_or("");
    assert_eq!(
        self_link,
        format!(
            "{}{}/{}",
            sandbox.base_url(),
            serverless("snapshots"),
            first["id"].as_str().unwrap_or("?")
        )
    );

    // Paging works as on the restore jobs.
    let second = get(
        &sandbox,
        &format!("{}?itemsPerPage=10&pageNum=2", serverless("snapshots")),
        SERVERLESS,
    )
    .await;
    assert_eq!(second.results(), snapshots[10..20].to_vec());
    assert_eq!(rels(&second.json), ["self", "previous", "next"]);

    let empty = get(
        &sandbox,
        &format!(
            "/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/{DEFAULT_EMPTY_INSTANCE}/backup/snapshots"
        ),
        SERVERLESS,
    )
    .await;
    assert_eq!(empty.json["totalCount"], 0);
}

#[tokio::test]
async fn serverless_get_one_restore_job_and_its_errors() {
    let sandbox = Sandbox::start().await.expect("start");
    let jobs = get(&sandbox, &serverless("restoreJobs"), SERVERLESS)
        .await
        .results();
    let job = &jobs[7];
    let path = format!(
        "{}/{}",
        serverless("restoreJobs"),
        job["id"].as_str().unwrap_or("")
    );
    let one = get(&sandbox, &path, SERVERLESS).await;
    assert_ok(&one, SERVERLESS);
    assert_eq!(&one.json, job);

    let unknown = get(
        &sandbox,
        &format!("{}/{UNKNOWN_ID}", serverless("restoreJobs")),
        SERVERLESS,
    )
    .await;
    assert_api_error(&unknown, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(unknown.json["parameters"][0]["restoreJobId"], UNKNOWN_ID);

    let invalid = get(
        &sandbox,
        &format!("{}/NOT-AN-ID", serverless("restoreJobs")),
        SERVERLESS,
    )
    .await;
    assert_api_error(&invalid, 400, "VALIDATION_ERROR");
    assert_eq!(invalid.fields(), ["restoreJobId"]);

    let wrong_version = get(&sandbox, &path, FLEX).await;
    assert_api_error(&wrong_version, 406, "INVALID_VERSION_DATE");
    assert_eq!(
        wrong_version.json["parameters"][0]["acceptedMediaType"],
        SERVERLESS
    );

    let unknown_instance = get(
        &sandbox,
        &format!(
            "/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/nowhere/backup/restoreJobs/{}",
            job["id"].as_str().unwrap_or("")
        ),
        SERVERLESS,
    )
    .await;
    assert_api_error(&unknown_instance, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(
        unknown_instance.json["parameters"][0]["clusterName"],
        "nowhere"
    );
}

#[tokio::test]
async fn serverless_snapshot_errors() {
    let sandbox = Sandbox::start().await.expect("start");
    let unknown = get(
        &sandbox,
        &format!("{}/{UNKNOWN_ID}", serverless("snapshots")),
        SERVERLESS,
    )
    .await;
    assert_api_error(&unknown, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(unknown.json["parameters"][0]["snapshotId"], UNKNOWN_ID);

    let invalid = get(
        &sandbox,
        &format!("/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/-bad/backup/snapshots/xyz"),
        SERVERLESS,
    )
    .await;
    assert_api_error(&invalid, 400, "VALIDATION_ERROR");
    assert_eq!(invalid.fields(), ["clusterName", "snapshotId"]);

    let bad_paging = get(
        &sandbox,
        &format!("{}?itemsPerPage=501", serverless("snapshots")),
        SERVERLESS,
    )
    .await;
    assert_api_error(&bad_paging, 400, "VALIDATION_ERROR");
    assert_eq!(bad_paging.fields(), ["itemsPerPage"]);

    let list_406 = get(&sandbox, &serverless("snapshots"), "application/json").await;
    assert_api_error(&list_406, 406, "INVALID_VERSION_DATE");
    let one_406 = get(
        &sandbox,
        &format!("{}/{UNKNOWN_ID}", serverless("snapshots")),
        FLEX,
    )
    .await;
    assert_api_error(&one_406, 406, "INVALID_VERSION_DATE");
}

#[tokio::test]
async fn serverless_create_then_list_then_get() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = get(&sandbox, &serverless("snapshots"), SERVERLESS)
        .await
        .results();
    let before = get(&sandbox, &serverless("restoreJobs"), SERVERLESS)
        .await
        .results();
    let snapshot = &snapshots[10];
    let request = json!({
        "deliveryType": "automated",
        "snapshotId": snapshot["id"],
        "targetClusterName": "Cluster0",
        "targetGroupId": DEFAULT_GROUP_ID,
        // Read-only fields are ignored.
        "id": UNKNOWN_ID,
        "failed": true,
    });
    let created = post(&sandbox, &serverless("restoreJobs"), SERVERLESS, &request).await;
    assert_ok(&created, SERVERLESS);
    let job = created.json.clone();
    assert!(is_object_id(&job["id"]));
    assert_ne!(job["id"], UNKNOWN_ID);
    assert!(before.iter().all(|old| old["id"] != job["id"]));
    assert_eq!(job["deliveryType"], "automated");
    assert_eq!(job["snapshotId"], snapshot["id"]);
    assert_eq!(job["timestamp"], snapshot["createdAt"]);
    assert_eq!(job["targetClusterName"], "Cluster0");
    assert_eq!(job["targetGroupId"], DEFAULT_GROUP_ID);
    assert_eq!(job["failed"], false);
    assert_eq!(job["cancelled"], false);
    assert!(job.get("finishedAt").is_none());
    assert!(is_rfc3339(&job["expiresAt"]));
    // Created after every seeded job: its id sorts last.
    assert!(before
        .iter()
        .all(|old| old["id"].as_str() < job["id"].as_str()));

    let after = get(&sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_eq!(after.json["totalCount"], DEFAULT_JOB_COUNT + 1);
    assert_eq!(after.results().last(), Some(&job));
    let one = get(
        &sandbox,
        &format!(
            "{}/{}",
            serverless("restoreJobs"),
            job["id"].as_str().unwrap_or("")
        ),
        SERVERLESS,
    )
    .await;
    assert_eq!(one.json, job);
    let self_link = job["links"][0]["href"].as_str().unwrap_or("");
    assert!(self_link.ends_with(&format!(
        "/restoreJobs/{}",
        job["id"].as_str().unwrap_or("?")
    )));

    // A download gets a delivery URL; the count keeps growing.
    let download = post(
        &sandbox,
        &serverless("restoreJobs"),
        SERVERLESS,
        &json!({
            "deliveryType": "download",
            "snapshotId": snapshot["id"],
            "targetClusterName": DEFAULT_INSTANCE,
            "targetGroupId": DEFAULT_GROUP_ID,
        }),
    )
    .await;
    assert_ok(&download, SERVERLESS);
    assert!(download.json["deliveryUrl"][0]
        .as_str()
        .is_some_and(|url| url.starts_with("https://")
            && url.contains(snapshot["id"].as_str().unwrap_or("?"))));
    assert!(download.json["id"].as_str() > job["id"].as_str());
    let count = get(
        &sandbox,
        &format!("{}?itemsPerPage=1", serverless("restoreJobs")),
        SERVERLESS,
    )
    .await;
    assert_eq!(count.json["totalCount"], DEFAULT_JOB_COUNT + 2);
    // The snapshots are not changed by restores.
    let snapshot_count = get(&sandbox, &serverless("snapshots"), SERVERLESS).await;
    assert_eq!(snapshot_count.json["totalCount"], DEFAULT_JOB_COUNT);
}

#[tokio::test]
async fn serverless_point_in_time_restores_from_the_snapshot_before() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = get(&sandbox, &serverless("snapshots"), SERVERLESS)
        .await
        .results();
    // 2025-11-04T12:00:00Z: after the snapshot of 10:15 that day, before 16:15.
    let moment = 1_762_257_600_i64;
    let created = post(
        &sandbox,
        &serverless("restoreJobs"),
        SERVERLESS,
        &json!({
            "deliveryType": "pointInTime",
            "pointInTimeUTCSeconds": moment,
            "targetClusterName": "staging-restore",
            "targetGroupId": DEFAULT_GROUP_ID,
        }),
    )
    .await;
    assert_ok(&created, SERVERLESS);
    let expected = snapshots
        .iter()
        .find(|s| s["createdAt"] == "2025-11-04T10:15:00Z")
        .expect("seeded snapshot");
    assert_eq!(created.json["snapshotId"], expected["id"]);
    assert_eq!(created.json["pointInTimeUTCSeconds"], moment);
    assert_eq!(
        created.json["desiredTimestamp"]["date"],
        "2025-11-04T12:00:00Z"
    );
    assert_eq!(created.json["desiredTimestamp"]["increment"], moment);

    // With oplogTs and oplogInc instead.
    let oplog = post(
        &sandbox,
        &serverless("restoreJobs"),
        SERVERLESS,
        &json!({
            "deliveryType": "pointInTime",
            "oplogTs": moment,
            "oplogInc": 3,
            "targetClusterName": "staging-restore",
            "targetGroupId": DEFAULT_GROUP_ID,
        }),
    )
    .await;
    assert_ok(&oplog, SERVERLESS);
    assert_eq!(oplog.json["oplogTs"], moment);
    assert_eq!(oplog.json["oplogInc"], 3);

    // Before the first snapshot: nothing can restore it.
    let too_early = post(
        &sandbox,
        &serverless("restoreJobs"),
        SERVERLESS,
        &json!({
            "deliveryType": "pointInTime",
            "pointInTimeUTCSeconds": 1_700_000_000,
            "targetClusterName": "staging-restore",
            "targetGroupId": DEFAULT_GROUP_ID,
        }),
    )
    .await;
    assert_api_error(&too_early, 400, "VALIDATION_ERROR");
    assert_eq!(too_early.fields(), ["pointInTimeUTCSeconds"]);

    let count = get(&sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_eq!(count.json["totalCount"], DEFAULT_JOB_COUNT + 2);
}

#[tokio::test]
async fn serverless_create_rejects_bad_bodies() {
    let sandbox = Sandbox::start().await.expect("start");
    let path = serverless("restoreJobs");

    let empty_object = post(&sandbox, &path, SERVERLESS, &json!({})).await;
    assert_api_error(&empty_object, 400, "VALIDATION_ERROR");
    assert_eq!(
        empty_object.fields(),
        ["deliveryType", "targetClusterName", "targetGroupId"]
    );

    let missing_target = post(
        &sandbox,
        &path,
        SERVERLESS,
        &json!({"deliveryType": "automated", "targetClusterName": "Cluster0",
                "snapshotId": UNKNOWN_ID}),
    )
    .await;
    assert_api_error(&missing_target, 400, "VALIDATION_ERROR");
    assert_eq!(missing_target.fields(), ["targetGroupId"]);

    let no_snapshot = post(
        &sandbox,
        &path,
        SERVERLESS,
        &json!({"deliveryType": "automated", "targetClusterName": "Cluster0",
                "targetGroupId": DEFAULT_GROUP_ID}),
    )
    .await;
    assert_api_error(&no_snapshot, 400, "VALIDATION_ERROR");
    assert_eq!(no_snapshot.fields(), ["snapshotId"]);

    let wrong_values = post(
        &sandbox,
        &path,
        SERVERLESS,
        &json!({"deliveryType": "teleport", "targetClusterName": "_bad",
                "targetGroupId": 42, "snapshotId": "ABC", "oplogInc": 0}),
    )
    .await;
    assert_api_error(&wrong_values, 400, "VALIDATION_ERROR");
    assert_eq!(
        wrong_values.fields(),
        [
            "deliveryType",
            "targetClusterName",
            "targetGroupId",
            "snapshotId",
            "oplogInc"
        ]
    );

    let no_moment = post(
        &sandbox,
        &path,
        SERVERLESS,
        &json!({"deliveryType": "pointInTime", "targetClusterName": "Cluster0",
                "targetGroupId": DEFAULT_GROUP_ID, "oplogTs": 1_762_257_600}),
    )
    .await;
    assert_eq!(no_moment.fields(), ["oplogInc"]);

    for raw in ["", "{not json", "[1, 2]"] {
        let reply = send(&sandbox, Method::POST, &path, Some(SERVERLESS), Some(raw)).await;
        assert_api_error(&reply, 400, "VALIDATION_ERROR");
        assert_eq!(reply.fields(), ["body"], "{raw:?}");
    }

    // Path and body problems are reported together.
    let both = post(
        &sandbox,
        &format!("/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/-x/backup/restoreJobs"),
        SERVERLESS,
        &json!({"targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID}),
    )
    .await;
    assert_eq!(both.fields(), ["clusterName", "deliveryType"]);

    // Nothing was created.
    let count = get(&sandbox, &path, SERVERLESS).await;
    assert_eq!(count.json["totalCount"], DEFAULT_JOB_COUNT);
}

#[tokio::test]
async fn serverless_create_for_unknown_things_is_404_or_406() {
    let sandbox = Sandbox::start().await.expect("start");
    let body = json!({"deliveryType": "automated", "snapshotId": UNKNOWN_ID,
                      "targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID});
    let unknown_snapshot = post(&sandbox, &serverless("restoreJobs"), SERVERLESS, &body).await;
    assert_api_error(&unknown_snapshot, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(
        unknown_snapshot.json["parameters"][0]["snapshotId"],
        UNKNOWN_ID
    );

    let unknown_group = post(
        &sandbox,
        &format!(
            "/api/atlas/v2/groups/{UNKNOWN_ID}/serverless/{DEFAULT_INSTANCE}/backup/restoreJobs"
        ),
        SERVERLESS,
        &body,
    )
    .await;
    assert_api_error(&unknown_group, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(unknown_group.json["parameters"][0]["groupId"], UNKNOWN_ID);

    let wrong_version = post(&sandbox, &serverless("restoreJobs"), FLEX, &body).await;
    assert_api_error(&wrong_version, 406, "INVALID_VERSION_DATE");

    let count = get(&sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_eq!(count.json["totalCount"], DEFAULT_JOB_COUNT);
}

#[tokio::test]
async fn the_whole_serverless_family_is_sunset_together() {
    let sandbox = Sandbox::builder()
        .sunset_serverless(true)
        .start()
        .await
        .expect("start");
    let body = json!({"deliveryType": "automated", "snapshotId": UNKNOWN_ID,
                      "targetClusterName": "Cluster0", "targetGroupId": DEFAULT_GROUP_ID})
    .to_string();
    let cases = [
        (Method::GET, serverless("restoreJobs"), None),
        (Method::POST, serverless("restoreJobs"), Some(body.as_str())),
        (
            Method::GET,
            format!("{}/{UNKNOWN_ID}", serverless("restoreJobs")),
            None,
        ),
        (Method::GET, serverless("snapshots"), None),
        (
            Method::GET,
            format!("{}/{UNKNOWN_ID}", serverless("snapshots")),
            None,
        ),
    ];
    for (method, path, body) in cases {
        let reply = send(&sandbox, method, &path, Some(SERVERLESS), body).await;
        assert_api_error(&reply, 410, "VERSION_GONE");
        assert_eq!(
            reply.header("sunset"),
            "Thu, 22 Jan 2026 00:00:00 GMT",
            "{path}"
        );
    }
    // Flex is not sunset.
    let flex_jobs = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_ok(&flex_jobs, FLEX);
}

// ----- formatting -----

#[tokio::test]
async fn envelope_wraps_single_objects_in_content() {
    let sandbox = Sandbox::start().await.expect("start");
    let jobs = get(&sandbox, &serverless("restoreJobs"), SERVERLESS)
        .await
        .results();
    let path = format!(
        "{}/{}",
        serverless("restoreJobs"),
        jobs[0]["id"].as_str().unwrap_or("")
    );
    let wrapped = get(&sandbox, &format!("{path}?envelope=true"), SERVERLESS).await;
    assert_ok(&wrapped, SERVERLESS);
    assert_eq!(wrapped.json, json!({"status": 200, "content": jobs[0]}));

    let flex_snapshots = get(&sandbox, &flex("snapshots"), FLEX).await.results();
    let snapshot = &flex_snapshots[0];
    let flex_one = get(
        &sandbox,
        &format!(
            "{}/{}?envelope=true",
            flex("snapshots"),
            snapshot["id"].as_str().unwrap_or("")
        ),
        FLEX,
    )
    .await;
    assert_eq!(flex_one.json, json!({"status": 200, "content": snapshot}));

    // A POST answered in an envelope still creates its job.
    let created = post(
        &sandbox,
        &format!("{}?envelope=true", flex("download")),
        FLEX,
        &json!({"snapshotId": snapshot["id"]}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK);
    assert_eq!(created.json["status"], 200);
    assert_eq!(created.json["content"]["deliveryType"], "DOWNLOAD");
    let listed = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(listed.results().last(), Some(&created.json["content"]));

    // An error of a single-object route, in an envelope.
    let missing = get(
        &sandbox,
        &format!("{}/{UNKNOWN_ID}?envelope=true", flex("restoreJobs")),
        FLEX,
    )
    .await;
    assert_eq!(missing.status, StatusCode::OK);
    assert_eq!(missing.json["status"], 404);
    assert_eq!(missing.json["content"]["errorCode"], "RESOURCE_NOT_FOUND");
}

#[tokio::test]
async fn pretty_is_ignored_where_the_spec_does_not_define_it() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = get(&sandbox, &serverless("snapshots"), SERVERLESS)
        .await
        .results();
    let snapshot_path = format!(
        "{}/{}",
        serverless("snapshots"),
        snapshots[0]["id"].as_str().unwrap_or("")
    );
    // getGroupServerlessBackupSnapshot has no `pretty`: neither applied nor
    // validated.
    for query in ["pretty=true", "pretty=yes"] {
        let reply = get(&sandbox, &format!("{snapshot_path}?{query}"), SERVERLESS).await;
        assert_ok(&reply, SERVERLESS);
        assert!(!reply.text.contains('\n'), "{query}");
        assert_eq!(reply.json, snapshots[0]);
    }
    let flex_snapshots = get(&sandbox, &flex("snapshots"), FLEX).await.results();
    let flex_path = format!(
        "{}/{}?pretty=true",
        flex("snapshots"),
        flex_snapshots[0]["id"].as_str().unwrap_or("")
    );
    let flex_one = get(&sandbox, &flex_path, FLEX).await;
    assert!(!flex_one.text.contains('\n'));
    // `envelope` is still validated there.
    let bad_envelope = get(
        &sandbox,
        &format!("{snapshot_path}?envelope=yes"),
        SERVERLESS,
    )
    .await;
    assert_api_error(&bad_envelope, 400, "VALIDATION_ERROR");
    assert_eq!(bad_envelope.fields(), ["envelope"]);

    // Where the spec defines it, `pretty` indents and is validated.
    let jobs = get(&sandbox, &flex("restoreJobs"), FLEX).await.results();
    let job_path = format!(
        "{}/{}",
        flex("restoreJobs"),
        jobs[0]["id"].as_str().unwrap_or("")
    );
    let pretty = get(&sandbox, &format!("{job_path}?pretty=true"), FLEX).await;
    assert!(pretty.text.contains("\n  \""));
    assert_eq!(pretty.json, jobs[0]);
    let invalid = get(&sandbox, &format!("{job_path}?pretty=yes"), FLEX).await;
    assert_eq!(invalid.fields(), ["pretty"]);
}

// ----- Flex -----

#[tokio::test]
async fn flex_lists_hold_the_seeded_backups() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots_page = get(&sandbox, &flex("snapshots"), FLEX).await;
    assert_ok(&snapshots_page, FLEX);
    assert_eq!(
        snapshots_page.json["totalCount"],
        DEFAULT_FLEX_SNAPSHOT_COUNT
    );
    let snapshots = snapshots_page.results();
    assert_eq!(snapshots.len(), DEFAULT_FLEX_SNAPSHOT_COUNT);
    assert_eq!(snapshots[0]["scheduledTime"], "2025-11-05T03:00:00Z");
    for snapshot in &snapshots {
        assert!(is_object_id(&snapshot["id"]));
        for field in ["scheduledTime", "startTime", "expiration"] {
            assert!(is_rfc3339(&snapshot[field]), "{field}");
        }
        assert!(
            ["COMPLETED", "FAILED", "RUNNING"].contains(&snapshot["status"].as_str().unwrap_or(""))
        );
        assert_eq!(
            snapshot.get("finishTime").is_some(),
            snapshot["status"] != "RUNNING"
        );
        assert!(snapshot["mongoDBVersion"]
            .as_str()
            .is_some_and(|v| v.starts_with("8.0.")));
    }
    assert_eq!(
        snapshots[DEFAULT_FLEX_SNAPSHOT_COUNT - 1]["status"],
        "RUNNING"
    );
    assert!(snapshots.iter().any(|s| s["status"] == "FAILED"));

    let jobs_page = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_ok(&jobs_page, FLEX);
    assert_eq!(jobs_page.json["totalCount"], DEFAULT_FLEX_JOB_COUNT);
    let jobs = jobs_page.results();
    for job in &jobs {
        assert!(is_object_id(&job["id"]));
        assert_eq!(job["instanceName"], DEFAULT_FLEX_CLUSTER);
        assert_eq!(job["projectId"], DEFAULT_GROUP_ID);
        assert!(is_rfc3339(&job["restoreScheduledDate"]));
        // Every job restores a completed snapshot of the cluster.
        let one = get(
            &sandbox,
            &format!(
                "{}/{}",
                flex("snapshots"),
                job["snapshotId"].as_str().unwrap_or("")
            ),
            FLEX,
        )
        .await;
        assert_ok(&one, FLEX);
        assert_eq!(one.json["status"], "COMPLETED");
        assert_eq!(job["snapshotFinishedDate"], one.json["finishTime"]);
        match job["deliveryType"].as_str() {
            Some("RESTORE") => {
                assert!(job["targetDeploymentItemName"].is_string());
                assert_eq!(job["targetProjectId"], DEFAULT_GROUP_ID);
            }
            Some("DOWNLOAD") => {
                assert!(job.get("targetDeploymentItemName").is_none());
                assert_eq!(
                    job.get("snapshotUrl").is_some(),
                    job["status"] == "COMPLETED"
                );
            }
            other => panic!("deliveryType {other:?}"),
        }
    }
    assert!(jobs
        .iter()
        .any(|j| j["deliveryType"] == "DOWNLOAD" && j["snapshotUrl"].is_string()));
    assert!(jobs.iter().any(|j| j["status"] == "QUEUED"));
    assert!(jobs.iter().any(|j| j["status"] == "FAILED"));
    assert!(jobs.iter().any(|j| j["status"] == "COMPLETED"));

    // Get one restore job: the listed object.
    let one = get(
        &sandbox,
        &format!(
            "{}/{}",
            flex("restoreJobs"),
            jobs[2]["id"].as_str().unwrap_or("")
        ),
        FLEX,
    )
    .await;
    assert_ok(&one, FLEX);
    assert_eq!(one.json, jobs[2]);

    // Paging.
    let page = get(
        &sandbox,
        &format!("{}?itemsPerPage=3&pageNum=2", flex("snapshots")),
        FLEX,
    )
    .await;
    assert_eq!(page.results(), snapshots[3..6].to_vec());
    assert_eq!(rels(&page.json), ["self", "previous", "next"]);
    assert_eq!(
        page.json["links"][0]["href"],
        format!(
            "{}{}?pageNum=2&itemsPerPage=3",
            sandbox.base_url(),
            flex("snapshots")
        )
    );
    let uncounted = get(
        &sandbox,
        &format!("{}?includeCount=false", flex("restoreJobs")),
        FLEX,
    )
    .await;
    assert!(uncounted.json.get("totalCount").is_none());
}

#[tokio::test]
async fn flex_routes_check_credentials_version_and_path() {
    let sandbox = Sandbox::start().await.expect("start");
    let anonymous = reqwest::Client::new()
        .get(format!("{}{}", sandbox.base_url(), flex("snapshots")))
        .header(ACCEPT, FLEX)
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    for path in [
        flex("restoreJobs"),
        flex("snapshots"),
        format!("{}/{UNKNOWN_ID}", flex("restoreJobs")),
        format!("{}/{UNKNOWN_ID}", flex("snapshots")),
    ] {
        let reply = get(&sandbox, &path, SERVERLESS).await;
        assert_api_error(&reply, 406, "INVALID_VERSION_DATE");
        assert!(
            reply.json["detail"]
                .as_str()
                .is_some_and(|d| d.contains(FLEX)),
            "{path}"
        );
    }
    let post_406 = post(
        &sandbox,
        &flex("download"),
        "application/json",
        &json!({"snapshotId": UNKNOWN_ID}),
    )
    .await;
    assert_api_error(&post_406, 406, "INVALID_VERSION_DATE");

    let bad_name = get(
        &sandbox,
        &format!(
            "/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/flexClusters/bad_name/backup/restoreJobs"
        ),
        FLEX,
    )
    .await;
    assert_api_error(&bad_name, 400, "VALIDATION_ERROR");
    assert_eq!(bad_name.fields(), ["name"]);
    let bad_ids = get(
        &sandbox,
        &format!(
            "/api/atlas/v2/groups/XYZ/flexClusters/{DEFAULT_FLEX_CLUSTER}/backup/snapshots/123"
        ),
        FLEX,
    )
    .await;
    assert_eq!(bad_ids.fields(), ["groupId", "snapshotId"]);
    let bad_job_id = get(&sandbox, &format!("{}/123", flex("restoreJobs")), FLEX).await;
    assert_eq!(bad_job_id.fields(), ["restoreJobId"]);

    let unknown_cluster = get(
        &sandbox,
        &format!("/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/flexClusters/nope/backup/snapshots"),
        FLEX,
    )
    .await;
    assert_api_error(&unknown_cluster, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(unknown_cluster.json["parameters"][0]["name"], "nope");
    // A serverless instance is not a Flex cluster.
    let serverless_name = get(
        &sandbox,
        &format!("/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/flexClusters/{DEFAULT_INSTANCE}/backup/snapshots"),
        FLEX,
    )
    .await;
    assert_api_error(&serverless_name, 404, "RESOURCE_NOT_FOUND");
    let unknown_job = get(
        &sandbox,
        &format!("{}/{UNKNOWN_ID}", flex("restoreJobs")),
        FLEX,
    )
    .await;
    assert_api_error(&unknown_job, 404, "RESOURCE_NOT_FOUND");
    let unknown_snapshot = get(
        &sandbox,
        &format!("{}/{UNKNOWN_ID}", flex("snapshots")),
        FLEX,
    )
    .await;
    assert_api_error(&unknown_snapshot, 404, "RESOURCE_NOT_FOUND");

    // GET on the download path, DELETE on a list: 405.
    let get_download = get(&sandbox, &flex("download"), FLEX).await;
    assert_api_error(&get_download, 405, "METHOD_NOT_ALLOWED");
    let delete = send(
        &sandbox,
        Method::DELETE,
        &flex("restoreJobs"),
        Some(FLEX),
        None,
    )
    .await;
    assert_api_error(&delete, 405, "METHOD_NOT_ALLOWED");
}

#[tokio::test]
async fn flex_restore_create_then_list_then_get() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = get(&sandbox, &flex("snapshots"), FLEX).await.results();
    let before = get(&sandbox, &flex("restoreJobs"), FLEX).await.results();
    let snapshot = snapshots
        .iter()
        .find(|s| s["status"] == "COMPLETED")
        .expect("a completed snapshot");
    let created = post(
        &sandbox,
        &flex("restoreJobs"),
        FLEX,
        &json!({"snapshotId": snapshot["id"], "targetDeploymentItemName": "Cluster0",
                "status": "FAILED"}),
    )
    .await;
    assert_ok(&created, FLEX);
    let job = created.json.clone();
    assert!(is_object_id(&job["id"]));
    assert!(before
        .iter()
        .all(|old| old["id"].as_str() < job["id"].as_str()));
    assert_eq!(job["deliveryType"], "RESTORE");
    assert_eq!(job["status"], "PENDING");
    assert_eq!(job["snapshotId"], snapshot["id"]);
    assert_eq!(job["snapshotFinishedDate"], snapshot["finishTime"]);
    assert_eq!(job["targetDeploymentItemName"], "Cluster0");
    // The target project defaults to the cluster's.
    assert_eq!(job["targetProjectId"], DEFAULT_GROUP_ID);
    assert_eq!(job["instanceName"], DEFAULT_FLEX_CLUSTER);
    assert!(job.get("snapshotUrl").is_none() && job.get("restoreFinishedDate").is_none());
    // Scheduled after every seeded job.
    assert!(before
        .iter()
        .all(|old| old["restoreScheduledDate"].as_str() < job["restoreScheduledDate"].as_str()));

    let listed = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(listed.json["totalCount"], DEFAULT_FLEX_JOB_COUNT + 1);
    assert_eq!(listed.results().last(), Some(&job));
    let one = get(
        &sandbox,
        &format!(
            "{}/{}",
            flex("restoreJobs"),
            job["id"].as_str().unwrap_or("")
        ),
        FLEX,
    )
    .await;
    assert_eq!(one.json, job);

    // Another project as the target, and a non-ASCII target name.
    let elsewhere = post(
        &sandbox,
        &flex("restoreJobs"),
        FLEX,
        &json!({"snapshotId": snapshot["id"], "targetDeploymentItemName": "Prüfung-2",
                "targetProjectId": UNKNOWN_ID}),
    )
    .await;
    assert_ok(&elsewhere, FLEX);
    assert_eq!(elsewhere.json["targetProjectId"], UNKNOWN_ID);
    assert_ne!(elsewhere.json["id"], job["id"]);
    let listed = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(listed.json["totalCount"], DEFAULT_FLEX_JOB_COUNT + 2);
}

#[tokio::test]
async fn flex_restore_rejects_bad_bodies_and_unusable_snapshots() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = get(&sandbox, &flex("snapshots"), FLEX).await.results();
    let path = flex("restoreJobs");

    let missing = post(
        &sandbox,
        &path,
        FLEX,
        &json!({"targetProjectId": DEFAULT_GROUP_ID}),
    )
    .await;
    assert_api_error(&missing, 400, "VALIDATION_ERROR");
    assert_eq!(missing.fields(), ["snapshotId", "targetDeploymentItemName"]);

    let missing_target = post(
        &sandbox,
        &path,
        FLEX,
        &json!({"snapshotId": snapshots[0]["id"]}),
    )
    .await;
    assert_eq!(missing_target.fields(), ["targetDeploymentItemName"]);

    let invalid = post(
        &sandbox,
        &path,
        FLEX,
        &json!({"snapshotId": snapshots[0]["id"], "targetDeploymentItemName": "a/b",
                "targetProjectId": "nope"}),
    )
    .await;
    assert_eq!(
        invalid.fields(),
        ["targetDeploymentItemName", "targetProjectId"]
    );
    let too_long = post(
        &sandbox,
        &path,
        FLEX,
        &json!({"snapshotId": snapshots[0]["id"], "targetDeploymentItemName": "x".repeat(65)}),
    )
    .await;
    assert_eq!(too_long.fields(), ["targetDeploymentItemName"]);

    let unknown = post(
        &sandbox,
        &path,
        FLEX,
        &json!({"snapshotId": UNKNOWN_ID, "targetDeploymentItemName": "Cluster0"}),
    )
    .await;
    assert_api_error(&unknown, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(unknown.json["parameters"][0]["snapshotId"], UNKNOWN_ID);

    for status in ["RUNNING", "FAILED"] {
        let snapshot = snapshots
            .iter()
            .find(|s| s["status"] == status)
            .expect(status);
        let refused = post(
            &sandbox,
            &path,
            FLEX,
            &json!({"snapshotId": snapshot["id"], "targetDeploymentItemName": "Cluster0"}),
        )
        .await;
        assert_api_error(&refused, 409, "SNAPSHOT_NOT_COMPLETE");
        assert_eq!(refused.json["parameters"][1]["status"], status);
    }

    let count = get(&sandbox, &path, FLEX).await;
    assert_eq!(count.json["totalCount"], DEFAULT_FLEX_JOB_COUNT);
}

#[tokio::test]
async fn flex_download_hands_out_a_snapshot_url() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = get(&sandbox, &flex("snapshots"), FLEX).await.results();
    let snapshot = &snapshots[1];
    let reply = post(
        &sandbox,
        &flex("download"),
        FLEX,
        &json!({"snapshotId": snapshot["id"]}),
    )
    .await;
    assert_ok(&reply, FLEX);
    let job = reply.json.clone();
    assert!(is_object_id(&job["id"]));
    assert_eq!(job["deliveryType"], "DOWNLOAD");
    assert_eq!(job["status"], "COMPLETED");
    assert_eq!(job["snapshotId"], snapshot["id"]);
    let url = job["snapshotUrl"].as_str().unwrap_or("");
    assert!(url.starts_with("https://") && url.contains(snapshot["id"].as_str().unwrap_or("?")));
    assert!(is_rfc3339(&job["expirationDate"]));
    assert!(job["expirationDate"].as_str() > job["restoreScheduledDate"].as_str());
    assert!(job.get("targetDeploymentItemName").is_none());

    // A download is a restore job of the cluster.
    let listed = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(listed.json["totalCount"], DEFAULT_FLEX_JOB_COUNT + 1);
    assert_eq!(listed.results().last(), Some(&job));
    let one = get(
        &sandbox,
        &format!(
            "{}/{}",
            flex("restoreJobs"),
            job["id"].as_str().unwrap_or("")
        ),
        FLEX,
    )
    .await;
    assert_eq!(one.json, job);

    let missing = post(&sandbox, &flex("download"), FLEX, &json!({})).await;
    assert_api_error(&missing, 400, "VALIDATION_ERROR");
    assert_eq!(missing.fields(), ["snapshotId"]);
    let not_json = send(
        &sandbox,
        Method::POST,
        &flex("download"),
        Some(FLEX),
        Some("snapshotId=1"),
    )
    .await;
    assert_eq!(not_json.fields(), ["body"]);
    let unknown = post(
        &sandbox,
        &flex("download"),
        FLEX,
        &json!({"snapshotId": UNKNOWN_ID}),
    )
    .await;
    assert_api_error(&unknown, 404, "RESOURCE_NOT_FOUND");
    let running = snapshots
        .iter()
        .find(|s| s["status"] == "RUNNING")
        .expect("running");
    let refused = post(
        &sandbox,
        &flex("download"),
        FLEX,
        &json!({"snapshotId": running["id"]}),
    )
    .await;
    assert_api_error(&refused, 409, "SNAPSHOT_NOT_COMPLETE");
    let unknown_cluster = post(
        &sandbox,
        &format!("/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/flexClusters/gone/backup/download"),
        FLEX,
        &json!({"snapshotId": snapshot["id"]}),
    )
    .await;
    assert_api_error(&unknown_cluster, 404, "RESOURCE_NOT_FOUND");

    let count = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(count.json["totalCount"], DEFAULT_FLEX_JOB_COUNT + 1);
}

// ----- builder, recording, faults -----

#[tokio::test]
async fn the_builder_seeds_flex_clusters() {
    let group = "0123456789abcdef01234567";
    let sandbox = Sandbox::builder()
        .flex_cluster(group, "flex-a", 3, 0)
        .flex_cluster(group, "flex-b", 0, 12)
        .start()
        .await
        .expect("start");
    let base = |name: &str, kind: &str| {
        format!("/api/atlas/v2/groups/{group}/flexClusters/{name}/backup/{kind}")
    };
    let a_jobs = get(&sandbox, &base("flex-a", "restoreJobs"), FLEX).await;
    assert_eq!(a_jobs.json["totalCount"], 3);
    // Jobs need a snapshot to restore: one is seeded.
    let a_snapshots = get(&sandbox, &base("flex-a", "snapshots"), FLEX).await;
    assert_eq!(a_snapshots.json["totalCount"], 1);
    let only = &a_snapshots.results()[0];
    assert!(a_jobs
        .results()
        .iter()
        .all(|job| job["snapshotId"] == only["id"]));
    let b_snapshots = get(&sandbox, &base("flex-b", "snapshots"), FLEX).await;
    assert_eq!(b_snapshots.json["totalCount"], 12);
    let b_jobs = get(&sandbox, &base("flex-b", "restoreJobs"), FLEX).await;
    assert_eq!(b_jobs.json["totalCount"], 0);

    // Adding a Flex cluster replaces the whole default seed.
    let default_flex = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_api_error(&default_flex, 404, "RESOURCE_NOT_FOUND");
    let default_serverless = get(&sandbox, &serverless("restoreJobs"), SERVERLESS).await;
    assert_api_error(&default_serverless, 404, "RESOURCE_NOT_FOUND");

    // Seeding is deterministic.
    let again = Sandbox::builder()
        .flex_cluster(group, "flex-b", 0, 12)
        .start()
        .await
        .expect("start");
    let replay = get(&again, &base("flex-b", "snapshots"), FLEX).await;
    let ids =
        |reply: &Reply| -> Vec<Value> { reply.results().iter().map(|s| s["id"].clone()).collect() };
    assert_eq!(ids(&replay), ids(&b_snapshots));
}

#[tokio::test]
async fn posts_are_recorded_and_faults_apply_before_any_change() {
    let sandbox = Sandbox::start().await.expect("start");
    let snapshots = get(&sandbox, &flex("snapshots"), FLEX).await.results();
    let body = json!({"snapshotId": snapshots[0]["id"]});
    sandbox.inject(&flex("download"), [Fault::status(503)]);
    let faulted = post(&sandbox, &flex("download"), FLEX, &body).await;
    assert_api_error(&faulted, 503, "SERVICE_UNAVAILABLE");
    let count = get(&sandbox, &flex("restoreJobs"), FLEX).await;
    assert_eq!(count.json["totalCount"], DEFAULT_FLEX_JOB_COUNT);

    let served = post(&sandbox, &flex("download"), FLEX, &body).await;
    assert_ok(&served, FLEX);
    let requests = sandbox.requests();
    let posts: Vec<_> = requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 2);
    assert!(posts.iter().all(|r| r.path == flex("download")));
    assert_eq!(posts[1].header("accept"), Some(FLEX));
    assert_eq!(
        serde_json::from_slice::<Value>(&posts[1].body).ok(),
        Some(body.clone())
    );

    // Listing quirks bend the new lists too.
    sandbox.set_listing_quirk(ListingQuirk::NextLinkPastTheEnd);
    let last = get(
        &sandbox,
        &format!("{}?itemsPerPage=100", serverless("snapshots")),
        SERVERLESS,
    )
    .await;
    assert_eq!(rels(&last.json), ["self", "next"]);
}
