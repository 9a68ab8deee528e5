//! The headline cache of large JSON files: a cached load equals a parse of the file, a changed file
//! is parsed again, and a damaged cache is ignored (and replaced), never trusted and never a panic.

use std::path::{Path, PathBuf};
use std::process::Command;

use broadsheet::collection::Collection;
use broadsheet::source::{self, cache};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

/// A JSON collection over the 8 MB from which files are kept as headlines, in a fresh directory
/// with an empty cache directory next to it.
fn setup(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("broadsheet-cache-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut articles = broadsheet::corpus::headline_collection(70_000, 4).to_vec();
    articles[0].title = "Alpha headline".into();
    // Headlines with non-ASCII capitals, which the index must fold, in several parsing pieces.
    for (i, title) in [(7, "ZÜRICH VOTES"), (35_000, "ÉTATS-UNIS: Élection"), (69_999, "Łódź Ölympics ÅRHUS")] {
        articles[i].title = title.into();
    }
    articles[5].body = vec!["A body that is read from the file when the article opens.".into()];
    articles[6].id = String::new();
    let file = dir.join("news.json");
    std::fs::write(&file, serde_json::to_vec(&Collection::from(articles)).unwrap()).unwrap();
    assert!(std::fs::metadata(&file).unwrap().len() > 8 << 20);
    (file, dir.join("cache"))
}

fn load(file: &Path, cache: Option<&Path>) -> Collection {
    source::load_with_notices(&[file.to_path_buf()], cache).unwrap().0
}

fn assert_same(a: &Collection, b: &Collection) {
    assert_eq!(a.len(), b.len());
    assert!(a.titles().iter().eq(b.titles().iter()));
    assert!(a.ids().iter().eq(b.ids().iter()));
    for i in [0, 5, 6, a.len() / 2, a.len() - 1] {
        assert_eq!(a.article(i).as_ref(), b.article(i).as_ref(), "article {i}");
    }
}

#[test]
fn a_cached_load_equals_a_parse_of_the_file() {
    let (file, dir) = setup("equal");
    let parsed = load(&file, None);
    assert!(!dir.exists(), "no cache directory without a cache");
    let first = load(&file, Some(&dir));
    let cache_file = cache::path_in(&dir, &file).unwrap();
    assert!(cache_file.exists(), "the first load writes the cache");
    let mode = |path: &Path| std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions());
    assert_eq!((mode(&dir) & 0o777, mode(&cache_file) & 0o777), (0o700, 0o600), "private to its owner");
    let written = std::fs::metadata(&cache_file).unwrap().modified().unwrap();
    let cached = load(&file, Some(&dir));
    assert_eq!(std::fs::metadata(&cache_file).unwrap().modified().unwrap(), written, "read, not rewritten");
    assert_same(&first, &parsed);
    assert_same(&cached, &parsed);
    assert_eq!(cached.article(5).body[0], "A body that is read from the file when the article opens.");
    assert_eq!(cached.id(6), parsed.article(6).content_id());
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}

#[test]
fn search_on_a_loaded_or_cached_file_equals_the_plain_reference() {
    use broadsheet::search::engine::never;
    use broadsheet::search::{Engine, Searcher};
    use std::sync::Arc;

    let (file, dir) = setup("search");
    let parsed = load(&file, Some(&dir));
    let cached = load(&file, Some(&dir));
    assert!(parsed.keys().is_some() && cached.keys().is_some(), "keys computed while loading, and kept");
    for collection in [parsed, cached] {
        let collection = Arc::new(collection);
        let mut engine = Engine::new(Arc::clone(&collection));
        for query in ["zür", "ZÜR", "états", "łódź ölym", "årh", "gov min", "e", "reykj"] {
            let expected = Searcher.rank(query, collection.titles().iter());
            let got = engine.rank(query, &never, &std::sync::atomic::AtomicUsize::new(0)).unwrap();
            assert_eq!(*got, expected, "{query}");
            assert!(!expected.is_empty(), "{query} matches something");
        }
    }
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}

#[test]
fn a_changed_file_is_parsed_again() {
    let (file, dir) = setup("changed");
    load(&file, Some(&dir));
    // Same size, other headline: only the file's stamp (times, inode) tells the difference.
    let text = std::fs::read_to_string(&file).unwrap().replacen("Alpha headline", "Omega headline", 1);
    std::fs::write(&file, text).unwrap();
    let reloaded = load(&file, Some(&dir));
    assert_eq!(reloaded.title(0), "Omega headline");
    assert_same(&reloaded, &load(&file, None));
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}

#[test]
fn a_damaged_cache_is_ignored_and_replaced() {
    let (file, dir) = setup("damaged");
    let parsed = load(&file, None);
    load(&file, Some(&dir));
    let cache_file = cache::path_in(&dir, &file).unwrap();
    let good = std::fs::read(&cache_file).unwrap();
    let text_at = good.len() - 200_000;
    let word = |i: usize| u64::from_le_bytes(good[i * 8..i * 8 + 8].try_into().unwrap()) as usize;
    let (count, foldable) = (word(8), word(12));
    let titles_at = 128 + 8 * (4 * count + foldable);
    let letter = (titles_at..).find(|&at| good[at].is_ascii_lowercase()).unwrap();
    let damages: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("truncated", good[..good.len() - 1].to_vec()),
        ("header only", good[..128].to_vec()),
        ("garbage", vec![0xA5; good.len()]),
        ("escape in the text", patched(&good, text_at, b"\x1b[31m")),
        ("invalid UTF-8", patched(&good, text_at, b"\xff\xfe")),
        // Damage that keeps every structure: another letter in a headline, another search mask.
        ("a letter in a headline", patched(&good, letter, &[if good[letter] == b'x' { b'y' } else { b'x' }])),
        ("a search mask", patched(&good, 128 + 3 * count * 8, &[0xff])),
        // The first end of a headline moved past the text: ends must stay in order.
        ("ends out of order", patched(&good, 128, &u64::MAX.to_le_bytes())),
        // The first article's start moved off its `{`.
        ("start not at an article", {
            let count = u64::from_le_bytes(good[64..72].try_into().unwrap()) as usize;
            patched(&good, 128 + 2 * count * 8, &1u64.to_le_bytes())
        }),
    ];
    for (what, bytes) in damages {
        std::fs::write(&cache_file, &bytes).unwrap();
        let loaded = load(&file, Some(&dir));
        assert_same(&loaded, &parsed);
        assert!(loaded.titles().iter().all(broadsheet::sanitize::is_clean), "{what}");
        assert_eq!(std::fs::read(&cache_file).unwrap(), good, "{what}: the cache is written again");
    }
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}

fn patched(bytes: &[u8], at: usize, with: &[u8]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    bytes[at..at + with.len()].copy_from_slice(with);
    bytes
}

#[test]
fn an_unwritable_cache_directory_only_costs_speed() {
    let (file, dir) = setup("unwritable");
    std::fs::write(&dir, "a file where the directory should be").unwrap();
    assert_same(&load(&file, Some(&dir)), &load(&file, None));
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}

#[test]
fn the_binary_uses_the_cache_directory_it_is_given() {
    let (file, dir) = setup("binary");
    let search = |cache_dir: &Path, extra: &[&str]| {
        let output = Command::new(BIN)
            .args(["search", "gov min", file.to_str().unwrap(), "--limit", "20"])
            .args(extra)
            .env("BROADSHEET_CACHE_DIR", cache_dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let plain = search(&dir, &["--no-cache"]);
    assert!(!dir.exists(), "--no-cache writes nothing");
    assert_eq!(plain.lines().count(), 20);
    // A first `search --limit` answers in one pass and writes no cache (search::stream), only a
    // note that the file was searched; the second loads the file and writes the cache.
    assert_eq!(search(&dir, &[]), plain, "first run, in one pass");
    assert!(!cache::path_in(&dir, &file).unwrap().exists(), "one pass writes no cache");
    assert_eq!(search(&dir, &[]), plain, "second run, writing the cache");
    assert!(cache::path_in(&dir, &file).unwrap().exists());
    assert_eq!(search(&dir, &[]), plain, "third run, reading it");
    assert_eq!(search(Path::new(""), &[]), plain, "an empty BROADSHEET_CACHE_DIR turns the cache off");
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}

#[test]
fn caches_unused_for_a_month_are_removed_when_another_is_written() {
    let (file, dir) = setup("prune");
    load(&file, Some(&dir));
    let ours = cache::path_in(&dir, &file).unwrap();
    let days_ago = |days: u64| std::time::SystemTime::now() - std::time::Duration::from_secs(days * 24 * 60 * 60);
    let set_age = |path: &Path, days: u64| {
        std::fs::File::options().write(true).open(path).unwrap().set_modified(days_ago(days)).unwrap();
    };
    // Ours, old but still used: reading it marks it used again.
    set_age(&ours, 40);
    load(&file, Some(&dir));
    let touched = std::fs::metadata(&ours).unwrap().modified().unwrap();
    assert!(touched > days_ago(1), "a cache read is marked used");
    // Others: an old cache, an old leftover temporary file, an old note of a one-pass search, a
    // recent cache, an old file of someone else's.
    let write = |name: &str, days: u64| {
        let path = dir.join(name);
        std::fs::write(&path, "x").unwrap();
        set_age(&path, days);
        path
    };
    let old = write("0123456789abcdef.heads", 31);
    let leftover = write("0123456789abcdef.tmp4242", 60);
    let searched = write("0123456789abcdef.seen", 45);
    let recent = write("fedcba9876543210.heads", 20);
    let foreign = write("notes.txt", 400);
    // Another large file gets a cache: that is when old ones go.
    let (other, _) = setup("prune-other");
    load(&other, Some(&dir));
    assert!(!old.exists() && !leftover.exists() && !searched.exists(), "stale caches removed");
    assert!(recent.exists() && foreign.exists() && ours.exists(), "recent caches and other files kept");
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
    std::fs::remove_dir_all(other.parent().unwrap()).unwrap();
}

#[test]
fn a_file_with_a_byte_order_mark_is_cached_too() {
    let (file, dir) = setup("bom");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(&file).unwrap());
    std::fs::write(&file, bytes).unwrap();
    let parsed = load(&file, None);
    load(&file, Some(&dir));
    let cache_file = cache::path_in(&dir, &file).unwrap();
    let written = std::fs::read(&cache_file).unwrap();
    std::fs::remove_file(&cache_file).unwrap();
    std::fs::write(&cache_file, &written).unwrap();
    let inode = |path: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap());
    let before = inode(&cache_file);
    let cached = load(&file, Some(&dir));
    assert_eq!(inode(&cache_file), before, "the cache was used, not written again");
    assert_same(&cached, &parsed);
    std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
}

/// Repeated ids cost nothing on a warm start: the cache holds the file's collection without
/// its repeats (and how many there were), so a cached load equals a parse with the repeats
/// left out, says the same notice, and keeps the search keys of what is left in step (folded
/// headlines after a repeat included).
#[test]
fn a_file_with_repeated_ids_is_cached_without_them() {
    let dir = std::env::temp_dir().join(format!("broadsheet-cache-repeats-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut articles = broadsheet::corpus::headline_collection(70_000, 9).to_vec();
    // Every tenth article repeats the id of the one before it; one folded headline after them.
    for i in (10..70_000).step_by(10) {
        articles[i].id = articles[i - 1].id.clone();
    }
    articles[69_995].title = "ÉTATS-UNIS: Élection".into();
    let file = dir.join("repeats.json");
    std::fs::write(&file, serde_json::to_vec(&Collection::from(articles)).unwrap()).unwrap();
    let cache_dir = dir.join("cache");
    let load_notices = |cache: Option<&Path>| source::load_with_notices(std::slice::from_ref(&file), cache).unwrap();
    let (parsed, parsed_notices) = load_notices(None);
    let (first, first_notices) = load_notices(Some(&cache_dir));
    let (cached, cached_notices) = load_notices(Some(&cache_dir));
    assert_eq!(parsed.len(), 70_000 - 6_999);
    assert_eq!(parsed_notices, ["6999 duplicate article(s) (same id as an earlier one) were left out"]);
    assert_eq!(first_notices, parsed_notices);
    assert_eq!(cached_notices, parsed_notices, "the warm start says it too");
    assert_same(&first, &parsed);
    assert_same(&cached, &parsed);
    // The engine (on the kept keys) ranks as the plain reference does, the folded one included.
    assert!(first.keys().is_some() && cached.keys().is_some(), "keys kept through leaving repeats out");
    for collection in [parsed, first, cached] {
        use broadsheet::search::{Engine, Searcher};
        let collection = std::sync::Arc::new(collection);
        let mut engine = Engine::new(std::sync::Arc::clone(&collection));
        for query in ["états-unis", "gov min", "e"] {
            let expected = Searcher.rank(query, collection.titles().iter());
            let got = engine.rank(query, &broadsheet::search::engine::never, &Default::default()).unwrap();
            assert_eq!(*got, expected, "{query}");
            assert!(!expected.is_empty(), "{query}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
