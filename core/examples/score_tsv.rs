//! Score a tab-separated file of texts: reads `id<TAB>...<TAB>text` lines (the text is the last
//! column) and prints `id<TAB>compound<TAB>class<TAB>language` for each (the class as the API's
//! -2..2, the language that was used: `en` or `nl`), plus the throughput on stderr. A first line
//! whose first column is `id` is a header and is skipped.
//!
//! `cargo run --release -p webcare --example score_tsv -- FILE [en|nl|auto]`
use std::io::Write;
use std::time::Instant;

use webcare::sentiment::{score_in, Language};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: score_tsv FILE [en|nl|auto]");
        return std::process::ExitCode::from(2);
    };
    let lang = match Language::parse(args.get(2).map_or("en", String::as_str)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let rows: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| l.split('\t').next() != Some("id"))
        .map(|l| {
            let id = l.split('\t').next().unwrap_or("");
            let body = l.rsplit('\t').next().unwrap_or("");
            (id, body)
        })
        .collect();
    let start = Instant::now();
    let scores: Vec<_> = rows.iter().map(|(_, t)| score_in(t, lang)).collect();
    let secs = start.elapsed().as_secs_f64();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for ((id, _), s) in rows.iter().zip(&scores) {
        if writeln!(
            out,
            "{id}\t{:.6}\t{}\t{}",
            s.compound,
            s.class.value(),
            s.language.code()
        )
        .is_err()
        {
            return std::process::ExitCode::from(1);
        }
    }
    eprintln!(
        "scored {} texts in {:.3}s ({:.0} texts/s)",
        rows.len(),
        secs,
        rows.len() as f64 / secs.max(1e-9)
    );
    std::process::ExitCode::SUCCESS
}
