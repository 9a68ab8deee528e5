//! What the command line names, opened: files, directories, standard input, URLs and OPML
//! lists, in that order, as one collection.
//!
//! Local inputs are read as before (a bad file stops everything: the user named it). URLs, and
//! the feeds of OPML files, are fetched concurrently ([`net`]) and parsed ([`source`]); one that
//! fails is named with its reason and skipped, and the rest open.

use std::path::{Path, PathBuf};

use crate::collection::Collection;
use crate::net::{self, Client};
use crate::source::{self, Document, LoadError, Opened};

/// How inputs are opened.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The headline cache's directory, if it is on.
    pub cache: Option<PathBuf>,
    pub net: net::Options,
    /// Requests at once, in all and to one host.
    pub jobs: usize,
    pub per_host: usize,
}

/// Requests at once, by default (as newsboat's `reload-threads` would be set for a fair race).
pub const DEFAULT_JOBS: usize = 8;
/// Requests at once to one host, by default: polite to a site that serves several feeds.
pub const DEFAULT_PER_HOST: usize = 2;

/// What was opened.
#[derive(Default)]
pub struct Loaded {
    pub collection: Collection,
    /// Things the user should know (entries left out, duplicates, replaced bytes).
    pub notices: Vec<String>,
    /// One message per URL that could not be loaded: `URL: reason`.
    pub failures: Vec<String>,
    /// How many URLs were fetched.
    pub fetched: usize,
}

/// Is this argument a URL to fetch rather than a path?
pub fn is_url(input: &Path) -> bool {
    let text = input.to_string_lossy();
    let lower = text.get(..8).unwrap_or(&text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// One input's place in the result.
enum Slot {
    Local(Collection),
    /// Indices into the list of URLs to fetch.
    Remote(std::ops::Range<usize>),
}

/// Opens every input in order; no inputs means the bundled collection. `progress(done, total)`
/// follows the fetching of URLs.
pub fn open(
    inputs: &[PathBuf],
    options: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Loaded, LoadError> {
    if inputs.is_empty() {
        return Ok(Loaded { collection: source::bundled(), ..Loaded::default() });
    }
    let mut slots = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    let mut notices = Vec::new();
    for input in inputs {
        if is_url(input) {
            urls.push(input.to_string_lossy().into_owned());
            slots.push(Slot::Remote(urls.len() - 1..urls.len()));
            continue;
        }
        let (opened, more) = source::open_input(input, options.cache.as_deref(), options.net.max_size)?;
        notices.extend(more);
        match opened {
            Opened::Collection(collection) => slots.push(Slot::Local(collection)),
            Opened::Opml(outlines) => {
                let start = urls.len();
                urls.extend(outlines.into_iter().map(|outline| outline.url));
                slots.push(Slot::Remote(start..urls.len()));
            }
        }
    }
    let client = Client::new(options.net);
    let jobs = if options.jobs == 0 { DEFAULT_JOBS } else { options.jobs };
    let per_host = if options.per_host == 0 { DEFAULT_PER_HOST } else { options.per_host };
    let mut results = net::fetch_each(&urls, jobs, per_host, progress, &|_, url| fetch_feed(&client, url)).into_iter();
    let mut collection = Collection::default();
    let mut failures = Vec::new();
    for slot in slots {
        match slot {
            Slot::Local(part) => collection.append(part),
            Slot::Remote(range) => {
                for (url, result) in urls[range.clone()].iter().zip(results.by_ref().take(range.len())) {
                    match result {
                        Ok((part, more)) => {
                            collection.append(part);
                            notices.extend(more);
                        }
                        Err(reason) => failures.push(format!("{url}: {reason}")),
                    }
                }
            }
        }
    }
    let (collection, more) = source::without_duplicates(collection);
    notices.extend(more);
    Ok(Loaded { collection, notices, failures, fetched: urls.len() })
}

/// Fetches an article's web page and reads its article (the reader view): for `f`.
pub fn fetch_page(url: &str, options: net::Options) -> Result<crate::article::Article, String> {
    page(&Client::new(options), url).map_err(|(reason, _)| reason)
}

/// An article's web page, read with `client`: its article, or why not and whether trying
/// again later could help (a network failure, a server error: not a page without an article).
pub fn page(client: &Client, url: &str) -> Result<crate::article::Article, (String, bool)> {
    let fetched = client.get(url).map_err(|err| {
        let transient =
            !matches!(err, net::FetchError::Status(status, _) if (400..500).contains(&status) && status != 408 && status != 429);
        (err.to_string(), transient)
    })?;
    let origin = url::Url::parse(&fetched.final_url).ok();
    match source::parse_document(url, &fetched.body, origin.as_ref(), fetched.charset()) {
        Ok(Document::Articles { articles, .. }) if articles.len() == 1 => Ok(articles.article(0).into_owned()),
        Ok(_) => Err(("the link leads to a feed or a list, not an article page".into(), false)),
        Err(err) => Err((err.reason(), false)),
    }
}

/// Fetches and parses one feed: its articles, or why not.
fn fetch_feed(client: &Client, url: &str) -> Result<(Collection, Vec<String>), String> {
    let fetched = client.get(url).map_err(|err| err.to_string())?;
    let origin = url::Url::parse(&fetched.final_url).ok();
    match source::parse_document(url, &fetched.body, origin.as_ref(), fetched.charset()) {
        Ok(Document::Articles { articles, notices }) => Ok((articles, notices)),
        Ok(Document::Opml(_)) => Err("an OPML list, not a feed (OPML files are opened from disk)".into()),
        // The caller names the URL; the reason is what follows it.
        Err(err) => Err(err.reason()),
    }
}
