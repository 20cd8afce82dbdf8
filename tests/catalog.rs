//! The catalog lists every declared endpoint, and it is the same metadata each method carries.

#![allow(deprecated)]

use std::ptr;

use atlas_endpoints::prelude::*;
use atlas_endpoints::{
    atlas_endpoint, catalog, Call, Client, CommonParams, Endpoint, Method, ParamLocation,
};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ID: &str = "5e2211c17a3e5a48f5497de3";

/// An endpoint declared by this test crate: it shows up next to the facade's.
trait TestOnly {
    #[atlas_endpoint(GET, "/groups/<group_id>/testOnly", operation_id = "getTestOnly")]
    fn get_test_only(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
    ) -> Call<serde_json::Value>;
}

impl TestOnly for Client {}

fn client() -> Client {
    Client::builder().bearer_token("token").build().unwrap()
}

fn find(operation_id: &str) -> &'static Endpoint {
    let found: Vec<_> = catalog()
        .into_iter()
        .filter(|e| e.operation_id() == Some(operation_id))
        .collect();
    assert_eq!(found.len(), 1, "{operation_id} appears once");
    found[0]
}

#[test]
fn every_facade_endpoint_is_in_the_catalog_once() {
    let expected = [
        "listGroupServerlessBackupRestoreJobs",
        "getGroupServerlessBackupRestoreJob",
        "createGroupServerlessBackupRestoreJob",
        "listGroupServerlessBackupSnapshots",
        "getGroupServerlessBackupSnapshot",
        "listGroupFlexClusterBackupRestoreJobs",
        "getGroupFlexClusterBackupRestoreJob",
        "createGroupFlexClusterBackupRestoreJob",
        "listGroupFlexClusterBackupSnapshots",
        "getGroupFlexClusterBackupSnapshot",
        "downloadGroupFlexClusterBackup",
        "getTestOnly",
    ];
    for operation_id in expected {
        find(operation_id);
    }
    // The generated operations of the enabled tags (at least the default three: 44 + 3 + 3),
    // each once, and this file's one.
    let generated: Vec<_> = catalog()
        .into_iter()
        .filter(|e| e.module_path().starts_with("atlas_endpoints::api::"))
        .collect();
    assert!(generated.len() >= 50, "{}", generated.len());
    let ids: std::collections::HashSet<_> = generated.iter().map(|e| e.operation_id()).collect();
    assert_eq!(ids.len(), generated.len(), "an operation declared twice");
    assert_eq!(catalog().len(), generated.len() + 1);
}

#[test]
fn the_catalog_holds_the_very_statics_the_methods_use() {
    let client = client();
    let pairs: [(&'static Endpoint, &str); 4] = [
        (
            client
                .list_serverless_restore_jobs(GROUP, "x")
                .endpoint()
                .unwrap(),
            "listGroupServerlessBackupRestoreJobs",
        ),
        (
            client
                .get_flex_backup_snapshot(GROUP, "x", ID)
                .endpoint()
                .unwrap(),
            "getGroupFlexClusterBackupSnapshot",
        ),
        (
            client
                .list_flex_backup_snapshots(GROUP, "x")
                .endpoint()
                .unwrap(),
            "listGroupFlexClusterBackupSnapshots",
        ),
        (
            client.get_test_only(GROUP).endpoint().unwrap(),
            "getTestOnly",
        ),
    ];
    for (endpoint, operation_id) in pairs {
        assert!(ptr::eq(endpoint, find(operation_id)), "{operation_id}");
    }
}

#[test]
fn the_catalog_is_sorted_by_path_then_method() {
    let keys: Vec<_> = catalog()
        .iter()
        .map(|e| (e.spec_template(), e.method() as u8))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn spec_form_of_a_listing() {
    let endpoint = find("listGroupFlexClusterBackupRestoreJobs");
    assert_eq!(endpoint.method(), Method::Get);
    assert_eq!(
        endpoint.spec_path(),
        "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/restoreJobs"
    );
    assert_eq!(endpoint.version(), "2024-11-13");
    assert!(endpoint.is_paginated());
    assert_eq!(endpoint.deprecated(), None);
    let params: Vec<_> = endpoint
        .spec_params()
        .iter()
        .map(|p| (p.name, p.location, p.pattern))
        .collect();
    assert_eq!(
        params,
        [
            ("groupId", ParamLocation::Path, Some("^([a-f0-9]{24})$")),
            (
                "name",
                ParamLocation::Path,
                Some("^[a-zA-Z0-9][a-zA-Z0-9-]*$")
            ),
            ("envelope", ParamLocation::Query, None),
            ("pretty", ParamLocation::Query, None),
            ("pageNum", ParamLocation::Query, None),
            ("itemsPerPage", ParamLocation::Query, None),
            ("includeCount", ParamLocation::Query, None),
        ]
    );
}

#[test]
fn the_get_snapshot_operations_take_envelope_only() {
    for operation_id in [
        "getGroupServerlessBackupSnapshot",
        "getGroupFlexClusterBackupSnapshot",
    ] {
        let endpoint = find(operation_id);
        assert_eq!(
            endpoint.common(),
            CommonParams {
                envelope: true,
                pretty: false
            }
        );
        assert!(endpoint.spec_params().iter().all(|p| p.name != "pretty"));
    }
}

#[test]
fn every_serverless_endpoint_is_deprecated_in_favour_of_flex() {
    // The serverless backup endpoints (other tags, with `full`, have deprecations of their own).
    let serverless_backups = catalog()
        .into_iter()
        .filter(|e| e.template().contains("/serverless/") && e.template().contains("/backup/"));
    for endpoint in serverless_backups {
        assert!(endpoint.deprecated().is_some(), "{}", endpoint.rust_name());
        if let Some(note) = endpoint.deprecated() {
            assert!(note.contains("2026-01-22"), "{note}");
            assert!(note.contains("/flexClusters/"), "{note}");
            assert!(note.contains("; use Flex"), "{note}");
        }
    }
}
