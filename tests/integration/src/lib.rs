//! Helpers for the integration tests: an in-process sandbox on port 0 and a client for it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

pub mod soak;

use serde_json::{json, Value};
use webcare::{Client, RetryPolicy};
use webcare_sandbox::{Sandbox, SandboxConfig};

/// A running sandbox and a client configured for it.
pub struct Env {
    /// The sandbox.
    pub sandbox: Sandbox,
    /// A client with fast retries.
    pub client: Client,
    http: reqwest::Client,
}

/// Fast retries for tests.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 6,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_retry_wait: Duration::from_secs(5),
    }
}

impl Env {
    /// Start a sandbox with the default seeded data.
    pub async fn start() -> Env {
        Env::with_config(SandboxConfig::default()).await
    }

    /// Start a sandbox with a config (port forced to 0).
    pub async fn with_config(mut cfg: SandboxConfig) -> Env {
        cfg.port = 0;
        let sandbox = Sandbox::start(cfg).await.expect("sandbox starts");
        let client = Client::builder()
            .base_url(sandbox.base_url())
            .client_id(sandbox.client_id())
            .client_secret(sandbox.client_secret())
            .retry(fast_retry())
            .poll_interval(Duration::from_millis(50))
            .build()
            .unwrap();
        Env {
            sandbox,
            client,
            http: reqwest::Client::new(),
        }
    }

    /// POST a JSON body to a `/_sandbox/` control.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(format!("{}/_sandbox/{path}", self.sandbox.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "/_sandbox/{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// GET a `/_sandbox/` control.
    pub async fn get_control(&self, path: &str) -> Value {
        let resp = self
            .http
            .get(format!("{}/_sandbox/{path}", self.sandbox.base_url()))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "/_sandbox/{path}");
        resp.json().await.unwrap()
    }

    /// Simulate an inbound customer message; returns the new result's id.
    pub async fn inbound(&self, source: &str, text: &str) -> u64 {
        let v = self
            .control("inbound", json!({ "source": source, "text": text }))
            .await;
        find_unique_id(&v).unwrap_or_else(|| panic!("no uniqueId in inbound response {v}"))
    }

    /// Simulate an inbound message from a given person.
    pub async fn inbound_from(&self, source: &str, person: &Value, text: &str) -> u64 {
        let v = self
            .control(
                "inbound",
                json!({ "source": source, "text": text, "person": person }),
            )
            .await;
        find_unique_id(&v).unwrap_or_else(|| panic!("no uniqueId in inbound response {v}"))
    }

    /// Requests in the sandbox's log whose path contains `needle`.
    pub async fn logged(&self, needle: &str) -> usize {
        let v = self.get_control("requests").await;
        let items = v
            .get("data")
            .and_then(|d| d.get("requests"))
            .or_else(|| v.get("requests"))
            .or_else(|| v.get("data"))
            .cloned()
            .unwrap_or(v);
        items
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|r| {
                        r.get("path")
                            .and_then(Value::as_str)
                            .is_some_and(|p| p.contains(needle))
                    })
                    .count()
            })
            .unwrap_or(0)
    }
}

/// The `uniqueId` in a control response (at the top, or in `data`, or in `data.result`).
pub fn find_unique_id(v: &Value) -> Option<u64> {
    for c in [
        v.get("uniqueId"),
        v.get("data").and_then(|d| d.get("uniqueId")),
        v.get("data")
            .and_then(|d| d.get("result"))
            .and_then(|r| r.get("uniqueId")),
        v.get("result").and_then(|r| r.get("uniqueId")),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(n) = c.as_u64().or_else(|| c.as_str()?.parse().ok()) {
            return Some(n);
        }
    }
    None
}
