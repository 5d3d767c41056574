//! The one tokio runtime the core owns, for bindings.
//!
//! Bindings do not start runtimes of their own: they hand the core's futures to [`spawn`] (async
//! callers: the returned future can be polled by any executor, and dropping it aborts the task,
//! so cancellation frees the request) or [`block_on`] (blocking callers: safe on any thread that
//! is not a runtime worker, e.g. a Python thread with the GIL released).
//!
//! The runtime is fork-safe: a child process (after `os.fork()`) gets a fresh runtime the first
//! time it calls in, because the parent's worker threads do not exist in the child. A panic in
//! the core is caught at this boundary and becomes an [`ErrorKind::Server`] error with no HTTP
//! status (documented in `docs/errors.md`), so it never unwinds into a foreign runtime.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};

use futures::FutureExt;
use tokio::runtime::{Handle, Runtime};
use tokio::task::JoinHandle;

use crate::error::{Error, ErrorKind, Result};

struct Owned {
    pid: u32,
    runtime: Arc<Runtime>,
}

fn slot() -> &'static Mutex<Option<Owned>> {
    static SLOT: OnceLock<Mutex<Option<Owned>>> = OnceLock::new();
    SLOT.get_or_init(|| Mutex::new(None))
}

/// The default number of worker threads (see [`set_default_worker_threads`]).
static DEFAULT_WORKERS: AtomicUsize = AtomicUsize::new(2);

/// Set the number of worker threads the runtime starts with when `WEBCARE_RUNTIME_THREADS` is
/// not set (2 unless a binding changes it; values outside 1..=64 are ignored). Only a runtime
/// started afterwards uses it. The Node binding uses 1: its JS thread already does a share of
/// the work, and a call then wakes one runtime thread instead of two, which cut the median
/// latency of a sequential call by a sixth with no loss for 20 concurrent calls on 2 cores.
pub fn set_default_worker_threads(n: usize) {
    if (1..=64).contains(&n) {
        DEFAULT_WORKERS.store(n, Ordering::Relaxed);
    }
}

/// The worker threads of the core's runtime (`WEBCARE_RUNTIME_THREADS`, else the default).
fn worker_threads() -> usize {
    std::env::var("WEBCARE_RUNTIME_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or_else(|| DEFAULT_WORKERS.load(Ordering::Relaxed))
}

/// The core's runtime (created on first use; recreated in a forked child).
pub fn runtime() -> Result<Arc<Runtime>> {
    let pid = std::process::id();
    let mut guard = slot()
        .lock()
        .map_err(|_| Error::new(ErrorKind::Config, "the webcare runtime lock is poisoned"))?;
    if let Some(owned) = guard.as_ref() {
        if owned.pid == pid {
            return Ok(owned.runtime.clone());
        }
    }
    if let Some(stale) = guard.take() {
        // Inherited from the parent through fork: its threads are gone; never drop it (dropping
        // would wait for threads that do not exist).
        std::mem::forget(stale);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .thread_name("webcare-rt")
        .enable_all()
        .build()
        .map_err(|e| Error::new(ErrorKind::Config, format!("cannot start the runtime: {e}")))?;
    let rt = Arc::new(rt);
    *guard = Some(Owned {
        pid,
        runtime: rt.clone(),
    });
    Ok(rt)
}

/// A handle to the core's runtime.
pub fn handle() -> Result<Handle> {
    Ok(runtime()?.handle().clone())
}

/// A spawned task that is aborted when dropped.
pub struct Task<T> {
    handle: JoinHandle<Result<T>>,
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.handle).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(r)) => Poll::Ready(r),
            Poll::Ready(Err(e)) if e.is_cancelled() => Poll::Ready(Err(Error::new(
                ErrorKind::Network,
                "the call was cancelled",
            ))),
            Poll::Ready(Err(e)) => Poll::Ready(Err(panic_error(e.into_panic()))),
        }
    }
}

fn panic_error(payload: Box<dyn std::any::Any + Send>) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    Error::new(
        ErrorKind::Server,
        format!("internal error in webcare (a bug, please report it): {what}"),
    )
}

/// Run a future on the core's runtime; the returned task can be awaited from any executor and
/// aborts the work when dropped. Panics become errors.
pub fn spawn<F, T>(future: F) -> Result<Task<T>>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let rt = runtime()?;
    let handle = rt.spawn(async move {
        match AssertUnwindSafe(future).catch_unwind().await {
            Ok(r) => r,
            Err(p) => Err(panic_error(p)),
        }
    });
    Ok(Task { handle })
}

/// Run a future on the core's runtime and hand its output to `done` (on a runtime thread) when
/// it completes; a panic becomes an error. There is no task handle: the caller cancels through
/// the future itself (e.g. `futures::future::Abortable`), and `done` is not called when the
/// runtime drops the task. For bindings that settle a foreign promise from the runtime thread
/// (one thread hop each way instead of polling a [`Task`] from another executor).
pub fn spawn_then<F, T, D>(future: F, done: D) -> Result<()>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
    D: FnOnce(Result<T>) + Send + 'static,
{
    let rt = runtime()?;
    // Client futures are several kilobytes: boxed once here, the task moves a pointer.
    let future = Box::pin(future);
    rt.spawn(async move {
        let r = match AssertUnwindSafe(future).catch_unwind().await {
            Ok(r) => r,
            Err(p) => Err(panic_error(p)),
        };
        done(r);
    });
    Ok(())
}

/// Run a future to completion on the core's runtime, blocking this thread. Do not call from a
/// runtime worker thread (it returns a [`ErrorKind::Config`] error instead of deadlocking).
pub fn block_on<F, T>(future: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    if Handle::try_current().is_ok() {
        return Err(Error::new(
            ErrorKind::Config,
            "a blocking webcare call was made from inside an async runtime; use the async API",
        ));
    }
    let task = spawn(future)?;
    futures::executor::block_on(task)
}

/// Test hook for the bindings' FFI-boundary tests (not part of the API): panics inside a task on
/// the core's runtime and returns what the caller sees, the [`ErrorKind::Server`] error
/// "internal error in webcare (a bug, please report it): forced panic for tests". The Python,
/// Node and Kotlin bindings export it as an internal function (`webcare._native._debug_panic`,
/// `debugPanic`, `debugPanic()`) so their tests can check that a panic never crosses the FFI
/// boundary and that the process keeps working (`docs/reliability.md`).
#[doc(hidden)]
pub fn __debug_panic() -> Result<()> {
    block_on(async {
        if std::hint::black_box(true) {
            panic!("forced panic for tests");
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_on_runs_and_catches_panics() {
        assert_eq!(block_on(async { Ok(41 + 1) }).unwrap(), 42);
        let e = block_on(async {
            if std::env::var("NEVER_SET_X").is_err() {
                panic!("boom");
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert!(e.message().contains("boom"));
        // The runtime survives.
        assert_eq!(block_on(async { Ok(1) }).unwrap(), 1);
    }

    #[test]
    fn the_debug_panic_hook_is_a_server_error() {
        let e = __debug_panic().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert!(e.message().starts_with("internal error in webcare"));
        assert!(e.message().contains("forced panic for tests"));
        assert_eq!(block_on(async { Ok(1) }).unwrap(), 1);
    }

    #[tokio::test]
    async fn block_on_inside_a_runtime_is_an_error_not_a_deadlock() {
        let e = block_on(async { Ok(()) }).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
    }

    #[test]
    fn spawn_then_hands_over_results_and_panics() {
        let (tx, rx) = std::sync::mpsc::channel::<Result<i32>>();
        let tx2 = tx.clone();
        spawn_then(async { Ok(42) }, move |r| {
            let _ = tx.send(r);
        })
        .unwrap();
        let got = rx.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
        assert_eq!(got.unwrap(), 42);
        spawn_then(
            async {
                if std::env::var("NEVER_SET_X").is_err() {
                    panic!("boom");
                }
                Ok(0)
            },
            move |r| {
                let _ = tx2.send(r);
            },
        )
        .unwrap();
        let e = rx
            .recv_timeout(std::time::Duration::from_secs(5))
            .unwrap()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert!(e.message().contains("boom"));
    }

    #[test]
    fn dropping_a_task_aborts_it() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let task = spawn(async move {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            let _ = tx.send(());
            Ok(())
        })
        .unwrap();
        drop(task);
        // The sender is dropped with the aborted task.
        assert!(rx.recv_timeout(std::time::Duration::from_secs(5)).is_err());
    }
}
