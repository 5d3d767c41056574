//! Fault injection ("chaos"): injected error statuses, latency and dropped connections.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// Rates (0..=1) of injected faults, applied per API request.
///
/// Error faults are decided **before** the handler runs, so an injected 429/5xx or dropped
/// connection never has a side effect (a reply answered with an injected 503 was not stored).
/// The one exception is `drop_after_rate`: the handler runs (and commits), then the connection is
/// closed without a response; use it to test durability and "never send twice" logic.
///
/// The error rates and the two drop rates are exclusive outcomes of one draw; when they add up
/// to more than 1 they are scaled down proportionally (so every request gets one of them).
/// Latency applies independently.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChaosConfig {
    /// Rate of injected `429 Too Many Requests` (with quota headers and `Retry-After`).
    pub rate_429: f64,
    /// Rate of injected `500 Internal Server Error`.
    pub rate_500: f64,
    /// Rate of injected `502 Bad Gateway`.
    pub rate_502: f64,
    /// Rate of injected `503 Service Unavailable`.
    pub rate_503: f64,
    /// Fixed extra latency added to every API request, in milliseconds.
    pub latency_ms: u64,
    /// Rate of latency spikes.
    pub latency_spike_rate: f64,
    /// Extra latency of a spike, in milliseconds.
    pub spike_ms: u64,
    /// Rate of connections closed without a response, before the handler runs.
    pub drop_rate: f64,
    /// Rate of connections closed without a response **after** the handler ran and committed.
    pub drop_after_rate: f64,
}

/// What chaos decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ChaosDecision {
    /// Extra latency before anything else.
    pub delay: Duration,
    /// An injected status (429, 500, 502 or 503) instead of running the handler.
    pub status: Option<u16>,
    /// Close the connection without a response, without running the handler.
    pub drop: bool,
    /// Run the handler, then close the connection without a response.
    pub drop_after: bool,
}

/// A chaos spec that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid chaos spec: {0}")]
pub struct ChaosParseError(pub String);

impl ChaosConfig {
    /// No faults at all.
    pub fn none() -> ChaosConfig {
        ChaosConfig::default()
    }

    /// Parse a spec such as `429=0.05,500=0.02,503=0.02,latency=5ms,spike=0.01:200ms,drop=0.01`.
    ///
    /// Keys: `429`, `500`, `502`, `503` (rates), `latency=DURATION` (fixed extra latency),
    /// `spike=RATE:DURATION`, `drop=RATE` (close before the handler), `dropafter=RATE` (close
    /// after the handler committed). Durations are `250ms`, `1.5s` or a bare number of
    /// milliseconds. Rates are in 0..=1 (a trailing `%` divides by 100: `5%`). An empty spec or
    /// `none` is no chaos.
    pub fn parse(spec: &str) -> Result<ChaosConfig, ChaosParseError> {
        let mut c = ChaosConfig::default();
        let spec = spec.trim_matches(|ch| matches!(ch, ' ' | '\t' | '\n' | '\r'));
        if spec.is_empty() || spec == "none" || spec == "off" {
            return Ok(c);
        }
        for part in spec.split(',') {
            let Some((key, value)) = part.split_once('=') else {
                return Err(ChaosParseError(format!(
                    "'{part}' is not KEY=VALUE (keys: 429, 500, 502, 503, latency, spike, drop, dropafter)"
                )));
            };
            match key {
                "429" => c.rate_429 = parse_rate(key, value)?,
                "500" => c.rate_500 = parse_rate(key, value)?,
                "502" => c.rate_502 = parse_rate(key, value)?,
                "503" => c.rate_503 = parse_rate(key, value)?,
                "drop" => c.drop_rate = parse_rate(key, value)?,
                "dropafter" | "drop_after" | "drop-after" => {
                    c.drop_after_rate = parse_rate(key, value)?
                }
                "latency" => c.latency_ms = parse_duration_ms(key, value)?,
                "spike" => {
                    let Some((rate, dur)) = value.split_once(':') else {
                        return Err(ChaosParseError(format!(
                            "spike must be RATE:DURATION (e.g. spike=0.01:200ms), got '{value}'"
                        )));
                    };
                    c.latency_spike_rate = parse_rate(key, rate)?;
                    c.spike_ms = parse_duration_ms(key, dur)?;
                }
                other => {
                    return Err(ChaosParseError(format!(
                        "unknown key '{other}' (keys: 429, 500, 502, 503, latency, spike, drop, dropafter)"
                    )))
                }
            }
        }
        c.validate()?;
        Ok(c)
    }

    /// Check that every rate is in 0..=1 and the durations are at most 600 s.
    pub fn validate(&self) -> Result<(), ChaosParseError> {
        let rates = [
            ("429", self.rate_429),
            ("500", self.rate_500),
            ("502", self.rate_502),
            ("503", self.rate_503),
            ("drop", self.drop_rate),
            ("dropafter", self.drop_after_rate),
            ("spike", self.latency_spike_rate),
        ];
        for (name, r) in rates {
            if !(0.0..=1.0).contains(&r) || r.is_nan() {
                return Err(ChaosParseError(format!("rate {name}={r} is outside 0..=1")));
            }
        }
        if self.latency_ms > 600_000 || self.spike_ms > 600_000 {
            return Err(ChaosParseError(
                "latency and spike durations are limited to 600s".into(),
            ));
        }
        Ok(())
    }

    fn exclusive_sum(&self) -> f64 {
        self.rate_429
            + self.rate_500
            + self.rate_502
            + self.rate_503
            + self.drop_rate
            + self.drop_after_rate
    }

    /// Whether any fault or latency is configured.
    pub fn is_active(&self) -> bool {
        self.exclusive_sum() > 0.0
            || self.latency_ms > 0
            || (self.latency_spike_rate > 0.0 && self.spike_ms > 0)
    }

    /// Decide the fate of one request. `limited` restricts the outcomes to 503 and latency (the
    /// token endpoint).
    pub(crate) fn decide(&self, rng: &mut Rng, limited: bool) -> ChaosDecision {
        let mut d = ChaosDecision {
            delay: Duration::from_millis(self.latency_ms),
            ..ChaosDecision::default()
        };
        if self.latency_spike_rate > 0.0 && rng.chance(self.latency_spike_rate) {
            d.delay += Duration::from_millis(self.spike_ms);
        }
        if self.exclusive_sum() <= 0.0 {
            return d;
        }
        let sum = self.exclusive_sum();
        let mut x = rng.f64() * sum.max(1.0);
        let outcomes: [(f64, u8); 6] = [
            (self.drop_rate, 1),
            (self.drop_after_rate, 2),
            (self.rate_429, 3),
            (self.rate_500, 4),
            (self.rate_502, 5),
            (self.rate_503, 6),
        ];
        for (rate, what) in outcomes {
            if x < rate {
                match what {
                    1 if !limited => d.drop = true,
                    2 if !limited => d.drop_after = true,
                    3 if !limited => d.status = Some(429),
                    4 if !limited => d.status = Some(500),
                    5 if !limited => d.status = Some(502),
                    6 => d.status = Some(503),
                    _ => {}
                }
                return d;
            }
            x -= rate;
        }
        d
    }
}

impl fmt::Display for ChaosConfig {
    /// The spec form accepted by [`ChaosConfig::parse`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for (k, v) in [
            ("429", self.rate_429),
            ("500", self.rate_500),
            ("502", self.rate_502),
            ("503", self.rate_503),
        ] {
            if v > 0.0 {
                parts.push(format!("{k}={v}"));
            }
        }
        if self.latency_ms > 0 {
            parts.push(format!("latency={}ms", self.latency_ms));
        }
        if self.latency_spike_rate > 0.0 {
            parts.push(format!(
                "spike={}:{}ms",
                self.latency_spike_rate, self.spike_ms
            ));
        }
        if self.drop_rate > 0.0 {
            parts.push(format!("drop={}", self.drop_rate));
        }
        if self.drop_after_rate > 0.0 {
            parts.push(format!("dropafter={}", self.drop_after_rate));
        }
        if parts.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&parts.join(","))
        }
    }
}

impl std::str::FromStr for ChaosConfig {
    type Err = ChaosParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChaosConfig::parse(s)
    }
}

/// A plain decimal number: digits, optionally a dot and more digits.
fn plain_number(text: &str) -> Option<f64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    text.parse().ok()
}

fn parse_rate(key: &str, value: &str) -> Result<f64, ChaosParseError> {
    let (num, scale) = match value.strip_suffix('%') {
        Some(n) => (n, 100.0),
        None => (value, 1.0),
    };
    let r = plain_number(num).ok_or_else(|| {
        ChaosParseError(format!("{key}: '{value}' is not a rate (e.g. 0.05 or 5%)"))
    })? / scale;
    if !(0.0..=1.0).contains(&r) {
        return Err(ChaosParseError(format!(
            "{key}: rate '{value}' is outside 0..=1"
        )));
    }
    Ok(r)
}

/// Parse `250ms`, `1.5s` or a bare number of milliseconds (at most 600 s).
pub(crate) fn parse_duration_ms(key: &str, value: &str) -> Result<u64, ChaosParseError> {
    let bad = || {
        ChaosParseError(format!(
            "{key}: '{value}' is not a duration of at most 600s (e.g. 250ms, 1.5s)"
        ))
    };
    let (num, factor) = if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (value, 1.0)
    };
    let x = plain_number(num).ok_or_else(bad)?;
    if x * factor > 600_000.0 {
        return Err(bad());
    }
    Ok((x * factor).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_spec() {
        let c =
            ChaosConfig::parse("429=0.05,500=0.02,503=0.02,latency=5ms,spike=0.01:200ms,drop=0.01")
                .unwrap();
        assert_eq!(c.rate_429, 0.05);
        assert_eq!(c.rate_500, 0.02);
        assert_eq!(c.rate_503, 0.02);
        assert_eq!(c.latency_ms, 5);
        assert_eq!(c.latency_spike_rate, 0.01);
        assert_eq!(c.spike_ms, 200);
        assert_eq!(c.drop_rate, 0.01);
        assert_eq!(ChaosConfig::parse(&c.to_string()).unwrap(), c);
        assert_eq!(ChaosConfig::parse("").unwrap(), ChaosConfig::none());
        assert_eq!(ChaosConfig::parse("latency=1.5s").unwrap().latency_ms, 1500);
        assert_eq!(ChaosConfig::parse("503=50%").unwrap().rate_503, 0.5);
    }

    #[test]
    fn rejects_bad_specs() {
        for bad in [
            "429",
            "429=2",
            "600=0.1",
            "latency=fast",
            "spike=0.1",
            "503=1e-3",
            "DROP=1",
            "503=0.1, 500=0.1",
            "503=0.1,,500=0.1",
            "latency=700s",
        ] {
            assert!(ChaosConfig::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rates_are_roughly_applied() {
        let c = ChaosConfig::parse("503=0.25,500=0.25").unwrap();
        let mut rng = Rng::new(7);
        let n = 10_000;
        let mut s503 = 0;
        let mut s500 = 0;
        for _ in 0..n {
            match c.decide(&mut rng, false).status {
                Some(503) => s503 += 1,
                Some(500) => s500 += 1,
                _ => {}
            }
        }
        assert!((2200..2800).contains(&s503), "{s503}");
        assert!((2200..2800).contains(&s500), "{s500}");
        // Rates adding up to more than 1 are scaled down: every request gets a fault.
        let over = ChaosConfig::parse("503=0.8,500=0.8").unwrap();
        let (mut a, mut b) = (0, 0);
        for _ in 0..1000 {
            match over.decide(&mut rng, false).status {
                Some(503) => a += 1,
                Some(500) => b += 1,
                other => panic!("{other:?}"),
            }
        }
        assert!((400..600).contains(&a) && a + b == 1000, "{a} {b}");
        let all = ChaosConfig::parse("500=1").unwrap();
        assert_eq!(all.decide(&mut rng, true).status, None);
        assert_eq!(all.decide(&mut rng, false).status, Some(500));
    }
}
