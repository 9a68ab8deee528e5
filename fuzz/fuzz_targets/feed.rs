//! Feeds, OPML, newsboat `urls` files and HTML bodies on any bytes: an error, a list of feeds, or clean articles with
//! headlines; never a panic. A seed corpus: `cp ../tests/fixtures/feeds/*.xml corpus/feed/`.
#![no_main]

use broadsheet::sanitize::is_clean;
use broadsheet::source::{self, Document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let origin = url::Url::parse("https://example.org/feed/").ok();
    // Every input as a feed (a leading `<` or a JSON Feed), and as HTML to paragraphs.
    if let Ok(Document::Articles { articles, notices }) =
        source::parse_document("fuzz.xml", bytes, origin.as_ref(), None)
    {
        for (i, article) in articles.to_vec().into_iter().enumerate() {
            // The source a fetch names the feed by, without converting: the article's.
            assert_eq!(articles.source(i), article.source);
            assert!(!article.title.is_empty() && is_clean(&article.title));
            assert!(article.body.iter().all(|p| is_clean(p) && !p.contains('\t')));
            assert!(article.captions.iter().all(|c| is_clean(&c.text) && c.credit.as_deref().is_none_or(is_clean)));
            assert!([&article.url, &article.source, &article.published].into_iter().flatten().all(|f| is_clean(f)));
        }
        assert!(notices.iter().all(|n| !n.is_empty()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        // As a newsboat `urls` file: what is passed over is named in text safe to print.
        let (outlines, passed_over) = source::urls::parse(text);
        assert!(outlines.iter().all(|o| !o.url.is_empty()));
        assert!(passed_over.iter().all(|n| is_clean(n) && n.starts_with("line ")));
        let converted = source::html::convert(text, origin.as_ref());
        assert!(converted.paragraphs.iter().all(|p| !p.trim().is_empty()));
        let _ = source::html::inline_text(text);
    }
});
