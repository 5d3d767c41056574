//! Per-client request quotas, reported in the `quota-*` headers of every API response.
//!
//! Windows are fixed, aligned to the real (wall-clock) epoch: a client waits in real time, so
//! `quota-reset-UTC` and `Retry-After` are real times, not sandbox-clock times.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The unit of a quota interval, as sent in `quota-time-unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
}

impl TimeUnit {
    fn millis(self) -> u64 {
        match self {
            TimeUnit::Second => 1_000,
            TimeUnit::Minute => 60_000,
            TimeUnit::Hour => 3_600_000,
            TimeUnit::Day => 86_400_000,
        }
    }

    /// The header spelling (`second`, `minute`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Second => "second",
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
        }
    }
}

/// A request quota per API client: `limit` requests per `interval` `time_unit`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaConfig {
    /// Requests allowed per window.
    pub limit: u64,
    /// The window length in `time_unit`s (at least 1).
    pub interval: u32,
    /// The window's unit.
    pub time_unit: TimeUnit,
}

impl Default for QuotaConfig {
    /// 6000 requests per minute.
    fn default() -> Self {
        QuotaConfig {
            limit: 6000,
            interval: 1,
            time_unit: TimeUnit::Minute,
        }
    }
}

impl fmt::Display for QuotaConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.interval == 1 {
            write!(f, "{}/{}", self.limit, self.time_unit.as_str())
        } else {
            write!(
                f,
                "{}/{}{}",
                self.limit,
                self.interval,
                self.time_unit.as_str()
            )
        }
    }
}

impl QuotaConfig {
    /// Parse `6000/minute`, `100/10second`, `1000000/hour` or a bare `6000` (per minute).
    pub fn parse(spec: &str) -> Result<QuotaConfig, String> {
        let spec = spec.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        let (limit, per) = spec.split_once('/').unwrap_or((spec, "minute"));
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(limit) {
            return Err(format!(
                "invalid quota '{spec}': the limit must be an integer"
            ));
        }
        let limit: u64 = limit
            .parse()
            .map_err(|_| format!("invalid quota '{spec}': the limit is too large"))?;
        if limit == 0 || limit > i64::MAX as u64 {
            return Err(format!(
                "invalid quota '{spec}': the limit must be between 1 and {}",
                i64::MAX
            ));
        }
        let n: String = per.chars().take_while(|c| c.is_ascii_digit()).collect();
        let unit_text = &per[n.len()..];
        let interval: u32 = if n.is_empty() {
            1
        } else {
            n.parse()
                .map_err(|_| format!("invalid quota '{spec}': the interval is too large"))?
        };
        if interval == 0 {
            return Err(format!(
                "invalid quota '{spec}': the interval must be at least 1"
            ));
        }
        let time_unit = match unit_text {
            "s" | "sec" | "second" | "seconds" => TimeUnit::Second,
            "m" | "min" | "minute" | "minutes" => TimeUnit::Minute,
            "h" | "hour" | "hours" => TimeUnit::Hour,
            "d" | "day" | "days" => TimeUnit::Day,
            _ => {
                return Err(format!(
                    "invalid quota '{spec}': expected LIMIT/[N]second|minute|hour|day"
                ))
            }
        };
        Ok(QuotaConfig {
            limit,
            interval,
            time_unit,
        })
    }

    /// Check the limit and interval are usable.
    pub fn validate(&self) -> Result<(), String> {
        if self.limit == 0 || self.limit > i64::MAX as u64 {
            return Err(format!("quota limit must be between 1 and {}", i64::MAX));
        }
        if self.interval == 0 {
            return Err("quota interval must be at least 1".into());
        }
        Ok(())
    }

    fn window_ms(&self) -> u64 {
        self.time_unit
            .millis()
            .saturating_mul(u64::from(self.interval.max(1)))
    }
}

/// The quota state of one client after (or without) counting a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuotaStatus {
    pub config: QuotaConfig,
    pub used: u64,
    /// End of the current window, epoch milliseconds (real time).
    pub reset_ms: u64,
    /// Whether this request was over the limit (and so not counted).
    pub exceeded: bool,
    /// Real now, epoch milliseconds.
    pub now_ms: u64,
}

impl QuotaStatus {
    /// Whole seconds until the window resets (at least 1).
    pub fn retry_after_secs(&self) -> u64 {
        self.reset_ms
            .saturating_sub(self.now_ms)
            .div_ceil(1000)
            .max(1)
    }

    /// `quota-reset-UTC` as RFC 3339 UTC.
    pub fn reset_utc(&self) -> String {
        crate::clock::rfc3339_secs((self.reset_ms / 1000) as i64)
    }
}

/// Counters per client.
#[derive(Debug)]
pub(crate) struct Quotas {
    config: Mutex<QuotaConfig>,
    counters: Mutex<HashMap<String, (u64, u64)>>,
}

fn real_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Quotas {
    pub(crate) fn new(config: QuotaConfig) -> Quotas {
        Quotas {
            config: Mutex::new(config),
            counters: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn config(&self) -> QuotaConfig {
        *self.config.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn set_config(&self, c: QuotaConfig) {
        *self.config.lock().unwrap_or_else(|p| p.into_inner()) = c;
        self.clear();
    }

    pub(crate) fn clear(&self) {
        self.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Count a request for `client` (if under the limit) and report the state.
    pub(crate) fn hit(&self, client: &str, count: bool) -> QuotaStatus {
        let config = self.config();
        let now = real_now_ms();
        let window = config.window_ms().max(1);
        let index = now / window;
        let reset_ms = (index + 1) * window;
        let mut counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        let entry = match counters.get_mut(client) {
            Some(e) => e,
            None => counters.entry(client.to_string()).or_insert((index, 0)),
        };
        if entry.0 != index {
            *entry = (index, 0);
        }
        let mut exceeded = false;
        if count {
            if entry.1 >= config.limit {
                exceeded = true;
            } else {
                entry.1 += 1;
            }
        }
        QuotaStatus {
            config,
            used: entry.1,
            reset_ms,
            exceeded,
            now_ms: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_specs() {
        assert_eq!(
            QuotaConfig::parse("6000/minute").unwrap(),
            QuotaConfig::default()
        );
        assert_eq!(QuotaConfig::parse("6000").unwrap(), QuotaConfig::default());
        let q = QuotaConfig::parse("100/10second").unwrap();
        assert_eq!(
            (q.limit, q.interval, q.time_unit),
            (100, 10, TimeUnit::Second)
        );
        assert_eq!(QuotaConfig::parse(&q.to_string()).unwrap(), q);
        assert!(QuotaConfig::parse("0/minute").is_err());
        assert!(QuotaConfig::parse("x").is_err());
        assert!(QuotaConfig::parse("5/fortnight").is_err());
        assert!(QuotaConfig::parse("5 /minute").is_err());
        assert!(QuotaConfig::parse("+5").is_err());
        assert_eq!(QuotaConfig::parse(" 5\t").unwrap().limit, 5);
    }

    #[test]
    fn counts_and_limits() {
        let q = Quotas::new(QuotaConfig::parse("2/hour").unwrap());
        assert!(!q.hit("a", true).exceeded);
        assert_eq!(q.hit("a", true).used, 2);
        let s = q.hit("a", true);
        assert!(s.exceeded);
        assert!(s.retry_after_secs() >= 1);
        assert!(!q.hit("b", true).exceeded);
        assert_eq!(q.hit("a", false).used, 2);
    }
}
