//! English sentiment: VADER, written for speed and output-identical to Python vaderSentiment
//! 3.3.2 (the `neg`, `neu`, `pos` and `compound` it returns, bit for bit).
//!
//! The rules are the reference's `SentimentIntensityAnalyzer.polarity_scores`, including its
//! quirks: the `but` reweighting that re-finds each value with `list.index`, the grouping of
//! `and`/`or` in the distance-3 negation check, CPython's `sum` (an exact int prefix, then
//! Neumaier-compensated float addition) and `round` (correctly rounded, ties to even). Casing is
//! CPython's `str.lower()`/`str.isupper()`: ASCII inline, everything else from
//! `data/vader/casing_tables.tsv`, recorded from CPython 3.14 (Unicode 16.0.0).
//!
//! What makes it fast: the lexicon, boosters and rule words are one `FxHashMap` built once, so a
//! token costs one hash lookup; texts without non-ASCII bytes skip the emoji pass; tokens are
//! lowercased into one reused buffer and described by small structs in a reused `Vec`
//! (thread-local scratch, no allocation per text once warm); `round` takes an arithmetic fast
//! path and formats decimals only near a tie. A dev-dependency on the `vader-parity` crate
//! checks the output against an independent port (`core/tests/vader_parity.rs`).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// vaderSentiment 3.3.2 `vader_lexicon.txt`, byte-identical (MIT, see `data/vader/`).
const LEXICON: &str = include_str!("../data/vader/vader_lexicon.txt");
/// vaderSentiment 3.3.2 `emoji_utf8_lexicon.txt`, byte-identical.
const EMOJI_LEXICON: &str = include_str!("../data/vader/emoji_utf8_lexicon.txt");
/// CPython's casing behaviour, see `data/vader/PROVENANCE`.
const CASING_TABLES: &str = include_str!("../data/vader/casing_tables.tsv");

const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;

/// `BOOSTER_DICT` of vaderSentiment 3.3.2 (0.293 = `B_INCR`, -0.293 = `B_DECR`). The three
/// two-word keys can only match the booster n-grams of the idiom check.
const BOOSTERS: [(&str, f64); 84] = [
    ("absolutely", 0.293),
    ("amazingly", 0.293),
    ("awfully", 0.293),
    ("completely", 0.293),
    ("considerable", 0.293),
    ("considerably", 0.293),
    ("decidedly", 0.293),
    ("deeply", 0.293),
    ("effing", 0.293),
    ("enormous", 0.293),
    ("enormously", 0.293),
    ("entirely", 0.293),
    ("especially", 0.293),
    ("exceptional", 0.293),
    ("exceptionally", 0.293),
    ("extreme", 0.293),
    ("extremely", 0.293),
    ("fabulously", 0.293),
    ("flipping", 0.293),
    ("flippin", 0.293),
    ("frackin", 0.293),
    ("fracking", 0.293),
    ("fricking", 0.293),
    ("frickin", 0.293),
    ("frigging", 0.293),
    ("friggin", 0.293),
    ("fully", 0.293),
    ("fuckin", 0.293),
    ("fucking", 0.293),
    ("fuggin", 0.293),
    ("fugging", 0.293),
    ("greatly", 0.293),
    ("hella", 0.293),
    ("highly", 0.293),
    ("hugely", 0.293),
    ("incredible", 0.293),
    ("incredibly", 0.293),
    ("intensely", 0.293),
    ("major", 0.293),
    ("majorly", 0.293),
    ("more", 0.293),
    ("most", 0.293),
    ("particularly", 0.293),
    ("purely", 0.293),
    ("quite", 0.293),
    ("really", 0.293),
    ("remarkably", 0.293),
    ("so", 0.293),
    ("substantially", 0.293),
    ("thoroughly", 0.293),
    ("total", 0.293),
    ("totally", 0.293),
    ("tremendous", 0.293),
    ("tremendously", 0.293),
    ("uber", 0.293),
    ("unbelievably", 0.293),
    ("unusually", 0.293),
    ("utter", 0.293),
    ("utterly", 0.293),
    ("very", 0.293),
    ("almost", -0.293),
    ("barely", -0.293),
    ("hardly", -0.293),
    ("just enough", -0.293),
    ("kind of", -0.293),
    ("kinda", -0.293),
    ("kindof", -0.293),
    ("kind-of", -0.293),
    ("less", -0.293),
    ("little", -0.293),
    ("marginal", -0.293),
    ("marginally", -0.293),
    ("occasional", -0.293),
    ("occasionally", -0.293),
    ("partly", -0.293),
    ("scarce", -0.293),
    ("scarcely", -0.293),
    ("slight", -0.293),
    ("slightly", -0.293),
    ("somewhat", -0.293),
    ("sort of", -0.293),
    ("sorta", -0.293),
    ("sortof", -0.293),
    ("sort-of", -0.293),
];

/// `NEGATE` of vaderSentiment 3.3.2. Any word containing `n't` negates too.
const NEGATE: [&str; 59] = [
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// Words the rules compare tokens with, as small ids (0: none of them).
const W_NO: u8 = 1;
const W_OR: u8 = 2;
const W_NOR: u8 = 3;
const W_BUT: u8 = 4;
const W_KIND: u8 = 5;
const W_OF: u8 = 6;
const W_LEAST: u8 = 7;
const W_AT: u8 = 8;
const W_VERY: u8 = 9;
const W_NEVER: u8 = 10;
const W_SO: u8 = 11;
const W_THIS: u8 = 12;
const W_WITHOUT: u8 = 13;
const W_DOUBT: u8 = 14;
const RULE_WORDS: [(&str, u8); 14] = [
    ("no", W_NO),
    ("or", W_OR),
    ("nor", W_NOR),
    ("but", W_BUT),
    ("kind", W_KIND),
    ("of", W_OF),
    ("least", W_LEAST),
    ("at", W_AT),
    ("very", W_VERY),
    ("never", W_NEVER),
    ("so", W_SO),
    ("this", W_THIS),
    ("without", W_WITHOUT),
    ("doubt", W_DOUBT),
];

/// What one lowercased word is to the rules (16 bytes, so the table stays small).
#[derive(Clone, Copy)]
struct Entry {
    /// Lexicon valence, NaN when the word is not in the lexicon.
    lex: f64,
    /// Booster: +1 for `B_INCR` (0.293), -1 for `B_DECR` (-0.293), 0 when not a booster.
    boost: i8,
    /// In `NEGATE`.
    negate: bool,
    /// A `W_*` id or 0.
    word: u8,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            lex: f64::NAN,
            boost: 0,
            negate: false,
            word: 0,
        }
    }
}

impl Entry {
    fn lex(&self) -> Option<f64> {
        (!self.lex.is_nan()).then_some(self.lex)
    }

    fn boost(&self) -> Option<f64> {
        match self.boost {
            1 => Some(0.293),
            -1 => Some(-0.293),
            _ => None,
        }
    }
}

/// A word of at most 15 bytes packed with its length (in the last byte) into one integer: the
/// table compares keys without a pointer chase or `memcmp`, and the rules compare tokens with
/// words as integers. 0 (the empty word) stands for "longer than 15 bytes" in tokens.
const fn key(word: &str) -> u128 {
    let b = word.as_bytes();
    let mut out = [0u8; 16];
    let mut i = 0;
    while i < b.len() && i < 15 {
        out[i] = b[i];
        i += 1;
    }
    out[15] = b.len() as u8;
    u128::from_le_bytes(out)
}

/// [`key`] for words of at most 15 bytes.
fn pack(word: &[u8]) -> Option<u128> {
    let mut b = [0u8; 16];
    b.get_mut(..word.len())?.copy_from_slice(word);
    if word.len() > 15 {
        return None;
    }
    b[15] = word.len() as u8;
    Some(u128::from_le_bytes(b))
}

struct Tables {
    /// Words of at most 15 bytes, by [`pack`].
    short: FxHashMap<u128, Entry>,
    /// Longer words.
    long: FxHashMap<&'static str, Entry>,
    emoji: FxHashMap<char, &'static str>,
}

impl Tables {
    fn get(&self, word: &str) -> Entry {
        match pack(word.as_bytes()) {
            Some(k) => self.short.get(&k),
            None => self.long.get(word),
        }
        .copied()
        .unwrap_or_default()
    }
}

/// Python `str.strip()` whitespace: `str.isspace()`, the Unicode `White_Space` set plus the
/// ASCII separators U+001C..U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

fn is_ascii_py_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x20)
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut words: FxHashMap<&'static str, Entry> = FxHashMap::default();
        // make_lex_dict: every non-empty line, stripped, `word TAB measure`; later lines win.
        for line in LEXICON.trim_end_matches('\n').split('\n') {
            let mut fields = line.trim_matches(is_py_space).split('\t');
            if let (Some(word), Some(Ok(measure))) =
                (fields.next(), fields.next().map(str::parse::<f64>))
            {
                if !line.is_empty() {
                    words.entry(word).or_default().lex = measure;
                }
            }
        }
        for (word, incr) in BOOSTERS {
            words.entry(word).or_default().boost = if incr > 0.0 { 1 } else { -1 };
        }
        for word in NEGATE {
            words.entry(word).or_default().negate = true;
        }
        for (word, id) in RULE_WORDS {
            words.entry(word).or_default().word = id;
        }
        // make_emoji_dict: lookups are per character, so only one-character keys can match.
        let mut emoji = FxHashMap::default();
        for line in EMOJI_LEXICON.trim_end_matches('\n').split('\n') {
            let mut fields = line.trim_matches(is_py_space).split('\t');
            if let (Some(key), Some(description)) = (fields.next(), fields.next()) {
                let mut chars = key.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    emoji.insert(c, description);
                }
            }
        }
        let mut short = FxHashMap::default();
        let mut long = FxHashMap::default();
        for (word, entry) in words {
            match pack(word.as_bytes()) {
                Some(k) => short.insert(k, entry),
                None => long.insert(word, entry),
            };
        }
        Tables { short, long, emoji }
    })
}

/// CPython's casing tables (see `data/vader/PROVENANCE`), used for non-ASCII tokens only.
struct Casing {
    /// Characters that make `str.isupper()` false (lowercase or titlecase).
    not_upper: Vec<(u32, u32)>,
    /// Characters that count as the uppercase letter `str.isupper()` needs.
    upper: Vec<(u32, u32)>,
    /// Case_Ignorable, for the final-sigma context.
    ignorable: Vec<(u32, u32)>,
    /// Cased, for the final-sigma context.
    cased: Vec<(u32, u32)>,
    /// Full lowercase mapping where it is not the identity.
    lower: FxHashMap<u32, String>,
}

fn casing() -> &'static Casing {
    static CASING: OnceLock<Casing> = OnceLock::new();
    CASING.get_or_init(|| {
        let mut c = Casing {
            not_upper: Vec::new(),
            upper: Vec::new(),
            ignorable: Vec::new(),
            cased: Vec::new(),
            lower: FxHashMap::default(),
        };
        for line in CASING_TABLES.lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.split('\t');
            let (Some(kind), Some(Ok(a)), Some(b)) = (
                f.next(),
                f.next().map(|a| u32::from_str_radix(a, 16)),
                f.next(),
            ) else {
                continue;
            };
            if kind == "lower" {
                let mapped = b
                    .split(' ')
                    .filter_map(|h| u32::from_str_radix(h, 16).ok())
                    .filter_map(char::from_u32)
                    .collect();
                c.lower.insert(a, mapped);
                continue;
            }
            let Ok(b) = u32::from_str_radix(b, 16) else {
                continue;
            };
            match kind {
                "isupper_false" => c.not_upper.push((a, b)),
                "isupper_cased" => c.upper.push((a, b)),
                "case_ignorable" => c.ignorable.push((a, b)),
                "cased" => c.cased.push((a, b)),
                _ => {}
            }
        }
        for v in [
            &mut c.not_upper,
            &mut c.upper,
            &mut c.ignorable,
            &mut c.cased,
        ] {
            v.sort_unstable();
        }
        c
    })
}

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    let i = ranges.partition_point(|&(_, end)| end < cp);
    ranges.get(i).is_some_and(|&(start, _)| start <= cp)
}

/// Python `str.isupper()` of a non-ASCII token.
fn py_isupper(s: &str) -> bool {
    let t = casing();
    let mut cased = false;
    for c in s.chars() {
        if in_ranges(&t.not_upper, c) {
            return false;
        }
        cased |= in_ranges(&t.upper, c);
    }
    cased
}

/// Python `str.lower()` of a non-ASCII token, appended to `out`.
fn py_lower_into(s: &str, out: &mut String) {
    let t = casing();
    for (i, c) in s.char_indices() {
        if c == '\u{03A3}' {
            // Capital sigma: final form when a cased letter precedes and none follows
            // (case-ignorable characters skipped both ways).
            let before = s[..i]
                .chars()
                .rev()
                .find(|&c| !in_ranges(&t.ignorable, c))
                .is_some_and(|c| in_ranges(&t.cased, c));
            let after = s[i + c.len_utf8()..]
                .chars()
                .find(|&c| !in_ranges(&t.ignorable, c))
                .is_some_and(|c| in_ranges(&t.cased, c));
            out.push(if before && !after {
                '\u{03C2}'
            } else {
                '\u{03C3}'
            });
        } else if let Some(mapped) = t.lower.get(&(c as u32)) {
            out.push_str(mapped);
        } else {
            out.push(c);
        }
    }
}

/// One token of `words_and_emoticons`.
#[derive(Clone, Copy)]
struct Tok {
    /// [`key`] of `token.lower()`, 0 when it is longer than 15 bytes.
    key: u128,
    /// `token.isupper()`.
    upper: bool,
    /// Negated (in `NEGATE` or containing `n't`).
    neg: bool,
    entry: Entry,
}

/// A value of the reference's `sentiments` list and whether Python holds it as an int.
#[derive(Clone, Copy)]
struct Val {
    v: f64,
    int: bool,
}

const INT_ZERO: Val = Val { v: 0.0, int: true };

#[derive(Default)]
struct Scratch {
    text: String,
    lower: String,
    toks: Vec<Tok>,
    vals: Vec<Val>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// VADER's four scores, as vaderSentiment 3.3.2 returns them (rounded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Vader {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    pub compound: f64,
}

/// `SentimentIntensityAnalyzer().polarity_scores(text)` of vaderSentiment 3.3.2.
pub(crate) fn polarity_scores(text: &str) -> Vader {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => score_with(&mut s, text),
        Err(_) => score_with(&mut Scratch::default(), text),
    })
}

fn score_with(scratch: &mut Scratch, text: &str) -> Vader {
    let t = tables();
    let Scratch {
        text: buf,
        lower,
        toks,
        vals,
    } = scratch;
    // The emoji pass: each character in the emoji lexicon becomes its description, after one
    // space when the previous character was not an ASCII space. No emoji is ASCII.
    let text: &str = if text.is_ascii() {
        text
    } else {
        buf.clear();
        let mut prev_space = true;
        for c in text.chars() {
            if let Some(description) = t.emoji.get(&c) {
                if !prev_space {
                    buf.push(' ');
                }
                buf.push_str(description);
                prev_space = false;
            } else {
                buf.push(c);
                prev_space = c == ' ';
            }
        }
        buf
    };
    tokenize(t, text, lower, toks);
    let toks: &[Tok] = toks;
    let any_upper = toks.iter().any(|t| t.upper);
    let cap_diff = any_upper && toks.iter().any(|t| !t.upper);

    vals.clear();
    for (i, tok) in toks.iter().enumerate() {
        if tok.entry.boost().is_some()
            || (tok.entry.word == W_KIND && toks.get(i + 1).is_some_and(|n| n.entry.word == W_OF))
        {
            vals.push(INT_ZERO);
        } else {
            vals.push(valence(toks, i, cap_diff));
        }
    }
    if let Some(bi) = toks.iter().position(|t| t.entry.word == W_BUT) {
        but_check(vals, bi);
    }
    score_valence(vals, text)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Lowercase eight ASCII bytes (each below 0x80) at once: the lowercased word and the high bits
/// of the bytes that were `A`..=`Z` and of those that are `a`..=`z`. Adding `0x80 - c` to a byte
/// below 0x80 sets its high bit exactly when it is >= `c`, without a carry into the next byte.
fn swar_lower(w: u64) -> (u64, u64, u64) {
    let range = |lo: u8, hi: u8| {
        let ge_lo = w.wrapping_add(ONES * u64::from(0x80 - lo));
        let gt_hi = w.wrapping_add(ONES * u64::from(0x80 - hi - 1));
        ge_lo & !gt_hi & HIGH
    };
    let upper = range(b'A', b'Z');
    (w | (upper >> 2), upper, range(b'a', b'z'))
}

/// Whether some byte of `w` may be `b` (exact when it is not; a rare false positive is fine for
/// a prefilter).
fn has_byte(w: u64, b: u8) -> bool {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGH != 0
}

/// The index of the first Python whitespace byte of the ASCII text `b` at or after `i` (or its
/// length), eight bytes at a time: whitespace is below 0x21, and a word with no byte below 0x21
/// is skipped whole; otherwise bytes are checked one by one from the first candidate.
fn next_ascii_space(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        // Exact for the lowest flagged byte (bytes below 0x80).
        let below = w.wrapping_sub(ONES * 0x21) & !w & HIGH;
        if below == 0 {
            i += 8;
            continue;
        }
        let first = i + (below.trailing_zeros() / 8) as usize;
        if let Some(k) = (first..i + 8).find(|&k| is_ascii_py_space(b[k])) {
            return k;
        }
        i += 8;
    }
    while i < b.len() && !is_ascii_py_space(b[i]) {
        i += 1;
    }
    i
}

/// `SentiText._words_and_emoticons`: split on whitespace, strip surrounding punctuation from
/// words that keep more than two characters, with each token's lowercase and `isupper()`.
fn tokenize(t: &Tables, text: &str, lower: &mut String, toks: &mut Vec<Tok>) {
    toks.clear();
    // `ascii`: the word is ASCII (then so is the token, and the other way round: stripping only
    // removes ASCII punctuation, and a word stripped to two characters or fewer is kept whole).
    let mut push = |word: &str, ascii: bool| {
        let token = if ascii {
            let b = word.as_bytes();
            let (mut start, mut end) = (0, b.len());
            while start < end && b[start].is_ascii_punctuation() {
                start += 1;
            }
            while end > start && b[end - 1].is_ascii_punctuation() {
                end -= 1;
            }
            if end - start <= 2 {
                word
            } else {
                &word[start..end]
            }
        } else {
            let stripped = word.trim_matches(|c: char| c.is_ascii_punctuation());
            if stripped.chars().count() <= 2 {
                word
            } else {
                stripped
            }
        };
        let tb = token.as_bytes();
        let (key, upper, entry, neg);
        let off = (tb.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let window = text.as_bytes().get(off..off.wrapping_add(16));
        if let (true, true, Some(window)) = (tb.len() <= 15, ascii, window) {
            // The common case, eight bytes at a time: the 16 bytes of the text from the token's
            // start, masked to its length (all ASCII then), lowercased into the packed key.
            let n = tb.len();
            let word = |k: usize| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&window[8 * k..8 * k + 8]);
                let keep = n.saturating_sub(8 * k).min(8);
                let mask = if keep == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * keep)) - 1
                };
                u64::from_le_bytes(b) & mask
            };
            let (lo, hi) = (word(0), word(1));
            let (lo, up_lo, low_lo) = swar_lower(lo);
            let (hi, up_hi, low_hi) = swar_lower(hi);
            key = (u128::from(hi | ((n as u64) << 56)) << 64) | u128::from(lo);
            upper = (up_lo | up_hi) != 0 && (low_lo | low_hi) == 0;
            entry = t.short.get(&key).copied().unwrap_or_default();
            // "n't" needs an apostrophe: look only then. `| 0x20` maps exactly `N`/`n` to `n`
            // and `T`/`t` to `t`.
            neg = entry.negate
                || (has_byte(lo, b'\'') | has_byte(hi, b'\'')
                    && tb
                        .windows(3)
                        .any(|w| w[0] | 0x20 == b'n' && w[1] == b'\'' && w[2] | 0x20 == b't'));
        } else if tb.len() <= 15 && ascii {
            // The same near the end of the text, a byte at a time.
            let (mut lo, mut hi) = (0u64, (tb.len() as u64) << 56);
            let (mut up, mut low) = (false, false);
            // "n't" in the lowercase form: `| 0x20` maps exactly `N`/`n` to `n` and `T`/`t` to
            // `t`; (p2, p1) are the two bytes before `b`.
            let (mut p2, mut p1, mut nt) = (0u8, 0u8, false);
            for (i, &b) in tb.iter().enumerate() {
                up |= b.is_ascii_uppercase();
                low |= b.is_ascii_lowercase();
                nt |= p2 | 0x20 == b'n' && p1 == b'\'' && b | 0x20 == b't';
                (p2, p1) = (p1, b);
                let l = u64::from(b.to_ascii_lowercase());
                if i < 8 {
                    lo |= l << (8 * i);
                } else {
                    hi |= l << (8 * (i - 8));
                }
            }
            key = (u128::from(hi) << 64) | u128::from(lo);
            upper = up && !low;
            entry = t.short.get(&key).copied().unwrap_or_default();
            neg = entry.negate || nt;
        } else {
            lower.clear();
            upper = if ascii {
                lower.push_str(token);
                lower.make_ascii_lowercase();
                tb.iter().any(u8::is_ascii_uppercase) && !tb.iter().any(u8::is_ascii_lowercase)
            } else {
                py_lower_into(token, lower);
                py_isupper(token)
            };
            entry = t.get(lower);
            key = pack(lower.as_bytes()).unwrap_or(0);
            neg = entry.negate || lower.as_bytes().windows(3).any(|w| w == b"n't");
        }
        toks.push(Tok {
            key,
            upper,
            neg,
            entry,
        });
    };
    if text.is_ascii() {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && is_ascii_py_space(b[i]) {
                i += 1;
            }
            let start = i;
            i = next_ascii_space(b, i);
            if start < i {
                push(&text[start..i], true);
            }
        }
    } else {
        for word in text.split(is_py_space) {
            if !word.is_empty() {
                push(word, word.is_ascii());
            }
        }
    }
}

/// `_scalar_inc_dec`: the booster contribution of a preceding token.
fn scalar_inc_dec(tok: &Tok, valence: f64, cap_diff: bool) -> f64 {
    let Some(incr) = tok.entry.boost() else {
        return 0.0;
    };
    let mut scalar = if valence < 0.0 { -incr } else { incr };
    if tok.upper && cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// `sentiment_valence` for the token at `i` (not a booster).
fn valence(toks: &[Tok], i: usize, cap_diff: bool) -> Val {
    let tok = &toks[i];
    let Some(lex) = tok.entry.lex() else {
        return INT_ZERO;
    };
    let p1 = i.checked_sub(1).and_then(|j| toks.get(j));
    let p2 = i.checked_sub(2).and_then(|j| toks.get(j));
    let p3 = i.checked_sub(3).and_then(|j| toks.get(j));
    let w = |t: Option<&Tok>| t.map_or(0, |t| t.entry.word);
    let mut v = lex;
    if tok.entry.word == W_NO && toks.get(i + 1).is_some_and(|n| n.entry.lex().is_some()) {
        v = 0.0;
    }
    if w(p1) == W_NO || w(p2) == W_NO || (w(p3) == W_NO && matches!(w(p1), W_OR | W_NOR)) {
        v = lex * N_SCALAR;
    }
    if tok.upper && cap_diff {
        if v > 0.0 {
            v += C_INCR;
        } else {
            v -= C_INCR;
        }
    }
    let mut int = false;
    if let Some(a) = p1 {
        if a.entry.lex().is_none() {
            v += scalar_inc_dec(a, v, cap_diff);
            if a.neg {
                v *= N_SCALAR;
            }
        }
        if let Some(b) = p2 {
            if b.entry.lex().is_none() {
                let mut s = scalar_inc_dec(b, v, cap_diff);
                if s != 0.0 {
                    s *= 0.95;
                }
                v += s;
                let (w1, w2) = (a.entry.word, b.entry.word);
                if w2 == W_NEVER && (w1 == W_SO || w1 == W_THIS) {
                    v *= 1.25;
                } else if w2 == W_WITHOUT && w1 == W_DOUBT {
                } else if b.neg {
                    v *= N_SCALAR;
                }
            }
            if let Some(c) = p3 {
                if c.entry.lex().is_none() {
                    let mut s = scalar_inc_dec(c, v, cap_diff);
                    if s != 0.0 {
                        s *= 0.9;
                    }
                    v += s;
                    let (w1, w2, w3) = (a.entry.word, b.entry.word, c.entry.word);
                    // Python's `and` binds tighter than `or`: a bare "so"/"this" right before
                    // the word takes this branch too.
                    if (w3 == W_NEVER && (w2 == W_SO || w2 == W_THIS))
                        || (w1 == W_SO || w1 == W_THIS)
                    {
                        v *= 1.25;
                    } else if w3 == W_WITHOUT && (w2 == W_DOUBT || w1 == W_DOUBT) {
                    } else if c.neg {
                        v *= N_SCALAR;
                    }
                    (v, int) = idioms(toks, i, v);
                }
            }
        }
    }
    // _least_check
    if let Some(a) = p1 {
        if a.entry.lex().is_none()
            && a.entry.word == W_LEAST
            && (p2.is_none() || !matches!(w(p2), W_AT | W_VERY))
        {
            return Val {
                v: v * N_SCALAR,
                int: false,
            };
        }
    }
    Val { v, int }
}

const K_THE: u128 = key("the");
const K_SHIT: u128 = key("shit");
const K_BOMB: u128 = key("bomb");
const K_BAD: u128 = key("bad");
const K_ASS: u128 = key("ass");
const K_BUS: u128 = key("bus");
const K_STOP: u128 = key("stop");
const K_YEAH: u128 = key("yeah");
const K_RIGHT: u128 = key("right");
const K_BEATING: u128 = key("beating");
const K_HEART: u128 = key("heart");
const K_KISS: u128 = key("kiss");
const K_OF: u128 = key("of");
const K_DEATH: u128 = key("death");
const K_TO: u128 = key("to");
const K_DIE: u128 = key("die");
const K_FOR: u128 = key("for");
const K_JUST: u128 = key("just");
const K_ENOUGH: u128 = key("enough");
const K_KIND: u128 = key("kind");
const K_SORT: u128 = key("sort");

/// `SPECIAL_CASES` of two words: (valence, is a Python int). (`badass` is a key too, but the
/// reference only looks up sequences of two or three words, so it never matches.)
fn special2(a: u128, b: u128) -> Option<(f64, bool)> {
    match (a, b) {
        (K_THE, K_SHIT) | (K_THE, K_BOMB) => Some((3.0, true)),
        (K_BAD, K_ASS) => Some((1.5, false)),
        (K_BUS, K_STOP) => Some((0.0, false)),
        (K_YEAH, K_RIGHT) => Some((-2.0, true)),
        (K_BEATING, K_HEART) => Some((3.5, false)),
        _ => None,
    }
}

/// `SPECIAL_CASES` of three words.
fn special3(a: u128, b: u128, c: u128) -> Option<(f64, bool)> {
    match (a, b, c) {
        (K_KISS, K_OF, K_DEATH) => Some((-1.5, false)),
        (K_TO, K_DIE, K_FOR) => Some((3.0, true)),
        _ => None,
    }
}

/// The two-word keys of `BOOSTER_DICT`.
fn booster2(a: u128, b: u128) -> Option<f64> {
    match (a, b) {
        (K_JUST, K_ENOUGH) | (K_KIND, K_OF) | (K_SORT, K_OF) => Some(-0.293),
        _ => None,
    }
}

/// `_special_idioms_check` at `i >= 3`: returns the valence and whether it is a Python int.
fn idioms(toks: &[Tok], i: usize, valence: f64) -> (f64, bool) {
    let l = |j: usize| toks[j].key;
    let (w0, w1, w2, w3) = (l(i), l(i - 1), l(i - 2), l(i - 3));
    let mut out = (valence, false);
    // onezero, twoonezero, twoone, threetwoone, threetwo: the first hit wins.
    if let Some(hit) = special2(w1, w0)
        .or_else(|| special3(w2, w1, w0))
        .or_else(|| special2(w2, w1))
        .or_else(|| special3(w3, w2, w1))
        .or_else(|| special2(w3, w2))
    {
        out = hit;
    }
    if i + 1 < toks.len() {
        let n1 = l(i + 1);
        if let Some(hit) = special2(w0, n1) {
            out = hit;
        }
        if i + 2 < toks.len() {
            if let Some(hit) = special3(w0, n1, l(i + 2)) {
                out = hit;
            }
        }
    }
    // Booster n-grams threetwoone, threetwo, twoone: only two-word keys exist.
    for incr in [booster2(w3, w2), booster2(w2, w1)].into_iter().flatten() {
        out = (out.0 + incr, false);
    }
    out
}

/// `_but_check`, quirk included: each value is re-found with `list.index`, the first equal
/// value (`0 == 0.0 == -0.0`), and that slot is reweighted by its position against the first
/// "but".
fn but_check(vals: &mut [Val], bi: usize) {
    fn weight(si: usize, bi: usize) -> Option<f64> {
        match si.cmp(&bi) {
            Ordering::Less => Some(0.5),
            Ordering::Greater => Some(1.5),
            Ordering::Equal => None,
        }
    }
    if vals.len() <= 256 {
        for pos in 0..vals.len() {
            let x = vals[pos].v;
            let si = vals.iter().position(|s| s.v == x).unwrap_or(pos);
            if let Some(w) = weight(si, bi) {
                vals[si] = Val {
                    v: x * w,
                    int: false,
                };
            }
        }
        return;
    }
    // Long texts: the first position of each value from an index, O(n log n).
    fn key(v: f64) -> u64 {
        if v == 0.0 {
            0
        } else {
            v.to_bits()
        }
    }
    let mut first: HashMap<u64, BTreeSet<usize>> = HashMap::new();
    for (pos, s) in vals.iter().enumerate() {
        first.entry(key(s.v)).or_default().insert(pos);
    }
    for pos in 0..vals.len() {
        let x = vals[pos].v;
        let si = first
            .get(&key(x))
            .and_then(|set| set.first().copied())
            .unwrap_or(pos);
        if let Some(w) = weight(si, bi) {
            let new = x * w;
            if let Some(set) = first.get_mut(&key(vals[si].v)) {
                set.remove(&si);
            }
            first.entry(key(new)).or_default().insert(si);
            vals[si] = Val { v: new, int: false };
        }
    }
}

/// CPython's `sum()` of the sentiments: ints add exactly until the first float, which is added
/// plainly; from there on Neumaier-compensated addition (CPython >= 3.12).
fn python_sum(vals: &[Val]) -> f64 {
    let mut it = vals.iter();
    let mut int_sum = 0.0_f64;
    let mut total = loop {
        match it.next() {
            None => return int_sum,
            Some(x) if x.int => int_sum += x.v,
            Some(x) => break int_sum + x.v,
        }
    };
    let mut comp = 0.0_f64;
    for x in it {
        let x = x.v;
        let t = total + x;
        if total.abs() >= x.abs() {
            comp += (total - t) + x;
        } else {
            comp += (x - t) + total;
        }
        total = t;
    }
    if comp != 0.0 && comp.is_finite() {
        total += comp;
    }
    total
}

/// `score_valence`: the compound and the three proportions, rounded like Python's `round`.
fn score_valence(vals: &[Val], text: &str) -> Vader {
    if vals.is_empty() {
        return Vader {
            neg: 0.0,
            neu: 0.0,
            pos: 0.0,
            compound: 0.0,
        };
    }
    let (mut bangs, mut qms) = (0usize, 0usize);
    for b in text.bytes() {
        bangs += usize::from(b == b'!');
        qms += usize::from(b == b'?');
    }
    let ep = (bangs.min(4) as f64) * 0.292;
    let qm = match qms {
        0 | 1 => 0.0,
        2 | 3 => (qms as f64) * 0.18,
        _ => 0.96,
    };
    let amplifier = ep + qm;
    let mut sum = python_sum(vals);
    if sum > 0.0 {
        sum += amplifier;
    } else if sum < 0.0 {
        sum -= amplifier;
    }
    let compound = (sum / ((sum * sum) + 15.0).sqrt()).clamp(-1.0, 1.0);
    let (mut pos_sum, mut neg_sum, mut neu) = (0.0_f64, 0.0_f64, 0.0_f64);
    for s in vals {
        if s.v > 0.0 {
            pos_sum += s.v + 1.0;
        }
        if s.v < 0.0 {
            neg_sum += s.v - 1.0;
        }
        if s.v == 0.0 {
            neu += 1.0;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += amplifier;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= amplifier;
    }
    let total = pos_sum + neg_sum.abs() + neu;
    Vader {
        neg: py_round((neg_sum / total).abs(), 3),
        neu: py_round((neu / total).abs(), 3),
        pos: py_round((pos_sum / total).abs(), 3),
        compound: py_round(compound, 4),
    }
}

/// Python's `round(x, digits)`: the exact binary value rounded to `digits` decimals (ties to
/// even), then the nearest double. When `x * 10^digits` is clearly away from a half, the
/// integer it rounds to is the decimal one and `n / 10^digits` (one correctly rounded
/// division) is that nearest double; near a half, the decimal formatting of Rust decides, which
/// is exact.
fn py_round(x: f64, digits: usize) -> f64 {
    let scale = if digits == 3 { 1e3 } else { 1e4 };
    let y = x * scale;
    let frac = y - y.trunc();
    if y.abs() < 1e15 && (frac.abs() - 0.5).abs() > 1e-6 {
        return y.round() / scale;
    }
    format!("{x:.digits$}").parse::<f64>().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow_round(x: f64, digits: usize) -> f64 {
        format!("{x:.digits$}").parse::<f64>().unwrap()
    }

    #[test]
    fn round_matches_python() {
        // Python: round(0.0625, 3) == 0.062 (a tie: to even), round(0.00005, 4) == 0.0001,
        // round(-0.00004, 3) == -0.0.
        assert_eq!(py_round(0.0625, 3).to_bits(), 0.062_f64.to_bits());
        assert_eq!(py_round(0.000_05, 4).to_bits(), 0.0001_f64.to_bits());
        assert_eq!(py_round(-0.000_04, 3).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(py_round(0.8316, 4).to_bits(), 0.8316_f64.to_bits());
        // The fast path agrees with decimal formatting everywhere in [-1, 1].
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for k in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
            // Every 4th value sits exactly on a decimal half.
            let x = if k % 4 == 0 {
                ((x * 1e4).trunc() + 0.5) / 1e4
            } else {
                x
            };
            for d in [3, 4] {
                assert_eq!(
                    py_round(x, d).to_bits(),
                    slow_round(x, d).to_bits(),
                    "{x} {d}"
                );
            }
        }
    }

    #[test]
    fn casing_is_cpython() {
        let lower = |s: &str| {
            let mut out = String::new();
            py_lower_into(s, &mut out);
            out
        };
        assert!(py_isupper("ÉTÉ"));
        assert!(!py_isupper("Été"));
        assert!(!py_isupper("\u{01C5}"));
        assert!(!py_isupper("\u{A7CE}"));
        assert!(py_isupper("\u{24B6}"));
        assert_eq!(lower("ΑΣ"), "ας");
        assert_eq!(lower("ΣΑ"), "σα");
        assert_eq!(lower("İ"), "i\u{307}");
        assert_eq!(lower("\u{212A}IND"), "kind");
    }

    #[test]
    fn swar_lower_is_ascii_lowercase() {
        for b in 0u8..0x80 {
            for pos in 0..8 {
                let w = u64::from(b) << (8 * pos) | 0x4161_7a5a_3027_6e00 & !(0xff << (8 * pos));
                let (lowered, up, low) = swar_lower(w);
                let bytes = w.to_le_bytes();
                let expect: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
                assert_eq!(lowered.to_le_bytes().to_vec(), expect, "{w:x}");
                assert_eq!(up != 0, bytes.iter().any(u8::is_ascii_uppercase), "{w:x}");
                assert_eq!(low != 0, bytes.iter().any(u8::is_ascii_lowercase), "{w:x}");
                assert_eq!(has_byte(w, b'\''), bytes.contains(&b'\''), "{w:x}");
            }
        }
    }

    #[test]
    fn next_ascii_space_is_the_scalar_scan() {
        let alphabet = b"a !\t\n\x01\x0e\x1b\x1c\x1f\x20\x7f~";
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let text: Vec<u8> = (0..len)
                .map(|k| alphabet[((state >> (k % 60)) as usize + k * 7) % alphabet.len()])
                .collect();
            for i in 0..=len {
                let mut j = i;
                while j < len && !is_ascii_py_space(text[j]) {
                    j += 1;
                }
                assert_eq!(next_ascii_space(&text, i), j, "{text:?} from {i}");
            }
        }
    }

    #[test]
    fn table_sizes() {
        let t = tables();
        assert_eq!(t.emoji.len(), 1212);
        let entries = || t.short.values().chain(t.long.values());
        assert_eq!(entries().filter(|e| e.lex().is_some()).count(), 7506);
        assert_eq!(entries().filter(|e| e.boost().is_some()).count(), 84);
    }
}
