//! Rendering: a pure function of `&App`. Nothing here changes state; the layout comes from
//! [`App::panes`], the same geometry the state machine clamps against.

mod body;
mod captions;
mod errors;
mod footer;
mod headlines;
mod help;
mod picker;
mod search;
pub mod text;
pub mod theme;

use theme::theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::app::App;
use crate::layout::{MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen and places the cursor in the search bar while typing.
pub fn draw(app: &App, frame: &mut Frame) {
    frame.render_widget(app, frame.area());
    if let Some(position) = search::cursor(app, frame.area()) {
        frame.set_cursor_position(position);
    }
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let panes = self.panes_in(area);
        if panes.too_small {
            too_small(area, buf);
            return;
        }
        if let Some(list) = panes.list {
            headlines::render(self, list, buf);
        }
        if let Some(body) = panes.body {
            body::render(self, body, buf);
        }
        if let Some(captions) = panes.captions {
            captions::render(self, captions, buf);
        }
        if let Some(line) = panes.search {
            search::render(self, line, buf);
        }
        if let Some(line) = panes.footer {
            footer::render(self, line, buf);
        }
        if self.picker().is_some() {
            picker::render(self, area, buf);
        }
        if let Some(errors) = self.errors() {
            errors::render(errors, self.overlay_offset(), area, buf);
        }
        if self.help_open() {
            help::render(self, area, buf);
        }
    }
}

/// An overlay of `total` lines drawn into `popup` (cleared), scrolled to `first`: the area its
/// lines go in, and which of them show. When not all show, its title says how to scroll
/// (`scrolling`, else `title`) and its foot where it is (`1–22 of 66{unit}`).
fn scrolled_overlay(
    (title, scrolling): (&str, &str),
    unit: &str,
    (total, first): (usize, usize),
    popup: Rect,
    buf: &mut Buffer,
) -> (Rect, std::ops::Range<usize>) {
    let shown = usize::from(popup.height.saturating_sub(2));
    let first = first.min(total.saturating_sub(shown));
    let last = (first + shown).min(total);
    ratatui::widgets::Clear.render(popup, buf);
    let mut block = pane(if shown < total { scrolling } else { title }, true);
    if shown < total {
        block = block.title_bottom(Line::from(format!(" {}–{last} of {total}{unit} ", first + 1)).right_aligned());
    }
    let inner = block.inner(popup).inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    block.render(popup, buf);
    (inner, first..last)
}

/// A bordered pane with a title; the border is highlighted when the pane has the keys.
fn pane<'a>(title: &'a str, focused: bool) -> Block<'a> {
    Block::bordered()
        .border_style(if focused { theme().border_focused } else { theme().border })
        .title(Line::styled(format!(" {title} "), theme().pane_title))
}

fn too_small(area: Rect, buf: &mut Buffer) {
    let message = format!("Terminal too small: need {MIN_WIDTH}x{MIN_HEIGHT}");
    Paragraph::new(message).style(theme().warning).wrap(Wrap { trim: true }).render(area, buf);
}

/// Renders one line of text in a one-row area, clipped.
fn line(area: Rect, buf: &mut Buffer, line: Line) {
    buf.set_style(area, Style::new());
    buf.set_line(area.x, area.y, &line, area.width);
}

/// The cursor position for the end of a text that starts at `x` on row `y`, kept inside `area`.
fn cursor_at(area: Rect, x: u16) -> Position {
    Position { x: x.min(area.right().saturating_sub(1)), y: area.y }
}
