//! Records and enums: the core's model types as Kotlin data classes and enum classes.

use serde_json::{Map, Value};

/// A core `u64` as a Kotlin `Long` (ids fit; saturates rather than wrapping).
pub(crate) fn long(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn opt_long(v: Option<u64>) -> Option<i64> {
    v.map(long)
}

/// Unknown fields as a JSON object text (`"{}"` when there are none).
pub(crate) fn json_object(map: &Map<String, Value>) -> String {
    Value::Object(map.clone()).to_string()
}

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $core:path { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }
        impl From<$name> for $core {
            fn from(v: $name) -> $core {
                match v { $($name::$variant => <$core>::$variant,)* }
            }
        }
        impl From<$core> for $name {
            fn from(v: $core) -> $name {
                match v { $(<$core>::$variant => $name::$variant,)* }
            }
        }
    };
}

mirror_enum! {
    /// A social media source.
    Source => webcare::Source {
        /// Twitter / X.
        Twitter,
        /// Facebook.
        Facebook,
        /// Instagram.
        Instagram,
        /// LinkedIn.
        Linkedin,
        /// WhatsApp.
        Whatsapp,
        /// Blogs.
        Blogs,
        /// Forums.
        Forums,
        /// News sites.
        News,
        /// Other web pages.
        Web,
        /// Print media.
        Print,
        /// Radio and TV.
        Rtv,
        /// Iris chat.
        Irischat,
    }
}

mirror_enum! {
    /// The five sentiment classes, -2 (very negative) to 2 (very positive).
    SentimentClass => webcare::SentimentClass {
        /// -2
        VeryNegative,
        /// -1
        Negative,
        /// 0
        Neutral,
        /// 1
        Positive,
        /// 2
        VeryPositive,
    }
}

mirror_enum! {
    /// A webcare event on a result.
    Event => webcare::Event {
        /// The agent started typing.
        StartTyping,
        /// The agent stopped typing.
        StopTyping,
        /// The result was closed.
        Closed,
        /// The result was opened.
        Opened,
    }
}

mirror_enum! {
    /// Result order.
    Order => webcare::Order {
        /// Newest first.
        MostRecent,
        /// Oldest first.
        LeastRecent,
    }
}

mirror_enum! {
    /// The `new results` filter.
    NewResults => webcare::NewResults {
        /// Only results not yet delivered to this API client.
        True,
        /// Forget what was delivered, then behave as `True`.
        Reset,
    }
}

mirror_enum! {
    /// The language of a text to score.
    Language => webcare::Language {
        /// Detect English or Dutch.
        Auto,
        /// English (VADER).
        English,
        /// Dutch.
        Dutch,
    }
}

/// The API id of a source (`result.source`).
#[uniffi::export]
pub fn source_id(source: Source) -> i64 {
    webcare::Source::from(source).id()
}

/// The source for an API source id, if known.
#[uniffi::export]
pub fn source_from_id(id: i64) -> Option<Source> {
    webcare::Source::from_id(id).map(Source::from)
}

/// The sentiment class of an API sentiment value (-2..2; values outside are clamped).
#[uniffi::export]
pub fn sentiment_class_from_value(value: i64) -> SentimentClass {
    webcare::SentimentClass::from_value(value).into()
}

/// The API value (-2..2) of a sentiment class.
#[uniffi::export]
pub fn sentiment_class_value(class: SentimentClass) -> i8 {
    webcare::SentimentClass::from(class).value()
}

/// Parse an event name (`starttyping`, `start_typing`, `startTyping`, ...).
#[uniffi::export]
pub fn parse_event(name: String) -> Result<Event, crate::WebcareException> {
    Ok(webcare::Event::parse(&name)?.into())
}

/// A tag on a result.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Tag {
    /// The tag id.
    pub id: Option<i64>,
    /// The tag name.
    pub name: String,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

/// An activity logged on a result.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Activity {
    /// The activity id.
    pub id: Option<i64>,
    /// The result it belongs to.
    pub result_id: Option<i64>,
    /// Who did it.
    pub actor: Option<i64>,
    /// What was done (an id in `configuration.globals.activities`).
    pub activity: Option<i64>,
    /// Subject text.
    pub subject: Option<String>,
    /// When, as served.
    pub time: Option<String>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

/// A connection (an account on a source that replies are sent from).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Connection {
    /// The connection id.
    pub id: i64,
    /// Its name.
    pub name: Option<String>,
    /// Its source id.
    pub source: Option<i64>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

impl From<webcare::model::Tag> for Tag {
    fn from(t: webcare::model::Tag) -> Self {
        Tag {
            id: opt_long(t.id),
            name: t.name,
            extra_json: json_object(&t.extra),
        }
    }
}

impl From<webcare::model::Activity> for Activity {
    fn from(a: webcare::model::Activity) -> Self {
        Activity {
            id: opt_long(a.id),
            result_id: opt_long(a.result_id),
            actor: a.actor,
            activity: a.activity,
            subject: a.subject,
            time: a.time,
            extra_json: json_object(&a.extra),
        }
    }
}

impl From<webcare::model::Connection> for Connection {
    fn from(c: webcare::model::Connection) -> Self {
        Connection {
            id: long(c.id),
            name: c.name,
            source: c.source,
            extra_json: json_object(&c.extra),
        }
    }
}

/// A search result (a message, post, comment, ...).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WebcareResult {
    /// `uniqueId`: grows with time.
    pub unique_id: i64,
    /// The search profile id.
    pub search_id: Option<i64>,
    /// The case id.
    pub case_id: Option<String>,
    /// The person id.
    pub person_id: Option<String>,
    /// The author's profile id on the source.
    pub profile_id: Option<String>,
    /// Link to the message.
    pub link: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// The text.
    pub description: Option<String>,
    /// Image.
    pub image: Option<String>,
    /// Image link.
    pub image_link: Option<String>,
    /// When, as served.
    pub time: Option<String>,
    /// `time` as epoch milliseconds (UTC), when it parses.
    pub timestamp_ms: Option<i64>,
    /// A private message.
    pub private: bool,
    /// Sent by the company (`own: 1`).
    pub own: bool,
    /// The source id (names in `configuration.globals.sources`).
    pub source: i64,
    /// The source, when it is a known one.
    pub source_kind: Option<Source>,
    /// `type`: 1 page, 2 post, 3 comment, 4 private message, 5 ad.
    pub result_type: i64,
    /// Status (5 = deleted).
    pub status: i64,
    /// Whether the result is deleted.
    pub deleted: bool,
    /// Sentiment, -2..2.
    pub sentiment: i64,
    /// Sentiment as a class.
    pub sentiment_class: SentimentClass,
    /// Checked.
    pub checked: bool,
    /// Bookmarked.
    pub bookmarked: bool,
    /// Rank.
    pub tbrank: Option<i64>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Activities.
    pub activities: Vec<Activity>,
    /// Reply ids.
    pub replies: Vec<String>,
    /// Notes.
    pub notes: Vec<String>,
    /// Draft reply.
    pub draft: Option<String>,
    /// Connections a reply can be sent from.
    pub available_connections: Vec<Connection>,
    /// The default connection for replies.
    pub default_connection: Option<i64>,
    /// Reply prefix.
    pub reply_prefix: Option<String>,
    /// Reply suffix.
    pub reply_suffix: Option<String>,
    /// Whether replying is possible.
    pub reply_available: bool,
    /// Whether liking is possible.
    pub like_available: bool,
    /// Every field this client does not know, as a JSON object.
    pub extra_json: String,
}

impl From<webcare::WebcareResult> for WebcareResult {
    fn from(r: webcare::WebcareResult) -> Self {
        let source_kind = r.source_kind().map(Source::from);
        let sentiment_class = r.sentiment_class().into();
        let deleted = r.is_deleted();
        let timestamp_ms = r.timestamp_ms();
        WebcareResult {
            unique_id: long(r.unique_id),
            search_id: opt_long(r.search_id),
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
            timestamp_ms,
            private: r.private,
            own: r.own,
            source: r.source,
            source_kind,
            result_type: r.result_type,
            status: r.status,
            deleted,
            sentiment: r.sentiment,
            sentiment_class,
            checked: r.checked,
            bookmarked: r.bookmarked,
            tbrank: r.tbrank,
            tags: r.tags_list.into_iter().map(Tag::from).collect(),
            activities: r.activities.into_iter().map(Activity::from).collect(),
            replies: r.replies,
            notes: r.notes,
            draft: r.draft,
            available_connections: r
                .available_connections
                .into_iter()
                .map(Connection::from)
                .collect(),
            default_connection: opt_long(r.default_connection),
            reply_prefix: r.reply_prefix,
            reply_suffix: r.reply_suffix,
            reply_available: r.reply_available,
            like_available: r.like_available,
            extra_json: json_object(&r.extra),
        }
    }
}

pub(crate) fn results(v: Vec<webcare::WebcareResult>) -> Vec<WebcareResult> {
    v.into_iter().map(WebcareResult::from).collect()
}

/// A result with its conversation context.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
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
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Page {
    /// The results, in the order served.
    pub results: Vec<WebcareResult>,
    /// The offset asked for.
    pub offset: i64,
    /// The page size asked for.
    pub limit: u32,
    /// The total count, when the server reports one.
    pub total: Option<i64>,
}

impl From<webcare::Page> for Page {
    fn from(p: webcare::Page) -> Self {
        Page {
            results: results(p.results),
            offset: long(p.offset),
            limit: p.limit,
            total: opt_long(p.total),
        }
    }
}

/// The acknowledgement of an operation (events, case operations, replies).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Ack {
    /// `metadata.values.url`.
    pub url: String,
    /// `metadata.method`.
    pub method: String,
    /// Server-side duration in seconds.
    pub duration: f64,
    /// The `data` object as served, as JSON.
    pub data_json: String,
    /// The request id, if the response carried one.
    pub request_id: Option<String>,
}

impl From<webcare::Ack> for Ack {
    fn from(a: webcare::Ack) -> Self {
        Ack {
            url: a.url,
            method: a.method,
            duration: a.duration,
            data_json: a.data.to_string(),
            request_id: a.request_id,
        }
    }
}

/// The outcome of a reply.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ReplySent {
    /// The reply as a result (`own = true`), when the server returned it.
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

/// A single sign-on token. An object, not a data class, so that `toString()` never shows the
/// token: read it with `token()`.
#[derive(Debug, uniffi::Object)]
#[uniffi::export(Display)]
pub struct SsoToken {
    inner: webcare::SsoToken,
}

impl std::fmt::Display for SsoToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SsoToken(token={}, expires={})",
            webcare::redact::REDACTED,
            self.inner.expires.as_deref().unwrap_or("null")
        )
    }
}

impl From<webcare::SsoToken> for SsoToken {
    fn from(inner: webcare::SsoToken) -> Self {
        SsoToken { inner }
    }
}

#[uniffi::export]
impl SsoToken {
    /// The token (a secret: do not log it).
    pub fn token(&self) -> Option<String> {
        self.inner.token.as_ref().map(|s| s.expose().to_string())
    }
    /// When it expires, as served.
    pub fn expires(&self) -> Option<String> {
        self.inner.expires.clone()
    }
    /// Other fields as served, as a JSON object (token-like fields removed).
    pub fn extra_json(&self) -> String {
        json_object(&self.inner.extra)
    }
}

/// `configuration.globals`: name-to-id tables.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Globals {
    /// Source name to id.
    pub sources: std::collections::HashMap<String, i64>,
    /// Activity name to id.
    pub activities: std::collections::HashMap<String, i64>,
    /// Status name to id.
    pub statusses: std::collections::HashMap<String, i64>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

/// A user (handler) of the account.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct User {
    /// The user id.
    pub id: i64,
    /// The name.
    pub name: String,
    /// The first name.
    pub first_name: Option<String>,
    /// The e-mail address.
    pub email: Option<String>,
    /// Whether the user is an admin.
    pub admin: bool,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

/// A sub-tab of a webcare tab.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SubTab {
    /// Name.
    pub name: String,
    /// Short name.
    pub shortname: Option<String>,
    /// Its filter segments.
    pub filters: String,
}

/// A webcare tab of a search profile.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Tab {
    /// Name.
    pub name: String,
    /// Its filter segments.
    pub filters: String,
    /// Action.
    pub action: Option<String>,
    /// Sub-tabs.
    pub sub_tabs: Vec<SubTab>,
}

/// A search profile.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Search {
    /// The search id.
    pub id: i64,
    /// The name (the first segment of a search path).
    pub name: String,
    /// The name as encoded in paths.
    pub encoded_name: Option<String>,
    /// Visible.
    pub visible: bool,
    /// Webcare tabs.
    pub webcare_tabs: Vec<Tab>,
    /// Sources available in this profile.
    pub available_sources: Vec<String>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

/// The account.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Account {
    /// Member id.
    pub member_id: String,
    /// Company name.
    pub company: String,
    /// Member since.
    pub member_since: Option<String>,
    /// Users (handlers).
    pub users: Vec<User>,
    /// Search profiles.
    pub searches: Vec<Search>,
    /// Connections.
    pub connections: Vec<Connection>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

/// The account configuration (`GET /configuration`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Configuration {
    /// Last change, as served.
    pub last_change: Option<String>,
    /// Name-to-id tables.
    pub globals: Globals,
    /// Format.
    pub format: Option<String>,
    /// The account.
    pub account: Account,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

impl From<webcare::Configuration> for Configuration {
    fn from(c: webcare::Configuration) -> Self {
        let g = c.globals;
        let a = c.account;
        Configuration {
            last_change: c.last_change,
            globals: Globals {
                sources: g.sources.into_iter().collect(),
                activities: g.activities.into_iter().collect(),
                statusses: g.statusses.into_iter().collect(),
                extra_json: json_object(&g.extra),
            },
            format: c.format,
            account: Account {
                member_id: a.member_id,
                company: a.company,
                member_since: a.member_since,
                users: a
                    .users
                    .into_iter()
                    .map(|u| User {
                        id: long(u.id),
                        name: u.name,
                        first_name: u.first_name,
                        email: u.email,
                        admin: u.admin,
                        extra_json: json_object(&u.extra),
                    })
                    .collect(),
                searches: a
                    .searches
                    .into_iter()
                    .map(|s| Search {
                        id: long(s.id),
                        name: s.name,
                        encoded_name: s.encoded_name,
                        visible: s.visible,
                        webcare_tabs: s
                            .webcare_tabs
                            .into_iter()
                            .map(|t| Tab {
                                name: t.name,
                                filters: t.filters,
                                action: t.action,
                                sub_tabs: t
                                    .sub_tabs
                                    .into_iter()
                                    .map(|st| SubTab {
                                        name: st.name,
                                        shortname: st.shortname,
                                        filters: st.filters,
                                    })
                                    .collect(),
                            })
                            .collect(),
                        available_sources: s.available_sources,
                        extra_json: json_object(&s.extra),
                    })
                    .collect(),
                connections: a.connections.into_iter().map(Connection::from).collect(),
                extra_json: json_object(&a.extra),
            },
            extra_json: json_object(&c.extra),
        }
    }
}
