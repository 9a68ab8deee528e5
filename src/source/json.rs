//! The JSON loader: the canonical `{"articles": [...]}` document, or a bare array of articles.

use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::ops::Range;

use rayon::prelude::*;
use serde::Deserialize;

use crate::article::{Article, Caption, split_paragraphs};
use crate::collection::{Collection, HeadlineKeys, Texts, Words, concat_parts};
use crate::sanitize::{sanitize, sanitize_cow, sanitize_in_place};

/// The canonical document.
#[derive(Deserialize)]
struct Document {
    articles: Vec<Article>,
}

/// Parses a JSON collection. Every string is sanitized, headlines are trimmed, and articles
/// without an `id` get their content id.
pub fn parse(text: &str) -> serde_json::Result<Vec<Article>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let articles = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<Article>>(text)?
    } else {
        serde_json::from_str::<Document>(text)?.articles
    };
    Ok(articles.into_iter().map(clean).collect())
}

/// Parses a JSON collection from a reader, streaming: a large file is never held in memory
/// twice (as bytes and as articles).
pub fn parse_reader(reader: impl Read) -> serde_json::Result<Vec<Article>> {
    let mut reader = std::io::BufReader::with_capacity(1 << 20, reader);
    // Skip a BOM and whitespace to see whether this is a bare array.
    let bare_array = loop {
        let buf = reader.fill_buf().map_err(serde_json::Error::io)?;
        let skip = match buf {
            [] => break false,
            [0xef, 0xbb, 0xbf, ..] => 3,
            [b' ' | b'\t' | b'\r' | b'\n', ..] => 1,
            [first, ..] => break *first == b'[',
        };
        reader.consume(skip);
    };
    let articles = if bare_array {
        serde_json::from_reader::<_, Vec<Article>>(reader)?
    } else {
        serde_json::from_reader::<_, Document>(reader)?.articles
    };
    Ok(articles.into_iter().map(clean).collect())
}

/// Sanitizes every field of an article and fills in a missing id. Clean text is kept as it is,
/// without a copy.
pub(crate) fn clean(mut article: Article) -> Article {
    clean_in_place(&mut article);
    article
}

/// [`clean`] for an article made from HTML (a feed entry, a page): a paragraph that was nothing
/// but control characters or an escape sequence is none, not an empty one.
pub(crate) fn clean_converted(article: Article) -> Article {
    let mut article = clean(article);
    article.body.retain(|p| !p.trim().is_empty());
    article
}

fn clean_in_place(article: &mut Article) {
    if article.title.trim().len() != article.title.len() || !crate::sanitize::is_clean(&article.title) {
        article.title = sanitize(article.title.trim()).trim().to_string();
    }
    article.shorten_long_title();
    for caption in &mut article.captions {
        sanitize_in_place(&mut caption.text);
        if let Some(credit) = &mut caption.credit {
            sanitize_in_place(credit);
        }
    }
    for paragraph in &mut article.body {
        sanitize_cow(paragraph);
    }
    for field in [&mut article.source, &mut article.published, &mut article.url].into_iter().flatten() {
        sanitize_in_place(field);
    }
    if article.id.trim().is_empty() {
        article.id = article.content_id();
    } else {
        sanitize_in_place(&mut article.id);
    }
}

/// An article as read from a memory-mapped file: the body borrows from the file.
#[derive(Deserialize)]
struct MappedArticle<'a> {
    #[serde(default)]
    id: String,
    title: String,
    #[serde(default)]
    captions: Vec<Caption>,
    #[serde(borrow, default, deserialize_with = "borrowed_paragraphs")]
    body: Vec<Cow<'a, str>>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

impl From<MappedArticle<'static>> for Article {
    fn from(a: MappedArticle<'static>) -> Article {
        Article {
            id: a.id,
            title: a.title,
            captions: a.captions,
            body: a.body,
            source: a.source,
            published: a.published,
            url: a.url,
        }
    }
}

#[derive(Deserialize)]
struct MappedCollection<'a> {
    #[serde(borrow)]
    articles: Vec<MappedArticle<'a>>,
}

/// `body` as an array of paragraphs (borrowed where they need no unescaping), one string (split
/// on blank lines) or null. A visitor of its own: serde's untagged enums buffer their input and
/// would copy every paragraph.
fn borrowed_paragraphs<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
    struct Paragraphs;

    #[derive(Deserialize)]
    struct Paragraph<'a>(#[serde(borrow)] Cow<'a, str>);

    impl<'de> serde::de::Visitor<'de> for Paragraphs {
        type Value = Vec<Cow<'de, str>>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of paragraphs, a string or null")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut paragraphs = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(Paragraph(text)) = seq.next_element()? {
                paragraphs.push(text);
            }
            Ok(paragraphs)
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(split_paragraphs(text).into_iter().map(Cow::Owned).collect())
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(Paragraphs)
}

/// Files from this size up are parsed in parallel pieces.
pub const PARALLEL_FROM: usize = 8 << 20;

fn parse_sequentially(bytes: &'static [u8]) -> serde_json::Result<Vec<MappedArticle<'static>>> {
    let bare_array = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    Ok(if bare_array {
        serde_json::from_slice::<Vec<MappedArticle<'static>>>(bytes)?
    } else {
        serde_json::from_slice::<MappedCollection<'static>>(bytes)?.articles
    })
}

/// What a parallel parse keeps of the articles of one piece of a file: told each article's
/// first byte, cleaned headline and id, in order.
pub trait Sink: Send {
    fn push(&mut self, start: usize, title: &str, id: &str);
}

/// Headlines, ids and first bytes of the articles of one piece of a file.
#[derive(Default)]
struct Piece {
    titles: Texts,
    ids: Texts,
    starts: Vec<usize>,
    /// The search keys of the headlines (see `HeadlineKeys`), numbered within the piece.
    masks: Vec<u64>,
    foldable: Vec<u32>,
}

impl Sink for Piece {
    fn push(&mut self, start: usize, title: &str, id: &str) {
        Piece::push(self, start, title, id);
    }
}

impl Piece {
    /// The pieces one after another, copied on every core.
    fn concat(pieces: Vec<Piece>) -> Piece {
        let mut foldable = Vec::new();
        let mut base = 0;
        let (mut titles, mut ids, mut starts, mut masks) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for piece in pieces {
            foldable.extend(piece.foldable.iter().map(|i| i + base));
            base += u32::try_from(piece.starts.len()).expect("fewer than 2^32 articles");
            titles.push(piece.titles);
            ids.push(piece.ids);
            starts.push(piece.starts);
            masks.push(piece.masks);
        }
        let ((titles, ids), (starts, masks)) = rayon::join(
            || rayon::join(|| Texts::concat(titles), || Texts::concat(ids)),
            || rayon::join(|| concat_parts(starts, |_, at| at), || concat_parts(masks, |_, mask| mask)),
        );
        Piece { titles, ids, starts, masks, foldable }
    }

    fn push(&mut self, start: usize, title: &str, id: &str) {
        let (mask, foldable) = crate::search::index::key(title);
        if foldable {
            self.foldable.push(u32::try_from(self.starts.len()).expect("fewer than 2^32 articles"));
        }
        self.masks.push(mask);
        self.starts.push(start);
        self.titles.push(title);
        self.ids.push(id);
    }
}

/// Parses the articles array in pieces on every core. Each piece starts where an article seems
/// to start (`}` `,` `{` with only whitespace between); the guess is then proved: the piece
/// before must end exactly there. Anything unexpected (a guess inside a string, another shape
/// of document, an error) returns `None`, and the caller parses sequentially, which also gives
/// the proper error message.
///
/// Every article is parsed and checked in full, but only its headline, id and first byte are
/// kept; `release` is told which bytes are done with, so their pages can be given back while
/// the rest is parsed.
fn parse_in_parallel(bytes: &'static [u8], from: usize, release: &(dyn Fn(Range<usize>) + Sync)) -> Option<Piece> {
    parse_pieces(bytes, from, release, &Piece::default).map(Piece::concat)
}

/// The articles array parsed in pieces on every core, each piece's articles given to a sink of
/// its own (made by `sink`), the sinks in the file's order; `None` as for [`parse_in_parallel`].
/// For a pass that keeps less than a collection (`search --limit` on a file without a cache).
pub fn parse_pieces<S: Sink>(
    bytes: &'static [u8],
    from: usize,
    release: &(dyn Fn(Range<usize>) + Sync),
    sink: &(dyn Fn() -> S + Sync),
) -> Option<Vec<S>> {
    if bytes.len() < from {
        return None;
    }
    let (first, wrapped) = array_start(bytes)?;
    if bytes.get(first) == Some(&b']') {
        return None;
    }
    let pieces = rayon::current_num_threads() * 4;
    let mut starts = vec![first];
    for k in 1..pieces {
        let target = first + (bytes.len() - first) * k / pieces;
        let last = *starts.last().expect("never empty");
        if let Some(start) = article_start_after(bytes, target.max(last + 1)) {
            starts.push(start);
        }
    }
    let parsed: Vec<Option<(S, usize, bool)>> = (0..starts.len())
        .into_par_iter()
        .map(|k| parse_piece(bytes, starts[k], starts.get(k + 1).copied(), release, sink()))
        .collect();
    let mut end = None;
    let mut pieces = Vec::with_capacity(parsed.len());
    for (k, piece) in parsed.into_iter().enumerate() {
        let (piece, stop, closed) = piece?;
        match starts.get(k + 1) {
            // Proof of the guess: this piece ended exactly where the next one began.
            Some(&next) if stop == next && !closed => {}
            None if closed => end = Some(stop),
            _ => return None,
        }
        pieces.push(piece);
    }
    // After the array: the end of the document (or of the wrapping object).
    let mut at = skip_whitespace(bytes, end?);
    if wrapped {
        if bytes.get(at) != Some(&b'}') {
            return None;
        }
        at = skip_whitespace(bytes, at + 1);
    }
    (at == bytes.len()).then_some(pieces)
}

/// Where the articles array's first element starts, and whether the array is wrapped in
/// `{"articles": …}`. Only the two shapes Broadsheet writes and reads.
fn array_start(bytes: &[u8]) -> Option<(usize, bool)> {
    let at = skip_whitespace(bytes, 0);
    match bytes.get(at)? {
        b'[' => Some((skip_whitespace(bytes, at + 1), false)),
        b'{' => {
            let at = skip_whitespace(bytes, at + 1);
            let rest = bytes.get(at..)?.strip_prefix(b"\"articles\"")?;
            let at = skip_whitespace(bytes, bytes.len() - rest.len());
            (bytes.get(at) == Some(&b':')).then_some(())?;
            let at = skip_whitespace(bytes, at + 1);
            (bytes.get(at) == Some(&b'[')).then_some(())?;
            Some((skip_whitespace(bytes, at + 1), true))
        }
        _ => None,
    }
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// The next `{` at or after `from` that follows `}` and `,` with only whitespace between.
fn article_start_after(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = memchr::memchr(b'{', bytes.get(at..)?) {
        let brace = at + found;
        let before = bytes[..brace].iter().rev().copied().skip_while(u8::is_ascii_whitespace);
        let mut before = before;
        if before.next() == Some(b',') && before.find(|b| !b.is_ascii_whitespace()) == Some(b'}') {
            return Some(brace);
        }
        at = brace + 1;
    }
    None
}

/// Bytes parsed between two calls of `release`.
const RELEASE_EVERY: usize = 4 << 20;

/// Parses articles from `at`, one after another, until the array closes or the next piece's
/// start (`limit`) is reached. Returns what it kept, where it stopped, and whether that is just
/// after the closing `]`.
fn parse_piece<S: Sink>(
    bytes: &'static [u8],
    mut at: usize,
    limit: Option<usize>,
    release: &(dyn Fn(Range<usize>) + Sync),
    mut piece: S,
) -> Option<(S, usize, bool)> {
    let mut released = at;
    loop {
        let mut content_id = [0; 16];
        // The fast path, when it is sure, and the headline and id need no cleaning.
        let fast = super::scan::article(bytes, at)
            .and_then(|scanned| Some((scanned.title, fast_id(&scanned, &mut content_id)?, scanned.end)));
        at = match fast {
            Some((title, id, end)) => {
                piece.push(at, title, id);
                end
            }
            None => {
                let (article, length) = article_at(bytes, at).ok()?;
                piece.push(at, &article.title, &article.id);
                at + length
            }
        };
        at = skip_whitespace(bytes, at);
        if at - released >= RELEASE_EVERY {
            release(released..at);
            released = at;
        }
        match bytes.get(at)? {
            b',' => {
                at = skip_whitespace(bytes, at + 1);
                if limit.is_some_and(|limit| at >= limit) {
                    return Some((piece, at, false));
                }
            }
            b']' => return Some((piece, at + 1, true)),
            _ => return None,
        }
    }
}

/// The headline, id and end of the article object at `at`, as serde reads them (before any
/// cleaning), or `None` where serde reports an error: the reference that the fast path
/// ([`super::scan::article`]) is held to by tests and the `scan` fuzz target.
pub fn serde_headline_and_id(bytes: &[u8], at: usize) -> Option<(String, String, usize)> {
    if at > bytes.len() {
        return None;
    }
    let (article, length) = mapped_at(bytes, at).ok()?;
    Some((article.title, article.id, at + length))
}

/// The headline and id the loader keeps for the article object at `at`, where the fast path is
/// sure of them without serde (see [`fast_id`]): for the `scan` fuzz target, which holds it to
/// [`cleaned_headline_and_id`].
pub fn fast_headline_and_id(bytes: &[u8], at: usize) -> Option<(String, String)> {
    let scanned = super::scan::article(bytes, at)?;
    let mut buffer = [0; 16];
    let id = fast_id(&scanned, &mut buffer)?;
    Some((scanned.title.to_string(), id.to_string()))
}

/// The headline and id of the article object at `at` as serde reads it and the loader cleans it
/// (a missing id made the content id).
pub fn cleaned_headline_and_id(bytes: &[u8], at: usize) -> Option<(String, String)> {
    let (mapped, _) = mapped_at(bytes.get(at..)?, 0).ok()?;
    let body = mapped.body.into_iter().map(|p| Cow::Owned(p.into_owned())).collect();
    let mut article = Article::from(MappedArticle { body, ..mapped });
    clean_in_place(&mut article);
    Some((article.title, article.id))
}

/// The article's id as [`clean_in_place`] leaves it, where the fast path can tell without
/// building the article: the headline needs no cleaning (trimmed, clean, not too long to be
/// shortened) and the id is given and clean, or missing (or blank) and the body's paragraphs,
/// if any, are plain and clean, so the content id is made from the text as written (in
/// `buffer`). `None` sends the article to serde.
fn fast_id<'a>(scanned: &super::scan::Scanned<'a>, buffer: &'a mut [u8; 16]) -> Option<&'a str> {
    let clean = crate::sanitize::is_clean;
    let title = scanned.title;
    if title.len() > crate::article::MAX_TITLE_CHARS || title.trim().len() != title.len() || !clean(title) {
        return None;
    }
    match scanned.id {
        Some(id) if !id.trim().is_empty() => clean(id).then_some(id),
        _ => {
            let paragraphs = scanned.body.paragraphs()?;
            if !scanned.body.paragraphs()?.all(clean) {
                return None;
            }
            *buffer = crate::article::content_id(title, paragraphs);
            std::str::from_utf8(buffer).ok()
        }
    }
}

/// The article whose JSON starts at byte `start`, checked and sanitized, with the number of
/// bytes it took.
fn article_at(bytes: &'static [u8], start: usize) -> serde_json::Result<(Article, usize)> {
    let (mapped, length) = mapped_at(bytes, start)?;
    let mut article = Article::from(mapped);
    clean_in_place(&mut article);
    Ok((article, length))
}

/// The article object that starts at byte `start` as serde reads it (not yet cleaned), with the
/// number of bytes it took.
fn mapped_at(bytes: &[u8], start: usize) -> serde_json::Result<(MappedArticle<'_>, usize)> {
    let mut stream = serde_json::Deserializer::from_slice(&bytes[start..]).into_iter::<MappedArticle>();
    match stream.next() {
        Some(parsed) => Ok((parsed?, stream.byte_offset())),
        None => Err(serde::de::Error::custom("no article here")),
    }
}

/// Opens one article of a mapped collection (see [`Collection::mapped`]).
pub fn open(bytes: &'static [u8], start: usize) -> Result<Article, String> {
    article_at(bytes, start).map(|(article, _)| article).map_err(|err| err.to_string())
}

/// Parses a JSON collection that stays in memory (a mapped file) for the rest of the process.
/// A large file is parsed in parallel and kept as headlines and positions (see
/// `parse_in_parallel`); otherwise articles are parsed whole, their body paragraphs borrowing
/// from the file instead of being copied.
pub fn parse_static(
    name: &str,
    bytes: &'static [u8],
    release: &(dyn Fn(Range<usize>) + Sync),
) -> serde_json::Result<Collection> {
    let bom = super::bom_len(bytes);
    let bytes = &bytes[bom..];
    if let Some(piece) =
        parse_in_parallel(bytes, PARALLEL_FROM, &|range: Range<usize>| release(range.start + bom..range.end + bom))
    {
        let keys = HeadlineKeys { masks: Words::Shared(piece.masks.into()), foldable: piece.foldable };
        let collection =
            Collection::mapped(name.to_string(), bytes, piece.titles, piece.ids, piece.starts.into(), open);
        return Ok(collection.with_keys(keys));
    }
    let mapped = parse_sequentially(bytes)?;
    // Sequential moves, which Rust does in place (the two types have the same layout), then the
    // cleaning in parallel.
    let mut articles: Vec<Article> = mapped.into_iter().map(Article::from).collect();
    articles.par_iter_mut().for_each(clean_in_place);
    Ok(Collection::from(articles))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak(text: String) -> &'static [u8] {
        Box::leak(text.into_boxed_str()).as_bytes()
    }

    fn titles(articles: &[MappedArticle]) -> Vec<String> {
        articles.iter().map(|a| a.title.clone()).collect()
    }

    fn piece_titles(piece: &Piece) -> Vec<String> {
        piece.titles.iter().map(str::to_string).collect()
    }

    fn ignore(_: Range<usize>) {}

    #[test]
    fn parallel_pieces_equal_one_pass() {
        // Bodies that look like article boundaries inside strings, in both shapes of document.
        let article =
            |i: usize| format!(r#"{{"title": "Headline {i}", "body": ["a }}, {{ b", "x\"}},{{\"y"], "captions": []}}"#);
        let list: Vec<String> = (0..500).map(article).collect();
        for document in
            [format!("[{}]", list.join(",")), format!("{{\n \"articles\": [\n{}\n ]\n}}\n", list.join(",\n"))]
        {
            let bytes = leak(document);
            let sequential = parse_sequentially(bytes).unwrap();
            // Pieces may or may not be provable; when they are, they must agree.
            if let Some(parallel) = parse_in_parallel(bytes, 0, &ignore) {
                assert_eq!(piece_titles(&parallel), titles(&sequential));
                let bodies = parallel.starts.iter().map(|&at| open(bytes, at).unwrap().body.len()).sum::<usize>();
                assert_eq!(bodies, 1000);
            }
        }
        // The canonical document, as `list --json` writes it, is provable.
        let collection = crate::corpus::articles(300, 5);
        let bytes = leak(serde_json::to_string_pretty(&collection).unwrap());
        let parallel = parse_in_parallel(bytes, 0, &ignore).expect("the canonical form splits");
        assert_eq!(piece_titles(&parallel), titles(&parse_sequentially(bytes).unwrap()));
    }

    /// Pieces of article JSON, good and bad, for the fast path's property test.
    fn value() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            r#""plain""#,
            r#""  spaced ""#,
            r#""esc\"aped\n""#,
            r#""caf\u00e9 \ud83d\ude00""#,
            r#""\ud800""#,
            r#""\x""#,
            "\"tab\there\"",
            "\"caf\u{e9} \u{5317}\"",
            r#""""#,
            "null",
            "1",
            "-0.5e3",
            "true",
            "[]",
            r#"["a", "b\"c"]"#,
            "[null]",
            "[1]",
            r#"[{"text": "t"}]"#,
            r#"[{"text": "t", "credit": null, "x": [1, {"y": null}]}]"#,
            r#"[{"credit": "c"}]"#,
            r#"[{"text": "a", "text": "b"}]"#,
            r#"[{"text": 5}]"#,
            r#"{"a": {"b": [null, "c"]}}"#,
            r#"{"a": }"#,
            "[",
            "{}",
        ])
    }

    fn key() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "id",
            "title",
            "captions",
            "body",
            "source",
            "published",
            "url",
            "extra",
            "ti\\u0074le",
            "",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 4096, ..Default::default() })]

        /// Whenever the fast path reads an article, serde reads it too, with the same headline, id
        /// and end.
        #[test]
        fn the_fast_path_agrees_with_serde(
            mut members in proptest::collection::vec((key(), value()), 0..5),
            id in proptest::sample::select(vec![r#""h1""#, r#""""#, r#""a\\tb""#, "null", r#"" x ""#]),
            title in proptest::sample::select(vec![r#""Gaza Talks""#, r#""  Spaced ""#, r#""Caf\\u00e9""#, "\"Zu\u{308}rich \u{5317}\"", r#""""#]),
            places in (0usize..6, 0usize..6),
            spaces in proptest::collection::vec(proptest::sample::select(vec!["", " ", "\n\t", "\r\n "]), 12),
            cut in proptest::option::of(0usize..400),
        ) {
            members.insert(places.0.min(members.len()), ("id", id));
            members.insert(places.1.min(members.len()), ("title", title));
            let space = |i: usize| spaces[i % spaces.len()];
            let body: Vec<String> =
                members.iter().enumerate().map(|(i, (k, v))| format!("{}\"{k}\"{}:{}{v}", space(i), space(i + 1), space(i + 2))).collect();
            let mut json = format!("{{{}{}}}{}, ", body.join(","), space(3), space(4));
            if let Some(cut) = cut {
                json.truncate(json.char_indices().map(|(i, _)| i).take_while(|&i| i <= cut).last().unwrap_or(0));
            }
            if let Some(scanned) = super::super::scan::article(json.as_bytes(), 0) {
                let expected = (scanned.title.to_string(), scanned.id.unwrap_or("").to_string(), scanned.end);
                proptest::prop_assert_eq!(serde_headline_and_id(json.as_bytes(), 0), Some(expected), "{:?}", json);
            }
            // And the headline and id it keeps are the cleaned article's (as the scan fuzz target
            // checks).
            if let Some(kept) = fast_headline_and_id(json.as_bytes(), 0) {
                proptest::prop_assert_eq!(cleaned_headline_and_id(json.as_bytes(), 0), Some(kept), "{:?}", json);
            }
        }
    }

    #[test]
    fn the_fast_path_reads_what_broadsheet_writes() {
        let mut articles = crate::corpus::articles(50, 8).to_vec();
        articles.extend(crate::corpus::headline_collection(500, 8).to_vec());
        let json = serde_json::to_string(&Collection::from(articles)).unwrap();
        let (first, _) = array_start(json.as_bytes()).unwrap();
        let mut at = first;
        let mut count = 0;
        while let Some(scanned) = super::super::scan::article(json.as_bytes(), at) {
            count += 1;
            at = scanned.end + 1;
        }
        assert_eq!(count, 550, "every article on the fast path");
        assert_eq!(&json[at - 1..], "]}");
    }

    #[test]
    fn anything_unusual_falls_back() {
        for document in
            ["[", "[]", "{\"other\": 1, \"articles\": []}", "[{\"title\": \"a\"}] trailing", "[{\"title\": 1}]"]
        {
            assert!(parse_in_parallel(leak(document.to_string()), 0, &ignore).is_none(), "{document}");
        }
    }
}
