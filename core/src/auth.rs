//! OAuth2 client credentials: the token cache, refreshed before expiry with a single flight.
//!
//! Many concurrent calls that find the token missing or about to expire cause exactly one token
//! request: the first takes the refresh lock and fetches, the others wait on the lock and then
//! find the fresh token. A 401 from the API invalidates the token it was sent with (only that
//! one, so a token another call already refreshed is kept).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::redact::Secret;
use crate::retry::{is_retryable_status, is_retryable_transport, requested_wait, RetryPolicy};
use crate::transport::{HttpRequest, Method, Transport, TransportErrorKind};

/// An access token and when it expires.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The bearer token.
    pub token: Secret,
    /// When it expires (local monotonic clock).
    pub expires_at: Instant,
    /// When to fetch a new one: a tenth of the lifetime (at most 60 s) before expiry.
    pub refresh_at: Instant,
    /// A number that changes with every token fetched.
    pub generation: u64,
}

impl AccessToken {
    /// Whether it is still usable `margin` from now.
    pub fn fresh(&self, margin: Duration) -> bool {
        Instant::now() + margin < self.expires_at
    }
}

/// The token cache for one client.
pub struct Auth {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    request_timeout: Duration,
    current: RwLock<Option<Arc<AccessToken>>>,
    refresh: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    fetches: AtomicU64,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish_non_exhaustive()
    }
}

impl Auth {
    /// A cache that fetches from `token_url`.
    pub fn new(
        token_url: String,
        client_id: String,
        client_secret: Secret,
        transport: Arc<dyn Transport>,
        retry: RetryPolicy,
        request_timeout: Duration,
    ) -> Auth {
        Auth {
            token_url,
            client_id,
            client_secret,
            transport,
            retry,
            request_timeout,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            fetches: AtomicU64::new(0),
        }
    }

    /// How many token requests were made (for tests and metrics).
    pub fn fetch_count(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    fn cached(&self) -> Option<Arc<AccessToken>> {
        self.current.read().ok().and_then(|g| g.clone())
    }

    /// A valid token, fetching one if needed (single flight).
    pub async fn token(&self) -> Result<Arc<AccessToken>> {
        if let Some(t) = self.cached() {
            if Instant::now() < t.refresh_at {
                return Ok(t);
            }
        }
        let _guard = self.refresh.lock().await;
        if let Some(t) = self.cached() {
            if Instant::now() < t.refresh_at {
                return Ok(t);
            }
        }
        let fetched = Arc::new(self.fetch().await?);
        if let Ok(mut g) = self.current.write() {
            *g = Some(fetched.clone());
        }
        Ok(fetched)
    }

    /// Forget the token of this generation (after a 401), unless it was already replaced.
    pub fn invalidate(&self, generation: u64) {
        if let Ok(mut g) = self.current.write() {
            if g.as_ref().is_some_and(|t| t.generation == generation) {
                *g = None;
            }
        }
    }

    /// Forget the current token, whatever it is.
    pub fn clear(&self) {
        if let Ok(mut g) = self.current.write() {
            *g = None;
        }
    }

    async fn fetch(&self) -> Result<AccessToken> {
        let mut retry = 0u32;
        loop {
            self.fetches.fetch_add(1, Ordering::Relaxed);
            let url = if self.token_url.contains('?') {
                format!("{}&grant_type=client_credentials", self.token_url)
            } else {
                format!("{}?grant_type=client_credentials", self.token_url)
            };
            let req = HttpRequest {
                method: Method::Post,
                url,
                headers: vec![("accept".into(), "application/json".into())],
                form: Some(vec![
                    ("client_id".into(), self.client_id.clone()),
                    (
                        "client_secret".into(),
                        self.client_secret.expose().to_string(),
                    ),
                ]),
                timeout: Some(self.request_timeout),
            };
            tracing::debug!(target: "webcare::auth", url = %self.token_url, "requesting access token");
            let sent = self.transport.send(req).await;
            let can_retry = retry < self.retry.max_retries;
            match sent {
                Err(e) => {
                    if can_retry && is_retryable_transport(e.kind, true) {
                        tokio::time::sleep(self.retry.backoff(retry)).await;
                        retry += 1;
                        continue;
                    }
                    let kind = match e.kind {
                        TransportErrorKind::Timeout => ErrorKind::Timeout,
                        _ => ErrorKind::Network,
                    };
                    return Err(Error::new(
                        kind,
                        format!("token request to {} failed: {}", self.token_url, e.message),
                    ));
                }
                Ok(resp) if (200..300).contains(&resp.status) => {
                    return self.decode(&resp.body);
                }
                Ok(resp) => {
                    if can_retry && is_retryable_status(resp.status) {
                        let wait = requested_wait(&resp)
                            .filter(|w| *w <= self.retry.max_retry_wait)
                            .unwrap_or_else(|| self.retry.backoff(retry));
                        tokio::time::sleep(wait).await;
                        retry += 1;
                        continue;
                    }
                    let body: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
                    let msg = [
                        "Error",
                        "error_description",
                        "error",
                        "message",
                        "ErrorCode",
                    ]
                    .iter()
                    .find_map(|k| body.get(*k).and_then(Value::as_str))
                    .unwrap_or("the token endpoint refused the request")
                    .to_string();
                    let kind = match resp.status {
                        400 | 401 | 403 => ErrorKind::Auth,
                        s => ErrorKind::from_status(s),
                    };
                    return Err(Error::new(kind, format!("access token: {msg}"))
                        .with_status(resp.status)
                        .with_request_id(resp.header("x-request-id").map(str::to_string))
                        .with_retry_after(requested_wait(&resp)));
                }
            }
        }
    }

    fn decode(&self, body: &[u8]) -> Result<AccessToken> {
        let v: Value = serde_json::from_slice(body)
            .map_err(|e| Error::decode(format!("token response is not JSON: {e}")))?;
        let token = v
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::decode("token response has no access_token"))?;
        let expires_in = match v.get("expires_in") {
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(Value::Number(n)) => n.as_f64(),
            _ => None,
        }
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(3599.0);
        let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::debug!(target: "webcare::auth", expires_in, "access token received");
        let lifetime = Duration::from_secs_f64(expires_in.min(1.0e8));
        let now = Instant::now();
        Ok(AccessToken {
            token: Secret::new(token),
            expires_at: now + lifetime,
            refresh_at: now + lifetime - (lifetime / 10).min(Duration::from_secs(60)),
            generation,
        })
    }
}
