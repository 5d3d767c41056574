//! Helpers: a shared read-only sandbox, private sandboxes, and a small HTTP client.

use std::sync::OnceLock;

use reqwest::header::HeaderMap;
use serde_json::Value;
use webcare_sandbox::{Sandbox, SandboxConfig};

/// Credentials and address of a running sandbox.
#[derive(Debug, Clone)]
pub struct Info {
    pub base: String,
    pub client_id: String,
    pub secret: String,
    pub second_id: String,
    pub second_secret: String,
}

impl Info {
    pub fn of(sb: &Sandbox) -> Info {
        let second = sb.second_account();
        Info {
            base: sb.base_url(),
            client_id: sb.client_id().to_string(),
            secret: sb.client_secret().to_string(),
            second_id: second.client_id.clone(),
            second_secret: second.client_secret.clone(),
        }
    }
}

/// The shared sandbox (default config: seed 42, 5000 results). Read-only tests only: it runs on
/// its own thread and runtime for the whole test binary.
pub fn shared() -> &'static Info {
    static SHARED: OnceLock<Info> = OnceLock::new();
    SHARED.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                // A fixed file (not a temp dir): this thread never ends, so nothing would
                // delete a temp dir. Start from scratch each run.
                let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
                std::fs::create_dir_all(dir).unwrap();
                let db = dir.join(format!("shared-sandbox-{}.db", std::process::id()));
                for old in std::fs::read_dir(dir).unwrap().flatten() {
                    let name = old.file_name().to_string_lossy().to_string();
                    if name.starts_with("shared-sandbox-") {
                        let _ = std::fs::remove_file(old.path());
                    }
                }
                let sb = Sandbox::start(SandboxConfig {
                    db: Some(db),
                    ..SandboxConfig::default()
                })
                .await
                .unwrap();
                tx.send(Info::of(&sb)).unwrap();
                std::future::pending::<()>().await;
            });
        });
        rx.recv().unwrap()
    })
}

/// A private sandbox with few results, for tests that change state.
pub async fn private(results: usize) -> (Sandbox, Api) {
    private_with(SandboxConfig {
        results,
        ..SandboxConfig::default()
    })
    .await
}

pub async fn private_with(cfg: SandboxConfig) -> (Sandbox, Api) {
    let sb = Sandbox::start(cfg).await.unwrap();
    let info = Info::of(&sb);
    let api = Api::login(&info.base, &info.client_id, &info.secret).await;
    (sb, api)
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The envelope's data (asserting a 200 envelope).
    pub fn data(&self) -> &Value {
        assert_eq!(self.status, 200, "{}", self.text);
        assert_eq!(self.body["status"], "SUCCES", "{}", self.text);
        &self.body["data"]
    }

    /// The error body's message (asserting the error shape).
    pub fn error_message(&self) -> String {
        assert!(
            self.status >= 400,
            "expected an error, got {}: {}",
            self.status,
            self.text
        );
        for k in ["transactionId", "status", "name", "message", "info"] {
            assert!(
                self.body[k].is_string(),
                "error body lacks {k}: {}",
                self.text
            );
        }
        assert_eq!(self.body["status"], self.status.to_string());
        assert_eq!(
            self.body["transactionId"].as_str(),
            self.header("x-request-id"),
            "transactionId is the request id"
        );
        self.body["message"].as_str().unwrap().to_string()
    }

    /// The results of a search page, in the order served.
    pub fn results(&self) -> Vec<Value> {
        let data = self.data();
        let obj = data["results"].as_object().expect("results is an object");
        let list: Vec<Value> = obj.values().cloned().collect();
        for (k, v) in obj {
            assert_eq!(k, &v["uniqueId"].as_u64().unwrap().to_string());
        }
        assert_eq!(data["count"].as_u64().unwrap() as usize, list.len());
        list
    }

    pub fn ids(&self) -> Vec<u64> {
        self.results()
            .iter()
            .map(|r| r["uniqueId"].as_u64().unwrap())
            .collect()
    }

    pub fn total(&self) -> u64 {
        self.data()["total"].as_u64().unwrap()
    }
}

pub async fn read(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        body,
        text,
    }
}

/// A logged-in client.
#[derive(Debug, Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
}

pub async fn token(base: &str, id: &str, secret: &str) -> Resp {
    let http = reqwest::Client::new();
    read(
        http.post(format!(
            "{base}/oauth/client_credential/accesstoken?grant_type=client_credentials"
        ))
        .form(&[("client_id", id), ("client_secret", secret)])
        .send()
        .await
        .unwrap(),
    )
    .await
}

impl Api {
    pub async fn login(base: &str, id: &str, secret: &str) -> Api {
        let t = token(base, id, secret).await;
        assert_eq!(t.status, 200, "{}", t.text);
        Api {
            base: base.to_string(),
            http: reqwest::Client::new(),
            token: t.body["access_token"].as_str().unwrap().to_string(),
        }
    }

    pub async fn shared() -> Api {
        let s = shared();
        Api::login(&s.base, &s.client_id, &s.secret).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        read(
            self.http
                .get(format!("{}{}", self.base, path))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        read(
            self.http
                .post(format!("{}{}", self.base, path))
                .bearer_auth(&self.token)
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str) -> Resp {
        read(
            self.http
                .post(format!("{}{}", self.base, path))
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// A sandbox control (no auth).
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let url = format!("{}{}", self.base, path);
        let req = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url),
        };
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        read(req.send().await.unwrap()).await
    }

    /// Every result of a search (pages of 1000).
    pub async fn all(&self, profile_and_filter: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let r = self
                .get(&format!("{profile_and_filter}/limit:1000/offset:{offset}"))
                .await;
            let page = r.results();
            let n = page.len();
            out.extend(page);
            if n < 1000 {
                return out;
            }
            offset += 1000;
        }
    }
}
