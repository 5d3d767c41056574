//! `webcare.Filter`: an immutable wrapper of the core filter.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString, PyTuple};

use webcare::filter::parse_datetime;
use webcare::{Filter, NewResults, Order, Period, SentimentClass, Source};

use crate::convert::{id_arg, json_to_py, py_to_json, str_arg};
use crate::errors::value_error;

/// A search filter (immutable: every builder method returns a new `Filter`).
///
/// `Filter(sources=["twitter"], sentiment="negative", limit=25)` or
/// `Filter().source("twitter").sentiment("negative")`. `str(f)` is the canonical path;
/// `Filter.parse(path)` reads one back.
#[pyclass(name = "Filter", module = "webcare", frozen)]
#[derive(Clone)]
pub struct PyFilter {
    pub inner: Filter,
}

const TEXT_KEYS: [&str; 10] = [
    "category",
    "label",
    "hashtag",
    "website",
    "word",
    "profile",
    "country",
    "city",
    "municipality",
    "province",
];

fn parse_source(obj: &Bound<'_, PyAny>) -> PyResult<Source> {
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        let id: i64 = obj.extract()?;
        return Source::from_id(id)
            .ok_or_else(|| PyValueError::new_err(format!("unknown source id {id}")));
    }
    let name = str_arg(obj, "source")?;
    Source::parse(&name).map_err(value_error)
}

fn parse_sources(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Source>> {
    if obj.is_instance_of::<PyString>() {
        // "twitter,facebook" or one name.
        let s: String = obj.extract()?;
        return s
            .split(',')
            .map(|p| Source::parse(p.trim()).map_err(value_error))
            .collect();
    }
    let mut out: Vec<Source> = Vec::new();
    let iter = obj
        .try_iter()
        .map_err(|_| PyTypeError::new_err("sources must be a str or an iterable of str"))?;
    for item in iter {
        let s = parse_source(&item?)?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

fn parse_sentiment(obj: &Bound<'_, PyAny>) -> PyResult<SentimentClass> {
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        let v: i64 = obj.extract()?;
        if !(-2..=2).contains(&v) {
            return Err(PyValueError::new_err(format!(
                "sentiment must be between -2 and 2, got {v}"
            )));
        }
        return Ok(SentimentClass::from_value(v));
    }
    let s = str_arg(obj, "sentiment")?;
    SentimentClass::parse(&s).map_err(value_error)
}

fn datetime_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if obj.is_instance_of::<PyString>() {
        return obj.extract();
    }
    if obj.hasattr("isoformat")? {
        return obj.call_method0("isoformat")?.extract();
    }
    Err(PyTypeError::new_err(
        "period bounds must be datetime objects or ISO 8601 strings",
    ))
}

fn parse_period(obj: &Bound<'_, PyAny>) -> PyResult<Period> {
    if obj.is_instance_of::<PyString>() {
        let s: String = obj.extract()?;
        return Period::parse(s.trim()).map_err(value_error);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        if t.len() == 2 {
            let a = parse_datetime(&datetime_text(&t.get_item(0)?)?).map_err(value_error)?;
            let b = parse_datetime(&datetime_text(&t.get_item(1)?)?).map_err(value_error)?;
            if b < a {
                return Err(PyValueError::new_err("period ends before it starts"));
            }
            return Ok(Period::range(a, b));
        }
    }
    Err(PyTypeError::new_err(
        "period must be 'day', 'week', 'month', 'year', 'START,END' or a (start, end) tuple",
    ))
}

fn parse_order(obj: &Bound<'_, PyAny>) -> PyResult<Order> {
    let s = str_arg(obj, "order")?;
    let norm: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '+'))
        .flat_map(char::to_lowercase)
        .collect();
    match norm.as_str() {
        "mostrecent" | "newest" | "desc" => Ok(Order::MostRecent),
        "leastrecent" | "oldest" | "asc" => Ok(Order::LeastRecent),
        _ => Err(PyValueError::new_err(format!(
            "unknown order '{s}' (expected 'most_recent' or 'least_recent')"
        ))),
    }
}

fn parse_new_results(obj: &Bound<'_, PyAny>) -> PyResult<Option<NewResults>> {
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(b.is_true().then_some(NewResults::True));
    }
    let s = str_arg(obj, "new_results")?;
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(Some(NewResults::True)),
        "reset" => Ok(Some(NewResults::Reset)),
        _ => Err(PyValueError::new_err(format!(
            "unknown new_results '{s}' (expected True, 'true' or 'reset')"
        ))),
    }
}

fn parse_limit(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    let n = id_arg(obj, "limit")?;
    if n == 0 {
        return Err(PyValueError::new_err("limit must be at least 1"));
    }
    u32::try_from(n).map_err(|_| PyValueError::new_err(format!("limit is too large: {n}")))
}

fn parse_bool(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    obj.cast::<PyBool>()
        .map(|b| b.is_true())
        .map_err(|_| PyTypeError::new_err(format!("{name} must be a bool")))
}

/// Set one field from a keyword (None clears it).
fn set_field(f: &mut Filter, key: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let none = value.is_none();
    match key {
        "sources" | "source" => {
            f.sources = if none {
                Vec::new()
            } else {
                parse_sources(value)?
            };
        }
        "sentiment" => {
            f.sentiment = if none {
                None
            } else {
                Some(parse_sentiment(value)?)
            }
        }
        "period" => {
            f.period = if none {
                None
            } else {
                Some(parse_period(value)?)
            }
        }
        "result_ids" | "result_id" | "results" => {
            f.result_ids.clear();
            if !none {
                if value.is_instance_of::<PyInt>() {
                    f.result_ids.push(id_arg(value, "result_id")?);
                } else {
                    for item in value.try_iter()? {
                        let id = id_arg(&item?, "result_ids")?;
                        if !f.result_ids.contains(&id) {
                            f.result_ids.push(id);
                        }
                    }
                }
            }
        }
        "assigned" => {
            f.assigned = if none {
                None
            } else {
                Some(id_arg(value, key)?)
            }
        }
        "order" => {
            f.order = if none {
                None
            } else {
                Some(parse_order(value)?)
            }
        }
        "since_id" => {
            f.since_id = if none {
                None
            } else {
                Some(id_arg(value, key)?)
            }
        }
        "new_results" => {
            f.new_results = if none {
                None
            } else {
                parse_new_results(value)?
            }
        }
        "limit" => {
            f.limit = if none {
                None
            } else {
                Some(parse_limit(value)?)
            }
        }
        "offset" => {
            f.offset = if none {
                None
            } else {
                Some(id_arg(value, key)?)
            }
        }
        "checked" => {
            f.checked = if none {
                None
            } else {
                Some(parse_bool(value, key)?)
            }
        }
        k if TEXT_KEYS.contains(&k) => {
            let v = if none {
                None
            } else {
                let s = str_arg(value, k)?;
                if s.trim().is_empty() {
                    return Err(PyValueError::new_err(format!("{k} must not be empty")));
                }
                Some(s)
            };
            let slot = match k {
                "category" => &mut f.category,
                "label" => &mut f.label,
                "hashtag" => &mut f.hashtag,
                "website" => &mut f.website,
                "word" => &mut f.word,
                "profile" => &mut f.profile,
                "country" => &mut f.country,
                "city" => &mut f.city,
                "municipality" => &mut f.municipality,
                _ => &mut f.province,
            };
            *slot = v;
        }
        other => {
            return Err(PyTypeError::new_err(format!(
                "Filter got an unexpected keyword argument '{other}'"
            )))
        }
    }
    Ok(())
}

impl PyFilter {
    fn with(&self, key: &str, value: &Bound<'_, PyAny>) -> PyResult<PyFilter> {
        let mut f = self.inner.clone();
        set_field(&mut f, key, value)?;
        Ok(PyFilter { inner: f })
    }
}

/// The filter of an optional `Filter` / path string argument.
pub fn filter_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Filter> {
    match obj {
        None => Ok(Filter::new()),
        Some(o) if o.is_none() => Ok(Filter::new()),
        Some(o) => {
            if let Ok(f) = o.cast::<PyFilter>() {
                return Ok(f.get().inner.clone());
            }
            if o.is_instance_of::<PyString>() {
                let s: String = o.extract()?;
                return Filter::parse(&s).map_err(value_error);
            }
            Err(PyTypeError::new_err(format!(
                "filter must be a webcare.Filter or a filter path str, not {}",
                o.get_type().name()?
            )))
        }
    }
}

#[pymethods]
impl PyFilter {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut f = Filter::new();
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let key: String = k.extract()?;
                set_field(&mut f, &key, &v)?;
            }
        }
        Ok(PyFilter { inner: f })
    }

    /// Parse a filter path (`source:twitter/negative/limit:25`; a leading `/` is fine).
    #[staticmethod]
    fn parse(path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let s = str_arg(path, "path")?;
        Filter::parse(&s)
            .map(|inner| PyFilter { inner })
            .map_err(value_error)
    }

    /// Parse a full search path (`/results/<profile>/<segments>` or `<profile>/<segments>`)
    /// into `(profile, filter)`.
    #[staticmethod]
    fn parse_path(path: &Bound<'_, PyAny>) -> PyResult<(String, Self)> {
        let s = str_arg(path, "path")?;
        let sp = webcare::SearchPath::parse(&s).map_err(value_error)?;
        Ok((sp.profile, PyFilter { inner: sp.filter }))
    }

    /// A filter from its JSON form (as in the shared test vectors).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let v = py_to_json(data)?;
        serde_json::from_value::<Filter>(v)
            .map(|inner| PyFilter { inner })
            .map_err(|e| PyValueError::new_err(format!("invalid filter: {e}")))
    }

    /// The JSON form (only set fields).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(&self.inner)
            .map_err(|e| PyValueError::new_err(format!("cannot serialize the filter: {e}")))?;
        let v = match v {
            serde_json::Value::Object(m) => serde_json::Value::Object(
                m.into_iter()
                    .filter(|(_, v)| {
                        !v.is_null() && !matches!(v, serde_json::Value::Array(a) if a.is_empty())
                    })
                    .collect(),
            ),
            other => other,
        };
        json_to_py(py, &v)
    }

    /// A copy with these fields replaced (`None` clears one).
    #[pyo3(signature = (**kwargs))]
    fn replace(&self, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut f = self.inner.clone();
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let key: String = k.extract()?;
                set_field(&mut f, &key, &v)?;
            }
        }
        Ok(PyFilter { inner: f })
    }

    /// The canonical path (no leading slash).
    fn render(&self) -> String {
        self.inner.render()
    }

    /// The full search path for a profile: `/results/<profile>/<segments>`.
    fn to_path(&self, profile: &str) -> String {
        self.inner.to_path(profile)
    }

    /// Check the filter can be sent (raises `ValueError`).
    fn validate(&self) -> PyResult<()> {
        self.inner.validate().map_err(value_error)
    }

    /// Add sources (names like `"twitter"` or ids).
    #[pyo3(signature = (*names))]
    fn source(&self, names: &Bound<'_, PyTuple>) -> PyResult<Self> {
        let mut f = self.inner.clone();
        for n in names.iter() {
            for s in parse_sources(&n)? {
                f = f.source(s);
            }
        }
        Ok(PyFilter { inner: f })
    }
    /// Replace the sources.
    fn sources(&self, names: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("sources", names)
    }
    /// Sentiment class (`"negative"`, `"very negative"`, `-1`, ...).
    #[pyo3(name = "sentiment")]
    fn with_sentiment(&self, value: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("sentiment", value)
    }
    /// Period: `"day"`, `"week"`, `"month"`, `"year"` or `(start, end)` datetimes / strings.
    #[pyo3(name = "period", signature = (start, end=None))]
    fn with_period(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        match end {
            None => self.with("period", start),
            Some(e) => {
                let t = PyTuple::new(py, [start.clone(), e.clone()])?;
                self.with("period", t.as_any())
            }
        }
    }
    /// `category:name`.
    #[pyo3(name = "category")]
    fn with_category(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("category", v)
    }
    /// `label:name`.
    #[pyo3(name = "label")]
    fn with_label(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("label", v)
    }
    /// `hashtag:tag`.
    #[pyo3(name = "hashtag")]
    fn with_hashtag(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("hashtag", v)
    }
    /// `website:url`.
    #[pyo3(name = "website")]
    fn with_website(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("website", v)
    }
    /// `word:w`.
    #[pyo3(name = "word")]
    fn with_word(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("word", v)
    }
    /// `profile:name`.
    #[pyo3(name = "profile")]
    fn with_profile(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("profile", v)
    }
    /// `country:name`.
    #[pyo3(name = "country")]
    fn with_country(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("country", v)
    }
    /// `city:name`.
    #[pyo3(name = "city")]
    fn with_city(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("city", v)
    }
    /// `municipality:name`.
    #[pyo3(name = "municipality")]
    fn with_municipality(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("municipality", v)
    }
    /// `province:name`.
    #[pyo3(name = "province")]
    fn with_province(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("province", v)
    }
    /// Add result ids (OR).
    #[pyo3(signature = (*ids))]
    fn result_id(&self, ids: &Bound<'_, PyTuple>) -> PyResult<Self> {
        let mut f = self.inner.clone();
        for id in ids.iter() {
            f = f.result_id(id_arg(&id, "result_id")?);
        }
        Ok(PyFilter { inner: f })
    }
    /// `assigned:userId`.
    #[pyo3(name = "assigned")]
    fn with_assigned(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("assigned", v)
    }
    /// `"most_recent"` or `"least_recent"`.
    #[pyo3(name = "order")]
    fn with_order(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("order", v)
    }
    /// `sinceId:id`.
    #[pyo3(name = "since_id")]
    fn with_since_id(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("since_id", v)
    }
    /// `new+results:true` (`True`/`"true"`) or `new+results:reset` (`"reset"`).
    #[pyo3(name = "new_results", signature = (v=None))]
    fn with_new_results(&self, py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        match v {
            Some(v) => self.with("new_results", v),
            None => self.with("new_results", PyBool::new(py, true).as_any()),
        }
    }
    /// `limit:n` (page size).
    #[pyo3(name = "limit")]
    fn with_limit(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("limit", v)
    }
    /// `offset:n`.
    #[pyo3(name = "offset")]
    fn with_offset(&self, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        self.with("offset", v)
    }
    /// `checked` (True) or `notChecked` (False).
    #[pyo3(name = "checked", signature = (v=true))]
    fn with_checked(&self, py: Python<'_>, v: bool) -> PyResult<Self> {
        self.with("checked", PyBool::new(py, v).as_any())
    }

    fn __str__(&self) -> String {
        self.inner.render()
    }
    fn __repr__(&self) -> String {
        format!("Filter('{}')", self.inner.render().replace('\'', "\\'"))
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyFilter>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }
    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.render().hash(&mut h);
        h.finish()
    }
    fn __bool__(&self) -> bool {
        self.inner != Filter::new()
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let cls = slf.get_type().getattr("parse")?;
        Ok((cls, (slf.get().inner.render(),)))
    }
}
