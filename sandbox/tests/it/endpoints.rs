//! Happy paths of every endpoint, the envelope, headers and decoding with the client's models.

use serde_json::Value;
use webcare::{Configuration, Filter, Source, WebcareResult};

use crate::common::{read, shared, Api};

#[tokio::test]
async fn configuration_is_beside_data_and_decodes() {
    let api = Api::shared().await;
    let r = api.get("/configuration").await;
    assert_eq!(r.status, 200);
    assert!(r.data().is_object());
    assert_eq!(r.body["metadata"]["values"]["url"], "configuration");
    assert_eq!(r.body["metadata"]["method"], "get");
    assert!(r.body["metadata"]["duration"].is_number());
    assert_eq!(r.body["messages"], Value::Array(vec![]));
    let conf: Configuration = serde_json::from_value(r.body["configuration"].clone()).unwrap();
    assert_eq!(conf.account.company, "KPN");
    assert!(conf.account.users.len() >= 5);
    assert!(conf.account.users.iter().all(|u| u.email.is_some()));
    for name in ["kpn", "kpn zakelijk", "ziggo vergelijking"] {
        let s = conf
            .search(name)
            .unwrap_or_else(|| panic!("no search {name}"));
        assert!(!s.webcare_tabs.is_empty());
        for tab in &s.webcare_tabs {
            Filter::parse(&tab.filters).unwrap();
            for sub in &tab.sub_tabs {
                Filter::parse(&sub.filters).unwrap();
            }
        }
    }
    for src in Source::ALL {
        assert_eq!(conf.globals.sources.get(src.as_str()), Some(&src.id()));
    }
    for src in [
        Source::Twitter,
        Source::Facebook,
        Source::Instagram,
        Source::Whatsapp,
        Source::Irischat,
    ] {
        assert!(
            conf.account
                .connections
                .iter()
                .any(|c| c.source == Some(src.id())),
            "no connection for {src}"
        );
    }
    assert_eq!(conf.globals.activities.get("respond"), Some(&3));
    assert_eq!(conf.globals.statusses.get("deleted"), Some(&5));
}

#[tokio::test]
async fn every_api_response_has_quota_and_request_id_headers() {
    let api = Api::shared().await;
    for path in [
        "/configuration",
        "/results/kpn/limit:1",
        "/results/nope",
        "/nothing",
    ] {
        let r = api.get(path).await;
        assert!(r.header("x-request-id").is_some(), "{path}");
        if path != "/nothing" {
            for h in [
                "quota-limit",
                "quota-interval",
                "quota-time-unit",
                "quota-used",
                "quota-reset-utc",
            ] {
                assert!(r.header(h).is_some(), "{path} lacks {h}");
            }
            let reset = r.header("quota-reset-utc").unwrap();
            chrono::DateTime::parse_from_rfc3339(reset).unwrap();
        }
    }
    let http = reqwest::Client::new();
    let r = read(
        http.get(format!("{}/_sandbox/clock", api.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(r.header("x-request-id").is_some());
}

#[tokio::test]
async fn search_returns_results_keyed_by_id_with_count_and_total() {
    let api = Api::shared().await;
    let r = api.get("/results/kpn").await;
    let results = r.results();
    assert_eq!(results.len(), 25, "default page size");
    assert!(r.total() >= 3000);
    assert_eq!(r.body["metadata"]["values"]["url"], "results/kpn");
    let ids = r.ids();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "most recent first");
    for v in results {
        let typed: WebcareResult = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(typed.search_id, Some(1));
        assert!(typed.case_id.is_some() && typed.person_id.is_some());
        assert!(typed.timestamp_ms().is_some());
        assert!(typed.time.as_deref().unwrap().ends_with('Z'));
        assert!((-2..=2).contains(&typed.sentiment));
        assert!((1..=5).contains(&typed.result_type));
        assert!(typed.extra.contains_key("language"));
        assert_ne!(typed.status, 5);
    }
    // A profile name with a space, both encodings.
    let a = api.get("/results/kpn+zakelijk/limit:5").await.ids();
    let b = api.get("/results/kpn%20zakelijk/limit:5").await.ids();
    assert_eq!(a, b);
    assert_eq!(a.len(), 5);
}

#[tokio::test]
async fn the_production_prefix_serves_the_same_api() {
    let api = Api::shared().await;
    let root = api.get("/results/kpn/source:twitter/limit:5").await;
    let prod = api
        .get("/communication/tracebuzz/social-media-webcare/results/kpn/source:twitter/limit:5")
        .await;
    assert_eq!(root.data(), prod.data());
    assert_eq!(
        prod.body["metadata"]["values"]["url"],
        "results/kpn/source:twitter/limit:5"
    );
    let c = api
        .get("/communication/tracebuzz/social-media-webcare/configuration")
        .await;
    assert!(c.body["configuration"].is_object());
}

#[tokio::test]
async fn one_result_with_and_without_context() {
    let api = Api::shared().await;
    // A result that has a reply.
    let all = api
        .get("/results/kpn/source:twitter/limit:500")
        .await
        .results();
    let parent = all
        .iter()
        .find(|r| !r["replies"].as_array().unwrap().is_empty())
        .expect("a result with replies");
    let id = parent["uniqueId"].as_u64().unwrap();
    let reply_id = parent["replies"][0].as_u64().unwrap();

    let nc = api.get(&format!("/results/{id}/noContext")).await;
    assert_eq!(nc.data(), parent);
    assert!(nc.data().get("context").is_none());

    let wc = api.get(&format!("/results/{id}")).await;
    let data = wc.data();
    assert_eq!(data["uniqueId"], parent["uniqueId"]);
    let ctx = data["context"].as_array().unwrap();
    assert!(ctx.len() <= 10);
    let ctx_ids: Vec<u64> = ctx
        .iter()
        .map(|c| c["uniqueId"].as_u64().unwrap())
        .collect();
    assert!(ctx_ids.windows(2).all(|w| w[0] < w[1]), "oldest first");
    assert!(
        !ctx_ids.contains(&id),
        "the result itself is not in its context"
    );
    assert!(ctx.iter().all(|c| c["caseId"] == parent["caseId"]));
    assert!(ctx.iter().all(|c| c["status"] != 5));
    if ctx.len() < 10 {
        assert!(ctx_ids.contains(&reply_id));
    }
    let reply = api.get(&format!("/results/{reply_id}/noContext")).await;
    assert_eq!(reply.data()["own"], 1);
    assert_eq!(reply.data()["parentId"], parent["uniqueId"]);

    let one = api.get(&format!("/results/{id}?limit=1")).await;
    assert!(one.data()["context"].as_array().unwrap().len() <= 1);
    let none = api.get(&format!("/results/{id}?limit=0")).await;
    assert_eq!(none.data()["context"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn sso_tokens_are_regenerated_each_call() {
    let api = Api::shared().await;
    let a = api.get("/ssoAccessToken/sanne.devries@kpn.example").await;
    let b = api.get("/ssoAccessToken/SANNE.DEVRIES@kpn.example").await;
    let (da, db) = (a.data(), b.data());
    assert!(da["token"].as_str().unwrap().len() >= 20);
    assert_ne!(da["token"], db["token"]);
    chrono::DateTime::parse_from_rfc3339(da["expires"].as_str().unwrap()).unwrap();
    let typed = webcare::SsoToken::from_data(da.clone()).unwrap();
    assert!(typed.token.is_some() && typed.expires.is_some());
    let unknown = api.get("/ssoAccessToken/nobody@kpn.example").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.error_message().contains("nobody@kpn.example"));
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_get_error_bodies() {
    let api = Api::shared().await;
    let r = api.get("/does/not/exist").await;
    assert_eq!(r.status, 404);
    r.error_message();
    let r = api.post("/configuration").await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET"));
    r.error_message();
    let r = read(
        api.http
            .delete(format!("{}/results/1000001", api.base))
            .bearer_auth(&api.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 405);
    r.error_message();
    let r = api.get("/results/1000001/replies").await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
}

#[tokio::test]
async fn openapi_document_describes_every_route() {
    let s = shared();
    let r = read(
        reqwest::get(format!("{}/openapi.json", s.base))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["openapi"], "3.0.3");
    let paths = r.body["paths"].as_object().unwrap();
    for p in [
        "/oauth/client_credential/accesstoken",
        "/configuration",
        "/ssoAccessToken/{email}",
        "/results/{resultId}",
        "/results/{resultId}/noContext",
        "/results/{profile}/{filters}",
        "/results/{resultId}/replies",
        "/results/{resultId}/event/{event}",
        "/searches/{searchId}/cases/{caseId}/close",
        "/searches/{searchId}/cases/{caseId}/close/handOverToHandler/{handlerId}",
        "/searches/{searchId}/cases/{caseId}/releaseHandler",
        "/_sandbox/inbound",
        "/_sandbox/reset",
        "/_sandbox/clock",
        "/_sandbox/requests",
        "/_sandbox/chaos",
        "/_sandbox/quota",
        "/_sandbox/tokens/revoke",
        "/_sandbox/accounts",
    ] {
        assert!(paths.contains_key(p), "openapi lacks {p}");
    }
    // Every $ref resolves.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "$ref" {
                        out.push(x.as_str().unwrap().to_string());
                    } else {
                        refs(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&r.body, &mut all);
    assert!(!all.is_empty());
    for rf in all {
        let ptr = rf.trim_start_matches('#');
        assert!(r.body.pointer(ptr).is_some(), "dangling {rf}");
    }
}
