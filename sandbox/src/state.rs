//! What a sandbox is seeded with (serverless instances and Flex clusters with backups),
//! and the clock their created restore jobs are dated by.

/// The sandbox's own time for one instance or cluster: it starts after
/// every seeded date and moves one minute on for each job created, so that
/// created jobs get increasing dates and ids without reading the real clock.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    now: i64,
    created: usize,
}

impl Clock {
    pub(crate) fn starting_at(now: i64) -> Self {
        Clock { now, created: 0 }
    }

    /// The time of the next created job, and how many were created before.
    pub(crate) fn tick(&mut self) -> (i64, usize) {
        self.now += 60;
        self.created += 1;
        (self.now, self.created - 1)
    }
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
