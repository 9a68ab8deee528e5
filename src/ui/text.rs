//! Fitting text to columns: cutting by display width at grapheme boundaries, with highlights.

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::theme::ELLIPSIS;

/// `text` as spans no wider than `width` columns, cut with `…` when it does not fit. Graphemes that
/// contain a char whose index is in `positions` (sorted char indices) get `highlight`, the rest
/// `base`. A grapheme cluster is never split. With `bidi`, right-to-left text is cut in logical
/// order (its beginning stays) and then put in display order, the `…` on the side where it ends.
pub fn fit<'a>(
    text: &'a str,
    positions: &[usize],
    width: usize,
    base: Style,
    highlight: Style,
    bidi: bool,
) -> Vec<Span<'a>> {
    if bidi && crate::bidi::has_rtl(text) {
        return fit_visual(text, positions, width, base, highlight);
    }
    let cut = text.width() > width;
    let budget = if cut { width.saturating_sub(ELLIPSIS.width()) } else { width };
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut used = 0;
    let mut char_index = 0;
    let mut positions = positions.iter().copied().peekable();
    // The current run of graphemes that share a style: its byte range and whether it is a match.
    let mut run: Option<(usize, usize, bool)> = None;
    for (start, grapheme) in text.grapheme_indices(true) {
        let w = grapheme.width();
        if used + w > budget {
            break;
        }
        used += w;
        let chars = grapheme.chars().count();
        let mut matched = false;
        while let Some(&p) = positions.peek().filter(|&&p| p < char_index + chars) {
            matched |= p >= char_index;
            positions.next();
        }
        char_index += chars;
        let end = start + grapheme.len();
        run = match run {
            Some((s, _, m)) if m == matched => Some((s, end, m)),
            Some((s, e, m)) => {
                spans.push(Span::styled(&text[s..e], if m { highlight } else { base }));
                Some((start, end, matched))
            }
            None => Some((start, end, matched)),
        };
    }
    if let Some((s, e, m)) = run {
        spans.push(Span::styled(&text[s..e], if m { highlight } else { base }));
    }
    if cut && width > 0 {
        spans.push(Span::styled(ELLIPSIS, base));
    }
    spans
}

/// [`fit`] for text with right-to-left characters.
fn fit_visual<'a>(text: &'a str, positions: &[usize], width: usize, base: Style, highlight: Style) -> Vec<Span<'a>> {
    let cut = text.width() > width;
    let budget = if cut { width.saturating_sub(ELLIPSIS.width()) } else { width };
    // The logical prefix that fits, by whole graphemes.
    let mut used = 0;
    let mut end = 0;
    for (start, grapheme) in text.grapheme_indices(true) {
        let w = grapheme.width();
        if used + w > budget {
            break;
        }
        used += w;
        end = start + grapheme.len();
    }
    let rtl = crate::bidi::is_rtl_paragraph(text);
    let visual = crate::bidi::visual(&text[..end], Some(rtl));
    let matched = |g: &crate::bidi::Grapheme| (g.index..g.index + g.chars).any(|i| positions.binary_search(&i).is_ok());
    let mut spans: Vec<Span<'a>> = Vec::new();
    if cut && width > 0 && rtl {
        spans.push(Span::styled(ELLIPSIS, base));
    }
    for grapheme in visual.graphemes {
        let style = if matched(&grapheme) { highlight } else { base };
        match spans.last_mut() {
            Some(last) if last.style == style && last.content != ELLIPSIS => {
                last.content.to_mut().push_str(&grapheme.text);
            }
            _ => spans.push(Span::styled(grapheme.text.into_owned(), style)),
        }
    }
    if cut && width > 0 && !rtl {
        spans.push(Span::styled(ELLIPSIS, base));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(spans: &[Span]) -> Vec<String> {
        spans.iter().map(|s| s.content.to_string()).collect()
    }

    #[test]
    fn cuts_by_width_with_ellipsis() {
        let spans = fit("北京欢迎你", &[], 5, Style::new(), Style::new(), true);
        assert_eq!(texts(&spans), ["北京", "…"]);
    }

    #[test]
    fn highlights_char_positions_not_bytes() {
        let hl = Style::new().bold();
        let spans = fit("café au lait", &[3, 5], 40, Style::new(), hl, true);
        assert_eq!(texts(&spans), ["caf", "é", " ", "a", "u lait"]);
        assert_eq!(spans[1].style, hl);
        assert_eq!(spans[3].style, hl);
    }

    #[test]
    fn right_to_left_headlines_are_reordered_cut_at_their_end_and_highlighted() {
        let hl = Style::new().bold();
        // "Gaza talks": غزة (chars 0-2) then محادثات (chars 4-10).
        let title = "غزة محادثات";
        let spans = fit(title, &[0, 1, 2], 40, Style::new(), hl, true);
        assert_eq!(texts(&spans).concat(), "تاثداحم ةزغ");
        assert_eq!(spans.last().unwrap().content, "ةزغ");
        assert_eq!(spans.last().unwrap().style, hl);
        let cut = fit(title, &[], 6, Style::new(), Style::new(), true);
        assert_eq!(texts(&cut).concat(), "…م ةزغ");
        let off = fit(title, &[], 40, Style::new(), Style::new(), false);
        assert_eq!(texts(&off).concat(), title);
    }
}
