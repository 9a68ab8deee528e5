//! Fuzzy search: a query to ranked hits. Pure; knows nothing of the UI.
//!
//! The query is split on whitespace; every term must match (AND), each fuzzily with skim's
//! algorithm and smart case (a term with a capital letter matches case-sensitively). A hit's score
//! is the sum of its terms' scores. Hits are ranked by score, ties in collection order.
//!
//! Case folding covers every script: skim folds ASCII only, so for a term without capitals the
//! non-ASCII capitals of both term and headline are lowercased first (`zürich` finds "ZÜRICH",
//! `москва` finds "Москва"); ASCII is left to skim, whose scores and case-mismatch penalty stay
//! exactly as they are. Folding maps a char to a char, so match positions stay valid.

pub mod engine;
pub mod index;
pub mod skim;
pub mod stream;
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

/// A query split into terms, each prepared for [`skim::Pattern::score`] (folded when it has no
/// capitals), with whether headlines must be folded for it.
#[derive(Debug, Clone)]
pub struct Terms(Vec<(skim::Pattern, bool)>);

impl Terms {
    pub fn new(query: &str) -> Terms {
        Terms(
            query
                .split_whitespace()
                .map(|term| {
                    let folds = folds(term);
                    let term = if folds { fold(term) } else { term.into() };
                    (skim::Pattern::new(&term), folds)
                })
                .collect(),
        )
    }
}

/// A query prepared for scoring candidates: the prefilter first, then skim on the survivors.
/// What the engine runs on every candidate and the app on its first screen of matches.
#[derive(Debug, Clone)]
pub struct Query {
    prefilter: index::Prefilter,
    terms: Terms,
}

impl Query {
    pub fn new(query: &str) -> Query {
        Query { prefilter: index::Prefilter::new(query), terms: Terms::new(query) }
    }

    /// The score of a headline outside any index (read once, as `search --limit` reads a file
    /// without a cache), if it matches: what [`Query::hit`] gives it in an index.
    pub fn score(&self, title: &str) -> Option<i64> {
        let foldable = has_foldable(title);
        let key = if foldable { fold(title) } else { title.into() };
        if !self.prefilter.may_match(&key) {
            return None;
        }
        Searcher.score_terms_known(&self.terms, title, foldable)
    }

    /// Headline `i` (whose text `title` gives) as a hit, if it matches. Most headlines are
    /// ruled out by their mask, before their text is looked up.
    pub fn hit<'a>(&self, index: &index::Index, i: usize, title: impl FnOnce() -> &'a str) -> Option<Hit> {
        if !index.mask_allows(&self.prefilter, i) {
            return None;
        }
        let title = title();
        if !index.text_allows(&self.prefilter, i, title) {
            return None;
        }
        Some(Hit { index: i, score: Searcher.score_terms_known(&self.terms, title, index.foldable(i))? })
    }
}

/// Smart case for every script: a term folds unless it has a capital letter.
fn folds(term: &str) -> bool {
    !term.chars().any(char::is_uppercase)
}

/// Non-ASCII capitals lowercased, where the lowercase is one char (so char positions stay put);
/// ASCII untouched (skim folds it itself). Borrowed when nothing changes, as in most headlines.
pub fn fold(text: &str) -> std::borrow::Cow<'_, str> {
    let one_char_lowercase = |c: char| {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    };
    if has_foldable(text) {
        text.chars()
            .map(|c| if !c.is_ascii() && c.is_uppercase() { one_char_lowercase(c) } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Does `text` have a non-ASCII capital that [`fold`] would lowercase?
pub fn has_foldable(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(|c| !c.is_ascii() && c.is_uppercase())
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
        let folded = fold(text);
        query.split_whitespace().try_fold(0, |sum, term| {
            let score = if folds(term) {
                matcher().fuzzy_match(&folded, &fold(term))
            } else {
                matcher().fuzzy_match(text, term)
            };
            Some(sum + score?)
        })
    }

    /// The same score as [`Searcher::score`], with terms prepared once ([`Terms::new`]) and
    /// without allocating (unless the headline has non-ASCII capitals): what the engine runs on
    /// every candidate.
    pub fn score_terms(&self, terms: &Terms, text: &str) -> Option<i64> {
        self.score_terms_known(terms, text, has_foldable(text))
    }

    /// [`Searcher::score_terms`] when it is already known whether `text` has capitals to fold
    /// (the index records it at load, so the engine does not scan every candidate for them).
    pub fn score_terms_known(&self, terms: &Terms, text: &str, foldable: bool) -> Option<i64> {
        let folds = foldable && terms.0.iter().any(|(_, folds)| *folds);
        let folded = if folds { fold(text) } else { text.into() };
        terms.0.iter().try_fold(0, |sum, (term, folds)| {
            let seen = if *folds { folded.as_ref() } else { text };
            Some(sum + i64::from(term.score(seen)?))
        })
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
        let folded = fold(text);
        let mut positions = Vec::new();
        for term in query.split_whitespace() {
            let found = if folds(term) {
                matcher().fuzzy_indices(&folded, &fold(term))
            } else {
                matcher().fuzzy_indices(text, term)
            };
            match found {
                Some((_, indices)) => positions.extend(indices),
                None => return Vec::new(),
            }
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}
