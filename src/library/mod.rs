//! The library: subscriptions, every article they brought, and what was read or starred, in
//! SQLite. The only module that speaks SQL.
//!
//! One file (`library.db`) in WAL mode, so a browser and a `broadsheet fetch` from cron share it
//! without "database is locked" (a busy timeout covers the moments two writers meet). Foreign
//! keys on. The schema has a version (`PRAGMA user_version`) and forward migrations, each in one
//! transaction. Every change is a short transaction of its own.
//!
//! An article is keyed by its feed and its guid (the parser's id: guid, else link, else content
//! hash). Storing a fetch updates text in place and never touches read or starred; entries that
//! leave a feed stay. Bodies live in a table of their own, so listing never reads them.

pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};

use crate::article::{Article, Caption};
use crate::collection::{Collection, Saved, Texts};

/// The schema this build writes.
pub const SCHEMA_VERSION: i64 = 4;

/// The file name inside the library's directory.
pub const FILE: &str = "library.db";

/// At most this many entries of one fetch are stored (the first, in feed order): a feed of
/// 100,000 entries cannot fill the disk.
pub const MAX_ENTRIES_PER_FETCH: usize = 1_000;
/// A feed keeps at most this many articles; beyond it the oldest read, unstarred ones go.
pub const MAX_ARTICLES_PER_FEED: usize = 5_000;
/// An article's stored text (body and captions) is cut at this many bytes.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// The page cache for reading (see [`Library::setup`]).
const CACHE_KIB: i64 = 8 * 1024;
/// The page cache while a fetch writes: what it writes is not read again, and SQLite walks
/// the whole cache at each commit and frees it at the end (a fifth of a fetch's time in 64 MB).
const BULK_CACHE_KIB: i64 = 4 * 1024;

/// The page size of new libraries, SQLite's largest. A fetch writes far fewer pages (a fourth of
/// the writes and reads of 16 KiB pages for 10,000 entries, 8 % less time); headlines read as
/// fast or faster, and 100,000 articles took 523 MB instead of 598 MB. (An entry of 2.4 KB
/// compressed wasted most of a 4 KiB page.) A library keeps the size it was made with.
const PAGE_SIZE: i64 = 65_536;
/// The write-ahead log is copied into the file when it grows past this (SQLite's default of
/// 1,000 pages, in bytes of 16 KiB pages; it would be 64 MB of 64 KiB ones).
const AUTOCHECKPOINT_BYTES: i64 = 16 << 20;

/// The library's errors, with the file named.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The SQLite error is told in words of our own (see [`describe`]), not kept as a source:
    /// its chain repeats itself.
    #[error("{path}: {}", describe(error))]
    Sql { path: String, error: rusqlite::Error },
    /// A change to a library opened only to read (see [`Library::open`]), with why it was.
    #[error("{path}: {why}: browsing works, marks and fetches are not saved")]
    ReadOnly { path: String, why: &'static str },
    #[error("{path}: cannot create the library's directory: {source}")]
    Dir { path: String, source: std::io::Error },
    #[error("{path}: made by a newer Broadsheet (schema {found}, this one knows {SCHEMA_VERSION})")]
    Newer { path: String, found: i64 },
    #[error("{0}")]
    Usage(String),
    /// Printing what was asked for failed (a closed pipe, a full disk): the cause is kept, so
    /// that `broadsheet feeds | head -1` can end quietly.
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
}

/// An SQLite error for the user: what happened and, for the ones a user can act on, what to do.
pub fn describe(error: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => "the library is read-only here (its file or folder cannot be written): \
             browsing works, marks and fetches are not saved"
            .into(),
        Some(ErrorCode::DiskFull) => "the disk is full: marks and fetches are not saved until there is room".into(),
        // What a full disk gives when it is the write-ahead log or its index that cannot grow.
        Some(ErrorCode::SystemIoFailure) => {
            "the library cannot be written (a disk I/O error: is the disk full?): marks and fetches are not saved"
                .into()
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "another Broadsheet kept the library busy for over 10 s; try again".into()
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            "not a Broadsheet library, or a damaged one (move it away to start a new one)".into()
        }
        Some(ErrorCode::CannotOpen) => "cannot open the library file (check its folder's permissions)".into(),
        _ => match error {
            rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
            other => other.to_string(),
        },
    }
}

/// Turns an SQLite error into the library's, naming the file; a change refused because the
/// library was opened only to read says why it was (`read_only`). A function of the path and
/// that reason alone, so it can be used while a transaction borrows the connection.
fn sql_error<'a>(
    path: &'a Path,
    read_only: Option<&'static str>,
) -> impl Fn(rusqlite::Error) -> LibraryError + Copy + 'a {
    move |error| match read_only {
        Some(why) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly) => {
            LibraryError::ReadOnly { path: path.display().to_string(), why }
        }
        _ => LibraryError::Sql { path: path.display().to_string(), error },
    }
}

/// Why a library was opened only to read: its file or folder may not be written.
const NOT_WRITABLE: &str = "the library is read-only here (its file or folder cannot be written)";
/// Why a library was opened only to read: the disk is full (SQLite cannot make its log).
const DISK_FULL: &str = "the library cannot be written (the disk is full, or failing)";

/// The library's directory: `--library DIR`, else `$BROADSHEET_DATA_DIR`, else
/// `$XDG_DATA_HOME/broadsheet`, else `~/.local/share/broadsheet`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BROADSHEET_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if let Some(data) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(data).join("broadsheet"));
    }
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|home| PathBuf::from(home).join(".local/share/broadsheet"))
}

/// A subscription as `broadsheet feeds` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedInfo {
    #[serde(skip)]
    pub id: i64,
    /// What the user calls it: `--name`, else the feed's title, else its URL.
    pub name: String,
    pub url: String,
    pub tags: Vec<String>,
    pub articles: usize,
    pub unread: usize,
    /// RFC 3339 UTC.
    pub last_fetch: Option<String>,
    /// `200`, `304`, `HTTP 404`, `gone`, or the error's message.
    pub last_status: Option<String>,
    pub last_error: Option<String>,
    #[serde(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    pub last_modified: Option<String>,
    /// Not to be fetched before this (Unix seconds): a Retry-After, or a failing feed's backoff.
    #[serde(skip)]
    pub fetch_after: Option<i64>,
    #[serde(skip)]
    pub error_count: i64,
    /// The server said 410 Gone: no longer fetched.
    pub gone: bool,
    /// A fetch gets the full article (its web page) for the feed's articles.
    pub full_text: bool,
}

/// An article row as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub feed: String,
    pub title: String,
    pub guid: String,
    pub read: bool,
    pub starred: bool,
    /// The headline's search key, as stored (`None` in rows from schema 1).
    pub search_key: Option<(u64, bool)>,
}

/// The articles a filter passes, newest first, as lists show them: a column per field, with no
/// string of its own per article (at 100,000 articles, making and freeing 300,000 strings took
/// a fifth of `list`'s time).
#[derive(Clone, Default)]
pub struct Listing {
    /// Each article's row in the library.
    pub ids: Vec<i64>,
    pub titles: Texts,
    pub guids: Texts,
    /// Each article's feed, as lists name it (its name, else its title, else its URL).
    pub feeds: Vec<Arc<str>>,
    pub read: Vec<bool>,
    pub starred: Vec<bool>,
    /// Each headline's search key as stored; `None` when some row has none (from schema 1).
    pub search_keys: Option<Vec<(u64, bool)>>,
}

impl Listing {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Article `i` as one row.
    pub fn row(&self, i: usize) -> Row {
        Row {
            id: self.ids[i],
            feed: self.feeds[i].to_string(),
            title: self.titles.get(i).to_string(),
            guid: self.guids.get(i).to_string(),
            read: self.read[i],
            starred: self.starred[i],
            search_key: self.search_keys.as_ref().map(|keys| keys[i]),
        }
    }
}

/// Which articles.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unread: bool,
    pub starred: bool,
    /// A feed's name or URL.
    pub feed: Option<String>,
    pub tag: Option<String>,
    /// RFC 3339 or a date: articles published (or first seen) since then.
    pub since: Option<i64>,
}

/// A change of marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Read,
    Unread,
    Star,
    Unstar,
}

/// What one feed's fetch brought, for [`Library::store_updates`].
#[derive(Debug, Clone, Copy)]
pub struct FeedUpdate<'a> {
    pub feed: i64,
    /// Its articles and how many entries the feed had; `None` when it brought none (a 304, a
    /// failure): then only the record is written.
    pub articles: Option<(&'a [Incoming], usize)>,
    pub record: &'a FetchRecord,
}

/// What storing a fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub new: usize,
    pub changed: usize,
    /// What the user should know (caps applied).
    pub notices: Vec<String>,
}

/// The library.
pub struct Library {
    conn: Connection,
    path: PathBuf,
    /// Opened only to read, and why (see [`Library::open`]).
    read_only: Option<&'static str>,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Unix seconds as RFC 3339 UTC.
pub fn rfc3339(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map_or_else(String::new, crate::source::date::format_utc)
}

/// The migrations, in order: migration `n` takes the schema from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: the first schema.
    "CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        fetch_after INTEGER,
        error_count INTEGER NOT NULL DEFAULT 0,
        last_fetch INTEGER,
        last_status TEXT,
        last_error TEXT,
        gone INTEGER NOT NULL DEFAULT 0,
        full_text INTEGER NOT NULL DEFAULT 0,
        added INTEGER NOT NULL
    );
    CREATE TABLE feed_tags (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (feed_id, tag)
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        url TEXT,
        title TEXT NOT NULL,
        published TEXT,
        first_seen INTEGER NOT NULL,
        sort_key INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, guid)
    );
    CREATE TABLE bodies (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        captions TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX articles_newest ON articles (sort_key DESC, id DESC);
    CREATE INDEX articles_unread ON articles (read, sort_key DESC);
    CREATE INDEX articles_starred ON articles (starred, sort_key DESC);
    CREATE INDEX articles_feed ON articles (feed_id, sort_key DESC);",
    // 1 → 2: entries kept as fetched (`entry`, LZ4, made into an article when read); full
    // texts marked (`full_text`: 1 the page's text, 2 the page had none: not asked again), so
    // that a fetch of an edited entry does not put the feed's text back; each
    // headline's search key (`search::index::key`: its mask, and whether it needs folding), so
    // a start reads the index instead of building it (NULL for rows from version 1).
    "ALTER TABLE bodies ADD COLUMN entry BLOB;
    ALTER TABLE bodies ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN search_mask INTEGER;
    ALTER TABLE articles ADD COLUMN search_fold INTEGER;",
    // 2 → 3: the indexes of the articles newest first and of the unread ones go. Lists read
    // the table in its order and sort in memory (`Library::listing`), so no query walks them,
    // and every stored article updated both (2–3 % of a first fetch of 10,000).
    "DROP INDEX IF EXISTS articles_newest;
    DROP INDEX IF EXISTS articles_unread;",
    // 3 → 4: the starred articles' index keeps only them: a new article is not starred, so it
    // no longer adds to it; `--starred` still finds them by it.
    "DROP INDEX IF EXISTS articles_starred;
    CREATE INDEX articles_starred ON articles (starred) WHERE starred = 1;",
];

/// The oldest schema this build reads as it is: the migrations after it only drop or narrow
/// indexes, so a library of that schema that cannot be written (read-only, a full disk) is
/// read without them.
const READS_AS_IS: i64 = 2;

impl Library {
    /// Opens (creating it if need be) the library in `dir`, migrated to this build's schema.
    pub fn open(dir: &Path) -> Result<Library, LibraryError> {
        let path = dir.join(FILE);
        if !dir.exists() {
            create_private_dir(dir).map_err(|source| LibraryError::Dir { path: dir.display().to_string(), source })?;
        }
        match Library::open_writable(&path) {
            // A library we may not write (its file or folder, or a full disk): still one to
            // read. Its WAL index cannot be made, so it is read as immutable, as it is on disk.
            Err(LibraryError::Sql { error, .. }) if path.exists() => {
                use rusqlite::ErrorCode;
                match error.sqlite_error_code() {
                    Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen) => Library::open_read_only(&path, NOT_WRITABLE),
                    Some(ErrorCode::SystemIoFailure | ErrorCode::DiskFull) => Library::open_read_only(&path, DISK_FULL),
                    _ => Err(sql_error(&path, None)(error)),
                }
            }
            other => other,
        }
    }

    fn open_writable(path: &Path) -> Result<Library, LibraryError> {
        let sql = sql_error(path, None);
        let conn = Connection::open(path).map_err(sql)?;
        // Another process may be writing: wait for it rather than fail.
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(sql)?;
        let _ = conn.pragma_update(None, "page_size", PAGE_SIZE);
        // A read-only file (or disk) cannot switch to WAL: reading still works.
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        let library = Library::setup(conn, path, None)?;
        library.conn.pragma_update(None, "wal_autocheckpoint", library.autocheckpoint_pages()?).map_err(sql)?;
        Ok(library)
    }

    /// Opened only to read, `why` said when a change is refused.
    fn open_read_only(path: &Path, why: &'static str) -> Result<Library, LibraryError> {
        use rusqlite::OpenFlags;
        let name = path.display().to_string();
        let sql = sql_error(path, Some(why));
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let uri = url::Url::from_file_path(&absolute)
            .map_err(|_| LibraryError::Usage(format!("{name}: not a path SQLite can open")))?
            .to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(format!("{uri}?immutable=1"), flags).map_err(sql)?;
        Library::setup(conn, path, Some(why))
    }

    fn setup(conn: Connection, path: &Path, read_only: Option<&'static str>) -> Result<Library, LibraryError> {
        let sql = sql_error(path, read_only);
        // 8 MB of page cache: lists read the articles' table in its order, each page once
        // (`Library::listing`). The 64 MB that walking an index in the list's order needed held
        // every page read (100,000 headlines are about 20 MB), in fresh memory: 50 MB at the
        // peak instead of 44, and no faster (2 MB: 37 MB, as fast). Not a mapping: the kernel
        // maps neighbouring pages with each one touched, and bodies sit between headlines in
        // the file, so a mapped listing's memory grew tenfold.
        conn.pragma_update(None, "cache_size", -CACHE_KIB).map_err(sql)?;
        let mut library = Library { conn, path: path.to_path_buf(), read_only };
        library.migrate()?;
        Ok(library)
    }

    /// The library in `dir` if there is one (never creates it).
    pub fn open_existing(dir: &Path) -> Result<Option<Library>, LibraryError> {
        if dir.join(FILE).exists() { Library::open(dir).map(Some) } else { Ok(None) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, source: rusqlite::Error) -> LibraryError {
        sql_error(&self.path, self.read_only)(source)
    }

    fn migrate(&mut self) -> Result<(), LibraryError> {
        let version: i64 =
            self.conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|e| self.error(e))?;
        if version > SCHEMA_VERSION {
            return Err(LibraryError::Newer { path: self.path.display().to_string(), found: version });
        }
        if self.read_only.is_some() && version >= READS_AS_IS {
            return Ok(());
        }
        for (from, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let sql = sql_error(&self.path, self.read_only);
            let tx = self.conn.transaction().map_err(sql)?;
            tx.execute_batch(migration).map_err(sql)?;
            tx.pragma_update(None, "user_version", from as i64 + 1).map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
        Ok(())
    }

    /// The schema version of the file.
    pub fn schema_version(&self) -> Result<i64, LibraryError> {
        self.conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|e| self.error(e))
    }

    /// Subscribes to `url`. Errors if it is there already.
    pub fn add_feed(&mut self, url: &str, name: Option<&str>, tags: &[String]) -> Result<i64, LibraryError> {
        if self.find_feed(url)?.is_some() {
            return Err(LibraryError::Usage(format!("{url}: already subscribed")));
        }
        // Names and tags come from the command line and from lists made elsewhere: they are
        // printed and drawn, so they are stored as one clean line each.
        let name = name.and_then(label);
        let tx = self.conn.transaction().map_err(sql_error(&self.path, self.read_only))?;
        tx.execute("INSERT INTO feeds (url, name, added) VALUES (?1, ?2, ?3)", params![url, name, now()])
            .map_err(sql_error(&self.path, self.read_only))?;
        let id = tx.last_insert_rowid();
        for tag in tags.iter().filter_map(|tag| label(tag)) {
            tx.execute("INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?1, ?2)", params![id, tag])
                .map_err(sql_error(&self.path, self.read_only))?;
        }
        tx.commit().map_err(sql_error(&self.path, self.read_only))?;
        Ok(id)
    }

    /// Unsubscribes the feed with this URL or name, with its articles: how many articles went
    /// (starred ones too), or `None` if there is no such feed.
    pub fn remove_feed(&mut self, url_or_name: &str) -> Result<Option<usize>, LibraryError> {
        let Some(id) = self.find_feed(url_or_name)? else { return Ok(None) };
        let tx = self.conn.transaction().map_err(sql_error(&self.path, self.read_only))?;
        let articles: i64 = tx
            .query_row("SELECT COUNT(*) FROM articles WHERE feed_id = ?1", params![id], |row| row.get(0))
            .map_err(sql_error(&self.path, self.read_only))?;
        tx.execute("DELETE FROM feeds WHERE id = ?1", params![id]).map_err(sql_error(&self.path, self.read_only))?;
        tx.commit().map_err(sql_error(&self.path, self.read_only))?;
        Ok(Some(usize::try_from(articles).unwrap_or(0)))
    }

    /// The feed with this URL, or this name (the user's, else its title). A name that several
    /// feeds have is refused, naming their URLs: `remove` must not pick one of them at random.
    pub fn find_feed(&self, url_or_name: &str) -> Result<Option<i64>, LibraryError> {
        let found: Vec<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT id, url FROM feeds WHERE url = ?1 OR name = ?1 OR (name IS NULL AND title = ?1)
                 ORDER BY url = ?1 DESC, id",
            )
            .and_then(|mut statement| {
                statement.query_map(params![url_or_name], |row| Ok((row.get(0)?, row.get(1)?)))?.collect()
            })
            .map_err(|e| self.error(e))?;
        match found.as_slice() {
            [] => Ok(None),
            [(id, url), ..] if url == url_or_name => Ok(Some(*id)),
            [(id, _)] => Ok(Some(*id)),
            several => {
                let urls: Vec<&str> = several.iter().map(|(_, url)| url.as_str()).collect();
                Err(LibraryError::Usage(format!(
                    "{url_or_name}: {} subscriptions have this name; give the URL of one: {}",
                    several.len(),
                    urls.join(", ")
                )))
            }
        }
    }

    /// Every tag with the feeds that carry it (by the name `feeds` gives them), tags by name.
    pub fn tags(&self) -> Result<Vec<(String, Vec<String>)>, LibraryError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT t.tag, COALESCE(f.name, f.title, f.url) FROM feed_tags t JOIN feeds f ON f.id = t.feed_id
                 ORDER BY t.tag, f.id",
            )
            .map_err(|e| self.error(e))?;
        let pairs = statement
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
            .map_err(|e| self.error(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.error(e))?;
        let mut tags: Vec<(String, Vec<String>)> = Vec::new();
        for (tag, feed) in pairs {
            match tags.last_mut() {
                Some((last, feeds)) if *last == tag => feeds.push(feed),
                _ => tags.push((tag, vec![feed])),
            }
        }
        Ok(tags)
    }

    /// Has the library any subscription? (Cheaper than [`Library::feeds`], which counts.)
    pub fn has_feeds(&self) -> Result<bool, LibraryError> {
        self.conn.query_row("SELECT EXISTS (SELECT 1 FROM feeds)", [], |row| row.get(0)).map_err(|e| self.error(e))
    }

    /// Every subscription, in the order they were added, with its articles counted.
    pub fn feeds(&self) -> Result<Vec<FeedInfo>, LibraryError> {
        self.feeds_counting(true)
    }

    /// Every subscription, as [`Library::feeds`] but without counting articles (`articles` and
    /// `unread` are 0): what a fetch needs. Counting the unread articles of 100,000 reads every
    /// article's row: 30 ms of a fetch that has nothing else to do, which then takes 5 ms.
    pub fn feeds_to_fetch(&self) -> Result<Vec<FeedInfo>, LibraryError> {
        self.feeds_counting(false)
    }

    fn feeds_counting(&self, counts: bool) -> Result<Vec<FeedInfo>, LibraryError> {
        let counted = if counts {
            "(SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id),
             (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id AND a.read = 0)"
        } else {
            "0, 0"
        };
        let mut statement = self
            .conn
            .prepare(&format!(
                "SELECT f.id, COALESCE(f.name, f.title, f.url), f.url, f.last_fetch, f.last_status, f.last_error,
                        f.etag, f.last_modified, f.fetch_after, f.error_count, f.gone, f.full_text, {counted},
                        (SELECT group_concat(tag, char(10)) FROM (SELECT tag FROM feed_tags t WHERE t.feed_id = f.id ORDER BY tag))
                 FROM feeds f ORDER BY f.id"
            ))
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map([], |row| {
                let tags: Option<String> = row.get(14)?;
                Ok(FeedInfo {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    url: row.get(2)?,
                    last_fetch: row.get::<_, Option<i64>>(3)?.map(rfc3339),
                    last_status: row.get(4)?,
                    last_error: row.get(5)?,
                    etag: row.get(6)?,
                    last_modified: row.get(7)?,
                    fetch_after: row.get(8)?,
                    error_count: row.get(9)?,
                    gone: row.get(10)?,
                    full_text: row.get(11)?,
                    articles: row.get::<_, i64>(12)? as usize,
                    unread: row.get::<_, i64>(13)? as usize,
                    tags: tags.map(|t| t.split('\n').map(str::to_string).collect()).unwrap_or_default(),
                })
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// Stores articles: [`Library::store_incoming`] of each one's [`Incoming::article`].
    pub fn store(&mut self, feed: i64, articles: &[Article], record: &FetchRecord) -> Result<Stored, LibraryError> {
        let incoming: Vec<Incoming> = articles.iter().take(MAX_ENTRIES_PER_FETCH).map(Incoming::article).collect();
        self.store_incoming(feed, &incoming, articles.len(), record)
    }

    /// Stores a feed's articles (the first [`MAX_ENTRIES_PER_FETCH`]; `entries` is how many the
    /// feed had, for the notice when it had more) and the fetch's record, in one transaction: new
    /// ones inserted, changed ones updated in place (read and starred untouched, a full text
    /// kept), unchanged ones left alone.
    pub fn store_incoming(
        &mut self,
        feed: i64,
        articles: &[Incoming],
        entries: usize,
        record: &FetchRecord,
    ) -> Result<Stored, LibraryError> {
        let update = FeedUpdate { feed, articles: Some((articles, entries)), record };
        Ok(self.store_updates(&[update])?.pop().unwrap_or_default())
    }

    /// Stores what several feeds' fetches brought (as [`Library::store_incoming`] each), in one
    /// transaction, committed: [`Library::store_held`], then [`Library::commit_held`].
    pub fn store_updates(&mut self, updates: &[FeedUpdate<'_>]) -> Result<Vec<Stored>, LibraryError> {
        let stored = self.store_held(updates)?;
        self.commit_held()?;
        Ok(stored)
    }

    /// Stores what several feeds' fetches brought (as [`Library::store_incoming`] each) in the
    /// transaction a fetch holds open (begun here when none is) until [`Library::commit_held`]:
    /// a fetch commits a few times a second, not once a batch, since every commit writes again
    /// each index page it touched (one per feed wrote four times the library's size into the
    /// log). A failure rolls the transaction back.
    pub fn store_held(&mut self, updates: &[FeedUpdate<'_>]) -> Result<Vec<Stored>, LibraryError> {
        let sql = sql_error(&self.path, self.read_only);
        if self.conn.is_autocommit() {
            self.conn.execute_batch("BEGIN").map_err(&sql)?;
        }
        let mut stored = Vec::with_capacity(updates.len());
        for update in updates {
            let done = match update.articles {
                Some((articles, entries)) => store_feed(&self.conn, update.feed, articles, entries),
                None => Ok(Stored::default()),
            }
            // With its articles: a crash stores both the articles and the validators, or neither.
            .and_then(|done| write_record(&self.conn, update.feed, update.record).map(|()| done));
            match done {
                Ok(done) => stored.push(done),
                Err(err) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(sql(err));
                }
            }
        }
        Ok(stored)
    }

    /// Commits what [`Library::store_held`] stored, if anything waits.
    pub fn commit_held(&mut self) -> Result<(), LibraryError> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        let committed = self.conn.execute_batch("COMMIT");
        if committed.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        committed.map_err(|e| self.error(e))
    }

    /// The articles that pass `filter`, newest first (published, else first seen).
    pub fn rows(&self, filter: &Filter) -> Result<Vec<Row>, LibraryError> {
        let listing = self.listing(filter)?;
        Ok((0..listing.len()).map(|i| listing.row(i)).collect())
    }

    /// The articles that pass `filter`, newest first (published, else first seen; of one time,
    /// the later stored first), a column per field.
    pub fn listing(&self, filter: &Filter) -> Result<Listing, LibraryError> {
        // Read in the table's order and sorted here: walking the newest-first index looked up
        // every row in the table, one search each (a quarter of `list`'s time at 100,000).
        // Feeds are named from a table of their own, not joined row by row: both read in one
        // transaction, so that a feed another process adds meanwhile is in both or neither.
        let snapshot = if self.conn.is_autocommit() {
            Some(self.conn.unchecked_transaction().map_err(|e| self.error(e))?)
        } else {
            None
        };
        let names: hashbrown::HashMap<i64, Arc<str>> = self
            .conn
            .prepare("SELECT id, COALESCE(name, title, url) FROM feeds")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, Arc::from(r.get::<_, String>(1)?))))?.collect())
            .map_err(|e| self.error(e))?;
        let mut sql = String::from(
            "SELECT a.id, a.feed_id, a.title, a.guid, a.read, a.starred, a.search_mask, a.search_fold, a.sort_key
             FROM articles a WHERE 1",
        );
        // `+`: not by the index of unread articles (or of dates). Walking an index looks each
        // row up in the table: with every article unread, 0.15 s where the scan takes 0.10 s;
        // with 1 % unread, the scan takes the same as the index (17 ms).
        if filter.unread {
            sql.push_str(" AND +a.read = 0");
        }
        if filter.starred {
            sql.push_str(" AND a.starred = 1");
        }
        if filter.feed.is_some() {
            sql.push_str(
                " AND a.feed_id IN (SELECT f.id FROM feeds f
                                    WHERE f.url = ?1 OR f.name = ?1 OR (f.name IS NULL AND f.title = ?1))",
            );
        }
        if filter.tag.is_some() {
            sql.push_str(" AND a.feed_id IN (SELECT t.feed_id FROM feed_tags t WHERE t.tag = ?2)");
        }
        if filter.since.is_some() {
            sql.push_str(" AND +a.sort_key >= ?3");
        }
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.error(e))?;
        let feed = filter.feed.clone().unwrap_or_default();
        let tag = filter.tag.clone().unwrap_or_default();
        let since = filter.since.unwrap_or(0);
        let mut params: Vec<&dyn rusqlite::ToSql> = Vec::new();
        // Numbered parameters: bind the ones the statement names, in order.
        let count = statement.parameter_count();
        for (i, value) in [&feed as &dyn rusqlite::ToSql, &tag, &since].into_iter().enumerate() {
            if i < count {
                params.push(value);
            }
        }
        // In the table's order first: then each column is put in the list's order.
        let (mut titles, mut guids) = (Texts::default(), Texts::default());
        let mut table = Listing::default();
        let mut keys: Vec<Option<(u64, bool)>> = Vec::new();
        let mut order: Vec<(i64, i64, usize)> = Vec::new();
        fn text<'a>(row: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
            let value = row.get_ref(i)?;
            value.as_str().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), e.into()))
        }
        let mut rows = statement.query(params.as_slice()).map_err(|e| self.error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.error(e))? {
            let mut read = || -> rusqlite::Result<()> {
                let id: i64 = row.get(0)?;
                order.push((row.get(8)?, id, order.len()));
                table.ids.push(id);
                table.feeds.push(names.get(&row.get::<_, i64>(1)?).cloned().unwrap_or_else(|| Arc::from("")));
                titles.push(text(row, 2)?);
                guids.push(text(row, 3)?);
                table.read.push(row.get(4)?);
                table.starred.push(row.get(5)?);
                keys.push(match (row.get::<_, Option<i64>>(6)?, row.get::<_, Option<bool>>(7)?) {
                    // The mask's 64 bits, kept in SQLite's signed integer.
                    (Some(mask), Some(fold)) => Some((mask as u64, fold)),
                    _ => None,
                });
                Ok(())
            };
            read().map_err(|e| self.error(e))?;
        }
        order.sort_unstable_by(|a, b| b.cmp(a));
        let mut listing = Listing {
            titles: Texts::with_capacity(order.len(), titles.bytes()),
            guids: Texts::with_capacity(order.len(), guids.bytes()),
            search_keys: keys.iter().all(Option::is_some).then(|| Vec::with_capacity(order.len())),
            ..Listing::default()
        };
        for &(_, id, i) in &order {
            listing.ids.push(id);
            listing.titles.push(titles.get(i));
            listing.guids.push(guids.get(i));
            listing.feeds.push(Arc::clone(&table.feeds[i]));
            listing.read.push(table.read[i]);
            listing.starred.push(table.starred[i]);
            if let (Some(sorted), Some(key)) = (&mut listing.search_keys, keys[i]) {
                sorted.push(key);
            }
        }
        drop(rows);
        drop(statement);
        if let Some(snapshot) = snapshot {
            snapshot.commit().map_err(|e| self.error(e))?;
        }
        Ok(listing)
    }

    /// Article `id` whole.
    pub fn article(&self, id: i64) -> Result<Article, LibraryError> {
        self.conn
            .query_row(
                "SELECT a.guid, a.title, a.url, a.published, COALESCE(f.name, f.title, f.url), b.captions, b.body,
                        b.entry
                 FROM articles a JOIN feeds f ON f.id = a.feed_id LEFT JOIN bodies b ON b.article_id = a.id
                 WHERE a.id = ?1",
                params![id],
                |row| {
                    let captions: Option<String> = row.get(5)?;
                    let body: Option<String> = row.get(6)?;
                    if let Some(entry) = row.get::<_, Option<Vec<u8>>>(7)? {
                        return Ok(restore(&entry, row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?));
                    }
                    Ok(Article {
                        id: row.get(0)?,
                        title: row.get(1)?,
                        url: row.get(2)?,
                        published: row.get(3)?,
                        source: row.get(4)?,
                        captions: captions
                            .and_then(|c| serde_json::from_str::<Vec<Caption>>(&c).ok())
                            .unwrap_or_default(),
                        body: body
                            .and_then(|b| serde_json::from_str::<Vec<String>>(&b).ok())
                            .unwrap_or_default()
                            .into_iter()
                            .map(std::borrow::Cow::Owned)
                            .collect(),
                    })
                },
            )
            .map_err(|e| self.error(e))
            // Text from the file is made safe like every input: the file is not trusted either.
            .map(crate::source::json::clean)
    }

    /// Turns getting full articles on or off for a feed (by URL or name); false if there is none.
    pub fn set_full_text(&mut self, url_or_name: &str, on: bool) -> Result<bool, LibraryError> {
        let Some(id) = self.find_feed(url_or_name)? else { return Ok(false) };
        self.conn
            .execute("UPDATE feeds SET full_text = ?2 WHERE id = ?1", params![id, on])
            .map_err(|e| self.error(e))?;
        Ok(true)
    }

    /// Articles of full-text feeds whose page has not been read yet (nor given up on), newest
    /// first, at most `limit`: their ids and URLs.
    pub fn wanting_full_text(&self, limit: usize) -> Result<Vec<(i64, String)>, LibraryError> {
        let mut statement = self
            .conn
            // The full-text feeds' articles by their feed's index, then sorted: joined the other
            // way, SQLite walked every article newest first to find them (a quarter of a second
            // on 100,000 articles, at every fetch, with no full-text feed at all).
            .prepare(
                "SELECT a.id, a.url FROM articles a LEFT JOIN bodies b ON b.article_id = a.id
                 WHERE a.feed_id IN (SELECT id FROM feeds WHERE full_text = 1)
                   AND a.url IS NOT NULL AND COALESCE(b.full_text, 0) = 0
                 ORDER BY a.sort_key DESC, a.id DESC LIMIT ?1",
            )
            .map_err(|e| self.error(e))?;
        let rows = statement
            .query_map(params![limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.error(e))
    }

    /// An article whose page has no article to read (or is gone): not asked for again, unless
    /// its entry changes. Its feed's text stays.
    pub fn full_text_failed(&mut self, id: i64) -> Result<(), LibraryError> {
        self.conn
            .execute("UPDATE bodies SET full_text = 2 WHERE article_id = ?1 AND full_text = 0", params![id])
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Keeps an article's full text (from its web page) in place of the feed's, for reading
    /// offline; a later fetch of an unchanged entry leaves it.
    pub fn store_full_text(&mut self, id: i64, article: &Article) -> Result<(), LibraryError> {
        let (captions, body, _) = stored_text(article);
        self.conn
            .execute(
                "INSERT OR REPLACE INTO bodies (article_id, captions, body, entry, full_text) VALUES (?1, ?2, ?3, NULL, 1)",
                params![id, captions, body],
            )
            .map_err(|e| self.error(e))?;
        Ok(())
    }

    /// Sets a mark on articles, in one transaction.
    pub fn mark(&mut self, ids: &[i64], mark: Mark) -> Result<(), LibraryError> {
        let sql = sql_error(&self.path, self.read_only);
        let statement = match mark {
            Mark::Read => "UPDATE articles SET read = 1 WHERE id = ?1",
            Mark::Unread => "UPDATE articles SET read = 0 WHERE id = ?1",
            Mark::Star => "UPDATE articles SET starred = 1 WHERE id = ?1",
            Mark::Unstar => "UPDATE articles SET starred = 0 WHERE id = ?1",
        };
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut update = tx.prepare_cached(statement).map_err(sql)?;
            for id in ids {
                update.execute(params![id]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Many writes to come (a fetch): the write-ahead log is copied into the file once at the
    /// end ([`Library::end_bulk`]) instead of every 4 MB, which copied the indexes' pages again
    /// and again. Readers are not held up either way.
    pub fn begin_bulk(&self) -> Result<(), LibraryError> {
        self.conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB).map_err(|e| self.error(e))?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0).map_err(|e| self.error(e))
    }

    /// [`AUTOCHECKPOINT_BYTES`] in this library's pages.
    fn autocheckpoint_pages(&self) -> Result<i64, LibraryError> {
        let page: i64 = self.conn.pragma_query_value(None, "page_size", |row| row.get(0)).map_err(|e| self.error(e))?;
        Ok(AUTOCHECKPOINT_BYTES / page.max(512))
    }

    /// The end of [`Library::begin_bulk`]: one checkpoint, and the usual ones from then on.
    pub fn end_bulk(&self) -> Result<(), LibraryError> {
        self.conn.pragma_update(None, "wal_autocheckpoint", self.autocheckpoint_pages()?).map_err(|e| self.error(e))?;
        self.conn.pragma_update(None, "cache_size", -CACHE_KIB).map_err(|e| self.error(e))?;
        // PASSIVE: what readers still use stays in the log for the next checkpoint.
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).map_err(|e| self.error(e))
    }

    /// Copies what the log holds into the library file, from a connection of its own (another
    /// thread may go on writing meanwhile): a fetch starts this when a third of its feeds are
    /// left to store, so that the final checkpoint has only the last ones left to copy.
    pub fn checkpoint_beside(path: &Path) -> Result<(), LibraryError> {
        let conn = Connection::open(path).map_err(sql_error(path, None))?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(sql_error(path, None))?;
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())).map_err(sql_error(path, None))
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub fn integrity(&self) -> Result<String, LibraryError> {
        self.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).map_err(|e| self.error(e))
    }
}

/// A feed's name or a tag as stored: without escape sequences or control characters, its
/// whitespace (line breaks too) collapsed to single spaces; `None` when nothing is left.
fn label(text: &str) -> Option<String> {
    let label = crate::source::html::collapse(&crate::sanitize::sanitize(text));
    (!label.is_empty()).then_some(label)
}

/// One feed's articles, stored in the transaction `tx` (see [`Library::store_incoming`]).
fn store_feed(tx: &Connection, feed: i64, articles: &[Incoming], entries: usize) -> rusqlite::Result<Stored> {
    let mut stored = Stored::default();
    if entries > MAX_ENTRIES_PER_FETCH {
        stored.notices.push(format!("{entries} entries, the first {MAX_ENTRIES_PER_FETCH} stored (a cap per fetch)"));
    }
    let seen = now();
    {
        let mut existing =
            tx.prepare_cached("SELECT id, content_hash FROM articles WHERE feed_id = ?1 AND guid = ?2")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO articles (feed_id, guid, url, title, published, first_seen, sort_key, content_hash,
                                   search_mask, search_fold)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut rehash = tx.prepare_cached("UPDATE articles SET content_hash = ?2 WHERE id = ?1")?;
        let mut update = tx.prepare_cached(
            "UPDATE articles SET url = ?2, title = ?3, published = ?4, content_hash = ?5,
                        sort_key = COALESCE(?6, first_seen), search_mask = ?7, search_fold = ?8 WHERE id = ?1",
        )?;
        // A full text (from the article's page) stays: the feed's text is the lesser one.
        let mut body = tx.prepare_cached(
            "INSERT INTO bodies (article_id, captions, body, entry) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (article_id) DO UPDATE
                 SET captions = excluded.captions, body = excluded.body, entry = excluded.entry, full_text = 0
                 WHERE full_text != 1",
        )?;
        // A feed with nothing stored yet (its first fetch) has nothing to look up: only an id
        // that repeats within this fetch can be found.
        let fresh = !tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM articles WHERE feed_id = ?1)")?
            .query_row([feed], |r| r.get::<_, bool>(0))?;
        let mut seen_ids: hashbrown::HashSet<&str> = hashbrown::HashSet::new();
        let mut cut = 0;
        for article in articles.iter().take(MAX_ENTRIES_PER_FETCH) {
            let published = article.published_at;
            let (mask, fold) = (article.search_key.0 as i64, article.search_key.1);
            let hash = &article.hash;
            cut += usize::from(article.cut);
            let found: Option<(i64, String)> = if fresh && seen_ids.insert(&article.id) {
                None
            } else {
                existing.query_row(params![feed, article.id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?
            };
            let id = match found {
                Some((_, old)) if old == *hash => continue,
                // Hashed by an older build (schema 1 hashed the converted text; "2:" the entry
                // with its summary): the entry is the same article unless it changes from now
                // on. Its text (perhaps a full text fetched with `f`, which schema 1 did not
                // mark) stays; only the hash is brought up to date.
                Some((id, old)) if !old.starts_with(HASH_PREFIX) => {
                    rehash.execute(params![id, hash])?;
                    continue;
                }
                Some((id, _)) => {
                    update.execute(params![
                        id,
                        article.url,
                        article.title,
                        article.published,
                        hash,
                        published,
                        mask,
                        fold
                    ])?;
                    stored.changed += 1;
                    id
                }
                None => {
                    insert.execute(params![
                        feed,
                        article.id,
                        article.url,
                        article.title,
                        article.published,
                        seen,
                        published.unwrap_or(seen),
                        hash,
                        mask,
                        fold
                    ])?;
                    stored.new += 1;
                    tx.last_insert_rowid()
                }
            };
            match &article.text {
                Text::Converted { captions, body: text } => body.execute(params![id, captions, text, None::<Vec<u8>>]),
                Text::Entry(entry) => body.execute(params![id, "", "", entry]),
            }?;
        }
        if cut > 0 {
            stored
                .notices
                .push(format!("{cut} article(s) longer than {} cut", crate::source::size(MAX_TEXT_BYTES as u64)));
        }
        // The cap per feed: the oldest read, unstarred articles beyond it go.
        let removed = tx
            .prepare_cached(
                "DELETE FROM articles WHERE id IN (
                    SELECT id FROM articles WHERE feed_id = ?1 AND starred = 0
                    ORDER BY read DESC, sort_key ASC, id ASC
                    LIMIT MAX(0, (SELECT COUNT(*) FROM articles WHERE feed_id = ?1) - ?2))",
            )?
            .execute(params![feed, MAX_ARTICLES_PER_FEED as i64])?;
        if removed > 0 {
            stored.notices.push(format!(
                "{removed} old article(s) removed (a feed keeps at most {MAX_ARTICLES_PER_FEED}; starred ones stay)"
            ));
        }
    }
    Ok(stored)
}

/// What a fetch left to remember about a feed.
#[derive(Debug, Clone, Default)]
pub struct FetchRecord {
    /// `200`, `304`, `HTTP 404`, …
    pub status: Option<String>,
    /// The failure's message; `None` when the fetch worked.
    pub error: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Unix seconds before which not to fetch again.
    pub fetch_after: Option<i64>,
    pub gone: bool,
    /// A permanent redirect's target: the feed's new URL.
    pub new_url: Option<String>,
    pub title: Option<String>,
}

/// Writes what a fetch left to remember about a feed.
fn write_record(conn: &Connection, feed: i64, outcome: &FetchRecord) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE feeds SET last_fetch = ?2, last_status = ?3, last_error = ?4,
                etag = COALESCE(?5, etag), last_modified = COALESCE(?6, last_modified),
                fetch_after = ?7, error_count = CASE WHEN ?4 IS NULL THEN 0 ELSE error_count + 1 END,
                gone = gone OR ?8, url = COALESCE(?9, url), title = COALESCE(?10, title)
         WHERE id = ?1",
    )?
    .execute(params![
        feed,
        now(),
        outcome.status,
        outcome.error,
        outcome.etag,
        outcome.last_modified,
        outcome.fetch_after,
        outcome.gone,
        outcome.new_url,
        outcome.title
    ])?;
    Ok(())
}

/// Hashes of stored text start so: the hash's own version, not the schema's. Schema 1 hashed
/// the converted text, without a prefix; "2:" hashed entries stored with their summary beside
/// their content.
const HASH_PREFIX: &str = "3:";

/// A hash of an article's stored text, to tell an edited entry from an unchanged one: FNV-1a
/// taken eight bytes at a time (fixed by this code, so stable across builds and platforms; a
/// fetch hashes tens of megabytes, which byte-wise FNV made a tenth of its time).
fn content_hash<'a>(parts: impl Iterator<Item = &'a [u8]>) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    let mut mix = |word: u64| {
        hash ^= word;
        hash = hash.wrapping_mul(PRIME);
    };
    for bytes in parts {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            mix(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let mut tail = [0u8; 8];
        tail[..words.remainder().len()].copy_from_slice(words.remainder());
        mix(u64::from_le_bytes(tail));
        // The part's length ends it: ("ab", "c") and ("a", "bc") differ.
        mix(bytes.len() as u64);
    }
    format!("{HASH_PREFIX}{hash:016x}")
}

/// An article as a fetch hands it to the library, made ready on the fetch's workers (converted
/// or compressed, hashed) so that the library's thread only writes.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    /// RFC 3339 UTC.
    pub published: Option<String>,
    /// `published` in Unix seconds.
    published_at: Option<i64>,
    /// Its headline's search key (`search::index::key`).
    search_key: (u64, bool),
    /// Of everything shown of it: an edit to any of it is an edit.
    hash: String,
    text: Text,
    /// Its text was cut at [`MAX_TEXT_BYTES`].
    cut: bool,
}

/// An article's text as stored.
#[derive(Debug, Clone)]
enum Text {
    /// Captions and paragraphs, as JSON.
    Converted { captions: String, body: String },
    /// The feed's entry as fetched (`source::saved`), LZ4-compressed with its length first.
    Entry(Vec<u8>),
}

impl Incoming {
    /// A whole article.
    pub fn article(article: &Article) -> Incoming {
        let (captions, body, cut) = stored_text(article);
        let fields = [&article.title, article.url.as_deref().unwrap_or(""), article.published.as_deref().unwrap_or("")];
        let hash = content_hash(fields.iter().chain([&captions.as_str(), &body.as_str()]).map(|f| f.as_bytes()));
        Incoming {
            id: article.id.clone(),
            title: article.title.clone(),
            url: article.url.clone(),
            published_at: timestamp(article.published.as_deref()),
            published: article.published.clone(),
            search_key: crate::search::index::key(&article.title),
            hash,
            text: Text::Converted { captions, body },
            cut,
        }
    }

    /// The articles of a collection a fetch stores (the first [`MAX_ENTRIES_PER_FETCH`]): feed
    /// entries as fetched when the loader kept them so (and they are under
    /// [`MAX_TEXT_BYTES`]), the others converted.
    pub fn all(collection: &Collection) -> Vec<Incoming> {
        (0..collection.len().min(MAX_ENTRIES_PER_FETCH))
            .map(|i| match collection.saved(i) {
                Some(saved) if saved.bytes.len() <= MAX_TEXT_BYTES => Incoming::saved(collection, i, saved),
                _ => Incoming::article(&collection.article(i)),
            })
            .collect()
    }

    fn saved(collection: &Collection, i: usize, saved: Saved<'_>) -> Incoming {
        let title = collection.title(i).to_string();
        let fields = [title.as_str(), saved.url.as_deref().unwrap_or(""), saved.published.as_deref().unwrap_or("")];
        let hash = content_hash(fields.iter().map(|f| f.as_bytes()).chain([saved.bytes]));
        Incoming {
            id: collection.id(i).to_string(),
            search_key: crate::search::index::key(&title),
            title,
            url: saved.url,
            published_at: timestamp(saved.published.as_deref()),
            published: saved.published,
            hash,
            text: Text::Entry(lz4_flex::compress_prepend_size(saved.bytes)),
            cut: false,
        }
    }
}

/// A date as Unix seconds (RFC 3339, or what `source::date` reads).
fn timestamp(date: Option<&str>) -> Option<i64> {
    date.and_then(crate::source::date::parse).map(|d| d.timestamp())
}

/// An article from an entry kept as fetched, with the row's fields; one that does not read
/// back (a damaged file) says so in place of its text.
fn restore(
    entry: &[u8],
    guid: String,
    title: String,
    url: Option<String>,
    published: Option<String>,
    feed: String,
) -> Article {
    // The length first: more than an entry may be is a damaged file, not an allocation.
    let claimed = entry.get(..4).map_or(usize::MAX, |n| u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize);
    let restored = (claimed <= MAX_TEXT_BYTES)
        .then(|| lz4_flex::decompress_size_prepended(entry).ok())
        .flatten()
        .and_then(|bytes| crate::source::saved::restore(&bytes, Some(&feed)));
    let mut article = restored.unwrap_or_else(|| {
        Article::new(String::new(), Vec::new(), vec!["This article's text could not be read from the library.".into()])
    });
    article.id = guid;
    article.title = title;
    article.url = url;
    article.published = published;
    article.source = Some(feed);
    article
}

/// An article's captions and body as stored (JSON), cut at [`MAX_TEXT_BYTES`]; whether it was.
fn stored_text(article: &Article) -> (String, String, bool) {
    let captions = serde_json::to_string(&article.captions).unwrap_or_else(|_| "[]".into());
    let mut body: Vec<&str> = Vec::new();
    let mut used = captions.len();
    let mut cut = captions.len() > MAX_TEXT_BYTES;
    for paragraph in &article.body {
        if used + paragraph.len() > MAX_TEXT_BYTES {
            cut = true;
            break;
        }
        used += paragraph.len();
        body.push(paragraph);
    }
    let captions = if captions.len() > MAX_TEXT_BYTES { "[]".to_string() } else { captions };
    (captions, serde_json::to_string(&body).unwrap_or_else(|_| "[]".into()), cut)
}

/// A directory only its owner can read (the library holds what the user reads).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}
