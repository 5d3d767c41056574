//! HTTP sending behind a trait: [`ReqwestTransport`] by default, anything else (a mock in unit
//! tests, a recording proxy) through [`Transport`].

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;

use crate::error::Error;

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
}

impl Method {
    /// Upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Headers (the `Authorization` value is a secret: transports must not log it).
    pub headers: Vec<(String, String)>,
    /// A form body (`application/x-www-form-urlencoded`).
    pub form: Option<Vec<(String, String)>>,
    /// Timeout for this attempt.
    pub timeout: Option<Duration>,
}

/// A response.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Bytes,
}

impl HttpResponse {
    /// The first header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How sending failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The connection could not be made: the request provably did not reach the server.
    Connect,
    /// The attempt timed out (the request may have reached the server).
    Timeout,
    /// Anything else after the connection was made (reset, broken body): outcome unknown.
    Other,
}

/// A failure to send or receive.
#[derive(Debug, Clone)]
pub struct TransportError {
    /// The kind.
    pub kind: TransportErrorKind,
    /// A description (never contains headers).
    pub message: String,
}

/// A boxed future returned by [`Transport::send`].
pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends HTTP requests.
pub trait Transport: Send + Sync + 'static {
    /// Send one request.
    fn send(&self, request: HttpRequest) -> SendFuture<'_>;
}

/// Options for the default transport.
#[derive(Debug, Clone)]
pub struct TransportOptions {
    /// TCP connect timeout.
    pub connect_timeout: Duration,
    /// User agent.
    pub user_agent: String,
    /// Accept any TLS certificate. Dangerous: only for test servers with self-signed
    /// certificates.
    pub danger_accept_invalid_certs: bool,
    /// Idle connections kept per host.
    pub pool_max_idle_per_host: usize,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            connect_timeout: Duration::from_secs(10),
            user_agent: format!("webcare-rust/{}", env!("CARGO_PKG_VERSION")),
            danger_accept_invalid_certs: false,
            pool_max_idle_per_host: 32,
        }
    }
}

/// The default transport, on `reqwest` (rustls, TLS verification on).
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    origin: Arc<Mutex<Option<(String, url::Url)>>>,
}

impl ReqwestTransport {
    /// Build with options.
    pub fn new(options: &TransportOptions) -> Result<ReqwestTransport, Error> {
        let client = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .user_agent(options.user_agent.clone())
            .pool_max_idle_per_host(options.pool_max_idle_per_host)
            .tcp_nodelay(true)
            .tls_danger_accept_invalid_certs(options.danger_accept_invalid_certs)
            .build()
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;
        Ok(ReqwestTransport {
            client,
            origin: Arc::default(),
        })
    }
}

fn classify(e: &reqwest::Error) -> TransportError {
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Other
    };
    // reqwest's Display includes the URL, never headers.
    let mut message = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        message.push_str(": ");
        message.push_str(&s.to_string());
        src = s.source();
    }
    TransportError { kind, message }
}

impl ReqwestTransport {
    /// The request URL, parsed. Every request of a client goes to one origin, and parsing the
    /// host (IDNA rules) was a tenth of a small call's time on the runtime thread: the parsed
    /// origin is kept and only the path and query are set on a copy. The result is the URL that
    /// `Url::parse` gives (tested).
    fn url(&self, full: &str) -> Result<url::Url, url::ParseError> {
        let Some((origin, rest)) = split_origin(full) else {
            return url::Url::parse(full);
        };
        let cached = match self.origin.lock() {
            Ok(g) => g
                .as_ref()
                .filter(|(o, _)| o == origin)
                .map(|(_, u)| u.clone()),
            Err(_) => None,
        };
        let mut url = match cached {
            Some(u) => u,
            None => {
                let u = url::Url::parse(origin)?;
                if let Ok(mut g) = self.origin.lock() {
                    *g = Some((origin.to_string(), u.clone()));
                }
                u
            }
        };
        match rest.split_once('?') {
            Some((path, query)) => {
                url.set_path(path);
                url.set_query(Some(query));
            }
            None => url.set_path(rest),
        }
        Ok(url)
    }
}

/// `http(s)://host[:port]` and the rest of a URL whose rest is a plain path and query (no
/// fragment, backslash, tab or newline, no space at the end); `None` for anything else (parsed
/// whole).
fn split_origin(full: &str) -> Option<(&str, &str)> {
    let after_scheme = if full.starts_with("http://") {
        7
    } else if full.starts_with("https://") {
        8
    } else {
        return None;
    };
    let end = full[after_scheme..]
        .find(['/', '?', '#', '\\'])
        .map_or(full.len(), |i| i + after_scheme);
    let (origin, rest) = full.split_at(end);
    // `Url::parse` also drops tabs and newlines anywhere and trims spaces and controls at the
    // ends: leave such input to it.
    let odd_end = rest.ends_with(|c: char| c <= ' ');
    if !rest.starts_with('/') || odd_end || rest.contains(['#', '\\', '\t', '\n', '\r']) {
        return None;
    }
    Some((origin, rest))
}

/// Buffers of large response bodies, kept for the next response once a body is dropped: a pull
/// of many large pages then writes each page into memory that is already mapped, instead of
/// having the kernel fault in (and zero) fresh pages for every one (this took a fifth of the
/// client CPU of a 100k-result pull). Only buffers of [`POOLED_MIN`]..=[`POOLED_MAX`] bytes are
/// kept, at most [`POOL_BYTES`] in all; smaller ones are left to the allocator, which reuses
/// them on its own. A body takes a kept buffer only if the buffer is at most a quarter larger
/// than the body (with more slack, `read_body` would shrink it away). The lock is only ever
/// tried: a contended pool (or one whose lock a thread held when the process forked) means a
/// fresh buffer, never a wait.
struct BodyPool {
    bufs: Mutex<Vec<Vec<u8>>>,
}

const POOLED_MIN: usize = 64 << 10;
const POOLED_MAX: usize = 2 << 20;
const POOL_BYTES: usize = 4 << 20;

static BODY_POOL: BodyPool = BodyPool::new();

impl BodyPool {
    const fn new() -> BodyPool {
        BodyPool {
            bufs: Mutex::new(Vec::new()),
        }
    }

    /// An empty buffer of at least `cap` bytes: the smallest kept one that is large enough and
    /// at most a quarter larger, if any.
    fn take(&self, cap: usize) -> Vec<u8> {
        if (POOLED_MIN..=POOLED_MAX).contains(&cap) {
            if let Ok(mut bufs) = self.bufs.try_lock() {
                let fits = |b: &Vec<u8>| (cap..=cap + cap / 4).contains(&b.capacity());
                let best = (bufs.iter().enumerate())
                    .filter(|(_, b)| fits(b))
                    .min_by_key(|(_, b)| b.capacity())
                    .map(|(i, _)| i);
                if let Some(i) = best {
                    return bufs.swap_remove(i);
                }
            }
        }
        Vec::with_capacity(cap)
    }

    /// Keep `buf` for a later body if it is of a kept size and there is room; else free it.
    fn give(&self, mut buf: Vec<u8>) {
        if !(POOLED_MIN..=POOLED_MAX).contains(&buf.capacity()) {
            return;
        }
        if let Ok(mut bufs) = self.bufs.try_lock() {
            let held: usize = bufs.iter().map(Vec::capacity).sum();
            if held + buf.capacity() <= POOL_BYTES {
                buf.clear();
                bufs.push(buf);
            }
        }
    }
}

/// A body's buffer, back to its pool when the last `Bytes` of it is dropped.
struct PooledBody {
    buf: Vec<u8>,
    pool: &'static BodyPool,
}

impl AsRef<[u8]> for PooledBody {
    fn as_ref(&self) -> &[u8] {
        &self.buf
    }
}

impl Drop for PooledBody {
    fn drop(&mut self) {
        self.pool.give(std::mem::take(&mut self.buf));
    }
}

/// The whole body. Each piece is copied into one buffer as it arrives and dropped, so hyper
/// reuses its read buffer instead of allocating (and faulting in) fresh memory for every piece
/// of a large page while all of them are held; a body in one piece is not copied at all. A large
/// body's buffer comes from, and goes back to, `pool` ([`BODY_POOL`]).
async fn read_body(
    mut resp: reqwest::Response,
    pool: &'static BodyPool,
) -> std::result::Result<Bytes, TransportError> {
    let hint = resp
        .content_length()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    let Some(first) = resp.chunk().await.map_err(|e| classify(&e))? else {
        return Ok(Bytes::new());
    };
    let Some(second) = resp.chunk().await.map_err(|e| classify(&e))? else {
        return Ok(first);
    };
    // The length header only sizes the buffer up front (a lying server costs at most this).
    // Owned by a `PooledBody` from here on, so a failed read gives the buffer back too.
    let mut body = PooledBody {
        buf: pool.take(hint.min(64 << 20).max(first.len() + second.len())),
        pool,
    };
    body.buf.extend_from_slice(&first);
    drop(first);
    body.buf.extend_from_slice(&second);
    drop(second);
    while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
        body.buf.extend_from_slice(&chunk);
    }
    let buf = &mut body.buf;
    // Without a length (or past the cap) the buffer grew by doubling: do not keep the slack.
    if buf.capacity() - buf.len() > buf.len() / 4 {
        buf.shrink_to_fit();
    }
    Ok(Bytes::from_owner(body))
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
            };
            let url = self.url(&request.url).map_err(|e| TransportError {
                kind: TransportErrorKind::Other,
                message: format!("invalid URL {}: {e}", request.url),
            })?;
            let mut rb = self.client.request(method, url);
            for (k, v) in &request.headers {
                rb = rb.header(k, v);
            }
            if let Some(form) = &request.form {
                rb = rb.form(form);
            }
            if let Some(t) = request.timeout {
                rb = rb.timeout(t);
            }
            let resp = rb.send().await.map_err(|e| classify(&e))?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_ascii_lowercase(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = read_body(resp, &BODY_POOL).await?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn transport() -> ReqwestTransport {
        ReqwestTransport::new(&TransportOptions::default()).unwrap()
    }

    /// Serve one raw HTTP response per connection, written in pieces with pauses between them,
    /// and return the base URL.
    async fn raw_server(head: String, pieces: Vec<Vec<u8>>) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut req = [0u8; 4096];
                let _ = sock.read(&mut req).await;
                sock.write_all(head.as_bytes()).await.unwrap();
                for p in &pieces {
                    sock.write_all(p).await.unwrap();
                    sock.flush().await.unwrap();
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let _ = sock.shutdown().await;
            }
        });
        format!("http://{addr}")
    }

    async fn get(base: &str) -> std::result::Result<HttpResponse, TransportError> {
        transport()
            .send(HttpRequest {
                method: Method::Get,
                url: format!("{base}/x"),
                headers: Vec::new(),
                form: None,
                timeout: None,
            })
            .await
    }

    #[tokio::test]
    async fn a_body_in_pieces_is_read_whole() {
        let body: Vec<u8> = (0..300_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let pieces: Vec<Vec<u8>> = body.chunks(70_001).map(<[u8]>::to_vec).collect();
        // With a length (the buffer sized from it), then chunked (no length: the buffer grows).
        let with_len = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let base = raw_server(with_len, pieces.clone()).await;
        assert_eq!(get(&base).await.unwrap().body.as_ref(), body.as_slice());
        let chunked: Vec<Vec<u8>> = pieces
            .iter()
            .map(|p| {
                [
                    format!("{:x}\r\n", p.len()).into_bytes(),
                    p.clone(),
                    b"\r\n".to_vec(),
                ]
                .concat()
            })
            .chain([b"0\r\n\r\n".to_vec()])
            .collect();
        let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
        let base = raw_server(head.to_string(), chunked).await;
        assert_eq!(get(&base).await.unwrap().body.as_ref(), body.as_slice());
        // Empty, and one small piece.
        let head = "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";
        let base = raw_server(head.to_string(), Vec::new()).await;
        let r = get(&base).await.unwrap();
        assert_eq!((r.status, r.body.len()), (204, 0));
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n";
        let base = raw_server(head.to_string(), vec![b"{}".to_vec()]).await;
        assert_eq!(get(&base).await.unwrap().body.as_ref(), b"{}");
    }

    #[test]
    fn body_buffers_are_kept_within_bounds_and_taken_best_fit() {
        let pool = BodyPool::new();
        let held = |p: &BodyPool| p.bufs.lock().unwrap().len();
        // Too small or too large to keep.
        pool.give(Vec::with_capacity(POOLED_MIN - 1));
        pool.give(Vec::with_capacity(POOLED_MAX + 1));
        assert_eq!(held(&pool), 0);
        let mut a = Vec::with_capacity(200_000);
        a.extend_from_slice(b"an old body");
        let b = Vec::<u8>::with_capacity(600_000);
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        pool.give(b);
        pool.give(a);
        // The smallest kept buffer that fits, emptied.
        let got = pool.take(160_000);
        assert_eq!((got.as_ptr(), got.len()), (pa, 0));
        // None fits: a fresh one, and the kept one stays; a small body never takes a kept one,
        // nor one more than a quarter larger than it (it would shrink it away).
        let big = pool.take(700_000);
        assert!(big.capacity() >= 700_000 && big.as_ptr() != pb);
        assert_eq!(pool.take(1_000).capacity(), 1_000);
        let fresh = pool.take(400_000);
        assert_ne!(fresh.as_ptr(), pb);
        assert_eq!(held(&pool), 1);
        let kept = pool.take(500_000);
        assert_eq!(kept.as_ptr(), pb);
        // At most POOL_BYTES in all.
        for _ in 0..6 {
            pool.give(Vec::with_capacity(1 << 20));
        }
        assert_eq!(held(&pool), POOL_BYTES >> 20);
    }

    #[tokio::test]
    async fn a_large_body_goes_back_to_its_pool_when_its_last_piece_is_dropped() {
        static POOL: BodyPool = BodyPool::new();
        let body: Vec<u8> = (0..300_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let pieces: Vec<Vec<u8>> = body.chunks(70_001).map(<[u8]>::to_vec).collect();
        let base = raw_server(head, pieces).await;
        let read = || async { read_body(reqwest::get(&base).await.unwrap(), &POOL).await };
        let first = read().await.unwrap();
        assert_eq!(first.as_ref(), body.as_slice());
        let ptr = first.as_ptr();
        let piece = first.slice(10..20);
        drop(first);
        assert!(
            POOL.bufs.lock().unwrap().is_empty(),
            "a slice still uses it"
        );
        drop(piece);
        assert_eq!(POOL.bufs.lock().unwrap().len(), 1);
        // The next body is written into the same memory, and reads the same.
        let second = read().await.unwrap();
        assert_eq!((second.as_ptr(), second.as_ref()), (ptr, body.as_slice()));
        assert!(POOL.bufs.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_body_cut_short_is_an_error() {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\nconnection: close\r\n\r\n";
        let base = raw_server(
            head.to_string(),
            vec![vec![b'x'; 30_000], vec![b'y'; 30_000]],
        )
        .await;
        let e = get(&base).await.unwrap_err();
        assert!(matches!(e.kind, TransportErrorKind::Other), "{e:?}");
    }

    #[test]
    fn urls_are_the_ones_url_parse_gives() {
        let t = transport();
        for u in [
            "http://127.0.0.1:8080/results/kpn/limit:25/offset:0",
            "http://127.0.0.1:8080/results/kpn%20zakelijk/source:twitter/word:caf%C3%A9",
            "http://127.0.0.1:8080/results/kpn zakelijk/word:café/period:2026-01-01T00:00:00Z,now",
            "http://127.0.0.1:8080/oauth/client_credential/accesstoken?grant_type=client_credentials",
            "http://127.0.0.1:8080/a/./b/../c?x=1&y=%2F",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "https://API.Example.com/communication/tracebuzz/social-media-webcare/results/1",
            "https://bücher.example/x",
            "http://127.0.0.1:8080/x#frag",
            "http://127.0.0.1:8080\\x",
            "ftp://example.com/x",
            "not a url",
        ] {
            // Twice: the second one comes from the kept origin.
            for _ in 0..2 {
                assert_eq!(
                    t.url(u).map(|u| u.to_string()),
                    url::Url::parse(u).map(|u| u.to_string()),
                    "{u}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn generated_paths_give_the_same_url(path in "(/[a-zA-Z0-9:%,._~ \\-éß?&=+@!$'()*;\\[\\]\t\n\\\\#]{0,12}){0,5}") {
            let t = transport();
            for origin in ["http://127.0.0.1:8080", "https://api.example.com"] {
                let u = format!("{origin}{path}");
                for _ in 0..2 {
                    prop_assert_eq!(
                        t.url(&u).map(|u| u.to_string()),
                        url::Url::parse(&u).map(|u| u.to_string())
                    );
                }
            }
        }
    }
}
