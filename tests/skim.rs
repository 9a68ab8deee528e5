//! Our skim score equals fuzzy-matcher's `SkimMatcherV2::fuzzy_match` with a fresh matcher.

use broadsheet::search::skim::Pattern;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use proptest::prelude::*;

fn reference(choice: &str, term: &str) -> Option<i32> {
    SkimMatcherV2::default().smart_case().fuzzy_match(choice, term).map(|s| s as i32)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn equals_a_fresh_skim_matcher(
        choice in "[abcAB .:/_(0-9éÜ北’-]{0,30}",
        term in "[abcAB .éÜ北0-9]{0,5}",
    ) {
        prop_assert_eq!(Pattern::new(&term).score(&choice), reference(&choice, &term), "{:?} {:?}", choice, term);
    }

    #[test]
    fn equals_on_headline_like_text(choice in "\\PC{0,80}", term in "[a-zA-Z]{1,6}") {
        prop_assert_eq!(Pattern::new(&term).score(&choice), reference(&choice, &term));
    }
}

#[test]
fn equals_on_the_seed_and_corpus() {
    let titles: Vec<String> = broadsheet::source::bundled()
        .titles()
        .iter()
        .map(str::to_string)
        .chain(broadsheet::corpus::headlines(2000, 9))
        .collect();
    for term in ["e", "gov", "Gov", "pr", "talks", "zü", "北京", "reykj", "aaa", "iraq", "PRIME", "t’s"] {
        for title in &titles {
            assert_eq!(Pattern::new(term).score(title), reference(title, term), "{title:?} {term:?}");
        }
    }
}
