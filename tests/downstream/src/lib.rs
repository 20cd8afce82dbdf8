//! A library that depends only on `atlas-endpoints` and declares its own endpoints with it.
//!
//! It compiles the expansion under strict lints and next to names that shadow `core`,
//! `Result`, `Option`, `serde` and `reqwest`, so generated code that leaned on the caller's
//! imports would fail to build here.

#![deny(unused_qualifications, missing_docs)]
#![deny(clippy::pedantic)]

use atlas_endpoints::{atlas_endpoint, Call, Client, Paginated, ServerlessBackupRestoreJob};

/// Restore jobs of serverless instances, looked up one by one.
// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
pub trait RestoreJobLookup {
    /// Return one restore job of a serverless instance.
    #[atlas_endpoint(GET,
        "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs/<restore_job_id>",
        operation_id = "getGroupServerlessBackupRestoreJob")]
    fn get_restore_job(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
        #[path(pattern = "^([a-f0-9]{24})$")] restore_job_id: &str,
    ) -> Call<ServerlessBackupRestoreJob>;

    /// Return all restore jobs, with owned arguments.
    #[atlas_endpoint(GET, "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs",
        paginated)]
    fn list_restore_jobs_owned(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: String,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &String,
    ) -> Paginated<ServerlessBackupRestoreJob>;
}

impl RestoreJobLookup for Client {}

/// Declarations next to items that shadow what generated code must not depend on.
pub mod shadowed {
    #![allow(dead_code, non_camel_case_types, clippy::pedantic)]

    mod core {}
    mod serde {}
    mod reqwest {}
    mod atlas_endpoints_runtime {}
    struct Result;
    struct Option;
    struct Some;
    struct None;
    struct Ok;
    struct Err;
    struct String;
    struct Vec;
    trait AsRef {}
    trait Serialize {}
    trait Sized {}
    trait Send {}

    use atlas_endpoints::{atlas_endpoint, Call, Link, Paginated};

    /// Endpoints declared where the prelude's names mean something else.
    // The endpoint attributes are laid out by hand, several options a line.
    #[rustfmt::skip::attributes(atlas_endpoint)]
    pub trait Shadowed {
        /// One link.
        #[atlas_endpoint(GET, "/groups/<group_id>/links/<name>", version = "2024-11-13")]
        fn get_link(
            &self,
            #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
            #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
            #[query] include_all: ::core::option::Option<bool>,
        ) -> Call<Link>;

        /// Every link.
        #[atlas_endpoint(GET, "/groups/<group_id>/links", paginated)]
        fn list_links(
            &self,
            #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        ) -> Paginated<Link>;

        /// A new link.
        #[atlas_endpoint(POST, "/groups/<group_id>/links")]
        fn create_link(
            &self,
            #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
            #[body] link: &Link,
        ) -> Call<Link>;

        /// One link, from an operation without `pretty`.
        #[atlas_endpoint(GET, "/groups/<group_id>/links/<name>/plain",
            common(envelope), operation_id = "getPlainLink")]
        fn get_plain_link(
            &self,
            #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
            #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
        ) -> Call<Link>;
    }

    impl Shadowed for atlas_endpoints::Client {}
}

#[cfg(test)]
mod tests {
    /// A crate that only declares endpoints finds them, and the facade's, in the catalog.
    #[test]
    fn the_catalog_lists_this_crates_endpoints_next_to_the_facades() {
        let catalog = atlas_endpoints::catalog();
        for name in [
            "get_restore_job",
            "list_restore_jobs_owned",
            "get_link",
            "list_links",
            "create_link",
            "get_plain_link",
        ] {
            assert_eq!(
                catalog.iter().filter(|e| e.rust_name() == name).count(),
                1,
                "{name}"
            );
        }
        let plain = catalog
            .iter()
            .find(|e| e.operation_id() == Some("getPlainLink"))
            .unwrap();
        assert!(plain.common().envelope && !plain.common().pretty);
        // Declared here and in the facade: both declarations are listed.
        let twice = catalog
            .iter()
            .filter(|e| e.operation_id() == Some("getGroupServerlessBackupRestoreJob"))
            .count();
        assert_eq!(twice, 2);
        assert!(catalog
            .iter()
            .any(|e| e.operation_id() == Some("downloadGroupFlexClusterBackup")));
    }
}
