//! The core's `tracing` events forwarded to a JavaScript callback.
//!
//! `setLogger(fn, level)` installs (once) a global subscriber whose layer calls `fn(level,
//! target, message)` through a weak threadsafe function (it does not keep Node alive). Messages
//! pass through the core's `redact::scrub`, so tokens and secrets never reach the callback.

use std::fmt::Write as _;
use std::sync::{OnceLock, RwLock};

use napi::bindgen_prelude::{FnArgs, Function};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

use crate::errors::validation;

type Args = FnArgs<(String, String, String)>;
type LogFn = ThreadsafeFunction<Args, (), Args, Status, false, true>;

struct Logger {
    func: LogFn,
    max: LevelFilter,
}

fn slot() -> &'static RwLock<Option<Logger>> {
    static SLOT: OnceLock<RwLock<Option<Logger>>> = OnceLock::new();
    SLOT.get_or_init(|| RwLock::new(None))
}

#[derive(Default)]
struct Visitor {
    message: String,
    fields: String,
}

impl Visit for Visitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }
}

struct JsLayer;

impl<S: Subscriber> Layer<S> for JsLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let Ok(guard) = slot().read() else { return };
        let Some(logger) = guard.as_ref() else { return };
        let meta = event.metadata();
        if *meta.level() > logger.max {
            return;
        }
        let mut v = Visitor::default();
        event.record(&mut v);
        let text = webcare::redact::scrub(&format!("{}{}", v.message, v.fields));
        let level = meta.level().as_str().to_ascii_lowercase();
        logger.func.call(
            (level, meta.target().to_string(), text).into(),
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    }
}

fn install() {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(JsLayer);
        tracing::subscriber::set_global_default(subscriber).is_ok()
    });
}

/// Forward the core's log events to `callback(level, target, message)`; `level` is the most
/// verbose level passed on (`error`, `warn`, `info` (default), `debug`, `trace`). `null` stops
/// forwarding.
#[napi(
    ts_args_type = "callback: ((level: string, target: string, message: string) => void) | null | undefined, level?: 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'off'"
)]
pub fn set_logger(callback: Option<Function<Args, ()>>, level: Option<String>) -> napi::Result<()> {
    let max = match level.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("info") => LevelFilter::INFO,
        Some("error") => LevelFilter::ERROR,
        Some("warn") | Some("warning") => LevelFilter::WARN,
        Some("debug") => LevelFilter::DEBUG,
        Some("trace") => LevelFilter::TRACE,
        Some("off") => LevelFilter::OFF,
        Some(other) => {
            return Err(validation(format!(
                "unknown log level '{other}' (expected error, warn, info, debug, trace or off)"
            )))
        }
    };
    let logger = match callback {
        None => None,
        Some(cb) => {
            let func: LogFn = cb
                .build_threadsafe_function::<Args>()
                .weak::<true>()
                .build()?;
            Some(Logger { func, max })
        }
    };
    if logger.is_some() {
        install();
    }
    let mut guard = slot()
        .write()
        .map_err(|_| validation("the logger lock is poisoned"))?;
    *guard = logger;
    Ok(())
}
