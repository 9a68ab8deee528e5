//! Hostile input: every bad file gets a clear message naming it (and the place), exit status 2,
//! and never a panic; odd but valid input loads.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

/// A scratch directory of its own per test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("broadsheet-hostile-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn list(path: &Path) -> Output {
    Command::new(BIN).arg("list").arg(path).output().unwrap()
}

/// Fails unless `output` is a clean refusal: status 2, nothing on stdout, one message on stderr
/// that names the file and contains `expected`, and no panic.
fn assert_refused(output: &Output, path: &Path, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{path:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{path:?}");
    assert!(stderr.starts_with(&format!("broadsheet: {}", path.display())), "{stderr}");
    assert!(stderr.contains(expected), "{path:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn unusable_files_are_refused_with_the_reason() {
    let dir = scratch("refused");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let nested =
        format!(r#"{{"articles": [{{"title": "Deep", "body": {}{}}}]}}"#, "[".repeat(10_000), "]".repeat(10_000));
    let cases: Vec<(PathBuf, &str)> = vec![
        (dir.join("missing.txt"), "cannot read"),
        (write("empty.txt", b""), "no articles found"),
        (write("blank.json", b"  \n "), "invalid JSON"),
        (
            write("binary.txt", &[0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe, 0x00, 0x80]),
            "invalid UTF-8 at byte 8",
        ),
        (write("utf16.txt", &[0xff, 0xfe, b'H', 0, b'i', 0]), "UTF-16 text"),
        (write("types.json", br#"{"articles": [{"title": 42}]}"#), "invalid type: integer `42`, expected a string"),
        (write("untitled.json", br#"[{"body": ["No headline here."]}]"#), "missing field `title`"),
        (write("nested.json", nested.as_bytes()), "invalid JSON"),
        (write("garbage.json", b"[{\"title\": \"Fine\"}]\n}}} trailing"), "trailing characters"),
        (write("emptytitle.json", br#"[{"title": "Good"}, {"title": "  "}]"#), "article 2 has an empty title"),
    ];
    for (path, expected) in &cases {
        assert_refused(&list(path), path, expected);
    }
    // JSON errors also say where.
    let output = list(&dir.join("types.json"));
    assert!(String::from_utf8_lossy(&output.stderr).contains("types.json:1:"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deep_nesting_in_fields_that_are_ignored_loads() {
    let dir = scratch("deep");
    let path = dir.join("deep.json");
    let json = format!(r#"[{{"title": "Deep", "extra": {}{}}}]"#, "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&path, json).unwrap();
    let output = list(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    // Either loaded or refused with a message: never a crash (a stack overflow would abort).
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => assert_eq!(String::from_utf8_lossy(&output.stdout), "1\tDeep\n"),
        Some(2) => assert!(stderr.contains("deep.json:1:"), "{stderr}"),
        other => panic!("status {other:?}: {stderr}"),
    }
}

#[test]
fn directories_without_articles_and_directories_named_like_files() {
    let dir = scratch("dirs");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.md"), "not news").unwrap();
    assert_refused(&list(&empty), &empty, "no .txt, .json or feed");
    let looks_like_a_file = dir.join("news.json");
    std::fs::create_dir_all(&looks_like_a_file).unwrap();
    assert_refused(&list(&looks_like_a_file), &looks_like_a_file, "no .txt, .json or feed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn multi_file_opens_name_the_file_that_failed() {
    let dir = scratch("multi");
    let good = dir.join("good.txt");
    std::fs::write(&good, "Fine Headline\n\nA body.\n").unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "[{").unwrap();
    let output = Command::new(BIN).arg("list").arg(&good).arg(&bad).output().unwrap();
    assert_refused(&output, &bad, "invalid JSON");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_fifo_is_read_like_a_file() {
    let dir = scratch("fifo");
    // A dump, a JSON collection and a feed: a pipe cannot be read twice, whatever it holds.
    let cases = [
        ("news.txt", "Piped Headline\n\nA body.\n".to_string()),
        ("news.json", r#"{"articles": [{"title": "Piped Headline"}]}"#.to_string()),
        (
            "feed",
            "<rss><channel><title>P</title><item><title>Piped Headline</title></item></channel></rss>".to_string(),
        ),
    ];
    for (name, content) in cases {
        let fifo = dir.join(name);
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, content).unwrap())
        };
        let output = list(&fifo);
        writer.join().unwrap();
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(String::from_utf8_lossy(&output.stdout), "1\tPiped Headline\n", "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What a pipe or a device sends could be endless: at most `--max-size` of it is read, and
/// more is refused by name. A file on disk of that size still opens.
#[test]
fn endless_input_from_a_device_or_standard_input_is_refused_at_the_cap() {
    let zero = Path::new("/dev/zero");
    let started = std::time::Instant::now();
    assert_refused(&list(zero), zero, "more than 32 MiB from a pipe or a device (--max-size)");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    let feed = "<rss><channel><title>P</title><item><title>Piped Headline</title></item></channel></rss>";
    let piped = |max: &str, padding: usize| {
        let mut child = Command::new(BIN)
            .args(["list", "-", "--max-size", max])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // Written from a thread: the program may stop reading (and close the pipe) early.
        let bytes = format!("{feed}{}", " ".repeat(padding));
        let writer = std::thread::spawn(move || {
            let _ = std::io::Write::write_all(&mut stdin, bytes.as_bytes());
        });
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap();
        output
    };
    let within = piped("1K", 1024 - feed.len());
    assert!(within.status.success(), "{}", String::from_utf8_lossy(&within.stderr));
    assert_eq!(String::from_utf8_lossy(&within.stdout), "1\tPiped Headline\n");
    assert_refused(&piped("1K", 1025 - feed.len()), Path::new("<stdin>"), "more than 1 KiB from a pipe");
    let dir = scratch("cap");
    let file = dir.join("feed.xml");
    std::fs::write(&file, format!("{feed}{}", " ".repeat(4096))).unwrap();
    let output = Command::new(BIN).arg("list").arg(&file).args(["--max-size", "1K"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_huge_single_line_file_loads_with_a_short_headline() {
    let dir = scratch("oneline");
    let path = dir.join("oneline.txt");
    let line = "word ".repeat(40_000_000); // 200 MB on one line
    std::fs::write(&path, &line).unwrap();
    drop(line);
    let output = list(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("1\tword word"), "{}", &stdout[..stdout.len().min(200)]);
    assert!(stdout.trim_end().ends_with('…'));
    assert!(stdout.len() < 400, "the headline is shortened: {} bytes", stdout.len());
}

#[test]
fn a_dump_of_a_hundred_thousand_articles() {
    let dir = scratch("many");
    let path = dir.join("many.txt");
    let dump: String = (1..=100_000).map(|i| format!("Headline number {i}\n\nBody of article {i}.\n\n\n\n")).collect();
    std::fs::write(&path, dump).unwrap();
    let output = list(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 100_000);
    assert_eq!(stdout.lines().last(), Some("100000\tHeadline number 100000"));
}

#[test]
fn duplicates_are_kept_once_and_reported() {
    let dir = scratch("dupes");
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    std::fs::write(&a, br#"[{"id": "x1", "title": "First"}, {"id": "x2", "title": "Second"}]"#).unwrap();
    std::fs::write(&b, br#"[{"id": "x1", "title": "First again"}]"#).unwrap();
    let output = Command::new(BIN).arg("list").arg(&a).arg(&b).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "1\tFirst\n2\tSecond\n");
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 duplicate article(s)"));
}

#[test]
fn an_article_with_an_empty_body_loads() {
    let dir = scratch("emptybody");
    let path = dir.join("e.json");
    std::fs::write(&path, br#"[{"title": "Headline only", "body": []}]"#).unwrap();
    let output = Command::new(BIN).arg("show").arg("1").arg(&path).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "Headline only\nheadline only\n");
}

#[test]
fn error_messages_never_carry_escape_sequences() {
    let dir = scratch("escapes");
    let path = dir.join("evil\u{1b}]0;pwned\u{7}.json");
    std::fs::write(&path, b"{").unwrap();
    let output = list(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!output.stderr.iter().any(|&b| b == 0x1b || b == 0x07), "{:?}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn permission_denied_is_refused_with_the_reason() {
    let dir = scratch("denied");
    let path = dir.join("secret.txt");
    std::fs::write(&path, "Headline\n\nBody.\n").unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    // Root reads anything: run the binary as nobody then (setpriv is in util-linux), from a copy
    // in the scratch directory, which nobody can reach wherever the checkout is.
    // SAFETY: geteuid has no preconditions.
    let output = if unsafe { libc::geteuid() } == 0 {
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let bin = dir.join("broadsheet");
        std::fs::copy(BIN, &bin).unwrap();
        std::fs::set_permissions(&bin, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("list")
            .arg(&path)
            .output()
            .expect("setpriv (util-linux) runs")
    } else {
        list(&path)
    };
    std::fs::remove_dir_all(&dir).unwrap();
    assert_refused(&output, &path, "cannot read: Permission denied");
}

#[test]
fn plain_output_never_carries_escape_sequences() {
    let dir = scratch("plain");
    let path = dir.join("evil.json");
    let evil = r#"[{"title": "Evil \u001b]0;pwned\u0007Red \u001b[31mHeadline", "body": ["Clear \u001b[2J\u001b[Hscreen \u009b31m\u0008\r\u202eok"], "captions": [{"text": "Cap \u001bPdcs\u001b\\tion", "credit": "\u001b[5mAP"}]}]"#;
    std::fs::write(&path, evil).unwrap();
    for args in [&["list"][..], &["list", "--json"], &["show", "1"], &["search", "evil"], &["search", "evil", "--json"]]
    {
        let output = Command::new(BIN).args(args).arg(&path).output().unwrap();
        assert!(output.status.success(), "{args:?}");
        let bytes = &output.stdout;
        for forbidden in [&b"\x1b"[..], b"\x07", b"\x08", b"\r", b"\xc2\x9b", "\u{202e}".as_bytes()] {
            assert!(!bytes.windows(forbidden.len()).any(|w| w == forbidden), "{args:?}: {forbidden:?} in output");
        }
        assert!(String::from_utf8_lossy(bytes).contains("Evil Red Headline"), "{args:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
