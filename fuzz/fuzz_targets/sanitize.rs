//! The sanitizer: output clean, tab-free, and stable under a second pass; and the block-wise
//! `is_clean` says what decoding every char says.
#![no_main]

use broadsheet::sanitize::{is_clean, is_unsafe, sanitize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    assert_eq!(is_clean(text), !text.chars().any(|c| c != '\n' && is_unsafe(c)), "{text:?}");
    let once = sanitize(text);
    assert!(is_clean(&once));
    assert!(!once.contains('\t'));
    assert_eq!(sanitize(&once), once);
});
