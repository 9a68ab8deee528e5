//! The reader: the selected article's page from its scroll position, with a scrollbar and a
//! percentage.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget};

use super::pane;
use super::theme::theme;
use crate::app::{App, Context};
use crate::layout;
use crate::page::LineKind;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(page) = app.page() else {
        let block = pane("Article", false);
        let inner = block.inner(area);
        block.render(area, buf);
        Paragraph::new("Nothing selected").style(theme().quiet).render(inner, buf);
        return;
    };
    let text_area = layout::body_text(area);
    let height = usize::from(text_area.height);
    let max_scroll = page.lines.len().saturating_sub(height);
    let progress = match (max_scroll, app.scroll()) {
        (0, _) => "All".to_string(),
        (_, 0) => "Top".to_string(),
        (max, scroll) if scroll >= max => "End".to_string(),
        (max, scroll) => format!("{}%", scroll * 100 / max),
    };
    let block = pane("Article", app.context() == Context::Reader)
        .title_bottom(Line::styled(format!(" {progress} "), theme().quiet).right_aligned());
    block.render(area, buf);

    let lines: Vec<Line> = page
        .lines
        .iter()
        .skip(app.scroll())
        .take(height)
        .map(|line| {
            let style = match line.kind {
                LineKind::Title => theme().headline,
                LineKind::Meta => theme().meta,
                LineKind::Text | LineKind::Blank => Style::new(),
            };
            let text = Line::styled(line.text.as_str(), style);
            if line.right_to_left { text.right_aligned() } else { text }
        })
        .collect();
    Paragraph::new(lines).render(text_area, buf);

    if max_scroll > 0 {
        let mut state = ScrollbarState::new(max_scroll + 1).position(app.scroll()).viewport_content_length(height);
        let track = area.inner(Margin { vertical: 1, horizontal: 0 });
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .render(track, buf, &mut state);
    }
}
