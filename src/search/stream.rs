//! `search Q --limit k` on a large JSON file without a headline cache: one pass over the file
//! that scores each headline while it is parsed and keeps only what the answer needs (every
//! article's id and first byte, and the matches), not the collection. No headline is copied, no
//! index is built, and the file's pages are given back as the pass goes, so a first search of a
//! million headlines holds a fraction of the file in memory.
//!
//! The answer is the one a loaded collection gives: the same articles, numbered the same way
//! (repeated ids left out, the earlier article kept), with the same scores, in the same order
//! (score descending, ties in collection order), and the same errors for a file without
//! articles or with one without a headline; tests hold it to that. Such a search writes no
//! headline cache, only a note that the file was searched: a second search of the same file
//! loads it whole and writes the cache (as the browser, `list` and `show` do at once), so that
//! every search after it is warm.

use std::path::Path;

use rayon::prelude::*;

use super::{Hit, Query};
use crate::collection::Texts;
use crate::source::{self, LoadError, json};

/// What the pass keeps of one piece of the file.
struct Found<'q> {
    query: &'q Query,
    hasher: &'q hashbrown::DefaultHashBuilder,
    ids: Texts,
    /// Each id's hash, for finding repeats.
    hashes: Vec<u64>,
    starts: Vec<usize>,
    /// The matches: article number within the piece, and score.
    hits: Vec<(u32, i64)>,
    /// Articles of the piece without a headline.
    untitled: Vec<u32>,
}

impl json::Sink for Found<'_> {
    fn push(&mut self, start: usize, title: &str, id: &str) {
        let i = u32::try_from(self.starts.len()).expect("fewer than 2^32 articles");
        if let Some(score) = self.query.score(title) {
            self.hits.push((i, score));
        }
        if title.is_empty() {
            self.untitled.push(i);
        }
        self.starts.push(start);
        self.ids.push(id);
        self.hashes.push(std::hash::BuildHasher::hash_one(self.hasher, id));
    }
}

/// The best hits, each with its headline, and how many articles were left out for repeating an
/// earlier one's id.
pub struct Answer {
    pub hits: Vec<(Hit, String)>,
    pub duplicates_dropped: usize,
}

/// The best `k` matches of `query` in the JSON file at `path`, read in one pass; `None` where
/// that does not apply (an empty query, another format, a small file, a fresh headline cache in
/// `cache`, anything unusual: see [`source::parse_json_pieces`]), and the caller loads the file.
pub fn top(path: &Path, cache: Option<&Path>, query: &str, k: usize) -> Option<Result<Answer, LoadError>> {
    top_from(path, cache, query, k, json::PARALLEL_FROM)
}

/// [`top`] for files from `from` bytes up (mapped from 1 MiB): tests use small ones.
#[doc(hidden)]
pub fn top_from(
    path: &Path,
    cache: Option<&Path>,
    query: &str,
    k: usize,
    from: usize,
) -> Option<Result<Answer, LoadError>> {
    query.split_whitespace().next()?;
    let prepared = Query::new(query);
    let hasher = source::id_hasher();
    let sink = || Found {
        query: &prepared,
        hasher: &hasher,
        ids: Texts::default(),
        hashes: Vec::new(),
        starts: Vec::new(),
        hits: Vec::new(),
        untitled: Vec::new(),
    };
    let source::Pieces { name, bytes, mut pieces } = source::parse_json_pieces_from(path, cache, &sink, from)?;
    let bases: Vec<usize> =
        pieces.iter().scan(0, |base, piece| Some(std::mem::replace(base, *base + piece.starts.len()))).collect();
    let total = pieces.iter().map(|piece| piece.starts.len()).sum::<usize>();
    // The piece of article `g` (numbered in the file), and its number there.
    let locate = |g: usize| {
        let piece = bases.partition_point(|&base| base <= g) - 1;
        (piece, g - bases[piece])
    };
    let hashes =
        crate::collection::concat_parts(pieces.iter_mut().map(|p| std::mem::take(&mut p.hashes)).collect(), |_, h| h);
    let repeated = source::repeated_by_hash(&hashes, &|g| {
        let (piece, i) = locate(g);
        pieces[piece].ids.get(i)
    });
    drop(hashes);
    crate::timing::phase("ids: repeats found");
    let mut kept = vec![true; total];
    for &g in &repeated {
        kept[g] = false;
    }
    // An article's number once the repeats are left out, from its number in the file.
    let number = |g: usize| g - repeated.partition_point(|&r| r < g);
    if total == repeated.len() {
        return Some(Err(LoadError::NoArticles { name }));
    }
    let untitled =
        pieces.iter().zip(&bases).flat_map(|(piece, base)| piece.untitled.iter().map(move |&i| base + i as usize));
    if let Some(g) = untitled.into_iter().find(|&g| kept[g]) {
        return Some(Err(LoadError::EmptyTitle { name, number: number(g) + 1 }));
    }
    // The best k of each piece, then of those; numbered in the file until the end (the order
    // is the same).
    let best = |hits| super::engine::keep_best(hits, k);
    let parts: Vec<Vec<Hit>> = pieces
        .par_iter()
        .zip(&bases)
        .map(|(piece, &base)| {
            let hits = piece.hits.iter().map(|&(i, score)| Hit { index: base + i as usize, score });
            best(hits.filter(|hit| kept[hit.index]).collect())
        })
        .collect();
    let mut hits = best(parts.concat());
    hits.sort_unstable_by_key(super::engine::best_first);
    // Each hit's headline as the loaded collection has it: its article read again and cleaned.
    let start = |g: usize| {
        let (piece, i) = locate(g);
        pieces[piece].starts[i]
    };
    let answer = hits
        .into_iter()
        .map(|hit| {
            let article = json::open(bytes, start(hit.index)).ok()?;
            Some((Hit { index: number(hit.index), score: hit.score }, article.title))
        })
        .collect::<Option<Vec<_>>>()?;
    crate::timing::phase("ranking");
    Some(Ok(Answer { hits: answer, duplicates_dropped: repeated.len() }))
}
