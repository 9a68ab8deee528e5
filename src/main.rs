//! The `broadsheet` binary: command line, terminal lifecycle and the event loop.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};
use broadsheet::app::{Action, App, Effect};
use broadsheet::collection::Collection;
use broadsheet::sanitize::sanitize;
use broadsheet::search::worker::Worker;
use broadsheet::source::{self, LoadError};
use broadsheet::{commands, keys, ui};
use clap::{Parser, Subcommand};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use signal_hook::consts::{SIGHUP, SIGTERM};
use signal_hook::iterator::Signals;

/// Read the news in the terminal: headlines, articles and photo captions, with fuzzy search.
///
/// PATH is a news dump (.txt), a JSON collection (.json), a directory of those, or - for standard
/// input. Without PATH, the bundled articles open.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Files or directories to open (default: the bundled articles)
    paths: Vec<PathBuf>,
    /// Put right-to-left text (Arabic, Hebrew) in display order; "off" for terminals that do it
    #[arg(long, global = true, value_name = "on|off", default_value = "on")]
    bidi: Toggle,
    /// Neither read nor write the headline cache of large JSON files (see BROADSHEET_CACHE_DIR)
    #[arg(long, global = true)]
    no_cache: bool,
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

/// Exit code for input that cannot be used (unreadable, invalid, no such article).
const EXIT_BAD_INPUT: u8 = 2;

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
    let cache_dir = if cli.no_cache { None } else { source::cache::default_dir() };
    let cache = cache_dir.as_deref();
    match cli.command {
        None => return browse(load(&cli.paths, cache)?, cli.bidi == Toggle::On),
        Some(Command::List { paths, json }) => {
            let collection = load(&paths, cache)?;
            commands::list(&collection, json, &mut out())?;
            std::mem::forget(collection); // as for show: the process ends next
        }
        Some(Command::Search { query, paths, json, limit }) => {
            commands::search(load(&paths, cache)?, &query, limit, json, &mut out())?
        }
        Some(Command::Show { n, paths, width }) => {
            let collection = load(&paths, cache)?;
            let count = collection.len();
            let Some(i) = n.checked_sub(1).filter(|&i| i < count) else {
                return Err(BadInput(format!("no article {n}: the collection has {count} (numbered from 1)")).into());
            };
            commands::show(&collection.article(i), width, cli.bidi == Toggle::On, &mut out())?;
            // The process ends next: freeing a million articles one by one would only delay it.
            std::mem::forget(collection);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the inputs and tells the user what was left out (on stderr, before any terminal use).
fn load(paths: &[PathBuf], cache: Option<&Path>) -> Result<Collection, LoadError> {
    let (collection, notices) = source::load_with_notices(paths, cache)?;
    for notice in notices {
        eprintln!("broadsheet: {}", sanitize(&notice));
    }
    Ok(collection)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Runs the browser until the user quits or a SIGTERM/SIGHUP arrives; the terminal is restored in
/// every case (ratatui's panic hook covers panics).
fn browse(collection: Collection, bidi: bool) -> anyhow::Result<ExitCode> {
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
        .and_then(|mut terminal| event_loop(&mut terminal, collection, bidi));
    ratatui::restore();
    signal_handle.close();
    result?;
    Ok(ExitCode::SUCCESS)
}

/// How often the loop wakes up without input.
const TICK: Duration = Duration::from_millis(100);
/// How often it wakes up while a ranking runs, to show it as soon as it is ready.
const RANKING_TICK: Duration = Duration::from_millis(4);

/// Set to `panic` or `error` to make the browser fail after its first frame: how the tests prove
/// that the terminal is restored in both cases. Not for users; documented in the README.
const DEBUG_FAIL: &str = "BROADSHEET_DEBUG_FAIL";

fn event_loop(terminal: &mut DefaultTerminal, collection: Collection, bidi: bool) -> anyhow::Result<()> {
    let fail = std::env::var(DEBUG_FAIL).ok();
    let size = terminal.size()?;
    let (app, engine) = App::with_background_search(collection, size.width, size.height);
    let mut app = app.with_bidi(bidi);
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
