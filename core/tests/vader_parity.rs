//! Differential tests of the English scorer (`webcare::sentiment::score_english`, our own VADER)
//! against the `vader-parity` crate, an independent port of vaderSentiment 3.3.2 (dev-dependency
//! only): every tweet of the VADER paper's ground truth, and generated texts that exercise each
//! rule (boosters, negations, "but", ALL CAPS, punctuation, emoticons and emoji, "least", idioms,
//! arbitrary Unicode). All four scores must be equal to the bit.
use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use vader_parity::SentimentIntensityAnalyzer;
use webcare::sentiment::{score_english, score_many, Language};

fn reference() -> &'static SentimentIntensityAnalyzer {
    static R: OnceLock<SentimentIntensityAnalyzer> = OnceLock::new();
    R.get_or_init(SentimentIntensityAnalyzer::new)
}

/// `None` when equal, else a description of the difference.
fn diff(text: &str) -> Option<String> {
    let ours = score_english(text);
    let theirs = reference().polarity_scores(text);
    let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
    if same(ours.compound, theirs.compound)
        && same(ours.negative, theirs.neg)
        && same(ours.neutral, theirs.neu)
        && same(ours.positive, theirs.pos)
    {
        None
    } else {
        Some(format!(
            "{text:?}: ours compound {} neg {} neu {} pos {}, vader-parity {} {} {} {}",
            ours.compound,
            ours.negative,
            ours.neutral,
            ours.positive,
            theirs.compound,
            theirs.neg,
            theirs.neu,
            theirs.pos
        ))
    }
}

fn tweets() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/vader_tweets_GroundTruth.txt");
    let raw =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    String::from_utf8_lossy(&raw)
        .lines()
        .filter_map(|l| l.splitn(3, '\t').nth(2).map(str::to_string))
        .collect()
}

#[test]
fn all_ground_truth_tweets_equal_vader_parity() {
    let tweets = tweets();
    assert_eq!(tweets.len(), 4200);
    let bad: Vec<String> = tweets.iter().filter_map(|t| diff(t)).collect();
    assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn score_many_is_score_in_order() {
    let tweets = tweets();
    let many = score_many(&tweets, Language::English);
    assert_eq!(many.len(), tweets.len());
    for (t, s) in tweets.iter().zip(&many) {
        assert_eq!(*s, score_english(t), "{t}");
    }
    let auto = score_many(&tweets, Language::Auto);
    for (t, s) in tweets.iter().zip(&auto) {
        assert_eq!(*s, webcare::sentiment::score(t), "{t}");
    }
}

#[test]
fn edge_cases_equal_vader_parity() {
    let cases = [
        "",
        "   ",
        "!!!",
        "good",
        "GOOD",
        "GOOD bad",
        "VERY GOOD day",
        "not good",
        "isn't good at all",
        "never so good",
        "never this bad",
        "without doubt good",
        "without any doubt good",
        "at least good",
        "very least good",
        "least good",
        "the least good thing",
        "kind of good",
        "sort of good",
        "I am kind of happy",
        "it was the shit and the bomb",
        "the movie was to die for",
        "yeah right that was great",
        "kiss of death for the good guys",
        "waiting at the bus stop happy",
        "he is a bad ass",
        "good but bad",
        "good good good but bad bad good",
        "but",
        "no good",
        "no problem",
        "no, no, no good or bad",
        "no way or nor good",
        "The food here is good!!!",
        "Is it good???",
        "Is it good??",
        "Is it good????",
        "good?!?!",
        ":) :( :D <3 :-)",
        "I ❤️ this 😀😀 so much 💔",
        "😀x 😀 😀y",
        "ΑΣ good ΣΑ σ Σ",
        "İSTANBUL is GREAT",
        "ǅungla GOOD",
        "\u{1c}good\u{1f}bad\u{85}nice\u{a0}fine",
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        "Today SUX!",
        "Today only kinda sux! But I'll get by, lol",
        "Make sure you :) or :D today!",
        "Catch utf-8 emoji such as such as 💘 and 💋 and 😁",
        "Not bad at all",
        "don't hate, dont love, won't like",
        "cant stand it, can't wait",
        "uh-uh, that is not fine",
        "I DON'T like it, it Isn'T good, hadN'T seen",
        "supercalifragilisticexpialidocious good, couldn't-have-been-happier",
    ];
    let bad: Vec<String> = cases.iter().filter_map(|t| diff(t)).collect();
    assert!(bad.is_empty(), "{} differ:\n{}", bad.len(), bad.join("\n"));
}

fn word() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "good",
        "bad",
        "great",
        "love",
        "hate",
        "happy",
        "sad",
        "terrible",
        "nice",
        "ok",
        "fine",
        "awesome",
        "horrible",
        "no",
        "yes",
        "like",
        "lol",
        "sux",
        "kinda",
        "the",
        "a",
        "is",
        "was",
        "it",
        "and",
        "or",
        "nor",
        "of",
        "at",
        "to",
        "die",
        "for",
        "shit",
        "bomb",
        "bus",
        "stop",
        "yeah",
        "right",
        "kiss",
        "death",
        "beating",
        "heart",
        "ass",
        "badass",
        "very",
        "extremely",
        "really",
        "so",
        "this",
        "kind",
        "sort",
        "just",
        "enough",
        "barely",
        "hardly",
        "slightly",
        "totally",
        "completely",
        "not",
        "isn't",
        "never",
        "without",
        "doubt",
        "nothing",
        "don't",
        "DON'T",
        "Isn'T",
        "cannot",
        "aint",
        "uh-uh",
        "rarely",
        "despite",
        "least",
        "but",
        "BUT",
        "GOOD",
        "BAD",
        "VERY",
        "NOT",
        "Great",
        "LOVE",
        "!",
        "?",
        "!!!",
        "???",
        "?!",
        ":)",
        ":(",
        ":D",
        ":-(",
        "<3",
        ";)",
        "8-)",
        "=)",
        "😀",
        "😢",
        "💔",
        "❤️",
        "👍",
        "😡",
        "good!",
        "bad?",
        "(great)",
        "...nice...",
        "'love'",
        "ok.",
        "x",
        "XD",
        "α",
        "Σ",
        "ΣΑΣ",
        "İ",
        "ß",
        "ǅ",
        "K",
        "ÉTÉ",
        "café",
        "naïve",
    ]);
    prop_oneof![
        8 => words.prop_map(str::to_string),
        1 => "\\PC{1,6}",
        1 => "[a-zA-Z!?.,:;'()-]{1,8}",
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        " ", " ", " ", "  ", "\t", "\n", ", ", ". ", "! ", "\u{a0}", "\u{1c}", "\u{b}", "\u{1}", "",
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((word(), separator()), 0..24).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, s)| format!("{w}{s}"))
            .collect::<String>()
    })
}

/// All-ASCII texts (the scorer's fast path): the ASCII words of [`word`], printable ASCII and
/// any ASCII including control characters.
fn ascii_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        6 => word().prop_filter("ASCII", |w| w.is_ascii()),
        2 => "[ -~]{1,20}",
        1 => "[\\x00-\\x7f]{1,6}",
    ];
    let sep = prop::sample::select(vec![
        " ", " ", "  ", "\t", "\n", "\u{1c}", "\u{b}", "\u{1}", "",
    ]);
    prop::collection::vec((word, sep), 0..30).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, s)| format!("{w}{s}"))
            .collect::<String>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn generated_texts_equal_vader_parity(t in text()) {
        prop_assert_eq!(diff(&t), None);
    }

    #[test]
    fn ascii_texts_equal_vader_parity(t in ascii_text()) {
        prop_assert_eq!(diff(&t), None);
    }

    #[test]
    fn arbitrary_strings_equal_vader_parity(t in "\\PC{0,80}") {
        prop_assert_eq!(diff(&t), None);
    }
}
