//! Results as Arrow columns (feature `arrow`): the table schema, record batches from decoded
//! results, and a columnar decoder that reads a search response straight into Arrow builders.
//!
//! The columnar decoder is the fast path of the DataFrame exports: it never builds a
//! [`WebcareResult`] (no per-field `String`, no `extra` map of JSON values), it skips the fields
//! that have no column, and it borrows strings from the response where JSON allows it. It applies
//! the same lenient rules as the typed decoder, column by column, so
//! `decode_search_batch(resp) == batch(decode_search(resp))` for every response the typed
//! decoder accepts (tested); a response it does not take is decoded the typed way, which gives
//! the precise error.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, BooleanArray, Int64Array, Int8Array, RecordBatch, TimestampMillisecondArray,
    UInt32Array, UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::filter::Source;
use crate::model::de::{
    BoolLenient, I64Lenient, OptCowStr, OptI64Lenient, OptU64Lenient, StringListLenient, U64Lenient,
};
use crate::model::page_de::{walk_search, Key, ResultSink};
use crate::model::{self, parse_time_ms, WebcareResult};
use crate::sentiment::SentimentClass;
use crate::transport::HttpResponse;

mod scan;

/// The standard columns of a results table, in order.
pub fn schema() -> SchemaRef {
    static SCHEMA: OnceLock<SchemaRef> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let s = |n: &str| Field::new(n, DataType::Utf8, true);
            let b = |n: &str| Field::new(n, DataType::Boolean, false);
            Arc::new(Schema::new(vec![
                Field::new("unique_id", DataType::UInt64, false),
                Field::new(
                    "time",
                    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
                    true,
                ),
                Field::new("source", DataType::Int64, false),
                s("source_name"),
                Field::new("type", DataType::Int64, false),
                Field::new("status", DataType::Int64, false),
                Field::new("sentiment", DataType::Int8, false),
                Field::new("sentiment_label", DataType::Utf8, false),
                b("private"),
                b("own"),
                b("checked"),
                b("bookmarked"),
                s("title"),
                s("subtitle"),
                s("description"),
                s("case_id"),
                s("person_id"),
                s("profile_id"),
                Field::new("search_id", DataType::UInt64, true),
                s("link"),
                b("reply_available"),
                b("like_available"),
                Field::new("default_connection", DataType::UInt64, true),
                Field::new("tbrank", DataType::Int64, true),
                Field::new(
                    "tags",
                    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
                    false,
                ),
                Field::new("reply_count", DataType::UInt32, false),
            ]))
        })
        .clone()
}

/// The standard columns plus one string column per requested extra field (a field the client
/// does not name, see [`WebcareResult::extra`]).
pub fn schema_with(extra: &[String]) -> SchemaRef {
    if extra.is_empty() {
        return schema();
    }
    let base = schema();
    let mut fields: Vec<Field> = base.fields().iter().map(|f| f.as_ref().clone()).collect();
    for name in extra {
        fields.push(Field::new(name, DataType::Utf8, true));
    }
    Arc::new(Schema::new(fields))
}

/// An extra field's cell: the string, or the JSON text of any other value; null when missing.
fn extra_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn arrow_error(e: ArrowError) -> Error {
    Error::decode(format!("arrow: {e}"))
}

/// One record batch for these results, with string columns for the named extra fields (JSON
/// text for values that are not strings; null when missing).
pub fn batch_with(rs: &[WebcareResult], extra: &[String]) -> Result<RecordBatch> {
    let mut cols = Columns::new(rs.len(), extra.len());
    for r in rs {
        let row = Row {
            unique_id: Some(r.unique_id),
            time: r.time.as_deref().map(Cow::Borrowed),
            source: r.source,
            result_type: r.result_type,
            status: r.status,
            sentiment: r.sentiment,
            private: r.private,
            own: r.own,
            checked: r.checked,
            bookmarked: r.bookmarked,
            reply_available: r.reply_available,
            like_available: r.like_available,
            title: r.title.as_deref().map(Cow::Borrowed),
            subtitle: r.subtitle.as_deref().map(Cow::Borrowed),
            description: r.description.as_deref().map(Cow::Borrowed),
            case_id: r.case_id.as_deref().map(Cow::Borrowed),
            person_id: r.person_id.as_deref().map(Cow::Borrowed),
            profile_id: r.profile_id.as_deref().map(Cow::Borrowed),
            link: r.link.as_deref().map(Cow::Borrowed),
            search_id: r.search_id,
            default_connection: r.default_connection,
            tbrank: r.tbrank,
            tags: Vec::new(),
            replies: r.replies.len(),
            extras: extra
                .iter()
                .map(|n| r.extra.get(n).and_then(extra_text))
                .collect(),
        };
        cols.push_row(row, r.tags_list.iter().map(|t| t.name.as_str()));
    }
    cols.finish(schema_with(extra))
}

/// One record batch for these results (the standard columns).
pub fn batch(rs: &[WebcareResult]) -> Result<RecordBatch> {
    batch_with(rs, &[])
}

/// Decode a search response straight into one record batch (standard columns plus the named
/// extra fields), and `data.total`. Same results, in the same order, as
/// [`crate::decode::decode_search`] followed by [`batch_with`]; a response that the fast path
/// does not take (a non-`SUCCES` status, an unusual shape, a bad value) is decoded that way, so
/// errors are the typed decoder's.
pub fn decode_search_batch(
    resp: &HttpResponse,
    path: &str,
    extra: &[String],
) -> Result<(RecordBatch, Option<u64>)> {
    // About a kilobyte per result: a capacity hint so the builders rarely grow.
    let rows = resp.body.len() / 1024;
    // First the byte scanner, for the shape the API serves (no extra columns: those are kept as
    // JSON values, which only the serde walk builds).
    if extra.is_empty() {
        let mut cols = Columns::new(rows, 0);
        if let Some(total) = crate::model::scan::scan_search(&resp.body, &mut cols) {
            return Ok((cols.finish(schema_with(extra))?, total));
        }
    }
    let mut cols = Columns::new(rows, extra.len());
    let mut sink = ColumnSink {
        cols: &mut cols,
        extra,
    };
    match walk_search(&resp.body, &mut sink) {
        Some(total) => Ok((cols.finish(schema_with(extra))?, total)),
        None => {
            let (results, total) = crate::client::decode_search(resp, path)?;
            Ok((batch_with(&results, extra)?, total))
        }
    }
}

/// One result's cells, borrowed from the response where possible.
#[derive(Default)]
struct Row<'a> {
    unique_id: Option<u64>,
    time: Option<Cow<'a, str>>,
    source: i64,
    result_type: i64,
    status: i64,
    sentiment: i64,
    private: bool,
    own: bool,
    checked: bool,
    bookmarked: bool,
    reply_available: bool,
    like_available: bool,
    title: Option<Cow<'a, str>>,
    subtitle: Option<Cow<'a, str>>,
    description: Option<Cow<'a, str>>,
    case_id: Option<Cow<'a, str>>,
    person_id: Option<Cow<'a, str>>,
    profile_id: Option<Cow<'a, str>>,
    link: Option<Cow<'a, str>>,
    search_id: Option<u64>,
    default_connection: Option<u64>,
    tbrank: Option<i64>,
    tags: Vec<Cow<'a, str>>,
    replies: usize,
    extras: Vec<Option<String>>,
}

/// The column builders of a batch being decoded.
struct Columns {
    unique_id: Vec<u64>,
    time: Vec<Option<i64>>,
    source: Vec<i64>,
    source_name: StringBuilder,
    result_type: Vec<i64>,
    status: Vec<i64>,
    sentiment: Vec<i8>,
    sentiment_label: StringBuilder,
    private: Vec<bool>,
    own: Vec<bool>,
    checked: Vec<bool>,
    bookmarked: Vec<bool>,
    title: StringBuilder,
    subtitle: StringBuilder,
    description: StringBuilder,
    case_id: StringBuilder,
    person_id: StringBuilder,
    profile_id: StringBuilder,
    search_id: Vec<Option<u64>>,
    link: StringBuilder,
    reply_available: Vec<bool>,
    like_available: Vec<bool>,
    default_connection: Vec<Option<u64>>,
    tbrank: Vec<Option<i64>>,
    tags: ListBuilder<StringBuilder>,
    reply_count: Vec<u32>,
    extras: Vec<StringBuilder>,
}

impl Columns {
    fn new(rows: usize, extra: usize) -> Columns {
        let strings =
            |bytes_per_row: usize| StringBuilder::with_capacity(rows, rows * bytes_per_row);
        Columns {
            unique_id: Vec::with_capacity(rows),
            time: Vec::with_capacity(rows),
            source: Vec::with_capacity(rows),
            source_name: strings(8),
            result_type: Vec::with_capacity(rows),
            status: Vec::with_capacity(rows),
            sentiment: Vec::with_capacity(rows),
            sentiment_label: strings(8),
            private: Vec::with_capacity(rows),
            own: Vec::with_capacity(rows),
            checked: Vec::with_capacity(rows),
            bookmarked: Vec::with_capacity(rows),
            title: strings(32),
            subtitle: strings(32),
            description: strings(160),
            case_id: strings(8),
            person_id: strings(8),
            profile_id: strings(8),
            search_id: Vec::with_capacity(rows),
            link: strings(48),
            reply_available: Vec::with_capacity(rows),
            like_available: Vec::with_capacity(rows),
            default_connection: Vec::with_capacity(rows),
            tbrank: Vec::with_capacity(rows),
            tags: ListBuilder::new(StringBuilder::new()),
            reply_count: Vec::with_capacity(rows),
            extras: (0..extra).map(|_| strings(16)).collect(),
        }
    }

    fn push_row<'t>(&mut self, row: Row<'_>, tags: impl Iterator<Item = &'t str>) {
        self.unique_id.push(row.unique_id.unwrap_or_default());
        self.time.push(row.time.as_deref().and_then(parse_time_ms));
        self.source.push(row.source);
        self.source_name
            .append_option(Source::from_id(row.source).map(|s| s.as_str()));
        self.result_type.push(row.result_type);
        self.status.push(row.status);
        let class = SentimentClass::from_value(row.sentiment);
        self.sentiment.push(class.value());
        self.sentiment_label.append_value(class.as_str());
        self.private.push(row.private);
        self.own.push(row.own);
        self.checked.push(row.checked);
        self.bookmarked.push(row.bookmarked);
        self.title.append_option(row.title);
        self.subtitle.append_option(row.subtitle);
        self.description.append_option(row.description);
        self.case_id.append_option(row.case_id);
        self.person_id.append_option(row.person_id);
        self.profile_id.append_option(row.profile_id);
        self.search_id.push(row.search_id);
        self.link.append_option(row.link);
        self.reply_available.push(row.reply_available);
        self.like_available.push(row.like_available);
        self.default_connection.push(row.default_connection);
        self.tbrank.push(row.tbrank);
        for t in tags {
            self.tags.values().append_value(t);
        }
        for t in &row.tags {
            self.tags.values().append_value(t);
        }
        self.tags.append(true);
        self.reply_count
            .push(u32::try_from(row.replies).unwrap_or(u32::MAX));
        for (b, v) in self.extras.iter_mut().zip(row.extras) {
            b.append_option(v);
        }
    }

    fn finish(mut self, schema: SchemaRef) -> Result<RecordBatch> {
        let bools = |v: Vec<bool>| -> ArrayRef { Arc::new(BooleanArray::from(v)) };
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from(self.unique_id)),
            Arc::new(TimestampMillisecondArray::from(self.time).with_timezone("UTC")),
            Arc::new(Int64Array::from(self.source)),
            Arc::new(self.source_name.finish()),
            Arc::new(Int64Array::from(self.result_type)),
            Arc::new(Int64Array::from(self.status)),
            Arc::new(Int8Array::from(self.sentiment)),
            Arc::new(self.sentiment_label.finish()),
            bools(self.private),
            bools(self.own),
            bools(self.checked),
            bools(self.bookmarked),
            Arc::new(self.title.finish()),
            Arc::new(self.subtitle.finish()),
            Arc::new(self.description.finish()),
            Arc::new(self.case_id.finish()),
            Arc::new(self.person_id.finish()),
            Arc::new(self.profile_id.finish()),
            Arc::new(UInt64Array::from(self.search_id)),
            Arc::new(self.link.finish()),
            bools(self.reply_available),
            bools(self.like_available),
            Arc::new(UInt64Array::from(self.default_connection)),
            Arc::new(Int64Array::from(self.tbrank)),
            Arc::new(self.tags.finish()),
            Arc::new(UInt32Array::from(self.reply_count)),
        ];
        for b in &mut self.extras {
            columns.push(Arc::new(b.finish()) as ArrayRef);
        }
        RecordBatch::try_new(schema, columns).map_err(arrow_error)
    }
}

/// The columnar decoder's sink: each result becomes a row of the builders.
struct ColumnSink<'c> {
    cols: &'c mut Columns,
    extra: &'c [String],
}

impl ResultSink for ColumnSink<'_> {
    fn push<'de, D: Deserializer<'de>>(&mut self, d: D) -> std::result::Result<(), D::Error> {
        let row = RowSeed { extra: self.extra }.deserialize(d)?;
        self.cols.push_row(row, std::iter::empty());
        Ok(())
    }
}

/// The names of `tagsList` (see [`model::tag_list`]: same items accepted and refused, but only
/// the names are kept, borrowed where possible).
struct TagNames;

impl<'de> DeserializeSeed<'de> for TagNames {
    type Value = Vec<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TagNames {
    type Value = Vec<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list or an object of tags")
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(name) = seq.next_element_seed(TagName)? {
            out.push(name);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while map.next_key::<IgnoredAny>()?.is_some() {
            out.push(map.next_value_seed(TagName)?);
        }
        Ok(out)
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

/// One tag's name (the tag must be an object; a bad `id` is refused as the typed decoder does).
struct TagName;

impl<'de> DeserializeSeed<'de> for TagName {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TagName {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tag object")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut name = Cow::Borrowed("");
        while let Some(key) = map.next_key_seed(Key)? {
            match key.as_ref() {
                "id" => {
                    map.next_value_seed(OptU64Lenient)?;
                }
                "name" => name = map.next_value_seed(OptCowStr)?.unwrap_or(Cow::Borrowed("")),
                _ => {
                    map.next_value_seed(CheckValue)?;
                }
            }
        }
        Ok(name)
    }
}

/// Any JSON value, accepted and refused as reading it into a `serde_json::Value` would (a number
/// beyond a double's range or an unpaired surrogate escape is refused; skipping the value with
/// `IgnoredAny` would let both through), without building it: the fields the typed decoder keeps
/// as JSON values (unknown fields, under `extra`).
#[derive(Clone, Copy)]
struct CheckValue;

impl<'de> DeserializeSeed<'de> for CheckValue {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CheckValue {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element_seed(CheckValue)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while map.next_key_seed(Key)?.is_some() {
            map.next_value_seed(CheckValue)?;
        }
        Ok(())
    }
}

/// A list field checked item by item, nothing kept: a list or an object of items (its values),
/// null (empty), or a bare scalar, which is one item if `S` takes one.
#[derive(Clone, Copy)]
struct CheckItems<S>(S);

impl<'de, S> DeserializeSeed<'de> for CheckItems<S>
where
    S: Visitor<'de, Value = ()> + DeserializeSeed<'de, Value = ()> + Copy,
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S> Visitor<'de> for CheckItems<S>
where
    S: Visitor<'de, Value = ()> + DeserializeSeed<'de, Value = ()> + Copy,
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list or an object of ")?;
        self.0.expecting(f)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element_seed(self.0)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(self.0)?;
        }
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<(), E> {
        self.0.visit_i64(v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<(), E> {
        self.0.visit_u64(v)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<(), E> {
        self.0.visit_f64(v)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
        self.0.visit_str(v)
    }
}

/// One connection of `availableConnections` (checked as [`model::connection_list`] checks
/// them): an object (with a valid `id` and `source` when present) or a bare id.
#[derive(Clone, Copy)]
struct CheckConnection;

impl CheckConnection {
    fn bare_id<E: serde::de::Error>(v: Value) -> std::result::Result<(), E> {
        model::u64_lenient(v).map(|_| ()).map_err(E::custom)
    }
}

impl<'de> DeserializeSeed<'de> for CheckConnection {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CheckConnection {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a connection object or id")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(Key)? {
            match key.as_ref() {
                "id" => {
                    map.next_value_seed(U64Lenient)?;
                }
                "source" => {
                    map.next_value_seed(OptI64Lenient)?;
                }
                "name" => {
                    map.next_value_seed(OptCowStr)?;
                }
                _ => {
                    map.next_value_seed(CheckValue)?;
                }
            }
        }
        Ok(())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<(), E> {
        Self::bare_id(Value::from(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<(), E> {
        Self::bare_id(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<(), E> {
        Self::bare_id(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
        Self::bare_id(Value::String(v.to_owned()))
    }
}

/// One activity of `activities` (see [`model::de::list_or_map`] of [`model::Activity`]), checked
/// without buffering it as a JSON value: an object whose known fields pass the typed decoder's
/// rules; any other field passes [`CheckValue`]. Never looser than the typed decoder: a
/// repeated field (the typed decoder takes the last one) is refused here, so the page goes the
/// typed way; a bare scalar is refused, as the typed decoder refuses it.
#[derive(Clone, Copy)]
struct CheckActivity;

impl<'de> DeserializeSeed<'de> for CheckActivity {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CheckActivity {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an activity object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        const KNOWN: [&str; 6] = ["id", "resultId", "actor", "activity", "subject", "time"];
        let mut seen = [false; KNOWN.len()];
        while let Some(key) = map.next_key_seed(Key)? {
            let Some(i) = KNOWN.iter().position(|k| *k == key) else {
                map.next_value_seed(CheckValue)?;
                continue;
            };
            if std::mem::replace(&mut seen[i], true) {
                return Err(A::Error::custom("a repeated field in an activity"));
            }
            match i {
                0 | 1 => {
                    map.next_value_seed(OptU64Lenient)?;
                }
                2 | 3 => {
                    map.next_value_seed(OptI64Lenient)?;
                }
                _ => {
                    map.next_value_seed(OptCowStr)?;
                }
            }
        }
        Ok(())
    }
}

struct RowSeed<'c> {
    extra: &'c [String],
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = Row<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Row<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = Row<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a result object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Row<'de>, A::Error> {
        let mut r = Row {
            extras: vec![None; self.extra.len()],
            ..Row::default()
        };
        while let Some(key) = map.next_key_seed(Key)? {
            match key.as_ref() {
                "uniqueId" => r.unique_id = Some(map.next_value_seed(U64Lenient)?),
                "searchId" => r.search_id = map.next_value_seed(OptU64Lenient)?,
                "caseId" => r.case_id = map.next_value_seed(OptCowStr)?,
                "personId" => r.person_id = map.next_value_seed(OptCowStr)?,
                "profileId" => r.profile_id = map.next_value_seed(OptCowStr)?,
                "link" => r.link = map.next_value_seed(OptCowStr)?,
                "title" => r.title = map.next_value_seed(OptCowStr)?,
                "subtitle" => r.subtitle = map.next_value_seed(OptCowStr)?,
                "description" => r.description = map.next_value_seed(OptCowStr)?,
                "time" => r.time = map.next_value_seed(OptCowStr)?,
                "private" => r.private = map.next_value_seed(BoolLenient)?,
                "own" => r.own = map.next_value_seed(BoolLenient)?,
                "source" => r.source = map.next_value_seed(I64Lenient)?,
                "type" => r.result_type = map.next_value_seed(I64Lenient)?,
                "status" => r.status = map.next_value_seed(I64Lenient)?,
                "sentiment" => r.sentiment = map.next_value_seed(I64Lenient)?,
                "checked" => r.checked = map.next_value_seed(BoolLenient)?,
                "bookmarked" => r.bookmarked = map.next_value_seed(BoolLenient)?,
                "tbrank" => r.tbrank = map.next_value_seed(OptI64Lenient)?,
                "tagsList" => r.tags = map.next_value_seed(TagNames)?,
                "replies" => r.replies = map.next_value_seed(StringListLenient)?.len(),
                "defaultConnection" => r.default_connection = map.next_value_seed(OptU64Lenient)?,
                "replyAvailable" => r.reply_available = map.next_value_seed(BoolLenient)?,
                "likeAvailable" => r.like_available = map.next_value_seed(BoolLenient)?,
                // Fields without a column, decoded only where the typed decoder could refuse
                // them (so both paths accept the same responses).
                "activities" => {
                    map.next_value_seed(CheckItems(CheckActivity))?;
                }
                "notes" => {
                    map.next_value_seed(StringListLenient)?;
                }
                "availableConnections" => {
                    map.next_value_seed(CheckItems(CheckConnection))?;
                }
                "image" | "imageLink" | "draft" | "replyPrefix" | "replySuffix" => {
                    map.next_value_seed(OptCowStr)?;
                }
                other => match self.extra.iter().position(|n| n == other) {
                    Some(i) => {
                        let v: Value = map.next_value()?;
                        r.extras[i] = extra_text(&v);
                    }
                    None => {
                        map.next_value_seed(CheckValue)?;
                    }
                },
            }
        }
        if r.unique_id.is_none() {
            return Err(A::Error::missing_field("uniqueId"));
        }
        Ok(r)
    }
}

impl crate::paging::Rows for RecordBatch {
    fn len(&self) -> usize {
        self.num_rows()
    }
    fn truncate(&mut self, n: usize) {
        if n < self.num_rows() {
            *self = self.slice(0, n);
        }
    }
}

/// Decodes search pages into record batches (see [`crate::Pager::columnar`]).
#[derive(Debug, Clone, Default)]
pub struct ArrowDecoder {
    extra: Arc<[String]>,
}

impl ArrowDecoder {
    /// Standard columns plus the named extra fields.
    pub fn new(extra: &[String]) -> ArrowDecoder {
        ArrowDecoder {
            extra: extra.into(),
        }
    }

    /// The extra fields this decoder adds as columns.
    pub fn extra(&self) -> &[String] {
        &self.extra
    }

    /// The schema of the batches it makes.
    pub fn schema(&self) -> SchemaRef {
        schema_with(&self.extra)
    }
}

impl crate::paging::PageDecoder for ArrowDecoder {
    type Rows = RecordBatch;
    fn decode(&self, resp: &HttpResponse, path: &str) -> Result<(RecordBatch, Option<u64>)> {
        decode_search_batch(resp, path, &self.extra)
    }
}
