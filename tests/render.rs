//! Rendering on ratatui's TestBackend: layout snapshots at several sizes, styles on cells.

mod common;

use broadsheet::app::{Action, App, Step};
use broadsheet::ui;
use broadsheet::ui::theme::theme;
use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

fn render(app: &App) -> Terminal<TestBackend> {
    let size = app.size();
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|frame| ui::draw(app, frame)).unwrap();
    terminal
}

fn seed_app(width: u16, height: u16) -> App {
    App::new(common::seed(), width, height)
}

/// The text of row `y`.
fn row(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect()
}

fn screen(buffer: &Buffer) -> String {
    (0..buffer.area.height).map(|y| row(buffer, y)).collect::<Vec<_>>().join("\n")
}

/// The cell position of the first occurrence of `needle` on screen (by display column).
fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..buffer.area.height {
        let cells: Vec<&str> = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
        for x in 0..cells.len() {
            let mut text = String::new();
            for cell in &cells[x..] {
                text.push_str(cell);
                if text.len() >= needle.len() {
                    break;
                }
            }
            if text.starts_with(needle) {
                return Some((x as u16, y));
            }
        }
    }
    None
}

#[test]
fn three_columns_at_140x40() {
    let terminal = render(&seed_app(140, 40));
    let buffer = terminal.backend().buffer();
    let text = screen(buffer);
    assert!(text.contains(" Headlines "), "{text}");
    assert!(text.contains(" 1/2 "));
    assert!(text.contains("▶ Iraq Says US Troop"));
    assert!(text.contains("  Palestinian Prime Minister"));
    assert!(text.contains(" Photo captions "));
    assert!(text.contains("— dpa"));
    assert!(text.contains("395 words · 2 min read"));
    assert!(text.contains("Iraq and the US-led military coalition resumed meetings"));
    // Three panes side by side: the list's, the body's and the sidebar's top-left corners on row 0.
    assert_eq!(row(buffer, 0).matches('┌').count(), 3);
    assert_snapshot!(terminal.backend());
}

#[test]
fn sidebar_under_the_body_at_100x30() {
    let terminal = render(&seed_app(100, 30));
    let buffer = terminal.backend().buffer();
    assert_eq!(row(buffer, 0).matches('┌').count(), 2, "list and body side by side");
    let (captions_x, captions_y) = find(buffer, " Photo captions ").unwrap();
    let (body_x, body_y) = find(buffer, " Article ").unwrap();
    assert_eq!(captions_x, body_x, "captions under the body");
    assert!(captions_y > body_y);
    assert_snapshot!(terminal.backend());
}

#[test]
fn one_pane_at_a_time_at_60x20() {
    let mut app = seed_app(60, 20);
    let list = render(&app);
    let text = screen(list.backend().buffer());
    assert!(text.contains(" Headlines ") && !text.contains(" Article "));
    assert!(
        text.contains("▶ Iraq Says US Troop Drawdown Talks Will Go on ‘As Long a…"),
        "cut with an ellipsis:\n{text}"
    );
    assert_snapshot!("one_pane_at_60x20_list", list.backend());
    app.update(Action::FocusReader);
    let reader = render(&app);
    let text = screen(reader.backend().buffer());
    assert!(text.contains(" Article ") && !text.contains(" Headlines "));
    assert_snapshot!("one_pane_at_60x20_reader", reader.backend());
}

#[test]
fn tiny_terminals_say_so_and_never_panic() {
    let terminal = render(&seed_app(1, 1));
    assert_eq!(row(terminal.backend().buffer(), 0), "T");
    let terminal = render(&seed_app(30, 4));
    assert!(screen(terminal.backend().buffer()).contains("Terminal too small"));
    for (w, h) in [(0, 0), (1, 40), (200, 1), (2, 2), (23, 7), (24, 7), (79, 15), (80, 16), (119, 10), (120, 50)] {
        let mut app = App::new(common::numbered(50, 5), w, h);
        render(&app);
        for action in [Action::FocusReader, Action::Scroll(Step::Bottom), Action::ToggleHelp, Action::StartSearch] {
            app.update(action);
            render(&app);
        }
        app.update(Action::Insert('x'));
        render(&app);
    }
}

#[test]
fn selected_row_is_highlighted_with_symbol_and_style() {
    let terminal = render(&seed_app(140, 40));
    let buffer = terminal.backend().buffer();
    let (x, y) = find(buffer, "▶ Iraq").unwrap();
    assert_eq!(buffer[(x + 2, y)].style().bg, theme().selected.bg);
    assert!(buffer[(x + 2, y)].style().add_modifier.contains(Modifier::BOLD));
    let (x, y) = find(buffer, "  Palestinian").unwrap();
    assert_eq!(buffer[(x + 2, y)].style().bg, ratatui::style::Color::Reset.into());
}

#[test]
fn matched_characters_are_highlighted() {
    let mut app = seed_app(140, 40);
    common::type_query(&mut app, "gaza");
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let text = screen(buffer);
    assert!(text.contains(" 1/1 of 2 "), "{text}");
    assert!(text.contains("/ gaza"));
    assert!(!text.contains("▶ Iraq"), "filtered out");
    // The headline is cut at the pane width; the match "Gaza" is near its end, so find the
    // highlighted cells in the row and check they spell the matched chars.
    let (x, y) = find(buffer, "▶ Palestinian").unwrap();
    let title = &app.selected_article().unwrap().title;
    let positions = app.searcher().positions("gaza", title);
    assert_eq!(positions.len(), 4);
    let highlighted: Vec<u16> = (x..buffer.area.width)
        .filter(|&cx| buffer[(cx, y)].style().add_modifier.contains(Modifier::UNDERLINED))
        .collect();
    let visible_positions: Vec<u16> = positions.iter().map(|&p| x + 2 + p as u16).filter(|&cx| cx < x + 40).collect();
    assert_eq!(highlighted, visible_positions);
    assert_snapshot!(terminal.backend());
}

#[test]
fn highlights_land_on_the_right_cells_after_wide_and_accented_chars() {
    use broadsheet::article::Article;
    use broadsheet::collection::Collection;
    let titles = ["北京 café Zürich news", "Plain headline"];
    let articles: Vec<Article> =
        titles.iter().map(|t| Article::new(t.to_string(), vec![], vec!["Body.".into()])).collect();
    let mut app = App::new(Collection::from(articles), 140, 40);
    common::type_query(&mut app, "zür");
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let (x, y) = find(buffer, "▶ ").unwrap();
    // "北京 café " is 2+2+1+4+1 = 10 columns; Z, ü, r follow.
    let start = x + 2 + 10;
    let cells: String = (start..start + 3).map(|cx| buffer[(cx, y)].symbol().to_string()).collect();
    assert_eq!(cells, "Zür");
    for cx in start..start + 3 {
        assert!(buffer[(cx, y)].style().add_modifier.contains(Modifier::UNDERLINED), "col {cx}");
    }
    assert!(!buffer[(start + 3, y)].style().add_modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn no_match_says_so_with_the_query() {
    let mut app = seed_app(140, 40);
    common::type_query(&mut app, "xqzw");
    let terminal = render(&app);
    let text = screen(terminal.backend().buffer());
    assert!(text.contains("No headlines match “xqzw”"), "{text}");
    assert!(text.contains(" 0/0 of 2 "));
}

#[test]
fn help_overlay_lists_every_binding() {
    let mut app = seed_app(140, 40);
    app.update(Action::ToggleHelp);
    let terminal = render(&app);
    let text = screen(terminal.backend().buffer());
    for binding in broadsheet::keys::BINDINGS
        .iter()
        .filter(|b| b.scope != broadsheet::keys::Scope::Only(broadsheet::app::Context::Help))
    {
        assert!(text.contains(binding.help), "help lacks {:?}\n{text}", binding.help);
    }
    assert!(text.contains("Ctrl-c"), "{text}");
    assert_snapshot!(terminal.backend());
}

/// On an 80 × 24 terminal the overlay is one column, scrolls, and says where it is; every
/// binding is on one of its pages, whole.
#[test]
fn help_overlay_fits_a_small_terminal_and_scrolls() {
    let mut app = seed_app(80, 24);
    app.update(Action::ToggleHelp);
    let first = screen(render(&app).backend().buffer());
    assert!(first.contains("Keys — j/k scroll, ? or Esc closes"), "{first}");
    assert!(first.contains(" 1–22 of "), "{first}");
    assert_snapshot!(first);
    let mut seen = first.clone();
    let mut pages = 1;
    while !seen.contains("In the search bar, other keys type.") {
        app.update(Action::Scroll(Step::PageDown));
        seen.push_str(&screen(render(&app).backend().buffer()));
        pages += 1;
        assert!(pages < 10, "the end of the help is never reached:\n{seen}");
    }
    for binding in broadsheet::keys::BINDINGS
        .iter()
        .filter(|b| b.scope != broadsheet::keys::Scope::Only(broadsheet::app::Context::Help))
    {
        assert!(seen.contains(binding.help), "help lacks {:?}\n{seen}", binding.help);
    }
    // At the end it stays; back at the top with g.
    let end = screen(render(&app).backend().buffer());
    app.update(Action::Scroll(Step::Down));
    assert_eq!(screen(render(&app).backend().buffer()), end);
    app.update(Action::Scroll(Step::Top));
    assert_eq!(screen(render(&app).backend().buffer()), first);
    // A taller screen that holds it all: no scrolling, and no offset left over.
    app.update(Action::Scroll(Step::Bottom));
    app.update(Action::Resize(140, 45));
    assert_eq!(app.overlay_offset(), 0);
    let whole = screen(render(&app).backend().buffer());
    assert!(whole.contains("Keys — ? or Esc closes") && whole.contains("Headlines"), "{whole}");
}

/// Sixty failing feeds on a 24-line terminal: the failures overlay says how many lines there
/// are and scrolls to the last.
#[test]
fn many_fetch_failures_scroll() {
    use broadsheet::app::{Marks, Reload};
    use broadsheet::search::Engine;
    use std::sync::Arc;
    let collection = Arc::new(common::seed());
    let n = collection.len();
    let marks = Marks {
        ids: (1..=n as i64).collect(),
        feeds: vec!["Feed".into(); n],
        read: vec![false; n],
        starred: vec![false; n],
        tags: Vec::new(),
    };
    let mut app = App::new((*collection).clone(), 100, 24).with_marks(marks.clone());
    let engine = Engine::new(Arc::clone(&collection));
    let failures: Vec<String> = (1..=60).map(|i| format!("Feed {i}: HTTP 500")).collect();
    app.update(Action::Refresh);
    app.update(Action::Reloaded(Reload {
        index: Arc::clone(engine.index()),
        everything: engine.everything(),
        collection,
        marks,
        new: 0,
        total: 60,
        failures,
    }));
    app.update(Action::ToggleErrors);
    let first = screen(render(&app).backend().buffer());
    assert!(
        first.contains("Fetch failures — j/k scroll, Esc closes") && first.contains(" 1–20 of 60 lines "),
        "{first}"
    );
    assert!(first.contains("Feed 1: HTTP 500") && !first.contains("Feed 60:"), "{first}");
    app.update(Action::Scroll(Step::Bottom));
    let last = screen(render(&app).backend().buffer());
    assert!(last.contains("Feed 60: HTTP 500") && last.contains(" 41–60 of 60 lines "), "{last}");
    app.update(Action::ToggleHelp);
    assert!(app.errors().is_none(), "Esc closes it");
}

/// The help overlay at every size from nothing to wide, scrolled to its end: no panic, and
/// its last line shown whenever there is room for the overlay at all.
#[test]
fn help_overlay_at_any_size() {
    for width in (0..=130).step_by(3) {
        for height in (0..=46).step_by(3) {
            let mut app = seed_app(width, height);
            app.update(Action::ToggleHelp);
            app.update(Action::Scroll(Step::Bottom));
            let text = screen(render(&app).backend().buffer());
            if width >= 80 && height >= 10 {
                assert!(text.contains("In the search bar, other keys type."), "{width}×{height}:\n{text}");
            }
        }
    }
}

#[test]
fn reader_shows_position_and_scrolls() {
    let mut app = App::new(common::numbered(2, 30), 140, 40);
    app.update(Action::FocusReader);
    let text = screen(render(&app).backend().buffer());
    assert!(text.contains(" Top "));
    assert!(text.contains("Paragraph 1 of article 1."));
    app.update(Action::Scroll(Step::PageDown));
    let text = screen(render(&app).backend().buffer());
    assert!(text.contains('%'));
    assert!(!text.contains("Paragraph 1 of article 1."));
    app.update(Action::Scroll(Step::Bottom));
    let text = screen(render(&app).backend().buffer());
    assert!(text.contains(" End "));
    assert!(text.contains("Paragraph 30 of article 1."));
}

#[test]
fn article_without_captions_says_so() {
    use broadsheet::article::Article;
    use broadsheet::collection::Collection;
    let collection = Collection::from(vec![Article::new("Quiet day".into(), vec![], vec!["Nothing.".into()])]);
    let text = screen(render(&App::new(collection, 140, 40)).backend().buffer());
    assert!(text.contains("No photo captions"));
}

#[test]
fn a_pending_ranking_says_so() {
    let (mut app, _engine) = App::with_background_search(common::numbered(100, 1), 140, 40);
    common::type_query(&mut app, "4");
    let text = screen(render(&app).backend().buffer());
    assert!(text.contains(" ranking… "), "{text}");
    assert!(text.contains("/ 4  ranking…"), "{text}");
    assert!(text.contains("▶ Headline 4 "), "the first match, in collection order: {text}");
}

#[test]
fn the_meta_line_gives_no_reading_time_to_a_headline_alone() {
    use broadsheet::article::Article;
    use broadsheet::page::meta_line;

    let mut article = Article::new("Quiet day".into(), vec![], vec![]);
    assert_eq!(meta_line(&article), "headline only");
    article.source = Some("Reuters".into());
    assert_eq!(meta_line(&article), "Reuters · headline only");
    let one = Article::new("One".into(), vec![], vec!["Word.".into()]);
    assert_eq!(meta_line(&one), "1 word · 1 min read");
}

#[test]
fn library_headlines_show_marks_feeds_and_weight() {
    use broadsheet::app::Marks;
    let marks = Marks {
        ids: vec![1, 2],
        feeds: vec!["A very long feed name".into(), "Tech".into()],
        read: vec![false, true],
        starred: vec![false, true],
        tags: Vec::new(),
    };
    let app = App::new(seed_app(140, 40).collection().clone(), 140, 40).with_marks(marks);
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let first = row(buffer, 1);
    assert!(first.contains("● A very long…"), "an unread article, its feed cut: {first}");
    let second = row(buffer, 2);
    assert!(second.contains("★ Tech"), "{second}");
    // Unread headlines bold, read ones not.
    let (x, y) = find(buffer, "Iraq Says").unwrap();
    assert!(buffer[(x, y)].style().add_modifier.contains(Modifier::BOLD));
    let (x, y) = find(buffer, "Palestinian Prime").unwrap();
    assert!(!buffer[(x, y)].style().add_modifier.contains(Modifier::BOLD));
    // Narrower: the feed's column narrows, so that the headline keeps 20 columns.
    let narrower = App::new(app.collection().clone(), 36, 20).with_marks(app.marks().unwrap().clone());
    let first = row(render(&narrower).backend().buffer(), 1);
    assert!(first.contains("● A very l… Iraq Says US Troop …"), "{first}");
    // Too narrow for even 6 columns of it: the headline keeps the room, the feed's column goes.
    let narrow = App::new(app.collection().clone(), 30, 20).with_marks(app.marks().unwrap().clone());
    let first = row(render(&narrow).backend().buffer(), 1);
    assert!(first.contains("● Iraq Says") && !first.contains("A very"), "{first}");
    // A view with nothing in it says which, and how to leave it.
    let mut starred = App::new(app.collection().clone(), 140, 40)
        .with_marks(Marks { starred: vec![false, false], ..app.marks().unwrap().clone() });
    starred.update(Action::ShowStarred);
    let text = screen(render(&starred).backend().buffer());
    assert!(text.contains("No starred articles here (* shows all)"), "{text}");
    // Subscriptions without a fetch yet: how to get articles.
    let empty = App::new(broadsheet::collection::Collection::from(Vec::new()), 140, 40).with_marks(Marks {
        ids: Vec::new(),
        feeds: Vec::new(),
        read: Vec::new(),
        starred: Vec::new(),
        tags: Vec::new(),
    });
    let text = screen(render(&empty).backend().buffer());
    assert!(text.contains("No articles yet: R fetches your feeds"), "{text}");
    // The list narrowed to one feed (F) needs no feed's column.
    let mut one = App::new(app.collection().clone(), 140, 40).with_marks(app.marks().unwrap().clone());
    one.update(Action::OpenPicker);
    for c in "tech".chars() {
        one.update(Action::Insert(c));
    }
    one.update(Action::AcceptPick);
    let first = row(render(&one).backend().buffer(), 1);
    assert!(first.contains("★ Palestinian Prime") && !first.contains("Tech"), "{first}");
}
