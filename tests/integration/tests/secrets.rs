#![allow(clippy::unwrap_used, clippy::expect_used)]
//! No client secret, access token or SSO token in any log line (TRACE and up, every target,
//! `log` records included), error `Display`/`Debug`, or `Debug` of the client, its builder and
//! the SSO token, through token fetches, calls, 401s, errors and a server that echoes the token.
//! (Its own test binary: it installs the global subscriber.)

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use serde_json::{json, Value};
use webcare::transport::{
    HttpRequest, HttpResponse, ReqwestTransport, SendFuture, Transport, TransportOptions,
};
use webcare::{Client, ErrorKind, Event, Filter, ReplyRequest};
use webcare_integration_tests::{fast_retry, Env};
use webcare_sandbox::SandboxConfig;

const CLIENT_SECRET: &str = "Cl13nt-S3cr3t-RECOGNISABLE-4242";

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The real transport, recording every token it carries or receives; for the path
/// `/results/999999999` it answers like a careless server that echoes the token back.
struct Recording {
    inner: ReqwestTransport,
    tokens: Arc<Mutex<Vec<String>>>,
}

impl Transport for Recording {
    fn send(&self, request: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let bearer = request
                .headers
                .iter()
                .find(|(k, _)| k == "authorization")
                .map(|(_, v)| v.trim_start_matches("Bearer ").to_string());
            if let Some(t) = &bearer {
                self.tokens.lock().unwrap().push(t.clone());
            }
            if request.url.ends_with("/results/999999999") {
                let t = bearer.unwrap_or_default();
                let body = json!({
                    "transactionId": "echo-1",
                    "status": "400",
                    "name": "BadRequest",
                    "message": format!("token {t} is not valid here (Authorization: Bearer {t})"),
                    "info": format!("GET /results/999999999 with {t} and secret {CLIENT_SECRET}"),
                });
                return Ok(HttpResponse {
                    status: 400,
                    headers: vec![("x-request-id".into(), "echo-1".into())],
                    body: Bytes::from(body.to_string()),
                });
            }
            let resp = self.inner.send(request).await?;
            if let Ok(v) = serde_json::from_slice::<Value>(&resp.body) {
                for k in ["access_token", "token"] {
                    if let Some(t) = v
                        .get(k)
                        .or_else(|| v.get("data").and_then(|d| d.get(k)))
                        .and_then(Value::as_str)
                    {
                        self.tokens.lock().unwrap().push(t.to_string());
                    }
                }
            }
            Ok(resp)
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_reach_logs_errors_or_debug() {
    let logs = Buf::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let env = Env::with_config(SandboxConfig {
        client_secret: Some(CLIENT_SECRET.into()),
        token_ttl: Duration::from_secs(3),
        results: 200,
        ..SandboxConfig::default()
    })
    .await;
    let tokens: Arc<Mutex<Vec<String>>> = Arc::default();
    let builder = Client::builder()
        .base_url(env.sandbox.base_url())
        .client_id(env.sandbox.client_id())
        .client_secret(CLIENT_SECRET)
        .retry(fast_retry())
        .transport(Arc::new(Recording {
            inner: ReqwestTransport::new(&TransportOptions::default()).unwrap(),
            tokens: tokens.clone(),
        }));
    let mut outputs: Vec<String> = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    outputs.push(format!("{client:?}"));

    // Token fetch, calls, a reply, an event.
    let conf = client.configuration().await.unwrap();
    outputs.push(format!("{conf:?}"));
    let profile = conf.account.searches[0].name.clone();
    let page = client
        .results()
        .search(&profile, &Filter::new().limit(3))
        .await
        .unwrap();
    outputs.push(format!("{page:?}"));
    let id = env.inbound("twitter", "secrets test").await;
    let sent = client
        .results()
        .reply(id, &ReplyRequest::new("on it").connection(1))
        .await
        .unwrap();
    outputs.push(format!("{sent:?}"));
    client.results().event(id, Event::Opened).await.unwrap();

    // The SSO token.
    let sso = client.sso_token("sanne.devries@kpn.example").await.unwrap();
    let sso_value = sso.token.as_ref().unwrap().expose().to_string();
    assert!(sso_value.len() >= 6);
    outputs.push(format!("{sso:?}"));

    // 401s: a revoked token (transparent), an expired one (transparent), a refused client.
    env.control(
        "tokens/revoke",
        json!({ "client_id": env.sandbox.client_id() }),
    )
    .await;
    client.configuration().await.unwrap();
    env.sandbox.advance_clock(Duration::from_secs(10));
    client.configuration().await.unwrap();
    let wrong = Client::builder()
        .base_url(env.sandbox.base_url())
        .client_id(env.sandbox.client_id())
        .client_secret(format!("{CLIENT_SECRET}-wrong"))
        .retry(fast_retry())
        .build()
        .unwrap();
    let e = wrong.configuration().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    outputs.push(format!("{e} {e:?}"));

    // Errors: not found, validation, and a server that echoes the token and the secret.
    for e in [
        client.results().get(1).await.unwrap_err(),
        client
            .results()
            .search(&profile, &Filter::new().limit(5000))
            .await
            .unwrap_err(),
        client.results().get(999_999_999).await.unwrap_err(),
        client
            .sso_token("nobody@kpn.example")
            .await
            .map(|_| ())
            .unwrap_err(),
    ] {
        outputs.push(format!("{e} {e:?} {:?}", e.body()));
    }
    // A connection failure.
    let dead = Client::builder()
        .base_url("http://127.0.0.1:9")
        .client_id("x")
        .client_secret(CLIENT_SECRET)
        .retry(webcare::RetryPolicy::none())
        .build()
        .unwrap();
    let e = dead.configuration().await.unwrap_err();
    outputs.push(format!("{e} {e:?}"));

    let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        logged.contains("webcare::auth") && logged.contains("webcare::http"),
        "the client logged at TRACE: {}",
        &logged[..logged.len().min(2000)]
    );
    let mut secrets: Vec<String> = tokens.lock().unwrap().clone();
    assert!(
        secrets.len() >= 3,
        "tokens were recorded: {}",
        secrets.len()
    );
    secrets.push(CLIENT_SECRET.to_string());
    secrets.push(sso_value);
    secrets.sort();
    secrets.dedup();
    for s in &secrets {
        assert!(!logged.contains(s.as_str()), "a secret in the logs");
        for o in &outputs {
            assert!(!o.contains(s.as_str()), "a secret in output: {o}");
        }
    }
    eprintln!(
        "secrets test: {} secrets checked against {} bytes of logs and {} outputs",
        secrets.len(),
        logged.len(),
        outputs.len()
    );
}
