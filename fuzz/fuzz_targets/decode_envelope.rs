//! The response decoder (`webcare::decode::decode_operation`) never panics: arbitrary bytes as
//! the body of every operation, with a success status and with an error status (the first byte
//! picks it), and headers that look like quota and retry headers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webcare::decode::decode_operation;

const OPERATIONS: [&str; 6] = ["search", "configuration", "result", "ack", "sso", "bogus"];
const STATUSES: [u16; 12] = [200, 201, 204, 400, 401, 403, 404, 408, 429, 500, 502, 503];

fuzz_target!(|data: &[u8]| {
    let (status, rest) = match data.split_first() {
        Some((b, rest)) => (STATUSES[usize::from(*b) % STATUSES.len()], rest),
        None => (200, data),
    };
    // An optional header value: bytes up to the first newline, when there is one.
    let (header, body) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) if i < 64 => (
            String::from_utf8_lossy(&rest[..i]).into_owned(),
            &rest[i + 1..],
        ),
        _ => (String::new(), rest),
    };
    let headers = vec![
        ("retry-after".to_string(), header.clone()),
        ("quota-reset-utc".to_string(), header.clone()),
        ("x-request-id".to_string(), header),
    ];
    for op in OPERATIONS {
        for st in [200, status] {
            match decode_operation(op, st, &headers, body) {
                Ok(v) => {
                    let _ = v.to_string();
                }
                Err(e) => {
                    let _ = format!("{e} {e:?} {:?}", e.retry_after());
                }
            }
        }
    }
});
