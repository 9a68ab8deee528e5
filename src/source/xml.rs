//! A small, forgiving XML tree for feeds and OPML, read with quick-xml.
//!
//! What it never does: read a DTD, resolve an external entity, or expand an entity declared in
//! the document (an entity-expansion bomb stays the literal text `&lol9;`). What it forgives,
//! because real feeds need it: HTML named entities (`&nbsp;`, `&eacute;`) in XML text, a bare
//! `&`, end tags that do not match, undeclared prefixes (`media:` without its `xmlns`). A document
//! broken part-way keeps what was read before the break; the caller decides whether that is
//! enough (see [`Document::error`]).
//!
//! Element names are canonical: elements in a namespace Broadsheet knows get that namespace's
//! usual prefix whatever prefix the document used (`media:content`, `content:encoded`,
//! `dc:date`, `atom:link`, `rdf:RDF`); elements in the default namespace or one it does not know
//! are named by their local name (so RSS 2.0 declared in a default namespace reads as RSS), and
//! unknown prefixed elements keep their prefix.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

/// Deeper elements are flattened into their ancestor at this depth (their text is kept): no
/// feed nests this deep, and it bounds the recursion of everything that walks the tree.
const MAX_DEPTH: usize = 64;

/// An element: its canonical name, attributes, direct text and child elements.
#[derive(Debug, Default, Clone)]
pub struct Element<'a> {
    pub name: String,
    /// Attribute local names (`xml:base`, `xml:lang` keep their prefix) and unescaped values.
    pub attrs: Vec<(String, String)>,
    /// The text directly inside the element (text, CDATA and references, in order): the
    /// document's own when it is one piece as written (an entry's CDATA, say), else a copy.
    pub text: Cow<'a, str>,
    pub children: Vec<Element<'a>>,
    /// For XHTML content (`type="xhtml"`, Atom 0.3 `mode="xml"`): the markup inside, as written.
    pub markup: Option<String>,
}

/// A parsed document: its root, and the error that stopped parsing early, if one did.
#[derive(Debug)]
pub struct Document<'a> {
    pub root: Element<'a>,
    /// The place (line) and reason parsing stopped; what came before it is in `root`.
    pub error: Option<(usize, String)>,
}

impl<'a> Element<'a> {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Child elements named `name`.
    pub fn all<'s>(&'s self, name: &'s str) -> impl DoubleEndedIterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The trimmed text of the first child named `name`, if it has any.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim()).filter(|t| !t.is_empty())
    }

    /// The local name, without any prefix.
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }
}

/// The usual prefix of a namespace Broadsheet reads, or `""` for the namespaces whose elements
/// go by their local name (RSS 0.90/1.0/2.0 and unknown ones).
fn known_prefix(namespace: &str) -> Option<&'static str> {
    let ns = namespace.trim_end_matches(['/', '#']);
    Some(match ns {
        "http://search.yahoo.com/mrss" => "media",
        "http://purl.org/rss/1.0/modules/content" => "content",
        "http://purl.org/dc/elements/1.1" | "http://purl.org/dc/terms" => "dc",
        "http://www.w3.org/2005/Atom" | "http://purl.org/atom/ns" => "atom",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns" => "rdf",
        "http://www.w3.org/1999/xhtml" => "xhtml",
        "http://www.itunes.com/dtds/podcast-1.0.dtd" => "itunes",
        _ => return None,
    })
}

/// Parses `text`. Never fails: an error ends parsing and is reported in [`Document::error`].
pub fn parse(text: &str) -> Document<'_> {
    let mut reader = NsReader::from_str(text);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.check_comments = false;
    // The root's stand-in: the document element becomes its child.
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut error = None;
    // Open elements deeper than MAX_DEPTH, which have no element of their own.
    let mut flattened = 0usize;
    loop {
        let event = reader.read_resolved_event();
        let (resolved, event) = match event {
            Ok((resolved, event)) => (name_prefix(&resolved), event),
            Err(err) => {
                let line = 1 + text.as_bytes()[..(reader.error_position() as usize).min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                error = Some((line, err.to_string()));
                break;
            }
        };
        match event {
            Event::Start(start) => {
                let element = element(&start, resolved);
                if is_markup(&element) {
                    let end = start.to_end().into_owned();
                    match reader.read_to_end(end.name()) {
                        Ok(span) => {
                            let mut element = element;
                            element.markup = text.get(span.start as usize..span.end as usize).map(str::to_string);
                            push_child(&mut stack, element);
                            continue;
                        }
                        Err(err) => {
                            error = Some((0, err.to_string()));
                            break;
                        }
                    }
                }
                if stack.len() > MAX_DEPTH {
                    // Flattened: its text goes to the ancestor; its end is ignored below.
                    flattened += 1;
                    continue;
                }
                stack.push(element);
            }
            Event::End(_) => {
                if flattened > 0 {
                    flattened -= 1;
                } else if stack.len() > 1 {
                    let done = stack.pop().unwrap_or_default();
                    push_child(&mut stack, done);
                }
            }
            Event::Text(t) => push_text(&mut stack, t.xml10_content()),
            Event::CData(c) => push_text(&mut stack, c.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let resolved: Cow<str> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    Ok(None) => Cow::Borrowed(entity(&name).unwrap_or("")),
                    Err(_) => Cow::Borrowed("\u{fffd}"),
                };
                if resolved.is_empty() && !r.is_char_ref() {
                    // Unknown (or declared in the DTD, which is never read): left as written.
                    push_text(&mut stack, Cow::Owned(format!("&{name};")));
                } else {
                    push_text(&mut stack, resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Close whatever is still open (a truncated document).
    while stack.len() > 1 {
        let done = stack.pop().unwrap_or_default();
        push_child(&mut stack, done);
    }
    let mut top = stack.pop().unwrap_or_default();
    let root = if top.children.is_empty() { Element::default() } else { top.children.swap_remove(0) };
    Document { root, error }
}

fn push_child<'a>(stack: &mut [Element<'a>], child: Element<'a>) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(child);
    }
}

fn push_text<'a>(stack: &mut [Element<'a>], text: Cow<'a, str>) {
    if let Some(current) = stack.last_mut() {
        if current.text.is_empty() {
            current.text = text;
        } else {
            current.text.to_mut().push_str(&text);
        }
    }
}

/// The canonical prefix for an element's resolved namespace: `Some("media")` for a known one,
/// `Some("")` for the default or an unknown namespace, `None` for an undeclared prefix (which
/// is then kept as written).
fn name_prefix(resolved: &ResolveResult) -> Option<&'static str> {
    match resolved {
        ResolveResult::Bound(ns) => Some(known_prefix(ns.as_ref()).unwrap_or("")),
        ResolveResult::Unbound => Some(""),
        ResolveResult::Unknown(_) => None,
    }
}

fn element<'a>(start: &BytesStart, prefix: Option<&'static str>) -> Element<'a> {
    let qname = start.name();
    let local = qname.local_name().as_ref().to_string();
    let name = match (prefix, qname.prefix()) {
        // A namespace we do not know, or an undeclared prefix: the prefix as written
        // (`wfw:commentRss`, `media:content` without its xmlns).
        (Some("") | None, Some(written)) => format!("{}:{local}", written.as_ref()),
        (Some("") | None, None) => local,
        (Some(known), _) => format!("{known}:{local}"),
    };
    let attrs = start
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|attr| {
            let key = attr.key;
            let name = match key.prefix() {
                Some(p) if p.as_ref() == "xml" => key.as_ref().to_string(),
                _ => key.local_name().as_ref().to_string(),
            };
            let value = attr
                .normalized_value_with(XmlVersion::Implicit1_0, 0, entity)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| attr.value.into_owned());
            (name, value)
        })
        .collect();
    Element { name, attrs, text: Cow::Borrowed(""), children: Vec::new(), markup: None }
}

/// Content written as inline XHTML rather than as text: read as markup.
fn is_markup(element: &Element<'_>) -> bool {
    let kind = element.attr("type").unwrap_or("").to_ascii_lowercase();
    let mode = element.attr("mode").unwrap_or("");
    kind == "xhtml" || kind.ends_with("xhtml+xml") || mode == "xml"
}

/// The five XML entities and every HTML named entity (feeds put `&nbsp;` into XML all the time).
pub fn entity(name: &str) -> Option<&'static str> {
    match name {
        "lt" => Some("<"),
        "gt" => Some(">"),
        "amp" => Some("&"),
        "apos" => Some("'"),
        "quot" => Some("\""),
        _ => html_entities().get(name).map(String::as_str),
    }
}

/// html5ever's table of HTML entities (keyed with their semicolon, valued by code points) as
/// text by name: built once, read by every parsing thread without a lock.
fn html_entities() -> &'static std::collections::HashMap<&'static str, String> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, String>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        markup5ever::data::NAMED_ENTITIES
            .entries()
            .filter_map(|(key, &(first, second))| {
                let name = key.strip_suffix(';')?;
                let text: String =
                    [first, second].into_iter().filter(|&c| c != 0).map(char::from_u32).collect::<Option<String>>()?;
                Some((name, text))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_canonical() {
        let doc = parse(
            r#"<rss xmlns="http://backend.userland.com/rss2" xmlns:m="http://search.yahoo.com/mrss/"><channel><item><m:content url="u"/><x:y/></item></channel></rss>"#,
        );
        assert!(doc.error.is_none());
        let item = doc.root.child("channel").and_then(|c| c.child("item")).unwrap();
        let names: Vec<&str> = item.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["media:content", "x:y"]);
        assert_eq!(item.children[0].attr("url"), Some("u"));
    }

    #[test]
    fn entities_and_bombs() {
        let doc = parse("<a>AT&amp;T&nbsp;&eacute;&#x201C;&#8217; & <b>x</b></a>");
        assert_eq!(doc.root.text, "AT&T\u{a0}é\u{201c}\u{2019} & ");
        assert_eq!(doc.root.child_text("b"), Some("x"));
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><a>&lol2;</a>"#;
        assert_eq!(parse(bomb).root.text, "&lol2;");
        let external = r#"<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>"#;
        assert_eq!(parse(external).root.text, "&xxe;");
    }

    #[test]
    fn text_is_borrowed_when_whole_and_joined_when_in_pieces() {
        let doc = parse("<a><b><![CDATA[<p>One</p>]]></b><c>x<![CDATA[y]]>&amp;z</c><d>plain</d></a>");
        let text = |name: &str| doc.root.child(name).map(|e| e.text.clone()).unwrap();
        assert!(matches!(text("b"), Cow::Borrowed("<p>One</p>")), "{:?}", text("b"));
        assert!(matches!(text("d"), Cow::Borrowed("plain")));
        assert_eq!(text("c"), "xy&z");
        // Line ends are normalised (a copy), as XML says.
        assert_eq!(parse("<a>1\r\n2</a>").root.text, "1\n2");
    }

    #[test]
    fn broken_documents_keep_what_came_first() {
        let doc = parse("<rss><channel><item><title>One</title></item><item><title>Two</ti");
        let channel = doc.root.child("channel").unwrap();
        assert_eq!(channel.all("item").count(), 2);
        assert_eq!(channel.child("item").unwrap().child_text("title"), Some("One"));
    }

    #[test]
    fn xhtml_content_is_kept_as_markup() {
        let doc = parse(
            r#"<entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p></div></content></entry>"#,
        );
        let content = doc.root.child("content").unwrap();
        assert_eq!(
            content.markup.as_deref(),
            Some(r#"<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p></div>"#)
        );
    }

    #[test]
    fn deep_nesting_is_flattened() {
        // quick-xml itself stops at 65,535 levels: an error, and what came before it.
        let deeper = format!("<a>{}x{}</a>", "<b>".repeat(100_000), "</b>".repeat(100_000));
        assert!(parse(&deeper).error.is_some());
        let deep = format!("<a>{}x{}</a>", "<b>".repeat(60_000), "</b>".repeat(60_000));
        let doc = parse(&deep);
        let mut depth = 0;
        let mut at = &doc.root;
        while let Some(child) = at.children.first() {
            depth += 1;
            at = child;
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
        assert!(doc.error.is_none(), "{:?}", doc.error);
        assert!(at.text.contains('x'));
    }
}
