//! Writes `examples/atlas/operations.rs`: the table of every operation the `atlas` example
//! knows (its parameters by their spec names, its body and its answer), and, per operation, a
//! small function that reads the arguments from the command line into the declared Rust
//! types and calls the trait method on the client. An operation with a waiter
//! ([`crate::waiter_table`]) says so in its entry (for `--help` and `--wait`), and its function
//! hands the call to `Args::json_or_wait` or `Args::nothing_or_wait`, which wait when
//! `--wait` is given. The helpers it calls (`Args`, `Action`) are hand-written, in
//! `examples/atlas/main.rs`.

use std::collections::HashSet;

use crate::ir::Ty;
use crate::naming;
use crate::operations::{Answer, Operation, Param, Place};
use crate::render::GENERATED;
use crate::waiter_table;

pub fn file(ops: &[Operation]) -> Result<String, String> {
    let mut sorted: Vec<&Operation> = ops.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut names = HashSet::new();
    for op in &sorted {
        if !names.insert(function(op)) {
            return Err(format!(
                "two operations would have the dispatch function `{}`",
                function(op)
            ));
        }
        for param in &op.params {
            if FLAGS.contains(&param.wire.as_str()) {
                return Err(format!(
                    "{}: parameter `{}` would hide a flag of the example",
                    op.id, param.wire
                ));
            }
        }
        if op.wait.is_some() {
            if waiter(op).is_none() {
                return Err(format!(
                    "{}: a waiter resolved, but none in the table",
                    op.id
                ));
            }
            if !matches!(op.answer, Answer::Json(_) | Answer::Nothing) || op.paging.is_some() {
                return Err(format!(
                    "{}: the example waits only after a JSON answer or no content",
                    op.id
                ));
            }
        }
    }

    let mut out = String::from(GENERATED);
    out.push_str(
        "\n//! Every operation of the spec for the `atlas` example: [`OPERATIONS`] describes each \
         one\n//! (always, for `--help`), and [`RUNS`] the function that calls it, for the\n//! operations whose tag feature is enabled.\n\n",
    );
    out.push_str(
        "// Some operations are deprecated in the spec; the example calls them all the same.\n",
    );
    out.push_str("#![allow(deprecated)]\n\n");
    out.push_str("#[allow(unused_imports)]\nuse atlas_endpoints::{api, models as m, Client};\n\n");
    out.push_str(
        "#[allow(unused_imports)]\nuse super::{Action, Answer, Args, Op, Param, Run, Waiter};\n\n",
    );

    out.push_str(&format!(
        "/// Every operation of the spec ({} of them), by operation id.\npub const OPERATIONS: &[Op] = &[\n",
        sorted.len()
    ));
    for op in &sorted {
        out.push_str(&entry(op));
    }
    out.push_str("];\n\n");

    out.push_str("/// The operations whose tag feature is enabled, by operation id, with the function that\n/// calls each.\npub const RUNS: &[(&str, Run)] = &[\n");
    for op in &sorted {
        let feature = naming::tag_feature(&op.tag);
        out.push_str(&format!(
            "    #[cfg(feature = {feature:?})]\n    ({:?}, {}),\n",
            op.id,
            function(op)
        ));
    }
    out.push_str("];\n");

    for op in &sorted {
        out.push('\n');
        out.push_str(&dispatcher(op));
    }
    Ok(out)
}

/// The flags of the example itself, which no parameter may be named.
const FLAGS: &[&str] = &[
    "body",
    "all",
    "output",
    "help",
    "list",
    "wait",
    "wait-timeout",
    "wait-poll",
];

/// The waiter of an operation the generator resolved one for.
fn waiter(op: &Operation) -> Option<&'static waiter_table::Waiter> {
    op.wait.as_ref()?;
    waiter_table::WAITERS
        .iter()
        .find(|waiter| waiter.op == op.id)
}

/// `None`, or `Some(Waiter { .. })`: what `--wait` polls, for `--help`.
fn waiter_entry(op: &Operation) -> String {
    let Some(waiter) = waiter(op) else {
        return "None".to_owned();
    };
    let list = |states: &[&str]| match states.len() {
        0 => "&[]".to_owned(),
        _ => format!("&{states:?}"),
    };
    format!(
        "Some(Waiter {{\n            poll: {:?},\n            gone: {},\n            pending: {},\n            \
         target: {},\n            failed: {},\n            timeout: {:?},\n            delay: {:?},\n            \
         interval: {:?},\n        }})",
        waiter.poll,
        waiter.gone,
        list(waiter.pending),
        list(waiter.target),
        list(waiter.failed),
        waiter.timing.timeout,
        waiter.timing.delay,
        waiter.timing.poll,
    )
}

/// The dispatch function's name: the operation id in snake case.
fn function(op: &Operation) -> String {
    naming::unraw(&naming::snake(&op.id)).to_owned()
}

/// A model as the example names it: `m::Group`, `atlas_endpoints::Link`, `String`.
fn qualify(name: &str) -> String {
    match name.strip_prefix("crate::") {
        Some(rest) => format!("atlas_endpoints::{rest}"),
        None if name.contains("::") => name.to_owned(),
        None => format!("m::{name}"),
    }
}

/// A type as `--help` shows it: the names without their module.
fn shown(ty: &Ty) -> String {
    ty.render_with(false, &|name| {
        name.rsplit("::").next().unwrap_or(name).to_owned()
    })
}

fn entry(op: &Operation) -> String {
    let mut params: Vec<String> = op.params.iter().map(param_entry).collect();
    if let Some(paging) = &op.paging {
        let per_page = match paging.max_items_per_page {
            Some(max) => format!("1..={max}"),
            None => ">= 1".to_owned(),
        };
        params.push(paging_entry("pageNum", ">= 1"));
        params.push(paging_entry("itemsPerPage", &per_page));
        if paging.include_count {
            params.push(paging_entry("includeCount", ""));
        }
    }
    let body = match &op.body {
        Some(body) => format!("Some(({:?}, {}))", shown(&body.ty), body.required),
        None => "None".to_owned(),
    };
    let answer = match (&op.answer, &op.paging) {
        (Answer::Page(item), Some(_)) if op.method == "GET" => {
            format!("Answer::Listing({:?})", shown(item))
        }
        (Answer::Page(item), _) => format!("Answer::Page({:?})", shown(item)),
        (Answer::Json(ty), _) => format!("Answer::Json({:?})", shown(ty)),
        (Answer::Nothing, _) => "Answer::Nothing".to_owned(),
        (Answer::Download(format), _) => format!("Answer::Download({format:?})"),
    };
    let params = match params.len() {
        0 => "&[]".to_owned(),
        _ => format!(
            "&[\n{}        ]",
            params
                .iter()
                .map(|p| format!("            {p},\n"))
                .collect::<String>()
        ),
    };
    format!(
        "    Op {{\n        id: {:?},\n        feature: {:?},\n        method: {:?},\n        path: {:?},\n        \
         params: {params},\n        body: {body},\n        answer: {answer},\n        deprecated: {},\n        \
         wait: {},\n    }},\n",
        op.id,
        naming::tag_feature(&op.tag),
        op.method,
        op.path,
        op.deprecated || op.sunset.is_some(),
        waiter_entry(op),
    )
}

fn param_entry(param: &Param) -> String {
    let place = match param.place {
        Place::Path => "path",
        Place::Query => "query",
        Place::Header => "header",
    };
    format!(
        "Param::{place}({:?}, {:?}, {:?}, {}, {:?})",
        param.wire,
        naming::unraw(&param.rust),
        param.ty,
        param.required,
        rules(param)
    )
}

/// A paging parameter: not an argument of the method, but of the listing it returns.
fn paging_entry(wire: &str, rules: &str) -> String {
    let ty = if wire == "includeCount" {
        "Option<bool>"
    } else {
        "Option<u32>"
    };
    format!("Param::query({wire:?}, \"\", {ty:?}, false, {rules:?})")
}

/// The constraints of a parameter, as `--help` shows them.
fn rules(param: &Param) -> String {
    let mut rules = Vec::new();
    if let Some(pattern) = &param.pattern {
        rules.push(format!("pattern {pattern}"));
    }
    if !param.one_of.is_empty() {
        rules.push(format!("one of {}", param.one_of.join(", ")));
    }
    match (&param.min, &param.max) {
        (Some(min), Some(max)) => rules.push(format!("{min}..={max}")),
        (Some(min), None) => rules.push(format!(">= {min}")),
        (None, Some(max)) => rules.push(format!("<= {max}")),
        (None, None) => {}
    }
    match (param.min_items, param.max_items) {
        (Some(min), Some(max)) => rules.push(format!("{min} to {max} values")),
        (Some(min), None) => rules.push(format!("at least {min} values")),
        (None, Some(max)) => rules.push(format!("at most {max} values")),
        (None, None) => {}
    }
    rules.join("; ")
}

/// `fn list_group_clusters(c: &Client, a: &Args) -> Result<Action, Failure>`: the arguments
/// in the declaration's order, then the call.
fn dispatcher(op: &Operation) -> String {
    let mut lines = String::new();
    let mut args = vec!["c".to_owned()];
    for param in &op.params {
        args.push(argument(param));
    }
    if let Some(body) = &op.body {
        let ty = body.ty.render_with(false, &qualify);
        let is_list = matches!(body.ty, Ty::Vec(_));
        if body.required {
            lines.push_str(&format!("    let body: {ty} = a.body()?;\n"));
            args.push("&body".to_owned());
        } else {
            lines.push_str(&format!("    let body: Option<{ty}> = a.opt_body()?;\n"));
            args.push(
                if is_list {
                    "body.as_deref()"
                } else {
                    "body.as_ref()"
                }
                .to_owned(),
            );
        }
    }
    let action = match (&op.answer, &op.paging) {
        (Answer::Page(_), Some(_)) if op.method == "GET" => "listing",
        (Answer::Page(_), _) => "page",
        (Answer::Json(_), _) => "json",
        (Answer::Nothing, _) => "nothing",
        (Answer::Download(_), _) => "download",
    };
    // `file` checked that an operation with a waiter answers JSON or no content.
    let action = match (action, op.wait.is_some()) {
        ("json", true) => "json_or_wait",
        ("nothing", true) => "nothing_or_wait",
        (action, _) => action,
    };
    let method = format!("api::{}::{}", naming::tag_trait(&op.tag), op.method_name);
    format!(
        "#[cfg(feature = {:?})]\nfn {}(c: &Client, a: &Args) -> super::Result<Action> {{\n{lines}    a.{action}({method}({}))\n}}\n",
        naming::tag_feature(&op.tag),
        function(op),
        args.join(", "),
    )
}

/// The expression that reads one argument, by its type in the declaration.
fn argument(param: &Param) -> String {
    let name = &param.wire;
    match param.ty.as_str() {
        "&str" => format!("a.str({name:?})?"),
        "Option<&str>" => format!("a.opt_str({name:?})"),
        "&[&str]" => format!("&a.list({name:?})"),
        ty => match ty.strip_prefix("Option<").and_then(|t| t.strip_suffix('>')) {
            Some(_) => format!("a.opt({name:?})?"),
            None => format!("a.req({name:?})?"),
        },
    }
}
