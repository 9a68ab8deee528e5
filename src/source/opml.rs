//! OPML 2.0 out: the subscriptions, for other readers (`broadsheet export`). Reading OPML is in
//! `feed.rs`, with the other XML documents.

use super::feed::Outline;

/// An OPML 2.0 document of `outlines`; a feed's first tag is the folder it goes in (as
/// newsboat, nom and most readers import folders), the others are kept in `category`.
pub fn write(outlines: &[Outline]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>Broadsheet subscriptions</title>\n  </head>\n  <body>\n",
    );
    let outline = |o: &Outline, indent: &str| {
        let title = escape(o.title.as_deref().unwrap_or(&o.url));
        let category =
            if o.tags.is_empty() { String::new() } else { format!(" category=\"{}\"", escape(&o.tags.join(","))) };
        format!(
            "{indent}<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"{category}/>\n",
            escape(&o.url)
        )
    };
    let mut folders: Vec<&str> = outlines.iter().filter_map(|o| o.tags.first().map(String::as_str)).collect();
    folders.sort_unstable();
    folders.dedup();
    for o in outlines.iter().filter(|o| o.tags.is_empty()) {
        out.push_str(&outline(o, "    "));
    }
    for folder in folders {
        out.push_str(&format!("    <outline text=\"{0}\" title=\"{0}\">\n", escape(folder)));
        for o in outlines.iter().filter(|o| o.tags.first().map(String::as_str) == Some(folder)) {
            out.push_str(&outline(o, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
