//! The headless subcommands, run as a user would: the real binary, its output and exit status.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use broadsheet::app::App;

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

fn run(args: &[&str]) -> Output {
    // No library: without paths, the bundled articles open.
    Command::new(BIN)
        .args(args)
        .env("BROADSHEET_DATA_DIR", "/nonexistent/broadsheet-library")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("broadsheet-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn list_prints_numbered_headlines_of_the_bundled_collection() {
    let output = run(&["list"]);
    assert!(output.status.success());
    let expected: String =
        common::seed().titles().iter().enumerate().map(|(i, t)| format!("{}\t{t}\n", i + 1)).collect();
    assert_eq!(stdout(&output), expected);
    assert!(stdout(&output).starts_with("1\tIraq Says US Troop Drawdown Talks"));
}

#[test]
fn list_json_is_the_bundled_json_and_reads_back_unchanged() {
    let output = run(&["list", "--json"]);
    assert!(output.status.success());
    let json = stdout(&output);
    assert_eq!(json, std::fs::read_to_string("assets/articles.json").unwrap(), "assets/articles.json is current");
    let path = temp_file("round.json", json.as_bytes());
    let again = run(&["list", "--json", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(stdout(&again), json);
}

#[test]
fn search_prints_the_browser_order() {
    let collection = common::numbered(40, 1);
    let json = serde_json::to_string(&collection).unwrap();
    let path = temp_file("search.json", json.as_bytes());
    let output = run(&["search", "ne 2", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));

    let mut app = App::new(collection, 140, 40);
    common::type_query(&mut app, "ne 2");
    let expected: String = app
        .hits()
        .iter()
        .map(|h| format!("{}\t{}\t{}\n", h.index + 1, h.score, app.collection().title(h.index)))
        .collect();
    assert!(!app.hits().is_empty());
    assert_eq!(stdout(&output), expected);

    let limited = run(&["search", "ne 2", path.to_str().unwrap(), "--limit", "3"]);
    assert_eq!(stdout(&limited).lines().count(), 3);
    assert!(expected.starts_with(&stdout(&limited)));
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn search_json_gives_index_score_title_and_char_positions() {
    let output = run(&["search", "gaza", "--json"]);
    assert!(output.status.success());
    let results: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 1);
    let hit = &results[0];
    assert_eq!(hit["index"], 2);
    let title = hit["title"].as_str().unwrap();
    assert!(title.starts_with("Palestinian Prime Minister"));
    assert!(hit["score"].as_i64().unwrap() > 0);
    let chars: Vec<char> = title.chars().collect();
    let matched: String =
        hit["positions"].as_array().unwrap().iter().map(|p| chars[p.as_u64().unwrap() as usize]).collect();
    assert_eq!(matched.to_lowercase(), "gaza");
}

#[test]
fn show_prints_headline_captions_and_wrapped_body() {
    let output = run(&["show", "1", "--width", "50"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("Iraq Says US Troop Drawdown Talks Will Go on"));
    assert!(text.contains("Credit: dpa"));
    assert!(text.contains("Photo: 04 February 2024, Iraq, Baghdad: A member"));
    assert!(text.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 50), "{text}");
    assert!(text.contains("Notably, there have been no additional strikes"));
    assert!(!text.lines().any(|l| l == "TT"));
    let default_width = stdout(&run(&["show", "2"]));
    assert!(default_width.lines().any(|l| l.chars().count() > 50));
    assert!(default_width.lines().all(|l| l.chars().count() <= 80));
}

#[test]
fn show_json_is_one_article_of_the_canonical_document_and_reads_back() {
    let output = run(&["show", "2", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let one: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let all: serde_json::Value = serde_json::from_str(&stdout(&run(&["list", "--json"]))).unwrap();
    assert_eq!(one["articles"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["articles"][0], all["articles"][1]);
    let path = temp_file("one.json", &output.stdout);
    let again = run(&["show", "1", "--json", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(stdout(&again), stdout(&output));
    // JSON is not wrapped: a width with it is refused.
    assert_eq!(run(&["show", "1", "--json", "--width", "40"]).status.code(), Some(2));
}

#[test]
fn show_out_of_range_fails_with_code_2() {
    for n in ["0", "3"] {
        let output = run(&["show", n]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("the collection has 2"), "{}", stderr(&output));
    }
}

#[test]
fn bad_inputs_name_the_file_and_exit_2() {
    let utf8 = temp_file("bad.txt", b"Headline\n\nok\n\xfe\xff\n");
    let json = temp_file("bad.json", b"{\"articles\": [\n{\"title\": [1]}\n]}");
    let empty = temp_file("empty.txt", b"");
    let cases = [
        (utf8.clone(), "invalid UTF-8 at byte 13 (line 4)".to_string()),
        (json.clone(), format!("{}:2:", json.display())),
        (empty.clone(), "no articles found".to_string()),
        ("/nonexistent/news.txt".into(), "/nonexistent/news.txt: cannot read: No such file".to_string()),
    ];
    for (path, message) in &cases {
        let output = run(&["list", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{path:?}");
        let err = stderr(&output);
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains(message.as_str()), "{err}");
        // One line, saying each thing once (the cause is not repeated after the message).
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(err.matches("No such file").count(), err.contains("No such file") as usize, "{err}");
        assert!(output.stdout.is_empty());
    }
    for path in [utf8, json, empty] {
        std::fs::remove_file(path).unwrap();
    }
}

#[test]
fn reads_standard_input() {
    let mut child = Command::new(BIN).args(["list", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(include_bytes!("fixtures/no_captions.txt")).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "1\tCentral Bank Holds Rates Steady\n2\tHeatwave Breaks Records Across Southern Europe\n"
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    // Far more output than a pipe buffer holds, so the writer must meet the closed pipe.
    let json = serde_json::to_string(&common::numbered(5000, 1)).unwrap();
    let path = temp_file("pipe.json", json.as_bytes());
    let (first, output) = common::read_then_close(Command::new(BIN).args(["list", path.to_str().unwrap()]), 16);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(&first[..11], b"1\tHeadline ");
    assert!(output.status.success(), "{:?}", output.status);
    assert_eq!(stderr(&output), "");
}

#[test]
fn browser_needs_a_terminal() {
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("not a terminal; use `broadsheet list`"), "{}", stderr(&output));
}

#[test]
fn help_and_version() {
    let help = run(&["--help"]);
    assert!(help.status.success());
    for word in ["list", "search", "show", "PATH"] {
        assert!(stdout(&help).contains(word), "{}", stdout(&help));
    }
    let version = run(&["--version"]);
    assert_eq!(stdout(&version), format!("broadsheet {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn options_go_before_or_after_the_subcommand() {
    let after = run(&["show", "1", "--bidi", "off", "--no-cache"]);
    let before = run(&["--bidi", "off", "--no-cache", "show", "1"]);
    assert!(after.status.success() && before.status.success(), "{before:?}");
    assert_eq!(stdout(&before), stdout(&after));
    assert!(stdout(&before).starts_with("Iraq Says US Troop Drawdown Talks"));
    // A path before a subcommand's name is a path: the name is not a subcommand there.
    let output = run(&["assets/articles.txt", "list"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("list: cannot read"), "{}", stderr(&output));
}
