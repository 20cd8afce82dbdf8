//! Deterministic, realistic serverless restore jobs and snapshots (and, in
//! [`flex`], Flex cluster backups), plus the jobs that requests create.
//!
//! Everything here is a pure function of the group id, the instance name, the
//! number of jobs and the job's index (and, for created jobs, of the
//! sandbox's own time and sequence number): two sandboxes seeded alike serve
//! the same bytes. No randomness, no clock.

pub(crate) mod flex;

use serde::Serialize;

/// 2025-11-03T10:15:00Z, when the snapshot of job 0 was taken.
const BASE_SECS: i64 = 1_762_164_900;
/// Snapshots are six hours apart.
const SNAPSHOT_SPACING_SECS: i64 = 6 * 3600;
/// How long after its snapshot a job is created: 20 to 50 minutes.
const CREATE_DELAY_BASE_SECS: i64 = 20 * 60;
/// A restore job expires two days after it was created.
const EXPIRY_SECS: i64 = 48 * 3600;
/// How many of the newest jobs are still running (no `finishedAt`).
const IN_PROGRESS: usize = 3;
/// Target clusters that automated and point-in-time restores write to.
const TARGET_CLUSTERS: [&str; 3] = ["Cluster0", "staging-restore", "analytics"];

/// Up to this many jobs, snapshots are [`SNAPSHOT_SPACING_SECS`] apart; a
/// larger instance spaces them closer so that its newest job is as far from
/// [`BASE_SECS`] as this many jobs would be (late 2032).
const FULL_SPACING_JOBS: usize = 10_000;

/// The most jobs one instance can be seeded with; larger requests are clamped.
///
/// Up to 10 000 jobs, snapshots are six hours apart. A larger instance
/// squeezes the same span (about seven years from 2025-11-03) into its
/// count: at this maximum, snapshots are 36 minutes apart and every other
/// offset within a job shrinks in proportion, so jobs stay in order, ids stay
/// unique and sorted, and every epoch-seconds field (`oplogTs`,
/// `pointInTimeUTCSeconds`, `desiredTimestamp.increment`) still fits the
/// spec's `int32` (before 2038). Seeding this many takes well under a second
/// even in a debug build, and about 100 MB of memory.
pub const MAX_JOBS_PER_INSTANCE: usize = 100_000;

/// How a restore job delivers its snapshot (the spec's `deliveryType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum DeliveryType {
    Automated,
    Download,
    PointInTime,
}

/// One `Link` of the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Link {
    pub href: String,
    pub rel: String,
}

impl Link {
    pub(crate) fn new(rel: &str, href: String) -> Self {
        Link {
            href,
            rel: rel.to_owned(),
        }
    }

    /// The `links` of a seeded or created resource: its `self` link alone.
    pub(crate) fn only_self(href: String) -> Vec<Link> {
        vec![Link::new("self", href)]
    }
}

/// A MongoDB upgrade of the seeded deployments: the version their snapshots
/// ran before `at_secs` (Unix seconds), and from then on.
pub(crate) struct Upgrade {
    pub at_secs: i64,
    pub before: &'static str,
    pub after: &'static str,
}

impl Upgrade {
    /// The version a snapshot taken at `secs` ran.
    pub(crate) fn version_at(&self, secs: i64) -> &'static str {
        if secs < self.at_secs {
            self.before
        } else {
            self.after
        }
    }
}

/// The spec's `ApiBSONTimestampView`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BsonTimestamp {
    pub date: String,
    pub increment: i64,
}

/// One `ServerlessBackupRestoreJob`, as the sandbox serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RestoreJob {
    pub cancelled: bool,
    pub delivery_type: DeliveryType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_url: Option<Vec<String>>,
    pub desired_timestamp: BsonTimestamp,
    pub expired: bool,
    pub expires_at: String,
    pub failed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    pub id: String,
    pub links: Vec<Link>,
    #[serde(flatten)]
    pub point_in_time: PointInTime,
    pub snapshot_id: String,
    pub target_cluster_name: String,
    pub target_group_id: String,
    pub timestamp: String,
}

/// Where a point-in-time restore job restores to: the moment, in Unix seconds, and the
/// oplog position it was asked for by, if it was; all `None` for the other jobs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PointInTime {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oplog_inc: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oplog_ts: Option<i64>,
    /// The moment.
    #[serde(
        rename = "pointInTimeUTCSeconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub utc_seconds: Option<i64>,
}

/// The restore jobs of one serverless instance, oldest first.
///
/// `base_url` is the sandbox's own address, used for each job's `self` link.
pub(crate) fn restore_jobs(
    base_url: &str,
    group_id: &str,
    instance: &str,
    count: usize,
) -> Vec<RestoreJob> {
    let count = count.min(MAX_JOBS_PER_INSTANCE);
    (0..count)
        .map(|index| restore_job(base_url, group_id, instance, count, index))
        .collect()
}

fn restore_job(
    base_url: &str,
    group_id: &str,
    instance: &str,
    count: usize,
    index: usize,
) -> RestoreJob {
    let i = index as i64;
    let seed = job_seed(group_id, instance);
    let spacing = snapshot_spacing(count);
    // An offset within one job, given for six-hour spacing, shrunk in
    // proportion to this instance's spacing (unchanged up to 10 000 jobs).
    let within = |secs: i64| secs * spacing / SNAPSHOT_SPACING_SECS;

    let delivery_type = match index % 3 {
        0 => DeliveryType::Automated,
        1 => DeliveryType::Download,
        _ => DeliveryType::PointInTime,
    };
    let (snapshot_at, snapshot_id) = snapshot_of(group_id, instance, count, index);
    // A point-in-time restore targets a moment 2 to 3 hours after its
    // snapshot; every job is created after the moment it restores, and
    // before the next snapshot, so ids and timestamps grow with the index.
    let point_in_time = (delivery_type == DeliveryType::PointInTime)
        .then(|| snapshot_at + within(2 * 3600 + (i * 7 % 60) * 60));
    let desired = point_in_time.unwrap_or(snapshot_at);
    let created_at = desired + within(CREATE_DELAY_BASE_SECS + (i % 4) * 600);
    let expires_at = created_at + EXPIRY_SECS;
    // The instant the sandbox pretends it is for this instance: one snapshot
    // interval after the newest snapshot.
    let now = BASE_SECS + count as i64 * spacing;

    let in_progress = index + IN_PROGRESS >= count;
    let failed = !in_progress && index % 11 == 4;
    let cancelled = !in_progress && !failed && index % 13 == 7;
    let finished_at = (!in_progress).then(|| created_at + within(15 * 60 + (i * 13 % 45) * 60));
    let expired = !in_progress && expires_at <= now;

    let id = object_id(created_at, seed, index);

    let target_cluster_name = match delivery_type {
        DeliveryType::Download => instance.to_owned(),
        _ => TARGET_CLUSTERS[(index / 3) % TARGET_CLUSTERS.len()].to_owned(),
    };
    let delivery_url =
        (delivery_type == DeliveryType::Download).then(|| delivery_url(&id, &snapshot_id));
    RestoreJob {
        cancelled,
        delivery_type,
        delivery_url,
        desired_timestamp: BsonTimestamp {
            date: rfc3339(desired),
            increment: desired,
        },
        expired,
        expires_at: rfc3339(expires_at),
        failed,
        finished_at: finished_at.map(rfc3339),
        links: serverless_links(base_url, group_id, instance, "restoreJobs", &id),
        id,
        point_in_time: PointInTime {
            oplog_inc: point_in_time.map(|_| 1 + i % 7),
            oplog_ts: point_in_time,
            utc_seconds: point_in_time,
        },
        snapshot_id,
        target_cluster_name,
        target_group_id: group_id.to_owned(),
        timestamp: rfc3339(snapshot_at),
    }
}

/// The seed of the restore job ids of one serverless instance.
fn job_seed(group_id: &str, instance: &str) -> u64 {
    deployment_seed(b"", group_id, instance)
}

/// When the snapshot of job `index` (of `count`) was taken, and its id.
fn snapshot_of(group_id: &str, instance: &str, count: usize, index: usize) -> (i64, String) {
    let seed = deployment_seed(b"snapshot\0", group_id, instance);
    let secs = BASE_SECS + index as i64 * snapshot_spacing(count);
    (secs, object_id(secs, seed, index))
}

/// The `deliveryUrl` of a download restore job.
fn delivery_url(id: &str, snapshot_id: &str) -> Vec<String> {
    vec![format!(
        "https://restore-{id}.sandbox.invalid:27017/{snapshot_id}.tar.gz"
    )]
}

/// The `links` of one item of a serverless instance's `kind`
/// (`restoreJobs` or `snapshots`): its absolute URL.
fn serverless_links(
    base_url: &str,
    group_id: &str,
    instance: &str,
    kind: &str,
    id: &str,
) -> Vec<Link> {
    Link::only_self(format!(
        "{base_url}/api/atlas/v2/groups/{}/serverless/{}/backup/{kind}/{id}",
        encode_segment(group_id),
        encode_segment(instance),
    ))
}

/// How often a serverless snapshot's policy item fires (`frequencyType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum FrequencyType {
    Hourly,
    Daily,
    Weekly,
    Monthly,
}

/// What took a serverless snapshot (`snapshotType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum SnapshotType {
    Scheduled,
}

/// Where a serverless snapshot stands (`status`); every seeded snapshot is
/// complete, since restore jobs refer to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum SnapshotStatus {
    Completed,
}

/// One `ServerlessBackupSnapshot`, as the sandbox serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServerlessSnapshot {
    pub created_at: String,
    pub expires_at: String,
    pub frequency_type: FrequencyType,
    pub id: String,
    pub links: Vec<Link>,
    pub mongod_version: &'static str,
    pub serverless_instance_name: String,
    pub snapshot_type: SnapshotType,
    pub status: SnapshotStatus,
    pub storage_size_bytes: i64,
    /// `createdAt` in Unix seconds, to pick the snapshot of a point in time.
    #[serde(skip)]
    pub created_secs: i64,
}

/// Serverless snapshots taken before 2025-11-08T00:00:00Z ran 8.0.13, later
/// ones 8.0.15.
const MONGOD_UPGRADE: Upgrade = Upgrade {
    at_secs: 1_762_560_000,
    before: "8.0.13",
    after: "8.0.15",
};

/// The snapshots of one serverless instance with `count` restore jobs, oldest
/// first: one per job, the one the job's `snapshotId` names, taken at the
/// job's `timestamp`.
pub(crate) fn serverless_snapshots(
    base_url: &str,
    group_id: &str,
    instance: &str,
    count: usize,
) -> Vec<ServerlessSnapshot> {
    let size_seed = deployment_seed(b"size\0", group_id, instance);
    let count = count.min(MAX_JOBS_PER_INSTANCE);
    let spacing = snapshot_spacing(count);
    (0..count)
        .map(|index| {
            let (secs, id) = snapshot_of(group_id, instance, count, index);
            // The first snapshot of a UTC day is the daily one; a Sunday's is
            // the weekly one and the first day of a month's the monthly one.
            let days = secs.div_euclid(86_400);
            let first_of_day = secs.rem_euclid(86_400) < spacing;
            let (_, _, day_of_month) = civil_from_days(days);
            let frequency_type = match first_of_day {
                false => FrequencyType::Hourly,
                true if day_of_month == 1 => FrequencyType::Monthly,
                // 1970-01-01 was a Thursday.
                true if (days + 4).rem_euclid(7) == 0 => FrequencyType::Weekly,
                true => FrequencyType::Daily,
            };
            let retention_days = match frequency_type {
                FrequencyType::Hourly => 2,
                FrequencyType::Daily => 7,
                FrequencyType::Weekly => 28,
                FrequencyType::Monthly => 365,
            };
            let i = index as i64;
            // About 150 to 250 MB, growing by about 1.25 MB a snapshot.
            let storage_size_bytes = 150_000_000
                + (size_seed % 100_000_000) as i64
                + i * 1_250_000
                + (fnv1a64(&[&index.to_le_bytes()[..]]) % 2_000_000) as i64;
            ServerlessSnapshot {
                created_at: rfc3339(secs),
                expires_at: rfc3339(secs + retention_days * 86_400),
                frequency_type,
                links: serverless_links(base_url, group_id, instance, "snapshots", &id),
                id,
                mongod_version: MONGOD_UPGRADE.version_at(secs),
                serverless_instance_name: instance.to_owned(),
                snapshot_type: SnapshotType::Scheduled,
                status: SnapshotStatus::Completed,
                storage_size_bytes,
                created_secs: secs,
            }
        })
        .collect()
}

/// The sandbox's "now" for a serverless instance seeded with `count` jobs:
/// one snapshot interval after its newest snapshot (restore jobs created
/// later are dated from there on).
pub(crate) fn serverless_now(count: usize) -> i64 {
    let count = count.min(MAX_JOBS_PER_INSTANCE);
    BASE_SECS + count as i64 * snapshot_spacing(count)
}

/// What a request asks of a new serverless restore job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewServerlessJob {
    pub delivery_type: DeliveryType,
    pub target_cluster_name: String,
    pub target_group_id: String,
    /// Where a point-in-time restore restores to.
    pub point_in_time: PointInTime,
}

/// Where and when a request creates a restore job: in which deployment (a
/// serverless instance or a Flex cluster), at which moment and as which job
/// of it, as the deployment's clock counts them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Creation<'a> {
    pub base_url: &'a str,
    pub group_id: &'a str,
    /// The instance's or cluster's name.
    pub name: &'a str,
    /// Unix seconds.
    pub now: i64,
    /// How many jobs were created for the deployment before this one.
    pub sequence: usize,
}

impl<'a> Creation<'a> {
    /// The new job's id: it starts with `now`, then what `salt` and the
    /// deployment make of the sequence number.
    pub(crate) fn id(&self, salt: &[u8]) -> String {
        let seed = deployment_seed(salt, self.group_id, self.name);
        object_id(self.now, seed, self.sequence)
    }

    /// A job of `name` in `group_id`, at the moment and sequence number a deployment's
    /// clock ticks (`(now, sequence)`).
    pub(crate) fn new(
        base_url: &'a str,
        group_id: &'a str,
        name: &'a str,
        (now, sequence): (i64, usize),
    ) -> Self {
        Creation {
            base_url,
            group_id,
            name,
            now,
            sequence,
        }
    }
}

/// A restore job created by a request `at` a moment (Unix seconds) from
/// `snapshot`, as the `sequence`-th job created for this instance: running
/// (no `finishedAt`), expiring two days later. Its id starts with `now`, so
/// it sorts after every seeded job.
pub(crate) fn created_serverless_job(
    at: &Creation<'_>,
    snapshot: &ServerlessSnapshot,
    request: NewServerlessJob,
) -> RestoreJob {
    let moment = request.point_in_time.utc_seconds;
    let desired = moment.unwrap_or(snapshot.created_secs);
    let id = at.id(b"created\0");
    RestoreJob {
        cancelled: false,
        delivery_type: request.delivery_type,
        delivery_url: (request.delivery_type == DeliveryType::Download)
            .then(|| delivery_url(&id, &snapshot.id)),
        desired_timestamp: BsonTimestamp {
            date: rfc3339(desired),
            increment: desired,
        },
        expired: false,
        expires_at: rfc3339(at.now + EXPIRY_SECS),
        failed: false,
        finished_at: None,
        links: serverless_links(at.base_url, at.group_id, at.name, "restoreJobs", &id),
        id,
        point_in_time: request.point_in_time,
        snapshot_id: snapshot.id.clone(),
        target_cluster_name: request.target_cluster_name,
        target_group_id: request.target_group_id,
        timestamp: snapshot.created_at.clone(),
    }
}

/// Seconds between two snapshots of an instance of `count` jobs: six hours up
/// to [`FULL_SPACING_JOBS`], then less so that the newest stays at the same
/// distance from [`BASE_SECS`] (2 160 s at [`MAX_JOBS_PER_INSTANCE`]).
fn snapshot_spacing(count: usize) -> i64 {
    if count <= FULL_SPACING_JOBS {
        SNAPSHOT_SPACING_SECS
    } else {
        // `count` is at most MAX_JOBS_PER_INSTANCE here, so this fits.
        SNAPSHOT_SPACING_SECS * FULL_SPACING_JOBS as i64 / count as i64
    }
}

/// A 24-hex id shaped like a MongoDB ObjectId: 4 bytes of seconds, 5 bytes
/// from `seed`, 3 bytes of a counter that starts at a seeded value.
///
/// Ids of one instance are unique because `secs` grows with the index.
fn object_id(secs: i64, seed: u64, index: usize) -> String {
    let counter = ((seed >> 40) as usize).wrapping_add(index) & 0x00ff_ffff;
    format!(
        "{:08x}{:010x}{:06x}",
        secs as u32,
        seed & 0x00ff_ffff_ffff,
        counter
    )
}

/// FNV-1a over the concatenation of `parts`.
/// A seed of the deployment `name` of `group_id`, salted (`salt` ends in a
/// NUL, or is empty) so that each use draws its own numbers.
fn deployment_seed(salt: &[u8], group_id: &str, name: &str) -> u64 {
    fnv1a64(&[salt, group_id.as_bytes(), b"\0", name.as_bytes()])
}

fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Percent-encodes one path segment (everything but unreserved characters).
pub(crate) fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Formats Unix seconds as RFC 3339 in UTC, e.g. `2025-11-03T10:15:00Z`.
pub(crate) fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn formats_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(BASE_SECS), "2025-11-03T10:15:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(2_147_483_647), "2038-01-19T03:14:07Z");
    }

    #[test]
    fn jobs_are_deterministic_unique_and_ordered() {
        let a = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "demo", 42);
        let b = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "demo", 42);
        assert_eq!(a, b);
        let ids: HashSet<_> = a.iter().map(|job| job.id.clone()).collect();
        assert_eq!(ids.len(), 42);
        assert!(a.iter().all(|job| job.id.len() == 24
            && job
                .id
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))));
        assert!(a.windows(2).all(|w| w[0].timestamp < w[1].timestamp));
        // Ids start with their creation time, so they sort like the jobs.
        assert!(a.windows(2).all(|w| w[0].id < w[1].id));
        // Nothing finishes before the moment it restores.
        assert!(a.iter().all(|job| job
            .finished_at
            .as_ref()
            .is_none_or(|done| *done > job.desired_timestamp.date)));
        let other = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "other", 42);
        assert!(other.iter().all(|job| !ids.contains(&job.id)));
    }

    #[test]
    fn jobs_follow_their_delivery_type() {
        let jobs = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "demo", 42);
        for job in &jobs {
            let pit = job.delivery_type == DeliveryType::PointInTime;
            assert_eq!(job.point_in_time.oplog_ts.is_some(), pit);
            assert_eq!(job.point_in_time.utc_seconds.is_some(), pit);
            assert!(job
                .point_in_time
                .oplog_ts
                .is_none_or(|ts| (1_199_145_600..=i64::from(i32::MAX)).contains(&ts)));
            assert_eq!(
                job.delivery_url.is_some(),
                job.delivery_type == DeliveryType::Download
            );
        }
        assert_eq!(
            jobs.iter().filter(|job| job.finished_at.is_none()).count(),
            3
        );
        assert!(jobs.iter().any(|job| job.expired));
        assert!(jobs.iter().any(|job| job.failed));
        assert!(jobs.iter().any(|job| job.cancelled));
    }

    #[test]
    fn snapshots_are_the_ones_the_jobs_restore() {
        let jobs = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "demo", 42);
        let snapshots = serverless_snapshots("http://x", "5e2211c17a3e5a48f5497de3", "demo", 42);
        assert_eq!(snapshots.len(), 42);
        for (job, snapshot) in jobs.iter().zip(&snapshots) {
            assert_eq!(job.snapshot_id, snapshot.id);
            assert_eq!(job.timestamp, snapshot.created_at);
            assert!(snapshot.expires_at > snapshot.created_at);
            assert!(snapshot.links[0]
                .href
                .ends_with(&format!("/snapshots/{}", snapshot.id)));
        }
        // 2025-11-04 04:15 is the first snapshot of that day; 2025-11-09
        // was a Sunday.
        let at = |date: &str| snapshots.iter().find(|s| s.created_at == date);
        let frequency = |date: &str| at(date).map(|s| s.frequency_type);
        assert_eq!(
            frequency("2025-11-03T10:15:00Z"),
            Some(FrequencyType::Hourly)
        );
        assert_eq!(
            frequency("2025-11-04T04:15:00Z"),
            Some(FrequencyType::Daily)
        );
        assert_eq!(
            frequency("2025-11-09T04:15:00Z"),
            Some(FrequencyType::Weekly)
        );
        assert_eq!(
            at("2025-11-04T04:15:00Z").map(|s| s.expires_at.as_str()),
            Some("2025-11-11T04:15:00Z")
        );
        assert_eq!(snapshots[0].mongod_version, "8.0.13");
        assert_eq!(snapshots[41].mongod_version, "8.0.15");
        assert_eq!(serverless_now(42), BASE_SECS + 42 * SNAPSHOT_SPACING_SECS);
        let monthly = serverless_snapshots("http://x", "g", "n", 200);
        assert!(monthly
            .iter()
            .any(|s| s.frequency_type == FrequencyType::Monthly
                && s.created_at.starts_with("2025-12-01T")));
    }

    #[test]
    fn created_jobs_sort_after_the_seeded_ones() {
        let group = "5e2211c17a3e5a48f5497de3";
        let jobs = restore_jobs("http://x", group, "demo", 42);
        let snapshots = serverless_snapshots("http://x", group, "demo", 42);
        let request = NewServerlessJob {
            delivery_type: DeliveryType::Download,
            target_cluster_name: "demo".to_owned(),
            target_group_id: group.to_owned(),
            point_in_time: PointInTime::default(),
        };
        let now = serverless_now(42) + 60;
        let at = Creation::new("http://x", group, "demo", (now, 0));
        let job = created_serverless_job(&at, &snapshots[3], request);
        assert!(jobs.iter().all(|old| old.id < job.id));
        assert_eq!(job.snapshot_id, snapshots[3].id);
        assert_eq!(job.desired_timestamp.date, snapshots[3].created_at);
        assert!(job.delivery_url.is_some() && job.finished_at.is_none());
        assert_eq!(job.expires_at, rfc3339(now + EXPIRY_SECS));
    }

    #[test]
    fn clamps_and_stays_in_int32() {
        let jobs = restore_jobs("http://x", "g", "n", usize::MAX);
        assert_eq!(jobs.len(), MAX_JOBS_PER_INSTANCE);
        let newest = jobs.iter().rev().find_map(|job| job.point_in_time.oplog_ts);
        assert!(newest.is_some_and(|ts| ts < i64::from(i32::MAX)));
    }

    #[test]
    fn the_six_hour_spacing_holds_up_to_ten_thousand_jobs() {
        let jobs = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "demo", 10_000);
        assert_eq!(jobs[0].timestamp, "2025-11-03T10:15:00Z");
        assert_eq!(jobs[1].timestamp, "2025-11-03T16:15:00Z");
        // The first jobs do not depend on the count (but for in-progress).
        let few = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "demo", 42);
        assert_eq!(jobs[..30], few[..30]);
    }

    #[test]
    fn the_largest_instance_stays_ordered_unique_and_in_int32() {
        let jobs = restore_jobs("http://x", "5e2211c17a3e5a48f5497de3", "big", 100_000);
        assert_eq!(jobs.len(), 100_000);
        assert_eq!(jobs[1].timestamp, "2025-11-03T10:51:00Z");
        assert!(jobs.windows(2).all(|w| w[0].id < w[1].id
            && w[0].timestamp < w[1].timestamp
            && w[0].expires_at < w[1].expires_at));
        assert!(jobs.iter().all(|job| job
            .finished_at
            .as_ref()
            .is_none_or(|done| *done > job.desired_timestamp.date)));
        let int32 = 1_199_145_600..=i64::from(i32::MAX);
        assert!(jobs.iter().all(|job| {
            int32.contains(&job.desired_timestamp.increment)
                && job
                    .point_in_time
                    .oplog_ts
                    .is_none_or(|ts| int32.contains(&ts))
                && job
                    .point_in_time
                    .utc_seconds
                    .is_none_or(|ts| int32.contains(&ts))
        }));
        assert!(jobs
            .last()
            .is_some_and(|job| job.timestamp.as_str() < "2033"));
        assert_eq!(
            jobs.iter().filter(|job| job.finished_at.is_none()).count(),
            3
        );
        assert!(jobs.iter().any(|job| job.expired) && jobs.iter().any(|job| !job.expired));
    }
}
