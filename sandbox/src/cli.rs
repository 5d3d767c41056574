//! `webcare sandbox`: the command-line entry point (called by the `webcare` CLI).

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

use crate::{ChaosConfig, QuotaConfig, Sandbox, SandboxConfig, SandboxError};

/// Arguments of `webcare sandbox`.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// TCP port (0 picks a free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// SQLite database file; kept across restarts (an existing file is not reseeded). Without
    /// it, a fresh temporary database is used.
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Seed of the generated data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of seeded results of the main account.
    #[arg(long, default_value_t = 5000)]
    pub results: usize,
    /// Fault injection, e.g. `429=0.05,500=0.02,503=0.02,latency=5ms,spike=0.01:200ms,drop=0.01`.
    #[arg(long, value_parser = parse_chaos)]
    pub chaos: Option<ChaosConfig>,
    /// Request quota per API client, e.g. `6000/minute` (the default) or `1000000/minute`.
    #[arg(long, value_parser = parse_quota)]
    pub quota: Option<QuotaConfig>,
    /// Print one JSON line with the base URL and credentials instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_chaos(s: &str) -> Result<ChaosConfig, String> {
    ChaosConfig::parse(s).map_err(|e| e.to_string())
}

fn parse_quota(s: &str) -> Result<QuotaConfig, String> {
    QuotaConfig::parse(s)
}

impl SandboxArgs {
    /// The configuration these arguments describe.
    pub fn to_config(&self) -> SandboxConfig {
        SandboxConfig {
            port: self.port,
            host: self.host,
            db: self.db.clone(),
            seed: self.seed,
            results: self.results,
            chaos: self.chaos.unwrap_or_default(),
            quota: self.quota.unwrap_or_default(),
            ..SandboxConfig::default()
        }
    }
}

/// Start the sandbox, print where it listens and its credentials (text, or one JSON line with
/// `--json`), flush stdout, then serve until SIGINT or SIGTERM.
///
/// Printing the client secret is intended: it is the sandbox's own test credential.
pub async fn run_cli(args: SandboxArgs) -> Result<(), SandboxError> {
    let sandbox = Sandbox::start(args.to_config()).await?;
    let mut out = std::io::stdout().lock();
    let second = sandbox.second_account();
    if args.json {
        let line = serde_json::json!({
            "base_url": sandbox.base_url(),
            "prod_base_url": sandbox.prod_base_url(),
            "token_url": sandbox.token_url(),
            "client_id": sandbox.client_id(),
            "client_secret": sandbox.client_secret(),
            "db": sandbox.db_path().display().to_string(),
            "search_profiles": sandbox.primary_account().search_profiles,
            "second_account": second,
        });
        writeln!(out, "{line}")?;
    } else {
        writeln!(out, "webcare sandbox listening on {}", sandbox.base_url())?;
        writeln!(out, "client id: {}", sandbox.client_id())?;
        writeln!(out, "client secret: {}", sandbox.client_secret())?;
        writeln!(
            out,
            "search profiles: {}",
            sandbox.primary_account().search_profiles.join(", ")
        )?;
        writeln!(
            out,
            "second account: client id {} secret {} (profile: {})",
            second.client_id,
            second.client_secret,
            second.search_profiles.join(", ")
        )?;
        writeln!(out, "database: {}", sandbox.db_path().display())?;
        writeln!(
            out,
            "controls: {}/_sandbox  (Ctrl-C to stop)",
            sandbox.base_url()
        )?;
    }
    out.flush()?;
    drop(out);
    sandbox.serve_until_signal().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        args: SandboxArgs,
    }

    #[test]
    fn defaults_and_parsing() {
        let c = Cmd::parse_from(["webcare-sandbox"]).args.to_config();
        assert_eq!(c.port, 0);
        assert_eq!(c.seed, 42);
        assert_eq!(c.results, 5000);
        assert!(c.db.is_none());
        assert_eq!(c.chaos, ChaosConfig::none());
        assert_eq!(c.quota, QuotaConfig::default());
        let a = Cmd::parse_from([
            "x",
            "--port",
            "8080",
            "--seed",
            "7",
            "--results",
            "100",
            "--chaos",
            "503=0.1",
            "--quota",
            "10/second",
            "--db",
            "/tmp/x.db",
            "--json",
        ])
        .args;
        assert!(a.json);
        let c = a.to_config();
        assert_eq!((c.port, c.seed, c.results), (8080, 7, 100));
        assert_eq!(c.chaos.rate_503, 0.1);
        assert_eq!(c.quota.limit, 10);
        assert!(Cmd::try_parse_from(["x", "--chaos", "bogus"]).is_err());
        assert!(Cmd::try_parse_from(["x", "--quota", "0"]).is_err());
    }
}
