//! Waiting for an operation that settles after it answers: polling a read of the resource
//! until its state field reaches a target state, or until it is gone.
//!
//! A declaration says what to poll (`wait(poll = get_cluster(group_id, &body.name, None,
//! None), state = state_name: ClusterStateName, pending = [..], target = [..])`); the
//! expansion hands the poll, already a [`Call`], to [`attach`], and [`Call::wait`] turns the
//! pair into a [`Wait`]: the call is sent, then the poll is sent again and again.

use std::any::Any;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use futures::stream::{BoxStream, StreamExt as _};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::call::{send_source, Call, Source};
use crate::error::{Error, ErrorKind, Result, WaitEnd, WaitFailure};

/// What a [`Call`] waits for after it answers: the resource `G` polled until it reaches a
/// target state. [`Call::wait`] yields the resource in that state.
///
/// Declared with `wait(...)` on an endpoint that returns `Call<T, WaitFor<G>>`.
pub struct WaitFor<G> {
    plan: Option<Box<Plan<G>>>,
    /// The resource a ready-made call ([`Call::ready_then`]) settles on, for test doubles.
    ready: Option<G>,
}

/// What a [`Call`] waits for after it answers: the resource `G` polled until it is gone
/// (`404`), as after a delete. [`Call::wait`] yields [`Gone`].
///
/// Declared with `wait(..., gone)` on an endpoint that returns `Call<T, WaitForGone<G>>`.
pub struct WaitForGone<G> {
    plan: Option<Box<Plan<G>>>,
}

/// What a wait for a deletion yields once the resource answers `404`, or reaches a target
/// state the declaration lists for it (`DELETED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Gone;

impl<G> Default for WaitFor<G> {
    fn default() -> Self {
        WaitFor {
            plan: None,
            ready: None,
        }
    }
}

impl<G> fmt::Debug for WaitFor<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitFor")
            .field("poll", &self.plan.as_ref().map(|plan| plan.rule.poll))
            .field("ready", &self.ready.is_some())
            .finish()
    }
}

impl<G> fmt::Debug for WaitForGone<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitForGone")
            .field("poll", &self.plan.as_ref().map(|plan| plan.rule.poll))
            .finish()
    }
}

impl<T, G> Call<T, WaitFor<G>> {
    /// A call that sends nothing, yields `value` when awaited and `resource` when waited for:
    /// what a test double returns from a method that waits. (A plain [`Call::ready`] of such
    /// a method has no resource to wait for: `.wait()` on it fails.) For a deletion,
    /// `Call::ready` alone is enough: its wait ends gone at once.
    ///
    /// ```
    /// use atlas_endpoints_runtime::{Call, WaitFor};
    ///
    /// let call: Call<u32, WaitFor<&str>> = Call::ready_then(7, "IDLE");
    /// assert!(call.endpoint().is_none());
    /// ```
    pub fn ready_then(value: T, resource: G) -> Self {
        Call::from_parts(
            Source::Ready(value),
            WaitFor {
                plan: None,
                ready: Some(resource),
            },
        )
    }
}

impl<G> Default for WaitForGone<G> {
    fn default() -> Self {
        WaitForGone { plan: None }
    }
}

/// How a polled state counts, as the declaration's lists say.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pending,
    Target,
    Failed,
    Unexpected,
}

/// The state of a polled resource and how it counts; `None` when the answer holds no state.
#[doc(hidden)]
pub type ReadState<G> = fn(&G) -> Option<(Verdict, String)>;

/// The states a declaration lists, as Atlas spells them, for messages.
#[doc(hidden)]
#[derive(Default)]
pub struct StateNames {
    pub pending: Vec<String>,
    pub target: Vec<String>,
    pub failed: Vec<String>,
}

/// The fixed part of a declared waiter: what is polled and for how long. The expansion
/// builds one `static` per waiter with [`WaitRule::new`] and its `const` setters.
#[doc(hidden)]
#[derive(Debug)]
pub struct WaitRule {
    poll: &'static str,
    gone: bool,
    timeout: Duration,
    delay: Duration,
    interval: Duration,
}

/// The defaults of a waiter that sets none: an hour at most, polled every 10 s after 5 s.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3600);
const DEFAULT_DELAY: Duration = Duration::from_secs(5);
const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);

impl WaitRule {
    /// A waiter that polls the method `poll` (its Rust name, for messages).
    pub const fn new(poll: &'static str) -> WaitRule {
        WaitRule {
            poll,
            gone: false,
            timeout: DEFAULT_TIMEOUT,
            delay: DEFAULT_DELAY,
            interval: DEFAULT_INTERVAL,
        }
    }

    /// The wait ends when the poll answers `404`.
    pub const fn gone(mut self) -> Self {
        self.gone = true;
        self
    }

    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub const fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub const fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }
}

/// The values a poll takes from the answer of the call, in the order of
/// [`DEFERRED`](crate::private::DEFERRED).
type Fill = Box<dyn Fn(&dyn Any) -> Vec<Option<String>> + Send + Sync>;

/// A declared waiter, attached to one call.
struct Plan<G> {
    poll: Source<G>,
    rule: &'static WaitRule,
    read: ReadState<G>,
    names: fn() -> StateNames,
    fill: Option<Fill>,
}

/// The state field of a polled resource, as the declaration names it: the enum itself, or an
/// `Option` of it. (The two impls cannot overlap: `E` is never `Option<E>`.)
#[doc(hidden)]
pub trait StateField<E> {
    fn state(&self) -> Option<&E>;
}

impl<E> StateField<E> for E {
    fn state(&self) -> Option<&E> {
        Some(self)
    }
}

impl<E> StateField<E> for Option<E> {
    fn state(&self) -> Option<&E> {
        self.as_ref()
    }
}

/// A state and how it counts, `classify` being the declaration's `match` on the enum.
#[doc(hidden)]
pub fn read_state<E: AsRef<str>>(
    state: Option<&E>,
    classify: fn(&E) -> Verdict,
) -> Option<(Verdict, String)> {
    state.map(|state| (classify(state), state.as_ref().to_owned()))
}

/// A listed state as Atlas spells it.
#[doc(hidden)]
pub fn state_name<E: AsRef<str>>(state: &E) -> String {
    state.as_ref().to_owned()
}

/// Where [`attach`] puts a plan: in a [`WaitFor`] or a [`WaitForGone`].
#[doc(hidden)]
pub trait Waiter<G>: Default {
    #[doc(hidden)]
    fn set_plan(&mut self, plan: PlanBox<G>);
}

/// A plan, boxed, as [`Waiter::set_plan`] takes it.
#[doc(hidden)]
pub struct PlanBox<G>(Box<Plan<G>>);

impl<G> Waiter<G> for WaitFor<G> {
    fn set_plan(&mut self, plan: PlanBox<G>) {
        self.plan = Some(plan.0);
    }
}

impl<G> Waiter<G> for WaitForGone<G> {
    fn set_plan(&mut self, plan: PlanBox<G>) {
        self.plan = Some(plan.0);
    }
}

/// Attaches a declared waiter to a call: `poll` is the read of the resource, built with
/// the call's own arguments (and [`DEFERRED`](crate::private::DEFERRED) stand-ins for values
/// that `fill` takes from the call's answer).
#[doc(hidden)]
pub fn attach<T: 'static, G, W: Waiter<G>, P>(
    call: Call<T, W>,
    poll: Call<G, P>,
    rule: &'static WaitRule,
    read: ReadState<G>,
    names: fn() -> StateNames,
    fill: fn(&T) -> Vec<Option<String>>,
) -> Call<T, W> {
    let (source, mut waiter) = call.into_parts();
    let fill: Fill =
        Box::new(move |answer: &dyn Any| answer.downcast_ref::<T>().map(fill).unwrap_or_default());
    waiter.set_plan(PlanBox(Box::new(Plan {
        poll: poll.into_parts().0,
        rule,
        read,
        names,
        fill: Some(fill),
    })));
    Call::from_parts(source, waiter)
}

impl<T, G> Call<T, WaitFor<G>>
where
    T: DeserializeOwned + Send + 'static,
    G: DeserializeOwned + Send + 'static,
{
    /// Sends the call, then polls the resource until it reaches its target state, and
    /// yields it in that state. Set the timeout and the intervals on the returned [`Wait`],
    /// or follow the states with [`Wait::states`].
    ///
    /// ```no_run
    /// # use atlas_endpoints_runtime::{Call, Result, WaitFor};
    /// # use std::time::Duration;
    /// # async fn run(call: Call<serde_json::Value, WaitFor<serde_json::Value>>) -> Result<()> {
    /// let cluster = call.wait().timeout(Duration::from_secs(2 * 3600)).await?;
    /// # Ok(()) }
    /// ```
    pub fn wait(self) -> Wait<G> {
        let (source, waiter) = self.into_parts();
        let ready = matches!(source, Source::Ready(_))
            .then_some(waiter.ready)
            .flatten();
        Wait::after(source, waiter.plan, reached).settled_on(ready.map(Some))
    }
}

/// The output of a wait for a target state: the resource in it (a `404` ends such a wait
/// with an error before it gets here).
fn reached<G>(resource: Option<G>) -> Option<G> {
    resource
}

impl<T, G> Call<T, WaitForGone<G>>
where
    T: DeserializeOwned + Send + 'static,
    G: DeserializeOwned + Send + 'static,
{
    /// Sends the call, then polls the resource until it is gone (`404`); yields [`Gone`].
    pub fn wait(self) -> Wait<G, Gone> {
        let (source, waiter) = self.into_parts();
        // A ready-made deletion (a test double's) is gone at once.
        let ready = matches!(source, Source::Ready(_)).then_some(None);
        Wait::after(source, waiter.plan, |_| Some(Gone)).settled_on(ready)
    }
}

/// One state a [`Wait`] saw: each change, and the end.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Observation<G> {
    /// The state as Atlas wrote it (`CREATING`); `None` when the resource is gone, or its
    /// answer held no state.
    pub state: Option<String>,
    /// The resource as the poll answered it; `None` once it is gone.
    pub resource: Option<G>,
    /// How long the wait had run, from sending the call.
    pub elapsed: Duration,
    /// How many polls had answered.
    pub polls: u32,
    /// Whether this is the last observation: the target state, or gone.
    pub done: bool,
}

/// The call a wait follows, sent: what it answers yields the values the poll takes from it.
type SentCall = Pin<Box<dyn Future<Output = Result<Vec<Option<String>>>> + Send>>;

/// The timing of a [`Wait`].
#[derive(Debug, Clone, Copy)]
struct Timing {
    timeout: Duration,
    delay: Duration,
    interval: Duration,
    /// `None`: a tenth of the interval.
    jitter: Option<Duration>,
}

/// A wait for a long-running operation: the call, then polls of its resource until it
/// reaches a target state (or is gone). Await it for the end; [`states`](Wait::states) for
/// each state on the way.
///
/// A poll that fails for a reason that passes (a `5xx`, `429`, a lost connection, a timed out
/// attempt) counts as "still pending"; a `404` is the end of a wait for a deletion and an
/// error ([`ErrorKind::Wait`]) otherwise; any other error ends the wait with that error. The
/// client renews a service account's token as the wait goes on, so a wait may outlive a
/// token. Dropping the wait stops it; the operation itself goes on in Atlas.
#[must_use = "a wait does nothing until it is awaited"]
pub struct Wait<G, O = G> {
    call: Option<SentCall>,
    plan: Option<Box<Plan<G>>>,
    /// For a ready-made call without a plan: what the wait ends on at once (the resource, or
    /// `None` for gone).
    settled: Option<Option<G>>,
    timing: Timing,
    output: fn(Option<G>) -> Option<O>,
}

impl<G, O> fmt::Debug for Wait<G, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("poll", &self.plan.as_ref().map(|plan| plan.rule.poll))
            .field("timing", &self.timing)
            .finish_non_exhaustive()
    }
}

impl<G: DeserializeOwned + Send + 'static, O: Send + 'static> Wait<G, O> {
    /// The wait after `source` is sent; `output` turns what the wait ends on (the resource,
    /// or `None` when gone) into what it yields.
    fn after<T: DeserializeOwned + Send + 'static>(
        source: Source<T>,
        mut plan: Option<Box<Plan<G>>>,
        output: fn(Option<G>) -> Option<O>,
    ) -> Self {
        let fill = plan.as_mut().and_then(|plan| plan.fill.take());
        let call = async move {
            let answer: T = send_source(source).await?;
            Ok(fill.map(|fill| fill(&answer)).unwrap_or_default())
        };
        let rule = plan.as_ref().map(|plan| plan.rule);
        Wait {
            call: Some(Box::pin(call)),
            plan,
            settled: None,
            timing: Timing {
                timeout: rule.map_or(DEFAULT_TIMEOUT, |rule| rule.timeout),
                delay: rule.map_or(DEFAULT_DELAY, |rule| rule.delay),
                interval: rule
                    .map_or(DEFAULT_INTERVAL, |rule| rule.interval)
                    .max(MIN_INTERVAL),
                jitter: None,
            },
            output,
        }
    }

    /// A ready-made call's wait ends at once on `settled` (see [`Call::ready_then`]).
    fn settled_on(mut self, settled: Option<Option<G>>) -> Self {
        if self.plan.is_none() {
            self.settled = settled;
        }
        self
    }

    /// The longest the polls may take, from sending the call to the end; then the wait fails
    /// with [`TimeoutKind::Wait`](crate::TimeoutKind::Wait), naming the last state seen. The
    /// declaration's default, else an hour; `Duration::MAX` for no limit. The call itself is
    /// bounded by its own timeout ([`Call::timeout`], the client's by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timing.timeout = timeout;
        self
    }

    /// How long after the call's answer the first poll is sent (Atlas may show the old
    /// state for a moment after a change). The declaration's default, else 5 s.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.timing.delay = delay;
        self
    }

    /// How long between polls, before jitter (at least 100 ms). The declaration's default,
    /// else 10 s. Polls count against Atlas's rate limits like any call.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.timing.interval = interval.max(MIN_INTERVAL);
        self
    }

    /// The most a random extra wait adds to each interval, so that many waits started
    /// together do not poll together; a tenth of the interval unless set, `Duration::ZERO`
    /// for none.
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.timing.jitter = Some(jitter);
        self
    }

    /// The states on the way: one [`Observation`] for each change of state, the last one
    /// with `done` set; an error ends the stream.
    ///
    /// ```no_run
    /// # use atlas_endpoints_runtime::{Call, Result, WaitFor};
    /// # async fn run(call: Call<serde_json::Value, WaitFor<serde_json::Value>>) -> Result<()> {
    /// use futures::StreamExt as _;
    ///
    /// let mut states = call.wait().states();
    /// while let Some(seen) = states.next().await {
    ///     let seen = seen?;
    ///     eprintln!("{:?} after {:?}", seen.state, seen.elapsed);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn states(self) -> BoxStream<'static, Result<Observation<G>>> {
        let Wait {
            call,
            plan,
            settled,
            timing,
            ..
        } = self;
        let stream = async_stream::stream! {
            let Some(plan) = plan else {
                match settled {
                    Some(resource) => yield Ok(Observation {
                        state: None,
                        resource,
                        elapsed: Duration::ZERO,
                        polls: 0,
                        done: true,
                    }),
                    None => yield Err(Error::config(
                        "a ready-made call (`Call::ready`) has no resource to wait for; a test double returns `Call::ready_then(value, resource)`",
                    )),
                }
                return;
            };
            // The wait's time runs from sending the call.
            let start = Instant::now();
            let mut polls = Polls::new(&plan, start, timing.timeout);
            let mut poll = match plan.poll {
                Source::Endpoint(poll) => poll,
                Source::Ready(_) => {
                    yield Err(Error::config(
                        "the poll of this wait is ready-made (`Call::ready`); there is nothing to poll",
                    ));
                    return;
                }
            };
            // A poll that would be refused is refused before the call it follows is sent.
            if let Some(refusal) = poll.refusal() {
                yield Err(refusal.with_added_note(format!(
                    "the poll of this wait ({}) would be refused, so nothing was sent",
                    plan.rule.poll
                )));
                return;
            }
            let deadline = later(start, timing.timeout);
            if let Some(call) = call {
                match call.await {
                    Ok(values) => poll.fill_deferred(&values),
                    Err(error) => {
                        yield Err(error);
                        return;
                    }
                }
            }
            tokio::time::sleep_until(deadline.min(later(Instant::now(), timing.delay))).await;
            loop {
                if Instant::now() >= deadline {
                    yield Err(polls.timed_out());
                    return;
                }
                let answer = tokio::time::timeout_at(deadline, poll.send_json::<G>()).await;
                match polls.judge(answer) {
                    Judged::Seen(seen) => {
                        let done = seen.done;
                        yield Ok(seen);
                        if done {
                            return;
                        }
                    }
                    Judged::Same => {}
                    Judged::End(error) => {
                        yield Err(error);
                        return;
                    }
                }
                let jitter = timing.jitter.unwrap_or(timing.interval / 10);
                let pause = timing.interval.saturating_add(jittered(jitter));
                tokio::time::sleep_until(deadline.min(later(Instant::now(), pause))).await;
            }
        };
        stream.boxed()
    }
}

/// `at + by`, or a point decades away when that does not fit an `Instant`
/// (`Wait::timeout(Duration::MAX)` means no limit).
fn later(at: Instant, by: Duration) -> Instant {
    const DECADES: Duration = Duration::from_secs(30 * 365 * 24 * 3600);
    at.checked_add(by)
        .or_else(|| at.checked_add(DECADES))
        .unwrap_or(at)
}

/// The shortest interval between polls: a zero one would poll in a loop against Atlas's
/// rate limits.
const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// A random pause of at most `jitter`.
fn jittered(jitter: Duration) -> Duration {
    let nanos = u64::try_from(jitter.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

/// What one poll came to.
enum Judged<G> {
    /// A new state (or the end).
    Seen(Observation<G>),
    /// The same state as before, or a failure that passes.
    Same,
    /// The wait is over, without its target.
    End(Error),
}

/// The polls of one wait so far: what they saw, to judge the next.
struct Polls<G> {
    rule: &'static WaitRule,
    read: ReadState<G>,
    names: fn() -> StateNames,
    start: Instant,
    timeout: Duration,
    count: u32,
    last_state: Option<String>,
    seen_any: bool,
    last_error: Option<Error>,
}

impl<G> Polls<G> {
    fn new(plan: &Plan<G>, start: Instant, timeout: Duration) -> Self {
        Polls {
            rule: plan.rule,
            read: plan.read,
            names: plan.names,
            start,
            timeout,
            count: 0,
            last_state: None,
            seen_any: false,
            last_error: None,
        }
    }

    fn judge(
        &mut self,
        answer: std::result::Result<Result<G>, tokio::time::error::Elapsed>,
    ) -> Judged<G> {
        let answer = match answer {
            Ok(answer) => answer,
            Err(_) => return Judged::End(self.timed_out()),
        };
        let resource = match answer {
            Ok(resource) => resource,
            Err(error)
                if error.kind() == ErrorKind::Api
                    && error.status() == Some(http::StatusCode::NOT_FOUND) =>
            {
                self.count = self.count.saturating_add(1);
                return if self.rule.gone {
                    Judged::Seen(self.observe(None, None, true))
                } else {
                    self.last_error = Some(error);
                    Judged::End(self.end(WaitEnd::Gone))
                };
            }
            Err(error) if passes(&error) => {
                tracing::debug!(poll = self.rule.poll, %error, "a poll failed; still waiting");
                self.last_error = Some(error);
                return Judged::Same;
            }
            Err(error) => return Judged::End(self.after_call(error)),
        };
        self.count = self.count.saturating_add(1);
        self.last_error = None;
        let (verdict, state) = match (self.read)(&resource) {
            Some((verdict, state)) => (verdict, Some(state)),
            // No state yet: still on its way.
            None => (Verdict::Pending, None),
        };
        let changed = !self.seen_any || state != self.last_state;
        self.last_state.clone_from(&state);
        match verdict {
            Verdict::Target => Judged::Seen(self.observe(state, Some(resource), true)),
            Verdict::Pending if changed => Judged::Seen(self.observe(state, Some(resource), false)),
            Verdict::Pending => Judged::Same,
            Verdict::Failed => Judged::End(self.end(WaitEnd::Failed)),
            Verdict::Unexpected => Judged::End(self.end(WaitEnd::Unexpected)),
        }
    }

    fn observe(
        &mut self,
        state: Option<String>,
        resource: Option<G>,
        done: bool,
    ) -> Observation<G> {
        self.seen_any = true;
        Observation {
            state,
            resource,
            elapsed: self.start.elapsed(),
            polls: self.count,
            done,
        }
    }

    /// A failed poll that ends the wait, saying that the call it follows was sent and
    /// answered: whatever the poll's error says, the operation is under way in Atlas.
    fn after_call(&self, error: Error) -> Error {
        error.with_added_note(format!(
            "while waiting: polling with {} failed after {} poll{}; the call the wait follows was sent and answered, so the operation is under way in Atlas",
            self.rule.poll,
            self.count,
            if self.count == 1 { "" } else { "s" }
        ))
    }

    fn timed_out(&mut self) -> Error {
        self.end(WaitEnd::TimedOut(self.timeout))
    }

    fn end(&mut self, end: WaitEnd) -> Error {
        let names = (self.names)();
        let mut expected = String::new();
        for (label, states) in [
            ("pending", &names.pending),
            ("target", &names.target),
            ("failed", &names.failed),
        ] {
            if !states.is_empty() {
                if !expected.is_empty() {
                    expected.push_str("; ");
                }
                expected.push_str(label);
                expected.push(' ');
                expected.push_str(&states.join(", "));
            }
        }
        if self.rule.gone {
            if !expected.is_empty() {
                expected.push_str("; ");
            }
            expected.push_str("done when gone (404)");
        }
        Error::wait(WaitFailure {
            end,
            poll: self.rule.poll,
            last_state: self.last_state.clone(),
            waited: self.start.elapsed(),
            polls: self.count,
            expected,
            last_error: self.last_error.take().map(Box::new),
        })
    }
}

/// Whether a failed poll leaves the wait going: the failures that pass with time.
fn passes(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Transport | ErrorKind::Timeout => true,
        // A token endpoint that is down for a moment (a wait outlives tokens).
        ErrorKind::Api | ErrorKind::Auth => error.status().is_some_and(|status| {
            status.is_server_error() || status == http::StatusCode::TOO_MANY_REQUESTS
        }),
        _ => false,
    }
}

impl<G: DeserializeOwned + Send + 'static, O: Send + 'static> IntoFuture for Wait<G, O> {
    type Output = Result<O>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<O>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let output = self.output;
        let mut states = self.states();
        Box::pin(async move {
            let mut last = None;
            while let Some(seen) = states.next().await {
                let seen = seen?;
                if seen.done {
                    last = Some(seen.resource);
                }
            }
            // The stream ends only on `done` or an error, so `None` does not come.
            last.and_then(output)
                .ok_or_else(|| Error::config("the wait ended without reaching its end"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(end: WaitEnd, last_state: Option<&str>) -> Error {
        Error::wait(WaitFailure {
            end,
            poll: "get_cluster",
            last_state: last_state.map(str::to_owned),
            waited: Duration::from_millis(95_400),
            polls: 4,
            expected: "pending CREATING; target IDLE".to_owned(),
            last_error: None,
        })
    }

    #[test]
    fn a_wait_error_names_the_state_the_time_and_what_was_expected() {
        let timed_out = failure(WaitEnd::TimedOut(Duration::from_secs(60)), Some("CREATING"));
        assert_eq!(timed_out.kind(), ErrorKind::Timeout);
        assert_eq!(timed_out.timeout_kind(), Some(crate::TimeoutKind::Wait));
        assert_eq!(timed_out.timeout_limit(), Some(Duration::from_secs(60)));
        assert_eq!(
            timed_out.to_string(),
            "the wait timed out: it passed the wait timeout (`Wait::timeout`) of 60 s \
             (last state CREATING, after 95 s and 4 polls; pending CREATING; target IDLE)"
        );
        let failed = failure(WaitEnd::Failed, Some("FAILED"));
        assert_eq!(failed.kind(), ErrorKind::Wait);
        assert_eq!(failed.last_state(), Some("FAILED"));
        assert_eq!(failed.waited(), Some((Duration::from_millis(95_400), 4)));
        assert_eq!(
            failed.to_string(),
            "get_cluster answered the failed state FAILED (after 95 s and 4 polls; pending \
             CREATING; target IDLE)"
        );
        let unexpected = failure(WaitEnd::Unexpected, Some("DELETING"));
        assert!(unexpected
            .to_string()
            .starts_with("get_cluster answered the unexpected state DELETING ("));
        let gone = failure(WaitEnd::Gone, None);
        assert!(gone.to_string().starts_with(
            "get_cluster answered 404: the resource is gone (no state seen, after 95 s"
        ));
    }

    #[test]
    fn a_state_from_the_server_is_shown_without_its_control_characters() {
        let hostile = failure(WaitEnd::Unexpected, Some("IDLE\n\u{1b}[2Jforged"));
        let message = hostile.to_string();
        assert!(
            !message.contains('\n') && !message.contains('\u{1b}'),
            "{message}"
        );
    }

    #[tokio::test]
    async fn a_test_double_settles_at_once() {
        let created: Call<u32, WaitFor<String>> = Call::ready_then(7, "IDLE".to_owned());
        assert_eq!(created.wait().await.expect("settled"), "IDLE");
        let deleted: Call<u32, WaitForGone<String>> = Call::ready(7);
        assert_eq!(deleted.wait().await.expect("gone"), Gone);
        let plain: Call<u32, WaitFor<String>> = Call::ready(7);
        let error = plain.wait().await.expect_err("nothing to wait for");
        assert!(error.to_string().contains("Call::ready_then"), "{error}");
    }

    #[test]
    fn jitter_stays_within_its_bound() {
        for _ in 0..1000 {
            assert!(jittered(Duration::from_millis(300)) <= Duration::from_millis(300));
        }
        assert_eq!(jittered(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn a_rule_keeps_its_declared_timing() {
        let rule = WaitRule::new("get_cluster")
            .gone()
            .timeout(Duration::from_secs(10_800))
            .delay(Duration::from_secs(30))
            .poll_interval(Duration::from_secs(15));
        assert!(rule.gone);
        assert_eq!(
            (rule.timeout, rule.delay, rule.interval),
            (
                Duration::from_secs(10_800),
                Duration::from_secs(30),
                Duration::from_secs(15)
            )
        );
        let default = WaitRule::new("get_cluster");
        assert_eq!(default.timeout, DEFAULT_TIMEOUT);
        assert!(!default.gone);
    }
}
