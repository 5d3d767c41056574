//! Lenient deserializers for fields the published spec types loosely.

use std::borrow::Cow;

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// Collect the rest of a list or an object into a `Value` (only to describe it in an error or
/// to keep it as JSON text).
fn seq_value<'de, A: de::SeqAccess<'de>>(seq: A) -> Result<Value, A::Error> {
    Value::deserialize(de::value::SeqAccessDeserializer::new(seq))
}

fn map_value<'de, A: de::MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    Value::deserialize(de::value::MapAccessDeserializer::new(map))
}

fn f64_value(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// The scalar visitors below decode straight from the input (no intermediate `Value` per field:
/// profiled, that was most of the time of decoding a search page). Each gives exactly what the
/// `Value`-based rule in its doc comment gives; `tests::lenient_visitors_match_value_rules` checks
/// them against those rules on generated JSON.
struct BoolVisitor;

impl<'de> de::Visitor<'de> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        Ok(v != 0.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        let t = v.trim();
        for yes in ["1", "true", "yes", "y", "on"] {
            if t.eq_ignore_ascii_case(yes) {
                return Ok(true);
            }
        }
        for no in ["0", "false", "no", "n", "off", ""] {
            if t.eq_ignore_ascii_case(no) {
                return Ok(false);
            }
        }
        Err(E::custom(format!(
            "expected a boolean, got {}",
            Value::String(v.to_owned())
        )))
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        let v = seq_value(seq)?;
        Err(de::Error::custom(format!("expected a boolean, got {v}")))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        let v = map_value(map)?;
        Err(de::Error::custom(format!("expected a boolean, got {v}")))
    }
}

/// A boolean given as `true`/`false`, `0`/`1`, `"0"`/`"1"`, `"true"`/`"false"` or null (false).
pub fn bool_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(BoolVisitor)
}

fn f64_to_i64(f: f64) -> Option<i64> {
    Some(f as i64).filter(|_| f.fract() == 0.0 && f.abs() < 9.0e15)
}

/// What an integer field held: an integer, nothing (null or blank text), or something else.
enum IntValue {
    Int(i64),
    Nothing,
    Bad(Value),
}

struct IntVisitor;

impl<'de> de::Visitor<'de> for IntVisitor {
    type Value = IntValue;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an integer")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<IntValue, E> {
        Ok(IntValue::Int(i64::from(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<IntValue, E> {
        Ok(IntValue::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<IntValue, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => IntValue::Int(i),
            // As a float it is far above 9e15: not an integer this API uses.
            Err(_) => IntValue::Bad(Value::from(v)),
        })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<IntValue, E> {
        Ok(match f64_to_i64(v) {
            Some(i) => IntValue::Int(i),
            None => IntValue::Bad(f64_value(v)),
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<IntValue, E> {
        let t = v.trim();
        Ok(if t.is_empty() {
            IntValue::Nothing
        } else {
            match t.parse::<i64>() {
                Ok(i) => IntValue::Int(i),
                Err(_) => IntValue::Bad(Value::String(v.to_owned())),
            }
        })
    }
    fn visit_unit<E: de::Error>(self) -> Result<IntValue, E> {
        Ok(IntValue::Nothing)
    }
    fn visit_none<E: de::Error>(self) -> Result<IntValue, E> {
        Ok(IntValue::Nothing)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<IntValue, A::Error> {
        Ok(IntValue::Bad(seq_value(seq)?))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<IntValue, A::Error> {
        Ok(IntValue::Bad(map_value(map)?))
    }
}

/// An optional integer given as a number or a numeric string (null or "" is `None`).
pub fn opt_i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match d.deserialize_any(IntVisitor)? {
        IntValue::Int(i) => Ok(Some(i)),
        IntValue::Nothing => Ok(None),
        IntValue::Bad(v) => Err(de::Error::custom(format!("expected an integer, got {v}"))),
    }
}

/// An integer given as a number or a numeric string (null is 0).
pub fn i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_i64_lenient(d)?.unwrap_or(0))
}

/// A required id given as a number or a numeric string.
pub fn u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let bad = |v: Value| de::Error::custom(format!("expected a non-negative integer id, got {v}"));
    match d.deserialize_any(IntVisitor)? {
        IntValue::Int(i) => u64::try_from(i).map_err(|_| bad(Value::from(i))),
        IntValue::Nothing => Err(bad(Value::Null)),
        IntValue::Bad(v) => Err(bad(v)),
    }
}

/// An optional id given as a number or a numeric string.
pub fn opt_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(opt_i64_lenient(d)?.and_then(|i| u64::try_from(i).ok()))
}

fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok()))
            .or_else(|| n.as_f64().and_then(f64_to_i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
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

/// A lenient optional string (the rule of [`opt_string_lenient`]), borrowed from the input
/// when JSON allows (no escapes): the columnar decoder keeps it borrowed.
pub(crate) struct OptCowStr;

impl<'de> de::DeserializeSeed<'de> for OptCowStr {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for OptCowStr {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(value_to_string(&f64_value(v)).map(Cow::Owned))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok(Some(Cow::Owned(seq_value(seq)?.to_string())))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(Some(Cow::Owned(map_value(map)?.to_string())))
    }
}

/// An optional string given as a string, a number or a boolean (null is `None`; a list or an
/// object is kept as its JSON text).
pub fn opt_string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptCowStr).map(|s| s.map(Cow::into_owned))
}

/// A string given as a string or a number (null is "").
pub fn string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_string_lenient(d)?.unwrap_or_default())
}

/// A list of strings; numbers and objects become their JSON text; null is empty; an object
/// becomes its values.
pub fn string_list_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of strings")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element_seed(OptStringLenient)? {
                out.extend(s);
            }
            Ok(out)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while map.next_key::<de::IgnoredAny>()?.is_some() {
                out.extend(map.next_value_seed(OptStringLenient)?);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<String>, E> {
            Ok(OptCowStr
                .visit_bool(v)?
                .map(Cow::into_owned)
                .into_iter()
                .collect())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<String>, E> {
            Ok(OptCowStr
                .visit_i64(v)?
                .map(Cow::into_owned)
                .into_iter()
                .collect())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<String>, E> {
            Ok(OptCowStr
                .visit_u64(v)?
                .map(Cow::into_owned)
                .into_iter()
                .collect())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<String>, E> {
            Ok(OptCowStr
                .visit_f64(v)?
                .map(Cow::into_owned)
                .into_iter()
                .collect())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_owned()])
        }
    }
    d.deserialize_any(V)
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

/// The items of a list, or the values of an object keyed by id, each as a `Value`; null is
/// empty; anything else is `Err(value)` (the caller decides). Only the items are buffered, not
/// the whole list (an empty list costs nothing).
fn list_items<'de, D: Deserializer<'de>>(d: D) -> Result<Result<Vec<Value>, Value>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Result<Vec<Value>, Value>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list or an object")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element::<Value>()? {
                out.push(v);
            }
            Ok(Ok(out))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while map.next_key::<de::IgnoredAny>()?.is_some() {
                out.push(map.next_value::<Value>()?);
            }
            Ok(Ok(out))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Ok(Vec::new()))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Ok(Vec::new()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Err(Value::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Err(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Err(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Err(f64_value(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Err(Value::String(v.to_owned())))
        }
    }
    d.deserialize_any(V)
}

/// A list of `T` given as a JSON list, an object keyed by id (values taken in order), or null.
pub fn list_or_map<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let items = list_items(d)?
        .map_err(|other| de::Error::custom(format!("expected a list or an object, got {other}")))?;
    items
        .into_iter()
        .map(|item| serde_json::from_value(item).map_err(de::Error::custom))
        .collect()
}

/// Tags (`tagsList`): [`list_or_map`] of [`super::Tag`], decoded without buffering each tag.
pub fn tag_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<super::Tag>, D::Error> {
    struct TagSeed;
    impl<'de> de::DeserializeSeed<'de> for TagSeed {
        type Value = super::Tag;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<super::Tag, D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> de::Visitor<'de> for TagSeed {
        type Value = super::Tag;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a tag object")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<super::Tag, A::Error> {
            let mut t = super::Tag::default();
            while let Some(k) = map.next_key::<String>()? {
                match k.as_str() {
                    "id" => t.id = map.next_value_seed(OptU64Lenient)?,
                    "name" => t.name = map.next_value_seed(OptStringLenient)?.unwrap_or_default(),
                    _ => {
                        let v: Value = map.next_value()?;
                        t.extra.insert(k, v);
                    }
                }
            }
            Ok(t)
        }
    }
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Vec<super::Tag>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list or an object")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(t) = seq.next_element_seed(TagSeed)? {
                out.push(t);
            }
            Ok(out)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while map.next_key::<de::IgnoredAny>()?.is_some() {
                out.push(map.next_value_seed(TagSeed)?);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

/// Connections (`availableConnections`): [`list_or_map_or_ids`] of [`super::Connection`],
/// decoded without buffering each connection.
pub fn connection_list<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<super::Connection>, D::Error> {
    use super::Connection;
    fn bare_id<E: de::Error>(v: Value) -> Result<Connection, E> {
        Ok(Connection {
            id: u64_lenient(v).map_err(E::custom)?,
            ..Connection::default()
        })
    }
    struct ConnSeed;
    impl<'de> de::DeserializeSeed<'de> for ConnSeed {
        type Value = Connection;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Connection, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> de::Visitor<'de> for ConnSeed {
        type Value = Connection;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a connection object or id")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Connection, A::Error> {
            let mut c = Connection::default();
            while let Some(k) = map.next_key::<String>()? {
                match k.as_str() {
                    "id" => c.id = map.next_value_seed(U64Lenient)?,
                    "name" => c.name = map.next_value_seed(OptStringLenient)?,
                    "source" => c.source = map.next_value_seed(OptI64Lenient)?,
                    _ => {
                        let v: Value = map.next_value()?;
                        c.extra.insert(k, v);
                    }
                }
            }
            Ok(c)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Connection, E> {
            bare_id(Value::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Connection, E> {
            bare_id(Value::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Connection, E> {
            bare_id(f64_value(v))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Connection, E> {
            bare_id(Value::String(v.to_owned()))
        }
    }
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Vec<Connection>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list or an object of connections")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(c) = seq.next_element_seed(ConnSeed)? {
                out.push(c);
            }
            Ok(out)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while map.next_key::<de::IgnoredAny>()?.is_some() {
                out.push(map.next_value_seed(ConnSeed)?);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(vec![ConnSeed.visit_i64(v)?])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(vec![ConnSeed.visit_u64(v)?])
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(vec![ConnSeed.visit_f64(v)?])
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![ConnSeed.visit_str(v)?])
        }
    }
    d.deserialize_any(V)
}

/// A list of `T` where each item may also be a bare id; see [`list_or_map`].
pub fn list_or_map_or_ids<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let items = list_items(d)?.unwrap_or_else(|other| vec![other]);
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

/// The rules above as `DeserializeSeed`s, for the hand-written decoders (`WebcareResult`, the
/// columnar decoder, the lists here).
macro_rules! seeds {
    ($($name:ident: $t:ty = $f:expr;)*) => {$(
        pub(crate) struct $name;
        impl<'de> de::DeserializeSeed<'de> for $name {
            type Value = $t;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$t, D::Error> {
                $f(d)
            }
        }
    )*};
}

seeds! {
    U64Lenient: u64 = u64_lenient;
    OptU64Lenient: Option<u64> = opt_u64_lenient;
    I64Lenient: i64 = i64_lenient;
    OptI64Lenient: Option<i64> = opt_i64_lenient;
    BoolLenient: bool = bool_lenient;
    OptStringLenient: Option<String> = opt_string_lenient;
    StringListLenient: Vec<String> = string_list_lenient;
    TagList: Vec<super::Tag> = tag_list;
    ConnectionList: Vec<super::Connection> = connection_list;
    ActivityList: Vec<super::Activity> = list_or_map::<D, super::Activity>;
}

#[cfg(test)]
mod tests {
    //! The visitors against the `Value`-based rules they replaced (the rules in the doc comments).
    use super::*;
    use proptest::prelude::*;

    fn ref_bool(v: &Value) -> Option<bool> {
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

    fn ref_opt_i64(v: &Value) -> std::result::Result<Option<i64>, String> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            _ => value_to_i64(v)
                .map(Some)
                .ok_or_else(|| format!("expected an integer, got {v}")),
        }
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1.0e17f64..1.0e17).prop_map(f64_value),
            (-100i64..100).prop_map(|i| Value::from(i as f64)),
            prop_oneof![
                Just(" 1 "),
                Just("TRUE"),
                Just("yes"),
                Just("Off"),
                Just(""),
                Just("  "),
                Just("12"),
                Just("-7"),
                Just("1.5"),
                Just("x"),
                Just("9223372036854775808"),
                Just("ja"),
                Just("é"),
            ]
            .prop_map(|s| Value::String(s.to_string())),
            "[a-z0-9 .-]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec(("[a-c]", inner), 0..3)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn via<T>(
        text: &str,
        f: impl FnOnce(
            &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
        ) -> std::result::Result<T, serde_json::Error>,
    ) -> std::result::Result<T, String> {
        let mut d = serde_json::Deserializer::from_str(text);
        f(&mut d).map_err(|e| e.to_string())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn lenient_visitors_match_value_rules(v in json()) {
            let text = v.to_string();
            // The value as serde_json reads it back (floats may round-trip differently).
            let v: Value = serde_json::from_str(&text).unwrap();
            let b = via(&text, |d| bool_lenient(d));
            match ref_bool(&v) {
                Some(x) => prop_assert_eq!(b, Ok(x)),
                None => {
                    let want = format!("expected a boolean, got {v}");
                    prop_assert!(b.unwrap_err().starts_with(&want));
                }
            }
            let i = via(&text, |d| opt_i64_lenient(d));
            match ref_opt_i64(&v) {
                Ok(x) => prop_assert_eq!(i, Ok(x)),
                Err(m) => prop_assert!(i.unwrap_err().starts_with(&m)),
            }
            let u = via(&text, |d| u64_lenient(d));
            match value_to_i64(&v).and_then(|i| u64::try_from(i).ok()) {
                Some(x) => prop_assert_eq!(u, Ok(x)),
                None => prop_assert!(u.unwrap_err().starts_with("expected a non-negative integer id, got")),
            }
            let s = via(&text, |d| opt_string_lenient(d));
            prop_assert_eq!(s, Ok(value_to_string(&v)));
            let l = via(&text, |d| string_list_lenient(d));
            let want: Vec<String> = match &v {
                Value::Null => Vec::new(),
                Value::Array(items) => items.iter().filter_map(value_to_string).collect(),
                Value::Object(map) => map.values().filter_map(value_to_string).collect(),
                other => value_to_string(other).into_iter().collect(),
            };
            prop_assert_eq!(l, Ok(want));
            let tags = via(&text, |d| tag_list(d));
            let want = via(&text, |d| list_or_map::<_, super::super::Tag>(d));
            match want {
                Ok(w) => prop_assert_eq!(tags, Ok(w)),
                Err(_) => prop_assert!(tags.is_err()),
            }
            let items = via(&text, |d| list_or_map::<_, Value>(d));
            match &v {
                Value::Null => prop_assert_eq!(items, Ok(Vec::new())),
                Value::Array(a) => prop_assert_eq!(items, Ok(a.clone())),
                Value::Object(m) => prop_assert_eq!(items, Ok(m.values().cloned().collect())),
                other => {
                    let want = format!("expected a list or an object, got {other}");
                    prop_assert!(items.unwrap_err().starts_with(&want));
                }
            }
        }
    }

    fn conn_json() -> impl Strategy<Value = Value> {
        keyed_json(&["id", "name", "source", "visible"])
    }

    fn tag_json() -> impl Strategy<Value = Value> {
        keyed_json(&["id", "name", "type", "visible"])
    }

    fn keyed_json(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
        let item = move || {
            prop::collection::vec((prop::sample::select(keys), json()), 0..4).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            })
        };
        prop_oneof![
            prop::collection::vec(prop_oneof![4 => item(), 1 => json()], 0..4)
                .prop_map(Value::Array),
            prop::collection::vec(("[0-9]{1,2}", item()), 0..3)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            json(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn connection_lists_match_the_value_rule(v in conn_json()) {
            let text = v.to_string();
            let got = via(&text, |d| connection_list(d));
            match via(&text, |d| list_or_map_or_ids::<_, super::super::Connection>(d)) {
                Ok(w) => prop_assert_eq!(got, Ok(w)),
                Err(_) => prop_assert!(got.is_err()),
            }
        }

        #[test]
        fn tag_lists_match_the_value_rule(v in tag_json()) {
            let text = v.to_string();
            let tags = via(&text, |d| tag_list(d));
            match via(&text, |d| list_or_map::<_, super::super::Tag>(d)) {
                Ok(w) => prop_assert_eq!(tags, Ok(w)),
                Err(_) => prop_assert!(tags.is_err()),
            }
        }
    }
}
