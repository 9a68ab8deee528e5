//! The JSON loader on any bytes: an error or clean articles, never a panic.
#![no_main]

use broadsheet::sanitize::is_clean;
use broadsheet::source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(articles) = source::parse_bytes("fuzz.json", Some(std::path::Path::new("fuzz.json")), bytes) {
        for article in articles {
            assert!(is_clean(&article.title) && !article.title.is_empty());
            assert!(article.body.iter().all(|p| is_clean(p)));
        }
    }
});
