//! Where each pane goes for a terminal size. Pure geometry, shared by the state machine (which
//! clamps scrolling to what fits) and the renderer (which draws there).

use ratatui::layout::{Constraint, Flex, Layout, Margin, Rect};

/// From this width up, list, body and captions stand side by side.
pub const THREE_COLUMNS: u16 = 120;
/// From this width up, the list and the reader share the screen; below, one pane at a time.
pub const TWO_PANES: u16 = 80;
/// Below this size the screen only says that it is too small.
pub const MIN_WIDTH: u16 = 24;
pub const MIN_HEIGHT: u16 = 7;
/// Comfortable reading: body text never wider than this many columns.
pub const MAX_TEXT_WIDTH: u16 = 90;

/// The rectangles of one frame. A pane that is not shown at this size is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub list: Option<Rect>,
    pub body: Option<Rect>,
    pub captions: Option<Rect>,
    /// The search input line, shown while searching or while a filter is active.
    pub search: Option<Rect>,
    pub footer: Option<Rect>,
    /// Set when the terminal is smaller than [`MIN_WIDTH`] x [`MIN_HEIGHT`].
    pub too_small: bool,
}

/// Lays out a screen. `show_search` reserves the search line; `reader_focused` picks the pane
/// shown when only one fits.
pub fn panes(area: Rect, show_search: bool, reader_focused: bool) -> Panes {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Panes { too_small: true, ..Panes::default() };
    }
    let [main, search, footer] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(u16::from(show_search)),
        Constraint::Length(1),
    ]));
    let search = show_search.then_some(search);
    let footer = Some(footer);
    if area.width >= THREE_COLUMNS {
        // The body gets what is left: about half the screen, capped at a comfortable width.
        let list_width = (area.width * 3 / 10).clamp(34, 60);
        let caption_width = (area.width / 5).clamp(26, 36);
        let [list, body, captions] = main.layout(&Layout::horizontal([
            Constraint::Length(list_width),
            Constraint::Fill(1),
            Constraint::Length(caption_width),
        ]));
        Panes { list: Some(list), body: Some(body), captions: Some(captions), search, footer, too_small: false }
    } else if area.width >= TWO_PANES {
        let [list, reader] = main.layout(&Layout::horizontal([Constraint::Percentage(40), Constraint::Fill(1)]));
        let (body, captions) = split_reader(reader);
        Panes { list: Some(list), body: Some(body), captions, search, footer, too_small: false }
    } else if reader_focused {
        let (body, captions) = split_reader(main);
        Panes { list: None, body: Some(body), captions, search, footer, too_small: false }
    } else {
        Panes { list: Some(main), body: None, captions: None, search, footer, too_small: false }
    }
}

/// The body on top, the captions under it when there is height to spare.
fn split_reader(area: Rect) -> (Rect, Option<Rect>) {
    if area.height < 16 {
        return (area, None);
    }
    let caption_height = (area.height / 3).clamp(5, 12);
    let [body, captions] = area.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(caption_height)]));
    (body, Some(captions))
}

/// A `width` × `height` rectangle in the middle of `area` (cut to it): where an overlay goes.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let [popup] = area.layout(&Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center));
    let [popup] = popup.layout(&Layout::vertical([Constraint::Length(height)]).flex(Flex::Center));
    popup
}

/// Where the help overlay goes: `width` columns (border included) by `rows` lines and its
/// border, centred, never larger than the screen.
pub fn help_popup(area: Rect, width: usize, rows: usize) -> Rect {
    let width = u16::try_from(width).unwrap_or(u16::MAX).min(area.width);
    let height = u16::try_from(rows.saturating_add(2)).unwrap_or(u16::MAX).min(area.height);
    centred(area, width, height)
}

/// The failures overlay's width: most of the screen, at most 110 columns.
fn failures_width(area: Rect) -> u16 {
    area.width.saturating_sub(8).min(110)
}

/// The last fetch's failures as the overlay shows them, wrapped to its width: each line, and
/// whether it starts a failure (the others continue one, indented).
pub fn failure_lines(errors: &[String], area: Rect) -> Vec<(String, bool)> {
    let width = usize::from(failures_width(area).saturating_sub(4)).max(1);
    let mut lines = Vec::new();
    for error in errors {
        for (i, piece) in crate::page::wrap(error, width).into_iter().enumerate() {
            lines.push(if i == 0 { (piece.into_owned(), true) } else { (format!("  {piece}"), false) });
        }
    }
    lines
}

/// Where the failures overlay goes for `lines` lines: centred, a line of the screen free above
/// and below.
pub fn failures_popup(area: Rect, lines: usize) -> Rect {
    let height = u16::try_from(lines.saturating_add(2)).unwrap_or(u16::MAX).min(area.height.saturating_sub(2));
    centred(area, failures_width(area), height)
}

/// The inside of a bordered pane.
pub fn inner(area: Rect) -> Rect {
    area.inner(Margin { horizontal: 1, vertical: 1 })
}

/// Where the body text goes inside the body pane: one column of padding on the left, the
/// scrollbar's column on the right, at most [`MAX_TEXT_WIDTH`] wide.
pub fn body_text(body: Rect) -> Rect {
    let inner = inner(body);
    let width = inner.width.saturating_sub(2).min(MAX_TEXT_WIDTH);
    Rect { x: inner.x + 1.min(inner.width), width, ..inner }
}
