//! Requests can be inspected without sending them, and credentials never show.

#![allow(deprecated)]

mod support;

/// The media types of the two versions below.
const JSON_2023: &str = "application/vnd.atlas.2023-01-01+json";
const JSON_2024_11: &str = "application/vnd.atlas.2024-11-13+json";

use atlas_endpoints::prelude::*;
use atlas_endpoints::{atlas_endpoint, Call, Client, Method};
use support::{client_for, sandbox_with, GROUP, INSTANCE};

const SECRET: &str = "s3cr3t-access-token-value";

fn client_with_secret(base_url: &str) -> Client {
    support::bearer_client(base_url, SECRET)
}

#[test]
fn inspecting_a_listing_shows_method_url_and_headers_with_auth_redacted() {
    let client = client_with_secret("https://cloud.mongodb.com");

    let request = client
        .list_serverless_restore_jobs(GROUP, INSTANCE)
        .items_per_page(200)
        .include_count(false)
        .inspect()
        .unwrap();

    assert_eq!(request.method(), Method::Get);
    assert_eq!(request.headers()["accept"], JSON_2023);
    assert_eq!(
        request.url().as_str(),
        format!("https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP}/serverless/{INSTANCE}/backup/restoreJobs?pageNum=1&itemsPerPage=200&includeCount=false")
    );
    assert_eq!(request.headers()["authorization"], "Bearer <redacted>");
    assert!(request.headers().get("content-type").is_none());
    assert!(request.body().is_none());
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct NewNote {
    title: String,
    pinned: bool,
}

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
trait Notes {
    #[atlas_endpoint(POST, "/groups/<group_id>/notes",
        version = "2024-11-13", operation_id = "createNote")]
    fn create_note(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[query] dry_run: Option<bool>,
        #[body] note: &NewNote,
    ) -> Call<serde_json::Value>;
}

impl Notes for Client {}

#[test]
fn a_body_is_sent_as_json_with_the_versioned_content_type() {
    let client = client_with_secret("https://cloud.mongodb.com");
    let note = NewNote {
        title: "hello".into(),
        pinned: true,
    };

    let request = client
        .create_note(GROUP, Some(true), &note)
        .inspect()
        .unwrap();

    assert_eq!(request.method(), Method::Post);
    assert_eq!(request.url().query(), Some("dryRun=true"));
    assert_eq!(request.headers()["content-type"], JSON_2024_11);
    assert_eq!(request.headers()["accept"], JSON_2024_11);
    assert_eq!(
        request.body(),
        Some(&br#"{"title":"hello","pinned":true}"#[..])
    );
    let endpoint = client.create_note(GROUP, None, &note).endpoint().unwrap();
    assert_eq!(endpoint.operation_id(), Some("createNote"));
    assert_eq!(endpoint.spec_template(), "/groups/{groupId}/notes");
}

#[tokio::test]
async fn the_secret_never_appears_in_debug_display_errors_or_inspection() {
    let sandbox = sandbox_with(3).await;
    let client = client_with_secret(&sandbox.base_url());

    let listing = client.list_serverless_restore_jobs(GROUP, INSTANCE);
    let inspected = listing.inspect().unwrap();
    let api_error = listing.await.unwrap_err(); // the sandbox does not know this token
    let invalid = client
        .list_serverless_restore_jobs("bad", INSTANCE)
        .await
        .unwrap_err();

    let renderings = [
        format!("{client:?}"),
        format!("{inspected}"),
        format!("{inspected:?}"),
        format!("{api_error}"),
        format!("{api_error:?}"),
        format!("{invalid}"),
        format!("{invalid:?}"),
        format!("{:?}", client.list_serverless_restore_jobs(GROUP, INSTANCE)),
    ];
    for rendering in &renderings {
        assert!(!rendering.contains(SECRET), "secret leaked in: {rendering}");
    }
    // The token was really sent, so the absence above means something.
    assert_eq!(
        sandbox.requests()[0].header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert_eq!(api_error.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn the_right_token_is_accepted() {
    let sandbox = sandbox_with(3).await;
    let page = client_for(&sandbox)
        .list_serverless_restore_jobs(GROUP, INSTANCE)
        .await
        .unwrap();
    assert_eq!(page.results().len(), 3);
}
