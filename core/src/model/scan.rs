//! A strict JSON cursor for the fast page decoders' first try: a search response read byte by
//! byte, for responses in the shape the API serves (the columnar decoder, `crate::arrow`, and
//! the JSON transcoder, `crate::json`, each read the results their way).
//!
//! It takes only what it can read without doubt: strings and `null` for the text fields, plain
//! integers (no fractions, exponents, `-0` or more than 18 digits), `true`/`false` or an integer
//! for the flags, and JSON values without exponents elsewhere. Anything else (and anything that is
//! not JSON) gives the page up, and it goes the serde way ([`super::page_de::walk_search`]),
//! whose rules the readers follow: so a scanner never takes a response the typed decoder refuses,
//! and what it takes decodes the same (tested against the typed decoder).
//!
//! Where the time goes instead: no visitor per value, keys compared with the field expected next,
//! and strings scanned eight bytes at a time.

use std::borrow::Cow;

use super::fields::{field, DRAFT, F, TIME};
use super::status_is_success;

/// Nesting allowed in skipped values before giving up (serde_json refuses beyond 128).
pub(crate) const MAX_DEPTH: u8 = 32;

/// A result's keys in the order the API writes them (the sandbox too), and the field each
/// names (`None`: one the client does not name). Each key is compared with the one expected next
/// before it is read as a string; the quotes are part of the pattern, so a match is a whole key.
pub(crate) const ROW_KEYS: [(&[u8], Option<F>); 46] = [
    (b"\"uniqueId\"", Some(F::UniqueId)),
    (b"\"searchId\"", Some(F::SearchId)),
    (b"\"caseId\"", Some(F::Text(0))),
    (b"\"personId\"", Some(F::Text(1))),
    (b"\"profileId\"", Some(F::Text(2))),
    (b"\"link\"", Some(F::Text(3))),
    (b"\"title\"", Some(F::Text(4))),
    (b"\"subtitle\"", Some(F::Text(5))),
    (b"\"description\"", Some(F::Text(6))),
    (b"\"image\"", Some(F::Text(7))),
    (b"\"imageLink\"", Some(F::Text(8))),
    (b"\"time\"", Some(F::Text(TIME))),
    (b"\"private\"", Some(F::Private)),
    (b"\"own\"", Some(F::Own)),
    (b"\"source\"", Some(F::Source)),
    (b"\"type\"", Some(F::Type)),
    (b"\"status\"", Some(F::Status)),
    (b"\"sentiment\"", Some(F::Sentiment)),
    (b"\"checked\"", Some(F::Checked)),
    (b"\"bookmarked\"", Some(F::Bookmarked)),
    (b"\"tbrank\"", Some(F::Tbrank)),
    (b"\"tagsList\"", Some(F::TagsList)),
    (b"\"activities\"", Some(F::Activities)),
    (b"\"replies\"", Some(F::Replies)),
    (b"\"notes\"", Some(F::Notes)),
    (b"\"draft\"", Some(F::Text(DRAFT))),
    (b"\"availableConnections\"", Some(F::AvailableConnections)),
    (b"\"defaultConnection\"", Some(F::DefaultConnection)),
    (b"\"replyPrefix\"", Some(F::Text(11))),
    (b"\"replySuffix\"", Some(F::Text(12))),
    (b"\"replyAvailable\"", Some(F::ReplyAvailable)),
    (b"\"likeAvailable\"", Some(F::LikeAvailable)),
    (b"\"language\"", None),
    (b"\"category\"", None),
    (b"\"labels\"", None),
    (b"\"hashtags\"", None),
    (b"\"country\"", None),
    (b"\"city\"", None),
    (b"\"municipality\"", None),
    (b"\"province\"", None),
    (b"\"author\"", None),
    (b"\"authorName\"", None),
    (b"\"parentId\"", None),
    (b"\"typing\"", None),
    (b"\"handler\"", None),
    (b"\"caseStatus\"", None),
];

/// What a fast decoder does with each result the scanner reaches.
pub(crate) trait RowReader<'a> {
    /// Read one result (the cursor is at its opening brace); `None` gives the page up.
    fn row(&mut self, c: &mut Cursor<'a>) -> Option<()>;
}

/// Read a search response (`{"data": {"results": ..., "total": n}, "status": ...}`, as
/// [`super::page_de::walk_search`] takes it), handing each result to `rows`; `Some(data.total)`
/// when it was taken whole and was a success, `None` to leave it to the serde walk (`rows` then
/// holds a part: throw it away).
pub(crate) fn scan_search<'a, R: RowReader<'a>>(
    body: &'a [u8],
    rows: &mut R,
) -> Option<Option<u64>> {
    // Checked once for the whole body, so every slice between quotes is a `str`.
    let mut c = Cursor::new(std::str::from_utf8(body).ok()?);
    c.expect(b'{')?;
    let mut total = None;
    let mut status = None;
    let mut seen_data = false;
    let mut seen_status = false;
    // The typed decoder refuses a repeated `data` or `status`.
    c.each(b'}', |c| {
        match c.key()?.as_ref() {
            "data" => {
                once(&mut seen_data)?;
                total = data(c, rows)?;
            }
            "status" => {
                once(&mut seen_status)?;
                status = c.opt_str()?;
            }
            _ => c.skip(MAX_DEPTH)?,
        }
        Some(())
    })?;
    if !c.at_end() {
        return None;
    }
    status_is_success(status.as_deref().unwrap_or("")).then_some(total)
}

fn data<'a, R: RowReader<'a>>(c: &mut Cursor<'a>, rows: &mut R) -> Option<Option<u64>> {
    c.expect(b'{')?;
    let mut total = None;
    let mut seen_results = false;
    let mut seen_total = false;
    // The typed decoder refuses a repeated `results` or `total` (the latter on its fast path).
    c.each(b'}', |c| {
        match c.key()?.as_ref() {
            "results" => {
                once(&mut seen_results)?;
                results(c, rows)?;
            }
            "total" => {
                once(&mut seen_total)?;
                total = c.opt_uint()?;
            }
            _ => c.skip(MAX_DEPTH)?,
        }
        Some(())
    })?;
    Some(total)
}

fn results<'a, R: RowReader<'a>>(c: &mut Cursor<'a>, rows: &mut R) -> Option<()> {
    match c.peek()? {
        b'{' => {
            c.i += 1;
            c.each(b'}', |c| {
                c.key()?;
                rows.row(c)
            })
        }
        b'[' => {
            c.i += 1;
            c.each(b']', |c| rows.row(c))
        }
        _ => c.null(),
    }
}

/// The first time a field is met (`seen` is set): a repeated one gives the page up.
pub(crate) fn once(seen: &mut bool) -> Option<()> {
    (!std::mem::replace(seen, true)).then_some(())
}

/// A position in a JSON text. Every read gives `None` for what it does not take (malformed
/// JSON included), and the walk then gives up.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Cursor<'a> {
        Cursor { text, i: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not whitespace (not consumed).
    #[inline]
    pub(crate) fn peek(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.i) {
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(c);
            }
            self.i += 1;
        }
        None
    }

    pub(crate) fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    #[inline]
    pub(crate) fn expect(&mut self, c: u8) -> Option<()> {
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

    /// After an opening bracket: each item up to `close` (for an object, `item` reads the key
    /// and its value).
    #[inline]
    pub(crate) fn each(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Cursor<'a>) -> Option<()>,
    ) -> Option<()> {
        if self.first(close)? {
            loop {
                item(self)?;
                if !self.next(close)? {
                    break;
                }
            }
        }
        Some(())
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

    pub(crate) fn null(&mut self) -> Option<()> {
        self.peek()?;
        self.word(b"null")
    }

    /// An object key and its colon.
    #[inline]
    pub(crate) fn key(&mut self) -> Option<Cow<'a, str>> {
        let k = self.str()?;
        self.expect(b':')?;
        Some(k)
    }

    /// A result's key and the field it names: the key expected next (the API writes them in
    /// [`ROW_KEYS`] order) when it is there, else read and looked up.
    #[inline]
    pub(crate) fn row_key(&mut self, expected: &mut usize) -> Option<(Option<F>, Cow<'a, str>)> {
        self.peek()?;
        if let Some(&(quoted, f)) = ROW_KEYS.get(*expected) {
            let end = self.i + quoted.len();
            if self
                .bytes()
                .get(self.i..end)
                .is_some_and(|at| same_short(at, quoted))
            {
                let key = self.text.get(self.i + 1..end - 1)?;
                self.i = end;
                *expected += 1;
                self.expect(b':')?;
                return Some((f, Cow::Borrowed(key)));
            }
        }
        let key = self.key()?;
        *expected = ROW_KEYS
            .iter()
            .position(|(quoted, _)| quoted.get(1..quoted.len() - 1) == Some(key.as_bytes()))
            .map_or(0, |p| p + 1);
        Some((field(&key), key))
    }

    /// A string literal: borrowed when it has no escapes, else decoded by serde_json (which
    /// refuses a bad escape as it would anywhere).
    #[inline]
    pub(crate) fn str(&mut self) -> Option<Cow<'a, str>> {
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

    /// A string literal as written, quotes and escapes included (checked as [`Cursor::str`]).
    pub(crate) fn str_literal(&mut self) -> Option<&'a str> {
        self.peek()?;
        let start = self.i;
        self.str()?;
        self.text.get(start..self.i)
    }

    /// Any value (as [`Cursor::skip`] takes it), as written.
    pub(crate) fn raw(&mut self) -> Option<&'a str> {
        self.peek()?;
        let start = self.i;
        self.skip(MAX_DEPTH)?;
        self.text.get(start..self.i)
    }

    /// A string or null (the text fields).
    #[inline]
    pub(crate) fn opt_str(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' => self.str().map(Some),
            _ => self.null().map(|()| None),
        }
    }

    /// A plain integer: `-?(0|[1-9][0-9]*)`, at most 18 digits, not `-0`, not followed by a
    /// fraction or an exponent.
    #[inline]
    pub(crate) fn int(&mut self) -> Option<i64> {
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

    pub(crate) fn uint(&mut self) -> Option<u64> {
        u64::try_from(self.int()?).ok()
    }

    pub(crate) fn opt_int(&mut self) -> Option<Option<i64>> {
        match self.peek()? {
            b'n' => self.null().map(|()| None),
            _ => self.int().map(Some),
        }
    }

    pub(crate) fn opt_uint(&mut self) -> Option<Option<u64>> {
        match self.peek()? {
            b'n' => self.null().map(|()| None),
            _ => self.uint().map(Some),
        }
    }

    /// `true`, `false` or an integer (non-zero is true).
    #[inline]
    pub(crate) fn flag(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.word(b"true").map(|()| true),
            b'f' => self.word(b"false").map(|()| false),
            _ => self.int().map(|v| v != 0),
        }
    }

    /// Any JSON value, taken where a `serde_json::Value` would take it (and where `IgnoredAny`
    /// would): numbers only without an exponent (with one, it could be beyond a double).
    pub(crate) fn skip(&mut self, depth: u8) -> Option<()> {
        match self.peek()? {
            b'"' => self.str().map(drop),
            b'n' => self.word(b"null"),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'[' | b'{' if depth == 0 => None,
            b'[' => {
                self.i += 1;
                self.each(b']', |c| c.skip(depth - 1))
            }
            b'{' => {
                self.i += 1;
                self.each(b'}', |c| {
                    c.key()?;
                    c.skip(depth - 1)
                })
            }
            _ => self.number(),
        }
    }

    /// A number in JSON's grammar without an exponent, at most 300 digits (so any double).
    pub(crate) fn number(&mut self) -> Option<()> {
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
pub(crate) fn same_short(a: &[u8], b: &[u8]) -> bool {
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
pub(crate) fn special(b: &[u8], mut j: usize) -> usize {
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

    /// Counts the results, each skipped as a JSON value.
    struct Count(usize);

    impl<'a> RowReader<'a> for Count {
        fn row(&mut self, c: &mut Cursor<'a>) -> Option<()> {
            c.skip(MAX_DEPTH)?;
            self.0 += 1;
            Some(())
        }
    }

    fn count(body: &str) -> Option<(usize, Option<u64>)> {
        let mut n = Count(0);
        scan_search(body.as_bytes(), &mut n).map(|total| (n.0, total))
    }

    #[test]
    fn envelopes_are_taken_as_the_serde_walk_takes_them() {
        for (body, taken) in [
            (
                r#"{"data":{"results":{"1":{},"2":{}},"total":9},"status":"SUCCES"}"#,
                Some((2, Some(9))),
            ),
            (
                r#"{"data":{"results":[{}]},"messages":[],"metadata":{"duration":0.0115}}"#,
                Some((1, None)),
            ),
            (
                r#" {"status":null,"data":{"total":null,"results":null}} "#,
                Some((0, None)),
            ),
            (r#"{"data":{"results":[]},"status":"ERROR"}"#, None),
            (r#"{"data":{"results":[]},"data":{"results":[]}}"#, None),
            (r#"{"data":{"results":[],"results":[]}}"#, None),
            (r#"{"data":{"results":[],"total":-1}}"#, None),
            (r#"{"data":{"results":[]}} x"#, None),
            (r#"{"data":{"results":[]},}"#, None),
            (r#"{"data":{"results":[7]}}"#, Some((1, None))),
            (r#"{"data":{"results":[]},"m":1e5}"#, None),
            (
                r#"{"data":{"results":[]},"messages":[],"messages":[]}"#,
                Some((0, None)),
            ),
            (
                r#"{"status":"SUCCES","data":{"results":[]},"status":"SUCCES"}"#,
                None,
            ),
            (r#"{"data":{"results":[],"total":1,"total":2}}"#, None),
        ] {
            assert_eq!(count(body), taken, "{body}");
        }
    }

    #[test]
    fn the_predicted_keys_name_the_fields_the_lookup_gives() {
        for (quoted, f) in ROW_KEYS {
            let key = std::str::from_utf8(&quoted[1..quoted.len() - 1]).unwrap();
            assert_eq!(field(key), f, "{key}");
        }
    }

    #[test]
    fn keys_are_predicted_in_the_api_order_and_looked_up_otherwise() {
        let mut c =
            Cursor::new(r#""uniqueId":1,"searchId":2,"language":3,"own":4,"weird\u0041":5"#);
        let mut expected = 0;
        let mut seen = Vec::new();
        loop {
            let (f, key) = c.row_key(&mut expected).unwrap();
            seen.push((f.is_some(), key.into_owned(), expected));
            c.int().unwrap();
            if c.next(b'}').is_none() {
                break;
            }
        }
        let names: Vec<_> = seen.iter().map(|(_, k, _)| k.as_str()).collect();
        assert_eq!(names, ["uniqueId", "searchId", "language", "own", "weirdA"]);
        assert_eq!(
            seen.iter().map(|s| s.0).collect::<Vec<_>>(),
            [true, true, false, true, false]
        );
        // After `own` (looked up), the key after it in the API order is expected.
        assert_eq!(seen[3].2, 14);
        assert_eq!(seen[4].2, 0);
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
}
