//! Feeds to articles: the real feeds in tests/fixtures/feeds (see its README), and the formats
//! and encodings those do not cover, generated here. Assertions name entries and their fields.

use std::path::PathBuf;

use broadsheet::article::{Article, Caption};
use broadsheet::collection::Collection;
use broadsheet::sanitize::is_clean;
use broadsheet::source::{self, Document, LoadError};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds").join(name)
}

/// Every article of a fixture feed, in feed order (no duplicate removal).
fn articles(name: &str) -> Vec<Article> {
    let collection = source::load_file(&fixture(name)).unwrap_or_else(|err| panic!("{name}: {err}"));
    collection.to_vec()
}

/// Articles of a document given as bytes.
fn parse(bytes: &[u8]) -> (Vec<Article>, Vec<String>) {
    match source::parse_document("test.xml", bytes, None, None).unwrap_or_else(|err| panic!("{err}")) {
        Document::Articles { articles, notices } => (articles.to_vec(), notices),
        Document::Opml(_) => panic!("an OPML list"),
    }
}

fn caption(text: &str, credit: &str) -> Caption {
    Caption { text: text.into(), credit: Some(credit.into()) }
}

fn all_clean(articles: &[Article]) -> bool {
    articles.iter().all(|a| {
        let captions = a.captions.iter().flat_map(|c| std::iter::once(c.text.as_str()).chain(c.credit.as_deref()));
        let fields = [a.source.as_deref(), a.url.as_deref(), a.published.as_deref()].into_iter().flatten();
        std::iter::once(a.title.as_str())
            .chain(a.body.iter().map(|p| p.as_ref()))
            .chain(captions)
            .chain(fields)
            .all(|t| is_clean(t) && !t.contains('\t'))
    })
}

#[test]
fn every_fixture_feed_loads_clean_text_in_feed_order() {
    let counts = [
        ("AtomAdobe.xml", 10),
        ("AtomBattleNet.xml", 11),
        ("AtomSpecialCharacters.xml", 1),
        ("AtomTheVerge.xml", 10),
        ("AtomWiganwarriors.xml", 10),
        ("Rss091FullSample.xml", 1),
        ("Rss091Stadtfeuerwehr.xml", 15),
        ("Rss092FullSample.xml", 22),
        ("Rss10FeedWebResourceSample.xml", 2),
        ("Rss10Minutos20.xml", 15),
        ("Rss10OrfAt.xml", 50),
        ("Rss20CTVNews.xml", 10),
        ("Rss20CityDog.xml", 10),
        ("Rss20FeedWebResourceSample.xml", 9),
        ("Rss20FinanzenNet.xml", 15),
        ("Rss20HubSpot.xml", 50),
        ("Rss20ISO88591Intranet30.xml", 30),
        ("Rss20IndianExpress.xml", 200),
        ("Rss20JapanTimes.xml", 118),
        ("Rss20JapanToday.xml", 20),
        ("Rss20LeFigaro.xml", 50),
        ("Rss20LeMonde.xml", 18),
        ("Rss20MoscowTimes.xml", 50),
        ("Rss20NYTimes.xml", 33),
        ("Rss20Reuters.xml", 10),
        ("Rss20Spiegel.xml", 17),
        ("Rss20TheMirror.xml", 25),
        ("Rss20YandexRussia.xml", 15),
    ];
    for (name, count) in counts {
        // Entries are converted when opened: the headline and id known before are theirs.
        let collection = source::load_file(&fixture(name)).unwrap();
        for i in 0..collection.len() {
            let article = collection.article(i);
            assert_eq!(
                (collection.title(i), collection.id(i), collection.source(i)),
                (article.title.as_str(), article.id.as_str(), article.source.clone()),
                "{name} {i}"
            );
        }
        let articles = articles(name);
        assert_eq!(articles.len(), count, "{name}");
        assert!(all_clean(&articles), "{name}: unclean text");
        assert!(articles.iter().all(|a| !a.title.is_empty() && a.source.is_some()), "{name}");
        assert!(articles.iter().all(|a| a.url.as_deref().is_none_or(|u| u.contains("://"))), "{name}: relative URL");
    }
}

#[test]
fn nyt_media_rss_captions_and_credits() {
    let articles = articles("Rss20NYTimes.xml");
    let first = &articles[0];
    assert_eq!(first.title, "Putin Led a Complex Cyberattack Scheme to Aid Trump, Report Finds");
    assert_eq!(
        first.captions,
        [caption(
            "President-elect Donald J. Trump left One World Trade Center after a meeting on Friday.",
            "Lucas Jackson/Reuters"
        )]
    );
    assert_eq!(first.published.as_deref(), Some("2017-01-07T01:49:31Z"), "Sat, 07 Jan 2017 01:49:31 GMT");
    assert_eq!(first.source.as_deref(), Some("NYT > Home Page"));
    assert_eq!(
        first.url.as_deref(),
        Some("http://www.nytimes.com/2017/01/06/us/politics/donald-trump-wall-hack-russia.html?partner=rss&emc=rss")
    );
    assert_eq!(first.id, "http://www.nytimes.com/2017/01/06/us/politics/donald-trump-wall-hack-russia.html");
    assert!(first.body[0].starts_with("U.S. intelligence agencies presented their unanimous conclusions"));
    assert_eq!(articles.iter().filter(|a| !a.captions.is_empty()).count(), 24);
    // Empty <media:description/> and <media:credit/>: no caption, and the feed goes on.
    let intelligence = articles.iter().find(|a| a.title.starts_with("What Intelligence Agencies Concluded")).unwrap();
    assert!(intelligence.captions.is_empty());
    // &#x2018; and friends.
    assert!(articles.iter().any(|a| a.title == "‘He Really Is Beholden to No One — Not Even His Own Party’"));
}

#[test]
fn headlines_lose_their_markup_and_keep_their_characters() {
    let figaro = articles("Rss20LeFigaro.xml");
    assert_eq!(figaro[3].title, "La case BD: Tintin au pays des Soviets ou la naissance de la houppette");
    assert!(figaro.iter().any(|a| a.title == "Le Parc, Neruda, Primaire...Les sorties ciné de la semaine"));
    assert!(figaro[0].title.contains("j'ai eu le sentiment"), "&#39;: {}", figaro[0].title);
    let mirror = articles("Rss20TheMirror.xml");
    assert!(mirror.iter().any(|a| a.title == "Scientists develop blood test 'able to predict how long you will live'"));
    let japan = articles("Rss20JapanToday.xml");
    assert!(japan.iter().all(|a| !a.title.contains('<')));
}

#[test]
fn atom_links_dates_and_html_content() {
    let wigan = articles("AtomWiganwarriors.xml");
    assert_eq!(wigan[0].title, "Warriors link with Ireland RL");
    assert_eq!(
        wigan[0].url.as_deref(),
        Some("https://wiganwarriors.com/blog/2022/01/14/warriors-link-with-ireland-rl/")
    );
    assert!(wigan[0].body[0].starts_with("Wigan Warriors have linked with Rugby League Ireland"));
    assert!(wigan[0].body.iter().any(|p| p.contains("Foundation,\u{a0}Martin McLoughlin")), "U+00A0 kept");
    // No <link>: the id is the article's URL.
    let adobe = articles("AtomAdobe.xml");
    assert_eq!(adobe[0].url.as_deref(), Some(adobe[0].id.as_str()));
    assert!(adobe[0].url.as_deref().unwrap().starts_with("https://blog.adobe.com/"));
    let verge = articles("AtomTheVerge.xml");
    assert!(verge.iter().all(|a| a.published.as_deref().is_some_and(|p| p.ends_with('Z'))));
    let battle = articles("AtomBattleNet.xml");
    assert!(battle[0].source.as_deref().unwrap().contains('®'));
    // Not well-formed, and a raw U+000F in its content: the entry is recovered, clean.
    let special = articles("AtomSpecialCharacters.xml");
    assert_eq!(special[0].title, "Decode NMEA bytes received via external GPS bluetooth device");
    assert!(all_clean(&special));
}

#[test]
fn rss_0_9x_and_1_0() {
    let sample = articles("Rss091FullSample.xml");
    assert_eq!((sample[0].title.as_str(), sample[0].url.as_deref()), ("stuff", Some("http://bar/")));
    let fire = articles("Rss091Stadtfeuerwehr.xml");
    assert!(fire.iter().any(|a| a.title.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü', 'ß'])), "Latin-1 umlauts decoded");
    let only_descriptions = articles("Rss092FullSample.xml");
    assert_eq!(only_descriptions[0].title, "It's been a few days since I added a song to the Grateful Dead channel.");
    let orf = articles("Rss10OrfAt.xml");
    assert_eq!(orf[0].title, "US-Band New Edition mit Stern auf „Walk of Fame“ geehrt");
    assert_eq!(orf[0].published.as_deref(), Some("2017-01-23T20:54:55Z"), "dc:date 2017-01-23T21:54:55+01:00");
    let spec = articles("Rss10FeedWebResourceSample.xml");
    assert!(spec.iter().all(|a| a.published.is_none()));
}

#[test]
fn dates_without_weekdays_and_without_dates() {
    let yandex = articles("Rss20YandexRussia.xml");
    assert_eq!(yandex[0].title, "В Москве из-за сильных морозов объявлен «оранжевый» уровень опасности");
    assert!(yandex.iter().all(|a| a.published.is_some()), "07 Jan 2017 17:12:53 +0300");
    assert!(articles("Rss20JapanTimes.xml").iter().all(|a| a.published.is_none()));
    assert!(articles("Rss20FinanzenNet.xml").iter().all(|a| a.published.is_none()));
}

#[test]
fn latin1_feeds_are_decoded() {
    let intranet = articles("Rss20ISO88591Intranet30.xml");
    assert_eq!(intranet[0].title, "SVART MÅNAD - DÖDSOLYCKA i Vetlanda");
    assert_eq!(intranet[0].published.as_deref(), Some("2018-08-19T07:14:00Z"));
    let finanzen = articles("Rss20FinanzenNet.xml");
    assert!(finanzen.iter().any(|a| a.body.iter().any(|p| p.contains('"'))), "&quot; decoded");
}

#[test]
fn untitled_entries_get_their_first_sentence() {
    let scripting = articles("Rss20FeedWebResourceSample.xml");
    assert_eq!(scripting[1].title, "Joshua Allen: Who loves namespaces?");
    assert_eq!(scripting[3].title, "Three Sunday Morning Options.", "no link marker in a headline");
    assert!(scripting.iter().all(|a| a.title.chars().count() <= 121));
    // Only a permalink guid: that is the URL.
    assert_eq!(
        scripting[6].url.as_deref(),
        Some("http://scriptingnews.userland.com/backissues/2002/09/29#lawAndOrder")
    );
}

#[test]
fn html_bodies_become_paragraphs_with_links() {
    let hubspot = articles("Rss20HubSpot.xml");
    let first = &hubspot[0];
    assert_eq!(
        first.body[0],
        "By now, it's clear that creating great visual content is critical for marketers -- and that's especially true on social media."
    );
    assert!(first.body[1].contains("doubled its monthly active user base since 2014 [1],"), "{}", first.body[1]);
    let links = first.links();
    assert_eq!(links[0], "http://www.theverge.com/2016/12/15/13960412/instagram-600m-monthly-active-users");
    assert_eq!(links[1], "https://www.hubspot.com/marketing-statistics");
    assert!(first.body.contains(&"13 of the Best Photo & Video Editing Apps for Mobile".into()), "a heading");
    assert!(hubspot[6].body.contains(&"• Basic video conferencing tools, which create authentic connections.".into()));
    // content:encoded wins over description; the thumbnail <img> leaves no trace.
    let spiegel = articles("Rss20Spiegel.xml");
    assert!(spiegel[0].body[0].starts_with("Erneut bewegte die Silvesternacht in Köln das Land."));
    // A 1x1 tracking image is no text.
    let indian = articles("Rss20IndianExpress.xml");
    assert!(indian[0].body.is_empty());
    assert_eq!(indian[0].captions.first().map(|c| c.text.as_str()), Some("china"));
}

#[test]
fn a_channel_without_items_is_refused_by_name() {
    let err = source::load_file(&fixture("Rss20DailyMail.xml")).unwrap_err();
    assert!(matches!(err, LoadError::Feed { .. }));
    assert!(err.to_string().ends_with("Rss20DailyMail.xml: the feed has no entries"), "{err}");
}

/// A one-item RSS feed in an encoding, declared in its prolog.
fn encoded_feed(label: &str, title: &str) -> Vec<u8> {
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"{label}\"?><rss version=\"2.0\"><channel><title>{title}</title><item><title>{title}</title><description>{title}</description></item></channel></rss>"
    );
    let (bytes, _, unmappable) = encoding.encode(&text);
    assert!(!unmappable, "{label} holds {title}");
    bytes.into_owned()
}

#[test]
fn every_declared_charset_is_read() {
    let cases = [
        ("windows-1256", "السلام عليكم ورحمة الله"),
        ("ISO-8859-7", "Καλημέρα κόσμε"),
        ("windows-1251", "Привет, мир"),
        ("KOI8-R", "Москва - столица"),
        ("Shift_JIS", "東京の天気は晴れ"),
        ("EUC-JP", "日本語のニュース"),
        ("GBK", "北京今天天气很好"),
        ("Big5", "台北新聞快報"),
        ("EUC-KR", "서울 뉴스"),
        ("ISO-8859-2", "Zażółć gęślą jaźń"),
        ("windows-1252", "Café “quoted” — ok"),
    ];
    for (label, title) in cases {
        let (articles, notices) = parse(&encoded_feed(label, title));
        assert_eq!(articles[0].title, title, "{label}");
        assert_eq!(articles[0].source.as_deref(), Some(title), "{label}");
        assert!(notices.is_empty(), "{label}: {notices:?}");
    }
}

#[test]
fn utf16_and_utf32_feeds_with_a_byte_order_mark() {
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Wide</title><entry><title>Ünïcödé 東京</title><id>x</id></entry></feed>";
    let mut le = vec![0xff, 0xfe];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xfe, 0xff];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut utf32 = vec![0xff, 0xfe, 0, 0];
    utf32.extend(text.chars().flat_map(|c| (c as u32).to_le_bytes()));
    for bytes in [le, be, utf32] {
        let (articles, _) = parse(&bytes);
        assert_eq!(articles[0].title, "Ünïcödé 東京");
    }
    // From a file, too: the UTF-16 refusal is for dumps and JSON only.
    let dir = std::env::temp_dir().join(format!("broadsheet-utf16-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wide.atom");
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&file, bytes).unwrap();
    assert_eq!(source::load_file(&file).unwrap().title(0), "Ünïcödé 東京");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_bytes_are_replaced_and_counted() {
    let mut bytes =
        b"<rss><channel><title>T</title><item><title>Bad \xff byte and \xc3 more</title></item></channel></rss>"
            .to_vec();
    bytes.extend_from_slice(b"\n");
    let (articles, notices) = parse(&bytes);
    assert_eq!(articles[0].title, "Bad \u{fffd} byte and \u{fffd} more");
    assert_eq!(notices, ["test.xml: 2 invalid byte sequence(s) in UTF-8 text replaced with \u{fffd}"]);
}

#[test]
fn json_feed_files() {
    let text = r#"{"version": "https://jsonfeed.org/version/1", "title": "JSON News",
        "home_page_url": "https://news.example/",
        "items": [{"id": "a1", "url": "/2026/one", "title": "One", "date_modified": "2026-11-29T10:00:00+01:00",
                   "content_html": "<p>First.</p><figure><img src=\"/p.jpg\"><figcaption>A harbour at dawn. Photo: Ann Lee</figcaption></figure><p>Second.</p>"}]}"#;
    let (articles, _) = parse(text.as_bytes());
    let one = &articles[0];
    assert_eq!((one.id.as_str(), one.title.as_str()), ("a1", "One"));
    assert_eq!(one.url.as_deref(), Some("https://news.example/2026/one"));
    assert_eq!(one.published.as_deref(), Some("2026-11-29T09:00:00Z"), "the updated date when there is no other");
    assert_eq!(one.body, ["First.", "Second."]);
    assert_eq!(one.captions, [caption("A harbour at dawn.", "Ann Lee")]);
}

#[test]
fn hostile_feeds() {
    // Billion laughs: the entities are never expanded.
    let bomb = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">{}]><rss><channel><title>B</title><item><title>&a9;</title></item></channel></rss>",
        (1..10).map(|i| format!("<!ENTITY a{i} \"{}\">", format!("&a{};", i - 1).repeat(10))).collect::<String>()
    );
    let (articles, _) = parse(bomb.as_bytes());
    assert_eq!(articles[0].title, "&a9;");
    // External entities are never read.
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><rss><channel><title>X</title><item><title>&x;</title></item></channel></rss>"#;
    assert_eq!(parse(xxe.as_bytes()).0[0].title, "&x;");
    // Escape sequences in every field are removed.
    let evil = "<rss><channel><title>E\x1b[31m</title><item><title>Red \x1b]0;pwned\x07title</title><link>https://x/\x1b[2J</link>\
                <description>&lt;p&gt;Body \u{9b}31m&lt;a href=\"https://y/\x1b[0m\"&gt;l&lt;/a&gt;&lt;/p&gt;</description></item></channel></rss>";
    let (articles, _) = parse(evil.as_bytes());
    assert!(all_clean(&articles));
    assert_eq!(articles[0].title, "Red title");
    // 100,000 entries, and one entry of 10 MB.
    let many = format!(
        "<rss><channel><title>Many</title>{}</channel></rss>",
        (0..100_000).map(|i| format!("<item><title>Entry {i}</title><guid>g{i}</guid></item>")).collect::<String>()
    );
    let (articles, _) = parse(many.as_bytes());
    assert_eq!((articles.len(), articles[99_999].title.as_str()), (100_000, "Entry 99999"));
    let big = format!(
        "<rss><channel><title>Big</title><item><title>Big one</title><description>{}</description></item></channel></rss>",
        "&lt;p&gt;A paragraph of news text that goes on.&lt;/p&gt;".repeat(200_000)
    );
    assert!(big.len() > 10_000_000);
    let (articles, _) = parse(big.as_bytes());
    assert_eq!(articles[0].body.len(), 200_000);
}

#[test]
fn opml_files_list_feeds() {
    let opml = br#"<?xml version="1.0"?><opml version="1.0"><body><outline text="a" xmlUrl="https://a/rss"/><outline text="b" xmlUrl="https://b/atom"/></body></opml>"#;
    match source::parse_document("subs.opml", opml, None, None).unwrap() {
        Document::Opml(outlines) => {
            assert_eq!(outlines.iter().map(|o| o.url.as_str()).collect::<Vec<_>>(), ["https://a/rss", "https://b/atom"])
        }
        other => panic!("{other:?}"),
    }
    let empty = br#"<opml version="2.0"><body><outline text="folder"/></body></opml>"#;
    let err = source::parse_document("empty.opml", empty, None, None).unwrap_err();
    assert!(err.to_string().contains("without any feed"), "{err}");
}

#[test]
fn a_directory_of_feeds_and_collections() {
    let dir = std::env::temp_dir().join(format!("broadsheet-feeddir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("Rss20Reuters.xml"), dir.join("a.xml")).unwrap();
    std::fs::write(dir.join("b.json"), r#"{"articles": [{"title": "From JSON"}]}"#).unwrap();
    let collection: Collection = source::load(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(collection.len(), 11);
    assert_eq!(collection.title(10), "From JSON");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_meta_line_reads_dates_and_leaves_links_out_of_the_word_count() {
    let hubspot = articles("Rss20HubSpot.xml");
    let first = &hubspot[0];
    let links = first.links().len();
    let words: usize = first.body[..first.body.len() - links - 1].iter().map(|p| p.split_whitespace().count()).sum();
    assert_eq!(first.word_count(), words);
    let nyt = &articles("Rss20NYTimes.xml")[0];
    assert_eq!(broadsheet::page::meta_line(nyt), "NYT > Home Page · Sat 7 Jan 2017, 01:49 UTC · 27 words · 1 min read");
    assert_eq!(broadsheet::page::readable_date("2024-03-01"), "2024-03-01");
    use broadsheet::page::readable_date_at;
    let at = 1_700_000_000; // 2023-11-14T22:13:20Z
    assert_eq!(readable_date_at("2023-11-14T22:13:00Z", at), "just now");
    assert_eq!(readable_date_at("2023-11-14T22:01:20Z", at), "12 min ago");
    assert_eq!(readable_date_at("2023-11-14T19:13:20Z", at), "3 h ago");
    assert_eq!(readable_date_at("2023-11-10T19:13:20Z", at), "Fri 10 Nov 2023, 19:13 UTC");
}

#[test]
fn the_links_list_is_one_line_per_link_broken_anywhere() {
    use broadsheet::page::{LineKind, Page};
    let hubspot = articles("Rss20HubSpot.xml");
    let page = Page::new(&hubspot[0], 40, true);
    let heading = page.lines.iter().position(|l| l.text == "Links").unwrap();
    let list = &page.lines[heading + 1..];
    assert!(
        list.iter().all(|l| l.kind == LineKind::Text && unicode_width::UnicodeWidthStr::width(l.text.as_str()) <= 40)
    );
    assert!(list[0].text.starts_with("[1] http://www.theverge.com/2016/"), "{:?}", list[0]);
    let joined: String = list.iter().map(|l| l.text.as_str()).collect();
    for (i, link) in hubspot[0].links().iter().enumerate() {
        assert!(joined.contains(&format!("[{}] {link}", i + 1)), "{link}");
    }
}

/// Found by the `feed` fuzz target: a title that starts with U+0098 (SOS, an 8-bit escape that
/// runs to its terminator) sanitizes to nothing; the entry must not become an empty headline.
#[test]
fn a_title_that_sanitizes_to_nothing_is_no_headline() {
    let bytes =
        std::fs::read(format!("{}/tests/fixtures/fuzz/feed-empty-title.xml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let Document::Articles { articles, notices } = source::parse_document("crash.xml", &bytes, None, None).unwrap()
    else {
        panic!("a feed")
    };
    for i in 0..articles.len() {
        let article = articles.article(i);
        assert!(!article.title.is_empty() && is_clean(&article.title), "{i}: {:?}", article.title);
        assert_eq!(articles.title(i), article.title);
    }
    assert!(notices.iter().any(|n| n.contains("without a title or text left out")), "{notices:?}");
    let (articles, _) = parse(b"<rss><channel><title>T</title><item><title>\xc2\x9b31mRed</title><description>Its text. More.</description></item></channel></rss>");
    assert_eq!(articles[0].title, "Red");
    let (articles, _) = parse(b"<rss><channel><title>T</title><item><title>\xc2\x98gone\xc2\x9c</title><description>Its text. More.</description></item></channel></rss>");
    assert_eq!(articles[0].title, "Its text.", "a headline made from the text instead");
}

#[test]
fn a_feeds_source_is_known_without_converting_and_is_clean() {
    // A fetch names a feed by its title without converting an entry: the same clean title.
    let feed = "<rss><channel><title>Evil\u{1b}[2J\tNews</title><item><title>One</title><guid>1</guid>\
                <description>Text</description></item><item><description>Only text here.</description></item></channel></rss>";
    let Document::Articles { articles, .. } = source::parse_document("t.xml", feed.as_bytes(), None, None).unwrap()
    else {
        panic!("articles")
    };
    assert_eq!(articles.len(), 2);
    for i in 0..articles.len() {
        let source = articles.source(i);
        assert_eq!(source, articles.article(i).source, "{i}");
        assert!(
            source.as_deref().is_some_and(|s| is_clean(s) && s.contains("News") && !s.contains('\t')),
            "{source:?}"
        );
    }
}
