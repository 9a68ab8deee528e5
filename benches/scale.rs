//! Broadsheet's scale benchmarks: a harness of its own that prints tables.
//!
//!     cargo bench --bench scale                 # everything
//!     cargo bench --bench scale -- search frame # some sections: search frame wrap load start fzf
//!     BENCH_QUICK=1 cargo bench --bench scale   # smaller corpora, fewer rounds
//!
//! Corpora come from `broadsheet::corpus` (deterministic); files for the load and fzf sections
//! are written once to `target/bench-data/`. Figures are measured, never asserted: tests check
//! behaviour, this prints numbers.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use broadsheet::app::{Action, App, Effect};
use broadsheet::article::Article;
use broadsheet::collection::Collection;
use broadsheet::corpus;
use broadsheet::page::Page;
use broadsheet::search::engine::never;
use broadsheet::search::{Engine, Searcher};
use broadsheet::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/mod.rs"]
mod common;

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

/// Typing sequences: every prefix is one key press.
const TYPED: &[&str] = &["government", "prime min", "zürich", "peace talks"];
/// Fixed queries of 1, 2, 3, 5 and 8 characters; common ones match much, rare ones little.
const COMMON: &[&str] = &["e", "ta", "gov", "price", "minister"];
const RARE: &[&str] = &["q", "zü", "bog", "reykj", "gdańsk p"];

fn quick() -> bool {
    std::env::var_os("BENCH_QUICK").is_some()
}

fn main() {
    // A child run that only writes one data file (see `generated`).
    if let Ok(spec) = std::env::var(GENERATE) {
        let (kind, rest) = spec.split_once(':').expect("kind:n:path");
        let (n, path) = rest.split_once(':').expect("kind:n:path");
        write_corpus(kind, n.parse().expect("a count"), Path::new(path));
        return;
    }
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wanted = |section: &str| args.is_empty() || args.iter().any(|a| a == section);
    println!("Broadsheet benchmarks: {} cores, {}", cores(), if quick() { "quick" } else { "full" });
    if wanted("search") {
        search();
    }
    if wanted("frame") {
        frames();
    }
    if wanted("wrap") {
        wrap();
    }
    if wanted("load") {
        load();
    }
    if wanted("start") {
        start();
    }
    if wanted("fzf") {
        fzf();
    }
    if wanted("repeats") {
        repeats();
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Percentile `p` (0..=100) of durations.
fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    samples.sort_unstable();
    samples[(samples.len() - 1) * p / 100]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn headline_collection(n: usize) -> Collection {
    corpus::headline_collection(n, 42)
}

fn sizes() -> Vec<usize> {
    if quick() { vec![100_000] } else { vec![100_000, 1_000_000] }
}

/// Per key press: the app's update (query echoed, first screen of matches found) plus a frame
/// at 200x50; and the full ranking that the worker does for the same key press.
fn search() {
    for n in sizes() {
        let collection = headline_collection(n);
        println!("\n## Search, {n} headlines");
        println!("| typing | first screen p50 | first screen p95 | full ranking p50 | full ranking p95 | max |");
        println!("|---|---|---|---|---|---|");
        let (mut app, mut engine) = App::with_background_search(collection.clone(), 200, 50);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        for typed in TYPED {
            let (mut first, mut full) = (Vec::new(), Vec::new());
            app.update(Action::StartSearch);
            for c in typed.chars() {
                let start = Instant::now();
                let effect = app.update(Action::Insert(c));
                terminal.draw(|frame| ui::draw(&app, frame)).unwrap();
                first.push(start.elapsed());
                if let Some(Effect::Search { generation, query }) = effect {
                    let start = Instant::now();
                    let hits = engine.rank(&query, &never, &AtomicUsize::new(0)).unwrap();
                    full.push(start.elapsed());
                    app.update(Action::Ranked(broadsheet::search::worker::Ranking { generation, query, hits }));
                }
            }
            app.update(Action::CancelSearch);
            let max = full.iter().max().copied().unwrap_or_default();
            println!(
                "| `{typed}` | {} | {} | {} | {} | {} |",
                ms(percentile(&mut first, 50)),
                ms(percentile(&mut first, 95)),
                ms(percentile(&mut full, 50)),
                ms(percentile(&mut full, 95)),
                ms(max)
            );
        }
        println!(
            "\n| query (fresh engine, median of 5) | matches | share | full ranking | plain skim pass (1 thread) |"
        );
        println!("|---|---|---|---|---|");
        let articles = Arc::new(collection.clone());
        for query in COMMON.iter().chain(RARE) {
            let mut samples = Vec::new();
            let mut hits = Default::default();
            for _ in 0..5 {
                let mut engine = Engine::new(Arc::clone(&articles));
                let start = Instant::now();
                hits = engine.rank(query, &never, &AtomicUsize::new(0)).unwrap();
                samples.push(start.elapsed());
            }
            let took = percentile(&mut samples, 50);
            let share = 100.0 * hits.len() as f64 / n as f64;
            // The plain pass is slow on a million; measure it on the 100k corpus only.
            let plain = if n <= 100_000 {
                let start = Instant::now();
                let naive = Searcher.rank(query, articles.titles().iter());
                assert_eq!(naive.len(), hits.len());
                ms(start.elapsed())
            } else {
                "–".to_string()
            };
            println!("| `{query}` | {} | {share:.1}% | {} | {plain} |", hits.len(), ms(took));
        }
    }
}

/// One frame at 200x50 for collections of 10 to 1M headlines.
fn frames() {
    println!("\n## Frame render, 200x50 (TestBackend)");
    println!("| headlines | p50 | p95 |");
    println!("|---|---|---|");
    let counts: &[usize] = if quick() { &[10, 1_000, 100_000] } else { &[10, 1_000, 100_000, 1_000_000] };
    for &n in counts {
        let mut app = App::new(corpus::articles(n.min(50), 1), 200, 50);
        if n > 50 {
            app = App::new(headline_collection(n), 200, 50);
        }
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        let mut samples = Vec::new();
        for i in 0..300 {
            // Move around so frames differ; jump far now and then.
            app.update(Action::Select(if i % 50 == 0 {
                broadsheet::app::Step::Bottom
            } else {
                broadsheet::app::Step::Up
            }));
            let start = Instant::now();
            terminal.draw(|frame| ui::draw(&app, frame)).unwrap();
            samples.push(start.elapsed());
        }
        println!("| {n} | {} | {} |", ms(percentile(&mut samples, 50)), ms(percentile(&mut samples, 95)));
    }
}

/// Wrapping one 1,000-word body to a new width.
fn wrap() {
    println!("\n## Wrap one 1,000-word body");
    println!("| width | mean | p95 |");
    println!("|---|---|---|");
    let mut rng = corpus::Rng::new(5);
    let article = Article::new("A headline".into(), vec![], corpus::body(&mut rng, 1000));
    for width in [40, 60, 90] {
        let mut samples = Vec::new();
        for _ in 0..500 {
            let start = Instant::now();
            let page = Page::new(&article, width, true);
            samples.push(start.elapsed());
            std::hint::black_box(page);
        }
        let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
        println!(
            "| {width} | {:.1} µs | {:.1} µs |",
            mean.as_secs_f64() * 1e6,
            percentile(&mut samples, 95).as_secs_f64() * 1e6
        );
    }
}

/// Where generated files live.
fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The environment variable that makes this binary write one data file and exit.
const GENERATE: &str = "BROADSHEET_BENCH_GENERATE";

/// Writes a data file once, in a child process; later runs reuse it. A child, because a forked
/// process inherits its parent's peak memory in `ru_maxrss`: the bench process must stay small
/// for the load figures to be the loader's own.
fn generated(kind: &str, n: usize, extension: &str) -> PathBuf {
    let path = data_dir().join(format!("{kind}-{n}.{extension}"));
    if !path.exists() {
        let tmp = path.with_extension("tmp");
        let status = Command::new(std::env::current_exe().unwrap())
            .env(GENERATE, format!("{kind}:{n}:{}", tmp.display()))
            .status()
            .unwrap();
        assert!(status.success(), "generating {path:?}");
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

fn write_corpus(kind: &str, n: usize, path: &Path) {
    let bytes = match kind {
        "articles" => serde_json::to_vec(&corpus::articles(n, 42)).unwrap(),
        "headlines" => serde_json::to_vec(&headline_collection(n)).unwrap(),
        "headlines-text" => {
            headline_collection(n).titles().iter().flat_map(|t| format!("{t}\n").into_bytes()).collect()
        }
        "repeats" | "repeats-removed" | "repeats-text" => {
            let titles = repeating_headlines(n);
            let titles: Vec<&str> = match kind {
                "repeats-removed" => {
                    let mut seen = std::collections::HashSet::new();
                    titles.iter().map(String::as_str).filter(|t| seen.insert(*t)).collect()
                }
                _ => titles.iter().map(String::as_str).collect(),
            };
            if kind == "repeats-text" {
                titles.iter().flat_map(|t| format!("{t}\n").into_bytes()).collect()
            } else {
                // Headline-only articles without ids: a repeat shares its content id.
                let articles: Vec<serde_json::Value> =
                    titles.iter().map(|t| serde_json::json!({ "title": t })).collect();
                serde_json::to_vec(&articles).unwrap()
            }
        }
        other => panic!("unknown corpus {other}"),
    };
    std::fs::write(path, bytes).unwrap();
}

/// `n` headlines of which 6 % repeat an earlier one (a wire story re-run under its headline),
/// the rest distinct: the corpus's headlines made distinct by a number, with every
/// seventeenth a copy of one before it.
fn repeating_headlines(n: usize) -> Vec<String> {
    let mut rng = corpus::Rng::new(7);
    let mut titles: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        if i > 0 && rng.below(100) < 6 {
            let earlier = titles[rng.below(titles.len())].clone();
            titles.push(earlier);
        } else {
            titles.push(format!("{} {}", corpus::headline(&mut rng), i));
        }
    }
    titles
}

/// The scale issue's second round: a million headlines of which 6 % repeat (no ids), against
/// the same file with the repeats removed, and against fzf on the same headlines.
fn repeats() {
    let n = if quick() { 100_000 } else { 1_000_000 };
    println!(
        "\n## Repeated headlines: {n} headline-only articles, 6 % repeating an earlier one (whole processes, median of 5)"
    );
    let with = generated("repeats", n, "json");
    let without = generated("repeats-removed", n, "json");
    let txt = generated("repeats-text", n, "txt");
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    let measure = |command: &mut Command| {
        let mut runs: Vec<(Duration, u64)> = (0..5).map(|_| run_measured(command)).collect();
        runs.sort();
        runs[2]
    };
    println!("| file | size | cold (`--no-cache`) | warm | peak memory cold, warm | memory / file |");
    println!("|---|---|---|---|---|---|");
    let mut warm_figures = Vec::new();
    for (label, file) in [("with repeats", &with), ("repeats removed", &without)] {
        run_measured(&mut broadsheet(true, &["show".as_ref(), "1".as_ref(), file.as_os_str()]));
        let cold = measure(&mut broadsheet(false, &["show".as_ref(), "1".as_ref(), file.as_os_str()]));
        let warm = measure(&mut broadsheet(true, &["show".as_ref(), "1".as_ref(), file.as_os_str()]));
        println!(
            "| {label} | {:.0} MB | {} | {} | {:.0} MB, {:.0} MB | {:.2} ×, {:.2} × |",
            size(file) as f64 / 1e6,
            ms(cold.0),
            ms(warm.0),
            cold.1 as f64 / 1e6,
            warm.1 as f64 / 1e6,
            cold.1 as f64 / size(file) as f64,
            warm.1 as f64 / size(file) as f64
        );
        warm_figures.push(warm);
    }
    let (a, b) = (warm_figures[0], warm_figures[1]);
    println!(
        "\nWarm start with repeats / without: {:.2} × the time, {:.2} × the memory (target: within 1.10 ×)",
        a.0.as_secs_f64() / b.0.as_secs_f64(),
        a.1 as f64 / b.1 as f64
    );
    if Command::new("fzf").arg("--version").output().is_err() {
        println!(
            "fzf is not installed (scripts/install-bench-tools.sh installs it); the search comparison is skipped."
        );
        return;
    }
    println!(
        "\n`search Q FILE --limit 50` (the file with repeats) against `fzf --filter Q < headlines.txt | head -50`:"
    );
    println!(
        "| query | broadsheet first run | cold | warm | fzf | fzf / first, cold (≥ 3) | fzf / warm (≥ 8) | peak first, cold, warm / file (≤ 1.2) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let args = |query: &str| -> Vec<std::ffi::OsString> {
        vec!["search".into(), query.into(), with.clone().into(), "--limit".into(), "50".into()]
    };
    // A first run: no cache yet, so it parses the file and writes the cache.
    let first_dir = data_dir().join("cache-first-run");
    let first_run = |query: &str| {
        let mut runs: Vec<(Duration, u64)> = (0..5)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&first_dir);
                run_measured(Command::new(BIN).env("BROADSHEET_CACHE_DIR", &first_dir).args(args(query)))
            })
            .collect();
        runs.sort();
        runs[2]
    };
    // The queries that miss each target: first run ≥ 3 × fzf, cold ≥ 3 ×, warm ≥ 8 ×, peak
    // memory ≤ 1.2 × the file on a first or cold run, and on a warm one.
    let mut misses: [Vec<&str>; 5] = Default::default();
    let mut queries = 0;
    for query in COMMON.iter().chain(RARE).chain(&["reykjavík", "parliamen"]) {
        let first = first_run(query);
        let cold = measure(&mut broadsheet(false, &args(query)));
        let warm = measure(&mut broadsheet(true, &args(query)));
        let theirs = measure(
            Command::new("sh").arg("-c").arg("fzf --filter \"$1\" < \"$2\" | head -50").arg("sh").arg(query).arg(&txt),
        );
        let ratio = |ours: Duration| theirs.0.as_secs_f64() / ours.as_secs_f64();
        let memory = |run: (Duration, u64)| run.1 as f64 / size(&with) as f64;
        queries += 1;
        let met = [
            ratio(first.0) >= 3.0,
            ratio(cold.0) >= 3.0,
            ratio(warm.0) >= 8.0,
            memory(first) <= 1.2 && memory(cold) <= 1.2,
            memory(warm) <= 1.2,
        ];
        for (missed, met) in misses.iter_mut().zip(met) {
            if !met {
                missed.push(query);
            }
        }
        println!(
            "| `{query}` | {} | {} | {} | {} | {:.2}, {:.2} | {:.2} | {:.2}, {:.2}, {:.2} |",
            ms(first.0),
            ms(cold.0),
            ms(warm.0),
            ms(theirs.0),
            ratio(first.0),
            ratio(cold.0),
            ratio(warm.0),
            memory(first),
            memory(cold),
            memory(warm)
        );
    }
    let _ = std::fs::remove_dir_all(&first_dir);
    let verdict = |missed: &Vec<&str>| {
        if missed.is_empty() {
            "met".to_string()
        } else {
            format!("MISSED by {} of {queries}: {}", missed.len(), missed.join(", "))
        }
    };
    println!("\nTargets over {queries} queries:");
    let names = [
        "first run ≥ 3 × fzf",
        "`--no-cache` ≥ 3 × fzf",
        "warm ≥ 8 × fzf",
        "peak memory ≤ 1.2 × the file, first run and cold",
        "peak memory ≤ 1.2 × the file, warm",
    ];
    for (name, missed) in names.iter().zip(&misses) {
        println!("- {name}: {}", verdict(missed));
    }
}

fn articles_json(n: usize) -> PathBuf {
    generated("articles", n, "json")
}

fn headlines_json(n: usize) -> PathBuf {
    generated("headlines", n, "json")
}

fn headlines_txt(n: usize) -> PathBuf {
    generated("headlines-text", n, "txt")
}

/// The broadsheet binary run with `args`, with its headline cache in `target/bench-data/cache`
/// (warmed by a first run), or with `--no-cache`.
fn broadsheet<S: AsRef<std::ffi::OsStr>>(cache: bool, args: &[S]) -> Command {
    let mut command = Command::new(BIN);
    command.env("BROADSHEET_CACHE_DIR", data_dir().join("cache")).args(args);
    if !cache {
        command.arg("--no-cache");
    }
    command
}

/// Runs a command to the end under GNU time; its wall time and peak memory (see `common`).
fn run_measured(command: &mut Command) -> (Duration, u64) {
    common::run_measured(command, &data_dir())
}

/// Start to first content: `broadsheet show 1 FILE` loads the whole file, as the browser does
/// before it draws the headlines. Without the headline cache (`--no-cache`: every start parses
/// the file) and with it (after a first run wrote it).
fn load() {
    println!("\n## Load (whole process: `broadsheet show 1 FILE`, median of 3)");
    println!("| file | size | cache | time | peak memory | memory / file size |");
    println!("|---|---|---|---|---|---|");
    let files = if quick() {
        vec![articles_json(10_000), headlines_json(100_000)]
    } else {
        vec![articles_json(100_000), headlines_json(1_000_000)]
    };
    for file in files {
        for cache in [false, true] {
            let mut samples = Vec::new();
            let mut peak = 0;
            for _ in 0..3 {
                let (took, rss) =
                    run_measured(&mut broadsheet(cache, &["show".as_ref(), "1".as_ref(), file.as_os_str()]));
                samples.push(took);
                peak = peak.max(rss);
            }
            print_start_row(&file, cache, &mut samples, peak);
        }
    }
    // What the browser adds before the first frame: the search index and the first page.
    println!("\n| in process, after loading | headlines | index + first frame |");
    println!("|---|---|---|");
    for n in if quick() { vec![100_000] } else { vec![100_000, 1_000_000] } {
        let collection = headline_collection(n);
        let start = Instant::now();
        let (app, _engine) = App::with_background_search(collection, 200, 50);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
        terminal.draw(|frame| ui::draw(&app, frame)).unwrap();
        println!("| headline collection | {n} | {} |", ms(start.elapsed()));
    }
}

/// One row of the load and start tables: file, size, cache, median time, peak memory.
fn print_start_row(file: &Path, cache: bool, samples: &mut [Duration], peak: u64) {
    let size = std::fs::metadata(file).unwrap().len();
    println!(
        "| {} | {:.0} MB | {} | {} | {:.0} MB | {:.2} |",
        file.file_name().unwrap().to_string_lossy(),
        size as f64 / 1e6,
        if cache { "warm" } else { "off" },
        ms(percentile(samples, 50)),
        peak as f64 / 1e6,
        peak as f64 / size as f64
    );
}

/// Start → headlines on screen, as a user sees it: the browser in a pseudo-terminal (200x50),
/// timed from spawn until its screen shows the list position ("1/N"), then sent `q`. Peak
/// memory from GNU time around it.
fn start() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};

    println!("\n## Start → headlines on screen (the browser in a pty, median of 3)");
    println!("| file | size | cache | time | peak memory | memory / file size |");
    println!("|---|---|---|---|---|---|");
    let files = if quick() {
        vec![(articles_json(10_000), 10_000), (headlines_json(100_000), 100_000)]
    } else {
        vec![(articles_json(100_000), 100_000), (headlines_json(1_000_000), 1_000_000)]
    };
    for (file, count) in files {
        // Writes the cache, so that the warm runs find it.
        run_measured(&mut broadsheet(true, &["show".as_ref(), "1".as_ref(), file.as_os_str()]));
        for cache in [false, true] {
            let mut samples = Vec::new();
            let mut peak = 0;
            for _ in 0..3 {
                let report = data_dir().join(format!("peak-{}.txt", std::process::id()));
                let pty = native_pty_system()
                    .openpty(PtySize { rows: 50, cols: 200, pixel_width: 0, pixel_height: 0 })
                    .unwrap();
                let mut command = CommandBuilder::new("/usr/bin/time");
                command.args(["-f", "%M", "-o"]);
                command.arg(&report);
                command.arg(BIN);
                command.arg(&file);
                if !cache {
                    command.arg("--no-cache");
                }
                command.env("TERM", "xterm-256color");
                command.env("BROADSHEET_CACHE_DIR", data_dir().join("cache"));
                let began = Instant::now();
                let mut child = pty.slave.spawn_command(command).unwrap();
                drop(pty.slave);
                let mut reader = pty.master.try_clone_reader().unwrap();
                let mut writer = pty.master.take_writer().unwrap();
                let marker = format!("1/{count}");
                let mut seen = Vec::new();
                let mut buf = [0u8; 65536];
                while !String::from_utf8_lossy(&seen).contains(&marker) {
                    let n = reader.read(&mut buf).unwrap();
                    assert!(n > 0, "the browser ended before drawing its list");
                    seen.extend_from_slice(&buf[..n]);
                }
                samples.push(began.elapsed());
                writer.write_all(b"q").unwrap();
                // Drain until the child is gone, so it never blocks on a full pty.
                std::thread::spawn(move || while reader.read(&mut buf).is_ok_and(|n| n > 0) {});
                assert!(child.wait().unwrap().success());
                let kib: u64 = std::fs::read_to_string(&report).unwrap().trim().parse().unwrap();
                peak = peak.max(kib * 1024);
            }
            print_start_row(&file, cache, &mut samples, peak);
        }
    }
}

/// `broadsheet search Q FILE --limit 50` against `fzf --filter Q < headlines.txt | head -50`, whole
/// processes, same headlines.
fn fzf() {
    let n = if quick() { 100_000 } else { 1_000_000 };
    println!("\n## Against fzf, {n} headlines, whole processes (median of 5)");
    if Command::new("fzf").arg("--version").output().is_err() {
        println!("fzf is not installed (scripts/install-bench-tools.sh installs it); skipped.");
        return;
    }
    let (json, txt) = (headlines_json(n), headlines_txt(n));
    println!(
        "| query | broadsheet, no cache | broadsheet, warm cache | fzf | fzf / broadsheet (no cache) | fzf / broadsheet (warm) |"
    );
    println!("|---|---|---|---|---|---|");
    let median = |command: &mut Command| {
        let mut samples: Vec<Duration> = (0..5).map(|_| run_measured(command).0).collect();
        percentile(&mut samples, 50)
    };
    let search = |query: &str, cache: bool| {
        broadsheet(cache, &["search".as_ref(), query.as_ref(), json.as_os_str(), "--limit".as_ref(), "50".as_ref()])
    };
    // A first search reads the file in one pass; the second writes the cache that the warm runs
    // find.
    run_measured(&mut search("warm", true));
    run_measured(&mut search("warm", true));
    for query in COMMON.iter().chain(RARE) {
        let cold = median(&mut search(query, false));
        let warm = median(&mut search(query, true));
        let theirs = median(
            Command::new("sh").arg("-c").arg("fzf --filter \"$1\" < \"$2\" | head -50").arg("sh").arg(query).arg(&txt),
        );
        let ratio = |ours: Duration| theirs.as_secs_f64() / ours.as_secs_f64();
        println!(
            "| `{query}` | {} | {} | {} | {:.2} | {:.2} |",
            ms(cold),
            ms(warm),
            ms(theirs),
            ratio(cold),
            ratio(warm)
        );
    }
}
