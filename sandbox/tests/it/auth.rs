//! Token endpoint, bearer authentication, expiry, revocation, cross-account isolation.

use serde_json::json;

use crate::common::{private, read, shared, token, Api};

#[tokio::test]
async fn token_endpoint_issues_all_string_tokens() {
    let s = shared();
    let t = token(&s.base, &s.client_id, &s.secret).await;
    assert_eq!(t.status, 200, "{}", t.text);
    let obj = t.body.as_object().unwrap();
    for (k, v) in obj {
        assert!(v.is_string(), "{k} is not a string: {v}");
    }
    assert_eq!(t.body["token_type"], "Bearer");
    assert_eq!(t.body["expires_in"], "3599");
    assert_eq!(t.body["status"], "approved");
    assert_eq!(t.body["client_id"], s.client_id.as_str());
    assert!(
        t.body["issued_at"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 1_700_000_000_000
    );
    assert!(t.body["access_token"].as_str().unwrap().len() >= 20);
    assert!(t.header("x-request-id").is_some());
    // Every call gives a new token; both work.
    let t2 = token(&s.base, &s.client_id, &s.secret).await;
    assert_ne!(t.body["access_token"], t2.body["access_token"]);
}

#[tokio::test]
async fn token_endpoint_rejects_bad_requests() {
    let s = shared();
    let bad = token(&s.base, &s.client_id, "wrong").await;
    assert_eq!(bad.status, 401);
    assert_eq!(bad.body["ErrorCode"], "invalid_client");
    assert!(bad.body["Error"].is_string());
    let unknown = token(&s.base, "nobody", "x").await;
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.body["ErrorCode"], "invalid_client");

    let http = reqwest::Client::new();
    let url = format!("{}/oauth/client_credential/accesstoken", s.base);
    let form = [
        ("client_id", s.client_id.as_str()),
        ("client_secret", s.secret.as_str()),
    ];
    let missing = read(http.post(&url).form(&form).send().await.unwrap()).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.body["ErrorCode"], "invalid_request");
    assert!(missing.body["Error"]
        .as_str()
        .unwrap()
        .contains("grant_type"));
    let wrong = read(
        http.post(format!("{url}?grant_type=password"))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(wrong.body["ErrorCode"], "unsupported_grant_type");
    let no_id = read(
        http.post(format!("{url}?grant_type=client_credentials"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(no_id.status, 401);
    let get = read(http.get(&url).send().await.unwrap()).await;
    assert_eq!(get.status, 405);
    // HTTP Basic credentials are accepted too.
    let basic = read(
        http.post(format!("{url}?grant_type=client_credentials"))
            .basic_auth(&s.client_id, Some(&s.secret))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(basic.status, 200, "{}", basic.text);
}

#[tokio::test]
async fn api_rejects_missing_malformed_and_unknown_tokens() {
    let s = shared();
    let http = reqwest::Client::new();
    let url = format!("{}/configuration", s.base);
    let cases: Vec<(Option<&str>, &str)> = vec![
        (None, "missing Authorization"),
        (Some("Basic abc"), "malformed"),
        (Some("Bearer"), "malformed"),
        (Some("Bearer    "), "malformed"),
        (Some("Bearer not-a-token"), "invalid access token"),
    ];
    for (header, expect) in cases {
        let mut req = http.get(&url);
        if let Some(h) = header {
            req = req.header("authorization", h);
        }
        let r = read(req.send().await.unwrap()).await;
        assert_eq!(r.status, 401, "{header:?}: {}", r.text);
        let msg = r.error_message();
        assert!(msg.contains(expect), "{header:?}: {msg}");
        assert!(r.header("www-authenticate").is_some());
        assert!(r.header("quota-limit").is_some());
        assert!(!r.text.contains("not-a-token"), "the token is not echoed");
    }
}

#[tokio::test]
async fn tokens_expire_by_the_sandbox_clock_and_can_be_revoked() {
    let (sb, api) = private(300).await;
    assert_eq!(api.get("/configuration").await.status, 200);
    api.control(
        "POST",
        "/_sandbox/clock",
        Some(json!({"advance_seconds": 3000})),
    )
    .await;
    assert_eq!(api.get("/configuration").await.status, 200);
    sb.advance_clock(std::time::Duration::from_secs(600));
    let r = api.get("/configuration").await;
    assert_eq!(r.status, 401);
    assert!(r.error_message().contains("expired"), "{}", r.text);

    let api = Api::login(&api.base, sb.client_id(), sb.client_secret()).await;
    assert_eq!(api.get("/configuration").await.status, 200);
    let rv = api
        .control(
            "POST",
            "/_sandbox/tokens/revoke",
            Some(json!({"client_id": sb.client_id()})),
        )
        .await;
    assert_eq!(rv.status, 200, "{}", rv.text);
    assert!(rv.body["revoked"].as_u64().unwrap() >= 1);
    let r = api.get("/configuration").await;
    assert_eq!(r.status, 401);
    assert!(r.error_message().contains("revoked"));
    let unknown = api
        .control(
            "POST",
            "/_sandbox/tokens/revoke",
            Some(json!({"client_id": "nobody"})),
        )
        .await;
    assert_eq!(unknown.status, 404);
    let again = Api::login(&api.base, sb.client_id(), sb.client_secret()).await;
    assert_eq!(again.get("/configuration").await.status, 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn another_accounts_objects_are_not_found() {
    let s = shared();
    let a = Api::shared().await;
    let b = Api::login(&s.base, &s.second_id, &s.second_secret).await;

    let conf = b.get("/configuration").await;
    let account = &conf.body["configuration"]["account"];
    assert_eq!(account["company"], "Sandbox Second BV");
    assert_eq!(account["searches"].as_array().unwrap().len(), 1);
    assert_eq!(account["searches"][0]["name"], "second");

    let b_results = b.get("/results/second/limit:100").await.results();
    assert!(
        b_results.len() >= 10,
        "the second account has a few results"
    );
    let b_id = b_results[0]["uniqueId"].as_u64().unwrap();
    let a_result = &a.get("/results/kpn/source:twitter/limit:1").await.results()[0];
    let a_id = a_result["uniqueId"].as_u64().unwrap();
    let a_case = a_result["caseId"].as_str().unwrap();
    let a_search = a_result["searchId"].as_u64().unwrap();

    // A's objects, seen by B: 404 everywhere (no write happens).
    for r in [
        b.get(&format!("/results/{a_id}")).await,
        b.get(&format!("/results/{a_id}/noContext")).await,
        b.get("/results/kpn").await,
        b.post_form(
            &format!("/results/{a_id}/replies"),
            &[("message", "hi"), ("connectionId", "101")],
        )
        .await,
        b.post(&format!("/results/{a_id}/event/opened")).await,
        b.post(&format!("/searches/{a_search}/cases/{a_case}/close"))
            .await,
        b.post(&format!(
            "/searches/{a_search}/cases/{a_case}/releaseHandler"
        ))
        .await,
        b.get("/ssoAccessToken/sanne.devries@kpn.example").await,
    ] {
        assert_eq!(r.status, 404, "{}", r.text);
        r.error_message();
    }
    // And B's, seen by A.
    assert_eq!(a.get(&format!("/results/{b_id}")).await.status, 404);
    assert_eq!(a.get("/results/second").await.status, 404);
    // Each sees its own.
    assert_eq!(b.get(&format!("/results/{b_id}")).await.status, 200);
    assert_eq!(a.get(&format!("/results/{a_id}")).await.status, 200);
}
