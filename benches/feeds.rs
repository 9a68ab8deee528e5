//! Feed benchmarks, printed as tables next to the peers the feeds issue names:
//!
//!     cargo bench --bench feeds              # both sections
//!     cargo bench --bench feeds -- parse     # or one: parse fetch
//!
//! - parse: 10,000 real-shaped entries (`corpus::rss_feed`: HTML articles of 300–900 words with
//!   links, a list, a credited figure, Media RSS) to articles, in the process and as a whole
//!   `broadsheet list FILE`; Python feedparser on the same file (scripts/install-bench-tools.sh).
//! - fetch: `broadsheet list URL1 … URL200`, 200 feeds × 50 entries served from loopback
//!   (8 loopback hosts, 25 feeds each), against `newsboat -x reload` on the same URLs with
//!   `reload-threads` set to Broadsheet's concurrency (8 at once, 2 per host).
//!
//! - library: `broadsheet fetch` of the same 200 feeds into a new library, then again with nothing
//!   new (every feed answers 304), against `newsboat -x reload` (first run into a new cache, then
//!   a second); medians of three rounds for both.
//!
//! Nothing leaves this machine: the servers listen on 127.0.0.x only.

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/server/mod.rs"]
mod server;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use broadsheet::corpus;
use broadsheet::inputs::DEFAULT_JOBS;
use broadsheet::source::{self, Document};
use rayon::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wanted = |section: &str| args.is_empty() || args.iter().any(|a| a == section);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("Broadsheet feed benchmarks: {cores} cores");
    if wanted("parse") {
        parse();
    }
    if wanted("fetch") {
        fetch();
    }
    if wanted("library") {
        library_fetch();
    }
    if wanted("library-scale") {
        library_scale();
    }
}

fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-feeds");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Runs a command to its end (output discarded); its wall time.
fn timed(command: &mut Command) -> Duration {
    let start = Instant::now();
    let status = command.stdout(Stdio::null()).stderr(Stdio::null()).status().expect("the command runs");
    let took = start.elapsed();
    assert!(status.success(), "{command:?} failed: {status}");
    took
}

fn parse() {
    const ENTRIES: usize = 10_000;
    let feed = corpus::rss_feed(ENTRIES, 7, "Benchmark News");
    let path = data_dir().join("feed-10000.xml");
    std::fs::write(&path, &feed).unwrap();
    let mb = feed.len() as f64 / 1e6;
    println!("\n## Parse and convert: {ENTRIES} entries, {mb:.1} MB of RSS with HTML articles (median of 5)");
    println!("| what | time | entries/s | MB/s |");
    println!("|---|---|---|---|");
    let row = |what: &str, took: Duration| {
        let s = took.as_secs_f64();
        println!("| {what} | {} | {:.0} | {:.1} |", secs(took), ENTRIES as f64 / s, mb / s);
    };
    // Loading keeps each entry's HTML and converts it when the article is opened; here every
    // entry is converted too (on every core), as `list --json` or reading them all would.
    let (mut loads, mut alls) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let start = Instant::now();
        let document = source::parse_document("bench.xml", feed.as_bytes(), None, None).unwrap();
        loads.push(start.elapsed());
        let Document::Articles { articles, .. } = document else { panic!("a feed") };
        assert_eq!(articles.len(), ENTRIES);
        let paragraphs: usize = (0..articles.len()).into_par_iter().map(|i| articles.article(i).body.len()).sum();
        assert!(paragraphs > ENTRIES * 5);
        alls.push(start.elapsed());
    }
    row("Broadsheet, in the process: bytes → every article converted", median(alls));
    row("Broadsheet, in the process: bytes → headlines (articles converted when opened)", median(loads));
    let whole = median((0..5).map(|_| timed(Command::new(BIN).arg("list").arg(&path))).collect());
    row("Broadsheet, whole process (`broadsheet list FILE`)", whole);
    let script = "import sys, feedparser\nd = feedparser.parse(sys.argv[1])\nassert len(d.entries) == int(sys.argv[2])";
    let python = Command::new("python3").args(["-c", "import feedparser"]).output();
    if python.is_ok_and(|o| o.status.success()) {
        let theirs = median(
            (0..3)
                .map(|_| timed(Command::new("python3").args(["-c", script]).arg(&path).arg(ENTRIES.to_string())))
                .collect(),
        );
        row("Python feedparser, whole process", theirs);
        println!("\nfeedparser / Broadsheet (whole processes): {:.1}×", theirs.as_secs_f64() / whole.as_secs_f64());
    } else {
        println!("| Python feedparser | not installed (scripts/install-bench-tools.sh) | | |");
    }
}

/// 200 feeds × 50 entries on 8 loopback hosts, each with an ETag (so that a second fetch gets
/// 304s); the servers and the URLs.
fn loopback_feeds(feeds: usize, entries: usize, hosts: usize) -> (Vec<server::Server>, Vec<String>) {
    // Shared, so that serving a feed copies nothing: the server's work is not the client's.
    let bodies: Vec<std::sync::Arc<[u8]>> = (0..feeds)
        .map(|i| corpus::rss_feed(entries, 100 + i as u64, &format!("Feed {i}")).into_bytes().into())
        .collect();
    let bodies = std::sync::Arc::new(bodies);
    let servers: Vec<server::Server> = (0..hosts)
        .map(|h| {
            let bodies = std::sync::Arc::clone(&bodies);
            server::Server::start_on(&format!("127.0.0.{}", h + 1), move |path| {
                let n: Option<usize> = path.strip_prefix("/feed/").and_then(|n| n.parse().ok());
                match n.and_then(|n| bodies.get(n).map(|b| (n, b))) {
                    Some((n, feed)) => server::Reply::shared("application/rss+xml", std::sync::Arc::clone(feed))
                        .with_header("ETag", &format!("\"feed-{n}\""))
                        .with_header("Last-Modified", "Mon, 30 Nov 2026 06:00:00 GMT"),
                    None => server::Reply::status(404),
                }
            })
        })
        .collect();
    let urls = (0..feeds).map(|i| servers[i % hosts].url(&format!("/feed/{i}"))).collect();
    (servers, urls)
}

/// `newsboat -x reload` on `urls`, `runs` times in a row on one cache (the first run fills it).
fn newsboat(dir: &std::path::Path, urls: &[String], runs: usize) -> Option<Vec<Duration>> {
    Command::new("newsboat").arg("--version").output().ok()?;
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("urls"), urls.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("config"), format!("reload-threads {DEFAULT_JOBS}\n")).unwrap();
    let _ = std::fs::remove_file(dir.join("cache.db"));
    Some(
        (0..runs)
            .map(|_| {
                timed(
                    Command::new("newsboat")
                        .arg("-u")
                        .arg(dir.join("urls"))
                        .arg("-c")
                        .arg(dir.join("cache.db"))
                        .arg("-C")
                        .arg(dir.join("config"))
                        .args(["-x", "reload"])
                        .env("HOME", dir),
                )
            })
            .collect(),
    )
}

fn library_fetch() {
    const FEEDS: usize = 200;
    const ENTRIES: usize = 50;
    println!(
        "\n## Library: `broadsheet fetch`, {FEEDS} feeds × {ENTRIES} entries from loopback (8 hosts; median of 3)"
    );
    let (_servers, urls) = loopback_feeds(FEEDS, ENTRIES, 8);
    let (mut firsts, mut seconds) = (Vec::new(), Vec::new());
    for round in 0..3 {
        let dir = data_dir().join(format!("library-{round}"));
        let _ = std::fs::remove_dir_all(&dir);
        let opml = data_dir().join("bench.opml");
        let outlines: Vec<broadsheet::source::feed::Outline> = urls
            .iter()
            .map(|u| broadsheet::source::feed::Outline { url: u.clone(), title: None, tags: Vec::new() })
            .collect();
        std::fs::write(&opml, broadsheet::source::opml::write(&outlines)).unwrap();
        let broadsheet = |args: &[&str]| {
            let mut command = Command::new(BIN);
            command.args(args).env("BROADSHEET_DATA_DIR", &dir);
            command
        };
        timed(&mut broadsheet(&["import", opml.to_str().unwrap()]));
        firsts.push(timed(&mut broadsheet(&["fetch"])));
        seconds.push(timed(&mut broadsheet(&["fetch"])));
    }
    println!("| what | first fetch (all new) | second fetch (all 304) | target |");
    println!("|---|---|---|---|");
    let (first, second) = (median(firsts), median(seconds));
    println!("| Broadsheet, whole process | {} | {} | ≤ 2 s, ≤ 0.3 s |", secs(first), secs(second));
    // newsboat as Broadsheet: three rounds, each a new cache fetched twice; medians.
    let rounds: Option<Vec<Vec<Duration>>> =
        (0..3).map(|_| newsboat(&data_dir().join("newsboat-library"), &urls, 2)).collect();
    match rounds {
        Some(rounds) => {
            let theirs_first = median(rounds.iter().map(|r| r[0]).collect());
            let theirs_second = median(rounds.iter().map(|r| r[1]).collect());
            println!(
                "| newsboat -x reload, reload-threads {DEFAULT_JOBS} | {} | {} | |",
                secs(theirs_first),
                secs(theirs_second)
            );
            println!(
                "\nnewsboat / Broadsheet: {:.1}× (first), {:.1}× (second)",
                theirs_first.as_secs_f64() / first.as_secs_f64(),
                theirs_second.as_secs_f64() / second.as_secs_f64()
            );
        }
        None => println!("| newsboat | not installed (scripts/install-bench-tools.sh) | | |"),
    }
}

/// A library of 100,000 articles with bodies (100 feeds × 1,000), made once.
fn big_library() -> PathBuf {
    let dir = data_dir().join("library-100k");
    if dir.join(broadsheet::library::FILE).exists() {
        return dir;
    }
    let tmp = data_dir().join("library-100k.tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    let mut library = broadsheet::library::Library::open(&tmp).unwrap();
    let collection = corpus::articles(100_000, 42);
    let articles = collection.to_vec();
    for (f, chunk) in articles.chunks(1_000).enumerate() {
        let feed = library.add_feed(&format!("https://feeds.example/{f}"), Some(&format!("Feed {f}")), &[]).unwrap();
        let chunk: Vec<broadsheet::article::Article> = chunk
            .iter()
            .enumerate()
            .map(|(i, a)| broadsheet::article::Article {
                published: Some(format!("2026-11-{:02}T{:02}:{:02}:00Z", 1 + i % 28, i % 24, f % 60)),
                ..a.clone()
            })
            .collect();
        // Stored in pieces: a fetch stores at most 1,000 at a time.
        library.store(feed, &chunk, &broadsheet::library::FetchRecord::default()).unwrap();
    }
    drop(library);
    std::fs::rename(&tmp, &dir).unwrap();
    dir
}

/// Whole process: wall time and peak memory (GNU time), output discarded.
fn measured(command: &mut Command) -> (Duration, u64) {
    common::run_measured(command, &data_dir())
}

fn library_scale() {
    println!("\n## Library of 100,000 articles with bodies (median of 5, whole processes)");
    let dir = big_library();
    let size = std::fs::metadata(dir.join(broadsheet::library::FILE)).unwrap().len();
    println!("library.db: {:.0} MB", size as f64 / 1e6);
    println!("| what | time | peak memory | target |");
    println!("|---|---|---|---|");
    let run = |args: &[&str]| {
        let mut samples: Vec<(Duration, u64)> =
            (0..5).map(|_| measured(Command::new(BIN).args(args).env("BROADSHEET_DATA_DIR", &dir))).collect();
        samples.sort();
        samples[2]
    };
    let (took, peak) = run(&["list"]);
    println!(
        "| `broadsheet list` (every headline) | {} | {:.0} MB | ≤ 0.2 s, ≤ 150 MB |",
        secs(took),
        peak as f64 / 1e6
    );
    let (took, peak) = run(&["show", "1"]);
    println!("| `broadsheet show 1` | {} | {:.0} MB | |", secs(took), peak as f64 / 1e6);
    for query in ["minister", "reykj"] {
        let (took, peak) = run(&["search", query, "--limit", "50"]);
        println!("| `broadsheet search {query} --limit 50` | {} | {:.0} MB | |", secs(took), peak as f64 / 1e6);
    }
    // A mark as the browser makes it: handed to the writer thread, then seen by another
    // connection (another process would see it the same way).
    use broadsheet::library::{Filter, Library, Mark, writer::Writer};
    let reader = Library::open(&dir).unwrap();
    let rows = reader.rows(&Filter::default()).unwrap();
    let writer = Writer::spawn(dir.clone());
    let mut samples = Vec::new();
    for row in rows.iter().take(20) {
        let start = Instant::now();
        writer.mark(vec![row.id], Mark::Star);
        loop {
            let starred = reader.rows(&Filter { starred: true, ..Filter::default() }).unwrap();
            if starred.iter().any(|r| r.id == row.id) {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        samples.push(start.elapsed());
    }
    drop(writer);
    let ids: Vec<i64> = rows.iter().take(20).map(|r| r.id).collect();
    Library::open(&dir).unwrap().mark(&ids, Mark::Unstar).unwrap();
    samples.sort();
    println!(
        "| a mark, from the browser's key to another connection seeing it (median, max of 20) | {} / {} | | ≤ 1 s |",
        secs(samples[10]),
        secs(samples[19])
    );
}

fn fetch() {
    const FEEDS: usize = 200;
    const ENTRIES: usize = 50;
    const HOSTS: usize = 8;
    println!(
        "\n## Fetch: `broadsheet list URL1 … URL{FEEDS}`, {FEEDS} feeds × {ENTRIES} entries from loopback ({HOSTS} hosts; median of 3)"
    );
    let (_servers, urls) = loopback_feeds(FEEDS, ENTRIES, HOSTS);
    println!("| what | time |");
    println!("|---|---|");
    let ours = median((0..3).map(|_| timed(Command::new(BIN).arg("list").args(&urls))).collect());
    println!("| Broadsheet, whole process ({DEFAULT_JOBS} at once, 2 per host) | {} |", secs(ours));
    // A fresh cache each time: every feed is new to newsboat, as to `broadsheet list`.
    let dir = data_dir().join("newsboat");
    let Some(runs) = (0..3).map(|_| newsboat(&dir, &urls, 1).map(|r| r[0])).collect::<Option<Vec<_>>>() else {
        println!("| newsboat | not installed (scripts/install-bench-tools.sh) |");
        return;
    };
    let theirs = median(runs);
    println!("| newsboat -x reload, reload-threads {DEFAULT_JOBS} | {} |", secs(theirs));
    println!("\nnewsboat / Broadsheet: {:.1}×", theirs.as_secs_f64() / ours.as_secs_f64());
}
