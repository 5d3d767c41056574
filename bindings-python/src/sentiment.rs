//! Offline sentiment scoring (`webcare.sentiment`, `webcare.sentiment_many`).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat, PyList, PyString, PyTuple};

use webcare::sentiment::{score_in, score_many};
use webcare::{Language, Score};

use crate::errors::value_error;

/// A sentiment score: `compound` in [-1, 1], the five-class `label` and its API `value`
/// (-2..2), the `language` used (`en`/`nl`), and the token proportions `pos`/`neu`/`neg`.
#[pyclass(name = "Score", module = "webcare", frozen)]
#[derive(Clone)]
pub struct PyScore {
    pub inner: Score,
}

#[pymethods]
impl PyScore {
    /// Compound score in [-1, 1].
    #[getter]
    fn compound(&self) -> f64 {
        self.inner.compound
    }
    /// The five-class label (`very_negative` .. `very_positive`).
    #[getter]
    fn label(&self) -> &'static str {
        self.inner.class.as_str()
    }
    /// The API sentiment integer (-2..2).
    #[getter]
    fn value(&self) -> i8 {
        self.inner.value()
    }
    /// The language used to score (`en` or `nl`).
    #[getter]
    fn language(&self) -> &'static str {
        self.inner.language.code()
    }
    /// Proportion of positive tokens.
    #[getter]
    fn pos(&self) -> f64 {
        self.inner.positive
    }
    /// Proportion of neutral tokens.
    #[getter]
    fn neu(&self) -> f64 {
        self.inner.neutral
    }
    /// Proportion of negative tokens.
    #[getter]
    fn neg(&self) -> f64 {
        self.inner.negative
    }
    /// The score as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("compound", self.inner.compound)?;
        d.set_item("label", self.label())?;
        d.set_item("value", self.value())?;
        d.set_item("language", self.language())?;
        d.set_item("pos", self.inner.positive)?;
        d.set_item("neu", self.inner.neutral)?;
        d.set_item("neg", self.inner.negative)?;
        Ok(d)
    }
    fn __float__(&self) -> f64 {
        self.inner.compound
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyScore>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }
    fn __repr__(&self) -> String {
        format!(
            "Score(compound={:.4}, label='{}', value={}, language='{}', pos={:.3}, neu={:.3}, neg={:.3})",
            self.inner.compound,
            self.label(),
            self.value(),
            self.language(),
            self.inner.positive,
            self.inner.neutral,
            self.inner.negative
        )
    }
}

fn language(lang: &str) -> PyResult<Language> {
    Language::parse(lang).map_err(value_error)
}

/// Score one text offline (English VADER, Dutch lexicon; `lang="auto"` detects the language).
#[pyfunction]
#[pyo3(signature = (text, lang="auto"))]
pub fn sentiment(py: Python<'_>, text: &Bound<'_, PyAny>, lang: &str) -> PyResult<PyScore> {
    let lang = language(lang)?;
    let text = crate::convert::str_arg(text, "text")?;
    let inner = py.detach(move || score_in(&text, lang));
    Ok(PyScore { inner })
}

/// Score many texts with the GIL released. `texts` is any iterable of `str` (a list, a
/// generator, a pandas Series). `None` and NaN entries give `None`. Returns a list of `Score`,
/// or of compound floats (NaN for missing texts) with `compound=True`.
///
/// The texts are copied out as UTF-8 with the GIL held (a `list` or `tuple` is read directly,
/// anything else through the iterator protocol), scored by the core's `score_many` (on every
/// core for large batches) with the GIL released, and the results are built into a list of the
/// exact size.
#[pyfunction]
#[pyo3(signature = (texts, lang="auto", *, compound=false))]
pub fn sentiment_many<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    lang: &str,
    compound: bool,
) -> PyResult<Bound<'py, PyList>> {
    let lang = language(lang)?;
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "texts must be an iterable of str, not a str (use webcare.sentiment for one text)",
        ));
    }
    // A list, tuple or Series knows its length; a generator does not (0: grow as needed).
    let n = texts.len().unwrap_or(0);
    // Each text as a UTF-8 `bytes` object, kept alive here so that the scorer can borrow its
    // buffer with the GIL released (no copy into a `String`).
    let mut utf8: Vec<Bound<'py, PyBytes>> = Vec::with_capacity(n);
    let mut present: Vec<bool> = Vec::with_capacity(n);
    let mut take = |i: usize, item: Bound<'py, PyAny>| -> PyResult<()> {
        if let Ok(s) = item.cast::<PyString>() {
            // A lone surrogate ("\ud800") is not UTF-8: a ValueError, as for `sentiment`.
            let bytes = s.encode_utf8().map_err(|e| {
                let err = PyValueError::new_err(format!(
                    "texts[{i}] is not valid Unicode text (it cannot be encoded as UTF-8: {})",
                    e.value(s.py())
                ));
                err.set_cause(s.py(), Some(e));
                err
            })?;
            utf8.push(bytes);
            present.push(true);
            return Ok(());
        }
        if item.is_none() || item.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            present.push(false);
            return Ok(());
        }
        Err(PyTypeError::new_err(format!(
            "texts[{i}] must be a str, not {}",
            item.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        )))
    };
    if let Ok(list) = texts.cast::<PyList>() {
        for (i, item) in list.iter().enumerate() {
            take(i, item)?;
        }
    } else if let Ok(tuple) = texts.cast::<PyTuple>() {
        for (i, item) in tuple.iter().enumerate() {
            take(i, item)?;
        }
    } else {
        let iter = texts.try_iter().map_err(|_| {
            PyTypeError::new_err("texts must be an iterable of str (a list, a pandas Series, ...)")
        })?;
        for (i, item) in iter.enumerate() {
            take(i, item?)?;
        }
    }
    // `encode_utf8` produced valid UTF-8, so the lossy conversion never copies.
    let owned: Vec<std::borrow::Cow<'_, str>> = utf8
        .iter()
        .map(|b| String::from_utf8_lossy(b.as_bytes()))
        .collect();
    let scores = py.detach(move || score_many(&owned, lang));
    let mut it = scores.into_iter();
    let mut next = |p: bool| if p { it.next() } else { None };
    if compound {
        PyList::new(
            py,
            present
                .iter()
                .map(|&p| next(p).map_or(f64::NAN, |s| s.compound)),
        )
    } else {
        PyList::new(
            py,
            present
                .iter()
                .map(|&p| next(p).map(|inner| PyScore { inner })),
        )
    }
}
