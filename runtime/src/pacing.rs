//! Client-side pacing: keeps a client under the rate limit Atlas tells it about, so concurrent
//! calls meet few or no `429 Too Many Requests`.
//!
//! Atlas limits requests per endpoint set and scope (project or organization), and says where
//! a client stands in `RateLimit-Limit` and `RateLimit-Remaining` on its answers; a `429`
//! carries `Retry-After`. It does not say when its window refills. So the pacer, per endpoint
//! and first path value (the project or organization, for almost every endpoint):
//!
//! - while no answer has carried `RateLimit-Remaining`, sends as it is asked (nothing is
//!   known, and nothing is paced);
//! - otherwise lets at most the announced remaining requests go, less those already on their
//!   way, before the next answer says more;
//! - once none remain and none is in flight, sends one probe a second ([`PROBE_INTERVAL`])
//!   and holds the others until its answer;
//! - after a `429`, holds every request of that key until its `Retry-After` (or a second)
//!   has passed, then sends one probe first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::retry::retry_after;

/// How long the pacer waits, with no request left in the window and none in flight, before it
/// sends one request to learn whether the window has refilled; also the hold after a `429`
/// without `Retry-After`.
pub(crate) const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// The pacer of one client and its clones.
pub(crate) struct Pacer {
    keys: Mutex<HashMap<Arc<str>, Window>>,
    changed: Notify,
    /// The longest `Retry-After` the pacer holds requests for: the retry policy's
    /// `max_retry_after`.
    max_hold: Duration,
}

/// What the pacer knows of one key's window.
#[derive(Default, Debug)]
struct Window {
    /// Requests that may still be sent before an answer says more; `None` when no answer has
    /// said anything (or the last one said nothing), and nothing is paced.
    remaining: Option<u64>,
    /// Requests sent and not yet answered.
    in_flight: u64,
    /// Nothing is sent before this instant (after a `429`).
    held_until: Option<Instant>,
    /// With none remaining and none in flight: when one probe may go.
    probe_at: Option<Instant>,
    /// Requests sent so far, numbering each.
    sent: u64,
    /// The number of the request whose answer last set `remaining`: an answer to an earlier
    /// one, overtaken on its way, may only lower it.
    applied: u64,
}

/// What a request waits for before it may be sent.
enum Wait {
    Until(Instant),
    Answer,
}

impl Window {
    /// Takes a place for one request, numbered; or says what to wait for.
    fn try_take(&mut self, now: Instant) -> Result<u64, Wait> {
        if let Some(until) = self.held_until {
            if now < until {
                return Err(Wait::Until(until));
            }
            // The hold is over: one probe first, the others once it is answered.
            self.held_until = None;
            self.remaining = Some(1);
        }
        match self.remaining {
            None => {}
            Some(0) if self.in_flight > 0 => return Err(Wait::Answer),
            Some(0) => {
                let probe_at = *self.probe_at.get_or_insert(now + PROBE_INTERVAL);
                if now < probe_at {
                    return Err(Wait::Until(probe_at));
                }
                self.probe_at = None;
            }
            Some(left) => self.remaining = Some(left - 1),
        }
        self.in_flight += 1;
        self.sent += 1;
        Ok(self.sent)
    }

    fn answered(
        &mut self,
        number: u64,
        status: Option<StatusCode>,
        headers: Option<&HeaderMap>,
        now: Instant,
        max_hold: Duration,
    ) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let Some(headers) = headers else {
            return;
        };
        if status == Some(StatusCode::TOO_MANY_REQUESTS) {
            let wait = retry_after(headers).unwrap_or(PROBE_INTERVAL);
            self.probe_at = None;
            if wait <= max_hold {
                self.held_until = Some(now + wait);
                self.remaining = Some(0);
            } else {
                // Longer than any call waits (`max_retry_after`): holding would only turn the
                // server's answer into timeouts, so each call meets it and says so.
                self.remaining = None;
            }
            return;
        }
        match remaining(headers) {
            Some(left) => {
                // Those still in flight were sent against the same allowance.
                let left = left.saturating_sub(self.in_flight);
                if number > self.applied {
                    self.applied = number;
                    self.remaining = Some(left);
                } else {
                    self.remaining = Some(self.remaining.map_or(left, |known| known.min(left)));
                }
            }
            None => self.remaining = None,
        }
        self.probe_at = None;
    }

    /// Whether the window holds nothing worth keeping.
    fn is_idle(&self) -> bool {
        self.remaining.is_none() && self.in_flight == 0 && self.held_until.is_none()
    }
}

/// `RateLimit-Remaining`, when present and a number.
fn remaining(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("ratelimit-remaining")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// A request the pacer let go; tell it the answer with [`Permit::answered`]. Dropped without
/// an answer (a lost connection, a timeout), it only frees its place.
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
    key: &'a str,
    number: u64,
    done: bool,
}

impl Pacer {
    /// A pacer that holds requests after a `429` for at most `max_hold`.
    pub(crate) fn new(max_hold: Duration) -> Self {
        Pacer {
            keys: Mutex::default(),
            changed: Notify::new(),
            max_hold,
        }
    }

    /// Waits until a request of `key` may be sent.
    pub(crate) async fn acquire<'a>(&'a self, key: &'a Arc<str>) -> Permit<'a> {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let wait = {
                let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
                // The key is shared, not copied: a window comes and goes with its requests.
                let window = keys.entry(Arc::clone(key)).or_default();
                window.try_take(Instant::now())
            };
            match wait {
                Ok(number) => {
                    return Permit {
                        pacer: self,
                        key,
                        number,
                        done: false,
                    }
                }
                Err(Wait::Answer) => changed.await,
                Err(Wait::Until(at)) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = &mut changed => {}
                    }
                }
            }
        }
    }

    fn settle(
        &self,
        key: &str,
        number: u64,
        status: Option<StatusCode>,
        headers: Option<&HeaderMap>,
    ) {
        {
            let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(window) = keys.get_mut(key) {
                window.answered(number, status, headers, Instant::now(), self.max_hold);
                if window.is_idle() {
                    keys.remove(key);
                }
            }
        }
        self.changed.notify_waiters();
    }
}

impl Permit<'_> {
    /// The answer's status line and headers arrived: what they say about the limit is noted.
    pub(crate) fn answered(mut self, status: StatusCode, headers: &HeaderMap) {
        self.done = true;
        self.pacer
            .settle(self.key, self.number, Some(status), Some(headers));
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.pacer.settle(self.key, self.number, None, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const HOLD: Duration = Duration::from_secs(60);

    /// One header.
    fn header(name: &'static str, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    fn with_remaining(left: &'static str) -> HeaderMap {
        header("ratelimit-remaining", left)
    }

    /// Request `number` answered at `now` with `status` and `headers`, under the test's hold.
    fn answer(
        window: &mut Window,
        number: u64,
        status: StatusCode,
        headers: &HeaderMap,
        now: Instant,
    ) {
        window.answered(number, Some(status), Some(headers), now, HOLD);
    }

    /// A window whose one request, taken at the instant returned, was answered with `status`
    /// and `headers`.
    fn one_answered(status: StatusCode, headers: &HeaderMap) -> (Window, Instant) {
        let mut window = Window::default();
        let now = Instant::now();
        window.try_take(now).ok();
        answer(&mut window, 1, status, headers, now);
        (window, now)
    }

    #[test]
    fn without_headers_nothing_is_paced() {
        let mut window = Window::default();
        let now = Instant::now();
        for _ in 0..100 {
            assert!(window.try_take(now).is_ok());
        }
        answer(&mut window, 1, StatusCode::OK, &HeaderMap::new(), now);
        assert!(window.remaining.is_none());
    }

    #[test]
    fn the_remaining_count_less_those_in_flight_may_go() {
        let mut window = Window::default();
        let now = Instant::now();
        window.try_take(now).ok();
        window.try_take(now).ok();
        answer(&mut window, 1, StatusCode::OK, &with_remaining("3"), now);
        // One still in flight: two more may go, then the next waits for an answer.
        assert!(window.try_take(now).is_ok());
        assert!(window.try_take(now).is_ok());
        assert!(matches!(window.try_take(now), Err(Wait::Answer)));
    }

    #[test]
    fn an_answer_overtaken_on_its_way_only_lowers_the_count() {
        let mut window = Window::default();
        let now = Instant::now();
        let first = window.try_take(now).unwrap_or_default();
        let second = window.try_take(now).unwrap_or_default();
        answer(
            &mut window,
            second,
            StatusCode::OK,
            &with_remaining("5"),
            now,
        );
        // 5 less the first, still in flight.
        assert_eq!(window.remaining, Some(4));
        answer(
            &mut window,
            first,
            StatusCode::OK,
            &with_remaining("9"),
            now,
        );
        assert_eq!(window.remaining, Some(4), "the first answer is older news");
    }

    #[test]
    fn with_none_left_and_none_in_flight_one_probe_goes_a_second_later() {
        let (mut window, now) = one_answered(StatusCode::OK, &with_remaining("0"));
        assert!(matches!(window.try_take(now), Err(Wait::Until(at)) if at == now + PROBE_INTERVAL));
        let later = now + PROBE_INTERVAL;
        assert!(window.try_take(later).is_ok());
        assert!(matches!(window.try_take(later), Err(Wait::Answer)));
    }

    #[test]
    fn a_429_holds_every_request_until_retry_after_then_probes() {
        let (mut window, now) =
            one_answered(StatusCode::TOO_MANY_REQUESTS, &header("retry-after", "2"));
        let until = now + Duration::from_secs(2);
        assert!(matches!(window.try_take(now), Err(Wait::Until(at)) if at == until));
        assert!(window.try_take(until).is_ok());
        assert!(matches!(window.try_take(until), Err(Wait::Answer)));
    }

    #[test]
    fn a_retry_after_longer_than_calls_wait_holds_nothing() {
        let (mut window, now) = one_answered(
            StatusCode::TOO_MANY_REQUESTS,
            &header("retry-after", "3600"),
        );
        assert!(window.try_take(now).is_ok());
    }
}
