//! The query path: any query against any headlines, through the engine and the highlighter,
//! agrees with the plain reference and never panics.
#![no_main]

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use broadsheet::article::Article;
use broadsheet::collection::Collection;
use broadsheet::search::engine::never;
use broadsheet::search::{Engine, Searcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<&str>, &str)| {
    let (titles, query) = input;
    let titles: Vec<String> = titles.iter().take(64).map(|t| t.chars().take(200).collect()).collect();
    let articles = Arc::new(Collection::from(
        titles
            .iter()
            .map(|t| Article { title: t.clone(), ..Article::new(t.clone(), vec![], vec![]) })
            .collect::<Vec<_>>(),
    ));
    let mut engine = Engine::new(Arc::clone(&articles));
    let query: String = query.chars().take(32).collect();
    let hits = engine.rank(&query, &never, &AtomicUsize::new(0)).unwrap();
    let expected = Searcher.rank(&query, articles.titles().iter());
    assert_eq!(*hits, expected);
    for hit in hits.iter() {
        let title = articles.title(hit.index);
        let count = title.chars().count();
        assert!(Searcher.positions(&query, title).iter().all(|&p| p < count));
    }
});
