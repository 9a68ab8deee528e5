//! newsboat's `urls` file: one feed a line, `URL tag "another tag" "~Name"`; `#` starts a
//! comment. Queries (`"query:…"`) and filters (`filter:`, `exec:`) are not feeds and are passed
//! over.

use super::feed::Outline;

/// The feeds of a `urls` file, in order.
pub fn parse(text: &str) -> Vec<Outline> {
    let mut outlines = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = words(line);
        let Some(url) = words.first() else { continue };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            continue;
        }
        let mut title = None;
        let mut tags = Vec::new();
        for word in &words[1..] {
            match word.strip_prefix('~') {
                Some(name) if !name.is_empty() => title = Some(name.to_string()),
                // `!` hides a feed in newsboat: not a tag.
                _ if word == "!" || word.is_empty() => {}
                _ => tags.push(word.clone()),
            }
        }
        outlines.push(Outline { url: url.clone(), title, tags });
    }
    outlines
}

/// Words separated by spaces; `"double quotes"` hold spaces; `#` outside quotes ends the line.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            '#' if !quoted && current.is_empty() => break,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Is this text a `urls` file rather than OPML or a feed? Its first meaningful line is a URL.
pub fn looks_like_urls(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("http://") || l.starts_with("https://") || l.starts_with("\"query:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsboat_urls() {
        let text = "# my feeds\nhttps://a.example/rss news \"world news\" \"~The A Feed\"\n\n  http://b.example/atom tech # comment\n\"query:Unread:unread = \\\"yes\\\"\"\nexec:~/script.sh\nhttps://c.example/feed !\n";
        assert!(looks_like_urls(text));
        let outlines = parse(text);
        let got: Vec<(&str, Option<&str>, Vec<&str>)> = outlines
            .iter()
            .map(|o| (o.url.as_str(), o.title.as_deref(), o.tags.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            got,
            [
                ("https://a.example/rss", Some("The A Feed"), vec!["news", "world news"]),
                ("http://b.example/atom", None, vec!["tech"]),
                ("https://c.example/feed", None, vec![]),
            ]
        );
        assert!(!looks_like_urls("<?xml version=\"1.0\"?><opml/>"));
    }
}
