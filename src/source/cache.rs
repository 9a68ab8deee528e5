//! The headline cache: what loading a large JSON file keeps (headlines, ids, where each article
//! starts) written to the user's cache directory, so that the next start maps it instead of
//! parsing the file again. Like newsboat's cache or git's index: a million headlines open in tens
//! of milliseconds instead of a third of a second.
//!
//! A cache belongs to one version of one file: its path, size, inode and modification and change
//! times are in the header, and any difference makes it stale (it is then rewritten). A cache is
//! never trusted further than it is checked: a damaged or foreign file is ignored, never a panic,
//! and its text must be valid UTF-8 and clean of terminal controls like everything else shown.
//!
//! Layout (little-endian 64-bit words, then text): a header of 16 words (magic, the file's stamp
//! in 7, the number of articles, the bytes of headline and of id text, the number of articles
//! left out for repeating an earlier id (the cache holds the collection without them), the
//! number of headlines with non-ASCII capitals, a checksum of the rest, 2 spare), the end
//! of every headline in the headline text, the end of every id in the id text, the first byte of
//! every article in the JSON file, the search mask of every headline, the numbers of the
//! headlines with non-ASCII capitals; then the headline text and the id text.

use std::fs::{File, Metadata};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use crate::collection::{HeadlineKeys, Texts, Words};

const MAGIC: u64 = u64::from_le_bytes(*b"BSHEAD04");
const HEADER_WORDS: usize = 16;
const HEADER_BYTES: usize = HEADER_WORDS * 8;

/// What a cache holds for a file.
pub struct Cached {
    pub titles: Texts,
    pub ids: Texts,
    pub starts: &'static [usize],
    pub keys: HeadlineKeys,
    /// Articles of the file left out for repeating an earlier id (the cache holds the others).
    pub duplicates_dropped: usize,
}

/// What a cache is written from.
pub struct Contents<'a> {
    pub titles: &'a Texts,
    pub ids: &'a Texts,
    pub starts: &'a [usize],
    pub keys: &'a HeadlineKeys,
    pub duplicates_dropped: usize,
}

/// The version of a file a cache was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp([u64; 7]);

impl Stamp {
    fn of(file: &Metadata) -> Stamp {
        let word = |n: i64| n as u64;
        Stamp([
            file.len(),
            file.ino(),
            file.dev(),
            word(file.mtime()),
            word(file.mtime_nsec()),
            word(file.ctime()),
            word(file.ctime_nsec()),
        ])
    }
}

/// Where the cache of the file at `path` lives in `dir`: named by a hash of its absolute path.
pub fn path_in(dir: &Path, path: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(path).ok()?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in absolute.as_os_str().as_encoded_bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    Some(dir.join(format!("{hash:016x}.heads")))
}

/// The articles' JSON, which a cache's article starts must point into: a file, where the JSON
/// begins in it (after a byte-order mark) and how long it is.
pub struct Json<'a> {
    pub file: &'a File,
    pub offset: usize,
    pub len: usize,
}

impl Json<'_> {
    /// Byte `at` of the JSON, read rather than mapped: touching a mapping can map a whole large
    /// folio around the byte (64 samples made half of a 49 MB file resident).
    fn byte_at(&self, at: usize) -> Option<u8> {
        let mut byte = [0];
        self.file.read_exact_at(&mut byte, (self.offset + at) as u64).ok()?;
        Some(byte[0])
    }
}

/// The cache of the file at `path` (whose metadata is `file`, and whose articles are in `json`),
/// if `dir` has a fresh, sound one.
pub fn read(dir: &Path, path: &Path, file: &Metadata, json: &Json) -> Option<Cached> {
    if !supported() {
        return None;
    }
    let stamp = Stamp::of(file);
    let mut cache = File::open(path_in(dir, path)?).ok()?;
    // The header first: a stale cache is not worth mapping.
    let mut header = [0u8; HEADER_BYTES];
    cache.read_exact(&mut header).ok()?;
    let sizes = Header::parse(&header, stamp)?;
    if cache.metadata().ok()?.len() != sizes.total as u64 {
        return None;
    }
    // SAFETY: a read-only private mapping of a regular file, checked before any use (`decode`).
    // The cache is only written by renaming a finished file into place, never changed in place.
    let map: &'static memmap2::Mmap = Box::leak(Box::new(unsafe { memmap2::Mmap::map(&cache).ok()? }));
    let cached = decode(&map[..], stamp, json.len, |at| json.byte_at(at), |range| super::release(map, range))?;
    mark_used(&cache);
    Some(cached)
}

/// Does `dir` hold a cache made from this version of the file at `path`? Its header only: a
/// cache that says so but fails its checks later is rebuilt by the load that reads it.
pub fn is_fresh(dir: &Path, path: &Path, file: &Metadata) -> bool {
    let fresh = || -> Option<()> {
        let mut cache = File::open(path_in(dir, path)?).ok()?;
        let mut header = [0u8; HEADER_BYTES];
        cache.read_exact(&mut header).ok()?;
        let sizes = Header::parse(&header, Stamp::of(file))?;
        (cache.metadata().ok()?.len() == sizes.total as u64).then_some(())
    };
    supported() && fresh().is_some()
}

/// Notes in `dir` that this version of the file at `path` was searched in one pass (without a
/// cache), so that a second search writes its cache (see [`was_searched`]): a small file named
/// like its cache, holding the file's stamp. Failure only means the next search is one pass too.
pub fn mark_searched(dir: &Path, path: &Path, file: &Metadata) {
    if !supported() {
        return;
    }
    let Some(seen) = path_in(dir, path).map(|cache| cache.with_extension("seen")) else { return };
    let stamp: Vec<u8> = Stamp::of(file).0.iter().flat_map(|word| word.to_le_bytes()).collect();
    let _ = std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir);
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&seen)
        .and_then(|mut out| out.write_all(&stamp));
}

/// Was this version of the file searched in one pass before (see [`mark_searched`])?
pub fn was_searched(dir: &Path, path: &Path, file: &Metadata) -> bool {
    let Some(seen) = path_in(dir, path).map(|cache| cache.with_extension("seen")) else { return false };
    let stamp: Vec<u8> = Stamp::of(file).0.iter().flat_map(|word| word.to_le_bytes()).collect();
    // Only a file of the stamp's length is read: nothing larger is taken into memory.
    std::fs::metadata(&seen).is_ok_and(|m| m.len() == stamp.len() as u64)
        && std::fs::read(seen).is_ok_and(|bytes| bytes == stamp)
}

/// Caches unused for this long are removed when another cache is written: files that were
/// moved or deleted leave theirs behind.
const STALE_AFTER: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A cache's modification time is when it was last used (at most a day off: it is touched at
/// most once a day), so that [`prune`] keeps the caches of files still read.
fn mark_used(cache: &File) {
    const DAY: Duration = Duration::from_secs(24 * 60 * 60);
    let now = SystemTime::now();
    let modified = cache.metadata().and_then(|m| m.modified());
    if modified.is_ok_and(|at| now.duration_since(at).is_ok_and(|age| age > DAY)) {
        // Setting times needs ownership, not a writable descriptor; if it fails, nothing is lost.
        let _ = cache.set_modified(now);
    }
}

/// Removes the caches (and leftover temporary files) in `dir` unused for [`STALE_AFTER`].
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e == "heads" || e == "seen" || e.starts_with("tmp"));
        let modified = entry.metadata().and_then(|m| m.modified());
        if ours && modified.is_ok_and(|at| now.duration_since(at).is_ok_and(|age| age > STALE_AFTER)) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The header's numbers, checked against the file it should describe.
struct Header {
    count: usize,
    foldable: usize,
    checksum: u64,
    title_bytes: usize,
    total: usize,
    duplicates_dropped: usize,
}

/// Arrays of `count` words after the header: headline ends, id ends, article starts, masks.
const ARRAYS: usize = 4;

impl Header {
    fn parse(header: &[u8], stamp: Stamp) -> Option<Header> {
        let word = |i: usize| u64::from_le_bytes(header[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        if header.len() < HEADER_BYTES || word(0) != MAGIC || Stamp(std::array::from_fn(|i| word(1 + i))) != stamp {
            return None;
        }
        let count = usize::try_from(word(8)).ok()?;
        let title_bytes = usize::try_from(word(9)).ok()?;
        let id_bytes = usize::try_from(word(10)).ok()?;
        let foldable = usize::try_from(word(12)).ok()?;
        let words = count.checked_mul(ARRAYS)?.checked_add(foldable)?;
        let total = HEADER_BYTES.checked_add(words.checked_mul(8)?)?.checked_add(title_bytes)?.checked_add(id_bytes)?;
        // At most the file's size: a damaged count only says a wrong number, never allocates.
        let duplicates_dropped = usize::try_from(word(11).min(stamp.0[0])).ok()?;
        Some(Header { count, foldable, checksum: word(13), title_bytes, total, duplicates_dropped })
    }
}

/// A cache's bytes (which live for the rest of the process) as headlines, ids and article starts
/// in a JSON text of `json_len` bytes (`json_byte` reads one), if every part of it checks out.
fn decode(
    bytes: &'static [u8],
    stamp: Stamp,
    json_len: usize,
    json_byte: impl Fn(usize) -> Option<u8>,
    release: impl Fn(std::ops::Range<usize>),
) -> Option<Cached> {
    let header = Header::parse(bytes.get(..HEADER_BYTES)?, stamp)?;
    let count = header.count;
    if bytes.len() != header.total || bytes.as_ptr().align_offset(8) != 0 {
        return None;
    }
    // `len` words from word `at` after the header.
    let words = |at: usize, len: usize| -> &'static [usize] {
        let start = HEADER_BYTES + at * 8;
        let ptr = bytes[start..start + len * 8].as_ptr();
        // SAFETY: in bounds (the size was checked), aligned (the buffer is, and offsets are whole
        // words), and any bits are a valid usize, which is a little-endian u64 here (see
        // `supported`).
        unsafe { std::slice::from_raw_parts(ptr.cast::<usize>(), len) }
    };
    let array = |k: usize| words(k * count, count);
    let text_start = HEADER_BYTES + 8 * (ARRAYS * count + header.foldable);
    let title_end = text_start + header.title_bytes;
    let word_end = |k: usize| HEADER_BYTES + 8 * k * count;
    // The parts in the checksum's order, each checked in one pass with its share of the sum
    // (the text's pages are read once). Those a start does not need again (ids and article
    // starts: a warm start has no repeats to find, and an article is opened by its start only
    // when it is shown) are checked first and their pages given back, so that the largest
    // memory held at once is what a search uses.
    let ranges = [
        word_end(0)..word_end(1),
        word_end(1)..word_end(2),
        word_end(2)..word_end(3),
        word_end(3)..word_end(4),
        word_end(4)..text_start,
        text_start..title_end,
        title_end..bytes.len(),
    ];
    let mut sums = [0u64; 7];
    let (ids, sum) = checked_texts(&bytes[ranges[6].clone()], array(1))?;
    (sums[6], sums[1]) = (sum, part_sum(&bytes[ranges[1].clone()]));
    sums[2] = part_sum(&bytes[ranges[2].clone()]);
    let starts = array(2);
    let masks = as_u64(array(3));
    // Headlines with non-ASCII capitals: numbers in order, each a headline's.
    let foldable = words(ARRAYS * count, header.foldable);
    if !foldable.windows(2).all(|pair| pair[0] < pair[1]) || foldable.last().is_some_and(|&last| last >= count) {
        return None;
    }
    let foldable = foldable.iter().map(|&i| u32::try_from(i).ok()).collect::<Option<Vec<u32>>>()?;
    // Articles start in order inside the file, each with `{` (checked on a sample: every start
    // would read the whole file).
    if !starts.windows(2).all(|pair| pair[0] < pair[1]) || starts.last().is_some_and(|&last| last >= json_len) {
        return None;
    }
    let step = (count / 64).max(1);
    if !starts.iter().step_by(step).chain(starts.last()).all(|&at| json_byte(at) == Some(b'{')) {
        return None;
    }
    for part in [1, 6, 2] {
        release(ranges[part].clone());
    }
    let (titles, sum) = checked_texts(&bytes[ranges[5].clone()], array(0))?;
    sums[5] = sum;
    for part in [0, 3, 4] {
        sums[part] = part_sum(&bytes[ranges[part].clone()]);
    }
    if combined(&sums) != header.checksum {
        return None;
    }
    let keys = HeadlineKeys { masks: Words::Mapped(masks), foldable };
    Some(Cached { titles, ids, starts, keys, duplicates_dropped: header.duplicates_dropped })
}

/// Writes the cache of the file at `path`: headlines, ids, article starts, and whether the ids
/// are all different. Written to a temporary file and renamed into place, so a reader never
/// sees half a cache.
pub fn write(dir: &Path, path: &Path, file: &Metadata, contents: &Contents) -> io::Result<()> {
    if !supported() {
        return Ok(());
    }
    let cache_path = path_in(dir, path).ok_or_else(|| io::Error::other("no absolute path"))?;
    // Private: headlines of a file only its owner may read must not become readable by others.
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let temporary = cache_path.with_extension(format!("tmp{}", std::process::id()));
    let written = (|| {
        // A leftover of an earlier process with the same id would block create_new.
        let _ = std::fs::remove_file(&temporary);
        let created = File::options().write(true).create_new(true).mode(0o600).open(&temporary)?;
        let mut out = io::BufWriter::with_capacity(1 << 20, created);
        encode(&mut out, Stamp::of(file), contents)?;
        // No fsync: a cache cut short by a crash fails the size check and is rebuilt.
        out.flush()
    })();
    prune(dir);
    match written {
        Ok(()) => std::fs::rename(&temporary, &cache_path),
        Err(err) => {
            let _ = std::fs::remove_file(&temporary);
            Err(err)
        }
    }
}

/// The cache's bytes: header, the four arrays, the foldable headlines, the two texts.
fn encode(out: &mut impl Write, stamp: Stamp, contents: &Contents) -> io::Result<()> {
    let Contents { titles, ids, starts, keys, duplicates_dropped } = contents;
    let mut header = [0u64; HEADER_WORDS];
    header[0] = MAGIC;
    header[1..8].copy_from_slice(&stamp.0);
    header[8] = starts.len() as u64;
    header[9] = titles.bytes() as u64;
    header[10] = ids.bytes() as u64;
    header[11] = *duplicates_dropped as u64;
    header[12] = keys.foldable.len() as u64;
    let foldable: Vec<u64> = keys.foldable.iter().map(|&i| u64::from(i)).collect();
    let parts = [
        words_as_bytes(as_u64(titles.ends())),
        words_as_bytes(as_u64(ids.ends())),
        words_as_bytes(as_u64(starts)),
        words_as_bytes(&keys.masks),
        words_as_bytes(&foldable),
        titles.text().as_bytes(),
        ids.text().as_bytes(),
    ];
    header[13] = checksum(&parts);
    for word in header {
        out.write_all(&word.to_le_bytes())?;
    }
    for part in parts {
        out.write_all(part)?;
    }
    Ok(())
}

/// A checksum of a cache's parts, for damage that keeps its structure (a flipped bit in a
/// headline or a mask): per part, each 8-byte word (the last padded with zeros) mixed with its
/// position and multiplied by an odd constant, summed; the parts weighted by their place.
/// Computed on every core; about a millisecond for 10 MB.
fn checksum(parts: &[&[u8]]) -> u64 {
    combined(&parts.iter().map(|part| part_sum(part)).collect::<Vec<_>>())
}

/// The checksum from its parts' sums.
fn combined(sums: &[u64]) -> u64 {
    sums.iter().enumerate().fold(0u64, |sum, (k, part)| sum.wrapping_add(part.wrapping_mul(k as u64 + 1)))
}

/// Parts are checked in pieces of this many bytes, one piece to a task.
const PIECE: usize = 1 << 20;

/// One part's share of the checksum.
fn part_sum(part: &[u8]) -> u64 {
    part.par_chunks(PIECE).enumerate().map(|(k, piece)| piece_sum(piece, k * PIECE / 8)).reduce(|| 0, u64::wrapping_add)
}

/// The sum of one piece of a part whose first word is word `first` of the part.
fn piece_sum(piece: &[u8], first: usize) -> u64 {
    const ODD: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |word: u64, position: usize| (word ^ position as u64).wrapping_mul(ODD);
    let words = piece.chunks_exact(8);
    let tail = words.remainder();
    let mut sum = words.enumerate().fold(0u64, |sum, (i, word)| {
        sum.wrapping_add(mix(u64::from_le_bytes(word.try_into().expect("8 bytes")), first + i))
    });
    if !tail.is_empty() {
        let mut last = [0u8; 8];
        last[..tail.len()].copy_from_slice(tail);
        sum = sum.wrapping_add(mix(u64::from_le_bytes(last), first + piece.len() / 8));
    }
    sum
}

/// `bytes` as the strings that end at `ends`, if it is UTF-8 and clean of terminal controls
/// (shown on the terminal, cached text is held to the same rule as text from any file) and the
/// ends are in order on char boundaries, with its share of the checksum. One pass on every core:
/// each piece is summed, then checked from the first char that begins in it to the first that
/// begins in the next, with the ends that fall there, while its bytes are at hand.
fn checked_texts(bytes: &'static [u8], ends: &'static [usize]) -> Option<(Texts, u64)> {
    let (text, sum) = checked_text_in(bytes, PIECE, ends)?;
    let ordered = ends.par_windows(2).all(|pair| pair[0] <= pair[1]) && ends.last().copied().unwrap_or(0) == text.len();
    // SAFETY: the ends are ascending and end at the text's end (just checked), and each one
    // inside the text is on a char boundary (checked with its piece).
    ordered.then(|| (unsafe { Texts::borrowed_unchecked(text, ends) }, sum))
}

/// The text of [`checked_texts`] in pieces of `piece` bytes (a multiple of 8), each of `ends`
/// that falls inside it checked to be on a char boundary (when `ends` are in order; the caller
/// checks that they are).
fn checked_text_in<'a>(bytes: &'a [u8], piece: usize, ends: &[usize]) -> Option<(&'a str, u64)> {
    let pieces = bytes.len().div_ceil(piece);
    let cut = |k: usize| {
        if k == 0 {
            return 0;
        }
        let mut at = (k * piece).min(bytes.len());
        while bytes.get(at).is_some_and(|&b| b & 0xc0 == 0x80) {
            at += 1;
        }
        at
    };
    let sum = (0..pieces).into_par_iter().try_fold(
        || 0u64,
        |sum, k| {
            let piece_sum = piece_sum(&bytes[k * piece..((k + 1) * piece).min(bytes.len())], k * piece / 8);
            let (from, to) = (cut(k), cut(k + 1));
            let text = simdutf8::basic::from_utf8(&bytes[from..to]).ok()?;
            let inside = &ends[ends.partition_point(|&end| end < from)..ends.partition_point(|&end| end < to)];
            let on_boundaries = inside.iter().all(|&end| text.is_char_boundary(end - from));
            (on_boundaries && crate::sanitize::is_clean(text)).then_some(sum.wrapping_add(piece_sum))
        },
    );
    let sum = sum.try_reduce(|| 0, |a, b| Some(a.wrapping_add(b)))?;
    // SAFETY: every piece is valid UTF-8 and ends with a whole char, so their concatenation is.
    Some((unsafe { std::str::from_utf8_unchecked(bytes) }, sum))
}

/// The bytes of 64-bit words as the cache stores them (little-endian), without a copy.
fn words_as_bytes(words: &[u64]) -> &[u8] {
    // SAFETY: only called where u64 is little-endian (see `supported`); u8 has no alignment or
    // validity requirement.
    unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), std::mem::size_of_val(words)) }
}

/// Words of the cache as u64 (they are stored as such; usize is u64 here, see `supported`).
fn as_u64(values: &[usize]) -> &[u64] {
    // SAFETY: usize and u64 have the same size, alignment and valid bits on the machines the
    // cache is used on.
    unsafe { std::slice::from_raw_parts(values.as_ptr().cast::<u64>(), values.len()) }
}

/// The cache maps its arrays as they are: only on 64-bit little-endian machines.
fn supported() -> bool {
    cfg!(all(target_pointer_width = "64", target_endian = "little"))
}

/// The cache directory to use: `BROADSHEET_CACHE_DIR`, else `$XDG_CACHE_HOME/broadsheet`, else
/// `~/.cache/broadsheet`. Empty `BROADSHEET_CACHE_DIR` means no cache.
pub fn default_dir() -> Option<PathBuf> {
    let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = std::env::var_os("BROADSHEET_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|home| home.join(".cache"))).map(|dir| dir.join("broadsheet"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `bytes` copied to an 8-aligned place that lives for the rest of the test run.
    fn aligned(bytes: &[u8]) -> &'static [u8] {
        let room: &'static mut [u8] = Vec::leak(vec![0; bytes.len() + 8]);
        let offset = room.as_ptr().align_offset(8);
        room[offset..offset + bytes.len()].copy_from_slice(bytes);
        &room[offset..offset + bytes.len()]
    }

    const STAMP: Stamp = Stamp([1, 2, 3, 4, 5, 6, 7]);

    fn byte_of(json: &str) -> impl Fn(usize) -> Option<u8> + '_ {
        |at| json.as_bytes().get(at).copied()
    }

    fn sample() -> (Vec<u8>, String, Texts, Texts, Vec<usize>, HeadlineKeys) {
        let titles: Texts = ["Gaza talks", "Zürich ‘votes’", "北京", ""].into_iter().collect();
        let ids: Texts = ["a", "b", "c", "a"].into_iter().collect();
        let json = r#"[{"x":1}, {"y":2} ,{"z":3},{}]"#.to_string();
        let starts: Vec<usize> = json.match_indices('{').map(|(at, _)| at).collect();
        let mut bytes = Vec::new();
        let keys = HeadlineKeys {
            masks: Words::Shared(titles.iter().map(|t| crate::search::index::key(t).0).collect()),
            foldable: vec![1],
        };
        let contents = Contents { titles: &titles, ids: &ids, starts: &starts, keys: &keys, duplicates_dropped: 1 };
        encode(&mut bytes, STAMP, &contents).unwrap();
        (bytes, json, titles, ids, starts, keys)
    }

    fn ignore(_: std::ops::Range<usize>) {}

    #[test]
    fn texts_are_checked_with_their_ends() {
        let leak = |text: &str, ends: Vec<usize>| -> (&'static [u8], &'static [usize]) {
            (Box::leak(text.as_bytes().to_vec().into_boxed_slice()), Box::leak(ends.into_boxed_slice()))
        };
        let check = |(text, ends): (&'static [u8], &'static [usize])| {
            checked_texts(text, ends).map(|(texts, _)| texts.iter().map(str::to_string).collect::<Vec<_>>())
        };
        assert_eq!(check(leak("éa北", vec![2, 2, 3, 6])), Some(vec!["é".into(), "".into(), "a".into(), "北".into()]));
        assert_eq!(check(leak("", vec![])), Some(vec![]));
        assert_eq!(check(leak("éa", vec![1, 3])), None, "an end inside a char");
        assert_eq!(check(leak("éa", vec![3, 2])), None, "ends out of order");
        assert_eq!(check(leak("éa", vec![2])), None, "text after the last end");
        assert_eq!(check(leak("éa", vec![2, 4])), None, "an end past the text");
        assert_eq!(check(leak("a\u{1b}b", vec![3])), None, "a terminal control");
    }

    #[test]
    fn decodes_what_it_encodes() {
        let (bytes, json, titles, ids, starts, keys) = sample();
        let cached = decode(aligned(&bytes), STAMP, json.len(), byte_of(&json), ignore).expect("a sound cache");
        assert!(cached.titles.iter().eq(titles.iter()));
        assert!(cached.ids.iter().eq(ids.iter()));
        assert_eq!(cached.starts, starts);
        assert_eq!((&cached.keys.masks[..], &cached.keys.foldable[..]), (&keys.masks[..], &keys.foldable[..]));
        assert_eq!(cached.duplicates_dropped, 1, "as written");
        assert!(
            decode(aligned(&bytes), Stamp([1, 2, 3, 4, 5, 6, 8]), json.len(), byte_of(&json), ignore).is_none(),
            "another file"
        );
        assert!(decode(aligned(&bytes), STAMP, 20, byte_of(&json[..20]), ignore).is_none(), "a start past the end");
        assert!(
            decode(aligned(&bytes), STAMP, json.len(), byte_of(&json.replace('{', "[")), ignore).is_none(),
            "starts not at an article"
        );
    }

    proptest! {
        /// Checked in pieces, text is accepted exactly when it is UTF-8 and clean, whatever the
        /// pieces, and its share of the checksum is the part's.
        #[test]
        fn text_is_checked_alike_in_any_pieces(
            text in "(a|é|\u{5317}|\u{1f600}|\u{7}|\u{202e}| ){0,64}",
            cut in any::<prop::sample::Index>(),
            piece in 1usize..6,
        ) {
            let mut bytes = text.into_bytes();
            // Sometimes cut inside a char.
            bytes.truncate(cut.index(bytes.len() + 1));
            let expected = std::str::from_utf8(&bytes).ok().filter(|text| crate::sanitize::is_clean(text));
            let got = checked_text_in(&bytes, piece * 8, &[]);
            prop_assert_eq!(got.map(|(text, _)| text), expected);
            if let Some((_, sum)) = got {
                prop_assert_eq!(sum, part_sum(&bytes));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

        /// Any damage: never a panic, and whatever is accepted is consistent and clean.
        #[test]
        fn damaged_caches_never_panic(
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
            cut in prop::option::of(any::<prop::sample::Index>()),
        ) {
            let (mut bytes, json, ..) = sample();
            for (at, value) in flips {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            if let Some(cached) = decode(aligned(&bytes), STAMP, json.len(), byte_of(&json), ignore) {
                prop_assert_eq!(cached.titles.len(), cached.starts.len());
                prop_assert_eq!(cached.ids.len(), cached.starts.len());
                prop_assert!(cached.titles.iter().chain(cached.ids.iter()).all(crate::sanitize::is_clean));
                prop_assert!(cached.starts.iter().all(|&at| at < json.len()));
                prop_assert_eq!(cached.keys.masks.len(), cached.starts.len());
                prop_assert!(cached.keys.foldable.iter().all(|&i| (i as usize) < cached.starts.len()));
            }
        }
    }
}
