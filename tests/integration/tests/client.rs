#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The typed client against a real sandbox: every operation, filter, case rule and control.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use webcare::{
    Client, ErrorKind, Event, Filter, NextPage, Order, Period, ReplyRequest, SentimentClass,
    Source, WatchOptions,
};
use webcare_integration_tests::Env;
use webcare_sandbox::SandboxConfig;

async fn first_profile(c: &Client) -> (String, u64) {
    let cfg = c.configuration().await.unwrap();
    let s = &cfg.account.searches[0];
    (s.name.clone(), s.id)
}

#[tokio::test]
async fn configuration_has_the_seeded_account() {
    let env = Env::start().await;
    let cfg = env.client.configuration().await.unwrap();
    assert!(
        cfg.account.searches.len() >= 3,
        "{:?}",
        cfg.account.searches
    );
    assert!(cfg.account.users.len() >= 5);
    for s in &cfg.account.searches {
        assert!(!s.webcare_tabs.is_empty(), "search {} has tabs", s.name);
        for t in &s.webcare_tabs {
            Filter::parse(&t.filters)
                .unwrap_or_else(|e| panic!("tab {} filter {}: {e}", t.name, t.filters));
        }
    }
    let conn_sources: HashSet<i64> = cfg
        .account
        .connections
        .iter()
        .filter_map(|c| c.source)
        .collect();
    for s in [
        Source::Twitter,
        Source::Facebook,
        Source::Instagram,
        Source::Whatsapp,
        Source::Irischat,
    ] {
        assert!(conn_sources.contains(&s.id()), "a connection for {s}");
        assert_eq!(cfg.globals.sources.get(s.as_str()), Some(&s.id()));
    }
}

#[tokio::test]
async fn sso_token_is_new_each_call_and_unknown_email_is_not_found() {
    let env = Env::start().await;
    let cfg = env.client.configuration().await.unwrap();
    let email = cfg
        .account
        .users
        .iter()
        .find_map(|u| u.email.clone())
        .unwrap();
    let a = env.client.sso_token(&email).await.unwrap();
    let b = env.client.sso_token(&email).await.unwrap();
    let (ta, tb) = (a.token.clone().unwrap(), b.token.clone().unwrap());
    assert_ne!(ta.expose(), tb.expose(), "regenerated on every call");
    assert!(a.expires.is_some());
    assert!(!format!("{a:?}").contains(ta.expose()), "Debug redacts");
    let e = env
        .client
        .sso_token("nobody@example.invalid")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.status(), Some(404));
}

#[tokio::test]
async fn every_filter_is_applied_by_the_server() {
    let env = Env::start().await;
    let c = &env.client;
    let (profile, _) = first_profile(c).await;
    let all = c
        .results()
        .search(&profile, &Filter::new().limit(200))
        .await
        .unwrap();
    assert_eq!(all.results.len(), 200);
    let some = &all.results[17];

    // Sources (OR).
    let f = Filter::new()
        .source(Source::Twitter)
        .source(Source::Whatsapp)
        .limit(100);
    let page = c.results().search(&profile, &f).await.unwrap();
    assert!(!page.results.is_empty());
    assert!(page
        .results
        .iter()
        .all(|r| [Source::Twitter.id(), Source::Whatsapp.id()].contains(&r.source)));

    // Sentiment classes.
    for class in SentimentClass::ALL {
        let page = c
            .results()
            .search(&profile, &Filter::new().sentiment(class).limit(50))
            .await
            .unwrap();
        assert!(page
            .results
            .iter()
            .all(|r| r.sentiment == i64::from(class.value())));
    }
    let neg = c
        .results()
        .search(
            &profile,
            &Filter::new().sentiment(SentimentClass::Negative).limit(5),
        )
        .await
        .unwrap();
    assert!(!neg.results.is_empty(), "the seed has negative results");

    // Result ids (OR), assigned, order, since id, checked.
    let ids = [all.results[3].unique_id, all.results[40].unique_id];
    let page = c
        .results()
        .search(&profile, &Filter::new().result_id(ids[0]).result_id(ids[1]))
        .await
        .unwrap();
    let got: HashSet<u64> = page.results.iter().map(|r| r.unique_id).collect();
    assert_eq!(got, ids.into_iter().collect());

    let least = c
        .results()
        .search(&profile, &Filter::new().order(Order::LeastRecent).limit(20))
        .await
        .unwrap();
    assert!(least
        .results
        .windows(2)
        .all(|w| w[0].unique_id < w[1].unique_id));
    let most = c
        .results()
        .search(&profile, &Filter::new().order(Order::MostRecent).limit(20))
        .await
        .unwrap();
    assert!(most
        .results
        .windows(2)
        .all(|w| w[0].unique_id > w[1].unique_id));

    let since = some.unique_id;
    let page = c
        .results()
        .search(&profile, &Filter::new().since_id(since).limit(50))
        .await
        .unwrap();
    assert!(page.results.iter().all(|r| r.unique_id > since));

    for checked in [true, false] {
        let page = c
            .results()
            .search(&profile, &Filter::new().checked(checked).limit(50))
            .await
            .unwrap();
        assert!(page.results.iter().all(|r| r.checked == checked));
    }

    // Word search matches the text.
    let word = some
        .description
        .as_deref()
        .unwrap()
        .split_whitespace()
        .find(|w| w.len() > 4 && w.chars().all(char::is_alphabetic))
        .unwrap()
        .to_lowercase();
    let page = c
        .results()
        .search(&profile, &Filter::new().word(word.clone()).limit(50))
        .await
        .unwrap();
    assert!(!page.results.is_empty());
    assert!(page.results.iter().all(|r| {
        let text = format!(
            "{} {}",
            r.title.as_deref().unwrap_or(""),
            r.description.as_deref().unwrap_or("")
        )
        .to_lowercase();
        text.contains(&word)
    }));

    // Periods relative to the sandbox clock: day is a subset of week of month of year.
    let mut counts = Vec::new();
    for p in [Period::Day, Period::Week, Period::Month, Period::Year] {
        let page = c
            .results()
            .search(&profile, &Filter::new().period(p).limit(1000))
            .await
            .unwrap();
        counts.push(page.total.unwrap_or(page.results.len() as u64));
    }
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert!(counts[2] > 0);

    // An explicit range containing a known result's time finds it.
    let t = some.timestamp_ms().unwrap() / 1000;
    let start = webcare::filter::parse_datetime(&chrono_like(t - 60)).unwrap();
    let end = webcare::filter::parse_datetime(&chrono_like(t + 60)).unwrap();
    let page = c
        .results()
        .search(
            &profile,
            &Filter::new().period(Period::range(start, end)).limit(1000),
        )
        .await
        .unwrap();
    assert!(page.results.iter().any(|r| r.unique_id == some.unique_id));
}

fn chrono_like(epoch_secs: i64) -> String {
    // Format as YYYY-MM-DDTHH:MM:SS without pulling chrono into this crate's deps.
    let days = epoch_secs.div_euclid(86_400);
    let secs = epoch_secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[tokio::test]
async fn text_filters_match_result_fields() {
    let env = Env::start().await;
    let c = &env.client;
    let (profile, _) = first_profile(c).await;
    let page = c
        .results()
        .search(&profile, &Filter::new().limit(300))
        .await
        .unwrap();
    // For each text filter, take a value from a result's extras and check the server filters by it.
    let mut tried = 0;
    for key in [
        "category",
        "label",
        "hashtag",
        "country",
        "city",
        "municipality",
        "province",
    ] {
        let Some(value) = page.results.iter().find_map(|r| {
            let v = r.extra.get(key)?;
            v.as_str()
                .map(str::to_string)
                .or_else(|| v.as_array()?.first()?.as_str().map(str::to_string))
        }) else {
            continue;
        };
        let f = Filter::parse(&format!("{key}:{}", webcare::filter::encode_value(&value))).unwrap();
        let got = c.results().search(&profile, &f.limit(100)).await.unwrap();
        assert!(!got.results.is_empty(), "{key}:{value} finds results");
        tried += 1;
    }
    assert!(tried >= 5, "the seeded results carry the filterable fields");
}

#[tokio::test]
async fn pager_and_keyset_pager_see_every_result_once() {
    let env = Env::start().await;
    let c = &env.client;
    let (profile, _) = first_profile(c).await;
    let total = c
        .results()
        .search(&profile, &Filter::new().limit(1))
        .await
        .unwrap()
        .total
        .expect("the sandbox reports a total");
    let ids: Vec<u64> = c
        .results()
        .pager(&profile, &Filter::new().limit(250), None)
        .into_stream()
        .map(|r| r.unwrap().unique_id)
        .collect()
        .await;
    assert_eq!(ids.len() as u64, total);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());

    let mut keyset = c
        .results()
        .keyset_pager(&profile, &Filter::new().limit(300), 0, None);
    let mut seen = Vec::new();
    while let Some(page) = keyset.next_page().await.unwrap() {
        seen.extend(page.results.into_iter().map(|r| r.unique_id));
    }
    assert_eq!(seen.len() as u64, total);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(keyset.last_id(), *seen.last().unwrap());

    // JSON pages (what the Node binding streams): the typed pages in the normalized shape, by
    // keyset and by offset.
    let values = |rows: webcare::json::JsonRows| -> Vec<serde_json::Value> {
        serde_json::from_slice(&rows.into_arrays(usize::MAX).concat()).unwrap()
    };
    let layout = webcare::json::Layout::Objects;
    for since in [Some(0), None] {
        let f = Filter::new().limit(300);
        let mut json = c.results().pages(&profile, &f, since, Some(700));
        let mut typed = c.results().pages(&profile, &f, since, Some(700));
        let mut n = 0;
        while let Some(page) = typed.next_page().await.unwrap() {
            let rows = webcare::json::JsonRows::from_results(&page.results, layout).unwrap();
            let got = json.next_json(layout).await.unwrap().unwrap();
            assert_eq!(
                (got.offset, got.limit, got.total),
                (page.offset, page.limit, page.total)
            );
            assert_eq!(values(got.rows), values(rows), "since {since:?}");
            n += page.results.len();
        }
        assert_eq!(n, 700);
        assert!(json.next_json(layout).await.unwrap().is_none());
    }

    let capped: Vec<_> = c
        .results()
        .pager(&profile, &Filter::new().limit(7), Some(20))
        .into_stream()
        .collect()
        .await;
    assert_eq!(capped.len(), 20);
}

#[tokio::test]
async fn result_with_and_without_context() {
    let env = Env::start().await;
    let c = &env.client;
    let (profile, _) = first_profile(c).await;
    let page = c
        .results()
        .search(&profile, &Filter::new().limit(100))
        .await
        .unwrap();
    let r = &page.results[0];
    let one = c.results().get_no_context(r.unique_id).await.unwrap();
    assert_eq!(one.unique_id, r.unique_id);
    assert_eq!(one.case_id, r.case_id);
    let ctx = c.results().get(r.unique_id).await.unwrap();
    assert_eq!(ctx.result.unique_id, r.unique_id);
    assert!(ctx.context.len() <= 10);
    assert!(ctx
        .context
        .iter()
        .all(|x| x.case_id == r.case_id && !x.is_deleted()));
    let e = c.results().get(999_999_999).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = c.results().get_no_context(0).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn reply_adds_an_own_result_to_the_case() {
    let env = Env::start().await;
    let c = &env.client;
    let id = env
        .inbound("twitter", "Mijn internet doet het weer niet!")
        .await;
    let parent = c.results().get_no_context(id).await.unwrap();
    assert!(parent.reply_available);
    let sent = c
        .results()
        .reply(id, &ReplyRequest::new("Wat vervelend! We kijken ernaar."))
        .await
        .unwrap();
    let reply = sent.result.expect("the sandbox returns the reply");
    assert!(reply.own);
    assert_eq!(reply.case_id, parent.case_id);
    let parent = c.results().get_no_context(id).await.unwrap();
    assert!(parent.replies.contains(&reply.unique_id.to_string()));
    assert!(
        parent.activities.iter().any(|a| a.activity == Some(3)),
        "a respond activity"
    );
    let ctx = c.results().get(reply.unique_id).await.unwrap();
    assert!(ctx.context.iter().any(|r| r.unique_id == id));

    // Private reply from an explicit connection.
    let conn = parent.default_connection.unwrap();
    let sent = c
        .results()
        .reply(id, &ReplyRequest::new("DM").connection(conn).private())
        .await
        .unwrap();
    assert!(sent.result.unwrap().private);

    // Bad input never reaches the server or is rejected by it.
    let e = c
        .results()
        .reply(id, &ReplyRequest::new("   "))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let e = c
        .results()
        .reply(id, &ReplyRequest::new("x").connection(987_654))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    let e = c
        .results()
        .reply(999_999_999, &ReplyRequest::new("x").connection(conn))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn events_are_accepted() {
    let env = Env::start().await;
    let id = env.inbound("whatsapp", "Hello, are you there?").await;
    for ev in Event::ALL {
        let ack = env.client.results().event(id, ev).await.unwrap();
        assert_eq!(ack.url, format!("results/{id}/event/{}", ev.as_str()));
        assert_eq!(ack.method, "post");
    }
    assert!(Event::parse("jump").is_err());
    assert_eq!(Event::parse("startTyping").unwrap(), Event::StartTyping);
}

#[tokio::test]
async fn case_rules_close_hand_over_release_and_reopen() {
    let env = Env::start().await;
    let c = &env.client;
    let cfg = c.configuration().await.unwrap();
    let search = &cfg.account.searches[0];
    let handler = cfg.account.users[1].id;
    let id = env
        .inbound("facebook", "I want to cancel my subscription")
        .await;
    let r = c.results().get_no_context(id).await.unwrap();
    let case_id = r.case_id.clone().unwrap();
    let search_id = r.search_id.unwrap_or(search.id);

    c.cases()
        .hand_over(search_id, &case_id, handler)
        .await
        .unwrap();
    let page = c
        .results()
        .search(&search.name, &Filter::new().assigned(handler).limit(1000))
        .await
        .unwrap();
    assert!(
        page.results.iter().any(|x| x.unique_id == id),
        "assigned to the handler"
    );

    c.cases()
        .release_handler(search_id, &case_id)
        .await
        .unwrap();
    let page = c
        .results()
        .search(&search.name, &Filter::new().assigned(handler).limit(1000))
        .await
        .unwrap();
    assert!(page.results.iter().all(|x| x.unique_id != id), "released");

    c.cases().close(search_id, &case_id).await.unwrap();
    let closed = c.results().get_no_context(id).await.unwrap();
    let state = |r: &webcare::WebcareResult| r.extra.get("caseStatus").cloned();
    let closed_state = state(&closed);

    // A new inbound message from the same person on the same source reopens the case.
    let person = json!(r.person_id.clone().unwrap().parse::<u64>().unwrap());
    let again = env
        .inbound_from("facebook", &person, "Hello? Still waiting")
        .await;
    let again = c.results().get_no_context(again).await.unwrap();
    assert_eq!(
        again.case_id.as_deref(),
        Some(case_id.as_str()),
        "same case"
    );
    let reopened = c.results().get_no_context(id).await.unwrap();
    assert!(closed_state.is_some(), "results carry their case status");
    assert_ne!(state(&reopened), closed_state, "case reopened");

    // The same person on another source has another case.
    let other = env
        .inbound_from("whatsapp", &person, "Also writing here")
        .await;
    let other = c.results().get_no_context(other).await.unwrap();
    assert_ne!(other.case_id.as_deref(), Some(case_id.as_str()));

    // Unknown handler and unknown case are errors, not 500s.
    let e = c
        .cases()
        .hand_over(search_id, &case_id, 987_654)
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Validation),
        "{e}"
    );
    let e = c.cases().close(search_id, "999999999").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn watch_yields_each_new_result_exactly_once_and_resumes() {
    let env = Env::start().await;
    let c = &env.client;
    let (profile, _) = first_profile(c).await;
    let mut w = c.results().watch(
        &profile,
        &Filter::new(),
        WatchOptions {
            since_id: None,
            poll_interval: Some(Duration::from_millis(20)),
        },
    );
    // Establish the starting point before anything arrives.
    assert!(w.next_batch().await.unwrap().is_empty());
    let mut sent = Vec::new();
    for i in 0..5 {
        sent.push(env.inbound("twitter", &format!("new message {i}")).await);
    }
    let mut got = Vec::new();
    while got.len() < 5 {
        let r = tokio::time::timeout(Duration::from_secs(10), w.next())
            .await
            .unwrap()
            .unwrap();
        got.push(r.unique_id);
    }
    assert_eq!(got, sent);
    let resume_from = w.last_id().unwrap();
    drop(w);
    let later = env.inbound("twitter", "after restart").await;
    let mut w2 = c.results().watch(
        &profile,
        &Filter::new(),
        WatchOptions {
            since_id: Some(resume_from),
            poll_interval: Some(Duration::from_millis(20)),
        },
    );
    let r = tokio::time::timeout(Duration::from_secs(10), w2.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.unique_id, later);
    assert!(w2.next_batch().await.unwrap().is_empty(), "nothing twice");
}

#[tokio::test]
async fn bad_credentials_are_an_auth_error_without_the_secret() {
    let env = Env::start().await;
    let c = Client::builder()
        .base_url(env.sandbox.base_url())
        .client_id(env.sandbox.client_id())
        .client_secret("wrong-secret-ABCDEFG")
        .build()
        .unwrap();
    let e = c.configuration().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.status(), Some(401));
    assert!(!format!("{e} {e:?}").contains("wrong-secret-ABCDEFG"));
}

#[tokio::test]
async fn chaos_is_absorbed_by_retries_and_replies_are_never_duplicated() {
    let env = Env::start().await;
    let c = &env.client;
    let (profile, _) = first_profile(c).await;
    let targets: Vec<u64> = c
        .results()
        .search(&profile, &Filter::new().limit(30))
        .await
        .unwrap()
        .results
        .iter()
        .filter(|r| r.reply_available && r.default_connection.is_some())
        .take(8)
        .map(|r| r.unique_id)
        .collect();
    env.control(
        "chaos",
        json!({"rate_429": 0.1, "rate_502": 0.1, "rate_503": 0.05}),
    )
    .await;
    // Reads succeed through retries.
    for _ in 0..10 {
        c.results()
            .search(&profile, &Filter::new().limit(5))
            .await
            .unwrap();
    }
    // Replies: each success is in the sandbox exactly once; failures are typed.
    let mut ok = Vec::new();
    for (i, id) in targets.iter().enumerate() {
        let text = format!("chaos reply {i} to {id}");
        match c
            .results()
            .reply(*id, &ReplyRequest::new(text.clone()))
            .await
        {
            Ok(sent) => ok.push((sent.result.unwrap().unique_id, text)),
            Err(e) => assert!(
                matches!(e.kind(), ErrorKind::Server | ErrorKind::RateLimited),
                "{e}"
            ),
        }
    }
    env.control("chaos", json!({})).await;
    assert!(!ok.is_empty());
    for (reply_id, text) in &ok {
        let r = c.results().get_no_context(*reply_id).await.unwrap();
        assert_eq!(r.description.as_deref(), Some(text.as_str()));
        let page = c
            .results()
            .search(&profile, &Filter::new().word(text.clone()).limit(10))
            .await
            .unwrap();
        let n = page
            .results
            .iter()
            .filter(|x| x.description.as_deref() == Some(text.as_str()))
            .count();
        assert!(n <= 1, "reply '{text}' stored {n} times");
    }
}

#[tokio::test]
async fn token_expiry_is_transparent() {
    let env = Env::with_config(SandboxConfig {
        token_ttl: Duration::from_secs(2),
        ..SandboxConfig::default()
    })
    .await;
    let c = &env.client;
    c.configuration().await.unwrap();
    let before = c.token_fetch_count();
    tokio::time::sleep(Duration::from_millis(2200)).await;
    c.configuration().await.unwrap();
    assert!(c.token_fetch_count() > before);
    // A revoked token is replaced after one 401.
    env.control(
        "tokens/revoke",
        json!({"client_id": env.sandbox.client_id()}),
    )
    .await;
    c.configuration().await.unwrap();
}

#[tokio::test]
async fn fifty_concurrent_calls_share_one_token() {
    let env = Env::start().await;
    let c = env.client.clone();
    let calls = (0..50).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.configuration().await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(c.token_fetch_count(), 1);
}
