//! Bad input is refused with a typed error that names parameter, value and rule, and nothing
//! reaches the server.

#![allow(deprecated)]

mod support;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{atlas_endpoint, Call, Client, ErrorKind, Rule};
use support::{error_of, restore_jobs, sandbox_and_client, GROUP, INSTANCE};

/// Group ids the spec's pattern refuses: empty, upper case, too short, not hex.
const BAD_GROUP_IDS: [&str; 4] = [
    "",
    "32B6E34B3D91647ABB20E7B8",
    "32b6e34b3d91647abb20e7b",
    "not-a-group",
];

/// Cluster names that would change the path, or that the spec's pattern refuses.
const BAD_CLUSTER_NAMES: [&str; 8] = [
    "a/b",
    "..",
    ".",
    "-leading",
    "with space",
    "name?x=1",
    "name#frag",
    "caf\u{e9}",
];

#[tokio::test]
async fn items_per_page_outside_1_to_500_is_refused_without_a_request() {
    let (sandbox, client) = sandbox_and_client(10).await;

    for bad in [0, 501] {
        let error = error_of(restore_jobs(&client).items_per_page(bad)).await;
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        let detail = error.invalid_argument_detail().unwrap();
        assert_eq!(detail.parameter, "itemsPerPage");
        assert_eq!(detail.value, bad.to_string());
        assert_eq!(
            detail.rule,
            Rule::Range {
                min: 1,
                max: Some(500)
            }
        );
        let message = error.to_string();
        assert!(
            message.contains("itemsPerPage") && message.contains("between 1 and 500"),
            "{message}"
        );
    }
    assert_eq!(sandbox.request_count(), 0);
}

#[tokio::test]
async fn page_num_zero_is_refused_without_a_request() {
    let (sandbox, client) = sandbox_and_client(10).await;

    let error = error_of(restore_jobs(&client).page_num(0)).await;

    assert_eq!(
        error.invalid_argument_detail().unwrap().parameter,
        "pageNum"
    );
    assert_eq!(sandbox.request_count(), 0);
}

#[tokio::test]
async fn a_bad_group_id_is_refused_with_the_spec_pattern() {
    let (sandbox, client) = sandbox_and_client(10).await;

    for bad in BAD_GROUP_IDS {
        let error = error_of(client.list_serverless_restore_jobs(bad, INSTANCE)).await;
        let detail = error
            .invalid_argument_detail()
            .expect("an invalid argument");
        assert_eq!(detail.parameter, "group_id");
        assert_eq!(detail.value, bad);
        if !bad.is_empty() {
            assert_eq!(detail.rule, Rule::Pattern("^([a-f0-9]{24})$"));
        }
    }
    assert_eq!(sandbox.request_count(), 0);
}

#[tokio::test]
async fn cluster_names_that_would_change_the_path_are_refused() {
    let (sandbox, client) = sandbox_and_client(10).await;

    for bad in BAD_CLUSTER_NAMES {
        let listing = client.list_serverless_restore_jobs(GROUP, bad);
        assert!(
            listing.inspect().is_err(),
            "{bad:?} must not even build a request"
        );
        let error = error_of(listing).await;
        let detail = error
            .invalid_argument_detail()
            .expect("an invalid argument");
        assert_eq!(detail.parameter, "cluster_name");
        assert_eq!(detail.value, bad);
        let message = error.to_string();
        assert!(
            message.contains("cluster_name") && message.contains("nothing was sent"),
            "{message}"
        );
    }
    assert_eq!(sandbox.request_count(), 0);
}

/// An endpoint whose path value has no pattern: values are encoded, never a different path.
trait FreeText {
    #[atlas_endpoint(GET, "/groups/<group_id>/notes/<title>", version = "2023-01-01")]
    fn get_note(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^.+$")] title: &str,
    ) -> Call<serde_json::Value>;
}

impl FreeText for Client {}

#[tokio::test]
async fn a_value_without_pattern_lands_as_exactly_one_encoded_segment() {
    let title = "../a/b?c=d#e %";
    let (sandbox, client) = sandbox_and_client(1).await;

    let request = client.get_note(GROUP, title).inspect().unwrap();
    assert_eq!(
        request.url().path(),
        format!("/api/atlas/v2/groups/{GROUP}/notes/..%2Fa%2Fb%3Fc%3Dd%23e%20%25")
    );
    assert_eq!(request.url().query(), None);

    // The sandbox has no such route; what matters is the path it received.
    let _ = client.get_note(GROUP, title).await;
    let received = &sandbox.requests()[0];
    assert_eq!(received.path, request.url().path());
    assert_eq!(received.query, None);

    for dots in [".", ".."] {
        let error = client.get_note(GROUP, dots).await.unwrap_err();
        assert_eq!(
            error.invalid_argument_detail().unwrap().rule,
            Rule::NotDotSegment
        );
    }
    assert_eq!(sandbox.request_count(), 1);
}
