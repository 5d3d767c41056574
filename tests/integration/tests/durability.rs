#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Durability: the sandbox process is killed with SIGKILL in the middle of a burst of replies and
//! restarted on the same `--db`. Every reply that got a success response is there (once), no
//! failed reply is there twice, and the database passes `PRAGMA integrity_check`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use webcare::{Client, Filter, NextPage, ReplyRequest, RetryPolicy};
use webcare_integration_tests::find_unique_id;

struct Proc {
    child: Child,
    info: Value,
}

fn start(db: &Path) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sandbox-proc"))
        .args(["--port", "0", "--json", "--results", "300"])
        .args(["--quota", "1000000000/minute", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sandbox-proc starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    Proc { child, info }
}

impl Proc {
    fn base(&self) -> String {
        self.info["base_url"].as_str().unwrap().to_string()
    }
    fn client(&self) -> Client {
        Client::builder()
            .base_url(self.base())
            .client_id(self.info["client_id"].as_str().unwrap())
            .client_secret(self.info["client_secret"].as_str().unwrap())
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_replies_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.db");
    let mut proc = start(&db);
    let base = proc.base();
    let http = reqwest::Client::new();
    let run = format!("durab{}", std::process::id());
    let mut parents = Vec::new();
    for i in 0..20 {
        let v: Value = http
            .post(format!("{base}/_sandbox/inbound"))
            .json(&json!({ "source": "twitter", "text": format!("{run} parent {i}"), "private": false }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        parents.push(find_unique_id(&v).unwrap());
    }
    let client = proc.client();
    client.configuration().await.unwrap();

    // The burst: 8 tasks reply as fast as they can until the process dies.
    let ok: Arc<Mutex<Vec<String>>> = Arc::default();
    let failed: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for t in 0..8 {
        let (client, ok, failed, stop, counter, parents, run) = (
            client.clone(),
            ok.clone(),
            failed.clone(),
            stop.clone(),
            counter.clone(),
            parents.clone(),
            run.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let parent = parents[(n as usize) % parents.len()];
                let text = format!("{run} reply {n} from task {t}");
                match client
                    .results()
                    .reply(parent, &ReplyRequest::new(&text).connection(1))
                    .await
                {
                    Ok(_) => ok.lock().unwrap().push(text),
                    Err(_) => failed.lock().unwrap().push(text),
                }
            }
        }));
    }
    // Kill it mid-burst, once a good number of replies were acknowledged.
    for _ in 0..600 {
        if ok.lock().unwrap().len() >= 60 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    proc.child.kill().unwrap(); // SIGKILL on Unix
    proc.child.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let ok = ok.lock().unwrap().clone();
    let failed = failed.lock().unwrap().clone();
    assert!(ok.len() >= 60, "only {} replies acknowledged", ok.len());
    assert!(
        !failed.is_empty(),
        "the kill did not interrupt the burst ({} ok)",
        ok.len()
    );

    // The file is intact (opening it recovers the WAL, as the sandbox's restart would).
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    // Restart on the same file: every acknowledged reply is there exactly once.
    let proc2 = start(&db);
    let client = proc2.client();
    let mut stored: HashMap<String, u32> = HashMap::new();
    let mut pager =
        client
            .results()
            .keyset_pager("kpn", &Filter::new().word(run.clone()).limit(1000), 0, None);
    while let Some(page) = pager.next_page().await.unwrap() {
        for r in page.results.into_iter().filter(|r| r.own) {
            *stored.entry(r.description.unwrap_or_default()).or_default() += 1;
        }
    }
    for text in &ok {
        assert_eq!(stored.get(text), Some(&1), "acknowledged reply '{text}'");
    }
    for text in &failed {
        assert!(stored.get(text).copied().unwrap_or(0) <= 1, "'{text}'");
    }
    println!(
        "durability: {} acknowledged, {} failed at the kill, {} stored",
        ok.len(),
        failed.len(),
        stored.len()
    );
}
