//! The waiters of the long-running operations: which read to poll after each, the state
//! field, and which states are pending, reached or failed.
//!
//! The spec says none of this (it names the states, not their order), so the table is
//! written by hand, from what Atlas does (`shared/notes/atlas-behaviours.md` §6.1: the
//! Terraform provider's state lists and timeouts). The generator checks every entry
//! against the spec (`waiters.rs`): the polled operation, its path values, the state field
//! and each state must exist, and rustc checks the written declaration again.

use Source::{Answer, AnswerFn, Body};

/// Where a path value of the poll comes from, when not from the call's own path argument of
/// the same name.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A field of the request body, by its name on the wire.
    Body(&'static str),
    /// A field of the call's answer, by its name on the wire.
    Answer(&'static str),
    /// A hand-written function of the call's answer (`src/waiting.rs`), for an answer that
    /// is a union of models.
    AnswerFn(&'static str),
}

/// Where the state is read.
#[derive(Debug, Clone, Copy)]
pub enum State {
    /// A field of the polled resource, by its name on the wire.
    Field(&'static str),
    /// A hand-written function of the resource (`src/waiting.rs`) and the enum it returns,
    /// for a resource that spells its progress in several fields.
    Function(&'static str, &'static str),
}

/// How long a wait may take, when it polls first, how often after that.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub timeout: &'static str,
    pub delay: &'static str,
    pub poll: &'static str,
}

/// One waiter: what to poll after an operation and which states end the wait. Written as
/// `Waiter::after(..)` followed by what the wait reads (see [`WAITERS`]).
#[derive(Debug)]
pub struct Waiter {
    /// The operation the wait follows.
    pub op: &'static str,
    /// The read polled after it.
    pub poll: &'static str,
    pub from: &'static [(&'static str, Source)],
    /// `None`: a wait for `gone` that reads no state.
    pub state: Option<State>,
    pub pending: &'static [&'static str],
    pub target: &'static [&'static str],
    pub failed: &'static [&'static str],
    /// The wait ends when the read answers 404 (a deletion).
    pub gone: bool,
    pub timing: Timing,
}

type States = &'static [&'static str];

impl Waiter {
    /// A wait after `op` that polls `poll` with `op`'s own path values, reading no state yet.
    pub const fn after(op: &'static str, poll: &'static str, timing: Timing) -> Self {
        Waiter {
            op,
            poll,
            from: &[],
            state: None,
            pending: &[],
            target: &[],
            failed: &[],
            gone: false,
            timing,
        }
    }

    /// The poll's path values that do not come from `op`'s path argument of the same name.
    pub const fn from(self, from: &'static [(&'static str, Source)]) -> Self {
        Waiter { from, ..self }
    }

    /// Reads `state`: `pending` states go on, `target` states end the wait.
    pub const fn until(self, state: State, pending: States, target: States) -> Self {
        Waiter {
            state: Some(state),
            pending,
            target,
            ..self
        }
    }

    /// Reads `state` while the resource goes; the wait ends when the read answers 404.
    pub const fn gone_after(self, state: State, pending: States) -> Self {
        Waiter {
            state: Some(state),
            pending,
            gone: true,
            ..self
        }
    }

    /// Reads nothing; the wait ends when the read answers 404.
    pub const fn gone(self) -> Self {
        Waiter { gone: true, ..self }
    }

    /// States that end the wait as a failure.
    pub const fn failed(self, failed: States) -> Self {
        Waiter { failed, ..self }
    }
}

/// Terraform's cluster waits: 3 h, first poll after 30 s, then every 30 s.
const CLUSTER: Timing = Timing {
    timeout: "3h",
    delay: "30s",
    poll: "30s",
};
/// Resources that settle in minutes: 1 h, polled every 10 s.
const MINUTES: Timing = Timing {
    timeout: "1h",
    delay: "5s",
    poll: "10s",
};
/// Resources that settle in seconds: 15 min, polled every 5 s.
const SECONDS: Timing = Timing {
    timeout: "15m",
    delay: "2s",
    poll: "5s",
};

const STATE_NAME: State = State::Field("stateName");
const STATUS: State = State::Field("status");
const STATE: State = State::Field("state");
/// Private endpoint services answer a union of three providers, each with its status.
const ENDPOINT_SERVICE: State = State::Function(
    "crate::waiting::endpoint_service_status",
    "crate::models::AwsPrivateLinkConnectionStatus",
);
/// Search indexes answer a union of two kinds, each with its status.
const SEARCH_INDEX: State = State::Function(
    "crate::waiting::search_index_status",
    "crate::models::TextSearchIndexResponseStatus",
);
/// Cloud backup restore jobs spell their progress over several fields.
const RESTORE_JOB: State = State::Function(
    "crate::waiting::restore_job_state",
    "crate::waiting::RestoreJobState",
);

// A new cluster may show UPDATING before IDLE (Atlas CLI PR #4253), and REPAIRING passes; a
// cluster being deleted may still show IDLE for a moment.
const CLUSTER_SETTLING: &[&str] = &["CREATING", "UPDATING", "REPAIRING"];
const CLUSTER_UPDATING: &[&str] = &["UPDATING", "REPAIRING", "CREATING"];
const CLUSTER_GOING: &[&str] = &["DELETING", "IDLE", "UPDATING", "REPAIRING"];
const INDEX_BUILDING: &[&str] = &["PENDING", "BUILDING", "STALE"];
const INDEX_FAILED: &[&str] = &["FAILED", "DOES_NOT_EXIST"];
const INDEX_GOING: &[&str] = &[
    "DELETING",
    "DOES_NOT_EXIST",
    "READY",
    "PENDING",
    "BUILDING",
    "STALE",
];
const SEARCH_NODES_SETTLING: &[&str] = &["UPDATING", "PAUSED"];
const FAILED: &[&str] = &["FAILED"];
const IDLE: &[&str] = &["IDLE"];

/// Every waiter, by the operation it follows. Laid out by hand, one call of the chain a
/// line, so that the table reads down.
#[rustfmt::skip]
pub const WAITERS: &[Waiter] = &[
    // Clusters and Flex clusters.
    Waiter::after("createGroupCluster", "getGroupCluster", CLUSTER)
        .from(&[("clusterName", Body("name"))])
        .until(STATE_NAME, CLUSTER_SETTLING, IDLE),
    Waiter::after("updateGroupCluster", "getGroupCluster", CLUSTER)
        .until(STATE_NAME, CLUSTER_UPDATING, IDLE),
    Waiter::after("getGroupCluster", "getGroupCluster", CLUSTER)
        .until(STATE_NAME, CLUSTER_SETTLING, IDLE),
    Waiter::after("deleteGroupCluster", "getGroupCluster", CLUSTER)
        .gone_after(STATE_NAME, CLUSTER_GOING),
    Waiter::after("createGroupFlexCluster", "getGroupFlexCluster", MINUTES)
        .from(&[("name", Body("name"))])
        .until(STATE_NAME, CLUSTER_SETTLING, IDLE),
    Waiter::after("updateGroupFlexCluster", "getGroupFlexCluster", MINUTES)
        .until(STATE_NAME, CLUSTER_UPDATING, IDLE),
    Waiter::after("deleteGroupFlexCluster", "getGroupFlexCluster", MINUTES)
        .gone_after(STATE_NAME, CLUSTER_GOING),
    // Backups.
    Waiter::after("createGroupClusterBackupRestoreJob", "getGroupClusterBackupRestoreJob", CLUSTER)
        .from(&[("restoreJobId", Answer("id"))])
        .until(RESTORE_JOB, &["PENDING"], &["FINISHED"])
        .failed(&["FAILED", "CANCELLED", "EXPIRED"]),
    Waiter::after("createGroupFlexClusterBackupRestoreJob", "getGroupFlexClusterBackupRestoreJob", MINUTES)
        .from(&[("restoreJobId", Answer("id"))])
        .until(STATUS, &["PENDING", "QUEUED", "RUNNING"], &["COMPLETED"])
        .failed(FAILED),
    Waiter::after("takeGroupClusterBackupSnapshots", "getGroupClusterBackupSnapshot", CLUSTER)
        .from(&[("snapshotId", AnswerFn("crate::waiting::snapshot_id"))])
        .until(STATUS, &["queued", "inProgress"], &["completed"])
        .failed(&["failed"]),
    Waiter::after("deleteGroupClusterBackupSnapshot", "getGroupClusterBackupSnapshot", MINUTES)
        .gone(),
    // Atlas Search: indexes by id and by name, and the search nodes.
    Waiter::after("createGroupClusterSearchIndex", "getGroupClusterSearchIndex", CLUSTER)
        .from(&[("indexId", AnswerFn("crate::waiting::search_index_id"))])
        .until(SEARCH_INDEX, INDEX_BUILDING, &["READY"])
        .failed(INDEX_FAILED),
    Waiter::after("updateGroupClusterSearchIndex", "getGroupClusterSearchIndex", CLUSTER)
        .until(SEARCH_INDEX, INDEX_BUILDING, &["READY"])
        .failed(INDEX_FAILED),
    Waiter::after("deleteGroupClusterSearchIndex", "getGroupClusterSearchIndex", SECONDS)
        .gone_after(SEARCH_INDEX, INDEX_GOING)
        .failed(FAILED),
    Waiter::after("updateGroupClusterSearchIndexByName", "getGroupClusterSearchIndexByName", CLUSTER)
        .until(SEARCH_INDEX, INDEX_BUILDING, &["READY"])
        .failed(INDEX_FAILED),
    Waiter::after("deleteGroupClusterSearchIndexByName", "getGroupClusterSearchIndexByName", SECONDS)
        .gone_after(SEARCH_INDEX, INDEX_GOING)
        .failed(FAILED),
    Waiter::after("createGroupClusterSearchDeployment", "getGroupClusterSearchDeployment", CLUSTER)
        .until(STATE_NAME, SEARCH_NODES_SETTLING, IDLE),
    Waiter::after("updateGroupClusterSearchDeployment", "getGroupClusterSearchDeployment", CLUSTER)
        .until(STATE_NAME, SEARCH_NODES_SETTLING, IDLE),
    // Private endpoint services: ready for the user's endpoint once WAITING_FOR_USER.
    Waiter::after("createGroupPrivateEndpointEndpointService", "getGroupPrivateEndpointEndpointService", MINUTES)
        .from(&[
            ("cloudProvider", Body("providerName")),
            ("endpointServiceId", AnswerFn("crate::waiting::endpoint_service_id")),
        ])
        .until(ENDPOINT_SERVICE, &["INITIATING"], &["WAITING_FOR_USER", "AVAILABLE"])
        .failed(&["FAILED", "DELETING"]),
    Waiter::after("deleteGroupPrivateEndpointEndpointService", "getGroupPrivateEndpointEndpointService", MINUTES)
        .gone_after(ENDPOINT_SERVICE, &["DELETING", "AVAILABLE", "WAITING_FOR_USER", "INITIATING"])
        .failed(FAILED),
    // Online archives: DELETED shows until the archive answers 404.
    Waiter::after("createGroupClusterOnlineArchive", "getGroupClusterOnlineArchive", MINUTES)
        .from(&[("archiveId", Answer("_id"))])
        .until(STATE, &["PENDING"], &["ACTIVE", "PAUSED"])
        .failed(&["ORPHANED", "DELETED"]),
    Waiter::after("deleteGroupClusterOnlineArchive", "getGroupClusterOnlineArchive", MINUTES)
        .gone_after(STATE, &["DELETED", "ACTIVE", "PAUSING", "PAUSED", "PENDING"])
        .failed(&["ORPHANED"]),
    // Stream processors: the spec gives `state` no enum.
    Waiter::after("createGroupStreamProcessor", "getGroupStreamProcessor", SECONDS)
        .from(&[("processorName", Body("name"))])
        .until(STATE, &["INIT", "CREATING"], &["CREATED", "STARTED"])
        .failed(FAILED),
    Waiter::after("startGroupStreamProcessor", "getGroupStreamProcessor", SECONDS)
        .until(STATE, &["CREATED", "STOPPED", "STARTING"], &["STARTED"])
        .failed(FAILED),
    Waiter::after("stopGroupStreamProcessor", "getGroupStreamProcessor", SECONDS)
        .until(STATE, &["STARTED", "STOPPING"], &["STOPPED"])
        .failed(FAILED),
    Waiter::after("deleteGroupStreamProcessor", "getGroupStreamProcessor", SECONDS)
        .gone(),
    // The access list: each entry has a status of its own (the create takes many).
    Waiter::after("getGroupAccessListStatus", "getGroupAccessListStatus", SECONDS)
        .until(State::Field("STATUS"), &["PENDING"], &["ACTIVE"])
        .failed(FAILED),
];
