//! Cancellation of in-flight calls by id (the wrapper's AbortSignal support), and the helper
//! every async method uses to run a core future ([`call`]).
//!
//! The wrapper gives each cancellable call a fresh `callId` and calls [`cancel_call`] when the
//! signal aborts. The call registers an abort handle under its id when it starts; a cancel that
//! arrives before the call registered leaves a tombstone, so the call aborts as soon as it starts.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use futures::future::{AbortHandle, Abortable};
use napi::bindgen_prelude::ToNapiValue;
use napi::Env;
use napi_derive::napi;
use webcare::{Error, ErrorKind};

use crate::errors::{aborted, to_napi};
use crate::promise::{self, RawValue};

enum Slot {
    Running(AbortHandle),
    Cancelled,
}

fn registry() -> &'static Mutex<HashMap<u32, Slot>> {
    static REG: OnceLock<Mutex<HashMap<u32, Slot>>> = OnceLock::new();
    REG.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Cancel the call with this id (idempotent; unknown ids are remembered until that call starts).
#[napi]
pub fn cancel_call(call_id: u32) {
    if let Ok(mut reg) = registry().lock() {
        match reg.remove(&call_id) {
            Some(Slot::Running(h)) => h.abort(),
            Some(Slot::Cancelled) | None => {
                reg.insert(call_id, Slot::Cancelled);
            }
        }
    }
}

/// Removes the registration when the call ends.
struct Registration(u32);

impl Drop for Registration {
    fn drop(&mut self) {
        if let Ok(mut reg) = registry().lock() {
            if let Some(Slot::Running(_)) = reg.get(&self.0) {
                reg.remove(&self.0);
            }
        }
    }
}

/// Options every async call takes (the wrapper fills them from `{ signal, timeoutMs }`).
#[napi(object)]
#[derive(Default)]
pub struct CallOptions {
    /// Per-call timeout in milliseconds (a `TimeoutError` when exceeded).
    pub timeout_ms: Option<f64>,
    /// The id under which `cancelCall` cancels this call.
    pub call_id: Option<u32>,
}

fn duration_ms(ms: f64) -> Option<Duration> {
    if ms.is_finite() && ms > 0.0 {
        Some(Duration::from_secs_f64(ms / 1000.0))
    } else {
        None
    }
}

/// A promise for a core future, run on the core's runtime with the call's timeout and
/// cancellation; `convert` turns its value into what JavaScript receives (on the runtime thread,
/// so heavy work such as encoding results stays off the JS thread).
pub fn call<T, U, F, C>(
    env: &Env,
    opts: Option<CallOptions>,
    fut: F,
    convert: C,
) -> napi::Result<RawValue>
where
    F: Future<Output = webcare::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(T) -> webcare::Result<U> + Send + 'static,
    U: ToNapiValue + Send + 'static,
{
    let opts = opts.unwrap_or_default();
    let timeout = opts.timeout_ms.and_then(duration_ms);
    let timeout_ms = opts.timeout_ms.unwrap_or(0.0);
    let fut = async move {
        let r = match timeout {
            None => fut.await,
            Some(d) => match tokio::time::timeout(d, fut).await {
                Ok(r) => r,
                Err(_) => Err(Error::new(
                    ErrorKind::Timeout,
                    format!("the call did not complete within {timeout_ms} ms"),
                )),
            },
        };
        r.and_then(convert).map_err(to_napi)
    };
    let Some(id) = opts.call_id else {
        return promise::spawn(env, fut);
    };
    let (handle, reg) = AbortHandle::new_pair();
    {
        let mut map = registry()
            .lock()
            .map_err(|_| to_napi(Error::config("the cancellation registry is poisoned")))?;
        if let Some(Slot::Cancelled) = map.remove(&id) {
            return Err(aborted());
        }
        map.insert(id, Slot::Running(handle));
    }
    let registration = Registration(id);
    // Aborting drops the future (and its HTTP request) on the runtime.
    promise::spawn(env, async move {
        let _registration = registration;
        match Abortable::new(fut, reg).await {
            Ok(r) => r,
            Err(_) => Err(aborted()),
        }
    })
}
