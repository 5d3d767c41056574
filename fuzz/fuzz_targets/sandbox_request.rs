//! The sandbox's request handling (routing, path and filter parsing, authentication, form and
//! JSON bodies, controls) on arbitrary requests, through an in-process sandbox over a real TCP
//! connection: every request gets an HTTP response (no dropped connection, no hang) and never a
//! 5xx. (The sandbox's parsing functions are crate-private, so the whole server is the target.)
//!
//! Input layout: byte 0 picks the method, byte 1 the authorization, byte 2 the content type;
//! the rest is `path` `\n` `body` (the path's bytes outside the URI alphabet are
//! percent-encoded, so hyper accepts the request line and the sandbox sees the odd paths).
#![no_main]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use webcare_sandbox::{ChaosConfig, QuotaConfig, Sandbox, SandboxConfig};

struct Target {
    rt: tokio::runtime::Runtime,
    sandbox: Sandbox,
    token: Mutex<String>,
}

fn target() -> &'static Target {
    static T: OnceLock<Target> = OnceLock::new();
    T.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let sandbox = rt
            .block_on(Sandbox::start(SandboxConfig {
                results: 300,
                quota: QuotaConfig::parse("1000000000/minute").expect("quota"),
                ..SandboxConfig::default()
            }))
            .expect("sandbox starts");
        let t = Target {
            rt,
            sandbox,
            token: Mutex::new(String::new()),
        };
        refresh_token(&t);
        t
    })
}

fn raw(t: &Target, request: &[u8]) -> Option<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(t.sandbox.addr()).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    s.write_all(request).ok()?;
    let mut out = Vec::new();
    if let Err(e) = s.read_to_end(&mut out) {
        panic!("no complete response within 20 s: {e}");
    }
    let line = out.split(|b| *b == b'\n').next()?;
    let status = std::str::from_utf8(line)
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()?;
    Some((status, out))
}

fn refresh_token(t: &Target) {
    let body = format!(
        "client_id={}&client_secret={}",
        t.sandbox.client_id(),
        t.sandbox.client_secret()
    );
    let req = format!(
        "POST /oauth/client_credential/accesstoken?grant_type=client_credentials HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    if let Some((200, out)) = raw(t, req.as_bytes()) {
        let text = String::from_utf8_lossy(&out);
        if let Some(json) = text.split("\r\n\r\n").nth(1) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(json) {
                if let Some(tok) = v["access_token"].as_str() {
                    *t.token.lock().unwrap_or_else(|p| p.into_inner()) = tok.to_string();
                }
            }
        }
    }
}

fn uri_byte_ok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%?".contains(&b)
}

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
const TYPES: [&str; 5] = [
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "",
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let t = target();
    // Controls may have changed chaos or quota: nothing injected may count as a crash.
    let _ = t.sandbox.set_chaos(ChaosConfig::none());
    let _ = t
        .sandbox
        .set_quota(QuotaConfig::parse("1000000000/minute").expect("quota"));
    let method = METHODS[usize::from(data[0]) % METHODS.len()];
    let token = t.token.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let auth = match data[1] % 4 {
        0 | 1 => format!("authorization: Bearer {token}\r\n"),
        2 => "authorization: Bearer not-a-token\r\n".to_string(),
        _ => String::new(),
    };
    let ctype = TYPES[usize::from(data[2]) % TYPES.len()];
    let rest = &data[3..];
    let (path_bytes, body) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let mut path = String::from("/");
    for &b in path_bytes.strip_prefix(b"/").unwrap_or(path_bytes) {
        if uri_byte_ok(b) {
            path.push(char::from(b));
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nhost: sandbox\r\n{auth}connection: close\r\n");
    if !ctype.is_empty() {
        req.push_str(&format!("content-type: {ctype}\r\n"));
    }
    req.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body);
    match raw(t, &bytes) {
        Some((status, out)) => {
            assert!(
                status < 500,
                "{method} {path} -> {status}: {}",
                String::from_utf8_lossy(&out)
            );
            if status == 401 && data[1] % 4 < 2 {
                // The clock may have been moved past the token's lifetime by a control.
                refresh_token(t);
            }
        }
        None => panic!("{method} {path}: the connection closed without a response"),
    }
    let _ = &t.rt;
});
