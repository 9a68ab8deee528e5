//! News feeds to articles: RSS 0.90, 0.91, 0.92, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0 (this file),
//! JSON Feed 1.0 and 1.1 (`jsonfeed.rs`); each entry becomes an [`Article`] in feed order.
//!
//! - `title`: plain text (entities decoded, markup removed, whitespace collapsed); an entry without
//!   one gets the first sentence of its text, shortened to about 120 columns.
//! - `url`: the alternate link, absolute (xml:base, then the feed's link, then where the feed came
//!   from). `id`: the guid / id, else the link, else the content hash.
//! - `published`: RFC 3339 UTC from the published date, else the updated date (see `date.rs`).
//! - `body`: the full content, else the summary, as paragraphs (see `html.rs`), ending with a
//!   `Links` list when the text has links.
//! - `captions`: Media RSS descriptions and credits, and the content's `<figure>`s, each picture
//!   once.

use std::borrow::Cow;

use rayon::prelude::*;
use unicode_width::UnicodeWidthChar;
use url::Url;

use super::html::{self, Figure};
use super::xml::{self, Element};
use crate::article::{Article, Caption, LINKS_HEADING};
use crate::collection::{Collection, Pending, Saved, Texts};
use crate::sanitize::sanitize;

/// A feed read from a document.
#[derive(Debug, Default)]
pub struct Feed {
    pub title: Option<String>,
    /// Its entries, in feed order; their text becomes paragraphs when one is opened.
    pub articles: Collection,
    /// What the user should know: entries left out, a document cut short.
    pub notices: Vec<String>,
}

/// What an XML document turned out to be.
#[derive(Debug)]
pub enum XmlDocument {
    Feed(Box<Feed>),
    /// An OPML subscription list: the feeds' URLs, in order.
    Opml(Vec<Outline>),
}

/// One feed of an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub url: String,
    pub title: Option<String>,
    /// The folders (outlines) it sits in, outermost first.
    pub tags: Vec<String>,
}

/// The entry's text, as the feed gave it (borrowed from the parsed document where it can be).
#[derive(Debug, Clone)]
pub enum Text<'a> {
    Html(Cow<'a, str>),
    Plain(Cow<'a, str>),
}

/// An entry in the shape every feed format reduces to.
#[derive(Debug, Default, Clone)]
pub struct Entry<'a> {
    /// Plain text already.
    pub title: Option<String>,
    pub link: Option<String>,
    pub id: Option<String>,
    pub published: Option<String>,
    pub updated: Option<String>,
    pub content: Option<Text<'a>>,
    pub summary: Option<Text<'a>>,
    /// Where relative links in the entry's text point from.
    pub base: Option<Url>,
    pub media: Vec<Figure>,
}

/// Headlines made from an entry's text are cut to about this many columns.
const EXCERPT_COLUMNS: usize = 120;

/// Reads an XML document: a feed (RSS or Atom) or an OPML list. `origin` is the URL it came
/// from, for relative links. Errors say what the document is instead, or why nothing was read.
pub fn parse_xml(text: &str, origin: Option<&Url>) -> Result<XmlDocument, String> {
    let document = xml::parse(text);
    let root = &document.root;
    let broken = |what: &str| match &document.error {
        Some((line, reason)) => format!("not well-formed XML at line {line} ({reason}){what}"),
        None => String::new(),
    };
    let mut result = match root.local() {
        "rss" | "RDF" | "channel" => Ok(XmlDocument::Feed(Box::new(rss(root, origin)))),
        "feed" => Ok(XmlDocument::Feed(Box::new(atom(root, origin)))),
        "opml" => return Ok(XmlDocument::Opml(opml(root))),
        "" => return Err(if document.error.is_some() { broken("") } else { "no XML element found".to_string() }),
        other => {
            return Err(format!(
                "not a feed: the document is <{other}> (expected RSS, Atom, JSON Feed or OPML){}",
                broken("")
            ));
        }
    };
    if let (Ok(XmlDocument::Feed(feed)), Some(_)) = (&mut result, &document.error) {
        if feed.articles.is_empty() {
            return Err(broken(""));
        }
        feed.notices.push(broken("; the entries before it were read"));
    }
    result
}

/// RSS 0.9x, 1.0 (RDF, items beside the channel) and 2.0 (items inside it).
fn rss(root: &Element<'_>, origin: Option<&Url>) -> Feed {
    let channel = if root.local() == "channel" { Some(root) } else { root.child("channel") };
    let title = channel.and_then(|c| c.child_text("title")).map(html::inline_text);
    let base = base_of(channel.unwrap_or(root), origin);
    let link = channel.and_then(|c| c.child_text("link")).and_then(|l| join(base.as_ref(), l));
    let base = link.and_then(|l| Url::parse(&l).ok()).or(base);
    let items = channel.into_iter().flat_map(|c| c.all("item")).chain(root.all("item"));
    let entries: Vec<Entry> = items.map(|item| rss_item(item, base.as_ref())).collect();
    finish(title, entries, origin)
}

fn rss_item<'a>(item: &'a Element<'_>, base: Option<&Url>) -> Entry<'a> {
    let base = base_of_from(item, base);
    let guid = item.child("guid");
    let guid_text = guid.map(|g| g.text.trim()).filter(|g| !g.is_empty());
    let permalink = guid.is_some_and(|g| !g.attr("isPermaLink").is_some_and(|p| p.eq_ignore_ascii_case("false")));
    let link = item
        .child_text("link")
        .or_else(|| atom_link(item))
        .or_else(|| guid_text.filter(|g| permalink && is_web_url(g)))
        .and_then(|l| join(base.as_ref(), l));
    Entry {
        title: item.child_text("title").or_else(|| item.child_text("dc:title")).map(html::inline_text),
        link,
        id: guid_text.map(str::to_string),
        published: ["pubDate", "dc:date", "atom:published", "dc:created", "dc:issued"]
            .iter()
            .find_map(|n| item.child_text(n))
            .map(str::to_string),
        updated: ["atom:updated", "dc:modified", "lastBuildDate"]
            .iter()
            .find_map(|n| item.child_text(n))
            .map(str::to_string),
        content: item
            .child_text("content:encoded")
            .map(|c| Text::Html(Cow::Borrowed(c)))
            .or_else(|| item.child("xhtml:body").and_then(markup_or_text)),
        summary: item.child_text("description").map(|d| Text::Html(Cow::Borrowed(d))),
        media: media(item, base.as_ref()),
        base,
    }
}

/// An `atom:link` in an RSS item (rel alternate).
fn atom_link<'a>(item: &'a Element<'_>) -> Option<&'a str> {
    item.all("atom:link").find(|l| matches!(l.attr("rel"), None | Some("alternate"))).and_then(|l| l.attr("href"))
}

fn markup_or_text<'a>(element: &'a Element<'_>) -> Option<Text<'a>> {
    match &element.markup {
        Some(markup) => Some(Text::Html(Cow::Borrowed(markup))),
        None => Some(Text::Html(Cow::Borrowed(&element.text))).filter(|_| !element.text.trim().is_empty()),
    }
}

/// Atom 1.0 and 0.3.
fn atom(root: &Element<'_>, origin: Option<&Url>) -> Feed {
    let feed_base = base_of(root, origin);
    let alternate = alternate_link(root, feed_base.as_ref());
    let base = match root.attr("xml:base") {
        Some(_) => feed_base,
        None => alternate.as_deref().and_then(|l| Url::parse(l).ok()).or(feed_base),
    };
    let title = atom_is(root, "title").and_then(atom_title);
    let entries: Vec<Entry> = root
        .children
        .iter()
        .filter(|c| c.local() == "entry" && is_atom(c))
        .map(|entry| atom_entry(entry, base.as_ref()))
        .collect();
    finish(title, entries, origin)
}

/// Atom elements are named `atom:x`, or `x` when the document did not declare the namespace.
fn is_atom(element: &Element<'_>) -> bool {
    element.name == element.local() || element.name.starts_with("atom:")
}

fn atom_is<'a, 'd>(parent: &'a Element<'d>, local: &str) -> Option<&'a Element<'d>> {
    parent.children.iter().find(|c| c.local() == local && is_atom(c))
}

fn atom_entry<'a>(entry: &'a Element<'_>, base: Option<&Url>) -> Entry<'a> {
    let base = base_of_from(entry, base);
    let id = atom_is(entry, "id").map(|i| i.text.trim()).filter(|i| !i.is_empty());
    let link = alternate_link(entry, base.as_ref()).or_else(|| id.filter(|i| is_web_url(i)).map(str::to_string));
    let date = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| atom_is(entry, n).map(|e| e.text.trim()).filter(|t| !t.is_empty()))
            .map(str::to_string)
    };
    let text = |name: &str| atom_is(entry, name).and_then(atom_text);
    let content_base = atom_is(entry, "content").and_then(|c| base_of_from(c, base.as_ref())).or(base.clone());
    Entry {
        title: atom_is(entry, "title").and_then(atom_title),
        link,
        id: id.map(str::to_string),
        published: date(&["published", "issued", "created"]),
        updated: date(&["updated", "modified"]),
        content: text("content"),
        summary: text("summary"),
        media: media(entry, base.as_ref()),
        base: content_base,
    }
}

/// The `rel="alternate"` (or rel-less) link, preferring HTML, made absolute.
fn alternate_link(parent: &Element<'_>, base: Option<&Url>) -> Option<String> {
    let links: Vec<&Element> = parent
        .children
        .iter()
        .filter(|c| c.local() == "link" && is_atom(c) && matches!(c.attr("rel"), None | Some("alternate")))
        .collect();
    let html = links.iter().find(|l| l.attr("type").is_none_or(|t| t.contains("html"))).or(links.first())?;
    let href = html.attr("href").map(str::trim).filter(|h| !h.is_empty())?;
    join(base_of_from(html, base).as_ref().or(base), href)
}

/// An Atom text construct as plain text (for titles).
fn atom_title(element: &Element<'_>) -> Option<String> {
    let title = match atom_text(element)? {
        Text::Html(html) => html::inline_text(&html),
        Text::Plain(text) => html::collapse(&text),
    };
    Some(title).filter(|t| !t.is_empty())
}

/// An Atom text construct: `type` text / html / xhtml (1.0), MIME types and `mode` escaped / xml
/// / base64 (0.3). Out-of-line content (`src`) and other media types have no text.
fn atom_text<'a>(element: &'a Element<'_>) -> Option<Text<'a>> {
    if let Some(markup) = &element.markup {
        return Some(Text::Html(Cow::Borrowed(markup)));
    }
    let kind = element.attr("type").unwrap_or("").trim().to_ascii_lowercase();
    let raw = if element.attr("mode") == Some("base64") {
        use base64::Engine;
        let cleaned: String = element.text.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(cleaned).ok()?;
        Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
    } else {
        Cow::Borrowed(element.text.as_ref())
    };
    if raw.trim().is_empty() || element.attr("src").is_some() {
        return None;
    }
    match kind.as_str() {
        "html" | "text/html" => Some(Text::Html(raw)),
        // Atom 0.3 "escaped" content is HTML whatever its type says.
        _ if element.attr("mode") == Some("escaped") => Some(Text::Html(raw)),
        "text" | "text/plain" => Some(Text::Plain(raw)),
        // No type: text by the spec, but feeds that omit it mostly send HTML.
        "" if looks_like_html(&raw) => Some(Text::Html(raw)),
        "" => Some(Text::Plain(raw)),
        other if other.starts_with("text/") => Some(Text::Plain(raw)),
        _ => None,
    }
}

fn looks_like_html(text: &str) -> bool {
    ["</", "<br", "<p>", "<p ", "<img", "&lt;", "&amp;", "&#"].iter().any(|tag| text.contains(tag))
}

/// Media RSS: `media:content`, `media:thumbnail` and `media:group`, with `media:description` (or
/// `media:title`) as the caption and `media:credit` as its credit. Descriptions given beside the
/// media (at the item's or the group's level) go to the first picture without its own.
fn media(parent: &Element<'_>, base: Option<&Url>) -> Vec<Figure> {
    let mut figures = Vec::new();
    collect_media(parent, base, &mut figures);
    for group in parent.all("media:group") {
        collect_media(group, base, &mut figures);
    }
    figures
}

fn collect_media(parent: &Element<'_>, base: Option<&Url>, figures: &mut Vec<Figure>) {
    let shared = media_caption(parent);
    let mut shared_used = false;
    for medium in parent.children.iter().filter(|c| c.name == "media:content" || c.name == "media:thumbnail") {
        let image = medium.attr("url").and_then(|u| join(base, u));
        let own = media_caption(medium);
        let caption = match own {
            Some(caption) => Some(caption),
            None if !shared_used => {
                shared_used = shared.is_some();
                shared.clone()
            }
            None => None,
        };
        if let Some(caption) = caption {
            figures.push(Figure { caption, image });
        }
    }
    if !shared_used && let Some(caption) = shared {
        figures.push(Figure { caption, image: None });
    }
}

/// The caption an element describes with its own `media:description` / `media:title` and
/// `media:credit` children.
fn media_caption(element: &Element<'_>) -> Option<Caption> {
    let text_of = |name: &str| {
        element.all(name).find_map(|e| {
            let text =
                if e.attr("type") == Some("html") { html::inline_text(&e.text) } else { html::collapse(&e.text) };
            Some(text).filter(|t| !t.is_empty())
        })
    };
    let text = text_of("media:description").or_else(|| text_of("media:title"))?;
    let credit = text_of("media:credit");
    Some(match credit {
        Some(credit) => Caption { text, credit: Some(credit) },
        // No credit element: the caption may carry its own (`… (Photo: AP)`).
        None => html::caption_from_text(&text, None),
    })
}

/// The element's `xml:base`, resolved against the inherited base.
fn base_of(element: &Element<'_>, inherited: Option<&Url>) -> Option<Url> {
    base_of_from(element, inherited).or_else(|| inherited.cloned())
}

fn base_of_from(element: &Element<'_>, inherited: Option<&Url>) -> Option<Url> {
    match element.attr("xml:base") {
        Some(base) => join(inherited, base).and_then(|b| Url::parse(&b).ok()).or_else(|| inherited.cloned()),
        None => inherited.cloned(),
    }
}

/// `link` made absolute against `base` where it can be; an absolute link as it is.
pub fn join(base: Option<&Url>, link: &str) -> Option<String> {
    let link = link.trim();
    if link.is_empty() {
        return None;
    }
    match Url::parse(link) {
        Ok(url) => Some(url.to_string()),
        Err(_) => Some(match base.map(|b| b.join(link)) {
            Some(Ok(url)) => url.to_string(),
            _ => link.to_string(),
        }),
    }
}

fn is_web_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Entries to a collection, with notices. An entry with a title and an id (or a link) is kept
/// as it is and converted when it is opened; the others (whose headline or id comes from their
/// text) are converted now (on every core, for a large feed).
pub fn finish(title: Option<String>, entries: Vec<Entry<'_>>, origin: Option<&Url>) -> Feed {
    let title = title.filter(|t| !t.is_empty());
    // Sanitized as an article's fields are, so that `Pending::source` is the article's.
    let source = title.clone().or_else(|| origin.and_then(Url::host_str).map(str::to_string)).map(|s| sanitize(&s));
    // By reference: the document's text is freed by the thread that allocated it, not by a
    // worker (glibc's malloc serialises frees into another thread's arena).
    let item = |entry: &Entry<'_>| {
        // A headline that sanitizing empties (it was all escape sequence) is no headline.
        let title = entry.title.as_deref().map(headline).filter(|t| !t.is_empty());
        match (title, entry.id.as_ref().or(entry.link.as_ref())) {
            (Some(title), Some(id)) => Some((title, sanitize(id), Item::Later(super::saved::encode(entry)))),
            _ => article(entry, source.as_deref()).map(|a| (a.title.clone(), a.id.clone(), Item::Ready(a))),
        }
    };
    let items: Vec<Option<(String, String, Item)>> = if entries.len() < super::SEQUENTIAL_BELOW {
        entries.iter().map(item).collect()
    } else {
        entries.par_iter().map(item).collect()
    };
    let left_out = items.iter().filter(|a| a.is_none()).count();
    let mut notices = Vec::new();
    if left_out > 0 {
        notices.push(format!(
            "{left_out} entr{} without a title or text left out",
            if left_out == 1 { "y" } else { "ies" }
        ));
    }
    let items: Vec<(String, String, Item)> = items.into_iter().flatten().collect();
    let titles: Texts = items.iter().map(|(title, _, _)| title.as_str()).collect();
    let ids: Texts = items.iter().map(|(_, id, _)| id.as_str()).collect();
    let entries = Entries { items: items.into_iter().map(|(_, _, item)| item).collect(), source };
    Feed { title, articles: Collection::pending(titles, ids, std::sync::Arc::new(entries)), notices }
}

/// A feed's entries as a collection keeps them.
struct Entries {
    items: Vec<Item>,
    source: Option<String>,
}

enum Item {
    /// Converted at load.
    Ready(Article),
    /// Converted when opened; kept in the stored form (`saved`), which is one allocation where
    /// an owned entry is a dozen, and is what the library stores as it is.
    Later(Vec<u8>),
}

impl Pending for Entries {
    fn article(&self, i: usize) -> Article {
        match &self.items[i] {
            Item::Ready(article) => article.clone(),
            Item::Later(bytes) => {
                // It reads back (it was written by `finish`), and has a title, so it is an article.
                let entry = super::saved::decode(bytes).unwrap_or_default();
                article(&entry, self.source.as_deref())
                    .unwrap_or_else(|| Article::new(entry.title.clone().unwrap_or_default(), Vec::new(), Vec::new()))
            }
        }
    }

    fn source(&self, _i: usize) -> Option<Option<&str>> {
        Some(self.source.as_deref())
    }

    fn saved(&self, i: usize) -> Option<Saved<'_>> {
        match &self.items[i] {
            Item::Ready(_) => None,
            Item::Later(bytes) => {
                let fields = super::saved::fields(bytes)?;
                Some(Saved {
                    url: fields.link.map(sanitize),
                    published: published_of(fields.published, fields.updated),
                    bytes,
                })
            }
        }
    }
}

/// A headline as the article made from it will have it (cleaned, shortened if very long).
fn headline(title: &str) -> String {
    let article = Article {
        id: "-".into(),
        title: title.to_string(),
        captions: Vec::new(),
        body: Vec::new(),
        source: None,
        published: None,
        url: None,
    };
    super::json::clean(article).title
}

/// One entry as an article, or `None` when it has neither a title nor any text.
pub fn article(entry: &Entry<'_>, source: Option<&str>) -> Option<Article> {
    let text = entry.content.as_ref().or(entry.summary.as_ref());
    let converted = match &text {
        Some(Text::Html(html)) => html::convert(html, entry.base.as_ref()),
        Some(Text::Plain(plain)) => html::Converted { paragraphs: html::text_paragraphs(plain), ..Default::default() },
        None => html::Converted::default(),
    };
    let title = entry.title.clone().filter(|t| !t.is_empty()).or_else(|| excerpt(&converted.paragraphs))?;
    let body = with_links(converted.paragraphs, &converted.links);
    let captions = distinct_captions(entry.media.iter().cloned().chain(converted.figures));
    let published = published(entry);
    let mut article = Article {
        id: String::new(),
        title,
        captions,
        body: body.into_iter().map(Cow::Owned).collect(),
        source: source.map(str::to_string),
        published,
        url: entry.link.clone(),
    };
    article.shorten_long_title();
    // The guid, else the link; else (`clean`) the content hash.
    if let Some(id) = entry.id.as_ref().or(entry.link.as_ref()) {
        article.id = sanitize(id);
    }
    let mut article = super::json::clean_converted(article);
    if article.title.is_empty() {
        // Its title was nothing but control characters: the text's first sentence, if any.
        article.title = excerpt(&article.body.iter().map(|p| p.to_string()).collect::<Vec<_>>())?;
    }
    Some(article)
}

/// The entry's date as an article has it: RFC 3339 UTC, the published date else the updated one.
fn published(entry: &Entry<'_>) -> Option<String> {
    published_of(entry.published.as_deref(), entry.updated.as_deref())
}

/// [`published`] of the two dates.
fn published_of(published: Option<&str>, updated: Option<&str>) -> Option<String> {
    published.and_then(super::date::rfc3339).or_else(|| updated.and_then(super::date::rfc3339))
}

/// Each picture once: the same image URL, or the same caption text, is one caption (the first,
/// with a credit taken from a later one if it had none).
pub(crate) fn distinct_captions(figures: impl Iterator<Item = Figure>) -> Vec<Caption> {
    let mut kept: Vec<Figure> = Vec::new();
    for figure in figures {
        let same = kept
            .iter_mut()
            .find(|k| (k.image.is_some() && k.image == figure.image) || k.caption.text == figure.caption.text);
        match same {
            Some(existing) => {
                if existing.caption.credit.is_none() {
                    existing.caption.credit = figure.caption.credit;
                }
            }
            None => kept.push(figure),
        }
    }
    kept.into_iter().map(|f| f.caption).collect()
}

/// Paragraphs followed by the `Links` list of their `[n]` markers, when they have links.
pub(crate) fn with_links(mut body: Vec<String>, links: &[String]) -> Vec<String> {
    if !links.is_empty() {
        body.push(LINKS_HEADING.to_string());
        body.extend(links.iter().enumerate().map(|(i, url)| format!("[{}] {}", i + 1, shorten_url(url))));
    }
    body
}

/// A `data:` URL can be megabytes: listed by its start only.
fn shorten_url(url: &str) -> String {
    const MAX: usize = 200;
    if url.len() <= MAX {
        return url.to_string();
    }
    let cut = (0..=MAX).rev().find(|&i| url.is_char_boundary(i)).unwrap_or(0);
    format!("{}…", &url[..cut])
}

/// The first sentence of the text, at most about [`EXCERPT_COLUMNS`] wide, for an untitled entry.
pub(crate) fn excerpt(paragraphs: &[String]) -> Option<String> {
    let first = paragraphs.iter().map(|p| p.trim()).find(|p| !p.is_empty())?;
    let sentence_end = first
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '!' | '?') && first[i + 1..].starts_with(' '))
        .map_or(first.len(), |(i, c)| i + c.len_utf8());
    let sentence = without_markers(&first[..sentence_end]);
    let sentence = sentence.as_str();
    let mut width = 0;
    for (i, c) in sentence.char_indices() {
        width += c.width().unwrap_or(0);
        if width > EXCERPT_COLUMNS {
            let cut = sentence[..i].rfind(' ').filter(|&at| at > i / 2).unwrap_or(i);
            return Some(format!("{}…", sentence[..cut].trim_end()));
        }
    }
    Some(sentence.to_string())
}

/// Text without its link markers (` [3]`): a headline has no Links list.
fn without_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" [") {
        let after = &rest[at + 2..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(']') {
            out.push_str(&rest[..at]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..at + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The feeds of an OPML file (every outline with an `xmlUrl`), with the titles of the outlines
/// around them as tags.
fn opml(root: &Element<'_>) -> Vec<Outline> {
    let mut outlines = Vec::new();
    let Some(body) = root.child("body") else { return outlines };
    // Depth-first without recursion: (element, its folder path).
    let mut stack: Vec<(&Element, Vec<String>)> = body.all("outline").rev().map(|o| (o, Vec::new())).collect();
    while let Some((outline, tags)) = stack.pop() {
        let title = outline.attr("title").or(outline.attr("text")).map(html::collapse).filter(|t| !t.is_empty());
        if let Some(url) = outline.attr("xmlUrl").map(str::trim).filter(|u| !u.is_empty()) {
            // Folders, then `category` (comma-separated, as OPML 2.0 has it; leading `/` off).
            let mut all = tags.clone();
            for category in outline.attr("category").unwrap_or("").split(',') {
                let category = category.trim().trim_start_matches('/');
                if !category.is_empty() && !all.iter().any(|t| t == category) {
                    all.push(category.to_string());
                }
            }
            outlines.push(Outline { url: url.to_string(), title: title.clone(), tags: all });
        }
        let mut inner = tags;
        if let Some(title) = title.filter(|_| outline.attr("xmlUrl").is_none()) {
            inner.push(title);
        }
        stack.extend(outline.all("outline").rev().map(|o| (o, inner.clone())));
    }
    outlines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feed with its articles made whole.
    struct Parsed {
        title: Option<String>,
        articles: Vec<Article>,
    }

    fn feed(xml: &str) -> Parsed {
        match parse_xml(xml, None) {
            Ok(XmlDocument::Feed(feed)) => Parsed { title: feed.title, articles: feed.articles.to_vec() },
            other => panic!("not a feed: {other:?}"),
        }
    }

    #[test]
    fn excerpts_for_untitled_entries() {
        assert_eq!(excerpt(&["First sentence. Second one.".into()]).as_deref(), Some("First sentence."));
        let long = "word ".repeat(60);
        let title = excerpt(&[long]).unwrap();
        assert!(title.ends_with('…') && title.chars().count() <= EXCERPT_COLUMNS + 1, "{title}");
        assert_eq!(excerpt(&[]), None);
        assert_eq!(
            excerpt(&["Don Park [1]: \"It is [x] easy [12].\" More.".into()]).as_deref(),
            Some("Don Park: \"It is [x] easy.\" More.")
        );
    }

    #[test]
    fn rss_090_and_atom_03() {
        let rss090 = r#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Mozilla Dot Org</title><link>http://www.mozilla.org</link></channel><item><title>New Status Updates</title><link>http://www.mozilla.org/status/</link></item></rdf:RDF>"#;
        let parsed = feed(rss090);
        assert_eq!(parsed.title.as_deref(), Some("Mozilla Dot Org"));
        assert_eq!(parsed.articles[0].title, "New Status Updates");
        assert_eq!(parsed.articles[0].url.as_deref(), Some("http://www.mozilla.org/status/"));
        let atom03 = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title><link rel="alternate" type="text/html" href="http://example.org/"/>
            <entry><title>One</title><link rel="alternate" type="text/html" href="/2003/12/13/one"/><issued>2003-12-13T08:29:29-04:00</issued><modified>2003-12-13T18:30:02Z</modified>
            <content type="text/plain" mode="base64">SGVsbG8gd29ybGQ=</content></entry>
            <entry><title type="text/html" mode="escaped">&lt;b&gt;Two&lt;/b&gt;</title><content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>XHTML <i>body</i></p></div></content></entry></feed>"#;
        let feed = feed(atom03);
        assert_eq!(feed.articles.len(), 2);
        let one = &feed.articles[0];
        assert_eq!((one.title.as_str(), one.url.as_deref()), ("One", Some("http://example.org/2003/12/13/one")));
        assert_eq!(one.published.as_deref(), Some("2003-12-13T12:29:29Z"));
        assert_eq!(one.body, ["Hello world"]);
        assert_eq!(feed.articles[1].title, "Two");
        assert_eq!(feed.articles[1].body, ["XHTML body"]);
    }

    #[test]
    fn empty_media_description_does_not_abort_the_feed() {
        let xml = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
            <item><title>A</title><media:content url="https://x/a.jpg" medium="image"/><media:description/><media:credit/></item>
            <item><title>B</title><media:content url="https://x/b.jpg"/><media:credit>Ann Lee</media:credit><media:description>A dog.</media:description></item>
            <item><title>C</title><media:group><media:content url="https://x/c.jpg"><media:description>Cat.</media:description></media:content><media:thumbnail url="https://x/c.jpg"/><media:description>Cat.</media:description></media:group><description>&lt;figure&gt;&lt;img src="https://x/c.jpg"&gt;&lt;figcaption&gt;Cat. (Jo)&lt;/figcaption&gt;&lt;/figure&gt;</description></item>
            </channel></rss>"#;
        let feed = feed(xml);
        let captions: Vec<&Vec<Caption>> = feed.articles.iter().map(|a| &a.captions).collect();
        assert!(captions[0].is_empty());
        assert_eq!(captions[1], &[Caption { text: "A dog.".into(), credit: Some("Ann Lee".into()) }]);
        assert_eq!(captions[2], &[Caption { text: "Cat.".into(), credit: Some("Jo".into()) }]);
    }

    #[test]
    fn opml_outlines_with_folders() {
        let xml = r#"<opml version="2.0"><head><title>subs</title></head><body>
            <outline text="News"><outline text="BBC" xmlUrl="https://bbc/rss"/><outline title="Tech"><outline text="LWN" xmlUrl=" https://lwn/rss "/></outline></outline>
            <outline text="Top" type="rss" xmlUrl="https://top/feed"/></body></opml>"#;
        let Ok(XmlDocument::Opml(outlines)) = parse_xml(xml, None) else { panic!() };
        let got: Vec<(&str, Vec<&str>)> =
            outlines.iter().map(|o| (o.url.as_str(), o.tags.iter().map(String::as_str).collect())).collect();
        assert_eq!(
            got,
            [
                ("https://bbc/rss", vec!["News"]),
                ("https://lwn/rss", vec!["News", "Tech"]),
                ("https://top/feed", vec![])
            ]
        );
    }

    #[test]
    fn not_a_feed() {
        let err = parse_xml("<html><body>hi</body></html>", None).unwrap_err();
        assert!(err.contains("not a feed") && err.contains("<html>"), "{err}");
        assert!(parse_xml("<rss><channel><item><title>x", None).is_ok());
        assert!(parse_xml("<rss><chan", None).is_err());
    }
}
