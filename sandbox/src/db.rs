//! SQLite storage: schema, a writer connection and a small pool of reader connections.
//!
//! The database runs in WAL mode. The writer uses `synchronous=FULL`, so a write that was
//! acknowledged (a reply, an event, an inbound message) survives the process being killed.
//! Readers are `query_only` connections, so searches run concurrently with each other and with
//! the writer.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::SandboxError;

/// The schema version stored in `meta.schema`.
pub(crate) const SCHEMA_VERSION: &str = "1";

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts(
    id INTEGER PRIMARY KEY,
    member_id TEXT NOT NULL,
    company TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    client_secret TEXT NOT NULL,
    member_since TEXT NOT NULL,
    api_user INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS clients(
    client_id TEXT PRIMARY KEY,
    client_secret TEXT NOT NULL,
    account_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    admin INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS searches(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    tabs TEXT NOT NULL,
    sources TEXT NOT NULL,
    UNIQUE(account_id, name)
);
CREATE TABLE IF NOT EXISTS connections(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    source INTEGER NOT NULL,
    is_default INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS persons(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    city TEXT NOT NULL,
    municipality TEXT NOT NULL,
    province TEXT NOT NULL,
    language TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS profiles(
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL,
    source INTEGER NOT NULL,
    handle TEXT NOT NULL,
    UNIQUE(person_id, source)
);
CREATE TABLE IF NOT EXISTS cases(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    search_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    source INTEGER NOT NULL,
    handler INTEGER,
    closed INTEGER NOT NULL DEFAULT 0,
    UNIQUE(search_id, person_id, source)
);
CREATE TABLE IF NOT EXISTS results(
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    search_id INTEGER NOT NULL,
    case_id INTEGER NOT NULL,
    source INTEGER NOT NULL,
    sentiment INTEGER NOT NULL,
    status INTEGER NOT NULL,
    checked INTEGER NOT NULL,
    own INTEGER NOT NULL,
    private INTEGER NOT NULL,
    type INTEGER NOT NULL,
    time INTEGER NOT NULL,
    parent_id INTEGER,
    typing INTEGER NOT NULL DEFAULT 0,
    author TEXT NOT NULL,
    site TEXT NOT NULL,
    host TEXT NOT NULL,
    text_lc TEXT NOT NULL,
    category TEXT NOT NULL COLLATE NOCASE,
    labels TEXT NOT NULL,
    hashtags TEXT NOT NULL,
    country TEXT NOT NULL COLLATE NOCASE,
    city TEXT NOT NULL COLLATE NOCASE,
    municipality TEXT NOT NULL COLLATE NOCASE,
    province TEXT NOT NULL COLLATE NOCASE,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS activities(
    id INTEGER PRIMARY KEY,
    result_id INTEGER NOT NULL,
    actor INTEGER,
    activity INTEGER NOT NULL,
    subject TEXT NOT NULL,
    time INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS markers(
    client_id TEXT NOT NULL,
    search_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    PRIMARY KEY(client_id, search_id)
) WITHOUT ROWID;
"#;

/// Indexes, created after the bulk load of the seed (faster than maintaining them row by row).
///
/// Searches always say `search_id = ? AND status <> 5` (deleted results are never served), so
/// the search indexes are partial indexes over live results: counting, `offset` and `sinceId`
/// walk the index without touching the table. Rows are in `id` (= time) order inside each.
/// `results_live_cover` holds the small filter columns, so counting `total` for source,
/// sentiment, checked, period, sinceId and assigned filters never reads the (wide) rows.
pub(crate) const INDEXES: &str = r#"
CREATE INDEX IF NOT EXISTS results_live ON results(search_id) WHERE status <> 5;
CREATE INDEX IF NOT EXISTS results_live_source ON results(search_id, source) WHERE status <> 5;
CREATE INDEX IF NOT EXISTS results_live_sentiment ON results(search_id, sentiment) WHERE status <> 5;
CREATE INDEX IF NOT EXISTS results_live_cover ON results(search_id, source, sentiment, checked, time, case_id) WHERE status <> 5;
CREATE INDEX IF NOT EXISTS results_case ON results(case_id);
CREATE INDEX IF NOT EXISTS results_parent ON results(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS activities_result ON activities(result_id);
CREATE INDEX IF NOT EXISTS cases_handler ON cases(handler) WHERE handler IS NOT NULL;
"#;

/// Tables emptied by a reset, in order.
pub(crate) const ALL_TABLES: [&str; 11] = [
    "clients",
    "activities",
    "results",
    "markers",
    "cases",
    "profiles",
    "persons",
    "connections",
    "searches",
    "users",
    "accounts",
];

/// The database: one writer, several readers.
pub(crate) struct Db {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Bumped after every committed write (invalidates cached counts).
    generation: AtomicU64,
    path: PathBuf,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Open the writer connection and create the schema (without indexes).
pub(crate) fn open_writer(path: &Path) -> Result<Connection, SandboxError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; \
         PRAGMA cache_size=-65536;",
    )?;
    conn.execute_batch(SCHEMA)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn open_reader(path: &Path) -> Result<Connection, SandboxError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(
        "PRAGMA query_only=1; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768; \
         PRAGMA mmap_size=1073741824;",
    )?;
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

impl Db {
    /// Wrap an open, seeded writer and open `readers` reader connections.
    pub(crate) fn new(writer: Connection, path: &Path, readers: usize) -> Result<Db, SandboxError> {
        let mut pool = Vec::with_capacity(readers.max(1));
        for _ in 0..readers.max(1) {
            pool.push(Mutex::new(open_reader(path)?));
        }
        Ok(Db {
            writer: Mutex::new(writer),
            readers: pool,
            next_reader: AtomicUsize::new(0),
            generation: AtomicU64::new(1),
            path: path.to_path_buf(),
        })
    }

    /// The current write generation.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Run `f` on a reader connection (blocking; call from `spawn_blocking`).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> T) -> T {
        let n = self.readers.len();
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            if let Some(r) = self.readers.get((start + i) % n) {
                if let Ok(guard) = r.try_lock() {
                    return f(&guard);
                }
            }
        }
        match self.readers.get(start % n) {
            Some(r) => f(&lock(r)),
            None => f(&lock(&self.writer)),
        }
    }

    /// Run `f` in a write transaction on the writer connection and commit (blocking).
    pub(crate) fn write<T, E>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(out)
    }

    /// Like [`Db::write`], for writes that change no result or case (markers, the stored clock):
    /// cached counts stay valid.
    pub(crate) fn write_quiet<T, E>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<rusqlite::Error>,
    {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Run `f` with the writer connection itself (for resets that manage their own
    /// transactions).
    pub(crate) fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        let mut conn = lock(&self.writer);
        let out = f(&mut conn);
        self.generation.fetch_add(1, Ordering::AcqRel);
        out
    }
}

/// Read a `meta` value.
pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>, rusqlite::Error> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// Write a `meta` value.
pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?
        .execute(params![key, value])?;
    Ok(())
}

/// A result row ready to insert.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResultRow {
    pub id: i64,
    pub account_id: i64,
    pub search_id: i64,
    pub case_id: i64,
    pub source: i64,
    pub sentiment: i64,
    pub status: i64,
    pub checked: bool,
    pub own: bool,
    pub private: bool,
    pub kind: i64,
    pub time: i64,
    pub parent_id: Option<i64>,
    pub typing: bool,
    pub author: String,
    pub site: String,
    pub host: String,
    pub text_lc: String,
    pub category: String,
    pub labels: String,
    pub hashtags: String,
    pub country: String,
    pub city: String,
    pub municipality: String,
    pub province: String,
    pub json: String,
}

/// Insert a result row.
pub(crate) fn insert_result(conn: &Connection, r: &ResultRow) -> Result<(), rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO results(id, account_id, search_id, case_id, source, sentiment, status, checked, \
         own, private, type, time, parent_id, typing, author, site, host, text_lc, category, labels, \
         hashtags, country, city, municipality, province, json) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
         ?21, ?22, ?23, ?24, ?25, ?26)",
    )?;
    stmt.execute(params![
        r.id,
        r.account_id,
        r.search_id,
        r.case_id,
        r.source,
        r.sentiment,
        r.status,
        r.checked,
        r.own,
        r.private,
        r.kind,
        r.time,
        r.parent_id,
        r.typing,
        r.author,
        r.site,
        r.host,
        r.text_lc,
        r.category,
        r.labels,
        r.hashtags,
        r.country,
        r.city,
        r.municipality,
        r.province,
        r.json,
    ])?;
    Ok(())
}

/// Insert an activity.
pub(crate) fn insert_activity(
    conn: &Connection,
    id: Option<i64>,
    result_id: i64,
    actor: Option<i64>,
    activity: i64,
    subject: &str,
    time: i64,
) -> Result<i64, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO activities(id, result_id, actor, activity, subject, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    stmt.execute(params![id, result_id, actor, activity, subject, time])?;
    Ok(conn.last_insert_rowid())
}
