//! How long-running resources move through their states, on the sandbox's clock.
//!
//! The spec names the states (an enum on the state field) but not the order nor how long
//! each lasts: that is Atlas's behaviour, written down here. Durations are the sandbox's,
//! short so that a person watching the offline sandbox is not kept waiting; tests move the
//! clock on instead ([`crate::Sandbox::advance`]).

use std::time::Duration;

/// The states of one kind of resource.
#[derive(Debug)]
pub(crate) struct Lifecycle {
    /// How the path of the collection ends (`/groups/{groupId}/clusters`); a singleton's
    /// path is its own collection.
    pub collection: &'static str,
    /// The field that holds the state (`stateName`).
    pub field: &'static str,
    /// The states after a create, each for its duration, then `settled`.
    pub creating: &'static [(&'static str, Duration)],
    pub settled: &'static str,
    /// The state after a change, for its duration, then `settled`.
    pub updating: Option<(&'static str, Duration)>,
    /// The state after a delete, for its duration, then gone.
    pub deleting: Option<(&'static str, Duration)>,
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Every resource whose state moves, by collection.
pub(crate) const LIFECYCLES: &[Lifecycle] = &[
    Lifecycle {
        collection: "/groups/{groupId}/clusters",
        field: "stateName",
        creating: &[("CREATING", secs(20))],
        settled: "IDLE",
        updating: Some(("UPDATING", secs(10))),
        deleting: Some(("DELETING", secs(10))),
    },
    Lifecycle {
        collection: "/groups/{groupId}/flexClusters",
        field: "stateName",
        creating: &[("CREATING", secs(10))],
        settled: "IDLE",
        updating: Some(("UPDATING", secs(5))),
        deleting: Some(("DELETING", secs(5))),
    },
    Lifecycle {
        collection: "/clusters/{clusterName}/backup/snapshots",
        field: "status",
        creating: &[("queued", secs(2)), ("inProgress", secs(8))],
        settled: "completed",
        updating: None,
        deleting: None,
    },
    Lifecycle {
        collection: "/clusters/{clusterName}/search/indexes",
        field: "status",
        creating: &[("PENDING", secs(2)), ("BUILDING", secs(8))],
        settled: "READY",
        updating: Some(("BUILDING", secs(5))),
        deleting: Some(("DELETING", secs(2))),
    },
    Lifecycle {
        collection: "/clusters/{clusterName}/search/deployment",
        field: "stateName",
        creating: &[("UPDATING", secs(10))],
        settled: "IDLE",
        updating: Some(("UPDATING", secs(10))),
        deleting: None,
    },
];

/// The lifecycle of the objects of a collection (given as its path template), if they
/// have one.
pub(crate) fn of(collection: &str) -> Option<&'static Lifecycle> {
    LIFECYCLES
        .iter()
        .find(|lifecycle| collection.ends_with(lifecycle.collection))
}

/// Where a resource is in its lifecycle.
#[derive(Debug, Clone)]
pub(crate) struct Phase {
    pub lifecycle: &'static Lifecycle,
    /// The states still ahead, each with its duration.
    pub steps: Vec<(&'static str, Duration)>,
    /// What comes after the last step.
    pub then: After,
    /// When the phase began, on the sandbox's clock.
    pub since: Duration,
}

/// What happens once a phase's steps are over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    Settle,
    Remove,
}

/// What a resource's state is at `now`: its state name, or `None` once the phase is over
/// (then `then` says what follows).
pub(crate) fn state_at(phase: &Phase, now: Duration) -> Option<&'static str> {
    let mut end = phase.since;
    for (state, duration) in &phase.steps {
        end += *duration;
        if now < end {
            return Some(state);
        }
    }
    None
}

impl Phase {
    pub fn creating(lifecycle: &'static Lifecycle, now: Duration) -> Phase {
        Phase {
            lifecycle,
            steps: lifecycle.creating.to_vec(),
            then: After::Settle,
            since: now,
        }
    }

    pub fn updating(lifecycle: &'static Lifecycle, now: Duration) -> Option<Phase> {
        lifecycle.updating.map(|step| Phase {
            lifecycle,
            steps: vec![step],
            then: After::Settle,
            since: now,
        })
    }

    pub fn deleting(lifecycle: &'static Lifecycle, now: Duration) -> Option<Phase> {
        lifecycle.deleting.map(|step| Phase {
            lifecycle,
            steps: vec![step],
            then: After::Remove,
            since: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_is_creating_then_idle() {
        let clusters = of("/api/atlas/v2/groups/{groupId}/clusters").expect("clusters move");
        let phase = Phase::creating(clusters, secs(100));
        assert_eq!(state_at(&phase, secs(100)), Some("CREATING"));
        assert_eq!(state_at(&phase, secs(119)), Some("CREATING"));
        assert_eq!(state_at(&phase, secs(120)), None);
    }
}
