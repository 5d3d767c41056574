//! Keeping secrets out of output.
//!
//! [`Secret`] wraps a client secret or token: its `Debug` and `Display` print `[REDACTED]`.
//! Every secret the client handles is also registered here, and [`scrub`] replaces any registered
//! secret (and anything after `Bearer `) in a text. Error messages and log lines pass through
//! [`scrub`], so a server that echoes a token back cannot leak it through an error.

use std::fmt;
use std::sync::{OnceLock, RwLock};

/// The text that replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// A secret string (client secret, access token, SSO token).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap a secret, registering it for scrubbing.
    pub fn new(value: impl Into<String>) -> Secret {
        let value = value.into();
        register(&value);
        Secret(value)
    }

    /// The secret itself: only for putting it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

fn registry() -> &'static RwLock<Vec<String>> {
    static REG: OnceLock<RwLock<Vec<String>>> = OnceLock::new();
    REG.get_or_init(|| RwLock::new(Vec::new()))
}

/// The most secrets remembered; older ones are forgotten first (tokens rotate hourly).
const MAX_REGISTERED: usize = 256;

/// Register a secret so that [`scrub`] removes it. Secrets shorter than 6 characters are not
/// registered (they would match ordinary words).
pub fn register(secret: &str) {
    if secret.len() < 6 {
        return;
    }
    if let Ok(mut reg) = registry().write() {
        if reg.iter().any(|s| s == secret) {
            return;
        }
        if reg.len() >= MAX_REGISTERED {
            reg.remove(0);
        }
        reg.push(secret.to_string());
    }
}

/// Replace every registered secret, and the word after `Bearer `, with `[REDACTED]`.
pub fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    if let Ok(reg) = registry().read() {
        for s in reg.iter() {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
    }
    for marker in ["Bearer ", "bearer "] {
        let mut from = 0;
        while let Some(pos) = out[from..].find(marker) {
            let start = from + pos + marker.len();
            let end = out[start..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',')
                .map_or(out.len(), |e| start + e);
            if end > start && &out[start..end] != REDACTED {
                out.replace_range(start..end, REDACTED);
                from = start + REDACTED.len();
            } else {
                // Nothing replaced: go on after the word (always a char boundary).
                from = end;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let s = Secret::new("super-secret-value-123");
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{s}"), REDACTED);
        assert_eq!(
            scrub("token super-secret-value-123 leaked"),
            "token [REDACTED] leaked"
        );
        assert_eq!(
            scrub("Authorization: Bearer abc.def-ghi, next"),
            "Authorization: Bearer [REDACTED], next"
        );
    }

    #[test]
    fn scrub_handles_an_empty_bearer_word_before_multibyte_text() {
        // Found by the filter_parse fuzz target: `from` landed inside a multi-byte character.
        assert_eq!(scrub("bearer ,棛x"), "bearer ,棛x");
        assert_eq!(scrub("6bearer  \u{5bb0a} w"), "6bearer  \u{5bb0a} w");
        assert_eq!(
            scrub("Bearer \"棛 Bearer tok"),
            "Bearer \"棛 Bearer [REDACTED]"
        );
        let fuzzed = "filter segment '60-6-15T23:3127,棛6bearer ,------\u{5bb0a}\0w29:27,棛6bearer ---- \u{5bb0a}'";
        assert!(scrub(fuzzed).contains('\u{5bb0a}'));
    }
}
