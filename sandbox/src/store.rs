//! Queries and mutations on the sandbox's state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde_json::{json, Value};
use webcare::filter::{NewResults, Order, Period, SearchPath};
use webcare::sentiment::{detect_language, score_in, Language};
use webcare::Source;

use crate::api_error::ApiError;
use crate::clock::rfc3339_secs;
use crate::db::{insert_activity, insert_result, meta_get, meta_set, Db, ALL_TABLES, INDEXES};
use crate::model::{
    activity, patch_json, site_of, status, ActivityDoc, ConnectionDoc, Dynamic, ResultInput,
};
use crate::seed::{self, inbound_facts, SeedParams, LOCATIONS};

/// The largest page a search may ask for.
pub(crate) const MAX_LIMIT: u32 = 1000;
/// The default page size.
pub(crate) const DEFAULT_LIMIT: u32 = 25;
/// The default number of context results.
pub(crate) const DEFAULT_CONTEXT: u32 = 10;
/// The longest reply or inbound text, in characters.
pub(crate) const MAX_MESSAGE_CHARS: usize = 10_000;

/// An account, as loaded from the database.
#[derive(Debug, Clone)]
pub(crate) struct AccountInfo {
    pub id: i64,
    pub member_id: String,
    pub company: String,
    pub client_id: String,
    pub client_secret: String,
    pub member_since: String,
    pub api_user: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct UserInfo {
    pub id: i64,
    pub account: i64,
    pub name: String,
    pub first_name: String,
    pub email: String,
    pub admin: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct SearchInfo {
    pub id: i64,
    pub account: i64,
    pub name: String,
    pub tabs: Value,
    pub sources: Value,
}

#[derive(Debug, Clone)]
pub(crate) struct ConnInfo {
    pub id: i64,
    pub account: i64,
    pub name: String,
    pub source: i64,
    pub is_default: bool,
}

/// The static part of the state (accounts, users, searches, connections), kept in memory.
#[derive(Debug, Clone, Default)]
pub(crate) struct Directory {
    pub accounts: Vec<AccountInfo>,
    pub users: Vec<UserInfo>,
    pub searches: Vec<SearchInfo>,
    pub connections: Vec<ConnInfo>,
    /// API clients: (client id, secret, account id).
    pub clients: Vec<(String, String, i64)>,
    /// The rendered `configuration` object per account id.
    pub configuration: HashMap<i64, String>,
}

impl Directory {
    fn load(conn: &Connection) -> Result<Directory, rusqlite::Error> {
        let mut d = Directory::default();
        let mut stmt = conn.prepare(
            "SELECT id, member_id, company, client_id, client_secret, member_since, api_user FROM accounts ORDER BY id",
        )?;
        d.accounts = stmt
            .query_map([], |r| {
                Ok(AccountInfo {
                    id: r.get(0)?,
                    member_id: r.get(1)?,
                    company: r.get(2)?,
                    client_id: r.get(3)?,
                    client_secret: r.get(4)?,
                    member_since: r.get(5)?,
                    api_user: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare(
            "SELECT id, account_id, name, first_name, email, admin FROM users ORDER BY id",
        )?;
        d.users = stmt
            .query_map([], |r| {
                Ok(UserInfo {
                    id: r.get(0)?,
                    account: r.get(1)?,
                    name: r.get(2)?,
                    first_name: r.get(3)?,
                    email: r.get(4)?,
                    admin: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt =
            conn.prepare("SELECT id, account_id, name, tabs, sources FROM searches ORDER BY id")?;
        d.searches = stmt
            .query_map([], |r| {
                let tabs: String = r.get(3)?;
                let sources: String = r.get(4)?;
                Ok(SearchInfo {
                    id: r.get(0)?,
                    account: r.get(1)?,
                    name: r.get(2)?,
                    tabs: serde_json::from_str(&tabs).unwrap_or(Value::Array(Vec::new())),
                    sources: serde_json::from_str(&sources).unwrap_or(Value::Array(Vec::new())),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare(
            "SELECT id, account_id, name, source, is_default FROM connections ORDER BY id",
        )?;
        d.connections = stmt
            .query_map([], |r| {
                Ok(ConnInfo {
                    id: r.get(0)?,
                    account: r.get(1)?,
                    name: r.get(2)?,
                    source: r.get(3)?,
                    is_default: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = conn.prepare(
            "SELECT client_id, client_secret, account_id FROM clients ORDER BY account_id, rowid",
        )?;
        d.clients = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let last_change = meta_get(conn, "start")?
            .and_then(|s| s.parse::<i64>().ok())
            .map(rfc3339_secs)
            .unwrap_or_default();
        for a in &d.accounts {
            d.configuration
                .insert(a.id, d.render_configuration(a, &last_change).to_string());
        }
        Ok(d)
    }

    fn render_configuration(&self, a: &AccountInfo, last_change: &str) -> Value {
        let sources: serde_json::Map<String, Value> = Source::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), Value::from(s.id())))
            .collect();
        let activities: serde_json::Map<String, Value> = activity::ALL
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect();
        let statusses: serde_json::Map<String, Value> = status::ALL
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect();
        let types: serde_json::Map<String, Value> = crate::model::TYPES
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(*v)))
            .collect();
        let users: Vec<Value> = self
            .users
            .iter()
            .filter(|u| u.account == a.id)
            .map(|u| {
                json!({"id": u.id, "name": u.name, "firstName": u.first_name, "email": u.email,
                       "admin": u.admin, "apiUser": u.id == a.api_user})
            })
            .collect();
        let searches: Vec<Value> = self
            .searches
            .iter()
            .filter(|s| s.account == a.id)
            .map(|s| {
                json!({"id": s.id, "name": s.name,
                       "encodedName": webcare::filter::encode_value(&s.name),
                       "visible": true, "servicelevel": 60,
                       "webcareTabs": s.tabs, "availableSources": s.sources})
            })
            .collect();
        let connections: Vec<Value> = self
            .connections
            .iter()
            .filter(|c| c.account == a.id)
            .map(|c| {
                json!({"id": c.id, "name": c.name, "source": c.source,
                       "sourceName": Source::from_id(c.source).map(|s| s.as_str()).unwrap_or(""),
                       "default": c.is_default})
            })
            .collect();
        json!({
            "lastChange": last_change,
            "globals": {
                "sources": sources,
                "activities": activities,
                "statusses": statusses,
                "types": types,
                "sentiments": {"very negative": -2, "negative": -1, "neutral": 0, "positive": 1, "very positive": 2},
            },
            "format": "json",
            "account": {
                "memberId": a.member_id,
                "company": a.company,
                "memberSince": a.member_since,
                "users": users,
                "searches": searches,
                "connections": connections,
            }
        })
    }

    /// The account of an API client.
    pub(crate) fn account_by_client(&self, client_id: &str) -> Option<&AccountInfo> {
        let account = self
            .clients
            .iter()
            .find(|c| c.0 == client_id)
            .map(|c| c.2)?;
        self.account(account)
    }

    /// The secret of an API client.
    pub(crate) fn client_secret(&self, client_id: &str) -> Option<&str> {
        self.clients
            .iter()
            .find(|c| c.0 == client_id)
            .map(|c| c.1.as_str())
    }

    pub(crate) fn account(&self, id: i64) -> Option<&AccountInfo> {
        self.accounts.iter().find(|a| a.id == id)
    }

    fn search_by_name(&self, account: i64, name: &str) -> Option<&SearchInfo> {
        self.searches
            .iter()
            .find(|s| s.account == account && s.name == name)
            .or_else(|| {
                self.searches
                    .iter()
                    .find(|s| s.account == account && s.name.eq_ignore_ascii_case(name))
            })
    }

    fn connections_for(&self, account: i64, source: i64) -> (Vec<ConnectionDoc>, Option<i64>) {
        let list: Vec<ConnectionDoc> = self
            .connections
            .iter()
            .filter(|c| c.account == account && c.source == source)
            .map(|c| ConnectionDoc {
                id: c.id,
                name: c.name.clone(),
                source: c.source,
            })
            .collect();
        let default = self
            .connections
            .iter()
            .find(|c| c.account == account && c.source == source && c.is_default)
            .map(|c| c.id)
            .or_else(|| list.first().map(|c| c.id));
        (list, default)
    }
}

/// One page of search results.
#[derive(Debug)]
pub(crate) struct SearchPage {
    /// The prefix asked for, then `{"id": {...}, ...}` as JSON text.
    pub results: String,
    pub count: usize,
    pub total: i64,
}

/// The state: database plus in-memory directory and caches.
pub(crate) struct Store {
    pub db: Db,
    dir: RwLock<Arc<Directory>>,
    counts: Mutex<HashMap<String, (u64, i64)>>,
    /// Where pages of a query ended: (query, next offset) -> (generation, id of the page's last
    /// row). A request for an offset where an earlier page ended continues from that id instead
    /// of counting rows from the start: a deep `offset` costs as much as a shallow one when
    /// paging in order, and concurrent pagers (or a client fetching pages in parallel) each find
    /// their own boundaries.
    cursors: Mutex<HashMap<(String, i64), (u64, i64)>>,
    pub params: SeedParams,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("db", &self.db).finish()
    }
}

fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Seed an empty database in one transaction (indexes are maintained during the load: rows
/// arrive in id order, which is cheaper than rescanning the wide table once per index).
pub(crate) fn seed_database(conn: &mut Connection, p: &SeedParams) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction()?;
    tx.execute_batch(INDEXES)?;
    seed::seed(&tx, p)?;
    tx.commit()?;
    conn.execute_batch("PRAGMA analysis_limit=400; ANALYZE;")?;
    Ok(())
}

impl Store {
    pub(crate) fn new(db: Db, params: SeedParams) -> Result<Store, rusqlite::Error> {
        let dir = db.read(Directory::load)?;
        Ok(Store {
            db,
            dir: RwLock::new(Arc::new(dir)),
            counts: Mutex::new(HashMap::new()),
            cursors: Mutex::new(HashMap::new()),
            params,
        })
    }

    /// The directory (cheap clone of an `Arc`).
    pub(crate) fn dir(&self) -> Arc<Directory> {
        self.dir
            .read()
            .map(|d| d.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Back to the seeded state.
    pub(crate) fn reset(&self) -> Result<(), ApiError> {
        let p = self.params.clone();
        self.db.with_writer(|conn| -> Result<(), rusqlite::Error> {
            let tx = conn.transaction()?;
            for t in ALL_TABLES {
                tx.execute(&format!("DELETE FROM {t}"), [])?;
            }
            tx.execute("DELETE FROM meta WHERE key <> 'schema'", [])?;
            seed::seed(&tx, &p)?;
            tx.execute_batch(INDEXES)?;
            tx.commit()?;
            Ok(())
        })?;
        let dir = self.db.read(Directory::load)?;
        match self.dir.write() {
            Ok(mut d) => *d = Arc::new(dir),
            Err(p) => *p.into_inner() = Arc::new(dir),
        }
        self.counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.cursors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        Ok(())
    }

    /// The largest result time, epoch seconds (0 for an empty database).
    pub(crate) fn max_time(&self) -> Result<i64, rusqlite::Error> {
        self.db.read(|c| {
            c.query_row("SELECT coalesce(max(time), 0) FROM results", [], |r| {
                r.get(0)
            })
        })
    }

    /// A stored clock value (epoch ms), if any.
    pub(crate) fn stored_clock(&self) -> Option<i64> {
        self.db
            .read(|c| meta_get(c, "clock_ms"))
            .ok()
            .flatten()
            .and_then(|s| s.parse().ok())
    }

    /// Persist the clock (so a restart with `--db` does not go back in time).
    pub(crate) fn store_clock(&self, ms: i64) -> Result<(), ApiError> {
        self.db
            .write_quiet(|tx| meta_set(tx, "clock_ms", &ms.to_string()).map_err(ApiError::from))
    }

    /// A search page.
    pub(crate) fn search(
        &self,
        account: i64,
        client_id: &str,
        path: &SearchPath,
        now: i64,
        prefix: &str,
    ) -> Result<SearchPage, ApiError> {
        let dir = self.dir();
        let search = dir.search_by_name(account, &path.profile).ok_or_else(|| {
            ApiError::not_found(format!(
                "unknown search profile '{}' (see GET /configuration for this account's searches)",
                path.profile
            ))
        })?;
        let f = &path.filter;
        let limit = f.limit.unwrap_or(DEFAULT_LIMIT);
        if limit > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit:{limit} is too large: the maximum page size is {MAX_LIMIT}"
            )));
        }
        let offset = i64::try_from(f.offset.unwrap_or(0)).map_err(|_| {
            ApiError::bad_request(format!(
                "offset:{} is too large",
                f.offset.unwrap_or_default()
            ))
        })?;
        if f.result_ids.len() > 1000 {
            return Err(ApiError::bad_request(
                "result: takes at most 1000 ids".to_string(),
            ));
        }
        // Small integers that choose the index (search, sources, sentiment, checked) are written
        // into the SQL, not bound: SQLite is built with STAT4 here, and a statement whose bound
        // value can change the plan is prepared again on every run (profiled: ~10% of a
        // search). These few values give few distinct statements, which stay cached.
        let mut conds: Vec<String> =
            vec![format!("search_id = {}", search.id), "status <> 5".into()];
        let mut args: Vec<SqlValue> = Vec::new();
        if !f.sources.is_empty() {
            let ids: Vec<String> = f.sources.iter().map(|s| s.id().to_string()).collect();
            conds.push(format!("source IN ({})", ids.join(",")));
        }
        if let Some(s) = f.sentiment {
            conds.push(format!("sentiment = {}", i64::from(s.value())));
        }
        if let Some(p) = f.period {
            let (from, to) = match p {
                Period::Range { start, end } => (start.timestamp(), end.timestamp()),
                Period::Day => (now - 86_400, now),
                Period::Week => (now - 7 * 86_400, now),
                Period::Month => (now - 30 * 86_400, now),
                Period::Year => (now - 365 * 86_400, now),
            };
            conds.push("time BETWEEN ? AND ?".into());
            args.push(SqlValue::Integer(from));
            args.push(SqlValue::Integer(to));
        }
        for (col, v) in [
            ("category", &f.category),
            ("country", &f.country),
            ("city", &f.city),
            ("municipality", &f.municipality),
            ("province", &f.province),
        ] {
            if let Some(v) = v {
                conds.push(format!("{col} = ?"));
                args.push(SqlValue::Text(v.trim().to_string()));
            }
        }
        if let Some(v) = &f.label {
            conds.push("instr(labels, ?) > 0".into());
            args.push(SqlValue::Text(format!("|{}|", v.trim().to_lowercase())));
        }
        if let Some(v) = &f.hashtag {
            conds.push("instr(hashtags, ?) > 0".into());
            args.push(SqlValue::Text(format!(
                "|{}|",
                v.trim().trim_start_matches('#').to_lowercase()
            )));
        }
        if let Some(v) = &f.profile {
            conds.push("instr(author, ?) > 0".into());
            args.push(SqlValue::Text(format!(
                "|{}|",
                v.trim().trim_start_matches('@').to_lowercase()
            )));
        }
        if let Some(v) = &f.word {
            conds.push("instr(text_lc, ?) > 0".into());
            args.push(SqlValue::Text(v.to_lowercase()));
        }
        if let Some(v) = &f.website {
            let (site, host) = site_of(v);
            if site.contains('/') {
                conds.push("site LIKE ? ESCAPE '\\'".into());
                args.push(SqlValue::Text(format!("{}%", like_escape(&site))));
            } else {
                conds.push("(host = ? OR host LIKE ? ESCAPE '\\')".into());
                args.push(SqlValue::Text(host.clone()));
                args.push(SqlValue::Text(format!("%.{}", like_escape(&host))));
            }
        }
        if !f.result_ids.is_empty() {
            let ids: Vec<i64> = f
                .result_ids
                .iter()
                .filter_map(|i| i64::try_from(*i).ok())
                .collect();
            if ids.is_empty() {
                conds.push("0".into());
            } else {
                let marks = vec!["?"; ids.len()].join(",");
                conds.push(format!("id IN ({marks})"));
                args.extend(ids.into_iter().map(SqlValue::Integer));
            }
        }
        if let Some(a) = f.assigned {
            match i64::try_from(a) {
                Ok(a) => {
                    // `+case_id`: walk the results in id order and probe the case set, instead of
                    // collecting every result of every case of the handler and sorting them.
                    conds.push("+case_id IN (SELECT id FROM cases WHERE handler = ?)".into());
                    args.push(SqlValue::Integer(a));
                }
                Err(_) => conds.push("0".into()),
            }
        }
        if let Some(since) = f.since_id {
            match i64::try_from(since) {
                Ok(s) => {
                    conds.push("id > ?".into());
                    args.push(SqlValue::Integer(s));
                }
                Err(_) => conds.push("0".into()),
            }
        }
        if let Some(c) = f.checked {
            conds.push(format!("checked = {}", i64::from(c)));
        }
        let marker = match f.new_results {
            None => None,
            Some(mode) => Some(self.marker(client_id, search.id, mode == NewResults::Reset)?),
        };
        if let Some(m) = marker {
            conds.push("id > ?".into());
            args.push(SqlValue::Integer(m));
        }
        let order = match f.order {
            Some(Order::LeastRecent) => "ASC",
            _ => "DESC",
        };
        let where_sql = conds.join(" AND ");
        let count_sql =
            format!("SELECT count(*) FROM results INDEXED BY results_live_cover WHERE {where_sql}");
        let page_sql = format!(
            "SELECT id, json FROM results WHERE {where_sql} ORDER BY id {order} LIMIT {limit} OFFSET ?"
        );
        let generation = self.db.generation();
        let key = format!("{count_sql}|{args:?}");
        let cached = self
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .filter(|(g, _)| *g == generation)
            .map(|(_, t)| *t);
        let cursor_key = format!("{where_sql}|{order}|{args:?}");
        let mut cursor_key = (cursor_key, offset);
        let boundary = if offset > 0 {
            self.cursors
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&cursor_key)
                .filter(|(g, _)| *g == generation)
                .map(|(_, id)| *id)
        } else {
            None
        };
        let (results, count, max_id, total, last_id) =
            self.db.read(|conn| -> Result<_, ApiError> {
                let total = match cached {
                    Some(t) => t,
                    None => conn
                        .prepare_cached(&count_sql)?
                        .query_row(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?,
                };
                let mut page_args = args.clone();
                let sql = match boundary {
                    // Continue after the last row of the previous page (same rows as the offset).
                    Some(id) => {
                        page_args.push(SqlValue::Integer(id));
                        let cmp = if order == "ASC" { ">" } else { "<" };
                        format!(
                            "SELECT id, json FROM results WHERE {where_sql} AND id {cmp} ? \
                         ORDER BY id {order} LIMIT {limit}"
                        )
                    }
                    None => {
                        page_args.push(SqlValue::Integer(offset));
                        page_sql
                    }
                };
                let mut stmt = conn.prepare_cached(&sql)?;
                let mut rows = stmt.query(params_from_iter(page_args.iter()))?;
                // About 1.1 KB per seeded result, plus the envelope around it.
                let mut out =
                    String::with_capacity(prefix.len() + 1200 * (limit.min(500) as usize) + 256);
                out.push_str(prefix);
                out.push('{');
                let mut count = 0usize;
                let mut max_id = 0i64;
                let mut last_id = 0i64;
                while let Some(row) = rows.next()? {
                    let id: i64 = row.get(0)?;
                    let json = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                    if count > 0 {
                        out.push(',');
                    }
                    {
                        use std::fmt::Write as _;
                        let _ = write!(out, "\"{id}\":");
                    }
                    out.push_str(json);
                    count += 1;
                    max_id = max_id.max(id);
                    last_id = id;
                }
                out.push('}');
                Ok((out, count, max_id, total, last_id))
            })?;
        if count > 0 {
            let mut cursors = self.cursors.lock().unwrap_or_else(|p| p.into_inner());
            if cursors.len() > 10_000 {
                cursors.clear();
            }
            cursor_key.1 = offset + count as i64;
            cursors.insert(cursor_key, (generation, last_id));
        }
        if cached.is_none() {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            if counts.len() > 10_000 {
                counts.clear();
            }
            counts.insert(key, (generation, total));
        }
        if let (Some(m), true) = (marker, count > 0) {
            if max_id > m {
                self.db.write_quiet(|tx| -> Result<(), ApiError> {
                    tx.prepare_cached(
                        "INSERT INTO markers(client_id, search_id, last_id) VALUES (?1, ?2, ?3) \
                         ON CONFLICT(client_id, search_id) DO UPDATE SET last_id = max(last_id, excluded.last_id)",
                    )?
                    .execute(params![client_id, search.id, max_id])?;
                    Ok(())
                })?;
            }
        }
        Ok(SearchPage {
            results,
            count,
            total,
        })
    }

    fn marker(&self, client_id: &str, search_id: i64, reset: bool) -> Result<i64, ApiError> {
        if reset {
            self.db.write_quiet(|tx| -> Result<(), ApiError> {
                tx.execute(
                    "DELETE FROM markers WHERE client_id = ?1 AND search_id = ?2",
                    params![client_id, search_id],
                )?;
                Ok(())
            })?;
            return Ok(0);
        }
        Ok(self
            .db
            .read(|c| {
                c.prepare_cached(
                    "SELECT last_id FROM markers WHERE client_id = ?1 AND search_id = ?2",
                )?
                .query_row(params![client_id, search_id], |r| r.get::<_, i64>(0))
                .optional()
            })?
            .unwrap_or(0))
    }

    /// One result (with its context when `context` is `Some(limit)`), as JSON text.
    pub(crate) fn result(
        &self,
        account: i64,
        id: u64,
        context: Option<u32>,
    ) -> Result<String, ApiError> {
        let not_found = || ApiError::not_found(format!("no result with id {id}"));
        let id = i64::try_from(id).map_err(|_| not_found())?;
        self.db.read(|conn| -> Result<String, ApiError> {
            let row: Option<(i64, i64, String)> = conn
                .prepare_cached("SELECT account_id, case_id, json FROM results WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((acc, case_id, json)) = row else {
                return Err(not_found());
            };
            if acc != account {
                return Err(not_found());
            }
            let Some(limit) = context else {
                return Ok(json);
            };
            let mut stmt = conn.prepare_cached(
                "SELECT json FROM results WHERE case_id = ?1 AND id <> ?2 AND status <> 5 ORDER BY id DESC LIMIT ?3",
            )?;
            let mut ctx: Vec<String> = stmt
                .query_map(params![case_id, id, i64::from(limit)], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            ctx.reverse();
            let mut out = json;
            if out.ends_with('}') {
                out.pop();
                out.push_str(if out.len() > 1 { ",\"context\":[" } else { "\"context\":[" });
                out.push_str(&ctx.join(","));
                out.push_str("]}");
            }
            Ok(out)
        })
    }

    /// Re-render the stored JSON of a result from its current state.
    fn refresh(&self, conn: &Connection, dir: &Directory, id: i64) -> Result<(), ApiError> {
        let row: Option<RefreshRow> = conn
            .prepare_cached(
                "SELECT json, status, checked, typing, own, case_id, source, account_id FROM results WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })
            .optional()?;
        let Some((json, st, checked, typing, own, case_id, source, account)) = row else {
            return Ok(());
        };
        let activities: Vec<ActivityDoc> = conn
            .prepare_cached(
                "SELECT id, actor, activity, subject, time FROM activities WHERE result_id = ?1 ORDER BY id",
            )?
            .query_map([id], |r| {
                Ok(ActivityDoc {
                    id: r.get(0)?,
                    result_id: id,
                    actor: r.get(1)?,
                    activity: r.get(2)?,
                    subject: r.get(3)?,
                    time: rfc3339_secs(r.get(4)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        let replies: Vec<i64> = conn
            .prepare_cached("SELECT id FROM results WHERE parent_id = ?1 ORDER BY id")?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let (handler, closed): (Option<i64>, bool) = conn
            .prepare_cached("SELECT handler, closed FROM cases WHERE id = ?1")?
            .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((None, false));
        let has_connection = dir
            .connections
            .iter()
            .any(|c| c.account == account && c.source == source);
        let new_json = patch_json(
            &json,
            &Dynamic {
                status: st,
                checked,
                typing,
                activities,
                replies,
                handler,
                case_closed: closed,
                own,
                has_connection,
            },
        );
        conn.prepare_cached("UPDATE results SET json = ?1 WHERE id = ?2")?
            .execute(params![new_json, id])?;
        Ok(())
    }

    fn refresh_case(
        &self,
        conn: &Connection,
        dir: &Directory,
        case_id: i64,
    ) -> Result<(), ApiError> {
        let ids: Vec<i64> = conn
            .prepare_cached("SELECT id FROM results WHERE case_id = ?1")?
            .query_map([case_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in ids {
            self.refresh(conn, dir, id)?;
        }
        Ok(())
    }

    fn next_result_id(conn: &Connection) -> Result<i64, rusqlite::Error> {
        conn.prepare_cached("SELECT coalesce(max(id), ?1 - 1) + 1 FROM results")?
            .query_row([seed::FIRST_RESULT_ID], |r| r.get(0))
    }

    /// Send a reply to a result; returns the new result's JSON.
    pub(crate) fn reply(
        &self,
        account: &AccountInfo,
        result_id: u64,
        message: &str,
        connection_id: i64,
        public: bool,
        now: i64,
    ) -> Result<String, ApiError> {
        let dir = self.dir();
        let not_found = || ApiError::not_found(format!("no result with id {result_id}"));
        let rid = i64::try_from(result_id).map_err(|_| not_found())?;
        self.db.write(|tx| -> Result<String, ApiError> {
            let parent: Option<ParentRow> = tx
                .prepare_cached(
                    "SELECT account_id, case_id, source, status, own, search_id, time, private, json FROM results WHERE id = ?1",
                )?
                .query_row([rid], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                })
                .optional()?;
            let Some((acc, case_id, source, st, own, search_id, ptime, pprivate, pjson)) = parent
            else {
                return Err(not_found());
            };
            if acc != account.id {
                return Err(not_found());
            }
            if st == status::DELETED {
                return Err(ApiError::bad_request(format!(
                    "result {result_id} was deleted; it cannot be replied to"
                )));
            }
            if own {
                return Err(ApiError::bad_request(format!(
                    "result {result_id} was sent by the company (own: 1); reply to the customer's message instead"
                )));
            }
            let (conns, _) = dir.connections_for(account.id, source);
            let source_name = Source::from_id(source).map(|s| s.as_str()).unwrap_or("?");
            if conns.is_empty() {
                return Err(ApiError::bad_request(format!(
                    "result {result_id} is on {source_name}, which has no connection in this account: replies are not available (replyAvailable is false)"
                )));
            }
            let Some(conn_doc) = conns.iter().find(|c| c.id == connection_id) else {
                let valid: Vec<String> = conns.iter().map(|c| c.id.to_string()).collect();
                return Err(ApiError::bad_request(format!(
                    "connectionId {connection_id} is not a {source_name} connection of this account (valid for this result: {})",
                    valid.join(", ")
                )));
            };
            let pmap: serde_json::Map<String, Value> =
                serde_json::from_str(&pjson).unwrap_or_default();
            let text_of = |k: &str| {
                pmap.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let (handler, closed): (Option<i64>, bool) = tx
                .prepare_cached("SELECT handler, closed FROM cases WHERE id = ?1")?
                .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .unwrap_or((None, false));
            let id = Self::next_result_id(tx)?;
            let time = now.max(ptime);
            let private_channel = matches!(
                Source::from_id(source),
                Some(Source::Whatsapp | Source::Irischat)
            );
            let private = !public || private_channel || pprivate;
            let language = detect_language(message);
            let input = ResultInput {
                id,
                account_id: account.id,
                search_id,
                case_id,
                person_id: text_of("personId").parse().unwrap_or(0),
                profile_id: text_of("profileId").parse().unwrap_or(0),
                source,
                kind: if private { 4 } else { 3 },
                private,
                own: true,
                time,
                status: status::NEW,
                sentiment: i64::from(score_in(message, Language::Auto).value()),
                checked: true,
                bookmarked: false,
                tbrank: 1,
                title: conn_doc.name.clone(),
                subtitle: conn_doc.name.clone(),
                description: message.to_string(),
                link: reply_link(source, &conn_doc.name, id, case_id),
                image: format!(
                    "https://avatars.sandbox.invalid/connections/{}.png",
                    conn_doc.id
                ),
                image_link: String::new(),
                language: language.code().to_string(),
                category: "Reactie".into(),
                country: text_of("country"),
                city: text_of("city"),
                municipality: text_of("municipality"),
                province: text_of("province"),
                author_handle: conn_doc.name.clone(),
                author_name: account.company.clone(),
                parent_id: Some(rid),
                handler,
                case_closed: closed,
                ..ResultInput::default()
            };
            insert_result(tx, &input.to_row())?;
            insert_activity(
                tx,
                None,
                rid,
                Some(handler.unwrap_or(account.api_user)),
                activity::RESPOND,
                &format!("Reply {id} via connection {}", conn_doc.id),
                time,
            )?;
            tx.prepare_cached("UPDATE results SET status = ?1, checked = 1 WHERE id = ?2")?
                .execute(params![status::REPLIED, rid])?;
            self.refresh(tx, &dir, rid)?;
            meta_set(tx, "clock_ms", &(now * 1000).to_string())?;
            let json: String = tx
                .prepare_cached("SELECT json FROM results WHERE id = ?1")?
                .query_row([id], |r| r.get(0))?;
            Ok(json)
        })
    }

    /// Record an event on a result.
    pub(crate) fn event(
        &self,
        account: &AccountInfo,
        result_id: u64,
        event: &str,
        now: i64,
    ) -> Result<Value, ApiError> {
        let dir = self.dir();
        let not_found = || ApiError::not_found(format!("no result with id {result_id}"));
        let rid = i64::try_from(result_id).map_err(|_| not_found())?;
        self.db.write(|tx| -> Result<Value, ApiError> {
            let row: Option<(i64, i64, i64)> = tx
                .prepare_cached("SELECT account_id, status, case_id FROM results WHERE id = ?1")?
                .query_row([rid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((acc, st, case_id)) = row else {
                return Err(not_found());
            };
            if acc != account.id {
                return Err(not_found());
            }
            let handler: Option<i64> = tx
                .prepare_cached("SELECT handler FROM cases WHERE id = ?1")?
                .query_row([case_id], |r| r.get(0))
                .optional()?
                .flatten();
            let actor = Some(handler.unwrap_or(account.api_user));
            match event {
                "starttyping" | "stoptyping" => {
                    tx.prepare_cached("UPDATE results SET typing = ?1 WHERE id = ?2")?
                        .execute(params![event == "starttyping", rid])?;
                }
                "opened" | "closed" => {
                    let (new_status, code, subject) = if event == "opened" {
                        (status::OPENED, activity::OPEN, "Opened")
                    } else {
                        (status::CLOSED, activity::CLOSE, "Closed")
                    };
                    if st != status::DELETED {
                        tx.prepare_cached("UPDATE results SET status = ?1 WHERE id = ?2")?
                            .execute(params![new_status, rid])?;
                    }
                    insert_activity(tx, None, rid, actor, code, subject, now)?;
                }
                other => {
                    return Err(ApiError::bad_request(format!(
                    "unknown event '{other}' (expected starttyping, stoptyping, closed or opened)"
                )))
                }
            }
            self.refresh(tx, &dir, rid)?;
            Ok(json!({}))
        })
    }

    /// A case operation: `close`, `handover` (with a handler) or `release`.
    pub(crate) fn case_op(
        &self,
        account: &AccountInfo,
        search_id: u64,
        case_id: u64,
        op: CaseOp,
        now: i64,
    ) -> Result<Value, ApiError> {
        let dir = self.dir();
        let not_found = || {
            ApiError::not_found(format!(
                "no case {case_id} in search {search_id} of this account"
            ))
        };
        let sid = i64::try_from(search_id).map_err(|_| not_found())?;
        let cid = i64::try_from(case_id).map_err(|_| not_found())?;
        if let CaseOp::HandOver(h) = op {
            let ok = i64::try_from(h).ok().and_then(|h| {
                dir.users
                    .iter()
                    .find(|u| u.id == h && u.account == account.id)
            });
            if ok.is_none() {
                return Err(ApiError::not_found(format!(
                    "no user (handler) with id {h} in this account (see configuration.account.users)"
                )));
            }
        }
        self.db.write(|tx| -> Result<Value, ApiError> {
            let row: Option<(i64, i64, i64, i64, Option<i64>, bool)> = tx
                .prepare_cached(
                    "SELECT account_id, search_id, person_id, source, handler, closed FROM cases WHERE id = ?1",
                )?
                .query_row([cid], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
                })
                .optional()?;
            let Some((acc, s, person, source, handler, closed)) = row else {
                return Err(not_found());
            };
            if acc != account.id || s != sid {
                return Err(not_found());
            }
            let (new_handler, new_closed, code, subject) = match op {
                CaseOp::Close => (handler, true, activity::CLOSE_CASE, "Case closed".to_string()),
                CaseOp::HandOver(h) => {
                    let h = i64::try_from(h).unwrap_or_default();
                    let name = dir
                        .users
                        .iter()
                        .find(|u| u.id == h)
                        .map(|u| u.name.clone())
                        .unwrap_or_default();
                    (Some(h), false, activity::HANDOVER, format!("Handed over to {name}"))
                }
                CaseOp::Release => (None, closed, activity::RELEASE, "Handler released".to_string()),
            };
            tx.prepare_cached("UPDATE cases SET handler = ?1, closed = ?2 WHERE id = ?3")?
                .execute(params![new_handler, new_closed, cid])?;
            let latest: Option<i64> = tx
                .prepare_cached("SELECT max(id) FROM results WHERE case_id = ?1")?
                .query_row([cid], |r| r.get(0))?;
            if let Some(latest) = latest {
                insert_activity(
                    tx,
                    None,
                    latest,
                    Some(handler.unwrap_or(account.api_user)),
                    code,
                    &subject,
                    now,
                )?;
            }
            self.refresh_case(tx, &dir, cid)?;
            Ok(case_json(cid, s, person, source, new_handler, new_closed))
        })
    }

    /// A simulated inbound message (`POST /_sandbox/inbound`).
    pub(crate) fn inbound(&self, req: &InboundRequest, now: i64) -> Result<String, ApiError> {
        let dir = self.dir();
        let account_id = match &req.account {
            None => None,
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => dir
                .account_by_client(s)
                .map(|a| a.id)
                .or_else(|| s.parse().ok()),
            Some(_) => None,
        };
        if req.account.is_some() && account_id.and_then(|a| dir.account(a)).is_none() {
            return Err(ApiError::not_found(
                "unknown account (give 1, 2 or a client id)".to_string(),
            ));
        }
        let search = match (&req.profile, account_id) {
            (Some(name), Some(a)) => dir.search_by_name(a, name),
            (Some(name), None) => dir
                .search_by_name(1, name)
                .or_else(|| dir.searches.iter().find(|s| &s.name == name)),
            (None, a) => dir.searches.iter().find(|s| s.account == a.unwrap_or(1)),
        }
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "unknown search profile '{}'",
                req.profile.clone().unwrap_or_default()
            ))
        })?
        .clone();
        let account = dir
            .account(search.account)
            .ok_or_else(|| ApiError::internal("search without account"))?
            .clone();
        let source = Source::parse(&req.source)?;
        let text = req.text.trim();
        if text.is_empty() {
            return Err(ApiError::bad_request("text must not be empty"));
        }
        if req.text.chars().count() > MAX_MESSAGE_CHARS {
            return Err(ApiError::bad_request(format!(
                "text is longer than {MAX_MESSAGE_CHARS} characters"
            )));
        }
        let text = req.text.clone();
        self.db.write(|tx| -> Result<String, ApiError> {
            // The person.
            let person: Option<(i64, String, String, String, String, String, String)> = match &req.person {
                None => None,
                Some(Value::Number(n)) => {
                    let pid = n.as_i64().ok_or_else(|| ApiError::bad_request("person must be an id or a name"))?;
                    let p = load_person(tx, account.id, "id = ?2", &SqlValue::Integer(pid))?;
                    if p.is_none() {
                        return Err(ApiError::not_found(format!("no person {pid} in this account")));
                    }
                    p
                }
                Some(Value::String(name)) if name.trim().is_empty() => {
                    return Err(ApiError::bad_request("person must not be empty"))
                }
                Some(Value::String(name)) => {
                    load_person(tx, account.id, "name = ?2 COLLATE NOCASE", &SqlValue::Text(name.trim().to_string()))?
                }
                Some(_) => return Err(ApiError::bad_request("person must be an id or a name")),
            };
            let (person_id, name, country, city, municipality, province, lang) = match person {
                Some(p) => p,
                None => {
                    let next: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM persons", [], |r| r.get(0))?;
                    let name = match &req.person {
                        Some(Value::String(n)) => n.trim().to_string(),
                        _ => format!("Sandbox Tester {next}"),
                    };
                    let l = &LOCATIONS[(next as usize) % (LOCATIONS.len() - 1)];
                    let lang = detect_language(&text).code().to_string();
                    tx.execute(
                        "INSERT INTO persons(id, account_id, name, country, city, municipality, province, language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![next, account.id, name, l.country, l.city, l.municipality, l.province, lang],
                    )?;
                    (next, name, l.country.to_string(), l.city.to_string(), l.municipality.to_string(), l.province.to_string(), lang)
                }
            };
            // The person's profile on this source.
            let profile: Option<(i64, String)> = tx
                .prepare_cached("SELECT id, handle FROM profiles WHERE person_id = ?1 AND source = ?2")?
                .query_row(params![person_id, source.id()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (profile_id, handle) = match profile {
                Some(p) => p,
                None => {
                    let existing: Option<String> = tx
                        .prepare_cached("SELECT handle FROM profiles WHERE person_id = ?1 LIMIT 1")?
                        .query_row([person_id], |r| r.get(0))
                        .optional()?;
                    let handle = existing.unwrap_or_else(|| {
                        let base: String = name
                            .to_lowercase()
                            .chars()
                            .map(|c| if c == ' ' { '_' } else { c })
                            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        format!("{base}{person_id}")
                    });
                    let next: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM profiles", [], |r| r.get(0))?;
                    tx.execute(
                        "INSERT INTO profiles(id, person_id, source, handle) VALUES (?1, ?2, ?3, ?4)",
                        params![next, person_id, source.id(), handle],
                    )?;
                    (next, handle)
                }
            };
            // The case: created, or reopened when closed.
            let case: Option<(i64, Option<i64>, bool)> = tx
                .prepare_cached("SELECT id, handler, closed FROM cases WHERE search_id = ?1 AND person_id = ?2 AND source = ?3")?
                .query_row(params![search.id, person_id, source.id()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let (case_id, handler, reopened) = match case {
                Some((id, handler, closed)) => {
                    if closed {
                        tx.prepare_cached("UPDATE cases SET closed = 0 WHERE id = ?1")?.execute([id])?;
                    }
                    (id, handler, closed)
                }
                None => {
                    let next: i64 = tx.query_row(
                        "SELECT coalesce(max(id), ?1 - 1) + 1 FROM cases",
                        [seed::FIRST_CASE_ID],
                        |r| r.get(0),
                    )?;
                    tx.execute(
                        "INSERT INTO cases(id, account_id, search_id, person_id, source, handler, closed) VALUES (?1, ?2, ?3, ?4, ?5, NULL, 0)",
                        params![next, account.id, search.id, person_id, source.id()],
                    )?;
                    (next, None, false)
                }
            };
            let id = Self::next_result_id(tx)?;
            let english = lang == "en";
            let first = name.split_whitespace().next().unwrap_or("").to_string();
            let facts = inbound_facts(source, account.id, case_id, id, &handle, &first, english, req.private);
            let (connections, default_connection) = dir.connections_for(account.id, source.id());
            let hashtags: Vec<String> = text
                .split_whitespace()
                .filter(|w| w.starts_with('#') && w.len() > 1)
                .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()).to_string())
                .filter(|w| w.len() > 1)
                .collect();
            let input = ResultInput {
                id,
                account_id: account.id,
                search_id: search.id,
                case_id,
                person_id,
                profile_id,
                source: source.id(),
                kind: facts.kind,
                private: facts.private,
                own: false,
                time: now,
                status: status::NEW,
                sentiment: i64::from(score_in(&text, Language::Auto).value()),
                checked: false,
                bookmarked: false,
                tbrank: 5,
                title: name.clone(),
                subtitle: facts.subtitle,
                description: text.clone(),
                link: facts.link,
                image: format!("https://avatars.sandbox.invalid/persons/{person_id}.png"),
                image_link: facts.image_link,
                language: detect_language(&text).code().to_string(),
                category: req.category.clone().unwrap_or_else(|| "Inbound".into()),
                labels: req.labels.clone().unwrap_or_default(),
                hashtags,
                country,
                city,
                municipality,
                province,
                author_handle: handle,
                author_name: name,
                connections,
                default_connection,
                reply_prefix: facts.reply_prefix,
                reply_suffix: facts.reply_suffix,
                handler,
                case_closed: false,
                ..ResultInput::default()
            };
            insert_result(tx, &input.to_row())?;
            if reopened {
                insert_activity(tx, None, id, None, activity::REOPEN_CASE, "Case reopened by inbound message", now)?;
                self.refresh_case(tx, &dir, case_id)?;
            }
            meta_set(tx, "clock_ms", &(now * 1000).to_string())?;
            let json: String = tx
                .prepare_cached("SELECT json FROM results WHERE id = ?1")?
                .query_row([id], |r| r.get(0))?;
            Ok(json)
        })
    }

    /// The SSO token's user for an e-mail address in an account.
    pub(crate) fn user_by_email(&self, account: i64, email: &str) -> Option<UserInfo> {
        self.dir()
            .users
            .iter()
            .find(|u| u.account == account && u.email.eq_ignore_ascii_case(email.trim()))
            .cloned()
    }
}

type PersonRow = (i64, String, String, String, String, String, String);
type RefreshRow = (String, i64, bool, bool, bool, i64, i64, i64);
type ParentRow = (i64, i64, i64, i64, bool, i64, i64, bool, String);

fn load_person(
    conn: &Connection,
    account: i64,
    cond: &str,
    v: &SqlValue,
) -> Result<Option<PersonRow>, rusqlite::Error> {
    conn.prepare_cached(&format!(
        "SELECT id, name, country, city, municipality, province, language FROM persons WHERE account_id = ?1 AND {cond} ORDER BY id LIMIT 1"
    ))?
    .query_row(params![account, v], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .optional()
}

fn reply_link(source: i64, conn_name: &str, id: i64, case_id: i64) -> String {
    let who = conn_name.trim_start_matches('@').replace(' ', "");
    match Source::from_id(source) {
        Some(Source::Twitter) => format!("https://twitter.com/{who}/status/{id}"),
        Some(Source::Facebook) => format!("https://www.facebook.com/KPN/posts/{id}"),
        Some(Source::Instagram) => format!("https://www.instagram.com/p/{id:x}/"),
        Some(Source::Linkedin) => {
            format!("https://www.linkedin.com/feed/update/urn:li:activity:{id}")
        }
        Some(Source::Whatsapp) => format!("https://wa.sandbox.invalid/conversations/{case_id}"),
        Some(Source::Irischat) => format!("https://chat.kpn.example/conversations/{case_id}"),
        _ => format!("https://sandbox.invalid/results/{id}"),
    }
}

fn case_json(
    id: i64,
    search: i64,
    person: i64,
    source: i64,
    handler: Option<i64>,
    closed: bool,
) -> Value {
    json!({
        "caseId": id.to_string(),
        "searchId": search,
        "personId": person.to_string(),
        "source": source,
        "status": if closed { "closed" } else { "open" },
        "handler": handler,
    })
}

/// A case operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseOp {
    Close,
    HandOver(u64),
    Release,
}

/// The body of `POST /_sandbox/inbound`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InboundRequest {
    pub source: String,
    #[serde(default)]
    pub person: Option<Value>,
    pub text: String,
    #[serde(default)]
    pub private: Option<bool>,
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub account: Option<Value>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub labels: Option<Vec<String>>,
}
