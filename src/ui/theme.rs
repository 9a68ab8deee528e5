//! Styles, in one place. Colours are only ever an addition: the selection is also marked with a
//! symbol and bold text, so it stays visible without colour (crossterm drops colours when
//! `NO_COLOR` is set).

use ratatui::style::{Color, Modifier, Style};

pub const BORDER: Style = Style::new().fg(Color::DarkGray);
pub const BORDER_FOCUSED: Style = Style::new().fg(Color::Cyan);
pub const PANE_TITLE: Style = Style::new().add_modifier(Modifier::BOLD);
pub const SELECTED: Style = Style::new().fg(Color::White).bg(Color::Blue).add_modifier(Modifier::BOLD);
pub const MATCH: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const MATCH_SELECTED: Style =
    Style::new().fg(Color::Yellow).bg(Color::Blue).add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED));
pub const HEADLINE: Style = Style::new().add_modifier(Modifier::BOLD);
pub const META: Style = Style::new().fg(Color::DarkGray);
pub const DATELINE: Style = Style::new().add_modifier(Modifier::BOLD);
pub const CREDIT: Style = Style::new().fg(Color::DarkGray).add_modifier(Modifier::ITALIC);
pub const QUIET: Style = Style::new().fg(Color::DarkGray);
pub const KEY: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const PROMPT: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const WARNING: Style = Style::new().fg(Color::Yellow);

/// Marks the selected headline, in colour or not.
pub const SELECTED_SYMBOL: &str = "▶ ";
pub const UNSELECTED_SYMBOL: &str = "  ";
pub const ELLIPSIS: &str = "…";
