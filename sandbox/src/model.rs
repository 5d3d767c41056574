//! The JSON shape of results, and the code tables the configuration publishes.

use serde::Serialize;
use serde_json::{Map, Value};
use webcare::Source;

use crate::clock::rfc3339_secs;
use crate::db::ResultRow;

/// Activity codes (`configuration.globals.activities`).
pub(crate) mod activity {
    /// A result was opened (event `opened`).
    pub const OPEN: i64 = 1;
    /// A result was checked.
    pub const CHECK: i64 = 2;
    /// A reply was sent.
    pub const RESPOND: i64 = 3;
    /// A result was closed (event `closed`).
    pub const CLOSE: i64 = 4;
    /// The case was handed over to a handler.
    pub const HANDOVER: i64 = 5;
    /// The handler was released from the case.
    pub const RELEASE: i64 = 6;
    /// The case was closed.
    pub const CLOSE_CASE: i64 = 7;
    /// The case was reopened by an inbound message.
    pub const REOPEN_CASE: i64 = 8;

    /// Name and code, for the configuration.
    pub const ALL: [(&str, i64); 8] = [
        ("open", OPEN),
        ("check", CHECK),
        ("respond", RESPOND),
        ("close", CLOSE),
        ("handover", HANDOVER),
        ("release", RELEASE),
        ("closeCase", CLOSE_CASE),
        ("reopenCase", REOPEN_CASE),
    ];
}

/// Result status codes (`configuration.globals.statusses`).
pub(crate) mod status {
    /// New, untouched.
    pub const NEW: i64 = 1;
    /// Opened by an agent.
    pub const OPENED: i64 = 2;
    /// Closed by an agent.
    pub const CLOSED: i64 = 3;
    /// Replied to.
    pub const REPLIED: i64 = 4;
    /// Deleted (excluded from searches and context).
    pub const DELETED: i64 = 5;

    /// Name and code, for the configuration.
    pub const ALL: [(&str, i64); 5] = [
        ("new", NEW),
        ("opened", OPENED),
        ("closed", CLOSED),
        ("replied", REPLIED),
        ("deleted", DELETED),
    ];
}

/// Result types (`configuration.globals.types`).
pub(crate) const TYPES: [(&str, i64); 5] = [
    ("page", 1),
    ("post", 2),
    ("comment", 3),
    ("privateMessage", 4),
    ("ad", 5),
];

/// A tag in `tagsList`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TagDoc {
    pub id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// An entry of `activities`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ActivityDoc {
    pub id: i64,
    pub result_id: i64,
    pub actor: Option<i64>,
    pub activity: i64,
    pub subject: String,
    pub time: String,
}

/// An entry of `availableConnections`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConnectionDoc {
    pub id: i64,
    pub name: String,
    pub source: i64,
}

/// Everything needed to render and store one result.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResultInput {
    pub id: i64,
    pub account_id: i64,
    pub search_id: i64,
    pub case_id: i64,
    pub person_id: i64,
    pub profile_id: i64,
    pub source: i64,
    pub kind: i64,
    pub private: bool,
    pub own: bool,
    pub time: i64,
    pub status: i64,
    pub sentiment: i64,
    pub checked: bool,
    pub bookmarked: bool,
    pub tbrank: i64,
    pub title: String,
    pub subtitle: String,
    pub description: String,
    pub link: String,
    pub image: String,
    pub image_link: String,
    pub language: String,
    pub category: String,
    pub labels: Vec<String>,
    pub hashtags: Vec<String>,
    pub country: String,
    pub city: String,
    pub municipality: String,
    pub province: String,
    pub author_handle: String,
    pub author_name: String,
    pub parent_id: Option<i64>,
    pub replies: Vec<i64>,
    pub activities: Vec<ActivityDoc>,
    pub connections: Vec<ConnectionDoc>,
    pub default_connection: Option<i64>,
    pub reply_prefix: String,
    pub reply_suffix: String,
    pub handler: Option<i64>,
    pub case_closed: bool,
    pub typing: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultDoc<'a> {
    unique_id: i64,
    search_id: i64,
    case_id: String,
    person_id: String,
    profile_id: String,
    link: &'a str,
    title: &'a str,
    subtitle: &'a str,
    description: &'a str,
    image: &'a str,
    image_link: &'a str,
    time: String,
    private: bool,
    own: u8,
    source: i64,
    #[serde(rename = "type")]
    kind: i64,
    status: i64,
    sentiment: i64,
    checked: u8,
    bookmarked: u8,
    tbrank: i64,
    tags_list: Vec<TagDoc>,
    activities: &'a [ActivityDoc],
    replies: &'a [i64],
    notes: [&'a str; 0],
    draft: &'a str,
    available_connections: &'a [ConnectionDoc],
    default_connection: Option<i64>,
    reply_prefix: &'a str,
    reply_suffix: &'a str,
    reply_available: bool,
    like_available: bool,
    language: &'a str,
    category: &'a str,
    labels: &'a [String],
    hashtags: &'a [String],
    country: &'a str,
    city: &'a str,
    municipality: &'a str,
    province: &'a str,
    author: &'a str,
    author_name: &'a str,
    parent_id: Option<i64>,
    typing: bool,
    handler: Option<i64>,
    case_status: &'a str,
}

/// A stable small id for a label name (used in `tagsList`).
pub(crate) fn label_id(name: &str) -> i64 {
    let mut h: u32 = 2166136261;
    for b in name.to_lowercase().bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(16777619);
    }
    i64::from(h % 90_000) + 10_000
}

/// Whether a reply can be sent to a result with these properties.
pub(crate) fn reply_available(own: bool, status: i64, has_connection: bool) -> bool {
    !own && status != status::DELETED && has_connection
}

/// Whether the source supports likes.
pub(crate) fn like_available(source: i64, private: bool) -> bool {
    !private
        && [
            Source::Twitter,
            Source::Facebook,
            Source::Instagram,
            Source::Linkedin,
        ]
        .iter()
        .any(|s| s.id() == source)
}

/// Lower-case a link, drop the scheme and a leading `www.`; returns (site, host).
pub(crate) fn site_of(link: &str) -> (String, String) {
    let l = link.trim().to_lowercase();
    let rest = l.split_once("://").map(|(_, r)| r).unwrap_or(&l);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.trim_end_matches('/');
    let host = rest.split(['/', '?', '#']).next().unwrap_or("").to_string();
    (rest.to_string(), host)
}

/// `|a|b|` (lower-case) for list columns matched with `instr`.
pub(crate) fn bar_list<S: AsRef<str>>(items: &[S]) -> String {
    let mut s = String::from("|");
    for i in items {
        s.push_str(&i.as_ref().to_lowercase());
        s.push('|');
    }
    s
}

impl ResultInput {
    /// Render the JSON and the indexed columns.
    pub(crate) fn to_row(&self) -> ResultRow {
        let tags: Vec<TagDoc> = self
            .labels
            .iter()
            .map(|l| TagDoc {
                id: label_id(l),
                name: l.clone(),
                kind: "label".into(),
            })
            .collect();
        let doc = ResultDoc {
            unique_id: self.id,
            search_id: self.search_id,
            case_id: self.case_id.to_string(),
            person_id: self.person_id.to_string(),
            profile_id: self.profile_id.to_string(),
            link: &self.link,
            title: &self.title,
            subtitle: &self.subtitle,
            description: &self.description,
            image: &self.image,
            image_link: &self.image_link,
            time: rfc3339_secs(self.time),
            private: self.private,
            own: u8::from(self.own),
            source: self.source,
            kind: self.kind,
            status: self.status,
            sentiment: self.sentiment,
            checked: u8::from(self.checked),
            bookmarked: u8::from(self.bookmarked),
            tbrank: self.tbrank,
            tags_list: tags,
            activities: &self.activities,
            replies: &self.replies,
            notes: [],
            draft: "",
            available_connections: &self.connections,
            default_connection: self.default_connection,
            reply_prefix: &self.reply_prefix,
            reply_suffix: &self.reply_suffix,
            reply_available: reply_available(self.own, self.status, !self.connections.is_empty()),
            like_available: like_available(self.source, self.private),
            language: &self.language,
            category: &self.category,
            labels: &self.labels,
            hashtags: &self.hashtags,
            country: &self.country,
            city: &self.city,
            municipality: &self.municipality,
            province: &self.province,
            author: &self.author_handle,
            author_name: &self.author_name,
            parent_id: self.parent_id,
            typing: self.typing,
            handler: self.handler,
            case_status: if self.case_closed { "closed" } else { "open" },
        };
        let json = serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into());
        let (site, host) = site_of(&self.link);
        let mut text_lc = self.title.to_lowercase();
        text_lc.push('\n');
        text_lc.push_str(&self.description.to_lowercase());
        ResultRow {
            id: self.id,
            account_id: self.account_id,
            search_id: self.search_id,
            case_id: self.case_id,
            source: self.source,
            sentiment: self.sentiment,
            status: self.status,
            checked: self.checked,
            own: self.own,
            private: self.private,
            kind: self.kind,
            time: self.time,
            parent_id: self.parent_id,
            typing: self.typing,
            author: bar_list(&[
                self.author_handle.trim_start_matches('@'),
                self.author_name.as_str(),
            ]),
            site,
            host,
            text_lc,
            category: self.category.clone(),
            labels: bar_list(&self.labels),
            hashtags: bar_list(
                &self
                    .hashtags
                    .iter()
                    .map(|h| h.trim_start_matches('#').to_string())
                    .collect::<Vec<_>>(),
            ),
            country: self.country.clone(),
            city: self.city.clone(),
            municipality: self.municipality.clone(),
            province: self.province.clone(),
            json,
        }
    }
}

/// The dynamic parts of a stored result, patched into its JSON when they change.
#[derive(Debug, Clone)]
pub(crate) struct Dynamic {
    pub status: i64,
    pub checked: bool,
    pub typing: bool,
    pub activities: Vec<ActivityDoc>,
    pub replies: Vec<i64>,
    pub handler: Option<i64>,
    pub case_closed: bool,
    pub own: bool,
    pub has_connection: bool,
}

/// Patch the dynamic fields into a stored JSON document.
pub(crate) fn patch_json(json: &str, d: &Dynamic) -> String {
    let mut map: Map<String, Value> = serde_json::from_str(json).unwrap_or_default();
    let set = |map: &mut Map<String, Value>, k: &str, v: Value| {
        if let Some(slot) = map.get_mut(k) {
            *slot = v;
        } else {
            map.insert(k.to_string(), v);
        }
    };
    set(&mut map, "status", Value::from(d.status));
    set(&mut map, "checked", Value::from(u8::from(d.checked)));
    set(
        &mut map,
        "activities",
        serde_json::to_value(&d.activities).unwrap_or(Value::Array(Vec::new())),
    );
    set(&mut map, "replies", Value::from(d.replies.clone()));
    set(
        &mut map,
        "replyAvailable",
        Value::from(reply_available(d.own, d.status, d.has_connection)),
    );
    set(&mut map, "typing", Value::from(d.typing));
    set(
        &mut map,
        "handler",
        d.handler.map(Value::from).unwrap_or(Value::Null),
    );
    set(
        &mut map,
        "caseStatus",
        Value::from(if d.case_closed { "closed" } else { "open" }),
    );
    serde_json::to_string(&map).unwrap_or_else(|_| json.to_string())
}
