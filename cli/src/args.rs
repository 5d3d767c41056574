//! Command-line arguments (clap derive). Parsing of filter values is done by core's parsers.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use webcare::{Filter, NewResults, Order, Period, SentimentClass, Source};

/// The webcare command line: query, reply, events, cases, sentiment, and a local sandbox.
#[derive(Debug, Parser)]
#[command(
    name = "webcare",
    version,
    about = "Command line client for the Parley Webcare API (KPN SocialMediaWebcare - Tracebuzz)",
    long_about = "Command line client for the Parley Webcare API (KPN SocialMediaWebcare - Tracebuzz).\n\n\
        Credentials come from --client-id/--client-secret or WEBCARE_CLIENT_ID/WEBCARE_CLIENT_SECRET; \
        the API from --base-url or WEBCARE_BASE_URL (default: production). `webcare sandbox` runs a \
        local API and prints credentials for it.",
    after_help = "Exit codes: 0 ok, 1 other failure, 2 usage or validation, 3 auth (401/403), 4 not found, \
        5 rate limited, 6 server/network/timeout, 7 decode, 8 config, 130 interrupted."
)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// API base URL (default: the production API).
    #[arg(long, global = true, env = "WEBCARE_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,

    /// Token URL (default: /oauth/client_credential/accesstoken on the base URL's host).
    #[arg(long, global = true, env = "WEBCARE_TOKEN_URL", value_name = "URL")]
    pub token_url: Option<String>,

    /// OAuth2 client id.
    #[arg(long, global = true, env = "WEBCARE_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,

    /// OAuth2 client secret (prefer the environment variable: arguments are visible to other users).
    #[arg(
        long,
        global = true,
        env = "WEBCARE_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub client_secret: Option<String>,

    /// Whole-call timeout in seconds, retries included (default 120).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Log to stderr: -v info, -vv debug, -vvv trace (tokens are redacted).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a local sandbox API and print its base URL, client id and secret.
    Sandbox(webcare_sandbox::SandboxArgs),
    /// Show the account configuration: users (handlers), search profiles, connections.
    Config(ConfigArgs),

    /// Search results of a search profile (one page, or every page with --all).
    Results(ResultsArgs),

    /// Show one result and its conversation context.
    Result(ResultArgs),

    /// Reply to a result.
    Reply(ReplyArgs),

    /// Send an event on a result: starttyping, stoptyping, opened or closed.
    Event(EventArgs),

    /// Case operations: close, hand over to a handler, release the handler.
    Case(CaseArgs),

    /// Get a single sign-on token for a user (prints the token).
    Sso(SsoArgs),

    /// Score the sentiment of a text offline (English or Dutch).
    Sentiment(SentimentArgs),

    /// Print new results of a search profile as they arrive.
    Watch(WatchArgs),
}

/// `webcare config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the configuration as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `webcare results`.
#[derive(Debug, Args)]
pub struct ResultsArgs {
    /// The search profile name.
    pub profile: String,

    /// Filters.
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Fetch every page. --limit then caps the total number of results.
    #[arg(long)]
    pub all: bool,

    /// Page size for --all (default 100).
    #[arg(long, value_name = "N", requires = "all", value_parser = clap::value_parser!(u32).range(1..))]
    pub page_size: Option<u32>,

    /// Print JSON Lines: one result object per line.
    #[arg(long)]
    pub json: bool,
}

/// `webcare result`.
#[derive(Debug, Args)]
pub struct ResultArgs {
    /// The result id.
    pub id: u64,

    /// Fetch the result alone, without its conversation context.
    #[arg(long)]
    pub no_context: bool,

    /// Print JSON: {"result": ..., "context": [...]}, or the result alone with --no-context.
    #[arg(long)]
    pub json: bool,
}

/// `webcare reply`.
#[derive(Debug, Args)]
pub struct ReplyArgs {
    /// The result id to reply to.
    pub id: u64,

    /// The reply text.
    #[arg(long, short)]
    pub message: String,

    /// The connection to reply from (default: the result's default connection).
    #[arg(long, value_name = "ID")]
    pub connection: Option<u64>,

    /// Reply privately (default: public).
    #[arg(long)]
    pub private: bool,

    /// Print the outcome as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// The event names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventName {
    /// The agent started typing.
    Starttyping,
    /// The agent stopped typing.
    Stoptyping,
    /// The result was opened.
    Opened,
    /// The result was closed.
    Closed,
}

impl EventName {
    /// The core event.
    pub fn to_core(self) -> webcare::Event {
        match self {
            EventName::Starttyping => webcare::Event::StartTyping,
            EventName::Stoptyping => webcare::Event::StopTyping,
            EventName::Opened => webcare::Event::Opened,
            EventName::Closed => webcare::Event::Closed,
        }
    }
}

/// `webcare event`.
#[derive(Debug, Args)]
pub struct EventArgs {
    /// The result id.
    pub id: u64,

    /// The event.
    #[arg(value_enum)]
    pub event: EventName,

    /// Print the acknowledgement as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `webcare case`.
#[derive(Debug, Args)]
pub struct CaseArgs {
    /// The operation.
    #[command(subcommand)]
    pub op: CaseOp,

    /// Print the acknowledgement as one JSON object.
    #[arg(long, global = true)]
    pub json: bool,
}

/// Case operations.
#[derive(Debug, Subcommand)]
pub enum CaseOp {
    /// Close a case.
    Close {
        /// The search (profile) id (`searchId` of a result).
        search_id: u64,
        /// The case id (`caseId` of a result).
        case_id: String,
    },
    /// Close a case and hand it over to another handler.
    #[command(alias = "hand-over")]
    Handover {
        /// The search (profile) id.
        search_id: u64,
        /// The case id.
        case_id: String,
        /// The handler's user id (see `webcare config`).
        handler_id: u64,
    },
    /// Release the handler of a case (leave it without one).
    Release {
        /// The search (profile) id.
        search_id: u64,
        /// The case id.
        case_id: String,
    },
}

/// `webcare sso`.
#[derive(Debug, Args)]
pub struct SsoArgs {
    /// The user's e-mail address.
    pub email: String,

    /// Print {"email", "token", "expires", ...} as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// The language option of `webcare sentiment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Detect English or Dutch.
    Auto,
    /// English (VADER).
    En,
    /// Dutch.
    Nl,
}

impl Lang {
    /// The core language.
    pub fn to_core(self) -> webcare::Language {
        match self {
            Lang::Auto => webcare::Language::Auto,
            Lang::En => webcare::Language::English,
            Lang::Nl => webcare::Language::Dutch,
        }
    }
}

/// `webcare sentiment`.
#[derive(Debug, Args)]
pub struct SentimentArgs {
    /// The text to score (`-` reads standard input).
    pub text: String,

    /// The language.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: Lang,

    /// Print the score as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `webcare watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The search profile name.
    pub profile: String,

    /// Filters (order, --since-id, --offset, --limit and --new-results are set by the watcher).
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Resume after this result id (exclusive). Default: only results that arrive from now on.
    #[arg(long, value_name = "ID")]
    pub since: Option<u64>,

    /// Stop after this many results (default: run until interrupted).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Seconds between polls when nothing is new (default 2).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub interval: Option<Duration>,

    /// Print JSON Lines: one result object per line.
    #[arg(long)]
    pub json: bool,
}

/// `most-recent` or `least-recent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    /// Newest first.
    MostRecent,
    /// Oldest first.
    LeastRecent,
}

/// `true` or `reset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewResultsArg {
    /// Only results not yet delivered to this API client.
    True,
    /// Forget what was delivered, then behave as `true`.
    Reset,
}

/// Filter flags; they mirror core's `Filter`.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// A raw filter path, e.g. `source:twitter/negative/day` (merged with the flags; setting
    /// the same filter twice is an error).
    #[arg(long = "filter", value_name = "PATH")]
    pub path: Option<String>,

    /// Source(s): twitter, facebook, instagram, linkedin, whatsapp, blogs, forums, news, web,
    /// print, rtv, irischat (repeat or comma-separate).
    #[arg(long, value_name = "SOURCE", value_delimiter = ',', value_parser = parse_source)]
    pub source: Vec<Source>,

    /// Sentiment: very-negative, negative, neutral, positive, very-positive (or -2..2).
    #[arg(long, value_name = "CLASS", value_parser = parse_sentiment, allow_hyphen_values = true)]
    pub sentiment: Option<SentimentClass>,

    /// Period: day, week, month, year, or START,END (UTC, YYYY-MM-DDTHH:MM:SS).
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    pub period: Option<Period>,

    /// `category:NAME`.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,

    /// `label:NAME`.
    #[arg(long, value_name = "NAME")]
    pub label: Option<String>,

    /// `hashtag:TAG`.
    #[arg(long, value_name = "TAG")]
    pub hashtag: Option<String>,

    /// `website:URL`.
    #[arg(long, value_name = "URL")]
    pub website: Option<String>,

    /// `word:WORD`.
    #[arg(long, value_name = "WORD")]
    pub word: Option<String>,

    /// `profile:NAME`: the author's profile name on the source.
    #[arg(long, value_name = "NAME")]
    pub author_profile: Option<String>,

    /// `country:NAME`.
    #[arg(long, value_name = "NAME")]
    pub country: Option<String>,

    /// `city:NAME`.
    #[arg(long, value_name = "NAME")]
    pub city: Option<String>,

    /// `municipality:NAME`.
    #[arg(long, value_name = "NAME")]
    pub municipality: Option<String>,

    /// `province:NAME`.
    #[arg(long, value_name = "NAME")]
    pub province: Option<String>,

    /// Result id(s) (repeat or comma-separate).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub result_id: Vec<u64>,

    /// Results whose case is handled by this user id.
    #[arg(long, value_name = "USER_ID")]
    pub assigned: Option<u64>,

    /// Order: most-recent (the server's default) or least-recent.
    #[arg(long, value_enum)]
    pub order: Option<OrderArg>,

    /// Results with an id above this one.
    #[arg(long, value_name = "ID")]
    pub since_id: Option<u64>,

    /// `true`: only results not yet delivered to this client; `reset`: start over.
    #[arg(long, value_enum, value_name = "true|reset")]
    pub new_results: Option<NewResultsArg>,

    /// Page size (one page), or with --all the most results to fetch in total.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    /// Results to skip.
    #[arg(long, value_name = "N")]
    pub offset: Option<u64>,

    /// Only checked results.
    #[arg(long, conflicts_with = "not_checked")]
    pub checked: bool,

    /// Only results not checked yet.
    #[arg(long)]
    pub not_checked: bool,
}

fn parse_source(s: &str) -> Result<Source, String> {
    Source::parse(s).map_err(|e| e.message().to_string())
}

fn parse_sentiment(s: &str) -> Result<SentimentClass, String> {
    SentimentClass::parse(s).map_err(|e| e.message().to_string())
}

fn parse_period(s: &str) -> Result<Period, String> {
    Period::parse(s).map_err(|e| e.message().to_string())
}

fn parse_timeout(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if !secs.is_finite() || secs <= 0.0 || secs > 86_400.0 {
        return Err(format!("'{s}' must be between 0 and 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A filter flag that the `--filter` path also sets.
fn conflict(flag: &str, key: &str) -> webcare::Error {
    webcare::Error::validation(format!(
        "--{flag} conflicts with the '{key}' segment of --filter: give it once"
    ))
}

fn set_once<T>(
    slot: &mut Option<T>,
    value: Option<T>,
    flag: &str,
    key: &str,
) -> webcare::Result<()> {
    if let Some(v) = value {
        if slot.is_some() {
            return Err(conflict(flag, key));
        }
        *slot = Some(v);
    }
    Ok(())
}

impl FilterArgs {
    /// The filter: `--filter` parsed by core, then each flag set on it. A flag that sets what
    /// the path already sets is a validation error.
    pub fn to_filter(&self) -> webcare::Result<Filter> {
        let mut f = match &self.path {
            Some(p) => Filter::parse(p)?,
            None => Filter::new(),
        };
        if !self.source.is_empty() {
            if !f.sources.is_empty() {
                return Err(conflict("source", "source"));
            }
            f = f.sources(self.source.iter().copied());
        }
        set_once(&mut f.sentiment, self.sentiment, "sentiment", "sentiment")?;
        set_once(&mut f.period, self.period, "period", "period")?;
        set_once(
            &mut f.category,
            self.category.clone(),
            "category",
            "category",
        )?;
        set_once(&mut f.label, self.label.clone(), "label", "label")?;
        set_once(&mut f.hashtag, self.hashtag.clone(), "hashtag", "hashtag")?;
        set_once(&mut f.website, self.website.clone(), "website", "website")?;
        set_once(&mut f.word, self.word.clone(), "word", "word")?;
        set_once(
            &mut f.profile,
            self.author_profile.clone(),
            "author-profile",
            "profile",
        )?;
        set_once(&mut f.country, self.country.clone(), "country", "country")?;
        set_once(&mut f.city, self.city.clone(), "city", "city")?;
        set_once(
            &mut f.municipality,
            self.municipality.clone(),
            "municipality",
            "municipality",
        )?;
        set_once(
            &mut f.province,
            self.province.clone(),
            "province",
            "province",
        )?;
        if !self.result_id.is_empty() {
            if !f.result_ids.is_empty() {
                return Err(conflict("result-id", "result"));
            }
            for id in &self.result_id {
                f = f.result_id(*id);
            }
        }
        set_once(&mut f.assigned, self.assigned, "assigned", "assigned")?;
        set_once(
            &mut f.order,
            self.order.map(|o| match o {
                OrderArg::MostRecent => Order::MostRecent,
                OrderArg::LeastRecent => Order::LeastRecent,
            }),
            "order",
            "most/least recent",
        )?;
        set_once(&mut f.since_id, self.since_id, "since-id", "sinceId")?;
        set_once(
            &mut f.new_results,
            self.new_results.map(|n| match n {
                NewResultsArg::True => NewResults::True,
                NewResultsArg::Reset => NewResults::Reset,
            }),
            "new-results",
            "new results",
        )?;
        set_once(&mut f.limit, self.limit, "limit", "limit")?;
        set_once(&mut f.offset, self.offset, "offset", "offset")?;
        let checked = if self.checked {
            Some(true)
        } else if self.not_checked {
            Some(false)
        } else {
            None
        };
        set_once(&mut f.checked, checked, "checked/--not-checked", "checked")?;
        f.validate()?;
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        let mut v = vec!["webcare"];
        v.extend_from_slice(args);
        Cli::try_parse_from(v).unwrap()
    }

    fn filter_of(args: &[&str]) -> webcare::Result<Filter> {
        match parse(args).command {
            Command::Results(r) => r.filter.to_filter(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn flags_build_the_canonical_filter() {
        let f = filter_of(&[
            "results",
            "kpn",
            "--source",
            "twitter,facebook",
            "--source",
            "whatsapp",
            "--sentiment",
            "very-negative",
            "--period",
            "day",
            "--author-profile",
            "jan",
            "--result-id",
            "1,2",
            "--order",
            "least-recent",
            "--new-results",
            "reset",
            "--limit",
            "5",
            "--not-checked",
        ])
        .unwrap();
        assert_eq!(
            f.render(),
            "source:twitter,facebook,whatsapp/very+negative/day/profile:jan/result:1,2/least+recent/new+results:reset/limit:5/notChecked"
        );
    }

    #[test]
    fn path_and_flags_merge_or_conflict() {
        let f = filter_of(&[
            "results",
            "kpn",
            "--filter",
            "source:twitter/day",
            "--word",
            "wifi",
        ])
        .unwrap();
        assert_eq!(f.render(), "source:twitter/day/word:wifi");
        let e = filter_of(&[
            "results",
            "kpn",
            "--filter",
            "negative",
            "--sentiment",
            "positive",
        ])
        .unwrap_err();
        assert_eq!(e.kind(), webcare::ErrorKind::Validation);
        assert!(e.message().contains("--sentiment"), "{e}");
        let e = filter_of(&["results", "kpn", "--filter", "bogus:1"]).unwrap_err();
        assert!(
            e.message().contains("unknown filter segment 'bogus:1'"),
            "{e}"
        );
    }

    #[test]
    fn bad_flag_values_are_usage_errors() {
        for args in [
            &["webcare", "results", "kpn", "--source", "myspace"][..],
            &["webcare", "results", "kpn", "--sentiment", "meh"],
            &["webcare", "results", "kpn", "--period", "fortnight"],
            &["webcare", "results", "kpn", "--checked", "--not-checked"],
            &["webcare", "results", "kpn", "--limit", "0"],
            &["webcare", "event", "1", "dance"],
        ] {
            let e = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}");
        }
    }
}
