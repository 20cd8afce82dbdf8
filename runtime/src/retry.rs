//! When and how long to wait before sending a failed request again.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use http::header::RETRY_AFTER;
use http::{HeaderMap, StatusCode};

use crate::endpoint::{Endpoint, Method};

/// How a client retries requests that failed for reasons that may pass: `429 Too Many
/// Requests`, `502`, `503`, `504` and lost connections.
///
/// Only requests that are safe to repeat are retried: `GET`, `PUT` and `DELETE`, and `POST` or
/// `PATCH` endpoints declared `idempotent`. Waits grow exponentially with full jitter (a random
/// wait between zero and the exponential bound), and a server's `Retry-After` is honoured up to
/// [`max_retry_after`](RetryPolicy::max_retry_after): a longer one is not cut short (that
/// retry would meet a certain `429`), the call gives up at once with an error saying so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The bound of the first wait; each further wait doubles it.
    pub base_delay: Duration,
    /// The largest bound of a computed wait.
    pub max_delay: Duration,
    /// The longest `Retry-After` that is waited for; a server asking for longer is not
    /// retried, and the error says what it asked for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether a request to `endpoint` may be sent more than once.
    pub(crate) fn may_repeat(endpoint: &Endpoint) -> bool {
        match endpoint.method {
            Method::Get | Method::Put | Method::Delete => true,
            Method::Post | Method::Patch => endpoint.idempotent,
        }
    }

    /// Whether an answer with this status is worth another attempt.
    pub(crate) fn is_transient(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 502 | 503 | 504)
    }

    /// The wait before attempt `attempt + 1`, after `attempt` attempts failed.
    pub(crate) fn delay(&self, attempt: u32, headers: Option<&HeaderMap>) -> RetryWait {
        if let Some(retry_after) = headers.and_then(retry_after) {
            return match retry_after <= self.max_retry_after {
                true => RetryWait::For(retry_after),
                false => RetryWait::TooLong(retry_after),
            };
        }
        let exponent = attempt.saturating_sub(1).min(30);
        let bound = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        // Full jitter: spreads the retries of many clients instead of synchronising them.
        RetryWait::For(bound.mul_f64(fastrand::f64()))
    }
}

/// How long to wait before the next attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryWait {
    For(Duration),
    /// The server's `Retry-After`, longer than the policy waits: retrying sooner would meet
    /// a certain `429`, so the call gives up.
    TooLong(Duration),
}

/// A client-wide allowance of retries, shared by every clone of a client, so that a failing
/// Atlas is not stormed: many calls failing at once spend it, and then fail after their first
/// attempt instead of each retrying in full.
///
/// Modelled on the AWS SDKs' retry quota: a bucket of [`capacity`](RetryBudget::capacity)
/// tokens; each retry takes [`retry_cost`](RetryBudget::retry_cost) tokens
/// ([`timeout_retry_cost`](RetryBudget::timeout_retry_cost) after an attempt timed out); a call
/// that succeeds after retries gives its last retry's tokens back, and one that succeeds at
/// once adds [`success_refund`](RetryBudget::success_refund), up to the capacity. While the
/// bucket holds less than a retry costs, failures are not retried and the error says so.
///
/// The default (100 tokens, 5 a retry) allows 20 retries in a burst: 64 calls against an
/// Atlas that answers only `503` send 84 requests, not 192, and a healthy client earns a retry
/// back every 5 successes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryBudget {
    /// Tokens in a full bucket, which is where a client starts.
    pub capacity: u32,
    /// What a retry after a transient answer or a lost connection takes.
    pub retry_cost: u32,
    /// What a retry after a per-attempt timeout takes: such a failure costs the server more.
    pub timeout_retry_cost: u32,
    /// What a call that succeeds at its first attempt adds back.
    pub success_refund: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            capacity: 100,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

impl RetryBudget {
    /// No client-wide bound: each call retries as its [`RetryPolicy`] allows.
    pub fn unlimited() -> Self {
        RetryBudget {
            capacity: u32::MAX,
            retry_cost: 0,
            timeout_retry_cost: 0,
            success_refund: 0,
        }
    }
}

/// The tokens left of a client's [`RetryBudget`].
#[derive(Debug)]
pub(crate) struct RetryQuota {
    budget: RetryBudget,
    available: AtomicU32,
}

impl RetryQuota {
    pub(crate) fn new(budget: RetryBudget) -> Self {
        RetryQuota {
            budget,
            available: AtomicU32::new(budget.capacity),
        }
    }

    /// Takes the tokens of one retry (after a timeout, or not); `None` when too few are left.
    pub(crate) fn acquire(&self, after_timeout: bool) -> Option<u32> {
        let cost = match after_timeout {
            true => self.budget.timeout_retry_cost,
            false => self.budget.retry_cost,
        };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                left.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// Gives `tokens` back, up to the capacity.
    pub(crate) fn release(&self, tokens: u32) {
        let capacity = self.budget.capacity;
        // The closure always returns `Some`, so the update cannot fail.
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                Some(left.saturating_add(tokens).min(capacity))
            });
    }

    /// After a call succeeded: the tokens of its last retry back, or the refund of a call that
    /// needed none.
    pub(crate) fn succeeded(&self, last_retry_cost: Option<u32>) {
        self.release(last_retry_cost.unwrap_or(self.budget.success_refund));
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn retry_after_seconds_is_honoured_and_capped() {
        let policy = RetryPolicy::default();
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(
            policy.delay(1, Some(&headers)),
            RetryWait::For(Duration::from_secs(2))
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(
            policy.delay(1, Some(&headers)),
            RetryWait::TooLong(Duration::from_secs(3600))
        );
    }

    #[test]
    fn retry_after_in_the_past_means_now() {
        let mut headers = HeaderMap::new();
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(
            RetryPolicy::default().delay(1, Some(&headers)),
            RetryWait::For(Duration::ZERO)
        );
    }

    #[test]
    fn computed_waits_stay_within_the_exponential_bound() {
        let policy = RetryPolicy::default();
        for attempt in 1..40 {
            let bound = policy
                .base_delay
                .saturating_mul(1 << (attempt - 1).min(30))
                .min(policy.max_delay);
            match policy.delay(attempt, None) {
                RetryWait::For(wait) => assert!(wait <= bound),
                other => panic!("a computed wait is never too long: {other:?}"),
            }
        }
    }

    #[test]
    fn the_budget_is_spent_by_retries_and_refilled_by_successes() {
        let quota = RetryQuota::new(RetryBudget {
            capacity: 12,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        });
        assert_eq!(quota.acquire(false), Some(5));
        assert_eq!(quota.acquire(false), Some(5));
        assert_eq!(quota.acquire(false), None, "2 tokens left");
        assert_eq!(quota.acquire(true), None);
        quota.succeeded(None);
        quota.succeeded(None);
        quota.succeeded(None);
        assert_eq!(quota.acquire(false), Some(5), "3 successes earned a retry");
        quota.succeeded(Some(5));
        quota.succeeded(Some(5));
        quota.succeeded(Some(5));
        assert_eq!(
            quota.available.load(Ordering::Relaxed),
            12,
            "never above the capacity"
        );
        let unlimited = RetryQuota::new(RetryBudget::unlimited());
        for _ in 0..1000 {
            assert!(unlimited.acquire(true).is_some());
        }
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        for code in [429, 502, 503, 504] {
            assert!(RetryPolicy::is_transient(
                StatusCode::from_u16(code).unwrap()
            ));
        }
        for code in [400, 401, 404, 409, 410, 500, 501] {
            assert!(!RetryPolicy::is_transient(
                StatusCode::from_u16(code).unwrap()
            ));
        }
    }
}
