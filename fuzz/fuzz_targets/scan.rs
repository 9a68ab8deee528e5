//! The fast JSON path on any bytes: whenever it reads an article, serde reads the same headline,
//! id and end, and whenever it keeps a headline and id (content ids included), they are the ones
//! the cleaned article has; never a panic.
#![no_main]

use broadsheet::source::{json, scan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Some(scanned) = scan::article(bytes, 0) {
        let expected = (scanned.title.to_string(), scanned.id.unwrap_or("").to_string(), scanned.end);
        assert_eq!(json::serde_headline_and_id(bytes, 0), Some(expected), "{:?}", String::from_utf8_lossy(bytes));
    }
    if let Some(kept) = json::fast_headline_and_id(bytes, 0) {
        assert_eq!(json::cleaned_headline_and_id(bytes, 0), Some(kept), "{:?}", String::from_utf8_lossy(bytes));
    }
});
