//! The plain-text dump importer (the seed format).
//!
//! A scraped article looks like this; articles are separated by two or more blank lines:
//!
//! ```text
//! Headline
//!
//! Caption one. (dpa)
//! Caption one. (dpa)
//! TT
//!
//! Headline
//!
//! Caption one. (dpa)
//! Caption one. (dpa)
//!
//! First paragraph.
//!
//! Second paragraph.
//! ```
//!
//! Real dumps vary (no `TT`, no or unrepeated captions, CRLF, BOM, stray spaces, paragraphs on
//! single lines), so the importer reads blocks of non-blank lines and decides what each block is
//! from what it contains. It never drops text except the `TT` logo artefact and the repeated
//! header (headline and captions printed a second time).

use crate::article::{Article, Caption};
use crate::sanitize::sanitize_str;

/// The logo artefact that the scraper leaves after the captions.
const LOGO_ARTEFACT: &str = "TT";

/// How many blocks after a header to look for its repetition.
const REPEAT_LOOKAHEAD: usize = 6;

/// A headline is a single line no longer than this (in chars); longer lines are paragraphs.
const MAX_HEADLINE_CHARS: usize = 300;

/// A run of non-blank lines and the number of blank lines before it.
#[derive(Debug)]
struct Block {
    lines: Vec<String>,
    blanks_before: usize,
}

/// Parses a dump into articles. Never fails: anything that is not recognised as a header or a
/// caption becomes body text.
pub fn parse(text: &str) -> Vec<Article> {
    let blocks = blocks(text);
    let mut starts: Vec<usize> =
        (0..blocks.len()).filter(|&i| i > 0 && blocks[i].blanks_before >= 2 && is_header(&blocks, i)).collect();
    starts.insert(0, 0);
    starts
        .iter()
        .enumerate()
        .filter(|_| !blocks.is_empty())
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(blocks.len());
            article(&blocks[start..end])
        })
        .collect()
}

/// Splits text into blocks of sanitized, trimmed, non-blank lines. Handles a BOM and LF, CRLF or
/// CR line endings.
fn blocks(text: &str) -> Vec<Block> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text: std::borrow::Cow<str> =
        if text.contains("\r\n") { text.replace("\r\n", "\n").into() } else { text.into() };
    let mut blocks = Vec::new();
    let mut lines = Vec::new();
    let mut blanks = 0;
    for raw in text.split(['\n', '\r']) {
        let line = sanitize_str(raw);
        let line = line.trim();
        if line.is_empty() {
            if !lines.is_empty() {
                blocks.push(Block { lines: std::mem::take(&mut lines), blanks_before: blanks });
                blanks = 0;
            }
            blanks += 1;
        } else {
            lines.push(line.to_string());
        }
    }
    if !lines.is_empty() {
        blocks.push(Block { lines, blanks_before: blanks });
    }
    blocks
}

/// Is block `i` the start of a new article? It is when the scraper's marks follow it (the logo
/// line, or the headline printed again), or when it is one short line that does not read like the
/// end of a sentence.
fn is_header(blocks: &[Block], i: usize) -> bool {
    let block = &blocks[i];
    let first = &block.lines[0];
    if first.chars().count() > MAX_HEADLINE_CHARS {
        return false;
    }
    let has_logo = |b: &Block| b.lines.iter().any(|l| l == LOGO_ARTEFACT);
    let repeated = blocks.iter().skip(i + 1).take(REPEAT_LOOKAHEAD).any(|b| b.lines.len() == 1 && b.lines[0] == *first);
    let logo = has_logo(block) || blocks.get(i + 1).is_some_and(has_logo);
    let captions_follow = block.lines.len() > 1 && is_caption_block(&block.lines[1..]);
    repeated || logo || captions_follow || (block.lines.len() == 1 && !ends_sentence(first))
}

/// Does the line end like a sentence (a full stop, comma, colon or semicolon, possibly inside
/// closing quotes)? Headlines don't; question and exclamation marks are common in both.
fn ends_sentence(line: &str) -> bool {
    let core = line.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    core.ends_with(['.', ',', ':', ';'])
}

/// A block of captions: every line ends with a credit in parentheses, or every line is printed
/// twice in a row (the scraper's habit).
fn is_caption_block(lines: &[String]) -> bool {
    let all_credited = lines.iter().all(|l| split_credit(l).1.is_some());
    let doubled = lines.len().is_multiple_of(2) && lines.chunks(2).all(|pair| pair[0] == pair[1]);
    !lines.is_empty() && (all_credited || doubled)
}

/// Builds one article from its blocks; the first block starts with the headline.
fn article(blocks: &[Block]) -> Article {
    let (title, header_rest) = blocks[0].lines.split_first().expect("blocks are never empty");
    let rest = std::iter::once(header_rest).chain(blocks[1..].iter().map(|b| b.lines.as_slice()));

    let mut captions: Vec<String> = Vec::new();
    let mut seen_repeat = false;
    let mut body: Vec<String> = Vec::new();
    for lines in rest {
        if !body.is_empty() {
            body.extend(lines.iter().cloned());
            continue;
        }
        if !seen_repeat && lines.len() == 1 && lines[0] == *title {
            seen_repeat = true;
            continue;
        }
        let has_logo = lines.iter().any(|l| l == LOGO_ARTEFACT);
        let content: Vec<String> = lines.iter().filter(|l| *l != LOGO_ARTEFACT).cloned().collect();
        let known = content.iter().all(|l| captions.contains(l));
        if has_logo || known || is_caption_block(&content) {
            for line in content {
                if !captions.contains(&line) {
                    captions.push(line);
                }
            }
        } else {
            body = content;
        }
    }
    let captions = captions.iter().map(|l| caption(l)).collect();
    Article::new(title.clone(), captions, body)
}

/// A caption line with its trailing credit split off.
fn caption(line: &str) -> Caption {
    let (text, credit) = split_credit(line);
    Caption { text: text.to_string(), credit: credit.map(str::to_string) }
}

/// Splits `"Text. (Credit)"` into `("Text.", Some("Credit"))`. Parentheses inside the credit are
/// matched, so `"(Photo: X (AP))"` gives `Photo: X (AP)`. A line that is nothing but a
/// parenthesis, or ends with an empty one, has no credit.
pub(crate) fn split_credit(line: &str) -> (&str, Option<&str>) {
    let Some(inner_end) = line.strip_suffix(')').map(str::len) else {
        return (line, None);
    };
    let mut depth = 0usize;
    for (at, c) in line[..inner_end].char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth > 0 => depth -= 1,
            '(' => {
                let text = line[..at].trim_end();
                let credit = line[at + 1..inner_end].trim();
                return if text.is_empty() || credit.is_empty() { (line, None) } else { (text, Some(credit)) };
            }
            _ => {}
        }
    }
    (line, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_credits() {
        assert_eq!(split_credit("A guard. (dpa)"), ("A guard.", Some("dpa")));
        assert_eq!(
            split_credit("Oslo, 2025. (Heiko Junge/NTB/via Reuters)"),
            ("Oslo, 2025.", Some("Heiko Junge/NTB/via Reuters"))
        );
        assert_eq!(split_credit("X (Photo: Y (AP))"), ("X", Some("Photo: Y (AP)")));
        assert_eq!(split_credit("(dpa)"), ("(dpa)", None));
        assert_eq!(split_credit("No credit"), ("No credit", None));
        assert_eq!(split_credit("Empty ()"), ("Empty ()", None));
    }

    #[test]
    fn sentence_endings() {
        assert!(ends_sentence("He said so."));
        assert!(ends_sentence("“It will be rejected.”"));
        assert!(!ends_sentence("Talks Will Go on ‘As Long as Nothing Disturbs the Talks’"));
        assert!(!ends_sentence("Is this the end?"));
    }
}
