//! Every filter of the filter language, checked against a local oracle over all results.

use std::collections::BTreeSet;

use chrono::DateTime;
use serde_json::{json, Value};
use webcare::{Filter, NewResults, Order, Period, SentimentClass, Source};

use crate::common::{private, Api};

fn id(r: &Value) -> u64 {
    r["uniqueId"].as_u64().unwrap()
}

fn time(r: &Value) -> i64 {
    DateTime::parse_from_rfc3339(r["time"].as_str().unwrap())
        .unwrap()
        .timestamp()
}

fn s<'a>(r: &'a Value, k: &str) -> &'a str {
    r[k].as_str().unwrap_or("")
}

fn list_has(r: &Value, k: &str, want: &str) -> bool {
    r[k].as_array().unwrap().iter().any(|x| {
        x.as_str()
            .unwrap()
            .trim_start_matches('#')
            .eq_ignore_ascii_case(want)
    })
}

fn host_of(link: &str) -> String {
    let l = link.to_lowercase();
    let rest = l.split_once("://").map(|x| x.1).unwrap_or(&l).to_string();
    let rest = rest.strip_prefix("www.").unwrap_or(&rest).to_string();
    rest.split('/').next().unwrap().to_string()
}

#[tokio::test]
async fn every_filter_matches_the_oracle() {
    let api = Api::shared().await;
    let all = api.all("/results/kpn").await;
    let total = api.get("/results/kpn/limit:1").await.total();
    assert_eq!(all.len() as u64, total);
    assert!(all.len() > 3000);
    assert!(
        all.iter().all(|r| r["status"] != 5),
        "deleted results are excluded"
    );

    // Values that exist in the data.
    let some_twitter = all
        .iter()
        .find(|r| r["source"] == 3 && r["own"] == 0)
        .unwrap();
    let handle = s(some_twitter, "author").to_string();
    let author_name = s(some_twitter, "authorName").to_string();
    let min_t = all.iter().map(time).min().unwrap();
    let (p_start, p_end) = (min_t + 10 * 86_400, min_t + 20 * 86_400);
    let picked: Vec<u64> = all.iter().step_by(97).take(5).map(id).collect();
    let since = id(&all[all.len() / 2]);

    type Pred = Box<dyn Fn(&Value) -> bool>;
    let twitter_facebook: Pred = Box::new(|r| r["source"] == 3 || r["source"] == 6);
    let cases: Vec<(Filter, Pred)> = vec![
        (
            Filter::new()
                .source(Source::Twitter)
                .source(Source::Facebook),
            twitter_facebook,
        ),
        (
            Filter::new().source(Source::Whatsapp),
            Box::new(|r| r["source"] == 12),
        ),
        (
            Filter::new().sentiment(SentimentClass::VeryNegative),
            Box::new(|r| r["sentiment"] == -2),
        ),
        (
            Filter::new().sentiment(SentimentClass::Negative),
            Box::new(|r| r["sentiment"] == -1),
        ),
        (
            Filter::new().sentiment(SentimentClass::Neutral),
            Box::new(|r| r["sentiment"] == 0),
        ),
        (
            Filter::new().sentiment(SentimentClass::Positive),
            Box::new(|r| r["sentiment"] == 1),
        ),
        (
            Filter::new().sentiment(SentimentClass::VeryPositive),
            Box::new(|r| r["sentiment"] == 2),
        ),
        (
            Filter::new().period(Period::range(
                DateTime::from_timestamp(p_start, 0).unwrap(),
                DateTime::from_timestamp(p_end, 0).unwrap(),
            )),
            Box::new(move |r| (p_start..=p_end).contains(&time(r))),
        ),
        (
            Filter::new().category("storing"),
            Box::new(|r| s(r, "category").eq_ignore_ascii_case("storing")),
        ),
        (
            Filter::new().label("escalatie"),
            Box::new(|r| list_has(r, "labels", "escalatie")),
        ),
        (
            Filter::new().label("nieuwe klant"),
            Box::new(|r| list_has(r, "labels", "nieuwe klant")),
        ),
        (
            Filter::new().hashtag("storing"),
            Box::new(|r| list_has(r, "hashtags", "storing")),
        ),
        (
            Filter::new().hashtag("#kpn"),
            Box::new(|r| list_has(r, "hashtags", "kpn")),
        ),
        (
            Filter::new().website("twitter.com"),
            Box::new(|r| host_of(s(r, "link")) == "twitter.com"),
        ),
        (
            Filter::new().website("https://www.facebook.com/KPN/posts"),
            Box::new(|r| s(r, "link").starts_with("https://www.facebook.com/KPN/posts")),
        ),
        (
            Filter::new().word("Glasvezel"),
            Box::new(|r| {
                s(r, "description").to_lowercase().contains("glasvezel")
                    || s(r, "title").to_lowercase().contains("glasvezel")
            }),
        ),
        (
            Filter::new().word("a/b,c:d"),
            Box::new(|r| s(r, "description").contains("a/b,c:d")),
        ),
        (
            Filter::new().profile(handle.clone()),
            Box::new({
                let h = handle.clone();
                move |r| s(r, "author").eq_ignore_ascii_case(&h)
            }),
        ),
        (
            Filter::new().profile(author_name.to_uppercase()),
            Box::new({
                let n = author_name.clone();
                move |r| s(r, "authorName").eq_ignore_ascii_case(&n)
            }),
        ),
        (
            Filter::new().country("Belgium"),
            Box::new(|r| s(r, "country") == "Belgium"),
        ),
        (
            Filter::new().city("utrecht"),
            Box::new(|r| s(r, "city") == "Utrecht"),
        ),
        (
            Filter::new().municipality("'s-Gravenhage"),
            Box::new(|r| s(r, "municipality") == "'s-Gravenhage"),
        ),
        (
            Filter::new().province("Noord-Brabant"),
            Box::new(|r| s(r, "province") == "Noord-Brabant"),
        ),
        (
            picked.iter().fold(Filter::new(), |f, i| f.result_id(*i)),
            Box::new({
                let p = picked.clone();
                move |r| p.contains(&id(r))
            }),
        ),
        (Filter::new().assigned(3), Box::new(|r| r["handler"] == 3)),
        (Filter::new().checked(true), Box::new(|r| r["checked"] == 1)),
        (
            Filter::new().checked(false),
            Box::new(|r| r["checked"] == 0),
        ),
        (
            Filter::new().since_id(since),
            Box::new(move |r| id(r) > since),
        ),
        (
            Filter::new()
                .source(Source::Twitter)
                .sentiment(SentimentClass::Negative)
                .checked(false),
            Box::new(|r| r["source"] == 3 && r["sentiment"] == -1 && r["checked"] == 0),
        ),
    ];
    for (filter, pred) in cases {
        let path = filter.to_path("kpn");
        let served = api.all(&path).await;
        let served_ids: Vec<u64> = served.iter().map(id).collect();
        let expected: Vec<u64> = all.iter().filter(|r| pred(r)).map(id).collect();
        let uses_data = filter.word.as_deref() != Some("a/b,c:d");
        if uses_data {
            assert!(
                !expected.is_empty(),
                "{path}: the seed has no matching data"
            );
        }
        assert_eq!(served_ids, expected, "{path}");
        let total = api.get(&format!("{path}/limit:1")).await.total();
        assert_eq!(total as usize, expected.len(), "{path}: total");
    }
}

#[tokio::test]
async fn relative_periods_follow_the_sandbox_clock() {
    let api = Api::shared().await;
    let clock = api.control("GET", "/_sandbox/clock", None).await;
    let now = clock.body["now_ms"].as_i64().unwrap() / 1000;
    let mut last = 0usize;
    for (kw, secs) in [
        ("day", 86_400),
        ("week", 7 * 86_400),
        ("month", 30 * 86_400),
        ("year", 365 * 86_400),
    ] {
        let rs = api.all(&format!("/results/kpn/{kw}")).await;
        assert!(!rs.is_empty(), "{kw}");
        assert!(rs.len() >= last, "{kw} includes the shorter periods");
        last = rs.len();
        for r in &rs {
            let t = time(r);
            assert!(t >= now - secs - 5 && t <= now + 5, "{kw}: {t} vs {now}");
        }
    }
    assert_eq!(
        last as u64,
        api.get("/results/kpn/limit:1").await.total(),
        "year is everything"
    );
}

#[tokio::test]
async fn paging_is_consistent_and_ordered() {
    let api = Api::shared().await;
    let path = "/results/kpn/source:twitter,whatsapp";
    let whole: Vec<u64> = api.all(path).await.iter().map(id).collect();
    assert!(
        whole.windows(2).all(|w| w[0] > w[1]),
        "most recent first by default"
    );
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let r = api.get(&format!("{path}/limit:137/offset:{offset}")).await;
        assert_eq!(r.total() as usize, whole.len());
        let ids = r.ids();
        if ids.is_empty() {
            break;
        }
        paged.extend(ids);
        offset += 137;
    }
    assert_eq!(paged, whole);
    let asc: Vec<u64> = api
        .all(&format!("{path}/least+recent"))
        .await
        .iter()
        .map(id)
        .collect();
    let mut rev = whole.clone();
    rev.reverse();
    assert_eq!(asc, rev);
    let most: Vec<u64> = api
        .all(&format!("{path}/most+recent"))
        .await
        .iter()
        .map(id)
        .collect();
    assert_eq!(most, whole);
    // Beyond the end: empty page, same total.
    let r = api.get(&format!("{path}/offset:1000000")).await;
    assert!(r.ids().is_empty());
    assert_eq!(r.total() as usize, whole.len());
    // Limits.
    assert_eq!(api.get("/results/kpn/limit:1000").await.ids().len(), 1000);
    assert_eq!(api.get("/results/kpn/limit:1001").await.status, 400);
}

#[tokio::test]
async fn since_id_keyset_paging_walks_everything_once() {
    let api = Api::shared().await;
    let whole: Vec<u64> = api
        .all("/results/kpn zakelijk/least+recent")
        .await
        .iter()
        .map(id)
        .collect();
    let mut seen = Vec::new();
    let mut since = 0;
    loop {
        let f = Filter::new()
            .order(Order::LeastRecent)
            .since_id(since)
            .limit(200);
        let ids = api.get(&f.to_path("kpn zakelijk")).await.ids();
        if ids.is_empty() {
            break;
        }
        since = *ids.last().unwrap();
        seen.extend(ids);
    }
    assert_eq!(seen, whole);
}

#[tokio::test]
async fn deleted_results_exist_but_are_excluded() {
    let api = Api::shared().await;
    let mut ids = BTreeSet::new();
    for p in ["kpn", "kpn zakelijk", "ziggo vergelijking"] {
        ids.extend(api.all(&format!("/results/{p}")).await.iter().map(id));
    }
    let lo = *ids.iter().next().unwrap();
    let hi = *ids.iter().next_back().unwrap();
    let mut deleted = 0;
    for gap in (lo..hi).filter(|i| !ids.contains(i)).take(60) {
        let r = api.get(&format!("/results/{gap}/noContext")).await;
        if r.status == 200 {
            assert_eq!(
                r.data()["status"],
                5,
                "a result missing from searches is deleted"
            );
            deleted += 1;
            let case = r.data()["caseId"].clone();
            // Not in anyone's context either.
            let others = api.get(&format!("/results/kpn/result:{}", gap)).await;
            assert!(others.ids().is_empty());
            let _ = case;
        }
    }
    assert!(deleted > 0, "the seed has deleted results");
}

#[tokio::test]
async fn new_results_are_per_client_and_resettable() {
    let (sb, a) = private(400).await;
    let alt = sb.primary_account().other_clients[0].clone();
    let b = Api::login(&a.base, &alt.0, &alt.1).await;
    let f = Filter::new()
        .new_results(NewResults::True)
        .order(Order::LeastRecent)
        .limit(50);
    let path = f.to_path("kpn");
    let first = a.get(&path).await.ids();
    assert_eq!(first.len(), 50);
    let second = a.get(&path).await.ids();
    assert_eq!(second.len(), 50);
    assert!(second[0] > *first.last().unwrap(), "the marker moved");
    // Another client has its own marker.
    assert_eq!(b.get(&path).await.ids(), first);
    // Reset: from the start again.
    let reset = Filter::new()
        .new_results(NewResults::Reset)
        .order(Order::LeastRecent)
        .limit(50);
    assert_eq!(a.get(&reset.to_path("kpn")).await.ids(), first);
    // Drain, then an inbound message is new.
    let mut n = 0;
    while !a
        .get(&f.clone().limit(1000).to_path("kpn"))
        .await
        .ids()
        .is_empty()
    {
        n += 1;
        assert!(n < 5);
    }
    assert!(a.get(&path).await.ids().is_empty());
    let created = a
        .control(
            "POST",
            "/_sandbox/inbound",
            Some(json!({"source": "twitter", "text": "Mijn internet werkt weer niet!"})),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let fresh = a.get(&path).await.ids();
    assert_eq!(fresh, vec![created.body["uniqueId"].as_u64().unwrap()]);
    assert!(a.get(&path).await.ids().is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn offset_pages_are_the_same_rows_in_any_order_of_requests() {
    // An offset where an earlier page ended continues from that page's last row (boundaries
    // the sandbox keeps); any other offset is counted from the start. Both give the same rows.
    let (sb, api) = private(2500).await;
    for filter in [
        Filter::new(),
        Filter::new().order(Order::LeastRecent),
        Filter::new().source(Source::Twitter),
    ] {
        let path = |offset: u64| {
            let f = filter.clone().limit(137).offset(offset);
            format!("/{}", f.to_path("kpn"))
        };
        // Backwards first, with no boundaries kept yet: every page is counted from the start.
        let total = api.get(&path(0)).await.total();
        let pages = total.div_ceil(137);
        let mut counted: Vec<Vec<u64>> = Vec::new();
        for i in (1..pages).rev() {
            counted.push(api.get(&path(i * 137)).await.ids());
        }
        counted.push(api.get(&path(0)).await.ids());
        counted.reverse();
        let mut in_order: Vec<Vec<u64>> = Vec::new();
        let mut offset = 0;
        loop {
            let ids = api.get(&path(offset)).await.ids();
            let n = ids.len() as u64;
            in_order.push(ids);
            if n < 137 {
                break;
            }
            offset += n;
        }
        assert!(in_order.len() > 3, "{}", filter.render());
        assert_eq!(in_order, counted, "{}", filter.render());
        let mut backwards: Vec<Vec<u64>> = Vec::new();
        for i in (0..in_order.len()).rev() {
            backwards.push(api.get(&path(i as u64 * 137)).await.ids());
        }
        backwards.reverse();
        assert_eq!(in_order, backwards, "{}", filter.render());
        let all: Vec<u64> = in_order.concat();
        let unique: BTreeSet<u64> = all.iter().copied().collect();
        assert_eq!(unique.len(), all.len(), "no row twice: {}", filter.render());
        // A write in between invalidates the cursor: the next page is counted again (a new
        // twitter message is the newest result, so newest-first pages shift by one).
        let second = api.get(&path(137)).await.ids();
        assert_eq!(second, in_order[1]);
        let inbound = api
            .control(
                "POST",
                "/_sandbox/inbound",
                Some(json!({"source": "twitter", "text": "Nog steeds geen internet", "profile": "kpn"})),
            )
            .await;
        assert_eq!(inbound.status, 200, "{}", inbound.text);
        let again = api.get(&path(274)).await.ids();
        if filter.order == Some(Order::LeastRecent) {
            assert_eq!(again, in_order[2], "{}", filter.render());
        } else {
            assert_eq!(again.first(), second.last(), "{}", filter.render());
        }
    }
    sb.shutdown().await;
}
