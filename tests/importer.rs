//! The loaders: the seed dump, every dump variant real scrapes show, and the JSON form.

use broadsheet::article::{Article, Caption};
use broadsheet::collection::Collection;
use broadsheet::sanitize::is_clean;
use broadsheet::source::{self, LoadError, dump, json};

const SEED: &str = include_str!("../assets/articles.txt");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A caption line as the dump prints it.
fn caption_line(caption: &Caption) -> String {
    match &caption.credit {
        Some(credit) => format!("{} ({credit})", caption.text),
        None => caption.text.clone(),
    }
}

/// "No text lost": every non-blank line of the dump, other than the `TT` logo line, is a headline,
/// a caption or a paragraph of some article (the repeated header is one of those already).
fn assert_no_text_lost(dump_text: &str, articles: &[Article]) {
    let dump_text = dump_text.trim_start_matches('\u{feff}');
    for line in dump_text.lines().map(str::trim).filter(|l| !l.is_empty() && *l != "TT") {
        let found = articles.iter().any(|a| {
            a.title == line || a.captions.iter().any(|c| caption_line(c) == line) || a.body.iter().any(|p| p == line)
        });
        assert!(found, "line lost: {line:?}");
    }
}

#[test]
fn seed_gives_two_articles_as_printed() {
    let articles = dump::parse(SEED);
    assert_eq!(articles.len(), 2);
    assert_eq!(
        articles[0].title,
        "Iraq Says US Troop Drawdown Talks Will Go on ‘As Long as Nothing Disturbs the Peace of the Talks’"
    );
    assert_eq!(articles[1].title, "Palestinian Prime Minister Says Palestinian Authority Should Run Gaza in Future");
    assert_eq!(articles[0].captions.len(), 1);
    assert_eq!(articles[1].captions.len(), 1);
    assert_eq!(articles[0].captions[0].credit.as_deref(), Some("dpa"));
    assert_eq!(articles[1].captions[0].credit.as_deref(), Some("Heiko Junge/NTB/via Reuters"));
    assert!(articles[0].captions[0].text.starts_with("04 February 2024, Iraq, Baghdad: A member"));
    assert!(articles[0].captions[0].text.ends_with("killed in US airstrikes."));
    assert_eq!(articles[0].body.len(), 11);
    assert_eq!(articles[1].body.len(), 6);
    assert_eq!(articles[0].body[0].split_whitespace().next(), Some("Iraq"));
    assert!(articles[1].body[5].starts_with("Mustafa stressed that"));
    for article in &articles {
        let all_text = std::iter::once(article.title.as_str())
            .chain(article.body.iter().map(|p| p.as_ref()))
            .chain(article.captions.iter().map(|c| c.text.as_str()));
        for text in all_text {
            assert_ne!(text, "TT");
            assert!(!text.contains("\nTT"));
        }
        assert!(!article.body.iter().any(|p| *p == article.title), "repeated header kept as body");
    }
    assert_no_text_lost(SEED, &articles);
}

#[test]
fn seed_matches_bundled_json() {
    let from_dump = dump::parse(SEED);
    let from_json = json::parse(include_str!("../assets/articles.json")).unwrap();
    assert_eq!(from_dump, from_json);
}

#[test]
fn ids_are_stable_and_distinct() {
    let articles = dump::parse(SEED);
    assert_eq!(articles[0].id.len(), 16);
    assert_ne!(articles[0].id, articles[1].id);
    assert_eq!(articles[0].id, articles[0].content_id());
    // Same content, same id, wherever it comes from.
    assert_eq!(dump::parse(&SEED.replace('\n', "\r\n"))[0].id, articles[0].id);
}

#[test]
fn crlf_bom_and_stray_spaces_read_like_the_seed() {
    let seed = dump::parse(SEED);
    let crlf = SEED.replace('\n', "\r\n");
    let bom = format!("\u{feff}{SEED}");
    let spaced: String = SEED.lines().map(|l| format!("  {l} \t \n")).collect();
    for variant in [crlf, bom, spaced] {
        let articles = dump::parse(&variant);
        assert_eq!(articles, seed);
        assert_no_text_lost(&variant, &articles);
    }
}

#[test]
fn dump_without_logo_line() {
    let text = fixture("no_tt.txt");
    let articles = dump::parse(&text);
    assert_eq!(
        articles.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(),
        ["Storm Closes Harbour in Bergen", "Rail Strike Ends After Three Days"]
    );
    assert_eq!(
        articles[0].captions,
        [Caption {
            text: "A ferry waits at the quay in Bergen, Norway, on Tuesday.".into(),
            credit: Some("NTB".into())
        }]
    );
    assert_eq!(articles[0].body.len(), 2);
    assert_eq!(articles[1].body, ["Train drivers returned to work on Thursday after a three-day strike."]);
    assert_no_text_lost(&text, &articles);
}

#[test]
fn dump_without_captions() {
    let text = fixture("no_captions.txt");
    let articles = dump::parse(&text);
    assert_eq!(articles.len(), 2);
    assert!(articles.iter().all(|a| a.captions.is_empty()));
    assert_eq!(articles[0].body.len(), 2);
    assert_eq!(articles[1].title, "Heatwave Breaks Records Across Southern Europe");
    assert_eq!(articles[1].body.len(), 2);
    assert_no_text_lost(&text, &articles);
}

#[test]
fn dump_with_several_captions_keeps_each_once() {
    let text = fixture("several_captions.txt");
    let articles = dump::parse(&text);
    assert_eq!(articles.len(), 1);
    let captions = &articles[0].captions;
    assert_eq!(captions.len(), 3);
    assert_eq!(captions[0].credit.as_deref(), Some("Alberto Saiz/AP"));
    assert_eq!(captions[0].text, "12 November 2024, Spain, Valencia: Residents clear mud from a street.");
    assert_eq!(
        captions[0].dateline(),
        (Some("12 November 2024, Spain, Valencia"), "Residents clear mud from a street.")
    );
    assert_eq!(captions[1].credit.as_deref(), Some("Reuters"));
    assert_eq!(captions[2].credit, None);
    assert_eq!(articles[0].body.len(), 2);
    assert_no_text_lost(&text, &articles);
}

#[test]
fn dump_with_captions_not_repeated() {
    let text = fixture("captions_not_repeated.txt");
    let articles = dump::parse(&text);
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[0].captions.len(), 1);
    assert_eq!(articles[0].body.len(), 2);
    assert_eq!(articles[1].title, "Markets Rally on Trade Deal Hopes");
    assert_eq!(articles[1].captions[0].credit.as_deref(), Some("Seth Wenig/AP"));
    assert_eq!(articles[1].body.len(), 1);
    assert_no_text_lost(&text, &articles);
}

#[test]
fn single_newlines_make_paragraphs() {
    let text = fixture("single_newline_paragraphs.txt");
    let articles = dump::parse(&text);
    assert_eq!(articles.len(), 1);
    assert_eq!(
        articles[0].body,
        [
            "The electoral commission ordered a recount in three districts.",
            "Final results are now expected on Friday.",
            "Turnout was the highest since 1992."
        ]
    );
    assert_no_text_lost(&text, &articles);
}

#[test]
fn two_blank_lines_inside_a_body_do_not_split_it() {
    let text = "Headline Here\n\nFirst paragraph ends here.\n\n\nSecond paragraph, after a sloppy gap.\n";
    let articles = dump::parse(text);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].body.len(), 2);
}

#[test]
fn escapes_and_controls_are_removed_at_load() {
    let text = "Evil \u{1b}[31mRed\u{1b}[0m Headline\u{7}\n\nBody with \u{1b}]0;pwned\u{7}a title change.\tTabbed.\n";
    let articles = dump::parse(text);
    assert_eq!(articles[0].title, "Evil Red Headline");
    assert_eq!(articles[0].body, ["Body with a title change.   Tabbed."]);
    assert!(is_clean(&articles[0].title) && articles[0].body.iter().all(|p| is_clean(p)));
}

#[test]
fn json_accepts_bare_array_string_body_and_missing_fields() {
    let articles = json::parse(&fixture("bare_array.json")).unwrap();
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[0].title, "Ceasefire Talks Resume in Cairo");
    assert_eq!(articles[0].body, ["Negotiators met again on Sunday.", "A deal is not expected before next week."]);
    assert_eq!(articles[0].captions[0].credit, None);
    assert_eq!(articles[0].published.as_deref(), Some("2025-01-15T09:30:00Z"));
    assert_eq!(articles[0].id, articles[0].content_id());
    assert_eq!(articles[1].id, "custom-id-1");
    assert_eq!(articles[1].source.as_deref(), Some("Reuters"));
}

#[test]
fn json_round_trip_is_unchanged() {
    let collection = Collection::from(dump::parse(SEED));
    let mut out = Vec::new();
    broadsheet::commands::list(&collection, true, &mut out).unwrap();
    let back = json::parse(std::str::from_utf8(&out).unwrap()).unwrap();
    assert_eq!(back, collection.to_vec());
}

#[test]
fn invalid_utf8_names_file_offset_and_line() {
    let bytes = b"Headline\n\nGood line\nbad \xff byte\n";
    let err = source::parse_bytes("news.txt", None, bytes).unwrap_err();
    assert!(matches!(err, LoadError::Utf8 { offset: 24, line: 4, .. }), "{err:?}");
    assert_eq!(err.to_string(), "news.txt: invalid UTF-8 at byte 24 (line 4); expected UTF-8 text");
}

#[test]
fn json_errors_name_file_line_and_column() {
    let err = source::parse_bytes("c.json", None, b"{\"articles\": [\n  {\"title\": 5}\n]}").unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("c.json:2:"), "{message}");
    assert!(message.contains("invalid JSON"), "{message}");
}

#[test]
fn empty_input_is_an_error() {
    let err = source::parse_bytes("empty.txt", None, b"\n\n  \n").unwrap_err();
    assert!(matches!(err, LoadError::NoArticles { .. }));
}

#[test]
fn directories_load_txt_and_json_sorted_by_name() {
    let dir = std::env::temp_dir().join(format!("broadsheet-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("b.txt"), fixture("no_captions.txt")).unwrap();
    std::fs::write(dir.join("a.json"), fixture("bare_array.json")).unwrap();
    std::fs::write(dir.join("ignored.md"), "# not news").unwrap();
    let collection = source::load(std::slice::from_ref(&dir)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let titles: Vec<&str> = collection.titles().iter().collect();
    assert_eq!(
        titles,
        [
            "Ceasefire Talks Resume in Cairo",
            "Snow Falls in the Sahara",
            "Central Bank Holds Rates Steady",
            "Heatwave Breaks Records Across Southern Europe"
        ]
    );
}

#[test]
fn large_json_files_are_mapped_and_read_exactly_like_small_ones() {
    // Over a megabyte, so the loader maps the file (and over 8 MB, so it keeps only headlines
    // and reads an article again when it is opened); bodies with escapes, control characters
    // and tabs must come out the same as through the ordinary parser.
    for count in [600, 2_500] {
        let mut articles = broadsheet::corpus::articles(count, 3).to_vec();
        articles[0].body[0] = "Quote: \"escaped\" \u{1b}[31mred\u{1b}[0m\tand a tab".to_string().into();
        articles[1].title = "  Title \u{7}with a bell  ".into();
        articles[2].id = String::new();
        let json = serde_json::to_string(&Collection::from(articles)).unwrap();
        assert!(json.len() > 1 << 20, "{} bytes", json.len());
        let path = std::env::temp_dir().join(format!("broadsheet-mapped-{count}-{}.json", std::process::id()));
        std::fs::write(&path, &json).unwrap();
        let mapped = source::load_file(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let parsed = json::parse(&json).unwrap();
        assert_eq!(mapped.to_vec(), parsed);
        assert_eq!(
            mapped.titles().iter().collect::<Vec<_>>(),
            parsed.iter().map(|a| a.title.as_str()).collect::<Vec<_>>()
        );
        assert_eq!(mapped.id(2), parsed[2].content_id(), "a missing id is the content id");
        assert_eq!(mapped.article(0).body[0], "Quote: \"escaped\" red    and a tab");
        assert_eq!(mapped.title(1), "Title with a bell");
        // Clean paragraphs borrow from the file instead of being copied.
        assert!(matches!(mapped.article(3).body[0], std::borrow::Cow::Borrowed(_)));
    }
}

#[test]
fn duplicates_left_out_of_a_large_file_keep_headlines_and_articles_in_step() {
    // A file kept as headlines (over 8 MB) with a repeated id, then a dump: after the repeat is
    // left out, headline i and article i must still be the same article, across both inputs.
    let mut articles = broadsheet::corpus::headline_collection(70_000, 5).to_vec();
    articles[10].id = articles[3].id.clone();
    articles[11].body = vec!["Eleven's body.".into()];
    let dir = std::env::temp_dir().join(format!("broadsheet-dups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("a.json");
    std::fs::write(&big, serde_json::to_vec(&Collection::from(articles.clone())).unwrap()).unwrap();
    let small = dir.join("b.txt");
    std::fs::write(&small, fixture("no_captions.txt")).unwrap();
    let (collection, notices) = source::load_with_notices(&[big, small], None).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(collection.len(), 70_000 - 1 + 2);
    assert_eq!(collection.title(10), articles[11].title, "article 10 was left out");
    assert_eq!(collection.article(10).body[0], "Eleven's body.");
    for i in [0, 9, 10, 5_000, 69_998, 69_999, 70_000] {
        let article = collection.article(i);
        assert_eq!(collection.title(i), article.title, "article {i}");
        assert_eq!(collection.id(i), article.id, "article {i}");
    }
    assert_eq!(collection.title(69_998), articles[69_999].title);
    assert_eq!(collection.title(69_999), "Central Bank Holds Rates Steady");
}
