//! Offline sentiment scoring (English VADER, Dutch lexicon).

use crate::models::{Language, SentimentClass};

/// A sentiment score.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct Score {
    /// Compound score in [-1, 1].
    pub compound: f64,
    /// Proportion of negative tokens.
    pub negative: f64,
    /// Proportion of neutral tokens.
    pub neutral: f64,
    /// Proportion of positive tokens.
    pub positive: f64,
    /// The five-class label.
    pub sentiment_class: SentimentClass,
    /// The language the text was scored as.
    pub language: Language,
    /// The class as the API's value, -2..2.
    pub value: i8,
}

impl From<webcare::Score> for Score {
    fn from(s: webcare::Score) -> Self {
        Score {
            compound: s.compound,
            negative: s.negative,
            neutral: s.neutral,
            positive: s.positive,
            sentiment_class: s.class.into(),
            language: s.language.into(),
            value: s.value(),
        }
    }
}

/// Score a text offline (`Language.AUTO` detects English or Dutch).
#[uniffi::export]
pub fn sentiment_score(text: String, language: Language) -> Score {
    webcare::sentiment::score_in(&text, language.into()).into()
}

/// Score many texts in one call.
#[uniffi::export]
pub fn sentiment_score_many(texts: Vec<String>, language: Language) -> Vec<Score> {
    webcare::sentiment::score_many(&texts, language.into())
        .into_iter()
        .map(Score::from)
        .collect()
}

/// Detect English or Dutch.
#[uniffi::export]
pub fn detect_language(text: String) -> Language {
    webcare::sentiment::detect_language(&text).into()
}
