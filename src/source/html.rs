//! HTML to what Broadsheet shows: paragraphs of plain text, a list of links, and the photo
//! captions of `<figure>`s with their credits. Feeds and article pages share it.
//!
//! The markup is parsed by html5ever (through scraper), the parser browsers use, so broken HTML
//! reads as a browser would read it; scripts never run. The tree is walked without recursion.
//!
//! - Block elements (p, div, h1–h6, blockquote, li, table rows, …) become paragraphs; `li` starts
//!   with `• `; `<br><br>` ends a paragraph; table cells are joined with ` | `; `pre` is kept
//!   line by line.
//! - Inline markup goes and whitespace collapses; entities are decoded.
//! - Scripts, styles, iframes, forms, media and anything `hidden` vanish.
//! - A link keeps its text, followed by a marker `[n]`; [`Converted::links`] lists the absolute
//!   URLs in order (one number per distinct URL), as lynx, w3m and newsboat do.
//! - A `<figure>`'s `<figcaption>` becomes a caption, not body text; its credit is split off.

use ego_tree::iter::Edge;
use scraper::{Html, Node};
use url::Url;

use crate::article::Caption;

/// What a piece of HTML holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Converted {
    pub paragraphs: Vec<String>,
    /// Absolute URLs, numbered from 1 by the `[n]` markers in the paragraphs.
    pub links: Vec<String>,
    pub figures: Vec<Figure>,
}

/// A captioned picture: its caption and, where known, the picture's URL (to recognise the same
/// picture described twice).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub caption: Caption,
    pub image: Option<String>,
}

/// Elements whose content is never text for a reader.
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "applet"
            | "form"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "option"
            | "svg"
            // MathML's text is read as it stands (`a≠0`); its TeX source is a second copy.
            | "annotation"
            | "annotation-xml"
            | "canvas"
            | "audio"
            | "video"
            | "map"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "dialog"
    )
}

/// Elements that stand on their own as paragraphs.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "caption"
            | "pre"
            | "figure"
            | "hr"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "hgroup"
            | "fieldset"
            | "legend"
    )
}

/// Words in a class or id that mark what is not the article: sign-up boxes, sharing, related
/// links, comments, advertising. Whole words of the name (`share-tools`, `socialBar`,
/// `related_links`), not parts of them: `commentary`, `shared-history` and `advertorial-free`
/// are articles.
const BOILERPLATE: &[&str] = &[
    "newsletter",
    "newsletters",
    "signup",
    "subscribe",
    "subscription",
    "share",
    "shares",
    "sharing",
    "sharebar",
    "social",
    "related",
    "comment",
    "comments",
    "advert",
    "advertisement",
    "promo",
    "sponsor",
    "sponsored",
    "paywall",
    "cookie",
    "cookies",
];

/// Is this class or id one of what is around an article (see [`BOILERPLATE`])? Its words are
/// split at anything not a letter or digit and where a lowercase letter meets a capital.
pub(crate) fn is_boilerplate_name(name: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut last_lower = false;
    for c in name.chars() {
        if (!c.is_alphanumeric() || (c.is_uppercase() && last_lower)) && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        last_lower = c.is_lowercase();
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.iter().any(|w| BOILERPLATE.contains(&w.as_str()))
        // `sign-up`, `signUp`: two words.
        || words.windows(2).any(|pair| pair[0] == "sign" && pair[1] == "up")
}

/// Is this element (by its class or id) something around the article rather than in it?
fn is_boilerplate(element: &scraper::node::Element) -> bool {
    element.attr("id").is_some_and(is_boilerplate_name) || element.classes().any(is_boilerplate_name)
}

/// Class names that mark the credit inside a figcaption.
const CREDIT_CLASSES: &[&str] = &["credit", "byline", "copyright", "photographer", "attribution", "source", "author"];

/// Converts an HTML fragment; relative links are resolved against `base`.
pub fn convert(html: &str, base: Option<&Url>) -> Converted {
    let mut walker = Walker::new(base, false);
    walker.walk(html);
    walker.finish()
}

/// Converts an article page's main content (what Readability found), where boilerplate was
/// removed before, by size as well as by name (`page.rs`): here a name alone drops nothing, as
/// sites name the article's own wrapper after the sharing buttons it once held.
pub fn convert_page(html: &str, base: Option<&Url>) -> Converted {
    let mut walker = Walker::new(base, false);
    walker.drop_named = false;
    walker.walk(html);
    walker.finish()
}

/// The text of an HTML fragment on one line: for headlines that carry markup or entities
/// (`&lt;i&gt;Tintin&lt;/i&gt;`). Tags go without adding spaces; blocks are separated by one.
pub fn inline_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse(html);
    }
    let mut walker = Walker::new(None, true);
    walker.walk(html);
    let converted = walker.finish();
    converted.paragraphs.join(" ")
}

/// Plain text with its whitespace collapsed to single spaces and trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Plain text (JSON Feed `content_text`, Atom `type="text"`) to paragraphs: blank lines separate
/// them, and a text without blank lines has one per line.
pub fn text_paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let paragraphs: Vec<String> = if text.contains("\n\n") {
        text.split("\n\n").map(collapse).collect()
    } else {
        text.lines().map(collapse).collect()
    };
    paragraphs.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Where text goes while walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Body,
    Caption,
    Credit,
}

struct Walker<'b> {
    base: Option<&'b Url>,
    /// Headline mode: no markers, no captions, blocks separated by a space.
    inline: bool,
    /// Elements named as boilerplate (see [`is_boilerplate`]) are dropped.
    drop_named: bool,
    out: Converted,
    current: String,
    pending_space: bool,
    /// A prefix for the next text of this paragraph (`• ` of a list item, ` | ` of a cell).
    pending_prefix: Option<&'static str>,
    /// `<br>`s in a row with no text between.
    breaks: usize,
    /// The node whose subtree is being skipped.
    skipping: Option<ego_tree::NodeId>,
    /// Open `pre` elements.
    pre: usize,
    /// Open `<a href>`s: node, URL, and the paragraph's length (and count) when it opened.
    anchors: Vec<(ego_tree::NodeId, String, usize, usize)>,
    /// Open figures: node, the first image's URL and alt text.
    figures: Vec<(ego_tree::NodeId, Option<String>, Option<String>)>,
    /// The open figcaption.
    caption: Option<OpenCaption>,
}

/// A figcaption being read: its text, and its credit element's text.
struct OpenCaption {
    id: ego_tree::NodeId,
    text: String,
    credit: String,
    /// The credit element while it is open.
    in_credit: Option<ego_tree::NodeId>,
}

impl<'b> Walker<'b> {
    fn new(base: Option<&'b Url>, inline: bool) -> Walker<'b> {
        Walker {
            base,
            inline,
            drop_named: true,
            out: Converted::default(),
            current: String::new(),
            pending_space: false,
            pending_prefix: None,
            breaks: 0,
            skipping: None,
            pre: 0,
            anchors: Vec::new(),
            figures: Vec::new(),
            caption: None,
        }
    }

    fn walk(&mut self, html: &str) {
        let document = Html::parse_fragment(&limit_depth(html, MAX_DEPTH));
        for edge in document.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if self.skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(text) => self.text(text),
                        Node::Element(element) => self.open(node.id(), element),
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(skipped) = self.skipping {
                        if skipped == node.id() {
                            self.skipping = None;
                        }
                        continue;
                    }
                    if let Node::Element(element) = node.value() {
                        self.close(node.id(), element.name());
                    }
                }
            }
        }
    }

    fn target(&self) -> Target {
        match &self.caption {
            Some(OpenCaption { in_credit: Some(_), .. }) => Target::Credit,
            Some(_) => Target::Caption,
            None => Target::Body,
        }
    }

    fn open(&mut self, id: ego_tree::NodeId, element: &scraper::node::Element) {
        let name = element.name();
        if is_dropped(name)
            || element.attr("hidden").is_some()
            || element.attr("aria-hidden") == Some("true")
            || (self.drop_named && is_boilerplate(element))
        {
            self.skipping = Some(id);
            return;
        }
        if self.inline {
            if is_block(name) || name == "br" {
                self.space();
            }
            return;
        }
        match name {
            "br" => {
                self.breaks += 1;
                if (self.breaks >= 2 || self.pre > 0) && self.target() == Target::Body {
                    self.flush();
                } else {
                    self.space();
                }
                return;
            }
            "img" if !self.figures.is_empty() => {
                let src = element.attr("src").map(|s| self.absolute(s));
                let alt = element.attr("alt").map(collapse).filter(|a| !a.is_empty());
                if let Some(figure) = self.figures.last_mut()
                    && figure.1.is_none()
                {
                    figure.1 = src;
                    figure.2 = alt;
                }
                return;
            }
            "a" => {
                if let Some(href) = element.attr("href").map(str::trim).filter(|h| !h.is_empty() && !h.starts_with('#'))
                {
                    let url = self.absolute(href);
                    self.anchors.push((id, url, self.current.len(), self.out.paragraphs.len()));
                }
                return;
            }
            "figure" => {
                self.flush();
                self.figures.push((id, None, None));
                return;
            }
            "figcaption" if self.caption.is_none() => {
                self.flush();
                self.caption = Some(OpenCaption { id, text: String::new(), credit: String::new(), in_credit: None });
                return;
            }
            "cite" | "small" | "span" | "p" | "div" | "em" | "i" if self.target() == Target::Caption => {
                let classed = element.classes().any(|class| {
                    let class = class.to_ascii_lowercase();
                    CREDIT_CLASSES.iter().any(|c| class.contains(c))
                });
                if (classed || name == "cite")
                    && let Some(caption) = &mut self.caption
                {
                    caption.in_credit = Some(id);
                }
                return;
            }
            _ => {}
        }
        if self.target() != Target::Body {
            return;
        }
        if is_block(name) {
            self.flush();
        }
        match name {
            "li" => self.pending_prefix = Some("• "),
            "td" | "th" if !self.current.is_empty() => self.pending_prefix = Some(" | "),
            "pre" => self.pre += 1,
            _ => {}
        }
    }

    fn close(&mut self, id: ego_tree::NodeId, name: &str) {
        if self.inline {
            return;
        }
        if let Some(at) = self.anchors.iter().rposition(|(anchor, ..)| *anchor == id) {
            let (_, url, start, paragraph) = self.anchors.remove(at);
            let has_text = if self.out.paragraphs.len() == paragraph {
                self.current[start.min(self.current.len())..].chars().any(|c| !c.is_whitespace())
            } else {
                !self.current.trim().is_empty() || self.out.paragraphs.len() > paragraph
            };
            if has_text && self.target() == Target::Body {
                let n = match self.out.links.iter().position(|l| *l == url) {
                    Some(i) => i + 1,
                    None => {
                        self.out.links.push(url);
                        self.out.links.len()
                    }
                };
                if self.current.trim().is_empty() {
                    // The link's text was a block of its own: the marker follows it there.
                    if let Some(last) = self.out.paragraphs.last_mut() {
                        last.push_str(&format!(" [{n}]"));
                    }
                } else {
                    self.current.push_str(&format!(" [{n}]"));
                }
            }
            return;
        }
        if let Some(caption) = &mut self.caption {
            if caption.in_credit == Some(id) {
                // Text after the credit element belongs to the caption again.
                caption.in_credit = None;
                caption.credit.push(' ');
                return;
            }
            if caption.id == id {
                let caption = self.caption.take();
                let (image, alt) = self.figures.last().map_or((None, None), |f| (f.1.clone(), f.2.clone()));
                if let Some(caption) = caption.and_then(|c| make_caption(&c.text, &c.credit, alt.as_deref())) {
                    self.out.figures.push(Figure { caption, image });
                }
                return;
            }
        }
        if self.target() != Target::Body {
            return;
        }
        if name == "figure"
            && let Some(at) = self.figures.iter().rposition(|f| f.0 == id)
        {
            self.figures.remove(at);
        }
        if is_block(name) {
            self.flush();
        }
        if name == "pre" {
            self.pre = self.pre.saturating_sub(1);
        }
    }

    fn text(&mut self, text: &str) {
        match self.target() {
            Target::Caption | Target::Credit => {
                let credit = self.target() == Target::Credit;
                if let Some(caption) = &mut self.caption {
                    (if credit { &mut caption.credit } else { &mut caption.text }).push_str(text);
                }
            }
            Target::Body if self.pre > 0 => {
                // Line by line, as written.
                let mut lines = text.split('\n');
                if let Some(first) = lines.next() {
                    self.push_raw(first);
                }
                for line in lines {
                    self.flush_pre();
                    self.push_raw(line);
                }
            }
            Target::Body => {
                for (i, piece) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
                    if i > 0 {
                        self.space();
                    }
                    if !piece.is_empty() {
                        self.push_word(piece);
                    }
                }
            }
        }
    }

    fn push_word(&mut self, word: &str) {
        self.breaks = 0;
        if let Some(prefix) = self.pending_prefix.take() {
            self.current.push_str(prefix);
            self.pending_space = false;
        }
        if self.pending_space && !self.current.is_empty() {
            self.current.push(' ');
        }
        self.pending_space = false;
        self.current.push_str(word);
    }

    fn push_raw(&mut self, text: &str) {
        if text.trim().is_empty() && self.current.is_empty() {
            return;
        }
        self.breaks = 0;
        self.current.push_str(text);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    /// Ends a line of a `pre` block: its own paragraph, leading spaces kept.
    fn flush_pre(&mut self) {
        let line = std::mem::take(&mut self.current);
        let line = line.trim_end();
        if !line.trim().is_empty() {
            self.out.paragraphs.push(line.to_string());
        }
    }

    fn flush(&mut self) {
        self.breaks = 0;
        self.pending_space = self.inline && !self.current.is_empty();
        if self.inline {
            return;
        }
        if !self.current.is_empty() {
            // A list item's bullet waits for its text, even across a paragraph inside the item.
            self.pending_prefix = None;
        }
        if self.pre > 0 {
            return self.flush_pre();
        }
        let paragraph = std::mem::take(&mut self.current);
        let paragraph = paragraph.trim();
        if !paragraph.is_empty() && paragraph != "•" {
            self.out.paragraphs.push(paragraph.to_string());
        }
    }

    fn finish(mut self) -> Converted {
        if self.inline {
            let text = collapse(&self.current);
            self.out.paragraphs = if text.is_empty() { Vec::new() } else { vec![text] };
            return self.out;
        }
        self.flush();
        self.out
    }

    /// `href` made absolute against the base, when it can be.
    fn absolute(&self, href: &str) -> String {
        match self.base.map(|base| base.join(href)) {
            Some(Ok(url)) => url.to_string(),
            _ => href.to_string(),
        }
    }
}

/// Elements nested deeper than this lose their tags (not their text) before parsing: html5ever
/// looks through the stack of open elements on every tag, so 100,000 nested `<div>`s would take
/// minutes. Browsers stop nesting at a similar depth (Chromium at 512).
const MAX_DEPTH: usize = 256;

/// Elements that never have content (no end tag).
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// `html` with start tags beyond `max` open elements (and as many end tags after them) removed.
/// A rough count (it does not know HTML's implied end tags), which only matters for markup that
/// nests absurdly deep; text is never removed.
pub fn limit_depth(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if memchr::memchr_iter(b'<', html.as_bytes()).nth(max).is_none() {
        return std::borrow::Cow::Borrowed(html);
    }
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut dropped, mut copied, mut at) = (0usize, 0usize, 0usize, 0usize);
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found;
        let rest = &html[start + 1..];
        // Comments, doctypes and processing instructions: passed over whole.
        if rest.starts_with("!--") {
            at = rest.find("-->").map_or(html.len(), |e| start + 1 + e + 3);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - name_start);
        if name_len == 0 || !rest[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = start + 1;
            continue;
        }
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(html, start + 1).unwrap_or(html.len());
        let self_closing = html[..end].ends_with("/>");
        // Raw text (script, style, …) cannot nest: never dropped, never counted, its `<` no tags.
        let raw_text = matches!(name.as_str(), "script" | "style" | "textarea" | "title" | "xmp");
        let drop = if closing && raw_text {
            false
        } else if closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if VOID.contains(&name.as_str()) || self_closing || raw_text {
            false
        } else if depth >= max {
            dropped += 1;
            true
        } else {
            depth += 1;
            false
        };
        if drop {
            out.push_str(&html[copied..start]);
            copied = end;
        }
        at = end;
        // Raw text: its `<` are not tags.
        if !closing && raw_text {
            at = memchr::memmem::find_iter(&bytes[at..], b"</")
                .map(|e| at + e)
                .find(|&e| bytes[e + 2..].get(..name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes())))
                .unwrap_or(html.len());
        }
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// The byte after the `>` that ends the tag whose name starts at `from` (quotes respected).
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, b) in html.as_bytes()[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), b) if q == *b => quote = None,
            (None, b'>') => return Some(from + i + 1),
            _ => {}
        }
    }
    None
}

/// Labels that introduce a credit: `Photo: Jane Doe/AP`.
const CREDIT_LABELS: &[&str] =
    &["photograph:", "photo:", "credit:", "image:", "picture:", "foto:", "photo by", "photograph by", "credits:"];

/// A caption from a figcaption's text and the text of its credit element. Without a credit element, the credit is split off by the dump
/// importer's trailing-parenthesis rule, else by a `Photo:`/`Credit:` label.
pub fn make_caption(text: &str, credit: &str, alt: Option<&str>) -> Option<Caption> {
    let text = collapse(text);
    let credit = strip_label(&collapse(credit));
    if !credit.is_empty() {
        let text = if text.is_empty() { alt.unwrap_or_default().to_string() } else { text };
        return Some(Caption { text, credit: Some(credit) }).filter(|c| !c.text.is_empty());
    }
    if text.is_empty() {
        return alt.filter(|a| !a.is_empty()).map(|a| Caption { text: a.to_string(), credit: None });
    }
    Some(caption_from_text(&text, alt))
}

/// Splits a caption's credit off its text: a trailing parenthesis (as in the dumps), or a
/// `Photo:`/`Credit:` label at the end or the start.
pub fn caption_from_text(text: &str, alt: Option<&str>) -> Caption {
    let (rest, credit) = super::dump::split_credit(text);
    if let Some(credit) = credit {
        return Caption { text: rest.to_string(), credit: Some(strip_label(credit)) };
    }
    let lower = text.to_lowercase();
    // Byte offsets of `lower` match `text` only when lowercasing kept every length.
    if lower.len() == text.len() {
        for label in CREDIT_LABELS {
            let found = lower
                .rmatch_indices(label)
                .find(|&(at, _)| at == 0 || lower[..at].ends_with([' ', '.', '|', '—', '-', '(']));
            if let Some((at, _)) = found {
                let credit = text[at + label.len()..].trim().trim_end_matches(['.', ')']).trim();
                let before = text[..at].trim().trim_end_matches(['|', '—', '-', '(']).trim();
                if credit.is_empty() {
                    continue;
                }
                let before = if before.is_empty() { alt.unwrap_or_default() } else { before };
                if before.is_empty() {
                    break;
                }
                return Caption { text: before.to_string(), credit: Some(credit.to_string()) };
            }
        }
    }
    Caption { text: text.to_string(), credit: None }
}

/// `Photo: Jane Doe` → `Jane Doe`.
fn strip_label(credit: &str) -> String {
    let lower = credit.to_lowercase();
    for label in CREDIT_LABELS {
        if lower.starts_with(label) && lower.len() == credit.len() {
            let rest = credit[label.len()..].trim();
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    credit.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_names_are_whole_words() {
        for name in ["share-tools", "socialBar", "related_links", "newsletter", "js-sign-up", "signUpBox", "comments"] {
            assert!(is_boilerplate_name(name), "{name}");
        }
        for name in ["commentary", "evolve-shared-mutable-history", "unrelated", "story-body", "promotional-free"] {
            assert!(!is_boilerplate_name(name), "{name}");
        }
    }

    fn paragraphs(html: &str) -> Vec<String> {
        convert(html, None).paragraphs
    }

    #[test]
    fn blocks_become_paragraphs() {
        assert_eq!(paragraphs("<p>One <b>two</b></p><p>Three&nbsp;&amp; four</p>"), ["One two", "Three\u{a0}& four"]);
        assert_eq!(paragraphs("<h2>Head</h2>text<div>more</div>"), ["Head", "text", "more"]);
        assert_eq!(paragraphs("<ul><li>a</li><li><p>b</p></li></ul>"), ["• a", "• b"]);
        assert_eq!(paragraphs("one<br>two<br><br>three"), ["one two", "three"]);
        assert_eq!(paragraphs("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>"), ["a | b", "c"]);
        assert_eq!(paragraphs("<pre>  let x = 1;\n  let y = 2;</pre>"), ["  let x = 1;", "  let y = 2;"]);
        assert_eq!(paragraphs("<blockquote>Quoted</blockquote>after"), ["Quoted", "after"]);
    }

    #[test]
    fn dropped_elements_vanish() {
        let html = "<p>Keep</p><script>alert(1)</script><style>p{}</style><iframe src=x>no</iframe>\
                    <form><input value=v>Form text</form><p hidden>Hidden</p><noscript>ns</noscript>";
        assert_eq!(paragraphs(html), ["Keep"]);
    }

    #[test]
    fn links_get_markers_and_a_list() {
        let base = Url::parse("https://example.org/news/").unwrap();
        let converted = convert(
            r##"<p>See <a href="/a">this</a> and <a href="b.html">that</a>, <a href="/a">again</a>. <a href="#top">Top</a> <a href="/img"><img src=x></a></p>"##,
            Some(&base),
        );
        assert_eq!(converted.paragraphs, ["See this [1] and that [2], again [1]. Top"]);
        assert_eq!(converted.links, ["https://example.org/a", "https://example.org/news/b.html"]);
    }

    #[test]
    fn figures_become_captions_with_credits() {
        let converted = convert(
            r#"<p>Before</p><figure><img src="https://x/p.jpg" alt="Alt"><figcaption>Firefighters at work. <span class="credit">Photo: Jane Doe/AP</span></figcaption></figure><p>After</p>
               <figure><figcaption>A protest in Oslo. (Heiko Junge/NTB)</figcaption></figure>
               <figure><figcaption>Smoke rises. Credit: Reuters</figcaption></figure>
               <figure><figcaption>Quiet streets <cite>Getty Images</cite></figcaption></figure>"#,
            None,
        );
        assert_eq!(converted.paragraphs, ["Before", "After"]);
        let captions: Vec<(&str, Option<&str>)> =
            converted.figures.iter().map(|f| (f.caption.text.as_str(), f.caption.credit.as_deref())).collect();
        assert_eq!(
            captions,
            [
                ("Firefighters at work.", Some("Jane Doe/AP")),
                ("A protest in Oslo.", Some("Heiko Junge/NTB")),
                ("Smoke rises.", Some("Reuters")),
                ("Quiet streets", Some("Getty Images")),
            ]
        );
        assert_eq!(converted.figures[0].image.as_deref(), Some("https://x/p.jpg"));
    }

    #[test]
    fn headlines() {
        assert_eq!(inline_text("<i>Tintin</i> chez Neruda</i>, enfin"), "Tintin chez Neruda, enfin");
        assert_eq!(inline_text("AT&amp;T &quot;deal&quot;"), "AT&T \"deal\"");
        assert_eq!(inline_text("  plain \n text "), "plain text");
        assert_eq!(inline_text("a < b"), "a < b");
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_hangs() {
        let html = format!("{}deep{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        assert_eq!(paragraphs(&html), ["deep"]);
        let html = format!("{}deep{}", "<b><i>".repeat(50_000), "</i></b>".repeat(50_000));
        assert_eq!(paragraphs(&html), ["deep"]);
    }

    #[test]
    fn depth_limit_keeps_text_and_shallow_markup() {
        let shallow = "<p>a <b>b</b></p>";
        assert_eq!(limit_depth(shallow, 2), shallow);
        let limited = limit_depth("<div><div><div><script>if (a<b) x()</script>t</div></div></div><p>u</p>", 2);
        assert_eq!(limited, "<div><div><script>if (a<b) x()</script>t</div></div><p>u</p>");
    }
}
