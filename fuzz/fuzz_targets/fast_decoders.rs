//! The fast search decoders (the byte scanner, then the serde walk) against the typed decoder,
//! on arbitrary bodies: the columnar decoder gives the same batch or the same error; the JSON
//! transcoder gives the same JSON wherever the typed decoder decodes (where it refuses, the
//! transcoder may copy what it refuses as written: see `webcare::json`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use webcare::arrow::{batch_with, decode_search_batch};
use webcare::decode::{decode_search, HttpResponse};
use webcare::json::{decode_search_json, JsonRows, Layout};

fn json_of(rows: &JsonRows) -> serde_json::Value {
    let mut text = b"[".to_vec();
    text.extend_from_slice(rows.text());
    text.push(b']');
    serde_json::from_slice(&text).expect("the transcoder writes JSON")
}

fuzz_target!(|body: &[u8]| {
    let resp = HttpResponse {
        status: 200,
        headers: Vec::new(),
        body: bytes::Bytes::copy_from_slice(body),
    };
    let typed = decode_search(&resp, "results/kpn");
    let columns = decode_search_batch(&resp, "results/kpn", &[]);
    match (&typed, &columns) {
        (Ok((rs, total)), Ok((batch, fast_total))) => {
            assert_eq!(total, fast_total);
            assert_eq!(&batch_with(rs, &[]).expect("a batch"), batch);
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("typed {:?} vs columns {:?}", a.is_ok(), b.is_ok()),
    }
    for layout in [Layout::Objects, Layout::Rows] {
        let fast = decode_search_json(&resp, "results/kpn", layout);
        match (&typed, &fast) {
            (Ok((rs, total)), Ok((rows, fast_total))) => {
                assert_eq!(total, fast_total);
                let slow = JsonRows::from_results(rs, layout).expect("JSON");
                assert_eq!(json_of(&slow), json_of(rows));
            }
            (Ok(_), Err(e)) => panic!("typed decodes, the transcoder fails: {e}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (Err(_), Ok(_)) => {} // copied as written (documented)
        }
    }
});
