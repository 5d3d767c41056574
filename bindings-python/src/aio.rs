//! Awaitables for asyncio that never touch the interpreter from the runtime's threads.
//!
//! An async call starts a task on the core's runtime and returns a [`Pending`]. When the task
//! finishes it stores a converter in the `Pending` and writes an 8-byte token to a pipe that
//! the event loop watches (`loop.add_reader`): no GIL is needed for that. The loop's reader
//! (Python, `webcare/_aio.py`) then takes the result with the GIL, in the loop's thread. So a
//! request that finishes while the interpreter exits cannot crash it (PyO3's own coroutine
//! waker attaches to the interpreter from the finishing thread). Cancelling drops the task,
//! which aborts the request.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::errors::{to_py, IntoPyResult};

type Convert = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

enum Slot {
    Waiting,
    Ready(Convert),
    Taken,
}

/// A call in flight (see `webcare/_aio.py`).
#[pyclass(name = "Pending", module = "webcare._native", frozen)]
pub struct Pending {
    slot: Arc<Mutex<Slot>>,
    task: Mutex<Option<webcare::runtime::Task<()>>>,
}

fn notify(fd: i32, token: u64) {
    use std::io::Write;
    use std::os::fd::FromRawFd;
    // SAFETY: the fd is the write end of a pipe that the Python side never closes; the
    // ManuallyDrop keeps this File from closing it.
    let mut f = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    let _ = f.write_all(&token.to_le_bytes());
}

/// Start `fut` on the core's runtime; `convert` makes the Python value (with the GIL, in the
/// event loop's thread).
pub fn start<T, F, C>(
    py: Python<'_>,
    wake_fd: i32,
    token: u64,
    fut: F,
    convert: C,
) -> PyResult<Pending>
where
    F: Future<Output = webcare::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    if wake_fd < 0 {
        return Err(PyRuntimeError::new_err("invalid wake fd"));
    }
    let _ = py;
    let slot = Arc::new(Mutex::new(Slot::Waiting));
    let s2 = slot.clone();
    let task = webcare::runtime::spawn(async move {
        let r = match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(r) => r,
            Err(_) => Err(webcare::Error::new(
                webcare::ErrorKind::Server,
                "internal error in webcare (a bug, please report it): a panic",
            )),
        };
        let conv: Convert = Box::new(move |py| match r {
            Ok(v) => convert(py, v),
            Err(e) => Err(to_py(e)),
        });
        if let Ok(mut g) = s2.lock() {
            *g = Slot::Ready(conv);
        }
        notify(wake_fd, token);
        Ok(())
    })
    .py()?;
    Ok(Pending {
        slot,
        task: Mutex::new(Some(task)),
    })
}

#[pymethods]
impl Pending {
    /// Whether the result is ready.
    fn done(&self) -> bool {
        self.slot
            .lock()
            .map(|g| !matches!(*g, Slot::Waiting))
            .unwrap_or(true)
    }

    /// Take the result (raises the call's error). Only once.
    fn result(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let taken = match self.slot.lock() {
            Ok(mut g) => std::mem::replace(&mut *g, Slot::Taken),
            Err(_) => Slot::Taken,
        };
        if let Ok(mut t) = self.task.lock() {
            t.take();
        }
        let r = match taken {
            Slot::Ready(conv) => conv(py),
            Slot::Waiting => {
                if let Ok(mut g) = self.slot.lock() {
                    *g = Slot::Waiting;
                }
                Err(PyRuntimeError::new_err("the call has not finished"))
            }
            Slot::Taken => Err(PyRuntimeError::new_err("the result was already taken")),
        };
        r
    }

    /// Cancel the call (aborts the request).
    fn cancel(&self) {
        if let Ok(mut t) = self.task.lock() {
            t.take();
        }
    }
}
