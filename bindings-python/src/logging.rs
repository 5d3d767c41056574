//! Core `tracing` events forwarded to Python's `logging` (logger `webcare`).
//!
//! Threads of the core's runtime never attach to the interpreter (a thread waiting for the GIL
//! when the interpreter finalizes is killed, which aborts the process). Instead the layer keeps
//! events at or above the `webcare` logger's effective level (cached from Python at every call
//! into the binding) in a bounded buffer, and the binding hands them to `logging` from the
//! calling Python thread, when a call returns. Core messages are already scrubbed of tokens
//! and secrets; the text is scrubbed once more here.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};

use pyo3::prelude::*;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

static SHUTDOWN: AtomicBool = AtomicBool::new(false);
static MAIN_THREAD: OnceLock<std::thread::ThreadId> = OnceLock::new();
/// The `webcare` logger's effective level (Python numbering; 255 = disabled).
static MIN_LEVEL: AtomicU8 = AtomicU8::new(30);
const MAX_BUFFERED: usize = 10_000;

fn buffer() -> &'static Mutex<VecDeque<(u8, String)>> {
    static BUF: OnceLock<Mutex<VecDeque<(u8, String)>>> = OnceLock::new();
    BUF.get_or_init(|| Mutex::new(VecDeque::new()))
}

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

/// Set the level below which events are not kept (the `webcare` logger's effective level;
/// the Python package keeps it current).
#[pyfunction]
pub fn _set_log_level(level: i64) {
    MIN_LEVEL.store(
        u8::try_from(level.clamp(0, 255)).unwrap_or(255),
        Ordering::Relaxed,
    );
}

/// Take the buffered events as `(level, message)` pairs (the Python package logs them from
/// the calling thread: no Rust frame is on the stack while `logging` runs).
#[pyfunction]
pub fn _take_logs() -> Vec<(u8, String)> {
    match buffer().lock() {
        Ok(mut b) if !b.is_empty() => b.drain(..).collect(),
        _ => Vec::new(),
    }
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
        if SHUTDOWN.load(Ordering::Relaxed) {
            return;
        }
        let meta = event.metadata();
        let level = py_level(meta.level());
        if level < MIN_LEVEL.load(Ordering::Relaxed) || !meta.target().starts_with("webcare") {
            return;
        }
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
        if let Ok(mut b) = buffer().lock() {
            if b.len() >= MAX_BUFFERED {
                b.pop_front();
            }
            b.push_back((level, text));
        }
    }
}

/// Install the layer as the global subscriber (once; does nothing if one is set already).
pub fn install() {
    let subscriber = tracing_subscriber::registry().with(PyLogLayer);
    let _ = tracing::subscriber::set_global_default(subscriber);
}
