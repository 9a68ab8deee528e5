//! Reader view on Mozilla Readability's own test pages (130 pages, each with the title and the
//! article Readability.js extracts from it), against Readability.js under node + jsdom:
//!
//!     bash scripts/install-bench-tools.sh     # the pages, Readability.js and jsdom
//!     cargo bench --bench reader
//!
//! - quality: for each page, the title Broadsheet extracts against the expected title (exact,
//!   whitespace collapsed), and its article text (paragraphs and captions with credits; not the
//!   Links list or the `[n]` markers) against the text of the expected article, as word-level
//!   F1 (bags of lowercased words). Readability.js's own output is scored the same way, which
//!   checks the measure (it should score about 1).
//! - speed: one `broadsheet list --json PAGE` process per page (start-up counts), times summed,
//!   against one node process that extracts every page with Readability.js + jsdom.
//!
//! Nothing is fetched from the network: the pages are files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

/// Readability.js over every page given, in one process: one JSON line per page.
const NODE_SCRIPT: &str = r#"
const fs = require("fs");
const { JSDOM } = require("jsdom");
const { Readability } = require("@mozilla/readability");
const out = [];
for (const path of process.argv.slice(2)) {
  const dom = new JSDOM(fs.readFileSync(path, "utf8"), { url: "http://fakehost/test/" });
  const article = new Readability(dom.window.document).parse();
  out.push(JSON.stringify({ title: article ? article.title : "", text: article ? article.textContent : "" }));
}
process.stdout.write(out.join("\n") + "\n");
"#;

fn tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-tools/readability")
}

/// A page's result: its title and its article's words.
struct Extracted {
    title: String,
    words: Vec<String>,
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Word-level F1 of two bags of words.
fn f1(found: &[String], expected: &[String]) -> f64 {
    if found.is_empty() || expected.is_empty() {
        return if found.is_empty() && expected.is_empty() { 1.0 } else { 0.0 };
    }
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for w in expected {
        *counts.entry(w).or_default() += 1;
    }
    let mut common = 0;
    for w in found {
        if let Some(n) = counts.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    let precision = common as f64 / found.len() as f64;
    let recall = common as f64 / expected.len() as f64;
    if common == 0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the expected article (`expected.html`).
fn expected_text(html: &str) -> String {
    let document = scraper::Html::parse_fragment(html);
    document.root_element().text().collect::<Vec<_>>().join(" ")
}

/// Broadsheet's article from `broadsheet list --json PAGE`, and how long the process took.
fn broadsheet(page: &Path) -> (Option<Extracted>, Duration) {
    let start = Instant::now();
    let output = Command::new(BIN).args(["list", "--json"]).arg(page).output().expect("broadsheet runs");
    let took = start.elapsed();
    if !output.status.success() {
        return (None, took);
    }
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON out");
    let article = &json["articles"][0];
    let mut text = String::new();
    let body: Vec<&str> = article["body"].as_array().into_iter().flatten().filter_map(|p| p.as_str()).collect();
    // The Links list is the last `Links` paragraph and what follows it (a page may have its own).
    let links = body.iter().rposition(|p| *p == broadsheet::article::LINKS_HEADING).unwrap_or(body.len());
    for paragraph in &body[..links] {
        text.push_str(&without_markers(paragraph));
        text.push('\n');
    }
    for caption in article["captions"].as_array().into_iter().flatten() {
        for field in ["text", "credit"] {
            if let Some(t) = caption[field].as_str() {
                text.push_str(t);
                text.push('\n');
            }
        }
    }
    let title = article["title"].as_str().unwrap_or_default().to_string();
    (Some(Extracted { title, words: words(&text) }), took)
}

/// A paragraph without its link markers (`text [3]`).
fn without_markers(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len());
    let mut rest = paragraph;
    while let Some(open) = rest.find(" [") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find(']') {
            Some(close) if close > 0 && after[..close].bytes().all(|b| b.is_ascii_digit()) => {
                rest = &after[close + 1..]
            }
            _ => {
                out.push_str(" [");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn main() {
    let pages_dir = tools().join("test-pages");
    println!("Broadsheet reader-view benchmark: {} cores", std::thread::available_parallelism().map_or(1, |n| n.get()));
    let Ok(entries) = std::fs::read_dir(&pages_dir) else {
        println!("Mozilla's test pages are not installed (bash scripts/install-bench-tools.sh)");
        return;
    };
    let mut pages: Vec<PathBuf> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.join("source.html").exists()).collect();
    pages.sort();

    struct Score {
        name: String,
        title_ok: bool,
        f1: f64,
        took: Duration,
        found_title: String,
        expected_title: String,
    }
    let mut scores = Vec::new();
    let mut expected_words = Vec::new();
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        let metadata: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(page.join("expected-metadata.json")).unwrap()).unwrap();
        let expected_title = collapse(metadata["title"].as_str().unwrap_or_default());
        let expected = words(&expected_text(&std::fs::read_to_string(page.join("expected.html")).unwrap()));
        let (found, took) = broadsheet(&page.join("source.html"));
        let (title_ok, score, found_title) = match &found {
            Some(found) => (collapse(&found.title) == expected_title, f1(&found.words, &expected), found.title.clone()),
            None => (false, 0.0, "(no article)".into()),
        };
        scores.push(Score { name, title_ok, f1: score, took, found_title, expected_title });
        expected_words.push(expected);
    }

    let n = scores.len();
    let titles = scores.iter().filter(|s| s.title_ok).count();
    let mut f1s: Vec<f64> = scores.iter().map(|s| s.f1).collect();
    f1s.sort_by(f64::total_cmp);
    let mean = f1s.iter().sum::<f64>() / n as f64;
    let low: Vec<&Score> = scores.iter().filter(|s| s.f1 < 0.6).collect();
    let mut times: Vec<Duration> = scores.iter().map(|s| s.took).collect();
    times.sort();
    let total: Duration = times.iter().sum();

    // Readability.js on the same pages, in one node process.
    let script = tools().join("bench-reader.js");
    std::fs::write(&script, NODE_SCRIPT).unwrap();
    let start = Instant::now();
    let node = Command::new("node")
        .arg(&script)
        .args(pages.iter().map(|p| p.join("source.html")))
        .env("NODE_PATH", tools().join("node_modules"))
        .output();
    let node_took = start.elapsed();
    let node_scores: Option<(usize, f64)> = match node {
        Ok(output) if output.status.success() => {
            let lines: Vec<serde_json::Value> =
                String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            let titles = lines
                .iter()
                .zip(&scores)
                .filter(|(l, s)| collapse(l["title"].as_str().unwrap_or_default()) == s.expected_title)
                .count();
            let f1_sum: f64 = lines
                .iter()
                .zip(&expected_words)
                .map(|(l, expected)| f1(&words(l["text"].as_str().unwrap_or_default()), expected))
                .sum();
            Some((titles, f1_sum / n as f64))
        }
        Ok(output) => {
            println!("Readability.js failed: {}", String::from_utf8_lossy(&output.stderr));
            None
        }
        Err(_) => None,
    };

    println!("\n## Quality: {n} test pages of Mozilla Readability");
    println!("| extractor | titles exact | body F1 mean | median | lowest | pages under 0.6 |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| Broadsheet | {titles}/{n} ({:.0} %) | {mean:.3} | {:.3} | {:.3} | {} |",
        100.0 * titles as f64 / n as f64,
        f1s[n / 2],
        f1s[0],
        low.len()
    );
    if let Some((titles, mean)) = node_scores {
        println!(
            "| Readability.js 0.6 + jsdom (the expected output's maker: checks the measure) | {titles}/{n} | {mean:.3} | | | |"
        );
    }
    println!("\nTargets: titles ≥ 95 % exact, F1 mean ≥ 0.95, none under 0.6.");
    if !low.is_empty() {
        println!("\nPages under 0.6:");
        for s in &low {
            println!("- {}: F1 {:.2}", s.name, s.f1);
        }
    }
    println!("\nTitles that differ:");
    for s in scores.iter().filter(|s| !s.title_ok) {
        println!("- {}: {:?} (expected {:?})", s.name, s.found_title, s.expected_title);
    }
    println!("\nAll pages by F1 (lowest first):");
    let mut by_f1: Vec<&Score> = scores.iter().collect();
    by_f1.sort_by(|a, b| a.f1.total_cmp(&b.f1));
    for s in by_f1.iter().take(40) {
        println!("  {:.3} {}", s.f1, s.name);
    }

    println!("\n## Speed: the {n} pages, whole processes");
    println!("| what | total | median per page |");
    println!("|---|---|---|");
    println!(
        "| Broadsheet, one `list --json PAGE` process per page | {:.2} s | {:.1} ms |",
        total.as_secs_f64(),
        times[n / 2].as_secs_f64() * 1000.0
    );
    if node_scores.is_some() {
        println!("| Readability.js + jsdom, one node process for all | {:.2} s | |", node_took.as_secs_f64());
        println!("\nReadability.js / Broadsheet: {:.1}×", node_took.as_secs_f64() / total.as_secs_f64());
    } else {
        println!("| Readability.js + jsdom | not installed (bash scripts/install-bench-tools.sh) | |");
    }
    println!("Targets: ≥ 10× faster, median ≤ 20 ms per page.");
}
