//! The sandbox as its own process (`sandbox-proc --port 0 --json --db FILE ...`, the same
//! arguments as `webcare sandbox`), for tests that kill and restart it.

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[command(flatten)]
    sandbox: webcare_sandbox::SandboxArgs,
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args = Args::parse();
    if let Err(e) = webcare_sandbox::run_cli(args.sandbox).await {
        eprintln!("sandbox-proc: {e}");
        std::process::exit(1);
    }
}
