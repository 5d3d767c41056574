//! The native client: blocking methods (the GIL released, Ctrl-C cancels) and `*_async`
//! methods (awaitables polling tasks on the core's runtime). `webcare.Client` and
//! `webcare.AsyncClient` (Python) wrap this class.

use std::future::Future;
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use futures::lock::Mutex;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

use webcare::paging::NextPage;
use webcare::{ClientBuilder, Event, Filter, ReplyRequest, ResultPager, WatchOptions, Watcher};

use crate::aio::{self, Pending};
use crate::arrow::ArrowResults;
use crate::convert::{id_arg, seconds_arg, str_arg};
use crate::errors::{to_py, IntoPyResult};
use crate::filter::filter_arg;
use crate::models::{
    results_list, PyAck, PyConfiguration, PyPage, PyReplySent, PyResultWithContext, PySsoToken,
    PyWebcareResult,
};
use webcare::arrow::ArrowDecoder;

/// Run a core future on the core's runtime and wait for it with the GIL released. Signals
/// (Ctrl-C) are checked every 100 ms on the main thread: a pending exception drops the task,
/// which aborts the request.
pub fn wait<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = webcare::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    wait_inner(py, fut)
}

fn wait_inner<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = webcare::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let (tx, mut rx) = sync_channel::<webcare::Result<T>>(1);
    let main = crate::logging::is_main_thread();
    let task = webcare::runtime::spawn(async move {
        let r = fut.await;
        let _ = tx.send(r);
        Ok(())
    })
    .py()?;
    loop {
        let (back, got) = py.detach(move || {
            let got = rx.recv_timeout(Duration::from_millis(100));
            if !main && crate::logging::shutting_down() {
                // A daemon thread waiting at interpreter exit: never re-attach.
                crate::logging::park_forever();
            }
            (rx, got)
        });
        rx = back;
        match got {
            Ok(r) => return r.py(),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                // The task ended without sending: it panicked (the task reports it).
                let r = py.detach(move || futures::executor::block_on(task));
                return Err(match r {
                    Err(e) => to_py(e),
                    Ok(()) => PyRuntimeError::new_err("webcare: the call ended without a result"),
                });
            }
        }
    }
}

fn event_arg(obj: &Bound<'_, PyAny>) -> PyResult<Event> {
    let s = str_arg(obj, "event")?;
    Event::parse(&s).map_err(crate::errors::value_error)
}

fn case_arg(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if obj.is_instance_of::<pyo3::types::PyInt>() {
        return Ok(id_arg(obj, "case_id")?.to_string());
    }
    let s = str_arg(obj, "case_id")?;
    if s.trim().is_empty() {
        return Err(PyValueError::new_err("case_id must not be empty"));
    }
    Ok(s)
}

fn profile_arg(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let s = str_arg(obj, "profile")?;
    if s.trim().is_empty() {
        return Err(PyValueError::new_err("profile must not be empty"));
    }
    Ok(s)
}

fn some_arg<'a, 'py>(o: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    o.filter(|o| !o.is_none())
}

fn opt_u64(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<u64>> {
    match obj {
        Some(o) if !o.is_none() => Ok(Some(id_arg(o, name)?)),
        _ => Ok(None),
    }
}

fn reply_request(
    message: &Bound<'_, PyAny>,
    connection_id: Option<&Bound<'_, PyAny>>,
    public: bool,
) -> PyResult<ReplyRequest> {
    let message = str_arg(message, "message")?;
    if message.trim().is_empty() {
        return Err(PyValueError::new_err("message must not be empty"));
    }
    let mut req = ReplyRequest::new(message);
    if let Some(c) = opt_u64(connection_id, "connection_id")? {
        req = req.connection(c);
    }
    if !public {
        req = req.private();
    }
    Ok(req)
}

/// Test hook (internal): panic inside the core's runtime. Raises `webcare.ServerError`
/// ("internal error in webcare ...") and the process keeps working; see `docs/reliability.md`.
#[pyfunction]
pub fn _debug_panic(py: Python<'_>) -> PyResult<()> {
    py.detach(webcare::runtime::__debug_panic).py()
}

/// The native client (use `webcare.Client` or `webcare.AsyncClient`).
#[pyclass(name = "NativeClient", module = "webcare._native", frozen)]
pub struct NativeClient {
    inner: webcare::Client,
}

#[pymethods]
impl NativeClient {
    /// Build from keyword arguments, falling back to the `WEBCARE_*` environment variables.
    #[new]
    #[pyo3(signature = (base_url=None, client_id=None, client_secret=None, *, token_url=None,
        timeout=None, connect_timeout=None, request_timeout=None, page_size=None,
        poll_interval=None, user_agent=None, max_retries=None,
        danger_accept_invalid_certs=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        base_url: Option<&Bound<'_, PyAny>>,
        client_id: Option<&Bound<'_, PyAny>>,
        client_secret: Option<&Bound<'_, PyAny>>,
        token_url: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        request_timeout: Option<&Bound<'_, PyAny>>,
        page_size: Option<&Bound<'_, PyAny>>,
        poll_interval: Option<&Bound<'_, PyAny>>,
        user_agent: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        danger_accept_invalid_certs: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut b = ClientBuilder::from_env();
        // TLS certificate verification stays on unless this is exactly `True` (a truthy string
        // or number is a TypeError).
        if let Some(v) = some_arg(danger_accept_invalid_certs) {
            if !v.is_instance_of::<pyo3::types::PyBool>() {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "danger_accept_invalid_certs must be a bool",
                ));
            }
            b = b.danger_accept_invalid_certs(v.is_truthy()?);
        }
        if let Some(v) = some_arg(base_url) {
            b = b.base_url(str_arg(v, "base_url")?);
        }
        if let Some(v) = some_arg(client_id) {
            b = b.client_id(str_arg(v, "client_id")?);
        }
        if let Some(v) = some_arg(client_secret) {
            b = b.client_secret(str_arg(v, "client_secret")?);
        }
        if let Some(v) = some_arg(token_url) {
            b = b.token_url(str_arg(v, "token_url")?);
        }
        if let Some(v) = some_arg(timeout) {
            b = b.total_timeout(seconds_arg(v, "timeout")?);
        }
        if let Some(v) = some_arg(connect_timeout) {
            b = b.connect_timeout(seconds_arg(v, "connect_timeout")?);
        }
        if let Some(v) = some_arg(request_timeout) {
            b = b.request_timeout(seconds_arg(v, "request_timeout")?);
        }
        if let Some(v) = some_arg(page_size) {
            let n = id_arg(v, "page_size")?;
            if n == 0 {
                return Err(PyValueError::new_err("page_size must be at least 1"));
            }
            b = b.page_size(
                u32::try_from(n).map_err(|_| PyValueError::new_err("page_size is too large"))?,
            );
        }
        if let Some(v) = some_arg(poll_interval) {
            b = b.poll_interval(seconds_arg(v, "poll_interval")?);
        }
        if let Some(v) = some_arg(user_agent) {
            b = b.user_agent(str_arg(v, "user_agent")?);
        }
        if let Some(v) = some_arg(max_retries) {
            let n = id_arg(v, "max_retries")?;
            b = b.retry(webcare::RetryPolicy {
                max_retries: u32::try_from(n).unwrap_or(u32::MAX),
                ..webcare::RetryPolicy::default()
            });
        }
        Ok(NativeClient {
            inner: b.build().py()?,
        })
    }

    /// The base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }
    /// The client id.
    #[getter]
    fn client_id(&self) -> String {
        self.inner.client_id().to_string()
    }
    /// The default page size.
    #[getter]
    fn page_size(&self) -> u32 {
        self.inner.page_size()
    }
    /// The default poll interval of `watch`, in seconds.
    #[getter]
    fn poll_interval(&self) -> f64 {
        self.inner.poll_interval().as_secs_f64()
    }
    /// How many token requests this client made.
    #[getter]
    fn token_fetch_count(&self) -> u64 {
        self.inner.token_fetch_count()
    }

    fn __repr__(&self) -> String {
        format!(
            "Client(base_url={:?}, client_id={:?}, client_secret='{}')",
            self.inner.base_url(),
            self.inner.client_id(),
            webcare::redact::REDACTED
        )
    }

    /// A pager over every result of the filter (offset paging, or keyset paging after
    /// `since_id`).
    #[pyo3(signature = (profile, filter=None, *, limit=None, page_size=None, since_id=None))]
    fn pager(
        &self,
        profile: &Bound<'_, PyAny>,
        filter: Option<&Bound<'_, PyAny>>,
        limit: Option<&Bound<'_, PyAny>>,
        page_size: Option<&Bound<'_, PyAny>>,
        since_id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativePager> {
        let profile = profile_arg(profile)?;
        let mut f = filter_arg(filter)?;
        f.validate().map_err(crate::errors::value_error)?;
        let limit = opt_u64(limit, "limit")?;
        if let Some(n) = opt_u64(page_size, "page_size")? {
            if n == 0 {
                return Err(PyValueError::new_err("page_size must be at least 1"));
            }
            f.limit = Some(
                u32::try_from(n).map_err(|_| PyValueError::new_err("page_size is too large"))?,
            );
        }
        let since_id = opt_u64(since_id, "since_id")?;
        let kind = self.inner.results().pages(&profile, &f, since_id, limit);
        Ok(NativePager {
            inner: Arc::new(Mutex::new(kind)),
        })
    }

    /// A watcher of new results.
    #[pyo3(signature = (profile, filter=None, since_id=None, poll_interval=None))]
    fn watcher(
        &self,
        profile: &Bound<'_, PyAny>,
        filter: Option<&Bound<'_, PyAny>>,
        since_id: Option<&Bound<'_, PyAny>>,
        poll_interval: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativeWatcher> {
        let profile = profile_arg(profile)?;
        let f: Filter = filter_arg(filter)?;
        f.validate().map_err(crate::errors::value_error)?;
        let interval = match poll_interval {
            Some(p) if !p.is_none() => seconds_arg(p, "poll_interval")?,
            _ => self.inner.poll_interval(),
        };
        let opts = WatchOptions {
            since_id: opt_u64(since_id, "since_id")?,
            poll_interval: Some(interval),
        };
        let w = self.inner.results().watch(&profile, &f, opts);
        Ok(NativeWatcher {
            inner: Arc::new(Mutex::new(w)),
            poll_interval: interval.as_secs_f64(),
        })
    }

    // ----- async (see `aio`: each returns a `Pending`) -----

    fn configuration_async(&self, py: Python<'_>, wake_fd: i32, token: u64) -> PyResult<Pending> {
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.configuration().await },
            |py, inner| Ok(Py::new(py, PyConfiguration { inner })?.into_any()),
        )
    }

    fn sso_token_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        email: &Bound<'_, PyAny>,
    ) -> PyResult<Pending> {
        let email = str_arg(email, "email")?;
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.sso_token(&email).await },
            |py, inner| Ok(Py::new(py, PySsoToken { inner })?.into_any()),
        )
    }

    #[pyo3(signature = (wake_fd, token, profile, filter=None))]
    fn search_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        profile: &Bound<'_, PyAny>,
        filter: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Pending> {
        let profile = profile_arg(profile)?;
        let f = filter_arg(filter)?;
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.results().search(&profile, &f).await },
            |py, page| Ok(Py::new(py, PyPage::new(page))?.into_any()),
        )
    }

    #[pyo3(signature = (wake_fd, token, id, context=true))]
    fn result_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        id: &Bound<'_, PyAny>,
        context: bool,
    ) -> PyResult<Pending> {
        let id = id_arg(id, "id")?;
        let c = self.inner.clone();
        if context {
            aio::start(
                py,
                wake_fd,
                token,
                async move { c.results().get(id).await },
                |py, r| Ok(Py::new(py, PyResultWithContext::build(py, r)?)?.into_any()),
            )
        } else {
            aio::start(
                py,
                wake_fd,
                token,
                async move { c.results().get_no_context(id).await },
                |py, r| Ok(Py::new(py, PyWebcareResult::new(r))?.into_any()),
            )
        }
    }

    #[pyo3(signature = (wake_fd, token, id, message, connection_id=None, public=true))]
    #[allow(clippy::too_many_arguments)]
    fn reply_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        id: &Bound<'_, PyAny>,
        message: &Bound<'_, PyAny>,
        connection_id: Option<&Bound<'_, PyAny>>,
        public: bool,
    ) -> PyResult<Pending> {
        let id = id_arg(id, "id")?;
        let req = reply_request(message, connection_id, public)?;
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.results().reply(id, &req).await },
            |py, r| Ok(Py::new(py, PyReplySent::build(py, r)?)?.into_any()),
        )
    }

    fn event_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        id: &Bound<'_, PyAny>,
        event: &Bound<'_, PyAny>,
    ) -> PyResult<Pending> {
        let id = id_arg(id, "id")?;
        let ev = event_arg(event)?;
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.results().event(id, ev).await },
            ack,
        )
    }

    fn close_case_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        search_id: &Bound<'_, PyAny>,
        case_id: &Bound<'_, PyAny>,
    ) -> PyResult<Pending> {
        let s = id_arg(search_id, "search_id")?;
        let case = case_arg(case_id)?;
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.cases().close(s, &case).await },
            ack,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn hand_over_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        search_id: &Bound<'_, PyAny>,
        case_id: &Bound<'_, PyAny>,
        handler_id: &Bound<'_, PyAny>,
    ) -> PyResult<Pending> {
        let s = id_arg(search_id, "search_id")?;
        let case = case_arg(case_id)?;
        let h = id_arg(handler_id, "handler_id")?;
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.cases().hand_over(s, &case, h).await },
            ack,
        )
    }

    fn release_handler_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        search_id: &Bound<'_, PyAny>,
        case_id: &Bound<'_, PyAny>,
    ) -> PyResult<Pending> {
        let s = id_arg(search_id, "search_id")?;
        let case = case_arg(case_id)?;
        let c = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { c.cases().release_handler(s, &case).await },
            ack,
        )
    }
}

fn ack(py: Python<'_>, inner: webcare::Ack) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, PyAck { inner })?.into_any())
}

/// Pages of a search (use `client.results(...)`).
#[pyclass(name = "NativePager", module = "webcare._native", frozen)]
pub struct NativePager {
    inner: Arc<Mutex<ResultPager>>,
}

async fn next_batch_of(
    pager: Arc<Mutex<ResultPager>>,
    decoder: ArrowDecoder,
) -> webcare::Result<Option<arrow_array::RecordBatch>> {
    pager.lock().await.next_batch(&decoder).await
}

#[pymethods]
impl NativePager {
    /// The next page, or None when done (a `Pending`).
    fn next_page_async(&self, py: Python<'_>, wake_fd: i32, token: u64) -> PyResult<Pending> {
        let p = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { p.lock().await.next_page().await },
            |py, page| {
                Ok(match page {
                    Some(pg) => Py::new(py, PyPage::new(pg))?.into_any(),
                    None => py.None(),
                })
            },
        )
    }

    /// The next page as Arrow data (with string columns for the named extra fields), or None
    /// when done (a `Pending`).
    #[pyo3(signature = (wake_fd, token, extra=None))]
    fn next_arrow_async(
        &self,
        py: Python<'_>,
        wake_fd: i32,
        token: u64,
        extra: Option<Vec<String>>,
    ) -> PyResult<Pending> {
        let p = self.inner.clone();
        let decoder = ArrowDecoder::new(&extra.unwrap_or_default());
        let schema = decoder.schema();
        aio::start(
            py,
            wake_fd,
            token,
            next_batch_of(p, decoder),
            move |py, b| {
                Ok(match b {
                    Some(b) => Py::new(py, ArrowResults::with_schema(vec![b], schema))?.into_any(),
                    None => py.None(),
                })
            },
        )
    }

    /// Every remaining page as Arrow record batches, built in Rust (blocking), with string
    /// columns for the named extra fields.
    #[pyo3(signature = (extra=None))]
    fn collect_arrow(&self, py: Python<'_>, extra: Option<Vec<String>>) -> PyResult<ArrowResults> {
        let decoder = ArrowDecoder::new(&extra.unwrap_or_default());
        let mut batches = Vec::new();
        loop {
            let p = self.inner.clone();
            match wait(py, next_batch_of(p, decoder.clone()))? {
                None => break,
                Some(b) => batches.push(b),
            }
        }
        Ok(ArrowResults::with_schema(batches, decoder.schema()))
    }
}

/// Polls for new results (use `client.watch(...)`).
#[pyclass(name = "NativeWatcher", module = "webcare._native", frozen)]
pub struct NativeWatcher {
    inner: Arc<Mutex<Watcher>>,
    /// Seconds to wait between polls that found nothing.
    #[pyo3(get)]
    poll_interval: f64,
}

#[pymethods]
impl NativeWatcher {
    /// What is new (polls once; never sleeps). Blocking.
    fn next_batch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let w = self.inner.clone();
        let rs = wait(py, async move { w.lock().await.next_batch().await })?;
        results_list(py, &rs)
    }

    /// What is new (polls once; never sleeps), as a `Pending`.
    fn next_batch_async(&self, py: Python<'_>, wake_fd: i32, token: u64) -> PyResult<Pending> {
        let w = self.inner.clone();
        aio::start(
            py,
            wake_fd,
            token,
            async move { w.lock().await.next_batch().await },
            |py, rs| Ok(results_list(py, &rs)?.into_any().unbind()),
        )
    }

    /// The id of the last result yielded (pass it as `since_id` to resume), if known.
    #[getter]
    fn last_id(&self) -> Option<u64> {
        self.inner.try_lock().and_then(|w| w.last_id())
    }

    fn __repr__(&self) -> String {
        format!(
            "Watcher(last_id={})",
            crate::convert::opt_repr(self.last_id())
        )
    }
}
