//! The search line: the prompt and the query, with the match count.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::theme;
use super::{cursor_at, line};
use crate::app::{App, Mode};

const PROMPT: &str = "/ ";

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let count = if app.is_ranking() {
        "  ranking…".to_string()
    } else {
        format!("  {} of {} headlines", app.hits().len(), app.collection().len())
    };
    // A right-to-left query is shown in display order, like every other line.
    let query = if app.bidi() { crate::bidi::display(app.query(), None) } else { app.query().into() };
    let mut spans = vec![Span::styled(PROMPT, theme().prompt), Span::raw(query), Span::styled(count, theme().quiet)];
    if app.mode() == Mode::Browse {
        spans.push(Span::styled("  (/ edits, Esc clears)", theme().quiet));
    }
    line(area, buf, Line::from(spans));
}

/// Where the terminal cursor goes: after the query while typing, nowhere otherwise.
pub fn cursor(app: &App, screen: Rect) -> Option<Position> {
    let area = app.panes_in(screen).search.filter(|_| app.mode() == Mode::Search && !app.help_open())?;
    let width = PROMPT.width() + app.query().width();
    Some(cursor_at(area, area.x.saturating_add(u16::try_from(width).unwrap_or(u16::MAX))))
}
