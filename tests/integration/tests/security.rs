#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Security: token checks (missing, malformed, unknown, expired, revoked → 401 with the error
//! body), account isolation (the second account cannot read or change the first account's
//! results, replies, events or cases, nor see its profiles), and TLS verification on by default.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use webcare::{Client, ErrorKind, Event, Filter, ReplyRequest};
use webcare_integration_tests::{fast_retry, Env};
use webcare_sandbox::SandboxConfig;

async fn token(env: &Env, id: &str, secret: &str) -> String {
    let v: Value = reqwest::Client::new()
        .post(format!(
            "{}?grant_type=client_credentials",
            env.sandbox.token_url()
        ))
        .form(&[("client_id", id), ("client_secret", secret)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["access_token"].as_str().unwrap().to_string()
}

async fn get_with(env: &Env, auth: Option<&str>) -> (u16, Value, Option<String>) {
    let mut rb = reqwest::Client::new().get(format!("{}/configuration", env.sandbox.base_url()));
    if let Some(a) = auth {
        rb = rb.header("authorization", a);
    }
    let resp = rb.send().await.unwrap();
    let status = resp.status().as_u16();
    let www = resp
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body, www)
}

fn assert_401(what: &str, (status, body, www): (u16, Value, Option<String>)) {
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(body["name"], "Unauthorized", "{what}: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body["transactionId"].as_str().is_some());
    assert!(www.is_some(), "{what}: no WWW-Authenticate");
}

#[tokio::test]
async fn bad_tokens_are_rejected_with_401() {
    let env = Env::with_config(SandboxConfig {
        token_ttl: Duration::from_secs(60),
        results: 200,
        ..SandboxConfig::default()
    })
    .await;
    let (id, secret) = (env.sandbox.client_id(), env.sandbox.client_secret());
    let good = token(&env, id, secret).await;
    assert_eq!(get_with(&env, Some(&format!("Bearer {good}"))).await.0, 200);

    assert_401("missing", get_with(&env, None).await);
    for bad in [
        "Bearer",
        "Bearer ",
        "Basic c2FuZGJveDpzZWNyZXQ=",
        "garbage",
        "Bearer a b c",
        "Bearer !!!!",
        "bearer",
    ] {
        assert_401(bad, get_with(&env, Some(bad)).await);
    }
    let long = format!("Bearer {}", "x".repeat(8000));
    assert_401("long", get_with(&env, Some(&long)).await);
    assert_401(
        "unknown",
        get_with(&env, Some("Bearer 0123456789abcdef0123456789abcdef")).await,
    );
    // A token of a wrong length, and the client secret used as a token.
    assert_401(
        "secret as token",
        get_with(&env, Some(&format!("Bearer {secret}"))).await,
    );

    // Revoked.
    let revoked = token(&env, id, secret).await;
    env.control("tokens/revoke", json!({ "client_id": id }))
        .await;
    assert_401(
        "revoked",
        get_with(&env, Some(&format!("Bearer {revoked}"))).await,
    );

    // Expired: the sandbox clock moves past the lifetime.
    let expiring = token(&env, id, secret).await;
    assert_eq!(
        get_with(&env, Some(&format!("Bearer {expiring}"))).await.0,
        200
    );
    env.sandbox.advance_clock(Duration::from_secs(61));
    assert_401(
        "expired",
        get_with(&env, Some(&format!("Bearer {expiring}"))).await,
    );

    // The client recovers from both transparently (one 401, a new token, the call retried).
    let before = env.client.token_fetch_count();
    env.client.configuration().await.unwrap();
    env.control("tokens/revoke", json!({ "client_id": id }))
        .await;
    env.client.configuration().await.unwrap();
    env.sandbox.advance_clock(Duration::from_secs(120));
    env.client.configuration().await.unwrap();
    assert!(env.client.token_fetch_count() >= before + 2);

    // Wrong credentials are an Auth error.
    let wrong = Client::builder()
        .base_url(env.sandbox.base_url())
        .client_id(id)
        .client_secret("not-the-secret")
        .retry(fast_retry())
        .build()
        .unwrap();
    assert_eq!(
        wrong.configuration().await.unwrap_err().kind(),
        ErrorKind::Auth
    );
}

fn denied(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::NotFound | ErrorKind::Forbidden)
}

#[tokio::test]
async fn the_second_account_cannot_touch_the_first() {
    let env = Env::with_config(SandboxConfig {
        results: 300,
        ..SandboxConfig::default()
    })
    .await;
    let second = env.sandbox.second_account().clone();
    let b = Client::builder()
        .base_url(env.sandbox.base_url())
        .client_id(&second.client_id)
        .client_secret(&second.client_secret)
        .retry(fast_retry())
        .build()
        .unwrap();
    let a = &env.client;

    // Profiles: B sees only its own.
    let conf_a = a.configuration().await.unwrap();
    let conf_b = b.configuration().await.unwrap();
    let names_b: Vec<&str> = conf_b
        .account
        .searches
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    for s in &conf_a.account.searches {
        assert!(!names_b.contains(&s.name.as_str()), "B sees {}", s.name);
        let e = b
            .results()
            .search(&s.name, &Filter::new())
            .await
            .unwrap_err();
        assert!(denied(e.kind()), "search {}: {e}", s.name);
    }

    // A result of A, with a case.
    let id = env.inbound("twitter", "isolation check: storing").await;
    let r = a.results().get_no_context(id).await.unwrap();
    let search_id: u64 = r.search_id.unwrap();
    let case_id = r.case_id.clone().unwrap();

    for e in [
        b.results().get(id).await.map(|_| ()).unwrap_err(),
        b.results()
            .get_no_context(id)
            .await
            .map(|_| ())
            .unwrap_err(),
        b.results()
            .reply(id, &ReplyRequest::new("not mine").connection(101))
            .await
            .map(|_| ())
            .unwrap_err(),
        b.results()
            .reply(id, &ReplyRequest::new("not mine").connection(1))
            .await
            .map(|_| ())
            .unwrap_err(),
        b.results()
            .event(id, Event::Closed)
            .await
            .map(|_| ())
            .unwrap_err(),
        b.results()
            .event(id, Event::StartTyping)
            .await
            .map(|_| ())
            .unwrap_err(),
        b.cases()
            .close(search_id, &case_id)
            .await
            .map(|_| ())
            .unwrap_err(),
        b.cases()
            .hand_over(search_id, &case_id, 102)
            .await
            .map(|_| ())
            .unwrap_err(),
        b.cases()
            .release_handler(search_id, &case_id)
            .await
            .map(|_| ())
            .unwrap_err(),
        b.sso_token("sanne.devries@kpn.example")
            .await
            .map(|_| ())
            .unwrap_err(),
    ] {
        assert!(denied(e.kind()), "{e}");
    }
    // Nothing changed.
    let after = a.results().get_no_context(id).await.unwrap();
    assert_eq!(after.replies, r.replies);
    assert_eq!(after.status, r.status);
    assert_eq!(after.activities.len(), r.activities.len());
    assert_eq!(after.extra.get("typing"), r.extra.get("typing"));
    assert_eq!(after.extra.get("caseStatus"), r.extra.get("caseStatus"));
    assert_eq!(after.extra.get("handler"), r.extra.get("handler"));

    // And the other way round: A cannot read B's results.
    let page_b = b
        .results()
        .search(names_b[0], &Filter::new().limit(1))
        .await
        .unwrap();
    let rb = &page_b.results[0];
    let e = a.results().get(rb.unique_id).await.unwrap_err();
    assert!(denied(e.kind()), "{e}");
    let e = a
        .results()
        .reply(rb.unique_id, &ReplyRequest::new("not mine").connection(1))
        .await
        .unwrap_err();
    assert!(denied(e.kind()), "{e}");
}

/// A TLS server with a self-signed certificate that answers every request with a 401.
async fn self_signed_server() -> u16 {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let certs = vec![CertificateDer::from_pem_file(format!("{dir}/selfsigned.crt")).unwrap()];
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/selfsigned.key")).unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"ErrorCode":"invalid_client","Error":"tls test server"}"#;
                let resp = format!(
                    "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn tls_certificates_are_verified_by_default() {
    let port = self_signed_server().await;
    let base = format!("https://localhost:{port}/api");
    let default = Client::builder()
        .base_url(&base)
        .client_id("id")
        .client_secret("secret-value")
        .retry(webcare::RetryPolicy::none())
        .build()
        .unwrap();
    let e = default.configuration().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.status().is_none(), "{e}");
    assert!(
        e.message().to_lowercase().contains("certificate"),
        "the failure names the certificate: {e}"
    );

    // Only the option named as dangerous turns verification off: the server is then reached.
    let dangerous = Client::builder()
        .base_url(&base)
        .client_id("id")
        .client_secret("secret-value")
        .retry(webcare::RetryPolicy::none())
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let e = dangerous.configuration().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert_eq!(e.status(), Some(401));
}
