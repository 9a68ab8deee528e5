//! Right-to-left text for terminals that do not apply the Unicode bidi algorithm (most do not):
//! lines are put in display order here, by the algorithm (the `unicode-bidi` crate), so Arabic
//! and Hebrew read right, with English words and numbers inside them in their own order.
//! `--bidi off` leaves text in logical order, for terminals that reorder it themselves.

use std::borrow::Cow;

use unicode_bidi::{Level, ParagraphBidiInfo};
use unicode_segmentation::UnicodeSegmentation;

/// Does `text` hold a right-to-left character (Hebrew, Arabic, Syriac, Thaana, N'Ko, … or an
/// RTL mark)? Cheap, so that the bidi algorithm only runs where it changes something.
pub fn has_rtl(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().any(|c| {
            matches!(c,
                '\u{0590}'..='\u{08FF}' | '\u{200F}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}'
                | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
        })
}

/// One grapheme of a line in display order, with the index (in chars, in logical order) of its
/// first char: what maps search highlights onto reordered text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grapheme<'a> {
    pub text: Cow<'a, str>,
    pub index: usize,
    pub chars: usize,
}

/// A line in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visual<'a> {
    pub graphemes: Vec<Grapheme<'a>>,
    /// The paragraph reads right to left (so it belongs at the right margin).
    pub rtl: bool,
}

impl Visual<'_> {
    pub fn text(&self) -> String {
        self.graphemes.iter().map(|g| g.text.as_ref()).collect()
    }
}

/// The paragraph direction of `text`: right to left when its first strong character is.
pub fn is_rtl_paragraph(text: &str) -> bool {
    has_rtl(text) && ParagraphBidiInfo::new(text, None).paragraph_level.is_rtl()
}

/// `line` in display order. `rtl_paragraph` sets the direction of the paragraph it comes from
/// (a wrapped line must keep it); `None` takes it from the line's first strong character.
pub fn visual(line: &str, rtl_paragraph: Option<bool>) -> Visual<'_> {
    let logical = || {
        let mut index = 0;
        line.graphemes(true)
            .map(|g| {
                let chars = g.chars().count();
                index += chars;
                Grapheme { text: Cow::Borrowed(g), index: index - chars, chars }
            })
            .collect()
    };
    if !has_rtl(line) {
        return Visual { graphemes: logical(), rtl: rtl_paragraph.unwrap_or(false) };
    }
    let level = rtl_paragraph.map(|rtl| if rtl { Level::rtl() } else { Level::ltr() });
    let info = ParagraphBidiInfo::new(line, level);
    let rtl = info.paragraph_level.is_rtl();
    if !info.has_rtl() {
        return Visual { graphemes: logical(), rtl };
    }
    // Char index of every byte offset that starts a char.
    let char_at = |byte: usize| line[..byte].chars().count();
    let (levels, runs) = info.visual_runs(0..line.len());
    let mut graphemes = Vec::with_capacity(line.len());
    for run in runs {
        let start = char_at(run.start);
        let mut index = start;
        let mut pieces: Vec<Grapheme> = line[run.clone()]
            .graphemes(true)
            .map(|g| {
                let chars = g.chars().count();
                index += chars;
                Grapheme { text: Cow::Borrowed(g), index: index - chars, chars }
            })
            .collect();
        if levels[run.start].is_rtl() {
            pieces.reverse();
            for piece in &mut pieces {
                if let Some(mirrored) = mirror(&piece.text) {
                    piece.text = Cow::Borrowed(mirrored);
                }
            }
        }
        graphemes.extend(pieces);
    }
    Visual { graphemes, rtl }
}

/// Brackets drawn the other way round in right-to-left runs (rule L4: terminals do not mirror).
fn mirror(grapheme: &str) -> Option<&'static str> {
    Some(match grapheme {
        "(" => ")",
        ")" => "(",
        "[" => "]",
        "]" => "[",
        "{" => "}",
        "}" => "{",
        "<" => ">",
        ">" => "<",
        "«" => "»",
        "»" => "«",
        _ => return None,
    })
}

/// `line` in display order as one string (for plain output such as `show`).
pub fn display(line: &str, rtl_paragraph: Option<bool>) -> Cow<'_, str> {
    if has_rtl(line) { Cow::Owned(visual(line, rtl_paragraph).text()) } else { Cow::Borrowed(line) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_to_right_text_is_untouched() {
        assert_eq!(display("Gaza talks resume (2025)", None), "Gaza talks resume (2025)");
        assert!(!has_rtl("Zürich 北京 👍"));
    }

    #[test]
    fn arabic_reads_right_with_english_and_numbers_in_their_order() {
        let line = "قال Mustafa إن 2025";
        let visual = visual(line, None);
        assert!(visual.rtl);
        assert_eq!(visual.text(), "2025 نإ Mustafa لاق");
    }

    #[test]
    fn brackets_are_mirrored_in_right_to_left_runs() {
        assert_eq!(display("غزة (فلسطين)", None), "(نيطسلف) ةزغ");
    }

    #[test]
    fn graphemes_keep_their_logical_index() {
        let visual = visual("ab جد", None);
        let indices: Vec<usize> = visual.graphemes.iter().map(|g| g.index).collect();
        assert_eq!(visual.text(), "ab دج");
        assert_eq!(indices, [0, 1, 2, 4, 3]);
    }
}
