//! The soak run: a poller (`watch`) and a replier against a sandbox with chaos on.
//!
//! An injector posts inbound messages through `/_sandbox/inbound` (controls are never subject to
//! chaos); a watcher yields new results of the search profile; repliers send an `opened` event and
//! a reply (with a unique text) to every inbound result. Meanwhile tokens expire (short
//! `token_ttl`) and are revoked every few seconds. At the end, with chaos off, the run checks:
//!
//! - every injected inbound id was yielded by `watch` exactly once (and `watch` never yielded an
//!   id twice or out of order);
//! - every reply the client reported as sent is stored exactly once (by its unique text) and
//!   listed in its parent's `replies`, and was yielded by `watch`;
//! - a reply that failed with a response (`Server`, `RateLimited`) is not stored (the sandbox
//!   injects faults before the handler runs); one that failed with `Timeout`/`Network` (sent, no
//!   answer: outcome unknown) is stored at most once;
//! - every failure is a typed [`webcare::Error`] of an expected kind (no `Auth`: token expiry and
//!   revocation are handled transparently; no `Decode`, `Validation`, ...).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use webcare::{
    Client, ErrorKind, Event, Filter, NextPage, Order, ReplyRequest, RetryPolicy, Source,
    WatchOptions,
};
use webcare_sandbox::{QuotaConfig, Sandbox, SandboxConfig};

/// The default chaos of a soak run: 10% of API requests answered 429/500/502/503, plus latency
/// spikes, connections dropped before the handler and responses dropped after it committed.
pub const DEFAULT_CHAOS: &str =
    "429=0.025,500=0.025,502=0.025,503=0.025,spike=0.03:250ms,drop=0.01,dropafter=0.01";

/// How to run a soak.
#[derive(Debug, Clone)]
pub struct SoakConfig {
    /// Client operations to reach (watch polls, events, replies).
    pub ops: u64,
    /// Keep injecting for at least this long.
    pub min_duration: Option<Duration>,
    /// Chaos spec (sandbox syntax).
    pub chaos: String,
    /// Access token lifetime of the in-process sandbox.
    pub token_ttl: Duration,
    /// Revoke the client's tokens this often (`None`: never).
    pub revoke_every: Option<Duration>,
    /// An external sandbox (with `/_sandbox/` controls) instead of an in-process one.
    pub base_url: Option<String>,
    /// Concurrent repliers.
    pub repliers: usize,
    /// Seeded results of the in-process sandbox.
    pub seed_results: usize,
    /// Print progress to stderr.
    pub verbose: bool,
}

impl Default for SoakConfig {
    fn default() -> Self {
        SoakConfig {
            ops: 5000,
            min_duration: None,
            chaos: DEFAULT_CHAOS.to_string(),
            token_ttl: Duration::from_secs(5),
            revoke_every: Some(Duration::from_secs(3)),
            base_url: None,
            repliers: 8,
            seed_results: 500,
            verbose: false,
        }
    }
}

/// What a soak run did and found.
#[derive(Debug, Default, Clone)]
pub struct SoakReport {
    /// Client operations (watch polls + events + replies).
    pub operations: u64,
    /// Watch polls (`next_batch` calls).
    pub watch_polls: u64,
    /// Events sent successfully.
    pub events_ok: u64,
    /// Inbound messages injected.
    pub injected: u64,
    /// Results yielded by watch.
    pub yielded: u64,
    /// Replies reported as sent.
    pub replies_sent: u64,
    /// Replies reported as failed.
    pub replies_failed: u64,
    /// Failed replies (Timeout/Network: outcome unknown) found stored afterwards.
    pub replies_unknown_stored: u64,
    /// Failed replies (Timeout/Network) found not stored.
    pub replies_unknown_absent: u64,
    /// Failures by operation and kind (`reply Server`, `watch Network`, ...).
    pub failures: BTreeMap<String, u64>,
    /// API requests in the sandbox's request log during the run (retries included).
    pub api_requests: u64,
    /// Token requests in the request log.
    pub token_requests: u64,
    /// Faults injected, by kind (`429`, `500`, `502`, `503`, `drop`, `dropafter`, `spike`).
    pub faults: BTreeMap<String, u64>,
    /// Responses by status in the request log (0 = dropped).
    pub statuses: BTreeMap<u16, u64>,
    /// Token fetches counted by the client.
    pub client_token_fetches: u64,
    /// Token revocations made.
    pub revocations: u64,
    /// Calls slower than a second, and the slowest, by operation.
    pub slow_calls: BTreeMap<String, (u64, Duration)>,
    /// Wall time.
    pub elapsed: Duration,
    /// Everything that went wrong (empty: the run passed).
    pub violations: Vec<String>,
}

impl SoakReport {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }
    /// Faults injected in total.
    pub fn faults_total(&self) -> u64 {
        self.faults.values().sum()
    }
}

impl fmt::Display for SoakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "soak report ({:.1} s)", self.elapsed.as_secs_f64())?;
        writeln!(
            f,
            "  operations:        {} (watch polls {}, events ok {}, replies {})",
            self.operations,
            self.watch_polls,
            self.events_ok,
            self.replies_sent + self.replies_failed
        )?;
        writeln!(
            f,
            "  inbound injected:  {}, yielded by watch: {} (inbound + replies)",
            self.injected, self.yielded
        )?;
        writeln!(
            f,
            "  replies:           {} sent, {} failed ({} unknown-outcome stored, {} not stored)",
            self.replies_sent,
            self.replies_failed,
            self.replies_unknown_stored,
            self.replies_unknown_absent
        )?;
        writeln!(
            f,
            "  API requests:      {} (status {:?})",
            self.api_requests, self.statuses
        )?;
        writeln!(
            f,
            "  faults injected:   {} {:?}",
            self.faults_total(),
            self.faults
        )?;
        writeln!(
            f,
            "  tokens:            {} token requests, {} client fetches, {} revocations",
            self.token_requests, self.client_token_fetches, self.revocations
        )?;
        writeln!(f, "  failures by kind:  {:?}", self.failures)?;
        writeln!(f, "  slow calls (>1 s, slowest): {:?}", self.slow_calls)?;
        if self.violations.is_empty() {
            write!(f, "  result:            PASS")
        } else {
            writeln!(f, "  result:            FAIL ({})", self.violations.len())?;
            for v in self.violations.iter().take(50) {
                writeln!(f, "    - {v}")?;
            }
            Ok(())
        }
    }
}

/// The `/_sandbox/` controls over HTTP (no auth, no chaos).
#[derive(Clone)]
struct Controls {
    http: reqwest::Client,
    base: String,
}

impl Controls {
    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        let resp = self
            .http
            .post(format!("{}/_sandbox/{path}", self.base))
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("/_sandbox/{path}: {e}"))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("/_sandbox/{path}: {status} {text}"));
        }
        serde_json::from_str(&text).map_err(|e| format!("/_sandbox/{path}: {e}"))
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        let resp = self
            .http
            .get(format!("{}/_sandbox/{path}", self.base))
            .send()
            .await
            .map_err(|e| format!("/_sandbox/{path}: {e}"))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("/_sandbox/{path}: {status} {text}"));
        }
        serde_json::from_str(&text).map_err(|e| format!("/_sandbox/{path}: {e}"))
    }
}

#[derive(Default)]
struct LogStats {
    cursor: u64,
    api: u64,
    token: u64,
    faults: BTreeMap<String, u64>,
    statuses: BTreeMap<u16, u64>,
}

async fn collect_log(ctl: &Controls, stats: &Mutex<LogStats>) -> Result<(), String> {
    let since = stats.lock().map(|s| s.cursor).unwrap_or(0);
    let v = ctl.get(&format!("requests?since={since}")).await?;
    let mut s = stats.lock().map_err(|e| e.to_string())?;
    if let Some(items) = v.get("requests").and_then(Value::as_array) {
        for r in items {
            let seq = r.get("seq").and_then(Value::as_u64).unwrap_or(0);
            if seq <= s.cursor && s.cursor != 0 {
                continue;
            }
            let path = r.get("path").and_then(Value::as_str).unwrap_or("");
            if path.contains("accesstoken") {
                s.token += 1;
            } else {
                s.api += 1;
            }
            let status = r.get("status").and_then(Value::as_u64).unwrap_or(0) as u16;
            *s.statuses.entry(status).or_default() += 1;
            if let Some(c) = r.get("chaos").and_then(Value::as_str) {
                let key = if c.starts_with("latency") {
                    "spike".to_string()
                } else {
                    c.to_string()
                };
                *s.faults.entry(key).or_default() += 1;
            }
        }
    }
    if let Some(last) = v.get("last").and_then(Value::as_u64) {
        s.cursor = s.cursor.max(last);
    }
    Ok(())
}

fn unique_id(v: &Value) -> Option<u64> {
    crate::find_unique_id(v)
}

#[derive(Debug, Clone)]
enum ReplyOutcome {
    Sent(u64),
    Failed(ErrorKind),
}

struct Shared {
    ops: AtomicU64,
    polls: AtomicU64,
    events_ok: AtomicU64,
    failures: Mutex<BTreeMap<String, u64>>,
    yielded: Mutex<Vec<u64>>,
    replies: Mutex<HashMap<u64, ReplyOutcome>>,
    handled: AtomicU64,
    stop_watch: AtomicBool,
    slow: Mutex<BTreeMap<String, (u64, Duration)>>,
}

impl Shared {
    /// Record a call's duration: calls over a second are counted, the longest is kept.
    fn timed(&self, what: &str, d: Duration) {
        if let Ok(mut m) = self.slow.lock() {
            let e = m.entry(what.to_string()).or_default();
            if d > Duration::from_secs(1) {
                e.0 += 1;
            }
            e.1 = e.1.max(d);
        }
    }
    fn fail(&self, what: &str, kind: ErrorKind) {
        if let Ok(mut m) = self.failures.lock() {
            *m.entry(format!("{what} {kind}")).or_default() += 1;
        }
    }
}

fn reply_text(run: &str, id: u64) -> String {
    format!("{run} reply to {id}")
}

/// Run a soak. `Err` only when the run could not be set up; check [`SoakReport::violations`].
pub async fn run(cfg: SoakConfig) -> Result<SoakReport, String> {
    let started = Instant::now();
    let mut sandbox: Option<Sandbox> = None;
    let base = match &cfg.base_url {
        Some(b) => b.trim_end_matches('/').to_string(),
        None => {
            let sb = Sandbox::start(SandboxConfig {
                results: cfg.seed_results,
                token_ttl: cfg.token_ttl,
                quota: QuotaConfig::parse("1000000000/minute")?,
                ..SandboxConfig::default()
            })
            .await
            .map_err(|e| e.to_string())?;
            let b = sb.base_url();
            sandbox = Some(sb);
            b
        }
    };
    let ctl = Controls {
        http: reqwest::Client::new(),
        base: base.clone(),
    };
    ctl.post("chaos", json!({ "spec": "none" })).await?;
    ctl.post("quota", json!({ "spec": "1000000000/minute" }))
        .await?;
    let accounts = ctl.get("accounts").await?;
    let main = accounts
        .get("accounts")
        .and_then(|a| a.get(0))
        .ok_or("no accounts")?;
    let client_id = main["client_id"]
        .as_str()
        .ok_or("no client id")?
        .to_string();
    let secret = main["client_secret"]
        .as_str()
        .ok_or("no client secret")?
        .to_string();
    let client = Client::builder()
        .base_url(&base)
        .client_id(&client_id)
        .client_secret(secret)
        .retry(RetryPolicy {
            max_retries: 8,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(200),
            max_retry_wait: Duration::from_secs(10),
        })
        .request_timeout(Duration::from_secs(10))
        .total_timeout(Duration::from_secs(60))
        .poll_interval(Duration::from_millis(50))
        .build()
        .map_err(|e| e.to_string())?;
    let conf = client.configuration().await.map_err(|e| e.to_string())?;
    let profile = conf
        .account
        .searches
        .first()
        .ok_or("no search profile")?
        .name
        .clone();
    let twitter = conf
        .account
        .connections
        .iter()
        .find(|c| c.source == Some(Source::Twitter.id()))
        .map(|c| c.id)
        .ok_or("no twitter connection")?;
    let newest = client
        .results()
        .search(&profile, &Filter::new().order(Order::MostRecent).limit(1))
        .await
        .map_err(|e| e.to_string())?
        .results
        .first()
        .map_or(0, |r| r.unique_id);
    let run_id = format!(
        "soak{:08x}",
        (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
            & 0xffff_ffff) as u32
    );

    let log = Arc::new(Mutex::new(LogStats::default()));
    // Start counting from the current end of the log.
    {
        let v = ctl.get("requests").await?;
        let last = v.get("last").and_then(Value::as_u64).unwrap_or(0);
        if let Ok(mut s) = log.lock() {
            s.cursor = last;
        }
    }
    ctl.post("chaos", json!({ "spec": cfg.chaos })).await?;

    let shared = Arc::new(Shared {
        ops: AtomicU64::new(0),
        polls: AtomicU64::new(0),
        events_ok: AtomicU64::new(0),
        failures: Mutex::new(BTreeMap::new()),
        yielded: Mutex::new(Vec::new()),
        replies: Mutex::new(HashMap::new()),
        handled: AtomicU64::new(0),
        stop_watch: AtomicBool::new(false),
        slow: Mutex::new(BTreeMap::new()),
    });
    let done = Arc::new(AtomicBool::new(false));

    // The request-log collector.
    let collector = {
        let (ctl, log, done) = (ctl.clone(), log.clone(), done.clone());
        tokio::spawn(async move {
            let mut errors = 0u32;
            while !done.load(Ordering::Relaxed) {
                if collect_log(&ctl, &log).await.is_err() {
                    errors += 1;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            errors
        })
    };

    // The watcher: yields every new result; inbound ones go to the repliers.
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
    let watcher = {
        let (client, shared, profile) = (client.clone(), shared.clone(), profile.clone());
        tokio::spawn(async move {
            let mut w = client.results().watch(
                &profile,
                &Filter::new(),
                WatchOptions {
                    since_id: Some(newest),
                    poll_interval: Some(Duration::from_millis(50)),
                },
            );
            while !shared.stop_watch.load(Ordering::Relaxed) {
                shared.polls.fetch_add(1, Ordering::Relaxed);
                shared.ops.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                let got = w.next_batch().await;
                shared.timed("watch", t.elapsed());
                match got {
                    Ok(batch) => {
                        if batch.is_empty() {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        for r in batch {
                            if let Ok(mut y) = shared.yielded.lock() {
                                y.push(r.unique_id);
                            }
                            if !r.own {
                                let _ = tx.send(r.unique_id);
                            }
                        }
                    }
                    Err(e) => {
                        shared.fail("watch", e.kind());
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
        })
    };

    // The repliers.
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    let mut repliers = Vec::new();
    for _ in 0..cfg.repliers.max(1) {
        let (client, shared, rx, run_id) =
            (client.clone(), shared.clone(), rx.clone(), run_id.clone());
        repliers.push(tokio::spawn(async move {
            loop {
                let next = rx.lock().await.recv().await;
                let Some(id) = next else { break };
                shared.ops.fetch_add(2, Ordering::Relaxed);
                let t = Instant::now();
                let ev = client.results().event(id, Event::Opened).await;
                shared.timed("event", t.elapsed());
                match ev {
                    Ok(_) => {
                        shared.events_ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => shared.fail("event", e.kind()),
                }
                let req = ReplyRequest::new(reply_text(&run_id, id)).connection(twitter);
                let t = Instant::now();
                let sent = client.results().reply(id, &req).await;
                shared.timed("reply", t.elapsed());
                let outcome = match sent {
                    Ok(sent) => match sent.result {
                        Some(r) => ReplyOutcome::Sent(r.unique_id),
                        None => ReplyOutcome::Sent(0),
                    },
                    Err(e) => {
                        shared.fail("reply", e.kind());
                        ReplyOutcome::Failed(e.kind())
                    }
                };
                if let Ok(mut m) = shared.replies.lock() {
                    m.insert(id, outcome);
                }
                shared.handled.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }

    // The injector (and token revoker), in this task.
    let mut injected: Vec<u64> = Vec::new();
    let mut report = SoakReport::default();
    let mut last_revoke = Instant::now();
    let min_duration = cfg.min_duration.unwrap_or(Duration::ZERO);
    let mut i = 0u64;
    loop {
        let in_flight =
            (injected.len() as u64).saturating_sub(shared.handled.load(Ordering::Relaxed));
        let projected = shared.ops.load(Ordering::Relaxed) + 2 * in_flight;
        if projected >= cfg.ops && started.elapsed() >= min_duration {
            break;
        }
        if in_flight >= 40 {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        }
        if let Some(every) = cfg.revoke_every {
            if last_revoke.elapsed() >= every {
                last_revoke = Instant::now();
                ctl.post("tokens/revoke", json!({ "client_id": client_id }))
                    .await?;
                report.revocations += 1;
            }
        }
        let v = ctl
            .post(
                "inbound",
                json!({
                    "source": "twitter",
                    "text": format!("{run_id} inbound {i}: mijn internet doet het niet"),
                    "person": format!("Soak Person {}", i % 50),
                    "profile": profile,
                    "private": false,
                }),
            )
            .await?;
        injected.push(unique_id(&v).ok_or_else(|| format!("no uniqueId in {v}"))?);
        i += 1;
        if cfg.verbose && i % 500 == 0 {
            eprintln!(
                "soak: {i} injected, {} ops, {:.0} s",
                shared.ops.load(Ordering::Relaxed),
                started.elapsed().as_secs_f64()
            );
        }
    }

    // Drain: every injected message handled, every sent reply yielded by watch.
    let drain_deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let handled = shared.handled.load(Ordering::Relaxed);
        let sent_ids: Vec<u64> = shared
            .replies
            .lock()
            .map(|m| {
                m.values()
                    .filter_map(|o| match o {
                        ReplyOutcome::Sent(id) => Some(*id),
                        ReplyOutcome::Failed(_) => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let max_sent = sent_ids.iter().copied().max().unwrap_or(0);
        let last_yielded = shared
            .yielded
            .lock()
            .map(|y| y.last().copied().unwrap_or(0))
            .unwrap_or(0);
        if handled >= injected.len() as u64 && last_yielded >= max_sent {
            break;
        }
        if Instant::now() > drain_deadline {
            report.violations.push(format!(
                "drain timed out: {handled} of {} handled, watch at {last_yielded}, newest reply {max_sent}",
                injected.len()
            ));
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // One more quiet poll period so the watcher picks up replies whose outcome was unknown.
    tokio::time::sleep(Duration::from_millis(500)).await;
    shared.stop_watch.store(true, Ordering::Relaxed);
    let _ = watcher.await;
    drop(rx);
    for r in repliers {
        r.abort();
    }
    ctl.post("chaos", json!({ "spec": "none" })).await?;
    done.store(true, Ordering::Relaxed);
    let collector_errors = collector.await.unwrap_or(0);
    collect_log(&ctl, &log).await?;
    if collector_errors > 0 {
        report
            .violations
            .push(format!("{collector_errors} request-log reads failed"));
    }

    // Verification, chaos off.
    let yielded = shared.yielded.lock().map(|y| y.clone()).unwrap_or_default();
    for w in yielded.windows(2) {
        if w[1] <= w[0] {
            report.violations.push(format!(
                "watch yielded {} after {} (duplicate or out of order)",
                w[1], w[0]
            ));
        }
    }
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for id in &yielded {
        *seen.entry(*id).or_default() += 1;
    }
    for id in &injected {
        match seen.get(id).copied().unwrap_or(0) {
            1 => {}
            n => report
                .violations
                .push(format!("inbound {id} yielded {n} times by watch")),
        }
    }

    // Stored replies of this run, by text.
    let mut stored: HashMap<String, Vec<u64>> = HashMap::new();
    let mut pager = client.results().keyset_pager(
        &profile,
        &Filter::new().word(run_id.clone()).limit(500),
        newest,
        None,
    );
    loop {
        match pager.next_page().await {
            Ok(Some(page)) => {
                for r in page.results.into_iter().filter(|r| r.own) {
                    stored
                        .entry(r.description.clone().unwrap_or_default())
                        .or_default()
                        .push(r.unique_id);
                }
            }
            Ok(None) => break,
            Err(e) => return Err(format!("verification search failed: {e}")),
        }
    }
    let replies = shared.replies.lock().map(|m| m.clone()).unwrap_or_default();
    for id in &injected {
        let text = reply_text(&run_id, *id);
        let found = stored.get(&text).cloned().unwrap_or_default();
        match replies.get(id) {
            None => report
                .violations
                .push(format!("inbound {id} was never replied to")),
            Some(ReplyOutcome::Sent(rid)) => {
                report.replies_sent += 1;
                if found.len() != 1 {
                    report.violations.push(format!(
                        "reply to {id} reported sent (id {rid}) but stored {} times",
                        found.len()
                    ));
                } else if *rid != 0 && found[0] != *rid {
                    report.violations.push(format!(
                        "reply to {id} reported as {rid} but stored as {}",
                        found[0]
                    ));
                }
                if seen.get(rid).copied().unwrap_or(0) != 1 {
                    report.violations.push(format!(
                        "sent reply {rid} not yielded exactly once by watch"
                    ));
                }
            }
            Some(ReplyOutcome::Failed(kind)) => {
                report.replies_failed += 1;
                match kind {
                    ErrorKind::Timeout | ErrorKind::Network => {
                        if found.len() > 1 {
                            report.violations.push(format!(
                                "reply to {id} (failed, {kind}) stored {} times",
                                found.len()
                            ));
                        } else if found.len() == 1 {
                            report.replies_unknown_stored += 1;
                        } else {
                            report.replies_unknown_absent += 1;
                        }
                    }
                    _ => {
                        if !found.is_empty() {
                            report.violations.push(format!(
                                "reply to {id} failed with {kind} (a response) but was stored {} times",
                                found.len()
                            ));
                        }
                    }
                }
            }
        }
    }
    // Every sent reply is listed in its parent's `replies` (a sample of up to 200 parents).
    let mut checked = 0;
    for (id, outcome) in &replies {
        if checked >= 200 {
            break;
        }
        if let ReplyOutcome::Sent(rid) = outcome {
            checked += 1;
            match client.results().get_no_context(*id).await {
                Ok(parent) => {
                    if !parent.replies.contains(&rid.to_string()) {
                        report.violations.push(format!(
                            "parent {id} does not list reply {rid} ({:?})",
                            parent.replies
                        ));
                    }
                }
                Err(e) => report
                    .violations
                    .push(format!("reading parent {id} failed without chaos: {e}")),
            }
        }
    }

    let failures = shared
        .failures
        .lock()
        .map(|m| m.clone())
        .unwrap_or_default();
    for (what, n) in &failures {
        let kind = what.rsplit(' ').next().unwrap_or("");
        if !matches!(kind, "Server" | "Network" | "Timeout" | "RateLimited") {
            report
                .violations
                .push(format!("{n} unexpected failures: {what}"));
        }
    }
    report.failures = failures;
    report.operations = shared.ops.load(Ordering::Relaxed);
    report.watch_polls = shared.polls.load(Ordering::Relaxed);
    report.events_ok = shared.events_ok.load(Ordering::Relaxed);
    report.injected = injected.len() as u64;
    report.yielded = yielded.len() as u64;
    report.client_token_fetches = client.token_fetch_count();
    if let Ok(s) = log.lock() {
        report.api_requests = s.api;
        report.token_requests = s.token;
        report.faults = s.faults.clone();
        report.statuses = s.statuses.clone();
    }
    if report.operations < cfg.ops {
        report.violations.push(format!(
            "only {} operations (wanted {})",
            report.operations, cfg.ops
        ));
    }
    if report.client_token_fetches < 2 {
        report.violations.push(format!(
            "the token never expired or was revoked during the run ({} fetches)",
            report.client_token_fetches
        ));
    }
    report.slow_calls = shared.slow.lock().map(|m| m.clone()).unwrap_or_default();
    report.elapsed = started.elapsed();
    if let Some(sb) = sandbox {
        sb.shutdown().await;
    }
    Ok(report)
}
