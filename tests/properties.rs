//! Properties on random input, bounded so that `cargo test` stays fast.

mod common;

use broadsheet::app::{Action, App, Step};
use broadsheet::article::{Article, Caption};
use broadsheet::collection::Collection;
use broadsheet::sanitize::{is_clean, is_unsafe, sanitize};
use broadsheet::source::dump;
use broadsheet::ui;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

/// Text with a good share of escapes, controls, bidi marks, wide and combining characters.
fn hostile_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([a-zA Z.,’“”]|\\x1b|\\[|\\]|[0-9;]|\\x07|\\x08|\\r|\\t|\\n|\\x7f|\\u{85}|\\u{9b}|\\u{9d}|\\u{202e}|\\u{2066}|é|e\\u{301}|北|👍🏽|👨‍👩‍👧|🇳🇴|م){0,60}",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn sanitized_text_is_clean_and_stable(text in hostile_text()) {
        let once = sanitize(&text);
        prop_assert!(is_clean(&once), "{:?} -> {:?}", text, once);
        prop_assert!(!once.contains('\t'));
        prop_assert_eq!(sanitize(&once), once.clone(), "idempotent");
        // Nothing but what was unsafe (and escape sequence bodies) is removed: printable text that
        // is not part of an escape sequence survives.
        if !text.contains('\u{1b}') && !text.contains(['\u{9b}', '\u{9d}']) {
            let kept: String = text.chars().filter(|&c| !is_unsafe(c) || c == '\n').collect();
            prop_assert_eq!(once.replace(' ', ""), kept.replace(['\t', ' '], ""));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// The block-wise byte check says what decoding every char says, wherever in a long text
    /// (across 64-byte blocks) the unsafe char or a lookalike (other C2/E2 chars) sits.
    #[test]
    fn is_clean_agrees_with_decoding(
        prefix in "[a-z ’é]{0,140}",
        middle in "(\\u{80}|\\u{9f}|\\u{202a}|\\u{2029}|\\u{2065}|\\u{85}|\\u{9b}|\\u{a0}|\\u{202e}|\\u{2066}|\\u{2019}|\\u{2069}|\\u{206a}|\\x1b|\\x7f|\\n|\\t|x){0,3}",
        suffix in "[a-z ’é北]{0,140}",
    ) {
        let text = format!("{prefix}{middle}{suffix}");
        let decoded = !text.chars().any(|c| c != '\n' && is_unsafe(c));
        prop_assert_eq!(is_clean(&text), decoded, "{:?}", text);
    }
}

/// A random dump in the seed's shape, with the variants real dumps show.
fn sentence() -> impl Strategy<Value = String> {
    let word = proptest::string::string_regex("[A-Za-zéü’]{1,10}").unwrap();
    prop::collection::vec(word, 1..12).prop_map(|w| format!("{}.", w.join(" ")))
}

fn dump_text() -> impl Strategy<Value = String> {
    let article = (
        prop::collection::vec("[A-Z][a-z]{2,8}", 2..8), // headline words
        prop::collection::vec(sentence(), 0..3),        // captions
        prop::collection::vec(sentence(), 1..6),        // paragraphs
        any::<bool>(),                                  // TT line
        any::<bool>(),                                  // captions printed twice
        any::<bool>(),                                  // repeated header
    );
    (prop::collection::vec(article, 1..5), any::<bool>(), any::<bool>()).prop_map(|(articles, crlf, bom)| {
        let mut text = String::new();
        for (i, (headline, captions, paragraphs, tt, twice, repeat)) in articles.into_iter().enumerate() {
            if i > 0 {
                text.push_str("\n\n\n");
            }
            let headline = headline.join(" ");
            let captions: Vec<String> = captions.iter().map(|c| format!("{c} (AP)")).collect();
            let block = |text: &mut String| {
                for caption in &captions {
                    text.push_str(&format!("{caption}\n"));
                    if twice {
                        text.push_str(&format!("{caption}\n"));
                    }
                }
            };
            text.push_str(&format!("{headline}  \n\n"));
            block(&mut text);
            if tt {
                text.push_str("TT\n");
            }
            if !captions.is_empty() || tt {
                text.push('\n');
            }
            if repeat {
                text.push_str(&format!("{headline}\n\n"));
                block(&mut text);
                if !captions.is_empty() {
                    text.push('\n');
                }
            }
            text.push_str(&paragraphs.join("\n\n"));
            text.push('\n');
        }
        let text = if crlf { text.replace('\n', "\r\n") } else { text };
        if bom { format!("\u{feff}{text}") } else { text }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_importer_loses_no_text(text in dump_text()) {
        let articles = dump::parse(&text);
        prop_assert!(!articles.is_empty());
        let caption_line = |c: &Caption| match &c.credit {
            Some(credit) => format!("{} ({credit})", c.text),
            None => c.text.clone(),
        };
        for line in text.trim_start_matches('\u{feff}').lines().map(str::trim).filter(|l| !l.is_empty() && *l != "TT") {
            let found = articles.iter().any(|a| {
                a.title == line || a.captions.iter().any(|c| caption_line(c) == line) || a.body.iter().any(|p| p == line)
            });
            prop_assert!(found, "lost {:?}", line);
        }
        for article in &articles {
            prop_assert!(!article.title.is_empty());
            prop_assert!(article.captions.iter().all(|c| c.text != "TT"));
        }
    }
}

fn article() -> impl Strategy<Value = Article> {
    (hostile_text(), prop::collection::vec(hostile_text(), 0..4), prop::collection::vec(hostile_text(), 0..3)).prop_map(
        |(title, body, captions)| {
            let title = sanitize(&title).replace('\n', " ");
            let title = if title.trim().is_empty() { "untitled".to_string() } else { title };
            let captions =
                captions.into_iter().map(|c| Caption { text: sanitize(&c), credit: Some("X".into()) }).collect();
            Article::new(title, captions, body.iter().map(|p| sanitize(p)).collect())
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any articles, any size, any keys: rendering never panics and never draws outside its area.
    #[test]
    fn rendering_stays_inside_its_area(
        articles in prop::collection::vec(article(), 1..6),
        (width, height) in (0u16..160, 0u16..60),
        keys in prop::collection::vec(0usize..9, 0..12),
    ) {
        let mut app = App::new(Collection::from(articles), width, height);
        let actions = [
            Action::Select(Step::Down), Action::FocusReader, Action::Scroll(Step::PageDown), Action::Scroll(Step::Bottom),
            Action::StartSearch, Action::Insert('e'), Action::ToggleHelp, Action::FocusList, Action::Resize(width / 2 + 1, height),
        ];
        for key in keys {
            app.update(actions[key].clone());
        }
        let size = app.size();
        // Draw into the middle of a larger buffer full of a sentinel: every cell outside must stay.
        let outer = Rect::new(0, 0, size.width + 4, size.height + 4);
        let area = Rect::new(2, 2, size.width, size.height);
        let mut buffer = Buffer::filled(outer, ratatui::buffer::Cell::new("#"));
        (&app).render(area, &mut buffer);
        for y in 0..outer.height {
            for x in 0..outer.width {
                if !area.contains(ratatui::layout::Position { x, y }) {
                    prop_assert_eq!(buffer[(x, y)].symbol(), "#", "drew outside at {},{}", x, y);
                }
            }
        }
        // And through a real frame.
        let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
        terminal.draw(|frame| ui::draw(&app, frame)).unwrap();
    }
}

/// Random HTML of text-bearing elements (no dropped ones, no figures): its words, and the markup.
fn html_with_words() -> impl Strategy<Value = (Vec<String>, String)> {
    let word = proptest::string::string_regex("[a-zA-Z0-9éü東京]{1,8}").unwrap();
    let leaf = proptest::collection::vec(word, 1..4).prop_map(|words| (words.clone(), words.join(" ")));
    leaf.prop_recursive(4, 40, 4, |inner| {
        let tags = prop_oneof![
            Just(("p", "")),
            Just(("div", "")),
            Just(("b", "")),
            Just(("i", "")),
            Just(("span", "")),
            Just(("h2", "")),
            Just(("blockquote", "")),
            Just(("li", "")),
            Just(("a", " href=\"https://example.org/x\"")),
            Just(("td", "")),
            Just(("pre", "")),
        ];
        (tags, proptest::collection::vec(inner, 1..4), any::<bool>()).prop_map(|((tag, attrs), children, br)| {
            let words = children.iter().flat_map(|(w, _)| w.clone()).collect();
            let separator = if br { "<br>" } else { "\n " };
            let html = children.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join(separator);
            (words, format!("<{tag}{attrs}>{html}</{tag}>"))
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Outside dropped elements no text is lost: every word comes out, in order.
    #[test]
    fn html_conversion_loses_no_text((words, html) in html_with_words(), hidden in "[a-z]{0,6}") {
        let html = format!("{html}<script>var SECRET{hidden} = 1;</script><style>.SECRET{hidden}{{}}</style>");
        let converted = broadsheet::source::html::convert(&html, None);
        let text = converted.paragraphs.join("\n");
        let mut at = 0;
        for word in &words {
            let found = text[at..].find(word.as_str());
            prop_assert!(found.is_some(), "{word} missing after byte {at} of {text:?} from {html}");
            at += found.unwrap_or(0) + word.len();
        }
        prop_assert!(!text.contains("SECRET"), "{text}");
        prop_assert!(converted.paragraphs.iter().all(|p| !p.is_empty() && p.trim_end() == p));
    }

    /// Plain text comes out as itself (whitespace collapsed), and converting the result again
    /// changes nothing.
    #[test]
    fn html_conversion_is_idempotent_on_plain_text(text in "[a-zA-Z0-9 .,;:!?'\"()éüß東京\\n\\t-]{0,200}") {
        use broadsheet::source::html::{collapse, convert};
        let once = convert(&text, None).paragraphs;
        let expected: Vec<String> = Some(collapse(&text)).filter(|t| !t.is_empty()).into_iter().collect();
        prop_assert_eq!(&once, &expected);
        let twice: Vec<String> = once.iter().flat_map(|p| convert(p, None).paragraphs).collect();
        prop_assert_eq!(once, twice);
    }
}

proptest! {
    /// `Texts::retain` (in place for text in memory, a copy for borrowed text) keeps exactly the
    /// strings it is told to, in order, whatever they hold (multi-byte, empty).
    #[test]
    fn texts_keep_what_they_are_told_to(
        strings in proptest::collection::vec("[a-zé€😀 ]{0,6}", 0..40),
        flags in proptest::collection::vec(any::<bool>(), 40),
    ) {
        use broadsheet::collection::Texts;
        let keep = &flags[..strings.len()];
        let expected: Vec<&str> =
            strings.iter().zip(keep).filter(|(_, k)| **k).map(|(s, _)| s.as_str()).collect();
        let mut owned: Texts = strings.iter().map(String::as_str).collect();
        owned.retain(keep);
        prop_assert_eq!(owned.iter().collect::<Vec<_>>(), expected.clone());
        prop_assert_eq!(owned.bytes(), expected.iter().map(|s| s.len()).sum::<usize>());
        // Borrowed text (as a headline cache's): copied, the same result.
        let all: Texts = strings.iter().map(String::as_str).collect();
        let text: &'static str = Box::leak(all.text().to_string().into_boxed_str());
        let ends: &'static [usize] = Box::leak(all.ends().to_vec().into_boxed_slice());
        let mut borrowed = Texts::borrowed(text, ends).unwrap();
        borrowed.retain(keep);
        prop_assert_eq!(borrowed.iter().collect::<Vec<_>>(), expected);
    }
}
