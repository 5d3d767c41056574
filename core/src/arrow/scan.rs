//! The columnar decoder's first try: the byte scanner ([`crate::model::scan`]) reading each
//! result straight into the column builders, with the rules of `super::RowSeed` for the values
//! it reads without doubt (a page it gives up goes to the serde walk).

use std::borrow::Cow;

use super::{Columns, Row};
use crate::model::fields::{F, TIME};
use crate::model::scan::{once, Cursor, RowReader, MAX_DEPTH};

impl<'a> RowReader<'a> for Columns {
    fn row(&mut self, c: &mut Cursor<'a>) -> Option<()> {
        c.expect(b'{')?;
        let mut r = Row::default();
        let mut expected = 0;
        c.each(b'}', |c| {
            let (f, _) = c.row_key(&mut expected)?;
            match f {
                Some(F::UniqueId) => r.unique_id = Some(c.uint()?),
                Some(F::SearchId) => r.search_id = c.opt_uint()?,
                Some(F::Text(i)) => {
                    let v = c.opt_str()?;
                    match i {
                        0 => r.case_id = v,
                        1 => r.person_id = v,
                        2 => r.profile_id = v,
                        3 => r.link = v,
                        4 => r.title = v,
                        5 => r.subtitle = v,
                        6 => r.description = v,
                        TIME => r.time = v,
                        _ => {} // no column
                    }
                }
                Some(F::Private) => r.private = c.flag()?,
                Some(F::Own) => r.own = c.flag()?,
                Some(F::Source) => r.source = c.int()?,
                Some(F::Type) => r.result_type = c.int()?,
                Some(F::Status) => r.status = c.int()?,
                Some(F::Sentiment) => r.sentiment = c.int()?,
                Some(F::Checked) => r.checked = c.flag()?,
                Some(F::Bookmarked) => r.bookmarked = c.flag()?,
                Some(F::Tbrank) => r.tbrank = c.opt_int()?,
                Some(F::TagsList) => r.tags = tags(c)?,
                Some(F::Activities) => objects(c, activity)?,
                Some(F::Replies) => r.replies = count_items(c)?,
                Some(F::Notes) => {
                    count_items(c)?;
                }
                Some(F::AvailableConnections) => objects(c, connection)?,
                Some(F::DefaultConnection) => r.default_connection = c.opt_uint()?,
                Some(F::ReplyAvailable) => r.reply_available = c.flag()?,
                Some(F::LikeAvailable) => r.like_available = c.flag()?,
                None => c.skip(MAX_DEPTH)?,
            }
            Some(())
        })?;
        r.unique_id?;
        self.push_row(r, std::iter::empty());
        Some(())
    }
}

/// `tagsList`: a list of tag objects (or null); the names, as `super::TagNames` keeps them.
fn tags<'a>(c: &mut Cursor<'a>) -> Option<Vec<Cow<'a, str>>> {
    let mut names = Vec::new();
    if c.peek()? == b'n' {
        c.null()?;
        return Some(names);
    }
    c.expect(b'[')?;
    c.each(b']', |c| {
        c.expect(b'{')?;
        let mut name = Cow::Borrowed("");
        c.each(b'}', |c| {
            let key = c.key()?;
            match key.as_ref() {
                "id" => {
                    c.opt_int()?;
                }
                "name" => name = c.opt_str()?.unwrap_or(Cow::Borrowed("")),
                _ => c.skip(MAX_DEPTH)?,
            }
            Some(())
        })?;
        names.push(name);
        Some(())
    })?;
    Some(names)
}

/// One activity's fields (`super::CheckActivity`: a repeated known field is left to the typed
/// decoder).
fn activity(c: &mut Cursor<'_>) -> Option<()> {
    const KNOWN: [&str; 6] = ["id", "resultId", "actor", "activity", "subject", "time"];
    let mut seen = [false; KNOWN.len()];
    c.each(b'}', |c| {
        let key = c.key()?;
        match KNOWN.iter().position(|k| *k == key) {
            Some(i) => {
                once(seen.get_mut(i)?)?;
                if i <= 3 {
                    c.opt_int()?;
                } else {
                    c.opt_str()?;
                }
            }
            None => c.skip(MAX_DEPTH)?,
        }
        Some(())
    })
}

/// One connection object's fields (`super::CheckConnection`).
fn connection(c: &mut Cursor<'_>) -> Option<()> {
    c.each(b'}', |c| {
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
        Some(())
    })
}

/// A list of strings and integers (or null): how many items are not null.
fn count_items(c: &mut Cursor<'_>) -> Option<usize> {
    if c.peek()? == b'n' {
        return c.null().map(|()| 0);
    }
    c.expect(b'[')?;
    let mut n = 0;
    c.each(b']', |c| {
        match c.peek()? {
            b'"' => {
                c.str()?;
                n += 1;
            }
            b'n' => c.null()?,
            _ => {
                c.int()?;
                n += 1;
            }
        }
        Some(())
    })?;
    Some(n)
}

/// A list of objects (or null), each read by `item` after its opening brace.
fn objects<'a>(c: &mut Cursor<'a>, item: fn(&mut Cursor<'a>) -> Option<()>) -> Option<()> {
    if c.peek()? == b'n' {
        return c.null();
    }
    c.expect(b'[')?;
    c.each(b']', |c| {
        c.expect(b'{')?;
        item(c)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::model::scan::scan_search;

    #[test]
    fn a_sandbox_page_is_taken_whole() {
        let body = include_bytes!("../../benches/data/page500.json");
        let mut c = Columns::new(8, 0);
        let total = scan_search(body, &mut c).expect("taken");
        assert!(total.is_some());
        assert_eq!(c.unique_id.len(), 500);
    }

    #[test]
    fn odd_but_valid_values_give_the_page_up() {
        for body in [
            r#"{"data":{"results":[{"uniqueId":1,"x":1e5}]}}"#,
            r#"{"data":{"results":[{"uniqueId":1,"title":7}]}}"#,
            r#"{"data":{"results":[{"uniqueId":"1"}]}}"#,
            r#"{"data":{"results":[{"uniqueId":1,"tagsList":{"a":{"name":"x"}}}]}}"#,
            r#"{"data":{"results":[{"uniqueId":1,"activities":[{"id":1,"id":2}]}]}}"#,
            r#"{"data":{"results":[{"title":"no id"}]}}"#,
        ] {
            assert_eq!(
                scan_search(body.as_bytes(), &mut Columns::new(8, 0)),
                None,
                "{body}"
            );
        }
        let ok = r#" { "data" : { "results" : { "1" : { "uniqueId" : 1 , "private" : 1 } } , "total" : 3 } } "#;
        let mut c = Columns::new(8, 0);
        assert_eq!(scan_search(ok.as_bytes(), &mut c), Some(Some(3)));
        assert_eq!(c.private, [true]);
    }
}
