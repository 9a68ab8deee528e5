//! Bytes to text for feeds and pages: every charset a document or its server declares.
//!
//! The order is the one browsers and feed readers use: a byte-order mark (UTF-8, UTF-16, UTF-32)
//! wins; then the document's own declaration (the XML prolog's `encoding`, an HTML `<meta
//! charset>`); then the HTTP `Content-Type` charset; then UTF-8. A declaration the bytes belie
//! (non-ASCII text that is valid UTF-8, declared as a legacy charset) yields to UTF-8: a saved
//! page is UTF-8 with its old `<meta charset>`. Invalid bytes never refuse a
//! document: real feeds are dirty. They become U+FFFD and are counted, so the user can be told.

use std::borrow::Cow;

use encoding_rs::Encoding;

/// A decoded document.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// The encoding used, by its WHATWG name ("UTF-8", "windows-1256", …).
    pub encoding: &'static str,
    /// How many invalid byte sequences became U+FFFD.
    pub replaced: usize,
}

/// Decodes `bytes`; `header` is the charset of an HTTP `Content-Type`, if any.
pub fn decode<'a>(bytes: &'a [u8], header: Option<&str>) -> Decoded<'a> {
    if let Some(decoded) = utf32(bytes) {
        return decoded;
    }
    let (encoding, bom) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, bom),
        None => {
            let declared = declared_charset(bytes).or(header).and_then(|label| Encoding::for_label(label.as_bytes()));
            (declared.unwrap_or(encoding_rs::UTF_8), 0)
        }
    };
    let bytes = &bytes[bom..];
    // A document that declares UTF-16 without a mark is read as the ASCII it must then be.
    let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    let encoding = if utf16 && bom == 0 { encoding_rs::UTF_8 } else { encoding };
    // A declaration that the bytes belie: text with non-ASCII characters that is valid UTF-8
    // is UTF-8 (legacy text is almost never valid UTF-8 by chance). A page saved by a browser
    // is written in UTF-8 but keeps its `<meta charset=gb2312>`; servers mislabel feeds too.
    // Validated once, with SIMD (a fetch reads tens of megabytes of feeds).
    let valid = (bom == 0 || encoding == encoding_rs::UTF_8).then(|| simdutf8::basic::from_utf8(bytes).ok()).flatten();
    let encoding = if bom == 0 && valid.is_some_and(|text| !text.is_ascii()) { encoding_rs::UTF_8 } else { encoding };
    if encoding == encoding_rs::UTF_8 {
        return match valid {
            Some(text) => Decoded { text: Cow::Borrowed(text), encoding: "UTF-8", replaced: 0 },
            None => utf8(bytes),
        };
    }
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    // Legacy encodings have no U+FFFD of their own: every one in the text is a replacement (in
    // UTF-16 a real U+FFFD counts too, an upper bound that only makes the notice cautious).
    let replaced = text.matches('\u{fffd}').count();
    Decoded { text, encoding: encoding.name(), replaced }
}

/// Invalid UTF-8, with each invalid sequence replaced and counted.
fn utf8(bytes: &[u8]) -> Decoded<'_> {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push('\u{fffd}');
            replaced += 1;
        }
    }
    Decoded { text: Cow::Owned(text), encoding: "UTF-8", replaced }
}

/// UTF-32 (with its byte-order mark), which encoding_rs does not read: the web never uses it,
/// but XML allows it.
fn utf32(bytes: &[u8]) -> Option<Decoded<'static>> {
    let little = bytes.starts_with(&[0xff, 0xfe, 0, 0]);
    if !little && !bytes.starts_with(&[0, 0, 0xfe, 0xff]) {
        return None;
    }
    let mut text = String::with_capacity(bytes.len() / 4);
    let mut replaced = 0;
    for unit in bytes[4..].chunks(4) {
        let value = match <[u8; 4]>::try_from(unit) {
            Ok(unit) if little => u32::from_le_bytes(unit),
            Ok(unit) => u32::from_be_bytes(unit),
            Err(_) => u32::MAX,
        };
        match char::from_u32(value) {
            Some(c) => text.push(c),
            None => {
                text.push('\u{fffd}');
                replaced += 1;
            }
        }
    }
    let encoding = if little { "UTF-32LE" } else { "UTF-32BE" };
    Some(Decoded { text: Cow::Owned(text), encoding, replaced })
}

/// The charset a document declares in its first kilobytes: `<?xml … encoding="X"?>`, or an HTML
/// `<meta charset="X">` / `<meta http-equiv="Content-Type" content="…; charset=X">`.
pub fn declared_charset(bytes: &[u8]) -> Option<&str> {
    const LOOK: usize = 4096;
    let head = &bytes[..bytes.len().min(LOOK)];
    // ASCII-compatible declarations only: a UTF-16 document has a byte-order mark.
    let head = match std::str::from_utf8(head) {
        Ok(head) => head,
        Err(err) => std::str::from_utf8(&head[..err.valid_up_to()]).unwrap_or(""),
    };
    let trimmed = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if let Some(prolog) = trimmed.strip_prefix("<?xml") {
        let prolog = &prolog[..prolog.find("?>")?];
        return attribute_value(prolog, "encoding");
    }
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<meta") {
        let start = from + at;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(charset) = attribute_value(tag, "charset") {
            return Some(charset);
        }
        if let Some(content) = attribute_value(tag, "content")
            && tag.to_ascii_lowercase().contains("content-type")
        {
            return charset_param(content);
        }
        from = end;
    }
    None
}

/// The `charset` parameter of a `Content-Type` value: `text/xml; charset="windows-1256"`.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches(['"', '\'']))
    })
}

/// `name="value"` or `name='value'` (or unquoted) inside a tag, case-insensitive in the name.
pub(crate) fn attribute_value<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        // Whole words only: `content-type` is not `type`.
        if start > 0 && !lower.as_bytes()[start - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next()?,
            _ => rest.split(|c: char| c.is_whitespace() || matches!(c, '>' | '/' | ';' | '"' | '\'')).next()?,
        };
        return Some(value.trim()).filter(|v| !v.is_empty());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations() {
        assert_eq!(declared_charset(b"<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss/>"), Some("windows-1256"));
        assert_eq!(declared_charset(b"\xef\xbb\xbf<?xml version='1.0' encoding='ISO-8859-1' ?>"), Some("ISO-8859-1"));
        assert_eq!(declared_charset(b"<?xml version=\"1.0\"?><rss/>"), None);
        assert_eq!(declared_charset(b"<html><head><meta charset=\"koi8-r\">"), Some("koi8-r"));
        assert_eq!(
            declared_charset(b"<html><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"),
            Some("Shift_JIS")
        );
        assert_eq!(charset_param("application/rss+xml; charset=\"GBK\""), Some("GBK"));
        assert_eq!(charset_param("text/xml"), None);
    }

    #[test]
    fn encodings() {
        let arabic = "مرحبا";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(arabic);
        let mut doc = b"<?xml version=\"1.0\" encoding=\"windows-1256\"?><t>".to_vec();
        doc.extend_from_slice(&bytes);
        let decoded = decode(&doc, None);
        assert!(decoded.text.ends_with(arabic), "{}", decoded.text);
        assert_eq!((decoded.encoding, decoded.replaced), ("windows-1256", 0));
        // Charset only in the header.
        let decoded = decode(&bytes, Some("windows-1256"));
        assert_eq!(decoded.text, arabic);
        // UTF-16 with a mark, both orders; UTF-32.
        let mut le = vec![0xff, 0xfe];
        le.extend("<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le, None).text, "<a>é</a>");
        let mut be = vec![0xfe, 0xff];
        be.extend("<a>é</a>".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be, None).text, "<a>é</a>");
        let mut u32le = vec![0xff, 0xfe, 0, 0];
        u32le.extend("<a>ü</a>".chars().flat_map(|c| (c as u32).to_le_bytes()));
        assert_eq!(decode(&u32le, None).text, "<a>ü</a>");
        // Invalid bytes are replaced and counted.
        let decoded = decode(b"ok \xff\xfe and \xc3", None);
        assert_eq!((decoded.text.as_ref(), decoded.replaced), ("ok \u{fffd}\u{fffd} and \u{fffd}", 3));
    }
}
