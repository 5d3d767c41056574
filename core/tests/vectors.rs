#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The shared test vectors in `tests/vectors/`, read by every language's tests.

use std::path::PathBuf;

use serde_json::Value;
use webcare::decode::decode_operation;
use webcare::{ErrorKind, Filter, SearchPath};

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn filter_vectors() {
    let v = load("filters.json");
    let valid = v["valid"].as_array().unwrap();
    assert!(valid.len() >= 30);
    for case in valid {
        let name = case["name"].as_str().unwrap();
        let profile = case["profile"].as_str().unwrap();
        let filter: Filter = serde_json::from_value(case["filter"].clone())
            .unwrap_or_else(|e| panic!("{name}: filter JSON: {e}"));
        let path = case["path"].as_str().unwrap();
        assert_eq!(filter.to_path(profile), path, "{name}: render");
        let mut paths = vec![path.to_string()];
        if let Some(alts) = case["alternates"].as_array() {
            paths.extend(alts.iter().map(|a| a.as_str().unwrap().to_string()));
        }
        for p in paths {
            let parsed = SearchPath::parse(&p).unwrap_or_else(|e| panic!("{name}: parse {p}: {e}"));
            assert_eq!(parsed.profile, profile, "{name}: profile of {p}");
            assert_eq!(parsed.filter, filter, "{name}: filter of {p}");
            assert_eq!(parsed.render(), path, "{name}: canonical of {p}");
        }
        // The JSON form round-trips too.
        let back: Filter = serde_json::from_value(serde_json::to_value(&filter).unwrap()).unwrap();
        assert_eq!(back, filter, "{name}: JSON round trip");
    }
    for case in v["invalid"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let path = case["path"].as_str().unwrap();
        let err = SearchPath::parse(path).expect_err(name);
        assert_eq!(
            err.kind().as_str(),
            case["error_kind"].as_str().unwrap(),
            "{name}"
        );
        let needle = case["error_contains"].as_str().unwrap();
        assert!(
            err.message().contains(needle),
            "{name}: '{}' does not contain '{needle}'",
            err.message()
        );
    }
}

fn body_of(case: &Value) -> Vec<u8> {
    match case.get("raw") {
        Some(Value::String(s)) => s.as_bytes().to_vec(),
        _ => serde_json::to_vec(&case["body"]).unwrap(),
    }
}

#[test]
fn envelope_vectors() {
    let v = load("envelopes.json");
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let op = case["operation"].as_str().unwrap();
        let out = decode_operation(op, 200, &[], &body_of(case));
        if let Some(kind) = case.get("error_kind").and_then(Value::as_str) {
            let e = out.expect_err(name);
            assert_eq!(e.kind(), ErrorKind::parse(kind).unwrap(), "{name}: {e}");
            if let Some(n) = case.get("error_contains").and_then(Value::as_str) {
                assert!(e.message().contains(n), "{name}: {}", e.message());
            }
            continue;
        }
        let out = out.unwrap_or_else(|e| panic!("{name}: {e}"));
        let expect = &case["expect"];
        match op {
            "search" => {
                let results = out["results"].as_array().unwrap();
                let ids: Vec<u64> = results
                    .iter()
                    .map(|r| r["uniqueId"].as_u64().unwrap())
                    .collect();
                let want: Vec<u64> = expect["ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_u64().unwrap())
                    .collect();
                assert_eq!(ids, want, "{name}: ids");
                if let Some(t) = expect.get("total") {
                    assert_eq!(&out["total"], t, "{name}: total");
                }
                for key in ["fields", "extra"] {
                    if let Some(Value::Object(by_index)) = expect.get(key) {
                        for (i, fields) in by_index {
                            let r = &results[i.parse::<usize>().unwrap()];
                            for (f, want) in fields.as_object().unwrap() {
                                assert_eq!(&r[f], want, "{name}: result {i} field {f}");
                            }
                        }
                    }
                }
            }
            "configuration" => {
                assert_eq!(out["account"]["company"], expect["company"], "{name}");
                assert_eq!(out["globals"]["sources"], expect["sources"], "{name}");
                let ids: Vec<Value> = out["account"]["users"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["id"].clone())
                    .collect();
                assert_eq!(Value::Array(ids), expect["user_ids"], "{name}");
                let names: Vec<Value> = out["account"]["searches"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["name"].clone())
                    .collect();
                assert_eq!(Value::Array(names), expect["search_names"], "{name}");
                assert_eq!(
                    out["account"]["searches"][0]["webcareTabs"][0]["filters"],
                    expect["first_tab_filters"]
                );
                assert_eq!(
                    out["account"]["searches"][0]["webcareTabs"][0]["onChangeSetChecked"],
                    Value::Bool(true)
                );
                let conns: Vec<Value> = out["account"]["connections"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].clone())
                    .collect();
                assert_eq!(Value::Array(conns), expect["connection_ids"], "{name}");
            }
            _ => {
                for (k, want) in expect.as_object().unwrap() {
                    assert_eq!(&out[k], want, "{name}: {k}");
                }
            }
        }
    }
}

#[test]
fn error_vectors() {
    let v = load("errors.json");
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let status = case["status"].as_u64().unwrap() as u16;
        let headers: Vec<(String, String)> = case["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let body = case["body"].as_str().unwrap().as_bytes();
        let e = decode_operation("ack", status, &headers, body).expect_err(name);
        let x = &case["expect"];
        assert_eq!(e.kind().as_str(), x["kind"].as_str().unwrap(), "{name}");
        assert_eq!(e.status(), Some(status), "{name}");
        if let Some(id) = x.get("request_id").and_then(Value::as_str) {
            assert_eq!(e.request_id(), Some(id), "{name}");
        }
        if let Some(m) = x.get("message").and_then(Value::as_str) {
            assert_eq!(e.message(), m, "{name}");
        }
        if let Some(m) = x.get("message_contains").and_then(Value::as_str) {
            assert!(e.message().contains(m), "{name}: {}", e.message());
        }
        if let Some(s) = x.get("retry_after_secs").and_then(Value::as_u64) {
            assert_eq!(e.retry_after().map(|d| d.as_secs()), Some(s), "{name}");
        }
    }
}
