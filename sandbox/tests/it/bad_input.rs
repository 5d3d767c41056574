//! Malformed requests get a 4xx with an error body whose message says what was wrong.

use serde_json::json;

use crate::common::{private, read};

/// (method, path, form body, expected status, expected text in the message)
type Case<'a> = (&'a str, String, Option<Vec<u8>>, u16, &'a str);

#[tokio::test]
async fn malformed_requests_are_4xx_with_a_message() {
    let (sb, api) = private(300).await;
    let id = api.get("/results/kpn/limit:1").await.ids()[0];
    let long = "x".repeat(10_001);
    let cases: Vec<Case> = vec![
        ("GET", "/results/kpn/bogus".into(), None, 400, "bogus"),
        (
            "GET",
            "/results/kpn/source:myspace".into(),
            None,
            400,
            "myspace",
        ),
        ("GET", "/results/kpn/limit:0".into(), None, 400, "limit"),
        ("GET", "/results/kpn/limit:1001".into(), None, 400, "1000"),
        ("GET", "/results/kpn/limit:abc".into(), None, 400, "abc"),
        ("GET", "/results/kpn/offset:-1".into(), None, 400, "-1"),
        (
            "GET",
            "/results/kpn/sinceId:999999999999999999999999".into(),
            None,
            400,
            "too large",
        ),
        (
            "GET",
            "/results/kpn/limit:25/limit:30".into(),
            None,
            400,
            "limit",
        ),
        ("GET", "/results/kpn/%ZZ".into(), None, 400, "percent"),
        ("GET", "/results/kpn/word:%FF".into(), None, 400, "UTF-8"),
        (
            "GET",
            "/results/kpn/2016-13-45T00:00:00,2016-01-01T00:00:00".into(),
            None,
            400,
            "2016-13-45",
        ),
        (
            "GET",
            "/results/kpn/2016-06-22T00:00:00,2016-06-15T00:00:00".into(),
            None,
            400,
            "before",
        ),
        (
            "GET",
            "/results/kpn/new+results:maybe".into(),
            None,
            400,
            "new results",
        ),
        ("GET", "/results/kpn/category:".into(), None, 400, "empty"),
        ("GET", "/results/%FF".into(), None, 400, "UTF-8"),
        (
            "GET",
            "/results/unknown+profile".into(),
            None,
            404,
            "unknown profile",
        ),
        (
            "GET",
            "/results/99999999999999999999999".into(),
            None,
            400,
            "too large",
        ),
        ("GET", "/results/1".into(), None, 404, "1"),
        ("GET", "/results/1/noContext".into(), None, 404, "1"),
        (
            "GET",
            format!("/results/{id}?limit=abc"),
            None,
            400,
            "limit",
        ),
        (
            "GET",
            format!("/results/{id}?limit=5000"),
            None,
            400,
            "limit",
        ),
        ("GET", "/results".into(), None, 404, "results"),
        (
            "POST",
            "/results/abc/replies".into(),
            Some(b"message=hi&connectionId=1".to_vec()),
            400,
            "abc",
        ),
        (
            "POST",
            "/results/99999999999999999999999/replies".into(),
            Some(b"message=hi&connectionId=1".to_vec()),
            400,
            "too large",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            None,
            400,
            "message",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=".to_vec()),
            400,
            "empty",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=+++".to_vec()),
            400,
            "empty",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=hi".to_vec()),
            400,
            "connectionId",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=hi&connectionId=abc".to_vec()),
            400,
            "abc",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=hi&connectionId=99999999999999999999".to_vec()),
            400,
            "connectionId",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=hi&connectionId=1&public=maybe".to_vec()),
            400,
            "maybe",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=%FF&connectionId=1".to_vec()),
            400,
            "UTF-8",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=%G1&connectionId=1".to_vec()),
            400,
            "percent",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(vec![b'm', b'=', 0xFF, 0xFE]),
            400,
            "UTF-8",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(b"message=a&message=b&connectionId=1".to_vec()),
            400,
            "more than once",
        ),
        (
            "POST",
            format!("/results/{id}/replies"),
            Some(format!("message={long}&connectionId=1").into_bytes()),
            400,
            "10000",
        ),
        (
            "POST",
            format!("/results/{id}/event/dance"),
            None,
            400,
            "dance",
        ),
        ("POST", "/results/x/event/opened".into(), None, 400, "'x'"),
        ("POST", "/results/1/event/opened".into(), None, 404, "1"),
        (
            "POST",
            "/searches/abc/cases/1/close".into(),
            None,
            400,
            "search id",
        ),
        (
            "POST",
            "/searches/1/cases/abc/close".into(),
            None,
            400,
            "case id",
        ),
        (
            "POST",
            "/searches/1/cases/1/close/handOverToHandler/abc".into(),
            None,
            400,
            "handler id",
        ),
        (
            "POST",
            "/searches/1/cases/999999/close".into(),
            None,
            404,
            "999999",
        ),
        (
            "POST",
            "/searches/1/cases/999999/releaseHandler".into(),
            None,
            404,
            "999999",
        ),
        ("GET", "/searches/1/cases/1/close".into(), None, 405, "POST"),
        ("POST", "/configuration".into(), None, 405, "GET"),
        ("PUT", format!("/results/{id}"), None, 405, "GET"),
        ("GET", "/nothing/here".into(), None, 404, "/nothing/here"),
        (
            "GET",
            "/ssoAccessToken/notanemail".into(),
            None,
            400,
            "e-mail",
        ),
        ("GET", "/ssoAccessToken/%FF%FE@x".into(), None, 400, "UTF-8"),
        (
            "GET",
            "/ssoAccessToken/nobody@example.com".into(),
            None,
            404,
            "nobody@example.com",
        ),
    ];
    for (method, path, body, status, needle) in cases {
        let url = format!("{}{}", api.base, path);
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = api.http.request(m, &url).bearer_auth(&api.token);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(b);
        }
        let r = read(req.send().await.unwrap()).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.text);
        let msg = r.error_message();
        assert!(
            msg.to_lowercase().contains(&needle.to_lowercase()),
            "{method} {path}: message {msg:?} lacks {needle:?}"
        );
    }
    // Unsupported content type.
    let r = read(
        api.http
            .post(format!("{}/results/{id}/replies", api.base))
            .bearer_auth(&api.token)
            .header("content-type", "text/plain")
            .body("message=hi&connectionId=1")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 415);
    assert!(r.error_message().contains("text/plain"));
    // Oversized body.
    let r = read(
        api.http
            .post(format!("{}/results/{id}/replies", api.base))
            .bearer_auth(&api.token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(vec![b'a'; 2 << 20])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 413);
    r.error_message();

    // Sandbox controls.
    let controls = vec![
        ("/_sandbox/inbound", json!({}), 400),
        (
            "/_sandbox/inbound",
            json!({"source": "myspace", "text": "x"}),
            400,
        ),
        (
            "/_sandbox/inbound",
            json!({"source": "twitter", "text": "   "}),
            400,
        ),
        (
            "/_sandbox/inbound",
            json!({"source": "twitter", "text": "x", "person": 999999}),
            404,
        ),
        (
            "/_sandbox/inbound",
            json!({"source": "twitter", "text": "x", "profile": "nope"}),
            404,
        ),
        (
            "/_sandbox/inbound",
            json!({"source": "twitter", "text": "x", "extra": 1}),
            400,
        ),
        (
            "/_sandbox/inbound",
            json!({"source": "twitter", "text": "x", "person": [1]}),
            400,
        ),
        ("/_sandbox/inbound", json!([1, 2]), 400),
        ("/_sandbox/chaos", json!({"rate_503": -1}), 400),
        ("/_sandbox/quota", json!({"spec": "lots"}), 400),
        ("/_sandbox/tokens/revoke", json!({}), 400),
    ];
    for (path, body, status) in controls {
        let r = api.control("POST", path, Some(body.clone())).await;
        assert_eq!(r.status, status, "{path} {body}: {}", r.text);
        r.error_message();
    }
    let r = read(
        api.http
            .post(format!("{}/_sandbox/inbound", api.base))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("JSON"));
    // None of that changed anything.
    assert_eq!(api.get("/results/kpn/limit:1").await.ids()[0], id);
    sb.shutdown().await;
}
