//! The waiters of the long-running operations (the table is `waiter_table.rs`), checked
//! against the spec and written as the declarations' `wait(...)` option.
//!
//! Every entry is checked: the polled operation, its path values, the state field and each
//! state must exist, and rustc checks the written declaration again.

use std::collections::BTreeMap;

use crate::ir::{Model, Shape, Ty};
use crate::operations::{Answer, Operation, Place};
use crate::waiter_table::{Source, State, Timing, Waiter, WAITERS};

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
                crate::render::in_backticks(states, ", ")
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
        Some((_, Source::Body(field_wire))) => {
            let body = match &op.body {
                Some(body) if body.required => &body.ty,
                _ => return Err(format!("{} has no body to read `{field_wire}` from", op.id)),
            };
            let Ty::Named(model) = body else {
                return Err(format!("the body of {} is no model", op.id));
            };
            Ok(format!("&body.{}", field(models, model, field_wire)?.rust))
        }
        Some((_, Source::Answer(field_wire))) => {
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
        Some((_, Source::AnswerFn(function))) => Ok(format!("{function}(response)")),
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
