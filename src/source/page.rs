//! An article page to one article: the reader view.
//!
//! The main content is found by Mozilla Readability's algorithm (dom_smoothie, a close port of
//! readability.js). Its result, cleaned HTML, then goes through the same conversion as feed
//! entries (`html.rs`): paragraphs, a Links list, and the `<figure>`s as captions with their
//! credits; classes are kept through Readability's cleaning for that.
//! Scripts never run. Markup nested absurdly deep is flattened first (as for feeds).

use unicode_segmentation::UnicodeSegmentation;
use url::Url;

use super::html;
use crate::article::Article;

/// An element named as what is around an article (sign-up, sharing, related links, comments:
/// `html::is_boilerplate_name`) is removed before Readability, unless it holds this share of
/// the page's text or more: then it is a wrapper of the article, not a box beside it.
const BOILERPLATE_MAX_SHARE: f64 = 0.25;

/// Fewer words than this in what Readability found, and no paragraph, is not an article: a
/// menu, a login form, an error page. (A short page of paragraphs is one, as it is for Firefox's
/// Reader View.) Words as Unicode counts them: each ideograph of Chinese or Japanese is one.
const MIN_ARTICLE_WORDS: usize = 30;

/// Is this text an HTML page (rather than a feed or a list)?
pub fn is_html(text: &str) -> bool {
    let start = text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
    let head: String = start.chars().take(256).collect::<String>().to_ascii_lowercase();
    let head = head.trim_start_matches(|c: char| c != '<');
    // An XML prolog or comments may come first.
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with("<!--") && head.contains("<html"))
        || (head.starts_with("<?xml") && head.contains("<html"))
}

/// The page's article; `origin` is where it came from (links are made absolute against it).
pub fn parse(text: &str, origin: Option<&Url>) -> Result<Article, String> {
    let limited = html::limit_depth(text, 256);
    // Every class kept: the caption pass reads credits by class, the converter drops
    // sign-up boxes and sharing by class.
    let config = dom_smoothie::Config { keep_classes: true, ..dom_smoothie::Config::default() };
    let origin_text = origin.map(Url::as_str);
    let document = dom_query::Document::from(limited.as_ref());
    remove_boilerplate(&document);
    let mut readability =
        dom_smoothie::Readability::with_document(document, origin_text, Some(config)).map_err(|err| err.to_string())?;
    let found = readability.parse().map_err(|_| "no article found in this page".to_string())?;
    // The page's own address (canonical, og:url, JSON-LD): the base of its links when it came
    // from a file.
    let canonical = canonical(text)
        .or(found.url.as_deref())
        .and_then(|u| super::feed::join(origin, u))
        .and_then(|u| Url::parse(&u).ok());
    let base = origin.cloned().or_else(|| canonical.clone());
    let converted = html::convert_page(&found.content, base.as_ref());
    // A menu, a login form or an error page is no article.
    let words: usize = converted.paragraphs.iter().map(|p| p.unicode_words().count()).sum();
    if words == 0 || (words < MIN_ARTICLE_WORDS && !has_paragraph(&found.content)) {
        return Err("no article found in this page".into());
    }
    let body = super::feed::with_links(converted.paragraphs, &converted.links);
    let captions = super::feed::distinct_captions(converted.figures.into_iter());
    let mut article = Article::new(html::collapse(&found.title), captions, body);
    article.source = found
        .site_name
        .map(|s| html::collapse(&s))
        .filter(|s| !s.is_empty())
        .or_else(|| origin.and_then(Url::host_str).map(|h| h.trim_start_matches("www.").to_string()));
    article.published = found.published_time.as_deref().and_then(super::date::rfc3339);
    article.url = canonical.or_else(|| origin.cloned()).map(String::from);
    if let Some(url) = &article.url {
        article.id = url.clone();
    }
    let mut article = super::json::clean_converted(article);
    if article.title.is_empty() {
        // No title, or one that was nothing but control characters: the text's first sentence.
        let text: Vec<String> = article.body.iter().map(|p| p.to_string()).collect();
        article.title = super::feed::excerpt(&text).ok_or("no article found in this page")?;
    }
    Ok(article)
}

/// Has this HTML a `<p>` element?
fn has_paragraph(html: &str) -> bool {
    html.match_indices("<p")
        .any(|(at, _)| matches!(html.as_bytes().get(at + 2), Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')))
}

/// Removes the sign-up boxes, sharing bars, related links and comments (by class or id) that
/// Readability would otherwise fold into the article's paragraphs; see [`BOILERPLATE_MAX_SHARE`].
fn remove_boilerplate(document: &dom_query::Document) {
    let named = |node: &dom_query::NodeRef| {
        node.attr("id").is_some_and(|id| html::is_boilerplate_name(&id))
            || node.attr("class").is_some_and(|class| class.split_whitespace().any(html::is_boilerplate_name))
    };
    let candidates: Vec<dom_query::NodeRef> =
        document.select("body [class], body [id]").nodes().iter().filter(|n| named(n)).cloned().collect();
    if candidates.is_empty() {
        return;
    }
    let page = document.select("body").text().chars().filter(|c| !c.is_whitespace()).count().max(1);
    for node in candidates {
        let text = node.text().chars().filter(|c| !c.is_whitespace()).count();
        if (text as f64) < BOILERPLATE_MAX_SHARE * page as f64 {
            node.remove_from_parent();
        }
    }
}

/// `<link rel="canonical" href>`, else `<meta property="og:url" content>`, in the page's head.
fn canonical(text: &str) -> Option<&str> {
    // The first 64 KiB, cut where a character ends (found by the `page` fuzz target: a cut
    // inside one panicked).
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let head = head.get(..head.to_ascii_lowercase().find("</head").unwrap_or(head.len())).unwrap_or(head);
    let tags = |name: &'static str| {
        let lower = head.to_ascii_lowercase();
        let starts: Vec<usize> = lower.match_indices(name).map(|(at, _)| at).collect();
        starts.into_iter().map(move |at| &head[at..head[at..].find('>').map_or(head.len(), |end| at + end)])
    };
    let link = tags("<link").find(|tag| {
        super::decode::attribute_value(tag, "rel").is_some_and(|rel| rel.eq_ignore_ascii_case("canonical"))
    });
    if let Some(href) = link.and_then(|tag| super::decode::attribute_value(tag, "href")) {
        return Some(href);
    }
    tags("<meta")
        .find(|tag| super::decode::attribute_value(tag, "property").is_some_and(|p| p.eq_ignore_ascii_case("og:url")))
        .and_then(|tag| super::decode::attribute_value(tag, "content"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_are_told_from_feeds() {
        assert!(is_html("<!DOCTYPE html><html><body></body></html>"));
        assert!(is_html("\u{feff}\n  <html lang=en>"));
        assert!(is_html("<!-- generated --><html>"));
        assert!(!is_html("<?xml version=\"1.0\"?><rss/>"));
        assert!(!is_html("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    }
}
