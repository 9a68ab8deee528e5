//! The headless subcommands: `list`, `search` and `show` print what the browser shows, through the
//! same loaders and the same search engine, for scripts and tests.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use serde::Serialize;

use crate::article::Article;
use crate::collection::Collection;
use crate::page::meta_line;
use crate::search::engine::never;
use crate::search::{Engine, Hit, Searcher};

/// `N<TAB>headline` per article (N from 1), or the canonical JSON document.
pub fn list(collection: &Collection, json: bool, out: &mut impl Write) -> io::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, collection)?;
        writeln!(out)?;
    } else {
        for (n, title) in collection.titles().iter().enumerate() {
            writeln!(out, "{}\t{title}", n + 1)?;
        }
    }
    out.flush()
}

/// One search result as `search --json` prints it.
#[derive(Debug, Serialize)]
struct SearchResult<'a> {
    /// Position in the collection, from 1 (as `list` and `show` count).
    index: usize,
    score: i64,
    title: &'a str,
    /// Char indices of the matched characters in `title`.
    positions: Vec<usize>,
}

/// The articles whose headline matches `query`, best first, in the browser's order.
pub fn search(
    collection: Collection,
    query: &str,
    limit: Option<usize>,
    json: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let collection = Arc::new(collection);
    let mut engine = Engine::new(Arc::clone(&collection));
    crate::timing::phase("search index");
    let hits = match limit {
        Some(k) => Arc::new(engine.top(query, k)),
        None => engine.rank(query, &never, &AtomicUsize::new(0)).expect("never cancelled"),
    };
    crate::timing::phase("ranking");
    write_hits(hits.iter().map(|hit| (*hit, collection.title(hit.index))), query, json, out)
}

/// `search`'s output: per hit, `N<TAB>score<TAB>headline` (N from 1), or the JSON array of
/// [`SearchResult`]s. Also for the hits of [`crate::search::stream::top`].
pub fn write_hits<'a>(
    hits: impl Iterator<Item = (Hit, &'a str)>,
    query: &str,
    json: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    if json {
        let results: Vec<SearchResult> = hits
            .map(|(hit, title)| SearchResult {
                index: hit.index + 1,
                score: hit.score,
                title,
                positions: Searcher.positions(query, title),
            })
            .collect();
        serde_json::to_writer(&mut *out, &results)?;
        writeln!(out)?;
    } else {
        for (hit, title) in hits {
            writeln!(out, "{}\t{}\t{title}", hit.index + 1, hit.score)?;
        }
    }
    out.flush()?;
    crate::timing::phase("output");
    Ok(())
}

/// Article `n` as the canonical JSON document of one article: the shape `list --json` prints,
/// which Broadsheet reads back (`show 3 --json > one.json; broadsheet one.json`).
pub fn show_json(article: &Article, out: &mut impl Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        articles: [&'a Article; 1],
    }
    serde_json::to_writer_pretty(&mut *out, &Document { articles: [article] })?;
    writeln!(out)?;
    out.flush()
}

/// Article `n` (from 1) as plain text: headline, meta line, captions with credits, then the body
/// wrapped at `width` columns.
pub fn show(article: &Article, width: usize, bidi: bool, out: &mut impl Write) -> io::Result<()> {
    let width = width.max(1);
    // Display order; right-to-left paragraphs pushed to the right margin.
    let wrap = |text: &str| {
        let (lines, rtl) = crate::page::wrap_for_display(text, width, bidi);
        let pad = |line: &str| if rtl { width.saturating_sub(unicode_width::UnicodeWidthStr::width(line)) } else { 0 };
        lines.iter().map(|line| format!("{}{line}", " ".repeat(pad(line)))).collect::<Vec<_>>().join("\n")
    };
    writeln!(out, "{}", wrap(&article.title))?;
    writeln!(out, "{}", wrap(&meta_line(article)))?;
    for caption in &article.captions {
        writeln!(out)?;
        writeln!(out, "{}", wrap(&format!("Photo: {}", caption.text)))?;
        if let Some(credit) = &caption.credit {
            writeln!(out, "{}", wrap(&format!("Credit: {credit}")))?;
        }
    }
    let links_from = crate::page::links_start(article);
    for (n, paragraph) in article.body.iter().enumerate() {
        if n >= links_from {
            // The Links list, one link a line.
            writeln!(out, "{}", crate::page::hard_wrap(paragraph, width).join("\n"))?;
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{}", wrap(paragraph))?;
    }
    out.flush()
}
