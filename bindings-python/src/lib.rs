//! `webcare._native`: the PyO3 extension behind the `webcare` Python package.
//!
//! The binding converts types and errors and adapts async; the logic lives in the `webcare`
//! core crate. Blocking calls wait with the GIL released; `*_async` methods are awaitables
//! (PyO3 `async fn`) that poll tasks running on the core's one runtime.

mod aio;
mod arrow;
mod client;
mod convert;
mod errors;
mod filter;
mod logging;
mod models;
mod sentiment;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    logging::set_main_thread();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativePager>()?;
    m.add_class::<client::NativeWatcher>()?;
    m.add_class::<filter::PyFilter>()?;
    m.add_class::<models::PyWebcareResult>()?;
    m.add_class::<models::PyResultWithContext>()?;
    m.add_class::<models::PyPage>()?;
    m.add_class::<models::PyAck>()?;
    m.add_class::<models::PyReplySent>()?;
    m.add_class::<models::PySsoToken>()?;
    m.add_class::<models::PyConfiguration>()?;
    m.add_class::<sentiment::PyScore>()?;
    m.add_class::<arrow::ArrowResults>()?;
    m.add_class::<aio::Pending>()?;
    m.add_function(wrap_pyfunction!(sentiment::sentiment, m)?)?;
    m.add_function(wrap_pyfunction!(sentiment::sentiment_many, m)?)?;
    m.add_function(wrap_pyfunction!(logging::_shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(logging::_set_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(logging::_take_logs, m)?)?;
    m.add_function(wrap_pyfunction!(client::_debug_panic, m)?)?;
    Ok(())
}
