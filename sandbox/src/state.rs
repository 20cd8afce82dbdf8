//! What the sandbox serves: its settings and its seeded data.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::auth::Auth;
use crate::faults::Faults;
use crate::seed::{self, RestoreJob};

/// Shared by every handler.
pub(crate) type SharedState = Arc<SandboxState>;

/// Settings fixed at start, plus the data behind a lock so that later routes
/// may change it.
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
}

/// One serverless instance.
#[derive(Debug, Default)]
pub(crate) struct ServerlessInstance {
    /// Restore jobs, oldest first; page k holds the k-th slice of this list.
    pub restore_jobs: Vec<RestoreJob>,
}

/// One serverless instance to seed: group id, name, number of restore jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InstanceSeed {
    pub group_id: String,
    pub name: String,
    pub jobs: usize,
}

impl SandboxState {
    pub(crate) fn new(
        auth: Arc<Auth>,
        sunset_serverless: bool,
        base_url: String,
        faults: Faults,
        seeds: &[InstanceSeed],
    ) -> Self {
        let mut data = Data::default();
        for seed in seeds {
            let jobs = seed::restore_jobs(&base_url, &seed.group_id, &seed.name, seed.jobs);
            data.groups
                .entry(seed.group_id.clone())
                .or_default()
                .serverless
                .insert(seed.name.clone(), ServerlessInstance { restore_jobs: jobs });
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
    #[allow(dead_code)]
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Data> {
        self.data.write().unwrap_or_else(|e| e.into_inner())
    }
}
