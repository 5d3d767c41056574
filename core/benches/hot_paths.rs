//! Criterion benchmarks of the core's hot paths (`make bench` runs them briefly; or
//! `cargo bench -p webcare --bench hot_paths`): decoding a 500-result search page, rendering and
//! parsing a filter, scoring English and Dutch sentiment. They guard against regressions; the
//! end-to-end comparisons with other tools are in scripts/bench and BENCHMARKS.md.

use std::hint::black_box;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use webcare::decode::{decode_search, HttpResponse};
use webcare::sentiment::{score_in, score_many, Language};
use webcare::{Filter, Order, Source};

/// The VADER paper's 4,200 ground-truth tweets (`id TAB rating TAB text`).
const TWEETS: &str = include_str!("../../tests/data/vader_tweets_GroundTruth.txt");

/// A real page: `GET /results/kpn/limit:500` from `webcare sandbox --results 100000`.
const PAGE500: &[u8] = include_bytes!("data/page500.json");

fn decode_page(c: &mut Criterion) {
    let resp = HttpResponse {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from_static(PAGE500),
    };
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(PAGE500.len() as u64));
    g.bench_function("search_page_500", |b| {
        b.iter(|| {
            let decoded = decode_search(black_box(&resp), "/results/kpn/limit:500");
            assert!(matches!(&decoded, Ok((r, _)) if r.len() == 500));
            decoded
        })
    });
    // The Node path: normalized JSON text, typed then encoded, and transcoded straight.
    g.bench_function("search_page_500_typed_to_json", |b| {
        b.iter(|| {
            let (rs, _) = decode_search(black_box(&resp), "/results/kpn/limit:500")?;
            let rows = webcare::json::JsonRows::from_results(&rs, webcare::json::Layout::Objects)?;
            assert_eq!(webcare::paging::Rows::len(&rows), 500);
            Ok::<_, webcare::Error>(rows)
        })
    });
    for (name, layout) in [
        ("search_page_500_json", webcare::json::Layout::Objects),
        ("search_page_500_json_rows", webcare::json::Layout::Rows),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let decoded = webcare::json::decode_search_json(
                    black_box(&resp),
                    "/results/kpn/limit:500",
                    layout,
                );
                assert!(matches!(&decoded, Ok((r, _)) if webcare::paging::Rows::len(r) == 500));
                decoded
            })
        });
    }
    // The DataFrame path: straight into Arrow columns (`--features arrow`).
    #[cfg(feature = "arrow")]
    g.bench_function("search_page_500_arrow", |b| {
        b.iter(|| {
            let decoded = webcare::arrow::decode_search_batch(
                black_box(&resp),
                "/results/kpn/limit:500",
                &[],
            );
            assert!(matches!(&decoded, Ok((r, _)) if r.num_rows() == 500));
            decoded
        })
    });
    g.finish();
}

fn filters(c: &mut Criterion) {
    let filter = Filter::new()
        .sources([Source::Twitter, Source::Facebook])
        .word("storing internet")
        .hashtag("kpn")
        .city("Den Haag")
        .order(Order::LeastRecent)
        .since_id(123_456)
        .limit(500)
        .offset(1_000);
    let rendered = filter.render();
    let mut g = c.benchmark_group("filter");
    g.bench_function("render", |b| b.iter(|| black_box(&filter).render()));
    g.bench_function("parse", |b| {
        b.iter(|| Filter::parse(black_box(&rendered)).map(|f| f.limit))
    });
    g.finish();
}

fn sentiment(c: &mut Criterion) {
    let english = "@KPN thanks for the quick help, the internet works great again! :)";
    let dutch = "@KPN al drie dagen een storing en niemand belt terug, echt slechte service";
    let mut g = c.benchmark_group("sentiment");
    g.bench_function("english", |b| {
        b.iter(|| score_in(black_box(english), Language::English).compound)
    });
    g.bench_function("dutch", |b| {
        b.iter(|| score_in(black_box(dutch), Language::Dutch).compound)
    });
    g.bench_function("auto_detect", |b| {
        b.iter(|| score_in(black_box(dutch), Language::Auto).compound)
    });

    // The issue-8 target: all VADER tweets, one thread (`score_in` each) and all cores
    // (`score_many`).
    let tweets: Vec<&str> = TWEETS
        .lines()
        .filter_map(|l| l.splitn(3, '\t').nth(2))
        .collect();
    g.throughput(Throughput::Elements(tweets.len() as u64));
    g.bench_function("english_tweets_single_thread", |b| {
        b.iter(|| {
            black_box(&tweets)
                .iter()
                .map(|t| score_in(t, Language::English).compound)
                .sum::<f64>()
        })
    });
    g.bench_function("score_many_tweets", |b| {
        b.iter(|| score_many(black_box(&tweets), Language::English))
    });
    g.finish();
}

criterion_group!(benches, decode_page, filters, sentiment);
criterion_main!(benches);
