//! The feed picker (`F`): what was typed, then "All feeds" and the feeds with their unread
//! counts, best match first.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use super::theme::{self, theme};
use super::{pane, text};
use crate::app::App;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(picker) = app.picker() else { return };
    let choices = app.choices();
    let width = area.width.saturating_sub(8).min(60);
    let height = (choices.len() as u16 + 4).min(area.height.saturating_sub(2)).max(5);
    let popup = crate::layout::centred(area, width, height);
    Clear.render(popup, buf);
    let block = pane("Feeds — Enter shows one, Esc closes", true);
    let inner = block.inner(popup).inner(Margin { horizontal: 1, vertical: 0 });
    block.render(popup, buf);
    if inner.height == 0 {
        return;
    }
    let prompt = Line::from(vec![Span::styled("> ", theme().prompt), Span::raw(picker.query.clone())]);
    buf.set_line(inner.x, inner.y, &prompt, inner.width);
    let rows = usize::from(inner.height.saturating_sub(2));
    // Keep the selected choice on screen.
    let first = picker.selected.saturating_sub(rows.saturating_sub(1));
    let width = usize::from(inner.width);
    for (y, (n, choice)) in (inner.y + 2..).zip(choices.iter().enumerate().skip(first).take(rows)) {
        let name = choice.narrow.label();
        let count = format!(" {}", choice.unread);
        let selected = n == picker.selected;
        let style = if selected { theme().selected } else { ratatui::style::Style::new() };
        let symbol = if selected { theme::SELECTED_SYMBOL } else { theme::UNSELECTED_SYMBOL };
        let room = width.saturating_sub(unicode_width::UnicodeWidthStr::width(symbol) + count.len());
        let mut spans = vec![Span::styled(symbol, style)];
        let fitted = text::fit(&name, &[], room, style, style, app.bidi());
        let used: usize = fitted.iter().map(|s| s.width()).sum();
        spans.extend(fitted);
        spans.push(Span::styled(" ".repeat(room - used), style));
        spans.push(Span::styled(count, style.patch(theme().quiet)));
        let row = Rect { y, height: 1, ..inner };
        if selected {
            buf.set_style(row, theme().selected);
        }
        buf.set_line(row.x, row.y, &Line::from(spans), row.width);
    }
}
