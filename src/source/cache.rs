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
//! Layout (little-endian 64-bit words, then text): a header of [`HEADER_WORDS`] words, the end of
//! every headline in the headline text, the end of every id in the id text, the first byte of
//! every article in the JSON file; then the headline text and the id text.

use std::fs::{File, Metadata};
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::collection::Texts;

const MAGIC: u64 = u64::from_le_bytes(*b"BSHEAD01");
const HEADER_WORDS: usize = 16;
const HEADER_BYTES: usize = HEADER_WORDS * 8;
/// Header flag: no two articles of the file share an id.
const UNIQUE_IDS: u64 = 1;

/// What a cache holds for a file.
pub struct Cached {
    pub titles: Texts,
    pub ids: Texts,
    pub starts: &'static [usize],
    pub unique_ids: bool,
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

/// The cache of the file at `path` (whose metadata is `file` and whose mapped bytes are `json`),
/// if `dir` has a fresh, sound one.
pub fn read(dir: &Path, path: &Path, file: &Metadata, json: &'static [u8]) -> Option<Cached> {
    if !supported() {
        return None;
    }
    let cache_path = path_in(dir, path)?;
    let mut cache = File::open(cache_path).ok()?;
    let mut header = [0u8; HEADER_BYTES];
    cache.read_exact(&mut header).ok()?;
    let word = |i: usize| u64::from_le_bytes(header[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
    if word(0) != MAGIC || Stamp(std::array::from_fn(|i| word(1 + i))) != Stamp::of(file) {
        return None;
    }
    let (count, title_bytes, id_bytes, flags) = (word(8), word(9), word(10), word(11));
    let count = usize::try_from(count).ok()?;
    let arrays = count.checked_mul(3 * 8)?;
    let text_start = HEADER_BYTES.checked_add(arrays)?;
    let title_bytes = usize::try_from(title_bytes).ok()?;
    let size = text_start.checked_add(title_bytes)?.checked_add(usize::try_from(id_bytes).ok()?)?;
    if cache.metadata().ok()?.len() != size as u64 {
        return None;
    }
    // SAFETY: a read-only private mapping of a regular file, checked below before any use. The
    // cache is only written by renaming a finished file into place, never changed in place.
    let map: &'static memmap2::Mmap = Box::leak(Box::new(unsafe { memmap2::Mmap::map(&cache).ok()? }));
    let bytes: &'static [u8] = &map[..];
    let words = |at: usize| -> &'static [usize] {
        let start = HEADER_BYTES + at * count * 8;
        let ptr = bytes[start..start + count * 8].as_ptr();
        debug_assert!(ptr.align_offset(8) == 0, "mappings are page-aligned, the header 8-word");
        // SAFETY: in bounds (the size was checked), aligned (page-aligned mapping, offsets in
        // whole words), and any bits are a valid usize, which is a little-endian u64 here
        // (see `supported`).
        unsafe { std::slice::from_raw_parts(ptr.cast::<usize>(), count) }
    };
    let text = |from: usize, to: usize| clean_text(&bytes[from..to]);
    let titles = Texts::borrowed(text(text_start, text_start + title_bytes)?, words(0))?;
    let ids = Texts::borrowed(text(text_start + title_bytes, size)?, words(1))?;
    let starts = words(2);
    // Articles start in order inside the file, each with `{` (checked on a sample: every start
    // would read the whole file).
    if !starts.windows(2).all(|pair| pair[0] < pair[1]) || starts.last().is_some_and(|&last| last >= json.len()) {
        return None;
    }
    let step = (count / 64).max(1);
    if !starts.iter().step_by(step).chain(starts.last()).all(|&at| json[at] == b'{') {
        return None;
    }
    Some(Cached { titles, ids, starts, unique_ids: flags & UNIQUE_IDS != 0 })
}

/// Writes the cache of the file at `path`: headlines, ids, article starts. Written to a temporary
/// file and renamed into place, so a reader never sees half a cache.
pub fn write(
    dir: &Path,
    path: &Path,
    file: &Metadata,
    titles: &Texts,
    ids: &Texts,
    starts: &[usize],
) -> io::Result<()> {
    if !supported() {
        return Ok(());
    }
    let cache_path = path_in(dir, path).ok_or_else(|| io::Error::other("no absolute path"))?;
    std::fs::create_dir_all(dir)?;
    let temporary = cache_path.with_extension(format!("tmp{}", std::process::id()));
    let unique_ids = {
        let mut seen = hashbrown::HashSet::with_capacity(ids.len());
        ids.iter().all(|id| seen.insert(id))
    };
    let mut header = [0u64; HEADER_WORDS];
    header[0] = MAGIC;
    header[1..8].copy_from_slice(&Stamp::of(file).0);
    header[8] = starts.len() as u64;
    header[9] = titles.bytes() as u64;
    header[10] = ids.bytes() as u64;
    header[11] = if unique_ids { UNIQUE_IDS } else { 0 };
    let written = (|| {
        let mut out = io::BufWriter::with_capacity(1 << 20, File::create(&temporary)?);
        for words in [&header[..], as_words(titles.ends()), as_words(ids.ends()), as_words(starts)] {
            for word in words {
                out.write_all(&word.to_le_bytes())?;
            }
        }
        out.write_all(titles.text().as_bytes())?;
        out.write_all(ids.text().as_bytes())?;
        // No fsync: a cache cut short by a crash fails the size check and is rebuilt.
        out.flush()
    })();
    match written {
        Ok(()) => std::fs::rename(&temporary, &cache_path),
        Err(err) => {
            let _ = std::fs::remove_file(&temporary);
            Err(err)
        }
    }
}

/// `bytes` as text, if it is UTF-8 and clean of terminal controls: shown on the terminal, cached
/// text is held to the same rule as text from any file. Checked in pieces on every core.
fn clean_text(bytes: &[u8]) -> Option<&str> {
    const PIECE: usize = 1 << 20;
    // Pieces begin where a char begins (not at a continuation byte), so each is checked alone.
    let mut cuts = vec![0];
    let mut at = PIECE;
    while at < bytes.len() {
        while bytes.get(at).is_some_and(|&b| b & 0xc0 == 0x80) {
            at += 1;
        }
        cuts.push(at.min(bytes.len()));
        at += PIECE;
    }
    cuts.push(bytes.len());
    let sound = cuts
        .par_windows(2)
        .all(|piece| std::str::from_utf8(&bytes[piece[0]..piece[1]]).is_ok_and(crate::sanitize::is_clean));
    // SAFETY: every piece is valid UTF-8 and ends with a whole char, so their concatenation is.
    sound.then(|| unsafe { std::str::from_utf8_unchecked(bytes) })
}

fn as_words(values: &[usize]) -> &[u64] {
    // SAFETY: only called where usize is u64 (see `supported`).
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
