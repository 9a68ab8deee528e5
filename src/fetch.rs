//! Fetching subscriptions into the library: which feeds, how many at once, what to remember.
//!
//! Workers do HTTP ([`net`]) and parsing ([`source`]) and never SQL; the caller's thread owns
//! the library and stores each result as it arrives, in a transaction committed within a
//! quarter of a second ([`HOLD`]; one writer: marks and fetches apply in order, and a crash
//! loses at most the feeds stored since the last commit, fetched again next time).
//!
//! Per feed: a conditional GET with the stored ETag / Last-Modified (a 304 parses nothing);
//! `Retry-After` on 429/503 is honoured; a failing feed is backed off (1 minute, doubling, at
//! most a day); a permanent redirect (301/308) moves the subscription; 410 Gone retires it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::library::{FeedInfo, FeedUpdate, FetchRecord, Incoming, Library, LibraryError};
use crate::net::{self, Client, FetchError, Response};
use crate::source::{self, Document};

/// How a fetch runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub net: net::Options,
    /// Feeds at once.
    pub jobs: usize,
    /// Feeds at once from one host.
    pub per_host: usize,
    /// Between two article pages from one host (full text), at least this long: a site is not
    /// asked for fifty pages at once. Pages come one at a time from a host, [`PAGE_JOBS`] at a
    /// time in all.
    pub pace: Duration,
    /// At most this many article pages per fetch (newest first); the rest wait for the next.
    pub max_pages: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { net: net::Options::default(), jobs: 8, per_host: 2, pace: DEFAULT_PACE, max_pages: PAGES_PER_FETCH }
    }
}

/// The default of [`Options::pace`].
pub const DEFAULT_PACE: Duration = Duration::from_millis(500);
/// Article pages at once (full text), from different hosts.
pub const PAGE_JOBS: usize = 4;
/// The default of [`Options::max_pages`].
pub const PAGES_PER_FETCH: usize = 100;

/// How a fetch went, so far or in the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Feeds to fetch.
    pub total: usize,
    /// Feeds done (fetched, unchanged or failed).
    pub done: usize,
    pub new: usize,
    pub changed: usize,
    /// Feeds that answered 304.
    pub unchanged: usize,
    /// `name: reason`, one per feed that failed.
    pub failures: Vec<String>,
    /// Full text: article pages to read, read, and stored.
    pub pages: usize,
    pub pages_done: usize,
    pub pages_stored: usize,
    /// Feeds not fetched now (gone, or asked to wait): `name: why`.
    pub skipped: Vec<String>,
    pub notices: Vec<String>,
}

/// What one feed's fetch brought, for the writer.
enum Outcome {
    /// The articles, how many entries the feed had, the record and notices.
    Articles(Vec<Incoming>, usize, FetchRecord, Vec<String>),
    Unchanged(FetchRecord),
    Failed(String, FetchRecord),
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// At most this many feeds, of those waiting, are stored at once.
const BATCH: usize = 32;

/// Feeds are stored as they arrive, into a transaction committed this long after it began (or
/// when the last feed is stored). Each commit writes again every index page it touched: a
/// commit per feed wrote a log of 53 MB for a 29 MB library (200 feeds × 50 entries, 16 KiB
/// pages), gathering feeds for 25 ms and committing each gathering 32 MB; committing this
/// seldom takes 3–5 % less time than that. A mark from another process waits for the commit,
/// so this is short; a crash loses at most what is not committed (fetched again next time).
const HOLD: Duration = Duration::from_millis(250);

/// At most this many fetched feeds wait for the writer; a worker with another waits too. On two
/// cores, eight workers and a writer that waited for nothing, the writer had a share of one core
/// and was 50 ms behind when the last feed came in (200 feeds × 50 entries); held back so, it
/// keeps up (8 ms behind), and the rest of the time goes to the checkpoint beside it.
const QUEUE: usize = 2;

/// When at most this share of the feeds is left to store (or every feed is in), what is committed
/// is copied into the library file beside the writer (`Library::checkpoint_beside`), so that the
/// final checkpoint has only the rest to copy. Measured, 200 × 50, medians of 9 runs alternating:
/// with the short queue and a checkpoint only once every feed was in, 269 ms (as without the
/// queue: the writer had caught up, so the final checkpoint had everything to copy); with it at
/// a fifth, a third, half and 70 % of the feeds left, 258, 254, 257 and 268 ms; in another hour,
/// a third 242 and 249 ms, half 252, several checkpoints (at 70, 40 and 15 % left) 236 and 248.
const CHECKPOINT_WHEN_LEFT: (usize, usize) = (1, 3);

/// The longest a failing feed waits before it is tried again.
const MAX_BACKOFF: i64 = 24 * 3600;

/// The feeds to fetch: all, or those named (by URL or name). An unknown name is an error.
pub fn select(library: &Library, names: &[String]) -> Result<Vec<FeedInfo>, LibraryError> {
    let feeds = library.feeds_to_fetch()?;
    if names.is_empty() {
        return Ok(feeds);
    }
    let mut chosen = Vec::new();
    for name in names {
        let Some(id) = library.find_feed(name)? else {
            return Err(LibraryError::Usage(format!("{name}: no such subscription (see `broadsheet feeds`)")));
        };
        chosen.extend(feeds.iter().filter(|f| f.id == id).cloned());
    }
    Ok(chosen)
}

/// Fetches `feeds` and stores what they bring; `progress` sees the summary after each feed.
/// Feeds that asked to wait (Retry-After, backoff) are passed over unless `force` (the user
/// named them).
pub fn run(
    library: &mut Library,
    feeds: Vec<FeedInfo>,
    options: &Options,
    force: bool,
    progress: &mut dyn FnMut(&Summary),
) -> Result<Summary, LibraryError> {
    let mut summary = Summary::default();
    let time = now();
    let (due, waiting): (Vec<FeedInfo>, Vec<FeedInfo>) =
        feeds.into_iter().partition(|f| !f.gone && (force || f.fetch_after.is_none_or(|after| after <= time)));
    for feed in waiting {
        let why = if feed.gone {
            "gone (the server said 410); remove it, or add it again".to_string()
        } else {
            format!(
                "waiting until {} (asked to, or failing)",
                crate::library::rfc3339(feed.fetch_after.unwrap_or(time))
            )
        };
        summary.skipped.push(format!("{}: {why}", feed.name));
    }
    summary.total = due.len();
    progress(&summary);
    let client = Client::new(options.net);
    let urls: Vec<String> = due.iter().map(|f| f.url.clone()).collect();
    let (send, receive) = mpsc::sync_channel::<(usize, Outcome)>(QUEUE);
    library.begin_bulk()?;
    // Set when the workers are done: every feed's outcome is sent.
    let fetched = AtomicBool::new(false);
    let stored = std::thread::scope(|scope| -> Result<(), LibraryError> {
        let (client, due) = (&client, &due);
        let fetched = &fetched;
        let worker = scope.spawn(move || {
            net::fetch_each(&urls, options.jobs, options.per_host, &|_, _| {}, &|i, _| {
                let _ = send.send((i, fetch_one(client, &due[i])));
            });
            fetched.store(true, Ordering::Release);
            crate::timing::phase("fetch: every feed fetched and parsed");
        });
        // Dropped when this returns, an error too: a worker waiting to send is then let go.
        let receive = receive;
        let checkpoint_at = due.len() * CHECKPOINT_WHEN_LEFT.0 / CHECKPOINT_WHEN_LEFT.1;
        let mut checkpointing = false;
        // Stored as they arrive (what arrived while the last ones were written, together), into
        // a transaction committed [`HOLD`] after it began, whether or not more feeds came.
        let mut began: Option<Instant> = None;
        loop {
            let next = match began {
                Some(began) => receive.recv_timeout((began + HOLD).saturating_duration_since(Instant::now())),
                None => receive.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            };
            let first = match next {
                Ok(first) => first,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    library.commit_held()?;
                    began = None;
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let more = std::iter::from_fn(|| receive.try_recv().ok());
            let batch: Vec<(usize, Outcome)> = std::iter::once(first).chain(more.take(BATCH - 1)).collect();
            let updates: Vec<FeedUpdate> = batch
                .iter()
                .map(|(i, outcome)| {
                    let feed = due[*i].id;
                    match outcome {
                        Outcome::Articles(articles, entries, record, _) => {
                            FeedUpdate { feed, articles: Some((articles, *entries)), record }
                        }
                        Outcome::Unchanged(record) | Outcome::Failed(_, record) => {
                            FeedUpdate { feed, articles: None, record }
                        }
                    }
                })
                .collect();
            let began_at = *began.get_or_insert_with(Instant::now);
            let left = due.len() - summary.done - batch.len();
            let stored = library.store_held(&updates)?;
            // The last third of the feeds is to come, or every feed is in and some wait to be
            // stored: what is committed is checkpointed on a connection of its own meanwhile, so
            // that the final checkpoint (and its wait for the disk) has only the last ones left.
            let overlap = !checkpointing && left > 0 && (left <= checkpoint_at || fetched.load(Ordering::Acquire));
            if began_at.elapsed() >= HOLD || overlap {
                library.commit_held()?;
                began = None;
            }
            if overlap {
                checkpointing = true;
                let path = library.path().to_path_buf();
                // A failure here is the final checkpoint's to meet and report.
                scope.spawn(move || {
                    let _ = Library::checkpoint_beside(&path);
                });
            }
            for ((i, outcome), stored) in batch.into_iter().zip(stored) {
                let feed = &due[i];
                match outcome {
                    Outcome::Articles(_, _, record, notices) => {
                        summary.new += stored.new;
                        summary.changed += stored.changed;
                        summary.notices.extend(notices);
                        summary.notices.extend(stored.notices.into_iter().map(|n| format!("{}: {n}", feed.name)));
                        if let Some(url) = &record.new_url {
                            summary
                                .notices
                                .push(format!("{}: moved permanently to {url}; the subscription follows", feed.name));
                        }
                    }
                    Outcome::Unchanged(_) => summary.unchanged += 1,
                    Outcome::Failed(reason, _) => summary.failures.push(format!("{}: {reason}", feed.name)),
                }
                summary.done += 1;
            }
            progress(&summary);
        }
        let _ = worker.join();
        library.commit_held()
    });
    crate::timing::phase("fetch: feeds fetched and stored");
    // The checkpoint is owed whether or not every feed was stored.
    let pages = stored.and_then(|()| full_texts(library, &client, options, &mut summary, progress));
    crate::timing::phase("fetch: full texts");
    library.end_bulk()?;
    crate::timing::phase("fetch: checkpoint");
    pages?;
    Ok(summary)
}

/// Full text: the web pages of the articles of full-text feeds that have none yet (the newest
/// [`Options::max_pages`]), [`PAGE_JOBS`] at a time, one at a time per host and paced; each
/// article's text stored as its page arrives. A page without an article is not asked for again;
/// a network failure is, at the next fetch. Failures are counted, not feed failures.
fn full_texts(
    library: &mut Library,
    client: &Client,
    options: &Options,
    summary: &mut Summary,
    progress: &mut dyn FnMut(&Summary),
) -> Result<(), LibraryError> {
    if options.max_pages == 0 {
        return Ok(());
    }
    let wanted = library.wanting_full_text(options.max_pages)?;
    if wanted.is_empty() {
        return Ok(());
    }
    summary.pages = wanted.len();
    progress(summary);
    let urls: Vec<String> = wanted.iter().map(|(_, url)| url.clone()).collect();
    let next_start: Mutex<HashMap<String, Instant>> = Mutex::new(HashMap::new());
    let (send, receive) = mpsc::channel::<(usize, Result<crate::article::Article, (String, bool)>)>();
    std::thread::scope(|scope| -> Result<(), LibraryError> {
        let (urls, next_start) = (&urls, &next_start);
        scope.spawn(move || {
            net::fetch_each(urls, PAGE_JOBS, 1, &|_, _| {}, &|i, url| {
                // One page at a time from a host (`fetch_each`), and not sooner than the pace.
                let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
                let wait = next_start.lock().map_or(Duration::ZERO, |mut next| {
                    let now = Instant::now();
                    let start = next.get(&host).copied().filter(|at| *at > now).unwrap_or(now);
                    next.insert(host, start + options.pace);
                    start - now
                });
                std::thread::sleep(wait);
                // The same URL twice (two entries, one page) is read twice, once for each.
                let _ = send.send((i, crate::inputs::page(client, url)));
            });
        });
        for (i, page) in receive {
            let id = wanted[i].0;
            match page {
                Ok(article) => {
                    library.store_full_text(id, &article)?;
                    summary.pages_stored += 1;
                }
                // A page with no article, or gone: its feed's text it is.
                Err((_, false)) => library.full_text_failed(id)?,
                Err((_, true)) => {}
            }
            summary.pages_done += 1;
            progress(summary);
        }
        Ok(())
    })
}

/// One feed: HTTP and parsing, no SQL.
fn fetch_one(client: &Client, feed: &FeedInfo) -> Outcome {
    match client.fetch(&feed.url, feed.etag.as_deref(), feed.last_modified.as_deref()) {
        Ok(Response::NotModified { etag, last_modified }) => Outcome::Unchanged(FetchRecord {
            status: Some("304".into()),
            etag,
            last_modified,
            ..FetchRecord::default()
        }),
        Ok(Response::Body { fetched, moved }) => {
            let origin = url::Url::parse(&fetched.final_url).ok();
            let record = FetchRecord {
                status: Some(fetched.status.to_string()),
                etag: fetched.etag.clone(),
                last_modified: fetched.last_modified.clone(),
                new_url: moved,
                ..FetchRecord::default()
            };
            match source::parse_document(&feed.url, &fetched.body, origin.as_ref(), fetched.charset()) {
                Ok(Document::Articles { articles, notices }) => {
                    // Every article's source is the feed's title (else its host).
                    let title = (!articles.is_empty()).then(|| articles.source(0)).flatten();
                    let entries = articles.len();
                    Outcome::Articles(Incoming::all(&articles), entries, FetchRecord { title, ..record }, notices)
                }
                Ok(Document::Opml(_)) => {
                    failed(feed, "an OPML list, not a feed (use `broadsheet import`)".into(), None)
                }
                Err(err) => failed(feed, err.reason(), None),
            }
        }
        Err(FetchError::Status(410, _)) => Outcome::Failed(
            "HTTP 410 Gone: no longer fetched".into(),
            FetchRecord {
                status: Some("HTTP 410".into()),
                error: Some("gone".into()),
                gone: true,
                ..FetchRecord::default()
            },
        ),
        Err(FetchError::RetryAfter(status, after)) => {
            let wait = (after as i64).min(MAX_BACKOFF);
            failed(feed, FetchError::RetryAfter(status, after).to_string(), Some(now() + wait))
        }
        Err(err) => failed(feed, err.to_string(), None),
    }
}

/// A failure, backed off: `until` if the server said when, else a minute doubling per failure.
fn failed(feed: &FeedInfo, reason: String, until: Option<i64>) -> Outcome {
    let backoff = 60i64.saturating_mul(1 << feed.error_count.clamp(0, 20)).min(MAX_BACKOFF);
    let record = FetchRecord {
        status: Some(reason.split(':').next().unwrap_or(&reason).to_string()),
        error: Some(reason.clone()),
        fetch_after: Some(until.unwrap_or(now() + backoff)),
        ..FetchRecord::default()
    };
    Outcome::Failed(reason, record)
}
