//! Styles, in one place, and the one place that reads `NO_COLOR`.
//!
//! Colours are only ever an addition: the selection also carries a symbol and bold text. Without
//! colour (`NO_COLOR` set and not empty, see no-color.org) the monochrome theme uses no colour at
//! all, reverse video for the selection and underline for matches. Leaving colours to crossterm is
//! not enough: with `NO_COLOR` it writes an empty SGR (`ESC [ m`) for every colour change, which
//! resets bold and reverse too.

use std::sync::LazyLock;

use ratatui::style::{Color, Modifier, Style};

/// Every style the screen uses.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub border: Style,
    pub border_focused: Style,
    pub pane_title: Style,
    pub selected: Style,
    pub matched: Style,
    pub matched_selected: Style,
    pub headline: Style,
    pub meta: Style,
    pub dateline: Style,
    pub credit: Style,
    pub quiet: Style,
    pub key: Style,
    pub prompt: Style,
    pub warning: Style,
}

const BOLD: Modifier = Modifier::BOLD;

pub const COLOR: Theme = Theme {
    border: Style::new().fg(Color::DarkGray),
    border_focused: Style::new().fg(Color::Cyan),
    pane_title: Style::new().add_modifier(BOLD),
    selected: Style::new().fg(Color::White).bg(Color::Blue).add_modifier(BOLD),
    matched: Style::new().fg(Color::Yellow).add_modifier(BOLD),
    matched_selected: Style::new().fg(Color::Yellow).bg(Color::Blue).add_modifier(BOLD.union(Modifier::UNDERLINED)),
    headline: Style::new().add_modifier(BOLD),
    meta: Style::new().fg(Color::DarkGray),
    dateline: Style::new().add_modifier(BOLD),
    credit: Style::new().fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
    quiet: Style::new().fg(Color::DarkGray),
    key: Style::new().fg(Color::Cyan).add_modifier(BOLD),
    prompt: Style::new().fg(Color::Cyan).add_modifier(BOLD),
    warning: Style::new().fg(Color::Yellow),
};

pub const MONO: Theme = Theme {
    border: Style::new(),
    border_focused: Style::new().add_modifier(BOLD),
    pane_title: Style::new().add_modifier(BOLD),
    selected: Style::new().add_modifier(BOLD.union(Modifier::REVERSED)),
    matched: Style::new().add_modifier(BOLD.union(Modifier::UNDERLINED)),
    matched_selected: Style::new().add_modifier(BOLD.union(Modifier::REVERSED).union(Modifier::UNDERLINED)),
    headline: Style::new().add_modifier(BOLD),
    meta: Style::new().add_modifier(Modifier::DIM),
    dateline: Style::new().add_modifier(BOLD),
    credit: Style::new().add_modifier(Modifier::ITALIC),
    quiet: Style::new().add_modifier(Modifier::DIM),
    key: Style::new().add_modifier(BOLD),
    prompt: Style::new().add_modifier(BOLD),
    warning: Style::new().add_modifier(BOLD),
};

/// The theme for this run: monochrome when `NO_COLOR` is set to anything but the empty string.
pub fn theme() -> &'static Theme {
    static THEME: LazyLock<&'static Theme> =
        LazyLock::new(|| if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) { &MONO } else { &COLOR });
    *THEME
}

/// Marks the selected headline, in colour or not.
pub const SELECTED_SYMBOL: &str = "▶ ";
pub const UNSELECTED_SYMBOL: &str = "  ";
pub const ELLIPSIS: &str = "…";
