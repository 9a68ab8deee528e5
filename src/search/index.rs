//! The search key of every headline, computed once at load: the headline folded (see
//! [`super::fold`]) with ASCII letters lowercased, and a 64-bit mask of the bytes it contains. A query term can only match a headline
//! whose mask covers the term's mask and whose key holds the term's bytes in order; only those
//! survivors are scored with `SkimMatcherV2`.
//!
//! Why this is exact: skim compares case-insensitively with `eq_ignore_ascii_case`, and Broadsheet
//! folds other scripts before skim sees the text. So a term matches exactly when its folded,
//! ASCII-lowercased chars are a subsequence of the folded, ASCII-lowercased headline (a term with
//! capitals matches a subset of that); a byte-wise subsequence of the UTF-8 is a necessary
//! condition, which is all a prefilter needs.

/// Lowercased keys of all headlines, in one allocation.
#[derive(Debug, Default)]
pub struct Index {
    keys: String,
    /// `keys[starts[i]..starts[i + 1]]` is headline i's key.
    starts: Vec<usize>,
    masks: Vec<u64>,
    /// Headlines with non-ASCII capitals, which scoring must fold first.
    foldable: Vec<bool>,
}

impl Index {
    pub fn new<'a, I>(titles: I) -> Index
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: Clone,
    {
        // Sized once: growing a 60 MB key string by doubling would copy it again and again.
        let titles = titles.into_iter();
        let (count, bytes) = titles.clone().fold((0, 0), |(n, b), t| (n + 1, b + t.len()));
        let mut index = Index {
            keys: String::with_capacity(bytes + bytes / 16),
            starts: Vec::with_capacity(count + 1),
            masks: Vec::with_capacity(count),
            foldable: Vec::with_capacity(count),
        };
        index.starts.push(0);
        for title in titles {
            index.foldable.push(super::has_foldable(title));
            let start = index.keys.len();
            index.keys.push_str(&super::fold(title));
            index.keys[start..].make_ascii_lowercase();
            index.masks.push(mask(&index.keys.as_bytes()[start..]));
            index.starts.push(index.keys.len());
        }
        index
    }

    pub fn len(&self) -> usize {
        self.masks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.masks.is_empty()
    }

    /// Does headline `i` have non-ASCII capitals (see [`super::fold`])?
    pub fn foldable(&self, i: usize) -> bool {
        self.foldable[i]
    }

    /// Headline `i`'s key.
    pub fn key(&self, i: usize) -> &[u8] {
        &self.keys.as_bytes()[self.starts[i]..self.starts[i + 1]]
    }

    /// Can every term of `query` match headline `i`? A necessary condition for a skim match,
    /// and for queries without capitals very nearly a sufficient one.
    pub fn may_match(&self, query: &Prefilter, i: usize) -> bool {
        let (mask, key) = (self.masks[i], self.key(i));
        query.terms.iter().all(|term| term.mask & !mask == 0 && is_subsequence(&term.bytes, key))
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
}

/// Which byte classes a text contains: a bit per ASCII letter and digit, the other bytes hashed
/// into the remaining 28 bits.
fn mask(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |mask, &b| mask | 1 << bit(b))
}

fn bit(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => u32::from(b - b'a'),
        b'0'..=b'9' => 26 + u32::from(b - b'0'),
        // ASCII capitals never reach here: keys and terms are lowercased first.
        _ => 36 + u32::from(b) % 28,
    }
}

/// Are `needle`'s bytes found in `haystack` in order? memchr skips ahead between them.
fn is_subsequence(needle: &[u8], haystack: &[u8]) -> bool {
    let mut rest = haystack;
    for &b in needle {
        match memchr::memchr(b, rest) {
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
        let index = Index::new(["Zürich Talks", "ZÜRICH", "Gaza Ceasefire"]);
        let q = |s| Prefilter::new(s);
        assert!(index.may_match(&q("zür"), 0));
        assert!(index.may_match(&q("ZüR"), 0), "terms are lowercased too; skim decides case later");
        assert!(index.may_match(&q("zür"), 1), "keys are folded in every script");
        assert!(!index.may_match(&q("zurich"), 1), "ü is not u");
        assert!(index.may_match(&q("gaza fire"), 2));
        assert!(!index.may_match(&q("gaza x"), 2));
        assert!(index.may_match(&q(""), 2));
    }
}
