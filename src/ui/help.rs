//! The help overlay, generated from the key table so it always tells the truth.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::pane;
use super::theme::theme;
use crate::app::Context;
use crate::keys::{self, BINDINGS, Scope};

/// The sections of the overlay: the left column, then the right one.
const LEFT: &[(&str, Scope)] = &[
    ("Headlines", Scope::Only(Context::List)),
    ("Reader", Scope::Only(Context::Reader)),
    ("Feed picker (F)", Scope::Only(Context::Picker)),
    ("A question (A)", Scope::Only(Context::Confirm)),
];
const RIGHT: &[(&str, Scope)] = &[
    ("Search bar", Scope::Only(Context::Search)),
    ("Everywhere but the search bar", Scope::Browsing),
    ("Always", Scope::Always),
];

/// The width of the key column.
const KEY_COLUMN: usize = 18;
/// Columns between the two halves.
const GAP: u16 = 3;

pub fn render(area: Rect, buf: &mut Buffer) {
    let left = column(LEFT);
    let mut right = column(RIGHT);
    right.push(Line::default());
    right.push(Line::styled("In the search bar, other keys type.", theme().quiet));
    let width_of = |lines: &[Line]| lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let (left_width, right_width) = (width_of(&left), width_of(&right));
    let width = left_width + GAP + right_width + 4;
    let height = left.len().max(right.len()) as u16 + 2;
    let [popup] = area.layout(&Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center));
    let [popup] = popup.layout(&Layout::vertical([Constraint::Length(height)]).flex(Flex::Center));
    Clear.render(popup, buf);
    let block = pane("Keys — ? or Esc closes", true);
    let inner = block.inner(popup).inner(Margin { horizontal: 1, vertical: 0 });
    block.render(popup, buf);
    let [left_area, _, right_area] = inner.layout(&Layout::horizontal([
        Constraint::Length(left_width),
        Constraint::Length(GAP),
        Constraint::Fill(1),
    ]));
    Paragraph::new(left).render(left_area, buf);
    Paragraph::new(right).render(right_area, buf);
}

/// A heading per section, then a line per binding: its keys and what they do.
fn column(sections: &[(&'static str, Scope)]) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, scope) in sections {
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(*title, theme().pane_title));
        for binding in BINDINGS.iter().filter(|b| b.scope == *scope) {
            let keys = keys::labels(binding);
            let pad = KEY_COLUMN.saturating_sub(keys.width()).max(1);
            lines.push(Line::from(vec![
                Span::styled(keys, theme().key),
                Span::raw(" ".repeat(pad)),
                Span::raw(binding.help),
            ]));
        }
    }
    lines
}
