//! Results as normalized JSON text, and a search decoder that writes it straight from the
//! response.
//!
//! The normalized shape of a result ([`ResultJson`]) is the wire's own camelCase names with the
//! lenient rules applied (`own: 0` is `false`, a numeric `caseId` is a string, ...), the fields
//! the client does not name under `extra`, and two derived fields: `timestamp` (epoch
//! milliseconds of `time`, see [`WebcareResult::timestamp_ms`]) and `sourceName` (see
//! [`WebcareResult::source_kind`]). Fields that are always present come first, in a fixed order,
//! then the optional ones that are set (absent ones are left out, never `null`): every result has
//! the same key order, which lets a JavaScript engine give them all one hidden class.
//!
//! [`decode_search_json`] (and [`JsonDecoder`], for pagers) writes that text without building a
//! [`WebcareResult`]: strings are copied as the server escaped them, unknown fields as the
//! server wrote them, and only the scalar and list fields are decoded, with the typed decoder's
//! own rules. The output parses to the same JSON as [`ResultJson`] of the typed result, for every
//! response the typed decoder accepts (tested); a response it does not take goes through the
//! typed decoder, which reports the precise error. Copying as written, it lets through two things
//! the typed decoder refuses and JavaScript takes (tested): a number beyond a double's range
//! in an unknown field (`Infinity` once parsed) and an unpaired surrogate escape in a string.

use std::borrow::Cow;

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{Error as _, Serializer};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::filter::Source;
use crate::model::de::{
    ActivityList, BoolLenient, ConnectionList, I64Lenient, OptCowStr, OptI64Lenient, OptU64Lenient,
    StringListLenient, TagList, U64Lenient,
};
use crate::model::fields::{field, texts, DRAFT, F, TEXT_KEYS, TIME};
use crate::model::page_de::{walk_search, Key, ResultSink};
use crate::model::scan::{scan_search, Cursor, RowReader};
use crate::model::{parse_time_ms, Activity, Connection, Tag, WebcareResult};
use crate::paging::{PageDecoder, Rows};
use crate::transport::HttpResponse;

/// How [`JsonRows`] lays out each result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// An object in the normalized shape (see the module docs).
    #[default]
    Objects,
    /// A positional array of the [`ROW_FIELDS`] values, `null` for an optional field that is
    /// not set: no keys to write or to parse (a binding builds the objects from its own
    /// constructor).
    Rows,
}

/// The fields of a result in their order: the first [`REQUIRED_FIELDS`] are always present,
/// the others only when set.
pub const ROW_FIELDS: [&str; 35] = [
    "uniqueId",
    "private",
    "own",
    "source",
    "type",
    "status",
    "sentiment",
    "checked",
    "bookmarked",
    "tagsList",
    "activities",
    "replies",
    "notes",
    "availableConnections",
    "replyAvailable",
    "likeAvailable",
    "extra",
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
    "timestamp",
    "sourceName",
    "tbrank",
    "draft",
    "defaultConnection",
    "replyPrefix",
    "replySuffix",
];

/// How many of [`ROW_FIELDS`] every result has.
pub const REQUIRED_FIELDS: usize = 17;

/// A typed result in the normalized JSON shape (see the module docs), for serde_json.
pub struct ResultJson<'a>(pub &'a WebcareResult);

impl Serialize for ResultJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(1024);
        write_typed(self.0, &mut out, Layout::Objects).map_err(S::Error::custom)?;
        let text = String::from_utf8(out).map_err(S::Error::custom)?;
        RawValue::from_string(text)
            .map_err(S::Error::custom)?
            .serialize(s)
    }
}

/// Write a typed result in `layout`.
fn write_typed(r: &WebcareResult, out: &mut Vec<u8>, layout: Layout) -> serde_json::Result<()> {
    let extra = serde_json::to_vec(&r.extra)?;
    View {
        scalars: Scalars {
            unique_id: r.unique_id,
            search_id: r.search_id,
            default_connection: r.default_connection,
            tbrank: r.tbrank,
            private: r.private,
            own: r.own,
            checked: r.checked,
            bookmarked: r.bookmarked,
            reply_available: r.reply_available,
            like_available: r.like_available,
            source: r.source,
            result_type: r.result_type,
            status: r.status,
            sentiment: r.sentiment,
        },
        texts: texts(r).map(|t| t.as_deref().map(Text::Str)),
        tags: List::Typed(&r.tags_list),
        activities: List::Typed(&r.activities),
        replies: List::Typed(&r.replies),
        notes: List::Typed(&r.notes),
        connections: List::Typed(&r.available_connections),
        // The members of the object, without its braces.
        extra: extra
            .get(1..extra.len().saturating_sub(1))
            .unwrap_or_default(),
    }
    .write(out, layout)
}

/// Results as JSON text: the results back to back, separated by commas, and where each ends.
#[derive(Debug, Clone, Default)]
pub struct JsonRows {
    /// `[` and the results (the closing bracket is added by [`JsonRows::into_arrays`]).
    text: Vec<u8>,
    ends: Vec<usize>,
    layout: Layout,
}

impl JsonRows {
    fn with_capacity(bytes: usize, layout: Layout) -> Self {
        let mut text = Vec::with_capacity(bytes + 2);
        text.push(b'[');
        JsonRows {
            text,
            ends: Vec::new(),
            layout,
        }
    }

    /// Typed results in `layout`.
    pub fn from_results(results: &[WebcareResult], layout: Layout) -> Result<Self> {
        let mut rows = JsonRows::with_capacity(results.len() * 1200, layout);
        for r in results {
            rows.push(r)?;
        }
        Ok(rows)
    }

    /// Append one typed result.
    pub fn push(&mut self, r: &WebcareResult) -> Result<()> {
        self.separate();
        write_typed(r, &mut self.text, self.layout)
            .map_err(|e| Error::decode(format!("cannot encode a result as JSON: {e}")))?;
        self.ends.push(self.text.len());
        Ok(())
    }

    fn separate(&mut self) {
        if !self.ends.is_empty() {
            self.text.push(b',');
        }
    }

    /// How each result is laid out.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The results, separated by commas: the body of a JSON array (empty when there are none).
    pub fn text(&self) -> &[u8] {
        &self.text[1..]
    }

    /// The results as JSON arrays of at most about `max_bytes` each (a longer result is an
    /// array of its own); all of them in one array, without a copy, when they fit.
    pub fn into_arrays(mut self, max_bytes: usize) -> Vec<Vec<u8>> {
        if self.text.len() < max_bytes {
            self.text.push(b']');
            return vec![self.text];
        }
        let mut out = Vec::new();
        let mut start = 1;
        let mut last_end = 1;
        for &end in &self.ends {
            if end - start > max_bytes && last_end > start {
                out.push(array(&self.text[start..last_end]));
                start = last_end + 1;
            }
            last_end = end;
        }
        if !self.ends.is_empty() {
            out.push(array(&self.text[start..last_end]));
        }
        out
    }
}

fn array(body: &[u8]) -> Vec<u8> {
    let mut a = Vec::with_capacity(body.len() + 2);
    a.push(b'[');
    a.extend_from_slice(body);
    a.push(b']');
    a
}

impl Rows for JsonRows {
    fn len(&self) -> usize {
        self.ends.len()
    }
    fn truncate(&mut self, n: usize) {
        if n < self.ends.len() {
            self.ends.truncate(n);
            self.text.truncate(self.ends.last().copied().unwrap_or(1));
        }
    }
}

/// Decodes search pages into [`JsonRows`] (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonDecoder {
    /// How each result is laid out.
    pub layout: Layout,
}

impl PageDecoder for JsonDecoder {
    type Rows = JsonRows;
    fn decode(&self, resp: &HttpResponse, path: &str) -> Result<(JsonRows, Option<u64>)> {
        decode_search_json(resp, path, self.layout)
    }
}

/// Decode a search response straight into normalized JSON, and `data.total` (see the module
/// docs). Same JSON as [`crate::decode::decode_search`] followed by [`JsonRows::from_results`].
pub fn decode_search_json(
    resp: &HttpResponse,
    path: &str,
    layout: Layout,
) -> Result<(JsonRows, Option<u64>)> {
    // The output is about as long as the input.
    let new_sink = || JsonSink {
        rows: JsonRows::with_capacity(resp.body.len() + resp.body.len() / 8, layout),
        extra: Vec::new(),
    };
    // First the byte scanner (`crate::model::scan`), then the serde walk, then the typed decoder.
    let mut sink = new_sink();
    if let Some(total) = scan_search(&resp.body, &mut sink) {
        return Ok((sink.rows, total));
    }
    let mut sink = new_sink();
    match walk_search(&resp.body, &mut sink) {
        Some(total) => Ok((sink.rows, total)),
        None => {
            let (results, total) = crate::client::decode_search(resp, path)?;
            Ok((JsonRows::from_results(&results, layout)?, total))
        }
    }
}

struct JsonSink {
    rows: JsonRows,
    /// The members of the `extra` object of the result being written (reused).
    extra: Vec<u8>,
}

impl ResultSink for JsonSink {
    fn push<'de, D: Deserializer<'de>>(&mut self, d: D) -> std::result::Result<(), D::Error> {
        self.extra.clear();
        let row = RowSeed {
            extra: &mut self.extra,
        }
        .deserialize(d)?;
        self.rows.separate();
        row.view(&self.extra)
            .write(&mut self.rows.text, self.rows.layout)
            .map_err(D::Error::custom)?;
        self.rows.ends.push(self.rows.text.len());
        Ok(())
    }
}

impl<'a> RowReader<'a> for JsonSink {
    /// `RowSeed`'s rules for the values the scanner reads without doubt.
    fn row(&mut self, c: &mut Cursor<'a>) -> Option<()> {
        c.expect(b'{')?;
        self.extra.clear();
        let mut r = Row::default();
        let mut expected = 0;
        c.each(b'}', |c| {
            let (f, key) = c.row_key(&mut expected)?;
            let sc = &mut r.scalars;
            match f {
                None => {
                    // Copied under `extra` as written (a key with escapes: the serde walk).
                    let Cow::Borrowed(key) = key else {
                        return None;
                    };
                    let raw = c.raw()?;
                    if !self.extra.is_empty() {
                        self.extra.push(b',');
                    }
                    self.extra.push(b'"');
                    self.extra.extend_from_slice(key.as_bytes());
                    self.extra.extend_from_slice(b"\":");
                    self.extra.extend_from_slice(raw.as_bytes());
                }
                Some(F::UniqueId) => {
                    sc.unique_id = c.uint()?;
                    r.has_id = true;
                }
                Some(F::SearchId) => sc.search_id = c.opt_uint()?,
                Some(F::Private) => sc.private = c.flag()?,
                Some(F::Own) => sc.own = c.flag()?,
                Some(F::Source) => sc.source = c.int()?,
                Some(F::Type) => sc.result_type = c.int()?,
                Some(F::Status) => sc.status = c.int()?,
                Some(F::Sentiment) => sc.sentiment = c.int()?,
                Some(F::Checked) => sc.checked = c.flag()?,
                Some(F::Bookmarked) => sc.bookmarked = c.flag()?,
                Some(F::Tbrank) => sc.tbrank = c.opt_int()?,
                Some(F::DefaultConnection) => sc.default_connection = c.opt_uint()?,
                Some(F::ReplyAvailable) => sc.reply_available = c.flag()?,
                Some(F::LikeAvailable) => sc.like_available = c.flag()?,
                Some(F::TagsList) => {
                    r.tags = list_from_raw(c.raw()?, Shape::Objects(TAG), TagList).ok()?
                }
                Some(F::Activities) => {
                    r.activities =
                        list_from_raw(c.raw()?, Shape::Objects(ACTIVITY), ActivityList).ok()?
                }
                Some(F::Replies) => {
                    r.replies = list_from_raw(c.raw()?, Shape::Strings, StringListLenient).ok()?
                }
                Some(F::Notes) => {
                    r.notes = list_from_raw(c.raw()?, Shape::Strings, StringListLenient).ok()?
                }
                Some(F::AvailableConnections) => {
                    r.connections =
                        list_from_raw(c.raw()?, Shape::Objects(CONNECTION), ConnectionList).ok()?
                }
                Some(F::Text(i)) => {
                    let text = match c.peek()? {
                        b'"' => Some(ReadText::Literal(c.str_literal()?)),
                        _ => c.null().map(|()| None)?,
                    };
                    *r.texts.get_mut(i)? = text;
                }
            }
            Some(())
        })?;
        if !r.has_id {
            return None;
        }
        self.rows.separate();
        r.view(&self.extra)
            .write(&mut self.rows.text, self.rows.layout)
            .ok()?;
        self.rows.ends.push(self.rows.text.len());
        Some(())
    }
}

/// A text field: a JSON string literal from the response, copied as is, or a string to escape.
#[derive(Clone, Copy)]
enum Text<'a> {
    Literal(&'a str),
    Str(&'a str),
}

impl Text<'_> {
    /// The string itself (unescaped).
    fn value(&self) -> Option<Cow<'_, str>> {
        match *self {
            Text::Str(s) => Some(s.into()),
            Text::Literal(l) => {
                let inner = l.get(1..l.len().saturating_sub(1))?;
                if inner.contains('\\') {
                    serde_json::from_str::<String>(l).ok().map(Into::into)
                } else {
                    Some(inner.into())
                }
            }
        }
    }
}

/// A text field as read: a literal, or what the lenient rule made of another value.
enum ReadText<'de> {
    Literal(&'de str),
    Owned(String),
}

/// One result's fields as decoded, borrowed from the response where they are copied as is.
#[derive(Default)]
struct Row<'de> {
    /// Whether `uniqueId` was there (it is required).
    has_id: bool,
    scalars: Scalars,
    texts: [Option<ReadText<'de>>; 13],
    tags: ReadList<'de, Tag>,
    activities: ReadList<'de, Activity>,
    replies: ReadList<'de, String>,
    notes: ReadList<'de, String>,
    connections: ReadList<'de, Connection>,
}

impl Row<'_> {
    fn view<'a>(&'a self, extra: &'a [u8]) -> View<'a> {
        View {
            scalars: self.scalars,
            texts: self.texts.each_ref().map(|t| match t {
                Some(ReadText::Literal(l)) => Some(Text::Literal(l)),
                Some(ReadText::Owned(s)) => Some(Text::Str(s)),
                None => None,
            }),
            tags: self.tags.view(),
            activities: self.activities.view(),
            replies: self.replies.view(),
            notes: self.notes.view(),
            connections: self.connections.view(),
            extra,
        }
    }
}

/// The fields of a result that are numbers and booleans.
#[derive(Debug, Clone, Copy, Default)]
struct Scalars {
    unique_id: u64,
    search_id: Option<u64>,
    default_connection: Option<u64>,
    tbrank: Option<i64>,
    private: bool,
    own: bool,
    checked: bool,
    bookmarked: bool,
    reply_available: bool,
    like_available: bool,
    source: i64,
    result_type: i64,
    status: i64,
    sentiment: i64,
}

/// A result's fields, ready to write.
struct View<'a> {
    scalars: Scalars,
    texts: [Option<Text<'a>>; 13],
    tags: List<'a, Tag>,
    activities: List<'a, Activity>,
    replies: List<'a, String>,
    notes: List<'a, String>,
    connections: List<'a, Connection>,
    /// The members of the `extra` object, without its braces.
    extra: &'a [u8],
}

/// Writes fields as `"key":value` members or as positional values.
struct Out<'o> {
    buf: &'o mut Vec<u8>,
    keys: bool,
}

impl Out<'_> {
    /// The separator and, for objects, the key of the next field.
    fn next(&mut self, k: &str) {
        self.buf.push(b',');
        if self.keys {
            self.buf.push(b'"');
            self.buf.extend_from_slice(k.as_bytes());
            self.buf.extend_from_slice(b"\":");
        }
    }
    /// An optional field that is not set.
    fn absent(&mut self) {
        if !self.keys {
            self.buf.extend_from_slice(b",null");
        }
    }
    fn bool(&mut self, k: &str, v: bool) {
        self.next(k);
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
    }
    fn int(&mut self, k: &str, v: impl itoa::Integer) {
        self.next(k);
        self.buf
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }
    fn opt_int(&mut self, k: &str, v: Option<impl itoa::Integer>) {
        match v {
            Some(v) => self.int(k, v),
            None => self.absent(),
        }
    }
    fn json<T: Serialize + ?Sized>(&mut self, k: &str, v: &T) -> serde_json::Result<()> {
        self.next(k);
        serde_json::to_writer(&mut *self.buf, v)
    }
    fn list<T: Serialize>(&mut self, k: &str, v: List<'_, T>) -> serde_json::Result<()> {
        match v {
            List::Raw(raw) => {
                self.next(k);
                self.buf.extend_from_slice(raw.as_bytes());
                Ok(())
            }
            List::Typed(items) => self.json(k, items),
        }
    }
    fn text(&mut self, k: &str, v: Option<Text<'_>>) -> serde_json::Result<()> {
        match v {
            Some(Text::Literal(l)) => {
                self.next(k);
                self.buf.extend_from_slice(l.as_bytes());
            }
            Some(Text::Str(s)) => self.json(k, s)?,
            None => self.absent(),
        }
        Ok(())
    }
}

impl View<'_> {
    /// Write the result in `layout`: [`ROW_FIELDS`] in order.
    fn write(&self, buf: &mut Vec<u8>, layout: Layout) -> serde_json::Result<()> {
        let keys = layout == Layout::Objects;
        let sc = &self.scalars;
        buf.extend_from_slice(if keys { b"{\"uniqueId\":" } else { b"[" });
        buf.extend_from_slice(itoa::Buffer::new().format(sc.unique_id).as_bytes());
        let mut o = Out { buf, keys };
        o.bool("private", sc.private);
        o.bool("own", sc.own);
        o.int("source", sc.source);
        o.int("type", sc.result_type);
        o.int("status", sc.status);
        o.int("sentiment", sc.sentiment);
        o.bool("checked", sc.checked);
        o.bool("bookmarked", sc.bookmarked);
        o.list("tagsList", self.tags)?;
        o.list("activities", self.activities)?;
        o.list("replies", self.replies)?;
        o.list("notes", self.notes)?;
        o.list("availableConnections", self.connections)?;
        o.bool("replyAvailable", sc.reply_available);
        o.bool("likeAvailable", sc.like_available);
        o.next("extra");
        o.buf.push(b'{');
        o.buf.extend_from_slice(self.extra);
        o.buf.push(b'}');
        o.opt_int("searchId", sc.search_id);
        for (i, t) in self.texts.iter().enumerate() {
            if i == TIME + 1 {
                let time = self.texts[TIME].as_ref().and_then(Text::value);
                o.opt_int("timestamp", time.as_deref().and_then(parse_time_ms));
                match Source::from_id(sc.source) {
                    Some(k) => o.json("sourceName", k.as_str())?,
                    None => o.absent(),
                }
                o.opt_int("tbrank", sc.tbrank);
            }
            if i == DRAFT + 1 {
                o.opt_int("defaultConnection", sc.default_connection);
            }
            o.text(TEXT_KEYS[i], *t)?;
        }
        o.buf.push(if keys { b'}' } else { b']' });
        Ok(())
    }
}

struct RowSeed<'s> {
    extra: &'s mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = Row<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Row<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

/// A text field: a string literal is kept as written; anything else goes through the lenient
/// string rule.
fn read_text<'de, A: MapAccess<'de>>(
    map: &mut A,
) -> std::result::Result<Option<ReadText<'de>>, A::Error> {
    let raw: &'de RawValue = map.next_value()?;
    let raw = raw.get();
    if raw.starts_with('"') {
        return Ok(Some(ReadText::Literal(raw)));
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    let v = OptCowStr.deserialize(&mut de).map_err(A::Error::custom)?;
    Ok(v.map(|s| ReadText::Owned(s.into_owned())))
}

/// A list field as read: its text, when already in the typed shape, or the typed items.
enum ReadList<'de, T> {
    Raw(&'de str),
    Typed(Vec<T>),
}

impl<T> Default for ReadList<'_, T> {
    fn default() -> Self {
        ReadList::Typed(Vec::new())
    }
}

impl<T> ReadList<'_, T> {
    fn view(&self) -> List<'_, T> {
        match self {
            ReadList::Raw(r) => List::Raw(r),
            ReadList::Typed(items) => List::Typed(items),
        }
    }
}

/// A list field, ready to write.
enum List<'a, T> {
    /// Already in the typed shape: copied as is.
    Raw(&'a str),
    Typed(&'a [T]),
}

impl<T> Clone for List<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for List<'_, T> {}

/// A list field: copied as written when the typed decoder followed by serialization would write
/// it back the same (see [`canonical`]); else decoded by `seed` (the typed decoder's rule) and
/// written from the items.
fn read_list<'de, A, T, S>(
    map: &mut A,
    shape: Shape,
    seed: S,
) -> std::result::Result<ReadList<'de, T>, A::Error>
where
    A: MapAccess<'de>,
    S: for<'x> DeserializeSeed<'x, Value = Vec<T>>,
{
    let raw: &'de RawValue = map.next_value()?;
    list_from_raw(raw.get(), shape, seed).map_err(A::Error::custom)
}

/// A list field from its text: as is when canonical, else its items by `seed`.
fn list_from_raw<'de, T, S>(
    raw: &'de str,
    shape: Shape,
    seed: S,
) -> serde_json::Result<ReadList<'de, T>>
where
    S: for<'x> DeserializeSeed<'x, Value = Vec<T>>,
{
    if canonical(raw, shape) {
        return Ok(ReadList::Raw(raw));
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    Ok(ReadList::Typed(seed.deserialize(&mut de)?))
}

/// The form of a value that the typed decoder keeps as is and serializes back to the same text.
#[derive(Clone, Copy)]
enum Canon {
    /// A non-negative integer (within i64, as the lenient id rule reads it).
    U64,
    /// `null` or [`Canon::U64`].
    OptU64,
    /// `null` or an integer within i64 (not `-0`).
    OptI64,
    /// A string.
    Str,
    /// `null` or a string.
    OptStr,
}

impl Canon {
    fn accepts(self, raw: &str) -> bool {
        let int = |t: &str| {
            let digits = t.strip_prefix('-').unwrap_or(t);
            !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && t != "-0"
                && t.parse::<i64>().is_ok()
        };
        let uint = |t: &str| !t.starts_with('-') && int(t);
        let string = |t: &str| t.starts_with('"');
        match self {
            Canon::U64 => uint(raw),
            Canon::OptU64 => raw == "null" || uint(raw),
            Canon::OptI64 => raw == "null" || int(raw),
            Canon::Str => string(raw),
            Canon::OptStr => raw == "null" || string(raw),
        }
    }
}

/// The serialized fields of a list item type, in order: every one present, in its canonical
/// form.
type Fields = &'static [(&'static str, Canon)];

const TAG: Fields = &[("id", Canon::OptU64), ("name", Canon::Str)];
const CONNECTION: Fields = &[
    ("id", Canon::U64),
    ("name", Canon::OptStr),
    ("source", Canon::OptI64),
];
const ACTIVITY: Fields = &[
    ("id", Canon::OptU64),
    ("resultId", Canon::OptU64),
    ("actor", Canon::OptI64),
    ("activity", Canon::OptI64),
    ("subject", Canon::OptStr),
    ("time", Canon::OptStr),
];

/// What a list must look like to be copied as is.
#[derive(Clone, Copy)]
enum Shape {
    /// A list of strings (`replies`, `notes`).
    Strings,
    /// A list of objects with these fields first, in order, then only other keys, each once.
    Objects(Fields),
}

/// Whether `raw` (a JSON value) is a list that the typed decoder and serialization give back
/// unchanged, up to insignificant whitespace; anything unusual (an object keyed by id, a bare
/// id, a missing or reordered field, a lenient value such as `"1"` or `1.0`) is not.
fn canonical(raw: &str, shape: Shape) -> bool {
    if raw == "[]" {
        return true;
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    matches!(CanonList(shape).deserialize(&mut de), Ok(true)) && de.end().is_ok()
}

struct CanonList(Shape);

impl<'de> DeserializeSeed<'de> for CanonList {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CanonList {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<bool, A::Error> {
        match self.0 {
            Shape::Strings => {
                while let Some(item) = seq.next_element::<&'de RawValue>()? {
                    if !Canon::Str.accepts(item.get()) {
                        return Ok(false);
                    }
                }
            }
            Shape::Objects(fields) => {
                while let Some(ok) = seq.next_element_seed(CanonObject(fields))? {
                    if !ok {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }
}

struct CanonObject(Fields);

impl<'de> DeserializeSeed<'de> for CanonObject {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CanonObject {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<bool, A::Error> {
        // Returning early leaves the object unread, which the caller sees as an error: either
        // way the list is not copied.
        for &(name, canon) in self.0 {
            match map.next_key_seed(Key)? {
                Some(k) if k == name => {}
                _ => return Ok(false),
            }
            let v: &'de RawValue = map.next_value()?;
            if !canon.accepts(v.get()) {
                return Ok(false);
            }
        }
        while let Some(k) = map.next_key_seed(Key)? {
            if self.0.iter().any(|(name, _)| k == *name) {
                return Ok(false);
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(true)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = Row<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a result object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Row<'de>, A::Error> {
        let mut r = Row::default();
        while let Some(key) = map.next_key_seed(Key)? {
            let Some(f) = field(&key) else {
                // Not a field the client names: copied as written, under `extra`.
                let raw: &'de RawValue = map.next_value()?;
                if !self.extra.is_empty() {
                    self.extra.push(b',');
                }
                match key {
                    // Borrowed: the key had no escapes, and JSON strings hold no raw control
                    // characters, so it needs none.
                    Cow::Borrowed(k) => {
                        self.extra.push(b'"');
                        self.extra.extend_from_slice(k.as_bytes());
                        self.extra.push(b'"');
                    }
                    Cow::Owned(k) => {
                        serde_json::to_writer(&mut *self.extra, &k).map_err(A::Error::custom)?
                    }
                }
                self.extra.push(b':');
                self.extra.extend_from_slice(raw.get().as_bytes());
                continue;
            };
            match f {
                F::UniqueId => {
                    r.scalars.unique_id = map.next_value_seed(U64Lenient)?;
                    r.has_id = true;
                }
                F::SearchId => r.scalars.search_id = map.next_value_seed(OptU64Lenient)?,
                F::Private => r.scalars.private = map.next_value_seed(BoolLenient)?,
                F::Own => r.scalars.own = map.next_value_seed(BoolLenient)?,
                F::Source => r.scalars.source = map.next_value_seed(I64Lenient)?,
                F::Type => r.scalars.result_type = map.next_value_seed(I64Lenient)?,
                F::Status => r.scalars.status = map.next_value_seed(I64Lenient)?,
                F::Sentiment => r.scalars.sentiment = map.next_value_seed(I64Lenient)?,
                F::Checked => r.scalars.checked = map.next_value_seed(BoolLenient)?,
                F::Bookmarked => r.scalars.bookmarked = map.next_value_seed(BoolLenient)?,
                F::Tbrank => r.scalars.tbrank = map.next_value_seed(OptI64Lenient)?,
                F::TagsList => r.tags = read_list(&mut map, Shape::Objects(TAG), TagList)?,
                F::Activities => {
                    r.activities = read_list(&mut map, Shape::Objects(ACTIVITY), ActivityList)?
                }
                F::Replies => r.replies = read_list(&mut map, Shape::Strings, StringListLenient)?,
                F::Notes => r.notes = read_list(&mut map, Shape::Strings, StringListLenient)?,
                F::AvailableConnections => {
                    r.connections = read_list(&mut map, Shape::Objects(CONNECTION), ConnectionList)?
                }
                F::DefaultConnection => {
                    r.scalars.default_connection = map.next_value_seed(OptU64Lenient)?
                }
                F::ReplyAvailable => {
                    r.scalars.reply_available = map.next_value_seed(BoolLenient)?
                }
                F::LikeAvailable => r.scalars.like_available = map.next_value_seed(BoolLenient)?,
                F::Text(i) => r.texts[i] = read_text(&mut map)?,
            }
        }
        if !r.has_id {
            return Err(A::Error::missing_field("uniqueId"));
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_byte_scanner_takes_a_sandbox_page_whole() {
        let body = include_bytes!("../benches/data/page500.json");
        for layout in [Layout::Objects, Layout::Rows] {
            let mut sink = JsonSink {
                rows: JsonRows::with_capacity(0, layout),
                extra: Vec::new(),
            };
            assert!(scan_search(body, &mut sink).expect("taken").is_some());
            assert_eq!(sink.rows.len(), 500);
        }
    }
}
