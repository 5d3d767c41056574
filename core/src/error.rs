//! The one public error type.
//!
//! Every failure is an [`Error`] with an [`ErrorKind`] (the same list in every language), the
//! HTTP status when there was a response, the request id (the error body's `transactionId` or the
//! `x-request-id` header), a retry-after hint, and the server's message. `Display` and `Debug`
//! never show a secret: messages built from server text are scrubbed of anything that looks like
//! a bearer token or a client secret (see [`crate::redact`]).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorKind {
    /// Bad credentials or a rejected token (401).
    Auth,
    /// Not allowed (403).
    Forbidden,
    /// No such result, case, user or profile (404).
    NotFound,
    /// The request was invalid: a 4xx other than the above, a backend validation message, or
    /// bad input caught before sending.
    Validation,
    /// Over quota (429), after honouring `Retry-After` up to the maximum wait.
    RateLimited,
    /// The server failed (5xx) after retries.
    Server,
    /// A timeout (connect, request or total).
    Timeout,
    /// The connection failed.
    Network,
    /// The response could not be decoded.
    Decode,
    /// The client is misconfigured (missing base URL or credentials, bad option values).
    Config,
}

impl ErrorKind {
    /// Every kind, in documentation order.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::Auth,
        ErrorKind::Forbidden,
        ErrorKind::NotFound,
        ErrorKind::Validation,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::Decode,
        ErrorKind::Config,
    ];

    /// The kind's name as used in every binding (`Auth`, `NotFound`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Auth => "Auth",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::Validation => "Validation",
            ErrorKind::RateLimited => "RateLimited",
            ErrorKind::Server => "Server",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Network => "Network",
            ErrorKind::Decode => "Decode",
            ErrorKind::Config => "Config",
        }
    }

    /// The kind for an HTTP error status.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            401 => ErrorKind::Auth,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Validation,
        }
    }

    /// Parse a kind name (as produced by [`ErrorKind::as_str`]).
    pub fn parse(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message the backend put in the envelope's `messages` list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ApiMessage {
    /// Message type (`error`, `warning`, ...).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Short title.
    #[serde(default)]
    pub title: String,
    /// Longer description.
    #[serde(default)]
    pub description: String,
}

/// The error body the gateway sends with a non-2xx status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Request id.
    #[serde(default)]
    pub transaction_id: String,
    /// Status, as a string.
    #[serde(default)]
    pub status: String,
    /// Error name.
    #[serde(default)]
    pub name: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
    /// Extra information.
    #[serde(default)]
    pub info: String,
}

/// The error of every fallible operation in this crate (boxed: one pointer wide).
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    body: Option<ErrorBody>,
    messages: Vec<ApiMessage>,
}

impl Error {
    /// A new error of a kind with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        // A message quoting a huge argument (a 1 MB event name or URL) is clipped.
        Error(Box::new(Inner {
            kind,
            message: clip(crate::redact::scrub(&message.into())),
            status: None,
            request_id: None,
            retry_after: None,
            body: None,
            messages: Vec::new(),
        }))
    }

    /// A validation error (bad input).
    pub fn validation(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Validation, message)
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    /// A decode error.
    pub fn decode(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Decode, message)
    }

    /// Set the HTTP status.
    pub fn with_status(mut self, status: u16) -> Error {
        self.0.status = Some(status);
        self
    }

    /// Set the request id.
    pub fn with_request_id(mut self, id: Option<String>) -> Error {
        if id.is_some() {
            self.0.request_id = id;
        }
        self
    }

    /// Set the retry-after hint.
    pub fn with_retry_after(mut self, d: Option<Duration>) -> Error {
        self.0.retry_after = d;
        self
    }

    /// Attach the error body.
    pub fn with_body(mut self, body: ErrorBody) -> Error {
        // The body's transactionId names the request better than a proxy's header.
        if !body.transaction_id.is_empty() {
            self.0.request_id = Some(body.transaction_id.clone());
        }
        self.0.body = Some(ErrorBody {
            message: crate::redact::scrub(&body.message),
            info: crate::redact::scrub(&body.info),
            ..body
        });
        self
    }

    /// Attach envelope messages.
    pub fn with_messages(mut self, messages: Vec<ApiMessage>) -> Error {
        self.0.messages = messages;
        self
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The message (the server's message where there was one).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The HTTP status, if a response was received.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }
    /// The request id, if known.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// How long the server asked to wait before retrying.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// The error body, for non-2xx responses that had one.
    pub fn body(&self) -> Option<&ErrorBody> {
        self.0.body.as_ref()
    }
    /// The envelope's messages, for backend validation failures.
    pub fn messages(&self) -> &[ApiMessage] {
        &self.0.messages
    }
    /// Whether retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Network
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.kind)?;
        if let Some(s) = self.0.status {
            write!(f, " (HTTP {s})")?;
        }
        write!(f, ": {}", self.0.message)?;
        if let Some(id) = &self.0.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(d) = self.0.retry_after {
            write!(f, " (retry after {:.1}s)", d.as_secs_f64())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("status", &self.0.status)
            .field("request_id", &self.0.request_id)
            .field("retry_after", &self.0.retry_after)
            .field("body", &self.0.body)
            .field("messages", &self.0.messages)
            .finish()
    }
}

impl std::error::Error for Error {}

/// Shorthand result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The longest error message kept, in characters; longer ones (quoting a huge argument) keep
/// their start and end around a note of what was left out.
pub const MAX_MESSAGE_CHARS: usize = 2000;

fn clip(message: String) -> String {
    let n = message.chars().count();
    if n <= MAX_MESSAGE_CHARS {
        return message;
    }
    let head: String = message.chars().take(MAX_MESSAGE_CHARS / 2).collect();
    let tail: String = message.chars().skip(n - 200).collect();
    format!(
        "{head}... ({} characters left out) ...{tail}",
        n - MAX_MESSAGE_CHARS / 2 - 200
    )
}

#[cfg(test)]
mod clip_tests {
    use super::*;

    #[test]
    fn huge_messages_are_clipped_short_ones_kept() {
        let e = Error::validation(format!("unknown event '{}'", "x".repeat(1_000_000)));
        assert!(e.message().chars().count() < MAX_MESSAGE_CHARS + 100);
        assert!(e.message().starts_with("unknown event 'xxx"));
        assert!(e.message().contains("characters left out"));
        assert_eq!(Error::validation("short é").message(), "short é");
    }
}
