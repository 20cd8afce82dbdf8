//! When and how long to wait before sending a failed request again.

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
/// [`max_retry_after`](RetryPolicy::max_retry_after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The bound of the first wait; each further wait doubles it.
    pub base_delay: Duration,
    /// The largest bound of a computed wait.
    pub max_delay: Duration,
    /// The longest `Retry-After` that is honoured; a longer one is cut to this.
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
    pub(crate) fn delay(&self, attempt: u32, headers: Option<&HeaderMap>) -> Duration {
        if let Some(retry_after) = headers.and_then(retry_after) {
            return retry_after.min(self.max_retry_after);
        }
        let exponent = attempt.saturating_sub(1).min(30);
        let bound = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        // Full jitter: spreads the retries of many clients instead of synchronising them.
        bound.mul_f64(fastrand::f64())
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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
        assert_eq!(policy.delay(1, Some(&headers)), Duration::from_secs(2));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        assert_eq!(policy.delay(1, Some(&headers)), policy.max_retry_after);
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
            Duration::ZERO
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
            assert!(policy.delay(attempt, None) <= bound);
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
