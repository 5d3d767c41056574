//! The error body every non-2xx API response carries.

use std::fmt;

/// An error answered to a request: a status, a name, and a message that says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub message: String,
    pub info: String,
    /// For a 405: the methods allowed (sent in the `Allow` header).
    pub allow: Option<&'static str>,
}

impl ApiError {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            info: String::new(),
            allow: None,
        }
    }

    pub(crate) fn with_info(mut self, info: impl Into<String>) -> ApiError {
        self.info = info.into();
        self
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, message)
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(401, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(404, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(500, message)
    }

    /// The error name for a status (`BadRequest`, `NotFound`, ...).
    pub(crate) fn name(&self) -> &'static str {
        status_name(self.status)
    }
}

/// The error name for a status.
pub(crate) fn status_name(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "Error",
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.name(), self.message)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        tracing::error!(error = %e, "database error");
        ApiError::internal(format!("database error: {e}"))
    }
}

impl From<webcare::Error> for ApiError {
    fn from(e: webcare::Error) -> Self {
        ApiError::bad_request(e.message().to_string())
    }
}
