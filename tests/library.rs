//! The library: storing fetches on a real SQLite file, feeds that change between fetches on a
//! loopback server, conditional GETs, redirects, 410, 429, backoff, import and export, marks,
//! two processes at once, and `kill -9` in the middle of a fetch.

mod common;
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use broadsheet::article::Article;
use broadsheet::fetch::{self, Options};
use broadsheet::library::{self, Filter, Library, Mark};
use broadsheet::net;
use server::{Reply, Server};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

/// A directory of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("broadsheet-library-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A new library in a directory of its own, with one feed (`https://example.org/feed`).
fn library_with_a_feed(name: &str) -> (PathBuf, Library, i64) {
    let dir = scratch(name);
    let mut library = Library::open(&dir).unwrap();
    let feed = library.add_feed("https://example.org/feed", None, &[]).unwrap();
    (dir, library, feed)
}

/// A new library in a directory of its own, subscribed to `urls`.
fn library_of(name: &str, urls: impl IntoIterator<Item = String>) -> (PathBuf, Library) {
    let dir = scratch(name);
    let mut library = Library::open(&dir).unwrap();
    for url in urls {
        library.add_feed(&url, None, &[]).unwrap();
    }
    (dir, library)
}

fn article(guid: &str, title: &str, body: &str) -> Article {
    Article { id: guid.into(), ..Article::new(title.into(), Vec::new(), vec![body.into()]) }
}

fn titles(library: &Library, filter: &Filter) -> Vec<String> {
    library.rows(filter).unwrap().into_iter().map(|r| r.title).collect()
}

/// Newest first (published, else first seen); of one time, the later stored first. The whole
/// library is read in the table's order and sorted; a filter may go by an index: the same order.
#[test]
fn rows_are_newest_first_with_and_without_filters() {
    let (dir, mut library, feed) = library_with_a_feed("order");
    let other = library.add_feed("https://example.org/other", Some("Other"), &["tagged".into()]).unwrap();
    let dated = |guid: &str, day: u32| Article {
        published: Some(format!("2026-11-{day:02}T00:00:00Z")),
        ..article(guid, &format!("Story {guid}"), "text")
    };
    let record = library::FetchRecord::default();
    library.store(feed, &[dated("a", 1), dated("b", 3), dated("c", 2)], &record).unwrap();
    library.store(other, &[dated("d", 2), dated("e", 4)], &record).unwrap();
    assert_eq!(titles(&library, &Filter::default()), ["Story e", "Story b", "Story d", "Story c", "Story a"]);
    let b = library.rows(&Filter::default()).unwrap()[1].id;
    library.mark(&[b], Mark::Read).unwrap();
    let unread = Filter { unread: true, ..Filter::default() };
    assert_eq!(titles(&library, &unread), ["Story e", "Story d", "Story c", "Story a"]);
    let tagged = Filter { tag: Some("tagged".into()), ..Filter::default() };
    assert_eq!(titles(&library, &tagged), ["Story e", "Story d"]);
    let by_name = Filter { feed: Some("Other".into()), ..Filter::default() };
    assert_eq!(titles(&library, &by_name), ["Story e", "Story d"]);
    // 2026-11-02T00:00:00Z.
    let since = Filter { since: Some(1_793_577_600), ..Filter::default() };
    assert_eq!(titles(&library, &since), ["Story e", "Story b", "Story d", "Story c"]);
    let rows = library.rows(&Filter::default()).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.feed.as_str()).collect::<Vec<_>>(),
        ["Other", "https://example.org/feed", "Other", "https://example.org/feed", "https://example.org/feed"]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The library's filters on files, or on an empty library: refused, saying which (a value
/// with a space, `--feed Le Monde` unquoted, makes its second word a path).
#[test]
fn library_filters_without_a_library_say_why() {
    let empty = scratch("filters-empty");
    let (subscribed, library, _) = library_with_a_feed("filters-files");
    drop(library);
    for (dir, args, said) in [
        (&empty, &["list", "--unread"][..], "filter the library, which has no subscriptions (broadsheet add URL)"),
        (&subscribed, &["list", "--feed", "Le", "Monde"][..], "filter the library, not files or URLs (here: Monde)"),
    ] {
        let output = broadsheet(dir, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
    }
    std::fs::remove_dir_all(&empty).unwrap();
    std::fs::remove_dir_all(&subscribed).unwrap();
}

#[test]
fn storing_keeps_marks_and_vanished_articles() {
    let dir = scratch("store");
    let mut library = Library::open(&dir).unwrap();
    assert_eq!(library.schema_version().unwrap(), library::SCHEMA_VERSION);
    let feed = library.add_feed("https://example.org/feed", None, &["news".into()]).unwrap();
    let record = library::FetchRecord::default();
    let first = [article("a", "Alpha", "one"), article("b", "Beta", "two")];
    let stored = library.store(feed, &first, &record).unwrap();
    assert_eq!((stored.new, stored.changed), (2, 0));
    let rows = library.rows(&Filter::default()).unwrap();
    let beta = rows.iter().find(|r| r.title == "Beta").unwrap().id;
    library.mark(&[beta], Mark::Read).unwrap();
    library.mark(&[beta], Mark::Star).unwrap();
    // Edited (Beta), unchanged (nothing), vanished (Alpha), new (Gamma).
    let second = [article("b", "Beta, edited", "two, edited"), article("c", "Gamma", "three")];
    let stored = library.store(feed, &second, &record).unwrap();
    assert_eq!((stored.new, stored.changed), (1, 1));
    let again = library.store(feed, &second, &record).unwrap();
    assert_eq!((again.new, again.changed), (0, 0), "nothing changed");
    let mut all = titles(&library, &Filter::default());
    all.sort();
    assert_eq!(all, ["Alpha", "Beta, edited", "Gamma"], "a vanished entry stays");
    let beta = library.rows(&Filter { starred: true, ..Filter::default() }).unwrap();
    assert_eq!(beta.len(), 1);
    assert!(beta[0].read && beta[0].starred, "an edit keeps read and starred");
    assert_eq!(library.article(beta[0].id).unwrap().body, ["two, edited"]);
    assert_eq!(titles(&library, &Filter { unread: true, ..Filter::default() }).len(), 2);
    assert_eq!(titles(&library, &Filter { tag: Some("news".into()), ..Filter::default() }).len(), 3);
    assert_eq!(titles(&library, &Filter { tag: Some("sport".into()), ..Filter::default() }).len(), 0);
    assert_eq!(library.tags().unwrap(), [("news".to_string(), vec!["https://example.org/feed".to_string()])]);
    assert_eq!(library.integrity().unwrap(), "ok");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_id_repeated_within_one_fetch_is_one_article_the_later_entry_wins() {
    let (dir, mut library, feed) = library_with_a_feed("repeats");
    let record = library::FetchRecord::default();
    // The feed's first fetch (nothing stored to look up), then a later one.
    let first = [article("a", "Alpha", "one"), article("a", "Alpha, again", "one, again"), article("b", "Beta", "two")];
    let stored = library.store(feed, &first, &record).unwrap();
    assert_eq!((stored.new, stored.changed), (2, 1));
    let mut all = titles(&library, &Filter::default());
    all.sort();
    assert_eq!(all, ["Alpha, again", "Beta"]);
    let later = [article("c", "Gamma", "three"), article("c", "Gamma", "three"), article("b", "Beta", "two")];
    let stored = library.store(feed, &later, &record).unwrap();
    assert_eq!((stored.new, stored.changed), (1, 0), "the same entry twice is stored once");
    assert_eq!(titles(&library, &Filter::default()).len(), 3);
    assert_eq!(library.integrity().unwrap(), "ok");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_malicious_feed_cannot_grow_the_library_without_bound() {
    let dir = scratch("caps");
    let mut library = Library::open(&dir).unwrap();
    let feed = library.add_feed("https://evil.example/feed", None, &[]).unwrap();
    let record = library::FetchRecord::default();
    // A new guid for every entry on every fetch, more entries than a fetch keeps.
    let mut notices = Vec::new();
    for fetch in 0..6 {
        let articles: Vec<Article> =
            (0..1_200).map(|i| article(&format!("{fetch}-{i}"), &format!("Entry {fetch}-{i}"), "text")).collect();
        notices.extend(library.store(feed, &articles, &record).unwrap().notices);
    }
    let count = library.rows(&Filter::default()).unwrap().len();
    assert_eq!(count, library::MAX_ARTICLES_PER_FEED);
    assert!(notices.iter().any(|n| n.contains("the first 1000 stored")), "{notices:?}");
    assert!(notices.iter().any(|n| n.contains("old article(s) removed")), "{notices:?}");
    // A 30 MB entry is cut.
    let huge = Article { id: "huge".into(), ..Article::new("Huge".into(), Vec::new(), vec!["x".repeat(1 << 20); 30]) };
    let stored = library.store(feed, &[huge], &record).unwrap();
    assert!(stored.notices.iter().any(|n| n.contains("cut")), "{:?}", stored.notices);
    let id = library.rows(&Filter::default()).unwrap().into_iter().find(|r| r.title == "Huge").unwrap().id;
    let body: usize = library.article(id).unwrap().body.iter().map(|p| p.len()).sum();
    assert!(body <= library::MAX_TEXT_BYTES);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The library keeps feed entries as fetched and makes the article when it is read: for every
/// real feed of the fixtures, each article read back from the library is the article the feed
/// makes when it is opened directly (its source the feed's name in the library).
#[test]
fn entries_kept_as_fetched_read_back_as_the_articles_they_make() {
    let dir = scratch("saved");
    let mut library = Library::open(&dir).unwrap();
    let feeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&feeds).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"));
    paths.sort();
    let (mut compared, mut kept) = (0, 0);
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let name = path.display().to_string();
        let Ok(broadsheet::source::Document::Articles { articles, .. }) =
            broadsheet::source::parse_document(&name, &bytes, None, None)
        else {
            continue;
        };
        let feed = library.add_feed(&name, Some(&name), &[]).unwrap();
        let incoming = library::Incoming::all(&articles);
        kept += (0..articles.len()).filter(|&i| articles.saved(i).is_some()).count();
        library.store_incoming(feed, &incoming, articles.len(), &library::FetchRecord::default()).unwrap();
        let rows = library.rows(&Filter { feed: Some(name.clone()), ..Filter::default() }).unwrap();
        for i in 0..articles.len().min(library::MAX_ENTRIES_PER_FETCH) {
            let direct = Article { source: Some(name.clone()), ..articles.article(i).into_owned() };
            let row = rows.iter().find(|r| r.guid == direct.id).unwrap_or_else(|| panic!("{name}: {}", direct.id));
            // Two entries with one id: the library keeps the last; compare only that one.
            if (i + 1..articles.len()).any(|j| articles.id(j) == direct.id) {
                continue;
            }
            assert_eq!(library.article(row.id).unwrap(), direct, "{name}: entry {i}");
            compared += 1;
        }
    }
    assert!(compared > 500 && kept * 10 > compared * 9, "{compared} articles compared, {kept} kept as fetched");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A damaged entry in the file (or one claiming to be 4 GB) is said to be so, never a panic
/// or an allocation of what it claims.
#[test]
fn a_damaged_stored_entry_says_so() {
    let dir = scratch("damaged");
    let mut library = Library::open(&dir).unwrap();
    let feed = library.add_feed("https://example.org/feed", Some("Example"), &[]).unwrap();
    let xml = feed_xml(1);
    let Ok(broadsheet::source::Document::Articles { articles, .. }) =
        broadsheet::source::parse_document("feed", xml.as_bytes(), None, None)
    else {
        panic!("the test feed reads")
    };
    library.store_incoming(feed, &library::Incoming::all(&articles), articles.len(), &Default::default()).unwrap();
    let id = library.rows(&Filter::default()).unwrap()[0].id;
    assert!(!library.article(id).unwrap().body.is_empty());
    let conn = rusqlite::Connection::open(dir.join(library::FILE)).unwrap();
    for damage in [&b"\xff\xff\xff\xff garbage"[..], b"\x10\0\0\0 not lz4", b"", b"\x01"] {
        conn.execute("UPDATE bodies SET entry = ?1 WHERE article_id = ?2", rusqlite::params![damage, id]).unwrap();
        let read = library.article(id).unwrap();
        assert_eq!(read.body, ["This article's text could not be read from the library."], "{damage:?}");
        assert!(!read.title.is_empty());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The headline index is kept with the library: a start reads each headline's search key
/// from its row, and it is the key the search would compute (folding included); edited
/// headlines get theirs anew, and rows from schema 1 (none stored) leave the search to build it.
#[test]
fn the_search_index_is_stored_with_the_headlines() {
    let (dir, mut library, feed) = library_with_a_feed("index");
    let record = library::FetchRecord::default();
    let first = [article("a", "ÉTÉ À PARIS", "x"), article("b", "Harbour reopens", "y"), article("c", "Ωmega", "z")];
    library.store(feed, &first, &record).unwrap();
    library.store(feed, &[article("b", "Harbour reopens after the storm", "y")], &record).unwrap();
    let check = |library: Library| {
        let (collection, _) = broadsheet::subscriptions::collection(library, &Filter::default()).unwrap();
        let keys = collection.keys().expect("keys read with the headlines").clone();
        for i in 0..collection.len() {
            let (mask, fold) = broadsheet::search::index::key(collection.title(i));
            assert_eq!(keys.masks[i], mask, "{}", collection.title(i));
            assert_eq!(keys.foldable.contains(&(i as u32)), fold, "{}", collection.title(i));
        }
        collection.len()
    };
    assert_eq!(check(library), 3);
    // A row as schema 1 left it: no key, so none are handed on.
    let conn = rusqlite::Connection::open(dir.join(library::FILE)).unwrap();
    conn.execute_batch("UPDATE articles SET search_mask = NULL WHERE guid = 'c'").unwrap();
    let (collection, _) =
        broadsheet::subscriptions::collection(Library::open(&dir).unwrap(), &Filter::default()).unwrap();
    assert!(collection.keys().is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_full_text_stays_when_its_entry_is_edited() {
    let (dir, mut library, feed) = library_with_a_feed("full-text");
    let record = library::FetchRecord::default();
    library.store(feed, &[article("a", "Alpha", "the feed's summary")], &record).unwrap();
    let id = library.rows(&Filter::default()).unwrap()[0].id;
    library.store_full_text(id, &article("a", "Alpha", "the whole article, from its page")).unwrap();
    let stored = library.store(feed, &[article("a", "Alpha, corrected", "the feed's summary, edited")], &record);
    assert_eq!(stored.unwrap().changed, 1);
    let read = library.article(id).unwrap();
    assert_eq!(
        (read.title.as_str(), read.body.concat()),
        ("Alpha, corrected", "the whole article, from its page".into())
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_version_1_library_opens_and_a_newer_one_is_refused() {
    let dir = scratch("versions");
    let file = dir.join(library::FILE);
    {
        // A library as version 1 wrote it: its schema, frozen here, and a row of data.
        let conn = rusqlite::Connection::open(&file).unwrap();
        conn.execute_batch(VERSION_1).unwrap();
        conn.execute_batch(
            "INSERT INTO feeds (id, url, name, added) VALUES (1, 'https://old.example/feed', 'Old', 0);
             INSERT INTO articles (feed_id, guid, title, first_seen, sort_key, content_hash, read, starred)
                 VALUES (1, 'old-1', 'Kept from version 1', 0, 0, 'h', 1, 1);
             INSERT INTO bodies (article_id, captions, body) VALUES (1, '[]', '[\"old text\"]');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let library = Library::open(&dir).unwrap();
    assert_eq!(library.schema_version().unwrap(), library::SCHEMA_VERSION);
    assert_eq!(indexes(&file), SCHEMA_4_INDEXES, "versions 3 and 4 dropped two and narrowed one");
    let rows = library.rows(&Filter::default()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].title.as_str(), rows[0].read, rows[0].starred), ("Kept from version 1", true, true));
    assert_eq!(library.article(rows[0].id).unwrap().body, ["old text"]);
    drop(library);
    // A library keeps the page size it was made with; new ones get 64 KiB pages.
    let page_size = |file: &Path| -> i64 {
        rusqlite::Connection::open(file).unwrap().query_row("PRAGMA page_size", [], |row| row.get(0)).unwrap()
    };
    assert_eq!(page_size(&file), 4096);
    let new = scratch("versions-new");
    drop(Library::open(&new).unwrap());
    assert_eq!(page_size(&new.join(library::FILE)), 65_536);
    std::fs::remove_dir_all(&new).unwrap();
    rusqlite::Connection::open(&file).unwrap().execute_batch("PRAGMA user_version = 99;").unwrap();
    let err = Library::open(&dir).err().expect("refused");
    assert!(err.to_string().contains("made by a newer Broadsheet (schema 99"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The indexes of a library's articles as made (a schema's, not SQLite's own).
fn indexes(file: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(file).unwrap();
    let mut statement = conn
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles' AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    statement.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// The articles' indexes from schema 4 on.
const SCHEMA_4_INDEXES: [&str; 2] = [
    "CREATE INDEX articles_feed ON articles (feed_id, sort_key DESC)",
    "CREATE INDEX articles_starred ON articles (starred) WHERE starred = 1",
];

/// Version 1's schema, as it shipped.
const VERSION_1: &str = "CREATE TABLE feeds (
        id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, name TEXT, title TEXT, etag TEXT, last_modified TEXT,
        fetch_after INTEGER, error_count INTEGER NOT NULL DEFAULT 0, last_fetch INTEGER, last_status TEXT,
        last_error TEXT, gone INTEGER NOT NULL DEFAULT 0, full_text INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL);
    CREATE TABLE feed_tags (feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE, tag TEXT NOT NULL,
        PRIMARY KEY (feed_id, tag));
    CREATE TABLE articles (id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL, url TEXT, title TEXT NOT NULL, published TEXT, first_seen INTEGER NOT NULL,
        sort_key INTEGER NOT NULL, content_hash TEXT NOT NULL, read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0, UNIQUE (feed_id, guid));
    CREATE TABLE bodies (article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        captions TEXT NOT NULL, body TEXT NOT NULL);
    CREATE INDEX articles_newest ON articles (sort_key DESC, id DESC);
    CREATE INDEX articles_unread ON articles (read, sort_key DESC);
    CREATE INDEX articles_starred ON articles (starred, sort_key DESC);
    CREATE INDEX articles_feed ON articles (feed_id, sort_key DESC);";

/// A feed whose content depends on a version the test turns.
fn feed_xml(version: usize) -> String {
    let mut items = String::new();
    let entries: Vec<(&str, String)> = match version {
        0 => vec![("1", "First story".into()), ("2", "Second story".into())],
        // 1 changed, 2 vanished, 3 new.
        _ => vec![("1", "First story, updated".into()), ("3", "Third story".into())],
    };
    for (guid, title) in entries {
        items.push_str(&format!(
            "<item><title>{title}</title><guid>g{guid}</guid><link>https://news.example/{guid}</link><description>Text of {title}.</description></item>"
        ));
    }
    format!("<rss version=\"2.0\"><channel><title>Changing News</title>{items}</channel></rss>")
}

struct Site {
    server: Server,
    version: Arc<AtomicUsize>,
    hits: Arc<Mutex<Vec<String>>>,
}

fn site() -> Site {
    let version = Arc::new(AtomicUsize::new(0));
    let hits = Arc::new(Mutex::new(Vec::new()));
    let (v, h) = (Arc::clone(&version), Arc::clone(&hits));
    let server = Server::start(move |path| {
        h.lock().unwrap().push(path.to_string());
        let version = v.load(Ordering::SeqCst);
        // `/changing.xml?7`: many subscriptions to one feed.
        match path.split('?').next().unwrap_or(path) {
            "/changing.xml" => {
                Reply::ok("application/rss+xml", feed_xml(version)).with_header("ETag", &format!("\"v{version}\""))
            }
            "/old-home.xml" => Reply::redirect(301, "/new-home.xml"),
            "/new-home.xml" => Reply::ok("application/rss+xml", feed_xml(0)),
            "/gone.xml" => Reply::status(410),
            "/busy.xml" => Reply::Full {
                status: 429,
                headers: vec![("Retry-After".into(), "3600".into())],
                body: Vec::new().into(),
            },
            "/hanging.xml" => Reply::Silent,
            _ => Reply::status(404),
        }
    });
    Site { server, version, hits }
}

fn options(timeout_secs: u64) -> Options {
    Options {
        net: net::Options { timeout: Duration::from_secs(timeout_secs), ..net::Options::default() },
        ..Options::default()
    }
}

#[test]
fn fetching_feeds_that_change() {
    let site = site();
    let paths = ["/changing.xml", "/old-home.xml", "/gone.xml", "/busy.xml", "/hanging.xml"];
    let (dir, mut library) = library_of("fetch", paths.map(|path| site.server.url(path)));
    let all = |library: &Library| library.feeds().unwrap();
    let feeds = all(&library);
    let summary = fetch::run(&mut library, feeds, &options(2), false, &mut |_| {}).unwrap();
    assert_eq!(summary.total, 5);
    assert_eq!(summary.new, 4, "two from the changing feed, two from the moved one");
    assert_eq!(summary.failures.len(), 3, "{:?}", summary.failures);
    assert!(summary.failures.iter().any(|f| f.contains("HTTP 410")));
    assert!(summary.failures.iter().any(|f| f.contains("HTTP 429, retry after 3600 s")));
    assert!(
        summary.failures.iter().any(|f| f.contains("no answer within 2 s")),
        "the hanging feed ends at its deadline"
    );
    let feeds = all(&library);
    assert!(feeds.iter().any(|f| f.url == site.server.url("/new-home.xml")), "a 301 moved the subscription");
    assert!(feeds.iter().find(|f| f.url.ends_with("/gone.xml")).unwrap().gone);
    let changing = feeds.iter().find(|f| f.url.ends_with("/changing.xml")).unwrap();
    assert_eq!((changing.name.as_str(), changing.articles), ("Changing News", 2));
    // Mark one read, then the feed changes.
    let changing = Filter { feed: Some(site.server.url("/changing.xml")), ..Filter::default() };
    let first = library.rows(&changing).unwrap().into_iter().find(|r| r.title == "First story").unwrap();
    library.mark(&[first.id], Mark::Read).unwrap();
    site.version.store(1, Ordering::SeqCst);
    let feeds = all(&library);
    let summary = fetch::run(&mut library, feeds, &options(2), false, &mut |_| {}).unwrap();
    assert_eq!((summary.new, summary.changed), (1, 1), "{summary:?}");
    let skipped = summary.skipped.join("\n");
    assert!(skipped.contains("gone.xml: gone") && skipped.contains("busy.xml: waiting until"), "{skipped}");
    let rows = library.rows(&changing).unwrap();
    let mut got: Vec<(String, bool)> = rows.iter().map(|r| (r.title.clone(), r.read)).collect();
    got.sort();
    assert_eq!(
        got,
        [("First story, updated".into(), true), ("Second story".into(), false), ("Third story".into(), false)],
        "edited in place and still read; the vanished one stays"
    );
    // Nothing new: the server answers 304 to the stored ETag, and nothing is parsed.
    let before = site.hits.lock().unwrap().len();
    let changing_only = fetch::select(&library, &[site.server.url("/changing.xml")]).unwrap();
    let summary = fetch::run(&mut library, changing_only.clone(), &options(2), true, &mut |_| {}).unwrap();
    assert_eq!(summary.unchanged, 1, "{summary:?}");
    assert_eq!(site.hits.lock().unwrap().len(), before + 1);
    let requests = site.server.requests.lock().unwrap();
    assert!(
        requests.last().unwrap().to_ascii_lowercase().contains("if-none-match: \"v1\""),
        "{}",
        requests.last().unwrap()
    );
    // `feeds` says how each last fetch went, and when.
    let mut out = Vec::new();
    broadsheet::subscriptions::feeds(&library, false, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    for said in [
        "Changing News\n",
        "3 articles, 2 unread; fetched just now: unchanged",
        "2 articles, 2 unread; fetched just now\n",
        "gone: the server said 410 Gone (tried just now); remove it, or add it again",
        "failing: HTTP 429, retry after 3600 s (tried just now)",
    ] {
        assert!(out.contains(said), "{said:?} in\n{out}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fetch that waits on a silent feed has committed what the fast feeds brought, a quarter of
/// a second after storing it: another connection sees their articles and marks one at once,
/// long before the silent feed's deadline ends the fetch.
#[test]
fn a_fetch_waiting_on_a_slow_feed_holds_no_transaction_open() {
    let site = site();
    let (dir, mut library) = library_of("hold", ["/changing.xml", "/hanging.xml"].map(|path| site.server.url(path)));
    let started = std::time::Instant::now();
    let fetching = std::thread::spawn(move || {
        let feeds = library.feeds().unwrap();
        fetch::run(&mut library, feeds, &options(4), false, &mut |_| {}).unwrap()
    });
    let other = Library::open(&dir).unwrap();
    let rows = loop {
        let rows = other.rows(&Filter::default()).unwrap();
        if !rows.is_empty() {
            break rows;
        }
        assert!(started.elapsed() < Duration::from_secs(2), "nothing committed while the fetch waits");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut other = other;
    let marking = std::time::Instant::now();
    other.mark(&[rows[0].id], Mark::Star).unwrap();
    assert!(marking.elapsed() < Duration::from_secs(1), "a mark waited {:?}", marking.elapsed());
    assert!(started.elapsed() < Duration::from_secs(3), "the fetch still waits on its silent feed");
    let summary = fetching.join().unwrap();
    assert_eq!((summary.new, summary.failures.len()), (2, 1), "{summary:?}");
    assert_eq!(other.rows(&Filter { starred: true, ..Filter::default() }).unwrap().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What a fetch has committed is copied into the library file from a connection of its own
/// while the fetch's connection goes on: the log is then checkpointed all through.
#[test]
fn a_checkpoint_beside_the_writer_copies_what_is_committed() {
    let (dir, mut library, feed) = library_with_a_feed("beside");
    library.begin_bulk().unwrap();
    let text = "A paragraph of the story. ".repeat(80);
    let articles: Vec<Article> = (0..200).map(|i| article(&format!("{i}"), &format!("Story {i}"), &text)).collect();
    library.store(feed, &articles, &library::FetchRecord::default()).unwrap();
    let file = dir.join(library::FILE);
    let size = || std::fs::metadata(&file).unwrap().len();
    let before = size();
    Library::checkpoint_beside(&file).unwrap();
    assert!(size() > before + 200_000, "the stories are in the file: {before} -> {} bytes", size());
    library.end_bulk().unwrap();
    assert_eq!(library.integrity().unwrap(), "ok");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn broadsheet(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).env("BROADSHEET_DATA_DIR", dir).env("BROADSHEET_CACHE_DIR", "").output().unwrap()
}

fn text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_closed_pipe_ends_the_subscription_commands_quietly_and_a_full_disk_is_named() {
    let dir = scratch("pipe");
    let mut library = Library::open(&dir).unwrap();
    // Far more than a pipe buffer holds, so the writer must meet the closed pipe.
    for i in 0..2000 {
        library.add_feed(&format!("https://feeds.example/{i}"), Some(&format!("Feed number {i}")), &[]).unwrap();
    }
    drop(library);
    for args in [&["feeds"][..], &["feeds", "--json"], &["export"]] {
        let (_, output) = common::read_then_close(Command::new(BIN).args(args).env("BROADSHEET_DATA_DIR", &dir), 8);
        assert!(output.status.success(), "{args:?}: {:?}", output.status);
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let output = Command::new(BIN).arg("feeds").env("BROADSHEET_DATA_DIR", &dir).stdout(full).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(said.contains("cannot write the output") && said.contains("No space left"), "{said}");
    }
}

#[test]
fn add_refuses_what_is_not_a_web_address_and_adds_nothing() {
    let site = site();
    let dir = scratch("not-web");
    let good = site.server.url("/changing.xml");
    for bad in [
        "ftp://example.org/feed",
        "example.org/feed",
        "https:///feed",
        "file:///etc/passwd",
        "javascript:x",
        "https://example.org/\x1b[2Jfeed",
        "https://example.org/a feed",
    ] {
        let output = broadsheet(&dir, &["add", &good, bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let said = String::from_utf8_lossy(&output.stderr);
        let shown = broadsheet::sanitize::sanitize(bad);
        assert!(said.contains(&shown) && said.contains("nothing added") && !said.contains('\x1b'), "{bad}: {said}");
    }
    assert!(text(&broadsheet(&dir, &["feeds"])).contains("No subscriptions"), "nothing was added");
    assert!(broadsheet(&dir, &["add", &good]).status.success());
}

#[test]
fn import_passes_over_what_is_not_a_feed_and_names_it() {
    let dir = scratch("import-notices");
    let urls = dir.join("urls");
    std::fs::write(
        &urls,
        "ftp://files.example/feed\nhttps://news.example/rss world \"~News\"\n\"query:Unread:unread = \\\"yes\\\"\"\nexec:~/bin/feed.sh\nnews.example/atom\nhttps://evil.example/feed \"~\x1b]0;pwned\x07Evil\tNews\" \"\x1b[1mbold\" \" \"\n",
    )
    .unwrap();
    let imported = broadsheet(&dir, &["import", urls.to_str().unwrap()]);
    assert!(imported.status.success(), "{imported:?}");
    assert!(
        text(&imported).contains("imported 2 feed(s) (0 already subscribed, 4 passed over)"),
        "{}",
        text(&imported)
    );
    let said = String::from_utf8_lossy(&imported.stderr);
    for named in [
        "ftp://files.example/feed: not a web address (ftp:)",
        "line 3: newsboat's query feed \"Unread\": a filter, not a feed",
        "line 4: \"exec:~/bin/feed.sh\": Broadsheet runs no commands",
        "news.example/atom: not a web address (did you mean https://news.example/atom?)",
    ] {
        assert!(said.contains(named), "{named:?} in {said}");
    }
    assert_eq!(said.lines().count(), 4, "{said}");
    let feeds = text(&broadsheet(&dir, &["feeds"]));
    assert!(feeds.starts_with("News [world]\n  https://news.example/rss\n"), "{feeds}");
    // A name and tags from someone else's list are stored clean: no escape sequence, one line.
    assert!(feeds.contains("Evil News [bold]\n  https://evil.example/feed\n"), "{feeds}");
    assert!(!feeds.contains('\x1b') && !feeds.contains('\x07'), "{feeds:?}");
    // A list with nothing to subscribe to: each reason, exit 2, nothing added.
    let opml = dir.join("bad.opml");
    std::fs::write(
        &opml,
        r#"<opml version="2.0"><body><outline xmlUrl="javascript:alert(1)"/><outline xmlUrl="file:///etc/passwd"/></body></opml>"#,
    )
    .unwrap();
    let refused = broadsheet(&dir, &["import", opml.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("bad.opml: no feeds in it:"), "{said}");
    assert!(said.contains("javascript:alert(1): not a web address") && said.contains("file:///etc/passwd"), "{said}");
    assert_eq!(text(&broadsheet(&dir, &["feeds"])), feeds, "nothing added");
    // A file larger than --max-size is not read.
    let big = dir.join("big.urls");
    std::fs::write(&big, "https://example.org/feed\n".repeat(100)).unwrap();
    let refused = broadsheet(&dir, &["import", big.to_str().unwrap(), "--max-size", "1K"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("big.urls: larger than 1 KiB (--max-size)"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two feeds with one name: `remove NAME` removes neither and names both; the URL picks one.
#[test]
fn a_name_two_feeds_share_is_refused_with_their_urls() {
    let dir = scratch("same-name");
    let mut library = Library::open(&dir).unwrap();
    library.add_feed("https://one.example/feed", Some("Home Page"), &[]).unwrap();
    library.add_feed("https://two.example/feed", Some("Home Page"), &[]).unwrap();
    drop(library);
    let refused = broadsheet(&dir, &["remove", "Home Page"]);
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("Home Page: 2 subscriptions have this name; give the URL of one: https://one.example/feed, https://two.example/feed"),
        "{said}"
    );
    assert_eq!(text(&broadsheet(&dir, &["feeds"])).matches("Home Page").count(), 2, "nothing removed");
    assert!(broadsheet(&dir, &["remove", "https://two.example/feed"]).status.success());
    let feeds = text(&broadsheet(&dir, &["feeds"]));
    assert!(feeds.contains("https://one.example/feed") && !feeds.contains("two.example"), "{feeds}");
    assert!(broadsheet(&dir, &["remove", "Home Page"]).status.success(), "one left with the name");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_commands_for_subscriptions_marks_and_filters() {
    let site = site();
    let dir = scratch("cli");
    let url = site.server.url("/changing.xml");
    let added = broadsheet(&dir, &["add", &url, "--name", "Mine", "--tag", "world"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(text(&added).contains("Mine (2 articles)"), "{}", text(&added));
    let list = broadsheet(&dir, &["list"]);
    assert_eq!(text(&list).lines().count(), 2, "no path: the library");
    broadsheet(&dir, &["mark", "read", "1"]);
    broadsheet(&dir, &["mark", "star", "2"]);
    assert_eq!(text(&broadsheet(&dir, &["list", "--unread"])).lines().count(), 1);
    assert_eq!(text(&broadsheet(&dir, &["list", "--starred"])).lines().count(), 1);
    assert_eq!(text(&broadsheet(&dir, &["list", "--feed", "Mine", "--tag", "world"])).lines().count(), 2);
    assert_eq!(text(&broadsheet(&dir, &["list", "--since", "2999-01-01"])).lines().count(), 0);
    let json = text(&broadsheet(&dir, &["feeds", "--json"]));
    assert!(json.contains("\"unread\": 1") && json.contains("\"name\": \"Mine\""), "{json}");
    let show = text(&broadsheet(&dir, &["show", "1", "--starred"]));
    assert!(show.contains("Text of"), "{show}");
    // For scripts: the same article as JSON, the starred view's one article of `list --json`.
    let one = text(&broadsheet(&dir, &["show", "1", "--starred", "--json"]));
    assert_eq!(one, text(&broadsheet(&dir, &["list", "--starred", "--json"])));
    assert!(one.contains("\"articles\"") && one.contains("Text of"), "{one}");
    // Export, then import into a new library: the same subscriptions.
    let exported = text(&broadsheet(&dir, &["export"]));
    let other = scratch("cli-import");
    let opml = other.join("subs.opml");
    std::fs::write(&opml, &exported).unwrap();
    let imported = broadsheet(&other, &["import", opml.to_str().unwrap()]);
    assert!(text(&imported).contains("imported 1 feed(s)"), "{}", text(&imported));
    let feeds = text(&broadsheet(&other, &["feeds", "--json"]));
    assert!(feeds.contains("\"name\": \"Mine\"") && feeds.contains("\"world\""), "{feeds}");
    // A newsboat urls file.
    let urls = other.join("urls");
    std::fs::write(&urls, format!("{} tech \"~Boat\"\n", site.server.url("/new-home.xml"))).unwrap();
    broadsheet(&other, &["import", urls.to_str().unwrap()]);
    let fetched = broadsheet(&other, &["fetch"]);
    assert!(fetched.status.success(), "{}", String::from_utf8_lossy(&fetched.stderr));
    assert!(
        String::from_utf8_lossy(&fetched.stderr).contains("fetched 2/2 feed(s): 4 new"),
        "{}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    let removed = broadsheet(&dir, &["remove", "Mine"]);
    assert!(removed.status.success());
    assert_eq!(text(&removed), "removed Mine and its 2 article(s)\n");
    assert_eq!(text(&broadsheet(&dir, &["feeds"])).trim(), "No subscriptions: broadsheet add URL");
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&other).unwrap();
}

#[test]
fn two_processes_at_once_lose_no_marks() {
    let site = site();
    let (dir, library) = library_of("two", (0..20).map(|i| format!("{}?{i}", site.server.url("/changing.xml"))));
    drop(library);
    assert!(broadsheet(&dir, &["fetch"]).status.success());
    // A fetch in another process while this one marks, again and again.
    let fetcher = std::thread::spawn({
        let dir = dir.clone();
        move || (0..3).map(|_| broadsheet(&dir, &["fetch", "--jobs", "4"])).collect::<Vec<_>>()
    });
    let mut library = Library::open(&dir).unwrap();
    let rows = library.rows(&Filter::default()).unwrap();
    for row in &rows {
        library.mark(&[row.id], Mark::Star).unwrap();
    }
    for output in fetcher.join().unwrap() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    assert_eq!(library.rows(&Filter { starred: true, ..Filter::default() }).unwrap().len(), rows.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn kill_9_during_a_fetch_loses_nothing() {
    let site = site();
    let (dir, library) = library_of("kill", (0..60).map(|i| format!("{}?{i}", site.server.url("/changing.xml"))));
    drop(library);
    assert!(broadsheet(&dir, &["fetch"]).status.success());
    let mut library = Library::open(&dir).unwrap();
    let rows = library.rows(&Filter::default()).unwrap();
    let marked: Vec<i64> = rows.iter().step_by(3).map(|r| r.id).collect();
    library.mark(&marked, Mark::Read).unwrap();
    drop(library);
    site.version.store(1, Ordering::SeqCst);
    // Killed at points spread over a fetch's life (deterministic, different each round).
    for (round, delay_ms) in [3u64, 11, 23, 37, 61].into_iter().enumerate() {
        let mut child = Command::new(BIN)
            .args(["fetch", "--jobs", "8"])
            .env("BROADSHEET_DATA_DIR", &dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let library = Library::open(&dir).unwrap();
        assert_eq!(library.integrity().unwrap(), "ok", "round {round}");
        let read: Vec<i64> =
            library.rows(&Filter::default()).unwrap().into_iter().filter(|r| r.read).map(|r| r.id).collect();
        for id in &marked {
            assert!(read.contains(id), "round {round}: read mark of {id} lost");
        }
    }
    let finished = broadsheet(&dir, &["fetch"]);
    assert!(finished.status.success(), "{}", String::from_utf8_lossy(&finished.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_read_only_library_still_browses_and_says_why_marks_fail() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut library, feed) = library_with_a_feed("readonly");
    library.store(feed, &[article("a", "Stored headline", "text")], &library::FetchRecord::default()).unwrap();
    drop(library);
    // As schema 2 left it: read as it is where it cannot be migrated.
    let file = dir.join(library::FILE);
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch(
            "CREATE INDEX articles_newest ON articles (sort_key DESC, id DESC);
             CREATE INDEX articles_unread ON articles (read, sort_key DESC);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        std::fs::set_permissions(entry.unwrap().path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    // The tests run as root, who may write anything: run the binary as nobody.
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", BIN])
            .args(args)
            .env("BROADSHEET_DATA_DIR", &dir)
            .output()
            .unwrap()
    };
    let list = as_nobody(&["list"]);
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    assert_eq!(text(&list), "1\tStored headline\n");
    let mark = as_nobody(&["mark", "read", "1"]);
    assert_eq!(mark.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&mark.stderr);
    assert!(stderr.contains("library.db: the library is read-only here"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line, no repeated causes: {stderr}");
    // Where it can be written, it is migrated.
    assert_eq!(Library::open(&dir).unwrap().schema_version().unwrap(), library::SCHEMA_VERSION);
    assert_eq!(indexes(&file), SCHEMA_4_INDEXES);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `script` in a mount namespace of its own (`unshare`, where a tmpfs can be mounted
/// without privileges), with the library in `library`; what it printed.
fn in_mounts_of_its_own(script: &str, library: &Path) -> String {
    let output = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env("BROADSHEET_DATA_DIR", library)
        .output()
        .expect("unshare (util-linux) runs");
    let report = text(&output);
    assert!(output.status.success(), "{report}{}", String::from_utf8_lossy(&output.stderr));
    report
}

/// A full disk: a library on a tmpfs with no room left (mounted in a mount namespace of the
/// test's own, with `unshare`). Browsing works; a mark and a fetch fail, saying the disk is full.
#[test]
fn a_full_disk_still_browses_and_says_why_marks_fail() {
    let (dir, mut library, feed) = library_with_a_feed("full");
    library.store(feed, &[article("a", "Stored headline", "text")], &library::FetchRecord::default()).unwrap();
    drop(library);
    let full = dir.join("full");
    std::fs::create_dir(&full).unwrap();
    // In the namespace: a 1 MiB tmpfs, the library copied in, the rest filled; then each
    // command's exit code, output and errors, one per line, for the checks below.
    let script = format!(
        "set -e
         mount -t tmpfs -o size=1m tmpfs {full}
         cp {db} {full}/
         dd if=/dev/zero of={full}/filler bs=4k 2>/dev/null || true
         set +e
         for args in list 'mark read 1' fetch; do
             {bin} $args >{dir}/out 2>{dir}/err
             echo \"$args|$?|$(tr '\\n' ' ' <{dir}/out)|$(tr '\\n' ' ' <{dir}/err)\"
         done",
        full = full.display(),
        dir = dir.display(),
        db = dir.join(library::FILE).display(),
        bin = BIN,
    );
    let report = in_mounts_of_its_own(&script, &full);
    let lines: Vec<Vec<&str>> = report.lines().map(|l| l.split('|').collect()).collect();
    assert_eq!(lines.len(), 3, "{report}");
    assert_eq!(&lines[0][..3], ["list", "0", "1\tStored headline "], "{report}");
    for line in &lines[1..] {
        assert_eq!(line[1], "1", "{report}");
        assert!(line[3].contains("library.db: the library cannot be written (the disk is full"), "{report}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fetch whose writes fail (a full disk) while many feeds are still coming ends with the
/// error, and does not wait forever: its workers wait for the writer (a short queue) and are let
/// go when it stops.
#[test]
fn a_fetch_that_cannot_write_ends_with_its_workers_waiting() {
    let dir = scratch("full-fetch");
    let bodies: Vec<String> = (0..40).map(|i| broadsheet::corpus::rss_feed(20, 7 + i, &format!("Feed {i}"))).collect();
    let server = Server::start(move |path| {
        let n: Option<usize> = path.strip_prefix("/feed/").and_then(|n| n.parse().ok());
        match n.and_then(|n| bodies.get(n)) {
            Some(body) => Reply::ok("application/rss+xml", body.clone()),
            None => Reply::status(404),
        }
    });
    let urls: Vec<String> = (0..40).map(|i| server.url(&format!("/feed/{i}"))).collect();
    std::fs::write(dir.join("urls"), urls.join("\n") + "\n").unwrap();
    let full = dir.join("full");
    std::fs::create_dir(&full).unwrap();
    let script = format!(
        "set -e
         mount -t tmpfs -o size=8m tmpfs {full}
         {bin} import {dir}/urls >/dev/null
         dd if=/dev/zero of={full}/filler bs=4k 2>/dev/null || true
         set +e
         timeout 30 {bin} fetch --pace 0 >{dir}/out 2>{dir}/err
         echo \"$?|$(tr '\\n' ' ' <{dir}/err)\"",
        full = full.display(),
        dir = dir.display(),
        bin = BIN,
    );
    let report = in_mounts_of_its_own(&script, &full);
    let (code, err) = report.trim_end().split_once('|').unwrap();
    assert_eq!(code, "1", "exit 1, not a hang (124): {report}");
    assert!(err.contains("library.db: the library cannot be written (the disk is full"), "{report}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `add --full-text`: each `fetch` reads the pages of the feed's articles that have none yet
/// (paced; `--pace 0` here) and stores their text, which then reads offline. A page without an
/// article, or a 404, is not asked for again; a 503 is, at the next fetch. `full-text --off`
/// stops it.
#[test]
fn full_text_feeds_read_their_pages_and_keep_them_offline() {
    let dir = scratch("full-text-feed");
    let hits = Arc::new(Mutex::new(Vec::<String>::new()));
    let h = Arc::clone(&hits);
    let fixture =
        |name: &str| std::fs::read(format!("{}/tests/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let (harbour, missing) = (fixture("harbour.html"), fixture("missing-article.html"));
    let server = Server::start(move |path| {
        h.lock().unwrap().push(path.to_string());
        let item = |guid: &str, title: &str| {
            format!(
                "<item><title>{title}</title><guid>{guid}</guid><link>/story/{guid}</link><description>Summary of {title}.</description></item>"
            )
        };
        match path {
            "/feed.xml" => Reply::ok(
                "application/rss+xml",
                format!(
                    "<rss version=\"2.0\"><channel><title>Gazette</title>{}{}{}{}</channel></rss>",
                    item("harbour", "Harbour reopens"),
                    item("login", "A login page"),
                    item("gone", "A story taken down"),
                    item("busy", "A busy server")
                ),
            ),
            "/story/harbour" => Reply::ok("text/html; charset=utf-8", harbour.clone()),
            "/story/login" => Reply::ok("text/html", missing.clone()),
            "/story/busy" => Reply::status(503),
            _ => Reply::status(404),
        }
    });
    let feed = server.url("/feed.xml");
    let added = broadsheet(&dir, &["add", &feed, "--full-text"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(text(&added).contains("full articles: read from their pages by `broadsheet fetch`"), "{}", text(&added));
    assert!(hits.lock().unwrap().iter().all(|p| !p.starts_with("/story/")), "add reads no page");
    let fetched = broadsheet(&dir, &["fetch", "--pace", "0"]);
    let stderr = String::from_utf8_lossy(&fetched.stderr);
    assert!(fetched.status.success(), "{stderr}");
    assert!(stderr.contains("full text: 1 of 4 page(s) read"), "{stderr}");
    let again = broadsheet(&dir, &["fetch", "--pace", "0"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("full text: 0 of 1 page(s) read"), "only the 503 again");
    let count = |story: &str| hits.lock().unwrap().iter().filter(|p| *p == &format!("/story/{story}")).count();
    assert_eq!([count("harbour"), count("login"), count("gone"), count("busy")], [1, 1, 1, 2]);
    drop(server);
    // Offline: the page's text, its caption credit; the others keep the feed's text.
    let list = text(&broadsheet(&dir, &["list"]));
    let number =
        |title: &str| list.lines().find(|l| l.ends_with(title)).unwrap().split('\t').next().unwrap().to_string();
    let shown = text(&broadsheet(&dir, &["show", &number("Harbour reopens"), "--width", "200"]));
    assert!(shown.contains("The inner harbour reopened to fishing boats on Thursday"), "{shown}");
    assert!(shown.contains("Ola Berg/Gazette"), "{shown}");
    assert!(!shown.contains("Summary of Harbour reopens"), "{shown}");
    let login = text(&broadsheet(&dir, &["show", &number("A login page")]));
    assert!(login.contains("Summary of A login page."), "{login}");
    let off = broadsheet(&dir, &["full-text", "Gazette", "--off"]);
    assert!(off.status.success(), "{}", String::from_utf8_lossy(&off.stderr));
    let feeds = text(&broadsheet(&dir, &["feeds", "--json"]));
    assert!(feeds.contains("\"full_text\": false"), "{feeds}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A library from schema 1 hashed the converted text: its first fetch after the upgrade sees
/// every entry's hash differ. That is no edit: the stored text (perhaps a full text fetched
/// with `f`, which schema 1 did not mark) stays; a real edit later still updates it.
#[test]
fn the_first_fetch_after_an_upgrade_keeps_what_schema_1_stored() {
    let dir = scratch("upgrade");
    {
        let conn = rusqlite::Connection::open(dir.join(library::FILE)).unwrap();
        conn.execute_batch(VERSION_1).unwrap();
        conn.execute_batch(
            "INSERT INTO feeds (id, url, name, added) VALUES (1, 'https://old.example/feed', 'Old', 0);
             INSERT INTO articles (feed_id, guid, title, first_seen, sort_key, content_hash, read, starred)
                 VALUES (1, 'a', 'Alpha', 0, 0, '0123456789abcdef', 1, 0);
             INSERT INTO bodies (article_id, captions, body) VALUES (1, '[]', '[\"the full text fetched with f\"]');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let mut library = Library::open(&dir).unwrap();
    let record = library::FetchRecord::default();
    let stored = library.store(1, &[article("a", "Alpha", "the feed's summary")], &record).unwrap();
    assert_eq!((stored.new, stored.changed), (0, 0), "not an edit");
    assert_eq!(library.article(1).unwrap().body, ["the full text fetched with f"]);
    let rows = library.rows(&Filter::default()).unwrap();
    assert!(rows[0].read, "marks kept");
    // From now on an edit is an edit.
    let stored = library.store(1, &[article("a", "Alpha, corrected", "the feed's summary, edited")], &record);
    assert_eq!(stored.unwrap().changed, 1);
    assert_eq!(library.article(1).unwrap().body, ["the feed's summary, edited"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Entries stored before this schema kept their summary beside their content ("2:" hashes).
/// The first fetch after the upgrade takes them as they are, not as edits; from then on an
/// entry is hashed as stored now, without its summary, and an edit is still an edit.
#[test]
fn entries_stored_with_their_summary_are_not_edits_after_the_upgrade() {
    let dir = scratch("hash-2");
    let edited = Arc::new(AtomicUsize::new(0));
    let version = Arc::clone(&edited);
    let server = Server::start(move |path| match path {
        "/feed.xml" => Reply::ok(
            "application/rss+xml",
            format!(
                "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
                 <title>Gazette</title><item><title>Harbour reopens</title><guid>a</guid>\
                 <description>Ships sail.</description>\
                 <content:encoded>&lt;p&gt;Ships sail again{}.&lt;/p&gt;</content:encoded></item></channel></rss>",
                ", at last".repeat(version.load(Ordering::SeqCst))
            ),
        ),
        _ => Reply::status(404),
    });
    assert!(broadsheet(&dir, &["add", &server.url("/feed.xml")]).status.success());
    let hashes = || -> Vec<String> {
        let conn = rusqlite::Connection::open(dir.join(library::FILE)).unwrap();
        let mut statement = conn.prepare("SELECT content_hash FROM articles").unwrap();
        statement.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let hash = hashes().pop().expect("the entry is stored");
    // What the last schema stored: another hash, of the entry with its summary.
    let old = "2:0123456789abcdef";
    rusqlite::Connection::open(dir.join(library::FILE))
        .unwrap()
        .execute("UPDATE articles SET content_hash = ?1, read = 1", [old])
        .unwrap();
    let fetched = broadsheet(&dir, &["fetch", "--pace", "0"]);
    let said = String::from_utf8_lossy(&fetched.stderr);
    assert!(said.contains("0 new, 0 updated"), "{said}");
    assert_eq!(hashes(), [hash], "hashed as stored now");
    edited.store(1, Ordering::SeqCst);
    let fetched = broadsheet(&dir, &["fetch", "--pace", "0"]);
    let said = String::from_utf8_lossy(&fetched.stderr);
    assert!(said.contains("0 new, 1 updated"), "{said}");
    let shown = text(&broadsheet(&dir, &["show", "1", "--width", "200"]));
    assert!(shown.contains("Ships sail again, at last.") && !shown.contains("Ships sail.\n"), "{shown}");
    assert!(text(&broadsheet(&dir, &["list", "--unread"])).trim().is_empty(), "still read");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two entries that link to one page (a story and its update): each gets the page's full text.
#[test]
fn two_entries_with_one_page_both_get_its_full_text() {
    let dir = scratch("same-page");
    let harbour = std::fs::read(format!("{}/tests/fixtures/pages/harbour.html", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let server = Server::start(move |path| match path {
        "/feed.xml" => Reply::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>Gazette</title>\
             <item><title>Harbour reopens</title><guid>a</guid><link>/story</link><description>First.</description></item>\
             <item><title>Harbour reopens (updated)</title><guid>b</guid><link>/story</link><description>Second.</description></item>\
             </channel></rss>",
        ),
        "/story" => Reply::ok("text/html; charset=utf-8", harbour.clone()),
        _ => Reply::status(404),
    });
    assert!(broadsheet(&dir, &["add", &server.url("/feed.xml"), "--full-text"]).status.success());
    let fetched = broadsheet(&dir, &["fetch", "--pace", "0"]);
    assert!(String::from_utf8_lossy(&fetched.stderr).contains("full text: 2 of 2 page(s) read"));
    for n in ["1", "2"] {
        let shown = text(&broadsheet(&dir, &["show", n, "--width", "200"]));
        assert!(shown.contains("The inner harbour reopened to fishing boats on Thursday"), "{shown}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

mod listing_order {
    use super::*;
    use proptest::prelude::*;

    /// An article of the model: its feed (0–2), its day of January 2000 (none: first seen
    /// now), read, starred.
    type Model = (usize, Option<u32>, bool, bool);

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever the dates (ties and undated ones included), marks and filter, a listing is
        /// the articles the filter passes, newest first (undated ones count as first seen now,
        /// so newest), of one time the later stored first: as a sort of the model says.
        #[test]
        fn a_listing_is_the_filtered_articles_newest_first(
            articles in proptest::collection::vec((0..3usize, proptest::option::of(1..5u32), any::<bool>(), any::<bool>()), 0..40),
            filter in (any::<bool>(), any::<bool>(), proptest::option::of(0..3usize), proptest::option::of(1..5u32)),
        ) {
            let dir = scratch(&format!("listing-{}", articles.len()));
            let mut library = Library::open(&dir).unwrap();
            let feeds: Vec<i64> = (0..3)
                .map(|f| library.add_feed(&format!("https://example.org/{f}"), Some(&format!("Feed {f}")), &[]).unwrap())
                .collect();
            let record = library::FetchRecord::default();
            // Stored one at a time, in order: the k-th stored is the k-th in the model.
            let mut ids = Vec::new();
            for (k, &(feed, day, _, _)) in articles.iter().enumerate() {
                let article = Article {
                    published: day.map(|d| format!("2000-01-{d:02}T00:00:00Z")),
                    ..article(&format!("g{k}"), &format!("t{k}"), "text")
                };
                library.store(feeds[feed], &[article], &record).unwrap();
                ids.push(library.rows(&Filter::default()).unwrap().into_iter().find(|r| r.title == format!("t{k}")).unwrap().id);
            }
            for (k, &(_, _, read, starred)) in articles.iter().enumerate() {
                if read {
                    library.mark(&[ids[k]], Mark::Read).unwrap();
                }
                if starred {
                    library.mark(&[ids[k]], Mark::Star).unwrap();
                }
            }
            let (unread, starred, feed, since) = filter;
            let since_day = since.unwrap_or(0);
            let chosen = Filter {
                unread,
                starred,
                feed: feed.map(|f| format!("Feed {f}")),
                tag: None,
                // Midnight UTC of that day of January 2000.
                since: since.map(|d| 946_684_800 + i64::from(d - 1) * 86_400),
            };
            let passes = |m: &Model| {
                (!unread || !m.2) && (!starred || m.3) && feed.is_none_or(|f| f == m.0) && m.1.is_none_or(|d| d >= since_day)
            };
            let mut expected: Vec<(u32, usize)> = articles
                .iter()
                .enumerate()
                .filter(|(_, m)| passes(m))
                .map(|(k, m)| (m.1.unwrap_or(u32::MAX), k))
                .collect();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            let expected: Vec<String> = expected.into_iter().map(|(_, k)| format!("t{k}")).collect();
            prop_assert_eq!(titles(&library, &chosen), expected);
            drop(library);
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
}
