//! The JSON loader: the canonical `{"articles": [...]}` document, or a bare array of articles.

use std::borrow::Cow;
use std::io::{BufRead, Read};

use rayon::prelude::*;
use serde::Deserialize;

use crate::article::{Article, Caption, Collection, split_paragraphs};
use crate::sanitize::{sanitize, sanitize_cow, sanitize_in_place};

/// Parses a JSON collection. Every string is sanitized, headlines are trimmed, and articles
/// without an `id` get their content id.
pub fn parse(text: &str) -> serde_json::Result<Vec<Article>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let articles = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<Article>>(text)?
    } else {
        serde_json::from_str::<Collection>(text)?.articles
    };
    Ok(articles.into_iter().map(clean).collect())
}

/// Parses a JSON collection from a reader, streaming: a large file is never held in memory
/// twice (as bytes and as articles).
pub fn parse_reader(reader: impl Read) -> serde_json::Result<Vec<Article>> {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, reader);
    // Skip a BOM and whitespace to see whether this is a bare array.
    let bare_array = loop {
        let buf = reader.fill_buf().map_err(serde_json::Error::io)?;
        let skip = match buf {
            [] => break false,
            [0xef, 0xbb, 0xbf, ..] => 3,
            [b' ' | b'\t' | b'\r' | b'\n', ..] => 1,
            [first, ..] => break *first == b'[',
        };
        reader.consume(skip);
    };
    let articles = if bare_array {
        serde_json::from_reader::<_, Vec<Article>>(reader)?
    } else {
        serde_json::from_reader::<_, Collection>(reader)?.articles
    };
    Ok(articles.into_iter().map(clean).collect())
}

/// Sanitizes every field of an article and fills in a missing id. Clean text is kept as it is,
/// without a copy.
fn clean(mut article: Article) -> Article {
    clean_in_place(&mut article);
    article
}

fn clean_in_place(article: &mut Article) {
    if article.title.trim().len() != article.title.len() || !crate::sanitize::is_clean(&article.title) {
        article.title = sanitize(article.title.trim()).trim().to_string();
    }
    article.shorten_long_title();
    for caption in &mut article.captions {
        sanitize_in_place(&mut caption.text);
        if let Some(credit) = &mut caption.credit {
            sanitize_in_place(credit);
        }
    }
    for paragraph in &mut article.body {
        sanitize_cow(paragraph);
    }
    for field in [&mut article.source, &mut article.published, &mut article.url].into_iter().flatten() {
        sanitize_in_place(field);
    }
    if article.id.trim().is_empty() {
        article.id = article.content_id();
    } else {
        sanitize_in_place(&mut article.id);
    }
}

/// An article as read from a memory-mapped file: the body borrows from the file.
#[derive(Deserialize)]
struct MappedArticle<'a> {
    #[serde(default)]
    id: String,
    title: String,
    #[serde(default)]
    captions: Vec<Caption>,
    #[serde(borrow, default, deserialize_with = "borrowed_paragraphs")]
    body: Vec<Cow<'a, str>>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct MappedCollection<'a> {
    #[serde(borrow)]
    articles: Vec<MappedArticle<'a>>,
}

/// `body` as an array of paragraphs (borrowed where they need no unescaping), one string (split
/// on blank lines) or null. A visitor of its own: serde's untagged enums buffer their input and
/// would copy every paragraph.
fn borrowed_paragraphs<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
    struct Paragraphs;

    #[derive(Deserialize)]
    struct Paragraph<'a>(#[serde(borrow)] Cow<'a, str>);

    impl<'de> serde::de::Visitor<'de> for Paragraphs {
        type Value = Vec<Cow<'de, str>>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of paragraphs, a string or null")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut paragraphs = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(Paragraph(text)) = seq.next_element()? {
                paragraphs.push(text);
            }
            Ok(paragraphs)
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(split_paragraphs(text).into_iter().map(Cow::Owned).collect())
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(Paragraphs)
}

/// Parses a JSON collection that stays in memory (a mapped file) for the rest of the process.
/// Body paragraphs borrow from it instead of being copied; every article is then checked and
/// sanitized in parallel.
pub fn parse_static(bytes: &'static [u8]) -> serde_json::Result<Vec<Article>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let bare_array = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let mapped = if bare_array {
        serde_json::from_slice::<Vec<MappedArticle<'static>>>(bytes)?
    } else {
        serde_json::from_slice::<MappedCollection<'static>>(bytes)?.articles
    };
    // Sequential moves, which Rust does in place (the two types have the same layout), then the
    // cleaning in parallel: a million articles are never held twice.
    let mut articles: Vec<Article> = mapped
        .into_iter()
        .map(|a| Article {
            id: a.id,
            title: a.title,
            captions: a.captions,
            body: a.body,
            source: a.source,
            published: a.published,
            url: a.url,
        })
        .collect();
    articles.par_iter_mut().for_each(clean_in_place);
    Ok(articles)
}
