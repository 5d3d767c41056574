//! The filter as a plain JavaScript object (`FilterInit`) and its conversion to and from the
//! core's typed [`webcare::Filter`]. Rendering and parsing are the core's.

use napi::Either;
use napi_derive::napi;
use serde_json::Value;
use webcare::{Error, Filter, NewResults, Order, Period, SearchPath, SentimentClass, Source};

use crate::errors::to_napi;

/// A filter as a plain object. Every key is optional; set keys combine with AND.
#[napi(object)]
#[derive(Default, Clone)]
pub struct FilterInit {
    /// Results from any of these sources (`twitter`, `facebook`, ...).
    pub sources: Option<Vec<String>>,
    /// `very_negative`, `negative`, `neutral`, `positive` or `very_positive` (any spelling).
    pub sentiment: Option<String>,
    /// `day`, `week`, `month`, `year`, or `{start, end}` (RFC 3339, UTC).
    #[napi(ts_type = "'day' | 'week' | 'month' | 'year' | { start: string; end: string }")]
    pub period: Option<Value>,
    /// `category:name`.
    pub category: Option<String>,
    /// `label:name`.
    pub label: Option<String>,
    /// `hashtag:tag`.
    pub hashtag: Option<String>,
    /// `website:url`.
    pub website: Option<String>,
    /// `word:w`.
    pub word: Option<String>,
    /// `profile:name` (the author's profile name, not the search profile).
    pub profile: Option<String>,
    /// `country:name`.
    pub country: Option<String>,
    /// `city:name`.
    pub city: Option<String>,
    /// `municipality:name`.
    pub municipality: Option<String>,
    /// `province:name`.
    pub province: Option<String>,
    /// Any of these result ids.
    pub result_ids: Option<Vec<f64>>,
    /// Results whose case is handled by this user id.
    pub assigned: Option<f64>,
    /// `most_recent` or `least_recent`.
    pub order: Option<String>,
    /// Results with a larger `uniqueId`.
    pub since_id: Option<f64>,
    /// `true` or `reset`.
    pub new_results: Option<String>,
    /// Page size.
    pub limit: Option<f64>,
    /// Results to skip.
    pub offset: Option<f64>,
    /// `true`: checked only; `false`: not checked only.
    pub checked: Option<bool>,
}

fn uint(what: &str, v: f64) -> webcare::Result<u64> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_991.0 {
        Ok(v as u64)
    } else {
        Err(Error::validation(format!(
            "{what} must be a non-negative integer, got {v}"
        )))
    }
}

/// A non-negative integer argument.
pub fn uint_arg(what: &str, v: f64) -> napi::Result<u64> {
    uint(what, v).map_err(to_napi)
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

impl FilterInit {
    /// The core filter.
    pub fn to_core(&self) -> webcare::Result<Filter> {
        let mut f = Filter::new();
        if let Some(s) = &self.sources {
            f.sources = s
                .iter()
                .map(|n| Source::parse(n))
                .collect::<webcare::Result<_>>()?;
        }
        if let Some(s) = &self.sentiment {
            f.sentiment = Some(SentimentClass::parse(s)?);
        }
        match &self.period {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => f.period = Some(Period::parse(s)?),
            Some(v) => {
                f.period = Some(serde_json::from_value(v.clone()).map_err(|e| {
                    Error::validation(format!(
                        "invalid period: {e} (expected day, week, month, year or {{start, end}})"
                    ))
                })?)
            }
        }
        f.category = self.category.clone();
        f.label = self.label.clone();
        f.hashtag = self.hashtag.clone();
        f.website = self.website.clone();
        f.word = self.word.clone();
        f.profile = self.profile.clone();
        f.country = self.country.clone();
        f.city = self.city.clone();
        f.municipality = self.municipality.clone();
        f.province = self.province.clone();
        if let Some(ids) = &self.result_ids {
            f.result_ids = ids
                .iter()
                .map(|i| uint("resultIds", *i))
                .collect::<webcare::Result<_>>()?;
        }
        f.assigned = self.assigned.map(|v| uint("assigned", v)).transpose()?;
        if let Some(o) = &self.order {
            f.order = Some(match norm(o).as_str() {
                "mostrecent" => Order::MostRecent,
                "leastrecent" => Order::LeastRecent,
                _ => {
                    return Err(Error::validation(format!(
                        "unknown order '{o}' (expected most_recent or least_recent)"
                    )))
                }
            });
        }
        f.since_id = self.since_id.map(|v| uint("sinceId", v)).transpose()?;
        if let Some(n) = &self.new_results {
            f.new_results = Some(match norm(n).as_str() {
                "true" => NewResults::True,
                "reset" => NewResults::Reset,
                _ => {
                    return Err(Error::validation(format!(
                        "unknown newResults '{n}' (expected true or reset)"
                    )))
                }
            });
        }
        if let Some(l) = self.limit {
            let l = uint("limit", l)?;
            f.limit = Some(u32::try_from(l).map_err(|_| Error::validation("limit is too large"))?);
        }
        f.offset = self.offset.map(|v| uint("offset", v)).transpose()?;
        f.checked = self.checked;
        f.validate()?;
        Ok(f)
    }

    /// The plain object for a core filter (canonical spellings).
    pub fn from_core(f: &Filter) -> FilterInit {
        let opt_vec = |v: Vec<String>| if v.is_empty() { None } else { Some(v) };
        FilterInit {
            sources: opt_vec(f.sources.iter().map(|s| s.as_str().to_string()).collect()),
            sentiment: f.sentiment.map(|s| s.as_str().to_string()),
            period: f.period.map(|p| match p.keyword() {
                Some(k) => Value::String(k.to_string()),
                None => serde_json::to_value(p).unwrap_or(Value::Null),
            }),
            category: f.category.clone(),
            label: f.label.clone(),
            hashtag: f.hashtag.clone(),
            website: f.website.clone(),
            word: f.word.clone(),
            profile: f.profile.clone(),
            country: f.country.clone(),
            city: f.city.clone(),
            municipality: f.municipality.clone(),
            province: f.province.clone(),
            result_ids: if f.result_ids.is_empty() {
                None
            } else {
                Some(f.result_ids.iter().map(|i| *i as f64).collect())
            },
            assigned: f.assigned.map(|v| v as f64),
            order: f.order.map(|o| {
                match o {
                    Order::MostRecent => "most_recent",
                    Order::LeastRecent => "least_recent",
                }
                .to_string()
            }),
            since_id: f.since_id.map(|v| v as f64),
            new_results: f.new_results.map(|n| {
                match n {
                    NewResults::True => "true",
                    NewResults::Reset => "reset",
                }
                .to_string()
            }),
            limit: f.limit.map(f64::from),
            offset: f.offset.map(|v| v as f64),
            checked: f.checked,
        }
    }
}

/// The core filter of an optional plain object.
pub fn core_filter(f: Option<FilterInit>) -> napi::Result<Filter> {
    f.unwrap_or_default().to_core().map_err(to_napi)
}

/// The core filter of a filter as a call takes it: a segment path (`limit:25/offset:0`, parsed
/// here: the wrapper passes strings and `Filter`s as their path, which crosses as one string
/// instead of an object of two dozen properties) or a plain object.
pub fn core_filter_arg(f: Option<Either<String, FilterInit>>) -> napi::Result<Filter> {
    match f {
        Some(Either::A(path)) => Filter::parse(&path).map_err(to_napi),
        Some(Either::B(init)) => core_filter(Some(init)),
        None => core_filter(None),
    }
}

/// Render a filter as its canonical segment path (`source:twitter/negative/limit:25`).
#[napi(catch_unwind)]
pub fn filter_render(filter: FilterInit) -> napi::Result<String> {
    Ok(core_filter(Some(filter))?.render())
}

/// Parse a segment path (`source:twitter/negative`) into a filter object.
#[napi(catch_unwind)]
pub fn filter_parse(path: String) -> napi::Result<FilterInit> {
    let f = Filter::parse(&path).map_err(to_napi)?;
    Ok(FilterInit::from_core(&f))
}

/// A search path split into its profile and filter.
#[napi(object)]
pub struct SearchPathParts {
    /// The search profile name.
    pub profile: String,
    /// The filter.
    pub filter: FilterInit,
}

/// Render `/results/<profile>/<segments...>`.
#[napi(catch_unwind)]
pub fn search_path_render(profile: String, filter: Option<FilterInit>) -> napi::Result<String> {
    Ok(core_filter(filter)?.to_path(&profile))
}

/// Parse `/results/<profile>/<segments...>`.
#[napi(catch_unwind)]
pub fn search_path_parse(path: String) -> napi::Result<SearchPathParts> {
    let p = SearchPath::parse(&path).map_err(to_napi)?;
    Ok(SearchPathParts {
        filter: FilterInit::from_core(&p.filter),
        profile: p.profile,
    })
}
