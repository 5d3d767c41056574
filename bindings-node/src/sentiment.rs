//! Offline sentiment scoring (the core's English VADER and Dutch lexicon).

use napi_derive::napi;
use webcare::sentiment::{score_in, score_many};
use webcare::Language;

use crate::errors::to_napi;

/// A sentiment score.
#[napi(object)]
pub struct Score {
    /// Compound score in [-1, 1].
    pub compound: f64,
    /// Proportion of negative tokens (0 where the scorer has none).
    pub negative: f64,
    /// Proportion of neutral tokens.
    pub neutral: f64,
    /// Proportion of positive tokens.
    pub positive: f64,
    /// The five-class label: `very_negative`, `negative`, `neutral`, `positive`, `very_positive`.
    pub label: String,
    /// The API integer, -2 .. 2.
    pub value: i32,
    /// The language used to score: `en` or `nl`.
    pub language: String,
}

impl From<webcare::Score> for Score {
    fn from(s: webcare::Score) -> Self {
        Score {
            compound: s.compound,
            negative: s.negative,
            neutral: s.neutral,
            positive: s.positive,
            label: s.class.as_str().to_string(),
            value: i32::from(s.value()),
            language: s.language.code().to_string(),
        }
    }
}

fn language(lang: Option<String>) -> napi::Result<Language> {
    match lang {
        None => Ok(Language::Auto),
        Some(l) => Language::parse(&l).map_err(to_napi),
    }
}

/// Score a text (`lang`: `auto` (default), `en` or `nl`).
#[napi(catch_unwind)]
pub fn sentiment(text: String, lang: Option<String>) -> napi::Result<Score> {
    Ok(score_in(&text, language(lang)?).into())
}

/// Score many texts, in order.
#[napi(catch_unwind)]
pub fn sentiment_many(texts: Vec<String>, lang: Option<String>) -> napi::Result<Vec<Score>> {
    Ok(score_many(&texts, language(lang)?)
        .into_iter()
        .map(Score::from)
        .collect())
}
