//! The last fetch's failures, one a line, over the panes (`E`); they scroll when there are more
//! than the screen holds.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::pane;
use super::theme::theme;
use crate::layout;

pub fn render(errors: &[String], first: usize, area: Rect, buf: &mut Buffer) {
    let lines = layout::failure_lines(errors, area);
    let popup = layout::failures_popup(area, lines.len());
    let shown = usize::from(popup.height.saturating_sub(2));
    let first = first.min(lines.len().saturating_sub(shown));
    Clear.render(popup, buf);
    let mut block = pane(
        if shown < lines.len() { "Fetch failures — j/k scroll, Esc closes" } else { "Fetch failures — Esc closes" },
        true,
    );
    if shown < lines.len() {
        let last = (first + shown).min(lines.len());
        block =
            block.title_bottom(Line::from(format!(" {}–{last} of {} lines ", first + 1, lines.len())).right_aligned());
    }
    let inner = block.inner(popup).inner(Margin { horizontal: 1, vertical: 0 });
    block.render(popup, buf);
    let text: Vec<Line> = lines
        .into_iter()
        .skip(first)
        .take(shown)
        .map(|(line, starts)| Line::styled(line, if starts { theme().warning } else { theme().quiet }))
        .collect();
    Paragraph::new(text).render(inner, buf);
}
