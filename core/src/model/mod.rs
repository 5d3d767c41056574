//! Typed API objects. Every struct keeps the fields it does not know in `extra`, so nothing the
//! server sends is lost, and decoding is lenient where the published spec is loose.

pub(crate) mod de;
pub(crate) mod fields;
pub(crate) mod page_de;
pub(crate) mod scan;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ApiMessage, Error};
use crate::filter::Source;
use crate::redact::Secret;
use crate::sentiment::SentimentClass;

pub use de::*;

/// The envelope's `metadata`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metadata {
    /// `metadata.values` (notably `url`).
    #[serde(default)]
    pub values: MetadataValues,
    /// The HTTP method, lower-case.
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub method: String,
    /// Server-side duration in seconds.
    #[serde(default, deserialize_with = "de::f64_lenient")]
    pub duration: f64,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `metadata.values`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetadataValues {
    /// The request path without the leading slash (the published spec types it as an integer;
    /// a number is kept as its text).
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub url: String,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The response envelope: `{"data", "messages", "status": "SUCCES", "metadata"}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Envelope {
    /// The payload.
    #[serde(default)]
    pub data: Value,
    /// Messages (backend validation failures put entries here).
    #[serde(default, deserialize_with = "messages_lenient")]
    pub messages: Vec<ApiMessage>,
    /// `SUCCES` on success (the API's spelling).
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub status: String,
    /// Request metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// The configuration, beside `data` (only on `GET /configuration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<Value>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The success status, spelled as the API spells it.
pub const STATUS_SUCCESS: &str = "SUCCES";

fn messages_lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ApiMessage>, D::Error> {
    let v = Value::deserialize(d)?;
    let items = match v {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        other => vec![other],
    };
    Ok(items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => ApiMessage {
                kind: String::new(),
                title: s,
                description: String::new(),
            },
            Value::Object(_) => serde_json::from_value(item.clone()).unwrap_or(ApiMessage {
                kind: String::new(),
                title: item.to_string(),
                description: String::new(),
            }),
            other => ApiMessage {
                kind: String::new(),
                title: other.to_string(),
                description: String::new(),
            },
        })
        .collect())
}

impl Envelope {
    /// Whether the status is `SUCCES` (also accepts `SUCCESS` and `OK`, case-insensitively).
    pub fn is_success(&self) -> bool {
        status_is_success(&self.status)
    }
}

/// Whether an envelope's `status` means success: `SUCCES` (as served), `SUCCESS`, `OK` or blank,
/// in any case.
pub fn status_is_success(status: &str) -> bool {
    let s = status.trim();
    s.is_empty()
        || s.eq_ignore_ascii_case(STATUS_SUCCESS)
        || s.eq_ignore_ascii_case("SUCCESS")
        || s.eq_ignore_ascii_case("OK")
}

/// A tag on a result (`tagsList` entries).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    /// Tag id.
    #[serde(default, deserialize_with = "de::opt_u64_lenient")]
    pub id: Option<u64>,
    /// Tag name.
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub name: String,
    /// Unknown fields (`type`, `active`, `visibleInWebcare`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An activity logged on a result (`activities` entries).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// Activity id.
    #[serde(default, deserialize_with = "de::opt_u64_lenient")]
    pub id: Option<u64>,
    /// The result it is about.
    #[serde(default, deserialize_with = "de::opt_u64_lenient")]
    pub result_id: Option<u64>,
    /// The acting user id.
    #[serde(default, deserialize_with = "de::opt_i64_lenient")]
    pub actor: Option<i64>,
    /// The activity code (`configuration.globals.activities`: open 1, check 2, respond 3, ...).
    #[serde(default, deserialize_with = "de::opt_i64_lenient")]
    pub activity: Option<i64>,
    /// Subject text.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub subject: Option<String>,
    /// Time, as served.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub time: Option<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A connection (an account on a source the company replies from).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// Connection id (used as `connectionId` when replying).
    #[serde(default, deserialize_with = "de::u64_lenient")]
    pub id: u64,
    /// Display name.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub name: Option<String>,
    /// Source id.
    #[serde(default, deserialize_with = "de::opt_i64_lenient")]
    pub source: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One result: a message, post, comment or private message.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebcareResult {
    /// Result id, unique in the account; grows with time.
    #[serde(deserialize_with = "de::u64_lenient")]
    pub unique_id: u64,
    /// The search (profile) id.
    #[serde(default, deserialize_with = "de::opt_u64_lenient")]
    pub search_id: Option<u64>,
    /// The case id.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub case_id: Option<String>,
    /// The person id.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub person_id: Option<String>,
    /// The author's profile id on the source.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub profile_id: Option<String>,
    /// Link to the message on the source.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub link: Option<String>,
    /// Title (usually the author's name).
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub title: Option<String>,
    /// Subtitle.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub subtitle: Option<String>,
    /// The message text.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub description: Option<String>,
    /// Author image.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub image: Option<String>,
    /// Link behind the image.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub image_link: Option<String>,
    /// Time, as served (the sandbox serves RFC 3339 UTC). See [`WebcareResult::timestamp_ms`].
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub time: Option<String>,
    /// A private message.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub private: bool,
    /// Sent by the company (`own: 1`).
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub own: bool,
    /// Source id (names in `configuration.globals.sources`; see [`Source::from_id`]).
    #[serde(default, deserialize_with = "de::i64_lenient")]
    pub source: i64,
    /// Type: 1 page, 2 post, 3 comment, 4 private message, 5 ad.
    #[serde(rename = "type", default, deserialize_with = "de::i64_lenient")]
    pub result_type: i64,
    /// Status (5 = deleted).
    #[serde(default, deserialize_with = "de::i64_lenient")]
    pub status: i64,
    /// Sentiment, -2 (very negative) .. 2 (very positive).
    #[serde(default, deserialize_with = "de::i64_lenient")]
    pub sentiment: i64,
    /// Checked by an agent.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub checked: bool,
    /// Bookmarked.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub bookmarked: bool,
    /// Tracebuzz rank.
    #[serde(default, deserialize_with = "de::opt_i64_lenient")]
    pub tbrank: Option<i64>,
    /// Tags.
    #[serde(default, deserialize_with = "de::list_or_map")]
    pub tags_list: Vec<Tag>,
    /// Activities.
    #[serde(default, deserialize_with = "de::list_or_map")]
    pub activities: Vec<Activity>,
    /// Ids of replies to this result.
    #[serde(default, deserialize_with = "de::string_list_lenient")]
    pub replies: Vec<String>,
    /// Notes.
    #[serde(default, deserialize_with = "de::string_list_lenient")]
    pub notes: Vec<String>,
    /// A draft reply.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub draft: Option<String>,
    /// Connections that can reply to this result.
    #[serde(default, deserialize_with = "de::list_or_map_or_ids")]
    pub available_connections: Vec<Connection>,
    /// The default connection for replies.
    #[serde(default, deserialize_with = "de::opt_u64_lenient")]
    pub default_connection: Option<u64>,
    /// Text to put before a reply.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub reply_prefix: Option<String>,
    /// Text to put after a reply.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub reply_suffix: Option<String>,
    /// Whether a reply is possible.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub reply_available: bool,
    /// Whether a like is possible.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub like_available: bool,
    /// Every field this type does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `WebcareResult` decoded field by field in one pass: the derived decoder with
/// `#[serde(flatten)]` buffers every field of every result before decoding it (profiled: over
/// half the time of decoding a search page). Same lenient rules per field (`de::*`), unknown
/// fields go to `extra`, `uniqueId` is required.
mod result_de {
    use std::fmt;

    use serde::de::{Deserializer, Error, MapAccess, Visitor};
    use serde::Deserialize;
    use serde_json::{Map, Value};

    use super::fields::{field, text_mut, F};
    use super::WebcareResult;

    use super::de::{
        ActivityList, BoolLenient, ConnectionList, I64Lenient, OptI64Lenient, OptStringLenient,
        OptU64Lenient, StringListLenient, TagList, U64Lenient,
    };

    /// A key: a field the client names, or another one (kept under `extra`).
    enum Field {
        Known(F),
        Other(String),
    }

    struct FieldVisitor;

    impl Visitor<'_> for FieldVisitor {
        type Value = Field;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<Field, E> {
            Ok(match field(v) {
                Some(f) => Field::Known(f),
                None => Field::Other(v.to_owned()),
            })
        }
        fn visit_string<E: Error>(self, v: String) -> Result<Field, E> {
            Ok(match field(&v) {
                Some(f) => Field::Known(f),
                None => Field::Other(v),
            })
        }
    }

    impl<'de> Deserialize<'de> for Field {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
            d.deserialize_identifier(FieldVisitor)
        }
    }

    struct ResultVisitor;

    impl<'de> Visitor<'de> for ResultVisitor {
        type Value = WebcareResult;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a result object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WebcareResult, A::Error> {
            let mut r = WebcareResult::default();
            let mut has_id = false;
            let mut extra = Map::new();
            while let Some(key) = map.next_key::<Field>()? {
                let f = match key {
                    Field::Known(f) => f,
                    Field::Other(k) => {
                        let v: Value = map.next_value()?;
                        if extra.is_empty() {
                            // Results that carry unknown fields usually carry a dozen or more:
                            // size the map once instead of growing it three times.
                            extra = Map::with_capacity(16);
                        }
                        extra.insert(k, v);
                        continue;
                    }
                };
                match f {
                    F::UniqueId => {
                        r.unique_id = map.next_value_seed(U64Lenient)?;
                        has_id = true;
                    }
                    F::SearchId => r.search_id = map.next_value_seed(OptU64Lenient)?,
                    F::Private => r.private = map.next_value_seed(BoolLenient)?,
                    F::Own => r.own = map.next_value_seed(BoolLenient)?,
                    F::Source => r.source = map.next_value_seed(I64Lenient)?,
                    F::Type => r.result_type = map.next_value_seed(I64Lenient)?,
                    F::Status => r.status = map.next_value_seed(I64Lenient)?,
                    F::Sentiment => r.sentiment = map.next_value_seed(I64Lenient)?,
                    F::Checked => r.checked = map.next_value_seed(BoolLenient)?,
                    F::Bookmarked => r.bookmarked = map.next_value_seed(BoolLenient)?,
                    F::Tbrank => r.tbrank = map.next_value_seed(OptI64Lenient)?,
                    F::TagsList => r.tags_list = map.next_value_seed(TagList)?,
                    F::Activities => r.activities = map.next_value_seed(ActivityList)?,
                    F::Replies => r.replies = map.next_value_seed(StringListLenient)?,
                    F::Notes => r.notes = map.next_value_seed(StringListLenient)?,
                    F::AvailableConnections => {
                        r.available_connections = map.next_value_seed(ConnectionList)?
                    }
                    F::DefaultConnection => {
                        r.default_connection = map.next_value_seed(OptU64Lenient)?
                    }
                    F::ReplyAvailable => r.reply_available = map.next_value_seed(BoolLenient)?,
                    F::LikeAvailable => r.like_available = map.next_value_seed(BoolLenient)?,
                    F::Text(i) => {
                        let v = map.next_value_seed(OptStringLenient)?;
                        if let Some(slot) = text_mut(&mut r, i) {
                            *slot = v;
                        }
                    }
                }
            }
            if !has_id {
                return Err(A::Error::missing_field("uniqueId"));
            }
            r.extra = extra;
            Ok(r)
        }
    }

    impl<'de> Deserialize<'de> for WebcareResult {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<WebcareResult, D::Error> {
            d.deserialize_map(ResultVisitor)
        }
    }
}

impl WebcareResult {
    /// The source, when its id is one of the default ids (see [`Source::id`]).
    pub fn source_kind(&self) -> Option<Source> {
        Source::from_id(self.source)
    }

    /// The sentiment class (clamped to -2..2).
    pub fn sentiment_class(&self) -> SentimentClass {
        SentimentClass::from_value(self.sentiment)
    }

    /// Whether the result was deleted (`status == 5`).
    pub fn is_deleted(&self) -> bool {
        self.status == 5
    }

    /// The time as milliseconds since the Unix epoch, if `time` parses (RFC 3339,
    /// `YYYY-MM-DD HH:MM:SS` as UTC, or epoch seconds / milliseconds).
    pub fn timestamp_ms(&self) -> Option<i64> {
        parse_time_ms(self.time.as_deref()?)
    }
}

/// Parse a time as served into epoch milliseconds (see [`WebcareResult::timestamp_ms`]).
pub fn parse_time_ms(t: &str) -> Option<i64> {
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = t.parse().ok()?;
        // Ten digits or fewer are seconds.
        return Some(if t.len() <= 10 { n * 1000 } else { n });
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.timestamp_millis());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(n) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Some(n.and_utc().timestamp_millis());
        }
    }
    None
}

/// A result with its conversation context (`GET /results/{id}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResultWithContext {
    /// The result.
    pub result: WebcareResult,
    /// The other results of the conversation, oldest first, deleted ones excluded.
    pub context: Vec<WebcareResult>,
}

/// One page of a search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The results, in the order served.
    pub results: Vec<WebcareResult>,
    /// The offset this page was asked for.
    pub offset: u64,
    /// The page size asked for.
    pub limit: u32,
    /// The total count, when the server reports one (`data.total` / `data.count`).
    pub total: Option<u64>,
}

/// The acknowledgement of an operation without a payload (events, case operations).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ack {
    /// `metadata.values.url`.
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

/// The outcome of a reply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReplySent {
    /// The reply as a result (`own: true`), when the server returned it.
    pub result: Option<WebcareResult>,
    /// The connection the reply was sent from (given, or the result's default).
    pub connection_id: u64,
    /// The acknowledgement.
    pub ack: Ack,
}

/// A single sign-on token for a user (`GET /ssoAccessToken/{email}`).
#[derive(Clone, PartialEq, Default)]
pub struct SsoToken {
    /// The token (redacted in `Debug`).
    pub token: Option<Secret>,
    /// When it expires, as served.
    pub expires: Option<String>,
    /// Other fields as served (token-like fields removed).
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for SsoToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoToken")
            .field("token", &self.token)
            .field("expires", &self.expires)
            .field("extra", &self.extra)
            .finish()
    }
}

impl SsoToken {
    /// Decode from the envelope's `data`: accepts `token`, `accessToken`, `ssoAccessToken` or
    /// `access_token`, and `expires`, `expiresAt`, `expiry`, `expiryDate` or `expires_at`.
    pub fn from_data(data: Value) -> Result<SsoToken, Error> {
        let mut map = match data {
            Value::Object(m) => m,
            Value::String(s) => {
                let mut m = Map::new();
                m.insert("token".into(), Value::String(s));
                m
            }
            other => {
                return Err(Error::decode(format!(
                    "SSO token response: expected an object, got {}",
                    type_name(&other)
                )))
            }
        };
        let mut token = None;
        for k in ["token", "accessToken", "ssoAccessToken", "access_token"] {
            if let Some(v) = map.remove(k) {
                if let Some(s) = v.as_str() {
                    token = Some(Secret::new(s));
                }
            }
        }
        let mut expires = None;
        for k in ["expires", "expiresAt", "expiry", "expiryDate", "expires_at"] {
            if let Some(v) = map.remove(k) {
                expires = match v {
                    Value::String(s) => Some(s),
                    Value::Null => None,
                    other => Some(other.to_string()),
                };
            }
        }
        Ok(SsoToken {
            token,
            expires,
            extra: map,
        })
    }
}

/// The name of a JSON value's type, for error messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `configuration.globals`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Globals {
    /// Source name to id.
    #[serde(default, deserialize_with = "de::name_id_map")]
    pub sources: BTreeMap<String, i64>,
    /// Activity name to id.
    #[serde(default, deserialize_with = "de::name_id_map")]
    pub activities: BTreeMap<String, i64>,
    /// Status name to id (the API spells it `statusses`).
    #[serde(default, deserialize_with = "de::name_id_map")]
    pub statusses: BTreeMap<String, i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A user (handler) of the account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// User id.
    #[serde(default, deserialize_with = "de::u64_lenient")]
    pub id: u64,
    /// Full name.
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub name: String,
    /// First name.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub first_name: Option<String>,
    /// E-mail address.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub email: Option<String>,
    /// Administrator.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub admin: bool,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A sub-tab of a webcare tab.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubTab {
    /// Name.
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub name: String,
    /// Short name.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub shortname: Option<String>,
    /// Filter path (the filter language).
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub filters: String,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A webcare tab of a search.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tab {
    /// Name.
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub name: String,
    /// Filter path (the filter language).
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub filters: String,
    /// Action.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub action: Option<String>,
    /// Mark results checked when the tab changes.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub on_change_set_checked: bool,
    /// Sub-tabs.
    #[serde(default, deserialize_with = "de::list_or_map")]
    pub sub_tabs: Vec<SubTab>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A search profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Search {
    /// Search id (used in case operations).
    #[serde(default, deserialize_with = "de::u64_lenient")]
    pub id: u64,
    /// Name (the first segment of a search path).
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub name: String,
    /// The name as written in paths.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub encoded_name: Option<String>,
    /// Visible.
    #[serde(default, deserialize_with = "de::bool_lenient")]
    pub visible: bool,
    /// Webcare tabs.
    #[serde(default, deserialize_with = "de::list_or_map")]
    pub webcare_tabs: Vec<Tab>,
    /// Sources available in this search.
    #[serde(default, deserialize_with = "de::string_list_lenient")]
    pub available_sources: Vec<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `configuration.account`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Account (member) id.
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub member_id: String,
    /// Company name.
    #[serde(default, deserialize_with = "de::string_lenient")]
    pub company: String,
    /// Member since (as served).
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub member_since: Option<String>,
    /// Users (handlers).
    #[serde(default, deserialize_with = "de::list_or_map")]
    pub users: Vec<User>,
    /// Search profiles.
    #[serde(default, deserialize_with = "de::list_or_map")]
    pub searches: Vec<Search>,
    /// Connections.
    #[serde(default, deserialize_with = "de::list_or_map")]
    pub connections: Vec<Connection>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The account configuration (`GET /configuration`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    /// Last change (as served).
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub last_change: Option<String>,
    /// Global code tables.
    #[serde(default)]
    pub globals: Globals,
    /// Format.
    #[serde(default, deserialize_with = "de::opt_string_lenient")]
    pub format: Option<String>,
    /// The account.
    #[serde(default)]
    pub account: Account,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Configuration {
    /// The search profile with this name.
    pub fn search(&self, name: &str) -> Option<&Search> {
        self.account.searches.iter().find(|s| s.name == name)
    }

    /// The user with this id.
    pub fn user(&self, id: u64) -> Option<&User> {
        self.account.users.iter().find(|u| u.id == id)
    }

    /// The source name for an id, from `globals.sources` (falling back to the default ids).
    pub fn source_name(&self, id: i64) -> Option<String> {
        self.globals
            .sources
            .iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| k.clone())
            .or_else(|| Source::from_id(id).map(|s| s.as_str().to_string()))
    }
}
