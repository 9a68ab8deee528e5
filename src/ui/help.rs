//! The help overlay, generated from the key table so it always tells the truth. Two columns
//! where they fit, one on a narrow screen; it scrolls when it is taller than the screen.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use super::pane;
use super::theme::theme;
use crate::app::App;
use crate::keys::{self, HELP_GAP, HELP_KEY_COLUMN, HelpLine};
use crate::layout;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let help = keys::help(area.width);
    let popup = layout::help_popup(area, help.width, help.rows.len());
    let shown = usize::from(popup.height.saturating_sub(2));
    let first = app.overlay_offset().min(help.rows.len().saturating_sub(shown));
    let title =
        if shown < help.rows.len() { "Keys — j/k scroll, ? or Esc closes" } else { "Keys — ? or Esc closes" };
    Clear.render(popup, buf);
    let mut block = pane(title, true);
    if shown < help.rows.len() {
        let last = (first + shown).min(help.rows.len());
        block =
            block.title_bottom(Line::from(format!(" {}–{last} of {} ", first + 1, help.rows.len())).right_aligned());
    }
    let inner = block.inner(popup).inner(Margin { horizontal: 1, vertical: 0 });
    block.render(popup, buf);
    let right_x = inner.x.saturating_add(u16::try_from(help.left_width + HELP_GAP).unwrap_or(u16::MAX));
    for ((left, right), y) in help.rows.iter().skip(first).take(shown).zip(inner.y..) {
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
