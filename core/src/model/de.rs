//! Lenient deserializers for fields the published spec types loosely.

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

fn value_to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "y" | "on" => Some(true),
            "0" | "false" | "no" | "n" | "off" | "" => Some(false),
            _ => None,
        },
        Value::Null => Some(false),
        _ => None,
    }
}

/// A boolean given as `true`/`false`, `0`/`1`, `"0"`/`"1"`, `"true"`/`"false"` or null (false).
pub fn bool_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_bool(&v).ok_or_else(|| de::Error::custom(format!("expected a boolean, got {v}")))
}

fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok()))
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// An optional integer given as a number or a numeric string (null or "" is `None`).
pub fn opt_i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        _ => value_to_i64(&v)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("expected an integer, got {v}"))),
    }
}

/// An integer given as a number or a numeric string (null is 0).
pub fn i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_i64_lenient(d)?.unwrap_or(0))
}

/// A required id given as a number or a numeric string.
pub fn u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_i64(&v)
        .and_then(|i| u64::try_from(i).ok())
        .ok_or_else(|| de::Error::custom(format!("expected a non-negative integer id, got {v}")))
}

/// An optional id given as a number or a numeric string.
pub fn opt_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(opt_i64_lenient(d)?.and_then(|i| u64::try_from(i).ok()))
}

fn value_to_string(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// An optional string given as a string, a number or a boolean (null is `None`).
pub fn opt_string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        v => value_to_string(&v),
    })
}

/// A string given as a string or a number (null is "").
pub fn string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string_lenient(d)?.unwrap_or_default())
}

/// A list of strings; numbers and objects become their JSON text; null is empty; an object
/// becomes its values.
pub fn string_list_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter_map(value_to_string).collect(),
        Value::Object(map) => map.values().filter_map(value_to_string).collect(),
        other => value_to_string(&other).into_iter().collect(),
    })
}

/// A number of seconds given as an integer, a float or a numeric string.
pub fn f64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match &v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    })
}

/// A list of `T` given as a JSON list, an object keyed by id (values taken in order), or null.
pub fn list_or_map<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    let items: Vec<Value> = match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        Value::Object(map) => map.into_iter().map(|(_, v)| v).collect(),
        other => {
            return Err(de::Error::custom(format!(
                "expected a list or an object, got {other}"
            )))
        }
    };
    items
        .into_iter()
        .map(|item| serde_json::from_value(item).map_err(de::Error::custom))
        .collect()
}

/// A list of `T` where each item may also be a bare id; see [`list_or_map`].
pub fn list_or_map_or_ids<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    let items: Vec<Value> = match v {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        Value::Object(map) => map.into_iter().map(|(_, v)| v).collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| {
            let item = match item {
                Value::Number(_) | Value::String(_) => serde_json::json!({ "id": item }),
                other => other,
            };
            serde_json::from_value(item).map_err(de::Error::custom)
        })
        .collect()
}

/// A map of name to integer (`{"twitter": 3}`), accepting numeric strings; also a list of
/// `{key, value}` objects.
pub fn name_id_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<std::collections::BTreeMap<String, i64>, D::Error> {
    let v = Value::deserialize(d)?;
    let mut out = std::collections::BTreeMap::new();
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if let Some(i) = value_to_i64(&v) {
                    out.insert(k, i);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                if let (Some(k), Some(v)) = (
                    item.get("key").and_then(value_to_string),
                    item.get("value").and_then(value_to_i64),
                ) {
                    out.insert(k, v);
                }
            }
        }
        _ => {}
    }
    Ok(out)
}
