//! The last fetch's failures, one a line, over the panes (`E`).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::pane;
use super::theme::theme;

pub fn render(errors: &[String], area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(8).min(110);
    let inner_width = usize::from(width.saturating_sub(4)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for error in errors {
        for (i, piece) in crate::page::wrap(error, inner_width).into_iter().enumerate() {
            let piece = if i == 0 { piece.into_owned() } else { format!("  {piece}") };
            lines.push(Line::styled(piece, if i == 0 { theme().warning } else { theme().quiet }));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let [popup] = area.layout(&Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center));
    let [popup] = popup.layout(&Layout::vertical([Constraint::Length(height)]).flex(Flex::Center));
    Clear.render(popup, buf);
    let block = pane("Fetch failures — Esc closes", true);
    let inner = block.inner(popup).inner(Margin { horizontal: 1, vertical: 0 });
    block.render(popup, buf);
    Paragraph::new(lines).render(inner, buf);
}
