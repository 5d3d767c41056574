//! Frozen Python views of the core's typed objects.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use webcare::model::{Ack, Configuration, ReplySent, ResultWithContext, SsoToken};
use webcare::{Source, WebcareResult};

use crate::convert::{json_to_py, map_to_py};

/// One result (a message, post, comment or private message). Frozen; unknown fields are in
/// `extra`.
#[pyclass(name = "WebcareResult", module = "webcare", frozen)]
#[derive(Clone)]
pub struct PyWebcareResult {
    pub inner: Arc<WebcareResult>,
}

impl PyWebcareResult {
    pub fn new(r: WebcareResult) -> Self {
        PyWebcareResult { inner: Arc::new(r) }
    }
}

fn utc_datetime<'py>(py: Python<'py>, ms: i64) -> PyResult<Bound<'py, PyAny>> {
    let dt = py.import("datetime")?;
    let utc = dt.getattr("timezone")?.getattr("utc")?;
    dt.getattr("datetime")?
        .call_method1("fromtimestamp", (ms as f64 / 1000.0, utc))
}

macro_rules! getters {
    ($ty:ident { $( $(#[$doc:meta])* $name:ident : $ret:ty = |$r:ident| $e:expr ;)* } extra { $($extra:tt)* }) => {
        #[pymethods]
        impl $ty {
            $($extra)*
            $(
                $(#[$doc])*
                #[getter]
                fn $name(&self) -> $ret {
                    let $r = &*self.inner;
                    $e
                }
            )*
        }
    };
}

getters!(PyWebcareResult {
    /// Result id (grows with time).
    unique_id: u64 = |r| r.unique_id;
    /// The search (profile) id.
    search_id: Option<u64> = |r| r.search_id;
    /// The case id.
    case_id: Option<String> = |r| r.case_id.clone();
    /// The person id.
    person_id: Option<String> = |r| r.person_id.clone();
    /// The author's profile id on the source.
    profile_id: Option<String> = |r| r.profile_id.clone();
    /// Link to the message.
    link: Option<String> = |r| r.link.clone();
    /// Title (usually the author's name).
    title: Option<String> = |r| r.title.clone();
    /// Subtitle.
    subtitle: Option<String> = |r| r.subtitle.clone();
    /// The message text.
    description: Option<String> = |r| r.description.clone();
    /// Author image.
    image: Option<String> = |r| r.image.clone();
    /// Link behind the image.
    image_link: Option<String> = |r| r.image_link.clone();
    /// Time as served (see `timestamp`).
    time: Option<String> = |r| r.time.clone();
    /// A private message.
    private: bool = |r| r.private;
    /// Sent by the company.
    own: bool = |r| r.own;
    /// Source id.
    source: i64 = |r| r.source;
    /// Source name (`twitter`, ...) for the default source ids.
    source_name: Option<&'static str> = |r| Source::from_id(r.source).map(|s| s.as_str());
    /// Type: 1 page, 2 post, 3 comment, 4 private message, 5 ad.
    r#type: i64 = |r| r.result_type;
    /// Status (5 = deleted).
    status: i64 = |r| r.status;
    /// Sentiment, -2 .. 2.
    sentiment: i64 = |r| r.sentiment;
    /// Sentiment class name (`very_negative` .. `very_positive`).
    sentiment_label: &'static str = |r| r.sentiment_class().as_str();
    /// Checked by an agent.
    checked: bool = |r| r.checked;
    /// Bookmarked.
    bookmarked: bool = |r| r.bookmarked;
    /// Tracebuzz rank.
    tbrank: Option<i64> = |r| r.tbrank;
    /// Tag names.
    tags: Vec<String> = |r| r.tags_list.iter().map(|t| t.name.clone()).collect();
    /// Ids of replies.
    replies: Vec<String> = |r| r.replies.clone();
    /// Notes.
    notes: Vec<String> = |r| r.notes.clone();
    /// A draft reply.
    draft: Option<String> = |r| r.draft.clone();
    /// Ids of the connections that can reply.
    available_connections: Vec<u64> = |r| r.available_connections.iter().map(|c| c.id).collect();
    /// The default connection for replies.
    default_connection: Option<u64> = |r| r.default_connection;
    /// Text to put before a reply.
    reply_prefix: Option<String> = |r| r.reply_prefix.clone();
    /// Text to put after a reply.
    reply_suffix: Option<String> = |r| r.reply_suffix.clone();
    /// Whether a reply is possible.
    reply_available: bool = |r| r.reply_available;
    /// Whether a like is possible.
    like_available: bool = |r| r.like_available;
    /// Whether the result was deleted.
    is_deleted: bool = |r| r.is_deleted();
    /// Milliseconds since the epoch, if `time` parses.
    timestamp_ms: Option<i64> = |r| r.timestamp_ms();
} extra {
    /// The time as an aware UTC `datetime`, if it parses.
    #[getter]
    fn timestamp<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .timestamp_ms()
            .map(|ms| utc_datetime(py, ms))
            .transpose()
    }

    /// Every field this type does not name, as served.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.inner.extra)
    }

    /// The result as served (camelCase keys, unknown fields included).
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = serde_json::to_value(&*self.inner).map_err(|e| {
            pyo3::exceptions::PyValueError::new_err(format!("cannot serialize: {e}"))
        })?;
        json_to_py(py, &v)
    }

    /// The typed fields (snake_case) plus `extra`.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
        let py = slf.py();
        let d = PyDict::new(py);
        for name in FIELDS {
            d.set_item(*name, slf.getattr(*name)?)?;
        }
        d.set_item("extra", slf.getattr("extra")?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let r = &self.inner;
        let text: String = r.description.as_deref().unwrap_or("").chars().take(40).collect();
        let more = if r.description.as_deref().map_or(0, |d| d.chars().count()) > 40 {
            "..."
        } else {
            ""
        };
        format!(
            "WebcareResult(unique_id={}, source={:?}, time={:?}, sentiment={}, case_id={:?}, own={}, description={:?}{})",
            r.unique_id,
            Source::from_id(r.source).map_or_else(|| r.source.to_string(), |s| s.as_str().to_string()),
            r.time.as_deref().unwrap_or(""),
            r.sentiment,
            r.case_id.as_deref().unwrap_or(""),
            if r.own { "True" } else { "False" },
            text,
            more
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyWebcareResult>()
            .map(|o| *o.get().inner == *self.inner)
            .unwrap_or(false)
    }

    fn __hash__(&self) -> u64 {
        self.inner.unique_id
    }
});

/// The field names of `WebcareResult.to_dict()`.
pub const FIELDS: &[&str] = &[
    "unique_id",
    "search_id",
    "case_id",
    "person_id",
    "profile_id",
    "link",
    "title",
    "subtitle",
    "description",
    "image",
    "image_link",
    "time",
    "private",
    "own",
    "source",
    "source_name",
    "type",
    "status",
    "sentiment",
    "sentiment_label",
    "checked",
    "bookmarked",
    "tbrank",
    "tags",
    "replies",
    "notes",
    "draft",
    "available_connections",
    "default_connection",
    "reply_prefix",
    "reply_suffix",
    "reply_available",
    "like_available",
];

/// Python objects for a list of results.
pub fn results_list<'py>(py: Python<'py>, rs: &[WebcareResult]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for r in rs {
        list.append(Bound::new(py, PyWebcareResult::new(r.clone()))?)?;
    }
    Ok(list)
}

/// A result and its conversation context (`client.result(id)`).
#[pyclass(name = "ResultWithContext", module = "webcare", frozen)]
pub struct PyResultWithContext {
    /// The result.
    #[pyo3(get)]
    pub result: Py<PyWebcareResult>,
    /// The other results of the conversation, oldest first.
    #[pyo3(get)]
    pub context: Py<PyList>,
}

impl PyResultWithContext {
    pub fn build(py: Python<'_>, r: ResultWithContext) -> PyResult<Self> {
        Ok(PyResultWithContext {
            result: Py::new(py, PyWebcareResult::new(r.result))?,
            context: results_list(py, &r.context)?.unbind(),
        })
    }
}

#[pymethods]
impl PyResultWithContext {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "ResultWithContext(result={}, context=<{} results>)",
            self.result.get().__repr__(),
            self.context.bind(py).len()
        ))
    }
}

/// One page of a search.
#[pyclass(name = "Page", module = "webcare", frozen)]
pub struct PyPage {
    pub results: Arc<Vec<WebcareResult>>,
    /// The offset asked for.
    #[pyo3(get)]
    pub offset: u64,
    /// The page size asked for.
    #[pyo3(get)]
    pub limit: u32,
    /// The total count, when the server reports one.
    #[pyo3(get)]
    pub total: Option<u64>,
}

impl PyPage {
    pub fn new(p: webcare::Page) -> Self {
        PyPage {
            results: Arc::new(p.results),
            offset: p.offset,
            limit: p.limit,
            total: p.total,
        }
    }
}

#[pymethods]
impl PyPage {
    /// The results of the page.
    #[getter]
    fn results<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        results_list(py, &self.results)
    }
    fn __len__(&self) -> usize {
        self.results.len()
    }
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(results_list(py, &self.results)?
            .as_any()
            .try_iter()?
            .into_any())
    }
    /// The page as Arrow data (an object with `__arrow_c_stream__`).
    fn to_arrow_stream(&self) -> crate::arrow::ArrowResults {
        crate::arrow::ArrowResults::from_results(&self.results)
    }
    fn __repr__(&self) -> String {
        format!(
            "Page(offset={}, limit={}, total={}, results=<{} results>)",
            self.offset,
            self.limit,
            crate::convert::opt_repr(self.total),
            self.results.len()
        )
    }
}

/// The acknowledgement of an operation (events, case operations).
#[pyclass(name = "Ack", module = "webcare", frozen)]
pub struct PyAck {
    pub inner: Ack,
}

#[pymethods]
impl PyAck {
    /// The request path the server saw (no leading slash).
    #[getter]
    fn url(&self) -> String {
        self.inner.url.clone()
    }
    /// The HTTP method, lower-case.
    #[getter]
    fn method(&self) -> String {
        self.inner.method.clone()
    }
    /// Server-side duration in seconds.
    #[getter]
    fn duration(&self) -> f64 {
        self.inner.duration
    }
    /// The request id, if any.
    #[getter]
    fn request_id(&self) -> Option<String> {
        self.inner.request_id.clone()
    }
    /// The `data` object as served.
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.data)
    }
    fn __repr__(&self) -> String {
        format!(
            "Ack(method={:?}, url={:?}, duration={})",
            self.inner.method, self.inner.url, self.inner.duration
        )
    }
}

/// The outcome of a reply.
#[pyclass(name = "ReplySent", module = "webcare", frozen)]
pub struct PyReplySent {
    /// The reply as a result (`own=True`), when the server returned it.
    #[pyo3(get)]
    pub result: Option<Py<PyWebcareResult>>,
    /// The connection the reply was sent from (given, or the result's default).
    #[pyo3(get)]
    pub connection_id: u64,
    /// The acknowledgement.
    #[pyo3(get)]
    pub ack: Py<PyAck>,
}

impl PyReplySent {
    pub fn build(py: Python<'_>, r: ReplySent) -> PyResult<Self> {
        Ok(PyReplySent {
            result: r
                .result
                .map(|x| Py::new(py, PyWebcareResult::new(x)))
                .transpose()?,
            connection_id: r.connection_id,
            ack: Py::new(py, PyAck { inner: r.ack })?,
        })
    }
}

#[pymethods]
impl PyReplySent {
    fn __repr__(&self) -> String {
        match &self.result {
            Some(r) => format!(
                "ReplySent(connection_id={}, result={})",
                self.connection_id,
                r.get().__repr__()
            ),
            None => format!(
                "ReplySent(connection_id={}, result=None)",
                self.connection_id
            ),
        }
    }
}

/// A single sign-on token. The token is never shown by `repr`/`str`: read it with `reveal()`.
#[pyclass(name = "SsoToken", module = "webcare", frozen)]
pub struct PySsoToken {
    pub inner: SsoToken,
}

#[pymethods]
impl PySsoToken {
    /// The token itself (a secret: do not log it).
    fn reveal(&self) -> Option<String> {
        self.inner.token.as_ref().map(|t| t.expose().to_string())
    }
    /// When it expires, as served.
    #[getter]
    fn expires(&self) -> Option<String> {
        self.inner.expires.clone()
    }
    /// Other fields as served.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.inner.extra)
    }
    fn __repr__(&self) -> String {
        format!(
            "SsoToken(token='{}', expires={})",
            webcare::redact::REDACTED,
            crate::convert::opt_str_repr(self.inner.expires.as_deref())
        )
    }
    fn __str__(&self) -> String {
        self.__repr__()
    }
    fn __reduce__(&self) -> PyResult<()> {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "SsoToken cannot be pickled (it holds a secret)",
        ))
    }
}

/// The account configuration. `to_dict()` gives everything as served (camelCase keys).
#[pyclass(name = "Configuration", module = "webcare", frozen)]
pub struct PyConfiguration {
    pub inner: Configuration,
}

fn to_value<T: serde::Serialize>(v: &T) -> PyResult<serde_json::Value> {
    serde_json::to_value(v)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("cannot serialize: {e}")))
}

#[pymethods]
impl PyConfiguration {
    /// Source name to id (`configuration.globals.sources`).
    #[getter]
    fn sources(&self) -> std::collections::BTreeMap<String, i64> {
        self.inner.globals.sources.clone()
    }
    /// The company name.
    #[getter]
    fn company(&self) -> String {
        self.inner.account.company.clone()
    }
    /// The users (handlers), as dicts.
    #[getter]
    fn users<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_value(&self.inner.account.users)?)
    }
    /// The search profiles, as dicts.
    #[getter]
    fn searches<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_value(&self.inner.account.searches)?)
    }
    /// The connections, as dicts.
    #[getter]
    fn connections<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_value(&self.inner.account.connections)?)
    }
    /// The names of the search profiles.
    fn search_names(&self) -> Vec<String> {
        self.inner
            .account
            .searches
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }
    /// The search profile with this name, as a dict (or None).
    fn search<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .search(name)
            .map(|s| json_to_py(py, &to_value(s)?))
            .transpose()
    }
    /// The user ids.
    fn user_ids(&self) -> Vec<u64> {
        self.inner.account.users.iter().map(|u| u.id).collect()
    }
    /// The source name for a source id.
    fn source_name(&self, id: i64) -> Option<String> {
        self.inner.source_name(id)
    }
    /// Everything, as served.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &to_value(&self.inner)?)
    }
    fn __repr__(&self) -> String {
        format!(
            "Configuration(company={:?}, searches={:?}, users={})",
            self.inner.account.company,
            self.search_names(),
            self.inner.account.users.len()
        )
    }
}
