//! Dutch sentiment scoring with the Pattern project's Dutch subjectivity lexicon
//! (De Smedt & Daelemans, LREC 2012; PDDL, `data/nl-sentiment.xml`).
//!
//! The score of a text is the mean polarity of the lexicon words it contains, where a word's
//! polarity is the mean over its senses. An intensifier right before a word (`heel`, `erg`, ...)
//! multiplies that word's polarity; a negation within the three words before it (`niet`, `geen`,
//! `nooit`, ...) flips it and halves it. The mean is clamped to [-1, 1] and binned with the same
//! thresholds as English (see [`crate::sentiment`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::sentiment::{Language, Score, SentimentClass};

const LEXICON_XML: &str = include_str!("../data/nl-sentiment.xml");

const NEGATIONS: &[&str] = &["niet", "geen", "nooit", "niets", "niks", "nergens", "noch"];

const INTENSIFIERS: &[(&str, f64)] = &[
    ("heel", 1.5),
    ("erg", 1.5),
    ("zeer", 1.5),
    ("echt", 1.3),
    ("super", 1.6),
    ("ontzettend", 1.7),
    ("enorm", 1.6),
    ("vreselijk", 1.7),
    ("verschrikkelijk", 1.7),
    ("extreem", 1.8),
    ("bijzonder", 1.4),
    ("hartstikke", 1.6),
    ("best", 1.1),
    ("nogal", 1.2),
    ("totaal", 1.5),
    ("helemaal", 1.4),
    ("zo", 1.3),
    ("te", 1.2),
    ("weinig", 0.6),
    ("beetje", 0.7),
    ("redelijk", 0.8),
];

struct Lexicon {
    polarity: HashMap<String, f64>,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pat = format!(" {name}=\"");
    let start = tag.find(&pat)? + pat.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut sums: HashMap<String, (f64, u32)> = HashMap::new();
        for tag in LEXICON_XML.split("<word").skip(1) {
            let (Some(form), Some(pol)) = (attr(tag, "form"), attr(tag, "polarity")) else {
                continue;
            };
            let Ok(p) = pol.parse::<f64>() else { continue };
            let e = sums.entry(form.to_lowercase()).or_insert((0.0, 0));
            e.0 += p;
            e.1 += 1;
        }
        Lexicon {
            polarity: sums
                .into_iter()
                .map(|(k, (s, n))| (k, s / f64::from(n.max(1))))
                .collect(),
        }
    })
}

/// Score Dutch text.
pub fn score_dutch(text: &str) -> Score {
    let lex = lexicon();
    let mut total = 0.0;
    let mut count = 0u32;
    let (mut pos, mut neg) = (0u32, 0u32);
    let mut n_words = 0usize;
    // A negation or an intensifier only reaches within its clause: punctuation ends the scope.
    for clause in text.split(['.', ',', ';', ':', '!', '?', '\n']) {
        let words: Vec<String> = clause
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect();
        n_words += words.len();
        for (i, w) in words.iter().enumerate() {
            let Some(&p) = lex.polarity.get(w) else {
                continue;
            };
            if p == 0.0 {
                continue;
            }
            // A word that is itself an intensifier and directly precedes another lexicon word
            // only modifies it.
            let is_modifier = INTENSIFIERS.iter().any(|(m, _)| m == w)
                && words
                    .get(i + 1)
                    .is_some_and(|n| lex.polarity.get(n).is_some_and(|v| *v != 0.0));
            if is_modifier {
                continue;
            }
            let mut v = p;
            if i > 0 {
                if let Some((_, m)) = INTENSIFIERS.iter().find(|(m, _)| *m == words[i - 1]) {
                    v *= m;
                }
            }
            let window = i.saturating_sub(3)..i;
            if words[window]
                .iter()
                .any(|n| NEGATIONS.contains(&n.as_str()))
            {
                v *= -0.5;
            }
            if v > 0.0 {
                pos += 1;
            } else if v < 0.0 {
                neg += 1;
            }
            total += v;
            count += 1;
        }
    }
    let compound = if count == 0 {
        0.0
    } else {
        (total / f64::from(count)).clamp(-1.0, 1.0)
    };
    let n = n_words.max(1) as f64;
    let positive = f64::from(pos) / n;
    let negative = f64::from(neg) / n;
    Score {
        compound,
        negative,
        neutral: (1.0 - positive - negative).max(0.0),
        positive,
        class: SentimentClass::from_compound(compound),
        language: Language::Dutch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_polarity() {
        assert!(score_dutch("Wat een goede service, echt fantastisch!").compound > 0.3);
        assert!(score_dutch("Dit is slecht en waardeloos").compound < -0.3);
        assert!(score_dutch("niet goed").compound < 0.0);
        assert_eq!(score_dutch("de trein vertrekt om vijf uur").compound, 0.0);
        assert!(score_dutch("heel slecht").compound < score_dutch("slecht").compound);
        // Negation does not cross a comma.
        assert!(score_dutch("Mijn internet werkt alweer niet, echt slecht").compound < 0.0);
    }
}
