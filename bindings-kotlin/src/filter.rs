//! The filter language: a typed filter record, rendered and parsed by the core.

use std::time::SystemTime;

use chrono::{DateTime, Utc};

use crate::errors::{id, invalid, WebcareException};
use crate::models::{long, NewResults, Order, SentimentClass, Source};

/// A period: an explicit UTC range (whole seconds), or a keyword relative to the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PeriodSpec {
    /// From `start` to `end` inclusive.
    Range {
        /// Start (UTC).
        start: SystemTime,
        /// End (UTC).
        end: SystemTime,
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

impl From<webcare::Period> for PeriodSpec {
    fn from(p: webcare::Period) -> Self {
        match p {
            webcare::Period::Range { start, end } => PeriodSpec::Range {
                start: start.into(),
                end: end.into(),
            },
            webcare::Period::Day => PeriodSpec::Day,
            webcare::Period::Week => PeriodSpec::Week,
            webcare::Period::Month => PeriodSpec::Month,
            webcare::Period::Year => PeriodSpec::Year,
        }
    }
}

impl From<PeriodSpec> for webcare::Period {
    fn from(p: PeriodSpec) -> Self {
        match p {
            PeriodSpec::Range { start, end } => {
                webcare::Period::range(DateTime::<Utc>::from(start), DateTime::<Utc>::from(end))
            }
            PeriodSpec::Day => webcare::Period::Day,
            PeriodSpec::Week => webcare::Period::Week,
            PeriodSpec::Month => webcare::Period::Month,
            PeriodSpec::Year => webcare::Period::Year,
        }
    }
}

/// A typed search filter (every field optional; set fields combine with AND; `sources` and
/// `result_ids` are OR lists). The Kotlin layer's `Filter` data class converts to and from this.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FilterSpec {
    /// Results from any of these sources.
    pub sources: Vec<Source>,
    /// Sentiment class.
    pub sentiment: Option<SentimentClass>,
    /// Period.
    pub period: Option<PeriodSpec>,
    /// `category:`.
    pub category: Option<String>,
    /// `label:`.
    pub label: Option<String>,
    /// `hashtag:`.
    pub hashtag: Option<String>,
    /// `website:`.
    pub website: Option<String>,
    /// `word:`.
    pub word: Option<String>,
    /// `profile:` (author profile).
    pub profile: Option<String>,
    /// `country:`.
    pub country: Option<String>,
    /// `city:`.
    pub city: Option<String>,
    /// `municipality:`.
    pub municipality: Option<String>,
    /// `province:`.
    pub province: Option<String>,
    /// `result:` ids (OR).
    pub result_ids: Vec<i64>,
    /// `assigned:` user id.
    pub assigned: Option<i64>,
    /// Order.
    pub order: Option<Order>,
    /// `sinceId:`.
    pub since_id: Option<i64>,
    /// `new+results:`.
    pub new_results: Option<NewResults>,
    /// `limit:`.
    pub limit: Option<u32>,
    /// `offset:`.
    pub offset: Option<i64>,
    /// `checked` (true) or `notChecked` (false).
    pub checked: Option<bool>,
}

impl From<webcare::Filter> for FilterSpec {
    fn from(f: webcare::Filter) -> Self {
        FilterSpec {
            sources: f.sources.into_iter().map(Source::from).collect(),
            sentiment: f.sentiment.map(SentimentClass::from),
            period: f.period.map(PeriodSpec::from),
            category: f.category,
            label: f.label,
            hashtag: f.hashtag,
            website: f.website,
            word: f.word,
            profile: f.profile,
            country: f.country,
            city: f.city,
            municipality: f.municipality,
            province: f.province,
            result_ids: f.result_ids.into_iter().map(long).collect(),
            assigned: f.assigned.map(long),
            order: f.order.map(Order::from),
            since_id: f.since_id.map(long),
            new_results: f.new_results.map(NewResults::from),
            limit: f.limit,
            offset: f.offset.map(long),
            checked: f.checked,
        }
    }
}

impl TryFrom<FilterSpec> for webcare::Filter {
    type Error = WebcareException;
    fn try_from(f: FilterSpec) -> Result<Self, WebcareException> {
        Ok(webcare::Filter {
            sources: f.sources.into_iter().map(webcare::Source::from).collect(),
            sentiment: f.sentiment.map(webcare::SentimentClass::from),
            period: f.period.map(webcare::Period::from),
            category: f.category,
            label: f.label,
            hashtag: f.hashtag,
            website: f.website,
            word: f.word,
            profile: f.profile,
            country: f.country,
            city: f.city,
            municipality: f.municipality,
            province: f.province,
            result_ids: f
                .result_ids
                .into_iter()
                .map(|v| id("result id", v))
                .collect::<Result<_, _>>()?,
            assigned: f.assigned.map(|v| id("assigned", v)).transpose()?,
            order: f.order.map(webcare::Order::from),
            since_id: f.since_id.map(|v| id("sinceId", v)).transpose()?,
            new_results: f.new_results.map(webcare::NewResults::from),
            limit: f.limit,
            offset: f.offset.map(|v| id("offset", v)).transpose()?,
            checked: f.checked,
        })
    }
}

pub(crate) fn to_core(f: FilterSpec) -> Result<webcare::Filter, WebcareException> {
    webcare::Filter::try_from(f)
}

/// A search profile and a filter: a whole search path.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SearchPathSpec {
    /// The search profile (the first segment).
    pub profile: String,
    /// The filter.
    pub filter: FilterSpec,
}

/// The canonical segment path of a filter (no leading slash; empty for an empty filter).
#[uniffi::export]
pub fn filter_render(filter: FilterSpec) -> Result<String, WebcareException> {
    Ok(to_core(filter)?.render())
}

/// Parse a segment path (`source:twitter/negative/...`) into a filter. Unknown segments are a
/// `Validation` error naming the segment.
#[uniffi::export]
pub fn filter_parse(path: String) -> Result<FilterSpec, WebcareException> {
    Ok(webcare::Filter::parse(&path)?.into())
}

/// Check that a filter can be sent (no empty values, a limit of at least 1, ...).
#[uniffi::export]
pub fn filter_validate(filter: FilterSpec) -> Result<(), WebcareException> {
    Ok(to_core(filter)?.validate()?)
}

/// The whole search path: `/results/<profile>/<segments>`.
#[uniffi::export]
pub fn filter_to_path(filter: FilterSpec, profile: String) -> Result<String, WebcareException> {
    Ok(to_core(filter)?.to_path(&profile))
}

/// Parse a whole search path (`/results/<profile>/<segments>`).
#[uniffi::export]
pub fn search_path_parse(path: String) -> Result<SearchPathSpec, WebcareException> {
    let sp = webcare::SearchPath::parse(&path)?;
    Ok(SearchPathSpec {
        profile: sp.profile,
        filter: sp.filter.into(),
    })
}

/// A filter from its JSON form (the shared test vectors' and the CLI's form).
#[uniffi::export]
pub fn filter_from_json(json: String) -> Result<FilterSpec, WebcareException> {
    let f: webcare::Filter =
        serde_json::from_str(&json).map_err(|e| invalid(format!("invalid filter JSON: {e}")))?;
    Ok(f.into())
}

/// A filter's JSON form.
#[uniffi::export]
pub fn filter_to_json(filter: FilterSpec) -> Result<String, WebcareException> {
    serde_json::to_string(&to_core(filter)?)
        .map_err(|e| invalid(format!("cannot encode the filter: {e}")))
}
