//! [`Client`], its builder, and the sub-clients [`Results`] and [`Cases`].

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::auth::Auth;
use crate::error::{Error, ErrorBody, ErrorKind, Result};
use crate::filter::{encode_value, Filter};
use crate::model::{
    type_name, Ack, Configuration, Envelope, Page, ReplySent, ResultWithContext, SsoToken,
    WebcareResult,
};
use crate::paging::{KeysetPager, Pager, WatchOptions, Watcher};
use crate::redact::Secret;
use crate::retry::{
    is_retryable_status, is_retryable_transport, requested_wait, Quota, RetryPolicy,
};
use crate::transport::{
    HttpRequest, HttpResponse, Method, ReqwestTransport, Transport, TransportErrorKind,
    TransportOptions,
};

/// The production base URL.
pub const PRODUCTION_BASE_URL: &str =
    "https://api-prd.kpn.com/communication/tracebuzz/social-media-webcare";

/// The path of the token endpoint on the API host.
pub const TOKEN_PATH: &str = "/oauth/client_credential/accesstoken";

/// Environment variable names read by [`ClientBuilder::from_env`].
pub const ENV_BASE_URL: &str = "WEBCARE_BASE_URL";
/// See [`ENV_BASE_URL`].
pub const ENV_CLIENT_ID: &str = "WEBCARE_CLIENT_ID";
/// See [`ENV_BASE_URL`].
pub const ENV_CLIENT_SECRET: &str = "WEBCARE_CLIENT_SECRET";
/// See [`ENV_BASE_URL`].
pub const ENV_TOKEN_URL: &str = "WEBCARE_TOKEN_URL";

/// The default page size of paged searches.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP (and TLS) connect timeout.
    pub connect: Duration,
    /// Timeout of one attempt.
    pub request: Duration,
    /// Timeout of a whole call, retries and waits included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
            total: Duration::from_secs(120),
        }
    }
}

/// Builds a [`Client`].
#[derive(Clone, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    user_agent: Option<String>,
    danger_accept_invalid_certs: bool,
    transport: Option<Arc<dyn Transport>>,
    page_size: Option<u32>,
    poll_interval: Option<Duration>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// An empty builder.
    pub fn new() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A builder filled from `WEBCARE_BASE_URL`, `WEBCARE_CLIENT_ID`, `WEBCARE_CLIENT_SECRET` and
    /// (optionally) `WEBCARE_TOKEN_URL`. Values set later on the builder win.
    pub fn from_env() -> ClientBuilder {
        let get = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        ClientBuilder {
            base_url: get(ENV_BASE_URL),
            token_url: get(ENV_TOKEN_URL),
            client_id: get(ENV_CLIENT_ID),
            client_secret: get(ENV_CLIENT_SECRET).map(Secret::new),
            ..ClientBuilder::default()
        }
    }

    /// The API base URL (default: production).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// The token URL (default: `/oauth/client_credential/accesstoken` on the base URL's host).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }
    /// The OAuth2 client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }
    /// The OAuth2 client secret.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Secret::new(secret));
        self
    }
    /// All timeouts.
    pub fn timeouts(mut self, t: Timeouts) -> Self {
        self.timeouts = t;
        self
    }
    /// The connect timeout.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.timeouts.connect = d;
        self
    }
    /// The per-attempt timeout.
    pub fn request_timeout(mut self, d: Duration) -> Self {
        self.timeouts.request = d;
        self
    }
    /// The whole-call timeout.
    pub fn total_timeout(mut self, d: Duration) -> Self {
        self.timeouts.total = d;
        self
    }
    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// The user agent.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }
    /// Accept any TLS certificate. Dangerous: anyone on the network path can read and change the
    /// traffic, tokens included. Only for test servers with self-signed certificates.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.danger_accept_invalid_certs = yes;
        self
    }
    /// Use another transport (tests, proxies).
    pub fn transport(mut self, t: Arc<dyn Transport>) -> Self {
        self.transport = Some(t);
        self
    }
    /// The page size of paged searches (default 100).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }
    /// How often `watch` polls when there is nothing new (default 2 s).
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = Some(d);
        self
    }

    /// Build the client. Fails with [`ErrorKind::Config`] when the base URL is not an http(s)
    /// URL, or the client id or secret is missing.
    pub fn build(self) -> Result<Client> {
        let base = self
            .base_url
            .unwrap_or_else(|| PRODUCTION_BASE_URL.to_string());
        let base = base.trim().trim_end_matches('/').to_string();
        let parsed = url::Url::parse(&base)
            .map_err(|e| Error::config(format!("invalid base URL '{base}': {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(Error::config(format!(
                "invalid base URL '{base}': expected http(s)://host[:port][/path]"
            )));
        }
        let token_url = match self.token_url {
            Some(t) => {
                let t = t.trim().to_string();
                url::Url::parse(&t)
                    .map_err(|e| Error::config(format!("invalid token URL '{t}': {e}")))?;
                t
            }
            None => {
                let mut origin = parsed.origin().ascii_serialization();
                origin.push_str(TOKEN_PATH);
                origin
            }
        };
        let client_id = self
            .client_id
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                Error::config(format!(
                    "missing client id (pass client_id or set {ENV_CLIENT_ID})"
                ))
            })?;
        let client_secret = self
            .client_secret
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                Error::config(format!(
                    "missing client secret (pass client_secret or set {ENV_CLIENT_SECRET})"
                ))
            })?;
        let t = self.timeouts;
        if t.connect.is_zero() || t.request.is_zero() || t.total.is_zero() {
            return Err(Error::config("timeouts must be greater than zero"));
        }
        if self.page_size == Some(0) {
            return Err(Error::config("page size must be at least 1"));
        }
        let transport: Arc<dyn Transport> = match self.transport {
            Some(t) => t,
            None => {
                let mut opts = TransportOptions {
                    connect_timeout: t.connect,
                    danger_accept_invalid_certs: self.danger_accept_invalid_certs,
                    ..TransportOptions::default()
                };
                if let Some(ua) = self.user_agent {
                    opts.user_agent = ua;
                }
                Arc::new(ReqwestTransport::new(&opts)?)
            }
        };
        let auth = Auth::new(
            token_url,
            client_id.clone(),
            client_secret,
            transport.clone(),
            self.retry.clone(),
            t.request,
        );
        Ok(Client {
            inner: Arc::new(Inner {
                base_url: base,
                client_id,
                auth,
                transport,
                retry: self.retry,
                page_size: self.page_size.unwrap_or(DEFAULT_PAGE_SIZE),
                poll_interval: self.poll_interval.unwrap_or(Duration::from_secs(2)),
                last_quota: std::sync::Mutex::new(None),
            }),
            timeouts: t,
        })
    }
}

struct Inner {
    base_url: String,
    client_id: String,
    auth: Auth,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    page_size: u32,
    poll_interval: Duration,
    last_quota: std::sync::Mutex<Option<Quota>>,
}

/// A Webcare API client. Cheap to clone (clones share the connection pool and token cache).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    timeouts: Timeouts,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("client_id", &self.inner.client_id)
            .field("client_secret", &crate::redact::REDACTED)
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

/// A webcare event on a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The agent started typing.
    StartTyping,
    /// The agent stopped typing.
    StopTyping,
    /// The result was closed.
    Closed,
    /// The result was opened.
    Opened,
}

impl Event {
    /// Every event.
    pub const ALL: [Event; 4] = [
        Event::StartTyping,
        Event::StopTyping,
        Event::Closed,
        Event::Opened,
    ];

    /// The path name (`starttyping`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Event::StartTyping => "starttyping",
            Event::StopTyping => "stoptyping",
            Event::Closed => "closed",
            Event::Opened => "opened",
        }
    }

    /// Parse an event name (case-insensitive; `start_typing` and `startTyping` also work).
    pub fn parse(name: &str) -> Result<Event> {
        let norm: String = name
            .trim()
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        Event::ALL
            .into_iter()
            .find(|e| e.as_str() == norm)
            .ok_or_else(|| {
                Error::validation(format!(
                    "unknown event '{name}' (expected starttyping, stoptyping, closed or opened)"
                ))
            })
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reply to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRequest {
    /// The text.
    pub message: String,
    /// The connection to reply from; `None` uses the result's default connection.
    pub connection_id: Option<u64>,
    /// Reply in public (`false` replies privately to a public message).
    pub public: bool,
}

impl ReplyRequest {
    /// A public reply from the result's default connection.
    pub fn new(message: impl Into<String>) -> ReplyRequest {
        ReplyRequest {
            message: message.into(),
            connection_id: None,
            public: true,
        }
    }
    /// Reply from this connection.
    pub fn connection(mut self, id: u64) -> Self {
        self.connection_id = Some(id);
        self
    }
    /// Reply privately.
    pub fn private(mut self) -> Self {
        self.public = false;
        self
    }
}

/// The longest reply text accepted before sending.
pub const MAX_REPLY_CHARS: usize = 10_000;

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client for `base_url` with these credentials.
    pub fn new(
        base_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Client> {
        ClientBuilder::new()
            .base_url(base_url)
            .client_id(client_id)
            .client_secret(client_secret)
            .build()
    }

    /// A client from the `WEBCARE_*` environment variables.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.inner.client_id
    }

    /// The timeouts in force.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// A clone whose calls have this whole-call timeout.
    pub fn with_total_timeout(&self, total: Duration) -> Client {
        Client {
            inner: self.inner.clone(),
            timeouts: Timeouts {
                total,
                ..self.timeouts
            },
        }
    }

    /// The page size of paged searches.
    pub fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    /// The poll interval of `watch`.
    pub fn poll_interval(&self) -> Duration {
        self.inner.poll_interval
    }

    /// How many token requests this client made.
    pub fn token_fetch_count(&self) -> u64 {
        self.inner.auth.fetch_count()
    }

    /// Forget the cached access token (the next call fetches a new one).
    pub fn clear_token(&self) {
        self.inner.auth.clear();
    }

    /// The quota headers of the last response that had them.
    pub fn last_quota(&self) -> Option<Quota> {
        self.inner.last_quota.lock().ok().and_then(|q| q.clone())
    }

    /// Result operations.
    pub fn results(&self) -> Results {
        Results {
            client: self.clone(),
        }
    }

    /// Case operations.
    pub fn cases(&self) -> Cases {
        Cases {
            client: self.clone(),
        }
    }

    /// `GET /configuration`.
    pub async fn configuration(&self) -> Result<Configuration> {
        let (env, _) = self.call(Method::Get, "/configuration", None, true).await?;
        configuration_from(env)
    }

    /// `GET /ssoAccessToken/{email}`: a new single sign-on token for that user.
    pub async fn sso_token(&self, email: &str) -> Result<SsoToken> {
        let email = email.trim();
        if email.is_empty() || !email.contains('@') {
            return Err(Error::validation(format!(
                "'{email}' is not an e-mail address"
            )));
        }
        let path = format!("/ssoAccessToken/{}", encode_value(email));
        let (env, _) = self.call(Method::Get, &path, None, true).await?;
        SsoToken::from_data(env.data)
    }

    /// Send a request with auth, retries and timeouts; return the envelope and request id.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        form: Option<Vec<(String, String)>>,
        idempotent: bool,
    ) -> Result<(Envelope, Option<String>)> {
        let resp = self.call_raw(method, path, form, idempotent).await?;
        let request_id = request_id_header(&resp);
        decode_envelope(&resp, path).map(|env| (env, request_id))
    }

    /// Send a request with auth, retries and timeouts; return the 2xx response undecoded.
    pub(crate) async fn call_raw(
        &self,
        method: Method,
        path: &str,
        form: Option<Vec<(String, String)>>,
        idempotent: bool,
    ) -> Result<HttpResponse> {
        let total = self.timeouts.total;
        match tokio::time::timeout(total, self.call_inner(method, path, form, idempotent)).await {
            Ok(r) => r,
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "{} {path} did not complete within {:.1}s",
                    method.as_str(),
                    total.as_secs_f64()
                ),
            )),
        }
    }

    async fn call_inner(
        &self,
        method: Method,
        path: &str,
        form: Option<Vec<(String, String)>>,
        idempotent: bool,
    ) -> Result<HttpResponse> {
        let inner = &self.inner;
        let url = format!("{}{}", inner.base_url, path);
        let mut retry = 0u32;
        // A 401 fetches a new token and retries, at most twice: the new token itself can be
        // revoked or expired before the retry reaches the server (seen in the soak runs).
        let mut reauths = 0u32;
        loop {
            let token = inner.auth.token().await?;
            let req = HttpRequest {
                method,
                url: url.clone(),
                headers: vec![
                    (
                        "authorization".into(),
                        format!("Bearer {}", token.token.expose()),
                    ),
                    ("accept".into(), "application/json".into()),
                ],
                form: form.clone(),
                timeout: Some(self.timeouts.request),
            };
            let started = std::time::Instant::now();
            let sent = inner.transport.send(req).await;
            let can_retry = retry < inner.retry.max_retries;
            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    tracing::debug!(target: "webcare::http", method = method.as_str(), path, error = %crate::redact::scrub(&e.message), "request failed");
                    if can_retry && is_retryable_transport(e.kind, idempotent) {
                        let wait = inner.retry.backoff(retry);
                        tracing::warn!(target: "webcare::http", method = method.as_str(), path, retry = retry + 1, wait_ms = wait.as_millis() as u64, "retrying after a connection failure");
                        tokio::time::sleep(wait).await;
                        retry += 1;
                        continue;
                    }
                    let kind = match e.kind {
                        TransportErrorKind::Timeout => ErrorKind::Timeout,
                        _ => ErrorKind::Network,
                    };
                    let note = if !idempotent && e.kind != TransportErrorKind::Connect {
                        " (not retried: the request may have reached the server)"
                    } else {
                        ""
                    };
                    return Err(Error::new(
                        kind,
                        format!("{} {path}: {}{note}", method.as_str(), e.message),
                    ));
                }
            };
            tracing::debug!(target: "webcare::http", method = method.as_str(), path, status = resp.status, elapsed_ms = started.elapsed().as_millis() as u64, "response");
            if let Some(q) = Quota::from_response(&resp) {
                if let Ok(mut g) = inner.last_quota.lock() {
                    *g = Some(q);
                }
            }
            let status = resp.status;
            if (200..300).contains(&status) {
                return Ok(resp);
            }
            if status == 401 && reauths < 2 {
                reauths += 1;
                inner.auth.invalidate(token.generation);
                tracing::debug!(target: "webcare::auth", "401: fetching a new token and retrying once");
                continue;
            }
            // A 429 provably did not reach the handler, so even a reply may be retried.
            let retryable = status == 429 || (idempotent && is_retryable_status(status));
            // Only a 429's quota reset is a wait hint; a 5xx's quota headers are not (a 502
            // carrying them must not wait for the quota window), only its `Retry-After`.
            let wait = retry_hint(&resp);
            if status == 429 {
                if let Some(w) = wait {
                    if w > inner.retry.max_retry_wait {
                        return Err(http_error(&resp, path).with_retry_after(Some(w)));
                    }
                }
            }
            if can_retry && retryable {
                let w = wait
                    .filter(|w| *w <= inner.retry.max_retry_wait)
                    .unwrap_or_else(|| inner.retry.backoff(retry));
                tracing::warn!(target: "webcare::http", method = method.as_str(), path, status, retry = retry + 1, wait_ms = w.as_millis() as u64, "retrying");
                tokio::time::sleep(w).await;
                retry += 1;
                continue;
            }
            return Err(http_error(&resp, path));
        }
    }
}

fn request_id_header(resp: &HttpResponse) -> Option<String> {
    ["x-request-id", "x-transaction-id", "x-correlation-id"]
        .iter()
        .find_map(|h| resp.header(h))
        .map(str::to_string)
}

/// The wait worth reporting with an error: a 429's `Retry-After` or quota reset, or a 5xx's
/// `Retry-After`. Other errors get none (retrying them does not help).
fn retry_hint(resp: &HttpResponse) -> Option<std::time::Duration> {
    match resp.status {
        429 => requested_wait(resp),
        500..=599 if resp.header("retry-after").is_some() => requested_wait(resp),
        _ => None,
    }
}

/// Turn a non-2xx response into an [`Error`], keeping the error body.
pub fn http_error(resp: &HttpResponse, path: &str) -> Error {
    let kind = ErrorKind::from_status(resp.status);
    let value: Option<Value> = serde_json::from_slice(&resp.body).ok();
    let body: Option<ErrorBody> = value
        .as_ref()
        .and_then(|v| v.as_object())
        .filter(|m| m.contains_key("message") || m.contains_key("transactionId"))
        .and_then(|_| value.clone())
        .and_then(|v| serde_json::from_value(v).ok());
    let message = body
        .as_ref()
        .map(|b| {
            if !b.message.is_empty() {
                b.message.clone()
            } else {
                b.name.clone()
            }
        })
        .filter(|m| !m.is_empty())
        .or_else(|| {
            // A backend envelope with messages, or the token endpoint's `Error`.
            let v = value.as_ref()?;
            if let Ok(env) = serde_json::from_value::<Envelope>(v.clone()) {
                if let Some(m) = env.messages.first() {
                    return Some(format!("{} {}", m.title, m.description).trim().to_string());
                }
            }
            v.get("Error").and_then(Value::as_str).map(str::to_string)
        })
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(&resp.body);
            let snippet: String = text.chars().take(200).collect();
            if snippet.trim().is_empty() {
                format!("HTTP {} from {path}", resp.status)
            } else {
                format!("HTTP {} from {path}: {snippet}", resp.status)
            }
        });
    let mut err = Error::new(kind, message)
        .with_status(resp.status)
        .with_request_id(request_id_header(resp))
        .with_retry_after(retry_hint(resp));
    if let Some(b) = body {
        err = err.with_body(b);
    }
    if let Some(v) = value {
        if let Ok(env) = serde_json::from_value::<Envelope>(v) {
            if !env.messages.is_empty() {
                err = err.with_messages(env.messages);
            }
        }
    }
    err
}

/// Decode a 2xx body as an envelope; a status other than `SUCCES` is a validation error that
/// keeps the envelope's messages.
pub fn decode_envelope(resp: &HttpResponse, path: &str) -> Result<Envelope> {
    let env: Envelope = serde_json::from_slice(&resp.body).map_err(|e| {
        Error::decode(format!("response to {path} is not a Webcare envelope: {e}"))
            .with_status(resp.status)
            .with_request_id(request_id_header(resp))
    })?;
    if !env.is_success() {
        let msg = env
            .messages
            .first()
            .map(|m| format!("{} {}", m.title, m.description).trim().to_string())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| format!("the server answered with status '{}'", env.status));
        return Err(Error::validation(msg)
            .with_status(resp.status)
            .with_request_id(request_id_header(resp))
            .with_messages(env.messages));
    }
    Ok(env)
}

/// Decode the configuration from its envelope (`configuration` beside `data`; also accepted
/// inside `data`).
pub fn configuration_from(env: Envelope) -> Result<Configuration> {
    let cfg = match env.configuration {
        Some(c) => c,
        None => match env.data {
            Value::Object(mut m) if m.contains_key("configuration") => {
                m.remove("configuration").unwrap_or(Value::Null)
            }
            other => other,
        },
    };
    serde_json::from_value(cfg).map_err(|e| Error::decode(format!("configuration: {e}")))
}

/// The acknowledgement carried by an envelope.
pub fn ack_from(env: Envelope, request_id: Option<String>) -> Ack {
    Ack {
        url: env.metadata.values.url,
        method: env.metadata.method,
        duration: env.metadata.duration,
        data: env.data,
        request_id,
    }
}

/// Decode a search response straight from its bytes (no intermediate JSON tree): `data.results`
/// as an object keyed by id (server order) or a list, and `data.total`. Anything unusual (a
/// non-`SUCCES` status, an unexpected shape) falls back to [`decode_envelope`] and
/// [`decode_results`], which give the precise error.
pub fn decode_search(resp: &HttpResponse, path: &str) -> Result<(Vec<WebcareResult>, Option<u64>)> {
    // Checking the UTF-8 of the whole body once is faster than string by string.
    let parsed = match std::str::from_utf8(&resp.body) {
        Ok(text) => serde_json::from_str::<fast::SearchEnvelope>(text),
        Err(_) => serde_json::from_slice::<fast::SearchEnvelope>(&resp.body),
    };
    if let Ok(env) = parsed {
        if env.is_success() {
            return Ok((env.data.results, env.data.total));
        }
    }
    let env = decode_envelope(resp, path)?;
    decode_results(&env.data)
}

mod fast {
    use std::fmt;

    use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;

    use crate::model::WebcareResult;

    #[derive(Deserialize)]
    pub(super) struct SearchEnvelope {
        #[serde(default)]
        pub data: SearchData,
        #[serde(default)]
        status: Option<String>,
    }

    impl SearchEnvelope {
        pub fn is_success(&self) -> bool {
            crate::model::status_is_success(self.status.as_deref().unwrap_or(""))
        }
    }

    #[derive(Deserialize, Default)]
    pub(super) struct SearchData {
        #[serde(default, deserialize_with = "results")]
        pub results: Vec<WebcareResult>,
        #[serde(default)]
        pub total: Option<u64>,
    }

    struct ResultsVisitor;

    impl<'de> Visitor<'de> for ResultsVisitor {
        type Value = Vec<WebcareResult>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of results keyed by id, or a list")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
            while let Some((_, r)) = map.next_entry::<serde::de::IgnoredAny, WebcareResult>()? {
                out.push(r);
            }
            Ok(out)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(r) = seq.next_element::<WebcareResult>()? {
                out.push(r);
            }
            Ok(out)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }

    fn results<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<WebcareResult>, D::Error> {
        d.deserialize_any(ResultsVisitor)
    }
}

/// Decode `data.results` (an object keyed by id, or a list) in the order served.
pub fn decode_results(data: &Value) -> Result<(Vec<WebcareResult>, Option<u64>)> {
    let (results, total) = match data {
        Value::Object(m) => {
            let total = m
                .get("total")
                .or_else(|| m.get("count"))
                .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
            let total = if m.contains_key("total") { total } else { None };
            (m.get("results").cloned().unwrap_or(Value::Null), total)
        }
        Value::Array(_) => (data.clone(), None),
        Value::Null => (Value::Null, None),
        other => {
            return Err(Error::decode(format!(
                "search response: expected data to be an object, got {}",
                type_name(other)
            )))
        }
    };
    let items: Vec<Value> = match results {
        Value::Object(m) => m.into_iter().map(|(_, v)| v).collect(),
        Value::Array(a) => a,
        Value::Null => Vec::new(),
        other => {
            return Err(Error::decode(format!(
                "search response: expected data.results to be an object or a list, got {}",
                type_name(&other)
            )))
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        out.push(
            serde_json::from_value(item)
                .map_err(|e| Error::decode(format!("search response: result {i}: {e}")))?,
        );
    }
    Ok((out, total))
}

/// Result operations (`client.results()`).
#[derive(Clone, Debug)]
pub struct Results {
    client: Client,
}

fn check_id(what: &str, id: u64) -> Result<()> {
    if id == 0 {
        return Err(Error::validation(format!(
            "{what} must be a positive integer"
        )));
    }
    Ok(())
}

impl Results {
    /// One page: `GET /results/{profile}/{filter}` exactly as given (the filter's own `limit`
    /// and `offset` apply).
    pub async fn search(&self, profile: &str, filter: &Filter) -> Result<Page> {
        let p = self
            .page_with(profile, filter, &crate::paging::TypedDecoder)
            .await?;
        Ok(Page {
            results: p.rows,
            offset: p.offset,
            limit: p.limit,
            total: p.total,
        })
    }

    /// One page as [`Results::search`] gives it, decoded by `decoder` (typed results, JSON text
    /// with [`crate::json::JsonDecoder`], or with the `arrow` feature Arrow columns).
    pub async fn page_with<D: crate::paging::PageDecoder>(
        &self,
        profile: &str,
        filter: &Filter,
        decoder: &D,
    ) -> Result<crate::paging::RowsPage<D::Rows>> {
        let (rows, total) = self.search_with(profile, filter, decoder).await?;
        Ok(crate::paging::RowsPage {
            rows,
            offset: filter.offset.unwrap_or(0),
            limit: filter.limit.unwrap_or(0),
            total,
        })
    }

    /// One page, decoded by `decoder` (typed results, or with the `arrow` feature Arrow
    /// columns), and `data.total`.
    pub async fn search_with<D: crate::paging::PageDecoder>(
        &self,
        profile: &str,
        filter: &Filter,
        decoder: &D,
    ) -> Result<(D::Rows, Option<u64>)> {
        let (resp, path) = self.search_response(profile, filter).await?;
        decoder.decode(&resp, &path)
    }

    /// The raw 2xx response of one search page, and its path (for decoding and errors).
    pub(crate) async fn search_response(
        &self,
        profile: &str,
        filter: &Filter,
    ) -> Result<(HttpResponse, String)> {
        if profile.trim().is_empty() {
            return Err(Error::validation("the search profile name is empty"));
        }
        filter.validate()?;
        let path = filter.to_path(profile);
        let resp = self.client.call_raw(Method::Get, &path, None, true).await?;
        Ok((resp, path))
    }

    /// Every result of the filter across pages, by offset, in the filter's order. The page size
    /// is the filter's `limit` or the client's page size; `max_results` caps the total.
    pub fn pager(&self, profile: &str, filter: &Filter, max_results: Option<u64>) -> Pager {
        Pager::new(self.client.clone(), profile, filter, max_results)
    }

    /// Every result after `since_id` (exclusive), oldest first, by keyset (`sinceId`): safe while
    /// new results arrive.
    pub fn keyset_pager(
        &self,
        profile: &str,
        filter: &Filter,
        since_id: u64,
        max_results: Option<u64>,
    ) -> KeysetPager {
        KeysetPager::new(self.client.clone(), profile, filter, since_id, max_results)
    }

    /// Every result of the filter: by keyset after `since_id` when one is given (oldest first),
    /// else by offset in the filter's order. What the bindings' `results(...)` iterate.
    pub fn pages(
        &self,
        profile: &str,
        filter: &Filter,
        since_id: Option<u64>,
        max_results: Option<u64>,
    ) -> crate::paging::ResultPager {
        match since_id {
            Some(id) => crate::paging::ResultPager::Keyset(self.keyset_pager(
                profile,
                filter,
                id,
                max_results,
            )),
            None => crate::paging::ResultPager::Offset(self.pager(profile, filter, max_results)),
        }
    }

    /// [`Results::pager`] as a stream of results.
    pub fn stream(&self, profile: &str, filter: &Filter) -> crate::paging::ResultStream {
        self.pager(profile, filter, None).into_stream()
    }

    /// Watch for new results: polls with `sinceId` and yields each new result exactly once.
    pub fn watch(&self, profile: &str, filter: &Filter, options: WatchOptions) -> Watcher {
        Watcher::new(self.client.clone(), profile, filter, options)
    }

    /// `GET /results/{id}`: the result and its conversation context.
    pub async fn get(&self, id: u64) -> Result<ResultWithContext> {
        check_id("result id", id)?;
        let (env, _) = self
            .client
            .call(Method::Get, &format!("/results/{id}"), None, true)
            .await?;
        let mut data = env.data;
        let context = match data.as_object_mut().and_then(|m| m.remove("context")) {
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| {
                    serde_json::from_value(v)
                        .map_err(|e| Error::decode(format!("result {id} context: {e}")))
                })
                .collect::<Result<Vec<WebcareResult>>>()?,
            Some(other @ Value::Object(_)) => {
                decode_results(&serde_json::json!({ "results": other }))?.0
            }
            _ => Vec::new(),
        };
        let result = match data.as_object_mut().and_then(|m| m.remove("result")) {
            Some(r) => r,
            None => data,
        };
        let result = serde_json::from_value(result)
            .map_err(|e| Error::decode(format!("result {id}: {e}")))?;
        Ok(ResultWithContext { result, context })
    }

    /// `GET /results/{id}/noContext`.
    pub async fn get_no_context(&self, id: u64) -> Result<WebcareResult> {
        check_id("result id", id)?;
        let (env, _) = self
            .client
            .call(Method::Get, &format!("/results/{id}/noContext"), None, true)
            .await?;
        serde_json::from_value(env.data).map_err(|e| Error::decode(format!("result {id}: {e}")))
    }

    /// `POST /results/{id}/replies`. Without a connection id, the result's default connection (or
    /// its only available one) is used. Never sent twice: retried only when the request provably
    /// did not reach the server.
    pub async fn reply(&self, id: u64, reply: &ReplyRequest) -> Result<ReplySent> {
        check_id("result id", id)?;
        let message = reply.message.trim();
        if message.is_empty() {
            return Err(Error::validation("the reply message is empty"));
        }
        if reply.message.chars().count() > MAX_REPLY_CHARS {
            return Err(Error::validation(format!(
                "the reply message is longer than {MAX_REPLY_CHARS} characters"
            )));
        }
        let connection_id = match reply.connection_id {
            Some(c) => c,
            None => {
                let r = self.get_no_context(id).await?;
                r.default_connection
                    .or(match r.available_connections.as_slice() {
                        [only] => Some(only.id),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        Error::validation(format!(
                            "result {id} has no default connection: pass a connection id"
                        ))
                    })?
            }
        };
        let form = vec![
            ("message".to_string(), reply.message.clone()),
            ("connectionId".to_string(), connection_id.to_string()),
            ("public".to_string(), reply.public.to_string()),
        ];
        let (env, rid) = self
            .client
            .call(
                Method::Post,
                &format!("/results/{id}/replies"),
                Some(form),
                false,
            )
            .await?;
        let result = match &env.data {
            Value::Object(m) if m.contains_key("uniqueId") => {
                serde_json::from_value(env.data.clone()).ok()
            }
            _ => None,
        };
        Ok(ReplySent {
            result,
            connection_id,
            ack: ack_from(env, rid),
        })
    }

    /// `POST /results/{id}/event/{event}`.
    pub async fn event(&self, id: u64, event: Event) -> Result<Ack> {
        check_id("result id", id)?;
        let (env, rid) = self
            .client
            .call(
                Method::Post,
                &format!("/results/{id}/event/{}", event.as_str()),
                None,
                true,
            )
            .await?;
        Ok(ack_from(env, rid))
    }
}

/// Case operations (`client.cases()`).
#[derive(Clone, Debug)]
pub struct Cases {
    client: Client,
}

impl Cases {
    async fn post(&self, path: String) -> Result<Ack> {
        let (env, rid) = self.client.call(Method::Post, &path, None, true).await?;
        Ok(ack_from(env, rid))
    }

    /// `POST /searches/{searchId}/cases/{caseId}/close`.
    pub async fn close(&self, search_id: u64, case_id: &str) -> Result<Ack> {
        check_id("search id", search_id)?;
        let case = case_segment(case_id)?;
        self.post(format!("/searches/{search_id}/cases/{case}/close"))
            .await
    }

    /// `POST /searches/{searchId}/cases/{caseId}/close/handOverToHandler/{handlerId}`.
    pub async fn hand_over(&self, search_id: u64, case_id: &str, handler_id: u64) -> Result<Ack> {
        check_id("search id", search_id)?;
        check_id("handler id", handler_id)?;
        let case = case_segment(case_id)?;
        self.post(format!(
            "/searches/{search_id}/cases/{case}/close/handOverToHandler/{handler_id}"
        ))
        .await
    }

    /// `POST /searches/{searchId}/cases/{caseId}/releaseHandler`.
    pub async fn release_handler(&self, search_id: u64, case_id: &str) -> Result<Ack> {
        check_id("search id", search_id)?;
        let case = case_segment(case_id)?;
        self.post(format!("/searches/{search_id}/cases/{case}/releaseHandler"))
            .await
    }
}

fn case_segment(case_id: &str) -> Result<String> {
    let c = case_id.trim();
    if c.is_empty() {
        return Err(Error::validation("the case id is empty"));
    }
    Ok(encode_value(c))
}
