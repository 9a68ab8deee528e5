//! Right-to-left text on terminals without bidi support: real Arabic sentences, in the list, the
//! reader, the caption sidebar and `show`, with `--bidi off` as the way back to logical order.

mod common;

use broadsheet::app::{Action, App};
use broadsheet::article::{Article, Caption};
use broadsheet::bidi::display;
use broadsheet::collection::Collection;
use broadsheet::search::Searcher;
use broadsheet::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const TITLE: &str = "رئيس الوزراء الفلسطيني يزور النرويج";
const MIXED: &str = "وقال Mustafa إن السلطة الفلسطينية (PA) ستدير غزة بعد 2025.";
const NUMBERS: &str = "اعترفت 3 دول أوروبية بدولة فلسطين في مايو 2024";

fn arabic() -> Collection {
    let caption = Caption { text: "رئيس الوزراء في أوسلو".into(), credit: Some("Reuters".into()) };
    let article = Article::new(TITLE.into(), vec![caption], vec![MIXED.into(), NUMBERS.into()]);
    let english = Article::new("Markets Rally".into(), vec![], vec!["Stocks rose.".into()]);
    Collection::from(vec![article, english])
}

fn screen(app: &App) -> Vec<String> {
    let size = app.size();
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|frame| ui::draw(app, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..size.height).map(|y| (0..size.width).map(|x| buffer[(x, y)].symbol()).collect()).collect()
}

#[test]
fn mixed_lines_keep_english_and_numbers_in_their_order() {
    let shown = display(MIXED, None);
    // The sentence starts at the right: its first word, reversed, ends the line.
    assert!(shown.ends_with("لاقو"), "{shown}");
    assert!(shown.contains("Mustafa"), "{shown}");
    assert!(shown.contains("2025"), "{shown}");
    assert!(shown.contains("(PA)"), "brackets around an English run keep their shape: {shown}");
    // Later words are further left.
    assert!(shown.find("2025").unwrap() < shown.find("Mustafa").unwrap(), "{shown}");
    let numbers = display(NUMBERS, None);
    assert!(numbers.starts_with("2024"), "{numbers}");
    assert!(numbers.contains(" 3 "), "{numbers}");
}

#[test]
fn the_reader_shows_arabic_in_display_order_at_the_right_margin() {
    let mut app = App::new(arabic(), 140, 40);
    app.update(Action::FocusReader);
    let rows = screen(&app);
    let title = display(TITLE, None).into_owned();
    let row = rows.iter().find(|r| r.contains(&title)).expect("the headline in display order");
    // Right-aligned in the body's text column: only spaces between it and the scrollbar border.
    let after = &row[row.rfind(&title).unwrap() + title.len()..];
    let gap: String = after.chars().take_while(|&c| c == ' ').collect();
    assert!(gap.chars().count() <= 1, "right-aligned: {row:?}");
    assert!(rows.iter().any(|r| r.contains("Mustafa")));
    // The caption, reversed too.
    assert!(rows.iter().any(|r| r.contains(&display("رئيس الوزراء في أوسلو", None).into_owned())), "{rows:#?}");
    // And the list.
    assert!(rows.iter().any(|r| r.contains(&format!("▶ {}", display(TITLE, None)))), "{rows:#?}");
}

#[test]
fn bidi_off_leaves_logical_order() {
    let mut app = App::new(arabic(), 140, 40).with_bidi(false);
    app.update(Action::FocusReader);
    let rows = screen(&app);
    assert!(rows.iter().any(|r| r.contains(TITLE)), "{rows:#?}");
}

#[test]
fn an_arabic_query_finds_its_headline() {
    let collection = arabic();
    let hits = Searcher.rank("الفلسطيني", collection.titles().iter());
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].index, 0);
    let mut app = App::new(collection, 140, 40);
    common::type_query(&mut app, "النرويج");
    assert_eq!(app.hits().len(), 1);
    assert_eq!(app.selected_article().unwrap().title, TITLE);
    // The search line shows the query in display order too.
    let rows = screen(&app);
    assert!(rows.iter().any(|r| r.starts_with(&format!("/ {}", display("النرويج", None)))), "{rows:#?}");
}

#[test]
fn show_prints_display_order_unless_bidi_is_off() {
    let dir = std::env::temp_dir().join(format!("broadsheet-bidi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ar.json");
    std::fs::write(&path, serde_json::to_string(&arabic()).unwrap()).unwrap();
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .args(["show", "1"])
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let shown = run(&["--width", "60"]);
    let first = shown.lines().next().unwrap();
    assert_eq!(first.trim_start(), display(TITLE, None));
    assert_eq!(unicode_width::UnicodeWidthStr::width(first), 60, "pushed to the right margin: {first:?}");
    let logical = run(&["--bidi", "off"]);
    assert_eq!(logical.lines().next().unwrap(), TITLE);
    std::fs::remove_dir_all(&dir).unwrap();
}
