#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Client behaviour against a scripted transport: single-flight token refresh, 401 re-auth,
//! retry rules (a reply is never sent twice), Retry-After, decode leniency, secrets.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use webcare::transport::{
    HttpRequest, HttpResponse, SendFuture, Transport, TransportError, TransportErrorKind,
};
use webcare::{Client, ErrorKind, Filter, ReplyRequest, RetryPolicy};

type Handler = dyn Fn(&HttpRequest, usize) -> Result<HttpResponse, TransportError> + Send + Sync;

struct Mock {
    handler: Box<Handler>,
    calls: AtomicUsize,
    log: Mutex<Vec<String>>,
    delay: Duration,
}

impl Mock {
    fn new(
        delay: Duration,
        f: impl Fn(&HttpRequest, usize) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Arc<Mock> {
        Arc::new(Mock {
            handler: Box::new(f),
            calls: AtomicUsize::new(0),
            log: Mutex::new(Vec::new()),
            delay,
        })
    }
    fn count(&self, needle: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(needle))
            .count()
    }
}

impl Transport for Mock {
    fn send(&self, request: HttpRequest) -> SendFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            self.log
                .lock()
                .unwrap()
                .push(format!("{} {}", request.method.as_str(), request.url));
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            (self.handler)(&request, n)
        })
    }
}

fn json(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("x-request-id".into(), "req-1".into())],
        body: Bytes::from(body.to_string()),
    }
}

fn token(expires_in: &str) -> HttpResponse {
    json(
        200,
        &format!(
            r#"{{"access_token":"tok-abcdef-{}","token_type":"Bearer","expires_in":"{expires_in}","status":"approved"}}"#,
            rand_suffix()
        ),
    )
}

fn rand_suffix() -> u64 {
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::SeqCst) as u64
}

fn ok(data: &str) -> HttpResponse {
    json(
        200,
        &format!(
            r#"{{"data":{data},"messages":[],"status":"SUCCES","metadata":{{"values":{{"url":0}},"method":"get","duration":1}}}}"#
        ),
    )
}

fn client(mock: Arc<Mock>) -> Client {
    Client::builder()
        .base_url("http://mock.invalid/api")
        .client_id("id")
        .client_secret("very-secret-client-secret")
        .retry(RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_retry_wait: Duration::from_secs(2),
        })
        .transport(mock)
        .build()
        .unwrap()
}

#[tokio::test]
async fn fifty_concurrent_calls_with_expired_token_make_one_token_request() {
    let mock = Mock::new(Duration::from_millis(20), |req, _| {
        if req.url.contains("accesstoken") {
            // Lifetime 1 s: refresh margin is 0.1 s.
            Ok(token("1"))
        } else {
            Ok(ok(r#"{"accessToken":"sso","expires":"x"}"#))
        }
    });
    let c = client(mock.clone());
    c.sso_token("a@b.nl").await.unwrap();
    assert_eq!(mock.count("accesstoken"), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let calls = (0..50).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.sso_token("a@b.nl").await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(
        mock.count("accesstoken"),
        2,
        "exactly one refresh for 50 calls"
    );
    assert_eq!(c.token_fetch_count(), 2);
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries() {
    let api_calls = Arc::new(AtomicUsize::new(0));
    let ac = api_calls.clone();
    let mock = Mock::new(Duration::ZERO, move |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        if ac.fetch_add(1, Ordering::SeqCst) == 0 {
            Ok(json(
                401,
                r#"{"transactionId":"t1","status":"401","name":"Unauthorized","message":"token expired","info":""}"#,
            ))
        } else {
            Ok(ok(r#"{"token":"s","expires":"e"}"#))
        }
    });
    let c = client(mock.clone());
    c.sso_token("a@b.nl").await.unwrap();
    assert_eq!(mock.count("accesstoken"), 2);
    assert_eq!(api_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn persistent_401_is_an_auth_error_after_two_reauths() {
    let mock = Mock::new(Duration::ZERO, |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        Ok(json(
            401,
            r#"{"transactionId":"t9","status":"401","name":"Unauthorized","message":"revoked","info":""}"#,
        ))
    });
    let c = client(mock.clone());
    let e = c.sso_token("a@b.nl").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.request_id(), Some("t9"), "the body's transactionId wins");
    assert_eq!(e.message(), "revoked");
    // The first token, then one per re-authentication (a fresh token can be revoked before the
    // retry arrives, so a second 401 is worth one more).
    assert_eq!(mock.count("accesstoken"), 3);
}

#[tokio::test]
async fn reply_is_not_retried_after_a_503_or_a_reset() {
    for failure in [
        Ok(json(
            503,
            r#"{"transactionId":"t","status":"503","name":"x","message":"busy","info":""}"#,
        )),
        Err(TransportError {
            kind: TransportErrorKind::Other,
            message: "connection reset".into(),
        }),
    ] {
        let failure = Arc::new(failure);
        let f = failure.clone();
        let mock = Mock::new(Duration::ZERO, move |req, _| {
            if req.url.contains("accesstoken") {
                return Ok(token("3599"));
            }
            (*f).clone()
        });
        let c = client(mock.clone());
        let e = c
            .results()
            .reply(5, &ReplyRequest::new("hi").connection(1))
            .await
            .unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Server | ErrorKind::Network));
        assert_eq!(
            mock.count("/replies"),
            1,
            "a reply must never be sent twice"
        );
    }
}

#[tokio::test]
async fn reply_is_retried_after_connection_refused_and_429() {
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    let mock = Mock::new(Duration::ZERO, move |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        match n2.fetch_add(1, Ordering::SeqCst) {
            0 => Err(TransportError {
                kind: TransportErrorKind::Connect,
                message: "connection refused".into(),
            }),
            1 => Ok(HttpResponse {
                status: 429,
                headers: vec![("retry-after".into(), "0".into())],
                body: Bytes::from_static(b"{}"),
            }),
            _ => Ok(ok(r#"{"uniqueId":77,"own":1}"#)),
        }
    });
    let c = client(mock.clone());
    let sent = c
        .results()
        .reply(5, &ReplyRequest::new("hi").connection(1))
        .await
        .unwrap();
    assert_eq!(sent.result.unwrap().unique_id, 77);
    assert_eq!(mock.count("/replies"), 3);
}

#[tokio::test]
async fn long_retry_after_is_a_rate_limit_error_with_the_wait() {
    let mock = Mock::new(Duration::ZERO, |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        Ok(HttpResponse {
            status: 429,
            headers: vec![("retry-after".into(), "120".into())],
            body: Bytes::from_static(br#"{"transactionId":"q","status":"429","name":"TooMany","message":"quota exceeded","info":""}"#),
        })
    });
    let c = client(mock.clone());
    let e = c.configuration().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(mock.count("/configuration"), 1);
}

#[tokio::test]
async fn gets_retry_502_then_succeed() {
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    let mock = Mock::new(Duration::ZERO, move |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        if n2.fetch_add(1, Ordering::SeqCst) < 2 {
            Ok(json(502, "bad gateway"))
        } else {
            Ok(ok(
                r#"{"results":{"3":{"uniqueId":"3","sentiment":"-1","private":"0"},"1":{"uniqueId":1,"checked":true}},"total":2}"#,
            ))
        }
    });
    let c = client(mock);
    let page = c.results().search("kpn", &Filter::new()).await.unwrap();
    let ids: Vec<u64> = page.results.iter().map(|r| r.unique_id).collect();
    assert_eq!(ids, vec![3, 1], "served order is kept");
    assert_eq!(page.total, Some(2));
    assert_eq!(page.results[0].sentiment, -1);
}

#[tokio::test]
async fn a_502_with_quota_headers_backs_off_instead_of_waiting_for_the_quota_reset() {
    // Found by the bindings' soak: a 502 carrying the quota headers made the client sleep until
    // `quota-reset-UTC` (up to a minute) instead of backing off.
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    let reset = (chrono::Utc::now() + chrono::Duration::seconds(50)).to_rfc3339();
    let mock = Mock::new(Duration::ZERO, move |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        if n2.fetch_add(1, Ordering::SeqCst) == 0 {
            Ok(HttpResponse {
                status: 502,
                headers: vec![
                    ("quota-limit".into(), "6000".into()),
                    ("quota-reset-UTC".into(), reset.clone()),
                ],
                body: Bytes::from_static(b"bad gateway"),
            })
        } else {
            Ok(ok(r#"{"results":{},"count":0,"total":0}"#))
        }
    });
    let c = client(mock);
    let t = std::time::Instant::now();
    c.results().search("kpn", &Filter::new()).await.unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "waited {:?}",
        t.elapsed()
    );
    assert_eq!(n.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn backend_validation_envelope_is_an_error_keeping_messages() {
    let mock = Mock::new(Duration::ZERO, |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        Ok(json(
            200,
            r#"{"data":{},"messages":[{"type":"error","title":"Invalid","description":"connectionId unknown"}],"status":"FAILED","metadata":{}}"#,
        ))
    });
    let c = client(mock);
    let e = c
        .results()
        .event(3, webcare::Event::Opened)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.messages().len(), 1);
    assert_eq!(e.messages()[0].description, "connectionId unknown");
}

#[tokio::test]
async fn secrets_never_appear_in_errors_or_debug() {
    let mock = Mock::new(Duration::ZERO, |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(json(
                200,
                r#"{"access_token":"leaky-token-0123456789","expires_in":"3599"}"#,
            ));
        }
        // A hostile server echoing the credentials back.
        Ok(json(
            500,
            r#"{"transactionId":"t","status":"500","name":"x","message":"bad token leaky-token-0123456789 with very-secret-client-secret","info":"Bearer leaky-token-0123456789"}"#,
        ))
    });
    let c = client(mock);
    let e = c.configuration().await.unwrap_err();
    for text in [format!("{e}"), format!("{e:?}"), format!("{c:?}")] {
        assert!(!text.contains("leaky-token-0123456789"), "{text}");
        assert!(!text.contains("very-secret-client-secret"), "{text}");
    }
}

#[tokio::test]
async fn bad_json_is_a_decode_error() {
    let mock = Mock::new(Duration::ZERO, |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        Ok(json(200, "<html>not json</html>"))
    });
    let e = client(mock).configuration().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn total_timeout_is_a_timeout_error() {
    let mock = Mock::new(Duration::from_secs(5), |_, _| Ok(token("3599")));
    let c = client(mock).with_total_timeout(Duration::from_millis(100));
    let e = c.configuration().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn token_url_derives_from_base_url_host() {
    let mock = Mock::new(Duration::ZERO, |req, _| {
        if req.url.contains("accesstoken") {
            assert_eq!(
                req.url,
                "http://mock.invalid/oauth/client_credential/accesstoken?grant_type=client_credentials"
            );
            return Ok(token("3599"));
        }
        assert_eq!(req.url, "http://mock.invalid/api/configuration");
        Ok(ok("{}"))
    });
    client(mock).configuration().await.unwrap();
}

#[test]
fn config_errors_are_clear() {
    let e = Client::builder()
        .base_url("ftp://x")
        .client_id("a")
        .client_secret("b")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = Client::builder()
        .base_url("http://x")
        .client_secret("b")
        .build()
        .unwrap_err();
    assert!(e.message().contains("client id"), "{}", e.message());
}

/// A server of `served` results in pages by `limit:`/`offset:` (ids 1..=served), reporting
/// `total` when given.
fn paged_mock(delay: Duration, served: u64, total: Option<u64>) -> Arc<Mock> {
    Mock::new(delay, move |req, _| {
        if req.url.contains("accesstoken") {
            return Ok(token("3599"));
        }
        let num = |key: &str| -> u64 {
            req.url
                .split('/')
                .find_map(|seg| seg.strip_prefix(key))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        let (limit, offset) = (num("limit:"), num("offset:"));
        let ids: Vec<String> = (offset..(offset + limit).min(served))
            .map(|i| format!(r#""{0}":{{"uniqueId":{0}}}"#, i + 1))
            .collect();
        let total = total
            .map(|t| format!(r#","total":{t}"#))
            .unwrap_or_default();
        Ok(ok(&format!(
            r#"{{"results":{{{}}}{total}}}"#,
            ids.join(",")
        )))
    })
}

#[tokio::test]
async fn pager_fetches_one_page_ahead_and_keeps_order() {
    use webcare::NextPage;
    // 250 results served in pages by offset; count the search requests.
    let mock = paged_mock(Duration::from_millis(5), 250, None);
    let c = client(mock.clone());
    let mut pager = c.results().pager("kpn", &Filter::new().limit(100), None);
    let mut seen = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        seen.extend(page.results.iter().map(|r| r.unique_id));
        // While the caller works on a page, the next one is already requested.
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert_eq!(seen, (1..=250).collect::<Vec<u64>>());
    assert_eq!(
        mock.count("/results/"),
        3,
        "pages at 0, 100, 200 and nothing more"
    );

    // Stopping early: at most one page was fetched ahead, and dropping cancels it.
    let before = mock.count("/results/");
    let mut pager = c.results().pager("kpn", &Filter::new().limit(100), None);
    pager.next_page().await.unwrap().unwrap();
    drop(pager);
    assert!(mock.count("/results/") - before <= 2);
}

#[tokio::test]
async fn pager_sends_the_next_request_early_once_the_total_is_known() {
    use webcare::NextPage;
    // `served` results, but the server claims `claimed` in `total` (as when results are
    // deleted while paging): the pager still yields each served result once, in order.
    for (served, claimed, max_requests) in [(250u64, 250u64, 3), (300, 300, 4), (250, 400, 5)] {
        let mock = paged_mock(Duration::from_millis(2), served, Some(claimed));
        let c = client(mock.clone());
        let mut pager = c.results().pager("kpn", &Filter::new().limit(100), None);
        let mut seen = Vec::new();
        while let Some(page) = pager.next_page().await.unwrap() {
            assert_eq!(page.total, Some(claimed));
            seen.extend(page.results.iter().map(|r| r.unique_id));
        }
        assert_eq!(seen, (1..=served).collect::<Vec<u64>>());
        let n = mock.count("/results/");
        assert!(
            n >= served.div_ceil(100) as usize && n <= max_requests,
            "{served} served, {claimed} claimed: {n} requests"
        );
        drop(pager);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_consumer_keeps_at_most_pages_ahead_pages_ahead() {
    use webcare::NextPage;
    let mock = paged_mock(Duration::from_millis(1), 2000, Some(2000));
    let c = client(mock.clone());
    let mut pager = c.results().pager("kpn", &Filter::new().limit(100), None);
    let mut seen = Vec::new();
    for step in 0..4 {
        let page = pager.next_page().await.unwrap().unwrap();
        seen.extend(page.results.iter().map(|r| r.unique_id));
        // The consumer dawdles: the pages ahead are all requested (the total is known), but
        // the pager does not run through the remaining ones.
        tokio::time::sleep(Duration::from_millis(150)).await;
        let requested = mock.count("/results/");
        assert_eq!(
            requested,
            step + 1 + webcare::paging::PAGES_AHEAD,
            "after taking {} pages, {requested} requested",
            step + 1
        );
    }
    while let Some(page) = pager.next_page().await.unwrap() {
        seen.extend(page.results.iter().map(|r| r.unique_id));
    }
    assert_eq!(seen, (1..=2000).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_page_fetched_ahead_is_an_error_and_can_be_asked_for_again() {
    use std::sync::atomic::AtomicBool;
    use webcare::NextPage;
    let pages = paged_mock(Duration::ZERO, 1000, Some(1000));
    let failed = Arc::new(AtomicBool::new(false));
    let mock = {
        let failed = failed.clone();
        Mock::new(Duration::from_millis(1), move |req, n| {
            if req.url.contains("offset:300") && !failed.swap(true, Ordering::SeqCst) {
                return Ok(json(403, r#"{"status":"ERROR","messages":[]}"#));
            }
            (pages.handler)(req, n)
        })
    };
    let c = client(mock.clone());
    let mut pager = c.results().pager("kpn", &Filter::new().limit(100), None);
    let mut seen = Vec::new();
    let mut errors = 0;
    loop {
        match pager.next_page().await {
            Ok(Some(page)) => seen.extend(page.results.iter().map(|r| r.unique_id)),
            Ok(None) => break,
            Err(e) => {
                errors += 1;
                assert_eq!(seen.len(), 300, "the error is the page at 300: {e}");
                assert!(errors < 3, "{e}");
            }
        }
    }
    assert_eq!(errors, 1);
    assert_eq!(seen, (1..=1000).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_ahead_is_capped_and_a_caller_that_gives_up_waiting_loses_nothing() {
    use webcare::NextPage;
    // "As many as you like" is capped (no request storm, no capacity overflow).
    let mock = paged_mock(Duration::from_millis(1), 100_000, Some(100_000));
    let c = client(mock.clone());
    let mut pager = c
        .results()
        .pager("kpn", &Filter::new().limit(10), None)
        .pages_ahead(usize::MAX);
    pager.next_page().await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        mock.count("/results/"),
        1 + webcare::paging::MAX_PAGES_AHEAD
    );
    drop(pager);

    // A caller that stops waiting for a page fetched ahead (its future dropped) gets that
    // page on the next call, from the same request.
    let mock = paged_mock(Duration::from_millis(40), 1000, Some(1000));
    let c = client(mock.clone());
    let mut pager = c.results().pager("kpn", &Filter::new().limit(100), None);
    let first = pager.next_page().await.unwrap().unwrap();
    assert_eq!(first.results[0].unique_id, 1);
    let gave_up = tokio::time::timeout(Duration::from_millis(5), pager.next_page()).await;
    assert!(gave_up.is_err(), "the page at 100 takes 40 ms");
    let second = pager.next_page().await.unwrap().unwrap();
    assert_eq!(second.results[0].unique_id, 101);
    assert_eq!(
        mock.count("offset:100"),
        1,
        "the page was not asked for twice"
    );
}

#[cfg(feature = "arrow")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_into_columns_fetches_more_pages_ahead_unless_fetching_ahead_is_off() {
    use webcare::paging::COLUMNAR_PAGES_AHEAD;
    let decoder = webcare::arrow::ArrowDecoder::new(&[]);
    for (prefetch, ahead) in [(true, COLUMNAR_PAGES_AHEAD), (false, 0)] {
        let mock = paged_mock(Duration::from_millis(1), 2000, Some(2000));
        let c = client(mock.clone());
        let mut pager = match c
            .results()
            .pages("kpn", &Filter::new().limit(100), None, None)
        {
            webcare::ResultPager::Offset(p) => webcare::ResultPager::Offset(p.prefetch(prefetch)),
            other => other,
        };
        let batch = pager.next_batch(&decoder).await.unwrap().unwrap();
        assert_eq!(batch.num_rows(), 100);
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(mock.count("/results/"), 1 + ahead, "prefetch {prefetch}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_pager_gives_json_pages_and_switches_between_page_kinds_where_it_is() {
    use webcare::json::{JsonRows, Layout};
    use webcare::NextPage;
    fn values(rows: JsonRows) -> Vec<serde_json::Value> {
        let text = rows.into_arrays(usize::MAX).concat();
        serde_json::from_slice(&text).unwrap()
    }
    let mock = paged_mock(Duration::from_millis(1), 45, Some(45));
    let c = client(mock.clone());
    let mut pager = c
        .results()
        .pages("kpn", &Filter::new().limit(10), None, None);
    // JSON objects: what the typed page gives, in the normalized shape.
    let first = pager.next_json(Layout::Objects).await.unwrap().unwrap();
    assert_eq!((first.offset, first.limit, first.total), (0, 10, Some(45)));
    let typed = c
        .results()
        .pager("kpn", &Filter::new().limit(10), None)
        .next_page()
        .await
        .unwrap()
        .unwrap();
    let expected = values(JsonRows::from_results(&typed.results, Layout::Objects).unwrap());
    assert_eq!(values(first.rows), expected);
    // Typed, then positional rows (uniqueId first), then columns: each goes on where the last
    // one stopped.
    let second = pager.next_page().await.unwrap().unwrap();
    let ids: Vec<u64> = second.results.iter().map(|r| r.unique_id).collect();
    assert_eq!(ids, (11..=20).collect::<Vec<u64>>());
    let third = pager.next_json(Layout::Rows).await.unwrap().unwrap();
    let ids: Vec<u64> = values(third.rows)
        .iter()
        .map(|r| r[0].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (21..=30).collect::<Vec<u64>>());
    #[cfg(feature = "arrow")]
    {
        let batch = pager
            .next_batch(&webcare::arrow::ArrowDecoder::new(&[]))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(batch.num_rows(), 10);
    }
    #[cfg(not(feature = "arrow"))]
    pager.next_page().await.unwrap().unwrap();
    let last = pager.next_json(Layout::Objects).await.unwrap().unwrap();
    let ids: Vec<u64> = values(last.rows)
        .iter()
        .map(|r| r["uniqueId"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (41..=45).collect::<Vec<u64>>());
    assert!(pager.next_json(Layout::Objects).await.unwrap().is_none());
    assert!(pager.next_page().await.unwrap().is_none());
}
