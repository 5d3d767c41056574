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

/// The addon's own allocations (decoding, JSON encoding) use mimalloc: they are many small
/// strings made on a runtime thread and freed on another, where glibc's malloc was a quarter of
/// the decoding time (20 concurrent searches: 4.5 -> 3.5 ms per batch). Node's own heap is
/// untouched. See [`tune_allocator`].
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the bundled v3; the sys crate names no constant for
/// it; a unit test checks the index by the option's default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Give freed memory back to the system at once instead of after a second: a stream frees each
/// page on the JS thread that a runtime thread allocated, and with the delay the RSS of a
/// 1,000,000-result stream grew by 44-49 MB instead of about 40 (the target is under 50).
pub(crate) fn tune_allocator() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sets a process-wide mimalloc option; any value is valid for this option.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
    });
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_we_set() {
        // mimalloc v3's default purge delay is 1000 ms: the index names that option.
        let before = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(before, 1000);
        super::tune_allocator();
        let after = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(after, 0);
    }
}
