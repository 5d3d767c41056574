//! Core errors become the Python exception classes defined in `webcare/errors.py`.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use webcare::ErrorKind;

/// The Python class name for a kind.
pub fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Auth => "AuthError",
        ErrorKind::Forbidden => "ForbiddenError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::Validation => "ValidationError",
        ErrorKind::RateLimited => "RateLimitError",
        ErrorKind::Server => "ServerError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Network => "NetworkError",
        ErrorKind::Decode => "DecodeError",
        ErrorKind::Config => "ConfigError",
    }
}

fn build(py: Python<'_>, e: &webcare::Error) -> PyResult<PyErr> {
    let module = py.import("webcare.errors")?;
    let cls = module.getattr(class_name(e.kind()))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", e.kind().as_str())?;
    kwargs.set_item("status", e.status())?;
    kwargs.set_item("request_id", e.request_id())?;
    kwargs.set_item("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
    let messages = PyList::empty(py);
    for m in e.messages() {
        let d = PyDict::new(py);
        d.set_item("type", &m.kind)?;
        d.set_item("title", &m.title)?;
        d.set_item("description", &m.description)?;
        messages.append(d)?;
    }
    kwargs.set_item("messages", messages)?;
    let obj = cls.call((e.message(),), Some(&kwargs))?;
    Ok(PyErr::from_value(obj))
}

/// Convert a core error into the matching `webcare.errors` exception.
pub fn to_py(e: webcare::Error) -> PyErr {
    Python::attach(|py| match build(py, &e) {
        Ok(err) => err,
        Err(import_failed) => {
            let err = PyRuntimeError::new_err(format!("{}: {}", e.kind(), e.message()));
            err.set_cause(py, Some(import_failed));
            err
        }
    })
}

/// Extension trait: `.py()?` on a core result.
pub trait IntoPyResult<T> {
    /// Convert the error.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for webcare::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// A core error about argument values: `webcare.ValidationError` (a `ValueError` too) for a
/// validation error, a plain `ValueError` otherwise.
pub fn value_error(e: webcare::Error) -> PyErr {
    if e.kind() == ErrorKind::Validation {
        to_py(e)
    } else {
        PyValueError::new_err(e.message().to_string())
    }
}
