//! Replies, events and case rules.

use serde_json::{json, Value};
use webcare::sentiment::{score_in, Language};

use crate::common::{private, Api};

/// A customer's message on `source` that can be replied to.
async fn repliable(api: &Api, source: &str) -> Value {
    api.get(&format!("/results/kpn/source:{source}/limit:200"))
        .await
        .results()
        .into_iter()
        .find(|r| r["own"] == 0 && r["replyAvailable"] == true)
        .expect("a repliable result")
}

#[tokio::test]
async fn a_reply_is_stored_linked_and_logged() {
    let (sb, api) = private(600).await;
    let parent = repliable(&api, "twitter").await;
    let pid = parent["uniqueId"].as_u64().unwrap();
    let conn = parent["defaultConnection"].as_u64().unwrap().to_string();
    let text = "Hoi! Vervelend 👋 — stuur ons een DM met je postcode. ^SV";
    let r = api
        .post_form(
            &format!("/results/{pid}/replies"),
            &[("message", text), ("connectionId", &conn)],
        )
        .await;
    let reply = r.data().clone();
    assert_eq!(r.body["metadata"]["method"], "post");
    assert_eq!(
        r.body["metadata"]["values"]["url"],
        format!("results/{pid}/replies")
    );
    let rid = reply["uniqueId"].as_u64().unwrap();
    assert!(rid > pid);
    assert_eq!(reply["own"], 1);
    assert_eq!(reply["description"], text);
    assert_eq!(reply["parentId"], pid);
    assert_eq!(reply["caseId"], parent["caseId"]);
    assert_eq!(reply["source"], parent["source"]);
    assert_eq!(reply["private"], parent["private"]);
    assert_eq!(
        reply["sentiment"],
        i64::from(score_in(text, Language::Auto).value())
    );
    let typed: webcare::WebcareResult = serde_json::from_value(reply.clone()).unwrap();
    assert!(typed.own);

    let after = api.get(&format!("/results/{pid}/noContext")).await;
    let p = after.data();
    assert!(p["replies"].as_array().unwrap().contains(&json!(rid)));
    assert_eq!(p["status"], 4, "replied");
    let respond = p["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["activity"] == 3 && a["subject"].as_str().unwrap().contains(&rid.to_string()))
        .expect("a respond activity");
    assert_eq!(respond["resultId"], pid);
    // Newest in the search, and in the parent's context.
    assert_eq!(api.get("/results/kpn/limit:1").await.ids(), vec![rid]);
    let ctx = api.get(&format!("/results/{pid}")).await;
    assert!(ctx.data()["context"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["uniqueId"] == rid));

    // A private reply to a public message.
    let r = api
        .post_form(
            &format!("/results/{pid}/replies"),
            &[
                ("message", "Privé"),
                ("connectionId", &conn),
                ("public", "false"),
            ],
        )
        .await;
    assert_eq!(r.data()["private"], true);
    assert_eq!(r.data()["type"], 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn replies_are_validated_against_the_result() {
    let (sb, api) = private(600).await;
    let tw = repliable(&api, "twitter").await;
    let id = tw["uniqueId"].as_u64().unwrap();
    // A Facebook connection for a Twitter result.
    let r = api
        .post_form(
            &format!("/results/{id}/replies"),
            &[("message", "x"), ("connectionId", "3")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("connectionId 3"), "{}", r.text);
    // An own result.
    let own = api
        .get("/results/kpn/source:twitter/limit:300")
        .await
        .results()
        .into_iter()
        .find(|r| r["own"] == 1)
        .unwrap();
    let r = api
        .post_form(
            &format!("/results/{}/replies", own["uniqueId"]),
            &[("message", "x"), ("connectionId", "1")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("own"));
    // A source without a connection.
    let news = api
        .get("/results/kpn/source:news,blogs,web,print,rtv,forums/limit:1")
        .await
        .results();
    let r = api
        .post_form(
            &format!("/results/{}/replies", news[0]["uniqueId"]),
            &[("message", "x"), ("connectionId", "1")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("connection"));
    let r = api
        .post_form(
            "/results/999999999/replies",
            &[("message", "x"), ("connectionId", "1")],
        )
        .await;
    assert_eq!(r.status, 404);
    // Nothing was stored.
    let p = api.get(&format!("/results/{id}/noContext")).await;
    assert_eq!(p.data()["replies"], tw["replies"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn events_change_typing_and_status() {
    let (sb, api) = private(300).await;
    let r = repliable(&api, "whatsapp").await;
    let id = r["uniqueId"].as_u64().unwrap();
    let get = || async {
        api.get(&format!("/results/{id}/noContext"))
            .await
            .data()
            .clone()
    };

    let e = api.post(&format!("/results/{id}/event/starttyping")).await;
    assert_eq!(e.data(), &json!({}));
    assert_eq!(
        e.body["metadata"]["values"]["url"],
        format!("results/{id}/event/starttyping")
    );
    assert_eq!(get().await["typing"], true);
    api.post(&format!("/results/{id}/event/stopTyping"))
        .await
        .data();
    assert_eq!(get().await["typing"], false);

    api.post(&format!("/results/{id}/event/opened"))
        .await
        .data();
    let v = get().await;
    assert_eq!(v["status"], 2);
    assert!(v["activities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["activity"] == 1));
    api.post(&format!("/results/{id}/event/closed"))
        .await
        .data();
    let v = get().await;
    assert_eq!(v["status"], 3);
    assert!(v["activities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["activity"] == 4));

    let bad = api.post(&format!("/results/{id}/event/dance")).await;
    assert_eq!(bad.status, 400);
    assert!(bad.error_message().contains("dance"));
    sb.shutdown().await;
}

#[tokio::test]
async fn case_close_hand_over_release_and_reopen() {
    let (sb, api) = private(600).await;
    let r = repliable(&api, "twitter").await;
    let case = r["caseId"].as_str().unwrap().to_string();
    let search = r["searchId"].as_u64().unwrap();
    let base = format!("/searches/{search}/cases/{case}");
    let case_results = |api: &Api| {
        let api = api.clone();
        let case = case.clone();
        async move {
            api.all("/results/kpn")
                .await
                .into_iter()
                .filter(|x| x["caseId"] == case.as_str())
                .collect::<Vec<_>>()
        }
    };

    let c = api.post(&format!("{base}/close")).await;
    assert_eq!(c.data()["status"], "closed");
    assert_eq!(c.data()["caseId"], case.as_str());
    assert!(case_results(&api)
        .await
        .iter()
        .all(|x| x["caseStatus"] == "closed"));

    let h = api.post(&format!("{base}/close/handOverToHandler/3")).await;
    assert_eq!(h.data()["handler"], 3);
    assert_eq!(h.data()["status"], "open");
    let in_case = case_results(&api).await;
    assert!(in_case.iter().all(|x| x["handler"] == 3));
    let assigned = api.all("/results/kpn/assigned:3").await;
    for x in &in_case {
        assert!(assigned.iter().any(|a| a["uniqueId"] == x["uniqueId"]));
    }
    for bad in ["999", "102"] {
        let r = api
            .post(&format!("{base}/close/handOverToHandler/{bad}"))
            .await;
        assert_eq!(r.status, 404, "handler {bad}");
        assert!(r.error_message().contains(bad));
    }

    let rel = api.post(&format!("{base}/releaseHandler")).await;
    assert_eq!(rel.data()["handler"], Value::Null);
    assert!(case_results(&api)
        .await
        .iter()
        .all(|x| x["handler"].is_null()));

    // Wrong search, unknown case.
    let other = if search == 1 { 2 } else { 1 };
    assert_eq!(
        api.post(&format!("/searches/{other}/cases/{case}/close"))
            .await
            .status,
        404
    );
    assert_eq!(
        api.post(&format!("/searches/{search}/cases/1/close"))
            .await
            .status,
        404
    );

    // A new inbound message reopens a closed case.
    api.post(&format!("{base}/close")).await.data();
    let profile = if search == 1 {
        "kpn"
    } else if search == 2 {
        "kpn zakelijk"
    } else {
        "ziggo vergelijking"
    };
    let person: u64 = r["personId"].as_str().unwrap().parse().unwrap();
    let inbound = api
        .control(
            "POST",
            "/_sandbox/inbound",
            Some(json!({"source": "twitter", "person": person, "profile": profile, "text": "Nog steeds geen internet!"})),
        )
        .await;
    assert_eq!(inbound.status, 200, "{}", inbound.text);
    assert_eq!(inbound.body["caseId"], case.as_str());
    assert_eq!(inbound.body["caseStatus"], "open");
    assert!(inbound.body["activities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["activity"] == 8));
    let all_open = api
        .all(&format!("/results/{}", profile.replace(' ', "+")))
        .await
        .into_iter()
        .filter(|x| x["caseId"] == case.as_str())
        .all(|x| x["caseStatus"] == "open");
    assert!(all_open);
    sb.shutdown().await;
}

#[tokio::test]
async fn inbound_creates_persons_and_cases_with_scored_sentiment() {
    let (sb, api) = private(300).await;
    let text = "Geweldig, de monteur was super snel en heel vriendelijk. Bedankt!";
    let r = api
        .control(
            "POST",
            "/_sandbox/inbound",
            Some(json!({"source": "whatsapp", "person": "Nieuwe Klant", "text": text})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = &r.body;
    assert_eq!(v["title"], "Nieuwe Klant");
    assert_eq!(v["source"], 12);
    assert_eq!(v["private"], true);
    assert_eq!(v["own"], 0);
    assert_eq!(v["language"], "nl");
    assert_eq!(
        v["sentiment"],
        i64::from(score_in(text, Language::Auto).value())
    );
    assert_eq!(v["replyAvailable"], true);
    // The same name again: same person, same case.
    let r2 = api
        .control(
            "POST",
            "/_sandbox/inbound",
            Some(json!({"source": "whatsapp", "person": "nieuwe klant", "text": "Nog een vraag"})),
        )
        .await;
    assert_eq!(r2.body["caseId"], v["caseId"]);
    assert_eq!(r2.body["personId"], v["personId"]);
    assert!(r2.body["uniqueId"].as_u64() > v["uniqueId"].as_u64());
    // Newest first in the search; the time is the sandbox clock's.
    assert_eq!(
        api.get("/results/kpn/limit:2").await.ids(),
        vec![
            r2.body["uniqueId"].as_u64().unwrap(),
            v["uniqueId"].as_u64().unwrap()
        ]
    );
    let now = chrono::DateTime::parse_from_rfc3339(
        api.control("GET", "/_sandbox/clock", None).await.body["now"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let t = chrono::DateTime::parse_from_rfc3339(r2.body["time"].as_str().unwrap()).unwrap();
    assert!((now - t).num_seconds().abs() < 5);
    // Replying to it works with the WhatsApp connection.
    let rep = api
        .post_form(
            &format!("/results/{}/replies", v["uniqueId"]),
            &[("message", "Graag gedaan!"), ("connectionId", "5")],
        )
        .await;
    assert_eq!(rep.data()["private"], true);
    // A different account's profile.
    let b = api
        .control(
            "POST",
            "/_sandbox/inbound",
            Some(json!({"source": "twitter", "profile": "second", "text": "Hello there"})),
        )
        .await;
    assert_eq!(b.status, 200, "{}", b.text);
    assert_eq!(b.body["searchId"], 101);
    assert_eq!(
        api.get(&format!("/results/{}", b.body["uniqueId"]))
            .await
            .status,
        404
    );
    sb.shutdown().await;
}
