//! The JSON loader: the canonical `{"articles": [...]}` document, or a bare array of articles.

use std::io::{BufRead, Read};

use crate::article::{Article, Collection};
use crate::sanitize::{sanitize, sanitize_in_place};

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
    if article.title.trim().len() != article.title.len() || !crate::sanitize::is_clean(&article.title) {
        article.title = sanitize(article.title.trim()).trim().to_string();
    }
    for caption in &mut article.captions {
        sanitize_in_place(&mut caption.text);
        if let Some(credit) = &mut caption.credit {
            sanitize_in_place(credit);
        }
    }
    for paragraph in &mut article.body {
        sanitize_in_place(paragraph);
    }
    for field in [&mut article.source, &mut article.published, &mut article.url].into_iter().flatten() {
        sanitize_in_place(field);
    }
    if article.id.trim().is_empty() {
        article.id = article.content_id();
    } else {
        sanitize_in_place(&mut article.id);
    }
    article
}
