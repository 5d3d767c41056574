//! Retry and backoff policy, `Retry-After` and quota headers.
//!
//! What is retried (DESIGN.md 5): connection failures, 429, 502, 503 and 504, with exponential
//! backoff and full jitter, capped at [`RetryPolicy::max_delay`]. A 429's `Retry-After` (or
//! `quota-reset-UTC`) is honoured up to [`RetryPolicy::max_retry_wait`]; a longer wait gives a
//! [`crate::ErrorKind::RateLimited`] error carrying the wait. A request that is not idempotent (a
//! reply) is retried only when it provably did not reach the server: a failed connection or a
//! 429.

use std::time::{Duration, SystemTime};

use rand::Rng;

use crate::transport::{HttpResponse, TransportErrorKind};

/// When and how often to retry.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The first backoff ceiling; doubles on each retry.
    pub base_delay: Duration,
    /// The largest backoff ceiling.
    pub max_delay: Duration,
    /// The longest server-requested wait (`Retry-After`, quota reset) that is honoured by
    /// waiting; a longer one fails with a rate-limit error at once.
    pub max_retry_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            max_retry_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The full-jitter backoff before retry number `retry` (0-based): uniform in
    /// `[0, min(max_delay, base_delay * 2^retry)]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }
}

/// Whether a status is retried (for idempotent requests).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Whether a transport failure may be retried. A request that is not idempotent is retried only
/// when it provably did not reach the server.
pub fn is_retryable_transport(kind: TransportErrorKind, idempotent: bool) -> bool {
    match kind {
        TransportErrorKind::Connect => true,
        TransportErrorKind::Timeout | TransportErrorKind::Other => idempotent,
    }
}

/// The wait a response asks for: `Retry-After` (seconds or an HTTP date), else the time until
/// `quota-reset-UTC` (RFC 3339, HTTP date, or epoch seconds/milliseconds).
pub fn requested_wait(resp: &HttpResponse) -> Option<Duration> {
    let now = SystemTime::now();
    if let Some(v) = resp.header("retry-after") {
        if let Some(d) = parse_wait(v, now) {
            return Some(d);
        }
    }
    resp.header("quota-reset-utc")
        .and_then(parse_instant)
        .map(|t| t.duration_since(now).unwrap_or(Duration::ZERO))
}

fn parse_wait(v: &str, now: SystemTime) -> Option<Duration> {
    let t = v.trim();
    if let Ok(secs) = t.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs.min(1.0e9)));
        }
        return None;
    }
    parse_instant(t).map(|at| at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn parse_instant(v: &str) -> Option<SystemTime> {
    let t = v.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        let ms = u64::try_from(dt.timestamp_millis()).ok()?;
        return Some(SystemTime::UNIX_EPOCH + Duration::from_millis(ms));
    }
    if let Ok(st) = httpdate::parse_http_date(t) {
        return Some(st);
    }
    if let Ok(n) = t.parse::<u64>() {
        let ms = if t.len() <= 10 {
            n.saturating_mul(1000)
        } else {
            n
        };
        return Some(SystemTime::UNIX_EPOCH + Duration::from_millis(ms));
    }
    None
}

/// The quota state a response reported.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quota {
    /// `quota-limit`.
    pub limit: Option<u64>,
    /// `quota-used`.
    pub used: Option<u64>,
    /// `quota-interval`.
    pub interval: Option<u64>,
    /// `quota-time-unit`.
    pub time_unit: Option<String>,
    /// `quota-reset-UTC`, as served.
    pub reset_utc: Option<String>,
}

impl Quota {
    /// Read the quota headers of a response (`None` when it has none).
    pub fn from_response(resp: &HttpResponse) -> Option<Quota> {
        let num = |k: &str| resp.header(k).and_then(|v| v.trim().parse::<u64>().ok());
        let q = Quota {
            limit: num("quota-limit"),
            used: num("quota-used"),
            interval: num("quota-interval"),
            time_unit: resp.header("quota-time-unit").map(str::to_string),
            reset_utc: resp.header("quota-reset-utc").map(str::to_string),
        };
        (q != Quota::default()).then_some(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn resp(headers: &[(&str, &str)]) -> HttpResponse {
        HttpResponse {
            status: 429,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Bytes::new(),
        }
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        let p = RetryPolicy::default();
        for retry in 0..40 {
            assert!(p.backoff(retry) <= p.max_delay);
        }
        assert!(p.backoff(0) <= p.base_delay);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            requested_wait(&resp(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        let future = chrono::Utc::now() + chrono::Duration::seconds(30);
        let w = requested_wait(&resp(&[("quota-reset-utc", &future.to_rfc3339())])).unwrap();
        assert!(
            w > Duration::from_secs(25) && w <= Duration::from_secs(30),
            "{w:?}"
        );
        assert_eq!(requested_wait(&resp(&[("retry-after", "soon")])), None);
    }

    #[test]
    fn reply_only_retried_when_not_sent() {
        assert!(is_retryable_transport(TransportErrorKind::Connect, false));
        assert!(!is_retryable_transport(TransportErrorKind::Timeout, false));
        assert!(!is_retryable_transport(TransportErrorKind::Other, false));
        assert!(is_retryable_transport(TransportErrorKind::Other, true));
    }
}
