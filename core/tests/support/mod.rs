#![allow(dead_code, clippy::unwrap_used)]
//! What the tests of the fast page decoders share: responses, and generated results whose
//! fields take every form the lenient rules meet.

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use webcare::decode::{decode_search, HttpResponse};
use webcare::WebcareResult;

/// A 200 response with this body.
pub fn resp(body: impl Into<Vec<u8>>) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: Vec::new(),
        body: bytes::Bytes::from(body.into()),
    }
}

/// The typed decoder (then `typed`) and a fast decoder on one body: both decode, with the same
/// total (their outputs are returned to compare), or both fail with the same error. Panics on
/// anything else.
pub fn both<T>(
    body: &[u8],
    typed: impl FnOnce(&[WebcareResult]) -> webcare::Result<T>,
    fast: impl FnOnce(&HttpResponse) -> webcare::Result<(T, Option<u64>)>,
    len: impl Fn(&T) -> usize,
) -> Option<(T, T)> {
    let r = resp(body.to_vec());
    let slow = decode_search(&r, "results/kpn").and_then(|(rs, total)| Ok((typed(&rs)?, total)));
    match (slow, fast(&r)) {
        (Ok((a, ta)), Ok((b, tb))) => {
            assert_eq!(
                ta,
                tb,
                "totals differ for {}",
                String::from_utf8_lossy(body)
            );
            Some((a, b))
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.kind(), b.kind());
            assert_eq!(a.to_string(), b.to_string());
            None
        }
        (a, b) => panic!(
            "typed {:?} vs fast {:?} for {}",
            a.map(|x| len(&x.0)),
            b.map(|x| len(&x.0)),
            String::from_utf8_lossy(body)
        ),
    }
}

/// A successful search response: `results` keyed by position or as a list, with a total.
pub fn page(results: Vec<Value>, keyed: bool, total: Option<u64>) -> Vec<u8> {
    let results = if keyed {
        Value::Object(
            results
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i.to_string(), r))
                .collect(),
        )
    } else {
        Value::Array(results)
    };
    let mut data = json!({ "results": results });
    if let Some(t) = total {
        data["total"] = json!(t);
    }
    serde_json::to_vec(&json!({ "data": data, "status": "SUCCES", "messages": [] })).unwrap()
}

pub fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..100_000).prop_map(Value::from),
        (-2.0f64..3.0).prop_map(|f| json!(f)),
        Just(json!(2.0)),
        prop_oneof![
            Just("1"),
            Just("0"),
            Just(" 12 "),
            Just(""),
            Just("true"),
            Just("no"),
            Just("x"),
            Just("2026-11-26T08:46:55Z"),
            Just("2026-11-26 08:46:55"),
            Just("1764146815"),
            Just("quote \" and \\\\ backslash \u{e9}"),
            Just("line\nbreak"),
            Just("-2"),
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

pub fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => scalar(),
        1 => prop::collection::vec(scalar(), 0..3).prop_map(Value::Array),
        1 => prop::collection::vec(
            prop_oneof![
                scalar().prop_map(|n| json!({"id": 1, "name": n})),
                (scalar(), scalar()).prop_map(|(a, b)| json!({"id": a, "source": b, "name": "x"})),
                scalar().prop_map(|a| json!({"id": a, "type": "label"})),
                Just(json!({"name": "feedback", "type": "label"})),
                scalar(),
            ],
            0..3
        ).prop_map(Value::Array),
        1 => Just(json!({"7": {"id": 7, "name": "klacht"}, "8": {"name": "x"}})),
    ]
}

pub const FIELDS: &[&str] = &[
    "searchId",
    "caseId",
    "personId",
    "profileId",
    "link",
    "title",
    "subtitle",
    "description",
    "image",
    "imageLink",
    "time",
    "private",
    "own",
    "source",
    "type",
    "status",
    "sentiment",
    "checked",
    "bookmarked",
    "tbrank",
    "tagsList",
    "activities",
    "replies",
    "notes",
    "draft",
    "availableConnections",
    "defaultConnection",
    "replyPrefix",
    "replySuffix",
    "replyAvailable",
    "likeAvailable",
    "language",
    "handler",
    "labels",
    "caseStatus",
    "parentId",
    "other",
];

pub fn result() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            8 => (1u64..10_000_000).prop_map(Value::from),
            1 => Just(json!("42")),
            1 => Just(Value::Null),
        ],
        any::<bool>(),
        prop::collection::vec((prop::sample::select(FIELDS), field_value()), 0..14),
    )
        .prop_map(|(id, with_id, fields)| {
            let mut m = Map::new();
            if with_id {
                m.insert("uniqueId".into(), id);
            }
            for (k, v) in fields {
                m.insert(k.to_string(), v);
            }
            Value::Object(m)
        })
}

/// A search body with one list field per result (the rest valid), so a list the typed decoder
/// refuses is not hidden behind another field's error.
pub fn one_list_field_per_result() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (
            prop::sample::select(
                &[
                    "tagsList",
                    "availableConnections",
                    "replies",
                    "notes",
                    "activities",
                ][..],
            ),
            field_value(),
        ),
        1..4,
    )
    .prop_map(|fields| {
        let results: Vec<Value> = fields
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| json!({ "uniqueId": i + 1, k: v }))
            .collect();
        serde_json::to_vec(&json!({ "data": { "results": results } })).unwrap()
    })
}

/// The sandbox page cut to its first `n` (at most 3) results, keys in the order the API writes
/// them (which the byte scanner expects first).
pub fn sandbox_results(n: usize) -> Vec<u8> {
    static PAGE: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let mut v = PAGE
        .get_or_init(|| {
            let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("benches/data/page500.json");
            let mut v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            let results = v["data"]["results"].as_object_mut().unwrap();
            *results = results
                .iter()
                .take(3)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            v
        })
        .clone();
    assert!(n <= 3);
    let results = v["data"]["results"].as_object_mut().unwrap();
    *results = results
        .iter()
        .take(n)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::to_vec(&v).unwrap()
}

/// A three-result sandbox page with one to three bytes changed, removed or added (broken JSON,
/// odd values, other keys).
pub fn damaged_sandbox_page() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop::sample::select(b"\"\\,:{}[]0-.eE1n tu\x01\xc3x".to_vec());
    prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, byte), 1..4).prop_map(|edits| {
        let mut body = sandbox_results(3);
        for (at, how, byte) in edits {
            let i = at.index(body.len());
            match how {
                0 => body[i] = byte,
                1 => {
                    body.remove(i);
                }
                _ => body.insert(i, byte),
            }
        }
        body
    })
}

/// Two-result sandbox pages, each with one value in a form the lenient rules take (valid for
/// the typed decoder).
pub fn sandbox_pages_with_odd_values() -> Vec<String> {
    let body = String::from_utf8(sandbox_results(2)).unwrap();
    [
        (r#""private":true"#, r#""private":"yes""#),
        (r#""own":0"#, r#""own":null"#),
        (r#""source":3"#, r#""source":"3""#),
        (r#""tbrank":3"#, r#""tbrank":2.0"#),
        (r#""searchId":1"#, r#""searchId":-1"#),
        (r#""title":"#, r#""title":12,"x":"#),
        (
            r#""description":"#,
            r#""description":"Caf\u00e9 \"quoted\"","d2":"#,
        ),
        (r#""uniqueId":"#, r#""unique\u0049d":"#),
        (r#""language":"#, r#""lang\u0075age":"#),
        (r#""replies":[]"#, r#""replies":[null,1,"2"]"#),
        (r#""replies":[]"#, r#""replies":null"#),
        (r#""notes":[]"#, r#""notes":[[1]]"#),
        (r#""tagsList":["#, r#""tagsList":[{"name":null},"#),
        (
            r#""availableConnections":["#,
            r#""availableConnections":[7,"#,
        ),
        (
            r#""handler":null"#,
            r#""handler":{"a":[1,2.5,-0,"x",true]}"#,
        ),
        (r#""handler":null"#, r#""handler":1E5"#),
        (r#""status":1"#, r#""status":1,"status":2"#),
        (r#""time":""#, r#""time":"not a time","t":""#),
    ]
    .iter()
    .map(|(from, to)| {
        assert!(body.contains(from), "{from}");
        body.replacen(from, to, 1)
    })
    .collect()
}

/// Envelopes with a repeated field the typed decoder refuses (`status`), or reads only on its
/// slow path (`total`), though their results are fine: the fast decoders leave them to it (found
/// by the `fast_decoders` fuzz target: they took the last `status`).
pub const REPEATED_ENVELOPE_FIELDS: &[&str] = &[
    r#"{"data":{"results":[{"uniqueId":1}]},"status":"SUCCES","status":"SUCCES"}"#,
    r#"{"status":"SUCCES","data":{"results":[{"uniqueId":1}]},"status":"ERROR"}"#,
    r#"{"data":{"results":[{"uniqueId":1}]},"messages":[],"status":"x","messages":[],"status":"SUCCES"}"#,
    r#"{"data":{"results":[{"uniqueId":1}],"total":1,"total":2}}"#,
    r#"{"data":{"results":[{"uniqueId":1}],"total":1,"total":2},"messages":[],"messages":[]}"#,
];
