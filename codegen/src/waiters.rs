//! The waiters of the long-running operations: which read to poll after each, the state
//! field, and which states are pending, reached or failed.
//!
//! The spec says none of this (it names the states, not their order), so the table is
//! written by hand, from what Atlas does (`shared/notes/atlas-behaviours.md` §6.1: the
//! Terraform provider's state lists and timeouts). The generator checks every entry
//! against the spec: the polled operation, its path values, the state field and each
//! state must exist, and rustc checks the written declaration again.

use std::collections::BTreeMap;

use crate::ir::{Model, Shape, Ty};
use crate::operations::{Answer, Operation, Place};

/// Where a path value of the poll comes from, when not from the call's own path argument of
/// the same name.
#[derive(Debug, Clone, Copy)]
pub enum From {
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

#[derive(Debug)]
pub struct Waiter {
    /// The operation the wait follows.
    pub op: &'static str,
    /// The read polled after it.
    pub poll: &'static str,
    pub from: &'static [(&'static str, From)],
    /// `None`: a wait for `gone` that reads no state.
    pub state: Option<State>,
    pub pending: &'static [&'static str],
    pub target: &'static [&'static str],
    pub failed: &'static [&'static str],
    /// The wait ends when the read answers 404 (a deletion).
    pub gone: bool,
    pub timing: Timing,
}

const CLUSTER_STATE: Option<State> = Some(State::Field("stateName"));
/// Private endpoint services answer a union of three providers, each with its status.
const ENDPOINT_SERVICE_STATE: Option<State> = Some(State::Function(
    "crate::waiting::endpoint_service_status",
    "crate::models::AwsPrivateLinkConnectionStatus",
));
/// Search indexes answer a union of two kinds, each with its status.
const SEARCH_INDEX_STATE: Option<State> = Some(State::Function(
    "crate::waiting::search_index_status",
    "crate::models::TextSearchIndexResponseStatus",
));

/// Every waiter, by the operation it follows.
pub const WAITERS: &[Waiter] = &[
    // Clusters: a new cluster may show UPDATING before IDLE (Atlas CLI PR #4253), and REPAIRING
    // passes.
    Waiter {
        op: "createGroupCluster",
        poll: "getGroupCluster",
        from: &[("clusterName", From::Body("name"))],
        state: CLUSTER_STATE,
        pending: &["CREATING", "UPDATING", "REPAIRING"],
        target: &["IDLE"],
        failed: &[],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "updateGroupCluster",
        poll: "getGroupCluster",
        from: &[],
        state: CLUSTER_STATE,
        pending: &["UPDATING", "REPAIRING", "CREATING"],
        target: &["IDLE"],
        failed: &[],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "getGroupCluster",
        poll: "getGroupCluster",
        from: &[],
        state: CLUSTER_STATE,
        pending: &["CREATING", "UPDATING", "REPAIRING"],
        target: &["IDLE"],
        failed: &[],
        gone: false,
        timing: CLUSTER,
    },
    // A cluster being deleted may still show IDLE for a moment.
    Waiter {
        op: "deleteGroupCluster",
        poll: "getGroupCluster",
        from: &[],
        state: CLUSTER_STATE,
        pending: &["DELETING", "IDLE", "UPDATING", "REPAIRING"],
        target: &[],
        failed: &[],
        gone: true,
        timing: CLUSTER,
    },
    Waiter {
        op: "createGroupFlexCluster",
        poll: "getGroupFlexCluster",
        from: &[("name", From::Body("name"))],
        state: CLUSTER_STATE,
        pending: &["CREATING", "UPDATING", "REPAIRING"],
        target: &["IDLE"],
        failed: &[],
        gone: false,
        timing: MINUTES,
    },
    Waiter {
        op: "updateGroupFlexCluster",
        poll: "getGroupFlexCluster",
        from: &[],
        state: CLUSTER_STATE,
        pending: &["UPDATING", "REPAIRING", "CREATING"],
        target: &["IDLE"],
        failed: &[],
        gone: false,
        timing: MINUTES,
    },
    Waiter {
        op: "deleteGroupFlexCluster",
        poll: "getGroupFlexCluster",
        from: &[],
        state: CLUSTER_STATE,
        pending: &["DELETING", "IDLE", "UPDATING", "REPAIRING"],
        target: &[],
        failed: &[],
        gone: true,
        timing: MINUTES,
    },
    // Backups.
    Waiter {
        op: "createGroupClusterBackupRestoreJob",
        poll: "getGroupClusterBackupRestoreJob",
        from: &[("restoreJobId", From::Answer("id"))],
        state: Some(State::Function(
            "crate::waiting::restore_job_state",
            "crate::waiting::RestoreJobState",
        )),
        pending: &["PENDING"],
        target: &["FINISHED"],
        failed: &["FAILED", "CANCELLED", "EXPIRED"],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "createGroupFlexClusterBackupRestoreJob",
        poll: "getGroupFlexClusterBackupRestoreJob",
        from: &[("restoreJobId", From::Answer("id"))],
        state: Some(State::Field("status")),
        pending: &["PENDING", "QUEUED", "RUNNING"],
        target: &["COMPLETED"],
        failed: &["FAILED"],
        gone: false,
        timing: MINUTES,
    },
    Waiter {
        op: "takeGroupClusterBackupSnapshots",
        poll: "getGroupClusterBackupSnapshot",
        from: &[("snapshotId", From::AnswerFn("crate::waiting::snapshot_id"))],
        state: Some(State::Field("status")),
        pending: &["queued", "inProgress"],
        target: &["completed"],
        failed: &["failed"],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "deleteGroupClusterBackupSnapshot",
        poll: "getGroupClusterBackupSnapshot",
        from: &[],
        state: None,
        pending: &[],
        target: &[],
        failed: &[],
        gone: true,
        timing: MINUTES,
    },
    // Atlas Search.
    Waiter {
        op: "createGroupClusterSearchIndex",
        poll: "getGroupClusterSearchIndex",
        from: &[("indexId", From::AnswerFn("crate::waiting::search_index_id"))],
        state: SEARCH_INDEX_STATE,
        pending: &["PENDING", "BUILDING", "STALE"],
        target: &["READY"],
        failed: &["FAILED", "DOES_NOT_EXIST"],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "updateGroupClusterSearchIndex",
        poll: "getGroupClusterSearchIndex",
        from: &[],
        state: SEARCH_INDEX_STATE,
        pending: &["PENDING", "BUILDING", "STALE"],
        target: &["READY"],
        failed: &["FAILED", "DOES_NOT_EXIST"],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "deleteGroupClusterSearchIndex",
        poll: "getGroupClusterSearchIndex",
        from: &[],
        state: SEARCH_INDEX_STATE,
        pending: &[
            "DELETING",
            "DOES_NOT_EXIST",
            "READY",
            "PENDING",
            "BUILDING",
            "STALE",
        ],
        target: &[],
        failed: &["FAILED"],
        gone: true,
        timing: SECONDS,
    },
    Waiter {
        op: "updateGroupClusterSearchIndexByName",
        poll: "getGroupClusterSearchIndexByName",
        from: &[],
        state: SEARCH_INDEX_STATE,
        pending: &["PENDING", "BUILDING", "STALE"],
        target: &["READY"],
        failed: &["FAILED", "DOES_NOT_EXIST"],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "deleteGroupClusterSearchIndexByName",
        poll: "getGroupClusterSearchIndexByName",
        from: &[],
        state: SEARCH_INDEX_STATE,
        pending: &[
            "DELETING",
            "DOES_NOT_EXIST",
            "READY",
            "PENDING",
            "BUILDING",
            "STALE",
        ],
        target: &[],
        failed: &["FAILED"],
        gone: true,
        timing: SECONDS,
    },
    Waiter {
        op: "createGroupClusterSearchDeployment",
        poll: "getGroupClusterSearchDeployment",
        from: &[],
        state: CLUSTER_STATE,
        pending: &["UPDATING", "PAUSED"],
        target: &["IDLE"],
        failed: &[],
        gone: false,
        timing: CLUSTER,
    },
    Waiter {
        op: "updateGroupClusterSearchDeployment",
        poll: "getGroupClusterSearchDeployment",
        from: &[],
        state: CLUSTER_STATE,
        pending: &["UPDATING", "PAUSED"],
        target: &["IDLE"],
        failed: &[],
        gone: false,
        timing: CLUSTER,
    },
    // Private endpoint services: ready for the user's endpoint once WAITING_FOR_USER.
    Waiter {
        op: "createGroupPrivateEndpointEndpointService",
        poll: "getGroupPrivateEndpointEndpointService",
        from: &[
            ("cloudProvider", From::Body("providerName")),
            (
                "endpointServiceId",
                From::AnswerFn("crate::waiting::endpoint_service_id"),
            ),
        ],
        state: ENDPOINT_SERVICE_STATE,
        pending: &["INITIATING"],
        target: &["WAITING_FOR_USER", "AVAILABLE"],
        failed: &["FAILED", "DELETING"],
        gone: false,
        timing: MINUTES,
    },
    Waiter {
        op: "deleteGroupPrivateEndpointEndpointService",
        poll: "getGroupPrivateEndpointEndpointService",
        from: &[],
        state: ENDPOINT_SERVICE_STATE,
        pending: &["DELETING", "AVAILABLE", "WAITING_FOR_USER", "INITIATING"],
        target: &[],
        failed: &["FAILED"],
        gone: true,
        timing: MINUTES,
    },
    // Online archives.
    Waiter {
        op: "createGroupClusterOnlineArchive",
        poll: "getGroupClusterOnlineArchive",
        from: &[("archiveId", From::Answer("_id"))],
        state: Some(State::Field("state")),
        pending: &["PENDING"],
        target: &["ACTIVE", "PAUSED"],
        failed: &["ORPHANED", "DELETED"],
        gone: false,
        timing: MINUTES,
    },
    Waiter {
        op: "deleteGroupClusterOnlineArchive",
        poll: "getGroupClusterOnlineArchive",
        from: &[],
        state: Some(State::Field("state")),
        // DELETED shows until the archive answers 404.
        pending: &["DELETED", "ACTIVE", "PAUSING", "PAUSED", "PENDING"],
        target: &[],
        failed: &["ORPHANED"],
        gone: true,
        timing: MINUTES,
    },
    // Stream processors: the spec gives `state` no enum.
    Waiter {
        op: "createGroupStreamProcessor",
        poll: "getGroupStreamProcessor",
        from: &[("processorName", From::Body("name"))],
        state: Some(State::Field("state")),
        pending: &["INIT", "CREATING"],
        target: &["CREATED", "STARTED"],
        failed: &["FAILED"],
        gone: false,
        timing: SECONDS,
    },
    Waiter {
        op: "startGroupStreamProcessor",
        poll: "getGroupStreamProcessor",
        from: &[],
        state: Some(State::Field("state")),
        pending: &["CREATED", "STOPPED", "STARTING"],
        target: &["STARTED"],
        failed: &["FAILED"],
        gone: false,
        timing: SECONDS,
    },
    Waiter {
        op: "stopGroupStreamProcessor",
        poll: "getGroupStreamProcessor",
        from: &[],
        state: Some(State::Field("state")),
        pending: &["STARTED", "STOPPING"],
        target: &["STOPPED"],
        failed: &["FAILED"],
        gone: false,
        timing: SECONDS,
    },
    Waiter {
        op: "deleteGroupStreamProcessor",
        poll: "getGroupStreamProcessor",
        from: &[],
        state: None,
        pending: &[],
        target: &[],
        failed: &[],
        gone: true,
        timing: SECONDS,
    },
    // The access list: each entry has a status of its own (the create takes many).
    Waiter {
        op: "getGroupAccessListStatus",
        poll: "getGroupAccessListStatus",
        from: &[],
        state: Some(State::Field("STATUS")),
        pending: &["PENDING"],
        target: &["ACTIVE"],
        failed: &["FAILED"],
        gone: false,
        timing: SECONDS,
    },
];

/// A waiter resolved against the spec, as the declaration writes it.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The items of the `wait(...)` option, in order.
    pub items: Vec<String>,
    /// The waiter in the return type: `WaitFor<G>` or `WaitForGone<G>`.
    pub waiter: String,
    /// The models the option and the return type name, for the file's imports.
    pub models: Vec<String>,
    /// A sentence for the method's rustdoc.
    pub doc: String,
}

/// Resolves every waiter, by the operation it follows; a stale or wrong entry is an error.
pub fn resolve(
    ops: &[Operation],
    models: &BTreeMap<String, Model>,
) -> Result<BTreeMap<String, Resolved>, String> {
    let mut resolved = BTreeMap::new();
    for waiter in WAITERS {
        let found = resolve_one(waiter, ops, models)
            .map_err(|why| format!("waiter of {}: {why}", waiter.op))?;
        if resolved.insert(waiter.op.to_owned(), found).is_some() {
            return Err(format!("two waiters follow {}", waiter.op));
        }
    }
    Ok(resolved)
}

fn resolve_one(
    waiter: &Waiter,
    ops: &[Operation],
    models: &BTreeMap<String, Model>,
) -> Result<Resolved, String> {
    let find = |id: &str| {
        ops.iter()
            .find(|op| op.id == id)
            .ok_or_else(|| format!("the spec has no operation {id}"))
    };
    let op = find(waiter.op)?;
    let poll = find(waiter.poll)?;
    if poll.method != "GET" || poll.paging.is_some() {
        return Err(format!("{} is no read of one resource", poll.id));
    }
    if poll.tag != op.tag {
        return Err(format!("{} is of another tag than {}", poll.id, op.id));
    }
    let resource = match &poll.answer {
        Answer::Json(Ty::Named(name)) => name.clone(),
        _ => return Err(format!("{} answers no model", poll.id)),
    };
    let mut args = Vec::new();
    // A read that waits on itself polls with its own arguments.
    let polls_itself = poll.id == op.id;
    for param in poll.params.iter().filter(|_| !polls_itself) {
        match param.place {
            Place::Path => args.push(path_source(waiter, op, &param.wire, models)?),
            _ if param.required => {
                return Err(format!(
                    "{} needs `{}`, which a wait cannot give",
                    poll.id, param.wire
                ))
            }
            _ => args.push("None".to_owned()),
        }
    }
    if polls_itself {
        args.extend(op.params.iter().map(|param| param.rust.clone()));
    }
    // An entry for a path value the poll does not have is stale.
    for (name, _) in waiter.from {
        let known = poll
            .params
            .iter()
            .any(|param| param.place == Place::Path && param.wire == *name);
        if !known {
            return Err(format!("{} has no path value `{name}`", poll.id));
        }
    }
    let mut used = vec![resource.clone()];
    let mut option = vec![format!("poll = {}({})", poll.method_name, args.join(", "))];
    let mut names = Vec::new();
    if let Some(state) = waiter.state {
        let (key, accessor, kind) = match state {
            State::Field(wire) => {
                let field = field(models, &resource, wire)?;
                let kind = match &field.ty {
                    Ty::Named(name) => {
                        used.push(name.clone());
                        StateKind::Enum(name.clone())
                    }
                    Ty::Plain("String") => StateKind::Text,
                    other => return Err(format!("`{wire}` is a {other:?}, not a state")),
                };
                ("state", field.rust.clone(), kind)
            }
            State::Function(function, enum_path) => {
                ("state_fn", function.to_owned(), StateKind::Given(enum_path))
            }
        };
        let enum_name = match &kind {
            StateKind::Enum(name) => name.clone(),
            StateKind::Text => "String".to_owned(),
            StateKind::Given(path) => (*path).to_owned(),
        };
        option.push(format!("{key} = {accessor}: {enum_name}"));
        for (list, states) in [
            ("pending", waiter.pending),
            ("target", waiter.target),
            ("failed", waiter.failed),
        ] {
            if states.is_empty() {
                continue;
            }
            let written: Vec<String> = states
                .iter()
                .map(|state| state_value(&kind, models, state))
                .collect::<Result<_, _>>()?;
            option.push(format!("{list} = [{}]", written.join(", ")));
            names.push(format!(
                "{list} {}",
                states
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if waiter.gone {
        option.push("gone".to_owned());
    }
    let Timing {
        timeout,
        delay,
        poll: interval,
    } = waiter.timing;
    option.push(format!("timeout = {timeout:?}"));
    option.push(format!("delay = {delay:?}"));
    option.push(format!("poll_interval = {interval:?}"));
    let end = if waiter.gone {
        "until it answers 404".to_owned()
    } else {
        "until it reaches its target state".to_owned()
    };
    let mut doc = format!(
        "`.wait()` polls [`{}`](Self::{}) {end}",
        poll.method_name, poll.method_name
    );
    if !names.is_empty() {
        doc.push_str(&format!(" ({})", names.join("; ")));
    }
    doc.push_str(&format!(
        "; at most {timeout}, first after {delay}, then every {interval}."
    ));
    Ok(Resolved {
        items: option,
        waiter: if waiter.gone {
            format!("WaitForGone<{resource}>")
        } else {
            format!("WaitFor<{resource}>")
        },
        models: used,
        doc,
    })
}

enum StateKind {
    /// A generated enum model.
    Enum(String),
    /// A `String`: the spec gives no enum.
    Text,
    /// The enum a hand-written function returns, by its path.
    Given(&'static str),
}

/// A state as the option lists it: the variant of the enum, or the string.
fn state_value(
    kind: &StateKind,
    models: &BTreeMap<String, Model>,
    state: &str,
) -> Result<String, String> {
    match kind {
        StateKind::Text => Ok(format!("{state:?}")),
        StateKind::Given(path) => match path.strip_prefix("crate::models::") {
            Some(model) => state_value(&StateKind::Enum(model.to_owned()), models, state),
            // A hand-written enum (`src/waiting.rs`) names its variants so.
            None => Ok(heck::ToUpperCamelCase::to_upper_camel_case(state)),
        },
        StateKind::Enum(name) => {
            let Some(Shape::Enum { values }) = models.get(name).map(|m| &m.shape) else {
                return Err(format!("{name} is no enum"));
            };
            values
                .iter()
                .find(|(_, value)| value == state)
                .map(|(variant, _)| variant.clone())
                .ok_or_else(|| format!("`{state}` is no value of {name}"))
        }
    }
}

/// The argument of the poll for its path parameter `wire`.
fn path_source(
    waiter: &Waiter,
    op: &Operation,
    wire: &str,
    models: &BTreeMap<String, Model>,
) -> Result<String, String> {
    match waiter.from.iter().find(|(name, _)| *name == wire) {
        None => op
            .params
            .iter()
            .find(|param| param.place == Place::Path && param.wire == wire)
            .map(|param| param.rust.clone())
            .ok_or_else(|| format!("{} has no path value `{wire}` to poll with", op.id)),
        Some((_, From::Body(field_wire))) => {
            let body = match &op.body {
                Some(body) if body.required => &body.ty,
                _ => return Err(format!("{} has no body to read `{field_wire}` from", op.id)),
            };
            let Ty::Named(model) = body else {
                return Err(format!("the body of {} is no model", op.id));
            };
            Ok(format!("&body.{}", field(models, model, field_wire)?.rust))
        }
        Some((_, From::Answer(field_wire))) => {
            let Answer::Json(Ty::Named(model)) = &op.answer else {
                return Err(format!(
                    "{} answers no model to read `{field_wire}` from",
                    op.id
                ));
            };
            Ok(format!(
                "response.{}",
                field(models, model, field_wire)?.rust
            ))
        }
        Some((_, From::AnswerFn(function))) => Ok(format!("{function}(response)")),
    }
}

fn field<'m>(
    models: &'m BTreeMap<String, Model>,
    model: &str,
    wire: &str,
) -> Result<&'m crate::ir::Field, String> {
    match models.get(model).map(|m| &m.shape) {
        Some(Shape::Struct { fields }) => fields
            .iter()
            .find(|field| field.wire == wire)
            .ok_or_else(|| format!("{model} has no field `{wire}`")),
        _ => Err(format!("{model} is no struct")),
    }
}
