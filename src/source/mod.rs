//! Loading collections: from files, directories, standard input or the bundled assets.
//!
//! Errors name the file and, where it applies, the place in it, so that a user can fix the input.

pub mod cache;
pub mod date;
pub mod decode;
pub mod dump;
pub mod feed;
pub mod html;
pub mod json;
pub mod jsonfeed;
pub mod opml;
pub mod page;
pub mod saved;
pub mod scan;
pub mod urls;
pub mod xml;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::article::Article;
use crate::collection::{Collection, Texts};

/// The seed collection, built into the binary so that `broadsheet` works from any directory.
pub const BUNDLED: &str = include_str!("../../assets/articles.txt");

/// What the user named on the command line: a file, a directory, or `-` for standard input.
pub const STDIN_ARG: &str = "-";

/// Fewer articles than this are handled on the thread that has them, not on every core. A fetch
/// parses a feed of 50 entries on each of its workers: handing each such feed to rayon's pool and
/// back (three times a feed) cost more than the work, and the pool's threads spun while waiting
/// for the next one (`wait_until_cold`, 3-4 % of a fetch's CPU).
pub(crate) const SEQUENTIAL_BELOW: usize = 2048;

/// The most read of one input, or of one response, unless the user says otherwise
/// (`--max-size`): what a pipe, a device or a server sends is not known in advance, and could be
/// endless (`/dev/zero`, a gzip bomb). A file on disk is read whatever its size: its size is
/// known, and a large JSON collection is mapped, not read.
pub const DEFAULT_MAX_SIZE: u64 = 32 << 20;

/// `32 MiB`, `512 KiB`, `100 bytes`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// A load failure, naming the input.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The cause is the error's source, not part of its message: `{:#}` (anyhow) prints both.
    #[error("{name}: cannot read")]
    Io { name: String, source: std::io::Error },
    #[error("{name}: invalid UTF-8 at byte {offset} (line {line}); expected UTF-8 text")]
    Utf8 { name: String, offset: usize, line: usize },
    #[error("{name}:{line}:{column}: invalid JSON: {message}")]
    Json { name: String, line: usize, column: usize, message: String },
    #[error("{name}: no .txt, .json or feed (.xml, .rss, .atom, .rdf) files in this directory")]
    EmptyDirectory { name: String },
    #[error("{name}: no articles found; expected a news dump or a JSON collection")]
    NoArticles { name: String },
    #[error("{name}: UTF-16 text; Broadsheet reads UTF-8 (convert it: iconv -f UTF-16 -t UTF-8 {name})")]
    Utf16 { name: String },
    #[error("{name}: article {number} has an empty title; every article needs a headline")]
    EmptyTitle { name: String, number: usize },
    /// A feed, OPML file or page that cannot be read; the message says why.
    #[error("{name}: {message}")]
    Feed { name: String, message: String },
    #[error("{name}: more than {} from a pipe or a device (--max-size); a file on disk has no limit", size(*.limit))]
    TooLarge { name: String, limit: u64 },
}

impl LoadError {
    /// The message without the input's name before it: for callers that name the input
    /// themselves (a URL's failure, `URL: reason`).
    pub fn reason(&self) -> String {
        let name = match self {
            LoadError::Io { name, .. }
            | LoadError::Utf8 { name, .. }
            | LoadError::Json { name, .. }
            | LoadError::EmptyDirectory { name }
            | LoadError::NoArticles { name }
            | LoadError::Utf16 { name }
            | LoadError::EmptyTitle { name, .. }
            | LoadError::Feed { name, .. }
            | LoadError::TooLarge { name, .. } => name,
        };
        let message = self.to_string();
        // `name: reason`; a JSON error's `name:line:column: …` keeps its place with its name.
        match message.strip_prefix(name.as_str()).and_then(|rest| rest.strip_prefix(": ")) {
            Some(reason) => reason.to_string(),
            None => message,
        }
    }
}

/// The formats a file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The plain-text news dump (the seed).
    Dump,
    /// The canonical JSON collection.
    Json,
    /// JSON Feed 1.0 / 1.1.
    JsonFeed,
    /// XML: RSS, Atom or OPML (which one, the root element says).
    Xml,
}

impl Format {
    /// By content: `<` starts XML (in any encoding with a byte-order mark), `{` or `[` JSON (a JSON
    /// Feed when its version says so), anything else a dump. An empty file goes by extension.
    pub fn detect(path: Option<&Path>, head: &[u8]) -> Format {
        let text = decode::decode(&head[..head.len().min(1024)], None).text;
        let text = text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
        match text.chars().next() {
            Some('<') => Format::Xml,
            Some('{' | '[') if jsonfeed::is_json_feed(head) => Format::JsonFeed,
            Some('{' | '[') => Format::Json,
            Some(_) => Format::Dump,
            None => match path.and_then(Path::extension).and_then(|e| e.to_str()) {
                Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
                _ => Format::Dump,
            },
        }
    }
}

/// What one input held: articles, or (an OPML file) a list of feeds to fetch.
#[derive(Debug)]
pub enum Document {
    /// Feeds' entries are converted when opened (see [`Collection::pending`]).
    Articles {
        articles: Collection,
        notices: Vec<String>,
    },
    Opml(Vec<feed::Outline>),
}

/// Parses a feed, an OPML list, a JSON collection or a dump; `origin` is the URL it came from
/// and `charset` the one its server declared, if any. Feeds are decoded from any charset (bad
/// bytes replaced and counted); dumps and JSON collections must be UTF-8.
pub fn parse_document(
    name: &str,
    bytes: &[u8],
    origin: Option<&url::Url>,
    charset: Option<&str>,
) -> Result<Document, LoadError> {
    let format = Format::detect(None, bytes);
    if !matches!(format, Format::Xml | Format::JsonFeed) {
        return parse_bytes(name, None, bytes)
            .map(|articles| Document::Articles { articles: Collection::from(articles), notices: Vec::new() });
    }
    let decoded = decode::decode(bytes, charset);
    let mut notices = Vec::new();
    if decoded.replaced > 0 {
        notices.push(format!(
            "{name}: {} invalid byte sequence(s) in {} text replaced with \u{fffd}",
            decoded.replaced, decoded.encoding
        ));
    }
    let feed_error = |message: String| LoadError::Feed { name: name.to_string(), message };
    if format == Format::Xml && page::is_html(&decoded.text) {
        // A web page: its article, by the reader view.
        let article = page::parse(&decoded.text, origin).map_err(feed_error)?;
        return Ok(Document::Articles { articles: Collection::from(vec![article]), notices });
    }
    let feed = if format == Format::JsonFeed {
        jsonfeed::parse(&decoded.text, origin).map_err(|err| json_error(name, &err))?
    } else {
        match feed::parse_xml(&decoded.text, origin).map_err(feed_error)? {
            feed::XmlDocument::Opml(outlines) if outlines.is_empty() => {
                return Err(feed_error("an OPML file without any feed (no outline has an xmlUrl)".into()));
            }
            feed::XmlDocument::Opml(outlines) => return Ok(Document::Opml(outlines)),
            feed::XmlDocument::Feed(feed) => *feed,
        }
    };
    notices.extend(feed.notices.into_iter().map(|notice| format!("{name}: {notice}")));
    if feed.articles.is_empty() {
        return Err(feed_error("the feed has no entries".into()));
    }
    Ok(Document::Articles { articles: feed.articles, notices })
}

/// Loads every input in order into one collection; no inputs means the bundled collection.
pub fn load(inputs: &[PathBuf]) -> Result<Collection, LoadError> {
    load_with_notices(inputs, None).map(|(collection, _)| collection)
}

/// [`load`], with notices for the user about what was loaded: duplicate articles (the same id)
/// are kept once, and each input with duplicates is named. With a `cache` directory, large JSON
/// files are read through the headline cache (see [`cache`]).
pub fn load_with_notices(inputs: &[PathBuf], cache: Option<&Path>) -> Result<(Collection, Vec<String>), LoadError> {
    let collection = load_all(inputs, cache)?;
    Ok(without_duplicates(collection))
}

/// Keeps the first article of each id.
pub fn without_duplicates(mut collection: Collection) -> (Collection, Vec<String>) {
    // Those its loader left out already (a file's headline cache holds its collection without them).
    let mut dropped = collection.duplicates_dropped();
    if !collection.has_unique_ids() {
        dropped += drop_repeated(&mut collection);
    }
    (collection, duplicates_notice(dropped).into_iter().collect())
}

/// What the user is told when `dropped` articles were left out for repeating an earlier id.
pub fn duplicates_notice(dropped: usize) -> Option<String> {
    (dropped > 0).then(|| format!("{dropped} duplicate article(s) (same id as an earlier one) were left out"))
}

/// Leaves out every article whose id an earlier one has; how many. The search keys stay.
fn drop_repeated(collection: &mut Collection) -> usize {
    let repeated = repeated_ids(collection.ids());
    crate::timing::phase("ids: repeats found");
    if !repeated.is_empty() {
        let mut keep = vec![true; collection.len()];
        for &i in &repeated {
            keep[i] = false;
        }
        collection.retain(&keep);
    }
    repeated.len()
}

/// The articles whose id an earlier article has. On every core: ids are split into shards by
/// hash, and each shard is looked at in collection order (so "earlier" holds within it). The
/// tables hold article numbers, not ids: a million articles cost no allocation per id.
pub(crate) fn repeated_ids(ids: &Texts) -> Vec<usize> {
    use rayon::prelude::*;
    use std::hash::BuildHasher;

    if ids.len() < SEQUENTIAL_BELOW {
        let mut seen = hashbrown::HashSet::with_capacity(ids.len());
        return (0..ids.len()).filter(|&i| !seen.insert(ids.get(i))).collect();
    }
    let state = id_hasher();
    let hashes: Vec<u64> = (0..ids.len()).into_par_iter().map(|i| state.hash_one(ids.get(i))).collect();
    repeated_by_hash(&hashes, &|i| ids.get(i))
}

/// The hasher of ids for [`repeated_by_hash`]: hashbrown's default (foldhash), several times
/// faster than std's SipHash, and seeded per process: ids come from files, but a collision
/// attack could only slow the search for repeats.
pub(crate) fn id_hasher() -> hashbrown::DefaultHashBuilder {
    hashbrown::DefaultHashBuilder::default()
}

/// [`repeated_ids`] from every id's hash (by one [`id_hasher`]) and the ids themselves.
pub(crate) fn repeated_by_hash<'a>(hashes: &[u64], id: &(dyn Fn(usize) -> &'a str + Sync)) -> Vec<usize> {
    use hashbrown::HashTable;
    use rayon::prelude::*;

    // Shards small enough for their tables to stay in a core's cache (about 16k ids each). The
    // shard comes from the hash's top bits; the table uses the low ones.
    let shards = (hashes.len() >> 14).next_power_of_two().clamp(1, 1 << 10);
    let shard_of = |hash: u64| (hash >> 40) as usize & (shards - 1);
    // Each shard's article numbers, in collection order (so "earlier" holds within a shard),
    // sorted out in one pass per piece of the collection, on every core.
    let pieces = rayon::current_num_threads();
    let piece_len = hashes.len().div_ceil(pieces).max(1);
    let sorted: Vec<Vec<Vec<u32>>> = hashes
        .par_chunks(piece_len)
        .enumerate()
        .map(|(k, chunk)| {
            let mut by_shard = vec![Vec::new(); shards];
            for (i, &hash) in chunk.iter().enumerate() {
                by_shard[shard_of(hash)].push(u32::try_from(k * piece_len + i).expect("fewer than 2^32 articles"));
            }
            by_shard
        })
        .collect();
    let mut repeated: Vec<usize> = (0..shards)
        .into_par_iter()
        .flat_map_iter(|shard| {
            let members = sorted.iter().flat_map(|piece| &piece[shard]).map(|&i| i as usize);
            // Sized for a shard's share and some: growing a table rehashes all it holds.
            let mut seen = HashTable::<usize>::with_capacity(hashes.len() / shards * 5 / 4 + 16);
            let mut repeated = Vec::new();
            for i in members {
                // Ids are looked up only for equal hashes: nearly always a repeat.
                let hash = hashes[i];
                if seen.find(hash, |&j| hashes[j] == hash && id(j) == id(i)).is_some() {
                    repeated.push(i);
                } else {
                    seen.insert_unique(hash, i, |&j| hashes[j]);
                }
            }
            repeated
        })
        .collect();
    repeated.sort_unstable();
    repeated
}

fn load_all(inputs: &[PathBuf], cache: Option<&Path>) -> Result<Collection, LoadError> {
    if inputs.is_empty() {
        return Ok(bundled());
    }
    let mut collection = Collection::default();
    for input in inputs {
        match open_input(input, cache, DEFAULT_MAX_SIZE)? {
            (Opened::Collection(part), _) => collection.append(part),
            (Opened::Opml(_), _) => {
                return Err(LoadError::Feed {
                    name: input.display().to_string(),
                    message: "an OPML list of feeds, which only the browser and list/search/show fetch".into(),
                });
            }
        }
    }
    Ok(collection)
}

/// Opens one input named on the command line that is not a URL: a file, a directory (its
/// files in name order) or `-` for standard input.
pub fn open_input(input: &Path, cache: Option<&Path>, limit: u64) -> Result<(Opened, Vec<String>), LoadError> {
    if input.as_os_str() == STDIN_ARG {
        let mut bytes = Vec::new();
        let name = "<stdin>".to_string();
        read_rest(&mut std::io::stdin(), &mut bytes, limit, &name)?;
        return Ok(match parse_document(&name, &bytes, None, None)? {
            Document::Articles { articles, notices } => (Opened::Collection(articles), notices),
            Document::Opml(outlines) => (Opened::Opml(outlines), Vec::new()),
        });
    }
    if input.is_dir() {
        let mut collection = Collection::default();
        let mut notices = Vec::new();
        for file in directory_files(input)? {
            let (part, more) = open_file(&file, cache, limit)?;
            notices.extend(more);
            match part {
                Opened::Collection(part) => collection.append(part),
                // A directory's OPML files are lists, not news: passed over.
                Opened::Opml(_) => {}
            }
        }
        return Ok((Opened::Collection(collection), notices));
    }
    open_file(input, cache, limit)
}

/// Reads what is left of `reader` after `bytes`, at most `limit` bytes in all.
fn read_rest(reader: &mut dyn Read, bytes: &mut Vec<u8>, limit: u64, name: &str) -> Result<(), LoadError> {
    let left = limit.saturating_add(1).saturating_sub(bytes.len() as u64);
    reader.take(left).read_to_end(bytes).map_err(|source| LoadError::Io { name: name.to_string(), source })?;
    if bytes.len() as u64 > limit {
        return Err(LoadError::TooLarge { name: name.to_string(), limit });
    }
    Ok(())
}

/// The bundled seed collection.
pub fn bundled() -> Collection {
    Collection::from(dump::parse(BUNDLED))
}

/// Loads one file.
pub fn load_file(path: &Path) -> Result<Collection, LoadError> {
    load_file_cached(path, None)
}

/// Loads one file, through the headline cache in `cache` if given.
pub fn load_file_cached(path: &Path, cache: Option<&Path>) -> Result<Collection, LoadError> {
    match open_file(path, cache, DEFAULT_MAX_SIZE)? {
        (Opened::Collection(collection), _) => Ok(collection),
        (Opened::Opml(_), _) => Err(LoadError::Feed {
            name: path.display().to_string(),
            message: "an OPML list of feeds: open it in the browser or with list/search/show to fetch them".into(),
        }),
    }
}

/// A file opened: its articles, or the feeds an OPML file lists.
#[derive(Debug)]
pub enum Opened {
    Collection(Collection),
    Opml(Vec<feed::Outline>),
}

/// Opens one file of any format (see [`Format::detect`]), through the headline cache in `cache`
/// for large JSON collections; with notices for the user (entries left out, bytes replaced).
/// Of a named pipe or a device, at most `limit` bytes are read ([`DEFAULT_MAX_SIZE`]).
pub fn open_file(path: &Path, cache: Option<&Path>, limit: u64) -> Result<(Opened, Vec<String>), LoadError> {
    let name = path.display().to_string();
    let io_error = |source| LoadError::Io { name: name.clone(), source };
    let (mut file, mut head, format) = open_head(path).map_err(io_error)?;
    // A regular file can be mapped and read again from its start; a pipe is read to its end.
    let regular = file.metadata().is_ok_and(|m| m.is_file());
    if format == Format::Json && regular {
        check_not_utf16(&name, &head)?;
        std::io::Seek::rewind(&mut file).map_err(io_error)?;
        return load_json(path, &name, file, cache).map(|collection| (Opened::Collection(collection), Vec::new()));
    }
    // Named pipes cannot rewind: what was read stays, the rest follows.
    read_rest(&mut file, &mut head, if regular { u64::MAX } else { limit }, &name)?;
    match parse_document(&name, &head, None, None)? {
        Document::Articles { articles, notices } => Ok((Opened::Collection(articles), notices)),
        Document::Opml(outlines) => Ok((Opened::Opml(outlines), Vec::new())),
    }
}

/// A file opened and its first bytes read, with the format they show.
fn open_head(path: &Path) -> std::io::Result<(std::fs::File, Vec<u8>, Format)> {
    let mut file = std::fs::File::open(path)?;
    let mut head = Vec::with_capacity(HEAD);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, HEAD as u64), &mut head)?;
    let format = Format::detect(Some(path), &head);
    Ok((file, head, format))
}

/// The length of a UTF-8 byte-order mark at the start of `bytes` (3 or 0): a mapped JSON
/// file's articles are numbered from after it.
pub(crate) fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 }
}

/// A large JSON file read in one pass into sinks of the caller's (see [`json::parse_pieces`]),
/// without building its collection.
pub struct Pieces<S> {
    /// The file's name, for messages.
    pub name: String,
    /// The JSON (after any byte-order mark), mapped for the rest of the process: an article is
    /// read again from its first byte with [`json::open`].
    pub bytes: &'static [u8],
    /// The sinks, in the file's order.
    pub pieces: Vec<S>,
}

/// `path` parsed into sinks made by `sink`, if it is a JSON collection large enough to be parsed
/// in pieces, and `cache` has no fresh headline cache of it (a warm load is faster) and no note
/// that it was searched this way before (a file searched twice is worth a cache: the load that
/// follows writes it). `None` otherwise, and for anything unusual or wrong: the caller then loads
/// the file as usual, which gives the same message as always for a broken file.
pub fn parse_json_pieces<S: json::Sink>(
    path: &Path,
    cache: Option<&Path>,
    sink: &(dyn Fn() -> S + Sync),
) -> Option<Pieces<S>> {
    parse_json_pieces_from(path, cache, sink, json::PARALLEL_FROM)
}

/// [`parse_json_pieces`] for files from `from` bytes up (mapped from 1 MiB): tests use small ones.
#[doc(hidden)]
pub fn parse_json_pieces_from<S: json::Sink>(
    path: &Path,
    cache: Option<&Path>,
    sink: &(dyn Fn() -> S + Sync),
    from: usize,
) -> Option<Pieces<S>> {
    let (file, head, format) = open_head(path).ok()?;
    let metadata = file.metadata().ok()?;
    if format != Format::Json || !metadata.is_file() || check_not_utf16("", &head).is_err() {
        return None;
    }
    if cache.is_some_and(|dir| cache::is_fresh(dir, path, &metadata) || cache::was_searched(dir, path, &metadata)) {
        return None;
    }
    let map = map_file(&file).ok()??;
    crate::timing::phase("open and map");
    let bom = bom_len(map);
    let release_after_bom = |range: std::ops::Range<usize>| release(map, range.start + bom..range.end + bom);
    let pieces = json::parse_pieces(&map[bom..], from, &release_after_bom, sink);
    release(map, 0..map.len());
    crate::timing::phase("parse (boundaries, validation, cleaning, scores)");
    if let (Some(dir), Some(_)) = (cache, &pieces) {
        cache::mark_searched(dir, path, &metadata);
    }
    Some(Pieces { name: path.display().to_string(), bytes: &map[bom..], pieces: pieces? })
}

/// How much of a file is read to recognise its format (a JSON Feed's version may come late).
const HEAD: usize = 64 * 1024;

/// A JSON collection: mapped when large, through the headline cache.
fn load_json(path: &Path, name: &str, file: std::fs::File, cache: Option<&Path>) -> Result<Collection, LoadError> {
    let name = name.to_string();
    let io_error = |source| LoadError::Io { name: name.clone(), source };
    {
        let collection = match map_file(&file).map_err(io_error)? {
            Some(map) => {
                crate::timing::phase("open and map");
                let metadata = file.metadata().map_err(io_error)?;
                // Article starts count from after a byte-order mark, in the cache as in parsing.
                let bom = bom_len(map);
                let json = cache::Json { file: &file, offset: bom, len: map.len() - bom };
                let cached = cache.and_then(|dir| cache::read(dir, path, &metadata, &json));
                crate::timing::phase("headline cache read and checked");
                if let Some(cached) = cached {
                    let starts = std::borrow::Cow::Borrowed(cached.starts);
                    let bytes = &map[bom..];
                    let collection =
                        Collection::mapped(name.clone(), bytes, cached.titles, cached.ids, starts, json::open);
                    return non_empty(
                        &name,
                        collection
                            .with_keys(cached.keys)
                            .with_unique_ids(true)
                            .with_duplicates_dropped(cached.duplicates_dropped),
                    );
                }
                let mut collection = json::parse_static(&name, &map[..], &|range| release(map, range))
                    .map_err(|err| json_error(&name, &err))?;
                release(map, 0..map.len());
                crate::timing::phase("parse (boundaries, validation, cleaning, search keys)");
                // Repeats are left out here, before the cache is written: it holds what a start
                // shows, so a warm start with repeats costs what one without them costs.
                let dropped = drop_repeated(&mut collection);
                let collection = collection.with_unique_ids(true).with_duplicates_dropped(dropped);
                crate::timing::phase("ids: repeats found and left out");
                if let (Some(dir), Some(starts), Some(keys)) = (cache, collection.mapped_starts(), collection.keys()) {
                    let (titles, ids) = (collection.titles(), collection.ids());
                    let contents = cache::Contents { titles, ids, starts, keys, duplicates_dropped: dropped };
                    // A cache that cannot be written (read-only home, full disk) only costs speed.
                    let _ = cache::write(dir, path, &metadata, &contents);
                    crate::timing::phase("headline cache written");
                }
                collection
            }
            // Not mappable (a pipe, an empty file): stream it, still never holding it twice.
            None => Collection::from(json::parse_reader(file).map_err(|err| json_error(&name, &err))?),
        };
        non_empty(&name, collection)
    }
}

/// Maps a regular, non-empty file into memory for the rest of the process, so that articles can
/// borrow their bodies from it: loading then copies only headlines and metadata.
///
/// The mapping is read-only and private; if another program truncates the file while
/// Broadsheet runs, reading a body from the lost part ends the process with SIGBUS. That is the
/// price of opening a 500 MB collection in a fraction of a second; smaller files are read.
fn map_file(file: &std::fs::File) -> std::io::Result<Option<&'static memmap2::Mmap>> {
    const MAP_FROM: u64 = 1 << 20;
    let metadata = file.metadata()?;
    if !metadata.is_file() || metadata.len() < MAP_FROM {
        return Ok(None);
    }
    // SAFETY: a read-only private mapping of a regular file; see above for truncation.
    let map = unsafe { memmap2::Mmap::map(file)? };
    Ok(Some(Box::leak(Box::new(map))))
}

/// Gives pages of a mapped file back once parsed (`range`, in bytes; only whole pages inside it):
/// they no longer count as memory in use, and the few that a shown article needs are read again
/// from the page cache.
pub(crate) fn release(map: &memmap2::Mmap, range: std::ops::Range<usize>) {
    const PAGE: usize = 4096;
    let start = range.start.next_multiple_of(PAGE);
    let end = range.end.min(map.len()) / PAGE * PAGE;
    if start < end {
        // SAFETY: MADV_DONTNEED on a read-only file mapping only drops pages; reading them again
        // refaults them from the file, so every borrowed body stays valid. Failure changes nothing.
        let _ = unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start) };
    }
}

/// A JSON error, naming the file and the place.
fn json_error(name: &str, err: &serde_json::Error) -> LoadError {
    if let Some(kind) = err.io_error_kind() {
        return LoadError::Io { name: name.to_string(), source: std::io::Error::new(kind, err.to_string()) };
    }
    LoadError::Json {
        name: name.to_string(),
        line: err.line(),
        column: err.column().max(1),
        // serde_json appends " at line L column C"; the message leads with those already.
        message: err.to_string().rsplit_once(" at line ").map_or(err.to_string(), |(m, _)| m.to_string()),
    }
}

/// A collection must have articles, and every article a headline.
fn non_empty(name: &str, collection: Collection) -> Result<Collection, LoadError> {
    if collection.is_empty() {
        return Err(LoadError::NoArticles { name: name.to_string() });
    }
    if let Some(at) = collection.titles().iter().position(str::is_empty) {
        return Err(LoadError::EmptyTitle { name: name.to_string(), number: at + 1 });
    }
    Ok(collection)
}

/// UTF-16 files (with their byte-order mark) get a message of their own, not "invalid UTF-8".
fn check_not_utf16(name: &str, bytes: &[u8]) -> Result<(), LoadError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(LoadError::Utf16 { name: name.to_string() });
    }
    Ok(())
}

/// Parses the bytes of one input; `name` is what error messages call it.
pub fn parse_bytes(name: &str, path: Option<&Path>, bytes: &[u8]) -> Result<Vec<Article>, LoadError> {
    check_not_utf16(name, bytes)?;
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let offset = err.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        LoadError::Utf8 { name: name.to_string(), offset, line }
    })?;
    let articles = match Format::detect(path, bytes) {
        Format::Dump => dump::parse(text),
        Format::Json => json::parse(text).map_err(|err| json_error(name, &err))?,
        Format::Xml | Format::JsonFeed => match parse_document(name, bytes, None, None)? {
            Document::Articles { articles, .. } => articles.to_vec(),
            Document::Opml(_) => {
                return Err(LoadError::Feed {
                    name: name.to_string(),
                    message: "an OPML list of feeds, not articles".into(),
                });
            }
        },
    };
    Ok(non_empty(name, Collection::from(articles))?.to_vec())
}

/// What a directory's files are opened by: dumps, JSON collections and feeds.
const DIRECTORY_EXTENSIONS: &[&str] = &["txt", "json", "xml", "rss", "atom", "rdf"];

/// The `.txt`, `.json` and feed files of a directory, sorted by name.
fn directory_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io { name: name.clone(), source })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|source| LoadError::Io { name: name.clone(), source })?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| DIRECTORY_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)));
        if wanted && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(LoadError::EmptyDirectory { name });
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_are_the_later_of_each_pair_in_every_shard_and_in_a_short_list() {
        // Enough ids for several shards (one per 16k ids); every 7th repeats one from far earlier.
        let ids: Vec<String> =
            (0..100_000).map(|i| if i % 7 == 6 { format!("id-{}", i / 3) } else { format!("id-{i}") }).collect();
        // And as few as a feed has, which are looked at on the calling thread.
        for n in [0, 1, 7, 50, SEQUENTIAL_BELOW - 1, SEQUENTIAL_BELOW, ids.len()] {
            let texts: Texts = ids[..n].iter().map(String::as_str).collect();
            let mut seen = std::collections::HashSet::new();
            let expected: Vec<usize> = (0..n).filter(|&i| !seen.insert(&ids[i])).collect();
            assert!(n < 50 || !expected.is_empty(), "{n}");
            assert_eq!(repeated_ids(&texts), expected, "{n}");
        }
    }
}
