//! One function per command: build the call from the arguments, call core, print the outcome.

use std::io::{IsTerminal, Read};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use webcare::{Client, ClientBuilder, NextPage, ReplyRequest, WatchOptions, WebcareResult};

use crate::args::{
    CaseArgs, CaseOp, ConfigArgs, EventArgs, GlobalArgs, ReplyArgs, ResultArgs, ResultsArgs,
    SentimentArgs, SsoArgs, WatchArgs,
};
use crate::error::CliError;
use crate::output::{self, emit, json_line};

/// Build the client from the global options (which clap already filled from `WEBCARE_*`).
pub fn client(g: &GlobalArgs, page_size: Option<u32>) -> Result<Client, CliError> {
    let mut b = ClientBuilder::from_env();
    if let Some(u) = &g.base_url {
        b = b.base_url(u);
    }
    if let Some(u) = &g.token_url {
        b = b.token_url(u);
    }
    if let Some(id) = &g.client_id {
        b = b.client_id(id);
    }
    if let Some(s) = &g.client_secret {
        b = b.client_secret(s);
    }
    if let Some(t) = g.timeout {
        b = b
            .total_timeout(t)
            .request_timeout(t.min(Duration::from_secs(30)));
    }
    if let Some(n) = page_size {
        b = b.page_size(n);
    }
    b = b.user_agent(concat!("webcare-cli/", env!("CARGO_PKG_VERSION")));
    Ok(b.build()?)
}

/// `webcare config`.
pub async fn config(c: &Client, a: &ConfigArgs) -> Result<(), CliError> {
    let cfg = c.configuration().await?;
    if a.json {
        emit(&json_line(&cfg)?)?;
    } else {
        emit(&output::configuration_text(&cfg))?;
    }
    Ok(())
}

fn progress_style(bounded: bool) -> Option<ProgressStyle> {
    let template = if bounded {
        "{bar:40} {pos}/{len} results [{elapsed}, eta {eta}]"
    } else {
        "{spinner} {pos} results [{elapsed}]"
    };
    ProgressStyle::with_template(template).ok()
}

/// A progress bar on stderr, only when stderr is a terminal.
fn progress_bar(max: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(max, ProgressDrawTarget::stderr());
    if let Some(s) = progress_style(max.is_some()) {
        pb.set_style(s);
    }
    pb
}

/// `webcare results`.
pub async fn results(g: &GlobalArgs, a: &ResultsArgs) -> Result<(), CliError> {
    let mut flags = a.filter.clone();
    // With --all, --limit caps the total; the page size is --page-size (or a `limit:` segment
    // of --filter).
    let max_results = if a.all {
        flags.limit.take().map(u64::from)
    } else {
        None
    };
    let filter = flags.to_filter()?;
    let c = client(g, a.page_size)?;
    if !a.all {
        let page = c.results().search(&a.profile, &filter).await?;
        if a.json {
            let mut out = String::new();
            for r in &page.results {
                out.push_str(&json_line(r)?);
                out.push('\n');
            }
            if !out.is_empty() {
                out.pop();
                emit(&out)?;
            }
        } else if page.results.is_empty() {
            emit("No results.")?;
        } else {
            emit(&output::results_table(&page.results))?;
            let total = page.total.map(|t| format!(" of {t}")).unwrap_or_default();
            emit(&format!(
                "{} results{total} (offset {}); use --offset or --all for more.",
                page.results.len(),
                page.offset
            ))?;
        }
        return Ok(());
    }
    let mut pager = c.results().pager(&a.profile, &filter, max_results);
    let pb = progress_bar(max_results);
    let mut collected: Vec<WebcareResult> = Vec::new();
    let mut count = 0u64;
    loop {
        let page = match pager.next_page().await {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                pb.abandon();
                return Err(e.into());
            }
        };
        if let Some(total) = page.total {
            let len = max_results.map_or(total, |m| m.min(total));
            if pb.length() != Some(len) {
                if let Some(s) = progress_style(true) {
                    pb.set_style(s);
                }
                pb.set_length(len);
            }
        }
        count += page.results.len() as u64;
        pb.inc(page.results.len() as u64);
        if a.json {
            let mut out = String::new();
            for r in &page.results {
                out.push_str(&json_line(r)?);
                out.push('\n');
            }
            out.pop();
            pb.suspend(|| emit(&out))?;
        } else {
            collected.extend(page.results);
        }
    }
    pb.finish_and_clear();
    if !a.json {
        if collected.is_empty() {
            emit("No results.")?;
        } else {
            emit(&output::results_table(&collected))?;
            emit(&format!(
                "{count} results in {} pages.",
                pager.pages_fetched()
            ))?;
        }
    }
    Ok(())
}

/// `webcare result`.
pub async fn result(c: &Client, a: &ResultArgs) -> Result<(), CliError> {
    if a.no_context {
        let r = c.results().get_no_context(a.id).await?;
        if a.json {
            emit(&json_line(&r)?)?;
        } else {
            emit(&output::result_details(&r, None))?;
        }
    } else {
        let r = c.results().get(a.id).await?;
        if a.json {
            emit(&output::result_with_context_json(&r)?)?;
        } else {
            emit(&output::result_details(&r.result, Some(&r.context)))?;
        }
    }
    Ok(())
}

/// `webcare reply`.
pub async fn reply(c: &Client, a: &ReplyArgs) -> Result<(), CliError> {
    let mut req = ReplyRequest::new(a.message.clone());
    if let Some(conn) = a.connection {
        req = req.connection(conn);
    }
    if a.private {
        req = req.private();
    }
    let sent = c.results().reply(a.id, &req).await?;
    let reply_id = sent.result.as_ref().map(|r| r.unique_id);
    // The connection used: the one given, else what the server reports on the reply.
    let connection = a.connection.or_else(|| {
        let r = sent.result.as_ref()?;
        ["connectionId", "connection"]
            .iter()
            .find_map(|k| r.extra.get(*k))
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
            .or(r.default_connection)
    });
    if a.json {
        let v = output::ack_json(
            &sent.ack,
            json!({
                "result_id": a.id,
                "reply_id": reply_id,
                "connection_id": connection,
                "public": !a.private,
                "reply": sent.result,
            }),
        );
        emit(&json_line(&v)?)?;
    } else {
        let mut line = format!("Replied to #{}", a.id);
        if let Some(conn) = connection {
            line.push_str(&format!(" from connection {conn}"));
        }
        if a.private {
            line.push_str(", privately");
        }
        if let Some(id) = reply_id {
            line.push_str(&format!(" (reply #{id})"));
        }
        line.push('.');
        emit(&line)?;
    }
    Ok(())
}

/// `webcare event`.
pub async fn event(c: &Client, a: &EventArgs) -> Result<(), CliError> {
    let ev = a.event.to_core();
    let ack = c.results().event(a.id, ev).await?;
    if a.json {
        let v = output::ack_json(&ack, json!({"result_id": a.id, "event": ev.as_str()}));
        emit(&json_line(&v)?)?;
    } else {
        emit(&format!("Sent '{ev}' on #{}.", a.id))?;
    }
    Ok(())
}

/// `webcare case ...`.
pub async fn case(c: &Client, a: &CaseArgs) -> Result<(), CliError> {
    let cases = c.cases();
    let (ack, text, extra) = match &a.op {
        CaseOp::Close { search_id, case_id } => (
            cases.close(*search_id, case_id).await?,
            format!("Closed case {case_id} (search {search_id})."),
            json!({"op": "close", "search_id": search_id, "case_id": case_id}),
        ),
        CaseOp::Handover {
            search_id,
            case_id,
            handler_id,
        } => (
            cases.hand_over(*search_id, case_id, *handler_id).await?,
            format!("Handed case {case_id} (search {search_id}) over to handler {handler_id}."),
            json!({"op": "handover", "search_id": search_id, "case_id": case_id, "handler_id": handler_id}),
        ),
        CaseOp::Release { search_id, case_id } => (
            cases.release_handler(*search_id, case_id).await?,
            format!("Released the handler of case {case_id} (search {search_id})."),
            json!({"op": "release", "search_id": search_id, "case_id": case_id}),
        ),
    };
    if a.json {
        emit(&json_line(&output::ack_json(&ack, extra))?)?;
    } else {
        emit(&text)?;
    }
    Ok(())
}

/// `webcare sso`.
pub async fn sso(c: &Client, a: &SsoArgs) -> Result<(), CliError> {
    let t = c.sso_token(&a.email).await?;
    if a.json {
        emit(&json_line(&output::sso_json(a.email.trim(), &t))?)?;
        return Ok(());
    }
    let token = t
        .token
        .as_ref()
        .map(|s| s.expose().to_string())
        .ok_or_else(|| webcare::Error::decode("the SSO response has no token"))?;
    emit(&format!("token    {token}"))?;
    if let Some(e) = &t.expires {
        emit(&format!("expires  {e}"))?;
    }
    Ok(())
}

/// `webcare sentiment` (offline).
pub fn sentiment(a: &SentimentArgs) -> Result<(), CliError> {
    let text = if a.text == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s
    } else {
        a.text.clone()
    };
    let score = webcare::sentiment::score_in(&text, a.lang.to_core());
    if a.json {
        emit(&json_line(&output::score_json(&score))?)?;
    } else {
        emit(&output::score_text(&score))?;
    }
    Ok(())
}

/// `webcare watch`: runs until `--count` results were printed or it is interrupted.
pub async fn watch(c: &Client, a: &WatchArgs) -> Result<(), CliError> {
    let f = &a.filter;
    let set_by_watcher = [
        ("--order", f.order.is_some()),
        ("--since-id", f.since_id.is_some()),
        ("--offset", f.offset.is_some()),
        ("--limit", f.limit.is_some()),
        ("--new-results", f.new_results.is_some()),
    ];
    if let Some((flag, _)) = set_by_watcher.iter().find(|(_, set)| *set) {
        return Err(webcare::Error::validation(format!(
            "watch sets the order, sinceId, offset, limit and new results itself: drop {flag} (use --since to resume)"
        ))
        .into());
    }
    let filter = f.to_filter()?;
    if filter.order.is_some()
        || filter.since_id.is_some()
        || filter.offset.is_some()
        || filter.limit.is_some()
        || filter.new_results.is_some()
    {
        return Err(webcare::Error::validation(
            "watch sets the order, sinceId, offset, limit and new results itself: remove them from --filter",
        )
        .into());
    }
    let opts = WatchOptions {
        since_id: a.since,
        poll_interval: a.interval,
    };
    let mut w = c.results().watch(&a.profile, &filter, opts);
    eprintln!(
        "Watching '{}' for new results{} (Ctrl-C to stop)...",
        a.profile,
        a.since.map(|s| format!(" after #{s}")).unwrap_or_default()
    );
    let mut printed = 0u64;
    let outcome: Result<(), CliError> = loop {
        if a.count.is_some_and(|n| printed >= n) {
            break Ok(());
        }
        let next = tokio::select! {
            r = w.next() => r,
            _ = tokio::signal::ctrl_c() => break Err(CliError::Interrupted),
        };
        let r = match next {
            Ok(r) => r,
            Err(e) if e.is_retryable() => {
                tracing::warn!(error = %e, "watch: poll failed, retrying");
                let wait = e.retry_after().unwrap_or(Duration::from_secs(2));
                tokio::select! {
                    _ = tokio::time::sleep(wait) => continue,
                    _ = tokio::signal::ctrl_c() => break Err(CliError::Interrupted),
                }
            }
            Err(e) => break Err(e.into()),
        };
        let line = if a.json {
            json_line(&r)?
        } else {
            output::result_line(&r)
        };
        emit(&line)?;
        printed += 1;
    };
    if let Some(last) = w.last_id() {
        eprintln!("Last id: {last} (resume with --since {last}).");
    }
    outcome
}
