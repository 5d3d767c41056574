//! Offline sentiment scoring.
//!
//! English uses VADER (`sentiment_en`, our own implementation, output-identical to Python
//! vaderSentiment 3.3.2).
//! Every score is a compound value in [-1, 1] that maps to the API's five classes and to the
//! integer -2..2 the API uses in `result.sentiment`:
//!
//! | compound `c`          | class           | value |
//! |-----------------------|-----------------|-------|
//! | `c <= -0.6`           | very negative   | -2    |
//! | `-0.6 < c <= -0.05`   | negative        | -1    |
//! | `-0.05 < c < 0.05`    | neutral         | 0     |
//! | `0.05 <= c < 0.6`     | positive        | 1     |
//! | `c >= 0.6`            | very positive   | 2     |
//!
//! The ±0.05 bounds are VADER's own neutral band; ±0.6 splits the strong from the mild.

use std::fmt;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::error::Error;

/// The API's five sentiment classes (snake_case in JSON: `very_negative` .. `very_positive`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SentimentClass {
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

impl SentimentClass {
    /// All classes from very negative to very positive.
    pub const ALL: [SentimentClass; 5] = [
        SentimentClass::VeryNegative,
        SentimentClass::Negative,
        SentimentClass::Neutral,
        SentimentClass::Positive,
        SentimentClass::VeryPositive,
    ];

    /// The integer the API uses (-2..2).
    pub fn value(self) -> i8 {
        match self {
            SentimentClass::VeryNegative => -2,
            SentimentClass::Negative => -1,
            SentimentClass::Neutral => 0,
            SentimentClass::Positive => 1,
            SentimentClass::VeryPositive => 2,
        }
    }

    /// The class for an API integer. Values outside -2..2 are clamped.
    pub fn from_value(v: i64) -> SentimentClass {
        match v {
            i64::MIN..=-2 => SentimentClass::VeryNegative,
            -1 => SentimentClass::Negative,
            0 => SentimentClass::Neutral,
            1 => SentimentClass::Positive,
            _ => SentimentClass::VeryPositive,
        }
    }

    /// The class for a compound score in [-1, 1] (see the module table).
    pub fn from_compound(c: f64) -> SentimentClass {
        if c <= -0.6 {
            SentimentClass::VeryNegative
        } else if c <= -0.05 {
            SentimentClass::Negative
        } else if c < 0.05 {
            SentimentClass::Neutral
        } else if c < 0.6 {
            SentimentClass::Positive
        } else {
            SentimentClass::VeryPositive
        }
    }

    /// The name used in filters and docs: `very negative`, `negative`, ... (space-separated).
    pub fn filter_name(self) -> &'static str {
        match self {
            SentimentClass::VeryNegative => "very negative",
            SentimentClass::Negative => "negative",
            SentimentClass::Neutral => "neutral",
            SentimentClass::Positive => "positive",
            SentimentClass::VeryPositive => "very positive",
        }
    }

    /// A snake_case name for bindings and JSON: `very_negative`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            SentimentClass::VeryNegative => "very_negative",
            SentimentClass::Negative => "negative",
            SentimentClass::Neutral => "neutral",
            SentimentClass::Positive => "positive",
            SentimentClass::VeryPositive => "very_positive",
        }
    }

    /// Parse a filter name (`very negative`) or any spelling of it (`very_negative`,
    /// `very-negative`, `VeryNegative`, `-2`).
    pub fn parse(text: &str) -> Result<SentimentClass, Error> {
        let norm: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-' | '+'))
            .flat_map(|c| c.to_lowercase())
            .collect();
        let by_name = match norm.as_str() {
            "verynegative" => Some(SentimentClass::VeryNegative),
            "negative" => Some(SentimentClass::Negative),
            "neutral" => Some(SentimentClass::Neutral),
            "positive" => Some(SentimentClass::Positive),
            "verypositive" => Some(SentimentClass::VeryPositive),
            _ => None,
        };
        if let Some(c) = by_name {
            return Ok(c);
        }
        match text.trim().parse::<i64>() {
            Ok(v) if (-2..=2).contains(&v) => Ok(SentimentClass::from_value(v)),
            _ => Err(Error::validation(format!(
                "unknown sentiment '{text}' (expected very negative, negative, neutral, positive, very positive or -2..2)"
            ))),
        }
    }

    /// The class for an exact filter segment (after decoding), if it is one.
    pub(crate) fn from_filter_name(seg: &str) -> Option<SentimentClass> {
        SentimentClass::ALL
            .into_iter()
            .find(|c| c.filter_name() == seg)
    }
}

impl fmt::Display for SentimentClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.filter_name())
    }
}

/// The language of a text to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// Detect the language (see [`detect_language`]).
    #[default]
    Auto,
    /// English (VADER).
    English,
    /// Dutch.
    Dutch,
}

impl Language {
    /// Parse `auto`, `en`/`english`, `nl`/`dutch` (case-insensitive).
    pub fn parse(text: &str) -> Result<Language, Error> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Ok(Language::Auto),
            "en" | "english" | "eng" => Ok(Language::English),
            "nl" | "dutch" | "nld" | "nederlands" => Ok(Language::Dutch),
            other => Err(Error::validation(format!(
                "unknown language '{other}' (expected auto, en or nl)"
            ))),
        }
    }

    /// The ISO 639-1 code (`en`, `nl`) or `auto`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Auto => "auto",
            Language::English => "en",
            Language::Dutch => "nl",
        }
    }
}

/// A sentiment score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Compound score in [-1, 1].
    pub compound: f64,
    /// Proportion of negative tokens (VADER) or 0 where the scorer has none.
    pub negative: f64,
    /// Proportion of neutral tokens.
    pub neutral: f64,
    /// Proportion of positive tokens.
    pub positive: f64,
    /// The five-class label.
    pub class: SentimentClass,
    /// The language that was used to score.
    pub language: Language,
}

impl Score {
    /// The API integer (-2..2).
    pub fn value(&self) -> i8 {
        self.class.value()
    }
}

/// Score English text with VADER.
pub fn score_english(text: &str) -> Score {
    let s = crate::sentiment_en::polarity_scores(text);
    Score {
        compound: s.compound,
        negative: s.neg,
        neutral: s.neu,
        positive: s.pos,
        class: SentimentClass::from_compound(s.compound),
        language: Language::English,
    }
}

/// Score a text in the given language (`Auto` detects it).
pub fn score_in(text: &str, language: Language) -> Score {
    let lang = match language {
        Language::Auto => detect_language(text),
        l => l,
    };
    match lang {
        Language::Dutch => crate::sentiment_nl::score_dutch(text),
        _ => score_english(text),
    }
}

/// Score a text, detecting its language.
pub fn score(text: &str) -> Score {
    score_in(text, Language::Auto)
}

/// Below this many texts [`score_many`] stays on the calling thread: starting threads costs more
/// than it saves.
const PARALLEL_MIN_TEXTS: usize = 512;

/// Texts per unit of work in a parallel [`score_many`] (~0.1 ms of English tweets): small
/// enough that a thread the OS pauses on a busy machine does not hold up the batch, large
/// enough that taking the next unit costs nothing.
const PARALLEL_CHUNK: usize = 128;

/// Score many texts: the same scores as calling [`score_in`] on each, in order. Batches of 512
/// texts or more are scored on all available cores (`std::thread::available_parallelism`): the
/// calling thread and scoped helper threads take chunks of 128 texts from a shared queue until
/// none is left, each writing its chunk's results in place.
pub fn score_many<S: AsRef<str> + Sync>(texts: &[S], language: Language) -> Vec<Score> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || texts.len() < PARALLEL_MIN_TEXTS {
        return texts
            .iter()
            .map(|t| score_in(t.as_ref(), language))
            .collect();
    }
    let placeholder = Score {
        compound: 0.0,
        negative: 0.0,
        neutral: 0.0,
        positive: 0.0,
        class: SentimentClass::Neutral,
        language,
    };
    let mut out = vec![placeholder; texts.len()];
    let queue = std::sync::Mutex::new(
        texts
            .chunks(PARALLEL_CHUNK)
            .zip(out.chunks_mut(PARALLEL_CHUNK)),
    );
    let work = || loop {
        // The lock is held only to take the next chunk; scoring cannot panic, and a poisoned
        // queue is still a valid iterator.
        let next = match queue.lock() {
            Ok(mut q) => q.next(),
            Err(poisoned) => poisoned.into_inner().next(),
        };
        let Some((ins, outs)) = next else { break };
        for (t, o) in ins.iter().zip(outs.iter_mut()) {
            *o = score_in(t.as_ref(), language);
        }
    };
    let helpers = threads.min(texts.len().div_ceil(PARALLEL_CHUNK)) - 1;
    std::thread::scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(work);
        }
        work();
    });
    out
}

/// Detect English or Dutch by counting words that are typical of each language: function words
/// plus, for Dutch, common customer-care words (`storing`, `factuur`, `bedankt`, ...), since this
/// is what the API's texts are. Words spelled the same in both (`is`, `in`, `die`, `u`) count
/// for neither or for both. With no difference in word counts, letter sequences decide
/// (`ij`, `oe`, `aa`, `sch`, ... for Dutch; `th`, `wh`, `sh`, `ing`, ... for English); a text with
/// none of them is English. Measured accuracy: `docs/sentiment-eval.md`.
pub fn detect_language(text: &str) -> Language {
    const NL: &[&str] = &[
        "de",
        "het",
        "een",
        "en",
        "van",
        "ik",
        "je",
        "jij",
        "niet",
        "is",
        "dat",
        "met",
        "voor",
        "op",
        "zijn",
        "mijn",
        "maar",
        "wel",
        "geen",
        "al",
        "nog",
        "ook",
        "bij",
        "er",
        "naar",
        "wat",
        "heb",
        "hebben",
        "heeft",
        "jullie",
        "uw",
        "mij",
        "we",
        "wij",
        "ze",
        "zo",
        "echt",
        "heel",
        "erg",
        "nu",
        "weer",
        "dit",
        "deze",
        "om",
        "te",
        "aan",
        "door",
        "kan",
        "kun",
        "kunt",
        "moet",
        "werkt",
        "internet",
        "bedankt",
        "dank",
        "goed",
        "slecht",
        "alweer",
        "waarom",
        "wanneer",
        "welke",
        "hoe",
        "waar",
        "uit",
        "gaat",
        "wordt",
        "worden",
        "zegt",
        "doet",
        "zitten",
        "zit",
        "per",
        "vandaag",
        "morgen",
        "gisteren",
        "sinds",
        "steeds",
        "eindelijk",
        "blij",
        "nieuwe",
        "beste",
        "graag",
        "hoor",
        "toch",
        "ben",
        "bent",
        "was",
        "storing",
        "kapot",
        "factuur",
        "klantenservice",
        "monteur",
        "glasvezel",
        "abonnement",
        "winkel",
        "gestuurd",
        "verbinding",
        "bereik",
        "helaas",
        "jammer",
        "top",
        "ontvanger",
        "zenders",
        "klanten",
        "treft",
        "duizenden",
        "nieuw",
        "ooit",
        "niks",
        "geregeld",
    ];
    const EN: &[&str] = &[
        "the", "a", "an", "and", "of", "i", "you", "not", "is", "that", "this", "with", "for",
        "on", "my", "but", "no", "it", "to", "are", "was", "have", "has", "your", "me", "we",
        "they", "so", "very", "really", "just", "now", "again", "why", "what", "can", "thanks",
        "thank", "good", "bad", "works", "be", "at", "in", "from", "still", "all", "u", "r", "lol",
        "he", "she", "her", "his", "him", "do", "don't", "i'm", "it's", "get", "got", "like",
        "love", "when", "how", "who", "will", "would", "one", "day", "today", "die",
    ];
    const NL_GRAMS: &[&str] = &["ij", "oe", "aa", "uu", "ui", "sch", "cht", "eu"];
    const EN_GRAMS: &[&str] = &["th", "wh", "sh", "ing", "ou", "ea", "ck", "ay"];
    /// Bit 1: a Dutch word, bit 2: an English word.
    fn typical_words() -> &'static FxHashMap<&'static str, u8> {
        static WORDS: OnceLock<FxHashMap<&'static str, u8>> = OnceLock::new();
        WORDS.get_or_init(|| {
            let mut words = FxHashMap::default();
            for w in NL {
                *words.entry(*w).or_default() |= 1;
            }
            for w in EN {
                *words.entry(*w).or_default() |= 2;
            }
            words
        })
    }
    let words = typical_words();
    let mut nl = 0usize;
    let mut en = 0usize;
    for word in text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        // Lowercase ASCII words on the stack; no listed word is longer than 16 bytes.
        let flags = if word.is_ascii() {
            let mut buf = [0u8; 16];
            match buf.get_mut(..word.len()) {
                Some(b) => {
                    b.copy_from_slice(word.as_bytes());
                    b.make_ascii_lowercase();
                    std::str::from_utf8(b)
                        .ok()
                        .and_then(|w| words.get(w))
                        .copied()
                        .unwrap_or(0)
                }
                None => 0,
            }
        } else {
            words
                .get(word.to_lowercase().as_str())
                .copied()
                .unwrap_or(0)
        };
        nl += usize::from(flags & 1 != 0);
        en += usize::from(flags & 2 != 0);
    }
    if nl == en {
        let lower = text.to_lowercase();
        nl = NL_GRAMS.iter().map(|g| lower.matches(g).count()).sum();
        en = EN_GRAMS.iter().map(|g| lower.matches(g).count()).sum();
    }
    if nl > en {
        Language::Dutch
    } else {
        Language::English
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_matches_vader_reference_values() {
        // Reference values from vaderSentiment 3.3.2's README.
        let s = score_in("VADER is smart, handsome, and funny.", Language::English);
        assert!((s.compound - 0.8316).abs() < 1e-4, "{}", s.compound);
        assert_eq!(s.class, SentimentClass::VeryPositive);
        let s = score_in("The book was kind of good.", Language::English);
        assert!((s.compound - 0.3832).abs() < 1e-4, "{}", s.compound);
        assert_eq!(s.class, SentimentClass::Positive);
    }

    #[test]
    fn class_bins() {
        assert_eq!(
            SentimentClass::from_compound(-0.6),
            SentimentClass::VeryNegative
        );
        assert_eq!(
            SentimentClass::from_compound(-0.05),
            SentimentClass::Negative
        );
        assert_eq!(SentimentClass::from_compound(0.0), SentimentClass::Neutral);
        assert_eq!(
            SentimentClass::from_compound(0.05),
            SentimentClass::Positive
        );
        assert_eq!(
            SentimentClass::from_compound(0.6),
            SentimentClass::VeryPositive
        );
        for c in SentimentClass::ALL {
            assert_eq!(SentimentClass::from_value(c.value().into()), c);
            assert_eq!(SentimentClass::parse(c.filter_name()).unwrap(), c);
            assert_eq!(SentimentClass::parse(c.as_str()).unwrap(), c);
        }
        assert!(SentimentClass::parse("meh").is_err());
    }

    #[test]
    fn detects_dutch() {
        assert_eq!(
            detect_language("Mijn internet werkt alweer niet, dit is echt slecht"),
            Language::Dutch
        );
        assert_eq!(
            detect_language("My internet is down again, this is really bad"),
            Language::English
        );
    }
}
