//! The HTTP side: routing, authentication, quotas, chaos, the envelope and error bodies, and the
//! `/_sandbox/` controls.
//!
//! Routing is written by hand over the raw request path, because the filter language needs the
//! path exactly as sent (a `%2F` inside a value must not become a path separator) and because
//! every rejection (unknown route, wrong method, bad id, bad body) must produce the API's error
//! body.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use percent_encoding::percent_decode_str;
use rand::Rng as _;
use serde::Serialize;
use serde_json::{json, Value};
use webcare::filter::SearchPath;

use crate::api_error::{status_name, ApiError};
use crate::chaos::{ChaosConfig, ChaosDecision};
use crate::clock::{rfc3339_ms, rfc3339_secs, Clock};
use crate::quota::{QuotaConfig, QuotaStatus, Quotas};
use crate::rng::Rng;
use crate::store::{
    AccountInfo, CaseOp, InboundRequest, Store, DEFAULT_CONTEXT, MAX_MESSAGE_CHARS,
};

/// The production path prefix, also served.
pub(crate) const PROD_PREFIX: &str = "/communication/tracebuzz/social-media-webcare";
/// The token path.
pub(crate) const TOKEN_PATH: &str = "/oauth/client_credential/accesstoken";
/// The largest request body accepted.
const MAX_BODY: usize = 1 << 20;
/// The latest the sandbox clock may be set to (two hours before the end of year 9999, so
/// every time it serves, expiries included, has a four-digit year).
const MAX_CLOCK_MS: i64 = 253_402_293_599_000;
/// Entries kept in the request log.
const LOG_CAPACITY: usize = 10_000;

static OPENAPI: &str = include_str!("openapi.json");

/// The error a service returns to make hyper close the connection without a response.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by sandbox chaos")
    }
}

impl std::error::Error for Dropped {}

#[derive(Debug, Clone)]
struct TokenInfo {
    client_id: String,
    account_id: i64,
    expires_ms: i64,
    revoked: bool,
}

/// One entry of the request log.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LogEntry {
    pub seq: u64,
    /// RFC 3339 with milliseconds (sandbox clock); written as text when the log is read.
    #[serde(serialize_with = "time_text")]
    pub time: i64,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub client_id: Option<String>,
    pub request_id: String,
    pub duration_ms: f64,
    pub chaos: Option<String>,
}

fn time_text<S: serde::Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339_ms(*ms))
}

/// Shared server state.
pub(crate) struct App {
    pub store: Store,
    pub clock: Clock,
    pub clock_start_ms: i64,
    pub token_ttl: Duration,
    tokens: RwLock<HashMap<String, TokenInfo>>,
    pub quotas: Quotas,
    pub initial_quota: QuotaConfig,
    chaos: RwLock<ChaosConfig>,
    pub initial_chaos: ChaosConfig,
    chaos_rng: Mutex<Rng>,
    log: Mutex<VecDeque<LogEntry>>,
    log_seq: AtomicU64,
    request_seq: AtomicU64,
}

impl App {
    pub(crate) fn new(
        store: Store,
        clock: Clock,
        clock_start_ms: i64,
        token_ttl: Duration,
        quota: QuotaConfig,
        chaos: ChaosConfig,
        seed: u64,
    ) -> App {
        App {
            store,
            clock,
            clock_start_ms,
            token_ttl,
            tokens: RwLock::new(HashMap::new()),
            quotas: Quotas::new(quota),
            initial_quota: quota,
            chaos: RwLock::new(chaos),
            initial_chaos: chaos,
            chaos_rng: Mutex::new(Rng::new(seed ^ 0xC4A0_5EED)),
            log: Mutex::new(VecDeque::new()),
            log_seq: AtomicU64::new(0),
            request_seq: AtomicU64::new(0),
        }
    }

    pub(crate) fn chaos(&self) -> ChaosConfig {
        *self.chaos.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn set_chaos(&self, c: ChaosConfig) {
        *self.chaos.write().unwrap_or_else(|p| p.into_inner()) = c;
    }

    fn request_id(&self) -> String {
        let n = self.request_seq.fetch_add(1, Ordering::Relaxed);
        let r: u32 = rand::rng().random();
        format!("sbx-{n:010}-{r:08x}")
    }

    fn push_log(&self, mut e: LogEntry) {
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        e.seq = self.log_seq.fetch_add(1, Ordering::Relaxed) + 1;
        if log.len() >= LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(e);
    }

    fn lookup_token(&self, token: &str) -> Option<TokenInfo> {
        self.tokens
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned()
    }

    /// Revoke every token of a client; returns how many.
    pub(crate) fn revoke(&self, client_id: &str) -> usize {
        let mut tokens = self.tokens.write().unwrap_or_else(|p| p.into_inner());
        let mut n = 0;
        for t in tokens.values_mut() {
            if t.client_id == client_id && !t.revoked {
                t.revoked = true;
                n += 1;
            }
        }
        n
    }

    fn issue_token(&self, account: &AccountInfo, client_id: &str) -> (String, i64) {
        let now = self.clock.now_ms();
        let token: String = {
            let mut rng = rand::rng();
            (0..32)
                .map(|_| {
                    const A: &[u8] =
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                    A[rng.random_range(0..A.len())] as char
                })
                .collect()
        };
        let mut tokens = self.tokens.write().unwrap_or_else(|p| p.into_inner());
        if tokens.len() > 50_000 {
            tokens.retain(|_, t| t.expires_ms > now);
        }
        tokens.insert(
            token.clone(),
            TokenInfo {
                client_id: client_id.to_string(),
                account_id: account.id,
                expires_ms: now + self.token_ttl.as_millis() as i64,
                revoked: false,
            },
        );
        (token, now)
    }

    /// Reset everything to the initial state (data, clock, quotas, chaos, log). Tokens stay valid.
    pub(crate) fn reset(&self) -> Result<(), ApiError> {
        self.store.reset()?;
        self.clock.reset(self.clock_start_ms);
        self.quotas.set_config(self.initial_quota);
        self.set_chaos(self.initial_chaos);
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clear();
        Ok(())
    }
}

type Resp = Response<Full<Bytes>>;

/// What a request was, for logging and headers.
struct Ctx {
    request_id: String,
    method: Method,
    path: String,
    started: Instant,
    client_id: Option<String>,
    chaos: Option<String>,
}

fn set_header(resp: &mut Resp, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(HeaderName::from_static(name), v);
    }
}

fn json_response(status: u16, body: String) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

fn error_response(ctx: &Ctx, e: &ApiError) -> Resp {
    let info = if e.info.is_empty() {
        format!("{} {}", ctx.method, ctx.path)
    } else {
        e.info.clone()
    };
    let body = json!({
        "transactionId": ctx.request_id,
        "status": e.status.to_string(),
        "name": e.name(),
        "message": e.message,
        "info": info,
    });
    let mut resp = json_response(e.status, body.to_string());
    if let Some(allow) = e.allow {
        set_header(&mut resp, "allow", allow);
    }
    if e.status == 401 {
        set_header(
            &mut resp,
            "www-authenticate",
            "Bearer realm=\"webcare-sandbox\", error=\"invalid_token\"",
        );
    }
    resp
}

fn quota_headers(resp: &mut Resp, q: &QuotaStatus) {
    set_header(resp, "quota-limit", &q.config.limit.to_string());
    set_header(resp, "quota-interval", &q.config.interval.to_string());
    set_header(resp, "quota-time-unit", q.config.time_unit.as_str());
    set_header(resp, "quota-used", &q.used.to_string());
    set_header(resp, "quota-reset-utc", &q.reset_utc());
}

/// The envelope around `data` (JSON text).
/// The start of every success envelope, up to the data.
const ENVELOPE_HEAD: &str = "{\"data\":";

fn envelope(
    data: &str,
    url: &str,
    method: &Method,
    started: Instant,
    configuration: Option<&str>,
) -> String {
    let mut s = String::with_capacity(data.len() + 200 + configuration.map_or(0, str::len));
    s.push_str(ENVELOPE_HEAD);
    s.push_str(data);
    if let Some(c) = configuration {
        s.push_str(",\"configuration\":");
        s.push_str(c);
    }
    envelope_tail(&mut s, url, method, started);
    s
}

/// Close an envelope whose text so far is [`ENVELOPE_HEAD`] and the data.
fn envelope_tail(s: &mut String, url: &str, method: &Method, started: Instant) {
    use std::fmt::Write as _;
    let url_json = serde_json::to_string(url).unwrap_or_else(|_| "\"\"".into());
    s.push_str(",\"messages\":[],\"status\":\"SUCCES\",\"metadata\":{\"values\":{\"url\":");
    s.push_str(&url_json);
    s.push_str("},\"method\":\"");
    s.push_str(&method.as_str().to_ascii_lowercase());
    s.push_str("\",\"duration\":");
    let d = started.elapsed().as_secs_f64();
    let _ = write!(s, "{d:.6}");
    s.push_str("}}");
}

/// What a route answers: data to put in an envelope (with the configuration beside it, for
/// `GET /configuration`), or an envelope already written up to the end of its data (searches
/// write their page straight into the response text).
enum Payload {
    Data(String, Option<String>),
    Enveloped(String),
}

/// A resolved API route (ids still raw; validated by the handler, after authentication).
#[derive(Debug)]
enum Route {
    Configuration,
    Sso(String),
    Search(String),
    Result {
        id: String,
        context: bool,
    },
    Reply(String),
    Event(String, String),
    Case {
        search: String,
        case: String,
        op: RawCaseOp,
    },
}

#[derive(Debug)]
enum RawCaseOp {
    Close,
    HandOver(String),
    Release,
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn method_not_allowed(allowed: &'static str, path: &str) -> ApiError {
    let mut e = ApiError::new(
        405,
        format!("method not allowed on {path}; allowed: {allowed}"),
    )
    .with_info(format!("Allow: {allowed}"));
    e.allow = Some(allowed);
    e
}

/// Resolve an API path (prefix already stripped, leading slash kept).
fn resolve(method: &Method, path: &str) -> Result<Route, ApiError> {
    let trimmed = path.trim_start_matches('/');
    let segs: Vec<&str> = trimmed.split('/').collect();
    let not_found = || {
        ApiError::not_found(format!(
            "no route for {path} (see /openapi.json for the routes this sandbox serves)"
        ))
    };
    let get = method == Method::GET;
    let post = method == Method::POST;
    // Strip one trailing empty segment for the fixed routes.
    let fixed: Vec<&str> = match segs.split_last() {
        Some((last, rest)) if last.is_empty() && !rest.is_empty() => rest.to_vec(),
        _ => segs.clone(),
    };
    match fixed.as_slice() {
        ["configuration"] => {
            return if get {
                Ok(Route::Configuration)
            } else {
                Err(method_not_allowed("GET", path))
            }
        }
        ["ssoAccessToken", email] if !email.is_empty() => {
            return if get {
                Ok(Route::Sso(email.to_string()))
            } else {
                Err(method_not_allowed("GET", path))
            }
        }
        ["searches", s, "cases", c, "close"] => {
            return if post {
                Ok(Route::Case {
                    search: s.to_string(),
                    case: c.to_string(),
                    op: RawCaseOp::Close,
                })
            } else {
                Err(method_not_allowed("POST", path))
            }
        }
        ["searches", s, "cases", c, "close", "handOverToHandler", h] => {
            return if post {
                Ok(Route::Case {
                    search: s.to_string(),
                    case: c.to_string(),
                    op: RawCaseOp::HandOver(h.to_string()),
                })
            } else {
                Err(method_not_allowed("POST", path))
            }
        }
        ["searches", s, "cases", c, "releaseHandler"] => {
            return if post {
                Ok(Route::Case {
                    search: s.to_string(),
                    case: c.to_string(),
                    op: RawCaseOp::Release,
                })
            } else {
                Err(method_not_allowed("POST", path))
            }
        }
        ["results", a, "replies"] if post || is_digits(a) => {
            return if post {
                Ok(Route::Reply(a.to_string()))
            } else {
                Err(method_not_allowed("POST", path))
            }
        }
        ["results", a, "event", e] if post || is_digits(a) => {
            return if post {
                Ok(Route::Event(a.to_string(), e.to_string()))
            } else {
                Err(method_not_allowed("POST", path))
            }
        }
        ["results", a] if is_digits(a) => {
            return if get {
                Ok(Route::Result {
                    id: a.to_string(),
                    context: true,
                })
            } else {
                Err(method_not_allowed("GET", path))
            }
        }
        ["results", a, "noContext"] if is_digits(a) => {
            return if get {
                Ok(Route::Result {
                    id: a.to_string(),
                    context: false,
                })
            } else {
                Err(method_not_allowed("GET", path))
            }
        }
        _ => {}
    }
    if segs.first() == Some(&"results") && segs.len() >= 2 {
        return if get {
            Ok(Route::Search(segs[1..].join("/")))
        } else {
            Err(method_not_allowed("GET", path))
        };
    }
    if segs.first() == Some(&"results") {
        return Err(ApiError::not_found(
            "no route for /results: use /results/{profile}/{filters...} or /results/{resultId}",
        ));
    }
    Err(not_found())
}

fn parse_id(raw: &str, what: &str) -> Result<u64, ApiError> {
    if !is_digits(raw) {
        return Err(ApiError::bad_request(format!(
            "{what} '{}' is not a non-negative integer",
            shorten(raw)
        )));
    }
    raw.parse::<u64>()
        .map_err(|_| ApiError::bad_request(format!("{what} '{}' is too large", shorten(raw))))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        let mut t: String = s.chars().take(77).collect();
        t.push_str("...");
        t
    } else {
        s.to_string()
    }
}

/// Parse `application/x-www-form-urlencoded`, strictly: bad escapes and non-UTF-8 text are
/// errors, and so is a repeated field among `strict` (the fields the handler reads; other fields
/// are ignored, and their first value kept).
fn parse_form(body: &[u8], strict: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::bad_request("the form body is not UTF-8 text"))?;
    let mut out = HashMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| -> Result<String, ApiError> {
            let plus = s.replace('+', " ");
            if plus.match_indices('%').any(|(i, _)| {
                let b = plus.as_bytes();
                !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            }) {
                return Err(ApiError::bad_request(format!(
                    "form field '{}' has a malformed percent escape",
                    shorten(&k.replace('+', " "))
                )));
            }
            percent_decode_str(&plus)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| {
                    ApiError::bad_request(format!(
                        "form field '{}' does not decode to UTF-8 text",
                        shorten(k)
                    ))
                })
        };
        let key = decode(k)?;
        let value = decode(v)?;
        if out.contains_key(&key) {
            if !strict.contains(&key.as_str()) {
                continue;
            }
            return Err(ApiError::bad_request(format!(
                "form field '{}' is given more than once",
                shorten(&key)
            )));
        }
        out.insert(key, value);
    }
    Ok(out)
}

/// Read a form (or a JSON object, by content type) into field strings.
fn read_fields(
    content_type: Option<&str>,
    body: &[u8],
    strict: &[&str],
) -> Result<HashMap<String, String>, ApiError> {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let mime = ct.split(';').next().unwrap_or("").trim().to_string();
    match mime.as_str() {
        "" | "application/x-www-form-urlencoded" => parse_form(body, strict),
        "application/json" => {
            let v: Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::bad_request(format!("the JSON body is invalid: {e}")))?;
            let Value::Object(map) = v else {
                return Err(ApiError::bad_request("the JSON body must be an object"));
            };
            Ok(map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k, s)),
                    Value::Null => None,
                    other => Some((k, other.to_string())),
                })
                .collect())
        }
        other => Err(ApiError::new(
            415,
            format!("unsupported content type '{other}': send application/x-www-form-urlencoded"),
        )),
    }
}

fn parse_query(query: Option<&str>) -> Result<HashMap<String, String>, ApiError> {
    match query {
        None => Ok(HashMap::new()),
        Some(q) => {
            let mut out = HashMap::new();
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let dec = |s: &str| {
                    percent_decode_str(&s.replace('+', " "))
                        .decode_utf8()
                        .map(|c| c.into_owned())
                        .map_err(|_| ApiError::bad_request("the query string is not UTF-8 text"))
                };
                out.entry(dec(k)?).or_insert(dec(v)?);
            }
            Ok(out)
        }
    }
}

fn parse_bool(field: &str, v: &str) -> Result<bool, ApiError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ApiError::bad_request(format!(
            "{field} '{}' is not a boolean (true, false, 1 or 0)",
            shorten(v)
        ))),
    }
}

/// The service: never fails except to drop a connection on purpose.
pub(crate) async fn handle(app: Arc<App>, req: Request<Incoming>) -> Result<Resp, Dropped> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let raw_path = parts.uri.path().to_string();
    let mut ctx = Ctx {
        request_id: app.request_id(),
        method: parts.method.clone(),
        path: raw_path.clone(),
        started,
        client_id: None,
        chaos: None,
    };
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => Ok(b.to_bytes()),
        Err(e) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                Err(ApiError::new(
                    413,
                    format!("the request body is larger than {MAX_BODY} bytes"),
                ))
            } else {
                // The client went away mid-body: nothing to answer.
                return Err(Dropped);
            }
        }
    };
    let is_sandbox = raw_path == "/_sandbox" || raw_path.starts_with("/_sandbox/");
    let outcome: Result<Resp, Dropped> = if is_sandbox {
        let r = match body {
            Ok(b) => sandbox_control(&app, &parts, &raw_path, &b).await,
            Err(e) => Err(e),
        };
        Ok(match r {
            Ok(resp) => resp,
            Err(e) => error_response(&ctx, &e),
        })
    } else if raw_path == "/openapi.json" {
        Ok(if parts.method == Method::GET {
            json_response(200, OPENAPI.to_string())
        } else {
            error_response(&ctx, &method_not_allowed("GET", &raw_path))
        })
    } else if raw_path == TOKEN_PATH {
        token_endpoint(&app, &parts, body, &mut ctx).await
    } else {
        api(&app, &parts, body, &mut ctx).await
    };
    let mut resp = outcome;
    if let Ok(r) = &mut resp {
        set_header(r, "x-request-id", &ctx.request_id);
    }
    if !is_sandbox {
        app.push_log(LogEntry {
            seq: 0,
            time: app.clock.now_ms(),
            method: ctx.method.to_string(),
            path: match parts.uri.query() {
                Some(q) => format!("{raw_path}?{q}"),
                None => raw_path.clone(),
            },
            status: resp.as_ref().map(|r| r.status().as_u16()).unwrap_or(0),
            client_id: ctx.client_id.clone(),
            request_id: ctx.request_id.clone(),
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            chaos: ctx.chaos.clone(),
        });
    }
    resp
}

async fn apply_delay(d: &ChaosDecision) {
    if !d.delay.is_zero() {
        tokio::time::sleep(d.delay).await;
    }
}

fn decide_chaos(app: &App, limited: bool) -> Option<ChaosDecision> {
    let c = app.chaos();
    if !c.is_active() {
        return None;
    }
    let mut rng = app.chaos_rng.lock().unwrap_or_else(|p| p.into_inner());
    Some(c.decide(&mut rng, limited))
}

fn chaos_label(d: &ChaosDecision) -> Option<String> {
    if d.drop {
        Some("drop".into())
    } else if d.drop_after {
        Some("dropafter".into())
    } else if let Some(s) = d.status {
        Some(s.to_string())
    } else if !d.delay.is_zero() {
        Some(format!("latency {}ms", d.delay.as_millis()))
    } else {
        None
    }
}

fn token_error(ctx: &Ctx, status: u16, code: &str, message: &str) -> Resp {
    let _ = ctx;
    json_response(
        status,
        json!({"ErrorCode": code, "Error": message}).to_string(),
    )
}

async fn token_endpoint(
    app: &Arc<App>,
    parts: &http::request::Parts,
    body: Result<Bytes, ApiError>,
    ctx: &mut Ctx,
) -> Result<Resp, Dropped> {
    if let Some(d) = decide_chaos(app, true) {
        ctx.chaos = chaos_label(&d);
        apply_delay(&d).await;
        if let Some(s) = d.status {
            return Ok(error_response(
                ctx,
                &ApiError::new(
                    s,
                    format!("injected {s} {} (sandbox chaos)", status_name(s)),
                ),
            ));
        }
    }
    if parts.method != Method::POST {
        return Ok(error_response(ctx, &method_not_allowed("POST", TOKEN_PATH)));
    }
    let body = match body {
        Ok(b) => b,
        Err(e) => return Ok(token_error(ctx, e.status, "invalid_request", &e.message)),
    };
    let query = match parse_query(parts.uri.query()) {
        Ok(q) => q,
        Err(e) => return Ok(token_error(ctx, 400, "invalid_request", &e.message)),
    };
    let ct = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let form = match read_fields(ct, &body, &["client_id", "client_secret", "grant_type"]) {
        Ok(f) => f,
        Err(e) => return Ok(token_error(ctx, 400, "invalid_request", &e.message)),
    };
    let grant = query.get("grant_type").or_else(|| form.get("grant_type"));
    match grant.map(String::as_str) {
        None => {
            return Ok(token_error(
                ctx,
                400,
                "invalid_request",
                "grant_type is missing: use POST /oauth/client_credential/accesstoken?grant_type=client_credentials",
            ))
        }
        Some("client_credentials") => {}
        Some(other) => {
            return Ok(token_error(
                ctx,
                400,
                "unsupported_grant_type",
                &format!("grant_type '{}' is not supported: use client_credentials", shorten(other)),
            ))
        }
    }
    // Credentials: form fields, or HTTP Basic.
    let mut id = form.get("client_id").cloned();
    let mut secret = form.get("client_secret").cloned();
    if id.is_none() {
        if let Some((u, p)) = parts
            .headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(basic_credentials)
        {
            id = Some(u);
            secret = Some(p);
        }
    }
    let Some(id) = id.filter(|s| !s.is_empty()) else {
        return Ok(token_error(
            ctx,
            401,
            "invalid_client",
            "client_id is missing: send client_id and client_secret as form fields",
        ));
    };
    let dir = app.store.dir();
    let Some(account) = dir.account_by_client(&id) else {
        return Ok(token_error(
            ctx,
            401,
            "invalid_client",
            "ClientId is Invalid",
        ));
    };
    if secret.as_deref() != dir.client_secret(&id) {
        return Ok(token_error(
            ctx,
            401,
            "invalid_client",
            "Client credentials are invalid",
        ));
    }
    ctx.client_id = Some(id.clone());
    let (token, issued) = app.issue_token(account, &id);
    let body = json!({
        "refresh_token_expires_in": "0",
        "api_product_list": "[SocialMediaWebcare]",
        "organization_name": "webcare-sandbox",
        "developer.email": "sandbox@example.invalid",
        "token_type": "Bearer",
        "issued_at": issued.to_string(),
        "client_id": id,
        "access_token": token,
        "application_name": "webcare-sandbox",
        "scope": "",
        "expires_in": app.token_ttl.as_secs().to_string(),
        "refresh_count": "0",
        "status": "approved",
    });
    let mut resp = json_response(200, body.to_string());
    set_header(&mut resp, "cache-control", "no-store");
    Ok(resp)
}

fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bytes = base64_decode(rest.trim())?;
    let text = String::from_utf8(bytes).ok()?;
    let (u, p) = text.split_once(':')?;
    Some((u.to_string(), p.to_string()))
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Who is calling: the account for a valid token, or the reason it is not valid.
fn authenticate(
    app: &App,
    parts: &http::request::Parts,
) -> Result<(AccountInfo, String), ApiError> {
    let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "missing Authorization header: send 'Authorization: Bearer <access token>' (get a token from POST /oauth/client_credential/accesstoken?grant_type=client_credentials)",
        ));
    };
    let Ok(text) = header.to_str() else {
        return Err(ApiError::unauthorized(
            "malformed Authorization header: it is not ASCII text",
        ));
    };
    let Some((scheme, token)) = text.trim().split_once(' ') else {
        return Err(ApiError::unauthorized(
            "malformed Authorization header: expected 'Bearer <access token>'",
        ));
    };
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthorized(
            "malformed Authorization header: expected 'Bearer <access token>'",
        ));
    }
    let Some(info) = app.lookup_token(token.trim()) else {
        return Err(ApiError::unauthorized(
            "invalid access token: it was not issued by this sandbox (or the sandbox restarted)",
        ));
    };
    if info.revoked {
        return Err(ApiError::unauthorized("access token was revoked"));
    }
    let now = app.clock.now_ms();
    if now >= info.expires_ms {
        return Err(ApiError::unauthorized(format!(
            "access token expired at {} (sandbox clock); request a new one",
            rfc3339_secs(info.expires_ms / 1000)
        )));
    }
    let dir = app.store.dir();
    let account = dir
        .account(info.account_id)
        .cloned()
        .ok_or_else(|| ApiError::unauthorized("the token's account no longer exists"))?;
    Ok((account, info.client_id))
}

fn client_of(app: &App, parts: &http::request::Parts) -> Option<String> {
    let text = parts
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (_, token) = text.trim().split_once(' ')?;
    app.lookup_token(token.trim()).map(|t| t.client_id)
}

async fn api(
    app: &Arc<App>,
    parts: &http::request::Parts,
    body: Result<Bytes, ApiError>,
    ctx: &mut Ctx,
) -> Result<Resp, Dropped> {
    let raw = ctx.path.clone();
    let path = match raw.strip_prefix(PROD_PREFIX) {
        Some("") => "/".to_string(),
        Some(rest) if rest.starts_with('/') => rest.to_string(),
        _ => raw.clone(),
    };
    let route = match resolve(&parts.method, &path) {
        Ok(r) => r,
        Err(e) => return Ok(error_response(ctx, &e)),
    };
    ctx.client_id = client_of(app, parts);
    let quota_key = ctx.client_id.clone().unwrap_or_default();
    let mut drop_after = false;
    if let Some(d) = decide_chaos(app, false) {
        ctx.chaos = chaos_label(&d);
        apply_delay(&d).await;
        if d.drop {
            return Err(Dropped);
        }
        drop_after = d.drop_after;
        if let Some(s) = d.status {
            let q = app.quotas.hit(&quota_key, false);
            let mut resp = error_response(
                ctx,
                &ApiError::new(
                    s,
                    format!("injected {s} {} (sandbox chaos)", status_name(s)),
                ),
            );
            quota_headers(&mut resp, &q);
            if s == 429 || s == 503 {
                set_header(
                    &mut resp,
                    "retry-after",
                    &q.retry_after_secs().min(2).to_string(),
                );
            }
            return Ok(resp);
        }
    }
    let (account, client_id) = match authenticate(app, parts) {
        Ok(a) => a,
        Err(e) => {
            let q = app.quotas.hit(&quota_key, false);
            let mut resp = error_response(ctx, &e);
            quota_headers(&mut resp, &q);
            return Ok(resp);
        }
    };
    let q = app.quotas.hit(&client_id, true);
    if q.exceeded {
        let mut resp = error_response(
            ctx,
            &ApiError::new(
                429,
                format!(
                    "quota exceeded: {} requests per {} {} (resets at {})",
                    q.config.limit,
                    q.config.interval,
                    q.config.time_unit.as_str(),
                    q.reset_utc()
                ),
            ),
        );
        quota_headers(&mut resp, &q);
        set_header(&mut resp, "retry-after", &q.retry_after_secs().to_string());
        return Ok(resp);
    }
    let url = path.trim_start_matches('/').to_string();
    let result = run_route(app, parts, body, route, account, client_id).await;
    let mut resp = match result {
        Ok(Payload::Data(data, configuration)) => json_response(
            200,
            envelope(
                &data,
                &url,
                &parts.method,
                ctx.started,
                configuration.as_deref(),
            ),
        ),
        Ok(Payload::Enveloped(mut head)) => {
            envelope_tail(&mut head, &url, &parts.method, ctx.started);
            json_response(200, head)
        }
        Err(e) => error_response(ctx, &e),
    };
    quota_headers(&mut resp, &q);
    if drop_after {
        return Err(Dropped);
    }
    Ok(resp)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
}

async fn run_route(
    app: &Arc<App>,
    parts: &http::request::Parts,
    body: Result<Bytes, ApiError>,
    route: Route,
    account: AccountInfo,
    client_id: String,
) -> Result<Payload, ApiError> {
    let now = app.clock.now_secs();
    match route {
        Route::Configuration => {
            let dir = app.store.dir();
            let c = dir
                .configuration
                .get(&account.id)
                .cloned()
                .unwrap_or_else(|| "{}".into());
            Ok(Payload::Data("{}".into(), Some(c)))
        }
        Route::Sso(raw) => {
            let email = percent_decode_str(&raw)
                .decode_utf8()
                .map_err(|_| ApiError::bad_request("the e-mail address is not UTF-8 text"))?
                .into_owned();
            if !email.contains('@') {
                return Err(ApiError::bad_request(format!(
                    "'{}' is not an e-mail address",
                    shorten(&email)
                )));
            }
            let user = app.store.user_by_email(account.id, &email).ok_or_else(|| {
                ApiError::not_found(format!(
                    "no user with e-mail '{}' in this account",
                    shorten(&email)
                ))
            })?;
            let token: String = {
                let mut rng = rand::rng();
                (0..40)
                    .map(|_| {
                        const A: &[u8] = b"abcdef0123456789";
                        A[rng.random_range(0..A.len())] as char
                    })
                    .collect()
            };
            Ok(Payload::Data(
                json!({
                    "token": token,
                    "expires": rfc3339_secs(now + 3600),
                    "userId": user.id,
                    "email": user.email,
                })
                .to_string(),
                None,
            ))
        }
        Route::Search(rest) => {
            let sp = SearchPath::parse(&rest)?;
            // Plain searches are short indexed reads: run them right here (a thread hop per
            // request costs more than the query). `new results` writes a marker: off-thread.
            // The page is written straight after the envelope's head (no copy of the results).
            const HEAD: &str = "{\"data\":{\"results\":";
            let page = if sp.filter.new_results.is_some() {
                let app2 = app.clone();
                blocking(move || app2.store.search(account.id, &client_id, &sp, now, HEAD)).await?
            } else {
                app.store.search(account.id, &client_id, &sp, now, HEAD)?
            };
            let mut data = page.results;
            {
                use std::fmt::Write as _;
                let _ = write!(data, ",\"count\":{},\"total\":{}}}", page.count, page.total);
            }
            Ok(Payload::Enveloped(data))
        }
        Route::Result { id, context } => {
            let id = parse_id(&id, "result id")?;
            let query = parse_query(parts.uri.query())?;
            let limit = match query.get("limit") {
                None => DEFAULT_CONTEXT,
                Some(v) => {
                    let n = parse_id(v, "limit")?;
                    if n > 1000 {
                        return Err(ApiError::bad_request(format!(
                            "limit {n} is too large: the maximum is 1000"
                        )));
                    }
                    n as u32
                }
            };
            let json =
                app.store
                    .result(account.id, id, if context { Some(limit) } else { None })?;
            Ok(Payload::Data(json, None))
        }
        Route::Reply(raw) => {
            let id = parse_id(&raw, "result id")?;
            let body = body?;
            let ct = parts
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            let form = read_fields(ct, &body, &["message", "connectionId", "public"])?;
            let message = form.get("message").ok_or_else(|| {
                ApiError::bad_request("form field 'message' is required (the reply text)")
            })?;
            if message.trim().is_empty() {
                return Err(ApiError::bad_request(
                    "form field 'message' must not be empty",
                ));
            }
            if message.chars().count() > MAX_MESSAGE_CHARS {
                return Err(ApiError::bad_request(format!(
                    "form field 'message' is longer than {MAX_MESSAGE_CHARS} characters"
                )));
            }
            let conn_raw = form.get("connectionId").ok_or_else(|| {
                ApiError::bad_request(
                    "form field 'connectionId' is required (an integer; see the result's availableConnections)",
                )
            })?;
            let conn_id: i64 = conn_raw.trim().parse().map_err(|_| {
                ApiError::bad_request(format!(
                    "form field 'connectionId' '{}' is not an integer",
                    shorten(conn_raw)
                ))
            })?;
            let public = match form.get("public") {
                None => true,
                Some(v) => parse_bool("form field 'public'", v)?,
            };
            let message = message.clone();
            let app2 = app.clone();
            let json = blocking(move || {
                app2.store
                    .reply(&account, id, &message, conn_id, public, now)
            })
            .await?;
            Ok(Payload::Data(json, None))
        }
        Route::Event(raw, event) => {
            let id = parse_id(&raw, "result id")?;
            let ev = event.to_ascii_lowercase();
            if !matches!(
                ev.as_str(),
                "starttyping" | "stoptyping" | "closed" | "opened"
            ) {
                return Err(ApiError::bad_request(format!(
                    "unknown event '{}' (expected starttyping, stoptyping, closed or opened)",
                    shorten(&event)
                )));
            }
            let app2 = app.clone();
            let v = blocking(move || app2.store.event(&account, id, &ev, now)).await?;
            Ok(Payload::Data(v.to_string(), None))
        }
        Route::Case { search, case, op } => {
            let s = parse_id(&search, "search id")?;
            let c = parse_id(&case, "case id")?;
            let op = match op {
                RawCaseOp::Close => CaseOp::Close,
                RawCaseOp::Release => CaseOp::Release,
                RawCaseOp::HandOver(h) => CaseOp::HandOver(parse_id(&h, "handler id")?),
            };
            let app2 = app.clone();
            let v = blocking(move || app2.store.case_op(&account, s, c, op, now)).await?;
            Ok(Payload::Data(v.to_string(), None))
        }
    }
}

fn plain(status: u16, v: Value) -> Resp {
    json_response(status, v.to_string())
}

fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("a JSON object body is required"));
    }
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the JSON body is invalid: {e}")))?;
    if !v.is_object() {
        return Err(ApiError::bad_request("the JSON body must be an object"));
    }
    Ok(v)
}

fn clock_json(app: &App) -> Value {
    let now = app.clock.now_ms();
    json!({
        "now": rfc3339_ms(now),
        "now_ms": now,
        "start": rfc3339_ms(app.clock_start_ms),
    })
}

async fn sandbox_control(
    app: &Arc<App>,
    parts: &http::request::Parts,
    path: &str,
    body: &[u8],
) -> Result<Resp, ApiError> {
    let m = &parts.method;
    let sub = path.trim_start_matches("/_sandbox").trim_end_matches('/');
    let allow = |allowed: &'static str| method_not_allowed(allowed, path);
    match sub {
        "" => {
            if m != Method::GET {
                return Err(allow("GET"));
            }
            Ok(plain(
                200,
                json!({
                    "controls": [
                        "GET /_sandbox/accounts",
                        "POST /_sandbox/inbound",
                        "POST /_sandbox/reset",
                        "GET|POST /_sandbox/clock",
                        "GET /_sandbox/requests?since=N",
                        "GET|POST /_sandbox/chaos",
                        "GET|POST /_sandbox/quota",
                        "POST /_sandbox/tokens/revoke",
                    ],
                    "docs": "docs/sandbox.md",
                }),
            ))
        }
        "/accounts" => {
            if m != Method::GET {
                return Err(allow("GET"));
            }
            let dir = app.store.dir();
            let accounts: Vec<Value> = dir
                .accounts
                .iter()
                .map(|a| {
                    json!({
                        "account_id": a.id,
                        "member_id": a.member_id,
                        "company": a.company,
                        "client_id": a.client_id,
                        "client_secret": a.client_secret,
                        "clients": dir.clients.iter().filter(|c| c.2 == a.id)
                            .map(|c| json!({"client_id": c.0, "client_secret": c.1})).collect::<Vec<_>>(),
                        "searches": dir.searches.iter().filter(|s| s.account == a.id)
                            .map(|s| json!({"id": s.id, "name": s.name})).collect::<Vec<_>>(),
                        "users": dir.users.iter().filter(|u| u.account == a.id)
                            .map(|u| json!({"id": u.id, "name": u.name, "email": u.email})).collect::<Vec<_>>(),
                        "connections": dir.connections.iter().filter(|c| c.account == a.id)
                            .map(|c| json!({"id": c.id, "name": c.name, "source": c.source})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            Ok(plain(200, json!({ "accounts": accounts })))
        }
        "/inbound" => {
            if m != Method::POST {
                return Err(allow("POST"));
            }
            let v = json_body(body)?;
            if let Some((k, _)) = v
                .as_object()
                .and_then(|o| o.iter().find(|(_, x)| x.is_null()))
            {
                return Err(ApiError::bad_request(format!(
                    "field '{}' must not be null (leave it out instead)",
                    shorten(k)
                )));
            }
            let req: InboundRequest = serde_json::from_value(v)
                .map_err(|e| ApiError::bad_request(format!("invalid inbound message: {e}")))?;
            let now = app.clock.now_secs();
            let app2 = app.clone();
            let json = blocking(move || app2.store.inbound(&req, now)).await?;
            let mut resp = json_response(200, json);
            set_header(&mut resp, "cache-control", "no-store");
            Ok(resp)
        }
        "/reset" => {
            if m != Method::POST {
                return Err(allow("POST"));
            }
            let app2 = app.clone();
            blocking(move || app2.reset()).await?;
            Ok(plain(200, json!({"reset": true, "clock": clock_json(app)})))
        }
        "/clock" => {
            if m == Method::GET {
                return Ok(plain(200, clock_json(app)));
            }
            if m != Method::POST {
                return Err(allow("GET, POST"));
            }
            let v = json_body(body)?;
            let obj = v.as_object().cloned().unwrap_or_default();
            for k in obj.keys() {
                if k != "advance_seconds" && k != "set" {
                    return Err(ApiError::bad_request(format!(
                        "unknown field '{}' (expected advance_seconds or set)",
                        shorten(k)
                    )));
                }
            }
            match (obj.get("advance_seconds"), obj.get("set")) {
                (Some(a), None) => {
                    let secs = a.as_f64().filter(|s| s.is_finite() && *s >= 0.0 && *s <= 3.2e9).ok_or_else(|| {
                        ApiError::bad_request("advance_seconds must be a non-negative number of seconds (at most 100 years)")
                    })?;
                    let target = app.clock.now_ms() + (secs * 1000.0).round() as i64;
                    if target > MAX_CLOCK_MS {
                        return Err(ApiError::new(
                            409,
                            format!("the clock cannot go past {}", rfc3339_ms(MAX_CLOCK_MS)),
                        ));
                    }
                    app.clock.advance_ms((secs * 1000.0).round() as i64);
                }
                (None, Some(Value::String(s))) => {
                    let t = chrono::DateTime::parse_from_rfc3339(s.trim()).map_err(|_| {
                        ApiError::bad_request(format!(
                            "set '{}' is not an RFC 3339 date-time",
                            shorten(s)
                        ))
                    })?;
                    if t.timestamp_millis() > MAX_CLOCK_MS {
                        return Err(ApiError::new(
                            409,
                            format!("the clock cannot go past {}", rfc3339_ms(MAX_CLOCK_MS)),
                        ));
                    }
                    if !app.clock.set_ms(t.timestamp_millis()) {
                        return Err(ApiError::new(
                            409,
                            format!(
                                "the clock only moves forward: {} is before now ({})",
                                shorten(s),
                                rfc3339_ms(app.clock.now_ms())
                            ),
                        ));
                    }
                }
                (None, Some(_)) => {
                    return Err(ApiError::bad_request(
                        "set must be an RFC 3339 date-time string",
                    ))
                }
                _ => {
                    return Err(ApiError::bad_request(
                        "give exactly one of advance_seconds (number) or set (RFC 3339 date-time)",
                    ))
                }
            }
            let now = app.clock.now_ms();
            let app2 = app.clone();
            blocking(move || app2.store.store_clock(now)).await?;
            Ok(plain(200, clock_json(app)))
        }
        "/requests" => {
            if m != Method::GET {
                return Err(allow("GET"));
            }
            let q = parse_query(parts.uri.query())?;
            let since = match q.get("since") {
                Some(v) => parse_id(v, "since")?,
                None => 0,
            };
            if since > i64::MAX as u64 {
                return Err(ApiError::bad_request(format!("since {since} is too large")));
            }
            let log = app.log.lock().unwrap_or_else(|p| p.into_inner());
            let entries: Vec<&LogEntry> = log.iter().filter(|e| e.seq > since).collect();
            let last = log.back().map(|e| e.seq).unwrap_or(since);
            Ok(plain(200, json!({"requests": entries, "last": last})))
        }
        "/chaos" => {
            if m == Method::GET {
                return Ok(plain(200, chaos_json(&app.chaos())));
            }
            if m != Method::POST {
                return Err(allow("GET, POST"));
            }
            let v = json_body(body)?;
            let c = match spec_only(&v) {
                Some(spec) => {
                    ChaosConfig::parse(&spec).map_err(|e| ApiError::bad_request(e.to_string()))?
                }
                None => {
                    let c: ChaosConfig = serde_json::from_value(without_spec(v)?)
                        .map_err(|e| ApiError::bad_request(format!("invalid chaos config: {e}")))?;
                    c.validate()
                        .map_err(|e| ApiError::bad_request(e.to_string()))?;
                    c
                }
            };
            app.set_chaos(c);
            Ok(plain(200, chaos_json(&c)))
        }
        "/quota" => {
            if m == Method::GET {
                return Ok(plain(200, quota_json(&app.quotas.config())));
            }
            if m != Method::POST {
                return Err(allow("GET, POST"));
            }
            let v = json_body(body)?;
            let q = match spec_only(&v) {
                Some(spec) => QuotaConfig::parse(&spec).map_err(ApiError::bad_request)?,
                None => {
                    let q: QuotaConfig = serde_json::from_value(without_spec(v)?)
                        .map_err(|e| ApiError::bad_request(format!("invalid quota config: {e}")))?;
                    q.validate().map_err(ApiError::bad_request)?;
                    q
                }
            };
            app.quotas.set_config(q);
            Ok(plain(200, quota_json(&q)))
        }
        "/tokens/revoke" => {
            if m != Method::POST {
                return Err(allow("POST"));
            }
            let v = json_body(body)?;
            let Some(Value::String(client)) = v.get("client_id") else {
                return Err(ApiError::bad_request("client_id (string) is required"));
            };
            if app.store.dir().account_by_client(client).is_none() {
                return Err(ApiError::not_found(format!(
                    "no client '{}'",
                    shorten(client)
                )));
            }
            let n = app.revoke(client);
            Ok(plain(200, json!({"client_id": client, "revoked": n})))
        }
        _ => Err(ApiError::not_found(format!(
            "no sandbox control at {path} (see GET /_sandbox)"
        ))),
    }
}

fn chaos_json(c: &ChaosConfig) -> Value {
    let mut v = serde_json::to_value(c).unwrap_or_else(|_| json!({}));
    if let Value::Object(m) = &mut v {
        m.insert("spec".into(), Value::from(c.to_string()));
    }
    v
}

fn quota_json(q: &QuotaConfig) -> Value {
    let mut v = serde_json::to_value(q).unwrap_or_else(|_| json!({}));
    if let Value::Object(m) = &mut v {
        m.insert("spec".into(), Value::from(q.to_string()));
    }
    v
}

/// `Some(spec)` when the body is `{"spec": "..."}` alone.
fn spec_only(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    if o.len() != 1 {
        return None;
    }
    o.get("spec")?.as_str().map(str::to_string)
}

/// The body without its (informational) `spec` field, so GET output can be posted back. The
/// field must still be a string.
fn without_spec(mut v: Value) -> Result<Value, ApiError> {
    if let Value::Object(o) = &mut v {
        if let Some(spec) = o.remove("spec") {
            if !spec.is_string() {
                return Err(ApiError::bad_request("spec must be a string"));
            }
        }
    }
    Ok(v)
}
