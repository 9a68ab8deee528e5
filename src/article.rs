//! The article model and its canonical JSON form.
//!
//! Everything that reaches an `Article` has already been sanitized by the loaders, so the rest of
//! the program can treat its text as safe to print.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize};

/// One news article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier derived from the content (see [`Article::content_id`]), so that later
    /// features can remember what was read even if the file is reordered.
    #[serde(default)]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub captions: Vec<Caption>,
    /// Paragraphs, each a single line of text. The JSON form also accepts one string, split on
    /// blank lines. A paragraph may borrow from a memory-mapped file (see `source::json`), so a
    /// large collection's bodies are not copied at load.
    #[serde(default, deserialize_with = "paragraphs")]
    pub body: Vec<Cow<'static, str>>,
    #[serde(default)]
    pub source: Option<String>,
    /// ISO-8601 date or date-time, kept as written.
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// A photo caption with its credit split off: `"… Baghdad: A guard. (dpa)"` has the credit `dpa`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caption {
    pub text: String,
    #[serde(default)]
    pub credit: Option<String>,
}

impl Caption {
    /// Splits a leading dateline off the text: `"04 February 2024, Iraq, Baghdad: A guard…"` gives
    /// `(Some("04 February 2024, Iraq, Baghdad"), "A guard…")`. A dateline is a short prefix before
    /// the first `": "` that contains a digit (the date); otherwise the text has none.
    pub fn dateline(&self) -> (Option<&str>, &str) {
        const MAX_DATELINE_CHARS: usize = 60;
        match self.text.split_once(": ") {
            Some((head, rest))
                if head.chars().count() <= MAX_DATELINE_CHARS
                    && head.chars().any(|c| c.is_ascii_digit())
                    && !rest.trim().is_empty() =>
            {
                (Some(head), rest)
            }
            _ => (None, &self.text),
        }
    }
}

/// The paragraph that starts the list of an article's links (`[1] https://…` paragraphs after
/// it), as feeds and pages end their text; see [`Article::links`].
pub const LINKS_HEADING: &str = "Links";

/// Headlines longer than this (in chars) are shortened; the full line opens the body.
pub const MAX_TITLE_CHARS: usize = 300;
/// How long a shortened headline is, at most, before its ellipsis.
const SHORTENED_TITLE_CHARS: usize = 160;

impl Article {
    /// Keeps headlines readable and searchable: one longer than [`MAX_TITLE_CHARS`] (a
    /// paragraph or a whole file on one line, as broken dumps have) is cut at a word boundary
    /// with "…", and its full text becomes the first paragraph, so no text is lost.
    pub fn shorten_long_title(&mut self) {
        // A char is at least a byte: most titles are ruled out without counting.
        if self.title.len() <= MAX_TITLE_CHARS || self.title.chars().nth(MAX_TITLE_CHARS).is_none() {
            return;
        }
        let cut = self.title.char_indices().nth(SHORTENED_TITLE_CHARS).map_or(self.title.len(), |(at, _)| at);
        let at_word = self.title[..cut].rfind(char::is_whitespace).filter(|&at| at > cut / 2).unwrap_or(cut);
        let short = format!("{}…", self.title[..at_word].trim_end());
        let full = std::mem::replace(&mut self.title, short);
        self.body.insert(0, Cow::Owned(full));
    }

    /// An article with a content-derived id and no optional metadata.
    pub fn new(title: String, captions: Vec<Caption>, body: Vec<String>) -> Self {
        let mut article = Article {
            id: String::new(),
            title,
            captions,
            body: body.into_iter().map(Cow::Owned).collect(),
            source: None,
            published: None,
            url: None,
        };
        article.shorten_long_title();
        article.id = article.content_id();
        article
    }

    /// A 64-bit FNV-1a hash of headline and body, as 16 hex digits. FNV is specified bit for bit,
    /// so the id is the same on every platform and every Rust version (std's hasher is not).
    pub fn content_id(&self) -> String {
        let id = content_id(&self.title, self.body.iter().map(|p| p.as_ref()));
        String::from_utf8(id.to_vec()).expect("hex digits")
    }

    /// The URLs of the article's `Links` list, in order: link `n` of the text is `links()[n - 1]`.
    /// The list is the paragraphs `[1] url`, `[2] url`, … after a [`LINKS_HEADING`] paragraph at
    /// the end of the body.
    pub fn links(&self) -> Vec<&str> {
        let Some(heading) = self.body.iter().rposition(|p| p == LINKS_HEADING) else { return Vec::new() };
        let mut links = Vec::new();
        for (i, paragraph) in self.body[heading + 1..].iter().enumerate() {
            let expected = format!("[{}] ", i + 1);
            match paragraph.strip_prefix(expected.as_str()) {
                Some(url) => links.push(url),
                None => return Vec::new(),
            }
        }
        links
    }

    /// Number of words in the body (its Links list left out), for the reading-time estimate.
    pub fn word_count(&self) -> usize {
        let links = self.links().len();
        let text = if links > 0 { &self.body[..self.body.len() - links - 1] } else { &self.body[..] };
        text.iter().map(|p| p.split_whitespace().count()).sum()
    }

    /// Minutes to read at 200 words a minute, at least one.
    pub fn minutes_to_read(&self) -> usize {
        self.word_count().div_ceil(200).max(1)
    }
}

/// Accepts `body` as an array of paragraphs or as one string split on blank lines.
fn paragraphs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Cow<'static, str>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Body {
        Paragraphs(Vec<String>),
        Text(String),
        Null(()),
    }
    Ok(match Body::deserialize(deserializer)? {
        Body::Paragraphs(paragraphs) => paragraphs.into_iter().map(Cow::Owned).collect(),
        Body::Text(text) => split_paragraphs(&text).into_iter().map(Cow::Owned).collect(),
        Body::Null(()) => Vec::new(),
    })
}

/// Splits text into paragraphs on blank lines; lines inside a paragraph are joined with a space.
pub fn split_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// The content id of an article with this (cleaned) headline and these (cleaned) paragraphs:
/// FNV-1a over each part and a 0 after it, as 16 hex digits. Made without allocating: the
/// loader's fast path makes one for every article without an id.
pub fn content_id<'a>(title: &'a str, paragraphs: impl Iterator<Item = &'a str>) -> [u8; 16] {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in std::iter::once(title).chain(paragraphs) {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    let mut hex = [0; 16];
    for (i, digit) in hex.iter_mut().enumerate() {
        *digit = b"0123456789abcdef"[(hash >> (60 - 4 * i) & 0xf) as usize];
    }
    hex
}
