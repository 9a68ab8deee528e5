//! The help overlay, generated from the key table so it always tells the truth.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::{pane, theme};
use crate::app::Context;
use crate::keys::{self, BINDINGS, Scope};

/// The sections of the overlay, in order.
const SECTIONS: &[(&str, Scope)] = &[
    ("Headlines", Scope::Only(Context::List)),
    ("Reader", Scope::Only(Context::Reader)),
    ("Search bar", Scope::Only(Context::Search)),
    ("Everywhere", Scope::Browsing),
    ("Always", Scope::Always),
];

/// The width of the key column.
const KEY_COLUMN: usize = 22;

pub fn render(area: Rect, buf: &mut Buffer) {
    let lines = help_lines();
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let height = lines.len() as u16 + 2;
    let [popup] = area.layout(&Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center));
    let [popup] = popup.layout(&Layout::vertical([Constraint::Length(height)]).flex(Flex::Center));
    Clear.render(popup, buf);
    let block = pane("Keys — ? or Esc closes", true);
    let inner = block.inner(popup);
    block.render(popup, buf);
    Paragraph::new(lines).render(inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 }), buf);
}

/// One heading per section, then one line per binding: its keys and what they do.
pub fn help_lines() -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, scope) in SECTIONS {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(*title, theme::PANE_TITLE));
        for binding in BINDINGS.iter().filter(|b| b.scope == *scope) {
            let keys: Vec<String> = binding.keys.iter().map(|&k| keys::label(k)).collect();
            let keys = keys.join(" ");
            let pad = KEY_COLUMN.saturating_sub(keys.width());
            lines.push(Line::from(vec![
                Span::styled(keys, theme::KEY),
                Span::raw(" ".repeat(pad)),
                Span::raw(binding.help),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled("In the search bar, other keys type the query.", theme::QUIET));
    lines
}
