//! The help overlay, generated from the key table so it always tells the truth. Two columns
//! where they fit, one on a narrow screen; it scrolls when it is taller than the screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::scrolled_overlay;
use super::theme::theme;
use crate::app::App;
use crate::keys::{self, HELP_GAP, HELP_KEY_COLUMN, HelpLine};
use crate::layout;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let help = keys::help(area.width);
    let popup = layout::help_popup(area, help.width, help.rows.len());
    let (inner, shown) = scrolled_overlay(
        ("Keys — ? or Esc closes", "Keys — j/k scroll, ? or Esc closes"),
        "",
        (help.rows.len(), app.overlay_offset()),
        popup,
        buf,
    );
    let right_x = inner.x.saturating_add(u16::try_from(help.left_width + HELP_GAP).unwrap_or(u16::MAX));
    for ((left, right), y) in help.rows[shown].iter().zip(inner.y..) {
        buf.set_line(inner.x, y, &line(left), inner.width);
        if let Some(right) = right
            && right_x < inner.right()
        {
            buf.set_line(right_x, y, &line(right), inner.right() - right_x);
        }
    }
}

/// One line of the overlay, styled: headings as pane titles, keys as keys, notes quiet.
fn line(help: &HelpLine) -> Line<'static> {
    match help {
        HelpLine::Blank => Line::default(),
        HelpLine::Heading(title) => Line::styled(*title, theme().pane_title),
        HelpLine::Note(note) => Line::styled(*note, theme().quiet),
        HelpLine::Binding(keys, what) => {
            use unicode_width::UnicodeWidthStr;
            let pad = HELP_KEY_COLUMN.saturating_sub(keys.width()).max(1);
            Line::from(vec![Span::styled(keys.clone(), theme().key), Span::raw(" ".repeat(pad)), Span::raw(*what)])
        }
    }
}
