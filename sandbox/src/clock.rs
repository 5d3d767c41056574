//! The sandbox clock: a fixed start time that runs at real speed and can be advanced.

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};

/// The default start of the sandbox clock (seeded data lies in the ~60 days before it).
pub fn default_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

#[derive(Debug)]
struct State {
    /// The sandbox time at `anchor`.
    base_ms: i64,
    anchor: Instant,
}

/// A monotonic clock: `base + real time elapsed`, movable forward only.
#[derive(Debug)]
pub(crate) struct Clock {
    state: Mutex<State>,
}

impl Clock {
    pub(crate) fn new(start: DateTime<Utc>) -> Clock {
        Clock {
            state: Mutex::new(State {
                base_ms: start.timestamp_millis(),
                anchor: Instant::now(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Now, in epoch milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        let s = self.lock();
        s.base_ms + s.anchor.elapsed().as_millis() as i64
    }

    /// Now, in whole epoch seconds.
    pub(crate) fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Now, as a date-time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }

    /// Move forward by `ms` milliseconds (negative values are ignored).
    pub(crate) fn advance_ms(&self, ms: i64) {
        let mut s = self.lock();
        let now = s.base_ms + s.anchor.elapsed().as_millis() as i64;
        s.base_ms = now.saturating_add(ms.max(0));
        s.anchor = Instant::now();
    }

    /// Set to `to_ms`; refused (returns false) if that is before now.
    pub(crate) fn set_ms(&self, to_ms: i64) -> bool {
        let mut s = self.lock();
        let now = s.base_ms + s.anchor.elapsed().as_millis() as i64;
        if to_ms < now {
            return false;
        }
        s.base_ms = to_ms;
        s.anchor = Instant::now();
        true
    }

    /// Reset to a start time (used by `/_sandbox/reset`; may move backwards).
    pub(crate) fn reset(&self, start_ms: i64) {
        let mut s = self.lock();
        s.base_ms = start_ms;
        s.anchor = Instant::now();
    }
}

/// Format epoch seconds as RFC 3339 UTC with a `Z` (`2026-11-26T10:00:00Z`).
pub(crate) fn rfc3339_secs(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Format epoch milliseconds as RFC 3339 UTC with milliseconds.
pub(crate) fn rfc3339_ms(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_only() {
        let c = Clock::new(default_start());
        let t0 = c.now_ms();
        assert!(t0 >= default_start().timestamp_millis());
        c.advance_ms(3_600_000);
        assert!(c.now_ms() >= t0 + 3_600_000);
        assert!(!c.set_ms(t0));
        assert!(c.set_ms(t0 + 7_200_000));
        assert_eq!(rfc3339_secs(0), "1970-01-01T00:00:00Z");
    }
}
