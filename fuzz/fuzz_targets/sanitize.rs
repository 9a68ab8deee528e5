//! The sanitizer: output clean, tab-free, and stable under a second pass.
#![no_main]

use broadsheet::sanitize::{is_clean, sanitize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let once = sanitize(text);
    assert!(is_clean(&once));
    assert!(!once.contains('\t'));
    assert_eq!(sanitize(&once), once);
});
