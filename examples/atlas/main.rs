//! Calls any operation of the Atlas Administration API from the command line, by its
//! operation id and the spec's parameter names.
//!
//! ```text
//! cargo run --example atlas --features full -- --list
//! cargo run --example atlas --features full -- listGroupServerlessBackupRestoreJobs --help
//! cargo run --example atlas --features full -- listGroupServerlessBackupRestoreJobs \
//!     --groupId 5e2211c17a3e5a48f5497de3 --clusterName serverless-demo --itemsPerPage 5
//! cargo run --example atlas --features full -- listGroupServerlessBackupRestoreJobs \
//!     --groupId 5e2211c17a3e5a48f5497de3 --clusterName serverless-demo --all
//! cargo run --example atlas --features full -- createGroupServerlessBackupRestoreJob \
//!     --groupId 5e2211c17a3e5a48f5497de3 --clusterName serverless-demo --body @job.json
//! cargo run --example atlas --features full -- createGroupFlexCluster \
//!     --groupId 5e2211c17a3e5a48f5497de3 --wait --wait-poll 1s \
//!     --body '{"name": "flex-1", "providerSettings": {"backingProviderName": "AWS", "regionName": "US_EAST_1"}}'
//! ```
//!
//! - Parameters go by their spec names, path, query and header alike (`--groupId`,
//!   `--itemsPerPage`, `--Use-Effective-Instance-Fields`), as `--name value` or `--name=value`;
//!   a parameter that takes several values is repeated. The body is JSON text or `@file`
//!   (`@-`: standard input).
//! - The body is decoded into the operation's request model before anything is sent: a value
//!   of the wrong type, or a field the model has no place for, is refused with its path. The
//!   answer is decoded into the response model and printed as JSON. A listing prints its first
//!   page (`results`, `totalCount`, `links`); with `--all` every item of every page, one JSON
//!   object a line. A download is streamed to `--output` or standard output.
//! - An operation with a waiter (`--list --wait` lists them; its `--help` shows what it polls
//!   and its defaults) takes `--wait`: after the answer, the resource is polled until it
//!   reaches its target state, each state change shown on standard error (`state CREATING
//!   after 5 s`), then the resource in that state is printed as JSON. A wait for a deletion
//!   ends when the resource is gone, and prints nothing on standard output. `--wait-timeout`
//!   and `--wait-poll` (`30s`, `5m`, `1h30m`, `500ms`) set how long it may take in all and
//!   how long between polls; the first poll comes after the waiter's delay, whatever
//!   `--wait-poll` says (Atlas may show the old state for a moment after a change).
//! - Credentials and the base URL come from the environment as in `restore_jobs`
//!   (`MONGODB_ATLAS_ACCESS_TOKEN`, a service account, or an API key; `MONGODB_ATLAS_BASE_URL`);
//!   without credentials the built-in sandbox is started, which serves the backup endpoints
//!   only (the others answer 404).
//! - Exit status: 0 on success (with `--wait`: the target state reached, or the resource
//!   gone), 2 when a value was refused before anything was sent (`--wait` on an operation
//!   without a waiter, `--wait-timeout` or `--wait-poll` without `--wait`), 1 for any other
//!   error (with `--wait`: a failed or unexpected state, a 404 while waiting for a state, or
//!   the wait's timeout, the message naming the last state seen); an error is one line on
//!   standard error.
//!
//! Each tag of the spec is a Cargo feature of the crate; an operation is callable when its
//! feature is enabled (`--features full`: all of them). The table of operations and one small
//! function per operation are generated (`operations.rs`, `cargo run -p
//! atlas-endpoints-codegen`); this file holds what they share.

// With some tags left out, some helpers have no caller.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use atlas_endpoints::{
    Call, Client, Download, Error, ErrorKind, NoContent, Observation, Page, Paginated, Wait,
    WaitFor, WaitForGone,
};
use atlas_endpoints_sandbox::Sandbox;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{FutureExt as _, StreamExt as _};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

#[path = "../support/mod.rs"]
mod support;

#[path = "operations.rs"]
mod operations;

#[path = "../../macros/src/duration.rs"]
mod duration;

pub use operations::OPERATIONS;

const USAGE: &str = "\
usage: atlas <operationId> [--<name> <value>]... [--body <json>|@<file>] [--all] [--output <file>]
             [--wait [--wait-timeout <duration>] [--wait-poll <duration>]]
       atlas <operationId> --help      the operation's parameters, and its waiter
       atlas --list                    every operation this build can call
       atlas --list --wait             those of them that take --wait
       atlas --help                    this text

Parameters go by their names in the spec (--groupId, --itemsPerPage, ...). A listing prints its
first page; --all prints every item of every page, one JSON object a line. A download goes to
--output, or to standard output. Credentials come from the environment (MONGODB_ATLAS_ACCESS_TOKEN,
MONGODB_ATLAS_CLIENT_ID/_SECRET or MONGODB_ATLAS_PUBLIC_API_KEY/_PRIVATE_API_KEY, and
MONGODB_ATLAS_BASE_URL); without them the built-in sandbox answers.
--wait (an operation with a waiter) polls the resource after the answer until it reaches its
target state, showing each state on standard error, then prints the resource (nothing after a
deletion, whose wait ends once the resource is gone). --wait-timeout (the longest the wait may
take) and --wait-poll (the time between polls) take durations such as 30s, 5m, 1h30m or 500ms;
`<operationId> --help` shows the waiter's defaults.
Exit status: 0 done (with --wait: the target state reached, or gone), 2 refused before sending,
1 any other error (with --wait: a failed state or the timeout, naming the last state).";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let env = |name: &str| std::env::var(name).ok();
    match run(&args, &env, &mut std::io::stdout(), &mut std::io::stderr()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

// ----- What the generated table holds -----

/// One operation of the spec.
pub struct Op {
    pub id: &'static str,
    /// The Cargo feature of its tag.
    pub feature: &'static str,
    pub method: &'static str,
    /// The spec's path, after `/api/atlas/v2`.
    pub path: &'static str,
    pub params: &'static [Param],
    /// The request model, and whether the body is required.
    pub body: Option<(&'static str, bool)>,
    pub answer: Answer,
    pub deprecated: bool,
    /// What `--wait` polls, for an operation with a waiter.
    pub wait: Option<Waiter>,
}

/// The waiter of an operation, as the generator's table declares it (the timings as the
/// declaration writes them, for `--help`).
pub struct Waiter {
    /// The operation polled.
    pub poll: &'static str,
    /// The wait ends when the poll answers 404 (a deletion).
    pub gone: bool,
    pub pending: &'static [&'static str],
    pub target: &'static [&'static str],
    pub failed: &'static [&'static str],
    /// The longest the wait may take, unless `--wait-timeout` says otherwise.
    pub timeout: &'static str,
    /// How long after the answer the first poll is sent.
    pub delay: &'static str,
    /// How long between polls, unless `--wait-poll` says otherwise.
    pub interval: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Path,
    Query,
    Header,
}

/// One parameter of an operation.
pub struct Param {
    /// The name in the spec, which is also the flag's (`--groupId`).
    pub name: &'static str,
    pub place: Place,
    /// The argument's name in Rust (as the runtime's errors name path parameters); empty for
    /// the paging parameters, which are set on the listing.
    pub rust: &'static str,
    /// The argument's Rust type in the declaration.
    pub ty: &'static str,
    pub required: bool,
    /// The constraints the declaration checks, for `--help`.
    pub rules: &'static str,
}

/// `Param::path(..)`, `Param::query(..)` and `Param::header(..)`, as the generated table writes
/// them: a parameter in that place.
macro_rules! constructors {
    ($($constructor:ident => $place:ident,)*) => {
        $(
            pub const fn $constructor(
                name: &'static str,
                rust: &'static str,
                ty: &'static str,
                required: bool,
                rules: &'static str,
            ) -> Self {
                Param {
                    name,
                    place: Place::$place,
                    rust,
                    ty,
                    required,
                    rules,
                }
            }
        )*
    };
}

impl Param {
    constructors! {
        path => Path,
        query => Query,
        header => Header,
    }

    fn is_list(&self) -> bool {
        self.ty.starts_with("&[")
    }
}

/// What an operation answers, with the model's name.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    Json(&'static str),
    /// A `GET` listing, paged through.
    Listing(&'static str),
    /// One page, answered by a write.
    Page(&'static str),
    Nothing,
    /// A file (`gzip`, `csv`).
    Download(&'static str),
}

/// The generated function that reads the arguments and calls the operation.
pub type Run = fn(&Client, &Args) -> Result<Action>;

/// The function that calls the operation `id`, when its tag feature is enabled.
pub fn dispatch(id: &str) -> Option<Run> {
    let found = operations::RUNS.binary_search_by(|(candidate, _)| candidate.cmp(&id));
    found.ok().map(|i| operations::RUNS[i].1)
}

// ----- Failures -----

pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// Why a run failed: its exit status and its one-line message.
#[derive(Debug)]
pub struct Failure {
    /// 2: a value was refused before anything was sent; 1: anything else.
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// A value refused here, before anything was sent.
    fn local(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: one_line(&message.into()),
        }
    }

    fn other(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: one_line(&message.into()),
        }
    }

    /// An error of the runtime; an invalid argument is named by its flag.
    fn of(error: &Error, op: &Op) -> Self {
        let report = error.report().to_string();
        if error.kind() != ErrorKind::InvalidArgument {
            return Failure::other(report);
        }
        let flag = error.invalid_argument_detail().and_then(|detail| {
            op.params.iter().find(|p| {
                p.name == detail.parameter || (!p.rust.is_empty() && p.rust == detail.parameter)
            })
        });
        match flag {
            Some(param) => Failure::local(format!("--{}: {report}", param.name)),
            None => Failure::local(report),
        }
    }
}

fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ----- The arguments of one operation -----

/// The command line, read for one operation: what the generated functions ask for.
pub struct Args {
    op: &'static Op,
    values: Vec<(&'static Param, String)>,
    body: Option<String>,
    all: bool,
    output: Option<PathBuf>,
    /// `--wait`, with its timing.
    wait: Option<WaitArgs>,
}

/// `--wait-timeout` and `--wait-poll`; the waiter's defaults where not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct WaitArgs {
    timeout: Option<Duration>,
    poll: Option<Duration>,
}

impl WaitArgs {
    fn apply<G, O>(self, mut wait: Wait<G, O>) -> Wait<G, O>
    where
        G: DeserializeOwned + Send + 'static,
        O: Send + 'static,
    {
        if let Some(timeout) = self.timeout {
            wait = wait.timeout(timeout);
        }
        if let Some(poll) = self.poll {
            wait = wait.poll_interval(poll);
        }
        wait
    }
}

/// A type an argument is parsed into, with how `--help` and errors describe it.
pub trait Arg: FromStr {
    const WHAT: &'static str;
}

impl Arg for bool {
    const WHAT: &'static str = "true or false";
}
impl Arg for i32 {
    const WHAT: &'static str = "a 32-bit integer";
}
impl Arg for i64 {
    const WHAT: &'static str = "an integer";
}
impl Arg for u32 {
    const WHAT: &'static str = "a whole number";
}
impl Arg for f64 {
    const WHAT: &'static str = "a number";
}
impl Arg for chrono::DateTime<chrono::Utc> {
    const WHAT: &'static str = "an RFC 3339 date and time (2024-05-30T12:00:00Z)";
}

impl Args {
    fn missing(&self, name: &str) -> Failure {
        Failure::local(format!(
            "{} needs --{name} (see `{} --help`)",
            self.op.id, self.op.id
        ))
    }

    /// A required text argument.
    pub fn str(&self, name: &str) -> Result<&str> {
        self.opt_str(name).ok_or_else(|| self.missing(name))
    }

    pub fn opt_str(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated argument.
    pub fn list(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(p, _)| p.name == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A required argument of another type.
    pub fn req<T: Arg>(&self, name: &str) -> Result<T> {
        self.opt(name)?.ok_or_else(|| self.missing(name))
    }

    pub fn opt<T: Arg>(&self, name: &str) -> Result<Option<T>> {
        self.opt_str(name)
            .map(|raw| {
                raw.parse()
                    .map_err(|_| Failure::local(format!("--{name} takes {}, not {raw:?}", T::WHAT)))
            })
            .transpose()
    }

    /// The body, decoded into the request model.
    pub fn body<T: DeserializeOwned + Serialize>(&self) -> Result<T> {
        let (model, _) = self.op.body.unwrap_or(("", true));
        self.opt_body()?.ok_or_else(|| {
            Failure::local(format!(
                "{} needs --body <json>|@<file> ({model})",
                self.op.id
            ))
        })
    }

    pub fn opt_body<T: DeserializeOwned + Serialize>(&self) -> Result<Option<T>> {
        let Some(text) = &self.body else {
            return Ok(None);
        };
        let (model, _) = self.op.body.unwrap_or(("", true));
        let mut json = serde_json::Deserializer::from_str(text);
        let value: T = serde_path_to_error::deserialize(&mut json).map_err(|error| {
            let at = error.path().to_string();
            let at = if at == "." {
                String::new()
            } else {
                format!(" at `{at}`")
            };
            Failure::local(format!("--body is no {model}{at}: {}", error.inner()))
        })?;
        json.end()
            .map_err(|e| Failure::local(format!("--body: {e}")))?;
        // A field the model has no place for would silently not be sent.
        let sent: Value =
            serde_json::from_str(text).map_err(|e| Failure::local(format!("--body: {e}")))?;
        let kept =
            serde_json::to_value(&value).map_err(|e| Failure::local(format!("--body: {e}")))?;
        if let Some(field) = dropped(&sent, &kept, String::new()) {
            return Err(Failure::local(format!(
                "--body: field `{field}` has no place in {model} (a misspelt, read-only or unknown field)"
            )));
        }
        Ok(Some(value))
    }

    fn failure(&self) -> impl Fn(Error) -> Failure + Send + 'static {
        let op = self.op;
        move |error| Failure::of(&error, op)
    }

    /// Prints the answer as JSON.
    pub fn json<T: Serialize + DeserializeOwned + Send + 'static>(
        &self,
        call: Call<T>,
    ) -> Result<Action> {
        let failure = self.failure();
        Ok(Action::Value(
            async move { to_json(&call.await.map_err(failure)?) }.boxed(),
        ))
    }

    /// Prints the answer as JSON; with `--wait`, waits and prints the resource it waited for.
    pub fn json_or_wait<T, W>(&self, call: Call<T, W>) -> Result<Action>
    where
        T: Serialize + DeserializeOwned + Send + 'static,
        W: Waiting,
    {
        match self.wait {
            Some(wait) => Ok(W::follow(call, wait, self.failure())),
            None => self.json(call.without_wait()),
        }
    }

    /// Prints nothing; with `--wait`, waits and prints the resource it waited for (nothing
    /// for a deletion).
    pub fn nothing_or_wait<W: Waiting>(&self, call: Call<NoContent, W>) -> Result<Action> {
        match self.wait {
            Some(wait) => Ok(W::follow(call, wait, self.failure())),
            None => self.nothing(call.without_wait()),
        }
    }

    /// Prints nothing: the operation answers no content.
    pub fn nothing(&self, call: Call<NoContent>) -> Result<Action> {
        let failure = self.failure();
        Ok(Action::Nothing(
            async move { call.await.map(|_| ()).map_err(failure) }.boxed(),
        ))
    }

    /// Streams the file to `--output` or standard output.
    pub fn download(&self, call: Call<Download>) -> Result<Action> {
        let failure = self.failure();
        Ok(Action::Download(
            async move { call.await.map_err(failure) }.boxed(),
            self.output.clone(),
        ))
    }

    /// `call` with the paging parameters given (`--pageNum`, `--itemsPerPage`,
    /// `--includeCount`), set by its own setters: a listing's, or a one-page write's.
    fn paged<C>(&self, mut call: C, setters: PagingSetters<C>) -> Result<C> {
        let (page_num, items_per_page, include_count) = setters;
        if let Some(n) = self.opt("pageNum")? {
            call = page_num(call, n);
        }
        if let Some(n) = self.opt("itemsPerPage")? {
            call = items_per_page(call, n);
        }
        if let Some(count) = self.opt("includeCount")? {
            call = include_count(call, count);
        }
        Ok(call)
    }

    /// Prints the one page a write answers.
    pub fn page<T: Serialize + DeserializeOwned + Send + 'static>(
        &self,
        call: Call<Page<T>>,
    ) -> Result<Action> {
        let setters: PagingSetters<_> = (Call::page_num, Call::items_per_page, Call::include_count);
        let call = self.paged(call, setters)?;
        let failure = self.failure();
        Ok(Action::Value(
            async move { page_json(&call.await.map_err(failure)?) }.boxed(),
        ))
    }

    /// Prints the first page, or with `--all` every item of every page.
    pub fn listing<T: Serialize + DeserializeOwned + Send + 'static>(
        &self,
        listing: Paginated<T>,
    ) -> Result<Action> {
        let setters: PagingSetters<_> = (
            Paginated::page_num,
            Paginated::items_per_page,
            Paginated::include_count,
        );
        let listing = self.paged(listing, setters)?;
        let failure = self.failure();
        if self.all {
            let items = listing
                .items()
                .map(move |item| to_json(&item.map_err(&failure)?));
            return Ok(Action::Lines(items.boxed()));
        }
        Ok(Action::Value(
            async move { page_json(&listing.first_page().await.map_err(failure)?) }.boxed(),
        ))
    }
}

/// The setters of `pageNum`, `itemsPerPage` and `includeCount` of a kind of call.
type PagingSetters<C> = (fn(C, u32) -> C, fn(C, u32) -> C, fn(C, bool) -> C);

/// The waiters a generated function may hand to [`Args::json_or_wait`]: `WaitFor<G>`, which
/// ends with the resource in its target state, and `WaitForGone<G>`, which ends once it is
/// gone.
pub trait Waiting: Sized {
    /// Sends the call, then follows the wait's states.
    fn follow<T: DeserializeOwned + Send + 'static>(
        call: Call<T, Self>,
        wait: WaitArgs,
        failure: impl Fn(Error) -> Failure + Send + 'static,
    ) -> Action;
}

/// The impls for the two waiters, which differ only in whether the resource the wait ends
/// with is printed.
macro_rules! waiting {
    ($($waiter:ident prints $print:literal;)*) => {$(
        impl<G: Serialize + DeserializeOwned + Send + 'static> Waiting for $waiter<G> {
            fn follow<T: DeserializeOwned + Send + 'static>(
                call: Call<T, Self>,
                wait: WaitArgs,
                failure: impl Fn(Error) -> Failure + Send + 'static,
            ) -> Action {
                follow(wait.apply(call.wait()), $print, failure)
            }
        }
    )*};
}

waiting! {
    WaitFor prints true;
    WaitForGone prints false;
}

/// The states of `wait`, as [`perform`] prints them; `print`: the resource it ends with is
/// printed (not after a deletion).
fn follow<G, O>(
    wait: Wait<G, O>,
    print: bool,
    failure: impl Fn(Error) -> Failure + Send + 'static,
) -> Action
where
    G: Serialize + DeserializeOwned + Send + 'static,
    O: Send + 'static,
{
    let states = wait.states().map(move |seen| {
        let seen: Observation<G> = seen.map_err(&failure)?;
        let resource = match &seen.resource {
            Some(resource) if print && seen.done => Some(to_json(resource)?),
            _ => None,
        };
        Ok(Seen {
            state: seen.state,
            gone: seen.resource.is_none() && seen.done,
            elapsed: seen.elapsed,
            done: seen.done,
            resource,
        })
    });
    Action::Wait(states.boxed())
}

/// One state a wait saw, for [`perform`].
pub struct Seen {
    state: Option<String>,
    /// The poll answered 404: the resource is gone.
    gone: bool,
    elapsed: Duration,
    done: bool,
    /// The resource to print: the last one, unless the wait was for a deletion.
    resource: Option<Value>,
}

/// A duration as `--wait-timeout` and `--wait-poll` take it, read as the `wait(...)` option
/// of the macro reads one: whole numbers, each with its unit (`30s`, `5m`, `1h30m`, `500ms`).
pub fn parse_duration(text: &str) -> Option<Duration> {
    duration::parse_millis(text.trim()).map(Duration::from_millis)
}

/// The first field of `sent` (a dotted path, as serde_path_to_error writes them) that `kept`,
/// the model serialized again, lost. A `null` is not a loss: it is what an unset field means.
fn dropped(sent: &Value, kept: &Value, path: String) -> Option<String> {
    match (sent, kept) {
        (Value::Object(sent), Value::Object(kept)) => sent.iter().find_map(|(key, value)| {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match kept.get(key) {
                None if !value.is_null() => Some(at),
                None => None,
                Some(kept) => dropped(value, kept, at),
            }
        }),
        (Value::Array(sent), Value::Array(kept)) if sent.len() == kept.len() => sent
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(i, (s, k))| dropped(s, k, format!("{path}[{i}]"))),
        _ => None,
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Failure::other(format!("could not print the answer: {e}")))
}

fn page_json<T: Serialize>(page: &Page<T>) -> Result<Value> {
    Ok(serde_json::json!({
        "results": to_json(&page.results())?,
        "totalCount": page.total_count(),
        "links": to_json(&page.links())?,
    }))
}

/// What a generated function returns: the call, ready to be awaited and printed.
pub enum Action {
    /// One JSON document.
    Value(BoxFuture<'static, Result<Value>>),
    /// One JSON object a line.
    Lines(BoxStream<'static, Result<Value>>),
    Nothing(BoxFuture<'static, Result<()>>),
    /// A file, to the path or to standard output.
    Download(BoxFuture<'static, Result<Download>>, Option<PathBuf>),
    /// `--wait`: each state on standard error, the last resource as JSON.
    Wait(BoxStream<'static, Result<Seen>>),
}

// ----- The run -----

/// Runs one command line: `args` without the program's name, `env` to read the environment,
/// `out` for what standard output shows, `err` for the notes of standard error (the sandbox,
/// the states of a wait; not the error, which is returned).
pub async fn run(
    args: &[String],
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<()> {
    let mut id = None;
    let mut help = false;
    let mut list = false;
    let mut flags: Vec<(String, Option<String>)> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-h" | "--help" => help = true,
            "--list" => list = true,
            "--all" => flags.push(("all".to_owned(), None)),
            "--wait" => flags.push(("wait".to_owned(), None)),
            flag if flag.starts_with("--") => {
                let (name, value) = match flag[2..].split_once('=') {
                    Some((name, value)) => (name.to_owned(), value.to_owned()),
                    None => {
                        let value = rest
                            .next()
                            .ok_or_else(|| Failure::local(format!("{flag} needs a value")))?;
                        (flag[2..].to_owned(), value.clone())
                    }
                };
                flags.push((name, Some(value)));
            }
            operation if id.is_none() && !operation.starts_with('-') => {
                id = Some(operation.to_owned())
            }
            other => {
                return Err(Failure::local(format!(
                    "unexpected argument {other:?} (see --help)"
                )))
            }
        }
    }
    if list {
        // `--list --wait`: the operations that wait.
        let waiting = flags
            .iter()
            .any(|(name, value)| name == "wait" && value.is_none());
        let mut text = String::new();
        for op in OPERATIONS
            .iter()
            .filter(|op| dispatch(op.id).is_some() && (!waiting || op.wait.is_some()))
        {
            let _ = writeln!(text, "{}", op.id);
        }
        return write(out, text.as_bytes());
    }
    let Some(id) = id else {
        if help {
            return write(out, format!("{USAGE}\n").as_bytes());
        }
        return Err(Failure::local(
            "no operation given (see --help; --list shows the operations)",
        ));
    };
    let op = OPERATIONS.iter().find(|op| op.id == id).ok_or_else(|| {
        Failure::local(format!(
            "unknown operation {id:?} (--list shows the operations)"
        ))
    })?;
    if help {
        return write(out, describe(op).as_bytes());
    }
    let run = dispatch(op.id).ok_or_else(|| {
        Failure::local(format!(
            "{id} is in the tag feature `{}`, which this build leaves out (build with --features {} or full)",
            op.feature, op.feature
        ))
    })?;
    let args = read_args(op, flags)?;
    let (client, sandbox) = connect(env).await?;
    let action = run(&client, &args)?;
    if let Some(sandbox) = &sandbox {
        // Once the arguments and the body were accepted: a refused value is all a run prints.
        let _ = writeln!(
            err,
            "no credentials in the environment: using the built-in sandbox at {} (project {}, \
             serverless instance {}, Flex cluster {})",
            sandbox.base_url(),
            atlas_endpoints_sandbox::DEFAULT_GROUP_ID,
            atlas_endpoints_sandbox::DEFAULT_INSTANCE,
            atlas_endpoints_sandbox::DEFAULT_FLEX_CLUSTER,
        );
    }
    perform(action, out, err).await
}

/// Checks every flag against the operation's parameters, and reads the body.
fn read_args(op: &'static Op, flags: Vec<(String, Option<String>)>) -> Result<Args> {
    let mut args = Args {
        op,
        values: Vec::new(),
        body: None,
        all: false,
        output: None,
        wait: None,
    };
    let mut wait = false;
    let mut timing = WaitArgs::default();
    for (name, value) in flags {
        match (name.as_str(), value) {
            ("all", _) if matches!(op.answer, Answer::Listing(_)) => args.all = true,
            ("all", _) => return Err(Failure::local(format!("--all: {} is no listing", op.id))),
            ("output", Some(path)) if matches!(op.answer, Answer::Download(_)) => {
                args.output = Some(path.into())
            }
            ("output", _) => {
                return Err(Failure::local(format!(
                    "--output: {} answers no file",
                    op.id
                )))
            }
            ("body", _) if op.body.is_none() => {
                return Err(Failure::local(format!("--body: {} takes no body", op.id)))
            }
            ("body", _) if args.body.is_some() => {
                return Err(Failure::local("--body is given twice"))
            }
            ("body", Some(text)) => args.body = Some(read_body(&text)?),
            ("wait", None) if op.wait.is_none() => return Err(no_waiter(op)),
            ("wait", None) => wait = true,
            ("wait-timeout", Some(text)) => set_once(&mut timing.timeout, "wait-timeout", &text)?,
            ("wait-poll", Some(text)) => set_once(&mut timing.poll, "wait-poll", &text)?,
            (name, Some(value)) => {
                let param = op.params.iter().find(|p| p.name == name).ok_or_else(|| {
                    Failure::local(format!(
                        "{} has no parameter --{name} (see `{} --help`)",
                        op.id, op.id
                    ))
                })?;
                if !param.is_list() && args.values.iter().any(|(p, _)| p.name == name) {
                    return Err(Failure::local(format!("--{name} is given twice")));
                }
                args.values.push((param, value));
            }
            (name, None) => return Err(Failure::local(format!("--{name} needs a value"))),
        }
    }
    if let Some(missing) = op
        .params
        .iter()
        .find(|p| p.required && args.opt_str(p.name).is_none())
    {
        return Err(args.missing(missing.name));
    }
    for (flag, given) in [
        ("--wait-timeout", timing.timeout),
        ("--wait-poll", timing.poll),
    ] {
        if given.is_some() && !wait {
            return Err(Failure::local(format!("{flag} needs --wait")));
        }
    }
    if wait {
        args.wait = Some(timing);
    }
    if let (Some((model, true)), None) = (op.body, &args.body) {
        return Err(Failure::local(format!(
            "{} needs --body <json>|@<file> ({model})",
            op.id
        )));
    }
    Ok(args)
}

/// `--wait` on an operation that has no waiter.
fn no_waiter(op: &Op) -> Failure {
    Failure::local(format!(
        "--wait: {} has no waiter: there is no state to wait for (`atlas --list --wait` lists \
         the operations that wait)",
        op.id
    ))
}

/// Reads the value of `--wait-timeout` or `--wait-poll` into `slot`, once.
fn set_once(slot: &mut Option<Duration>, flag: &str, text: &str) -> Result<()> {
    if slot.is_some() {
        return Err(Failure::local(format!("--{flag} is given twice")));
    }
    let duration = match parse_duration(text) {
        Some(duration) if !duration.is_zero() => duration,
        Some(_) => return Err(Failure::local(format!("--{flag} must be more than 0"))),
        None => {
            return Err(Failure::local(format!(
                "--{flag} takes a duration such as 30s, 5m, 1h30m or 500ms, not {text:?}"
            )))
        }
    };
    *slot = Some(duration);
    Ok(())
}

/// `--body` as given: JSON text, `@file`, or `@-` for standard input.
fn read_body(text: &str) -> Result<String> {
    let Some(path) = text.strip_prefix('@') else {
        return Ok(text.to_owned());
    };
    let read = if path == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    };
    read.map_err(|e| Failure::local(format!("--body: cannot read {path}: {e}")))
}

/// A client of the server the environment names, or of the built-in sandbox without
/// credentials (kept running as long as the second value lives).
async fn connect(env: &dyn Fn(&str) -> Option<String>) -> Result<(Client, Option<Sandbox>)> {
    let set = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    if support::CREDENTIAL_VARIABLES
        .iter()
        .any(|name| set(name).is_some())
    {
        let client = Client::builder()
            .with_env(env)
            .and_then(|builder| builder.build())
            .map_err(|e| Failure::other(e.report().to_string()))?;
        return Ok((client, None));
    }
    let sandbox = Sandbox::start()
        .await
        .map_err(|e| Failure::other(format!("could not start the sandbox: {e}")))?;
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .bearer_token(sandbox.token())
        .build()
        .map_err(|e| Failure::other(e.report().to_string()))?;
    Ok((client, Some(sandbox)))
}

async fn perform(
    action: Action,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<()> {
    match action {
        Action::Value(answer) => print_json(out, &answer.await?),
        Action::Wait(mut states) => {
            while let Some(seen) = states.next().await {
                let seen = seen?;
                let secs = seen.elapsed.as_secs();
                let _ = match &seen.state {
                    Some(state) => writeln!(err, "state {state} after {secs} s"),
                    None if seen.gone => writeln!(err, "gone after {secs} s"),
                    None => writeln!(err, "no state yet after {secs} s"),
                };
                if seen.done {
                    if let Some(resource) = &seen.resource {
                        print_json(out, resource)?;
                    }
                }
            }
            Ok(())
        }
        Action::Lines(mut items) => {
            while let Some(item) = items.next().await {
                write(out, format!("{}\n", item?).as_bytes())?;
            }
            Ok(())
        }
        Action::Nothing(answer) => answer.await,
        Action::Download(answer, path) => {
            let download = answer.await?;
            if let Some(path) = path {
                let saved = download.save(path).await;
                return saved
                    .map(|_| ())
                    .map_err(|e| Failure::other(e.report().to_string()));
            }
            let mut chunks = download.into_stream();
            while let Some(chunk) = chunks.next().await {
                write(
                    out,
                    &chunk.map_err(|e| Failure::other(e.report().to_string()))?,
                )?;
            }
            Ok(())
        }
    }
}

/// One JSON document, pretty-printed.
fn print_json(out: &mut (dyn Write + Send), value: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::other(e.to_string()))?;
    write(out, format!("{text}\n").as_bytes())
}

/// Writes to standard output; a reader that went away (`| head`) is no error.
fn write(out: &mut (dyn Write + Send), bytes: &[u8]) -> Result<()> {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::other(format!("could not write the answer: {e}")))
        }
        _ => Ok(()),
    }
}

/// What `--wait` does for an operation, and its defaults.
fn describe_wait(waiter: &Waiter) -> String {
    let end = match (waiter.gone, waiter.target) {
        (true, []) => "until it is gone (404)".to_owned(),
        (true, target) => format!("until it is gone (404) or {}", target.join(", ")),
        (false, target) => format!("until its state is {}", target.join(" or ")),
    };
    let mut states = Vec::new();
    if !waiter.pending.is_empty() {
        states.push(format!("pending {}", waiter.pending.join(", ")));
    }
    if !waiter.failed.is_empty() {
        states.push(format!("failed {}", waiter.failed.join(", ")));
    }
    let states = match states.len() {
        0 => String::new(),
        _ => format!(" ({})", states.join("; ")),
    };
    format!(
        "--wait polls {} {end}{states}; defaults: --wait-timeout {}, --wait-poll {} \
         (the first poll after {})",
        waiter.poll, waiter.timeout, waiter.interval, waiter.delay
    )
}

/// `<operationId> --help`: the operation, its parameters, its body and its answer.
fn describe(op: &Op) -> String {
    let mut text = format!(
        "{}: {} {}{}\n",
        op.id,
        op.method,
        atlas_endpoints::DEFAULT_API_PREFIX,
        op.path
    );
    let state = if dispatch(op.id).is_some() {
        "enabled"
    } else {
        "not enabled in this build"
    };
    let _ = writeln!(
        text,
        "feature: {} ({state}){}",
        op.feature,
        if op.deprecated { "; deprecated" } else { "" }
    );
    let answer = match op.answer {
        Answer::Json(model) => format!("{model}, as JSON"),
        Answer::Listing(model) => {
            format!("a listing of {model}: the first page as {{results, totalCount, links}}; --all: every item, one a line")
        }
        Answer::Page(model) => format!("one page of {model}, as {{results, totalCount, links}}"),
        Answer::Nothing => "no content".to_owned(),
        Answer::Download(format) => format!("a {format} file, to --output or standard output"),
    };
    let _ = writeln!(text, "answer: {answer}");
    match op.body {
        Some((model, required)) => {
            let needed = if required { "required" } else { "optional" };
            let _ = writeln!(
                text,
                "body: {model} ({needed}): --body <json> or --body @<file>"
            );
        }
        None => text.push_str("body: none\n"),
    }
    match &op.wait {
        Some(waiter) => {
            let _ = writeln!(text, "wait: {}", describe_wait(waiter));
        }
        None => text.push_str("wait: none (no waiter: --wait is refused)\n"),
    }
    if op.params.is_empty() {
        text.push_str("parameters: none\n");
        return text;
    }
    text.push_str("parameters:\n");
    let rows: Vec<[String; 5]> = op
        .params
        .iter()
        .map(|p| {
            [
                format!("--{}", p.name),
                format!("{:?}", p.place).to_lowercase(),
                p.ty.to_owned(),
                if p.required { "required" } else { "optional" }.to_owned(),
                p.rules.to_owned(),
            ]
        })
        .collect();
    let header = ["NAME", "PLACE", "TYPE", "REQUIRED", "CONSTRAINTS"].map(str::to_owned);
    let mut widths = [0; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(text, "  {}", line.join("  ").trim_end());
    }
    text
}
