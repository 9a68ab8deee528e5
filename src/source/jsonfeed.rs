//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>) to articles, through the same
//! entry shape as RSS and Atom (see `feed.rs`).
//!
//! Read leniently: a field of the wrong type is treated as missing, not as an error.

use std::borrow::Cow;

use serde_json::Value;
use url::Url;

use super::feed::{self, Entry, Feed, Text};

/// Is this JSON document a JSON Feed? Its `version` names jsonfeed.org; looked for in the first
/// bytes only, so a large canonical collection is not scanned.
pub fn is_json_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    memchr::memmem::find(head, b"jsonfeed.org/version").is_some()
        && memchr::memmem::find(head, b"\"version\"").is_some()
}

/// Reads a JSON Feed; `origin` is where it came from, for relative links.
pub fn parse(text: &str, origin: Option<&Url>) -> Result<Feed, serde_json::Error> {
    let document: Value = serde_json::from_str(text)?;
    let title = string(&document, "title").map(super::html::inline_text);
    let base =
        string(&document, "home_page_url").and_then(|home| feed::join(origin, home)).and_then(|h| Url::parse(&h).ok());
    let base = base.or_else(|| origin.cloned());
    let items = document.get("items").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let entries = items
        .iter()
        .map(|item| {
            let id = match item.get("id") {
                Some(Value::String(id)) if !id.trim().is_empty() => Some(id.trim().to_string()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            Entry {
                title: string(item, "title").map(super::html::inline_text),
                link: string(item, "url")
                    .or_else(|| string(item, "external_url"))
                    .and_then(|u| feed::join(base.as_ref(), u)),
                id,
                published: string(item, "date_published").map(str::to_string),
                updated: string(item, "date_modified").map(str::to_string),
                content: string(item, "content_html")
                    .map(|h| Text::Html(Cow::Borrowed(h)))
                    .or_else(|| string(item, "content_text").map(|t| Text::Plain(Cow::Borrowed(t)))),
                summary: string(item, "summary").map(|s| Text::Plain(Cow::Borrowed(s))),
                base: base.clone(),
                media: Vec::new(),
            }
        })
        .collect();
    Ok(feed::finish(title, entries, origin))
}

/// A non-empty string field, trimmed.
fn string<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_feed_items() {
        let text = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "My Example Feed",
            "home_page_url": "https://example.org/",
            "items": [
              {"id": "2", "content_text": "This is a second item.", "url": "https://example.org/second-item"},
              {"id": 1, "title": "First &amp; best", "content_html": "<p>Hello, <a href=\"/w\">world</a>!</p>", "url": "/initial-post",
               "date_published": "2010-02-07T14:04:00-05:00"},
              {"id": "3", "title": 7}
            ]}"#;
        assert!(is_json_feed(text.as_bytes()));
        assert!(!is_json_feed(br#"{"articles": []}"#));
        let feed = parse(text, None).unwrap();
        assert_eq!(feed.title.as_deref(), Some("My Example Feed"));
        let articles = feed.articles.to_vec();
        assert_eq!(articles.len(), 2, "an item with neither title nor text is left out");
        let second = &articles[0];
        assert_eq!((second.id.as_str(), second.title.as_str()), ("2", "This is a second item."));
        let first = &articles[1];
        assert_eq!(first.title, "First & best");
        assert_eq!(first.url.as_deref(), Some("https://example.org/initial-post"));
        assert_eq!(first.published.as_deref(), Some("2010-02-07T19:04:00Z"));
        assert_eq!(first.body, ["Hello, world [1]!", "Links", "[1] https://example.org/w"]);
        assert_eq!(first.source.as_deref(), Some("My Example Feed"));
        assert_eq!(feed.notices.len(), 1);
    }
}
