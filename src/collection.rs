//! A collection of articles, stored so that a million headlines stay small.
//!
//! What the list and the search need of every article, its headline and its id, is kept in two
//! text arenas (one allocation each, not one per article). Whole articles are either held as they
//! were loaded (dumps, standard input, small files) or, for a large JSON file mapped into memory,
//! only remembered by where they start in the file and parsed again when one is opened: bodies,
//! captions and metadata of articles nobody reads never take memory. The loader may also hand
//! over the search index's keys of every headline ([`HeadlineKeys`]), computed while parsing or
//! read from the headline cache.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;

use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use crate::article::Article;

/// Reads the article that starts at a byte offset of a mapped file (the JSON loader's parser).
pub type Open = fn(bytes: &'static [u8], start: usize) -> Result<Article, String>;

/// Articles in the order they were loaded.
#[derive(Clone, Default)]
pub struct Collection {
    titles: Texts,
    ids: Texts,
    /// The search index's keys of every headline, when the loader computed them (see
    /// [`HeadlineKeys`]); otherwise the search computes them.
    keys: Option<HeadlineKeys>,
    parts: Vec<Part>,
    /// Known to have no two articles with the same id (so loading need not check again).
    unique_ids: bool,
    /// Articles its loader left out already for repeating an earlier one's id (the headline
    /// cache keeps a file's collection without them), for the notice that says so.
    duplicates_dropped: usize,
}

/// The articles of one input.
#[derive(Clone)]
enum Part {
    /// Held whole.
    Whole(Vec<Article>),
    /// In a mapped file: each article's first byte, and how to parse it from there.
    Mapped { name: String, bytes: &'static [u8], starts: Cow<'static, [usize]>, open: Open },
    /// Kept by their loader in a cheaper form, made whole when opened: `kept` are the numbers
    /// of the items still in the collection.
    Pending { items: Arc<dyn Pending>, kept: Vec<usize> },
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Whole(articles) => articles.len(),
            Part::Mapped { starts, .. } => starts.len(),
            Part::Pending { kept, .. } => kept.len(),
        }
    }
}

/// Articles that a loader keeps in a cheaper form until one is opened (feed entries, whose
/// HTML becomes paragraphs only when the entry is read: a list of ten thousand headlines never
/// converts ten thousand articles).
pub trait Pending: Send + Sync {
    /// Item `i`, whole. Its headline and id are the ones given to [`Collection::pending`].
    fn article(&self, i: usize) -> Article;

    /// Item `i` in the loader's own compact form, for a store that keeps it that way (the
    /// library keeps feed entries as fetched); `None` when the loader has no such form for it.
    fn saved(&self, _i: usize) -> Option<Saved<'_>> {
        None
    }

    /// Item `i`'s source (its feed's title), without making the article; `None` when the loader
    /// cannot tell it so (the article then says).
    fn source(&self, _i: usize) -> Option<Option<&str>> {
        None
    }
}

/// An article not yet made: the fields lists show, and its loader's bytes to make the rest
/// from (`source::saved::restore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved<'a> {
    pub url: Option<String>,
    /// RFC 3339 UTC.
    pub published: Option<String>,
    pub bytes: &'a [u8],
}

/// What the search index keeps of every headline (`search::index::key`): the mask of its bytes,
/// and which headlines have non-ASCII capitals. A function of the headline alone, so the loader
/// computes it while each headline is at hand, and the headline cache keeps it.
#[derive(Clone, Debug)]
pub struct HeadlineKeys {
    pub masks: Words,
    /// Ascending headline numbers.
    pub foldable: Vec<u32>,
}

/// A read-only array of 64-bit words that clones cheaply: mapped from a cache, or shared.
#[derive(Clone, Debug)]
pub enum Words {
    Mapped(&'static [u64]),
    Shared(Arc<[u64]>),
}

impl std::ops::Deref for Words {
    type Target = [u64];

    fn deref(&self) -> &[u64] {
        match self {
            Words::Mapped(words) => words,
            Words::Shared(words) => words,
        }
    }
}

/// Many strings in one `String`: string `i` is `text[ends[i - 1]..ends[i]]`. Built in memory,
/// or borrowed from a headline cache mapped from disk (see `source::cache`).
#[derive(Clone, Default)]
pub struct Texts {
    text: Cow<'static, str>,
    ends: Cow<'static, [usize]>,
}

impl Texts {
    pub fn with_capacity(count: usize, bytes: usize) -> Texts {
        Texts { text: Cow::Owned(String::with_capacity(bytes)), ends: Cow::Owned(Vec::with_capacity(count)) }
    }

    /// Strings that live elsewhere for the rest of the process, if `ends` describes `text`:
    /// ascending, each on a char boundary, the last at its end.
    pub fn borrowed(text: &'static str, ends: &'static [usize]) -> Option<Texts> {
        let mut start = 0;
        for &end in ends {
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        (start == text.len()).then_some(Texts { text: Cow::Borrowed(text), ends: Cow::Borrowed(ends) })
    }

    /// [`Texts::borrowed`] for ends that were checked already.
    ///
    /// # Safety
    /// `ends` must be ascending (equal neighbours allowed), each on a char boundary of `text`,
    /// the last at its end (or both empty): `get` slices without checking.
    pub unsafe fn borrowed_unchecked(text: &'static str, ends: &'static [usize]) -> Texts {
        debug_assert!(Texts::borrowed(text, ends).is_some());
        Texts { text: Cow::Borrowed(text), ends: Cow::Borrowed(ends) }
    }

    pub fn push(&mut self, text: &str) {
        let all = self.text.to_mut();
        all.push_str(text);
        let end = all.len();
        self.ends.to_mut().push(end);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &str {
        let end = self.ends[i];
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.slice(start, end)
    }

    /// `text[start..end]` for two neighbouring ends, without checking them again: `Texts` are
    /// only made with ascending ends on char boundaries, the last at the text's end (`push`,
    /// `extend` and `retain` keep that; `borrowed` checks it). Loading and searching a million
    /// headlines look strings up millions of times.
    #[inline]
    fn slice(&self, start: usize, end: usize) -> &str {
        debug_assert!(start <= end && self.text.is_char_boundary(start) && self.text.is_char_boundary(end));
        // SAFETY: see above; `end` is at most the text's length, `start` at most `end`.
        unsafe { self.text.get_unchecked(start..end) }
    }

    /// All strings, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + Clone + '_ {
        self.ends.iter().enumerate().map(|(i, &end)| self.slice(if i == 0 { 0 } else { self.ends[i - 1] }, end))
    }

    /// Appends all of `other`'s strings.
    pub fn extend(&mut self, other: &Texts) {
        let base = self.text.len();
        self.text.to_mut().push_str(&other.text);
        self.ends.to_mut().extend(other.ends.iter().map(|end| end + base));
    }

    /// The strings of every part, one part after another, copied on every core; each part is
    /// dropped once copied, so that the memory held is never much more than the result's.
    pub fn concat(parts: Vec<Texts>) -> Texts {
        let bases: Vec<usize> =
            parts.iter().scan(0, |base, part| Some(std::mem::replace(base, *base + part.bytes()))).collect();
        let (texts, ends): (Vec<Cow<'static, str>>, Vec<Cow<'static, [usize]>>) =
            parts.into_iter().map(|part| (part.text, part.ends)).unzip();
        let texts: Vec<Vec<u8>> = texts.into_iter().map(|text| text.into_owned().into_bytes()).collect();
        let text = concat_parts(texts, |_, byte| byte);
        let ends = concat_parts(ends.into_iter().map(Cow::into_owned).collect(), |part, end| end + bases[part]);
        // SAFETY: the parts' texts, each valid UTF-8, one after another: valid UTF-8.
        Texts { text: Cow::Owned(unsafe { String::from_utf8_unchecked(text) }), ends: Cow::Owned(ends) }
    }

    /// All the text, one string after another.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each string ends in [`Texts::text`].
    pub fn ends(&self) -> &[usize] {
        &self.ends
    }

    /// Total bytes of text.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }

    /// Keeps the strings for which `keep` is true. Text held in memory is compacted in place
    /// (a second copy of a million headlines was tens of megabytes at the peak); borrowed text
    /// is copied.
    pub fn retain(&mut self, keep: &[bool]) {
        let Cow::Owned(text) = &mut self.text else {
            let mut out = Texts::with_capacity(self.len(), self.bytes());
            self.iter().zip(keep).filter(|(_, keep)| **keep).for_each(|(text, _)| out.push(text));
            *self = out;
            return;
        };
        let mut bytes = std::mem::take(text).into_bytes();
        let ends = self.ends.to_mut();
        let (mut write, mut start, mut kept) = (0, 0, 0);
        for i in 0..ends.len() {
            let end = ends[i];
            if keep.get(i).copied().unwrap_or(true) {
                bytes.copy_within(start..end, write);
                write += end - start;
                ends[kept] = write;
                kept += 1;
            }
            start = end;
        }
        bytes.truncate(write);
        ends.truncate(kept);
        // SAFETY: `bytes` now holds whole strings of a valid UTF-8 text, one after another
        // (each moved intact from char boundary to char boundary), which is valid UTF-8.
        self.text = Cow::Owned(unsafe { String::from_utf8_unchecked(bytes) });
    }
}

impl Collection {
    /// Articles held whole.
    pub fn new(articles: Vec<Article>) -> Collection {
        let bytes = |f: fn(&Article) -> &str| articles.iter().map(|a| f(a).len()).sum();
        let mut titles = Texts::with_capacity(articles.len(), bytes(|a| &a.title));
        let mut ids = Texts::with_capacity(articles.len(), bytes(|a| &a.id));
        for article in &articles {
            titles.push(&article.title);
            ids.push(&article.id);
        }
        Collection {
            titles,
            ids,
            keys: None,
            parts: vec![Part::Whole(articles)],
            unique_ids: false,
            duplicates_dropped: 0,
        }
    }

    /// Articles of a mapped file, known by their headlines, ids and first bytes; `open` parses
    /// one when it is needed. `name` is the file's, for the message if that ever fails.
    pub fn mapped(
        name: String,
        bytes: &'static [u8],
        titles: Texts,
        ids: Texts,
        starts: Cow<'static, [usize]>,
        open: Open,
    ) -> Self {
        assert!(titles.len() == starts.len() && ids.len() == starts.len(), "one headline and id per article");
        Collection {
            titles,
            ids,
            keys: None,
            parts: vec![Part::Mapped { name, bytes, starts, open }],
            unique_ids: false,
            duplicates_dropped: 0,
        }
    }

    /// Articles made whole when they are opened; `titles` and `ids` are theirs, one per item.
    pub fn pending(titles: Texts, ids: Texts, items: Arc<dyn Pending>) -> Collection {
        assert_eq!(titles.len(), ids.len(), "one headline and id per article");
        let kept = (0..titles.len()).collect();
        Collection {
            titles,
            ids,
            keys: None,
            parts: vec![Part::Pending { items, kept }],
            unique_ids: false,
            duplicates_dropped: 0,
        }
    }

    /// With the search keys of every headline, computed by the loader.
    pub fn with_keys(mut self, keys: HeadlineKeys) -> Collection {
        assert_eq!(keys.masks.len(), self.len(), "one key per headline");
        self.keys = Some(keys);
        self
    }

    /// The search keys of every headline, if the loader computed them.
    pub fn keys(&self) -> Option<&HeadlineKeys> {
        self.keys.as_ref()
    }

    /// Marks the ids as known to be distinct (or not).
    pub fn with_unique_ids(mut self, unique: bool) -> Collection {
        self.unique_ids = unique;
        self
    }

    /// Are the ids known to be distinct? False when nobody checked.
    pub fn has_unique_ids(&self) -> bool {
        self.unique_ids
    }

    /// With `n` articles already left out by its loader for repeating an earlier id.
    pub fn with_duplicates_dropped(mut self, n: usize) -> Collection {
        self.duplicates_dropped = n;
        self
    }

    /// Articles its loader left out for repeating an earlier id.
    pub fn duplicates_dropped(&self) -> usize {
        self.duplicates_dropped
    }

    /// The first byte of each article, when the collection is one mapped file.
    pub fn mapped_starts(&self) -> Option<&[usize]> {
        match self.parts.as_slice() {
            [Part::Mapped { starts, .. }] => Some(starts),
            _ => None,
        }
    }

    /// Appends another collection's articles after these.
    pub fn append(&mut self, other: Collection) {
        if self.is_empty() {
            // The usual case, one input: taken as it is, not copied.
            *self = other;
            return;
        }
        self.titles.extend(&other.titles);
        self.ids.extend(&other.ids);
        self.unique_ids = false;
        self.duplicates_dropped += other.duplicates_dropped;
        // Keys of some inputs only: the search computes them all instead.
        self.keys = None;
        self.parts.extend(other.parts.into_iter().filter(|part| part.len() > 0));
    }

    pub fn len(&self) -> usize {
        self.titles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// Headline `i` (sanitized and trimmed by the loader).
    pub fn title(&self, i: usize) -> &str {
        self.titles.get(i)
    }

    pub fn titles(&self) -> &Texts {
        &self.titles
    }

    pub fn ids(&self) -> &Texts {
        &self.ids
    }

    pub fn id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    /// Article `i`, borrowed when it is held whole, else parsed from its file.
    pub fn article(&self, index: usize) -> Cow<'_, Article> {
        let Some((part, i)) = self.locate(index) else { panic!("article {index} is out of range") };
        match part {
            Part::Whole(articles) => Cow::Borrowed(&articles[i]),
            Part::Pending { items, kept } => Cow::Owned(items.article(kept[i])),
            Part::Mapped { name, bytes, starts, open } => {
                Cow::Owned(open(bytes, starts[i]).unwrap_or_else(|err| {
                    // Only if the file changed since it was loaded: say so in place of the article.
                    Article::new(
                        self.title(index).to_string(),
                        vec![],
                        vec![format!(
                            "This article could not be read again: {name} changed since it was loaded ({err})."
                        )],
                    )
                }))
            }
        }
    }

    /// Article `index`'s source (the feed it came from), without making the article when its
    /// loader can tell.
    pub fn source(&self, index: usize) -> Option<String> {
        if let Some((Part::Pending { items, kept }, i)) = self.locate(index)
            && let Some(source) = items.source(kept[i])
        {
            return source.map(str::to_string);
        }
        self.article(index).source.clone()
    }

    /// The part that holds article `index`, and its number in that part.
    fn locate(&self, index: usize) -> Option<(&Part, usize)> {
        let mut i = index;
        for part in &self.parts {
            if i < part.len() {
                return Some((part, i));
            }
            i -= part.len();
        }
        None
    }

    /// Article `i` in its loader's compact form, when it has one (see [`Pending::saved`]).
    pub fn saved(&self, index: usize) -> Option<Saved<'_>> {
        match self.locate(index)? {
            (Part::Pending { items, kept }, i) => items.saved(kept[i]),
            (Part::Whole(_) | Part::Mapped { .. }, _) => None,
        }
    }

    /// Every article in order (parsed one at a time from mapped files).
    pub fn articles(&self) -> impl Iterator<Item = Cow<'_, Article>> + '_ {
        (0..self.len()).map(|i| self.article(i))
    }

    /// Every article, owned: for tests and small collections.
    pub fn to_vec(&self) -> Vec<Article> {
        self.articles().map(Cow::into_owned).collect()
    }

    /// Keeps the articles for which `keep` (indexed like the collection) is true.
    pub fn retain(&mut self, keep: &[bool]) {
        // Headlines, ids and search keys on cores of their own.
        let (titles, ids, keys) = (&mut self.titles, &mut self.ids, &mut self.keys);
        rayon::join(|| titles.retain(keep), || rayon::join(|| ids.retain(keep), || Self::retain_keys(keys, keep)));
        self.retain_parts(keep);
    }

    /// The search keys of the kept headlines: renumbered, not computed again.
    fn retain_keys(keys: &mut Option<HeadlineKeys>, keep: &[bool]) {
        *keys = keys.take().map(|keys| {
            let masks: Vec<u64> = keys.masks.iter().zip(keep).filter(|(_, keep)| **keep).map(|(m, _)| *m).collect();
            let mut number = Vec::with_capacity(keep.len());
            let mut next = 0u32;
            for &kept in keep {
                number.push(next);
                next += u32::from(kept);
            }
            let foldable = keys.foldable.iter().filter(|&&i| keep[i as usize]).map(|&i| number[i as usize]).collect();
            HeadlineKeys { masks: Words::Shared(masks.into()), foldable }
        });
    }

    fn retain_parts(&mut self, keep: &[bool]) {
        let mut flags = keep.iter().copied();
        for part in &mut self.parts {
            let part_flags: Vec<bool> = flags.by_ref().take(part.len()).collect();
            let mut it = part_flags.into_iter();
            match part {
                Part::Whole(articles) => articles.retain(|_| it.next().unwrap_or(true)),
                Part::Mapped { starts, .. } => starts.to_mut().retain(|_| it.next().unwrap_or(true)),
                Part::Pending { kept, .. } => kept.retain(|_| it.next().unwrap_or(true)),
            }
        }
    }
}

/// The values of every part, one part after another (each changed by `adjust`, which is told
/// its part's number), copied into place on every core. A part is dropped as soon as it is
/// copied.
pub fn concat_parts<T: Copy + Send + Sync>(parts: Vec<Vec<T>>, adjust: impl Fn(usize, T) -> T + Sync) -> Vec<T> {
    let total = parts.iter().map(Vec::len).sum();
    let mut all: Vec<T> = Vec::with_capacity(total);
    let mut room = &mut all.spare_capacity_mut()[..total];
    let mut places = Vec::with_capacity(parts.len());
    for part in &parts {
        let (place, rest) = room.split_at_mut(part.len());
        places.push(place);
        room = rest;
    }
    parts.into_par_iter().zip(places).enumerate().for_each(|(k, (part, place))| {
        for (slot, &value) in place.iter_mut().zip(&part) {
            slot.write(adjust(k, value));
        }
    });
    // SAFETY: the places cover the first `total` slots, and every slot of each was written.
    unsafe { all.set_len(total) };
    all
}

impl<'a> FromIterator<&'a str> for Texts {
    fn from_iter<I: IntoIterator<Item = &'a str>>(texts: I) -> Texts {
        let mut all = Texts::default();
        texts.into_iter().for_each(|text| all.push(text));
        all
    }
}

impl From<Vec<Article>> for Collection {
    fn from(articles: Vec<Article>) -> Collection {
        Collection::new(articles)
    }
}

impl fmt::Debug for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Collection").field("articles", &self.len()).field("parts", &self.parts.len()).finish()
    }
}

/// The canonical document, `{"articles": [...]}`, written one article at a time.
impl Serialize for Collection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Articles<'a>(&'a Collection);
        impl Serialize for Articles<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
                for article in self.0.articles() {
                    seq.serialize_element(article.as_ref())?;
                }
                seq.end()
            }
        }
        let mut document = serializer.serialize_struct("Collection", 1)?;
        document.serialize_field("articles", &Articles(self))?;
        document.end()
    }
}
