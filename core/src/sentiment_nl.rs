//! Dutch sentiment scoring: the Pattern project's Dutch subjectivity lexicon (De Smedt &
//! Daelemans, LREC 2012; PDDL, `data/nl-sentiment.xml`) plus a small supplementary lexicon written
//! by this project for customer-care messages (`data/nl-supplement.tsv`, MIT OR Apache-2.0).
//!
//! How a text is scored (see `docs/sentiment.md`):
//!
//! 1. **Lexicon.** A word's polarity is the mean over its senses in Pattern's lexicon of
//!    adjectives; the supplement adds nouns, verbs, interjections and phrases common in customer
//!    care (`storing`, `klacht`, `bedankt`, `top`, `nog steeds`, `geen verbinding`, ...) and
//!    overrides Pattern where a word is mostly not an adjective in messages (polarity 0 removes it:
//!    `naar` "to" vs. "nasty"). Phrases are matched on consecutive words, longest first. A word not
//!    found is looked up again without an adjective ending (`snelle` → `snel`, `waardeloze` →
//!    `waardeloos`, `trager` → `traag`, `slechtste` → `slecht`).
//! 2. **Intensifiers** right before a word (`heel`, `erg`, `echt`, `super`, ...; stacked, at most
//!    ×2) multiply its polarity; an intensifier that modifies a word is not itself scored.
//! 3. **Negation**: a negation (`niet`, `geen`, `nooit`, `niets`, `niks`, ...) among the three words
//!    before a word flips its polarity and halves it (`niet goed`, `geen klachten`, `geen storingen
//!    meer`). The scope ends at punctuation.
//! 4. **Malfunction**: a verb of functioning (`werkt`, `doet`, `lukt`, `komt`, ...) with a failure
//!    word (`niet`, `niks`, `nooit`, `amper`, ...) up to two words before or four words after it in
//!    the same clause counts as a -0.5 term (`werkt niet`, `doet het niet meer`, `niks werkt`);
//!    without one, `weer` after it counts +0.5 (`werkt weer`). `valt`/`viel` with `weg` or `uit`
//!    up to three words after it also counts -0.5 (`valt steeds weg`).
//! 5. **Emoji and emoticons** in the supplement count as terms wherever they appear.
//! 6. The score is the mean of all terms, times `1 + 0.1·n` for `n` exclamation marks (at most 3),
//!    clamped to [-1, 1], and binned with the same thresholds as English (see
//!    [`crate::sentiment`]). A text with no terms scores 0 (neutral).

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::sentiment::{Language, Score, SentimentClass};

const LEXICON_XML: &str = include_str!("../data/nl-sentiment.xml");
const SUPPLEMENT_TSV: &str = include_str!("../data/nl-supplement.tsv");

const NEGATIONS: &[&str] = &[
    "niet", "geen", "nooit", "niets", "niks", "nergens", "noch", "zonder",
];

/// Verbs of functioning for the malfunction rule.
const FUNCTION_VERBS: &[&str] = &[
    "werkt",
    "werken",
    "werkte",
    "werkten",
    "doet",
    "doen",
    "deed",
    "deden",
    "lukt",
    "lukte",
    "functioneert",
    "reageert",
    "reageren",
    "laadt",
    "komt",
    "kwam",
];

/// Words that, next to a verb of functioning, say it fails.
const FAILURES: &[&str] = &[
    "niet",
    "niks",
    "niets",
    "nooit",
    "amper",
    "nauwelijks",
    "geen",
];

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
    ("ongelooflijk", 1.6),
    ("mega", 1.5),
    ("best", 1.1),
    ("nogal", 1.2),
    ("totaal", 1.5),
    ("helemaal", 1.4),
    ("compleet", 1.5),
    ("zo", 1.3),
    ("te", 1.2),
    ("weinig", 0.6),
    ("beetje", 0.7),
    ("redelijk", 0.8),
];

/// The largest factor stacked intensifiers can give.
const MAX_INTENSITY: f64 = 2.0;

struct Lexicon {
    /// Single words: Pattern's mean polarity, overridden by the supplement.
    words: FxHashMap<String, f64>,
    /// Phrases of two or more words (supplement), as word lists, longest first.
    phrases: Vec<(Vec<String>, f64)>,
    /// The indices in `phrases` of the phrases that start with a word, in `phrases` order.
    phrases_by_first: FxHashMap<String, Vec<usize>>,
    /// Emoji and emoticons (supplement), matched as substrings.
    symbols: Vec<(String, f64)>,
    /// The first bytes of `symbols`: a text with none of them has no symbol.
    symbol_first_bytes: [bool; 256],
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pat = format!(" {name}=\"");
    let start = tag.find(&pat)? + pat.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
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
        let mut words: FxHashMap<String, f64> = sums
            .into_iter()
            .map(|(k, (s, n))| (k, s / f64::from(n.max(1))))
            .collect();
        let mut phrases = Vec::new();
        let mut symbols = Vec::new();
        for line in SUPPLEMENT_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let Some((entry, pol)) = line.split_once('\t') else {
                continue;
            };
            let Ok(p) = pol.trim().parse::<f64>() else {
                continue;
            };
            if entry.chars().all(|c| is_word_char(c) || c == ' ') {
                let parts: Vec<String> = entry.split(' ').map(str::to_lowercase).collect();
                if parts.len() == 1 {
                    words.insert(parts[0].clone(), p);
                } else {
                    phrases.push((parts, p));
                }
            } else {
                symbols.push((entry.to_string(), p));
            }
        }
        // Longest phrases first.
        phrases.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        let mut phrases_by_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (k, (parts, _)) in phrases.iter().enumerate() {
            if let Some(first) = parts.first() {
                phrases_by_first.entry(first.clone()).or_default().push(k);
            }
        }
        let mut symbol_first_bytes = [false; 256];
        for (sym, _) in &symbols {
            if let Some(&b) = sym.as_bytes().first() {
                symbol_first_bytes[usize::from(b)] = true;
            }
        }
        Lexicon {
            words,
            phrases,
            phrases_by_first,
            symbols,
            symbol_first_bytes,
        }
    })
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Possible base forms of an inflected adjective: without `-ste`, `-er`, `-e`, with Dutch
/// spelling undone (`snell` → `snel`, `waardeloz` → `waardeloos`, `lieve` → `lief`,
/// `trag` → `traag`).
fn base_forms(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !w.is_ascii() || w.len() < 4 {
        return out;
    }
    for suffix in ["ste", "er", "e"] {
        let Some(stem) = w.strip_suffix(suffix) else {
            continue;
        };
        if stem.len() < 3 {
            continue;
        }
        let mut s = stem.to_string();
        let b = s.as_bytes();
        let n = b.len();
        if b[n - 1] == b[n - 2] && !is_vowel(b[n - 1]) {
            s.pop();
        }
        match s.as_bytes()[s.len() - 1] {
            b'z' => s.replace_range(s.len() - 1.., "s"),
            b'v' => s.replace_range(s.len() - 1.., "f"),
            _ => {}
        }
        out.push(s.clone());
        // An open syllable lost its long vowel's second letter: trag -> traag, boz -> boos.
        let b = s.as_bytes();
        let n = b.len();
        if n >= 3 && !is_vowel(b[n - 1]) && is_vowel(b[n - 2]) && !is_vowel(b[n - 3]) {
            let mut d = s.clone();
            d.insert(n - 1, char::from(b[n - 2]));
            out.push(d);
        }
    }
    out
}

impl Lexicon {
    fn word(&self, w: &str) -> Option<f64> {
        if let Some(p) = self.words.get(w) {
            return Some(*p);
        }
        base_forms(w)
            .iter()
            .find_map(|b| self.words.get(b.as_str()).copied())
    }

    /// The sentiment item (phrase or word) starting at `i`: (length in words, polarity).
    fn item_at(&self, words: &[String], i: usize) -> Option<(usize, f64)> {
        let candidates = self
            .phrases_by_first
            .get(&words[i])
            .map_or(&[][..], Vec::as_slice);
        for (phrase, p) in candidates.iter().filter_map(|&k| self.phrases.get(k)) {
            if words.len() - i >= phrase.len() && words[i..i + phrase.len()] == phrase[..] {
                return Some((phrase.len(), *p));
            }
        }
        match self.word(&words[i]) {
            Some(p) if p != 0.0 => Some((1, p)),
            _ => None,
        }
    }
}

fn intensity(w: &str) -> Option<f64> {
    INTENSIFIERS.iter().find(|(m, _)| *m == w).map(|(_, f)| *f)
}

/// The terms of one clause.
fn clause_terms(lex: &Lexicon, words: &[String], terms: &mut Vec<f64>) {
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if FUNCTION_VERBS.contains(&w) {
            let before = &words[i.saturating_sub(2)..i];
            let after = &words[i + 1..(i + 5).min(words.len())];
            let fails = before
                .iter()
                .chain(after)
                .any(|x| FAILURES.contains(&x.as_str()));
            if fails {
                terms.push(-0.5);
            } else if after.iter().take(3).any(|x| x == "weer") {
                terms.push(0.5);
            }
            i += 1;
            continue;
        }
        // Separable verbs of failing: `valt (steeds) weg`, `viel uit`.
        if matches!(w, "valt" | "vallen" | "viel" | "vielen")
            && words[i + 1..(i + 4).min(words.len())]
                .iter()
                .any(|x| x == "weg" || x == "uit")
        {
            terms.push(-0.5);
            i += 1;
            continue;
        }
        let Some((len, p)) = lex.item_at(words, i) else {
            i += 1;
            continue;
        };
        // An intensifier right before another sentiment item only modifies it.
        if len == 1
            && intensity(w).is_some()
            && i + 1 < words.len()
            && lex.item_at(words, i + 1).is_some()
        {
            i += 1;
            continue;
        }
        let mut v = p;
        let mut factor = 1.0;
        let mut j = i;
        while j > 0 {
            match intensity(&words[j - 1]) {
                Some(f) => factor *= f,
                None => break,
            }
            j -= 1;
        }
        v *= factor.min(MAX_INTENSITY);
        if words[i.saturating_sub(3)..i]
            .iter()
            .any(|n| NEGATIONS.contains(&n.as_str()))
        {
            v *= -0.5;
        }
        terms.push(v);
        i += len;
    }
}

/// Score Dutch text.
pub fn score_dutch(text: &str) -> Score {
    let lex = lexicon();
    let mut terms: Vec<f64> = Vec::new();
    if text.bytes().any(|b| lex.symbol_first_bytes[usize::from(b)]) {
        for (sym, p) in &lex.symbols {
            for _ in 0..text.matches(sym.as_str()).count().min(3) {
                terms.push(*p);
            }
        }
    }
    let mut n_words = 0usize;
    // A negation or an intensifier only reaches within its clause: punctuation ends the scope.
    for clause in text.split(['.', ',', ';', ':', '!', '?', '\n']) {
        let words: Vec<String> = clause
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty() && *w != "-")
            .map(|w| w.to_lowercase())
            .collect();
        n_words += words.len();
        clause_terms(lex, &words, &mut terms);
    }
    let compound = if terms.is_empty() {
        0.0
    } else {
        let mean = terms.iter().sum::<f64>() / terms.len() as f64;
        let bangs = text.matches('!').count().min(3) as f64;
        (mean * (1.0 + 0.1 * bangs)).clamp(-1.0, 1.0)
    };
    let pos = terms.iter().filter(|v| **v > 0.0).count() as f64;
    let neg = terms.iter().filter(|v| **v < 0.0).count() as f64;
    let n = n_words.max(1) as f64;
    let positive = (pos / n).min(1.0);
    let negative = (neg / n).min(1.0 - positive);
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

    fn c(text: &str) -> f64 {
        score_dutch(text).compound
    }

    #[test]
    fn dutch_polarity() {
        assert!(c("Wat een goede service, echt fantastisch!") > 0.3);
        assert!(c("Dit is slecht en waardeloos") < -0.3);
        assert!(c("niet goed") < 0.0);
        assert_eq!(c("de trein vertrekt om vijf uur"), 0.0);
        assert!(c("heel slecht") < c("slecht"));
        // Negation does not cross a comma.
        assert!(c("Mijn internet werkt alweer niet, echt slecht") < 0.0);
    }

    #[test]
    fn function_words_are_not_sentiment() {
        // `naar` is "nasty" in Pattern's lexicon but nearly always "to" in messages.
        assert_eq!(c("Wanneer komt glasvezel naar Utrecht?"), 0.0);
        assert_eq!(c("Ik ga verhuizen naar Almere"), 0.0);
    }

    #[test]
    fn supplement_words_and_phrases() {
        assert!(c("Is er een storing?") < 0.0);
        assert!(c("Ik heb een klacht") < 0.0);
        assert!(c("Bedankt voor de hulp") > 0.0);
        assert!(c("Top!") > 0.6);
        assert!(c("Ik ben er klaar mee") < 0.0);
        assert!(c("Sinds gisteren geen verbinding") < 0.0);
    }

    #[test]
    fn malfunction_and_repair() {
        assert!(c("Mijn tv doet het niet") < 0.0);
        assert!(c("Mijn 5G werkt niet meer") < 0.0);
        assert!(c("Niks werkt") < 0.0);
        assert!(c("Het lukt amper om te bellen") < 0.0);
        assert!(c("Internet werkt weer") > 0.0);
        assert!(c("Mijn wifi valt steeds weg") < 0.0);
        assert_eq!(c("Wanneer komt de monteur?"), 0.0);
    }

    #[test]
    fn negated_problems_are_positive() {
        assert!(c("Geen klachten") > 0.0);
        assert!(c("Geen storingen meer sinds gisteren") > 0.0);
        assert!(c("niet tevreden") < 0.0);
    }

    #[test]
    fn inflected_adjectives() {
        assert!(c("wat een waardeloze service") < -0.5);
        assert!(c("snelle hulp") > 0.0);
        assert!(c("het wordt steeds trager") < 0.0);
        assert!(c("de slechtste provider") < -0.5);
        assert_eq!(
            base_forms("boze"),
            vec!["bos".to_string(), "boos".to_string()]
        );
    }

    #[test]
    fn emoji_and_exclamations() {
        assert!(c("internet 😡") < -0.5);
        assert!(c("👍") > 0.0);
        assert!(c("dank :)") > 0.0);
        assert!(c("Slecht!!!") < c("Slecht"));
        assert!(c("Goed!!") > c("Goed"));
    }

    #[test]
    fn intensifiers_stack_and_are_not_scored_alone() {
        assert!(c("heel erg bedankt") > c("bedankt"));
        assert!(c("heel erg bedankt") <= 1.0);
        // `erg` before a neutral word is not "bad".
        assert_eq!(c("Het gebeurt erg vaak"), 0.0);
    }
}
