//! The caption sidebar: each caption wrapped, its dateline bold, its credit on a line of its own.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::pane;
use super::theme::theme;
use crate::app::App;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let block = pane("Photo captions", false);
    // One column of padding on each side, like the body.
    let inner = block.inner(area).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    block.render(area, buf);
    let captions = app.selected_article().map_or(&[][..], |article| article.captions.as_slice());
    if captions.is_empty() {
        Paragraph::new("No photo captions").style(theme().quiet).render(inner, buf);
        return;
    }
    let width = usize::from(inner.width).max(1);
    let height = usize::from(inner.height);
    let mut lines: Vec<Line> = Vec::new();
    let bidi = app.bidi();
    let push_wrapped = |lines: &mut Vec<Line>, text: &str, style: Style| {
        let (wrapped, rtl) = crate::page::wrap_for_display(text, width, bidi);
        for piece in wrapped {
            let line = Line::styled(piece, style);
            lines.push(if rtl { line.right_aligned() } else { line });
        }
    };
    for caption in captions {
        if lines.len() >= height {
            break;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        let (dateline, text) = caption.dateline();
        if let Some(dateline) = dateline {
            push_wrapped(&mut lines, dateline, theme().dateline);
        }
        push_wrapped(&mut lines, text, Style::new());
        if let Some(credit) = &caption.credit {
            push_wrapped(&mut lines, &format!("— {credit}"), theme().credit);
        }
    }
    lines.truncate(height);
    Paragraph::new(lines).render(inner, buf);
}
