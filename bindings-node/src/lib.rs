//! Node.js binding of the `webcare` core (napi-rs).
//!
//! The binding converts types and errors and adapts async; every API rule lives in the core. The
//! public JavaScript API is the thin wrapper in `index.js`, which uses the native classes and
//! functions exported here (`NativeClient`, `NativePager`, `NativeWatcher`, ...).
//!
//! Every async method returns a promise whose future runs on the core's runtime
//! (`webcare::runtime::spawn_then`, see [`promise`]), so a panic becomes an error instead of
//! crossing into Node, and cancelling the call (AbortSignal, see [`cancel`]) drops the future and
//! its in-flight request. Results of single calls cross as JSON encoded on the runtime thread
//! and parsed by V8 (see [`convert`]). Synchronous functions that run core code (the
//! constructor, `pager`, `watcher`, filters, sentiment) are `#[napi(catch_unwind)]`: a panic
//! there is a thrown JavaScript error, never an abort of the process.

pub mod cancel;
pub mod client;
pub mod convert;
pub mod errors;
pub mod filter;
pub mod logging;
pub mod promise;
pub mod sentiment;

pub use cancel::cancel_call;

/// @internal Test hook: panics inside the core's runtime and throws the resulting `ServerError`
/// ("internal error in webcare ..."); the process keeps working. See docs/reliability.md.
#[napi_derive::napi]
pub fn debug_panic() -> napi::Result<()> {
    webcare::runtime::__debug_panic().map_err(errors::to_napi)
}
pub use client::{NativeClient, NativePager, NativeWatcher};
