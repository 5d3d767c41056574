//! The `/_sandbox/` controls, chaos and quotas.

use std::time::{Duration, Instant};

use serde_json::json;
use webcare_sandbox::{ChaosConfig, QuotaConfig, SandboxConfig};

use crate::common::{private, private_with, Api};

#[tokio::test]
async fn clock_moves_forward_only() {
    let (sb, api) = private(300).await;
    let c0 = api.control("GET", "/_sandbox/clock", None).await;
    assert_eq!(c0.status, 200);
    assert!(c0.body["start"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-26T09:00:00"));
    let t0 = c0.body["now_ms"].as_i64().unwrap();
    let c1 = api
        .control(
            "POST",
            "/_sandbox/clock",
            Some(json!({"advance_seconds": 86400})),
        )
        .await;
    assert_eq!(c1.status, 200, "{}", c1.text);
    assert!(c1.body["now_ms"].as_i64().unwrap() >= t0 + 86_400_000);
    let back = api
        .control(
            "POST",
            "/_sandbox/clock",
            Some(json!({"set": "2026-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(back.status, 409);
    assert!(back.error_message().contains("forward"));
    let far = api
        .control(
            "POST",
            "/_sandbox/clock",
            Some(json!({"set": "9999-12-31T23:00:00Z"})),
        )
        .await;
    assert_eq!(far.status, 409);
    let fwd = api
        .control(
            "POST",
            "/_sandbox/clock",
            Some(json!({"set": "2030-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(fwd.status, 200);
    assert!(fwd.body["now"]
        .as_str()
        .unwrap()
        .starts_with("2030-01-01T00:00:0"));
    assert!(sb.now().timestamp() >= 1_893_456_000);
    for bad in [
        json!({}),
        json!({"advance_seconds": -1}),
        json!({"advance_seconds": "soon"}),
        json!({"advance_seconds": 1, "set": "2031-01-01T00:00:00Z"}),
        json!({"set": "tomorrow"}),
        json!({"bogus": 1}),
    ] {
        let r = api
            .control("POST", "/_sandbox/clock", Some(bad.clone()))
            .await;
        assert_eq!(r.status, 400, "{bad}");
        r.error_message();
    }
    // Moving years ahead expired the token (tokens live on the sandbox clock).
    assert_eq!(api.get("/results/kpn/day").await.status, 401);
    let api = Api::login(&api.base, sb.client_id(), sb.client_secret()).await;
    // Relative periods follow the clock: in 2030 nothing is from "today".
    assert!(api.get("/results/kpn/day").await.ids().is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn request_log_records_api_calls() {
    let (sb, api) = private(300).await;
    let before = api.control("GET", "/_sandbox/requests", None).await;
    let last = before.body["last"].as_u64().unwrap();
    api.get("/results/kpn/limit:3").await;
    api.get("/results/nope").await;
    let log = api
        .control("GET", &format!("/_sandbox/requests?since={last}"), None)
        .await;
    let entries = log.body["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{}", log.text);
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[0]["path"], "/results/kpn/limit:3");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[0]["client_id"], sb.client_id());
    assert_eq!(entries[1]["status"], 404);
    assert!(entries[1]["request_id"]
        .as_str()
        .unwrap()
        .starts_with("sbx-"));
    let newer = log.body["last"].as_u64().unwrap();
    let empty = api
        .control("GET", &format!("/_sandbox/requests?since={newer}"), None)
        .await;
    assert!(empty.body["requests"].as_array().unwrap().is_empty());
    assert_eq!(
        api.control("GET", "/_sandbox/requests?since=x", None)
            .await
            .status,
        400
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn injected_errors_carry_error_bodies_and_have_no_side_effects() {
    let (sb, api) = private(300).await;
    let parent = api
        .get("/results/kpn/source:twitter/limit:200")
        .await
        .results()
        .into_iter()
        .find(|r| r["replyAvailable"] == true)
        .unwrap();
    let pid = parent["uniqueId"].as_u64().unwrap();
    for (spec, status) in [
        ("503=1", 503),
        ("500=1", 500),
        ("502=1", 502),
        ("429=1", 429),
    ] {
        let set = api
            .control("POST", "/_sandbox/chaos", Some(json!({"spec": spec})))
            .await;
        assert_eq!(set.status, 200, "{}", set.text);
        let r = api.get("/configuration").await;
        assert_eq!(r.status, status, "{spec}");
        assert!(r.error_message().contains("chaos"));
        assert!(r.header("quota-limit").is_some());
        if status == 429 || status == 503 {
            assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
        }
        let reply = api
            .post_form(
                &format!("/results/{pid}/replies"),
                &[("message", "must not be stored"), ("connectionId", "1")],
            )
            .await;
        assert_eq!(reply.status, status);
        // Controls and the OpenAPI document are never affected.
        assert_eq!(
            api.control("GET", "/_sandbox/clock", None).await.status,
            200
        );
        assert_eq!(api.control("GET", "/openapi.json", None).await.status, 200);
    }
    // The token endpoint only gets 503s and latency.
    api.control("POST", "/_sandbox/chaos", Some(json!({"spec": "503=1"})))
        .await;
    let t = crate::common::token(&api.base, sb.client_id(), sb.client_secret()).await;
    assert_eq!(t.status, 503);
    api.control("POST", "/_sandbox/chaos", Some(json!({"spec": "500=1"})))
        .await;
    let t = crate::common::token(&api.base, sb.client_id(), sb.client_secret()).await;
    assert_eq!(t.status, 200);

    api.control("POST", "/_sandbox/chaos", Some(json!({"spec": "none"})))
        .await;
    let p = api.get(&format!("/results/{pid}/noContext")).await;
    assert_eq!(
        p.data()["replies"],
        parent["replies"],
        "no injected error stored a reply"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_close_without_a_response() {
    let (sb, api) = private(300).await;
    sb.set_chaos(ChaosConfig::parse("drop=1").unwrap()).unwrap();
    let http = reqwest::Client::builder().build().unwrap();
    let err = http
        .get(format!("{}/configuration", api.base))
        .bearer_auth(&api.token)
        .send()
        .await;
    assert!(err.is_err(), "expected a connection error, got {err:?}");

    // dropafter: the reply is committed, but the client never hears about it.
    let parent = {
        sb.set_chaos(ChaosConfig::none()).unwrap();
        api.get("/results/kpn/source:twitter/limit:200")
            .await
            .results()
            .into_iter()
            .find(|r| r["replyAvailable"] == true)
            .unwrap()
    };
    let pid = parent["uniqueId"].as_u64().unwrap();
    sb.set_chaos(ChaosConfig::parse("dropafter=1").unwrap())
        .unwrap();
    let err = http
        .post(format!("{}/results/{pid}/replies", api.base))
        .bearer_auth(&api.token)
        .form(&[("message", "stored but unanswered"), ("connectionId", "1")])
        .send()
        .await;
    assert!(err.is_err());
    sb.set_chaos(ChaosConfig::none()).unwrap();
    let p = api.get(&format!("/results/{pid}/noContext")).await;
    assert_eq!(
        p.data()["replies"].as_array().unwrap().len(),
        parent["replies"].as_array().unwrap().len() + 1
    );
    let log = api.control("GET", "/_sandbox/requests", None).await;
    assert!(log.body["requests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["chaos"] == "drop" && e["status"] == 0));
    sb.shutdown().await;
}

#[tokio::test]
async fn chaos_rates_and_latency_are_roughly_applied() {
    let (sb, api) = private(300).await;
    sb.set_chaos(ChaosConfig::parse("503=0.5").unwrap())
        .unwrap();
    let mut n503 = 0;
    for _ in 0..200 {
        if api.get("/results/kpn/limit:1").await.status == 503 {
            n503 += 1;
        }
    }
    assert!((60..=140).contains(&n503), "{n503} of 200");
    let got = api.control("GET", "/_sandbox/chaos", None).await;
    assert_eq!(got.body["rate_503"], 0.5);
    assert_eq!(got.body["spec"], "503=0.5");
    // What GET returns can be posted back (the spec field is ignored then).
    let mut body = got.body.clone();
    body["rate_503"] = json!(0.0);
    body["latency_ms"] = json!(150);
    let set = api.control("POST", "/_sandbox/chaos", Some(body)).await;
    assert_eq!(set.status, 200, "{}", set.text);
    let t = Instant::now();
    assert_eq!(api.get("/results/kpn/limit:1").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
    for bad in [
        json!({"rate_503": 2}),
        json!({"spec": "600=1"}),
        json!({"bogus": 1}),
    ] {
        let r = api
            .control("POST", "/_sandbox/chaos", Some(bad.clone()))
            .await;
        assert_eq!(r.status, 400, "{bad}");
        r.error_message();
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn the_quota_is_enforced_per_client() {
    let (sb, api) = private_with(SandboxConfig {
        results: 300,
        quota: QuotaConfig::parse("3/hour").unwrap(),
        ..SandboxConfig::default()
    })
    .await;
    for i in 1..=3 {
        let r = api.get("/results/kpn/limit:1").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("quota-used"), Some(i.to_string().as_str()));
        assert_eq!(r.header("quota-limit"), Some("3"));
        assert_eq!(r.header("quota-time-unit"), Some("hour"));
    }
    let r = api.get("/results/kpn/limit:1").await;
    assert_eq!(r.status, 429);
    assert!(r.error_message().contains("quota"));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry));
    // Another client has its own counter.
    let alt = sb.primary_account().other_clients[0].clone();
    let b = Api::login(&api.base, &alt.0, &alt.1).await;
    assert_eq!(b.get("/results/kpn/limit:1").await.status, 200);
    // Raise it.
    let q = api
        .control(
            "POST",
            "/_sandbox/quota",
            Some(json!({"spec": "100/minute"})),
        )
        .await;
    assert_eq!(q.status, 200, "{}", q.text);
    assert_eq!(q.body["limit"], 100);
    assert_eq!(api.get("/results/kpn/limit:1").await.status, 200);
    let g = api.control("GET", "/_sandbox/quota", None).await;
    assert_eq!(g.body["spec"], "100/minute");
    assert_eq!(
        api.control(
            "POST",
            "/_sandbox/quota",
            Some(json!({"limit": 0, "interval": 1, "time_unit": "minute"}))
        )
        .await
        .status,
        400
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn reset_restores_the_seeded_state() {
    let (sb, api) = private(300).await;
    let before = api.get("/results/kpn/limit:50").await;
    let parent = before
        .results()
        .into_iter()
        .find(|r| r["replyAvailable"] == true)
        .unwrap();
    let pid = parent["uniqueId"].as_u64().unwrap();
    let conn = parent["defaultConnection"].to_string();
    api.post_form(
        &format!("/results/{pid}/replies"),
        &[("message", "temporary"), ("connectionId", &conn)],
    )
    .await
    .data();
    api.control(
        "POST",
        "/_sandbox/clock",
        Some(json!({"advance_seconds": 1000})),
    )
    .await;
    api.get("/results/kpn/new+results:true").await.data();
    sb.set_chaos(ChaosConfig::parse("latency=1ms").unwrap())
        .unwrap();
    let r = api.control("POST", "/_sandbox/reset", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["reset"], true);
    assert!(sb.chaos() == ChaosConfig::none());
    // The token still works; the data is as seeded.
    let after = api.get("/results/kpn/limit:50").await;
    assert_eq!(after.data(), before.data());
    let clock = api.control("GET", "/_sandbox/clock", None).await;
    assert!(clock.body["now"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-26T09:0"));
    // Markers were cleared: new results start from the beginning.
    let fresh = api.get("/results/kpn/new+results:true/limit:1000").await;
    assert_eq!(fresh.ids().len() as u64, after.total());
    assert_eq!(
        api.control("GET", "/_sandbox/reset", None).await.status,
        405
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn accounts_control_lists_credentials() {
    let (sb, api) = private(300).await;
    let r = api.control("GET", "/_sandbox/accounts", None).await;
    assert_eq!(r.status, 200);
    let accounts = r.body["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["client_id"], sb.client_id());
    assert_eq!(accounts[0]["client_secret"], sb.client_secret());
    assert_eq!(
        accounts[1]["client_id"],
        sb.second_account().client_id.as_str()
    );
    assert_eq!(
        accounts[1]["client_secret"],
        sb.second_account().client_secret.as_str()
    );
    assert_eq!(accounts[0]["clients"].as_array().unwrap().len(), 2);
    let index = api.control("GET", "/_sandbox", None).await;
    assert!(index.body["controls"].is_array());
    let nothing = api.control("GET", "/_sandbox/nothing", None).await;
    assert_eq!(nothing.status, 404);
    nothing.error_message();
    assert!(!format!("{:?}", sb.second_account()).contains(&sb.second_account().client_secret));
    sb.shutdown().await;
}
