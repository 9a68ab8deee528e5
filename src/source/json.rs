//! The JSON loader: the canonical `{"articles": [...]}` document, or a bare array of articles.

use crate::article::{Article, Collection};
use crate::sanitize::sanitize;

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

/// Sanitizes every field of an article and fills in a missing id.
fn clean(mut article: Article) -> Article {
    article.title = sanitize(article.title.trim()).trim().to_string();
    for caption in &mut article.captions {
        caption.text = sanitize(&caption.text);
        caption.credit = caption.credit.as_deref().map(sanitize);
    }
    for paragraph in &mut article.body {
        *paragraph = sanitize(paragraph);
    }
    for field in [&mut article.source, &mut article.published, &mut article.url] {
        *field = field.as_deref().map(sanitize);
    }
    if article.id.trim().is_empty() {
        article.id = article.content_id();
    } else {
        article.id = sanitize(&article.id);
    }
    article
}
