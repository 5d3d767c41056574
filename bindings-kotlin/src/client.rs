//! The client: every network call is an `async fn` (a Kotlin `suspend fun`).

use std::sync::Arc;
use std::time::Duration;

use crate::errors::{id, WebcareException};
use crate::filter::{to_core, FilterSpec};
use crate::models::{
    Ack, Configuration, Event, Page, ReplySent, ResultWithContext, SsoToken, WebcareResult,
};
use crate::paging::{ResultPager, ResultWatcher};
use crate::run;

/// Options for building a client. Every field is optional: `null` keeps the core's default.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct ClientOptions {
    /// The token URL (default: `/oauth/client_credential/accesstoken` on the base URL's host).
    #[uniffi(default = None)]
    pub token_url: Option<String>,
    /// Connect timeout in milliseconds.
    #[uniffi(default = None)]
    pub connect_timeout_ms: Option<u64>,
    /// Per-attempt timeout in milliseconds.
    #[uniffi(default = None)]
    pub request_timeout_ms: Option<u64>,
    /// Whole-call timeout in milliseconds (retries included).
    #[uniffi(default = None)]
    pub total_timeout_ms: Option<u64>,
    /// Retries after the first attempt (0 disables retrying).
    #[uniffi(default = None)]
    pub max_retries: Option<u32>,
    /// The page size of paged searches (default 100).
    #[uniffi(default = None)]
    pub page_size: Option<u32>,
    /// How often `watch` polls when there is nothing new, in milliseconds (default 2000).
    #[uniffi(default = None)]
    pub poll_interval_ms: Option<u64>,
    /// The user agent.
    #[uniffi(default = None)]
    pub user_agent: Option<String>,
    /// DANGEROUS: accept any TLS certificate (self-signed, expired, another host's). Only for a
    /// test server you control; `null`/`false` (the default) verifies certificates.
    #[uniffi(default = None)]
    pub danger_accept_invalid_certs: Option<bool>,
}

fn apply(mut b: webcare::ClientBuilder, o: ClientOptions) -> webcare::ClientBuilder {
    if let Some(t) = o.token_url {
        b = b.token_url(t);
    }
    if let Some(ms) = o.connect_timeout_ms {
        b = b.connect_timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = o.request_timeout_ms {
        b = b.request_timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = o.total_timeout_ms {
        b = b.total_timeout(Duration::from_millis(ms));
    }
    if let Some(n) = o.max_retries {
        b = b.retry(webcare::RetryPolicy {
            max_retries: n,
            ..webcare::RetryPolicy::default()
        });
    }
    if let Some(n) = o.page_size {
        b = b.page_size(n);
    }
    if let Some(ms) = o.poll_interval_ms {
        b = b.poll_interval(Duration::from_millis(ms));
    }
    if let Some(ua) = o.user_agent {
        b = b.user_agent(ua);
    }
    if o.danger_accept_invalid_certs == Some(true) {
        b = b.danger_accept_invalid_certs(true);
    }
    b
}

/// A Webcare API client. Thread-safe; share one per application. Close it (or let it be
/// garbage-collected) to free the native side.
#[derive(Debug, uniffi::Object)]
pub struct WebcareClient {
    inner: webcare::Client,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[uniffi::export]
impl WebcareClient {
    /// A client for `base_url` with these credentials. The secret never appears in `toString`,
    /// exceptions or logs.
    #[uniffi::constructor]
    pub fn new(
        base_url: String,
        client_id: String,
        client_secret: String,
        options: ClientOptions,
    ) -> Result<Arc<Self>, WebcareException> {
        let b = webcare::ClientBuilder::new()
            .base_url(base_url)
            .client_id(client_id)
            .client_secret(client_secret);
        Ok(Arc::new(WebcareClient {
            inner: apply(b, options).build()?,
        }))
    }

    /// A client from `WEBCARE_BASE_URL`, `WEBCARE_CLIENT_ID`, `WEBCARE_CLIENT_SECRET` (and
    /// optionally `WEBCARE_TOKEN_URL`).
    #[uniffi::constructor]
    pub fn from_env(options: ClientOptions) -> Result<Arc<Self>, WebcareException> {
        let b = webcare::ClientBuilder::from_env();
        Ok(Arc::new(WebcareClient {
            inner: apply(b, options).build()?,
        }))
    }

    /// The base URL.
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    /// The client id.
    pub fn client_id(&self) -> String {
        self.inner.client_id().to_string()
    }

    /// The page size of paged searches.
    pub fn page_size(&self) -> u32 {
        self.inner.page_size()
    }

    /// The poll interval of `watch`, in milliseconds.
    pub fn poll_interval_ms(&self) -> u64 {
        millis(self.inner.poll_interval())
    }

    /// How many token requests this client made.
    pub fn token_fetch_count(&self) -> u64 {
        self.inner.token_fetch_count()
    }

    /// Forget the cached access token.
    pub fn clear_token(&self) {
        self.inner.clear_token();
    }

    /// `GET /configuration`.
    pub async fn configuration(&self) -> Result<Configuration, WebcareException> {
        let c = self.inner.clone();
        Ok(run(async move { c.configuration().await }).await?.into())
    }

    /// `GET /ssoAccessToken/{email}`: a new single sign-on token for that user.
    pub async fn sso_token(&self, email: String) -> Result<Arc<SsoToken>, WebcareException> {
        let c = self.inner.clone();
        let t = run(async move { c.sso_token(&email).await }).await?;
        Ok(Arc::new(t.into()))
    }

    /// One page of results: the filter's own `limit` and `offset` apply.
    pub async fn search(
        &self,
        profile: String,
        filter: FilterSpec,
    ) -> Result<Page, WebcareException> {
        let c = self.inner.clone();
        let f = to_core(filter)?;
        Ok(run(async move { c.results().search(&profile, &f).await })
            .await?
            .into())
    }

    /// Every result of the filter across pages (offset paging); `max_results` caps the total.
    pub fn pager(
        &self,
        profile: String,
        filter: FilterSpec,
        max_results: Option<u64>,
    ) -> Result<Arc<ResultPager>, WebcareException> {
        let f = to_core(filter)?;
        Ok(ResultPager::new(self.inner.results().pages(
            &profile,
            &f,
            None,
            max_results,
        )))
    }

    /// Every result after `since_id` (exclusive), oldest first (keyset paging, safe while new
    /// results arrive).
    pub fn keyset_pager(
        &self,
        profile: String,
        filter: FilterSpec,
        since_id: i64,
        max_results: Option<u64>,
    ) -> Result<Arc<ResultPager>, WebcareException> {
        let f = to_core(filter)?;
        let since = id("sinceId", since_id)?;
        Ok(ResultPager::new(self.inner.results().pages(
            &profile,
            &f,
            Some(since),
            max_results,
        )))
    }

    /// Watch a profile for new results. `since_id` resumes after that id (exclusive); without
    /// it, only results that arrive after the first poll are returned.
    pub fn watch(
        &self,
        profile: String,
        filter: FilterSpec,
        since_id: Option<i64>,
        poll_interval_ms: Option<u64>,
    ) -> Result<Arc<ResultWatcher>, WebcareException> {
        let f = to_core(filter)?;
        let options = webcare::WatchOptions {
            since_id: since_id.map(|v| id("sinceId", v)).transpose()?,
            poll_interval: poll_interval_ms.map(Duration::from_millis),
        };
        let interval = options
            .poll_interval
            .unwrap_or_else(|| self.inner.poll_interval());
        Ok(ResultWatcher::new(
            self.inner.results().watch(&profile, &f, options),
            millis(interval),
        ))
    }

    /// `GET /results/{id}`: the result and its conversation context.
    pub async fn get(&self, result_id: i64) -> Result<ResultWithContext, WebcareException> {
        let c = self.inner.clone();
        let rid = id("result id", result_id)?;
        Ok(run(async move { c.results().get(rid).await }).await?.into())
    }

    /// `GET /results/{id}/noContext`.
    pub async fn get_no_context(&self, result_id: i64) -> Result<WebcareResult, WebcareException> {
        let c = self.inner.clone();
        let rid = id("result id", result_id)?;
        Ok(run(async move { c.results().get_no_context(rid).await })
            .await?
            .into())
    }

    /// `POST /results/{id}/replies`. Without a connection id the result's default connection is
    /// used. Never sent twice.
    pub async fn reply(
        &self,
        result_id: i64,
        message: String,
        connection_id: Option<i64>,
        public: bool,
    ) -> Result<ReplySent, WebcareException> {
        let c = self.inner.clone();
        let rid = id("result id", result_id)?;
        let mut req = webcare::ReplyRequest::new(message);
        if let Some(conn) = connection_id {
            req = req.connection(id("connection id", conn)?);
        }
        if !public {
            req = req.private();
        }
        Ok(run(async move { c.results().reply(rid, &req).await })
            .await?
            .into())
    }

    /// `POST /results/{id}/event/{event}`.
    pub async fn event(&self, result_id: i64, event: Event) -> Result<Ack, WebcareException> {
        let c = self.inner.clone();
        let rid = id("result id", result_id)?;
        Ok(
            run(async move { c.results().event(rid, event.into()).await })
                .await?
                .into(),
        )
    }

    /// `POST /searches/{searchId}/cases/{caseId}/close`.
    pub async fn close_case(
        &self,
        search_id: i64,
        case_id: String,
    ) -> Result<Ack, WebcareException> {
        let c = self.inner.clone();
        let sid = id("search id", search_id)?;
        Ok(run(async move { c.cases().close(sid, &case_id).await })
            .await?
            .into())
    }

    /// `POST /searches/{searchId}/cases/{caseId}/close/handOverToHandler/{handlerId}`.
    pub async fn hand_over(
        &self,
        search_id: i64,
        case_id: String,
        handler_id: i64,
    ) -> Result<Ack, WebcareException> {
        let c = self.inner.clone();
        let sid = id("search id", search_id)?;
        let hid = id("handler id", handler_id)?;
        Ok(
            run(async move { c.cases().hand_over(sid, &case_id, hid).await })
                .await?
                .into(),
        )
    }

    /// `POST /searches/{searchId}/cases/{caseId}/releaseHandler`.
    pub async fn release_handler(
        &self,
        search_id: i64,
        case_id: String,
    ) -> Result<Ack, WebcareException> {
        let c = self.inner.clone();
        let sid = id("search id", search_id)?;
        Ok(
            run(async move { c.cases().release_handler(sid, &case_id).await })
                .await?
                .into(),
        )
    }
}
