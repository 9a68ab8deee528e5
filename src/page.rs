//! An article laid out as lines for one width: headline, meta line and wrapped paragraphs.
//!
//! The state machine keeps the page of the selected article so that it knows the exact number of
//! lines (to clamp scrolling) and the renderer draws the same lines without wrapping again.

use crate::article::Article;
use crate::bidi;

/// What a line is, so the renderer can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    Text,
    Blank,
}

/// One display line of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLine {
    pub kind: LineKind,
    pub text: String,
    /// Which block of the article it belongs to: 0 for the headline and meta line, then 1, 2, …
    /// for the paragraphs (the blank line before a paragraph belongs to it). The reading position
    /// is kept by block when the width changes.
    pub block: usize,
    /// The line belongs to a right-to-left paragraph: drawn at the right margin (its text is
    /// already in display order, see [`crate::bidi`]).
    pub right_to_left: bool,
}

/// An article wrapped to a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The article's id and the width it was wrapped for: the page is rebuilt when either changes.
    pub article_id: String,
    pub width: usize,
    pub lines: Vec<PageLine>,
}

/// How a text is wrapped: first fit, as terminal readers do (textwrap's default, optimal fit,
/// balances lines better but is about twice as slow). ASCII text breaks at spaces (and hyphens);
/// other text by the Unicode line-breaking rules, which CJK needs.
pub fn wrap_options(width: usize, text: &str) -> textwrap::Options<'static> {
    let separator = if text.is_ascii() {
        textwrap::WordSeparator::AsciiSpace
    } else {
        textwrap::WordSeparator::UnicodeBreakProperties
    };
    textwrap::Options::new(width.max(1)).wrap_algorithm(textwrap::WrapAlgorithm::FirstFit).word_separator(separator)
}

/// `text` wrapped to `width` columns.
pub fn wrap(text: &str, width: usize) -> Vec<std::borrow::Cow<'_, str>> {
    textwrap::wrap(text, wrap_options(width, text))
}

/// `text` wrapped to `width` columns, ready for the screen: with `bidi`, a right-to-left
/// paragraph's lines are put in display order, and the flag says they belong at the right
/// margin. What the reader, the caption sidebar and `show` all print.
pub fn wrap_for_display(text: &str, width: usize, bidi: bool) -> (Vec<String>, bool) {
    let rtl = bidi && bidi::is_rtl_paragraph(text);
    let lines = wrap(text, width)
        .into_iter()
        .map(|line| if bidi { bidi::display(&line, Some(rtl)).into_owned() } else { line.into_owned() })
        .collect();
    (lines, rtl)
}

impl Page {
    /// The article wrapped to `width` columns; with `bidi`, right-to-left paragraphs are put in
    /// display order line by line and marked for the right margin.
    pub fn new(article: &Article, width: usize, bidi: bool) -> Page {
        // A width of 0 would put one char per line.
        let width = width.max(1);
        let mut lines = Vec::new();
        let push_wrapped = |lines: &mut Vec<PageLine>, kind, text: &str, block| {
            let (wrapped, rtl) = wrap_for_display(text, width, bidi);
            lines.extend(wrapped.into_iter().map(|text| PageLine { kind, text, block, right_to_left: rtl }));
        };
        push_wrapped(&mut lines, LineKind::Title, &article.title, 0);
        push_wrapped(&mut lines, LineKind::Meta, &meta_line(article), 0);
        let links_from = links_start(article);
        for (n, paragraph) in article.body.iter().enumerate() {
            if n >= links_from {
                // The Links list: one line per link, broken anywhere when a URL is too long.
                let text = |text| PageLine { kind: LineKind::Text, text, block: n + 1, right_to_left: false };
                lines.extend(hard_wrap(paragraph, width).into_iter().map(text));
                continue;
            }
            push_wrapped(&mut lines, LineKind::Blank, "", n + 1);
            push_wrapped(&mut lines, LineKind::Text, paragraph, n + 1);
        }
        Page { article_id: article.id.clone(), width, lines }
    }

    /// The block (headline, or paragraph number) at line `line`.
    pub fn block_at(&self, line: usize) -> usize {
        self.lines.get(line).or(self.lines.last()).map_or(0, |l| l.block)
    }

    /// The first line of block `block`.
    pub fn first_line_of(&self, block: usize) -> usize {
        self.lines.iter().position(|l| l.block >= block).unwrap_or(0)
    }
}

/// The paragraph number where an article's list of link URLs starts (after its `Links`
/// heading), or the body's length when it has none.
pub fn links_start(article: &Article) -> usize {
    article.body.len() - article.links().len()
}

/// `text` cut into lines of at most `width` columns, anywhere (for URLs, which have no spaces to
/// break at).
pub fn hard_wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width.max(1) && used > 0 {
            lines.push(String::new());
            used = 0;
        }
        if let Some(line) = lines.last_mut() {
            line.push(c);
        }
        used += w;
    }
    lines
}

/// "Reuters · 2025-01-15 · 412 words · 3 min read": source and date when known.
pub fn meta_line(article: &Article) -> String {
    let mut parts: Vec<String> = article.source.iter().cloned().collect();
    parts.extend(article.published.as_deref().map(readable_date));
    let words = article.word_count();
    if words == 0 {
        // A headline-only article (a feed of headlines, a dump without body): no reading time.
        parts.push("headline only".to_string());
    } else {
        parts.push(format!("{words} {}", if words == 1 { "word" } else { "words" }));
        parts.push(format!("{} min read", article.minutes_to_read()));
    }
    parts.join(" · ")
}

/// A date for the meta line: `12 min ago`, `3 h ago` within two days, else
/// `Sat 7 Jan 2017, 01:49 UTC`; a date in another form as written.
pub fn readable_date(date: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    readable_date_at(date, now)
}

/// [`readable_date`] as seen at `now` (Unix seconds).
pub fn readable_date_at(date: &str, now: i64) -> String {
    let Ok(instant) = chrono::DateTime::parse_from_rfc3339(date) else { return date.to_string() };
    let ago = now - instant.timestamp();
    match ago {
        0..60 => "just now".to_string(),
        60..3600 => format!("{} min ago", ago / 60),
        3600..172_800 => format!("{} h ago", ago / 3600),
        _ => instant.with_timezone(&chrono::Utc).format("%a %-d %b %Y, %H:%M UTC").to_string(),
    }
}
