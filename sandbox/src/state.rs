//! What the sandbox serves: its settings and its data, seeded at start and
//! changed by the routes that create restore jobs.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::auth::Auth;
use crate::faults::Faults;
use crate::seed::flex::{self, FlexRestoreJob, FlexSnapshot};
use crate::seed::{self, RestoreJob, ServerlessSnapshot};

/// Shared by every handler.
pub(crate) type SharedState = Arc<SandboxState>;

/// Settings fixed at start, plus the data behind a lock so that routes may
/// change it.
#[derive(Debug)]
pub(crate) struct SandboxState {
    /// Who may call: tokens, API keys, service accounts (also held by the
    /// [`crate::Sandbox`], for its counters).
    pub auth: Arc<Auth>,
    /// Whether the serverless routes answer 410 Gone.
    pub sunset_serverless: bool,
    /// `http://127.0.0.1:PORT`, for absolute links.
    pub base_url: String,
    /// Scripted faults; the list routes read the listing quirk from it
    /// (also held by the [`crate::Sandbox`] and the fault middleware).
    pub faults: Faults,
    data: RwLock<Data>,
}

/// The seeded projects.
#[derive(Debug, Default)]
pub(crate) struct Data {
    /// By group (project) id.
    pub groups: BTreeMap<String, Group>,
}

/// One project.
#[derive(Debug, Default)]
pub(crate) struct Group {
    /// Serverless instances by name.
    pub serverless: BTreeMap<String, ServerlessInstance>,
    /// Flex clusters by name.
    pub flex: BTreeMap<String, FlexCluster>,
}

/// The sandbox's own time for one instance or cluster: it starts after
/// every seeded date and moves one minute on for each job created, so that
/// created jobs get increasing dates and ids without reading the real clock.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    now: i64,
    created: usize,
}

impl Clock {
    fn starting_at(now: i64) -> Self {
        Clock { now, created: 0 }
    }

    /// The time of the next created job, and how many were created before.
    pub(crate) fn tick(&mut self) -> (i64, usize) {
        self.now += 60;
        self.created += 1;
        (self.now, self.created - 1)
    }
}

/// One serverless instance.
#[derive(Debug, Default)]
pub(crate) struct ServerlessInstance {
    /// Restore jobs, oldest first; page k holds the k-th slice of this list,
    /// and created jobs are appended.
    pub restore_jobs: Vec<RestoreJob>,
    /// Snapshots, oldest first.
    pub snapshots: Vec<ServerlessSnapshot>,
    pub clock: Clock,
}

/// One Flex cluster.
#[derive(Debug, Default)]
pub(crate) struct FlexCluster {
    /// Restore and download jobs, oldest first; created jobs are appended.
    pub restore_jobs: Vec<FlexRestoreJob>,
    /// Snapshots, oldest first.
    pub snapshots: Vec<FlexSnapshot>,
    pub clock: Clock,
}

/// One serverless instance to seed: group id, name, number of restore jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InstanceSeed {
    pub group_id: String,
    pub name: String,
    pub jobs: usize,
}

/// One Flex cluster to seed: group id, name, numbers of restore jobs and
/// snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FlexSeed {
    pub group_id: String,
    pub name: String,
    pub jobs: usize,
    pub snapshots: usize,
}

impl SandboxState {
    pub(crate) fn new(
        auth: Arc<Auth>,
        sunset_serverless: bool,
        base_url: String,
        faults: Faults,
        instances: &[InstanceSeed],
        flex_clusters: &[FlexSeed],
    ) -> Self {
        let mut data = Data::default();
        for seed in instances {
            let instance = ServerlessInstance {
                restore_jobs: seed::restore_jobs(&base_url, &seed.group_id, &seed.name, seed.jobs),
                snapshots: seed::serverless_snapshots(
                    &base_url,
                    &seed.group_id,
                    &seed.name,
                    seed.jobs,
                ),
                clock: Clock::starting_at(seed::serverless_now(seed.jobs)),
            };
            data.groups
                .entry(seed.group_id.clone())
                .or_default()
                .serverless
                .insert(seed.name.clone(), instance);
        }
        for seed in flex_clusters {
            let backups = flex::flex_backups(
                &base_url,
                &seed.group_id,
                &seed.name,
                seed.jobs,
                seed.snapshots,
            );
            let cluster = FlexCluster {
                restore_jobs: backups.restore_jobs,
                snapshots: backups.snapshots,
                clock: Clock::starting_at(backups.now),
            };
            data.groups
                .entry(seed.group_id.clone())
                .or_default()
                .flex
                .insert(seed.name.clone(), cluster);
        }
        SandboxState {
            auth,
            sunset_serverless,
            base_url,
            faults,
            data: RwLock::new(data),
        }
    }

    /// Reads the data; a handler that panicked while holding the lock does
    /// not make later requests panic.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Data> {
        self.data.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the data (for routes that change it).
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Data> {
        self.data.write().unwrap_or_else(|e| e.into_inner())
    }
}
