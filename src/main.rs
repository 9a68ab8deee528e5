//! The `broadsheet` binary: command line, terminal lifecycle and the event loop.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};
use broadsheet::app::{Action, App, Effect};
use broadsheet::collection::Collection;
use broadsheet::sanitize::sanitize;
use broadsheet::search::worker::Worker;
use broadsheet::source::{self, LoadError};
use broadsheet::{commands, inputs, keys, launch, net, ui};
use clap::{Parser, Subcommand};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use signal_hook::consts::{SIGHUP, SIGTERM};
use signal_hook::iterator::Signals;

/// Read the news in the terminal: headlines, articles and photo captions, with fuzzy search.
///
/// PATH is a feed (RSS, Atom, JSON Feed) or its URL, an OPML list of feeds, a news dump, a JSON
/// collection, a directory of those, or - for standard input. Without PATH, the bundled
/// articles open.
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
    /// Refuse a response larger than this, decompressed (bytes, or with K, M or G)
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
    },
    /// Print article N (from 1) as plain text
    Show {
        n: usize,
        paths: Vec<PathBuf>,
        /// Wrap the body at this many columns
        #[arg(long, value_name = "W", default_value_t = 80)]
        width: usize,
    },
}

/// Exit code for input that cannot be used (unreadable, invalid, no such article), and for
/// URLs of which none could be loaded.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when some URLs could not be loaded and the others were.
const EXIT_SOME_FAILED: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // `broadsheet list | head -1`: the reader left; that is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // The message and its chain of causes. Messages quote file names and input: made safe
            // like everything printed.
            eprintln!("broadsheet: {}", sanitize(&format!("{err:#}")));
            let bad_input = err.downcast_ref::<LoadError>().is_some() || err.downcast_ref::<BadInput>().is_some();
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
    let (collection, status) = match &cli.command {
        None => load(&cli.paths, &options)?,
        Some(Command::List { paths, .. } | Command::Search { paths, .. } | Command::Show { paths, .. }) => {
            load(paths, &options)?
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
        Some(Command::Show { n, width, .. }) => {
            let count = collection.len();
            let Some(i) = n.checked_sub(1).filter(|&i| i < count) else {
                return Err(BadInput(format!("no article {n}: the collection has {count} (numbered from 1)")).into());
            };
            commands::show(&collection.article(i), width, cli.bidi == Toggle::On, &mut out())?;
            // The process ends next: freeing a million articles one by one would only delay it.
            std::mem::forget(collection);
        }
    }
    Ok(exit)
}

/// How loading went, for the exit status and the browser's status line.
#[derive(Debug, Default, Clone, Copy)]
struct LoadStatus {
    fetched: usize,
    failed: usize,
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
    let status = LoadStatus { fetched: loaded.fetched, failed: loaded.failures.len() };
    if loaded.collection.is_empty() && status.failed > 0 {
        let what = if status.fetched == 1 { "the feed" } else { "none of the feeds" };
        return Err(BadInput(format!("nothing to show: {what} could be loaded")).into());
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

fn event_loop(
    terminal: &mut DefaultTerminal,
    collection: Collection,
    status: LoadStatus,
    bidi: bool,
) -> anyhow::Result<()> {
    let fail = std::env::var(DEBUG_FAIL).ok();
    let size = terminal.size()?;
    let (app, engine) = App::with_background_search(collection, size.width, size.height);
    let mut app = app.with_bidi(bidi);
    if status.failed > 0 {
        let message = format!(
            "{} of {} feeds could not be loaded (see the messages after quitting)",
            status.failed, status.fetched
        );
        app.update(Action::Notify(message));
    }
    let worker = Worker::spawn(engine);
    let mut dirty = true;
    while app.is_running() {
        if let Some(ranking) = worker.try_result() {
            app.update(Action::Ranked(ranking));
            dirty = true;
        }
        if dirty {
            terminal.draw(|frame| ui::draw(&app, frame))?;
            dirty = false;
            match fail.as_deref() {
                Some("panic") => panic!("{DEBUG_FAIL}=panic: failing on purpose"),
                Some("error") => bail!("{DEBUG_FAIL}=error: failing on purpose"),
                _ => {}
            }
        }
        let tick = if app.is_ranking() { RANKING_TICK } else { TICK };
        if !event::poll(tick)? {
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
