#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A short soak (the long one is `make soak`): watch and reply under chaos, tokens expiring and
//! revoked; every inbound result seen once, every sent reply stored once, every failure typed.

use std::time::Duration;

use webcare_integration_tests::soak::{run, SoakConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_soak_under_chaos() {
    let report = run(SoakConfig {
        ops: 200,
        min_duration: Some(Duration::from_secs(3)),
        token_ttl: Duration::from_secs(2),
        revoke_every: Some(Duration::from_secs(1)),
        repliers: 4,
        seed_results: 200,
        ..SoakConfig::default()
    })
    .await
    .unwrap();
    println!("{report}");
    assert!(report.passed(), "{report}");
    assert!(report.faults_total() > 0, "no faults injected: {report}");
}
