//! Core errors to JavaScript errors.
//!
//! A core [`webcare::Error`] becomes a napi error whose message is [`ERROR_PREFIX`] followed by a
//! JSON object `{kind, message, status, requestId, retryAfter, messages}`. The wrapper in
//! `errors.js` turns it into the matching `WebcareError` subclass. The message was already
//! scrubbed of secrets by the core.

use napi::Status;
use serde_json::json;
use webcare::{Error, ErrorKind};

/// The marker the JavaScript wrapper looks for.
pub const ERROR_PREFIX: &str = "__webcare_error__";

/// The kind used for a call cancelled through an AbortSignal.
pub const ABORTED: &str = "Aborted";

fn encode(kind: &str, e: Option<&Error>, message: &str) -> napi::Error {
    let body = match e {
        Some(e) => json!({
            "kind": kind,
            "message": e.message(),
            "status": e.status(),
            "requestId": e.request_id(),
            "retryAfter": e.retry_after().map(|d| d.as_secs_f64()),
            "messages": e.messages().iter().map(|m| json!({
                "type": m.kind, "title": m.title, "description": m.description
            })).collect::<Vec<_>>(),
        }),
        None => json!({ "kind": kind, "message": message }),
    };
    napi::Error::new(Status::GenericFailure, format!("{ERROR_PREFIX}{body}"))
}

/// A core error as a napi error.
pub fn to_napi(e: Error) -> napi::Error {
    encode(e.kind().as_str(), Some(&e), e.message())
}

/// The error of a call cancelled by its AbortSignal.
pub fn aborted() -> napi::Error {
    encode(ABORTED, None, "the operation was aborted")
}

/// A validation error (bad argument value) as a napi error.
pub fn validation(message: impl Into<String>) -> napi::Error {
    to_napi(Error::new(ErrorKind::Validation, message))
}
