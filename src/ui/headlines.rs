//! The headline list: visible rows only, the selection marked, fuzzy matches highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::theme::{self, theme};
use super::{pane, text};
use crate::app::{App, Context, Narrow, View};

/// At most this many columns of a feed's name before each of its headlines.
const FEED_COLUMNS: usize = 12;
/// The feed's column narrows to leave a headline this many columns, down to
/// [`MIN_FEED_COLUMNS`]; narrower than that, it is left out.
const MIN_HEADLINE_COLUMNS: usize = 20;
const MIN_FEED_COLUMNS: usize = 6;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let focused = matches!(app.context(), Context::List | Context::Search);
    let block = pane("Headlines", focused).title_top(Line::from(position(app)).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);

    if app.hits().is_empty() {
        let message = if !app.query().is_empty() {
            format!("No headlines match “{}”", app.query())
        } else if app.marks().is_none() {
            "No articles".to_string()
        } else if app.collection().is_empty() {
            // Subscribed (`import`), not fetched yet.
            "No articles yet: R fetches your feeds".to_string()
        } else {
            match app.view() {
                View::Unread => "No unread articles here (u shows all)",
                View::Starred => "No starred articles here (* shows all)",
                View::All => "No articles here (F: all feeds)",
            }
            .to_string()
        };
        Paragraph::new(message).style(theme().quiet).render(inner, buf);
        return;
    }

    let width = usize::from(inner.width);
    let text_width = width.saturating_sub(theme::SELECTED_SYMBOL.width());
    let rows = app.hits().iter().enumerate().skip(app.list_offset()).take(usize::from(inner.height));
    for (y, (position, hit)) in (inner.y..).zip(rows) {
        let title = app.collection().title(hit.index);
        let positions = app.searcher().positions(app.query(), title);
        let selected = position == app.selected();
        let (base, highlight, symbol) = if selected {
            (theme().selected, theme().matched_selected, theme::SELECTED_SYMBOL)
        } else {
            (ratatui::style::Style::new(), theme().matched, theme::UNSELECTED_SYMBOL)
        };
        let mut spans = vec![Span::styled(symbol, base)];
        let mut text_width = text_width;
        // The library's articles: a mark (● unread, ★ starred), the feed dim, read ones quieter.
        let (base, highlight) = match app.marks() {
            Some(marks) => {
                let i = hit.index;
                let mark = if marks.starred[i] {
                    "★ "
                } else if marks.read[i] {
                    "  "
                } else {
                    "● "
                };
                let quiet = base.patch(theme().quiet);
                text_width = text_width.saturating_sub(mark.width());
                spans.push(Span::styled(mark, base.patch(theme().key)));
                // The feed's column, as wide as the headline leaves room for; none when the
                // list shows one feed.
                let columns = text_width.saturating_sub(1 + MIN_HEADLINE_COLUMNS).min(FEED_COLUMNS);
                if columns >= MIN_FEED_COLUMNS && !matches!(app.narrow(), Narrow::Feed(_)) {
                    let feed = text::fit(&marks.feeds[i], &[], columns, quiet, quiet, app.bidi());
                    let used: usize = feed.iter().map(|span| span.width()).sum();
                    text_width -= columns + 1;
                    spans.extend(feed);
                    spans.push(Span::styled(" ".repeat(columns + 1 - used), quiet));
                }
                if marks.read[i] {
                    (base.patch(theme().quiet), highlight)
                } else {
                    (base.add_modifier(ratatui::style::Modifier::BOLD), highlight)
                }
            }
            None => (base, highlight),
        };
        spans.extend(text::fit(title, &positions, text_width, base, highlight, app.bidi()));
        let row = Rect { y, height: 1, ..inner };
        if selected {
            buf.set_style(row, theme().selected);
        }
        buf.set_line(row.x, row.y, &Line::from(spans), row.width);
    }
}

/// "2/5", or "1/2 of 120" while a filter hides some articles, or "ranking…" while the list shows
/// a first screen of matches and the full ranking is on its way.
fn position(app: &App) -> String {
    if app.is_ranking() {
        return " ranking… ".to_string();
    }
    let shown = app.hits().len();
    let current = if shown == 0 { 0 } else { app.selected() + 1 };
    if app.query().is_empty() {
        format!(" {current}/{shown} ")
    } else {
        format!(" {current}/{shown} of {} ", app.collection().len())
    }
}
