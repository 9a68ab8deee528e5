//! The one place keys are bound: `(context, key) -> Option<Action>`.
//!
//! Bindings are data ([`BINDINGS`]), so the help overlay and the footer are generated from the
//! same table that handles the keys and can never disagree with it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::{Action, Context, Step};

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(c: char) -> Key {
    Key { code: KeyCode::Char(c), modifiers: KeyModifiers::NONE }
}
const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), modifiers: KeyModifiers::CONTROL }
}
const fn code(code: KeyCode) -> Key {
    Key { code, modifiers: KeyModifiers::NONE }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, the search bar included.
    Always,
    /// Everywhere but the search bar, where keys type text.
    Browsing,
    /// Only in this context.
    Only(Context),
}

/// One row of the key table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    /// What the help overlay says.
    pub help: &'static str,
    /// Shown in the footer with this short label.
    pub hint: Option<&'static str>,
}

use Context::{Confirm, Help, List, Picker, Reader, Search};
use KeyCode::{Backspace, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

const fn bind(scope: Scope, keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { scope, keys, action, help, hint: None }
}
const fn hinted(scope: Scope, keys: &'static [Key], action: Action, help: &'static str, hint: &'static str) -> Binding {
    Binding { scope, keys, action, help, hint: Some(hint) }
}

/// Every key binding, in the order the help overlay lists them. The first match wins.
pub const BINDINGS: &[Binding] = &[
    bind(Scope::Always, &[ctrl('c')], Action::Quit, "quit"),
    // Help overlay: any of these closes it; it scrolls when it is taller than the screen.
    hinted(Scope::Only(Help), &[key('?'), code(Esc), key('q')], Action::ToggleHelp, "close help", "close"),
    bind(Scope::Only(Help), &[key('j'), code(Down)], Action::Scroll(Step::Down), "scroll down"),
    bind(Scope::Only(Help), &[key('k'), code(Up)], Action::Scroll(Step::Up), "scroll up"),
    bind(Scope::Only(Help), &[key(' '), code(PageDown)], Action::Scroll(Step::PageDown), "page down"),
    bind(Scope::Only(Help), &[code(PageUp)], Action::Scroll(Step::PageUp), "page up"),
    bind(Scope::Only(Help), &[key('g'), code(Home)], Action::Scroll(Step::Top), "top"),
    bind(Scope::Only(Help), &[key('G'), code(End)], Action::Scroll(Step::Bottom), "end"),
    // Headline list.
    hinted(Scope::Only(List), &[key('j'), code(Down)], Action::Select(Step::Down), "next headline", "move"),
    bind(Scope::Only(List), &[key('k'), code(Up)], Action::Select(Step::Up), "previous headline"),
    bind(Scope::Only(List), &[key('g'), code(Home)], Action::Select(Step::Top), "first headline"),
    bind(Scope::Only(List), &[key('G'), code(End)], Action::Select(Step::Bottom), "last headline"),
    bind(Scope::Only(List), &[code(PageDown)], Action::Select(Step::PageDown), "page down"),
    bind(Scope::Only(List), &[code(PageUp)], Action::Select(Step::PageUp), "page up"),
    bind(Scope::Only(List), &[ctrl('d')], Action::Select(Step::HalfPageDown), "half page down"),
    bind(Scope::Only(List), &[ctrl('u')], Action::Select(Step::HalfPageUp), "half page up"),
    hinted(
        Scope::Only(List),
        &[code(Enter), key('l'), code(Right), code(Tab)],
        Action::FocusReader,
        "read the article",
        "read",
    ),
    bind(Scope::Only(List), &[code(Esc)], Action::ClearFilter, "clear the filter"),
    // Reader.
    hinted(Scope::Only(Reader), &[key('j'), code(Down)], Action::Scroll(Step::Down), "scroll down", "scroll"),
    bind(Scope::Only(Reader), &[key('k'), code(Up)], Action::Scroll(Step::Up), "scroll up"),
    bind(Scope::Only(Reader), &[key(' '), code(PageDown)], Action::Scroll(Step::PageDown), "page down"),
    bind(Scope::Only(Reader), &[code(PageUp)], Action::Scroll(Step::PageUp), "page up"),
    bind(Scope::Only(Reader), &[ctrl('d')], Action::Scroll(Step::HalfPageDown), "half page down"),
    bind(Scope::Only(Reader), &[ctrl('u')], Action::Scroll(Step::HalfPageUp), "half page up"),
    bind(Scope::Only(Reader), &[key('g'), code(Home)], Action::Scroll(Step::Top), "top of the article"),
    bind(Scope::Only(Reader), &[key('G'), code(End)], Action::Scroll(Step::Bottom), "end of the article"),
    hinted(Scope::Only(Reader), &[key('n')], Action::Select(Step::Down), "next article", "next"),
    hinted(Scope::Only(Reader), &[key('p')], Action::Select(Step::Up), "previous article", "prev"),
    hinted(
        Scope::Only(Reader),
        &[key('h'), code(Left), code(Esc), code(Tab)],
        Action::FocusList,
        "back to the headlines",
        "back",
    ),
    // Search bar.
    hinted(Scope::Only(Search), &[code(Enter)], Action::AcceptSearch, "keep the filter, go to the list", "keep"),
    hinted(
        Scope::Only(Search),
        &[code(Esc)],
        Action::CancelSearch,
        "clear the filter, restore the selection",
        "cancel",
    ),
    hinted(Scope::Only(Search), &[code(Down), ctrl('n')], Action::Select(Step::Down), "next result", "move"),
    bind(Scope::Only(Search), &[code(Up), ctrl('p')], Action::Select(Step::Up), "previous result"),
    bind(Scope::Only(Search), &[code(Backspace), ctrl('h')], Action::DeleteChar, "delete a character"),
    bind(Scope::Only(Search), &[ctrl('w')], Action::DeleteWord, "delete a word"),
    bind(Scope::Only(Search), &[ctrl('u')], Action::ClearQuery, "clear the query"),
    // Everywhere but the search bar.
    hinted(Scope::Browsing, &[key('/')], Action::StartSearch, "search headlines", "search"),
    bind(Scope::Browsing, &[key('o')], Action::OpenUrl, "open the article in the browser"),
    bind(
        Scope::Browsing,
        &[key('1'), key('2'), key('3'), key('4'), key('5'), key('6'), key('7'), key('8'), key('9')],
        Action::OpenLink(0),
        "open link [n] of the article",
    ),
    bind(Scope::Browsing, &[key('y')], Action::CopyUrl, "copy the article's link (OSC 52)"),
    bind(Scope::Browsing, &[key('f')], Action::FetchFullText, "the full article from its web page"),
    bind(Scope::Browsing, &[key('r')], Action::ToggleRead, "mark read / unread (library)"),
    bind(Scope::Browsing, &[key('s')], Action::ToggleStar, "star / unstar (library)"),
    bind(Scope::Browsing, &[key('u')], Action::ShowUnread, "unread only / all (library)"),
    bind(Scope::Browsing, &[key('*')], Action::ShowStarred, "starred only / all (library)"),
    bind(Scope::Browsing, &[key('R')], Action::Refresh, "fetch every feed in the background (library)"),
    bind(Scope::Browsing, &[key('E')], Action::ToggleErrors, "the last fetch's failures (library)"),
    bind(Scope::Browsing, &[key('A')], Action::MarkAllRead, "mark every article shown read, asks first (library)"),
    bind(Scope::Browsing, &[key('F')], Action::OpenPicker, "pick a feed to show (library)"),
    // A yes/no question.
    hinted(Scope::Only(Confirm), &[key('y')], Action::Confirm(true), "yes", "yes"),
    hinted(Scope::Only(Confirm), &[key('n'), code(Esc)], Action::Confirm(false), "no", "no"),
    // The feed picker.
    hinted(Scope::Only(Picker), &[code(Enter)], Action::AcceptPick, "show this feed", "choose"),
    hinted(Scope::Only(Picker), &[code(Esc)], Action::CancelPick, "close, changing nothing", "cancel"),
    hinted(Scope::Only(Picker), &[code(Down), ctrl('n')], Action::Select(Step::Down), "next feed", "move"),
    bind(Scope::Only(Picker), &[code(Up), ctrl('p')], Action::Select(Step::Up), "previous feed"),
    bind(Scope::Only(Picker), &[code(Backspace), ctrl('h')], Action::DeleteChar, "delete a character"),
    hinted(Scope::Browsing, &[key('?')], Action::ToggleHelp, "help", "help"),
    hinted(Scope::Browsing, &[key('q')], Action::Quit, "quit", "quit"),
];

impl Scope {
    fn applies(self, context: Context) -> bool {
        match self {
            Scope::Always => true,
            Scope::Browsing => matches!(context, List | Reader),
            Scope::Only(only) => only == context,
        }
    }
}

/// The bindings that apply in a context, in table order.
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.scope.applies(context))
}

/// The action for a key press in a context. In the search bar, printable keys without Ctrl or Alt
/// type themselves.
pub fn action(context: Context, event: KeyEvent) -> Option<Action> {
    let pressed = normalize(event);
    if let Some(binding) = bindings(context).find(|b| b.keys.contains(&pressed)) {
        return Some(match (&binding.action, pressed.code) {
            // One row of the table for the nine digits: the digit is the link's number.
            (Action::OpenLink(0), KeyCode::Char(digit)) => Action::OpenLink(digit.to_digit(10).unwrap_or(0) as usize),
            (action, _) => action.clone(),
        });
    }
    match (context, pressed.code) {
        (Search | Picker, KeyCode::Char(c)) if pressed.modifiers.is_empty() => Some(Action::Insert(c)),
        _ => None,
    }
}

/// Shift is part of the character already (`G`, `?`), and terminals differ on reporting it;
/// `BackTab` counts as Tab.
fn normalize(event: KeyEvent) -> Key {
    let mut modifiers = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    let code = match event.code {
        KeyCode::BackTab => KeyCode::Tab,
        code => code,
    };
    if matches!(code, KeyCode::Char(_) | KeyCode::Tab) {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    Key { code, modifiers }
}

/// A binding's keys as the help overlay writes them: `j ↓`, and a run of digits as `1-9`.
pub fn labels(binding: &Binding) -> String {
    let digits = binding.keys.iter().all(|k| matches!(k.code, KeyCode::Char('0'..='9')));
    match (binding.keys.first(), binding.keys.last()) {
        (Some(&first), Some(&last)) if digits && binding.keys.len() > 2 => format!("{}-{}", label(first), label(last)),
        _ => binding.keys.iter().map(|&k| label(k)).collect::<Vec<_>>().join(" "),
    }
}

/// How a key is written in the help overlay and the footer.
pub fn label(key: Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        Down => "↓".into(),
        Up => "↑".into(),
        Left => "←".into(),
        Right => "→".into(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        Tab => "Tab".into(),
        Home => "Home".into(),
        End => "End".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        Backspace => "Backspace".into(),
        other => format!("{other}"),
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) { format!("Ctrl-{name}") } else { name }
}

/// The help overlay's sections: its left column, then its right one.
const HELP_LEFT: &[(&str, Scope)] = &[
    ("Headlines", Scope::Only(List)),
    ("Reader", Scope::Only(Reader)),
    ("Feed picker (F)", Scope::Only(Picker)),
    ("A question (A)", Scope::Only(Confirm)),
];
const HELP_RIGHT: &[(&str, Scope)] = &[
    ("Search bar", Scope::Only(Search)),
    ("Everywhere but the search bar", Scope::Browsing),
    ("Always", Scope::Always),
];

/// The width of the help overlay's key column.
pub const HELP_KEY_COLUMN: usize = 18;
/// Columns between the help overlay's two halves.
pub const HELP_GAP: usize = 3;
/// Columns the help overlay's border and margins take.
const HELP_FRAME: usize = 4;

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Blank,
    Heading(&'static str),
    /// A binding: its keys (`j ↓`) and what they do.
    Binding(String, &'static str),
    /// A remark.
    Note(&'static str),
}

impl HelpLine {
    pub fn width(&self) -> usize {
        use unicode_width::UnicodeWidthStr;
        match self {
            HelpLine::Blank => 0,
            HelpLine::Heading(text) | HelpLine::Note(text) => text.width(),
            HelpLine::Binding(keys, help) => keys.width().max(HELP_KEY_COLUMN - 1) + 1 + help.width(),
        }
    }
}

/// The help overlay laid out for a screen `width` columns wide: its two columns side by side
/// where they fit, else one after the other (an 80-column terminal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLayout {
    /// Each row: a line of the left column and, side by side, one of the right.
    pub rows: Vec<(HelpLine, Option<HelpLine>)>,
    /// The width of the left column (where the right one starts, after [`HELP_GAP`]).
    pub left_width: usize,
    /// The overlay's width, border included (at most the screen's).
    pub width: usize,
}

/// The help overlay for a screen `width` columns wide, generated from [`BINDINGS`].
pub fn help(width: u16) -> HelpLayout {
    let column = |sections: &[(&'static str, Scope)]| {
        let mut lines = Vec::new();
        for (title, scope) in sections {
            if !lines.is_empty() {
                lines.push(HelpLine::Blank);
            }
            lines.push(HelpLine::Heading(title));
            lines.extend(BINDINGS.iter().filter(|b| b.scope == *scope).map(|b| HelpLine::Binding(labels(b), b.help)));
        }
        lines
    };
    let left = column(HELP_LEFT);
    let mut right = column(HELP_RIGHT);
    right.extend([HelpLine::Blank, HelpLine::Note("In the search bar, other keys type.")]);
    let width_of = |lines: &[HelpLine]| lines.iter().map(HelpLine::width).max().unwrap_or(0);
    let (left_width, right_width) = (width_of(&left), width_of(&right));
    let screen = usize::from(width);
    if left_width + HELP_GAP + right_width + HELP_FRAME <= screen {
        let rows = (0..left.len().max(right.len()))
            .map(|i| {
                (
                    left.get(i).cloned().unwrap_or(HelpLine::Blank),
                    Some(right.get(i).cloned().unwrap_or(HelpLine::Blank)),
                )
            })
            .collect();
        return HelpLayout { rows, left_width, width: left_width + HELP_GAP + right_width + HELP_FRAME };
    }
    let rows = left.into_iter().chain([HelpLine::Blank]).chain(right).map(|line| (line, None)).collect();
    let left_width = left_width.max(right_width);
    HelpLayout { rows, left_width, width: (left_width + HELP_FRAME).min(screen) }
}
