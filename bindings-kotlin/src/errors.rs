//! Errors: one exception variant per core error kind.

use webcare::{Error, ErrorKind};

/// A failed webcare call. One variant per error kind (the same list in every language); each
/// carries the server's message (`reason`), the HTTP status when there was a response, the
/// request id, and how long the server asked to wait before retrying.
///
/// (The message field is called `reason` because UniFFI's Kotlin code defines `message` itself;
/// the hand-written Kotlin layer turns these into `com.kpn.webcare.WebcareException`, whose
/// `message` is the server's message.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum WebcareException {
    /// Bad credentials or a rejected token (401).
    #[error("{reason}")]
    Auth {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// Not allowed (403).
    #[error("{reason}")]
    Forbidden {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// No such result, case, user or profile (404).
    #[error("{reason}")]
    NotFound {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// The request was invalid (bad input, a bad filter, a 4xx).
    #[error("{reason}")]
    Validation {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// Over quota (429) after honouring `Retry-After` up to the maximum wait.
    #[error("{reason}")]
    RateLimited {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// The server failed (5xx) after retries, or an internal error.
    #[error("{reason}")]
    Server {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// A timeout (connect, request or total).
    #[error("{reason}")]
    Timeout {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// The connection failed.
    #[error("{reason}")]
    Network {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// The response could not be decoded.
    #[error("{reason}")]
    Decode {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
    /// The client is misconfigured.
    #[error("{reason}")]
    Config {
        /// The message.
        reason: String,
        /// The HTTP status.
        status: Option<u16>,
        /// The request id.
        request_id: Option<String>,
        /// Milliseconds the server asked to wait.
        retry_after_ms: Option<u64>,
    },
}

impl From<Error> for WebcareException {
    fn from(e: Error) -> Self {
        let reason = e.message().to_string();
        let status = e.status();
        let request_id = e.request_id().map(str::to_string);
        let retry_after_ms = e
            .retry_after()
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        macro_rules! v {
            ($variant:ident) => {
                WebcareException::$variant {
                    reason,
                    status,
                    request_id,
                    retry_after_ms,
                }
            };
        }
        match e.kind() {
            ErrorKind::Auth => v!(Auth),
            ErrorKind::Forbidden => v!(Forbidden),
            ErrorKind::NotFound => v!(NotFound),
            ErrorKind::Validation => v!(Validation),
            ErrorKind::RateLimited => v!(RateLimited),
            ErrorKind::Server => v!(Server),
            ErrorKind::Timeout => v!(Timeout),
            ErrorKind::Network => v!(Network),
            ErrorKind::Decode => v!(Decode),
            ErrorKind::Config => v!(Config),
        }
    }
}

/// A validation error raised by the binding while converting an argument.
pub(crate) fn invalid(message: impl Into<String>) -> WebcareException {
    Error::validation(message).into()
}

/// Convert a Kotlin `Long` id to the core's unsigned id.
pub(crate) fn id(what: &str, v: i64) -> Result<u64, WebcareException> {
    u64::try_from(v).map_err(|_| invalid(format!("{what} must be a positive integer, got {v}")))
}
