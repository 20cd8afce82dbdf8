//! Lists the restore jobs of one serverless instance, or with `--flex` of one Flex cluster, as
//! a table, streaming every page.
//!
//! ```text
//! cargo run --example restore_jobs                      # offline, against the built-in sandbox
//! cargo run --example restore_jobs -- --flex            # the sandbox's Flex cluster
//! MONGODB_ATLAS_ACCESS_TOKEN=... MONGODB_ATLAS_PROJECT_ID=... MONGODB_ATLAS_CLUSTER_NAME=... \
//!     cargo run --example restore_jobs [-- --flex]      # against Atlas (or MONGODB_ATLAS_BASE_URL)
//! cargo run --example restore_jobs -- --group-id <id> --cluster <name> [--items-per-page <n>]
//! cargo run --example restore_jobs -- --sandbox-auth digest   # the sandbox with another scheme
//! cargo run --example restore_jobs -- --sandbox-sunset        # the sandbox as Atlas is today
//! ```
//!
//! `--cluster` (or `MONGODB_ATLAS_CLUSTER_NAME`) names the serverless instance, or the Flex
//! cluster with `--flex`.
//!
//! The serverless endpoints passed their sunset on 2026-01-22: Atlas answers them with `410
//! VERSION_GONE`, having migrated every serverless instance to a Flex cluster of the same name.
//! The example then lists that Flex cluster's restore jobs, and says so on stderr
//! (`atlas_endpoints::serverless_sunset::restore_jobs`). `--sandbox-sunset` (or
//! `ATLAS_SANDBOX_SUNSET=1`) starts the sandbox that way: its serverless routes answer 410, and
//! the instance has been migrated to a Flex cluster of its name.
//!
//! Credentials come from the environment as `Client::from_env` reads them: an access token,
//! a service account (`MONGODB_ATLAS_CLIENT_ID`/`_SECRET`) or an API key
//! (`MONGODB_ATLAS_PUBLIC_API_KEY`/`_PRIVATE_API_KEY`).

use std::process::ExitCode;

use atlas_endpoints::prelude::*;
use atlas_endpoints::serverless_sunset::{restore_jobs, RestoreJobs};
use atlas_endpoints::{Client, FlexBackupRestoreJob, Paginated, ServerlessBackupRestoreJob};
use atlas_endpoints_sandbox::Sandbox;
use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use serde::de::DeserializeOwned;

mod support;

const USAGE: &str = "usage: restore_jobs [--flex] [--group-id <24-hex id>] \
                     [--cluster <instance or Flex cluster name>] [--items-per-page <1-500>] \
                     [--sandbox-auth token|digest|service-account] [--sandbox-sunset]";

/// The restore jobs of the default instance once migrated to Flex, under `--sandbox-sunset`.
const MIGRATED_JOB_COUNT: usize = 5;

/// Demo credentials the offline sandbox accepts, one pair per scheme.
const SANDBOX_PUBLIC_KEY: &str = "sandboxpub";
const SANDBOX_PRIVATE_KEY: &str = "sandbox-private-key";
const SANDBOX_CLIENT_ID: &str = "mdb_sa_id_sandbox";
const SANDBOX_CLIENT_SECRET: &str = "mdb_sa_sk_sandbox";

#[derive(Default)]
struct Options {
    group_id: Option<String>,
    cluster: Option<String>,
    items_per_page: Option<u32>,
    sandbox_auth: Option<String>,
    sandbox_sunset: bool,
    flex: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    support::exit_status(run().await)
}

async fn run() -> Result<(), String> {
    let options = parse_options(std::env::args().skip(1))?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());

    // Credentials in the environment mean a real server; without them, the sandbox.
    let real_server = support::CREDENTIAL_VARIABLES
        .iter()
        .any(|name| env(name).is_some());
    let (client, group_id, cluster, _sandbox) = if real_server {
        let client = Client::from_env().map_err(|e| e.report().to_string())?;
        let group_id = options
            .group_id
            .or_else(|| env("MONGODB_ATLAS_PROJECT_ID"))
            .ok_or("no project: pass --group-id or set MONGODB_ATLAS_PROJECT_ID")?;
        let cluster = options
            .cluster
            .or_else(|| env("MONGODB_ATLAS_CLUSTER_NAME"))
            .ok_or("no serverless instance or Flex cluster: pass --cluster or set MONGODB_ATLAS_CLUSTER_NAME")?;
        (client, group_id, cluster, None)
    } else {
        let sunset =
            options.sandbox_sunset || env("ATLAS_SANDBOX_SUNSET").is_some_and(|v| v != "0");
        let mut sandbox = Sandbox::builder()
            .digest_key(SANDBOX_PUBLIC_KEY, SANDBOX_PRIVATE_KEY)
            .service_account(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET);
        if sunset {
            // Today's Atlas: the serverless routes are gone, and the instance lives on as a
            // Flex cluster of the same name (next to the default seed's own Flex cluster).
            use atlas_endpoints_sandbox::{
                DEFAULT_FLEX_CLUSTER, DEFAULT_FLEX_JOB_COUNT, DEFAULT_FLEX_SNAPSHOT_COUNT,
                DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT,
            };
            let (group, snapshots) = (DEFAULT_GROUP_ID, DEFAULT_FLEX_SNAPSHOT_COUNT);
            sandbox = sandbox
                .sunset_serverless(true)
                .instance(group, DEFAULT_INSTANCE, DEFAULT_JOB_COUNT)
                .flex_cluster(group, DEFAULT_INSTANCE, MIGRATED_JOB_COUNT, snapshots)
                .flex_cluster(
                    group,
                    DEFAULT_FLEX_CLUSTER,
                    DEFAULT_FLEX_JOB_COUNT,
                    snapshots,
                );
        }
        let sandbox = sandbox
            .start()
            .await
            .map_err(|e| format!("could not start the sandbox: {e}"))?;
        let scheme = options.sandbox_auth.as_deref().unwrap_or("token");
        eprintln!(
            "no credentials in the environment: using the built-in sandbox at {} ({scheme} auth{})",
            sandbox.base_url(),
            if sunset { ", serverless sunset" } else { "" }
        );
        let builder = Client::builder().base_url(sandbox.base_url());
        let builder = match scheme {
            "token" => builder.bearer_token(sandbox.token()),
            "digest" => builder.api_key(SANDBOX_PUBLIC_KEY, SANDBOX_PRIVATE_KEY),
            "service-account" => builder.service_account(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET),
            other => return Err(format!("unknown --sandbox-auth {other:?}\n{USAGE}")),
        };
        let client = builder.build().map_err(|e| e.report().to_string())?;
        let group_id = options
            .group_id
            .unwrap_or_else(|| atlas_endpoints_sandbox::DEFAULT_GROUP_ID.to_owned());
        let default_cluster = if options.flex {
            atlas_endpoints_sandbox::DEFAULT_FLEX_CLUSTER
        } else {
            atlas_endpoints_sandbox::DEFAULT_INSTANCE
        };
        let cluster = options
            .cluster
            .unwrap_or_else(|| default_cluster.to_owned());
        (client, group_id, cluster, Some(sandbox))
    };

    if options.flex {
        let listing = client.list_flex_restore_jobs(&group_id, &cluster);
        let heading = format!(
            "restore jobs of Flex cluster {cluster} in project {group_id}\n{:<24}  {:<8}  {:<24}  {:<20}  {:<9}  TARGET",
            "ID", "TYPE", "SNAPSHOT", "SCHEDULED", "STATUS"
        );
        print_listing(listing, options.items_per_page, &heading, print_flex_row).await
    } else {
        // The serverless endpoints are gone since their sunset; where Atlas says so, the
        // instance's restore jobs are those of the Flex cluster it was migrated to.
        match restore_jobs(&client, &group_id, &cluster)
            .await
            .map_err(|e| e.report().to_string())?
        {
            RestoreJobs::Serverless(listing) => {
                let heading = format!(
                    "restore jobs of {cluster} in project {group_id}\n{:<24}  {:<11}  {:<24}  {:<20}  {:<11}  TARGET",
                    "ID", "TYPE", "SNAPSHOT", "TAKEN", "STATUS"
                );
                print_listing(listing, options.items_per_page, &heading, print_row).await
            }
            RestoreJobs::Flex(listing) => {
                eprintln!(
                    "the serverless endpoints are gone (410 VERSION_GONE, sunset 2026-01-22): \
                     listing the restore jobs of {cluster} as a Flex cluster, which Atlas migrated \
                     it to"
                );
                let heading = format!(
                    "restore jobs of {cluster} (migrated to Flex) in project {group_id}\n{:<24}  {:<8}  {:<24}  {:<20}  {:<9}  TARGET",
                    "ID", "TYPE", "SNAPSHOT", "SCHEDULED", "STATUS"
                );
                print_listing(listing, options.items_per_page, &heading, print_flex_row).await
            }
        }
    }
}

/// Streams every page of `listing`, printing `heading` once the first page arrived (so that
/// an error is all a failed run prints), then one row per job and the count.
async fn print_listing<T: DeserializeOwned + Send + 'static>(
    mut listing: Paginated<T>,
    items_per_page: Option<u32>,
    heading: &str,
    row: fn(&T),
) -> Result<(), String> {
    if let Some(items_per_page) = items_per_page {
        listing = listing.items_per_page(items_per_page);
    }
    let mut pages = listing.pages();
    let mut count = 0usize;
    let mut heading_printed = false;
    while let Some(page) = pages.try_next().await.map_err(|e| e.report().to_string())? {
        if !heading_printed {
            heading_printed = true;
            println!("{heading}");
        }
        for job in page.results() {
            row(job);
            count += 1;
        }
    }
    println!("{count} restore job{}", if count == 1 { "" } else { "s" });
    Ok(())
}

fn print_flex_row(job: &FlexBackupRestoreJob) {
    println!(
        "{:<24}  {:<8}  {:<24}  {:<20}  {:<9}  {}/{}",
        job.id.as_deref().unwrap_or("-"),
        job.delivery_type.as_ref().map_or("-", |t| t.as_str()),
        job.snapshot_id.as_deref().unwrap_or("-"),
        moment(job.restore_scheduled_date),
        job.status.as_ref().map_or("-", |s| s.as_str()),
        job.target_project_id.as_deref().unwrap_or("-"),
        job.target_deployment_item_name.as_deref().unwrap_or("-"),
    );
}

fn print_row(job: &ServerlessBackupRestoreJob) {
    println!(
        "{:<24}  {:<11}  {:<24}  {:<20}  {:<11}  {}/{}",
        job.id.as_deref().unwrap_or("-"),
        job.delivery_type.as_str(),
        job.snapshot_id.as_deref().unwrap_or("-"),
        moment(job.timestamp),
        status(job),
        job.target_group_id,
        job.target_cluster_name,
    );
}

/// A date and time as the tables show it, `-` when Atlas gave none.
fn moment(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "-".into())
}

fn status(job: &ServerlessBackupRestoreJob) -> &'static str {
    match (job.cancelled, job.failed, job.expired, job.finished_at) {
        (Some(true), _, _, _) => "cancelled",
        (_, Some(true), _, _) => "failed",
        (_, _, Some(true), _) => "expired",
        (_, _, _, Some(_)) => "finished",
        _ => "in progress",
    }
}

fn parse_options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options::default();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--flex" => options.flex = true,
            "--group-id" => options.group_id = Some(value("--group-id")?),
            "--cluster" => options.cluster = Some(value("--cluster")?),
            "--sandbox-auth" => options.sandbox_auth = Some(value("--sandbox-auth")?),
            "--sandbox-sunset" => options.sandbox_sunset = true,
            "--items-per-page" => {
                let raw = value("--items-per-page")?;
                let parsed = raw
                    .parse()
                    .map_err(|_| format!("--items-per-page takes a number, not {raw:?}"))?;
                options.items_per_page = Some(parsed);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(options)
}
