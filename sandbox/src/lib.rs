//! # webcare-sandbox
//!
//! A local, stateful server that speaks the Parley Webcare API (KPN "SocialMediaWebcare -
//! Tracebuzz"), for demos and tests: OAuth2 client credentials, the envelope, quota headers,
//! the whole filter language on real SQL queries, replies, events and case handling, plus
//! sandbox-only controls under `/_sandbox/` and fault injection ("chaos").
//!
//! Start it in-process (tests use port 0):
//!
//! ```no_run
//! # async fn demo() -> Result<(), webcare_sandbox::SandboxError> {
//! use webcare_sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("{} {} {}", sandbox.base_url(), sandbox.client_id(), sandbox.client_secret());
//! // ... point a client at sandbox.base_url() ...
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! See `docs/sandbox.md` for the controls, the chaos spec, the seeded data and the choices made
//! where the API documentation is silent.
#![warn(missing_docs)]

mod api_error;
mod chaos;
mod cli;
mod clock;
mod db;
mod model;
mod quota;
mod rng;
mod seed;
mod server;
mod store;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

pub use chaos::{ChaosConfig, ChaosParseError};
pub use cli::{run_cli, SandboxArgs};
pub use clock::default_start as default_clock_start;
pub use quota::{QuotaConfig, TimeUnit};

use crate::seed::SeedParams;
use crate::server::App;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Binding the port or creating the temporary database failed.
    #[error("sandbox I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The database could not be opened, seeded or read.
    #[error("sandbox database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// The configuration is invalid.
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
}

/// How to run the sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// TCP port; 0 picks a free port (see [`Sandbox::addr`]).
    pub port: u16,
    /// Address to bind (default 127.0.0.1).
    pub host: IpAddr,
    /// SQLite database file. `None` uses a fresh temporary database, deleted at shutdown. An
    /// existing file is used as it is (not reseeded), so state survives restarts.
    pub db: Option<PathBuf>,
    /// Seed of the generated data (same seed, same data).
    pub seed: u64,
    /// Number of results of the main account (default 5000). The second account always has 24.
    pub results: usize,
    /// Fault injection.
    pub chaos: ChaosConfig,
    /// Request quota per API client (default 6000 per minute).
    pub quota: QuotaConfig,
    /// Client id of the main account (default `sandbox-client`).
    pub client_id: Option<String>,
    /// Client secret of the main account (default `sandbox-secret-<seed>`).
    pub client_secret: Option<String>,
    /// Lifetime of access tokens, on the sandbox clock (default 3599 s).
    pub token_ttl: Duration,
    /// Start of the sandbox clock (default 2026-11-26T09:00:00Z); seeded data lies in the ~60
    /// days before it.
    pub clock_start: DateTime<Utc>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            db: None,
            seed: 42,
            results: 5000,
            chaos: ChaosConfig::none(),
            quota: QuotaConfig::default(),
            client_id: None,
            client_secret: None,
            token_ttl: Duration::from_secs(3599),
            clock_start: clock::default_start(),
        }
    }
}

impl SandboxConfig {
    /// The main account's client id (given or default).
    pub fn effective_client_id(&self) -> String {
        self.client_id
            .clone()
            .unwrap_or_else(|| "sandbox-client".to_string())
    }

    /// The main account's client secret (given or derived from the seed).
    pub fn effective_client_secret(&self) -> String {
        self.client_secret
            .clone()
            .unwrap_or_else(|| format!("sandbox-secret-{}", self.seed))
    }
}

/// The credentials and names of one sandbox account.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountCredentials {
    /// Account id (1 = main, 2 = second).
    pub account_id: i64,
    /// Company name.
    pub company: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret (the sandbox's own test credential).
    pub client_secret: String,
    /// Search profile names.
    pub search_profiles: Vec<String>,
    /// Further API clients of the account as (client id, secret): each has its own
    /// `new results` markers. The main account has one (`sandbox-client-alt`).
    pub other_clients: Vec<(String, String)>,
}

impl std::fmt::Debug for AccountCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountCredentials")
            .field("account_id", &self.account_id)
            .field("company", &self.company)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("search_profiles", &self.search_profiles)
            .field(
                "other_clients",
                &self.other_clients.iter().map(|c| &c.0).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    app: Arc<App>,
    shutdown_tx: watch::Sender<bool>,
    server: JoinHandle<()>,
    db_path: PathBuf,
    primary: AccountCredentials,
    second: AccountCredentials,
    _tmp: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("db_path", &self.db_path)
            .field("primary", &self.primary)
            .field("second", &self.second)
            .finish()
    }
}

fn open_and_seed(
    path: &Path,
    cfg: &SandboxConfig,
) -> Result<(rusqlite::Connection, SeedParams), SandboxError> {
    let mut conn = db::open_writer(path)?;
    let existing = db::meta_get(&conn, "schema")?;
    let mut params = SeedParams {
        seed: cfg.seed,
        results: cfg.results,
        start: cfg.clock_start.timestamp(),
        client_a: (cfg.effective_client_id(), cfg.effective_client_secret()),
        client_b: (
            "sandbox-client-second".to_string(),
            format!("sandbox-secret-second-{}", cfg.seed),
        ),
        client_a2: (
            "sandbox-client-alt".to_string(),
            format!("sandbox-secret-alt-{}", cfg.seed),
        ),
    };
    match existing {
        Some(v) if v == db::SCHEMA_VERSION => {
            // An existing database: keep its data, seed and credentials.
            let get = |k: &str| db::meta_get(&conn, k).ok().flatten();
            if let Some(s) = get("seed").and_then(|s| s.parse().ok()) {
                params.seed = s;
            }
            if let Some(r) = get("results").and_then(|s| s.parse().ok()) {
                params.results = r;
            }
            if let Some(t) = get("start").and_then(|s| s.parse().ok()) {
                params.start = t;
            }
            let creds: Vec<(String, String)> = conn
                .prepare("SELECT client_id, client_secret FROM accounts ORDER BY id")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            if let Some(a) = creds.first() {
                params.client_a = a.clone();
            }
            if let Some(b) = creds.get(1) {
                params.client_b = b.clone();
            }
            let alt: Option<(String, String)> = conn
                .query_row(
                    "SELECT client_id, client_secret FROM clients WHERE account_id = 1 AND client_id <> ?1",
                    [&params.client_a.0],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            if let Some(a2) = alt {
                params.client_a2 = a2;
            }
        }
        Some(other) => {
            return Err(SandboxError::Config(format!(
                "{} has sandbox schema version {other}, this sandbox needs {}; delete the file",
                path.display(),
                db::SCHEMA_VERSION
            )))
        }
        None => {
            // A new (or never fully seeded) database: clear it and seed quickly (no journal,
            // no fsync), then switch to WAL with full sync.
            conn.execute_batch("PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF;")?;
            for t in db::ALL_TABLES {
                conn.execute(&format!("DELETE FROM {t}"), [])?;
            }
            store::seed_database(&mut conn, &params)?;
            conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")?;
        }
    }
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")?;
    Ok((conn, params))
}

impl Sandbox {
    /// Open (or create and seed) the database, bind the port and start serving.
    pub async fn start(cfg: SandboxConfig) -> Result<Sandbox, SandboxError> {
        cfg.chaos
            .validate()
            .map_err(|e| SandboxError::Config(e.to_string()))?;
        cfg.quota.validate().map_err(SandboxError::Config)?;
        if cfg.results > 50_000_000 {
            return Err(SandboxError::Config(
                "results is limited to 50,000,000".into(),
            ));
        }
        let (tmp, db_path) = match &cfg.db {
            Some(p) => (None, p.clone()),
            None => {
                let dir = tempfile::Builder::new()
                    .prefix("webcare-sandbox-")
                    .tempdir()?;
                let p = dir.path().join("sandbox.db");
                (Some(dir), p)
            }
        };
        let cfg2 = cfg.clone();
        let path2 = db_path.clone();
        let (store, params) = tokio::task::spawn_blocking(move || -> Result<_, SandboxError> {
            let (writer, params) = open_and_seed(&path2, &cfg2)?;
            let readers = std::thread::available_parallelism()
                .map(|n| n.get() * 2)
                .unwrap_or(4)
                .clamp(2, 16);
            let db = db::Db::new(writer, &path2, readers)?;
            let store = store::Store::new(db, params.clone())?;
            Ok((store, params))
        })
        .await
        .map_err(|e| SandboxError::Config(format!("startup task failed: {e}")))??;

        // The clock never goes back behind the data or a clock stored by an earlier run.
        let mut start_ms = params.start * 1000;
        if cfg.db.is_some() {
            let max_time = store.max_time()? * 1000 + 1000;
            start_ms = start_ms
                .max(max_time)
                .max(store.stored_clock().unwrap_or(0));
        }
        let clock =
            clock::Clock::new(DateTime::from_timestamp_millis(start_ms).unwrap_or_default());
        let dir = store.dir();
        let creds = |id: i64| -> AccountCredentials {
            let a = dir.account(id);
            AccountCredentials {
                account_id: id,
                company: a.map(|a| a.company.clone()).unwrap_or_default(),
                client_id: a.map(|a| a.client_id.clone()).unwrap_or_default(),
                client_secret: a.map(|a| a.client_secret.clone()).unwrap_or_default(),
                search_profiles: dir
                    .searches
                    .iter()
                    .filter(|s| s.account == id)
                    .map(|s| s.name.clone())
                    .collect(),
                other_clients: dir
                    .clients
                    .iter()
                    .filter(|c| c.2 == id && Some(c.0.as_str()) != a.map(|a| a.client_id.as_str()))
                    .map(|c| (c.0.clone(), c.1.clone()))
                    .collect(),
            }
        };
        let primary = creds(1);
        let second = creds(2);
        let app = Arc::new(App::new(
            store,
            clock,
            params.start * 1000,
            cfg.token_ttl,
            cfg.quota,
            cfg.chaos,
            params.seed,
        ));
        let listener = TcpListener::bind(SocketAddr::new(cfg.host, cfg.port)).await?;
        let addr = listener.local_addr()?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let server = tokio::spawn(serve(listener, app.clone(), shutdown_rx));
        tracing::info!(%addr, db = %db_path.display(), "webcare sandbox listening");
        Ok(Sandbox {
            addr,
            app,
            shutdown_tx,
            server,
            db_path,
            primary,
            second,
            _tmp: tmp,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, `http://127.0.0.1:PORT` (the API is served at the root).
    pub fn base_url(&self) -> String {
        match self.addr.ip() {
            IpAddr::V6(ip) => format!("http://[{ip}]:{}", self.addr.port()),
            IpAddr::V4(ip) => format!("http://{ip}:{}", self.addr.port()),
        }
    }

    /// The production-shaped base URL, `http://127.0.0.1:PORT/communication/tracebuzz/social-media-webcare`
    /// (the same routes are served under this prefix).
    pub fn prod_base_url(&self) -> String {
        format!("{}{}", self.base_url(), server::PROD_PREFIX)
    }

    /// The token URL, `http://127.0.0.1:PORT/oauth/client_credential/accesstoken`.
    pub fn token_url(&self) -> String {
        format!("{}{}", self.base_url(), server::TOKEN_PATH)
    }

    /// The main account's client id.
    pub fn client_id(&self) -> &str {
        &self.primary.client_id
    }

    /// The main account's client secret.
    pub fn client_secret(&self) -> &str {
        &self.primary.client_secret
    }

    /// The main account (company "KPN").
    pub fn primary_account(&self) -> &AccountCredentials {
        &self.primary
    }

    /// The small second account, for cross-account tests.
    pub fn second_account(&self) -> &AccountCredentials {
        &self.second
    }

    /// The SQLite database file.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// The current chaos settings.
    pub fn chaos(&self) -> ChaosConfig {
        self.app.chaos()
    }

    /// Change the chaos settings (same as `POST /_sandbox/chaos`).
    pub fn set_chaos(&self, chaos: ChaosConfig) -> Result<(), SandboxError> {
        chaos
            .validate()
            .map_err(|e| SandboxError::Config(e.to_string()))?;
        self.app.set_chaos(chaos);
        Ok(())
    }

    /// Change the quota (same as `POST /_sandbox/quota`); counters restart.
    pub fn set_quota(&self, quota: QuotaConfig) -> Result<(), SandboxError> {
        quota.validate().map_err(SandboxError::Config)?;
        self.app.quotas.set_config(quota);
        Ok(())
    }

    /// The sandbox clock's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.app.clock.now()
    }

    /// Move the sandbox clock forward (same as `POST /_sandbox/clock`).
    pub fn advance_clock(&self, by: Duration) {
        self.app.clock.advance_ms(by.as_millis() as i64);
    }

    /// Stop accepting connections, close the open ones and wait for the server task. Committed
    /// writes are durable; a temporary database is deleted.
    pub async fn shutdown(self) {
        let _ = self.shutdown_tx.send(true);
        let _ = self.server.await;
    }

    /// Serve until SIGINT (Ctrl-C) or SIGTERM, then shut down.
    pub async fn serve_until_signal(self) {
        wait_for_signal().await;
        self.shutdown().await;
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn serve(listener: TcpListener, app: Arc<App>, mut shutdown: watch::Receiver<bool>) {
    let mut conns: JoinSet<()> = JoinSet::new();
    loop {
        while conns.try_join_next().is_some() {}
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                let mut stop = shutdown.clone();
                conns.spawn(async move {
                    let svc = service_fn(move |req| server::handle(app.clone(), req));
                    let conn = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), svc);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = stop.changed() => {
                            conn.as_mut().graceful_shutdown();
                            let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
                        }
                    }
                });
            }
        }
    }
    drop(listener);
    let deadline = tokio::time::sleep(Duration::from_secs(3));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            next = conns.join_next() => if next.is_none() { break },
            _ = &mut deadline => { conns.abort_all(); break; }
        }
    }
}
