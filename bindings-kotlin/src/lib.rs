//! Kotlin bindings (UniFFI) for the `webcare` client.
//!
//! The binding converts types and errors and adapts async: every network call is an `async fn`
//! (a Kotlin `suspend fun`) that runs on the core's runtime through [`webcare::runtime::spawn`].
//! When a Kotlin coroutine is cancelled, UniFFI drops the Rust future, which drops the spawned
//! task handle and aborts the request on the native side.
//!
//! The idiomatic Kotlin API (`Flow`s, a `Filter` data class, a sealed exception hierarchy) lives in
//! `bindings-kotlin/src/main/kotlin` on top of the generated code.

uniffi::setup_scaffolding!();

pub mod client;
pub mod errors;
pub mod filter;
pub mod models;
pub mod paging;
pub mod sentiment;

pub use client::{ClientOptions, WebcareClient};
pub use errors::WebcareException;
pub use filter::{FilterSpec, PeriodSpec};
pub use models::*;
pub use paging::{ResultPager, ResultWatcher};
pub use sentiment::Score;

/// Run a core future on the core's runtime. The returned future can be awaited from UniFFI's
/// executor; dropping it (coroutine cancellation) aborts the work. Panics become errors.
pub(crate) async fn run<F, T>(future: F) -> Result<T, WebcareException>
where
    F: std::future::Future<Output = webcare::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let task = webcare::runtime::spawn(future)?;
    Ok(task.await?)
}

/// Test hook (internal; `Client.debugPanic()` in Kotlin): panics inside the core's runtime and
/// returns the resulting `WebcareException.Server` ("internal error in webcare ..."). A panic in a
/// synchronous export is caught by UniFFI (`InternalException`, mapped to `Server` by the Kotlin
/// layer). See docs/reliability.md.
#[uniffi::export]
pub fn debug_panic() -> Result<(), WebcareException> {
    Ok(webcare::runtime::__debug_panic()?)
}

/// The version of the native library.
#[uniffi::export]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
