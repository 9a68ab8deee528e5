//! `search --limit` on a JSON file without a headline cache reads the file in one pass
//! (`search::stream`): its answer must be the loaded collection's, article for article.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use broadsheet::search::Engine;
use broadsheet::search::stream;
use broadsheet::source;

/// Small files take the one-pass path in these tests (the binary uses it from 8 MiB).
const FROM: usize = 0;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("broadsheet-stream-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A JSON collection of every shape the loader meets, over 1 MiB (so that it is mapped):
/// headline-only articles repeating earlier ones (same content id), explicit ids repeating
/// earlier ids under other headlines, bodies, escapes, controls to clean, padding to trim,
/// headlines too long to keep whole, non-ASCII capitals.
fn archive(n: usize) -> String {
    let words = ["Gaza", "Talks", "Zürich", "ÉLECTION", "price", "Minister", "Quake", "Bogotá", "tax", "Reykjavík"];
    let mut articles = Vec::with_capacity(n);
    for i in 0..n {
        let title = format!("{} {} {}", words[i % 10], words[(i / 10) % 10], words[(i * 7 / 3) % 10]);
        let article = match i % 13 {
            0 | 1 => format!(r#"{{"title": "{title}"}}"#), // repeats: the same few headlines
            2 => format!(r#"{{"id": "id-{}", "title": "{title} {i}"}}"#, i / 26), // repeated explicit ids
            3 => format!(r#"{{"title": "{title} {i}", "body": ["First paragraph {i}.", "Second."]}}"#),
            4 => format!(r#"{{"title": "{title} \u00e9scaped {i}"}}"#),
            5 => format!(r#"{{"title": "  {title} padded {i}  "}}"#),
            6 => format!(r#"{{"title": "{title} \u001b[31mred {i}"}}"#),
            7 => format!(r#"{{"title": "{} {i}"}}"#, "Long headline words ".repeat(20)),
            8 => format!(r#"{{"title": "{title} {i}", "body": "One string\n\nof two paragraphs"}}"#),
            _ => format!(r#"{{"id": "x{i}", "title": "{title} {i}", "captions": [{{"text": "t", "credit": null}}]}}"#),
        };
        articles.push(article);
    }
    format!("{{\"articles\": [\n{}\n]}}\n", articles.join(",\n"))
}

/// An answer: (number from 1, score, headline) per hit, and the notices.
type Answer = (Vec<(usize, i64, String)>, Vec<String>);

/// What the loaded collection answers.
fn loaded(path: &Path, query: &str, k: usize) -> Result<Answer, String> {
    let (collection, notices) = source::load_with_notices(&[path.to_path_buf()], None).map_err(|e| e.to_string())?;
    let collection = Arc::new(collection);
    let hits = Engine::new(Arc::clone(&collection)).top(query, k);
    Ok((hits.iter().map(|h| (h.index + 1, h.score, collection.title(h.index).to_string())).collect(), notices))
}

/// What one pass answers, in the same terms.
fn streamed(path: &Path, query: &str, k: usize) -> Result<Answer, String> {
    let answer =
        stream::top_from(path, None, query, k, FROM).expect("the one-pass path applies").map_err(|e| e.to_string())?;
    let hits = answer.hits.into_iter().map(|(h, title)| (h.index + 1, h.score, title)).collect();
    Ok((hits, source::duplicates_notice(answer.duplicates_dropped).into_iter().collect()))
}

#[test]
fn one_pass_answers_as_the_loaded_collection() {
    let dir = temp_dir("same");
    let path = dir.join("archive.json");
    std::fs::write(&path, archive(16_000)).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 1 << 20, "mapped");
    let (collection, notices) = source::load_with_notices(std::slice::from_ref(&path), None).unwrap();
    let collection = Arc::new(collection);
    let engine = Engine::new(Arc::clone(&collection));
    let mut compared = 0;
    for query in ["e", "ta", "gaza", "zü", "élection", "ÉLECTION", "Minister", "pri tax", "long head", "red", "xyz"]
    {
        for k in [1, 7, 50, 100_000] {
            let hits = engine.top(query, k);
            let hits = hits.iter().map(|h| (h.index + 1, h.score, collection.title(h.index).to_string())).collect();
            let expected = (hits, notices.clone());
            assert_eq!(streamed(&path, query, k).unwrap(), expected, "{query:?} --limit {k}");
            compared += expected.0.len();
        }
    }
    assert!(compared > 1000, "the queries match: {compared}");
    assert_eq!(notices.len(), 1, "repeats were left out: {notices:?}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_article_without_a_headline_is_refused_alike() {
    let dir = temp_dir("untitled");
    let path = dir.join("archive.json");
    let mut text = archive(16_000);
    // A blank headline late in the file, after repeats that change its number.
    let at = text.rfind(r#"{"title": ""#).unwrap();
    text.insert_str(at, r#"{"title": "   "}, "#);
    std::fs::write(&path, text).unwrap();
    let expected = loaded(&path, "e", 5).unwrap_err();
    assert!(expected.contains("no headline") || expected.contains("headline"), "{expected}");
    assert_eq!(streamed(&path, "e", 5).unwrap_err(), expected);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn anything_else_is_left_to_the_loader() {
    let dir = temp_dir("else");
    // Broken JSON: the loader gives the message.
    let broken = dir.join("broken.json");
    let mut text = archive(16_000);
    text.truncate(text.len() - 10);
    std::fs::write(&broken, &text).unwrap();
    assert!(stream::top_from(&broken, None, "e", 5, FROM).is_none());
    // Too small to be mapped.
    let small = dir.join("small.json");
    std::fs::write(&small, archive(10)).unwrap();
    assert!(stream::top_from(&small, None, "e", 5, FROM).is_none());
    // An empty query lists every headline: the loader's.
    let path = dir.join("archive.json");
    std::fs::write(&path, archive(16_000)).unwrap();
    assert!(stream::top_from(&path, None, " ", 5, FROM).is_none());
    // A fresh headline cache: a warm load is faster. (Written for files parsed in pieces: from
    // 8 MiB.)
    std::fs::write(&path, archive(120_000)).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 8 << 20);
    let cache = dir.join("cache");
    assert!(stream::top_from(&path, Some(&cache), "e", 5, FROM).is_some(), "no cache yet");
    assert!(stream::top_from(&path, Some(&cache), "e", 5, FROM).is_none(), "searched before: load and cache it");
    source::load_with_notices(std::slice::from_ref(&path), Some(&cache)).unwrap();
    assert!(stream::top_from(&path, Some(&cache), "e", 5, FROM).is_none(), "the cache is fresh");
    // Another version of the file is searched in one pass again.
    std::fs::write(&path, archive(121_000)).unwrap();
    assert!(stream::top_from(&path, Some(&cache), "e", 5, FROM).is_some(), "a changed file");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The binary takes the one-pass path for a large file without a cache: what it prints (and the
/// notice of repeats) is what the loaded path prints.
#[test]
fn the_binary_prints_the_same_either_way() {
    let dir = temp_dir("binary");
    let path = dir.join("archive.json");
    std::fs::write(&path, archive(120_000)).unwrap();
    let run_timed = |args: &[&str], timings: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command.args(args).arg(&path).env("BROADSHEET_CACHE_DIR", dir.join("cache"));
        if timings {
            command.env("BROADSHEET_TIMINGS", "1");
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        (String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
    };
    let run = |args: &[&str]| run_timed(args, false);
    // The phases say which path ran.
    let (_, phases) = run_timed(&["search", "ta", "--limit", "20", "--no-cache"], true);
    assert!(phases.contains("cleaning, scores)"), "the one-pass path: {phases}");
    for query in ["ta", "zürich gaza"] {
        // One pass (no cache, --limit), then every match ranked by the loaded collection.
        let (streamed, notice) = run(&["search", query, "--limit", "20", "--no-cache"]);
        let (loaded, loaded_notice) = run(&["search", query, "--no-cache"]);
        let first: Vec<&str> = loaded.lines().take(20).collect();
        assert_eq!(streamed.lines().collect::<Vec<_>>(), first, "{query}");
        assert_eq!(notice, loaded_notice);
        assert!(notice.contains("duplicate article(s)"), "{notice}");
        // The JSON form too (highlight positions included).
        let json = |out: &str| serde_json::from_str::<Vec<serde_json::Value>>(out).unwrap();
        let (streamed, _) = run(&["search", query, "--limit", "20", "--no-cache", "--json"]);
        let (loaded, _) = run(&["search", query, "--no-cache", "--json"]);
        assert_eq!(json(&streamed), json(&loaded)[..20], "{query} --json");
    }
    std::fs::remove_dir_all(dir).unwrap();
}
