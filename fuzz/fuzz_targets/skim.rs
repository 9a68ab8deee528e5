//! Our skim score on any headline and term: exactly what a fresh `SkimMatcherV2` gives (smart
//! case), through every shortcut of `search::skim` (one char, two chars, the programme cut at
//! the last match, bytes for ASCII terms on any text); never a panic.
#![no_main]

use broadsheet::search::skim::Pattern;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (choice, term) = input;
    // Headline-sized text and a short term: the matcher's matrix is quadratic.
    let choice: String = choice.chars().take(200).collect();
    let term: String = term.chars().filter(|c| !c.is_whitespace()).take(12).collect();
    let expected = SkimMatcherV2::default().smart_case().fuzzy_match(&choice, &term).map(|s| s as i32);
    assert_eq!(Pattern::new(&term).score(&choice), expected, "{choice:?} {term:?}");
});
