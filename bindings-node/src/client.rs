//! The native client, pager and watcher classes (wrapped by `index.js`).

use std::sync::Arc;
use std::time::Duration;

use napi::{Either, Env};
use napi_derive::napi;
use tokio::sync::Mutex;
use webcare::json::{JsonDecoder, Layout};
use webcare::{
    ClientBuilder, Event, ReplyRequest, ResultPager, RetryPolicy, WatchOptions, Watcher,
};

use crate::cancel::{call, CallOptions};
use crate::convert::{self, Ack, NativeSsoToken};
use crate::errors::{to_napi, validation};
use crate::filter::{core_filter, core_filter_arg, uint_arg, FilterInit};
use crate::promise::RawValue;

/// Client options. Unset values come from the `WEBCARE_*` environment variables, then defaults.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// The API base URL (`WEBCARE_BASE_URL`; default: production).
    pub base_url: Option<String>,
    /// The token URL (`WEBCARE_TOKEN_URL`; default: derived from the base URL).
    pub token_url: Option<String>,
    /// OAuth2 client id (`WEBCARE_CLIENT_ID`).
    pub client_id: Option<String>,
    /// OAuth2 client secret (`WEBCARE_CLIENT_SECRET`). Never shown in errors, logs or inspect.
    pub client_secret: Option<String>,
    /// Timeout of a whole call, retries included, in milliseconds (default 120000).
    pub timeout_ms: Option<f64>,
    /// Timeout of one attempt in milliseconds (default 30000).
    pub request_timeout_ms: Option<f64>,
    /// Connect timeout in milliseconds (default 10000).
    pub connect_timeout_ms: Option<f64>,
    /// Retries after the first attempt (default 4; 0 disables retrying).
    pub max_retries: Option<u32>,
    /// Page size of paged searches (default 100).
    pub page_size: Option<u32>,
    /// Poll interval of `watch` when there is nothing new, in milliseconds (default 2000).
    pub poll_interval_ms: Option<f64>,
    /// The user agent.
    pub user_agent: Option<String>,
    /// DANGEROUS: accept any TLS certificate (self-signed, expired, another host's). Only for a
    /// test server you control; default `false` (certificates are verified).
    pub danger_accept_invalid_certs: Option<bool>,
}

fn ms(what: &str, v: f64) -> napi::Result<Duration> {
    if v.is_finite() && v > 0.0 {
        Ok(Duration::from_secs_f64(v / 1000.0))
    } else {
        Err(to_napi(webcare::Error::config(format!(
            "{what} must be a positive number of milliseconds, got {v}"
        ))))
    }
}

/// The native client (use `Client` from the package instead).
#[napi]
pub struct NativeClient {
    inner: webcare::Client,
    poll_interval_ms: f64,
}

/// Reply options.
#[napi(object)]
pub struct ReplyOptions {
    /// The text.
    pub message: String,
    /// The connection to reply from (default: the result's default connection).
    pub connection_id: Option<f64>,
    /// Reply in public (default true); `false` replies privately.
    pub public: Option<bool>,
}

#[napi]
impl NativeClient {
    /// A client from options, falling back to the `WEBCARE_*` environment variables.
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<ClientOptions>) -> napi::Result<Self> {
        // One runtime thread unless WEBCARE_RUNTIME_THREADS says otherwise (before the runtime
        // starts; see `webcare::runtime::set_default_worker_threads`).
        webcare::runtime::set_default_worker_threads(1);
        crate::tune_allocator();
        let o = options.unwrap_or_default();
        let mut b = ClientBuilder::from_env();
        if let Some(v) = o.base_url {
            b = b.base_url(v);
        }
        if let Some(v) = o.token_url {
            b = b.token_url(v);
        }
        if let Some(v) = o.client_id {
            b = b.client_id(v);
        }
        if let Some(v) = o.client_secret {
            b = b.client_secret(v);
        }
        if let Some(v) = o.timeout_ms {
            b = b.total_timeout(ms("timeoutMs", v)?);
        }
        if let Some(v) = o.request_timeout_ms {
            b = b.request_timeout(ms("requestTimeoutMs", v)?);
        }
        if let Some(v) = o.connect_timeout_ms {
            b = b.connect_timeout(ms("connectTimeoutMs", v)?);
        }
        if let Some(n) = o.max_retries {
            b = b.retry(RetryPolicy {
                max_retries: n,
                ..RetryPolicy::default()
            });
        }
        if let Some(n) = o.page_size {
            b = b.page_size(n);
        }
        let mut poll_interval_ms = 2000.0;
        if let Some(v) = o.poll_interval_ms {
            b = b.poll_interval(ms("pollIntervalMs", v)?);
            poll_interval_ms = v;
        }
        if let Some(v) = o.user_agent {
            b = b.user_agent(v);
        }
        if o.danger_accept_invalid_certs == Some(true) {
            b = b.danger_accept_invalid_certs(true);
        }
        // Building the reqwest client needs no runtime, but keep it on the core's threads anyway
        // for a uniform panic boundary.
        let inner = b.build().map_err(to_napi)?;
        Ok(NativeClient {
            inner,
            poll_interval_ms,
        })
    }

    /// The base URL.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// The client id.
    #[napi(getter)]
    pub fn client_id(&self) -> String {
        self.inner.client_id().to_string()
    }

    /// The poll interval of `watch`, in milliseconds.
    #[napi(getter)]
    pub fn poll_interval_ms(&self) -> f64 {
        self.poll_interval_ms
    }

    /// `GET /configuration` (keys as served: camelCase).
    #[napi(catch_unwind, ts_return_type = "Promise<Configuration>")]
    pub fn configuration(&self, env: Env, opts: Option<CallOptions>) -> napi::Result<RawValue> {
        let c = self.inner.clone();
        call(&env, opts, async move { c.configuration().await }, |cfg| {
            convert::json(&cfg, 4096)
        })
    }

    /// `GET /ssoAccessToken/{email}`.
    #[napi(catch_unwind, ts_return_type = "Promise<NativeSsoToken>")]
    pub fn sso_token(
        &self,
        env: Env,
        email: String,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let c = self.inner.clone();
        call(&env, opts, async move { c.sso_token(&email).await }, |t| {
            Ok(NativeSsoToken::from(t))
        })
    }

    /// `GET /results/{id}`: the result and its conversation context.
    #[napi(catch_unwind, ts_return_type = "Promise<ResultWithContext>")]
    pub fn result(&self, env: Env, id: f64, opts: Option<CallOptions>) -> napi::Result<RawValue> {
        let id = uint_arg("result id", id)?;
        let c = self.inner.clone();
        call(&env, opts, async move { c.results().get(id).await }, |r| {
            convert::result_with_context_json(&r)
        })
    }

    /// `GET /results/{id}/noContext`.
    #[napi(catch_unwind, ts_return_type = "Promise<WebcareResult>")]
    pub fn result_no_context(
        &self,
        env: Env,
        id: f64,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let id = uint_arg("result id", id)?;
        let c = self.inner.clone();
        call(
            &env,
            opts,
            async move { c.results().get_no_context(id).await },
            |r| convert::result_json(&r),
        )
    }

    /// `POST /results/{id}/replies`.
    #[napi(catch_unwind, ts_return_type = "Promise<ReplySent>")]
    pub fn reply(
        &self,
        env: Env,
        id: f64,
        reply: ReplyOptions,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let id = uint_arg("result id", id)?;
        let mut req = ReplyRequest::new(reply.message);
        if let Some(c) = reply.connection_id {
            req = req.connection(uint_arg("connectionId", c)?);
        }
        if reply.public == Some(false) {
            req = req.private();
        }
        let c = self.inner.clone();
        call(
            &env,
            opts,
            async move { c.results().reply(id, &req).await },
            |r| convert::reply_sent_json(&r),
        )
    }

    /// `POST /results/{id}/event/{event}` (`starttyping`, `stoptyping`, `closed`, `opened`).
    #[napi(catch_unwind, ts_return_type = "Promise<Ack>")]
    pub fn event(
        &self,
        env: Env,
        id: f64,
        event: String,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let id = uint_arg("result id", id)?;
        let event = Event::parse(&event).map_err(to_napi)?;
        let c = self.inner.clone();
        call(
            &env,
            opts,
            async move { c.results().event(id, event).await },
            |a| Ok(Ack::from(a)),
        )
    }

    /// `POST /searches/{searchId}/cases/{caseId}/close`.
    #[napi(catch_unwind, ts_return_type = "Promise<Ack>")]
    pub fn close_case(
        &self,
        env: Env,
        search_id: f64,
        case_id: String,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let sid = uint_arg("search id", search_id)?;
        let c = self.inner.clone();
        call(
            &env,
            opts,
            async move { c.cases().close(sid, &case_id).await },
            |a| Ok(Ack::from(a)),
        )
    }

    /// `POST /searches/{searchId}/cases/{caseId}/close/handOverToHandler/{handlerId}`.
    #[napi(catch_unwind, ts_return_type = "Promise<Ack>")]
    pub fn hand_over(
        &self,
        env: Env,
        search_id: f64,
        case_id: String,
        handler_id: f64,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let sid = uint_arg("search id", search_id)?;
        let hid = uint_arg("handler id", handler_id)?;
        let c = self.inner.clone();
        call(
            &env,
            opts,
            async move { c.cases().hand_over(sid, &case_id, hid).await },
            |a| Ok(Ack::from(a)),
        )
    }

    /// `POST /searches/{searchId}/cases/{caseId}/releaseHandler`.
    #[napi(catch_unwind, ts_return_type = "Promise<Ack>")]
    pub fn release_handler(
        &self,
        env: Env,
        search_id: f64,
        case_id: String,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let sid = uint_arg("search id", search_id)?;
        let c = self.inner.clone();
        call(
            &env,
            opts,
            async move { c.cases().release_handler(sid, &case_id).await },
            |a| Ok(Ack::from(a)),
        )
    }

    /// One page: `GET /results/{profile}/{filter}` (the filter's own `limit` and `offset` apply).
    #[napi(catch_unwind, ts_return_type = "Promise<NativeRowsPage>")]
    pub fn search(
        &self,
        env: Env,
        profile: String,
        filter: Option<Either<String, FilterInit>>,
        opts: Option<CallOptions>,
    ) -> napi::Result<RawValue> {
        let f = core_filter_arg(filter)?;
        let c = self.inner.clone();
        call(
            &env,
            opts,
            async move {
                let rows = JsonDecoder {
                    layout: Layout::Rows,
                };
                c.results().page_with(&profile, &f, &rows).await
            },
            convert::page_json,
        )
    }

    /// A pager over every result of the filter. `maxResults` caps the total; `sinceId` switches
    /// to keyset paging (results after that id, oldest first). The page size is the filter's
    /// `limit` or the client's page size.
    #[napi(catch_unwind)]
    pub fn pager(
        &self,
        profile: String,
        filter: Option<FilterInit>,
        max_results: Option<f64>,
        since_id: Option<f64>,
    ) -> napi::Result<NativePager> {
        if profile.trim().is_empty() {
            return Err(validation("the search profile name is empty"));
        }
        let f = core_filter(filter)?;
        let max = max_results.map(|m| uint_arg("limit", m)).transpose()?;
        let since_id = since_id.map(|s| uint_arg("sinceId", s)).transpose()?;
        let kind = match self.inner.results().pages(&profile, &f, since_id, max) {
            // No page fetched ahead: see `NativePager`.
            ResultPager::Offset(p) => ResultPager::Offset(p.prefetch(false)),
            k => k,
        };
        Ok(NativePager {
            inner: Arc::new(Mutex::new(kind)),
        })
    }

    /// A watcher for new results (each exactly once, in id order).
    #[napi(catch_unwind)]
    pub fn watcher(
        &self,
        profile: String,
        filter: Option<FilterInit>,
        since_id: Option<f64>,
    ) -> napi::Result<NativeWatcher> {
        if profile.trim().is_empty() {
            return Err(validation("the search profile name is empty"));
        }
        let f = core_filter(filter)?;
        let options = WatchOptions {
            since_id: since_id.map(|s| uint_arg("sinceId", s)).transpose()?,
            poll_interval: None,
        };
        Ok(NativeWatcher {
            inner: Arc::new(Mutex::new(
                self.inner.results().watch(&profile, &f, options),
            )),
        })
    }
}

/// Pages of a search (use `client.results(...)` instead).
#[napi]
pub struct NativePager {
    inner: Arc<Mutex<ResultPager>>,
}

#[napi]
impl NativePager {
    /// The next page of results as positional rows (`NativeRows`), or `null` when done.
    // A page crosses as JSON text written straight from the response on a runtime thread
    // (`ResultPager::next_json`), and the wrapper parses it a part (`STREAM_PART_BYTES`) at a
    // time as the iterator reaches it. Streaming 1,000,000 results (pages of 500) took 30-34 s
    // when each result was built property by property with napi calls, and takes 10-13 s as
    // text, with RSS growth 35-41 MB (33-47 MB before). Parsing a whole page at once grew RSS by 58-60 MB:
    // a page of objects alive at a time lets V8 grow its young generation.
    // No page is fetched ahead: one page ahead took 7 s but grew RSS by 47-52 MB, and a stream
    // of 1,000,000 results must stay under 50 MB.
    #[napi(catch_unwind, ts_return_type = "Promise<NativeRows | null>")]
    pub fn next_page(&self, env: Env, opts: Option<CallOptions>) -> napi::Result<RawValue> {
        let inner = self.inner.clone();
        call(
            &env,
            opts,
            async move {
                let mut guard = inner.lock_owned().await;
                guard.next_json(Layout::Rows).await
            },
            |page| Ok(page.map(|p| convert::NativeRows::new(p.rows))),
        )
    }
}

/// New results of a search (use `client.watch(...)` instead).
#[napi]
pub struct NativeWatcher {
    inner: Arc<Mutex<Watcher>>,
}

#[napi]
impl NativeWatcher {
    /// Poll once (never sleeps): the new results, possibly none. An error moves no cursor, so
    /// calling again retries and loses nothing.
    #[napi(catch_unwind, ts_return_type = "Promise<WatchBatch>")]
    pub fn next_batch(&self, env: Env, opts: Option<CallOptions>) -> napi::Result<RawValue> {
        let inner = self.inner.clone();
        call(
            &env,
            opts,
            async move {
                let mut w = inner.lock_owned().await;
                let batch = w.next_batch().await?;
                Ok((batch, w.last_id()))
            },
            |(batch, last_id)| convert::watch_batch_json(batch, last_id),
        )
    }
}
