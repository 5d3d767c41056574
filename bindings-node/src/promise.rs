//! Promises settled straight from the core's runtime.
//!
//! napi-rs's `async fn` polls the future on a Tokio runtime of its own and creates a threadsafe
//! function per call: a call hopped JS thread -> napi runtime -> core runtime -> napi runtime ->
//! JS thread. Here a call creates a plain promise on the JS thread, spawns its future on the
//! core's runtime ([`webcare::runtime::spawn_then`]), and the runtime thread hands the outcome
//! back through one threadsafe function per JavaScript thread (created once, reused by every
//! call; Node runs all queued completions in one wake-up). The value is converted to JavaScript
//! there, on the JS thread. The threadsafe function keeps the event loop alive only while calls
//! are pending (it is ref'd on the first pending call and unref'd when the last one settles).

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::future::Future;
use std::ptr;

use napi::bindgen_prelude::ToNapiValue;
use napi::sys;
use napi::{Env, JsError};

/// A JavaScript value already created (the promise a call returns).
pub struct RawValue(pub(crate) sys::napi_value);

impl ToNapiValue for RawValue {
    unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        Ok(val.0)
    }
}

/// The per-thread (per Node environment) completion channel.
struct Channel {
    tsfn: sys::napi_threadsafe_function,
    pending: Cell<usize>,
}

thread_local! {
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
}

/// Runs on the JS thread with everything it needs to settle one promise.
type Job = Box<dyn FnOnce(sys::napi_env) + Send>;

/// A pointer that crosses to the runtime thread and back (never dereferenced there).
#[derive(Clone, Copy)]
struct SendPtr<T>(T);
// SAFETY: napi_threadsafe_function is documented as callable from any thread; napi_deferred is
// only carried through the runtime thread and used again on the JS thread that created it.
unsafe impl<T> Send for SendPtr<T> {}

/// A napi status as a `Result` (`what` names the call that failed).
pub(crate) fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            napi::Status::GenericFailure,
            format!("{what} failed (napi status {status})"),
        ))
    }
}

unsafe extern "C" fn call_js(
    env: sys::napi_env,
    _js_callback: sys::napi_value,
    _context: *mut c_void,
    data: *mut c_void,
) {
    if data.is_null() {
        return;
    }
    // SAFETY: `data` is the `Box<Job>` leaked by `deliver`, handed back exactly once.
    let job: Box<Job> = unsafe { Box::from_raw(data.cast::<Job>()) };
    if env.is_null() {
        // The environment is being torn down: nothing to settle any more.
        return;
    }
    // Node runs every queued call in one uv callback: without a scope of their own, the handles
    // of each settlement (a page of results is thousands) would live until all are done.
    let mut scope = ptr::null_mut();
    // SAFETY: on the JS thread; the scope is closed below.
    let opened = unsafe { sys::napi_open_handle_scope(env, &mut scope) } == sys::Status::napi_ok;
    (*job)(env);
    if opened {
        // SAFETY: the scope opened above, innermost.
        unsafe { sys::napi_close_handle_scope(env, scope) };
    }
    release(env);
}

unsafe extern "C" fn env_teardown(_arg: *mut c_void) {
    // Node closes the threadsafe function itself; forget it so nothing uses it afterwards.
    CHANNEL.with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            *c = None;
        }
    });
}

/// The channel of this thread's environment, created on first use; counts one more pending call.
fn acquire(env: sys::napi_env) -> napi::Result<SendPtr<sys::napi_threadsafe_function>> {
    CHANNEL.with(|c| {
        let mut c = c
            .try_borrow_mut()
            .map_err(|_| napi::Error::from_reason("the completion channel is busy"))?;
        if c.is_none() {
            let mut name = ptr::null_mut();
            let label = "webcare";
            let mut tsfn = ptr::null_mut();
            // SAFETY: plain napi calls on the JS thread with valid out-pointers.
            unsafe {
                check(
                    sys::napi_create_string_utf8(
                        env,
                        label.as_ptr().cast(),
                        label.len() as isize,
                        &mut name,
                    ),
                    "napi_create_string_utf8",
                )?;
                check(
                    sys::napi_create_threadsafe_function(
                        env,
                        ptr::null_mut(),
                        ptr::null_mut(),
                        name,
                        0,
                        1,
                        ptr::null_mut(),
                        None,
                        ptr::null_mut(),
                        Some(call_js),
                        &mut tsfn,
                    ),
                    "napi_create_threadsafe_function",
                )?;
                check(
                    sys::napi_unref_threadsafe_function(env, tsfn),
                    "napi_unref_threadsafe_function",
                )?;
                check(
                    sys::napi_add_env_cleanup_hook(env, Some(env_teardown), ptr::null_mut()),
                    "napi_add_env_cleanup_hook",
                )?;
            }
            *c = Some(Channel {
                tsfn,
                pending: Cell::new(0),
            });
        }
        let ch = c
            .as_ref()
            .ok_or_else(|| napi::Error::from_reason("no completion channel"))?;
        if ch.pending.get() == 0 {
            // SAFETY: on the JS thread of the environment that owns the function.
            check(
                unsafe { sys::napi_ref_threadsafe_function(env, ch.tsfn) },
                "napi_ref_threadsafe_function",
            )?;
        }
        ch.pending.set(ch.pending.get() + 1);
        Ok(SendPtr(ch.tsfn))
    })
}

/// One call fewer pending (settled, or never started): [`acquire`] undone; Node may exit when
/// none is left.
fn release(env: sys::napi_env) {
    CHANNEL.with(|c| {
        if let Some(ch) = c.borrow().as_ref() {
            let n = ch.pending.get().saturating_sub(1);
            ch.pending.set(n);
            if n == 0 {
                // SAFETY: on the JS thread of the environment that owns the function.
                unsafe { sys::napi_unref_threadsafe_function(env, ch.tsfn) };
            }
        }
    });
}

unsafe fn settle<T: ToNapiValue>(
    env: sys::napi_env,
    deferred: sys::napi_deferred,
    outcome: napi::Result<T>,
) {
    let value = outcome.and_then(|v| unsafe { T::to_napi_value(env, v) });
    // SAFETY: the deferred was created on this env and is settled exactly once.
    unsafe {
        match value {
            Ok(v) => {
                sys::napi_resolve_deferred(env, deferred, v);
            }
            Err(e) => {
                let err = JsError::from(e).into_value(env);
                sys::napi_reject_deferred(env, deferred, err);
            }
        }
    }
}

/// A promise for `fut`, which runs on the core's runtime; its value is converted to JavaScript
/// on this (the JS) thread when it settles.
pub fn spawn<T, F>(env: &Env, fut: F) -> napi::Result<RawValue>
where
    F: Future<Output = napi::Result<T>> + Send + 'static,
    T: ToNapiValue + Send + 'static,
{
    let raw_env = env.raw();
    let mut deferred = ptr::null_mut();
    let mut promise = ptr::null_mut();
    // SAFETY: napi call on the JS thread with valid out-pointers.
    check(
        unsafe { sys::napi_create_promise(raw_env, &mut deferred, &mut promise) },
        "napi_create_promise",
    )?;
    let tsfn = match acquire(raw_env) {
        Ok(t) => t,
        Err(e) => {
            // SAFETY: settled once, on this thread.
            unsafe { settle::<T>(raw_env, deferred, Err(e)) };
            return Ok(RawValue(promise));
        }
    };
    let d = SendPtr(deferred);
    // The core's futures return webcare errors; ours already carry napi errors, so wrap them.
    let fut = async move { Ok::<_, webcare::Error>(fut.await) };
    let spawned = webcare::runtime::spawn_then(fut, move |r| {
        let outcome = match r {
            Ok(v) => v,
            Err(e) => Err(crate::errors::to_napi(e)),
        };
        let job: Job = Box::new(move |env| {
            let d = d;
            // SAFETY: on the JS thread of the env that created the deferred.
            unsafe { settle::<T>(env, d.0, outcome) }
        });
        let data = Box::into_raw(Box::new(job));
        let tsfn = tsfn;
        // SAFETY: the function lives as long as its environment; if it is closing, the call fails
        // and the job comes back to be dropped here.
        let status = unsafe {
            sys::napi_call_threadsafe_function(
                tsfn.0,
                data.cast(),
                sys::ThreadsafeFunctionCallMode::nonblocking,
            )
        };
        if status != sys::Status::napi_ok {
            // SAFETY: not handed over, so still ours.
            drop(unsafe { Box::from_raw(data) });
        }
    });
    if let Err(e) = spawned {
        release(raw_env);
        // SAFETY: settled once, on this thread.
        unsafe { settle::<T>(raw_env, deferred, Err(crate::errors::to_napi(e))) };
    }
    Ok(RawValue(promise))
}
