//! Pull every result of a search profile and report the time, with and without fetching the
//! next page ahead, and (with `--features arrow`) decoded into Arrow columns:
//! `cargo run --release -p webcare --features arrow --example pull -- PROFILE [PAGE_SIZE] [MAX]`
//! (against `WEBCARE_BASE_URL`, `WEBCARE_CLIENT_ID`, `WEBCARE_CLIENT_SECRET`).
use std::time::Instant;

use webcare::{Client, Filter, NextPage};

#[tokio::main]
async fn main() -> webcare::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let profile = args.get(1).map_or("kpn", String::as_str).to_string();
    let page: u32 = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(500);
    let max: Option<u64> = args.get(3).and_then(|v| v.parse().ok());
    let client = Client::from_env()?;
    client.configuration().await?; // token and connection warm
    for round in 0..3 {
        for prefetch in [false, true] {
            let start = Instant::now();
            let mut pager = client
                .results()
                .pager(&profile, &Filter::new().limit(page), max)
                .prefetch(prefetch);
            let mut n = 0usize;
            while let Some(p) = pager.next_page().await? {
                n += p.results.len();
            }
            println!(
                "round {round} prefetch {prefetch:5}: {n} results in {:.3} s",
                start.elapsed().as_secs_f64()
            );
        }
        #[cfg(feature = "arrow")]
        {
            let start = Instant::now();
            let mut pager = client
                .results()
                .pager(&profile, &Filter::new().limit(page), max)
                .with_decoder(webcare::arrow::ArrowDecoder::default());
            let mut n = 0usize;
            while let Some(p) = pager.next_rows().await? {
                n += p.rows.num_rows();
            }
            println!(
                "round {round} arrow columns : {n} results in {:.3} s",
                start.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}
