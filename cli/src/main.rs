//! `webcare`: the command line client for the Parley Webcare API, and the local sandbox.
//!
//! The CLI parses arguments, calls the `webcare` core crate, and formats the output. See
//! `docs/cli.md` for the commands, the output formats and the exit codes.

mod args;
mod commands;
mod error;
mod output;

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::args::{Cli, Command};
use crate::error::CliError;

fn init_logging(verbose: u8) {
    let filter = match verbose {
        0 => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        1 => EnvFilter::new("warn,webcare=info,webcare_cli=info,webcare_sandbox=info"),
        2 => EnvFilter::new("info,webcare=debug,webcare_cli=debug,webcare_sandbox=debug"),
        _ => EnvFilter::new("debug,webcare=trace,webcare_cli=trace,webcare_sandbox=trace"),
    };
    // Fails only when a subscriber is already set; logging is best effort.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let g = &cli.global;
    match &cli.command {
        Command::Sandbox(a) => webcare_sandbox::run_cli(a.clone())
            .await
            .map_err(|e| match e {
                webcare_sandbox::SandboxError::Config(m) => webcare::Error::config(m).into(),
                other => CliError::Other(other.to_string()),
            }),
        Command::Sentiment(a) => commands::sentiment(a),
        Command::Results(a) => commands::results(g, a).await,
        Command::Config(a) => commands::config(&commands::client(g, None)?, a).await,
        Command::Result(a) => commands::result(&commands::client(g, None)?, a).await,
        Command::Reply(a) => commands::reply(&commands::client(g, None)?, a).await,
        Command::Event(a) => commands::event(&commands::client(g, None)?, a).await,
        Command::Case(a) => commands::case(&commands::client(g, None)?, a).await,
        Command::Sso(a) => commands::sso(&commands::client(g, None)?, a).await,
        Command::Watch(a) => commands::watch(&commands::client(g, None)?, a).await,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.global.verbose);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            for line in e.report() {
                eprintln!("{line}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
