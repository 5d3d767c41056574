//! Seed a sandbox and measure search throughput in-process.
//!
//! `cargo run --release -p webcare-sandbox --example sandbox_bench -- [results] [seconds] [concurrency] [path]`
//!
//! Defaults: 100000 results, 5 s, concurrency 32, `/results/kpn/limit:25`. The load generator
//! runs in the same process (and on the same cores) as the server, so the numbers are a lower
//! bound of what an external load tool measures.
//!
//! `sandbox_bench serve [results] [port]` only serves (quota effectively off) and prints the base
//! URL and an access token, for an external tool such as
//! `wrk -t2 -c32 -d10s -H "Authorization: Bearer TOKEN" URL/results/kpn/limit:25`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use webcare_sandbox::{QuotaConfig, Sandbox, SandboxConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve") {
        args.remove(1);
        return serve(args).await;
    }
    let results: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let conc: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(32);
    let path = args
        .get(4)
        .cloned()
        .unwrap_or_else(|| "/results/kpn/limit:25".to_string());
    let t = Instant::now();
    let sb = Sandbox::start(SandboxConfig {
        results,
        quota: QuotaConfig::parse("1000000000/minute")?,
        ..SandboxConfig::default()
    })
    .await?;
    println!("seeded {results} results in {:.2?}", t.elapsed());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(conc)
        .build()?;
    let tok: serde_json::Value = client
        .post(format!("{}?grant_type=client_credentials", sb.token_url()))
        .form(&[
            ("client_id", sb.client_id()),
            ("client_secret", sb.client_secret()),
        ])
        .send()
        .await?
        .json()
        .await?;
    let token = tok["access_token"].as_str().unwrap_or_default().to_string();
    let url = format!("{}{}", sb.base_url(), path);
    let first = client.get(&url).bearer_auth(&token).send().await?;
    println!(
        "first response: {} ({} bytes)",
        first.status(),
        first.bytes().await?.len()
    );
    let ok = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..conc {
        let (client, url, token, ok, bad) = (
            client.clone(),
            url.clone(),
            token.clone(),
            ok.clone(),
            bad.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                match client.get(&url).bearer_auth(&token).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let n = ok.load(Ordering::Relaxed);
    println!(
        "{path}: {n} ok, {} failed in {secs}s at concurrency {conc}: {:.0} req/s",
        bad.load(Ordering::Relaxed),
        n as f64 / secs as f64
    );
    sb.shutdown().await;
    Ok(())
}

async fn serve(args: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
    let results: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let port: u16 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let t = Instant::now();
    let sb = Sandbox::start(SandboxConfig {
        results,
        port,
        quota: QuotaConfig::parse("1000000000/minute")?,
        token_ttl: Duration::from_secs(86_400 * 365),
        ..SandboxConfig::default()
    })
    .await?;
    let seeded = t.elapsed();
    let tok: serde_json::Value = reqwest::Client::new()
        .post(format!("{}?grant_type=client_credentials", sb.token_url()))
        .form(&[
            ("client_id", sb.client_id()),
            ("client_secret", sb.client_secret()),
        ])
        .send()
        .await?
        .json()
        .await?;
    println!("seeded {results} results in {seeded:.2?}");
    println!("base_url {}", sb.base_url());
    println!("token {}", tok["access_token"].as_str().unwrap_or_default());
    use std::io::Write;
    std::io::stdout().flush()?;
    sb.serve_until_signal().await;
    Ok(())
}
