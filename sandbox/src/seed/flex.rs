//! Deterministic, realistic Flex cluster snapshots and restore jobs.
//!
//! As for serverless instances, everything is a pure function of the group
//! id, the cluster name, the counts and the index: no randomness, no clock.
//!
//! Snapshots are daily, scheduled at 03:00 UTC from 2025-11-05, each taking
//! a few minutes; the newest one (of two or more) is still running and one
//! in nine failed (never the first or the newest). Restore jobs are spread
//! evenly from the end of the first snapshot to the sandbox's "now" for the
//! cluster, and each one restores the newest snapshot that had completed
//! when it was scheduled, so every `snapshotId` names a completed snapshot
//! of the same cluster.

use serde::Serialize;

use super::{
    deployment_seed, encode_segment, object_id, rfc3339, Creation, Link, Upgrade,
    MAX_JOBS_PER_INSTANCE,
};

/// 2025-11-05T03:00:00Z, when snapshot 0 of a Flex cluster is scheduled.
const FLEX_BASE_SECS: i64 = 1_762_311_600;
const DAY_SECS: i64 = 86_400;
/// Up to this many snapshots (ten years), they are a day apart; more are
/// squeezed into the same span.
const FULL_SPACING_SNAPSHOTS: usize = 3_650;
/// A Flex snapshot is kept for eight days.
const RETENTION_SECS: i64 = 8 * DAY_SECS;
/// A download link works for four hours.
const DOWNLOAD_LINK_SECS: i64 = 4 * 3600;
/// Flex snapshots taken before 2025-11-09T00:00:00Z ran 8.0.14, later ones
/// 8.0.15.
const UPGRADE: Upgrade = Upgrade {
    at_secs: 1_762_646_400,
    before: "8.0.14",
    after: "8.0.15",
};
/// Where seeded restores write to, in turn.
const TARGETS: [&str; 3] = ["Cluster0", "flex-restore", "reporting"];

/// The spec's status enum, shared by Flex snapshots and restore jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum FlexStatus {
    Pending,
    Queued,
    Running,
    Failed,
    Completed,
}

impl FlexStatus {
    /// The value as the spec spells it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FlexStatus::Pending => "PENDING",
            FlexStatus::Queued => "QUEUED",
            FlexStatus::Running => "RUNNING",
            FlexStatus::Failed => "FAILED",
            FlexStatus::Completed => "COMPLETED",
        }
    }
}

/// How a Flex restore job hands the snapshot over (`deliveryType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum FlexDeliveryType {
    Restore,
    Download,
}

/// One `FlexBackupSnapshot20241113`, as the sandbox serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FlexSnapshot {
    pub expiration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_time: Option<String>,
    pub id: String,
    pub links: Vec<Link>,
    #[serde(rename = "mongoDBVersion")]
    pub mongo_db_version: &'static str,
    pub scheduled_time: String,
    pub start_time: String,
    pub status: FlexStatus,
    /// `startTime` in Unix seconds.
    #[serde(skip)]
    pub started_secs: i64,
    /// `finishTime` in Unix seconds.
    #[serde(skip)]
    pub finished_secs: Option<i64>,
}

/// One `FlexBackupRestoreJob20241113`, as the sandbox serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FlexRestoreJob {
    pub delivery_type: FlexDeliveryType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<String>,
    pub id: String,
    pub instance_name: String,
    pub links: Vec<Link>,
    pub project_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_finished_date: Option<String>,
    pub restore_scheduled_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_finished_date: Option<String>,
    pub snapshot_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_url: Option<String>,
    pub status: FlexStatus,
    /// Where a restore restores to; `None` for a download.
    #[serde(flatten)]
    pub target: Option<FlexTarget>,
}

/// The deployment a Flex restore job restores into, and its project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FlexTarget {
    pub target_deployment_item_name: String,
    pub target_project_id: String,
}

/// A Flex cluster's seeded backups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlexBackups {
    /// Oldest first.
    pub snapshots: Vec<FlexSnapshot>,
    /// Oldest first.
    pub restore_jobs: Vec<FlexRestoreJob>,
    /// The sandbox's "now" for this cluster, in Unix seconds: after every
    /// seeded date.
    pub now: i64,
}

/// Seconds between two snapshots of a cluster with `count` of them.
fn spacing(count: usize) -> i64 {
    if count <= FULL_SPACING_SNAPSHOTS {
        DAY_SECS
    } else {
        DAY_SECS * FULL_SPACING_SNAPSHOTS as i64 / count as i64
    }
}

/// The `links` of one item of a Flex cluster's `kind` (`restoreJobs` or
/// `snapshots`): its absolute URL.
fn links(base_url: &str, group_id: &str, name: &str, kind: &str, id: &str) -> Vec<Link> {
    Link::only_self(format!(
        "{base_url}/api/atlas/v2/groups/{}/flexClusters/{}/backup/{kind}/{id}",
        encode_segment(group_id),
        encode_segment(name),
    ))
}

/// The address a download job hands out.
fn snapshot_url(group_id: &str, name: &str, snapshot_id: &str, job_id: &str) -> String {
    format!(
        "https://flex-backups.sandbox.invalid/{}/{}/{snapshot_id}.tar.gz?restoreJobId={job_id}",
        encode_segment(group_id),
        encode_segment(name),
    )
}

/// The snapshots and restore jobs of Flex cluster `name` of `group_id`.
/// Both counts are clamped to [`MAX_JOBS_PER_INSTANCE`]; a cluster with
/// restore jobs has at least one snapshot, for them to restore.
pub(crate) fn flex_backups(
    base_url: &str,
    group_id: &str,
    name: &str,
    jobs: usize,
    snapshots: usize,
) -> FlexBackups {
    let jobs = jobs.min(MAX_JOBS_PER_INSTANCE);
    let mut count = snapshots.min(MAX_JOBS_PER_INSTANCE);
    if jobs > 0 {
        count = count.max(1);
    }
    let step = spacing(count);
    let snapshot_seed = deployment_seed(b"flex-snapshot\0", group_id, name);
    let snapshots: Vec<FlexSnapshot> = (0..count)
        .map(|index| {
            let k = index as i64;
            let scheduled = FLEX_BASE_SECS + k * step;
            let start = scheduled + 60 + k * 53 % 180;
            let newest = index + 1 == count;
            let status = if newest && count >= 2 {
                FlexStatus::Running
            } else if index != 0 && !newest && index % 9 == 4 {
                FlexStatus::Failed
            } else {
                FlexStatus::Completed
            };
            let finished = (status != FlexStatus::Running).then(|| start + 120 + k * 97 % 420);
            let id = object_id(scheduled, snapshot_seed, index);
            FlexSnapshot {
                expiration: rfc3339(scheduled + RETENTION_SECS),
                finish_time: finished.map(rfc3339),
                links: links(base_url, group_id, name, "snapshots", &id),
                id,
                mongo_db_version: UPGRADE.version_at(scheduled),
                scheduled_time: rfc3339(scheduled),
                start_time: rfc3339(start),
                status,
                started_secs: start,
                finished_secs: finished,
            }
        })
        .collect();

    // "Now": two minutes into the running snapshot, or a day after the only
    // one (or the base, without snapshots).
    let mut now = match snapshots.last() {
        Some(last) if last.status == FlexStatus::Running => last.started_secs + 120,
        Some(last) => last.started_secs + DAY_SECS,
        None => FLEX_BASE_SECS,
    };
    // Jobs are spread from the end of the first snapshot to "now", at least
    // a minute apart (which may push "now" further).
    let first_finish = snapshots
        .iter()
        .find_map(|snapshot| snapshot.finished_secs)
        .unwrap_or(FLEX_BASE_SECS);
    if jobs > 0 {
        now = now.max(first_finish + (jobs as i64 + 1) * 60);
    }
    let restore_jobs = seed_jobs(
        base_url,
        group_id,
        name,
        jobs,
        &snapshots,
        first_finish,
        now,
    );
    FlexBackups {
        snapshots,
        restore_jobs,
        now,
    }
}

fn seed_jobs(
    base_url: &str,
    group_id: &str,
    name: &str,
    count: usize,
    snapshots: &[FlexSnapshot],
    start: i64,
    end: i64,
) -> Vec<FlexRestoreJob> {
    let seed = deployment_seed(b"flex-job\0", group_id, name);
    let span = end - start;
    let completed: Vec<&FlexSnapshot> = snapshots
        .iter()
        .filter(|snapshot| snapshot.status == FlexStatus::Completed)
        .collect();
    let mut restored = 0;
    (0..count)
        .map(|index| {
            let j = index as i64;
            let scheduled = start + (j + 1) * span / (count as i64 + 1);
            // The newest snapshot completed by then (the first one always is).
            while completed
                .get(restored + 1)
                .and_then(|s| s.finished_secs)
                .is_some_and(|done| done < scheduled)
            {
                restored += 1;
            }
            let snapshot = completed[restored];
            let delivery_type = if index % 3 == 1 {
                FlexDeliveryType::Download
            } else {
                FlexDeliveryType::Restore
            };
            let status = match count - index {
                1 if count >= 2 => FlexStatus::Queued,
                1 | 2 => FlexStatus::Running,
                _ if index % 7 == 2 => FlexStatus::Failed,
                _ => FlexStatus::Completed,
            };
            let finished = matches!(status, FlexStatus::Completed | FlexStatus::Failed)
                .then(|| (scheduled + 180 + j * 71 % 600).min(end));
            let id = object_id(scheduled, seed, index);
            let restore = delivery_type == FlexDeliveryType::Restore;
            // A download has a link (and its expiry) once it completed.
            let link =
                delivery_type == FlexDeliveryType::Download && status == FlexStatus::Completed;
            FlexRestoreJob {
                delivery_type,
                expiration_date: link.then(|| rfc3339(scheduled + DOWNLOAD_LINK_SECS)),
                instance_name: name.to_owned(),
                links: links(base_url, group_id, name, "restoreJobs", &id),
                project_id: group_id.to_owned(),
                restore_finished_date: finished.map(rfc3339),
                restore_scheduled_date: rfc3339(scheduled),
                snapshot_finished_date: snapshot.finish_time.clone(),
                snapshot_id: snapshot.id.clone(),
                snapshot_url: link.then(|| snapshot_url(group_id, name, &snapshot.id, &id)),
                status,
                target: restore.then(|| FlexTarget {
                    target_deployment_item_name: TARGETS[(index / 3) % TARGETS.len()].to_owned(),
                    target_project_id: group_id.to_owned(),
                }),
                id,
            }
        })
        .collect()
}

/// What a request asks of a new Flex job: a restore into its target, or a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NewFlexJob {
    Restore(FlexTarget),
    Download,
}

/// A job created by a request `at` a moment (Unix seconds), as the
/// `sequence`-th one created for this cluster. A restore starts `PENDING`;
/// a download is `COMPLETED` at once, its `snapshotUrl` working for four
/// hours. Its id starts with `now`, so it sorts after every seeded job.
pub(crate) fn created_flex_job(
    at: &Creation<'_>,
    snapshot: &FlexSnapshot,
    request: NewFlexJob,
) -> FlexRestoreJob {
    let id = at.id(b"flex-created\0");
    let (delivery_type, status, target) = match request {
        NewFlexJob::Restore(target) => {
            (FlexDeliveryType::Restore, FlexStatus::Pending, Some(target))
        }
        NewFlexJob::Download => (FlexDeliveryType::Download, FlexStatus::Completed, None),
    };
    let download = delivery_type == FlexDeliveryType::Download;
    FlexRestoreJob {
        delivery_type,
        expiration_date: download.then(|| rfc3339(at.now + DOWNLOAD_LINK_SECS)),
        instance_name: at.name.to_owned(),
        links: links(at.base_url, at.group_id, at.name, "restoreJobs", &id),
        project_id: at.group_id.to_owned(),
        restore_finished_date: download.then(|| rfc3339(at.now)),
        restore_scheduled_date: rfc3339(at.now),
        snapshot_finished_date: snapshot.finish_time.clone(),
        snapshot_id: snapshot.id.clone(),
        snapshot_url: download.then(|| snapshot_url(at.group_id, at.name, &snapshot.id, &id)),
        status,
        target,
        id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const GROUP: &str = "5e2211c17a3e5a48f5497de3";

    fn is_sorted<T: PartialOrd>(items: &[T]) -> bool {
        items.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn snapshots_are_daily_with_one_running_and_failures() {
        let backups = flex_backups("http://x", GROUP, "flex-demo", 6, 10);
        let snapshots = &backups.snapshots;
        assert_eq!(snapshots.len(), 10);
        assert_eq!(snapshots[0].scheduled_time, "2025-11-05T03:00:00Z");
        assert_eq!(snapshots[1].scheduled_time, "2025-11-06T03:00:00Z");
        assert_eq!(snapshots[9].status, FlexStatus::Running);
        assert!(snapshots[9].finish_time.is_none());
        assert_eq!(snapshots[4].status, FlexStatus::Failed);
        assert_eq!(
            snapshots
                .iter()
                .filter(|s| s.status == FlexStatus::Completed)
                .count(),
            8
        );
        assert_eq!(snapshots[0].mongo_db_version, "8.0.14");
        assert_eq!(snapshots[9].mongo_db_version, "8.0.15");
        let ids: Vec<&String> = snapshots.iter().map(|s| &s.id).collect();
        assert!(is_sorted(&ids));
        assert!(snapshots.iter().all(|s| s.start_time > s.scheduled_time
            && s.finish_time.as_ref().is_none_or(|f| *f > s.start_time)));
    }

    #[test]
    fn jobs_restore_completed_snapshots_of_their_past() {
        let backups = flex_backups("http://x", GROUP, "flex-demo", 40, 9);
        let jobs = &backups.restore_jobs;
        assert_eq!(jobs.len(), 40);
        let ids: Vec<&String> = jobs.iter().map(|j| &j.id).collect();
        assert!(is_sorted(&ids));
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 40);
        for job in jobs {
            let snapshot = backups
                .snapshots
                .iter()
                .find(|s| s.id == job.snapshot_id)
                .expect("the job's snapshot exists");
            assert_eq!(snapshot.status, FlexStatus::Completed);
            assert!(snapshot.finish_time.as_ref() < Some(&job.restore_scheduled_date));
            assert!(job.restore_scheduled_date < rfc3339(backups.now));
            let download = job.delivery_type == FlexDeliveryType::Download;
            assert_eq!(job.target.is_some(), !download);
            let link = download && job.status == FlexStatus::Completed;
            assert_eq!(job.snapshot_url.is_some(), link);
            assert_eq!(job.expiration_date.is_some(), link);
        }
        assert_eq!(jobs[39].status, FlexStatus::Queued);
        assert_eq!(jobs[38].status, FlexStatus::Running);
        assert!(jobs.iter().any(|j| j.status == FlexStatus::Failed));
        assert!(jobs[..38].iter().all(|j| j.restore_finished_date.is_some()));
    }

    #[test]
    fn jobs_get_a_snapshot_even_when_none_was_asked_for() {
        let backups = flex_backups("http://x", GROUP, "f", 3, 0);
        assert_eq!(backups.snapshots.len(), 1);
        assert_eq!(backups.snapshots[0].status, FlexStatus::Completed);
        assert!(backups
            .restore_jobs
            .iter()
            .all(|job| job.snapshot_id == backups.snapshots[0].id));
        let empty = flex_backups("http://x", GROUP, "f", 0, 0);
        assert!(empty.snapshots.is_empty() && empty.restore_jobs.is_empty());
    }

    #[test]
    fn large_clusters_stay_ordered() {
        let backups = flex_backups("http://x", GROUP, "big", 100_001, 100_001);
        assert_eq!(backups.snapshots.len(), MAX_JOBS_PER_INSTANCE);
        assert_eq!(backups.restore_jobs.len(), MAX_JOBS_PER_INSTANCE);
        let ids: Vec<&String> = backups.restore_jobs.iter().map(|j| &j.id).collect();
        assert!(is_sorted(&ids));
        let ids: Vec<&String> = backups.snapshots.iter().map(|s| &s.id).collect();
        assert!(is_sorted(&ids));
    }

    #[test]
    fn created_jobs_follow_their_kind() {
        let backups = flex_backups("http://x", GROUP, "f", 1, 2);
        let snapshot = &backups.snapshots[0];
        let at = Creation::new("http://x", GROUP, "f", (backups.now + 60, 0));
        let download = created_flex_job(&at, snapshot, NewFlexJob::Download);
        assert_eq!(download.status, FlexStatus::Completed);
        assert!(download
            .snapshot_url
            .as_ref()
            .is_some_and(|url| url.contains(&snapshot.id)));
        assert!(download.id > backups.restore_jobs[0].id);
        let restore = NewFlexJob::Restore(FlexTarget {
            target_deployment_item_name: "Cluster0".to_owned(),
            target_project_id: GROUP.to_owned(),
        });
        let at = Creation::new("http://x", GROUP, "f", (backups.now + 120, 1));
        let restore = created_flex_job(&at, snapshot, restore);
        assert_eq!(restore.status, FlexStatus::Pending);
        assert!(restore.snapshot_url.is_none() && restore.restore_finished_date.is_none());
        assert!(restore.id > download.id);
    }
}
