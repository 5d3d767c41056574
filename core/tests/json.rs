#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The JSON transcoder (`webcare::json::decode_search_json`) against the typed decoder followed
//! by `JsonRows::from_results`: the same JSON, key order included, for every response the typed
//! decoder takes; an error of the same kind for the ones it refuses.

mod support;

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{json, Value};
use support::{
    both, damaged_sandbox_page, one_list_field_per_result, page, resp, result,
    sandbox_pages_with_odd_values, scalar, REPEATED_ENVELOPE_FIELDS,
};
use webcare::decode::decode_search;
use webcare::json::{decode_search_json, JsonRows, Layout, REQUIRED_FIELDS, ROW_FIELDS};
use webcare::paging::Rows;

/// The results as one JSON array, re-serialized (same formatting for both sides; key order
/// kept); positional rows are turned back into objects with `ROW_FIELDS`.
fn normalized(rows: &JsonRows) -> String {
    let mut text = b"[".to_vec();
    text.extend_from_slice(rows.text());
    text.push(b']');
    let v: Value = serde_json::from_slice(&text)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&text)));
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), rows.len());
    let objects: Vec<Value> = match rows.layout() {
        Layout::Objects => items.clone(),
        Layout::Rows => items.iter().map(row_object).collect(),
    };
    serde_json::to_string(&objects).unwrap()
}

/// A positional row as the object a binding builds from it.
fn row_object(row: &Value) -> Value {
    let values = row.as_array().expect("a row is an array");
    assert_eq!(values.len(), ROW_FIELDS.len());
    let mut m = serde_json::Map::new();
    for (i, (k, v)) in ROW_FIELDS.iter().zip(values).enumerate() {
        if i < REQUIRED_FIELDS || !v.is_null() {
            m.insert(k.to_string(), v.clone());
        }
    }
    Value::Object(m)
}

/// Both paths agree, in both layouts: the same JSON, or both fail alike. The number of results
/// when they decode.
fn agree(body: &[u8]) -> Option<usize> {
    let objects = agree_in(body, Layout::Objects);
    let rows = agree_in(body, Layout::Rows);
    assert_eq!(
        objects, rows,
        "the rows make the same objects as the object layout"
    );
    objects.map(|(n, _)| n)
}

fn agree_in(body: &[u8], layout: Layout) -> Option<(usize, String)> {
    let (a, b) = both(
        body,
        |rs| JsonRows::from_results(rs, layout),
        |r| decode_search_json(r, "results/kpn", layout),
        |rows| rows.len(),
    )?;
    let text = normalized(&a);
    assert_eq!(
        text,
        normalized(&b),
        "JSON differs for {}",
        String::from_utf8_lossy(body)
    );
    Some((a.len(), text))
}

#[test]
fn a_sandbox_page_transcodes_to_the_typed_json() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/data/page500.json");
    let body = std::fs::read(path).unwrap();
    assert_eq!(agree(&body), Some(500));
    let (rows, total) = decode_search_json(&resp(body), "p", Layout::Objects).unwrap();
    assert!(total.unwrap() >= 500);
    let first: Value = serde_json::from_str(&normalized(&rows)).unwrap();
    let r = &first[0];
    // The normalized shape: booleans, derived fields, unknown fields under `extra`.
    assert!(r["own"].is_boolean() && r["checked"].is_boolean());
    assert!(r["timestamp"].is_i64());
    assert!(r["sourceName"].is_string());
    assert!(r["extra"]["language"].is_string());
    assert!(r.get("language").is_none());
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(keys[0], "uniqueId");
    assert_eq!(keys[16], "extra");
}

#[test]
fn the_shared_search_vectors_transcode_the_same() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/envelopes.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut n = 0;
    for case in v["cases"].as_array().unwrap() {
        if case["operation"] != "search" {
            continue;
        }
        let body = serde_json::to_vec(&case["body"]).unwrap();
        let ok = agree(&body).is_some();
        assert_eq!(ok, case.get("error_kind").is_none(), "{}", case["name"]);
        n += 1;
    }
    assert!(n >= 6);
}

#[test]
fn escapes_whitespace_and_odd_envelopes() {
    for body in [
        // Escapes are copied as written; they parse to the same strings.
        r#"{"data":{"results":[{"uniqueId":1,"title":"caf\u00e9 \/ \"q\" \\ \ud83d\ude00","time":"2026-11-26T08:46:55\u005a","x\u00e9":"\n"}]},"status":"SUCCES"}"#,
        // Pretty-printed input.
        "{\n  \"data\": {\n    \"results\": [\n      {\n        \"uniqueId\": 2,\n        \"labels\": [ \"a\" , 1 ],\n        \"caseId\": 7,\n        \"own\": \"1\"\n      }\n    ]\n  }\n}",
        // Duplicate keys: the last value wins, at the first position.
        r#"{"data":{"results":[{"uniqueId":1,"city":"a","title":"x","city":"b","title":"y"}]}}"#,
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
        r#"{"data":{"results":[{"uniqueId":1,"title":[1,{"a":2}],"draft":true,"time":1764146815}]}}"#,
        // Numbers copied as written parse to the value the typed decoder keeps (found by the
        // fast_decoders fuzz target: without correctly rounded parsing, `18466e50` and the
        // `1.8466e54` written back from it were a bit apart).
        r#"{"data":{"results":[{"uniqueId":1,"x":18466e50,"y":[0.1e1,-2.5E-3],"z":123456789012345678901234567890}]}}"#,
    ] {
        agree(body.as_bytes());
    }
    for body in REPEATED_ENVELOPE_FIELDS {
        agree(body.as_bytes());
    }
}

#[test]
fn values_copied_as_written_that_the_typed_decoder_refuses() {
    for (body, copied) in [
        (
            r#"{"data":{"results":[{"uniqueId":1,"big":1e400}]},"status":"SUCCES"}"#,
            r#""big":1e400"#,
        ),
        (
            r#"{"data":{"results":[{"uniqueId":1,"title":"a\ud800b"}]},"status":"SUCCES"}"#,
            r#""a\ud800b""#,
        ),
    ] {
        let r = resp(body.as_bytes().to_vec());
        assert!(decode_search(&r, "p").is_err(), "{body}");
        let (rows, _) = decode_search_json(&r, "p", Layout::Rows).unwrap();
        let text = String::from_utf8(rows.text().to_vec()).unwrap();
        assert!(text.contains(copied), "{text}");
    }
}

#[test]
fn arrays_and_truncation_keep_whole_results() {
    let results: Vec<Value> = (1..=10)
        .map(|i| json!({ "uniqueId": i, "description": "x".repeat(100 * i) }))
        .collect();
    for layout in [Layout::Objects, Layout::Rows] {
        let (rows, _) =
            decode_search_json(&resp(page(results.clone(), false, None)), "p", layout).unwrap();
        assert_eq!(rows.len(), 10);
        // Everything fits: one array, the text as is.
        let whole = rows.clone().into_arrays(1 << 20);
        assert_eq!(whole.len(), 1);
        assert_eq!(
            serde_json::from_slice::<Vec<Value>>(&whole[0])
                .unwrap()
                .len(),
            10
        );
        let arrays = rows.clone().into_arrays(1000);
        assert!(arrays.len() > 1);
        let mut n = 0;
        for a in &arrays {
            let v: Vec<Value> = serde_json::from_slice(a).unwrap();
            assert!(
                a.len() <= 1000 + 2 || v.len() == 1,
                "an array over the limit holds one result"
            );
            n += v.len();
        }
        assert_eq!(n, 10);
        let mut cut = rows.clone();
        cut.truncate(3);
        assert_eq!(cut.len(), 3);
        let all: Vec<Value> = serde_json::from_str(&normalized(&cut)).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[2]["uniqueId"], 3);
        cut.truncate(0);
        assert!(cut.is_empty() && cut.text().is_empty());
        assert_eq!(cut.into_arrays(10), vec![b"[]".to_vec()]);
    }
}

#[test]
fn row_fields_are_the_object_keys_in_order() {
    let body = page(
        vec![
            json!({"uniqueId": 1, "searchId": 2, "caseId": "3", "personId": "4", "profileId": "5", "link": "l", "title": "t", "subtitle": "s", "description": "d", "image": "i", "imageLink": "il", "time": "2026-11-26T08:46:55Z", "source": 1, "tbrank": 2, "draft": "", "defaultConnection": 7, "replyPrefix": "@a ", "replySuffix": "^x"}),
        ],
        false,
        None,
    );
    let (rows, _) = decode_search_json(&resp(body), "p", Layout::Objects).unwrap();
    let v: Vec<Value> = serde_json::from_slice(&rows.into_arrays(1 << 20)[0]).unwrap();
    let keys: Vec<&str> = v[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ROW_FIELDS.to_vec());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]
    #[test]
    fn generated_pages_transcode_the_same(
        rs in prop::collection::vec(result(), 0..6),
        keyed in any::<bool>(),
        total in prop::option::of(0u64..1000),
    ) {
        agree(&page(rs, keyed, total));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    /// One list field per result, so a list the typed decoder refuses is not hidden behind
    /// another field's error.
    #[test]
    fn list_fields_are_accepted_and_refused_alike(body in one_list_field_per_result()) {
        agree(&body);
    }
}

/// A list item that is often in the typed shape: the type's fields in order (now and then one
/// missing, or two swapped), values that are often canonical, sometimes lenient, then extras.
fn near_canonical_item(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(
            prop_oneof![
                3 => (0i64..100_000).prop_map(Value::from),
                2 => Just(Value::Null),
                2 => "[a-z]{0,6}".prop_map(Value::from),
                1 => (-5i64..0).prop_map(Value::from),
                2 => scalar(),
            ],
            fields.len(),
        ),
        0..4usize,
        prop::option::of(0..fields.len()),
        prop::collection::vec(("[a-z]{1,3}", scalar()), 0..3),
    )
        .prop_map(move |(values, mode, pick, extras)| {
            let mut pairs: Vec<(String, Value)> =
                fields.iter().map(|f| f.to_string()).zip(values).collect();
            match (mode, pick) {
                (1, Some(i)) => {
                    pairs.remove(i);
                }
                (2, Some(i)) if i + 1 < pairs.len() => pairs.swap(i, i + 1),
                (3, Some(i)) => {
                    let dup = pairs[i].clone();
                    pairs.push(dup);
                }
                _ => {}
            }
            // Written by hand: a Map would drop the duplicate.
            let members: Vec<String> = pairs
                .into_iter()
                .chain(extras)
                .map(|(k, v)| format!("{}:{}", Value::from(k), v))
                .collect();
            Value::String(format!("{{{}}}", members.join(",")))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]
    /// Lists in (or close to) the typed shape are copied as written only when the typed decoder
    /// gives them back unchanged.
    #[test]
    fn near_canonical_lists_transcode_the_same(
        tags in prop::collection::vec(near_canonical_item(&["id", "name"]), 0..3),
        conns in prop::collection::vec(near_canonical_item(&["id", "name", "source"]), 0..3),
        acts in prop::collection::vec(
            near_canonical_item(&["id", "resultId", "actor", "activity", "subject", "time"]),
            0..3,
        ),
        replies in prop::collection::vec(scalar(), 0..3),
    ) {
        let list = |items: Vec<Value>| {
            let texts: Vec<String> = items.iter().map(|i| i.as_str().unwrap().to_string()).collect();
            format!("[{}]", texts.join(","))
        };
        let replies = serde_json::to_string(&replies).unwrap();
        let body = format!(
            r#"{{"data":{{"results":[{{"uniqueId":1,"tagsList":{},"availableConnections":{},"activities":{},"replies":{}}}]}},"status":"SUCCES"}}"#,
            list(tags),
            list(conns),
            list(acts),
            replies,
        );
        agree(body.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// Sandbox-shaped pages with bytes changed, removed or added: what the typed decoder takes
    /// transcodes the same, and what it refuses is refused alike, unless the transcoder copied as
    /// written what the typed decoder refuses (see `values_copied_as_written_...`; an inserted
    /// `e` can make a number beyond a double's range).
    #[test]
    fn damaged_sandbox_pages_transcode_the_same(body in damaged_sandbox_page()) {
        let r = resp(body.clone());
        let typed_ok = decode_search(&r, "results/kpn").is_ok();
        let fast_ok = decode_search_json(&r, "results/kpn", Layout::Rows).is_ok();
        if typed_ok || !fast_ok {
            agree(&body);
        }
    }
}

#[test]
fn sandbox_pages_with_odd_values_transcode_the_same() {
    for body in sandbox_pages_with_odd_values() {
        assert!(agree(body.as_bytes()).is_some(), "{body}");
    }
}
