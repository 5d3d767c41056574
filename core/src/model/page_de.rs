//! The walk over a search response shared by the fast page decoders (the columnar one and the
//! JSON transcoder): they differ only in what they do with each result.

use std::borrow::Cow;
use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

/// An object key, borrowed from the input when it has no escapes.
pub(crate) struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// What a fast decoder does with each result of `data.results`.
pub(crate) trait ResultSink {
    /// Decode one result (any JSON value; refusing it sends the page to the typed decoder).
    fn push<'de, D: Deserializer<'de>>(&mut self, d: D) -> Result<(), D::Error>;
}

/// Hand every result of a search response (`{"data": {"results": ..., "total": n}, "status":
/// ...}`, results an object keyed by id or a list) to `sink`, in the order served, and give
/// `data.total`. `None` when the body is not UTF-8, not that shape, not a success, or a result
/// was refused: the caller then decodes the page the typed way, which reports the precise error
/// (and whatever the sink holds is thrown away).
pub(crate) fn walk_search<S: ResultSink>(body: &[u8], sink: &mut S) -> Option<Option<u64>> {
    // Checking the UTF-8 of the whole body once is faster than string by string.
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let env = EnvelopeSeed(sink).deserialize(&mut de).ok()?;
    de.end().ok()?;
    env.success.then_some(env.total)
}

/// What the envelope said besides the results.
struct Envelope {
    success: bool,
    total: Option<u64>,
}

struct EnvelopeSeed<'s, S>(&'s mut S);

impl<'de, S: ResultSink> DeserializeSeed<'de> for EnvelopeSeed<'_, S> {
    type Value = Envelope;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Envelope, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: ResultSink> Visitor<'de> for EnvelopeSeed<'_, S> {
    type Value = Envelope;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Webcare envelope")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut total = None;
        let mut status: Option<String> = None;
        let mut seen_data = false;
        let mut seen_status = false;
        while let Some(key) = map.next_key_seed(Key)? {
            match key.as_ref() {
                "data" if !seen_data => {
                    seen_data = true;
                    total = map.next_value_seed(DataSeed(&mut *self.0))?;
                }
                // A second `data` would replace the first: leave that to the typed decoder.
                "data" => return Err(A::Error::custom("duplicate data")),
                // The typed decoder refuses a repeated `status` (and `data`, `results`, `total`).
                "status" if !seen_status => {
                    seen_status = true;
                    status = map.next_value()?;
                }
                "status" => return Err(A::Error::custom("duplicate status")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let success = super::status_is_success(status.as_deref().unwrap_or(""));
        Ok(Envelope { success, total })
    }
}

struct DataSeed<'s, S>(&'s mut S);

impl<'de, S: ResultSink> DeserializeSeed<'de> for DataSeed<'_, S> {
    type Value = Option<u64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: ResultSink> Visitor<'de> for DataSeed<'_, S> {
    type Value = Option<u64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the data of a search")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<u64>, A::Error> {
        let mut total = None;
        let mut seen_results = false;
        let mut seen_total = false;
        while let Some(key) = map.next_key_seed(Key)? {
            match key.as_ref() {
                "results" if !seen_results => {
                    seen_results = true;
                    map.next_value_seed(ResultsSeed(&mut *self.0))?;
                }
                "results" => return Err(A::Error::custom("duplicate results")),
                "total" if !seen_total => {
                    seen_total = true;
                    total = map.next_value::<Option<u64>>()?;
                }
                "total" => return Err(A::Error::custom("duplicate total")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(total)
    }
}

struct ResultsSeed<'s, S>(&'s mut S);

impl<'de, S: ResultSink> DeserializeSeed<'de> for ResultsSeed<'_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: ResultSink> Visitor<'de> for ResultsSeed<'_, S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of results keyed by id, or a list")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(Push(&mut *self.0))?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Push(&mut *self.0))?.is_some() {}
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// One result, handed to the sink.
struct Push<'s, S>(&'s mut S);

impl<'de, S: ResultSink> DeserializeSeed<'de> for Push<'_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0.push(d)
    }
}
