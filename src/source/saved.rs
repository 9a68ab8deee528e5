//! A feed entry kept as the feed gave it: the library stores entries this way and makes the
//! article (paragraphs, captions, links) when one is read, as `list URL…` does in memory. A
//! fetch then converts nothing: of 10,000 entries a reader opens a few.
//!
//! The form is ours (a version byte, then length-prefixed fields), written and read only here.
//! A stored entry is not trusted either: one that does not read back is `None`, never a panic,
//! and lengths are checked against the bytes that are there before anything is taken.

use std::borrow::Cow;

use url::Url;

use super::feed::{Entry, Text};
use super::html::Figure;
use crate::article::{Article, Caption};

/// The form's version: bumped when the layout changes (an older form then reads as `None`, and
/// the library converts the entry again on its next fetch).
const VERSION: u8 = 1;

/// An entry in the stored form. Its summary is left out when it has content: an article is
/// made from the content then (`feed::article`), and most feeds' summary repeats the content's
/// first paragraph (a tenth of the bytes a fetch would compress and store for nothing).
pub fn encode(entry: &Entry<'_>) -> Vec<u8> {
    let summary = if entry.content.is_some() { &None } else { &entry.summary };
    // The exact length, so that the one allocation is the entry's size (a collection keeps
    // ten thousand of these).
    let option_len = |t: Option<&str>| 1 + t.map_or(0, |t| 4 + t.len());
    let text_len = |t: &Option<Text>| 1 + t.as_ref().map_or(0, |t| 4 + text_of(t).len());
    let fields: usize = [&entry.title, &entry.link, &entry.id, &entry.published, &entry.updated]
        .iter()
        .map(|f| option_len(f.as_deref()))
        .sum();
    let media: usize = entry
        .media
        .iter()
        .map(|f| 4 + f.caption.text.len() + option_len(f.caption.credit.as_deref()) + option_len(f.image.as_deref()))
        .sum();
    let len = 1
        + fields
        + text_len(&entry.content)
        + text_len(summary)
        + option_len(entry.base.as_ref().map(Url::as_str))
        + 4
        + media;
    let mut out = Vec::with_capacity(len);
    out.push(VERSION);
    for field in [&entry.title, &entry.link, &entry.id, &entry.published, &entry.updated] {
        put_option(&mut out, field.as_deref());
    }
    for text in [&entry.content, summary] {
        match text {
            None => out.push(0),
            Some(Text::Html(html)) => {
                out.push(1);
                put(&mut out, html);
            }
            Some(Text::Plain(plain)) => {
                out.push(2);
                put(&mut out, plain);
            }
        }
    }
    put_option(&mut out, entry.base.as_ref().map(Url::as_str));
    put_len(&mut out, entry.media.len());
    for figure in &entry.media {
        put(&mut out, &figure.caption.text);
        put_option(&mut out, figure.caption.credit.as_deref());
        put_option(&mut out, figure.image.as_deref());
    }
    debug_assert_eq!(out.len(), len, "the length computed first");
    out
}

/// The entry `encode` wrote, or `None` when these bytes are not one.
pub fn decode(bytes: &[u8]) -> Option<Entry<'static>> {
    let mut reader = Reader { bytes };
    if reader.byte()? != VERSION {
        return None;
    }
    let mut fields = [None, None, None, None, None];
    for field in &mut fields {
        *field = reader.option()?;
    }
    let [title, link, id, published, updated] = fields;
    let mut texts = [None, None];
    for text in &mut texts {
        *text = match reader.byte()? {
            0 => None,
            1 => Some(Text::Html(Cow::Owned(reader.string()?))),
            2 => Some(Text::Plain(Cow::Owned(reader.string()?))),
            _ => return None,
        };
    }
    let [content, summary] = texts;
    let base = reader.option()?.and_then(|b| Url::parse(&b).ok());
    let count = reader.len()?;
    // Each figure takes at least six bytes: a count beyond that is a lie, not an allocation.
    let mut media = Vec::with_capacity(count.min(reader.bytes.len() / 6));
    for _ in 0..count {
        let text = reader.string()?;
        let credit = reader.option()?;
        let image = reader.option()?;
        media.push(Figure { caption: Caption { text, credit }, image });
    }
    reader.bytes.is_empty().then_some(Entry { title, link, id, published, updated, content, summary, base, media })
}

/// The fields a list shows of a stored entry, read in place (`decode` copies the whole entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields<'a> {
    pub title: Option<&'a str>,
    pub link: Option<&'a str>,
    pub id: Option<&'a str>,
    pub published: Option<&'a str>,
    pub updated: Option<&'a str>,
}

/// The leading fields of a stored entry, or `None` when these bytes do not start as one.
pub fn fields(bytes: &[u8]) -> Option<Fields<'_>> {
    let mut reader = Reader { bytes };
    if reader.byte()? != VERSION {
        return None;
    }
    let mut fields = [None; 5];
    for field in &mut fields {
        *field = reader.option_str()?;
    }
    let [title, link, id, published, updated] = fields;
    Some(Fields { title, link, id, published, updated })
}

/// The article of a stored entry (`source`: its feed's name), made as a fetch would have made it;
/// `None` when the bytes are not a stored entry or the entry is no article.
pub fn restore(bytes: &[u8], source: Option<&str>) -> Option<Article> {
    super::feed::article(&decode(bytes)?, source)
}

fn text_of<'a>(text: &'a Text<'_>) -> &'a str {
    match text {
        Text::Html(t) | Text::Plain(t) => t,
    }
}

fn put_len(out: &mut Vec<u8>, len: usize) {
    // Entries are far below 4 GiB (a feed is cut at its size limit long before).
    out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes());
}

fn put(out: &mut Vec<u8>, text: &str) {
    put_len(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

fn put_option(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        None => out.push(0),
        Some(text) => {
            out.push(1);
            put(out, text);
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn len(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    fn string(&mut self) -> Option<String> {
        let len = self.len()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = self.len()?;
        std::str::from_utf8(self.take(len)?).ok()
    }

    fn option_str(&mut self) -> Option<Option<&'a str>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.str().map(Some),
            _ => None,
        }
    }

    fn option(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry<'static> {
        Entry {
            title: Some("Harbour reopens".into()),
            link: Some("https://news.example/harbour".into()),
            id: None,
            published: Some("Mon, 30 Nov 2026 07:00:00 GMT".into()),
            updated: None,
            content: Some(Text::Html(Cow::Owned("<p>Ships <b>sail</b> again.</p>".into()))),
            summary: Some(Text::Plain(Cow::Owned("Ships sail.".into()))),
            base: Url::parse("https://news.example/").ok(),
            media: vec![Figure {
                caption: Caption { text: "The quay at dawn".into(), credit: Some("A. Photographer".into()) },
                image: Some("https://news.example/quay.jpg".into()),
            }],
        }
    }

    #[test]
    fn an_entry_reads_back_as_it_was_written() {
        // Without content, the summary is the text and is kept.
        let teaser = Entry { content: None, ..entry() };
        let back = decode(&encode(&teaser)).expect("it reads back");
        assert_eq!(format!("{back:?}"), format!("{teaser:?}"));
    }

    #[test]
    fn a_summary_beside_content_is_not_stored_and_the_article_is_the_same() {
        let whole = entry();
        let bytes = encode(&whole);
        let back = decode(&bytes).expect("it reads back");
        assert!(back.summary.is_none());
        assert_eq!(format!("{back:?}"), format!("{:?}", Entry { summary: None, ..entry() }));
        assert!(!bytes.windows("Ships sail.".len()).any(|w| w == b"Ships sail."));
        let article = |e: &Entry<'_>| format!("{:?}", crate::source::feed::article(e, Some("Harbour News")));
        assert_eq!(article(&back), article(&whole));
    }

    #[test]
    fn the_leading_fields_read_in_place() {
        let entry = entry();
        let bytes = encode(&entry);
        let fields = fields(&bytes).expect("they read");
        assert_eq!(
            (fields.title, fields.link, fields.id, fields.published, fields.updated),
            (
                entry.title.as_deref(),
                entry.link.as_deref(),
                entry.id.as_deref(),
                entry.published.as_deref(),
                entry.updated.as_deref()
            )
        );
        // Cut inside the fields: refused; cut after them: the fields are there to read.
        let title_end = 1 + 1 + 4 + "Harbour reopens".len();
        assert!((0..title_end).all(|end| super::fields(&bytes[..end]).is_none()));
        assert!(super::fields(&[VERSION + 1]).is_none());
    }

    #[test]
    fn every_cut_of_a_stored_entry_is_refused_not_misread() {
        let bytes = encode(&entry());
        for end in 0..bytes.len() {
            assert!(decode(&bytes[..end]).is_none(), "{end} bytes of {}", bytes.len());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none(), "trailing bytes");
        let mut other = bytes;
        other[0] = VERSION + 1;
        assert!(decode(&other).is_none(), "another version");
    }

    #[test]
    fn a_huge_count_is_not_an_allocation() {
        let mut bytes = vec![VERSION, 0, 0, 0, 0, 0, 0, 0, 0];
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&bytes).is_none());
    }
}
