//! JSON values to Python objects, and argument helpers.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::Value;

/// A JSON value as a Python object (dicts keep the served order).
pub fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

/// A JSON object as a Python dict.
pub fn map_to_py<'py>(
    py: Python<'py>,
    map: &serde_json::Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in map {
        d.set_item(k, json_to_py(py, v)?)?;
    }
    Ok(d)
}

/// A non-negative integer id argument: `TypeError` for a non-int (bool included), `ValueError`
/// for a negative one.
pub fn id_arg(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an int, not {}",
            obj.get_type().name()?
        )));
    }
    let v: i128 = obj.extract()?;
    if v < 0 {
        return Err(PyValueError::new_err(format!(
            "{name} must be a non-negative integer, got {v}"
        )));
    }
    u64::try_from(v).map_err(|_| PyValueError::new_err(format!("{name} is too large: {v}")))
}

/// A string argument: `TypeError` for anything else.
pub fn str_arg(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    if !obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a str, not {}",
            obj.get_type().name()?
        )));
    }
    // A str with a lone surrogate ("\ud800") is not UTF-8: a ValueError naming the argument
    // (the UnicodeEncodeError is kept as its cause).
    obj.extract().map_err(|e: PyErr| {
        Python::attach(|py| {
            let err = PyValueError::new_err(format!(
                "{name} is not valid Unicode text (it cannot be encoded as UTF-8: {})",
                e.value(py)
            ));
            err.set_cause(py, Some(e));
            err
        })
    })
}

/// A duration in seconds (int or float, > 0).
pub fn seconds_arg(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<std::time::Duration> {
    if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a number of seconds"
        )));
    }
    let v: f64 = obj
        .extract()
        .map_err(|_| PyTypeError::new_err(format!("{name} must be a number of seconds")))?;
    if !v.is_finite() || v <= 0.0 {
        return Err(PyValueError::new_err(format!(
            "{name} must be a positive number of seconds, got {v}"
        )));
    }
    std::time::Duration::try_from_secs_f64(v)
        .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))
}

/// A Python value (dict, list, tuple, str, int, float, bool, None) as JSON.
pub fn py_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        let u: u64 = obj.extract()?;
        return Ok(Value::from(u));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .unwrap_or(Value::Null));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("dict keys must be str"))?;
            map.insert(key, py_to_json(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<pyo3::types::PyTuple>() {
        let mut items = Vec::new();
        for item in obj.try_iter()? {
            items.push(py_to_json(&item?)?);
        }
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert {} to JSON",
        obj.get_type().name()?
    )))
}

/// A Python-style repr of an optional value (`None` or the value's repr).
pub fn opt_repr<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "None".to_string(), |x| x.to_string())
}

/// A Python-style repr of an optional string (`None` or `'text'`).
pub fn opt_str_repr(v: Option<&str>) -> String {
    v.map_or_else(|| "None".to_string(), |x| format!("{x:?}"))
}
