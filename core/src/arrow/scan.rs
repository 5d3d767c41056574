//! The columnar decoder's first try: a search response read byte by byte straight into the
//! column builders, for responses in the shape the API serves.
//!
//! It takes only what it can read without doubt: strings and `null` for the text fields, plain
//! integers for the numeric ones (no fractions, exponents, `-0` or more than 18 digits),
//! `true`/`false` or an integer for the flags, lists of objects for the list fields. Anything
//! else (and anything that is not JSON) makes it give up, and the page goes the serde way
//! ([`super::walk_search`]), whose rules it follows: so it never takes a response the typed
//! decoder refuses, and what it takes decodes to the same batch (tested against both).
//!
//! Where the time goes instead: no visitor per value, keys compared with the field expected
//! next (the API writes them in one order), and strings scanned eight bytes at a time.

use std::borrow::Cow;

use super::{Columns, Row};
use crate::model::status_is_success;

/// Nesting allowed in skipped values before giving up (serde_json refuses beyond 128).
const MAX_DEPTH: u8 = 32;

/// Fields are read in this order by the API (the sandbox too): each is compared with the key
/// expected next before the key is read as a string. The quotes are part of the pattern, so a
/// match is a whole key.
const ROW_KEYS: [(&[u8], F); 46] = [
    (b"\"uniqueId\"", F::UniqueId),
    (b"\"searchId\"", F::SearchId),
    (b"\"caseId\"", F::CaseId),
    (b"\"personId\"", F::PersonId),
    (b"\"profileId\"", F::ProfileId),
    (b"\"link\"", F::Link),
    (b"\"title\"", F::Title),
    (b"\"subtitle\"", F::Subtitle),
    (b"\"description\"", F::Description),
    (b"\"image\"", F::Text),
    (b"\"imageLink\"", F::Text),
    (b"\"time\"", F::Time),
    (b"\"private\"", F::Private),
    (b"\"own\"", F::Own),
    (b"\"source\"", F::Source),
    (b"\"type\"", F::Type),
    (b"\"status\"", F::Status),
    (b"\"sentiment\"", F::Sentiment),
    (b"\"checked\"", F::Checked),
    (b"\"bookmarked\"", F::Bookmarked),
    (b"\"tbrank\"", F::Tbrank),
    (b"\"tagsList\"", F::Tags),
    (b"\"activities\"", F::Activities),
    (b"\"replies\"", F::Replies),
    (b"\"notes\"", F::Notes),
    (b"\"draft\"", F::Text),
    (b"\"availableConnections\"", F::Connections),
    (b"\"defaultConnection\"", F::DefaultConnection),
    (b"\"replyPrefix\"", F::Text),
    (b"\"replySuffix\"", F::Text),
    (b"\"replyAvailable\"", F::ReplyAvailable),
    (b"\"likeAvailable\"", F::LikeAvailable),
    (b"\"language\"", F::Other),
    (b"\"category\"", F::Other),
    (b"\"labels\"", F::Other),
    (b"\"hashtags\"", F::Other),
    (b"\"country\"", F::Other),
    (b"\"city\"", F::Other),
    (b"\"municipality\"", F::Other),
    (b"\"province\"", F::Other),
    (b"\"author\"", F::Other),
    (b"\"authorName\"", F::Other),
    (b"\"parentId\"", F::Other),
    (b"\"typing\"", F::Other),
    (b"\"handler\"", F::Other),
    (b"\"caseStatus\"", F::Other),
];

/// What a result's field is to the columns (the match of `super::RowSeed`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum F {
    UniqueId,
    SearchId,
    CaseId,
    PersonId,
    ProfileId,
    Link,
    Title,
    Subtitle,
    Description,
    Time,
    Private,
    Own,
    Source,
    Type,
    Status,
    Sentiment,
    Checked,
    Bookmarked,
    Tbrank,
    Tags,
    Activities,
    Replies,
    Notes,
    Connections,
    DefaultConnection,
    ReplyAvailable,
    LikeAvailable,
    /// A text field without a column (checked as a lenient string).
    Text,
    /// Any other field (checked as a JSON value).
    Other,
}

fn field(key: &str) -> F {
    ROW_KEYS
        .iter()
        .find(|(quoted, _)| quoted.get(1..quoted.len() - 1) == Some(key.as_bytes()))
        .map_or(F::Other, |&(_, f)| f)
}

/// Read a search response into `cols`; `Some(data.total)` when it was taken whole (and was a
/// success), `None` to leave it to the serde walk (`cols` then holds a part: throw it away).
pub(super) fn scan_search(text: &str, cols: &mut Columns) -> Option<Option<u64>> {
    let mut c = Cursor::new(text);
    c.expect(b'{')?;
    let mut total = None;
    let mut status = None;
    let mut seen_data = false;
    if c.first(b'}')? {
        loop {
            let key = c.key()?;
            match key.as_ref() {
                "data" if !seen_data => {
                    seen_data = true;
                    total = data(&mut c, cols)?;
                }
                "status" => status = c.opt_str()?,
                // A second `data` replaces the first in the typed decoder.
                "data" => return None,
                _ => c.skip(MAX_DEPTH)?,
            }
            if !c.next(b'}')? {
                break;
            }
        }
    }
    if !c.at_end() {
        return None;
    }
    status_is_success(status.as_deref().unwrap_or("")).then_some(total)
}

fn data(c: &mut Cursor<'_>, cols: &mut Columns) -> Option<Option<u64>> {
    c.expect(b'{')?;
    let mut total = None;
    let mut seen_results = false;
    if c.first(b'}')? {
        loop {
            let key = c.key()?;
            match key.as_ref() {
                "results" if !seen_results => {
                    seen_results = true;
                    results(c, cols)?;
                }
                "results" => return None,
                "total" => total = c.opt_uint()?,
                _ => c.skip(MAX_DEPTH)?,
            }
            if !c.next(b'}')? {
                break;
            }
        }
    }
    Some(total)
}

fn results(c: &mut Cursor<'_>, cols: &mut Columns) -> Option<()> {
    match c.peek()? {
        b'{' => {
            c.i += 1;
            if c.first(b'}')? {
                loop {
                    c.key()?;
                    row(c, cols)?;
                    if !c.next(b'}')? {
                        break;
                    }
                }
            }
            Some(())
        }
        b'[' => {
            c.i += 1;
            if c.first(b']')? {
                loop {
                    row(c, cols)?;
                    if !c.next(b']')? {
                        break;
                    }
                }
            }
            Some(())
        }
        _ => c.null(),
    }
}

fn row<'a>(c: &mut Cursor<'a>, cols: &mut Columns) -> Option<()> {
    c.expect(b'{')?;
    let mut r = Row::default();
    let mut expected = 0;
    if c.first(b'}')? {
        loop {
            match c.row_key(&mut expected)? {
                F::UniqueId => r.unique_id = Some(c.uint()?),
                F::SearchId => r.search_id = c.opt_uint()?,
                F::CaseId => r.case_id = c.opt_str()?,
                F::PersonId => r.person_id = c.opt_str()?,
                F::ProfileId => r.profile_id = c.opt_str()?,
                F::Link => r.link = c.opt_str()?,
                F::Title => r.title = c.opt_str()?,
                F::Subtitle => r.subtitle = c.opt_str()?,
                F::Description => r.description = c.opt_str()?,
                F::Time => r.time = c.opt_str()?,
                F::Private => r.private = c.flag()?,
                F::Own => r.own = c.flag()?,
                F::Source => r.source = c.int()?,
                F::Type => r.result_type = c.int()?,
                F::Status => r.status = c.int()?,
                F::Sentiment => r.sentiment = c.int()?,
                F::Checked => r.checked = c.flag()?,
                F::Bookmarked => r.bookmarked = c.flag()?,
                F::Tbrank => r.tbrank = c.opt_int()?,
                F::Tags => r.tags = tags(c)?,
                F::Activities => c.objects(activity)?,
                F::Replies => r.replies = c.count_items()?,
                F::Notes => {
                    c.count_items()?;
                }
                F::Connections => c.objects(connection)?,
                F::DefaultConnection => r.default_connection = c.opt_uint()?,
                F::ReplyAvailable => r.reply_available = c.flag()?,
                F::LikeAvailable => r.like_available = c.flag()?,
                F::Text => {
                    c.opt_str()?;
                }
                F::Other => c.skip(MAX_DEPTH)?,
            }
            if !c.next(b'}')? {
                break;
            }
        }
    }
    r.unique_id?;
    cols.push_row(r, std::iter::empty());
    Some(())
}

/// `tagsList`: a list of tag objects (or null); the names, as `super::TagNames` keeps them.
fn tags<'a>(c: &mut Cursor<'a>) -> Option<Vec<Cow<'a, str>>> {
    let mut names = Vec::new();
    if c.peek()? == b'n' {
        c.null()?;
        return Some(names);
    }
    c.expect(b'[')?;
    if c.first(b']')? {
        loop {
            c.expect(b'{')?;
            let mut name = Cow::Borrowed("");
            if c.first(b'}')? {
                loop {
                    let key = c.key()?;
                    match key.as_ref() {
                        "id" => {
                            c.opt_int()?;
                        }
                        "name" => name = c.opt_str()?.unwrap_or(Cow::Borrowed("")),
                        _ => c.skip(MAX_DEPTH)?,
                    }
                    if !c.next(b'}')? {
                        break;
                    }
                }
            }
            names.push(name);
            if !c.next(b']')? {
                break;
            }
        }
    }
    Some(names)
}

/// One activity's fields (`super::CheckActivity`: a repeated known field is left to the typed
/// decoder).
fn activity(c: &mut Cursor<'_>) -> Option<()> {
    const KNOWN: [&str; 6] = ["id", "resultId", "actor", "activity", "subject", "time"];
    let mut seen = [false; KNOWN.len()];
    if c.first(b'}')? {
        loop {
            let key = c.key()?;
            match KNOWN.iter().position(|k| *k == key) {
                Some(i) if std::mem::replace(&mut seen[i], true) => return None,
                Some(0..=3) => {
                    c.opt_int()?;
                }
                Some(_) => {
                    c.opt_str()?;
                }
                None => c.skip(MAX_DEPTH)?,
            }
            if !c.next(b'}')? {
                break;
            }
        }
    }
    Some(())
}

/// One connection object's fields (`super::CheckConnection`).
fn connection(c: &mut Cursor<'_>) -> Option<()> {
    if c.first(b'}')? {
        loop {
            let key = c.key()?;
            match key.as_ref() {
                "id" => {
                    c.uint()?;
                }
                "source" => {
                    c.opt_int()?;
                }
                "name" => {
                    c.opt_str()?;
                }
                _ => c.skip(MAX_DEPTH)?,
            }
            if !c.next(b'}')? {
                break;
            }
        }
    }
    Some(())
}

/// A position in a JSON text. Every read gives `None` for what it does not take (malformed
/// JSON included), and the walk then gives up.
struct Cursor<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor { text, i: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace (not consumed).
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.i) {
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(c);
            }
            self.i += 1;
        }
        None
    }

    fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    #[inline]
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// After an opening bracket: whether an item follows (else `close` is consumed).
    #[inline]
    fn first(&mut self, close: u8) -> Option<bool> {
        if self.peek()? == close {
            self.i += 1;
            return Some(false);
        }
        Some(true)
    }

    /// After an item: whether another follows (a comma) or the list ended (`close`).
    #[inline]
    fn next(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.i += 1;
                Some(true)
            }
            c if c == close => {
                self.i += 1;
                Some(false)
            }
            _ => None,
        }
    }

    fn word(&mut self, w: &[u8]) -> Option<()> {
        self.bytes()
            .get(self.i..)?
            .starts_with(w)
            .then(|| self.i += w.len())
    }

    fn null(&mut self) -> Option<()> {
        self.peek()?;
        self.word(b"null")
    }

    /// An object key and its colon.
    #[inline]
    fn key(&mut self) -> Option<Cow<'a, str>> {
        let k = self.str()?;
        self.expect(b':')?;
        Some(k)
    }

    /// A result's key: the one expected next when it is there, else read and looked up.
    #[inline]
    fn row_key(&mut self, expected: &mut usize) -> Option<F> {
        self.peek()?;
        if let Some(&(quoted, f)) = ROW_KEYS.get(*expected) {
            if self
                .bytes()
                .get(self.i..self.i + quoted.len())
                .is_some_and(|at| same_short(at, quoted))
            {
                self.i += quoted.len();
                *expected += 1;
                self.expect(b':')?;
                return Some(f);
            }
        }
        let key = self.key()?;
        *expected = ROW_KEYS
            .iter()
            .position(|(quoted, _)| quoted.get(1..quoted.len() - 1) == Some(key.as_bytes()))
            .map_or(0, |p| p + 1);
        Some(field(&key))
    }

    /// A string literal: borrowed when it has no escapes, else decoded by serde_json (which
    /// refuses a bad escape as it would anywhere).
    #[inline]
    fn str(&mut self) -> Option<Cow<'a, str>> {
        if self.peek()? != b'"' {
            return None;
        }
        let b = self.bytes();
        let start = self.i + 1;
        let mut j = start;
        let mut escaped = false;
        loop {
            j = special(b, j);
            match *b.get(j)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    j += 2;
                }
                _ => return None, // a control character
            }
        }
        self.i = j + 1;
        if escaped {
            let literal = self.text.get(start - 1..=j)?;
            serde_json::from_str::<String>(literal).ok().map(Cow::Owned)
        } else {
            self.text.get(start..j).map(Cow::Borrowed)
        }
    }

    /// A string or null (the text fields).
    #[inline]
    fn opt_str(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' => self.str().map(Some),
            _ => self.null().map(|()| None),
        }
    }

    /// A plain integer: `-?(0|[1-9][0-9]*)`, at most 18 digits, not `-0`, not followed by a
    /// fraction or an exponent.
    #[inline]
    fn int(&mut self) -> Option<i64> {
        self.peek()?;
        let b = self.bytes();
        let mut j = self.i;
        let negative = b.get(j) == Some(&b'-');
        if negative {
            j += 1;
        }
        let first = j;
        let mut v: i64 = 0;
        while let Some(&d) = b.get(j) {
            if !d.is_ascii_digit() {
                break;
            }
            if j - first == 18 {
                return None; // a 19th digit
            }
            v = v * 10 + i64::from(d - b'0');
            j += 1;
        }
        let digits = j - first;
        if digits == 0
            || (b[first] == b'0' && (digits > 1 || negative))
            || matches!(b.get(j), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        self.i = j;
        Some(if negative { -v } else { v })
    }

    fn uint(&mut self) -> Option<u64> {
        u64::try_from(self.int()?).ok()
    }

    fn opt_int(&mut self) -> Option<Option<i64>> {
        match self.peek()? {
            b'n' => self.null().map(|()| None),
            _ => self.int().map(Some),
        }
    }

    fn opt_uint(&mut self) -> Option<Option<u64>> {
        match self.peek()? {
            b'n' => self.null().map(|()| None),
            _ => self.uint().map(Some),
        }
    }

    /// `true`, `false` or an integer (non-zero is true).
    #[inline]
    fn flag(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.word(b"true").map(|()| true),
            b'f' => self.word(b"false").map(|()| false),
            _ => self.int().map(|v| v != 0),
        }
    }

    /// A list of strings and integers (or null): how many items are not null.
    fn count_items(&mut self) -> Option<usize> {
        if self.peek()? == b'n' {
            return self.null().map(|()| 0);
        }
        self.expect(b'[')?;
        let mut n = 0;
        if self.first(b']')? {
            loop {
                match self.peek()? {
                    b'"' => {
                        self.str()?;
                        n += 1;
                    }
                    b'n' => self.null()?,
                    _ => {
                        self.int()?;
                        n += 1;
                    }
                }
                if !self.next(b']')? {
                    break;
                }
            }
        }
        Some(n)
    }

    /// A list of objects (or null), each read by `item` after its opening brace.
    fn objects(&mut self, item: fn(&mut Cursor<'a>) -> Option<()>) -> Option<()> {
        if self.peek()? == b'n' {
            return self.null();
        }
        self.expect(b'[')?;
        if self.first(b']')? {
            loop {
                self.expect(b'{')?;
                item(self)?;
                if !self.next(b']')? {
                    break;
                }
            }
        }
        Some(())
    }

    /// Any JSON value, taken where a `serde_json::Value` would take it (and where `IgnoredAny`
    /// would): numbers only without an exponent (with one, it could be beyond a double).
    fn skip(&mut self, depth: u8) -> Option<()> {
        match self.peek()? {
            b'"' => self.str().map(drop),
            b'n' => self.word(b"null"),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'[' | b'{' if depth == 0 => None,
            b'[' => {
                self.i += 1;
                if self.first(b']')? {
                    loop {
                        self.skip(depth - 1)?;
                        if !self.next(b']')? {
                            break;
                        }
                    }
                }
                Some(())
            }
            b'{' => {
                self.i += 1;
                if self.first(b'}')? {
                    loop {
                        self.key()?;
                        self.skip(depth - 1)?;
                        if !self.next(b'}')? {
                            break;
                        }
                    }
                }
                Some(())
            }
            _ => self.number(),
        }
    }

    /// A number in JSON's grammar without an exponent, at most 300 digits (so any double).
    fn number(&mut self) -> Option<()> {
        let b = self.bytes();
        let start = self.i;
        let mut j = start;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        let digits = |mut j: usize| {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            j
        };
        let int_end = digits(j);
        if int_end == j || (b[j] == b'0' && int_end > j + 1) {
            return None;
        }
        j = int_end;
        if b.get(j) == Some(&b'.') {
            let frac_end = digits(j + 1);
            if frac_end == j + 1 {
                return None;
            }
            j = frac_end;
        }
        if matches!(b.get(j), Some(b'e' | b'E')) || j - start > 300 {
            return None;
        }
        self.i = j;
        Some(())
    }
}

/// `a == b` for slices of the same length of at least 4 bytes (keys), in word loads rather
/// than a call to `memcmp` (a tenth of the scan's time when it was one).
#[inline]
fn same_short(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
        let mut w = [0u8; N];
        w.copy_from_slice(&s[at..at + N]);
        w
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return n >= 4
            && word::<4>(a, 0) == word::<4>(b, 0)
            && word::<4>(a, n - 4) == word::<4>(b, n - 4);
    }
    let mut k = 0;
    while k + 8 < n {
        if word::<8>(a, k) != word::<8>(b, k) {
            return false;
        }
        k += 8;
    }
    word::<8>(a, n - 8) == word::<8>(b, n - 8)
}

/// The index of the first `"`, `\` or control character at or after `j` (or the end).
#[inline]
fn special(b: &[u8], mut j: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(j..j + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let hits = zero_in(v ^ (ONES * u64::from(b'"')))
            | zero_in(v ^ (ONES * u64::from(b'\\')))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
        if hits != 0 {
            // The lowest flagged byte is a real hit (a borrow only flags bytes above one).
            return j + (hits.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while let Some(&c) = b.get(j) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn cols() -> Columns {
        Columns::new(8, 0)
    }

    #[test]
    fn a_sandbox_page_is_taken_whole() {
        let body = include_str!("../../benches/data/page500.json");
        let mut c = cols();
        let total = scan_search(body, &mut c).expect("taken");
        assert!(total.is_some());
        assert_eq!(c.unique_id.len(), 500);
    }

    #[test]
    fn special_finds_the_first_quote_backslash_or_control_character() {
        let reference = |b: &[u8], from: usize| {
            (from..b.len())
                .find(|&j| b[j] == b'"' || b[j] == b'\\' || b[j] < 0x20)
                .unwrap_or(b.len())
        };
        let mut texts: Vec<Vec<u8>> = [
            "abc\"",
            "abcdefghijklmnop\"",
            "abcdefgh\\ijk",
            "h\u{e9}llo w\u{f6}rld, \u{1}x",
            "\"",
            "no end",
            "\u{e9}\u{20ac}\u{1d11e} \u{fc}n\u{ef}c\u{f6}d\u{e9} and then \" ",
            "!!!!!!!!!!!!!!!!\u{1f}",
        ]
        .iter()
        .map(|t| t.as_bytes().to_vec())
        .collect();
        // Every special byte after every other byte value, at every offset in a word: a high
        // byte before a hit must not hide it or be taken for one.
        for special in [b'"', b'\\', 0x00, 0x1f] {
            for before in [0x21u8, 0x7f, 0x80, 0xa0, 0xff] {
                for at in 0..17 {
                    let mut t = vec![before; at];
                    t.push(special);
                    t.extend_from_slice(b"tail\"");
                    texts.push(t);
                }
            }
        }
        for t in &texts {
            for from in 0..t.len().min(3) {
                assert_eq!(special(t, from), reference(t, from), "{t:?} from {from}");
            }
        }
    }

    #[test]
    fn short_slices_compare_as_slices_do() {
        let texts: Vec<&[u8]> = vec![
            b"abcd",
            b"abce",
            b"\"own\"",
            b"\"own!",
            b"12345678",
            b"12345679",
            b"\"availableConnections\"",
            b"\"availableConnectionz\"",
            b"\"xvailableConnections\"",
            b"0123456789abcdefg",
            b"0123456789abcdefh",
            b"0123456789abcdefgh",
            b"0123456789abcdefgH",
        ];
        for a in &texts {
            for b in &texts {
                if a.len() == b.len() {
                    assert_eq!(same_short(a, b), a == b, "{a:?} {b:?}");
                }
            }
        }
        assert!(!same_short(b"abcd", b"abcde"));
    }

    #[test]
    fn integers_are_taken_only_in_their_plain_form() {
        let read = |t: &str| Cursor::new(t).int();
        assert_eq!(read("0"), Some(0));
        assert_eq!(read("-12,"), Some(-12));
        assert_eq!(read("999999999999999999"), Some(999_999_999_999_999_999));
        for t in ["-0", "01", "1.0", "1e3", "-", "9999999999999999999", "x"] {
            assert_eq!(read(t), None, "{t}");
        }
    }

    #[test]
    fn strings_with_escapes_are_decoded_and_bad_ones_refused() {
        let read = |t: &str| Cursor::new(t).str().map(Cow::into_owned);
        assert_eq!(read(r#""plain""#).as_deref(), Some("plain"));
        assert_eq!(read(r#""a\"b\\c\u00e9""#).as_deref(), Some("a\"b\\cé"));
        assert_eq!(read(r#""\ud83d\ude00""#).as_deref(), Some("😀"));
        for t in [r#""\ud800""#, r#""\x""#, "\"tab\there\"", r#""open"#] {
            assert_eq!(read(t), None, "{t}");
        }
    }

    #[test]
    fn odd_but_valid_pages_are_left_to_the_serde_walk() {
        for body in [
            r#"{"data":{"results":[{"uniqueId":1,"x":1e5}]}}"#,
            r#"{"data":{"results":[{"uniqueId":1,"title":7}]}}"#,
            r#"{"data":{"results":[{"uniqueId":"1"}]}}"#,
            r#"{"data":{"results":[{"uniqueId":1,"tagsList":{"a":{"name":"x"}}}]}}"#,
            r#"{"data":{"results":[{"uniqueId":1,"activities":[{"id":1,"id":2}]}]}}"#,
        ] {
            assert_eq!(scan_search(body, &mut cols()), None, "{body}");
        }
        let ok = r#" { "data" : { "results" : { "1" : { "uniqueId" : 1 , "private" : 1 } } , "total" : 3 } } "#;
        assert_eq!(scan_search(ok, &mut cols()), Some(Some(3)));
    }
}
