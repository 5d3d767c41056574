//! Integration tests: each test starts the sandbox in-process on a free port and runs the built
//! `webcare` binary against it with `WEBCARE_*` variables.

// Test helpers outside `#[test]` functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use webcare_sandbox::{Sandbox, SandboxConfig};

const BIN: &str = env!("CARGO_BIN_EXE_webcare");

/// A sandbox with a small data set (fast to seed).
async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        results: 800,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts")
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("not one JSON value ({e}): {}", self.stdout))
    }

    fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
            .collect()
    }

    #[track_caller]
    fn ok(self) -> Out {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout: {}\nstderr: {}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// Run `webcare ARGS` with the given environment (nothing inherited from `WEBCARE_*`).
async fn run_with(env: Vec<(String, String)>, args: &[&str]) -> Out {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(BIN);
        for k in [
            "WEBCARE_BASE_URL",
            "WEBCARE_CLIENT_ID",
            "WEBCARE_CLIENT_SECRET",
            "WEBCARE_TOKEN_URL",
            "RUST_LOG",
        ] {
            cmd.env_remove(k);
        }
        cmd.envs(env).args(&args);
        let o = cmd.output().expect("run webcare");
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    })
    .await
    .expect("join")
}

fn env_for(sb: &Sandbox) -> Vec<(String, String)> {
    vec![
        ("WEBCARE_BASE_URL".into(), sb.base_url()),
        ("WEBCARE_CLIENT_ID".into(), sb.client_id().to_string()),
        (
            "WEBCARE_CLIENT_SECRET".into(),
            sb.client_secret().to_string(),
        ),
    ]
}

async fn run(sb: &Sandbox, args: &[&str]) -> Out {
    run_with(env_for(sb), args).await
}

/// An inbound (customer) result with a case, from the `kpn` profile.
async fn customer_result(sb: &Sandbox, source: &str) -> Value {
    let out = run(
        sb,
        &[
            "results", "kpn", "--source", source, "--limit", "50", "--json",
        ],
    )
    .await
    .ok();
    out.json_lines()
        .into_iter()
        .find(|r| r["own"] == Value::Bool(false) && r["caseId"].is_string())
        .expect("a customer result")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_shows_users_and_profiles() {
    let sb = sandbox().await;
    let table = run(&sb, &["config"]).await.ok();
    assert!(table.stdout.contains("Users ("), "{}", table.stdout);
    assert!(table.stdout.contains("kpn"), "{}", table.stdout);
    let cfg = run(&sb, &["config", "--json"]).await.ok().json();
    let users = cfg["account"]["users"].as_array().unwrap();
    assert!(!users.is_empty());
    assert!(users.iter().all(|u| u["id"].as_u64().is_some()));
    let names: Vec<&str> = cfg["account"]["searches"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&"kpn"), "{names:?}");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_honour_filters() {
    let sb = sandbox().await;
    let rows = run(
        &sb,
        &[
            "results",
            "kpn",
            "--source",
            "twitter,facebook",
            "--sentiment",
            "negative",
            "--limit",
            "40",
            "--json",
        ],
    )
    .await
    .ok()
    .json_lines();
    assert!(!rows.is_empty());
    for r in &rows {
        assert!(r["source"] == 3 || r["source"] == 6, "{r}");
        assert_eq!(r["sentiment"], -1, "{r}");
    }

    // The same through a raw filter path, merged with a flag.
    let rows = run(
        &sb,
        &[
            "results",
            "kpn",
            "--filter",
            "source:whatsapp/very+negative",
            "--limit",
            "20",
            "--json",
        ],
    )
    .await
    .ok()
    .json_lines();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r["source"], 12, "{r}");
        assert_eq!(r["sentiment"], -2, "{r}");
    }

    // least-recent order gives ascending ids.
    let rows = run(
        &sb,
        &[
            "results",
            "kpn",
            "--order",
            "least-recent",
            "--limit",
            "10",
            "--json",
        ],
    )
    .await
    .ok()
    .json_lines();
    let ids: Vec<u64> = rows
        .iter()
        .map(|r| r["uniqueId"].as_u64().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);

    // The table.
    let table = run(
        &sb,
        &["results", "kpn", "--source", "twitter", "--limit", "3"],
    )
    .await
    .ok();
    for col in [
        "id",
        "time",
        "source",
        "sentiment",
        "case",
        "text",
        "twitter",
    ] {
        assert!(table.stdout.contains(col), "{col}: {}", table.stdout);
    }
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pages_with_a_limit() {
    let sb = sandbox().await;
    let rows = run(
        &sb,
        &[
            "results",
            "kpn",
            "--all",
            "--limit",
            "130",
            "--page-size",
            "50",
            "--json",
        ],
    )
    .await
    .ok()
    .json_lines();
    assert_eq!(rows.len(), 130);
    let mut ids: Vec<u64> = rows
        .iter()
        .map(|r| r["uniqueId"].as_u64().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 130, "no duplicates across pages");

    let one_page = run(&sb, &["results", "kpn", "--limit", "7", "--json"])
        .await
        .ok()
        .json_lines();
    assert_eq!(one_page.len(), 7);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_with_and_without_context() {
    let sb = sandbox().await;
    let r = customer_result(&sb, "twitter").await;
    let id = r["uniqueId"].as_u64().unwrap().to_string();
    let full = run(&sb, &["result", &id, "--json"]).await.ok().json();
    assert_eq!(full["result"]["uniqueId"], r["uniqueId"]);
    assert!(full["context"].is_array());
    let alone = run(&sb, &["result", &id, "--no-context", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(alone["uniqueId"], r["uniqueId"]);
    assert!(alone.get("context").is_none());
    let text = run(&sb, &["result", &id]).await.ok();
    assert!(
        text.stdout.contains(&format!("Result #{id}")),
        "{}",
        text.stdout
    );

    let missing = run(&sb, &["result", "999999999"]).await;
    assert_eq!(missing.code, 4, "{}", missing.stderr);
    assert!(missing.stderr.contains("NotFound"), "{}", missing.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_and_a_reply_that_lands_in_the_case() {
    let sb = sandbox().await;
    let r = customer_result(&sb, "facebook").await;
    let id = r["uniqueId"].as_u64().unwrap().to_string();

    let ack = run(&sb, &["event", &id, "starttyping", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(ack["ok"], true);
    assert_eq!(ack["event"], "starttyping");
    let text = run(&sb, &["event", &id, "opened"]).await.ok();
    assert!(text.stdout.contains("Sent 'opened'"), "{}", text.stdout);

    let sent = run(
        &sb,
        &[
            "reply",
            &id,
            "--message",
            "Sorry to hear that, we are on it!",
            "--json",
        ],
    )
    .await
    .ok()
    .json();
    let reply_id = sent["reply_id"].as_u64().expect("reply id");
    assert_eq!(sent["reply"]["own"], true);
    run(&sb, &["event", &id, "stoptyping"]).await.ok();

    let after = run(&sb, &["result", &id, "--json"]).await.ok().json();
    let in_context = after["context"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["uniqueId"].as_u64() == Some(reply_id) && c["own"] == true);
    let in_replies = after["result"]["replies"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x.as_str() == Some(reply_id.to_string().as_str()));
    assert!(in_context && in_replies, "{after}");

    // Human output names the reply; a private reply from an explicit connection.
    let conn = r["defaultConnection"].as_u64().unwrap().to_string();
    let text = run(
        &sb,
        &[
            "reply",
            &id,
            "-m",
            "Check your DMs",
            "--connection",
            &conn,
            "--private",
        ],
    )
    .await
    .ok();
    assert!(
        text.stdout.starts_with(&format!(
            "Replied to #{id} from connection {conn}, privately (reply #"
        )),
        "{}",
        text.stdout
    );

    let empty = run(&sb, &["reply", &id, "--message", "   "]).await;
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_handover_release_and_close() {
    let sb = sandbox().await;
    let cfg = run(&sb, &["config", "--json"]).await.ok().json();
    let handler = cfg["account"]["users"].as_array().unwrap().last().unwrap()["id"]
        .as_u64()
        .unwrap()
        .to_string();
    let r = customer_result(&sb, "twitter").await;
    let id = r["uniqueId"].as_u64().unwrap().to_string();
    let search = r["searchId"].as_u64().unwrap().to_string();
    let case = r["caseId"].as_str().unwrap().to_string();

    let out = run(&sb, &["case", "handover", &search, &case, &handler])
        .await
        .ok();
    assert!(
        out.stdout.contains(&format!("over to handler {handler}")),
        "{}",
        out.stdout
    );
    let now = run(&sb, &["result", &id, "--no-context", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(now["handler"].to_string(), handler, "{now}");

    let ack = run(&sb, &["case", "release", &search, &case, "--json"])
        .await
        .ok()
        .json();
    assert_eq!(ack["op"], "release");
    let now = run(&sb, &["result", &id, "--no-context", "--json"])
        .await
        .ok()
        .json();
    assert!(now["handler"].is_null(), "{now}");

    run(&sb, &["case", "close", &search, &case]).await.ok();
    let now = run(&sb, &["result", &id, "--no-context", "--json"])
        .await
        .ok()
        .json();
    assert_eq!(now["caseStatus"], "closed", "{now}");

    let missing = run(&sb, &["case", "close", &search, "999999"]).await;
    assert_eq!(missing.code, 4, "{}", missing.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_prints_a_token() {
    let sb = sandbox().await;
    let cfg = run(&sb, &["config", "--json"]).await.ok().json();
    let email = cfg["account"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|u| u["email"].as_str())
        .unwrap()
        .to_string();
    let t = run(&sb, &["sso", &email, "--json"]).await.ok().json();
    assert!(t["token"].as_str().is_some_and(|s| s.len() >= 16), "{t}");
    assert_eq!(t["email"], email.as_str());
    let text = run(&sb, &["sso", &email]).await.ok();
    assert!(text.stdout.starts_with("token "), "{}", text.stdout);
    let unknown = run(&sb, &["sso", "nobody@example.invalid"]).await;
    assert_eq!(unknown.code, 4, "{}", unknown.stderr);
    let invalid = run(&sb, &["sso", "not-an-email"]).await;
    assert_eq!(invalid.code, 2, "{}", invalid.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sentiment_in_english_and_dutch() {
    let en = run_with(
        vec![],
        &[
            "sentiment",
            "--lang",
            "en",
            "--json",
            "This is terrible, my internet is down again!",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(en["language"], "en");
    assert!(en["value"].as_i64().unwrap() < 0, "{en}");
    assert!(en["compound"].as_f64().unwrap() < -0.05, "{en}");

    let nl = run_with(
        vec![],
        &[
            "sentiment",
            "--lang",
            "nl",
            "--json",
            "Super bedankt, alles werkt weer perfect!",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(nl["language"], "nl");
    assert!(nl["value"].as_i64().unwrap() > 0, "{nl}");

    let auto = run_with(
        vec![],
        &[
            "sentiment",
            "Mijn internet werkt alweer niet, dit is echt slecht",
        ],
    )
    .await
    .ok();
    assert!(auto.stdout.contains("language nl"), "{}", auto.stdout);
    assert!(auto.stdout.contains("negative"), "{}", auto.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_errors_are_clear_usage_errors() {
    let sb = sandbox().await;
    let out = run(
        &sb,
        &["results", "kpn", "--filter", "source:twitter/bogus:1"],
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown filter segment 'bogus:1'"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());

    let out = run(
        &sb,
        &[
            "results",
            "kpn",
            "--filter",
            "negative",
            "--sentiment",
            "positive",
        ],
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--sentiment"), "{}", out.stderr);

    let out = run(&sb, &["results", "kpn", "--source", "myspace"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown source 'myspace'"),
        "{}",
        out.stderr
    );

    let out = run(&sb, &["watch", "kpn", "--order", "least-recent"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_credentials_exit_3_without_printing_the_secret() {
    let sb = sandbox().await;
    let wrong = "wrong-secret-3f9a7c1e55";
    let mut env = env_for(&sb);
    env.retain(|(k, _)| k != "WEBCARE_CLIENT_SECRET");
    env.push(("WEBCARE_CLIENT_SECRET".into(), wrong.into()));
    for args in [&["config"][..], &["-vvv", "results", "kpn", "--limit", "1"]] {
        let out = run_with(env.clone(), args).await;
        assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("Auth"), "{}", out.stderr);
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.contains(wrong), "the secret leaked: {text}");
            assert!(
                !text.contains(sb.client_secret()),
                "the secret leaked: {text}"
            );
        }
    }

    // Even with -vvv and the right secret, no secret or token is logged.
    let out = run(&sb, &["-vvv", "results", "kpn", "--limit", "1"])
        .await
        .ok();
    assert!(!out.stderr.contains(sb.client_secret()), "{}", out.stderr);
    assert!(!out.stdout.contains(sb.client_secret()));

    let missing = run_with(
        vec![("WEBCARE_BASE_URL".into(), sb.base_url())],
        &["config"],
    )
    .await;
    assert_eq!(missing.code, 8, "{}", missing.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_never_shows_the_secret_from_env() {
    let secret = "env-secret-value-8d2b44";
    let env = vec![
        ("WEBCARE_CLIENT_SECRET".to_string(), secret.to_string()),
        ("WEBCARE_CLIENT_ID".to_string(), "some-client".to_string()),
    ];
    for args in [
        &["--help"][..],
        &["-h"],
        &["results", "--help"],
        &["config", "--help"],
        &["help", "reply"],
    ] {
        let out = run_with(env.clone(), args).await.ok();
        assert!(!out.stdout.contains(secret), "{args:?}: {}", out.stdout);
        assert!(!out.stderr.contains(secret));
    }
    let out = run_with(env, &["--help"]).await.ok();
    assert!(out.stdout.contains("WEBCARE_CLIENT_SECRET"));
    assert!(out.stdout.contains("Exit codes"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_prints_new_results_as_they_arrive() {
    let sb = sandbox().await;
    let env = env_for(&sb);
    let watcher = tokio::spawn(run_with(
        env,
        &[
            "watch",
            "kpn",
            "--source",
            "whatsapp",
            "--count",
            "2",
            "--interval",
            "0.2",
            "--json",
        ],
    ));
    let http = reqwest::Client::new();
    // Wait until the watcher has taken its starting point (its first search, `limit:1`), so
    // the messages below arrive after it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let log: Value = http
            .get(format!("{}/_sandbox/requests", sb.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let started = log["requests"].as_array().unwrap().iter().any(|e| {
            let path = e["path"].as_str().unwrap_or("");
            path.starts_with("/results/kpn/")
                && format!("{path}/").contains("/most+recent/limit:1/")
                && e["status"] == 200
        });
        if started {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the watcher never polled: {log}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for (source, text) in [
        ("twitter", "not for the watcher: wrong source"),
        ("whatsapp", "watch one: mijn tv doet het niet"),
        ("whatsapp", "watch two: still no TV"),
    ] {
        let resp = http
            .post(format!("{}/_sandbox/inbound", sb.base_url()))
            .json(&serde_json::json!({"source": source, "text": text}))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
    }
    let out = tokio::time::timeout(Duration::from_secs(30), watcher)
        .await
        .expect("watch ends after --count results")
        .unwrap()
        .ok();
    let texts: Vec<String> = out
        .json_lines()
        .iter()
        .map(|r| r["description"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        texts,
        vec!["watch one: mijn tv doet het niet", "watch two: still no TV"]
    );
    assert!(out.stderr.contains("Last id:"), "{}", out.stderr);
    sb.shutdown().await;
}
