//! Core models to JavaScript objects (camelCase, numbers instead of BigInt, unknown fields in
//! `extra`).
//!
//! The `#[napi(object)]` structs declare the JavaScript shapes (and the TypeScript types); no
//! result crosses through them. Results do not cross field by field (one napi call per property, and each property name interned
//! again, made a search of 500 results spend most of its time on the JS thread): the core writes
//! them as JSON on the runtime thread (`webcare::json`: a search page straight from the
//! response, without typed results), in exactly the shape napi-rs gives those structs (the
//! always-present fields in declaration order, then the optional ones that are set, in
//! declaration order; absent optional fields are left out, not `null`), and [`Json`] hands the
//! text to V8's `JSON.parse` on the JS thread. The results of a search page and of a stream's
//! pages ([`NativeRows`]) cross as positional rows (`webcare::json::Layout::Rows`), which the
//! wrapper turns into those objects.

use std::collections::VecDeque;
use std::ptr;

use napi::bindgen_prelude::ToNapiValue;
use napi::sys;
use napi::Env;
use napi_derive::napi;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use webcare::json::{JsonRows, Layout, ResultJson};

use crate::promise::{check, RawValue};

/// One result: a message, post, comment or private message.
#[napi(object)]
pub struct WebcareResult {
    /// Result id, unique in the account; grows with time.
    pub unique_id: f64,
    /// The search (profile) id.
    pub search_id: Option<f64>,
    /// The case id.
    pub case_id: Option<String>,
    /// The person id.
    pub person_id: Option<String>,
    /// The author's profile id on the source.
    pub profile_id: Option<String>,
    /// Link to the message on the source.
    pub link: Option<String>,
    /// Title (usually the author's name).
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// The message text.
    pub description: Option<String>,
    /// Author image.
    pub image: Option<String>,
    /// Link behind the image.
    pub image_link: Option<String>,
    /// The time as served (RFC 3339 in the sandbox).
    pub time: Option<String>,
    /// The time in milliseconds since the Unix epoch (`new Date(r.timestamp)`), when it parses.
    pub timestamp: Option<f64>,
    /// A private message.
    pub private: bool,
    /// Sent by the company (`own: 1`).
    pub own: bool,
    /// Source id (names in `configuration.globals.sources`).
    pub source: i64,
    /// The source name for the default source ids (`twitter`, ...).
    pub source_name: Option<String>,
    /// Type: 1 page, 2 post, 3 comment, 4 private message, 5 ad.
    #[napi(js_name = "type")]
    pub result_type: i64,
    /// Status (5 = deleted).
    pub status: i64,
    /// Sentiment, -2 (very negative) .. 2 (very positive).
    pub sentiment: i64,
    /// Checked by an agent.
    pub checked: bool,
    /// Bookmarked.
    pub bookmarked: bool,
    /// Tracebuzz rank.
    pub tbrank: Option<i64>,
    /// Tags (`{id, name, ...}`).
    pub tags_list: Vec<Value>,
    /// Activities (`{id, resultId, actor, activity, subject, time, ...}`).
    pub activities: Vec<Value>,
    /// Ids of replies to this result.
    pub replies: Vec<String>,
    /// Notes.
    pub notes: Vec<String>,
    /// A draft reply.
    pub draft: Option<String>,
    /// Connections that can reply to this result (`{id, name, source, ...}`).
    pub available_connections: Vec<Value>,
    /// The default connection for replies.
    pub default_connection: Option<f64>,
    /// Text to put before a reply.
    pub reply_prefix: Option<String>,
    /// Text to put after a reply.
    pub reply_suffix: Option<String>,
    /// Whether a reply is possible.
    pub reply_available: bool,
    /// Whether a like is possible.
    pub like_available: bool,
    /// Every field the client does not name, as served.
    pub extra: Map<String, Value>,
}

/// A result with its conversation context (`client.result(id)`).
#[napi(object)]
pub struct ResultWithContext {
    /// The result.
    pub result: WebcareResult,
    /// The other results of the conversation, oldest first, deleted ones excluded.
    pub context: Vec<WebcareResult>,
}

/// One page of a search.
#[napi(object)]
pub struct Page {
    /// The results, in the order served.
    pub results: Vec<WebcareResult>,
    /// The offset this page was asked for.
    pub offset: f64,
    /// The page size asked for.
    pub limit: u32,
    /// The total count, when the server reports one.
    pub total: Option<f64>,
}

/// A page of a search as the addon hands it to the wrapper: each result a positional array of
/// the fields `resultRowLayout()` names (the wrapper builds the objects: without keys, the text
/// is a third shorter and `JSON.parse` a quarter faster).
#[napi(object)]
pub struct NativeRowsPage {
    /// The results, in the order served, as positional arrays.
    pub results: Vec<Vec<Value>>,
    /// The offset this page was asked for.
    pub offset: f64,
    /// The page size asked for.
    pub limit: u32,
    /// The total count, when the server reports one.
    pub total: Option<f64>,
}

/// The order of the fields in a result row.
#[napi(object)]
pub struct RowLayout {
    /// The field names, in row order.
    pub fields: Vec<String>,
    /// How many of them (the first ones) every result has; the others are `null` when not set.
    pub required: u32,
}

/// The order of the fields in the rows of [`NativeRowsPage`].
#[napi]
pub fn result_row_layout() -> RowLayout {
    RowLayout {
        fields: webcare::json::ROW_FIELDS
            .iter()
            .map(|f| f.to_string())
            .collect(),
        required: webcare::json::REQUIRED_FIELDS as u32,
    }
}

/// The acknowledgement of an operation without a payload (events, case operations).
#[napi(object)]
pub struct Ack {
    /// `metadata.values.url`: the request path without the leading slash.
    pub url: String,
    /// `metadata.method`.
    pub method: String,
    /// Server-side duration in seconds.
    pub duration: f64,
    /// The `data` object as served (often `{}`).
    pub data: Value,
    /// The request id, if the response carried one.
    pub request_id: Option<String>,
}

impl From<webcare::Ack> for Ack {
    fn from(a: webcare::Ack) -> Self {
        Ack {
            url: a.url,
            method: a.method,
            duration: a.duration,
            data: a.data,
            request_id: a.request_id,
        }
    }
}

/// The outcome of a reply.
#[napi(object)]
pub struct ReplySent {
    /// The reply as a result (`own: true`), when the server returned it.
    pub result: Option<WebcareResult>,
    /// The acknowledgement.
    pub ack: Ack,
}

/// A single sign-on token as the native layer returns it (the wrapper's `SsoToken` class hides
/// the token from `inspect` and `JSON.stringify`).
#[napi(object)]
pub struct NativeSsoToken {
    /// The token.
    pub token: Option<String>,
    /// When it expires, as served.
    pub expires: Option<String>,
    /// Other fields as served.
    pub extra: Map<String, Value>,
}

impl From<webcare::SsoToken> for NativeSsoToken {
    fn from(t: webcare::SsoToken) -> Self {
        NativeSsoToken {
            token: t.token.map(|s| s.expose().to_string()),
            expires: t.expires,
            extra: t.extra,
        }
    }
}

/// Watch progress: the new results of one poll and the id to resume from.
#[napi(object)]
pub struct WatchBatch {
    /// New results, oldest first (possibly none).
    pub results: Vec<WebcareResult>,
    /// The id of the last result handed out (or the starting point).
    pub last_id: Option<f64>,
}

// ---------------------------------------------------------------------------------------------
// JSON encoding of the shapes above

/// JSON (UTF-8) in the JavaScript shape; becomes a value through V8's `JSON.parse` on the JS
/// thread.
///
/// Lists of results are parsed in texts below 64 KiB, one by one, and joined with
/// `Array.prototype.concat`: `JSON.parse` allocates every object of a text of 100 KiB or more
/// straight in the old generation (V8's pretenuring), where a stream of pages piles up garbage
/// until a full collection; small texts keep short-lived results young.
pub struct Json {
    /// The value; with `results` set, its `results` array is filled from them (the text holds an
    /// empty one, keeping the key's position).
    text: Vec<u8>,
    results: Option<JsonRows>,
}

/// `JSON` and `JSON.parse`.
unsafe fn json_parse(env: sys::napi_env) -> napi::Result<(sys::napi_value, sys::napi_value)> {
    let mut global = ptr::null_mut();
    let mut json = ptr::null_mut();
    let mut parse = ptr::null_mut();
    // SAFETY: napi calls on the JS thread with valid out-pointers and NUL-terminated names.
    unsafe {
        check(sys::napi_get_global(env, &mut global), "napi_get_global")?;
        check(
            sys::napi_get_named_property(env, global, c"JSON".as_ptr(), &mut json),
            "get JSON",
        )?;
        check(
            sys::napi_get_named_property(env, json, c"parse".as_ptr(), &mut parse),
            "get JSON.parse",
        )?;
    }
    Ok((json, parse))
}

unsafe fn parse_text(
    env: sys::napi_env,
    (json, parse): (sys::napi_value, sys::napi_value),
    text: &[u8],
) -> napi::Result<sys::napi_value> {
    let mut s = ptr::null_mut();
    let mut out = ptr::null_mut();
    // SAFETY: napi calls on the JS thread; `text` is valid UTF-8 of the given length.
    unsafe {
        check(
            sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut s),
            "napi_create_string_utf8",
        )?;
        check(
            sys::napi_call_function(env, json, parse, 1, &s, &mut out),
            "JSON.parse",
        )?;
    }
    Ok(out)
}

/// A page of a stream (use `client.results(...)` instead): its results as positional rows (see
/// `resultRowLayout()`), held as JSON array texts of about 16 KiB at most and parsed one at a
/// time as the wrapper asks, so the JS heap holds a part's objects at a time rather than a
/// page's.
#[napi]
pub struct NativeRows {
    parts: VecDeque<Vec<u8>>,
}

impl NativeRows {
    pub fn new(rows: JsonRows) -> NativeRows {
        NativeRows {
            parts: rows.into_arrays(STREAM_PART_BYTES).into(),
        }
    }
}

#[napi]
impl NativeRows {
    /// The rows of the next part, or `null` after the last one.
    #[napi(catch_unwind, ts_return_type = "Array<Array<unknown>> | null")]
    pub fn next(&mut self, env: Env) -> napi::Result<RawValue> {
        let raw = env.raw();
        let mut out = ptr::null_mut();
        // SAFETY: napi calls on the JS thread (a napi method); each part is a whole JSON array.
        unsafe {
            match self.parts.pop_front() {
                None => check(sys::napi_get_null(raw, &mut out), "napi_get_null")?,
                Some(text) => out = parse_text(raw, json_parse(raw)?, &text)?,
            }
        }
        Ok(RawValue(out))
    }
}

/// The size after which a stream page's text is closed: about 20 results a part (RSS growth
/// over 1,000,000 streamed results 35-38 MB, 36-40 MB with 64 KiB parts).
const STREAM_PART_BYTES: usize = 16 * 1024;

/// The size after which a list text is closed (well below `JSON.parse`'s 100 KiB pretenuring).
const PART_BYTES: usize = 64 * 1024;

unsafe fn parse_list(
    env: sys::napi_env,
    jp: (sys::napi_value, sys::napi_value),
    rows: JsonRows,
) -> napi::Result<sys::napi_value> {
    let mut arrays = Vec::new();
    for text in rows.into_arrays(PART_BYTES) {
        // SAFETY: on the JS thread; each text is a whole JSON array.
        arrays.push(unsafe { parse_text(env, jp, &text)? });
    }
    let (&first, rest) = arrays
        .split_first()
        .ok_or_else(|| napi::Error::from_reason("no result list"))?;
    if rest.is_empty() {
        return Ok(first);
    }
    let mut concat = ptr::null_mut();
    let mut out = ptr::null_mut();
    // SAFETY: napi calls on the JS thread; `first` is an array from JSON.parse.
    unsafe {
        check(
            sys::napi_get_named_property(env, first, c"concat".as_ptr(), &mut concat),
            "get Array.prototype.concat",
        )?;
        check(
            sys::napi_call_function(env, first, concat, rest.len(), rest.as_ptr(), &mut out),
            "Array.prototype.concat",
        )?;
    }
    Ok(out)
}

impl ToNapiValue for Json {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        // SAFETY: called by napi-rs (or the promise settlement) on the JS thread.
        unsafe {
            let jp = json_parse(env)?;
            match val.results {
                None => parse_text(env, jp, &val.text),
                Some(rows) => {
                    // A list that fits one text goes in the same text as the rest: one parse.
                    const HEAD: &[u8] = b"{\"results\":[]";
                    if rows.text().len() < PART_BYTES && val.text.starts_with(HEAD) {
                        let mut whole = Vec::with_capacity(val.text.len() + rows.text().len());
                        whole.extend_from_slice(b"{\"results\":[");
                        whole.extend_from_slice(rows.text());
                        whole.extend_from_slice(&val.text[HEAD.len() - 1..]);
                        return parse_text(env, jp, &whole);
                    }
                    let obj = parse_text(env, jp, &val.text)?;
                    let list = parse_list(env, jp, rows)?;
                    check(
                        sys::napi_set_named_property(env, obj, c"results".as_ptr(), list),
                        "set results",
                    )?;
                    Ok(obj)
                }
            }
        }
    }
}

fn encode_error(e: serde_json::Error) -> webcare::Error {
    webcare::Error::decode(format!("cannot encode for JavaScript: {e}"))
}

/// Encode a value in its JavaScript shape.
pub fn json<T: Serialize + ?Sized>(v: &T, capacity: usize) -> webcare::Result<Json> {
    let mut text = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut text, v).map_err(encode_error)?;
    Ok(Json {
        text,
        results: None,
    })
}

/// Roughly the encoded size of one result (a first guess for the buffer).
const RESULT_BYTES: usize = 1200;

/// A list of core results in the shape of `WebcareResult[]`.
struct JsResults<'a>(&'a [webcare::WebcareResult]);

impl Serialize for JsResults<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for r in self.0 {
            seq.serialize_element(&ResultJson(r))?;
        }
        seq.end()
    }
}

/// A page as [`Page`].
pub fn page_json(p: webcare::paging::RowsPage<JsonRows>) -> webcare::Result<Json> {
    struct P<'a>(&'a webcare::paging::RowsPage<JsonRows>);
    impl Serialize for P<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("results", &[(); 0])?;
            m.serialize_entry("offset", &self.0.offset)?;
            m.serialize_entry("limit", &self.0.limit)?;
            if let Some(t) = self.0.total {
                m.serialize_entry("total", &t)?;
            }
            m.end()
        }
    }
    let mut j = json(&P(&p), 96)?;
    j.results = Some(p.rows);
    Ok(j)
}

/// One result as [`WebcareResult`].
pub fn result_json(r: &webcare::WebcareResult) -> webcare::Result<Json> {
    json(&ResultJson(r), RESULT_BYTES)
}

/// A result with its context as [`ResultWithContext`].
pub fn result_with_context_json(r: &webcare::ResultWithContext) -> webcare::Result<Json> {
    struct P<'a>(&'a webcare::ResultWithContext);
    impl Serialize for P<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("result", &ResultJson(&self.0.result))?;
            m.serialize_entry("context", &JsResults(&self.0.context))?;
            m.end()
        }
    }
    json(&P(r), (1 + r.context.len()) * RESULT_BYTES)
}

/// An acknowledgement in the shape of [`Ack`].
struct JsAck<'a>(&'a webcare::Ack);

impl Serialize for JsAck<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("url", &a.url)?;
        m.serialize_entry("method", &a.method)?;
        m.serialize_entry("duration", &a.duration)?;
        m.serialize_entry("data", &a.data)?;
        if let Some(v) = &a.request_id {
            m.serialize_entry("requestId", v)?;
        }
        m.end()
    }
}

/// The outcome of a reply as [`ReplySent`].
pub fn reply_sent_json(r: &webcare::ReplySent) -> webcare::Result<Json> {
    struct P<'a>(&'a webcare::ReplySent);
    impl Serialize for P<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("ack", &JsAck(&self.0.ack))?;
            if let Some(r) = &self.0.result {
                m.serialize_entry("result", &ResultJson(r))?;
            }
            m.end()
        }
    }
    json(&P(r), 2 * RESULT_BYTES)
}

/// A watch batch as [`WatchBatch`].
pub fn watch_batch_json(
    results: Vec<webcare::WebcareResult>,
    last_id: Option<u64>,
) -> webcare::Result<Json> {
    struct P(Option<u64>);
    impl Serialize for P {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("results", &[(); 0])?;
            if let Some(id) = self.0 {
                m.serialize_entry("lastId", &id)?;
            }
            m.end()
        }
    }
    let mut j = json(&P(last_id), 64)?;
    j.results = Some(JsonRows::from_results(&results, Layout::Objects)?);
    Ok(j)
}
