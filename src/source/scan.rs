//! A fast path for loading large JSON collections: reads one article object of the common shape
//! (the one `broadsheet list --json` writes) and finds its headline and id without building the
//! article. It answers only when serde would read the same article without an error and give the
//! same headline and id; anything else (escapes in the headline or id, numbers, `true`/`false`,
//! duplicate fields, a field of the wrong type, deep nesting, surrogate escapes, invalid UTF-8…)
//! gets `None`, and the loader hands that article to serde, which also gives the error messages.
//!
//! A property test and a fuzz target hold it to that: whenever it answers, serde agrees.

use memchr::memchr2;

/// What the fast path found in one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scanned<'a> {
    /// The headline as written (it had no escapes, so it is also the decoded text).
    pub title: &'a str,
    /// The id as written (no escapes), or `None` where the article has no `id` field.
    pub id: Option<&'a str>,
    pub body: Body<'a>,
    /// Just after the article's closing `}`.
    pub end: usize,
}

/// The body, as far as an article's content id needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body<'a> {
    /// No `body` field, `null`, or `[]`: no paragraphs.
    Empty,
    /// An array of strings without escapes: the bytes between its brackets (each paragraph's
    /// text is what stands between a pair of quotes; see [`Body::paragraphs`]).
    Plain(&'a str),
    /// A string to be split into paragraphs, or paragraphs with escapes: serde's to read.
    Other,
}

impl<'a> Body<'a> {
    /// The paragraphs of a plain body; `None` for [`Body::Other`].
    pub fn paragraphs(self) -> Option<impl Iterator<Item = &'a str>> {
        let inside = match self {
            Body::Empty => "",
            Body::Plain(inside) => inside,
            Body::Other => return None,
        };
        // Without escapes, quotes come in pairs around each paragraph.
        Some(inside.split('"').skip(1).step_by(2))
    }
}

/// The article object that starts at `at` (with `{`, after optional whitespace).
pub fn article(bytes: &[u8], at: usize) -> Option<Scanned<'_>> {
    let mut cursor = Cursor { bytes, at };
    let (mut title, mut id) = (None, None);
    let mut body = None;
    let mut seen = 0u8;
    cursor.sequence(b'{', b'}', |cursor| {
        let key = cursor.plain_string()?;
        cursor.eat(b':')?;
        let field = FIELDS.iter().position(|&name| name == key);
        if let Some(field) = field {
            // serde refuses a field given twice.
            if seen & 1 << field != 0 {
                return None;
            }
            seen |= 1 << field;
        }
        match field.map(|f| FIELDS[f]) {
            Some(b"id") => id = Some(cursor.plain_string()?),
            Some(b"title") => title = Some(cursor.plain_string()?),
            Some(b"captions") => cursor.sequence(b'[', b']', Cursor::caption)?,
            Some(b"body") => match cursor.peek()? {
                b'n' => cursor.null()?,
                b'"' => {
                    cursor.string()?;
                    body = Some(Err(()));
                }
                _ => {
                    let open = cursor.at;
                    let mut plain = true;
                    cursor.sequence(b'[', b']', |cursor| {
                        plain &= !cursor.raw_string()?.1;
                        Some(())
                    })?;
                    body = Some(if plain { Ok(open + 1..cursor.at - 1) } else { Err(()) });
                }
            },
            Some(_) => cursor.optional_string()?,
            None => cursor.skip_value(1)?,
        }
        Some(())
    })?;
    let end = cursor.at;
    // serde checks the UTF-8 of every string it reads; this checks the whole article at once.
    let text = simdutf8::basic::from_utf8(&bytes[at..end]).ok()?;
    let within = |part: &[u8]| {
        let offset = part.as_ptr() as usize - bytes[at..].as_ptr() as usize;
        &text[offset..offset + part.len()]
    };
    let body = match body {
        None => Body::Empty,
        Some(Ok(inside)) => Body::Plain(within(&bytes[inside])),
        Some(Err(())) => Body::Other,
    };
    Some(Scanned { title: within(title?), id: id.map(within), body, end })
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` (little-endian) below `n` (at most 0x80), flagged by their high bit.
/// A borrow can flag a byte after a true one, never before: the lowest flag is exact.
fn bytes_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS
}

/// The bytes of `word` equal to `byte`, flagged as in [`bytes_below`].
fn bytes_equal(word: u64, byte: u8) -> u64 {
    bytes_below(word ^ (ONES * u64::from(byte)), 1)
}

/// The article fields Broadsheet reads; any other key is skipped (as serde ignores it).
const FIELDS: [&[u8]; 7] = [b"id", b"title", b"captions", b"body", b"source", b"published", b"url"];

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// The next byte that is not JSON whitespace.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// After a member of an object or array: `,` (more follow) or `close` (the end).
    fn next_member(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.at += 1;
                Some(false)
            }
            b if b == close => {
                self.at += 1;
                Some(true)
            }
            _ => None,
        }
    }

    fn null(&mut self) -> Option<()> {
        self.peek()?;
        self.bytes[self.at..].starts_with(b"null").then(|| self.at += 4)
    }

    /// A string, checked as serde checks it (no control characters, valid escapes); returns its
    /// bytes between the quotes and whether it had escapes.
    fn raw_string(&mut self) -> Option<(&'a [u8], bool)> {
        self.eat(b'"')?;
        let start = self.at;
        let mut escaped = false;
        loop {
            let stop = self.stop()?;
            if self.bytes[stop] < 0x20 {
                return None;
            }
            if self.bytes[stop] == b'"' {
                self.at = stop + 1;
                return Some((&self.bytes[start..stop], escaped));
            }
            escaped = true;
            self.at = stop + 2;
            match self.bytes.get(stop + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                b'u' => {
                    let hex = std::str::from_utf8(self.bytes.get(stop + 2..stop + 6)?).ok()?;
                    let code = u16::from_str_radix(hex, 16).ok()?;
                    // Surrogates must pair up; serde decides.
                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || (0xd800..=0xdfff).contains(&code) {
                        return None;
                    }
                    self.at = stop + 6;
                }
                _ => return None,
            }
        }
    }

    /// Where the string from here ends or needs a closer look: the next `"`, `\` or control
    /// character. Headlines and ids are short: their first bytes are looked at eight at a time
    /// in a machine word, which finds their end sooner than memchr is set up; long text (bodies)
    /// goes to memchr, then to a check for control characters.
    fn stop(&self) -> Option<usize> {
        const SHORT: usize = 64;
        let short_end = (self.at + SHORT).min(self.bytes.len());
        let mut at = self.at;
        while at + 8 <= short_end {
            let word = u64::from_le_bytes(self.bytes[at..at + 8].try_into().expect("8 bytes"));
            let found = bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20);
            if found != 0 {
                return Some(at + (found.trailing_zeros() / 8) as usize);
            }
            at += 8;
        }
        let stop = at + memchr2(b'"', b'\\', &self.bytes[at..])?;
        match self.bytes[at..stop].iter().position(|&b| b < 0x20) {
            Some(control) => Some(at + control),
            None => Some(stop),
        }
    }

    fn string(&mut self) -> Option<()> {
        self.raw_string().map(|_| ())
    }

    /// A string without escapes: its text is its bytes.
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        match self.raw_string()? {
            (text, false) => Some(text),
            (_, true) => None,
        }
    }

    fn optional_string(&mut self) -> Option<()> {
        match self.peek()? {
            b'n' => self.null(),
            _ => self.string(),
        }
    }

    /// `open`, then `element`s separated by commas, then `close`; or `open` and `close` alone.
    fn sequence(&mut self, open: u8, close: u8, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(open)?;
        if self.peek()? == close {
            self.at += 1;
            return Some(());
        }
        loop {
            element(self)?;
            if self.next_member(close)? {
                return Some(());
            }
        }
    }

    /// A caption: an object with a string `text` and an optional string `credit`.
    fn caption(&mut self) -> Option<()> {
        let (mut text, mut credit) = (false, false);
        self.sequence(b'{', b'}', |cursor| {
            let key = cursor.plain_string()?;
            cursor.eat(b':')?;
            match key {
                b"text" if !text => {
                    text = true;
                    cursor.string()
                }
                b"credit" if !credit => {
                    credit = true;
                    cursor.optional_string()
                }
                b"text" | b"credit" => None,
                _ => cursor.skip_value(2),
            }
        })?;
        text.then_some(())
    }

    /// Any value serde would ignore without an error, as far as this fast path can tell: strings,
    /// `null`, and arrays and objects of those. Anything else is left to serde.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        const MAX_DEPTH: usize = 64;
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string(),
            b'n' => self.null(),
            b'[' => self.sequence(b'[', b']', |cursor| cursor.skip_value(depth + 1)),
            b'{' => self.sequence(b'{', b'}', |cursor| {
                cursor.string()?;
                cursor.eat(b':')?;
                cursor.skip_value(depth + 1)
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_common_shape() {
        let json = br#"{"id":"h1","title":"Gaza Talks","captions":[{"text":"A \"guard\"","credit":null}],"body":["a","b\n"],"source":null,"published":"2025-01-01","url":null,"extra":{"x":[null,"y"]}} ,"#;
        let scanned = article(json, 0).expect("the common shape");
        assert_eq!((scanned.title, scanned.id), ("Gaza Talks", Some("h1")));
        assert_eq!(scanned.body, Body::Other, "a paragraph with an escape");
        assert_eq!(&json[scanned.end..], b" ,");
    }

    #[test]
    fn reads_the_body_as_far_as_a_content_id_needs_it() {
        fn body(json: &str) -> Body<'_> {
            article(json.as_bytes(), 0).unwrap().body
        }
        assert_eq!(body(r#"{"title":"a"}"#), Body::Empty);
        assert_eq!(body(r#"{"title":"a","body":null}"#), Body::Empty);
        assert_eq!(body(r#"{"title":"a","body":[ ]}"#), Body::Plain(" "));
        assert_eq!(body(r#"{"title":"a","body":[ "x" , "y,\"z"]}"#), Body::Other);
        assert_eq!(body(r#"{"title":"a","body":"x"}"#), Body::Other);
        let plain = body(r#"{"title":"a","body":[ "x" ,"", "y, z"]}"#);
        assert_eq!(plain.paragraphs().unwrap().collect::<Vec<_>>(), ["x", "", "y, z"]);
        assert_eq!(article(br#"{"title":"a"}"#, 0).unwrap().id, None);
    }

    #[test]
    fn word_tests_find_the_first_special_byte() {
        for text in ["abcdefgh", "ab\"defgh", "abcdefg\\", "\u{7}bcdefgh", "ab\u{1f}d\"fgh", "a\u{80}\u{ff}\"\u{0}xyz"]
        {
            let bytes: [u8; 8] = text.as_bytes()[..8].try_into().unwrap();
            let word = u64::from_le_bytes(bytes);
            let found = bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20);
            let expected = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            let got = (found != 0).then(|| (found.trailing_zeros() / 8) as usize);
            assert_eq!(got, expected, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn word_tests_agree_with_a_byte_loop(bytes in proptest::prelude::any::<[u8; 8]>()) {
            let word = u64::from_le_bytes(bytes);
            let found = bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20);
            let expected = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            proptest::prop_assert_eq!((found != 0).then(|| (found.trailing_zeros() / 8) as usize), expected);
        }
    }

    #[test]
    fn leaves_anything_else_to_serde() {
        for json in [
            r#"{"id":"1","title":"a\u00e9"}"#,           // an escape in the headline
            r#"{"id":"1","title":"a","title":"b"}"#,     // a field twice
            r#"{"id":"1","title":"a","n":1}"#,           // a number
            r#"{"id":"1","title":"a","captions":null}"#, // serde: null is not a list
            r#"{"id":"1","title":"a","captions":[{}]}"#, // a caption without text
            r#"{"id":"1","title":"a","body":[null]}"#,   // a paragraph that is not text
            r#"{"id":"1","title":"a","x":"\ud800"}"#,    // a lone surrogate
            r#"{"id":"1","title":"a","x":"\q"}"#,        // an invalid escape
            "{\"id\":\"1\",\"title\":\"a\tb\"}",         // a control character in a string
            r#"{"id":"1","title":"a",}"#,                // a trailing comma
            r#"{"id":"1","title":"a""#,                  // cut short
        ] {
            assert_eq!(article(json.as_bytes(), 0), None, "{json}");
        }
    }
}
