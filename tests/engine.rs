//! The fast engine (prefilter, parallel chunks, narrowing, cache) agrees with a plain
//! `SkimMatcherV2` pass over everything: same set, same scores, same order.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use broadsheet::article::Article;
use broadsheet::collection::Collection;
use broadsheet::corpus;
use broadsheet::search::engine::{CHUNK, never};
use broadsheet::search::{Engine, Searcher};
use proptest::prelude::*;

fn engine(titles: &[String]) -> Engine {
    let articles: Vec<Article> = titles.iter().map(|t| Article::new(t.clone(), vec![], vec![])).collect();
    Engine::new(Arc::new(Collection::from(articles)))
}

fn check(engine: &mut Engine, titles: &[String], query: &str) {
    let expected = Searcher.rank(query, titles.iter().map(String::as_str));
    let got = engine.rank(query, &never, &AtomicUsize::new(0)).expect("not cancelled");
    assert_eq!(*got, expected, "query {query:?}");
    // The best few, selected rather than sorted: the same as the head of the whole ranking.
    for k in [0, 1, 3, expected.len()] {
        assert_eq!(engine.top(query, k), expected[..k.min(expected.len())], "query {query:?}, top {k}");
    }
}

/// Headlines from a small alphabet with capitals, accents, CJK and punctuation, so that random
/// queries often match and case rules matter.
fn title() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[abcdeABCDE éüÜ北’.-]{0,24}").unwrap()
}

fn query() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[abcdeABéÜ北 ]{0,6}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn engine_equals_plain_skim(titles in prop::collection::vec(title(), 0..60), queries in prop::collection::vec(query(), 1..6)) {
        let mut engine = engine(&titles);
        for query in &queries {
            check(&mut engine, &titles, query);
        }
    }

    #[test]
    fn typing_and_backspace_equal_plain_skim(titles in prop::collection::vec(title(), 0..60), typed in query()) {
        let mut engine = engine(&titles);
        let prefixes: Vec<&str> = typed.char_indices().map(|(at, c)| &typed[..at + c.len_utf8()]).collect();
        for query in prefixes.iter().chain(prefixes.iter().rev()) {
            check(&mut engine, &titles, query);
        }
    }
}

#[test]
fn many_chunks_in_parallel_equal_plain_skim() {
    let titles = corpus::headlines(CHUNK + 17, 7);
    let mut engine = engine(&titles);
    for query in ["g", "go", "gov", "go", "e", "zü", "北京", "pr mi", "Prime", ""] {
        check(&mut engine, &titles, query);
    }
}

#[test]
fn a_cancelled_search_returns_nothing_and_is_not_cached() {
    let titles = corpus::headlines(CHUNK + 1, 1);
    let mut engine = engine(&titles);
    assert!(engine.rank("gov", &|| true, &AtomicUsize::new(0)).is_none());
    check(&mut engine, &titles, "gov");
}

#[test]
fn progress_counts_the_headlines_looked_at() {
    let titles = corpus::headlines(CHUNK + 5, 3);
    let mut engine = engine(&titles);
    let done = AtomicUsize::new(0);
    engine.rank("a", &never, &done).unwrap();
    assert_eq!(done.into_inner(), CHUNK + 5);
}

#[test]
fn the_cache_keeps_recent_rankings_within_twice_the_collection() {
    let titles = corpus::headlines(3 * CHUNK, 2);
    let mut engine = engine(&titles);
    // Broad queries, each matching most headlines: only the latest few can be kept.
    for query in ["e", "a", "o", "i", "n", "t", "r", "s"] {
        check(&mut engine, &titles, query);
        let (rankings, hits) = engine.cached();
        assert!(rankings >= 1);
        assert!(hits <= 2 * titles.len() + CHUNK || rankings == 1, "{rankings} rankings hold {hits} hits");
    }
    // Narrow ones are all kept, up to the count limit.
    let typed = ["g", "go", "gov", "gove", "gover"];
    for query in typed {
        check(&mut engine, &titles, query);
    }
    let (rankings, _) = engine.cached();
    assert!(rankings >= typed.len(), "the prefixes being typed are kept ({rankings})");
    for query in typed.iter().rev() {
        check(&mut engine, &titles, query);
    }
}
