//! The reader view: an article page to one article, its captions with credits, and nothing
//! around it. Pages in tests/fixtures/pages are written for these tests.

mod server;

use broadsheet::article::{Article, Caption};
use broadsheet::sanitize::is_clean;
use broadsheet::source::{self, Document};

fn page(bytes: &[u8], origin: Option<&str>) -> Result<Article, String> {
    let origin = origin.map(|o| url::Url::parse(o).unwrap());
    match source::parse_document("page.html", bytes, origin.as_ref(), None) {
        Ok(Document::Articles { articles, .. }) => {
            assert_eq!(articles.len(), 1);
            Ok(articles.article(0).into_owned())
        }
        Ok(Document::Opml(_)) => panic!("a page is no OPML"),
        Err(err) => Err(err.to_string()),
    }
}

fn harbour() -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/pages/harbour.html", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_article_of_a_news_page_with_captions_and_credits() {
    let article = page(&harbour(), None).unwrap();
    assert_eq!(article.title, "Harbour Reopens After Winter Storm", "the site's suffix goes");
    assert_eq!(article.source.as_deref(), Some("The Coastal Gazette"));
    assert_eq!(article.published.as_deref(), Some("2026-11-28T06:30:00Z"));
    assert_eq!(article.url.as_deref(), Some("https://gazette.example/2026/11/28/harbour-reopens"), "canonical");
    assert!(
        article.body[0].starts_with("The inner harbour reopened to fishing boats on Thursday"),
        "{:?}",
        article.body
    );
    let links = article.links();
    let last = &article.body[article.body.len() - links.len() - 2];
    assert!(last.starts_with("Fishermen who lost gear in the storm"), "{last}");
    assert_eq!(links, ["https://gazette.example/2026/11/27/council-budget"], "absolute against the canonical URL");
    assert_eq!(
        article.captions,
        [
            Caption {
                text: "Fishing boats return to the inner harbour on Thursday morning.".into(),
                credit: Some("Ola Berg/Gazette".into())
            },
            Caption { text: "The north pier, torn from its moorings.".into(), credit: Some("Kari Lund/NTB".into()) },
        ]
    );
    let all = article.body.join("\n");
    for boilerplate in [
        "Subscribe now",
        "Share on social",
        "newsletter",
        "Related stories",
        "Comments",
        "reader123",
        "All rights reserved",
        "TRACKER-SCRIPT-TEXT",
        "Ola Berg",
    ] {
        assert!(!all.contains(boilerplate), "{boilerplate:?} in the body:\n{all}");
    }
    assert!(article.body.iter().all(|p| is_clean(p)));
}

#[test]
fn pages_without_an_article_are_refused_by_name() {
    let err =
        page(b"<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>", None)
            .unwrap_err();
    assert_eq!(err, "page.html: no article found in this page");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["list", &format!("{}/tests/fixtures/pages/missing-article.html", env!("CARGO_MANIFEST_DIR"))])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn charsets_nesting_and_size() {
    // windows-1251 declared in a meta tag.
    let text = format!(
        "<html><head><meta charset=\"windows-1251\"><title>Новости</title></head><body><article><h1>Новости дня</h1><p>{}</p></article></body></html>",
        "Москва сегодня встречает зиму, и жители города готовятся к холодам. ".repeat(6)
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let article = page(&bytes, None).unwrap();
    assert!(article.body.iter().any(|p| p.starts_with("Москва сегодня встречает зиму")), "{:?}", article.body);
    // 100,000 nested elements: neither a crash nor a hang.
    let deep = format!(
        "<html><body><article><p>{}</p>{}deep{}</article></body></html>",
        "A sentence of the story that is long enough to be read. ".repeat(10),
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let started = std::time::Instant::now();
    let article = page(deep.as_bytes(), None).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(article.body[0].starts_with("A sentence of the story"), "{:?}", article.body);
}

#[test]
fn a_page_from_a_url() {
    let server = server::Server::start(|path| match path {
        "/2026/11/28/harbour-reopens" => server::Reply::ok("text/html; charset=utf-8", harbour()),
        _ => server::Reply::status(404),
    });
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["show", "1", &server.url("/2026/11/28/harbour-reopens")])
        .env("BROADSHEET_CACHE_DIR", "")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(text.starts_with("Harbour Reopens After Winter Storm\nThe Coastal Gazette"), "{text}");
    assert!(text.contains("Credit: Ola Berg/Gazette"), "{text}");
}

/// Found by the `feed` fuzz target through the reader view: a page whose title sanitizes to
/// nothing must not give an empty headline.
#[test]
fn a_page_title_that_sanitizes_to_nothing_is_no_headline() {
    let bytes =
        std::fs::read(format!("{}/tests/fixtures/fuzz/page-empty-title.html", env!("CARGO_MANIFEST_DIR"))).unwrap();
    match page(&bytes, None) {
        Ok(article) => assert!(!article.title.is_empty() && is_clean(&article.title), "{:?}", article.title),
        Err(err) => assert!(err.contains("no article found"), "{err}"),
    }
    let text = format!(
        "<html><head><title>\u{98}gone\u{9c}</title></head><body><article><p>{}</p></article></body></html>",
        "The story begins here and goes on for a while. ".repeat(8)
    );
    let article = page(text.as_bytes(), None).unwrap();
    assert_eq!(article.title, "The story begins here and goes on for a while.");
}

/// Found by the `page` fuzz target: a paragraph of nothing but a control character (or an
/// escape sequence) is sanitized to nothing, and then is no paragraph.
#[test]
fn paragraphs_of_control_characters_are_dropped() {
    let words = "The harbour reopened to fishing boats on Thursday after the storm. ".repeat(4);
    let html = format!(
        "<!DOCTYPE html><html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>\
         <p>{words}</p><p>\u{17}</p><p>\u{1b}[2J</p><p>{words}</p></article></body></html>"
    );
    let article = page(html.as_bytes(), None).unwrap();
    assert_eq!(article.body.len(), 2, "{:?}", article.body);
    assert!(article.body.iter().all(|p| is_clean(p) && !p.trim().is_empty()));
}

/// Found by the `page` fuzz target: the head is searched in the page's first 64 KiB, and a
/// page whose 64 KiB boundary falls inside a character panicked there.
#[test]
fn a_multibyte_character_across_the_head_limit_is_no_panic() {
    let words = "The harbour reopened to fishing boats on Thursday after the storm. ".repeat(4);
    // `│` is three bytes; the padding puts one across byte 65,536.
    let padding = "x".repeat(65_536 - 60);
    let html = format!(
        "<!DOCTYPE html><html><head><title>Harbour</title><!--{padding}│││--></head><body><article><h1>Harbour</h1><p>{words}</p></article></body></html>"
    );
    let at = html.find('│').unwrap();
    assert!(at < 65_536 && at + 9 > 65_536, "the boundary is inside the run of │: {at}");
    assert!((at..at + 9).any(|i| i == 65_536 - 1 || i == 65_536 - 2), "inside a character");
    let article = page(html.as_bytes(), None).unwrap();
    assert_eq!(article.title, "Harbour");
}
