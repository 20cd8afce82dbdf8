//! How long-running resources move through their states, on the sandbox's clock.
//!
//! The spec names the states (an enum on the state field) but not the order nor how long
//! each lasts: that is Atlas's behaviour, written down here. Durations are the sandbox's,
//! short so that a person watching the offline sandbox is not kept waiting; tests move the
//! clock on instead ([`crate::Sandbox::advance`]).

use std::time::Duration;

use serde_json::{json, Map, Value};

/// The states of one kind of resource.
#[derive(Debug)]
pub(crate) struct Lifecycle {
    /// How the path of the collection ends (`/groups/{groupId}/clusters`); a singleton's
    /// path is its own collection.
    pub collection: &'static str,
    /// Where the state shows.
    pub shows: Shows,
    /// The states after a create, each for its duration, then `settled`.
    pub creating: &'static [(&'static str, Duration)],
    pub settled: &'static str,
    /// The state after a change, for its duration, then `settled`.
    pub updating: Option<(&'static str, Duration)>,
    /// The state after a delete, for its duration, then gone.
    pub deleting: Option<(&'static str, Duration)>,
    /// The state [`crate::Sandbox::fail`] sets: `None` where the spec's enum has no
    /// failure (a cluster's `stateName`).
    pub failed: Option<&'static str>,
    /// The field that gets the time the resource settled or failed (`finishedAt`).
    pub finished_at: Option<&'static str>,
    /// Pausing by a change that sets a boolean field.
    pub pause: Option<Pause>,
    /// Actions (`...:start`) that move the state: (the path's suffix, how long the state
    /// stays as it was, the state after).
    pub actions: &'static [(&'static str, Duration, &'static str)],
}

/// Where a lifecycle's state shows.
#[derive(Debug)]
pub(crate) enum Shows {
    /// A field of the object holds the state's name (`stateName`).
    Field(&'static str),
    /// A field of the object at a path below it does (`.../accessList/{entry}/status`,
    /// `STATUS`): the object itself has no state field.
    Below {
        segment: &'static str,
        field: &'static str,
    },
    /// No field names the state (a cloud backup restore job): this boolean field is true
    /// once failed, and the end shows as [`Lifecycle::finished_at`] being set. The state
    /// names are the sandbox's, seen only through [`crate::Sandbox::state_of`].
    FailedFlag(&'static str),
}

/// A change that pauses (`paused: true`) or resumes (`paused: false`) a resource.
#[derive(Debug)]
pub(crate) struct Pause {
    /// The boolean body field.
    pub field: &'static str,
    /// The state while pausing, for its duration.
    pub pausing: (&'static str, Duration),
    /// The state once paused; resuming settles at [`Lifecycle::settled`].
    pub paused: &'static str,
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// What most lifecycles share: the state in `status`, and the fields they leave unset.
const PLAIN: Lifecycle = Lifecycle {
    collection: "",
    shows: Shows::Field("status"),
    creating: &[],
    settled: "",
    updating: None,
    deleting: None,
    failed: None,
    finished_at: None,
    pause: None,
    actions: &[],
};

/// The states of a cluster, dedicated or Flex, and of a search deployment: `creating`,
/// then `IDLE`; `UPDATING` after a change and `DELETING` after a delete, for `change` each.
const fn cluster(
    collection: &'static str,
    creating: &'static [(&'static str, Duration)],
    change: Duration,
) -> Lifecycle {
    Lifecycle {
        collection,
        shows: Shows::Field("stateName"),
        creating,
        settled: "IDLE",
        updating: Some(("UPDATING", change)),
        deleting: Some(("DELETING", change)),
        ..PLAIN
    }
}

/// A dedicated cluster is `CREATING` for 20 s, a Flex cluster for 10 s.
const CLUSTER_CREATING: &[(&str, Duration)] = &[("CREATING", secs(20))];
const FLEX_CREATING: &[(&str, Duration)] = &[("CREATING", secs(10))];
/// A search deployment shows `UPDATING` while it is made.
const DEPLOYMENT_CREATING: &[(&str, Duration)] = &[("UPDATING", secs(10))];

/// Every resource whose state moves, by collection.
pub(crate) const LIFECYCLES: &[Lifecycle] = &[
    // ClusterDescription20240805's `stateName` has no failure state: a waiter for a
    // cluster fails by timing out ([`crate::Sandbox::hold`]).
    cluster("/groups/{groupId}/clusters", CLUSTER_CREATING, secs(10)),
    cluster("/groups/{groupId}/flexClusters", FLEX_CREATING, secs(5)),
    Lifecycle {
        collection: "/clusters/{clusterName}/backup/snapshots",
        creating: &[("queued", secs(2)), ("inProgress", secs(8))],
        settled: "completed",
        failed: Some("failed"),
        // A snapshot goes a moment after its delete; its status enum has no state for that.
        deleting: Some(("completed", secs(2))),
        ..PLAIN
    },
    Lifecycle {
        collection: "/clusters/{clusterName}/backup/restoreJobs",
        shows: Shows::FailedFlag("failed"),
        creating: &[("RUNNING", secs(10))],
        settled: "COMPLETED",
        failed: Some("FAILED"),
        finished_at: Some("finishedAt"),
        ..PLAIN
    },
    Lifecycle {
        collection: "/flexClusters/{name}/backup/restoreJobs",
        creating: &[
            ("PENDING", secs(2)),
            ("QUEUED", secs(2)),
            ("RUNNING", secs(6)),
        ],
        settled: "COMPLETED",
        failed: Some("FAILED"),
        finished_at: Some("restoreFinishedDate"),
        ..PLAIN
    },
    Lifecycle {
        collection: "/clusters/{clusterName}/search/indexes",
        creating: &[("PENDING", secs(2)), ("BUILDING", secs(8))],
        settled: "READY",
        updating: Some(("BUILDING", secs(5))),
        deleting: Some(("DELETING", secs(2))),
        failed: Some("FAILED"),
        ..PLAIN
    },
    // A search deployment moves as a cluster does, but goes at once when deleted.
    Lifecycle {
        deleting: None,
        ..cluster(
            "/clusters/{clusterName}/search/deployment",
            DEPLOYMENT_CREATING,
            secs(10),
        )
    },
    // Created at `/privateEndpoint/endpointService`, read and deleted at
    // `/privateEndpoint/{cloudProvider}/endpointService`: both end so.
    Lifecycle {
        collection: "/endpointService",
        creating: &[("INITIATING", secs(10))],
        settled: "AVAILABLE",
        deleting: Some(("DELETING", secs(5))),
        failed: Some("FAILED"),
        ..PLAIN
    },
    // BackupOnlineArchive's `state` has no failure state (ORPHANED is an archive whose
    // cluster went away).
    Lifecycle {
        collection: "/clusters/{clusterName}/onlineArchives",
        shows: Shows::Field("state"),
        creating: &[("PENDING", secs(5))],
        settled: "ACTIVE",
        deleting: Some(("DELETED", secs(5))),
        pause: Some(Pause {
            field: "paused",
            pausing: ("PAUSING", secs(5)),
            paused: "PAUSED",
        }),
        ..PLAIN
    },
    // The spec gives `state` no enum; its description names CREATED, STARTED, STOPPED
    // and FAILED, and no state between them.
    Lifecycle {
        collection: "/streams/{tenantName}/processor",
        shows: Shows::Field("state"),
        // The spec gives `state` no enum; Atlas shows INIT and CREATING first (Terraform's
        // stream processor waiter, atlas-behaviours.md §6.1).
        creating: &[("INIT", secs(1)), ("CREATING", secs(2))],
        settled: "CREATED",
        failed: Some("FAILED"),
        actions: &[
            (":start", secs(3), "STARTED"),
            (":startWith", secs(3), "STARTED"),
            (":stop", secs(3), "STOPPED"),
        ],
        // A processor stops before it goes.
        deleting: Some(("STOPPED", secs(2))),
        ..PLAIN
    },
    Lifecycle {
        collection: "/groups/{groupId}/accessList",
        shows: Shows::Below {
            segment: "status",
            field: "STATUS",
        },
        creating: &[("PENDING", secs(5))],
        settled: "ACTIVE",
        failed: Some("FAILED"),
        ..PLAIN
    },
];

/// The lifecycle of the objects of a collection (given as its path template), if they
/// have one.
pub(crate) fn of(collection: &str) -> Option<&'static Lifecycle> {
    LIFECYCLES
        .iter()
        .find(|lifecycle| collection.ends_with(lifecycle.collection))
}

impl Lifecycle {
    /// The path segment below the object where the state shows, if not in the object.
    pub fn below(&self) -> Option<&'static str> {
        match self.shows {
            Shows::Below { segment, .. } => Some(segment),
            _ => None,
        }
    }

    /// Writes `state` into the object that shows it (the object itself, or the one
    /// [`Lifecycle::below`] names).
    pub fn write(&self, map: &mut Map<String, Value>, state: &str) {
        match self.shows {
            Shows::Field(field) | Shows::Below { field, .. } => {
                map.insert(field.to_owned(), json!(state));
            }
            Shows::FailedFlag(field) => {
                map.insert(field.to_owned(), json!(Some(state) == self.failed));
            }
        }
    }

    /// The action a path suffix (`:start`) names.
    pub fn action(&self, suffix: &str) -> Option<(Duration, &'static str)> {
        self.actions
            .iter()
            .find(|(name, _, _)| *name == suffix)
            .map(|(_, wait, then)| (*wait, *then))
    }
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
    /// The resource stays in this state.
    Settle(&'static str),
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
    fn new(
        lifecycle: &'static Lifecycle,
        steps: Vec<(&'static str, Duration)>,
        then: After,
        since: Duration,
    ) -> Phase {
        Phase {
            lifecycle,
            steps,
            then,
            since,
        }
    }

    pub fn creating(lifecycle: &'static Lifecycle, now: Duration) -> Phase {
        let then = After::Settle(lifecycle.settled);
        Phase::new(lifecycle, lifecycle.creating.to_vec(), then, now)
    }

    pub fn updating(lifecycle: &'static Lifecycle, now: Duration) -> Option<Phase> {
        let step = lifecycle.updating?;
        let then = After::Settle(lifecycle.settled);
        Some(Phase::new(lifecycle, vec![step], then, now))
    }

    pub fn deleting(lifecycle: &'static Lifecycle, now: Duration) -> Option<Phase> {
        let step = lifecycle.deleting?;
        Some(Phase::new(lifecycle, vec![step], After::Remove, now))
    }

    /// The phase a change starts: pausing or resuming when the body sets the pause
    /// field, else updating.
    pub fn changing(lifecycle: &'static Lifecycle, body: &Value, now: Duration) -> Option<Phase> {
        let pause = lifecycle.pause.as_ref();
        match pause.and_then(|p| body.get(p.field).and_then(Value::as_bool)) {
            Some(true) => pause.map(|pause| {
                let then = After::Settle(pause.paused);
                Phase::new(lifecycle, vec![pause.pausing], then, now)
            }),
            Some(false) => {
                let then = After::Settle(lifecycle.settled);
                Some(Phase::new(lifecycle, Vec::new(), then, now))
            }
            None => Phase::updating(lifecycle, now),
        }
    }

    /// The phase an action starts: the state stays `current` for a while, then moves on.
    pub fn acting(
        lifecycle: &'static Lifecycle,
        current: &'static str,
        (wait, then): (Duration, &'static str),
        now: Duration,
    ) -> Phase {
        Phase::new(lifecycle, vec![(current, wait)], After::Settle(then), now)
    }

    /// When the phase's steps are over.
    pub fn end(&self) -> Duration {
        self.since
            + self
                .steps
                .iter()
                .map(|(_, duration)| *duration)
                .sum::<Duration>()
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
        assert_eq!(phase.end(), secs(120));
    }

    #[test]
    fn an_archive_pauses_and_resumes() {
        let archives = of("/groups/{groupId}/clusters/{clusterName}/onlineArchives").unwrap();
        let pausing = Phase::changing(archives, &json!({"paused": true}), secs(0)).unwrap();
        assert_eq!(state_at(&pausing, secs(1)), Some("PAUSING"));
        assert_eq!(pausing.then, After::Settle("PAUSED"));
        let resuming = Phase::changing(archives, &json!({"paused": false}), secs(0)).unwrap();
        assert_eq!(resuming.then, After::Settle("ACTIVE"));
        assert!(Phase::changing(archives, &json!({}), secs(0)).is_none());
    }

    /// Every state a lifecycle shows in a field, with the `GET`s of its objects.
    fn states(lifecycle: &Lifecycle) -> Vec<&'static str> {
        let mut states: Vec<&str> = lifecycle.creating.iter().map(|(s, _)| *s).collect();
        states.extend([lifecycle.settled]);
        states.extend(
            lifecycle
                .updating
                .iter()
                .chain(&lifecycle.deleting)
                .map(|(s, _)| *s),
        );
        states.extend(lifecycle.failed);
        if let Some(pause) = &lifecycle.pause {
            states.extend([pause.pausing.0, pause.paused]);
        }
        states.extend(lifecycle.actions.iter().map(|(_, _, s)| *s));
        states
    }

    #[test]
    fn every_state_is_a_member_of_the_specs_enum_where_it_has_one() {
        let tables = crate::engine::tables::tables();
        let mut checked = 0;
        for lifecycle in LIFECYCLES {
            let field = match lifecycle.shows {
                Shows::Field(field) | Shows::Below { field, .. } => field,
                Shows::FailedFlag(_) => continue,
            };
            let below = lifecycle
                .below()
                .map(|s| format!("/{s}"))
                .unwrap_or_default();
            for op in tables.operations.iter().filter(|op| op.method == "GET") {
                let object = op.path.strip_suffix(below.as_str()).unwrap_or(&op.path);
                let collection = object.rsplit_once('/').map_or("", |(c, _)| c);
                let fits = collection.ends_with(lifecycle.collection)
                    || (below.is_empty() && object.ends_with(lifecycle.collection));
                if !fits || (!below.is_empty() && !op.path.ends_with(&below)) {
                    continue;
                }
                for version in &op.versions {
                    let Some(answer) = &version.answer else {
                        continue;
                    };
                    let properties = tables.properties(answer);
                    let Some(values) = properties
                        .get(field)
                        .and_then(|p| tables.resolve(p).get("enum"))
                        .and_then(Value::as_array)
                    else {
                        continue;
                    };
                    for state in states(lifecycle) {
                        assert!(values.contains(&json!(state)), "{} {state}", op.id);
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 12, "{checked} answers checked");
    }

    #[test]
    fn every_lifecycle_names_its_states() {
        for lifecycle in LIFECYCLES {
            assert!(!lifecycle.collection.is_empty());
            assert!(!lifecycle.settled.is_empty(), "{}", lifecycle.collection);
        }
    }
}
