//! `soak [--ops N] [--seconds S] [--chaos SPEC] [--base-url URL] [--repliers N]`: a watcher and a
//! replier against a sandbox with chaos on; prints a report and exits 1 on any violation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use webcare_integration_tests::soak::{run, SoakConfig};

fn usage() -> ! {
    eprintln!(
        "usage: soak [--ops N] [--seconds S] [--chaos SPEC] [--token-ttl SECS] [--base-url URL] [--repliers N]"
    );
    std::process::exit(2)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let mut cfg = SoakConfig {
        verbose: true,
        ..SoakConfig::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--ops" => cfg.ops = val().parse().unwrap_or_else(|_| usage()),
            "--seconds" => {
                cfg.min_duration = Some(Duration::from_secs(
                    val().parse().unwrap_or_else(|_| usage()),
                ))
            }
            "--chaos" => cfg.chaos = val(),
            "--token-ttl" => {
                cfg.token_ttl = Duration::from_secs(val().parse().unwrap_or_else(|_| usage()))
            }
            "--base-url" => cfg.base_url = Some(val()),
            "--repliers" => cfg.repliers = val().parse().unwrap_or_else(|_| usage()),
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    eprintln!(
        "soak: {} operations, chaos '{}', token ttl {:?}",
        cfg.ops, cfg.chaos, cfg.token_ttl
    );
    match run(cfg).await {
        Ok(report) => {
            println!("{report}");
            if !report.passed() {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("soak: could not run: {e}");
            std::process::exit(2);
        }
    }
}
