//! Checks `wait(...)` against the declaration it is on: what the option needs, the values
//! taken from the answer, and the return type that goes with it.

use syn::{Expr, GenericArgument, PathArguments, Type};

use crate::ast::Endpoint;
use crate::ctxt::Ctxt;
use crate::wait::{is_from_answer, StateField, StateValue, WaitAttr, MAX_FROM_ANSWER};

/// Checks the option against the declaration: what it needs, and the return type. One
/// mistake gives one error: what follows from it is not reported again.
pub(crate) fn check(cx: &Ctxt, endpoint: &Endpoint, wait: &WaitAttr, paginated: bool) {
    let keyword = &wait.keyword;
    if paginated {
        cx.error_spanned_by(
            keyword,
            "`wait(...)` follows one resource after a call; a listing (`paginated`) has none: remove `wait(...)`",
        );
        return;
    }
    // `WaitForGone` without `gone`: the one mistake is the missing `gone`.
    if wait.gone.is_none() && returned_waiter(endpoint).as_deref() == Some("WaitForGone") {
        cx.error_spanned_by(
            keyword,
            "the method returns `WaitForGone`, a wait that ends when the resource is gone: add `gone` to `wait(...)`",
        );
        return;
    }
    let missing = [
        (
            wait.poll.is_none() && !wait.poll_written,
            "missing `poll = ...` in `wait(...)`: the call of the method that reads the resource, as in `poll = get_cluster(group_id, cluster_name)`",
        ),
        (
            wait.state.is_none() && wait.gone.is_none(),
            "missing `state = field: Enum` in `wait(...)`: the field of the polled resource that holds its state",
        ),
        (
            wait.target.is_empty() && wait.gone.is_none(),
            "missing `target = [...]` in `wait(...)`: the states that end the wait; or `gone`, for a wait that ends when the resource is deleted",
        ),
        (
            wait.state.is_some() && wait.pending.is_empty(),
            "missing `pending = [...]` in `wait(...)`: the states the resource shows on its way; without them the first poll, which sees one, would end the wait",
        ),
    ];
    for (_, message) in missing.iter().filter(|(is_missing, _)| *is_missing) {
        cx.error_spanned_by(keyword, message);
    }
    if wait.state.is_none() && wait.gone.is_some() {
        if let Some(first) = wait
            .pending
            .iter()
            .chain(&wait.target)
            .chain(&wait.failed)
            .next()
        {
            cx.error_spanned_by(
                first,
                "states need `state = field: Enum` in `wait(...)`, the field they are read from",
            );
        }
    }
    check_self_poll(cx, endpoint, wait);
    check_lists(cx, wait);
    check_answer_values(cx, endpoint, wait);
    check_return(cx, endpoint, wait);
}

/// The waiter the declaration returns (`WaitFor`, `WaitForGone`), if any.
fn returned_waiter(endpoint: &Endpoint) -> Option<String> {
    waiter_of(endpoint.return_type()?)
}

/// A read that waits on itself (`poll = get_cluster(...)` on `get_cluster`) polls with its
/// own call, so its arguments are the method's own, in order.
fn check_self_poll(cx: &Ctxt, endpoint: &Endpoint, wait: &WaitAttr) {
    let Some(poll) = &wait.poll else {
        return;
    };
    if poll.method != endpoint.original.sig.ident {
        return;
    }
    let own: Vec<String> = endpoint.args.iter().map(|arg| arg.name.clone()).collect();
    let written: Vec<String> = poll
        .args
        .iter()
        .map(|arg| quote::ToTokens::to_token_stream(arg).to_string())
        .collect();
    if own != written {
        cx.error_spanned_by(
            &poll.method,
            format!(
                "a read that waits on itself polls with its own arguments; write `poll = {}({})`",
                poll.method,
                own.join(", ")
            ),
        );
    }
}

/// A state counts once: in `pending`, `target` or `failed`; it is a variant of the enum, or a
/// string for a `String` state.
fn check_lists(cx: &Ctxt, wait: &WaitAttr) {
    let mut seen: Vec<String> = Vec::new();
    let text = wait.state.as_ref().is_some_and(StateField::is_text);
    let enum_name = wait
        .state
        .as_ref()
        .map(|state| quote::ToTokens::to_token_stream(&state.enum_path).to_string())
        .unwrap_or_default();
    for list in [&wait.pending, &wait.target, &wait.failed] {
        // One error for a list written in the wrong kind, at its first state.
        let wrong = list.iter().find(|state| {
            matches!(
                (state, text),
                (StateValue::Text(_), false) | (StateValue::Variant(_), true)
            )
        });
        match wrong {
            Some(StateValue::Text(lit)) => cx.error_spanned_by(
                lit,
                format!("the states of an enum are its variants, as in `[Idle]`; list variants of `{enum_name}`, or write `: String` for a state without an enum"),
            ),
            Some(StateValue::Variant(ident)) => cx.error_spanned_by(
                ident,
                format!("a `String` state is listed as strings, as in `\"{ident}\"`"),
            ),
            None => {}
        }
        for state in list.iter() {
            let name = state.name();
            if seen.contains(&name) {
                cx.error_spanned_by(
                    state,
                    format!("`{name}` is listed twice; a state is pending, target or failed, not two of them"),
                );
            }
            seen.push(name);
        }
    }
}

/// `response` (as in `response.x`) takes a value from the call's answer: it must not be an argument's name, and
/// there are at most [`MAX_FROM_ANSWER`].
fn check_answer_values(cx: &Ctxt, endpoint: &Endpoint, wait: &WaitAttr) {
    let Some(poll) = &wait.poll else {
        return;
    };
    let from_answer: Vec<&Expr> = poll.args.iter().filter(|arg| is_from_answer(arg)).collect();
    if from_answer.is_empty() {
        return;
    }
    if let Some(arg) = endpoint.arg("response") {
        cx.error_spanned_by(
            arg.ident,
            "an argument named `response` hides the call's answer, which `response.field` in `poll` names; rename the argument",
        );
    }
    if let Some(extra) = from_answer.get(MAX_FROM_ANSWER) {
        cx.error_spanned_by(
            extra,
            format!("a poll takes at most {MAX_FROM_ANSWER} values from the answer"),
        );
    }
}

/// `Call<T, WaitFor<G>>`, or `Call<T, WaitForGone<G>>` with `gone`.
fn check_return(cx: &Ctxt, endpoint: &Endpoint, wait: &WaitAttr) {
    let Some(ty) = endpoint.return_type() else {
        return;
    };
    let expected = if wait.gone.is_some() {
        "WaitForGone"
    } else {
        "WaitFor"
    };
    match waiter_of(ty) {
        Some(found) if found == expected => {}
        Some(found) => cx.error_spanned_by(
            ty,
            format!(
                "a wait {} returns `Call<T, {expected}<G>>`, not `{found}`",
                if wait.gone.is_some() {
                    "that ends when the resource is gone (`gone`)"
                } else {
                    "for a target state"
                }
            ),
        ),
        None => cx.error_spanned_by(
            ty,
            format!("an endpoint with `wait(...)` returns `Call<T, {expected}<G>>`, `G` being what the polled method answers"),
        ),
    }
}

/// Refuses a waiter type in the return type of a declaration without `wait(...)`.
pub(crate) fn check_no_waiter(cx: &Ctxt, endpoint: &Endpoint, wait_refused: bool) {
    if wait_refused {
        return;
    }
    let Some(ty) = endpoint.return_type() else {
        return;
    };
    if let Some(found) = waiter_of(ty) {
        cx.error_spanned_by(
            ty,
            format!("`{found}` needs `wait(poll = ..., state = ..., ...)` in #[atlas_endpoint(...)], which says what to poll"),
        );
    }
}

/// The name of the second type argument of `Call<T, W>`, if there is one.
fn waiter_of(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Call" {
        return None;
    }
    let PathArguments::AngleBracketed(generics) = &last.arguments else {
        return None;
    };
    let mut types = generics.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    types.next()?;
    match types.next()? {
        Type::Path(waiter) => waiter.path.segments.last().map(|s| s.ident.to_string()),
        other => Some(quote::ToTokens::to_token_stream(other).to_string()),
    }
}
