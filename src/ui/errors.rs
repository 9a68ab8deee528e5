//! The last fetch's failures, one a line, over the panes (`E`); they scroll when there are more
//! than the screen holds.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::scrolled_overlay;
use super::theme::theme;
use crate::layout;

pub fn render(errors: &[String], first: usize, area: Rect, buf: &mut Buffer) {
    let lines = layout::failure_lines(errors, area);
    let popup = layout::failures_popup(area, lines.len());
    let (inner, shown) = scrolled_overlay(
        ("Fetch failures — Esc closes", "Fetch failures — j/k scroll, Esc closes"),
        " lines",
        (lines.len(), first),
        popup,
        buf,
    );
    let text: Vec<Line> = lines[shown]
        .iter()
        .map(|(line, starts)| Line::styled(line.as_str(), if *starts { theme().warning } else { theme().quiet }))
        .collect();
    Paragraph::new(text).render(inner, buf);
}
