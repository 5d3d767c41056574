//! Core models to JavaScript objects (camelCase, numbers instead of BigInt, unknown fields in
//! `extra`).

use napi_derive::napi;
use serde_json::{Map, Value};

/// Ids are 64-bit in the core; JavaScript numbers hold them exactly up to 2^53.
pub fn id_num(v: u64) -> f64 {
    v as f64
}

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

fn values<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
    items
        .iter()
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect()
}

impl From<webcare::WebcareResult> for WebcareResult {
    fn from(r: webcare::WebcareResult) -> Self {
        WebcareResult {
            unique_id: id_num(r.unique_id),
            search_id: r.search_id.map(id_num),
            timestamp: r.timestamp_ms().map(|t| t as f64),
            source_name: r.source_kind().map(|s| s.as_str().to_string()),
            tags_list: values(&r.tags_list),
            activities: values(&r.activities),
            available_connections: values(&r.available_connections),
            default_connection: r.default_connection.map(id_num),
            case_id: r.case_id,
            person_id: r.person_id,
            profile_id: r.profile_id,
            link: r.link,
            title: r.title,
            subtitle: r.subtitle,
            description: r.description,
            image: r.image,
            image_link: r.image_link,
            time: r.time,
            private: r.private,
            own: r.own,
            source: r.source,
            result_type: r.result_type,
            status: r.status,
            sentiment: r.sentiment,
            checked: r.checked,
            bookmarked: r.bookmarked,
            tbrank: r.tbrank,
            replies: r.replies,
            notes: r.notes,
            draft: r.draft,
            reply_prefix: r.reply_prefix,
            reply_suffix: r.reply_suffix,
            reply_available: r.reply_available,
            like_available: r.like_available,
            extra: r.extra,
        }
    }
}

/// Convert a list of core results.
pub fn results(items: Vec<webcare::WebcareResult>) -> Vec<WebcareResult> {
    items.into_iter().map(WebcareResult::from).collect()
}

/// A result with its conversation context (`client.result(id)`).
#[napi(object)]
pub struct ResultWithContext {
    /// The result.
    pub result: WebcareResult,
    /// The other results of the conversation, oldest first, deleted ones excluded.
    pub context: Vec<WebcareResult>,
}

impl From<webcare::ResultWithContext> for ResultWithContext {
    fn from(r: webcare::ResultWithContext) -> Self {
        ResultWithContext {
            result: r.result.into(),
            context: results(r.context),
        }
    }
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

impl From<webcare::Page> for Page {
    fn from(p: webcare::Page) -> Self {
        Page {
            results: results(p.results),
            offset: id_num(p.offset),
            limit: p.limit,
            total: p.total.map(id_num),
        }
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

impl From<webcare::ReplySent> for ReplySent {
    fn from(r: webcare::ReplySent) -> Self {
        ReplySent {
            result: r.result.map(WebcareResult::from),
            ack: r.ack.into(),
        }
    }
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
