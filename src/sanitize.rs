//! The one place that makes text safe to print on a terminal.
//!
//! Articles are written by strangers. Before any of their text reaches a screen, escape sequences
//! (CSI, OSC, DCS and friends) and control characters are removed and tabs are expanded; every
//! other character, from curly quotes to Arabic, CJK and emoji, is kept exactly.

use unicode_width::UnicodeWidthChar;

/// Tab stops every this many columns.
pub const TAB_WIDTH: usize = 4;

/// Returns `text` without escape sequences or control characters other than `\n`, with tabs
/// expanded to spaces. Idempotent: sanitizing twice changes nothing more.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut column = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                out.push('\n');
                column = 0;
            }
            '\t' => {
                let spaces = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\u{1b}' => skip_escape(&mut chars),
            // 8-bit CSI: its parameters and final byte go with it.
            '\u{9b}' => skip_csi_body(&mut chars),
            // 8-bit OSC, DCS, SOS, PM, APC: strings ended by ST or BEL.
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string_body(&mut chars),
            c if is_unsafe(c) => {}
            c => {
                out.push(c);
                column += c.width().unwrap_or(0);
            }
        }
    }
    out
}

/// Sanitizes `text` in place, without allocating when it is already clean (the common case:
/// loading a large collection must not copy every paragraph).
pub fn sanitize_in_place(text: &mut String) {
    if needs_sanitizing(text) {
        *text = sanitize(text);
    }
}

/// Would [`sanitize`] change `text`? (A control character or a tab to expand.)
fn needs_sanitizing(text: &str) -> bool {
    text.contains('\t') || !is_clean(text)
}

/// `text` itself when it is already clean, else its sanitized copy.
pub fn sanitize_str(text: &str) -> std::borrow::Cow<'_, str> {
    if needs_sanitizing(text) { std::borrow::Cow::Owned(sanitize(text)) } else { std::borrow::Cow::Borrowed(text) }
}

/// [`sanitize_in_place`] for text that may be borrowed: it stays borrowed when clean.
pub fn sanitize_cow(text: &mut std::borrow::Cow<'_, str>) {
    if needs_sanitizing(text) {
        *text = std::borrow::Cow::Owned(sanitize(text));
    }
}

/// Characters never printed: C0 controls (the caller handles `\n` and `\t`), DEL, C1 controls, and
/// the bidi embedding/override/isolate controls, which can make text display in another order
/// than it is stored (a spoofing trick).
pub fn is_unsafe(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// True when `text` can go to a terminal as it is (what [`sanitize`] guarantees).
pub fn is_clean(text: &str) -> bool {
    // Valid UTF-8, so every unsafe char shows in its bytes: C0 controls and DEL are single bytes,
    // C1 controls are C2 80..=9F, the bidi controls E2 80 AA..=AE and E2 81 A6..=A9. Blocks
    // without any of the lead bytes (nearly all text) are passed over in a loop the compiler
    // vectorizes; in the others, each lead byte is looked at with the bytes after it (curly
    // quotes and dashes start with E2 too, and are common).
    const BLOCK: usize = 64;
    let suspect = |b: u8| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2;
    let bytes = text.as_bytes();
    let after = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + BLOCK).min(bytes.len());
        if bytes[at..end].iter().fold(false, |any, &b| any | suspect(b)) {
            for (k, &byte) in bytes[at..end].iter().enumerate() {
                let i = at + k;
                let unsafe_here = match byte {
                    b'\n' => false,
                    0..0x20 | 0x7f => true,
                    0xc2 => (0x80..=0x9f).contains(&after(i + 1)),
                    0xe2 => match after(i + 1) {
                        0x80 => (0xaa..=0xae).contains(&after(i + 2)),
                        0x81 => (0xa6..=0xa9).contains(&after(i + 2)),
                        _ => false,
                    },
                    _ => false,
                };
                if unsafe_here {
                    return false;
                }
            }
        }
        at = end;
    }
    true
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: skips the rest of the sequence, whatever its kind.
fn skip_escape(chars: &mut Chars) {
    match chars.next() {
        Some('[') => skip_csi_body(chars),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string_body(chars),
        // nF sequences: intermediate bytes, then one final byte.
        Some(' '..='/') => {
            while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
            chars.next();
        }
        // Two-character sequences (ESC 7, ESC c, ESC =, …): the character is already consumed.
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes, then a final byte in `@`..=`~`.
fn skip_csi_body(chars: &mut Chars) {
    while chars.next_if(|c| matches!(c, ' '..='?')).is_some() {}
    // A malformed sequence ends at the first byte that is neither; that byte is kept.
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// OSC/DCS/SOS/PM/APC: everything up to BEL, ST (`ESC \` or U+009C), or the end of the line: an
/// unterminated string must not swallow the rest of an article.
fn skip_string_body(chars: &mut Chars) {
    while let Some(c) = chars.next_if(|&c| c != '\n') {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escape_sequences_and_controls() {
        let dirty = "a\u{1b}[31mred\u{1b}[0m b\u{1b}]0;title\u{7}c\u{1b}]8;;http://x\u{1b}\\d\u{7}\u{8}\r\u{85}\u{9b}2Je\u{1b}Pq#0\u{1b}\\f\u{202e}g";
        assert_eq!(sanitize(dirty), "ared bcdefg");
    }

    #[test]
    fn keeps_every_script_and_expands_tabs() {
        let text = "“Quoted” café — مرحبا 北京 👍🏽\n\tx\ty";
        assert_eq!(sanitize(text), "“Quoted” café — مرحبا 北京 👍🏽\n    x   y");
    }

    #[test]
    fn is_idempotent_and_clean() {
        let dirty = "\u{1b}[1;2\u{1b}[0m\u{1b}\u{1b}]\u{9b}\u{1b}x\t\u{0}z";
        let once = sanitize(dirty);
        assert!(is_clean(&once));
        assert_eq!(sanitize(&once), once);
    }
}
