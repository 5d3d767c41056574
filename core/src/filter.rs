//! The filter language of the search path (`/results/<profile>/<segment>/...`).
//!
//! A [`Filter`] is a typed value for every filter the API knows. [`Filter::render`] turns it into
//! the canonical segment path (one fixed order, so equal filters give equal paths) and
//! [`Filter::parse`] reads a segment path back: `Filter::parse(&f.render()) == Ok(f)`.
//!
//! Encoding rules (see `DESIGN.md` 3.5 and `docs/filters.md`): spaces are written `+`; in a value,
//! every byte other than ASCII letters, digits and `-._~!$&'()*;=@` is percent-encoded, so no value
//! can change the structure of the path. Decoding a segment turns `+` into a space and then
//! percent-decodes it, so `%2B` is a literal plus and `%20` is also a space.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::sentiment::SentimentClass;

/// A source (social network or channel) a result comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
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
    /// Radio and television.
    Rtv,
    /// Iris chat (Parley's own chat).
    Irischat,
}

impl Source {
    /// Every source, in the order of the published filter table.
    pub const ALL: [Source; 12] = [
        Source::Twitter,
        Source::Facebook,
        Source::Instagram,
        Source::Linkedin,
        Source::Whatsapp,
        Source::Blogs,
        Source::Forums,
        Source::News,
        Source::Web,
        Source::Print,
        Source::Rtv,
        Source::Irischat,
    ];

    /// The name used in filter paths (`twitter`, `facebook`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Twitter => "twitter",
            Source::Facebook => "facebook",
            Source::Instagram => "instagram",
            Source::Linkedin => "linkedin",
            Source::Whatsapp => "whatsapp",
            Source::Blogs => "blogs",
            Source::Forums => "forums",
            Source::News => "news",
            Source::Web => "web",
            Source::Print => "print",
            Source::Rtv => "rtv",
            Source::Irischat => "irischat",
        }
    }

    /// The integer id the API uses in `result.source` by default (`configuration.globals.sources`
    /// is authoritative for a real account; the sandbox uses exactly these ids).
    pub fn id(self) -> i64 {
        match self {
            Source::Blogs => 1,
            Source::Forums => 2,
            Source::Twitter => 3,
            Source::News => 4,
            Source::Web => 5,
            Source::Facebook => 6,
            Source::Linkedin => 7,
            Source::Print => 8,
            Source::Instagram => 9,
            Source::Rtv => 10,
            Source::Whatsapp => 12,
            Source::Irischat => 14,
        }
    }

    /// The source with the given default integer id.
    pub fn from_id(id: i64) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Parse a source name (case-insensitive).
    pub fn parse(name: &str) -> Result<Source, Error> {
        let lower = name.trim().to_ascii_lowercase();
        Source::ALL
            .into_iter()
            .find(|s| s.as_str() == lower)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Validation,
                    format!(
                        "unknown source '{name}' (expected one of: {})",
                        Source::ALL.map(|s| s.as_str()).join(", ")
                    ),
                )
            })
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Source {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Source::parse(s)
    }
}

/// A period: an explicit UTC range, or a keyword relative to the server's clock. In JSON: a
/// keyword string, or `{"start": RFC 3339, "end": RFC 3339}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PeriodRepr", into = "PeriodRepr")]
pub enum Period {
    /// From `start` to `end` inclusive, UTC, whole seconds.
    Range {
        /// Start of the range (UTC).
        start: DateTime<Utc>,
        /// End of the range (UTC).
        end: DateTime<Utc>,
    },
    /// The last 24 hours.
    Day,
    /// The last 7 days.
    Week,
    /// The last 30 days.
    Month,
    /// The last 365 days.
    Year,
}

impl Period {
    /// A range, truncated to whole seconds (the path format has no fractions).
    pub fn range(start: DateTime<Utc>, end: DateTime<Utc>) -> Period {
        Period::Range {
            start: truncate_seconds(start),
            end: truncate_seconds(end),
        }
    }

    /// The keyword name, or `None` for a range.
    pub fn keyword(&self) -> Option<&'static str> {
        match self {
            Period::Range { .. } => None,
            Period::Day => Some("day"),
            Period::Week => Some("week"),
            Period::Month => Some("month"),
            Period::Year => Some("year"),
        }
    }

    /// Parse a period keyword (`day`, `week`, `month`, `year`) or a `start,end` range.
    pub fn parse(text: &str) -> Result<Period, Error> {
        match text {
            "day" => return Ok(Period::Day),
            "week" => return Ok(Period::Week),
            "month" => return Ok(Period::Month),
            "year" => return Ok(Period::Year),
            _ => {}
        }
        let Some((a, b)) = text.split_once(',') else {
            return Err(Error::validation(format!(
                "invalid period '{text}': expected day, week, month, year or START,END"
            )));
        };
        let start = parse_datetime(a)?;
        let end = parse_datetime(b)?;
        if end < start {
            return Err(Error::validation(format!(
                "invalid period '{text}': the end is before the start"
            )));
        }
        Ok(Period::Range { start, end })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum PeriodRepr {
    Keyword(String),
    Range {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
}

impl TryFrom<PeriodRepr> for Period {
    type Error = String;
    fn try_from(r: PeriodRepr) -> Result<Period, String> {
        match r {
            PeriodRepr::Keyword(k) => Period::parse(&k).map_err(|e| e.message().to_string()),
            PeriodRepr::Range { start, end } => {
                if end < start {
                    return Err("the period ends before it starts".into());
                }
                Ok(Period::range(start, end))
            }
        }
    }
}

impl From<Period> for PeriodRepr {
    fn from(p: Period) -> PeriodRepr {
        match p {
            Period::Range { start, end } => PeriodRepr::Range { start, end },
            other => PeriodRepr::Keyword(other.keyword().unwrap_or_default().to_string()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Range { start, end } => write!(f, "{},{}", format_dt(start), format_dt(end)),
            other => f.write_str(other.keyword().unwrap_or_default()),
        }
    }
}

fn truncate_seconds(dt: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(dt.timestamp(), 0).unwrap_or(dt)
}

fn format_dt(dt: &DateTime<Utc>) -> String {
    dt.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Parse a UTC date-time as used in periods: `YYYY-MM-DDTHH:MM:SS`, optionally with `Z` or an
/// offset, or with a space instead of `T`. Fractions of seconds are dropped.
pub fn parse_datetime(text: &str) -> Result<DateTime<Utc>, Error> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(truncate_seconds(dt.with_timezone(&Utc)));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(truncate_seconds(naive.and_utc()));
        }
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        if let Some(naive) = date.and_hms_opt(0, 0, 0) {
            return Ok(naive.and_utc());
        }
    }
    Err(Error::validation(format!(
        "invalid date-time '{text}': expected YYYY-MM-DDTHH:MM:SS (UTC)"
    )))
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Newest first (`most+recent`, the server's default).
    MostRecent,
    /// Oldest first (`least+recent`).
    LeastRecent,
}

/// The `new results` filter: results this API client has not been given yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NewResults {
    /// `new+results:true`: only results not yet delivered to this API client.
    #[serde(rename = "true")]
    True,
    /// `new+results:reset`: forget what was delivered, then behave as `true`.
    #[serde(rename = "reset")]
    Reset,
}

/// A typed search filter. Every field is optional; set fields combine with AND. `sources` and
/// `result_ids` are OR lists. The search profile is not part of the filter: it is the first path
/// segment, given beside the filter (see [`Filter::to_path`]).
///
/// In JSON (the shared test vectors, the CLI's `--json`), every field is optional and named as
/// here; enums are snake_case strings (`"very_negative"`, `"most_recent"`, `"true"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filter {
    /// `source:a,b`: results from any of these sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// `very+negative` .. `very+positive`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<SentimentClass>,
    /// A range or `day`/`week`/`month`/`year`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// `category:name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `label:name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `hashtag:tag`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashtag: Option<String>,
    /// `website:url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// `word:w`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
    /// `profile:name` (the author's profile name on the source, not the search profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// `country:name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `city:name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `municipality:name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// `province:name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// `result:1,2,3`: any of these result ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub result_ids: Vec<u64>,
    /// `assigned:userId`: results whose case is handled by this user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned: Option<u64>,
    /// `most+recent` or `least+recent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    /// `sinceId:id`: results with a larger `uniqueId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_id: Option<u64>,
    /// `new+results:true` or `new+results:reset`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_results: Option<NewResults>,
    /// `limit:n`: page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `offset:n`: results to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// `checked` (`Some(true)`) or `notChecked` (`Some(false)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
}

/// The text fields that take a free-form value, in canonical order, with their segment key.
const TEXT_KEYS: [&str; 10] = [
    "category",
    "label",
    "hashtag",
    "website",
    "word",
    "profile",
    "country",
    "city",
    "municipality",
    "province",
];

impl Filter {
    /// An empty filter (all results of the profile).
    pub fn new() -> Filter {
        Filter::default()
    }

    /// Add a source (OR with the other sources).
    pub fn source(mut self, source: Source) -> Self {
        if !self.sources.contains(&source) {
            self.sources.push(source);
        }
        self
    }
    /// Set the sources (OR).
    pub fn sources(mut self, sources: impl IntoIterator<Item = Source>) -> Self {
        self.sources.clear();
        for s in sources {
            self = self.source(s);
        }
        self
    }
    /// Only results with this sentiment class.
    pub fn sentiment(mut self, sentiment: SentimentClass) -> Self {
        self.sentiment = Some(sentiment);
        self
    }
    /// Only results in this period.
    pub fn period(mut self, period: Period) -> Self {
        self.period = Some(period);
        self
    }
    /// `category:name`.
    pub fn category(mut self, v: impl Into<String>) -> Self {
        self.category = Some(v.into());
        self
    }
    /// `label:name`.
    pub fn label(mut self, v: impl Into<String>) -> Self {
        self.label = Some(v.into());
        self
    }
    /// `hashtag:tag`.
    pub fn hashtag(mut self, v: impl Into<String>) -> Self {
        self.hashtag = Some(v.into());
        self
    }
    /// `website:url`.
    pub fn website(mut self, v: impl Into<String>) -> Self {
        self.website = Some(v.into());
        self
    }
    /// `word:w`.
    pub fn word(mut self, v: impl Into<String>) -> Self {
        self.word = Some(v.into());
        self
    }
    /// `profile:name` (author profile).
    pub fn profile(mut self, v: impl Into<String>) -> Self {
        self.profile = Some(v.into());
        self
    }
    /// `country:name`.
    pub fn country(mut self, v: impl Into<String>) -> Self {
        self.country = Some(v.into());
        self
    }
    /// `city:name`.
    pub fn city(mut self, v: impl Into<String>) -> Self {
        self.city = Some(v.into());
        self
    }
    /// `municipality:name`.
    pub fn municipality(mut self, v: impl Into<String>) -> Self {
        self.municipality = Some(v.into());
        self
    }
    /// `province:name`.
    pub fn province(mut self, v: impl Into<String>) -> Self {
        self.province = Some(v.into());
        self
    }
    /// Add a result id (OR with the other ids).
    pub fn result_id(mut self, id: u64) -> Self {
        if !self.result_ids.contains(&id) {
            self.result_ids.push(id);
        }
        self
    }
    /// `assigned:userId`.
    pub fn assigned(mut self, user_id: u64) -> Self {
        self.assigned = Some(user_id);
        self
    }
    /// Result order.
    pub fn order(mut self, order: Order) -> Self {
        self.order = Some(order);
        self
    }
    /// `sinceId:id`.
    pub fn since_id(mut self, id: u64) -> Self {
        self.since_id = Some(id);
        self
    }
    /// `new+results:true|reset`.
    pub fn new_results(mut self, v: NewResults) -> Self {
        self.new_results = Some(v);
        self
    }
    /// `limit:n`.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }
    /// `offset:n`.
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(n);
        self
    }
    /// `checked` (true) or `notChecked` (false).
    pub fn checked(mut self, checked: bool) -> Self {
        self.checked = Some(checked);
        self
    }

    fn text_field(&self, key: &str) -> Option<&String> {
        match key {
            "category" => self.category.as_ref(),
            "label" => self.label.as_ref(),
            "hashtag" => self.hashtag.as_ref(),
            "website" => self.website.as_ref(),
            "word" => self.word.as_ref(),
            "profile" => self.profile.as_ref(),
            "country" => self.country.as_ref(),
            "city" => self.city.as_ref(),
            "municipality" => self.municipality.as_ref(),
            "province" => self.province.as_ref(),
            _ => None,
        }
    }

    fn text_field_mut(&mut self, key: &str) -> Option<&mut Option<String>> {
        match key {
            "category" => Some(&mut self.category),
            "label" => Some(&mut self.label),
            "hashtag" => Some(&mut self.hashtag),
            "website" => Some(&mut self.website),
            "word" => Some(&mut self.word),
            "profile" => Some(&mut self.profile),
            "country" => Some(&mut self.country),
            "city" => Some(&mut self.city),
            "municipality" => Some(&mut self.municipality),
            "province" => Some(&mut self.province),
            _ => None,
        }
    }

    /// Check that the filter can be sent: no empty text values, a limit of at least 1.
    pub fn validate(&self) -> Result<(), Error> {
        for key in TEXT_KEYS {
            if let Some(v) = self.text_field(key) {
                if v.trim().is_empty() {
                    return Err(Error::validation(format!(
                        "filter '{key}' has an empty value"
                    )));
                }
            }
        }
        if self.limit == Some(0) {
            return Err(Error::validation("filter 'limit' must be at least 1"));
        }
        if let Some(Period::Range { start, end }) = self.period {
            if end < start {
                return Err(Error::validation(
                    "filter 'period' ends before it starts".to_string(),
                ));
            }
        }
        Ok(())
    }

    /// The canonical segment path, without a leading or trailing slash (empty for an empty
    /// filter). Order: source, sentiment, period, category, label, hashtag, website, word,
    /// profile, country, city, municipality, province, result, assigned, order, sinceId,
    /// new results, limit, offset, checked.
    pub fn render(&self) -> String {
        self.segments().join("/")
    }

    /// The rendered segments, in canonical order.
    pub fn segments(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.sources.is_empty() {
            let names: Vec<&str> = self.sources.iter().map(|s| s.as_str()).collect();
            out.push(format!("source:{}", names.join(",")));
        }
        if let Some(s) = self.sentiment {
            out.push(s.filter_name().replace(' ', "+"));
        }
        if let Some(p) = &self.period {
            out.push(p.to_string());
        }
        for key in TEXT_KEYS {
            if let Some(v) = self.text_field(key) {
                out.push(format!("{key}:{}", encode_value(v)));
            }
        }
        if !self.result_ids.is_empty() {
            let ids: Vec<String> = self.result_ids.iter().map(|i| i.to_string()).collect();
            out.push(format!("result:{}", ids.join(",")));
        }
        if let Some(a) = self.assigned {
            out.push(format!("assigned:{a}"));
        }
        match self.order {
            Some(Order::MostRecent) => out.push("most+recent".into()),
            Some(Order::LeastRecent) => out.push("least+recent".into()),
            None => {}
        }
        if let Some(id) = self.since_id {
            out.push(format!("sinceId:{id}"));
        }
        match self.new_results {
            Some(NewResults::True) => out.push("new+results:true".into()),
            Some(NewResults::Reset) => out.push("new+results:reset".into()),
            None => {}
        }
        if let Some(l) = self.limit {
            out.push(format!("limit:{l}"));
        }
        if let Some(o) = self.offset {
            out.push(format!("offset:{o}"));
        }
        match self.checked {
            Some(true) => out.push("checked".into()),
            Some(false) => out.push("notChecked".into()),
            None => {}
        }
        out
    }

    /// The full search path for a search profile: `/results/<profile>/<segments>`.
    pub fn to_path(&self, search_profile: &str) -> String {
        let mut path = format!("/results/{}", encode_value(search_profile));
        for seg in self.segments() {
            path.push('/');
            path.push_str(&seg);
        }
        path
    }

    /// Parse a segment path (`source:twitter/negative/limit:25`). Leading, trailing and doubled
    /// slashes are ignored. An unknown or repeated segment is an error that names it.
    pub fn parse(path: &str) -> Result<Filter, Error> {
        let mut f = Filter::default();
        for raw in path.split('/') {
            if raw.is_empty() {
                continue;
            }
            f.apply_segment(raw)?;
        }
        Ok(f)
    }

    fn apply_segment(&mut self, raw: &str) -> Result<(), Error> {
        let seg = decode_segment(raw)?;
        let dup = |name: &str| {
            Error::validation(format!(
                "filter segment '{raw}' repeats '{name}', which may appear only once"
            ))
        };
        // Bare keywords first.
        if let Some(class) = SentimentClass::from_filter_name(&seg) {
            if self.sentiment.is_some() {
                return Err(dup("sentiment"));
            }
            self.sentiment = Some(class);
            return Ok(());
        }
        match seg.as_str() {
            "most recent" | "least recent" => {
                if self.order.is_some() {
                    return Err(dup("order"));
                }
                self.order = Some(if seg == "most recent" {
                    Order::MostRecent
                } else {
                    Order::LeastRecent
                });
                return Ok(());
            }
            "checked" | "notChecked" => {
                if self.checked.is_some() {
                    return Err(dup("checked"));
                }
                self.checked = Some(seg == "checked");
                return Ok(());
            }
            "day" | "week" | "month" | "year" => {
                if self.period.is_some() {
                    return Err(dup("period"));
                }
                self.period = Some(Period::parse(&seg)?);
                return Ok(());
            }
            _ => {}
        }
        if let Some((key, value)) = seg.split_once(':') {
            if let Some(slot) = self.text_field_mut(key) {
                if slot.is_some() {
                    return Err(dup(key));
                }
                if value.trim().is_empty() {
                    return Err(Error::validation(format!(
                        "filter segment '{raw}' has an empty value"
                    )));
                }
                *slot = Some(value.to_string());
                return Ok(());
            }
            match key {
                "source" => {
                    if !self.sources.is_empty() {
                        return Err(dup("source"));
                    }
                    for name in value.split(',') {
                        let s = Source::parse(name).map_err(|e| {
                            Error::validation(format!("filter segment '{raw}': {}", e.message()))
                        })?;
                        if !self.sources.contains(&s) {
                            self.sources.push(s);
                        }
                    }
                    return Ok(());
                }
                "result" => {
                    if !self.result_ids.is_empty() {
                        return Err(dup("result"));
                    }
                    for id in value.split(',') {
                        let id = parse_u64(raw, "result id", id)?;
                        if !self.result_ids.contains(&id) {
                            self.result_ids.push(id);
                        }
                    }
                    return Ok(());
                }
                "assigned" => {
                    if self.assigned.is_some() {
                        return Err(dup("assigned"));
                    }
                    self.assigned = Some(parse_u64(raw, "user id", value)?);
                    return Ok(());
                }
                "sinceId" => {
                    if self.since_id.is_some() {
                        return Err(dup("sinceId"));
                    }
                    self.since_id = Some(parse_u64(raw, "result id", value)?);
                    return Ok(());
                }
                "new results" => {
                    if self.new_results.is_some() {
                        return Err(dup("new results"));
                    }
                    self.new_results = Some(match value {
                        "true" => NewResults::True,
                        "reset" => NewResults::Reset,
                        _ => {
                            return Err(Error::validation(format!(
                                "filter segment '{raw}': new results must be 'true' or 'reset'"
                            )))
                        }
                    });
                    return Ok(());
                }
                "limit" => {
                    if self.limit.is_some() {
                        return Err(dup("limit"));
                    }
                    let n = parse_u64(raw, "limit", value)?;
                    if n == 0 || n > u64::from(u32::MAX) {
                        return Err(Error::validation(format!(
                            "filter segment '{raw}': limit must be between 1 and {}",
                            u32::MAX
                        )));
                    }
                    self.limit = Some(n as u32);
                    return Ok(());
                }
                "offset" => {
                    if self.offset.is_some() {
                        return Err(dup("offset"));
                    }
                    self.offset = Some(parse_u64(raw, "offset", value)?);
                    return Ok(());
                }
                _ => {}
            }
        }
        // A period range `start,end` is the only other bare form.
        if seg.contains(',') && seg.as_bytes().first().is_some_and(|b| b.is_ascii_digit()) {
            if self.period.is_some() {
                return Err(dup("period"));
            }
            self.period = Some(Period::parse(&seg).map_err(|e| {
                Error::validation(format!("filter segment '{raw}': {}", e.message()))
            })?);
            return Ok(());
        }
        Err(Error::validation(format!("unknown filter segment '{raw}'")))
    }
}

fn parse_u64(raw: &str, what: &str, text: &str) -> Result<u64, Error> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::validation(format!(
            "filter segment '{raw}': {what} '{text}' is not a non-negative integer"
        )));
    }
    t.parse::<u64>().map_err(|_| {
        Error::validation(format!(
            "filter segment '{raw}': {what} '{text}' is too large"
        ))
    })
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::str::FromStr for Filter {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Filter::parse(s)
    }
}

/// Encode a value for a path segment: spaces become `+`, and every byte outside
/// `A-Za-z0-9-._~!$&'()*;=@` is percent-encoded (uppercase hex).
pub fn encode_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    out
}

/// Decode one path segment: `+` becomes a space, then percent-decoding. A malformed escape or
/// bytes that are not UTF-8 are an error naming the segment.
pub fn decode_segment(raw: &str) -> Result<String, Error> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                ) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    _ => {
                        return Err(Error::validation(format!(
                            "path segment '{raw}' has a malformed percent escape"
                        )))
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| {
        Error::validation(format!(
            "path segment '{raw}' does not decode to UTF-8 text"
        ))
    })
}

/// A search path split into its search profile and filter: `/results/<profile>/<segments>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPath {
    /// The search profile name (decoded).
    pub profile: String,
    /// The filter.
    pub filter: Filter,
}

impl SearchPath {
    /// Parse `/results/<profile>/<segments...>` (the `/results/` prefix is optional).
    pub fn parse(path: &str) -> Result<SearchPath, Error> {
        let trimmed = path.trim_start_matches('/');
        let rest = trimmed.strip_prefix("results/").unwrap_or(trimmed);
        let (profile_raw, segments) = match rest.split_once('/') {
            Some((p, s)) => (p, s),
            None => (rest, ""),
        };
        if profile_raw.is_empty() {
            return Err(Error::validation("the search path has no search profile"));
        }
        let profile = decode_segment(profile_raw)?;
        if profile.trim().is_empty() {
            return Err(Error::validation("the search profile name is empty"));
        }
        Ok(SearchPath {
            profile,
            filter: Filter::parse(segments)?,
        })
    }

    /// Render back to `/results/<profile>/<segments>`.
    pub fn render(&self) -> String {
        self.filter.to_path(&self.profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn renders_canonical_order() {
        let f = Filter::new()
            .checked(false)
            .limit(25)
            .category("Billing issues")
            .source(Source::Facebook)
            .source(Source::Twitter)
            .sentiment(SentimentClass::VeryNegative);
        assert_eq!(
            f.render(),
            "source:facebook,twitter/very+negative/category:Billing+issues/limit:25/notChecked"
        );
    }

    #[test]
    fn reserved_characters_are_encoded() {
        let f = Filter::new().word("a/b+c,d:e%f g");
        assert_eq!(f.render(), "word:a%2Fb%2Bc%2Cd%3Ae%25f+g");
        assert_eq!(Filter::parse(&f.render()).unwrap(), f);
    }

    #[test]
    fn accepts_generated_client_encoding() {
        let p = SearchPath::parse("/results/demo%20profile/source:twitter%2Cfacebook").unwrap();
        assert_eq!(p.profile, "demo profile");
        assert_eq!(p.filter.sources, vec![Source::Twitter, Source::Facebook]);
    }

    #[test]
    fn comma_is_ordinary_in_text_values() {
        let f = Filter::parse("category:a,b").unwrap();
        assert_eq!(f.category.as_deref(), Some("a,b"));
    }

    #[test]
    fn unknown_segment_is_named() {
        let e = Filter::parse("source:twitter/bogus:1").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert!(e.message().contains("bogus:1"), "{}", e.message());
        let e = Filter::parse("source:myspace").unwrap_err();
        assert!(e.message().contains("myspace"));
    }

    #[test]
    fn period_range() {
        let f = Filter::parse("2016-06-15T23:31:27,2016-06-22T23:59:59").unwrap();
        let Some(Period::Range { start, end }) = f.period else {
            panic!("no range")
        };
        assert_eq!(
            start,
            Utc.with_ymd_and_hms(2016, 6, 15, 23, 31, 27).unwrap()
        );
        assert_eq!(end, Utc.with_ymd_and_hms(2016, 6, 22, 23, 59, 59).unwrap());
        assert!(Filter::parse("2016-06-22T23:59:59,2016-06-15T23:31:27").is_err());
    }

    fn text() -> impl Strategy<Value = String> {
        "\\PC{1,12}".prop_filter("non-blank", |s| !s.trim().is_empty())
    }

    fn arb_filter() -> impl Strategy<Value = Filter> {
        let sources = proptest::sample::subsequence(Source::ALL.to_vec(), 0..4).prop_shuffle();
        let sentiment =
            proptest::option::of(proptest::sample::select(SentimentClass::ALL.to_vec()));
        let period = proptest::option::of(prop_oneof![
            Just(Period::Day),
            Just(Period::Week),
            Just(Period::Month),
            Just(Period::Year),
            (0i64..2_000_000_000, 0i64..100_000_000).prop_map(|(a, d)| Period::range(
                DateTime::from_timestamp(a, 0).unwrap(),
                DateTime::from_timestamp(a + d, 0).unwrap()
            )),
        ]);
        let texts = proptest::collection::vec(proptest::option::of(text()), 10);
        let ids = proptest::collection::btree_set(any::<u64>(), 0..4);
        let nums = (
            proptest::option::of(any::<u64>()),
            proptest::option::of(prop_oneof![
                Just(Order::MostRecent),
                Just(Order::LeastRecent)
            ]),
            proptest::option::of(any::<u64>()),
            proptest::option::of(prop_oneof![Just(NewResults::True), Just(NewResults::Reset)]),
            proptest::option::of(1u32..),
            proptest::option::of(any::<u64>()),
            proptest::option::of(any::<bool>()),
        );
        (sources, sentiment, period, texts, ids, nums).prop_map(
            |(sources, sentiment, period, texts, ids, nums)| {
                let mut f = Filter {
                    sources,
                    sentiment,
                    period,
                    result_ids: ids.into_iter().collect(),
                    assigned: nums.0,
                    order: nums.1,
                    since_id: nums.2,
                    new_results: nums.3,
                    limit: nums.4,
                    offset: nums.5,
                    checked: nums.6,
                    ..Filter::default()
                };
                for (key, v) in TEXT_KEYS.iter().zip(texts) {
                    if let Some(slot) = f.text_field_mut(key) {
                        *slot = v;
                    }
                }
                f
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn parse_render_round_trip(f in arb_filter()) {
            let path = f.render();
            let back = Filter::parse(&path).map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
            prop_assert_eq!(&back, &f);
            // Canonical: rendering the parsed filter gives the same path.
            prop_assert_eq!(back.render(), path);
        }

        #[test]
        fn search_path_round_trip(profile in text(), f in arb_filter()) {
            let sp = SearchPath { profile, filter: f };
            let back = SearchPath::parse(&sp.render()).unwrap();
            prop_assert_eq!(back, sp);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,64}") {
            let _ = Filter::parse(&s);
            let _ = SearchPath::parse(&s);
        }
    }
}
