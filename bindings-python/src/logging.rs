//! Core `tracing` events forwarded to Python's `logging` (logger `webcare`).
//!
//! The layer attaches to the interpreter only when the `webcare` logger is enabled for the
//! event's level, never after `webcare` saw interpreter shutdown begin (an `atexit` hook sets
//! the flag), and only through `Python::try_attach`, which refuses while the interpreter is
//! finalizing. Core messages are already scrubbed of tokens and secrets.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::prelude::*;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

static SHUTDOWN: AtomicBool = AtomicBool::new(false);
static MAIN_THREAD: std::sync::OnceLock<std::thread::ThreadId> = std::sync::OnceLock::new();

/// Remember the importing thread as the main thread (the one that finalizes the interpreter).
pub fn set_main_thread() {
    let _ = MAIN_THREAD.set(std::thread::current().id());
}

/// Whether this is the thread that imported the module.
pub fn is_main_thread() -> bool {
    MAIN_THREAD.get() == Some(&std::thread::current().id())
}

/// Whether the interpreter is shutting down (the `atexit` hook ran).
pub fn shutting_down() -> bool {
    SHUTDOWN.load(Ordering::SeqCst)
}

/// Block this thread for good (it must never touch the interpreter again: the process is
/// exiting, and re-attaching a thread to a finalizing interpreter kills the thread).
pub fn park_forever() -> ! {
    loop {
        std::thread::park();
    }
}

/// Stop forwarding log events and stop re-attaching waiting threads (called from an `atexit`
/// hook).
#[pyfunction]
pub fn _shutdown() {
    SHUTDOWN.store(true, Ordering::SeqCst);
}

struct Fields {
    message: String,
    rest: String,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={:?}", field.name(), value);
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={}", field.name(), value);
        }
    }
}

struct PyLogLayer;

fn py_level(level: &Level) -> u8 {
    match *level {
        Level::TRACE => 5,
        Level::DEBUG => 10,
        Level::INFO => 20,
        Level::WARN => 30,
        Level::ERROR => 40,
    }
}

impl<S: Subscriber> Layer<S> for PyLogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if SHUTDOWN.load(Ordering::SeqCst) {
            return;
        }
        let meta = event.metadata();
        if !meta.target().starts_with("webcare") {
            return;
        }
        let level = py_level(meta.level());
        let mut fields = Fields {
            message: String::new(),
            rest: String::new(),
        };
        event.record(&mut fields);
        let text = webcare::redact::scrub(&format!(
            "{}: {}{}",
            meta.target(),
            fields.message,
            fields.rest
        ));
        // A panic in here must not unwind into tokio or Python.
        let _ = std::panic::catch_unwind(move || {
            Python::try_attach(|py| {
                let r: PyResult<()> = (|| {
                    let logger = py
                        .import("logging")?
                        .call_method1("getLogger", ("webcare",))?;
                    if logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
                        logger.call_method1("log", (level, "%s", text))?;
                    }
                    Ok(())
                })();
                if let Err(e) = r {
                    // Never raise from a log call; drop the error.
                    drop(e);
                }
            })
        });
    }
}

/// Install the layer as the global subscriber (once; does nothing if one is set already).
pub fn install() {
    let subscriber = tracing_subscriber::registry().with(PyLogLayer);
    let _ = tracing::subscriber::set_global_default(subscriber);
}
