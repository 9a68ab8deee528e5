//! The search key of every headline, computed once at load: a 64-bit mask of the (lowercased)
//! bytes it contains, and for the rare headline with non-ASCII capitals, its folded text (see
//! [`super::fold`]). A query term can only match a headline whose mask covers the term's mask
//! and whose text holds the term's bytes in order, ASCII letters compared case-insensitively;
//! only those survivors are scored with `SkimMatcherV2`.
//!
//! Why this is exact: skim compares case-insensitively with `eq_ignore_ascii_case`, and Broadsheet
//! folds other scripts before skim sees the text. So a term matches exactly when its folded,
//! ASCII-lowercased chars are a subsequence of the folded, ASCII-lowercased headline (a term with
//! capitals matches a subset of that); a byte-wise subsequence of the UTF-8 is a necessary
//! condition, which is all a prefilter needs.
//!
//! The headlines themselves are not copied: the subsequence test runs on the collection's text,
//! looking for both cases of a letter at once.

use hashbrown::HashMap;

use crate::collection::{HeadlineKeys, Texts, Words};
use rayon::prelude::*;

/// A headline's number and its folded text.
type Folded = (u32, Box<str>);

/// Masks of all headlines, and the folded text of those that need one.
#[derive(Debug)]
pub struct Index {
    masks: Words,
    /// Headlines with non-ASCII capitals, which scoring must fold first: their folded text.
    folded: HashMap<u32, Box<str>>,
}

/// What the index keeps of one headline: the mask of its (folded) bytes, and whether it has
/// non-ASCII capitals that scoring must fold. A function of the headline alone, so a loader can
/// compute it while the headline is at hand (see [`HeadlineKeys`]).
pub fn key(title: &str) -> (u64, bool) {
    if super::has_foldable(title) {
        (mask(super::fold(title).as_bytes()), true)
    } else {
        (mask(title.as_bytes()), false)
    }
}

impl Index {
    /// The index from keys the loader computed (see [`key`]): only the folded text of the few
    /// headlines with non-ASCII capitals is made here.
    pub fn from_keys(titles: &Texts, keys: &HeadlineKeys) -> Index {
        let folded = keys.foldable.iter().map(|&i| (i, super::fold(titles.get(i as usize)).into())).collect();
        Index { masks: keys.masks.clone(), folded }
    }

    /// The index of `titles`, built on every core.
    pub fn new(titles: &Texts) -> Index {
        const CHUNK: usize = 1 << 15;
        let chunks = titles.len().div_ceil(CHUNK);
        let parts: Vec<(Vec<u64>, Vec<Folded>)> = (0..chunks)
            .into_par_iter()
            .map(|chunk| {
                let mut masks = Vec::with_capacity(CHUNK);
                let mut folded = Vec::new();
                for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(titles.len()) {
                    let title = titles.get(i);
                    let (mask, foldable) = key(title);
                    masks.push(mask);
                    if foldable {
                        folded.push((u32::try_from(i).expect("fewer than 2^32 headlines"), super::fold(title).into()));
                    }
                }
                (masks, folded)
            })
            .collect();
        let mut all = Vec::with_capacity(titles.len());
        let mut index_folded = HashMap::new();
        for (masks, folded) in parts {
            all.extend(masks);
            index_folded.extend(folded);
        }
        Index { masks: Words::Shared(all.into()), folded: index_folded }
    }

    pub fn len(&self) -> usize {
        self.masks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.masks.is_empty()
    }

    /// Does headline `i` have non-ASCII capitals (see [`super::fold`])?
    pub fn foldable(&self, i: usize) -> bool {
        !self.folded.is_empty() && u32::try_from(i).is_ok_and(|i| self.folded.contains_key(&i))
    }

    /// Does headline `i`'s mask hold every byte of every term of `query`? The first half of
    /// [`Index::may_match`], which needs no text.
    pub fn mask_allows(&self, query: &Prefilter, i: usize) -> bool {
        let mask = self.masks[i];
        query.terms.iter().all(|term| term.mask & !mask == 0)
    }

    /// Can every term of `query` match headline `i`, whose text is `title`? A necessary condition
    /// for a skim match, and for queries without capitals very nearly a sufficient one.
    pub fn may_match(&self, query: &Prefilter, i: usize, title: &str) -> bool {
        self.mask_allows(query, i) && self.text_allows(query, i, title)
    }

    /// Are the bytes of every term of `query` found in order in headline `i` (its folded text
    /// where it has one)? The second half of [`Index::may_match`].
    pub fn text_allows(&self, query: &Prefilter, i: usize, title: &str) -> bool {
        let key = match self.folded.is_empty() {
            true => title,
            false => u32::try_from(i).ok().and_then(|i| self.folded.get(&i)).map_or(title, |folded| folded),
        };
        query.terms.iter().all(|term| is_subsequence(&term.bytes, key.as_bytes()))
    }
}

/// A query, prepared for the prefilter: per term, its lowercased bytes and their mask.
#[derive(Debug, Clone)]
pub struct Prefilter {
    terms: Vec<Term>,
}

#[derive(Debug, Clone)]
struct Term {
    bytes: Vec<u8>,
    mask: u64,
}

impl Prefilter {
    pub fn new(query: &str) -> Prefilter {
        let terms = query
            .split_whitespace()
            .map(|term| {
                // Folded fully: a necessary condition for the exact (case-sensitive) match too.
                let bytes = super::fold(term).to_ascii_lowercase().into_bytes();
                Term { mask: mask(&bytes), bytes }
            })
            .collect();
        Prefilter { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// [`Index::may_match`] for a headline outside any index, by its search text: the headline,
    /// or its folded text where it has non-ASCII capitals (see [`key`]).
    pub fn may_match(&self, key: &str) -> bool {
        let mask = mask(key.as_bytes());
        self.terms.iter().all(|term| term.mask & !mask == 0 && is_subsequence(&term.bytes, key.as_bytes()))
    }
}

/// Which byte classes a text contains, ASCII letters in either case alike: a bit per letter and
/// digit, the other bytes hashed into the remaining 28 bits.
fn mask(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |mask, &b| mask | BITS[usize::from(b)])
}

/// Each byte's bit in a mask, looked up rather than computed: masks are built for every
/// headline at load.
static BITS: [u64; 256] = {
    let mut bits = [0; 256];
    let mut b = 0;
    while b < 256 {
        bits[b] = 1 << bit(b as u8);
        b += 1;
    }
    bits
};

const fn bit(b: u8) -> u32 {
    match b.to_ascii_lowercase() {
        b @ b'a'..=b'z' => (b - b'a') as u32,
        b @ b'0'..=b'9' => 26 + (b - b'0') as u32,
        b => 36 + b as u32 % 28,
    }
}

/// Are `needle`'s bytes (lowercased) found in `haystack` in order, ASCII letters in either case?
/// memchr skips ahead between them.
fn is_subsequence(needle: &[u8], haystack: &[u8]) -> bool {
    let mut rest = haystack;
    for &b in needle {
        let found = if b.is_ascii_lowercase() {
            memchr::memchr2(b, b.to_ascii_uppercase(), rest)
        } else {
            memchr::memchr(b, rest)
        };
        match found {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefilter_folds_case() {
        let titles = ["Zürich Talks", "ZÜRICH", "Gaza Ceasefire"];
        let index = Index::new(&titles.into_iter().collect());
        let may = |query: &str, i: usize| index.may_match(&Prefilter::new(query), i, titles[i]);
        assert!(may("zür", 0));
        assert!(may("ZüR", 0), "terms are lowercased too; skim decides case later");
        assert!(may("zür", 1), "keys are folded in every script");
        assert!(!may("zurich", 1), "ü is not u");
        assert!(may("gaza fire", 2));
        assert!(!may("gaza x", 2));
        assert!(!may("fire gaza x", 2), "the mask alone rejects x");
        assert!(may("", 2));
        assert!(!index.foldable(0) && index.foldable(1) && !index.foldable(2));
    }
}
