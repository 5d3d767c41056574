#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The columnar decoder (`webcare::arrow::decode_search_batch`) against the typed one followed by
//! `batch_with`: the same batch for every response the typed decoder takes, an error for the
//! ones it refuses.

use std::path::PathBuf;

mod support;

use proptest::prelude::*;
use serde_json::Value;
use support::{
    both, damaged_sandbox_page, one_list_field_per_result, page, resp, result,
    sandbox_pages_with_odd_values, REPEATED_ENVELOPE_FIELDS,
};
use webcare::arrow::{batch_with, decode_search_batch};

fn extras() -> Vec<String> {
    [
        "language",
        "handler",
        "labels",
        "caseStatus",
        "nothing",
        "parentId",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Both paths agree: equal batches, or both fail alike.
fn agree(body: &[u8], extra: &[String]) -> Option<usize> {
    let (a, b) = both(
        body,
        |rs| batch_with(rs, extra),
        |r| decode_search_batch(r, "results/kpn", extra),
        |b| b.num_rows(),
    )?;
    assert_eq!(a, b, "batches differ for {}", String::from_utf8_lossy(body));
    Some(a.num_rows())
}

#[test]
fn a_sandbox_page_decodes_the_same_both_ways() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/data/page500.json");
    let body = std::fs::read(path).unwrap();
    assert_eq!(agree(&body, &extras()), Some(500));
    assert_eq!(agree(&body, &[]), Some(500));
    let (b, total) = decode_search_batch(&resp(body), "p", &extras()).unwrap();
    assert!(total.unwrap() >= 500);
    assert_eq!(b.num_columns(), 26 + extras().len());
    // A requested field that no result has is a column of nulls.
    let nothing = b.column_by_name("nothing").unwrap();
    assert_eq!(nothing.null_count(), 500);
}

#[test]
fn the_shared_search_vectors_decode_the_same_both_ways() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/envelopes.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut n = 0;
    for case in v["cases"].as_array().unwrap() {
        if case["operation"] != "search" {
            continue;
        }
        let body = serde_json::to_vec(&case["body"]).unwrap();
        let ok = agree(&body, &extras()).is_some();
        assert_eq!(ok, case.get("error_kind").is_none(), "{}", case["name"]);
        n += 1;
    }
    assert!(n >= 6);
}

#[test]
fn odd_envelopes_fall_back_to_the_typed_decoder() {
    for body in [
        r#"{"data":{"results":{}},"status":"ERROR","messages":[{"title":"x","description":"y"}]}"#,
        r#"{"data":{"results":[{"uniqueId":1}],"total":"7"}}"#,
        r#"{"data":{"results":[{"uniqueId":1}]},"data":{"results":[{"uniqueId":2}]}}"#,
        r#"{"data":[{"uniqueId":3}]}"#,
        r#"{"data":null}"#,
        r#"{"data":{"results":null}}"#,
        r#"{"data":{"results":[{"uniqueId":1}]}} trailing"#,
        r#"not json"#,
        r#"{"data":{"results":[{"uniqueId":1,"private":"maybe"}]}}"#,
        r#"{"data":{"results":[{"uniqueId":-1}]}}"#,
        r#"{"data":{"results":[{"title":"no id"}]}}"#,
    ] {
        agree(body.as_bytes(), &extras());
    }
    for body in REPEATED_ENVELOPE_FIELDS {
        agree(body.as_bytes(), &extras());
        agree(body.as_bytes(), &[]);
    }
}

#[test]
fn activities_are_accepted_and_refused_alike() {
    // The columnar decoder checks `activities` without buffering them; the typed decoder reads
    // each activity as a JSON value first (a repeated field: the last one counts).
    let cases = [
        (
            r#"[{"id":1,"resultId":"2","actor":null,"activity":3,"subject":7,"time":"t"}]"#,
            true,
        ),
        (r#"{"5":{"id":5,"subject":"x"},"6":{"id":"6"}}"#, true),
        (r#"null"#, true),
        (r#"[{"id":1,"other":{"deep":[1,2.5,"x"]}}]"#, true),
        (r#"[{"id":"x","id":1}]"#, true),
        (r#"[{"id":1,"id":"x"}]"#, false),
        (r#"[{"id":"x"}]"#, false),
        (r#"[{"id":-4}]"#, true),
        (r#"[{"actor":{"a":1}}]"#, false),
        (r#"[{"other":1e400}]"#, false),
        (r#"[{"subject":1e400}]"#, false),
        (r#"[7]"#, false),
        (r#"[[1]]"#, false),
        (r#"[null]"#, false),
        (r#""x""#, false),
    ];
    for (activities, accepted) in cases {
        let body =
            format!(r#"{{"data":{{"results":[{{"uniqueId":1,"activities":{activities}}}]}}}}"#);
        assert_eq!(
            agree(body.as_bytes(), &extras()).is_some(),
            accepted,
            "{activities}"
        );
    }
}

#[test]
fn values_skipped_for_columns_are_still_checked_as_the_typed_decoder_reads_them() {
    // Fields without a column are not kept, but a value the typed decoder refuses (a number
    // beyond a double's range, an unpaired surrogate escape) must not pass unseen.
    let cases = [
        r#""availableConnections":[{"id":1,"name":BAD}]"#,
        r#""availableConnections":[{"id":1,"other":BAD}]"#,
        r#""tagsList":[{"id":1,"name":"x","other":BAD}]"#,
        r#""activities":[{"id":1,"other":{"deep":[BAD]}}]"#,
        r#""image":BAD"#,
        r#""draft":BAD"#,
        r#""replySuffix":BAD"#,
        r#""someUnknownField":BAD"#,
        r#""someUnknownField":{"a":[1,BAD]}"#,
    ];
    for case in cases {
        for (bad, refused) in [
            ("1e400", true),
            (r#""\ud800""#, true),
            ("1e300", false),
            (r#""\ud83d\ude00""#, false),
        ] {
            let field = case.replace("BAD", bad);
            let body = format!(r#"{{"data":{{"results":[{{"uniqueId":1,{field}}}]}}}}"#);
            assert_eq!(agree(body.as_bytes(), &[]).is_none(), refused, "{field}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]
    #[test]
    fn generated_pages_decode_the_same_both_ways(
        rs in prop::collection::vec(result(), 0..6),
        keyed in any::<bool>(),
        total in prop::option::of(0u64..1000),
    ) {
        let body = page(rs, keyed, total);
        agree(&body, &extras());
        agree(&body, &[]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]
    /// One list field per result, so a list the typed decoder refuses is not hidden behind
    /// another field's error.
    #[test]
    fn list_fields_are_accepted_and_refused_alike(body in one_list_field_per_result()) {
        agree(&body, &[]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// Sandbox-shaped pages with bytes changed, removed or added: the byte scanner never takes
    /// what the typed decoder refuses, and what it takes decodes the same.
    #[test]
    fn damaged_sandbox_pages_decode_the_same_both_ways(body in damaged_sandbox_page()) {
        agree(&body, &[]);
    }
}

#[test]
fn sandbox_pages_with_odd_values_decode_the_same_both_ways() {
    for body in sandbox_pages_with_odd_values() {
        assert!(agree(body.as_bytes(), &[]).is_some(), "{body}");
    }
}
