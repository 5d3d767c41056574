//! Formatting: human-readable tables and JSON. Nothing here talks to the API.

use std::io::Write;

use comfy_table::{presets, ContentArrangement, Table};
use serde_json::{json, Value};
use webcare::model::{Configuration, ResultWithContext};
use webcare::{Ack, Score, SsoToken, WebcareResult};

/// How many characters of a message text a table shows.
pub const TEXT_WIDTH: usize = 50;

/// Write text to stdout (a line break is added).
pub fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()
}

/// Serialize to one line of JSON.
pub fn json_line<T: serde::Serialize>(value: &T) -> Result<String, webcare::Error> {
    serde_json::to_string(value)
        .map_err(|e| webcare::Error::decode(format!("could not serialize the output: {e}")))
}

/// A text on one line, at most `width` characters (an ellipsis marks a cut).
pub fn truncate(text: &str, width: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= width {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The source name of a result (`twitter`), or its number when unknown.
pub fn source_name(r: &WebcareResult) -> String {
    r.source_kind()
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|| r.source.to_string())
}

/// `YYYY-MM-DD HH:MM` for an RFC 3339 time, or the time as served.
pub fn short_time(t: Option<&str>) -> String {
    let Some(t) = t else {
        return String::new();
    };
    match chrono_like_short(t) {
        Some(s) => s,
        None => t.to_string(),
    }
}

fn chrono_like_short(t: &str) -> Option<String> {
    // 2024-05-01T10:11:12Z -> 2024-05-01 10:11
    let b = t.as_bytes();
    if b.len() >= 16 && b[4] == b'-' && b[7] == b'-' && (b[10] == b'T' || b[10] == b' ') {
        let date = t.get(0..10)?;
        let hm = t.get(11..16)?;
        return Some(format!("{date} {hm}"));
    }
    None
}

fn new_table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    t
}

/// A table of results: id, time, source, sentiment, case, author, text.
pub fn results_table(results: &[WebcareResult]) -> String {
    let mut t = new_table();
    t.set_header(vec![
        "id",
        "time",
        "source",
        "sentiment",
        "case",
        "author",
        "text",
    ]);
    for r in results {
        t.add_row(vec![
            r.unique_id.to_string(),
            short_time(r.time.as_deref()),
            source_name(r),
            r.sentiment_class().filter_name().to_string(),
            r.case_id.clone().unwrap_or_default(),
            truncate(r.title.as_deref().unwrap_or(""), 20),
            truncate(r.description.as_deref().unwrap_or(""), TEXT_WIDTH),
        ]);
    }
    t.to_string()
}

/// One line for a result (used by `watch`).
pub fn result_line(r: &WebcareResult) -> String {
    format!(
        "#{} {} {} {} case {}{}: {}",
        r.unique_id,
        short_time(r.time.as_deref()),
        source_name(r),
        r.sentiment_class().filter_name(),
        r.case_id.as_deref().unwrap_or("-"),
        r.title
            .as_deref()
            .map(|t| format!(" {}", truncate(t, 30)))
            .unwrap_or_default(),
        truncate(r.description.as_deref().unwrap_or(""), 100),
    )
}

fn type_name(t: i64) -> &'static str {
    match t {
        1 => "page",
        2 => "post",
        3 => "comment",
        4 => "private message",
        5 => "ad",
        _ => "unknown type",
    }
}

/// The details of one result, and its conversation as a table when given.
pub fn result_details(r: &WebcareResult, context: Option<&[WebcareResult]>) -> String {
    let mut lines = Vec::new();
    lines.push(format!(
        "Result #{}{}",
        r.unique_id,
        if r.own { " (sent by the company)" } else { "" }
    ));
    let mut field = |k: &str, v: String| {
        if !v.is_empty() {
            lines.push(format!("  {k:<12} {v}"));
        }
    };
    field(
        "search",
        r.search_id.map(|s| s.to_string()).unwrap_or_default(),
    );
    field("case", r.case_id.clone().unwrap_or_default());
    field("person", r.person_id.clone().unwrap_or_default());
    field("time", r.time.clone().unwrap_or_default());
    field(
        "source",
        format!(
            "{} ({}), {}{}",
            source_name(r),
            r.source,
            type_name(r.result_type),
            if r.private { ", private" } else { "" }
        ),
    );
    field(
        "sentiment",
        format!("{} ({})", r.sentiment_class().filter_name(), r.sentiment),
    );
    let author = match (&r.title, &r.subtitle) {
        (Some(t), Some(s)) if !s.is_empty() => format!("{t} ({s})"),
        (Some(t), _) => t.clone(),
        (None, Some(s)) => s.clone(),
        (None, None) => String::new(),
    };
    field("author", author);
    field("link", r.link.clone().unwrap_or_default());
    field(
        "status",
        format!(
            "{}{}{}",
            if r.is_deleted() { "deleted" } else { "active" },
            if r.checked { ", checked" } else { "" },
            if r.bookmarked { ", bookmarked" } else { "" }
        ),
    );
    if !r.available_connections.is_empty() {
        let conns: Vec<String> = r
            .available_connections
            .iter()
            .map(|c| {
                let mut s = c.id.to_string();
                if let Some(n) = &c.name {
                    s.push_str(&format!(" {n}"));
                }
                if r.default_connection == Some(c.id) {
                    s.push_str(" (default)");
                }
                s
            })
            .collect();
        field("connections", conns.join(", "));
    }
    if !r.replies.is_empty() {
        field("replies", r.replies.join(", "));
    }
    lines.push(String::new());
    lines.push(r.description.clone().unwrap_or_default());
    if let Some(ctx) = context {
        lines.push(String::new());
        if ctx.is_empty() {
            lines.push("Conversation: no other messages.".to_string());
        } else {
            let n = ctx.len();
            lines.push(format!(
                "Conversation ({n} message{}):",
                if n == 1 { "" } else { "s" }
            ));
            let mut t = new_table();
            t.set_header(vec!["id", "time", "from", "sentiment", "text"]);
            for c in ctx {
                t.add_row(vec![
                    c.unique_id.to_string(),
                    short_time(c.time.as_deref()),
                    if c.own {
                        "company".to_string()
                    } else {
                        truncate(c.title.as_deref().unwrap_or("customer"), 20)
                    },
                    c.sentiment_class().filter_name().to_string(),
                    truncate(c.description.as_deref().unwrap_or(""), TEXT_WIDTH),
                ]);
            }
            lines.push(t.to_string());
        }
    }
    lines.join("\n")
}

/// `webcare result --json`.
pub fn result_with_context_json(r: &ResultWithContext) -> Result<String, webcare::Error> {
    json_line(r)
}

/// An acknowledgement as JSON.
pub fn ack_json(ack: &Ack, extra: Value) -> Value {
    let mut v = json!({
        "ok": true,
        "url": ack.url,
        "method": ack.method,
        "duration": ack.duration,
        "data": ack.data,
        "request_id": ack.request_id,
    });
    if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra) {
        for (k, val) in e {
            m.insert(k, val);
        }
    }
    v
}

/// An SSO token as JSON (this is the one place a token is printed: it is the command's purpose).
pub fn sso_json(email: &str, t: &SsoToken) -> Value {
    let mut v = json!({
        "email": email,
        "token": t.token.as_ref().map(|s| s.expose().to_string()),
        "expires": t.expires,
    });
    if let Some(m) = v.as_object_mut() {
        for (k, val) in &t.extra {
            m.entry(k.clone()).or_insert_with(|| val.clone());
        }
    }
    v
}

/// A sentiment score as JSON.
pub fn score_json(s: &Score) -> Value {
    json!({
        "class": s.class.as_str(),
        "label": s.class.filter_name(),
        "value": s.value(),
        "compound": s.compound,
        "negative": s.negative,
        "neutral": s.neutral,
        "positive": s.positive,
        "language": s.language.code(),
    })
}

/// A sentiment score for people.
pub fn score_text(s: &Score) -> String {
    format!(
        "{} ({})  compound {:+.4}  language {}  [neg {:.3}, neu {:.3}, pos {:.3}]",
        s.class.filter_name(),
        s.value(),
        s.compound,
        s.language.code(),
        s.negative,
        s.neutral,
        s.positive
    )
}

/// The configuration for people.
pub fn configuration_text(c: &Configuration) -> String {
    let a = &c.account;
    let mut out = Vec::new();
    out.push(format!(
        "Account: {} (member {}{})",
        if a.company.is_empty() {
            "-"
        } else {
            &a.company
        },
        if a.member_id.is_empty() {
            "-"
        } else {
            &a.member_id
        },
        a.member_since
            .as_deref()
            .map(|s| format!(", since {s}"))
            .unwrap_or_default()
    ));
    out.push(String::new());
    out.push(format!("Users ({}):", a.users.len()));
    let mut t = new_table();
    t.set_header(vec!["id", "name", "email", "admin"]);
    for u in &a.users {
        t.add_row(vec![
            u.id.to_string(),
            u.name.clone(),
            u.email.clone().unwrap_or_default(),
            if u.admin { "yes" } else { "" }.to_string(),
        ]);
    }
    out.push(t.to_string());
    out.push(String::new());
    out.push(format!("Search profiles ({}):", a.searches.len()));
    let mut t = new_table();
    t.set_header(vec!["id", "name", "sources", "tabs"]);
    for s in &a.searches {
        let tabs: Vec<&str> = s.webcare_tabs.iter().map(|t| t.name.as_str()).collect();
        t.add_row(vec![
            s.id.to_string(),
            s.name.clone(),
            s.available_sources.join(", "),
            tabs.join(", "),
        ]);
    }
    out.push(t.to_string());
    out.push(String::new());
    out.push(format!("Connections ({}):", a.connections.len()));
    let mut t = new_table();
    t.set_header(vec!["id", "name", "source"]);
    for conn in &a.connections {
        t.add_row(vec![
            conn.id.to_string(),
            conn.name.clone().unwrap_or_default(),
            conn.source
                .and_then(|s| c.source_name(s))
                .unwrap_or_default(),
        ]);
    }
    out.push(t.to_string());
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_one_line() {
        assert_eq!(truncate("a\nb  c", 10), "a b c");
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("ééééé", 5), "ééééé");
    }

    #[test]
    fn short_times() {
        assert_eq!(short_time(Some("2024-05-01T10:11:12Z")), "2024-05-01 10:11");
        assert_eq!(short_time(Some("yesterday")), "yesterday");
        assert_eq!(short_time(None), "");
    }

    #[test]
    fn table_has_the_columns() {
        let r = WebcareResult {
            unique_id: 7,
            source: 3,
            sentiment: -1,
            case_id: Some("c1".into()),
            description: Some("My internet is down".into()),
            ..Default::default()
        };
        let t = results_table(&[r]);
        for s in ["id", "twitter", "negative", "c1", "My internet is down"] {
            assert!(t.contains(s), "{t}");
        }
    }
}
