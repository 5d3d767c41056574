//! Node.js binding of the `webcare` core (napi-rs).
//!
//! The binding converts types and errors and adapts async; every API rule lives in the core. The
//! public JavaScript API is the thin wrapper in `index.js`, which uses the native classes and
//! functions exported here (`NativeClient`, `NativePager`, `NativeWatcher`, ...).
//!
//! Every async method runs its future on the core's runtime (`webcare::runtime::spawn`), so a
//! panic becomes an error instead of crossing into Node, and dropping the call (AbortSignal, see
//! [`cancel`]) aborts the in-flight request.

pub mod cancel;
pub mod client;
pub mod convert;
pub mod errors;
pub mod filter;
pub mod logging;
pub mod sentiment;

pub use cancel::cancel_call;
pub use client::{NativeClient, NativePager, NativeWatcher};
