//! The state machine, driven headless through `update`.

mod common;

use broadsheet::app::{Action, App, Context, Focus, Mode, Step};

fn title(app: &App) -> &str {
    &app.selected_article().unwrap().title
}

#[test]
fn selection_clamps_at_both_ends() {
    let mut app = App::new(common::numbered(5, 1), 140, 40);
    app.update(Action::Select(Step::Up));
    assert_eq!(app.selected(), 0);
    for _ in 0..10 {
        app.update(Action::Select(Step::Down));
    }
    assert_eq!(app.selected(), 4);
    app.update(Action::Select(Step::Top));
    assert_eq!(title(&app), "Headline 1");
    app.update(Action::Select(Step::Bottom));
    assert_eq!(title(&app), "Headline 5");
    app.update(Action::Select(Step::PageDown));
    assert_eq!(app.selected(), 4);
}

#[test]
fn pages_move_by_the_list_height_and_keep_the_selection_visible() {
    // 140x40: the list has 40 - 1 (footer) - 2 (borders) = 37 rows.
    let mut app = App::new(common::numbered(200, 1), 140, 40);
    app.update(Action::Select(Step::PageDown));
    assert_eq!(app.selected(), 37);
    assert_eq!(app.list_offset(), 1, "the selection is the last visible row");
    app.update(Action::Select(Step::HalfPageDown));
    assert_eq!(app.selected(), 37 + 19);
    app.update(Action::Select(Step::Bottom));
    assert_eq!(app.selected(), 199);
    assert_eq!(app.list_offset(), 200 - 37);
    app.update(Action::Select(Step::PageUp));
    assert_eq!(app.selected(), 199 - 37);
    assert_eq!(app.list_offset(), 199 - 37, "scrolled up just enough");
    app.update(Action::Select(Step::HalfPageUp));
    assert_eq!(app.selected(), 199 - 37 - 19);
}

#[test]
fn focus_moves_between_list_and_reader() {
    let mut app = App::new(common::seed(), 140, 40);
    assert_eq!(app.context(), Context::List);
    app.update(Action::FocusReader);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.context(), Context::Reader);
    app.update(Action::FocusList);
    assert_eq!(app.context(), Context::List);
}

#[test]
fn body_scroll_clamps_and_resets_on_another_article() {
    let mut app = App::new(common::numbered(3, 30), 140, 40);
    app.update(Action::FocusReader);
    app.update(Action::Scroll(Step::Up));
    assert_eq!(app.scroll(), 0);
    app.update(Action::Scroll(Step::Down));
    app.update(Action::Scroll(Step::Down));
    assert_eq!(app.scroll(), 2);
    app.update(Action::Scroll(Step::Bottom));
    let lines = app.page().unwrap().lines.len();
    let bottom = app.scroll();
    // 40 rows - footer - two borders = 37 visible lines.
    assert_eq!(bottom, lines - 37);
    app.update(Action::Scroll(Step::PageDown));
    assert_eq!(app.scroll(), bottom, "clamped at the end");
    app.update(Action::Select(Step::Down)); // `n`
    assert_eq!(title(&app), "Headline 2");
    assert_eq!(app.scroll(), 0, "a new article starts at the top");
    app.update(Action::Select(Step::Up)); // `p`
    assert_eq!(title(&app), "Headline 1");
}

#[test]
fn short_article_does_not_scroll() {
    let mut app = App::new(common::numbered(1, 1), 140, 40);
    app.update(Action::FocusReader);
    app.update(Action::Scroll(Step::PageDown));
    assert_eq!(app.scroll(), 0);
}

#[test]
fn resize_rewraps_and_keeps_scroll_in_range() {
    let mut app = App::new(common::numbered(1, 30), 140, 40);
    let wide = app.page().unwrap().lines.len();
    app.update(Action::FocusReader);
    app.update(Action::Scroll(Step::Bottom));
    app.update(Action::Resize(200, 60));
    let page = app.page().unwrap();
    assert_eq!(page.width, 90, "text is never wider than 90 columns");
    assert!(app.scroll() <= page.lines.len().saturating_sub(57));
    app.update(Action::Resize(60, 20));
    assert!(app.page().unwrap().lines.len() > wide, "narrower means more lines");
    app.update(Action::Resize(1, 1));
    app.update(Action::Scroll(Step::Bottom));
    app.update(Action::Select(Step::PageDown));
}

#[test]
fn search_filters_as_you_type_and_accept_keeps_the_filter() {
    let mut app = App::new(common::seed(), 140, 40);
    common::type_query(&mut app, "gaza");
    assert_eq!(app.mode(), Mode::Search);
    assert_eq!(app.hits().len(), 1);
    assert!(title(&app).starts_with("Palestinian"));
    app.update(Action::AcceptSearch);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(app.context(), Context::List);
    assert_eq!(app.query(), "gaza");
    assert_eq!(app.hits().len(), 1);
    app.update(Action::ClearFilter);
    assert_eq!(app.hits().len(), 2);
    assert!(title(&app).starts_with("Palestinian"), "clearing keeps the selection");
}

#[test]
fn search_tracks_the_selected_article_while_it_matches() {
    let mut app = App::new(common::numbered(30, 1), 140, 40);
    app.update(Action::Select(Step::Bottom)); // Headline 30
    common::type_query(&mut app, "3");
    // "Headline 3" ranks at least as well as "Headline 30", but the selection stays on 30.
    assert_eq!(title(&app), "Headline 30");
    app.update(Action::Insert('0'));
    assert_eq!(title(&app), "Headline 30");
    app.update(Action::DeleteChar);
    app.update(Action::DeleteChar);
    assert_eq!(app.hits().len(), 30);
    assert_eq!(title(&app), "Headline 30");
}

#[test]
fn search_selects_the_best_match_when_the_selection_drops_out() {
    let mut app = App::new(common::seed(), 140, 40);
    assert!(title(&app).starts_with("Iraq"));
    common::type_query(&mut app, "gaza");
    assert_eq!(app.selected(), 0);
    assert!(title(&app).starts_with("Palestinian"));
}

#[test]
fn cancel_clears_the_filter_and_restores_the_selection() {
    let mut app = App::new(common::seed(), 140, 40);
    common::type_query(&mut app, "gaza");
    assert!(title(&app).starts_with("Palestinian"));
    app.update(Action::CancelSearch);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(app.query(), "");
    assert_eq!(app.hits().len(), 2);
    assert!(title(&app).starts_with("Iraq"));
}

#[test]
fn no_match_empties_the_list_and_nothing_is_selected() {
    let mut app = App::new(common::seed(), 140, 40);
    common::type_query(&mut app, "xqzw");
    assert!(app.hits().is_empty());
    assert!(app.selected_article().is_none());
    app.update(Action::Select(Step::Down));
    app.update(Action::AcceptSearch);
    app.update(Action::FocusReader);
    assert_eq!(app.focus(), Focus::List, "nothing to read");
}

#[test]
fn query_editing() {
    let mut app = App::new(common::seed(), 140, 40);
    common::type_query(&mut app, "prime minister");
    app.update(Action::DeleteWord);
    assert_eq!(app.query(), "prime ");
    app.update(Action::DeleteWord);
    assert_eq!(app.query(), "");
    common::type_query(&mut app, "abc");
    app.update(Action::ClearQuery);
    assert_eq!(app.query(), "");
    assert_eq!(app.hits().len(), 2);
}

#[test]
fn search_moves_in_results_while_typing() {
    let mut app = App::new(common::numbered(12, 1), 140, 40);
    common::type_query(&mut app, "1");
    let first = title(&app).to_string();
    app.update(Action::Select(Step::Down));
    assert_ne!(title(&app), first);
    assert_eq!(app.mode(), Mode::Search);
}

#[test]
fn help_toggles_and_takes_the_keys() {
    let mut app = App::new(common::seed(), 140, 40);
    app.update(Action::ToggleHelp);
    assert_eq!(app.context(), Context::Help);
    app.update(Action::ToggleHelp);
    assert_eq!(app.context(), Context::List);
}

#[test]
fn quit_stops_the_app() {
    let mut app = App::new(common::seed(), 140, 40);
    assert!(app.is_running());
    app.update(Action::Quit);
    assert!(!app.is_running());
}

#[test]
fn narrow_terminal_shows_one_pane_at_a_time() {
    let mut app = App::new(common::seed(), 60, 20);
    let panes = app.panes();
    assert!(panes.list.is_some() && panes.body.is_none());
    app.update(Action::FocusReader);
    let panes = app.panes();
    assert!(panes.list.is_none() && panes.body.is_some());
}

mod background {
    use std::sync::atomic::AtomicUsize;

    use broadsheet::app::{Action, App, Effect, Step};
    use broadsheet::search::Searcher;
    use broadsheet::search::engine::never;
    use broadsheet::search::worker::Ranking;

    use super::{common, title};

    fn request(effect: Option<Effect>) -> (u64, String) {
        match effect {
            Some(Effect::Search { generation, query }) => (generation, query),
            other => panic!("expected a search request, not {other:?}"),
        }
    }

    #[test]
    fn first_screen_then_the_ranking() {
        let (mut app, mut engine) = App::with_background_search(common::numbered(300, 1), 140, 40);
        app.update(Action::StartSearch);
        let (generation, query) = request(app.update(Action::Insert('7')));
        assert_eq!(query, "7");
        assert!(app.is_ranking());
        // A first screen: matches only, in collection order, no more than fit.
        let first: Vec<usize> = app.hits().iter().map(|h| h.index).collect();
        assert!(!first.is_empty() && first.len() <= 37);
        assert!(first.windows(2).all(|w| w[0] < w[1]));
        assert!(first.iter().all(|&i| Searcher.score("7", app.collection().title(i)).is_some()));

        let hits = engine.rank(&query, &never, &AtomicUsize::new(0)).unwrap();
        app.update(Action::Ranked(Ranking { generation, query, hits: hits.clone() }));
        assert!(!app.is_ranking());
        assert_eq!(app.hits(), hits.as_slice());
        assert_eq!(app.selected(), 0, "the best match");
    }

    #[test]
    fn stale_rankings_are_ignored() {
        let (mut app, mut engine) = App::with_background_search(common::numbered(300, 1), 140, 40);
        app.update(Action::StartSearch);
        let (old, old_query) = request(app.update(Action::Insert('1')));
        let (new, new_query) = request(app.update(Action::Insert('2')));
        assert!(new > old);
        let stale = engine.rank(&old_query, &never, &AtomicUsize::new(0)).unwrap();
        app.update(Action::Ranked(Ranking { generation: old, query: old_query, hits: stale }));
        assert!(app.is_ranking(), "still waiting for the newest query");
        let fresh = engine.rank(&new_query, &never, &AtomicUsize::new(0)).unwrap();
        app.update(Action::Ranked(Ranking { generation: new, query: new_query, hits: fresh.clone() }));
        assert_eq!(app.hits(), fresh.as_slice());
    }

    #[test]
    fn the_selection_is_tracked_across_pending_keys() {
        let (mut app, mut engine) = App::with_background_search(common::numbered(300, 1), 140, 40);
        for _ in 0..229 {
            app.update(Action::Select(Step::Down));
        }
        assert_eq!(title(&app), "Headline 230");
        app.update(Action::StartSearch);
        request(app.update(Action::Insert('2')));
        let (generation, query) = request(app.update(Action::Insert('3')));
        let hits = engine.rank(&query, &never, &AtomicUsize::new(0)).unwrap();
        app.update(Action::Ranked(Ranking { generation, query, hits }));
        assert_eq!(title(&app), "Headline 230", "still matches, so still selected");
    }

    #[test]
    fn emptying_the_query_needs_no_ranking() {
        let (mut app, _engine) = App::with_background_search(common::numbered(50, 1), 140, 40);
        app.update(Action::StartSearch);
        request(app.update(Action::Insert('9')));
        assert_eq!(app.update(Action::DeleteChar), None);
        assert!(!app.is_ranking());
        assert_eq!(app.hits().len(), 50);
        request(app.update(Action::Insert('9')));
        assert_eq!(app.update(Action::CancelSearch), None);
        assert_eq!(title(&app), "Headline 1", "the selection from before the search");
    }
}

#[test]
fn a_resize_keeps_the_paragraph_being_read() {
    let mut app = App::new(common::numbered(1, 30), 140, 40);
    app.update(Action::FocusReader);
    for _ in 0..40 {
        app.update(Action::Scroll(Step::Down));
    }
    let page = app.page().unwrap();
    let block = page.block_at(app.scroll());
    assert!(block > 3, "well into the body");
    for (width, height) in [(90, 40), (60, 20), (200, 50), (140, 40)] {
        app.update(Action::Resize(width, height));
        let page = app.page().unwrap();
        let max = page
            .lines
            .len()
            .saturating_sub(usize::from(broadsheet::layout::body_text(app.panes().body.unwrap()).height));
        if page.first_line_of(block) <= max {
            assert_eq!(page.block_at(app.scroll()), block, "at {width}x{height}");
            assert_eq!(app.scroll(), page.first_line_of(block));
        }
    }
}

mod library_marks {
    use broadsheet::app::{Action, App, Effect, Marks, Step};
    use broadsheet::library::Mark;

    use super::{common, title};

    /// Five articles as the library gives them: row ids 101…105, the third read, the fourth starred.
    fn app() -> App {
        let marks = Marks {
            ids: (101..=105).collect(),
            feeds: ["World", "World", "Tech", "Tech", "Sport"].map(std::sync::Arc::from).to_vec(),
            read: vec![false, false, true, false, false],
            starred: vec![false, false, false, true, false],
            tags: Vec::new(),
        };
        App::new(common::numbered(5, 1), 140, 40).with_marks(marks)
    }

    fn read(app: &App) -> Vec<bool> {
        app.marks().unwrap().read.clone()
    }

    #[test]
    fn opening_an_article_reads_it_at_once_and_asks_to_store_it() {
        let mut app = app();
        let effect = app.update(Action::FocusReader);
        assert_eq!(effect, Some(Effect::Mark { ids: vec![101], mark: Mark::Read }));
        assert_eq!(read(&app), [true, false, true, false, false], "on screen in the same update");
        app.update(Action::FocusList);
        assert_eq!(app.update(Action::FocusReader), None, "already read: nothing to store");
    }

    #[test]
    fn r_and_s_toggle_and_u_and_star_filter() {
        let mut app = app();
        app.update(Action::Select(Step::Down));
        assert_eq!(app.update(Action::ToggleRead), Some(Effect::Mark { ids: vec![102], mark: Mark::Read }));
        assert_eq!(app.update(Action::ToggleRead), Some(Effect::Mark { ids: vec![102], mark: Mark::Unread }));
        assert_eq!(app.update(Action::ToggleStar), Some(Effect::Mark { ids: vec![102], mark: Mark::Star }));
        // Unread only: the third (read) goes; the selection stays on its article.
        app.update(Action::ShowUnread);
        let shown: Vec<usize> = app.hits().iter().map(|h| h.index).collect();
        assert_eq!(shown, [0, 1, 3, 4]);
        assert_eq!(title(&app), "Headline 2");
        app.update(Action::ShowUnread);
        assert_eq!(app.hits().len(), 5, "u again: all");
        app.update(Action::ShowStarred);
        let shown: Vec<usize> = app.hits().iter().map(|h| h.index).collect();
        assert_eq!(shown, [1, 3]);
        // A search keeps the view.
        common::type_query(&mut app, "4");
        let shown: Vec<usize> = app.hits().iter().map(|h| h.index).collect();
        assert_eq!(shown, [3]);
    }

    #[test]
    fn files_have_no_marks() {
        let mut app = App::new(common::numbered(3, 1), 140, 40);
        assert_eq!(app.update(Action::ToggleRead), None);
        assert!(app.status().unwrap().contains("library"));
        assert_eq!(app.update(Action::FocusReader), None);
    }
}

mod refresh {
    use std::sync::Arc;

    use broadsheet::app::{Action, App, Effect, Marks, Reload, Step};
    use broadsheet::search::Engine;

    use super::{common, title};

    fn marks(ids: std::ops::RangeInclusive<i64>) -> Marks {
        let n = ids.clone().count();
        Marks {
            ids: ids.collect(),
            feeds: vec!["F".into(); n],
            read: vec![false; n],
            starred: vec![false; n],
            tags: Vec::new(),
        }
    }

    #[test]
    fn new_articles_join_without_moving_the_selection_or_the_query() {
        // Ids 1..=5 shown; a fetch brings two more (newest first: 6, 7 on top).
        let mut app = App::new(common::numbered(5, 1), 140, 40).with_marks(marks(1..=5));
        assert_eq!(app.update(Action::Refresh), Some(Effect::Refresh));
        assert_eq!(app.update(Action::Refresh), None, "a second fetch while one runs is refused");
        app.update(Action::Select(Step::Down));
        app.update(Action::Select(Step::Down));
        assert_eq!(title(&app), "Headline 3");
        app.update(Action::ToggleStar); // made while the fetch runs: it wins
        // The reloaded library: two new headlines first, then the five.
        let mut articles = common::numbered(7, 1).to_vec();
        articles.rotate_right(2);
        let collection = Arc::new(broadsheet::collection::Collection::from(articles));
        let engine = Engine::new(Arc::clone(&collection));
        let mut new_marks = marks(1..=7);
        new_marks.ids = vec![6, 7, 1, 2, 3, 4, 5];
        let reload = Reload {
            index: Arc::clone(engine.index()),
            everything: engine.everything(),
            collection,
            marks: new_marks,
            new: 2,
            total: 3,
            failures: vec!["Broken feed: HTTP 500".into()],
        };
        app.update(Action::Reloaded(reload));
        assert_eq!(app.hits().len(), 7);
        assert_eq!(title(&app), "Headline 3", "the same article stays selected");
        assert_eq!(app.selected(), 4);
        assert!(app.marks().unwrap().starred[4], "the star made during the fetch is kept");
        assert!(app.status().unwrap().contains("2 new, 1 failed (E lists them)"), "{:?}", app.status());
        app.update(Action::ToggleErrors);
        assert_eq!(app.errors(), Some(&["Broken feed: HTTP 500".to_string()][..]));
        app.update(Action::ToggleHelp);
        assert_eq!(app.errors(), None, "Esc closes it");
        assert_eq!(app.update(Action::Refresh), Some(Effect::Refresh), "done: another fetch may start");
    }
}

mod all_read_and_the_picker {
    use broadsheet::app::{Action, App, Choice, Context, Effect, Marks, Narrow, Step};
    use broadsheet::library::Mark;

    use super::common;

    fn app() -> App {
        let marks = Marks {
            ids: (11..=15).collect(),
            feeds: ["World", "Tech", "World", "Tech News", "Sport"].map(std::sync::Arc::from).to_vec(),
            read: vec![false, true, false, false, false],
            starred: vec![false; 5],
            tags: vec![("news".into(), vec!["World".into(), "Tech News".into()])],
        };
        App::new(common::numbered(5, 1), 140, 40).with_marks(marks)
    }

    #[test]
    fn a_asks_first_then_marks_every_unread_article_in_view() {
        let mut app = app();
        app.update(Action::MarkAllRead);
        assert_eq!(app.context(), Context::Confirm);
        assert_eq!(app.status(), Some("Mark 4 article(s) read? y / n"));
        assert_eq!(app.update(Action::Confirm(false)), None);
        assert!(!app.marks().unwrap().read[0], "no: nothing marked");
        app.update(Action::MarkAllRead);
        let effect = app.update(Action::Confirm(true));
        assert_eq!(effect, Some(Effect::Mark { ids: vec![11, 13, 14, 15], mark: Mark::Read }));
        assert!(app.marks().unwrap().read.iter().all(|r| *r));
        assert_eq!(app.context(), Context::List);
    }

    #[test]
    fn f_picks_a_feed_by_fuzzy_name_with_unread_counts() {
        let mut app = app();
        app.update(Action::OpenPicker);
        assert_eq!(app.context(), Context::Picker);
        let choices = app.choices();
        assert_eq!(choices[0], Choice { narrow: Narrow::All, unread: 4 }, "All feeds first");
        assert_eq!(choices[1], Choice { narrow: Narrow::Tag("news".into()), unread: 3 }, "then tags");
        assert!(choices.contains(&Choice { narrow: Narrow::Feed("Tech".into()), unread: 0 }));
        for c in "tnews".chars() {
            app.update(Action::Insert(c));
        }
        assert_eq!(app.choices()[0].narrow, Narrow::Feed("Tech News".into()));
        app.update(Action::AcceptPick);
        let shown: Vec<usize> = app.hits().iter().map(|h| h.index).collect();
        assert_eq!(shown, [3]);
        // Back to all feeds: F, then the first choice.
        app.update(Action::OpenPicker);
        app.update(Action::Select(Step::Down));
        app.update(Action::Select(Step::Up));
        app.update(Action::AcceptPick);
        assert_eq!(app.hits().len(), 5);
        // A tag: its feeds' articles.
        app.update(Action::OpenPicker);
        for c in "#news".chars() {
            app.update(Action::Insert(c));
        }
        app.update(Action::AcceptPick);
        let shown: Vec<usize> = app.hits().iter().map(|h| h.index).collect();
        assert_eq!(shown, [0, 2, 3], "World and Tech News");
        assert_eq!(app.status(), Some("#news only (F: all feeds)"));
        app.update(Action::OpenPicker);
        app.update(Action::CancelPick);
        assert_eq!(app.context(), Context::List);
    }
}

mod full_text {
    use broadsheet::app::{Action, App, Effect};
    use broadsheet::article::Article;
    use broadsheet::collection::Collection;

    fn feed_app() -> App {
        let article = Article {
            url: Some("https://news.example/1".into()),
            ..Article::new("Feed headline".into(), vec![], vec!["Summary.".into()])
        };
        App::new(Collection::from(vec![article]), 140, 40)
    }

    #[test]
    fn f_asks_for_the_page_and_shows_its_text_in_place_of_the_feeds() {
        let mut app = feed_app();
        let effect = app.update(Action::FetchFullText);
        assert_eq!(effect, Some(Effect::FetchPage { index: 0, url: "https://news.example/1".into() }));
        assert_eq!(app.update(Action::FetchFullText), None, "one page at a time");
        // A spinner turns while the page loads, and stops when it is there.
        let first = app.spinner().expect("a spinner while loading");
        app.update(Action::Tick);
        assert_ne!(app.spinner(), Some(first), "it turns");
        let page = Article::new("Page headline".into(), vec![], vec!["The whole story.".into(), "More of it.".into()]);
        app.update(Action::FullText { index: 0, result: Ok(page) });
        let shown = app.selected_article().unwrap();
        assert_eq!(shown.title, "Feed headline", "the feed's headline stays");
        assert_eq!(shown.body, ["The whole story.", "More of it."]);
        assert!(app.page().unwrap().lines.iter().any(|l| l.text == "The whole story."), "the page is drawn anew");
        assert_eq!(app.spinner(), None);
        app.update(Action::Tick);
        assert_eq!(app.spinner(), None, "nothing loading, nothing turns");
    }

    #[test]
    fn a_fetch_says_how_its_full_texts_go_after_its_feeds() {
        let mut app = feed_app();
        app.update(Action::RefreshProgress { done: 3, total: 8, new: 12, failed: 1, pages: (0, 0) });
        assert_eq!(app.status(), Some("fetching 3/8 feeds: 12 new, 1 failed…"));
        app.update(Action::RefreshProgress { done: 8, total: 8, new: 40, failed: 0, pages: (5, 20) });
        assert_eq!(app.status(), Some("fetched 8 feeds: 40 new; full text 5/20…"));
        app.update(Action::RefreshProgress { done: 0, total: 1, new: 0, failed: 0, pages: (0, 0) });
        assert_eq!(app.status(), Some("fetching 0/1 feed: 0 new…"));
    }

    #[test]
    fn a_failed_page_leaves_the_feeds_text_and_says_why() {
        let mut app = feed_app();
        app.update(Action::FetchFullText);
        app.update(Action::FullText { index: 0, result: Err("HTTP 404".into()) });
        assert_eq!(app.selected_article().unwrap().body, ["Summary."]);
        assert_eq!(app.status(), Some("no full text: HTTP 404"));
    }
}
