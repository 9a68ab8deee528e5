//! Handing things to the rest of the desktop: a URL to the user's browser, text to the
//! terminal's clipboard.
//!
//! The browser gets the URL as one argument of its own and never through a shell, so no URL can
//! run a command; only http(s) URLs get here ([`crate::app::is_web_url`]). Its output goes to
//! /dev/null so that it cannot paint over the screen.

use std::process::{Command, Stdio};

/// Opens `url` with `$BROWSER` (the first of a `:`-separated list; words split on spaces, `%s`
/// replaced by the URL, else the URL added at the end), else the platform's opener.
pub fn open_in_browser(url: &str) -> Result<(), String> {
    if !crate::app::is_web_url(url) {
        return Err(format!("not opened: only http and https links open in the browser ({url})"));
    }
    let browser = std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty());
    let (program, args) = match &browser {
        Some(browser) => command_line(browser.split(':').find(|b| !b.trim().is_empty()).unwrap_or(browser), url),
        None => (default_opener().to_string(), vec![url.to_string()]),
    };
    let mut child = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| format!("cannot start {program}: {err}"))?;
    // Reaped in the background: a browser may run for as long as the user reads.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// `firefox --new-tab %s` → (`firefox`, [`--new-tab`, URL]).
fn command_line(browser: &str, url: &str) -> (String, Vec<String>) {
    let mut words = browser.split_whitespace().map(str::to_string);
    let program = words.next().unwrap_or_default();
    let mut args: Vec<String> = words.collect();
    match args.iter_mut().find(|a| a.contains("%s")) {
        Some(arg) => *arg = arg.replace("%s", url),
        None => args.push(url.to_string()),
    }
    (program, args)
}

fn default_opener() -> &'static str {
    if cfg!(target_os = "macos") { "open" } else { "xdg-open" }
}

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal (and of the terminal
/// beyond ssh and tmux, where they pass it on).
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    format!("\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_command_lines() {
        let url = "https://example.org/a?b=1&c=$(rm -rf ~)";
        assert_eq!(command_line("firefox", url), ("firefox".to_string(), vec![url.to_string()]));
        assert_eq!(
            command_line("chromium --new-window %s --x", url),
            ("chromium".to_string(), vec!["--new-window".to_string(), url.to_string(), "--x".to_string()])
        );
        assert!(open_in_browser("javascript:alert(1)").is_err());
        assert!(open_in_browser("file:///etc/passwd").is_err());
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
