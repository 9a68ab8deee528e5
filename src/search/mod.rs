//! Fuzzy search: a query to ranked hits. Pure; knows nothing of the UI.
//!
//! The query is split on whitespace; every term must match (AND), each fuzzily with skim's
//! algorithm and smart case (a term with a capital letter matches case-sensitively). A hit's score
//! is the sum of its terms' scores. Hits are ranked by score, ties in collection order.

pub mod engine;
pub mod index;
pub mod skim;
pub mod worker;

pub use engine::{Engine, Hits};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// One matching article: its index in the collection and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

/// Skim's fuzzy matching with smart case, giving each headline the score it has on its own.
#[derive(Debug, Default, Clone, Copy)]
pub struct Searcher;

/// A query split into terms, each prepared for [`skim::Pattern::score`].
#[derive(Debug, Clone)]
pub struct Terms(Vec<skim::Pattern>);

impl Terms {
    pub fn new(query: &str) -> Terms {
        Terms(query.split_whitespace().map(skim::Pattern::new).collect())
    }
}

/// A fresh matcher for every call. fuzzy-matcher 0.3.7 keeps its score matrix between calls and
/// only grows it (`Vec::resize`), so cells left from an earlier, longer headline leak into the next
/// score: the same headline scores differently depending on what was scored before it, and in
/// parallel on which thread scored it. Its `use_cache(false)` switch panics (a `RefCell` still
/// borrowed). A new matcher costs a few small allocations and makes a score a function of
/// headline and query alone.
fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().smart_case()
}

impl Searcher {
    /// The score of `text` for `query`, or `None` when some term does not match. An empty query
    /// matches everything with score 0.
    pub fn score(&self, query: &str, text: &str) -> Option<i64> {
        query.split_whitespace().try_fold(0, |sum, term| Some(sum + matcher().fuzzy_match(text, term)?))
    }

    /// The same score as [`Searcher::score`], with terms prepared once ([`Terms::new`]) and
    /// without allocating: what the engine runs on every candidate.
    pub fn score_terms(&self, terms: &Terms, text: &str) -> Option<i64> {
        terms.0.iter().try_fold(0, |sum, term| Some(sum + i64::from(term.score(text)?)))
    }

    /// Ranks `texts` (in collection order) for `query`: best first, ties in collection order.
    /// An empty query gives every text in collection order. The plain, single-threaded pass over
    /// everything: the reference that [`Engine`] must agree with.
    pub fn rank<'a>(&self, query: &str, texts: impl IntoIterator<Item = &'a str>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = texts
            .into_iter()
            .enumerate()
            .filter_map(|(index, text)| Some(Hit { index, score: self.score(query, text)? }))
            .collect();
        // Stable: equal scores keep collection order.
        hits.sort_by_key(|hit| std::cmp::Reverse(hit.score));
        hits
    }

    /// The char indices of `text` that the query's terms matched, sorted and without repeats:
    /// what the list highlights. Computed only for rows on screen. Empty when nothing matches.
    pub fn positions(&self, query: &str, text: &str) -> Vec<usize> {
        let mut positions = Vec::new();
        for term in query.split_whitespace() {
            match matcher().fuzzy_indices(text, term) {
                Some((_, indices)) => positions.extend(indices),
                None => return Vec::new(),
            }
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}
