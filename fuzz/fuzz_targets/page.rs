//! The reader view's extractor on any bytes: an article page becomes one article with a
//! headline and clean text, or an error that says why; never a panic. A seed corpus:
//! `cp ../tests/fixtures/pages/*.html corpus/page/` (and Mozilla's test pages, if installed:
//! `for d in ../target/bench-tools/readability/test-pages/*; do cp $d/source.html corpus/page/$(basename $d).html; done`).
#![no_main]

use broadsheet::sanitize::is_clean;
use broadsheet::source::{self, Document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let origin = url::Url::parse("https://news.example/2026/11/story").ok();
    // As the loader sees it (charset, then feed or page by content) and as a page whatever it is.
    let decoded = source::decode::decode(bytes, None);
    let direct = source::page::parse(&decoded.text, origin.as_ref());
    let loaded = match source::parse_document("fuzz.html", bytes, origin.as_ref(), None) {
        Ok(Document::Articles { articles, .. }) => articles.to_vec(),
        _ => Vec::new(),
    };
    for article in direct.into_iter().chain(loaded) {
        assert!(!article.title.is_empty() && is_clean(&article.title));
        assert!(article.body.iter().all(|p| is_clean(p) && !p.trim().is_empty()));
        assert!(article.captions.iter().all(|c| is_clean(&c.text) && c.credit.as_deref().is_none_or(is_clean)));
        assert!([&article.url, &article.source, &article.published].into_iter().flatten().all(|f| is_clean(f)));
    }
});
