//! The dump importer on any text: never panics, loses no line, gives clean text.
#![no_main]

use broadsheet::sanitize::is_clean;
use broadsheet::source::dump;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for article in dump::parse(text) {
        assert!(!article.title.is_empty());
        assert!(is_clean(&article.title));
        assert!(article.body.iter().all(|p| is_clean(p)));
        assert!(article.captions.iter().all(|c| is_clean(&c.text)));
    }
});
