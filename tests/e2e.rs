//! End to end: the real binary in a real pseudo-terminal, the screen read through a VT parser.
//! Waits poll the screen with a deadline instead of sleeping a fixed time.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

mod server;

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");
const DEADLINE: Duration = Duration::from_secs(20);

/// A running program in a pseudo-terminal and the screen it draws.
struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to its terminal.
    raw: Arc<Mutex<Vec<u8>>>,
    master: Option<Box<dyn MasterPty + Send>>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(program: &str, args: &[&str], cols: u16, rows: u16) -> Session {
        Session::start_with_env(program, args, &[], cols, rows)
    }

    fn start_with_env(program: &str, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env("TERM", "xterm-256color");
        // No headline cache in the user's home; a test that wants one gives a directory.
        command.env("BROADSHEET_CACHE_DIR", "");
        // No library unless a test gives one: without paths, the bundled articles open.
        command.env("BROADSHEET_DATA_DIR", "/nonexistent/broadsheet-library");
        for (key, value) in env {
            command.env(key, value);
        }
        command.cwd(env!("CARGO_MANIFEST_DIR"));
        let child = pty.slave.spawn_command(command).expect("the binary starts");
        // Only the child holds the terminal's slave side, so reads end when it exits.
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let stop = Arc::new(AtomicBool::new(false));
        // Read the master side through its own descriptor, with poll timeouts, instead of a
        // cloned reader: a clone would keep the terminal open after `hang_up`.
        let fd = pty.master.as_raw_fd().expect("a unix pty");
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (sink, stopped, bytes) = (Arc::clone(&screen), Arc::clone(&stop), Arc::clone(&raw));
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stopped.load(Ordering::Relaxed) {
                let mut poll = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
                // SAFETY: one valid pollfd; the fd stays open until this thread is joined.
                if unsafe { libc::poll(&mut poll, 1, 20) } <= 0 || poll.revents & libc::POLLIN == 0 {
                    if poll.revents & (libc::POLLHUP | libc::POLLERR) != 0 {
                        break;
                    }
                    continue;
                }
                // SAFETY: reads into a live buffer of the given length.
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    break;
                }
                bytes.lock().unwrap().extend_from_slice(&buf[..n as usize]);
                sink.lock().unwrap().process(&buf[..n as usize]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Session { child, writer: Some(writer), screen, raw, master: Some(pty.master), stop, reader: Some(reader) }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `ok`, or fails showing the screen.
    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let contents = self.contents();
            if ok(&contents) {
                return contents;
            }
            assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}; screen:\n{contents}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    fn send(&mut self, keys: &str) {
        let writer = self.writer.as_mut().expect("the terminal is open");
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Resizes the terminal (the pty only: see `a_resize_storm_while_typing`).
    fn resize(&self, cols: u16, rows: u16) {
        self.master.as_ref().unwrap().resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
    }

    /// Closes the terminal, as when its window is closed.
    fn hang_up(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.writer = None;
        self.master = None;
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take in the last bytes (leaving the alternate screen).
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(start.elapsed() < DEADLINE, "did not exit; screen:\n{}", self.contents());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn alternate_screen(&self) -> bool {
        self.screen.lock().unwrap().screen().alternate_screen()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        self.stop.store(true, Ordering::Relaxed);
    }
}

const IRAQ: &str = "Iraq Says US Troop Drawdown Talks";
const PALESTINE: &str = "Palestinian Prime Minister Says";

#[test]
fn browse_search_read_and_quit() {
    let mut session = Session::start(BIN, &[], 140, 40);
    let screen = session.wait_for("— dpa");
    assert!(session.alternate_screen(), "the browser uses the alternate screen");
    assert!(screen.contains(&format!("▶ {IRAQ}")), "{screen}");
    assert!(screen.contains(&format!("  {PALESTINE}")), "{screen}");

    session.send("/gaza");
    // The ranking arrives from the search thread: wait for the whole query's count.
    let screen = session.wait_until("the ranking of 'gaza'", |s| s.contains("/ gaza  1 of 2 headlines"));
    assert!(screen.contains("1/1 of 2"), "{screen}");
    assert!(!screen.contains(IRAQ), "{screen}");
    assert!(screen.contains(&format!("▶ {PALESTINE}")), "{screen}");

    session.send("\r");
    let screen = session.wait_for("Palestinian Prime Minister Mohammad Mustafa said");
    assert!(screen.contains("— Heiko Junge/NTB/via"), "its caption credit: {screen}");

    session.send("q");
    let status = session.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(!session.alternate_screen(), "back on the main screen");
}

#[test]
fn reader_keys_scroll_and_switch_articles() {
    let mut session = Session::start(BIN, &[], 100, 24);
    session.wait_for(IRAQ);
    session.send("l");
    session.wait_for(" Top ");
    session.send("G");
    session.wait_for(" End ");
    session.wait_for("Notably, there have been no additional strikes");
    session.send("n");
    session.wait_for("Palestinian Prime Minister Mohammad Mustafa said");
    // The help is taller than 24 lines: it scrolls, to its end and back.
    session.send("?");
    session.wait_for("Keys — j/k scroll, ? or Esc closes");
    session.send("G");
    session.wait_for("In the search bar, other keys type.");
    session.send("g");
    session.wait_for(" 1–22 of ");
    session.send("\x1b");
    session.wait_until("help closed", |s| !s.contains("Keys — "));
    session.send("\x03"); // Ctrl-c
    assert!(session.wait_exit().success());
    assert!(!session.alternate_screen());
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut session = Session::start(BIN, &[], 120, 30);
    session.wait_for(IRAQ);
    assert!(session.alternate_screen());
    let pid = session.child.process_id().expect("a pid");
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) }, 0);
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 128 + 15, "ended by SIGTERM");
    assert!(!session.alternate_screen(), "back on the main screen");
}

#[test]
fn reads_standard_input_and_takes_keys_from_the_terminal() {
    let fixture = "tests/fixtures/no_captions.txt";
    let mut session = Session::start("sh", &["-c", &format!("cat {fixture} | {BIN} -")], 120, 30);
    let screen = session.wait_for("Central Bank Holds Rates Steady");
    assert!(screen.contains("No photo captions"), "{screen}");
    session.send("j");
    session.wait_for("▶ Heatwave Breaks Records");
    session.send("q");
    assert!(session.wait_exit().success());
}

#[test]
fn bad_file_fails_before_touching_the_terminal() {
    let mut session = Session::start(BIN, &["tests/fixtures/does-not-exist.txt"], 100, 24);
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 2);
    let screen = session.contents();
    assert!(screen.contains("tests/fixtures/does-not-exist.txt: cannot read"), "{screen}");
    assert!(!session.alternate_screen());
}

#[test]
fn sighup_restores_the_terminal() {
    let mut session = Session::start(BIN, &[], 120, 30);
    session.wait_for(IRAQ);
    let pid = session.child.process_id().expect("a pid");
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid as libc::pid_t, libc::SIGHUP) }, 0);
    assert_eq!(session.wait_exit().exit_code(), 128 + 1, "ended by SIGHUP");
    assert!(!session.alternate_screen(), "back on the main screen");
}

#[test]
fn a_vanished_terminal_ends_the_program() {
    // Closing the terminal (the pty's master side) must end the browser, not leave it spinning.
    let mut session = Session::start(BIN, &[], 120, 30);
    session.wait_for(IRAQ);
    session.hang_up();
    // Ended by SIGHUP (status 129) or by the read error that can come first (status 1); what
    // matters is that it ends instead of spinning (wait_exit fails after its deadline).
    let status = session.wait_exit();
    assert!(!status.success(), "{status:?}");
}

#[test]
fn ranks_a_large_collection_while_typing() {
    use broadsheet::search::Engine;
    use broadsheet::search::engine::never;

    // 100,000 articles with short bodies, written as JSON.
    let mut articles = broadsheet::corpus::headline_collection(100_000, 11).to_vec();
    for article in &mut articles {
        article.body = vec![format!("Report on {}.", article.title).into()];
    }
    let collection = broadsheet::collection::Collection::from(articles);
    let path = std::env::temp_dir().join(format!("broadsheet-e2e-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_vec(&collection).unwrap()).unwrap();
    let articles = Arc::new(collection);
    let best = |query: &str| {
        let hits =
            Engine::new(Arc::clone(&articles)).rank(query, &never, &std::sync::atomic::AtomicUsize::new(0)).unwrap();
        (articles.title(hits[0].index).to_string(), hits.len())
    };

    // The browser writes the file's headline cache here (and the second start below reads it).
    let cache = std::env::temp_dir().join(format!("broadsheet-e2e-cache-{}", std::process::id()));
    let env = [("BROADSHEET_CACHE_DIR", cache.to_str().unwrap())];
    let mut session = Session::start_with_env(BIN, &[path.to_str().unwrap()], &env, 140, 40);
    session.wait_for(" 1/100000 ");
    // Keys typed back to back: each is echoed, and the list ends up ranked for the whole query.
    session.send("/g");
    session.send("o");
    session.send("v");
    session.send("e");
    session.wait_for("/ gove");
    let (title, count) = best("gove");
    let screen = session.wait_for(&format!(" 1/{count} of 100000 "));
    let shown: String = title.chars().take(30).collect();
    assert!(screen.contains(&format!("▶ {shown}")), "best match {title:?} first:\n{screen}");
    // Backspace goes back to a cached ranking.
    session.send("\x7f");
    let (title, count) = best("gov");
    let screen = session.wait_for(&format!(" 1/{count} of 100000 "));
    let shown: String = title.chars().take(30).collect();
    assert!(screen.contains(&format!("▶ {shown}")), "best match {title:?} first:\n{screen}");
    // The selected article's body, read from the file when it is selected (a file this size is
    // kept as headlines), is in the reader.
    let opening: Vec<&str> = title.split_whitespace().take(2).collect();
    session.wait_for(&format!("Report on {}", opening.join(" ")));
    session.send("\x1b");
    session.wait_for(" 1/100000 ");
    session.send("q");
    assert!(session.wait_exit().success());
    // Started again, from the cache: the same list, and the same article opens.
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 1, "one cache written");
    let mut session = Session::start_with_env(BIN, &[path.to_str().unwrap()], &env, 140, 40);
    session.wait_for(" 1/100000 ");
    session.send("/gov");
    session.wait_for(&format!(" 1/{count} of 100000 "));
    session.wait_for(&format!("Report on {}", opening.join(" ")));
    session.send("\r");
    session.send("q");
    assert!(session.wait_exit().success());
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_dir_all(&cache).unwrap();
}

#[test]
fn a_panic_restores_the_terminal() {
    let mut session = Session::start_with_env(BIN, &[], &[("BROADSHEET_DEBUG_FAIL", "panic")], 120, 30);
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 101, "a panic's status");
    assert!(!session.alternate_screen(), "back on the main screen");
    assert!(
        session.contents().contains("failing on purpose"),
        "the panic message is readable:\n{}",
        session.contents()
    );
}

#[test]
fn an_error_restores_the_terminal() {
    let mut session = Session::start_with_env(BIN, &[], &[("BROADSHEET_DEBUG_FAIL", "error")], 120, 30);
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 1);
    assert!(!session.alternate_screen(), "back on the main screen");
    assert!(session.contents().contains("broadsheet: BROADSHEET_DEBUG_FAIL=error"), "{}", session.contents());
}

#[test]
fn works_on_a_dumb_terminal_and_without_colour() {
    let env = [("TERM", "dumb"), ("NO_COLOR", "1")];
    let mut session = Session::start_with_env(BIN, &[], &env, 120, 30);
    session.wait_for(IRAQ);
    {
        let parser = session.screen.lock().unwrap();
        let screen = parser.screen();
        for row in 0..30 {
            for col in 0..120 {
                let cell = screen.cell(row, col).unwrap();
                assert_eq!(cell.fgcolor(), vt100::Color::Default, "colour at {row},{col}");
                assert_eq!(cell.bgcolor(), vt100::Color::Default, "colour at {row},{col}");
            }
        }
        // The selection is still visible: its marker, and bold text.
        let contents = screen.contents();
        let row = contents.lines().position(|l| l.contains("▶ Iraq Says")).expect("the marker");
        let line = screen.rows(0, 120).nth(row).unwrap();
        let col = line[..line.find('▶').unwrap()].chars().count();
        let styles: Vec<(String, bool, bool)> = (0..12)
            .map(|c| {
                let cell = screen.cell(row as u16, c).unwrap();
                (cell.contents().to_string(), cell.bold(), cell.inverse())
            })
            .collect();
        let cell = screen.cell(row as u16, col as u16 + 3).unwrap();
        assert!(cell.bold() && cell.inverse(), "{styles:?}");
    }
    session.send("q");
    assert!(session.wait_exit().success());
}

#[test]
fn escape_sequences_in_articles_never_reach_the_terminal() {
    let evil = r#"[{"title": "Evil \u001b]0;pwned\u0007Red \u001b[31mHeadline", "body": ["Clear \u001b[2J\u001b[Hscreen \u009b31m\u0008\r\u202eok"], "captions": [{"text": "Cap \u001bPdcs\u001b\\tion", "credit": "\u001b[5mAP"}]}]"#;
    let path = std::env::temp_dir().join(format!("broadsheet-evil-{}.json", std::process::id()));
    std::fs::write(&path, evil).unwrap();
    let mut session = Session::start(BIN, &[path.to_str().unwrap()], 120, 30);
    let screen = session.wait_for("Evil Red Headline");
    assert!(screen.contains("Clear screen ok"), "{screen}");
    assert!(screen.contains("Cap tion"), "{screen}");
    assert!(screen.contains("— AP"), "{screen}");
    session.send("q");
    assert!(session.wait_exit().success());
    std::fs::remove_file(&path).unwrap();
    let raw = session.raw.lock().unwrap();
    for forbidden in [
        &b"\x1b]"[..],
        b"\x1bP",
        b"pwned",
        b"\x07",
        b"\x08",
        b"\xc2\x9b",
        b"\x1b[2J",
        b"\x1b[5m",
        "\u{202e}".as_bytes(),
    ] {
        assert!(!raw.windows(forbidden.len()).any(|w| w == forbidden), "{forbidden:?} reached the terminal");
    }
}

#[test]
fn a_resize_storm_while_typing() {
    let mut session = Session::start(BIN, &[], 120, 30);
    session.wait_for(IRAQ);
    session.send("j"); // select the Palestinian article
    session.wait_for("▶ Palestinian");
    session.send("/");
    session.wait_for("/ ");
    // The screen parser stays at 120x30 throughout: vt100 cannot follow size changes that race
    // with output drawn for another size. The last resize brings a full redraw at 120x30.
    let sizes = [(1, 1), (200, 60), (30, 8), (79, 20), (80, 24), (119, 40), (120, 40), (23, 6), (500, 200), (60, 15)];
    for (round, key) in "prime".chars().enumerate() {
        for (cols, rows) in sizes.iter().cycle().skip(round).take(60) {
            session.resize(*cols, *rows);
        }
        session.send(&key.to_string());
        std::thread::sleep(Duration::from_millis(30));
    }
    // Let the storm settle, then a last change of size for a clean full redraw at 120x30 (the
    // parser only ever reads at that size, and may hold debris of frames drawn for others).
    std::thread::sleep(Duration::from_millis(300));
    session.resize(100, 25);
    std::thread::sleep(Duration::from_millis(100));
    session.resize(120, 30);
    // The app redraws for the last size, with the whole query and the selection kept.
    let screen = session.wait_until("a redraw at 120x30", |s| s.contains("/ prime  1 of 2 headlines"));
    assert!(screen.contains("▶ Palestinian"), "{screen}");
    assert!(screen.lines().next().is_some_and(|l| l.ends_with('┐')), "{screen}");
    session.send("\x1b");
    session.wait_until("the search closed", |s| !s.contains("/ prime"));
    session.send("q");
    assert!(session.wait_exit().success());
}

/// A feed whose entry links to a story and to a `javascript:` URL, for the link keys.
const LINKS_FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title><link>/</link>
<item><title>Links to follow</title><link>/story</link><description>&lt;p&gt;Read &lt;a href="/more"&gt;more&lt;/a&gt; or &lt;a href="javascript:alert(1)"&gt;this&lt;/a&gt;.&lt;/p&gt;</description></item>
</channel></rss>"#;

#[test]
fn a_feed_from_a_url_opens_with_captions_and_its_links() {
    let nyt = std::fs::read(format!("{}/tests/fixtures/feeds/Rss20NYTimes.xml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let server = server::Server::start(move |path| match path {
        "/nyt.xml" => server::Reply::ok("application/rss+xml", nyt.clone()),
        "/links.xml" => server::Reply::ok("application/rss+xml", LINKS_FEED),
        _ => server::Reply::status(404),
    });
    // A browser that records the arguments it was given, one per line.
    let dir = std::env::temp_dir().join(format!("broadsheet-e2e-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let opened = dir.join("opened.txt");
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let urls = [server.url("/nyt.xml"), server.url("/missing"), server.url("/links.xml")];
    let args: Vec<&str> = urls.iter().map(String::as_str).collect();
    let mut session = Session::start_with_env(BIN, &args, &[("BROWSER", script.to_str().unwrap())], 140, 40);

    // A frame arrives in pieces: wait for its last row (the footer) too.
    let screen = session.wait_until("the first frame", |s| {
        s.contains("Putin Led a Complex Cyberattack") && s.contains("1 of 3 feeds could not be loaded")
    });
    assert!(screen.contains("— Lucas Jackson/Reuters"), "the first article's caption credit: {screen}");
    session.send("\r");
    let screen = session.wait_for("U.S. intelligence agencies presented their unanimous");
    assert!(screen.contains("President-elect Donald"), "{screen}");

    // o: the article's URL, as one argument.
    session.send("o");
    let article =
        "http://www.nytimes.com/2017/01/06/us/politics/donald-trump-wall-hack-russia.html?partner=rss&emc=rss";
    wait_for_file(&opened, &format!("{article}\n"));
    // y: the URL on the clipboard through OSC 52.
    session.send("y");
    use base64::Engine;
    let osc52 = format!("\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(article));
    let start = Instant::now();
    while !String::from_utf8_lossy(&session.raw.lock().unwrap()).contains(&osc52) {
        assert!(start.elapsed() < DEADLINE, "no OSC 52 copy");
        std::thread::sleep(Duration::from_millis(20));
    }

    // 1 opens link [1] of the text; 2 is a javascript: link, listed but never opened.
    session.send("G");
    session.send("/Links to");
    session.wait_until("the ranking", |s| s.contains("1 of 34 headlines"));
    session.send("\r\r");
    let screen = session.wait_for("[1] ");
    assert!(screen.contains("Read more [1] or this [2]."), "{screen}");
    assert!(screen.contains(&format!("[1] {}", server.url("/more"))), "{screen}");
    session.send("1");
    wait_for_file(&opened, &format!("{article}\n{}\n", server.url("/more")));
    session.send("2");
    session.wait_for("not opened: only http and https");
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), format!("{article}\n{}\n", server.url("/more")));

    session.send("q");
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 1, "some feeds failed: exit 1");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Waits until `path` holds exactly `expected`.
fn wait_for_file(path: &std::path::Path, expected: &str) {
    let start = Instant::now();
    loop {
        let got = std::fs::read_to_string(path).unwrap_or_default();
        if got == expected {
            return;
        }
        assert!(start.elapsed() < DEADLINE, "{} holds {got:?}, not {expected:?}", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_library_remembers_what_was_read_and_starred() {
    let nyt = std::fs::read(format!("{}/tests/fixtures/feeds/Rss20NYTimes.xml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let verge = std::fs::read(format!("{}/tests/fixtures/feeds/AtomTheVerge.xml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let server = server::Server::start(move |path| match path {
        "/nyt.xml" => server::Reply::ok("application/rss+xml", nyt.clone()),
        "/verge.xml" => server::Reply::ok("application/atom+xml", verge.clone()),
        _ => server::Reply::status(404),
    });
    let dir = std::env::temp_dir().join(format!("broadsheet-e2e-library-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = [("BROADSHEET_DATA_DIR", dir.to_str().unwrap())];
    for (url, name) in [(server.url("/nyt.xml"), "NYT"), (server.url("/verge.xml"), "Verge")] {
        let added = std::process::Command::new(BIN).args(["add", &url, "--name", name]).envs(data).output().unwrap();
        assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    }
    // Newest first across both feeds; every headline unread.
    let mut session = Session::start_with_env(BIN, &[], &data, 140, 40);
    let screen = session.wait_until("the first frame", |s| s.contains("1/43") && s.contains("q quit"));
    let first = screen.lines().nth(1).unwrap().to_string();
    assert!(first.contains("▶ ● Verge"), "the first headline, unread, and its feed: {first}");
    session.send("\r");
    session.wait_until("the article marked read", |s| s.lines().nth(1).is_some_and(|l| l.contains("▶   Verge")));
    // h, not Esc: an Esc followed at once by j reads as Alt-j.
    session.send("h");
    session.send("j");
    session.send("s");
    session.wait_until("a star", |s| s.lines().nth(2).is_some_and(|l| l.contains("▶ ★ ")));
    session.send("q");
    assert!(session.wait_exit().success());

    // Again: the first is read, the second starred; * shows only the starred one.
    let mut session = Session::start_with_env(BIN, &[], &data, 140, 40);
    let screen = session.wait_until("the first frame", |s| s.contains("1/43") && s.contains("q quit"));
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[1].contains("▶   Verge"), "read after a restart: {}", lines[1]);
    assert!(lines[2].contains("  ★ "), "starred after a restart: {}", lines[2]);
    session.send("*");
    let screen = session.wait_until("the starred view", |s| s.contains(" 1/1 ") && s.contains("starred articles only"));
    assert_eq!(screen.matches('★').count(), 1, "{screen}");
    // F: a feed by its name, with unread counts; Enter shows only it.
    session.send("*");
    session.wait_for(" 2/43 ");
    session.send("F");
    let screen = session.wait_until("the picker", |s| s.contains("All feeds") && s.contains("Verge"));
    assert!(screen.contains("All feeds") && screen.contains(" 42"), "41 + 1 unread: {screen}");
    session.send("nyt");
    session.send("\r");
    let screen = session.wait_until("one feed", |s| s.contains(" 1/33 ") && s.contains("NYT only"));
    assert!(!screen.contains("Verge "), "{screen}");
    session.send("q");
    assert!(session.wait_exit().success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn r_fetches_in_the_background_while_reading() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let version = Arc::new(AtomicUsize::new(0));
    let v = Arc::clone(&version);
    let server = server::Server::start(move |_| {
        let items: String = (0..3 + v.load(Ordering::SeqCst))
            .map(|i| format!("<item><title>Story {i}</title><guid>s{i}</guid><pubDate>Mon, 0{} Nov 2026 10:00:00 GMT</pubDate><description>Text of story {i}.</description></item>", i + 1))
            .collect();
        server::Reply::ok("application/rss+xml", format!("<rss><channel><title>Live</title>{items}</channel></rss>"))
    });
    let dir = std::env::temp_dir().join(format!("broadsheet-e2e-refresh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = [("BROADSHEET_DATA_DIR", dir.to_str().unwrap())];
    let added = std::process::Command::new(BIN).args(["add", &server.url("/live.xml")]).envs(data).output().unwrap();
    assert!(added.status.success());
    let mut session = Session::start_with_env(BIN, &[], &data, 140, 40);
    session.wait_until("the list", |s| s.contains("1/3") && s.contains("q quit"));
    // Read the second newest, then fetch: two new stories arrive on top.
    session.send("j\r");
    session.wait_for("Text of story 1.");
    version.store(2, Ordering::SeqCst);
    session.send("R");
    let screen = session.wait_until("the fetch", |s| s.contains("fetched 1 feed: 2 new") && s.contains("4/5"));
    assert!(screen.contains("Text of story 1."), "still reading the same article: {screen}");
    assert!(screen.contains("Story 4") && screen.contains("Story 3"), "{screen}");
    session.send("q");
    assert!(session.wait_exit().success());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A feed of one entry with a summary only, whose link is an article page (with a credited
/// figure) on the same loopback server.
fn gazette() -> server::Server {
    let page = std::fs::read(format!("{}/tests/fixtures/pages/harbour.html", env!("CARGO_MANIFEST_DIR"))).unwrap();
    server::Server::start(move |path| match path {
        "/feed.xml" => server::Reply::ok(
            "application/rss+xml",
            "<rss><channel><title>Gazette</title><item><title>Harbour reopens</title><link>/story</link><guid>h1</guid>\
             <description>A short summary only.</description></item></channel></rss>",
        ),
        "/story" => server::Reply::ok("text/html; charset=utf-8", page.clone()),
        _ => server::Reply::status(404),
    })
}

#[test]
fn f_shows_the_full_article_and_the_library_keeps_it_offline() {
    let server = gazette();
    let dir = std::env::temp_dir().join(format!("broadsheet-e2e-fulltext-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = [("BROADSHEET_DATA_DIR", dir.to_str().unwrap())];
    let added = std::process::Command::new(BIN).args(["add", &server.url("/feed.xml")]).envs(data).output().unwrap();
    assert!(added.status.success());
    let mut session = Session::start_with_env(BIN, &[], &data, 140, 40);
    session.wait_until("the summary", |s| s.contains("A short summary only.") && s.contains("q quit"));
    session.send("f");
    let screen = session.wait_until("the full text", |s| s.contains("The inner harbour reopened"));
    assert!(screen.contains("— Ola Berg/Gazette"), "the page's caption credit in the sidebar: {screen}");
    assert!(!screen.contains("A short summary only."), "{screen}");
    session.send("q");
    assert!(session.wait_exit().success());
    // Offline: the server is gone, the full text is in the library.
    drop(server);
    let mut session = Session::start_with_env(BIN, &[], &data, 140, 40);
    let screen = session.wait_until("the stored full text", |s| s.contains("The inner harbour reopened"));
    assert!(screen.contains("— Ola Berg/Gazette"), "{screen}");
    session.send("q");
    assert!(session.wait_exit().success());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_full_text_feed_reads_its_pages_at_fetch_and_offline_after() {
    let server = gazette();
    let dir = std::env::temp_dir().join(format!("broadsheet-e2e-fulltext-feed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = [("BROADSHEET_DATA_DIR", dir.to_str().unwrap())];
    let run = |args: &[&str]| std::process::Command::new(BIN).args(args).envs(data).output().unwrap();
    assert!(run(&["add", &server.url("/feed.xml"), "--full-text"]).status.success());
    let fetched = run(&["fetch", "--pace", "0"]);
    assert!(String::from_utf8_lossy(&fetched.stderr).contains("full text: 1 of 1 page(s) read"));
    // Offline: the server is gone; the browser shows the page's text and its caption credit.
    drop(server);
    let mut session = Session::start_with_env(BIN, &[], &data, 140, 40);
    let screen = session
        .wait_until("the stored full text", |s| s.contains("The inner harbour reopened") && s.contains("q quit"));
    assert!(screen.contains("— Ola Berg/Gazette"), "{screen}");
    assert!(!screen.contains("A short summary only."), "{screen}");
    session.send("q");
    assert!(session.wait_exit().success());
    std::fs::remove_dir_all(&dir).unwrap();
}
