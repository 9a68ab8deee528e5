//! The library's commands for scripts and people: add, remove, feeds, import, export, mark,
//! and the library as a [`Collection`] for the browser, `list`, `search` and `show`.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use crate::app::{Marks, Reload};
use crate::article::Article;
use crate::collection::{Collection, HeadlineKeys, Pending, Words};
use crate::fetch::{self, Summary};
use crate::library::{Filter, Library, LibraryError, Listing, Mark};
use crate::search::Engine;
use crate::source::feed::Outline;
use crate::source::{self, Document};

/// The library's articles that pass `filter`, newest first: headlines and ids at once, each
/// article read from the library when it is opened. With their marks and the library's tags,
/// for the browser.
pub fn collection(library: Library, filter: &Filter) -> Result<(Collection, Marks), LibraryError> {
    let tags = library.tags()?;
    let Listing { ids, titles, guids, feeds, read, starred, search_keys } = library.listing(filter)?;
    let items = Stored { library: Mutex::new(library), ids: ids.clone() };
    let collection = Collection::pending(titles, guids, Arc::new(items));
    // The search index as stored with the headlines (rows from schema 1 have none: then the
    // search builds it).
    let collection = match search_keys {
        Some(keys) => collection.with_keys(HeadlineKeys {
            masks: Words::Shared(keys.iter().map(|k| k.0).collect()),
            foldable: keys.iter().enumerate().filter(|(_, k)| k.1).map(|(i, _)| i as u32).collect(),
        }),
        None => collection,
    };
    Ok((collection, Marks { ids, feeds, read, starred, tags }))
}

/// Articles in the library, read when opened.
struct Stored {
    library: Mutex<Library>,
    ids: Vec<i64>,
}

impl Pending for Stored {
    fn article(&self, i: usize) -> Article {
        let read = self.library.lock().map_err(|_| None).and_then(|library| library.article(self.ids[i]).map_err(Some));
        read.unwrap_or_else(|err| {
            let why = err.map_or_else(|| "the library is unavailable".to_string(), |e| e.to_string());
            Article::new("This article could not be read".into(), Vec::new(), vec![why])
        })
    }
}

/// `R` in the browser: fetches every feed of the library in `dir`, then reads the library
/// again and builds its search engine: everything the browser swaps in, made off its thread.
pub fn reload(
    dir: &std::path::Path,
    options: &fetch::Options,
    progress: &mut dyn FnMut(&Summary),
) -> Result<(Reload, Engine), LibraryError> {
    let mut library = Library::open(dir)?;
    let feeds = fetch::select(&library, &[])?;
    let summary = fetch::run(&mut library, feeds, options, false, progress)?;
    let (collection, marks) = collection(library, &Filter::default())?;
    let collection = Arc::new(collection);
    let engine = Engine::new(Arc::clone(&collection));
    let reload = Reload {
        marks,
        index: Arc::clone(engine.index()),
        everything: engine.everything(),
        collection,
        new: summary.new,
        total: summary.total,
        failures: summary.failures.iter().chain(&summary.skipped).cloned().collect(),
    };
    Ok((reload, engine))
}

/// The URLs `broadsheet add` can subscribe to: web addresses (http or https, with a host). A
/// feed that fails now is still added (it may be back tomorrow); one that can never be fetched
/// is not, and nothing is added when one of them is such.
pub fn check_urls(urls: &[String]) -> Result<(), String> {
    match urls.iter().find_map(|url| not_web_address(url).map(|why| (url, why))) {
        Some((url, why)) => Err(format!("{url}: {why}; nothing added")),
        None => Ok(()),
    }
}

/// Why `url` can never be fetched, when it cannot: it is not a web address (http or https,
/// with a host).
pub fn not_web_address(url: &str) -> Option<String> {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("not a web address (it has spaces or control characters in it)".into());
    }
    match url::Url::parse(url) {
        // `https:///x` parses (as `https://x/`), but is fetched as written: a host must follow.
        Ok(parsed)
            if matches!(parsed.scheme(), "http" | "https")
                && url.split_once("://").is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/')) =>
        {
            None
        }
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
            Some(format!("no host after {}://", parsed.scheme()))
        }
        Ok(parsed) => Some(format!("not a web address ({}:); feeds are fetched over http and https", parsed.scheme())),
        Err(_) if !url.contains("://") => Some(format!("not a web address (did you mean https://{url}?)")),
        Err(err) => Some(format!("not a web address ({err})")),
    }
}

/// `broadsheet add`: subscribes to each URL after fetching it once, and says what it found.
pub fn add(
    library: &mut Library,
    urls: &[String],
    new: &New,
    options: &fetch::Options,
    out: &mut impl Write,
) -> Result<bool, LibraryError> {
    if new.name.is_some() && urls.len() > 1 {
        return Err(LibraryError::Usage("--name names one feed: give one URL with it".into()));
    }
    let mut all_ok = true;
    for url in urls {
        let id = library.add_feed(url, new.name, new.tags)?;
        if new.full_text {
            library.set_full_text(url, true)?;
        }
        let feeds = library.feeds()?.into_iter().filter(|f| f.id == id).collect();
        // The feed is checked and stored now; its pages are read by `fetch`, paced, not here.
        let summary = fetch::run(library, feeds, &fetch::Options { max_pages: 0, ..*options }, true, &mut |_| {})?;
        let info = library.feeds()?.into_iter().find(|f| f.id == id);
        match (summary.failures.first(), info) {
            (Some(failure), _) => {
                all_ok = false;
                let reason = failure.split_once(": ").map_or(failure.as_str(), |(_, r)| r);
                writeln!(out, "added {url}, but it could not be read now: {reason}").map_err(io_error)?;
            }
            (None, Some(info)) => {
                writeln!(out, "added {}: {} ({} articles)", info.url, info.name, info.articles).map_err(io_error)?;
            }
            (None, None) => {}
        }
        for notice in summary.notices {
            writeln!(out, "  {notice}").map_err(io_error)?;
        }
        if new.full_text {
            writeln!(out, "  full articles: read from their pages by `broadsheet fetch` (or R in the browser)")
                .map_err(io_error)?;
        }
    }
    Ok(all_ok)
}

/// What `broadsheet add` gives a new subscription.
#[derive(Debug, Default)]
pub struct New<'a> {
    /// What to call it (one URL only).
    pub name: Option<&'a str>,
    pub tags: &'a [String],
    /// Get each article's web page at each fetch.
    pub full_text: bool,
}

fn io_error(err: io::Error) -> LibraryError {
    LibraryError::Output(err)
}

/// `broadsheet feeds`: a table, or JSON.
pub fn feeds(library: &Library, json: bool, out: &mut impl Write) -> Result<(), LibraryError> {
    let feeds = library.feeds()?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &feeds).map_err(|e| io_error(e.into()))?;
        writeln!(out).map_err(io_error)?;
        return Ok(());
    }
    if feeds.is_empty() {
        writeln!(out, "No subscriptions: broadsheet add URL").map_err(io_error)?;
        return Ok(());
    }
    for feed in feeds {
        let status = status_line(&feed);
        let tags = if feed.tags.is_empty() { String::new() } else { format!(" [{}]", feed.tags.join(", ")) };
        let full = if feed.full_text { "; full articles" } else { "" };
        writeln!(
            out,
            "{}{tags}\n  {}\n  {} articles, {} unread{full}; {status}",
            feed.name, feed.url, feed.articles, feed.unread
        )
        .map_err(io_error)?;
    }
    Ok(())
}

/// What `broadsheet import` did.
#[derive(Debug, Default)]
pub struct Imported {
    pub added: usize,
    /// Subscribed already: left as they are.
    pub there: usize,
    /// What was not imported, and why (`line 5: …`, `ftp://…: not a web address …`).
    pub passed_over: Vec<String>,
}

/// How `feeds` says a feed's last fetch went: `fetched 3 min ago`, `fetched 2 h ago:
/// unchanged`, `failing: HTTP 404 (tried 5 min ago)`, `gone: …`, `never fetched`.
fn status_line(feed: &crate::library::FeedInfo) -> String {
    let when = feed.last_fetch.as_deref().map(crate::page::readable_date);
    let tried = when.as_deref().map(|w| format!(" (tried {w})")).unwrap_or_default();
    match (&feed.last_error, feed.last_status.as_deref(), &when) {
        _ if feed.gone => format!("gone: the server said 410 Gone{tried}; remove it, or add it again"),
        (Some(error), _, _) => format!("failing: {error}{tried}"),
        (None, Some("304"), Some(when)) => format!("fetched {when}: unchanged"),
        (None, _, Some(when)) => format!("fetched {when}"),
        _ => "never fetched".into(),
    }
}

/// `broadsheet import FILE`: the feeds of an OPML file or a newsboat `urls` file, with their
/// names and tags; those already there are left as they are, and what is not a feed (a newsboat
/// query, a command, an address that is not on the web) is passed over and named.
pub fn import(library: &mut Library, name: &str, bytes: &[u8]) -> Result<Imported, LibraryError> {
    let text = String::from_utf8_lossy(bytes);
    let (outlines, mut passed_over) = if source::urls::looks_like_urls(&text) {
        source::urls::parse(&text)
    } else {
        match source::parse_document(name, bytes, None, None) {
            Ok(Document::Opml(outlines)) => (outlines, Vec::new()),
            Ok(Document::Articles { .. }) => {
                return Err(LibraryError::Usage(format!(
                    "{name}: a feed, not a list of feeds; subscribe to it with `broadsheet add URL`"
                )));
            }
            Err(err) => return Err(LibraryError::Usage(err.to_string())),
        }
    };
    let outlines: Vec<Outline> = outlines
        .into_iter()
        .filter(|outline| match not_web_address(&outline.url) {
            Some(why) => {
                passed_over.push(format!("{}: {why}; passed over", crate::sanitize::sanitize(&outline.url)));
                false
            }
            None => true,
        })
        .collect();
    if outlines.is_empty() {
        let why: String = passed_over.iter().map(|line| format!("\n  {line}")).collect();
        return Err(LibraryError::Usage(format!(
            "{name}: no feeds in it{}{why}",
            if why.is_empty() { "" } else { ":" }
        )));
    }
    let mut imported = Imported { passed_over, ..Imported::default() };
    for outline in outlines {
        if library.find_feed(&outline.url)?.is_some() {
            imported.there += 1;
            continue;
        }
        library.add_feed(&outline.url, outline.title.as_deref(), &outline.tags)?;
        imported.added += 1;
    }
    Ok(imported)
}

/// `broadsheet export`: the subscriptions as OPML 2.0.
pub fn export(library: &Library, out: &mut impl Write) -> Result<(), LibraryError> {
    let outlines: Vec<Outline> = library
        .feeds()?
        .into_iter()
        .map(|f| Outline { title: Some(f.name).filter(|n| *n != f.url), url: f.url, tags: f.tags })
        .collect();
    out.write_all(source::opml::write(&outlines).as_bytes()).map_err(io_error)
}

/// `broadsheet mark read|unread|star|unstar N…`, N as `list` numbers the whole library.
pub fn mark(library: &mut Library, mark: Mark, numbers: &[usize]) -> Result<(), LibraryError> {
    let listed = library.listing(&Filter::default())?.ids;
    let mut ids = Vec::new();
    for &n in numbers {
        match n.checked_sub(1).and_then(|i| listed.get(i)) {
            Some(&id) => ids.push(id),
            None => {
                return Err(LibraryError::Usage(format!(
                    "no article {n}: the library has {} (numbered from 1, newest first)",
                    listed.len()
                )));
            }
        }
    }
    library.mark(&ids, mark)
}

/// The one line `fetch` prints when stderr is not a terminal (and the last when it is).
pub fn summary_line(summary: &Summary) -> String {
    let mut line = format!(
        "fetched {}/{} feed(s): {} new, {} updated, {} unchanged",
        summary.done - summary.failures.len(),
        summary.total,
        summary.new,
        summary.changed,
        summary.unchanged
    );
    if !summary.failures.is_empty() {
        line.push_str(&format!(", {} failed", summary.failures.len()));
    }
    if !summary.skipped.is_empty() {
        line.push_str(&format!(", {} skipped", summary.skipped.len()));
    }
    if summary.pages > 0 {
        line.push_str(&format!("; full text: {} of {} page(s) read", summary.pages_stored, summary.pages));
    }
    line
}
