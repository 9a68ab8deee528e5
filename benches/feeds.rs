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
//! Nothing leaves this machine: the servers listen on 127.0.0.x only.

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

fn fetch() {
    const FEEDS: usize = 200;
    const ENTRIES: usize = 50;
    const HOSTS: usize = 8;
    println!(
        "\n## Fetch: `broadsheet list URL1 … URL{FEEDS}`, {FEEDS} feeds × {ENTRIES} entries from loopback ({HOSTS} hosts; median of 3)"
    );
    let feeds: Vec<String> =
        (0..FEEDS).map(|i| corpus::rss_feed(ENTRIES, 100 + i as u64, &format!("Feed {i}"))).collect();
    let feeds = std::sync::Arc::new(feeds);
    let servers: Vec<server::Server> = (0..HOSTS)
        .map(|h| {
            let feeds = std::sync::Arc::clone(&feeds);
            server::Server::start_on(&format!("127.0.0.{}", h + 1), move |path| {
                let n: Option<usize> = path.strip_prefix("/feed/").and_then(|n| n.parse().ok());
                match n.and_then(|n| feeds.get(n)) {
                    Some(feed) => server::Reply::ok("application/rss+xml", feed.clone()),
                    None => server::Reply::status(404),
                }
            })
        })
        .collect();
    let urls: Vec<String> = (0..FEEDS).map(|i| servers[i % HOSTS].url(&format!("/feed/{i}"))).collect();
    println!("| what | time |");
    println!("|---|---|");
    let ours = median((0..3).map(|_| timed(Command::new(BIN).arg("list").args(&urls))).collect());
    println!("| Broadsheet, whole process ({DEFAULT_JOBS} at once, 2 per host) | {} |", secs(ours));
    if Command::new("newsboat").arg("--version").output().is_err() {
        println!("| newsboat | not installed (scripts/install-bench-tools.sh) |");
        return;
    }
    let dir = data_dir().join("newsboat");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("urls"), urls.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("config"), format!("reload-threads {DEFAULT_JOBS}\n")).unwrap();
    let theirs = median(
        (0..3)
            .map(|_| {
                // A fresh cache each time: every feed is new to it, as to `broadsheet list`.
                let _ = std::fs::remove_file(dir.join("cache.db"));
                timed(
                    Command::new("newsboat")
                        .arg("-u")
                        .arg(dir.join("urls"))
                        .arg("-c")
                        .arg(dir.join("cache.db"))
                        .arg("-C")
                        .arg(dir.join("config"))
                        .args(["-x", "reload"])
                        .env("HOME", &dir),
                )
            })
            .collect(),
    );
    println!("| newsboat -x reload, reload-threads {DEFAULT_JOBS} | {} |", secs(theirs));
    println!("\nnewsboat / Broadsheet: {:.1}×", theirs.as_secs_f64() / ours.as_secs_f64());
}
