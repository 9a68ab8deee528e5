//! The ranking engine: prefilter, parallel scoring, incremental narrowing and a cache per query.
//!
//! Results are exactly those of a plain `SkimMatcherV2` pass over every headline (same set, same
//! scores, same order: score descending, ties in collection order); a property test holds it to
//! that. What makes it fast:
//! - the [`Index`] prefilter rejects most headlines before skim runs;
//! - survivors are scored in parallel chunks (rayon), and a cancelled search stops between chunks;
//! - a query that extends a cached one (typing on) only looks at the cached matches, and every
//!   query's result is kept, so Backspace is a lookup.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::index::Index;
use super::{Hit, Query};
use crate::collection::Collection;

/// Headlines scored per chunk: between chunks a search checks whether it is still wanted.
pub const CHUNK: usize = 8192;
/// Queries whose results are kept for Backspace and narrowing.
const CACHED_QUERIES: usize = 64;
/// And at most this many hits in all of them per headline of the collection: broad queries on a
/// million headlines hold a million hits each (16 MB), and 64 of those would be a gigabyte.
/// Twice the collection keeps the prefixes of what is being typed.
const CACHED_HITS_PER_HEADLINE: usize = 2;

/// A ranked result, shared between the engine's cache and the app.
pub type Hits = Arc<Vec<Hit>>;

/// Ranks headlines for queries, keeping results for the queries typed so far.
pub struct Engine {
    collection: Arc<Collection>,
    index: Arc<Index>,
    /// Recent queries and their results, most recent last.
    cache: Vec<(String, Hits)>,
    /// The empty query's result: every headline in collection order, made when first asked
    /// for (a one-off `search --limit` never needs it: 16 MB at a million headlines).
    everything: std::sync::OnceLock<Hits>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("headlines", &self.collection.len()).field("cached", &self.cache.len()).finish()
    }
}

impl Engine {
    pub fn new(collection: Arc<Collection>) -> Engine {
        let index = Arc::new(match collection.keys() {
            Some(keys) => Index::from_keys(collection.titles(), keys),
            None => Index::new(collection.titles()),
        });
        Engine { collection, index, cache: Vec::new(), everything: std::sync::OnceLock::new() }
    }

    pub fn index(&self) -> &Arc<Index> {
        &self.index
    }

    /// How many rankings are kept, and how many hits they hold in all.
    pub fn cached(&self) -> (usize, usize) {
        (self.cache.len(), self.cache.iter().map(|(_, hits)| hits.len()).sum())
    }

    /// The empty query's result: every headline in collection order.
    pub fn everything(&self) -> Hits {
        Arc::clone(
            self.everything
                .get_or_init(|| Arc::new((0..self.collection.len()).map(|index| Hit { index, score: 0 }).collect())),
        )
    }

    /// The ranking for `query`, or `None` when `cancelled` said stop. `done` counts the headlines
    /// looked at, for a progress display.
    pub fn rank(&mut self, query: &str, cancelled: &(dyn Fn() -> bool + Sync), done: &AtomicUsize) -> Option<Hits> {
        if query.split_whitespace().next().is_none() {
            return Some(self.everything());
        }
        if let Some(at) = self.cache.iter().rposition(|(cached, _)| cached == query) {
            let entry = self.cache.remove(at);
            let hits = Arc::clone(&entry.1);
            self.cache.push(entry);
            return Some(hits);
        }
        // The longest cached query that this one extends: its matches are the only candidates.
        let narrowing = self
            .cache
            .iter()
            .filter(|(cached, _)| query.starts_with(cached.as_str()) && !cached.trim().is_empty())
            .max_by_key(|(cached, _)| cached.len())
            .map(|(_, hits)| Arc::clone(hits));
        let hits = match narrowing {
            Some(previous) => {
                self.score(query, Candidates::Some(previous.iter().map(|hit| hit.index).collect()), cancelled, done)?
            }
            None => self.score(query, Candidates::All(self.collection.len()), cancelled, done)?,
        };
        let hits = Arc::new(hits);
        self.cache.push((query.to_string(), Arc::clone(&hits)));
        // The oldest go first; the newest stays whatever its size.
        let budget = CACHED_HITS_PER_HEADLINE * self.collection.len() + CHUNK;
        while self.cache.len() > 1
            && (self.cache.len() > CACHED_QUERIES
                || self.cache.iter().map(|(_, hits)| hits.len()).sum::<usize>() > budget)
        {
            self.cache.remove(0);
        }
        Some(hits)
    }

    /// The best `k` hits for `query`, in the order [`Engine::rank`] gives them: for a one-off
    /// search (`broadsheet search --limit`), which needs no cache and no full sort, only a
    /// selection of the best.
    pub fn top(&self, query: &str, k: usize) -> Vec<Hit> {
        if query.split_whitespace().next().is_none() {
            return (0..self.collection.len().min(k)).map(|index| Hit { index, score: 0 }).collect();
        }
        // The best k of each chunk, then the best k of those: a broad query's million hits are
        // never held at once.
        let best = |hits| keep_best(hits, k);
        let prepared = Query::new(query);
        let chunks = self.collection.len().div_ceil(CHUNK);
        let parts: Vec<Vec<Hit>> = (0..chunks)
            .into_par_iter()
            .map(|chunk| {
                let range = chunk * CHUNK..((chunk + 1) * CHUNK).min(self.collection.len());
                best(range.filter_map(|i| prepared.hit(&self.index, i, || self.collection.title(i))).collect())
            })
            .collect();
        let mut hits = best(parts.concat());
        hits.sort_unstable_by_key(best_first);
        hits
    }

    /// Scores the candidates in parallel chunks and sorts the matches best first.
    fn score(
        &self,
        query: &str,
        candidates: Candidates,
        cancelled: &(dyn Fn() -> bool + Sync),
        done: &AtomicUsize,
    ) -> Option<Vec<Hit>> {
        let mut hits = self.matches(query, candidates, cancelled, done)?;
        if cancelled() {
            return None;
        }
        hits.par_sort_unstable_by_key(best_first);
        Some(hits)
    }

    /// The candidates that match, scored in parallel chunks, in candidate order.
    fn matches(
        &self,
        query: &str,
        candidates: Candidates,
        cancelled: &(dyn Fn() -> bool + Sync),
        done: &AtomicUsize,
    ) -> Option<Vec<Hit>> {
        let prepared = Query::new(query);
        let chunks = candidates.len().div_ceil(CHUNK);
        let parts: Option<Vec<Vec<Hit>>> = (0..chunks)
            .into_par_iter()
            .map(|chunk| {
                if cancelled() {
                    return None;
                }
                let range = chunk * CHUNK..((chunk + 1) * CHUNK).min(candidates.len());
                let hits = range
                    .clone()
                    .map(|at| candidates.get(at))
                    .filter_map(|i| prepared.hit(&self.index, i, || self.collection.title(i)))
                    .collect();
                done.fetch_add(range.len(), Ordering::Relaxed);
                Some(hits)
            })
            .collect();
        Some(parts?.concat())
    }
}

/// The best `k` of `hits` (in no order), the memory of the others given back.
pub(crate) fn keep_best(mut hits: Vec<Hit>, k: usize) -> Vec<Hit> {
    if hits.len() > k {
        hits.select_nth_unstable_by_key(k, best_first);
        hits.truncate(k);
        hits.shrink_to_fit();
    }
    hits
}

/// The ranking order: score descending, ties in collection order. A total order, so a sort of
/// all hits and a selection of the best few agree.
pub(crate) fn best_first(hit: &Hit) -> (std::cmp::Reverse<i64>, usize) {
    (std::cmp::Reverse(hit.score), hit.index)
}

/// The headlines a search looks at: all of them, or the matches of a shorter query.
enum Candidates {
    All(usize),
    Some(Vec<usize>),
}

impl Candidates {
    fn len(&self) -> usize {
        match self {
            Candidates::All(n) => *n,
            Candidates::Some(indices) => indices.len(),
        }
    }

    fn get(&self, at: usize) -> usize {
        match self {
            Candidates::All(_) => at,
            Candidates::Some(indices) => indices[at],
        }
    }
}

/// Never cancelled: for callers that wait for the result.
pub fn never() -> bool {
    false
}
