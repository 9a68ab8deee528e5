//! The footer: the key hints of the current context, from the key table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::line;
use super::theme::theme;
use crate::app::App;
use crate::keys;

/// At most this many keys are named per hint ("j/↓ move").
const KEYS_PER_HINT: usize = 2;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let mut spans = Vec::new();
    // A spinner while a page or a fetch loads; what the last key did, or what failed to load,
    // before the hints.
    if let Some(frame) = app.spinner() {
        spans.push(Span::styled(format!("{frame} "), theme().key));
    }
    if let Some(status) = app.status() {
        spans.push(Span::styled(status.to_string(), theme().warning));
        spans.push(Span::raw("  "));
    }
    for binding in keys::bindings(app.context()) {
        let Some(hint) = binding.hint else { continue };
        let keys: Vec<String> = binding.keys.iter().take(KEYS_PER_HINT).map(|&k| keys::label(k)).collect();
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(keys.join("/"), theme().key));
        spans.push(Span::styled(format!(" {hint}"), theme().quiet));
    }
    line(area, buf, Line::from(spans));
}
