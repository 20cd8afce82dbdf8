//! The `atlas` example (examples/atlas/): command lines run in this process, as the example's
//! `main` runs them, against the built-in sandbox (the environment is never read: no test
//! reaches a real server).
//!
//! The example is compiled in here with the test's features, so nothing is built twice and no
//! binary can be stale. Calls need the operation's tag feature (`cloud-backups` for the
//! sandbox's serverless endpoints); the tests that need none run with any feature set.

#[path = "../examples/atlas/main.rs"]
// `main` has no caller here (the example allows dead code itself without `full`).
#[cfg_attr(feature = "full", allow(dead_code))]
mod atlas;

/// What a run gave: its exit status, standard output, and its error line.
struct Outcome {
    code: u8,
    stdout: String,
    error: String,
}

/// `operation --groupId GROUP --clusterName INSTANCE`, then `extra`: a call on the sandbox's
/// serverless instance.
fn on_instance<'a>(operation: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![operation, "--groupId", GROUP, "--clusterName", INSTANCE];
    args.extend_from_slice(extra);
    args
}

impl Outcome {
    /// Asserts the exit status and that the error line holds `needle`.
    fn assert_error(&self, code: u8, needle: &str) {
        assert_eq!(self.code, code, "{}", self.error);
        assert!(self.error.contains(needle), "{}", self.error);
    }
}

async fn run(args: &[&str]) -> Outcome {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let no_environment = |_: &str| None;
    let mut stdout = Vec::new();
    let result = atlas::run(&args, &no_environment, &mut stdout).await;
    let stdout = String::from_utf8(stdout).expect("the output is UTF-8");
    match result {
        Ok(()) => Outcome {
            code: 0,
            stdout,
            error: String::new(),
        },
        Err(failure) => {
            assert!(
                !failure.message.contains('\n'),
                "an error is one line: {:?}",
                failure.message
            );
            Outcome {
                code: failure.code,
                stdout,
                error: failure.message,
            }
        }
    }
}

#[tokio::test]
async fn an_unknown_operation_is_refused() {
    let outcome = run(&["listEverything"]).await;
    assert_eq!(outcome.code, 2);
    assert!(
        outcome
            .error
            .contains("unknown operation \"listEverything\""),
        "{}",
        outcome.error
    );
    assert!(outcome.stdout.is_empty());
}

#[tokio::test]
async fn no_operation_is_refused_and_help_is_usage() {
    assert_eq!(run(&[]).await.code, 2);
    let help = run(&["--help"]).await;
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.starts_with("usage: atlas <operationId>"),
        "{}",
        help.stdout
    );
}

/// The table describes every operation whatever the features, for `--help`.
#[tokio::test]
async fn operation_help_lists_the_parameters() {
    let help = run(&["listGroupServerlessBackupRestoreJobs", "--help"]).await;
    assert_eq!(help.code, 0, "{}", help.error);
    assert!(help.stdout.starts_with(
        "listGroupServerlessBackupRestoreJobs: GET /api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs\n"
    ));
    let row = |name: &str| {
        let prefix = format!("  --{name} ");
        let line = help.stdout.lines().find(|l| l.starts_with(&prefix));
        let line = line.unwrap_or_else(|| panic!("no --{name} in\n{}", help.stdout));
        line.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        row("groupId"),
        [
            "--groupId",
            "path",
            "&str",
            "required",
            "pattern",
            "^([a-f0-9]{24})$"
        ]
    );
    assert_eq!(
        row("itemsPerPage"),
        [
            "--itemsPerPage",
            "query",
            "Option<u32>",
            "optional",
            "1..=500"
        ]
    );
    assert!(help
        .stdout
        .contains("answer: a listing of ServerlessBackupRestoreJob"));
}

#[tokio::test]
async fn a_header_parameter_goes_by_its_spec_name() {
    let help = run(&["getGroupCluster", "--help"]).await;
    assert_eq!(help.code, 0, "{}", help.error);
    let header = help.stdout.lines().find(|l| {
        l.trim_start()
            .starts_with("--Use-Effective-Instance-Fields ")
    });
    let columns: Vec<&str> = header
        .expect("the header parameter")
        .split_whitespace()
        .collect();
    assert_eq!(
        columns,
        [
            "--Use-Effective-Instance-Fields",
            "header",
            "Option<bool>",
            "optional"
        ]
    );
}

#[cfg(not(feature = "cloud-backups"))]
#[tokio::test]
async fn an_operation_of_a_feature_left_out_names_the_feature() {
    run(&on_instance("listGroupServerlessBackupRestoreJobs", &[]))
        .await
        .assert_error(2, "--features cloud-backups");
    assert!(!run(&["--list"])
        .await
        .stdout
        .contains("listGroupServerlessBackupRestoreJobs"));
}

const GROUP: &str = atlas_endpoints_sandbox::DEFAULT_GROUP_ID;
const INSTANCE: &str = atlas_endpoints_sandbox::DEFAULT_INSTANCE;

#[cfg(feature = "cloud-backups")]
mod calls {
    use super::*;
    use serde_json::Value;

    const LIST: &str = "listGroupServerlessBackupRestoreJobs";
    const CREATE: &str = "createGroupServerlessBackupRestoreJob";

    #[tokio::test]
    async fn list_shows_the_declared_operations() {
        let list = run(&["--list"]).await;
        assert_eq!(list.code, 0);
        let ids: Vec<&str> = list.stdout.lines().collect();
        assert!(ids.contains(&LIST), "{ids:?}");
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted, "one id a line, sorted");
    }

    #[tokio::test]
    async fn a_listing_prints_its_first_page() {
        let outcome = run(&on_instance(LIST, &["--itemsPerPage", "5"])).await;
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        let page: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
        assert_eq!(page["results"].as_array().map(Vec::len), Some(5));
        assert_eq!(
            page["totalCount"],
            atlas_endpoints_sandbox::DEFAULT_JOB_COUNT
        );
        assert!(page["links"]
            .as_array()
            .is_some_and(|links| links.iter().any(|l| l["rel"] == "next")));
        assert!(page["results"][0]["targetGroupId"].is_string());
    }

    #[tokio::test]
    async fn all_prints_every_item_one_a_line() {
        let outcome = run(&on_instance(LIST, &["--itemsPerPage=10", "--all"])).await;
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        let lines: Vec<Value> = outcome
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON object"))
            .collect();
        assert_eq!(lines.len(), atlas_endpoints_sandbox::DEFAULT_JOB_COUNT);
        assert!(lines.iter().all(|job| job["id"].is_string()));
    }

    #[tokio::test]
    async fn a_bad_group_id_is_refused_naming_the_parameter() {
        let outcome = run(&[
            LIST,
            "--groupId",
            "not-a-project",
            "--clusterName",
            INSTANCE,
        ])
        .await;
        outcome.assert_error(2, "nothing was sent");
        assert!(
            outcome.error.starts_with("--groupId: "),
            "{}",
            outcome.error
        );
        assert!(outcome.stdout.is_empty());
    }

    #[tokio::test]
    async fn arguments_are_checked_before_anything_is_sent() {
        let cases: &[(Vec<&str>, &str)] = &[
            (vec![LIST, "--groupId", GROUP], "needs --clusterName"),
            (
                on_instance(LIST, &["--itemsPerPage", "many"]),
                "--itemsPerPage takes a whole number",
            ),
            (
                on_instance(LIST, &["--itemsPerPage", "0"]),
                "--itemsPerPage: ",
            ),
            (
                on_instance(LIST, &["--clustername", "x"]),
                "has no parameter --clustername",
            ),
            (
                vec![
                    LIST,
                    "--groupId",
                    GROUP,
                    "--groupId",
                    GROUP,
                    "--clusterName",
                    INSTANCE,
                ],
                "--groupId is given twice",
            ),
            (on_instance(LIST, &["--body", "{}"]), "takes no body"),
            (on_instance(CREATE, &[]), "needs --body"),
            (on_instance(CREATE, &["--all"]), "is no listing"),
        ];
        for (args, expected) in cases {
            let outcome = run(args).await;
            assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.error);
            assert!(
                outcome.error.contains(expected),
                "{args:?}: {}",
                outcome.error
            );
        }
    }

    #[tokio::test]
    async fn a_bad_body_is_refused_naming_the_field() {
        let body = format!(
            r#"{{"deliveryType": "automated", "targetClusterName": 5, "targetGroupId": "{GROUP}"}}"#
        );
        run(&on_instance(CREATE, &["--body", &body]))
            .await
            .assert_error(
                2,
                "ServerlessBackupRestoreJobRequest at `targetClusterName`",
            );

        let misspelt = format!(
            r#"{{"deliveryType": "automated", "targetClusterName": "c", "targetGroupId": "{GROUP}", "snapshotID": "x"}}"#
        );
        run(&on_instance(CREATE, &["--body", &misspelt]))
            .await
            .assert_error(2, "field `snapshotID` has no place");

        let outcome = run(&on_instance(CREATE, &["--body", "{"])).await;
        assert_eq!(outcome.code, 2, "{}", outcome.error);
    }

    #[tokio::test]
    async fn a_body_from_a_file_creates_a_job() {
        let listing = run(&on_instance(LIST, &["--itemsPerPage", "1"])).await;
        let page: Value = serde_json::from_str(&listing.stdout).expect("a page");
        let snapshot = page["results"][0]["snapshotId"]
            .as_str()
            .expect("a snapshot id")
            .to_owned();
        let path = std::env::temp_dir().join(format!("atlas-cli-body-{}.json", std::process::id()));
        let body = format!(
            r#"{{"deliveryType": "automated", "snapshotId": "{snapshot}", "targetClusterName": "c", "targetGroupId": "{GROUP}"}}"#
        );
        std::fs::write(&path, body).expect("a temporary file");
        let file = format!("@{}", path.display());
        let outcome = run(&on_instance(CREATE, &["--body", &file])).await;
        let _ = std::fs::remove_file(&path);
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        let job: Value = serde_json::from_str(&outcome.stdout).expect("the job");
        assert_eq!(job["snapshotId"], snapshot.as_str());
        assert_eq!(job["targetClusterName"], "c");
    }

    #[tokio::test]
    async fn an_error_of_atlas_exits_1() {
        // A project the sandbox does not hold.
        let unknown = "0123456789abcdef01234567";
        let outcome = run(&["listGroupBackupExportBuckets", "--groupId", unknown]).await;
        outcome.assert_error(1, "404");
        outcome.assert_error(1, "GROUP_NOT_FOUND");
    }

    #[tokio::test]
    async fn any_operation_is_served_offline() {
        // Operations of the default features beyond the first eleven.
        let outcome = run(&[
            "getGroupClusterBackupSchedule",
            "--groupId",
            GROUP,
            "--clusterName",
            "Cluster0",
        ])
        .await;
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        let schedule: Value = serde_json::from_str(&outcome.stdout).expect("the schedule");
        assert_eq!(schedule["clusterName"], "Cluster0");

        let listed = run(&["listGroupBackupExportBuckets", "--groupId", GROUP]).await;
        assert_eq!(listed.code, 0, "{}", listed.error);
        let page: Value = serde_json::from_str(&listed.stdout).expect("a page");
        assert_eq!(page["totalCount"], 0);
    }
}
