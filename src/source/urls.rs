//! newsboat's `urls` file: one feed a line, `URL tag "another tag" "~Name"`; `#` starts a
//! comment. Queries (`"query:…"`) and commands (`exec:`, `filter:`) are not feeds: they are
//! passed over, and each is named so that the user knows.

use super::feed::Outline;

/// The feeds of a `urls` file, in order, and the lines passed over (`line N: what, why`).
pub fn parse(text: &str) -> (Vec<Outline>, Vec<String>) {
    let mut outlines = Vec::new();
    let mut passed_over = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = words(line);
        let Some(url) = words.first() else { continue };
        let lower = url.to_ascii_lowercase();
        if let Some(query) = url.strip_prefix("query:") {
            let name = crate::sanitize::sanitize(query.split(':').next().unwrap_or_default());
            passed_over.push(format!(
                "line {}: newsboat's query feed {name:?}: a filter, not a feed (`--unread`, `--starred`, `--tag` and `search` filter the library); passed over",
                number + 1
            ));
            continue;
        }
        if lower.starts_with("exec:") || lower.starts_with("filter:") {
            let command = crate::sanitize::sanitize(url);
            passed_over.push(format!("line {}: {command:?}: Broadsheet runs no commands; passed over", number + 1));
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
    (outlines, passed_over)
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

/// Is this text a `urls` file rather than OPML or a feed? Its first meaningful line starts with
/// an address (`scheme://…`), a query or a command.
pub fn looks_like_urls(text: &str) -> bool {
    text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).is_some_and(|line| {
        let first = line.split_whitespace().next().unwrap_or_default();
        let lower = first.to_ascii_lowercase();
        (first.contains("://") && !first.starts_with('<'))
            || ["\"query:", "exec:", "filter:"].iter().any(|p| lower.starts_with(p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsboat_urls() {
        let text = "# my feeds\nhttps://a.example/rss news \"world news\" \"~The A Feed\"\n\n  http://b.example/atom tech # comment\n\"query:Unread:unread = \\\"yes\\\"\"\nexec:~/script.sh\nhttps://c.example/feed !\n";
        assert!(looks_like_urls(text));
        let (outlines, passed_over) = parse(text);
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
        assert_eq!(
            passed_over,
            [
                "line 5: newsboat's query feed \"Unread\": a filter, not a feed (`--unread`, `--starred`, `--tag` and `search` filter the library); passed over",
                "line 6: \"exec:~/script.sh\": Broadsheet runs no commands; passed over",
            ]
        );
        assert!(!looks_like_urls("<?xml version=\"1.0\"?><opml/>"));
        assert!(!looks_like_urls("{\"version\": \"https://jsonfeed.org/version/1.1\"}"));
        assert!(looks_like_urls("ftp://a.example/feed\nhttps://b.example/feed"), "checked later, one by one");
        assert!(looks_like_urls("# mine\nexec:~/feed.sh"));
    }
}
