//! The `atlas` example (examples/atlas/): command lines run in this process, as the example's
//! `main` runs them, against the built-in sandbox (the environment is never read: no test
//! reaches a real server; the tests of `--wait` that need a sandbox's test controls start
//! their own and hand its address and token to the run as its environment).
//!
//! The example is compiled in here with the test's features, so nothing is built twice and no
//! binary can be stale. Calls need the operation's tag feature (`cloud-backups` for the
//! sandbox's serverless endpoints); the tests that need none run with any feature set.

#[path = "../examples/atlas/main.rs"]
// `main` has no caller here (the example allows dead code itself without `full`).
#[cfg_attr(feature = "full", allow(dead_code))]
mod atlas;

/// What a run gave: its exit status, standard output, its notes on standard error (the
/// sandbox, the states of a wait), and its error line.
struct Outcome {
    code: u8,
    stdout: String,
    stderr: String,
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
    run_with(args, &|_: &str| None).await
}

/// Runs `args`, which must fail as a usage error (status 2) whose error line holds
/// `expected`.
async fn refused_as_usage(args: &[&str], expected: &str) -> Outcome {
    let outcome = run(args).await;
    assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.error);
    assert!(
        outcome.error.contains(expected),
        "{args:?}: {}",
        outcome.error
    );
    outcome
}

/// A run with `env` as its environment.
async fn run_with(args: &[&str], env: &dyn Fn(&str) -> Option<String>) -> Outcome {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let result = atlas::run(&args, env, &mut stdout, &mut stderr).await;
    let stdout = String::from_utf8(stdout).expect("the output is UTF-8");
    let stderr = String::from_utf8(stderr).expect("the notes are UTF-8");
    match result {
        Ok(()) => Outcome {
            code: 0,
            stdout,
            stderr,
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
                stderr,
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
        assert!(
            outcome
                .stderr
                .contains("using the built-in sandbox at http://127.0.0.1:"),
            "{}",
            outcome.stderr
        );
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
            refused_as_usage(args, expected).await;
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

// ----- `--wait` -----

#[test]
fn durations_take_units() {
    let parse = atlas::parse_duration;
    let secs = std::time::Duration::from_secs;
    assert_eq!(parse("30s"), Some(secs(30)));
    assert_eq!(parse("5m"), Some(secs(300)));
    assert_eq!(parse("1h30m"), Some(secs(5400)));
    assert_eq!(parse("2m30s"), Some(secs(150)));
    assert_eq!(parse("500ms"), Some(std::time::Duration::from_millis(500)));
    for refused in ["", "30", "s", "1.5s", "5 m", "-1s", "1d", "1h30", "m5"] {
        assert_eq!(parse(refused), None, "{refused:?}");
    }
}

/// `--help` says whether an operation waits, what it polls, and the defaults.
#[tokio::test]
async fn help_shows_the_waiter_and_its_defaults() {
    let help = run(&["createGroupFlexCluster", "--help"]).await;
    assert_eq!(help.code, 0, "{}", help.error);
    assert_eq!(help.stderr, "", "no sandbox is started for --help");
    let line = help.stdout.lines().find(|l| l.starts_with("wait: "));
    assert_eq!(
        line,
        Some(
            "wait: --wait polls getGroupFlexCluster until its state is IDLE (pending CREATING, \
             UPDATING, REPAIRING); defaults: --wait-timeout 1h, --wait-poll 10s (the first poll \
             after 5s)"
        ),
        "{}",
        help.stdout
    );
    let delete = run(&["deleteGroupFlexCluster", "--help"]).await;
    assert!(
        delete.stdout.contains("until it is gone (404)"),
        "{}",
        delete.stdout
    );
    let plain = run(&["getGroupClusterBackupSchedule", "--help"]).await;
    assert!(
        plain
            .stdout
            .contains("\nwait: none (no waiter: --wait is refused)\n"),
        "{}",
        plain.stdout
    );
}

#[cfg(feature = "flex-clusters")]
mod waits {
    use super::*;
    use serde_json::Value;

    const CREATE: &str = "createGroupFlexCluster";
    const BODY: &str = r#"{"name": "flex-wait", "providerSettings": {"backingProviderName": "AWS", "regionName": "US_EAST_1"}}"#;

    /// `CREATE` of a Flex cluster of `BODY` in `GROUP`, then `extra`.
    fn creating(extra: &[&'static str]) -> Vec<&'static str> {
        let mut args = vec![CREATE, "--groupId", GROUP, "--body", BODY];
        args.extend_from_slice(extra);
        args
    }

    /// The state lines a wait showed on standard error.
    fn states(outcome: &Outcome) -> Vec<&str> {
        outcome
            .stderr
            .lines()
            .filter(|l| l.starts_with("state ") || l.starts_with("gone "))
            .collect()
    }

    #[tokio::test]
    async fn list_wait_shows_the_operations_that_wait() {
        let list = run(&["--list", "--wait"]).await;
        assert_eq!(list.code, 0, "{}", list.error);
        let ids: Vec<&str> = list.stdout.lines().collect();
        assert!(ids.contains(&CREATE), "{ids:?}");
        assert!(ids.contains(&"deleteGroupFlexCluster"), "{ids:?}");
        assert!(!ids.contains(&"listGroupFlexClusters"), "{ids:?}");
        let all = run(&["--list"]).await;
        assert!(all.stdout.lines().count() > ids.len());
    }

    /// The sandbox shows a new Flex cluster CREATING for 10 s, then IDLE; the first poll comes
    /// after the waiter's delay (5 s), then one a second.
    #[tokio::test]
    async fn a_flex_cluster_is_waited_for_until_idle() {
        let outcome = run(&creating(&["--wait", "--wait-poll", "1s"])).await;
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        let seen = states(&outcome);
        assert_eq!(seen.len(), 2, "{}", outcome.stderr);
        assert!(seen[0].starts_with("state CREATING after "), "{seen:?}");
        assert!(seen[1].starts_with("state IDLE after "), "{seen:?}");
        assert!(seen[1].ends_with(" s"), "{seen:?}");
        let cluster: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
        assert_eq!(cluster["stateName"], "IDLE");
        assert_eq!(cluster["name"], "flex-wait");
    }

    #[tokio::test]
    async fn without_wait_the_answer_is_printed_at_once() {
        let outcome = run(&creating(&[])).await;
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        let cluster: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
        assert_eq!(cluster["stateName"], "CREATING");
        assert!(states(&outcome).is_empty(), "{}", outcome.stderr);
    }

    /// A deletion waits until the cluster answers 404, and prints nothing on standard output.
    #[tokio::test]
    async fn a_deletion_waits_until_gone_and_prints_nothing() {
        let outcome = run(&[
            "deleteGroupFlexCluster",
            "--groupId",
            GROUP,
            "--name",
            atlas_endpoints_sandbox::DEFAULT_FLEX_CLUSTER,
            "--wait",
            "--wait-poll=1s",
        ])
        .await;
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        assert_eq!(outcome.stdout, "");
        let seen = states(&outcome);
        assert!(
            seen.last().is_some_and(|l| l.starts_with("gone after ")),
            "{}",
            outcome.stderr
        );
    }

    /// The first poll (after 5 s) sees CREATING, which lasts 10 s: a wait of 7 s times out
    /// there.
    #[tokio::test]
    async fn a_timeout_exits_1_naming_the_last_state() {
        let wait = ["--wait", "--wait-timeout", "7s", "--wait-poll", "1s"];
        let outcome = run(&creating(&wait)).await;
        outcome.assert_error(1, "the wait timed out");
        outcome.assert_error(1, "last state CREATING");
        assert_eq!(outcome.stdout, "");
        let seen = states(&outcome);
        assert_eq!(seen.len(), 1, "{}", outcome.stderr);
        assert!(seen[0].starts_with("state CREATING after "), "{seen:?}");
    }

    #[tokio::test]
    async fn wait_flags_are_checked_before_anything_is_sent() {
        let cases: &[(Vec<&str>, &str)] = &[
            (
                vec!["listGroupFlexClusters", "--groupId", GROUP, "--wait"],
                "--wait: listGroupFlexClusters has no waiter",
            ),
            (
                creating(&["--wait-timeout", "1m"]),
                "--wait-timeout needs --wait",
            ),
            (creating(&["--wait-poll=1s"]), "--wait-poll needs --wait"),
            (
                creating(&["--wait", "--wait-timeout", "90"]),
                "--wait-timeout takes a duration such as 30s, 5m, 1h30m or 500ms, not \"90\"",
            ),
            (
                creating(&["--wait", "--wait-poll", "0s"]),
                "--wait-poll must be more than 0",
            ),
            (
                creating(&["--wait", "--wait-poll"]),
                "--wait-poll needs a value",
            ),
            (
                creating(&["--wait", "--wait-poll=1s", "--wait-poll=2s"]),
                "--wait-poll is given twice",
            ),
        ];
        for (args, expected) in cases {
            let outcome = refused_as_usage(args, expected).await;
            assert_eq!(outcome.stderr, "", "{args:?}: nothing was sent");
        }
    }
}

/// The access list's status: an entry is PENDING for 5 s, then ACTIVE. These tests start a
/// sandbox of their own, for its test controls, and run the example against it.
#[cfg(feature = "project-ip-access-list")]
mod access_list {
    use super::*;
    use atlas_endpoints_sandbox::Sandbox;
    use serde_json::Value;

    /// The entry, as `--entryValue` takes it (the plain value: the client encodes it).
    const ENTRY: &str = "10.1.0.0/16";
    /// The entry's path, for the sandbox's controls.
    const ENTRY_PATH: &str = "/groups/5e2211c17a3e5a48f5497de3/accessList/10.1.0.0%2F16";

    /// A sandbox holding the access-list entry `10.1.0.0/16`, and the environment that points
    /// the example at it.
    async fn with_entry() -> (Sandbox, impl Fn(&str) -> Option<String>) {
        let sandbox = Sandbox::start().await.expect("the sandbox starts");
        let (url, token) = (sandbox.base_url(), sandbox.token().to_owned());
        let env = move |name: &str| match name {
            "MONGODB_ATLAS_BASE_URL" => Some(url.clone()),
            "MONGODB_ATLAS_ACCESS_TOKEN" => Some(token.clone()),
            _ => None,
        };
        let created = run_with(
            &[
                "createGroupAccessListEntry",
                "--groupId",
                GROUP,
                "--body",
                r#"[{"cidrBlock": "10.1.0.0/16"}]"#,
            ],
            &env,
        )
        .await;
        assert_eq!(created.code, 0, "{}", created.error);
        (sandbox, env)
    }

    fn status<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec![
            "getGroupAccessListStatus",
            "--groupId",
            GROUP,
            "--entryValue",
            ENTRY,
        ];
        args.extend_from_slice(extra);
        args
    }

    #[tokio::test]
    async fn an_entry_is_waited_for_until_active() {
        let (_sandbox, env) = with_entry().await;
        let outcome = run_with(&status(&["--wait", "--wait-poll", "1s"]), &env).await;
        assert_eq!(outcome.code, 0, "{}", outcome.error);
        let seen: Vec<&str> = outcome
            .stderr
            .lines()
            .filter(|l| l.starts_with("state "))
            .collect();
        assert_eq!(seen.len(), 2, "{}", outcome.stderr);
        assert!(seen[0].starts_with("state PENDING after "), "{seen:?}");
        assert!(seen[1].starts_with("state ACTIVE after "), "{seen:?}");
        let entry: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
        assert_eq!(entry["STATUS"], "ACTIVE");
    }

    #[tokio::test]
    async fn a_failed_state_exits_1_naming_it() {
        let (sandbox, env) = with_entry().await;
        assert!(sandbox.fail(ENTRY_PATH));
        let outcome = run_with(&status(&["--wait", "--wait-poll", "1s"]), &env).await;
        outcome.assert_error(1, "the failed state FAILED");
        assert_eq!(outcome.stdout, "");
    }

    /// Held in PENDING, the entry never turns ACTIVE: the wait times out after the first
    /// poll (2 s after the answer) saw PENDING.
    #[tokio::test]
    async fn a_held_entry_times_out_naming_pending() {
        let (sandbox, env) = with_entry().await;
        assert!(sandbox.hold(ENTRY_PATH));
        let outcome = run_with(
            &status(&["--wait", "--wait-timeout", "3s", "--wait-poll", "500ms"]),
            &env,
        )
        .await;
        outcome.assert_error(1, "the wait timed out");
        outcome.assert_error(1, "last state PENDING");
    }
}
