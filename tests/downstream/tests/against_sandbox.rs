//! The downstream crate's endpoints work against the sandbox.

use atlas_endpoints::Client;
use atlas_endpoints_downstream_check::shadowed::Shadowed;
use atlas_endpoints_downstream_check::RestoreJobLookup;
use atlas_endpoints_sandbox::{Sandbox, DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT};

fn client_for(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_downstream_declaration_lists_the_sandbox_jobs() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);

    let jobs = client
        .list_restore_jobs_owned(DEFAULT_GROUP_ID.to_owned(), &DEFAULT_INSTANCE.to_owned())
        .collect_all()
        .await
        .unwrap();

    assert_eq!(jobs.len(), DEFAULT_JOB_COUNT);
}

#[tokio::test]
async fn shadowed_declarations_send_the_expected_requests() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client_for(&sandbox);

    let request = client
        .get_link(DEFAULT_GROUP_ID, "my-link", Some(true))
        .inspect()
        .unwrap();
    assert_eq!(
        request.url().as_str(),
        format!(
            "{}/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/links/my-link?includeAll=true",
            sandbox.base_url()
        )
    );
    assert_eq!(
        request.headers()["accept"],
        "application/vnd.atlas.2024-11-13+json"
    );

    // The sandbox does not serve links: the answer is a typed 404, not a panic.
    let error = client.list_links(DEFAULT_GROUP_ID).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    let bad = client
        .get_restore_job(DEFAULT_GROUP_ID, DEFAULT_INSTANCE, "nope")
        .await
        .unwrap_err();
    assert_eq!(
        bad.invalid_argument_detail().unwrap().parameter,
        "restore_job_id"
    );
    assert_eq!(sandbox.request_count(), 1);
}

#[test]
fn the_catalog_of_a_dependent_test_binary_lists_the_downstream_endpoints() {
    let catalog = atlas_endpoints::catalog();
    assert!(catalog
        .iter()
        .any(|e| e.rust_name() == "list_restore_jobs_owned"));
    assert!(catalog.iter().any(|e| e.rust_name() == "get_plain_link"));
    assert!(catalog
        .iter()
        .any(|e| e.rust_name() == "list_flex_restore_jobs"));
}
