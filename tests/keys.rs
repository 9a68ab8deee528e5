//! The key table: vim keys and arrows, per context.

use broadsheet::app::{Action, Context, Step};
use broadsheet::keys::{BINDINGS, action};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}
fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}
fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn list_keys() {
    use Context::List;
    for k in [ch('j'), key(KeyCode::Down)] {
        assert_eq!(action(List, k), Some(Action::Select(Step::Down)));
    }
    for k in [ch('k'), key(KeyCode::Up)] {
        assert_eq!(action(List, k), Some(Action::Select(Step::Up)));
    }
    for k in [ch('g'), key(KeyCode::Home)] {
        assert_eq!(action(List, k), Some(Action::Select(Step::Top)));
    }
    // Terminals report G with or without Shift.
    for k in [ch('G'), KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT), key(KeyCode::End)] {
        assert_eq!(action(List, k), Some(Action::Select(Step::Bottom)));
    }
    assert_eq!(action(List, key(KeyCode::PageDown)), Some(Action::Select(Step::PageDown)));
    assert_eq!(action(List, key(KeyCode::PageUp)), Some(Action::Select(Step::PageUp)));
    assert_eq!(action(List, ctrl('d')), Some(Action::Select(Step::HalfPageDown)));
    assert_eq!(action(List, ctrl('u')), Some(Action::Select(Step::HalfPageUp)));
    for k in [key(KeyCode::Enter), ch('l'), key(KeyCode::Right), key(KeyCode::Tab)] {
        assert_eq!(action(List, k), Some(Action::FocusReader));
    }
}

#[test]
fn reader_keys() {
    use Context::Reader;
    for k in [ch('j'), key(KeyCode::Down)] {
        assert_eq!(action(Reader, k), Some(Action::Scroll(Step::Down)));
    }
    for k in [ch(' '), key(KeyCode::PageDown)] {
        assert_eq!(action(Reader, k), Some(Action::Scroll(Step::PageDown)));
    }
    assert_eq!(action(Reader, key(KeyCode::PageUp)), Some(Action::Scroll(Step::PageUp)));
    assert_eq!(action(Reader, ch('g')), Some(Action::Scroll(Step::Top)));
    assert_eq!(action(Reader, ch('G')), Some(Action::Scroll(Step::Bottom)));
    assert_eq!(action(Reader, ch('n')), Some(Action::Select(Step::Down)));
    assert_eq!(action(Reader, ch('p')), Some(Action::Select(Step::Up)));
    for k in [ch('h'), key(KeyCode::Left), key(KeyCode::Esc), key(KeyCode::Tab), key(KeyCode::BackTab)] {
        assert_eq!(action(Reader, k), Some(Action::FocusList));
    }
}

#[test]
fn global_keys() {
    for context in [Context::List, Context::Reader] {
        assert_eq!(action(context, ch('/')), Some(Action::StartSearch));
        assert_eq!(action(context, ch('?')), Some(Action::ToggleHelp));
        assert_eq!(action(context, ch('q')), Some(Action::Quit));
    }
    for context in [Context::List, Context::Reader, Context::Search, Context::Help] {
        assert_eq!(action(context, ctrl('c')), Some(Action::Quit));
    }
}

#[test]
fn search_bar_keys_type_text() {
    use Context::Search;
    for c in ['q', 'j', '/', '?', 'G', ' ', 'é', '北'] {
        assert_eq!(action(Search, ch(c)), Some(Action::Insert(c)), "{c}");
    }
    assert_eq!(action(Search, key(KeyCode::Backspace)), Some(Action::DeleteChar));
    assert_eq!(action(Search, ctrl('w')), Some(Action::DeleteWord));
    assert_eq!(action(Search, ctrl('u')), Some(Action::ClearQuery));
    assert_eq!(action(Search, key(KeyCode::Enter)), Some(Action::AcceptSearch));
    assert_eq!(action(Search, key(KeyCode::Esc)), Some(Action::CancelSearch));
    for k in [key(KeyCode::Down), ctrl('n')] {
        assert_eq!(action(Search, k), Some(Action::Select(Step::Down)));
    }
    for k in [key(KeyCode::Up), ctrl('p')] {
        assert_eq!(action(Search, k), Some(Action::Select(Step::Up)));
    }
    assert_eq!(action(Search, KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)), None);
}

#[test]
fn help_closes_on_its_keys_scrolls_and_ignores_others() {
    for k in [ch('?'), key(KeyCode::Esc), ch('q')] {
        assert_eq!(action(Context::Help, k), Some(Action::ToggleHelp));
    }
    for (k, step) in
        [(ch('j'), Step::Down), (key(KeyCode::Up), Step::Up), (ch(' '), Step::PageDown), (ch('G'), Step::Bottom)]
    {
        assert_eq!(action(Context::Help, k), Some(Action::Scroll(step)));
    }
    for k in [ch('x'), ch('/'), ch('r'), key(KeyCode::Enter)] {
        assert_eq!(action(Context::Help, k), None, "{k:?}");
    }
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    for context in [Context::List, Context::Reader, Context::Search, Context::Help] {
        let keys: Vec<_> = broadsheet::keys::bindings(context).flat_map(|b| b.keys.iter()).collect();
        for (i, a) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(a), "{a:?} bound twice in {context:?}");
        }
    }
    assert!(BINDINGS.iter().all(|b| !b.help.is_empty() && !b.keys.is_empty()));
}
