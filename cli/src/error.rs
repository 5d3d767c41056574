//! CLI errors and their exit codes.

use webcare::ErrorKind;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: any failure not listed below (an I/O error, the sandbox failing to start).
pub const EXIT_OTHER: u8 = 1;
/// Exit status: bad usage or input (clap errors, validation errors, 4xx other than below).
pub const EXIT_USAGE: u8 = 2;
/// Exit status: bad credentials or a rejected token (401), or not allowed (403).
pub const EXIT_AUTH: u8 = 3;
/// Exit status: no such result, case, user or profile (404).
pub const EXIT_NOT_FOUND: u8 = 4;
/// Exit status: over quota (429) after honouring the retry wait.
pub const EXIT_RATE_LIMITED: u8 = 5;
/// Exit status: server error (5xx), network failure or timeout, after retries.
pub const EXIT_UNAVAILABLE: u8 = 6;
/// Exit status: the response could not be decoded.
pub const EXIT_DECODE: u8 = 7;
/// Exit status: configuration (missing credentials, bad base URL or option values).
pub const EXIT_CONFIG: u8 = 8;
/// Exit status: interrupted (Ctrl-C), as shells report SIGINT.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The exit status for an error kind.
pub fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Validation => EXIT_USAGE,
        ErrorKind::Auth | ErrorKind::Forbidden => EXIT_AUTH,
        ErrorKind::NotFound => EXIT_NOT_FOUND,
        ErrorKind::RateLimited => EXIT_RATE_LIMITED,
        ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Network => EXIT_UNAVAILABLE,
        ErrorKind::Decode => EXIT_DECODE,
        ErrorKind::Config => EXIT_CONFIG,
    }
}

/// What a command can fail with.
#[derive(Debug)]
pub enum CliError {
    /// An error from the client (or a validation error made by the CLI).
    Api(webcare::Error),
    /// Reading or writing failed.
    Io(std::io::Error),
    /// Something else, with a message.
    Other(String),
    /// Interrupted by Ctrl-C.
    Interrupted,
}

impl From<webcare::Error> for CliError {
    fn from(e: webcare::Error) -> Self {
        CliError::Api(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(e)
    }
}

fn hint(kind: ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::Auth => Some(
            "check --client-id and --client-secret (or WEBCARE_CLIENT_ID and WEBCARE_CLIENT_SECRET) and --base-url",
        ),
        ErrorKind::Config => Some(
            "set WEBCARE_BASE_URL, WEBCARE_CLIENT_ID and WEBCARE_CLIENT_SECRET (or pass --base-url, --client-id, --client-secret); `webcare sandbox` prints a local set",
        ),
        ErrorKind::Network => Some("is the API (or the sandbox) running at the base URL?"),
        _ => None,
    }
}

/// `Kind (HTTP s): message [request id R]`, with the retry-after hint only where a retry may
/// help (servers send quota headers on every response, which are not a hint on a 404).
fn describe(e: &webcare::Error) -> String {
    let mut s = e.kind().to_string();
    if let Some(st) = e.status() {
        s.push_str(&format!(" (HTTP {st})"));
    }
    s.push_str(": ");
    s.push_str(e.message());
    if let Some(id) = e.request_id() {
        s.push_str(&format!(" [request id {id}]"));
    }
    if e.is_retryable() {
        if let Some(d) = e.retry_after() {
            s.push_str(&format!(" (retry after {:.1}s)", d.as_secs_f64()));
        }
    }
    s
}

impl CliError {
    /// The exit status.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Api(e) => exit_code(e.kind()),
            CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
            CliError::Io(_) | CliError::Other(_) => EXIT_OTHER,
            CliError::Interrupted => EXIT_INTERRUPTED,
        }
    }

    /// The lines to print on stderr (none for a closed pipe or an interrupt).
    pub fn report(&self) -> Vec<String> {
        match self {
            CliError::Api(e) => {
                let mut lines = vec![format!("error: {}", describe(e))];
                for m in e.messages() {
                    let text = format!("{} {}", m.title, m.description);
                    lines.push(format!("  - {}", text.trim()));
                }
                if let Some(b) = e.body() {
                    if !b.info.is_empty() && b.info != e.message() {
                        lines.push(format!("  info: {}", b.info));
                    }
                }
                if let Some(h) = hint(e.kind()) {
                    lines.push(format!("hint: {h}"));
                }
                lines
            }
            CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Vec::new(),
            CliError::Io(e) => vec![format!("error: {e}")],
            CliError::Other(m) => vec![format!("error: {m}")],
            CliError::Interrupted => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_documented_code() {
        for k in ErrorKind::ALL {
            let c = exit_code(k);
            assert!((2..=8).contains(&c), "{k}");
        }
        assert_eq!(exit_code(ErrorKind::Validation), 2);
        assert_eq!(exit_code(ErrorKind::Auth), 3);
        assert_eq!(exit_code(ErrorKind::NotFound), 4);
        assert_eq!(exit_code(ErrorKind::RateLimited), 5);
        assert_eq!(exit_code(ErrorKind::Server), 6);
        assert_eq!(exit_code(ErrorKind::Decode), 7);
        assert_eq!(exit_code(ErrorKind::Config), 8);
    }

    #[test]
    fn broken_pipe_is_quiet_success() {
        let e = CliError::Io(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(e.exit_code(), 0);
        assert!(e.report().is_empty());
    }
}
