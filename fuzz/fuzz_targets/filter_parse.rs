//! `Filter::parse` and `SearchPath::parse` never panic on any text, and every filter they accept
//! renders to a path that parses back to the same filter, canonically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use webcare::{Filter, SearchPath};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(f) = Filter::parse(text) {
        let rendered = f.render();
        let back = Filter::parse(&rendered)
            .unwrap_or_else(|e| panic!("{text:?} rendered as {rendered:?} does not parse: {e}"));
        assert_eq!(f, back, "{text:?} -> {rendered:?}");
        assert_eq!(back.render(), rendered, "rendering is canonical");
        let _ = f.validate();
    }
    if let Ok(p) = SearchPath::parse(text) {
        let rendered = p.render();
        let back = SearchPath::parse(&rendered)
            .unwrap_or_else(|e| panic!("{text:?} rendered as {rendered:?} does not parse: {e}"));
        assert_eq!(p.filter, back.filter, "{text:?} -> {rendered:?}");
        assert_eq!(p.profile, back.profile, "{text:?} -> {rendered:?}");
    }
});
