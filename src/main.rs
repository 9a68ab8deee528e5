//! The `broadsheet` binary: command line, terminal lifecycle and the event loop.

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};
use broadsheet::app::{Action, App, Effect, Marks, Reload};
use broadsheet::collection::Collection;
use broadsheet::library::writer::Writer;
use broadsheet::library::{self, Library, Mark};
use broadsheet::sanitize::sanitize;
use broadsheet::search::Engine;
use broadsheet::search::worker::Worker;
use broadsheet::source::{self, LoadError};
use broadsheet::{commands, fetch, inputs, keys, launch, net, subscriptions, ui};
use clap::{Parser, Subcommand};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use signal_hook::consts::{SIGHUP, SIGTERM};
use signal_hook::iterator::Signals;
use std::sync::mpsc::Receiver;

/// Read the news in the terminal: headlines, articles and photo captions, with fuzzy search.
///
/// PATH is a feed (RSS, Atom, JSON Feed) or its URL, an article's web page or its URL (read as
/// Firefox's Reader View would), an OPML list of feeds, a news dump, a JSON collection, a
/// directory of those, or - for standard input. Without PATH, your library opens (once `add` or
/// `import` has given it subscriptions), else the bundled articles.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files, directories or URLs to open (default: the bundled articles)
    paths: Vec<PathBuf>,
    /// Put right-to-left text (Arabic, Hebrew) in display order; "off" for terminals that do it
    #[arg(long, global = true, value_name = "on|off", default_value = "on")]
    bidi: Toggle,
    /// Neither read nor write the headline cache of large JSON files (see BROADSHEET_CACHE_DIR)
    #[arg(long, global = true)]
    no_cache: bool,
    /// Give up on a URL after this many seconds (connecting, redirects and the whole body)
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30.0)]
    timeout: f64,
    /// The library's directory (default $BROADSHEET_DATA_DIR, else $XDG_DATA_HOME/broadsheet)
    #[arg(long, global = true, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Refuse a response, or input from a pipe, larger than this (decompressed; bytes, or with K, M or G)
    #[arg(long, global = true, value_name = "SIZE", default_value = "32M", value_parser = parse_size)]
    max_size: u64,
}

/// `32M`, `512K`, `1G`, `1000`.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let shift = match unit.trim().to_ascii_uppercase().trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("{text}: a size is bytes, or a number with K, M or G")),
    };
    let value: u64 = digits.parse().map_err(|_| format!("{text}: a size is bytes, or a number with K, M or G"))?;
    value.checked_shl(shift).filter(|v| v >> shift == value && *v > 0).ok_or_else(|| format!("{text}: out of range"))
}

/// An on/off switch on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Toggle {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print one line per article: N<TAB>headline
    List {
        paths: Vec<PathBuf>,
        /// Print the canonical JSON document instead
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Print the articles whose headline matches QUERY, best first: N<TAB>score<TAB>headline
    Search {
        query: String,
        paths: Vec<PathBuf>,
        /// Print [{"index","score","title","positions"}] instead
        #[arg(long)]
        json: bool,
        /// Print at most this many results
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Print article N (from 1) as plain text
    Show {
        n: usize,
        paths: Vec<PathBuf>,
        /// Wrap the body at this many columns
        #[arg(long, value_name = "W", default_value_t = 80)]
        width: usize,
        /// Print the canonical JSON document of this one article instead (as `list --json`)
        #[arg(long, conflicts_with = "width")]
        json: bool,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Subscribe to feeds (each is fetched once to check it)
    Add {
        #[arg(required = true)]
        urls: Vec<String>,
        /// What to call the feed (one URL only)
        #[arg(long)]
        name: Option<String>,
        /// A tag for the feeds (repeatable)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Read each article's web page for its full text (at each `fetch`)
        #[arg(long)]
        full_text: bool,
    },
    /// Get the full article (its web page) for a feed's articles at each `fetch`, or stop
    FullText {
        /// Feeds by URL or name
        #[arg(required = true)]
        feeds: Vec<String>,
        /// Stop getting full articles for them
        #[arg(long)]
        off: bool,
    },
    /// Unsubscribe from a feed, by URL or name; its articles go with it
    Remove { feed: String },
    /// List the subscriptions: name, URL, tags, articles, unread, last fetch and status
    Feeds {
        #[arg(long)]
        json: bool,
    },
    /// Fetch every subscription (or the named ones) into the library
    Fetch {
        /// Feeds by URL or name (default: all)
        feeds: Vec<String>,
        /// Feeds at once (at most 2 from one host)
        #[arg(long, value_name = "N", default_value_t = 8)]
        jobs: usize,
        /// Full text: seconds between two article pages from one host
        #[arg(long, value_name = "SECONDS", default_value_t = fetch::DEFAULT_PACE.as_secs_f64())]
        pace: f64,
    },
    /// Subscribe to the feeds of an OPML file or a newsboat urls file
    Import { file: PathBuf },
    /// Print the subscriptions as OPML 2.0
    Export,
    /// Mark articles (numbered as `list` numbers the whole library)
    Mark {
        #[arg(value_enum)]
        mark: MarkArg,
        #[arg(required = true)]
        numbers: Vec<usize>,
    },
}

/// Which articles of the library `list`, `search` and `show` see.
#[derive(Debug, Clone, clap::Args)]
struct FilterArgs {
    /// Only unread articles (the library)
    #[arg(long)]
    unread: bool,
    /// Only starred articles (the library)
    #[arg(long)]
    starred: bool,
    /// Only this feed's articles, by name or URL (the library)
    #[arg(long, value_name = "NAME")]
    feed: Option<String>,
    /// Only articles of feeds with this tag (the library)
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Only articles published (or first seen) since this date, YYYY-MM-DD or RFC 3339 (the library)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
}

impl FilterArgs {
    fn any(&self) -> bool {
        self.unread || self.starred || self.feed.is_some() || self.tag.is_some() || self.since.is_some()
    }

    fn filter(&self) -> Result<library::Filter, BadInput> {
        let since = match &self.since {
            Some(date) => Some(
                source::date::parse(date)
                    .ok_or_else(|| BadInput(format!("--since {date}: a date is YYYY-MM-DD or RFC 3339")))?
                    .timestamp(),
            ),
            None => None,
        };
        Ok(library::Filter {
            unread: self.unread,
            starred: self.starred,
            feed: self.feed.clone(),
            tag: self.tag.clone(),
            since,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MarkArg {
    Read,
    Unread,
    Star,
    Unstar,
}

/// Exit code for input that cannot be used (unreadable, invalid, no such article or subscription,
/// a list with no feed in it), and for URLs of which none could be loaded.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when some URLs could not be loaded and the others were.
const EXIT_SOME_FAILED: u8 = 1;

fn main() -> ExitCode {
    broadsheet::timing::start();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // `broadsheet list | head -1`: the reader left; that is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The message and its chain of causes. Messages quote file names and input: made safe
            // like everything printed.
            eprintln!("broadsheet: {}", sanitize(&format!("{err:#}")));
            let bad_input = err.downcast_ref::<LoadError>().is_some()
                || err.downcast_ref::<BadInput>().is_some()
                || matches!(err.downcast_ref::<library::LibraryError>(), Some(library::LibraryError::Usage(_)));
            ExitCode::from(if bad_input { EXIT_BAD_INPUT } else { 1 })
        }
    }
}

/// A request the collection cannot answer, like an article number out of range.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadInput(String);

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Locked for the subcommands only: the browser's signal thread must be able to write.
    let out = || std::io::stdout().lock();
    if !(cli.timeout > 0.0 && cli.timeout <= 86_400.0) {
        return Err(BadInput(format!("--timeout {}: seconds, more than 0 and at most a day", cli.timeout)).into());
    }
    let options = inputs::Options {
        cache: if cli.no_cache { None } else { source::cache::default_dir() },
        net: net::Options {
            timeout: Duration::from_secs_f64(cli.timeout),
            max_size: cli.max_size,
            ..net::Options::default()
        },
        ..inputs::Options::default()
    };
    let library_dir = cli.library.clone().or_else(library::default_dir);
    let open_library = || -> anyhow::Result<Library> {
        let dir = library_dir.as_deref().context("no library directory: set HOME, BROADSHEET_DATA_DIR or --library")?;
        Ok(Library::open(dir)?)
    };
    let fetch_options = |jobs: usize| fetch::Options {
        net: options.net,
        jobs: jobs.max(1),
        per_host: inputs::DEFAULT_PER_HOST,
        ..fetch::Options::default()
    };
    let (paths, filter) = match &cli.command {
        None => (&cli.paths, None),
        Some(
            Command::List { paths, filter, .. }
            | Command::Search { paths, filter, .. }
            | Command::Show { paths, filter, .. },
        ) => (paths, Some(filter)),
        Some(Command::Add { urls, name, tags, full_text }) => {
            subscriptions::check_urls(urls).map_err(BadInput)?;
            let mut library = open_library()?;
            let new = subscriptions::New { name: name.as_deref(), tags, full_text: *full_text };
            let ok = subscriptions::add(&mut library, urls, &new, &fetch_options(8), &mut out())?;
            return Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(EXIT_SOME_FAILED) });
        }
        Some(Command::FullText { feeds, off }) => {
            let mut library = open_library()?;
            for feed in feeds {
                if !library.set_full_text(feed, !off)? {
                    return Err(BadInput(format!("{feed}: no such subscription (see `broadsheet feeds`)")).into());
                }
                let what = if *off { "feed text only" } else { "full articles, read by each `broadsheet fetch`" };
                writeln!(out(), "{feed}: {what}")?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Remove { feed }) => {
            let mut library = open_library()?;
            let Some(articles) = library.remove_feed(feed)? else {
                return Err(BadInput(format!("{feed}: no such subscription (see `broadsheet feeds`)")).into());
            };
            writeln!(out(), "removed {feed} and its {articles} article(s)")?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Feeds { json }) => {
            subscriptions::feeds(&open_library()?, *json, &mut out())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Fetch { feeds, jobs, pace }) => {
            if !(pace.is_finite() && *pace >= 0.0 && *pace <= 3600.0) {
                return Err(BadInput(format!("--pace {pace}: give seconds, from 0 to 3600")).into());
            }
            let options = fetch::Options { pace: std::time::Duration::from_secs_f64(*pace), ..fetch_options(*jobs) };
            return fetch_library(&mut open_library()?, feeds, &options);
        }
        Some(Command::Import { file }) => {
            // A list of feeds is small: a larger file is not read into memory (--max-size).
            let io_error = |source| LoadError::Io { name: file.display().to_string(), source };
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(
                &mut std::io::Read::take(std::fs::File::open(file).map_err(io_error)?, cli.max_size.saturating_add(1)),
                &mut bytes,
            )
            .map_err(io_error)?;
            if bytes.len() as u64 > cli.max_size {
                return Err(BadInput(format!(
                    "{}: larger than {} (--max-size); not a list of feeds",
                    file.display(),
                    source::size(cli.max_size)
                ))
                .into());
            }
            let name = file.display().to_string();
            let imported = subscriptions::import(&mut open_library()?, &name, &bytes)?;
            for notice in &imported.passed_over {
                eprintln!("broadsheet: {name}: {notice}");
            }
            let passed = match imported.passed_over.len() {
                0 => String::new(),
                n => format!(", {n} passed over"),
            };
            writeln!(
                out(),
                "imported {} feed(s) ({} already subscribed{passed}); `broadsheet fetch` fetches them",
                imported.added,
                imported.there
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Export) => {
            subscriptions::export(&open_library()?, &mut out())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Mark { mark, numbers }) => {
            let mark = match mark {
                MarkArg::Read => Mark::Read,
                MarkArg::Unread => Mark::Unread,
                MarkArg::Star => Mark::Star,
                MarkArg::Unstar => Mark::Unstar,
            };
            subscriptions::mark(&mut open_library()?, mark, numbers)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    // No paths: the library when it has subscriptions, else the bundled articles.
    let library = match (paths.is_empty(), &library_dir) {
        (true, Some(dir)) => Library::open_existing(dir)?.filter(|l| l.has_feeds().unwrap_or(false)),
        _ => None,
    };
    if library.is_none() && filter.is_some_and(FilterArgs::any) {
        let why = match paths.first() {
            Some(path) => format!("not files or URLs (here: {})", path.display()),
            None => "which has no subscriptions (broadsheet add URL)".to_string(),
        };
        return Err(
            BadInput(format!("--unread, --starred, --feed, --tag and --since filter the library, {why}")).into()
        );
    }
    // `search --limit` on one large JSON file without a headline cache: one pass, no collection.
    if let (None, Some(Command::Search { query, json, limit: Some(k), .. }), [path]) =
        (&library, &cli.command, paths.as_slice())
        && !inputs::is_url(path)
        && path.as_os_str() != "-"
        && let Some(answer) = broadsheet::search::stream::top(path, options.cache.as_deref(), query, *k)
    {
        let answer = answer?;
        if let Some(notice) = source::duplicates_notice(answer.duplicates_dropped) {
            eprintln!("broadsheet: {notice}");
        }
        let hits = answer.hits.iter().map(|(hit, title)| (*hit, title.as_str()));
        commands::write_hits(hits, query, *json, &mut out())?;
        return Ok(ExitCode::SUCCESS);
    }
    let (collection, status) = match library {
        Some(library) => {
            let filter = filter.map(FilterArgs::filter).transpose()?.unwrap_or_default();
            let (collection, marks) = subscriptions::collection(library, &filter)?;
            broadsheet::timing::phase("library: headlines and marks read");
            let status = LoadStatus {
                library: library_dir.clone().map(|dir| (dir, marks)),
                fetch: fetch_options(8),
                ..LoadStatus::default()
            };
            (collection, status)
        }
        None => {
            let (collection, mut status) = load(paths, &options)?;
            status.hint = paths.is_empty();
            status.fetch = fetch_options(8);
            (collection, status)
        }
    };
    let exit = if status.failed > 0 { ExitCode::from(EXIT_SOME_FAILED) } else { ExitCode::SUCCESS };
    match cli.command {
        None => {
            browse(collection, status, cli.bidi == Toggle::On)?;
            return Ok(exit);
        }
        Some(Command::List { json, .. }) => {
            commands::list(&collection, json, &mut out())?;
            std::mem::forget(collection); // as for show: the process ends next
        }
        Some(Command::Search { query, json, limit, .. }) => {
            commands::search(collection, &query, limit, json, &mut out())?
        }
        Some(Command::Show { n, width, json, .. }) => {
            let count = collection.len();
            let Some(i) = n.checked_sub(1).filter(|&i| i < count) else {
                return Err(BadInput(format!("no article {n}: the collection has {count} (numbered from 1)")).into());
            };
            if json {
                commands::show_json(&collection.article(i), &mut out())?;
            } else {
                commands::show(&collection.article(i), width, cli.bidi == Toggle::On, &mut out())?;
            }
            // The process ends next: freeing a million articles one by one would only delay it.
            std::mem::forget(collection);
        }
        Some(_) => unreachable!("handled above"),
    }
    Ok(exit)
}

/// `broadsheet fetch`: a progress bar on stderr when it is a terminal, else one summary line;
/// exit 1 when some feeds failed.
fn fetch_library(library: &mut Library, names: &[String], options: &fetch::Options) -> anyhow::Result<ExitCode> {
    let feeds = fetch::select(library, names)?;
    if feeds.is_empty() {
        return Err(BadInput("no subscriptions to fetch (broadsheet add URL)".into()).into());
    }
    let terminal = std::io::stderr().is_terminal();
    let summary = fetch::run(library, feeds, options, !names.is_empty(), &mut |summary| {
        if terminal {
            let width = 30;
            let filled = (summary.done * width).checked_div(summary.total).unwrap_or(width);
            let pages = if summary.pages > 0 {
                format!(", full text {}/{}", summary.pages_done, summary.pages)
            } else {
                String::new()
            };
            eprint!(
                "\r\x1b[2K[{}{}] {}/{} feeds, {} new, {} failed{pages}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                summary.done,
                summary.total,
                summary.new,
                summary.failures.len()
            );
        }
    })?;
    if terminal {
        eprint!("\r\x1b[2K");
    }
    for line in summary.notices.iter().chain(&summary.skipped).chain(&summary.failures) {
        eprintln!("broadsheet: {}", sanitize(line));
    }
    eprintln!("broadsheet: {}", subscriptions::summary_line(&summary));
    Ok(if summary.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_SOME_FAILED) })
}

/// How loading went, for the exit status and the browser's status line.
#[derive(Debug, Default, Clone)]
struct LoadStatus {
    /// The collection is the library in this directory, with these marks.
    library: Option<(PathBuf, Marks)>,
    /// How `R` fetches.
    fetch: fetch::Options,
    fetched: usize,
    failed: usize,
    /// The bundled articles opened for want of subscriptions: say how to subscribe.
    hint: bool,
}

/// Loads the inputs and tells the user what was left out or failed (on stderr, before any
/// terminal use); a progress line on stderr while URLs are fetched, when it is a terminal.
fn load(paths: &[PathBuf], options: &inputs::Options) -> anyhow::Result<(Collection, LoadStatus)> {
    let show_progress = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show_progress {
            eprint!("\r\x1b[2Kbroadsheet: fetching {done}/{total} feed(s)…");
        }
    };
    let loaded = inputs::open(paths, options, &progress)?;
    if show_progress && loaded.fetched > 0 {
        eprint!("\r\x1b[2K");
    }
    for line in loaded.notices.iter().chain(&loaded.failures) {
        eprintln!("broadsheet: {}", sanitize(line));
    }
    let status = LoadStatus { fetched: loaded.fetched, failed: loaded.failures.len(), ..LoadStatus::default() };
    if loaded.collection.is_empty() && status.failed > 0 {
        let what =
            if status.fetched == 1 { "the feed could not be loaded" } else { "none of the feeds could be loaded" };
        return Err(BadInput(format!("nothing to show: {what}")).into());
    }
    Ok((loaded.collection, status))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Runs the browser until the user quits or a SIGTERM/SIGHUP arrives; the terminal is restored in
/// every case (ratatui's panic hook covers panics).
fn browse(collection: Collection, status: LoadStatus, bidi: bool) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        bail!("standard output is not a terminal; use `broadsheet list` or `broadsheet show N` to print articles");
    }
    let mut signals = Signals::new([SIGTERM, SIGHUP]).context("cannot install signal handlers")?;
    let signal_handle = signals.handle();
    // A thread of its own, not a flag for the event loop: when the terminal goes away, crossterm
    // 0.29's event poll spins on end-of-file and never returns (crossterm issue #793), so the loop
    // would never look at a flag.
    std::thread::spawn(move || {
        if let Some(number) = signals.forever().next() {
            ratatui::restore();
            // The conventional status of a process ended by a signal.
            std::process::exit(128 + number);
        }
    });
    let result = ratatui::try_init()
        .context("cannot set up the terminal")
        .and_then(|mut terminal| event_loop(&mut terminal, collection, status, bidi));
    ratatui::restore();
    signal_handle.close();
    result
}

/// How often the loop wakes up without input.
const TICK: Duration = Duration::from_millis(100);
/// How often it wakes up while a ranking runs, to show it as soon as it is ready.
const RANKING_TICK: Duration = Duration::from_millis(4);

/// Set to `panic` or `error` to make the browser fail after its first frame: how the tests prove
/// that the terminal is restored in both cases. Not for users; documented in the README.
const DEBUG_FAIL: &str = "BROADSHEET_DEBUG_FAIL";

/// Fetches an article's web page on a thread of its own; the answer comes back as the action
/// that shows it.
fn spawn_page_fetch(index: usize, url: String, options: net::Options) -> Receiver<Action> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = inputs::fetch_page(&url, options);
        let _ = send.send(Action::FullText { index, result });
    });
    receive
}

/// What a background fetch sends the event loop.
enum Refreshed {
    Progress(fetch::Summary),
    /// The library after the fetch, with a search engine for it; or why it failed.
    Done(Result<(Box<Reload>, Engine), String>),
}

/// Fetches the library's feeds on a thread of its own (its own connection): progress, then the
/// library read again and indexed there, so the screen's thread only swaps it in.
fn spawn_refresh(dir: PathBuf, options: fetch::Options) -> Receiver<Refreshed> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = subscriptions::reload(&dir, &options, &mut |summary| {
            let _ = send.send(Refreshed::Progress(summary.clone()));
        });
        let done = result.map(|(reload, engine)| (Box::new(reload), engine));
        let _ = send.send(Refreshed::Done(done.map_err(|err| format!("the fetch failed: {err}"))));
    });
    receive
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    collection: Collection,
    status: LoadStatus,
    bidi: bool,
) -> anyhow::Result<()> {
    let fail = std::env::var(DEBUG_FAIL).ok();
    let size = terminal.size()?;
    let (app, engine) = App::with_background_search(collection, size.width, size.height);
    broadsheet::timing::phase("terminal set up, app and search engine made");
    let app = app.with_bidi(bidi);
    // Marks go to the library through a worker of their own; dropped last, it stores them all.
    let library_dir = status.library.as_ref().map(|(dir, _)| dir.clone());
    let fetch_options = status.fetch;
    let (mut app, writer) = match status.library {
        Some((dir, marks)) => (app.with_marks(marks), Some(Writer::spawn(dir))),
        None => (app, None),
    };
    // A background fetch (`R`) while it runs; a page fetched with `f`.
    let mut refreshes: Option<Receiver<Refreshed>> = None;
    let mut pages: Option<Receiver<Action>> = None;
    if status.hint {
        app.update(Action::Notify("broadsheet add URL to subscribe".into()));
    }
    if status.failed > 0 {
        let message = format!(
            "{} of {} feeds could not be loaded (see the messages after quitting)",
            status.failed, status.fetched
        );
        app.update(Action::Notify(message));
    }
    let worker = Worker::spawn(engine);
    let mut dirty = true;
    let mut first_frame = true;
    while app.is_running() {
        while let Some(message) = refreshes.as_ref().and_then(|r| r.try_recv().ok()) {
            match message {
                Refreshed::Progress(summary) => app.update(Action::RefreshProgress {
                    done: summary.done,
                    total: summary.total,
                    new: summary.new,
                    failed: summary.failures.len(),
                    pages: (summary.pages_done, summary.pages),
                }),
                Refreshed::Done(Ok((reload, engine))) => {
                    // The search thread gets the new collection before the app asks it anything.
                    worker.replace(engine);
                    let effect = app.update(Action::Reloaded(*reload));
                    if let Some(Effect::Search { generation, query }) = effect {
                        worker.request(generation, &query);
                    }
                    refreshes = None;
                    None
                }
                Refreshed::Done(Err(message)) => {
                    refreshes = None;
                    app.update(Action::Notify(message))
                }
            };
            dirty = true;
        }
        if let Some(action) = pages.as_ref().and_then(|p| p.try_recv().ok()) {
            pages = None;
            if let Some(Effect::StoreFullText { id, article }) = app.update(action)
                && let Some(writer) = &writer
            {
                writer.full_text(id, article);
            }
            dirty = true;
        }
        if let Some(failure) = writer.as_ref().and_then(Writer::try_failure) {
            app.update(Action::Notify(failure));
            dirty = true;
        }
        if let Some(ranking) = worker.try_result() {
            app.update(Action::Ranked(ranking));
            dirty = true;
        }
        if dirty {
            terminal.draw(|frame| ui::draw(&app, frame))?;
            dirty = false;
            if std::mem::take(&mut first_frame) {
                broadsheet::timing::phase("first frame");
            }
            match fail.as_deref() {
                Some("panic") => panic!("{DEBUG_FAIL}=panic: failing on purpose"),
                Some("error") => bail!("{DEBUG_FAIL}=error: failing on purpose"),
                _ => {}
            }
        }
        let tick = if app.is_ranking() { RANKING_TICK } else { TICK };
        if !event::poll(tick)? {
            if app.is_loading() {
                app.update(Action::Tick);
                dirty = true;
            }
            continue;
        }
        // Everything already waiting is applied before the next frame: a resize storm or a
        // paste costs one frame, not one per event.
        loop {
            let action = match event::read()? {
                Event::Key(key) if key.is_press() || key.is_repeat() => keys::action(app.context(), key),
                Event::Resize(width, height) => Some(Action::Resize(width, height)),
                _ => None,
            };
            if let Some(action) = action {
                match app.update(action) {
                    Some(Effect::Search { generation, query }) => worker.request(generation, &query),
                    Some(Effect::Open(url)) => {
                        if let Err(message) = launch::open_in_browser(&url) {
                            app.update(Action::Notify(message));
                        }
                    }
                    Some(Effect::Refresh) => {
                        if let Some(dir) = &library_dir {
                            refreshes = Some(spawn_refresh(dir.clone(), fetch_options));
                        }
                    }
                    Some(Effect::FetchPage { index, url }) => {
                        pages = Some(spawn_page_fetch(index, url, fetch_options.net))
                    }
                    Some(Effect::StoreFullText { id, article }) => {
                        if let Some(writer) = &writer {
                            writer.full_text(id, article);
                        }
                    }
                    Some(Effect::Mark { ids, mark }) => {
                        if let Some(writer) = &writer {
                            writer.mark(ids, mark);
                        }
                    }
                    Some(Effect::Copy(text)) => {
                        use std::io::Write as _;
                        let mut out = std::io::stdout();
                        out.write_all(launch::osc52(&text).as_bytes())?;
                        out.flush()?;
                    }
                    None => {}
                }
                dirty = true;
            }
            if !app.is_running() || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    Ok(())
}
