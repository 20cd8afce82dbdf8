//! The `wait(...)` option: what to poll after the call, and which states end the wait.
//!
//! ```text
//! wait(poll = get_cluster(group_id, &body.name, None, None),
//!      state = state_name: ClusterStateName,
//!      pending = [Creating, Updating], target = [Idle], failed = [],
//!      [gone,] [timeout = "3h",] [delay = "30s",] [poll_interval = "30s"])
//! ```
//!
//! Parsed here, checked against the declaration in `valid_wait.rs`, written by `expand_wait.rs`. What only
//! rustc can check (that the polled method exists and takes these arguments, that the state
//! field exists, that the values are variants of the enum) is written so that rustc reports
//! it on the user's tokens.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream, Parser as _};
use syn::punctuated::Punctuated;
use syn::{bracketed, Expr, Ident, LitStr, Path, Token};

use crate::ctxt::Ctxt;

pub(crate) struct WaitAttr {
    /// The `wait` keyword, for errors about the whole option.
    pub keyword: Ident,
    pub poll: Option<Poll>,
    /// Whether `poll = ...` was written, valid or not (an invalid one is reported already).
    pub poll_written: bool,
    pub state: Option<StateField>,
    pub pending: Vec<StateValue>,
    pub target: Vec<StateValue>,
    pub failed: Vec<StateValue>,
    /// `gone`: the wait ends when the poll answers 404.
    pub gone: Option<Ident>,
    pub timeout: Option<Millis>,
    pub delay: Option<Millis>,
    pub poll_interval: Option<Millis>,
}

/// `poll = get_cluster(group_id, &body.name, None, None)`: a method of the same trait and
/// its arguments, written as the user would call it.
pub(crate) struct Poll {
    pub method: Ident,
    pub args: Vec<Expr>,
    /// The parentheses as written, so that an error about the arguments points there.
    pub parens: syn::token::Paren,
}

/// Where the state of the polled resource is read, and its type.
pub(crate) struct StateField {
    pub source: StateSource,
    /// The enum of the state (`ClusterStateName`), or `String` for a state the spec gives no
    /// enum (then the lists hold string literals).
    pub enum_path: Path,
}

pub(crate) enum StateSource {
    /// `state = state_name: E`: a field, or a path of fields (`status.phase`).
    Field(Vec<Ident>),
    /// `state_fn = path::to::f: E`: a function of the resource, `fn(&G) -> Option<E>`, for a
    /// state the resource spells in several fields.
    Function(Path),
}

/// A listed state: a variant of the enum, or a string for a `String` state.
pub(crate) enum StateValue {
    Variant(Ident),
    Text(LitStr),
}

impl StateValue {
    /// The state as written, to compare listed states.
    pub fn name(&self) -> String {
        match self {
            StateValue::Variant(ident) => ident.to_string(),
            StateValue::Text(lit) => lit.value(),
        }
    }
}

impl quote::ToTokens for StateValue {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            StateValue::Variant(ident) => ident.to_tokens(tokens),
            StateValue::Text(lit) => lit.to_tokens(tokens),
        }
    }
}

impl StateField {
    /// Whether the state is a plain `String`, listed as string literals.
    pub fn is_text(&self) -> bool {
        self.enum_path.is_ident("String")
    }
}

/// A duration option, in milliseconds, with its literal for errors.
pub(crate) struct Millis {
    pub value: u64,
}

/// The names `wait(...)` takes, as errors list them.
const KEYS: &str =
    "`poll`, `state`, `state_fn`, `pending`, `target`, `failed`, `gone`, `timeout`, `delay`, `poll_interval`";

/// The most values one waiter takes from the call's answer (`response.id`); the runtime
/// has that many stand-ins.
pub(crate) const MAX_FROM_ANSWER: usize = 4;

/// Parses the tokens inside `wait(...)`. Problems are reported and parsing goes on where it
/// can; `None` when the syntax was broken beyond that.
pub(crate) fn wait_attr(cx: &Ctxt, keyword: Ident, tokens: TokenStream) -> Option<WaitAttr> {
    let parser = |input: ParseStream| parse(cx, keyword.clone(), input);
    match parser.parse2(tokens) {
        Ok(attr) => Some(attr),
        Err(error) => {
            cx.syn_error(error);
            None
        }
    }
}

fn parse(cx: &Ctxt, keyword: Ident, input: ParseStream) -> syn::Result<WaitAttr> {
    let mut attr = WaitAttr {
        keyword,
        poll: None,
        poll_written: false,
        state: None,
        pending: Vec::new(),
        target: Vec::new(),
        failed: Vec::new(),
        gone: None,
        timeout: None,
        delay: None,
        poll_interval: None,
    };
    let mut seen: Vec<String> = Vec::new();
    while !input.is_empty() {
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        let name = key.to_string();
        if seen.contains(&name) {
            cx.error_spanned_by(&key, format!("`{name}` is given twice in `wait(...)`"));
        }
        seen.push(name.clone());
        if name == "gone" {
            attr.gone = Some(key);
        } else {
            input.parse::<Token![=]>().map_err(|_| {
                syn::Error::new(
                    key.span(),
                    format!("expected `{name} = ...` in `wait(...)`"),
                )
            })?;
            match name.as_str() {
                "poll" => {
                    attr.poll_written = true;
                    attr.poll = poll(cx, input.parse()?);
                }
                "state" | "state_fn" => {
                    if attr.state.is_some() {
                        cx.error_spanned_by(&key, "give one of `state` and `state_fn`, not both");
                    }
                    attr.state = Some(state_field(input, name == "state_fn")?);
                }
                "pending" => attr.pending = states(input)?,
                "target" => attr.target = states(input)?,
                "failed" => attr.failed = states(input)?,
                "timeout" => attr.timeout = duration(cx, &input.parse()?, false),
                "delay" => attr.delay = duration(cx, &input.parse()?, true),
                "poll_interval" => attr.poll_interval = duration(cx, &input.parse()?, false),
                _ => {
                    cx.error_spanned_by(
                        &key,
                        format!("unknown `wait` option `{name}`; expected one of {KEYS}"),
                    );
                    input.parse::<Expr>()?;
                }
            }
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(attr)
}

/// `get_cluster(a, b)`: the call of a method by its plain name.
fn poll(cx: &Ctxt, expr: Expr) -> Option<Poll> {
    const USAGE: &str = "write the call of the method that reads the resource, with its arguments, as in `poll = get_cluster(group_id, &body.name, None, None)`";
    let Expr::Call(call) = &expr else {
        cx.error_spanned_by(&expr, USAGE);
        return None;
    };
    let method = match &*call.func {
        Expr::Path(path) if path.qself.is_none() => path.path.get_ident().cloned(),
        _ => None,
    };
    let Some(method) = method else {
        cx.error_spanned_by(
            &call.func,
            format!("expected the name of a method of this trait; {USAGE}"),
        );
        return None;
    };
    Some(Poll {
        method,
        args: call.args.iter().cloned().collect(),
        parens: call.paren_token,
    })
}

/// `state_name: ClusterStateName` (or `path::to::f: ClusterStateName` for `state_fn`).
fn state_field(input: ParseStream, function: bool) -> syn::Result<StateField> {
    let usage = if function {
        "write the function that reads the state and its enum, as in `state_fn = waiting::restore_job_state: RestoreJobState`"
    } else {
        "write the state field and its enum, as in `state = state_name: ClusterStateName`"
    };
    let refuse = |error: syn::Error| syn::Error::new(error.span(), usage);
    let source = if function {
        StateSource::Function(input.call(Path::parse_mod_style).map_err(refuse)?)
    } else {
        let mut fields = vec![input.parse::<Ident>().map_err(refuse)?];
        while input.peek(Token![.]) {
            input.parse::<Token![.]>()?;
            fields.push(input.parse()?);
        }
        StateSource::Field(fields)
    };
    input.parse::<Token![:]>().map_err(refuse)?;
    let enum_path = input.parse()?;
    Ok(StateField { source, enum_path })
}

/// `[Creating, Updating]`: variants of the state's enum; `["INIT"]` for a `String` state.
fn states(input: ParseStream) -> syn::Result<Vec<StateValue>> {
    let content;
    bracketed!(content in input);
    let list = Punctuated::<StateValue, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

impl Parse for StateValue {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(StateValue::Text(input.parse()?));
        }
        input.parse().map(StateValue::Variant).map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected variants of the state's enum, as in `[Creating, Updating]` (or strings, as in `[\"INIT\"]`, for a `String` state)",
            )
        })
    }
}

/// `"30s"`, `"5m"`, `"3h"`, `"500ms"`, `"1h30m"`.
fn duration(cx: &Ctxt, lit: &LitStr, zero: bool) -> Option<Millis> {
    match crate::duration::parse_millis(&lit.value()) {
        Some(0) if !zero => {
            cx.error_spanned_by(
                lit,
                "a zero duration here would end the wait at once or poll in a loop; give it a length, as in `30s`",
            );
            None
        }
        Some(value) => Some(Millis { value }),
        None => {
            cx.error_spanned_by(
                lit,
                format!(
                    "invalid duration {:?}; write it as `30s`, `5m`, `3h`, `500ms` or `1h30m`",
                    lit.value()
                ),
            );
            None
        }
    }
}

/// Whether an argument of `poll` is a value of the call's answer: it names `response`
/// (`response.id`, `&response.id`, `waiting::snapshot_id(response)`).
pub(crate) fn is_from_answer(expr: &Expr) -> bool {
    mentions(quote::ToTokens::to_token_stream(expr), "response")
}

/// Whether `tokens` use the variable `name`: the identifier on its own, not a field
/// (`body.response`) nor a segment of a longer path (`crate::response::f`).
fn mentions(tokens: TokenStream, name: &str) -> bool {
    let mut after_punct = false;
    tokens.into_iter().any(|token| {
        let found = match &token {
            proc_macro2::TokenTree::Ident(ident) => ident == name && !after_punct,
            proc_macro2::TokenTree::Group(group) => mentions(group.stream(), name),
            _ => false,
        };
        after_punct = matches!(&token, proc_macro2::TokenTree::Punct(p) if p.as_char() == '.' || p.as_char() == ':');
        found
    })
}

/// The variable a field access starts from (`body` in `&body.name`), if it is one.
pub(crate) fn field_root(mut expr: &Expr) -> Option<&Ident> {
    if let Expr::Reference(reference) = expr {
        expr = &reference.expr;
    }
    let Expr::Field(_) = expr else {
        return None;
    };
    while let Expr::Field(field) = expr {
        expr = &field.base;
    }
    match expr {
        Expr::Path(path) => path.path.get_ident(),
        _ => None,
    }
}
