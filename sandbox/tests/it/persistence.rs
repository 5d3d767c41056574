//! Persistence with a database file, seed determinism and seeding speed.

use std::time::{Duration, Instant};

use webcare_sandbox::{Sandbox, SandboxConfig};

use crate::common::{private, private_with, Api, Info};

#[tokio::test]
async fn a_database_file_survives_restarts_without_reseeding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let cfg = SandboxConfig {
        db: Some(path.clone()),
        results: 300,
        ..SandboxConfig::default()
    };
    let (sb, api) = private_with(cfg.clone()).await;
    let parent = api
        .get("/results/kpn/limit:100")
        .await
        .results()
        .into_iter()
        .find(|r| r["replyAvailable"] == true)
        .unwrap();
    let pid = parent["uniqueId"].as_u64().unwrap();
    let conn = parent["defaultConnection"].to_string();
    let reply = api
        .post_form(
            &format!("/results/{pid}/replies"),
            &[("message", "durable"), ("connectionId", &conn)],
        )
        .await;
    let rid = reply.data()["uniqueId"].as_u64().unwrap();
    // Acknowledged means committed: another connection sees it right away.
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        let n: i64 = db
            .query_row(
                "SELECT count(*) FROM results WHERE id = ?1",
                [rid as i64],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let total = api.get("/results/kpn/limit:1").await.total();
    let clock_before = sb.now();
    sb.shutdown().await;

    // Restart with another seed and size: the file keeps its own.
    let sb = Sandbox::start(SandboxConfig {
        seed: 7,
        results: 5000,
        ..cfg
    })
    .await
    .unwrap();
    let info = Info::of(&sb);
    assert_eq!(
        info.secret, "sandbox-secret-42",
        "credentials come from the file"
    );
    let api = Api::login(&info.base, &info.client_id, &info.secret).await;
    assert_eq!(api.get("/results/kpn/limit:1").await.total(), total);
    let p = api.get(&format!("/results/{pid}/noContext")).await;
    assert!(p.data()["replies"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!(rid)));
    assert!(sb.now() >= clock_before, "the clock does not go back");
    sb.shutdown().await;
    assert!(path.exists());
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data() {
    let (a, api_a) = private(400).await;
    let (b, api_b) = private(400).await;
    let (c, api_c) = private_with(SandboxConfig {
        seed: 43,
        results: 400,
        ..SandboxConfig::default()
    })
    .await;
    let pa = api_a.get("/results/kpn/limit:100").await;
    let pb = api_b.get("/results/kpn/limit:100").await;
    let pc = api_c.get("/results/kpn/limit:100").await;
    assert_eq!(pa.data(), pb.data());
    assert_ne!(pa.data(), pc.data());
    let ca = api_a.get("/configuration").await;
    let cb = api_b.get("/configuration").await;
    assert_eq!(ca.body["configuration"], cb.body["configuration"]);
    assert_ne!(a.client_secret(), c.client_secret());
    for sb in [a, b, c] {
        sb.shutdown().await;
    }
}

#[tokio::test]
async fn seeding_five_thousand_results_is_fast() {
    let t = Instant::now();
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let took = t.elapsed();
    // Debug builds on a slow machine included; release is far faster.
    assert!(took < Duration::from_secs(20), "seeding took {took:?}");
    let info = Info::of(&sb);
    let api = Api::login(&info.base, &info.client_id, &info.secret).await;
    let mut total = 0;
    for p in ["kpn", "kpn+zakelijk", "ziggo+vergelijking"] {
        total += api.get(&format!("/results/{p}/limit:1")).await.total();
    }
    // 5000 seeded, minus the ~1% deleted.
    assert!((4800..=5000).contains(&total), "{total}");
    sb.shutdown().await;
}
