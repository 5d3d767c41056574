//! Score a tab-separated file of texts: reads `id<TAB>...<TAB>text` lines (the text is the last
//! column) and prints `id<TAB>compound<TAB>class<TAB>language` for each (the class as the API's
//! -2..2, the language that was used: `en` or `nl`), plus the throughput on stderr: single thread
//! (`score_in` on each text) and all cores (`score_many` on the whole batch), each the best pass
//! of repeated passes over at least 0.5 s after a warm-up pass. A first line whose first column is
//! `id` is a header and is skipped.
//!
//! `cargo run --release -p webcare --example score_tsv -- FILE [en|nl|auto]`
use std::io::Write;
use std::time::Instant;

use webcare::sentiment::{score_in, score_many, Language};

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
    let texts: Vec<&str> = rows.iter().map(|(_, t)| *t).collect();
    let scores: Vec<_> = texts.iter().map(|t| score_in(t, lang)).collect();
    let secs = best_pass(|| texts.iter().map(|t| score_in(t, lang)).collect());
    let many_secs = best_pass(|| score_many(&texts, lang));
    if score_many(&texts, lang) != scores {
        eprintln!("score_many differs from score_in");
        return std::process::ExitCode::from(1);
    }
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
    eprintln!(
        "score_many {} texts in {:.3}s on {} threads (all cores: {:.0} texts/s)",
        rows.len(),
        many_secs,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        rows.len() as f64 / many_secs.max(1e-9)
    );
    std::process::ExitCode::SUCCESS
}

/// The fastest of repeated passes of `f` (at least 3, over at least 0.5 s), in seconds.
fn best_pass(f: impl Fn() -> Vec<webcare::Score>) -> f64 {
    let mut best = f64::INFINITY;
    let start = Instant::now();
    let mut passes = 0;
    while passes < 3 || start.elapsed().as_secs_f64() < 0.5 {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
        passes += 1;
    }
    best
}
