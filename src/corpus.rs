//! Deterministic news-like collections for benchmarks and scale tests: the same seed gives the
//! same headlines on every machine. A share of headlines carries accents, curly quotes, Arabic or
//! CJK, as real international feeds do.

use crate::article::{Article, Caption};
use crate::collection::Collection;

/// SplitMix64: tiny, fast, and specified bit for bit, so corpora are reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PLACES: &[&str] = &[
    "Iraq",
    "Gaza",
    "Norway",
    "Berlin",
    "Washington",
    "Kyiv",
    "Beijing",
    "Brussels",
    "Cairo",
    "Tokyo",
    "Nairobi",
    "Brazil",
    "Mexico",
    "Canada",
    "Paris",
    "London",
    "Madrid",
    "Seoul",
    "Delhi",
    "Tehran",
    "Ankara",
    "Warsaw",
    "Zürich",
    "Kraków",
    "São Paulo",
    "Bogotá",
    "Reykjavík",
    "Malmö",
    "Córdoba",
    "Gdańsk",
];
const SUBJECTS: &[&str] = &[
    "Government",
    "Prime Minister",
    "President",
    "Central Bank",
    "Parliament",
    "Court",
    "Police",
    "Army",
    "Union",
    "Ministry",
    "Opposition",
    "Regulators",
    "Scientists",
    "Farmers",
    "Teachers",
    "Investors",
    "Voters",
    "Officials",
];
const VERBS: &[&str] = &[
    "Says",
    "Rejects",
    "Approves",
    "Warns of",
    "Plans",
    "Delays",
    "Backs",
    "Condemns",
    "Announces",
    "Investigates",
    "Cuts",
    "Raises",
    "Weighs",
    "Signs",
    "Blocks",
    "Questions",
    "Welcomes",
    "Resumes",
];
const OBJECTS: &[&str] = &[
    "Troop Drawdown Talks",
    "Budget Deal",
    "Interest Rates",
    "Climate Targets",
    "Trade Agreement",
    "Election Date",
    "Ceasefire Proposal",
    "Energy Prices",
    "Housing Reform",
    "Tax Plan",
    "Border Controls",
    "Rail Strike",
    "Pension Reform",
    "Health Care Bill",
    "Drone Strikes",
    "Peace Talks",
    "Wheat Exports",
    "Vaccine Rollout",
];
const TAILS: &[&str] = &[
    "",
    "",
    "",
    " After Talks",
    " in Future",
    " Amid Protests",
    " as Deadline Nears",
    " for Second Year",
    " Despite Warnings",
    " After Storm",
    " Before Summit",
    " Over Security Fears",
];
const QUOTES: &[&str] =
    &["‘As Long as Nothing Disturbs the Peace’", "‘We Will Not Back Down’", "‘A Historic Day’", "‘Not Acceptable’"];
const ARABIC: &[&str] = &[
    "مجلس الأمن يناقش وقف إطلاق النار في غزة",
    "الحكومة العراقية تعلن خطة جديدة للطاقة",
    "ارتفاع أسعار النفط بعد قرار أوبك",
    "رئيس الوزراء يزور النرويج لبحث الدولة الفلسطينية",
];
const CJK: &[&str] =
    &["北京宣布新的经济刺激计划", "东京股市收盘上涨", "首尔举行大规模抗议活动", "上海港口恢复正常运营"];
const WORDS: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "Sunday",
    "that",
    "talks",
    "would",
    "continue",
    "with",
    "officials",
    "from",
    "both",
    "sides",
    "after",
    "a",
    "week",
    "of",
    "strikes",
    "in",
    "the",
    "region",
    "and",
    "analysts",
    "expect",
    "further",
    "negotiations",
    "before",
    "any",
    "agreement",
    "is",
    "reached",
    "residents",
    "told",
    "reporters",
    "market",
    "prices",
    "rose",
    "sharply",
    "while",
    "ministers",
    "met",
    "in",
    "the",
    "capital",
    "to",
    "discuss",
    "security",
    "energy",
    "trade",
    "for",
    "years",
    "people",
    "city",
    "country",
    "state",
    "plan",
    "new",
];

/// One headline of the corpus: mostly English templates, one in twenty Arabic, one in twenty CJK,
/// one in ten quoting someone with curly quotes.
pub fn headline(rng: &mut Rng) -> String {
    match rng.below(20) {
        0 => format!("{} {}", rng.pick(ARABIC), rng.below(100)),
        1 => format!("{} {}", rng.pick(CJK), rng.below(100)),
        2 | 3 => format!("{} {} {} {}", rng.pick(PLACES), rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(QUOTES)),
        _ => format!(
            "{} {} {} {}{}",
            rng.pick(PLACES),
            rng.pick(SUBJECTS),
            rng.pick(VERBS),
            rng.pick(OBJECTS),
            rng.pick(TAILS)
        ),
    }
}

/// `n` headlines.
pub fn headlines(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| headline(&mut rng)).collect()
}

/// A paragraph of `words` words, capitalised and ended with a full stop.
pub fn paragraph(rng: &mut Rng, words: usize) -> String {
    let mut text = String::with_capacity(words * 7);
    for i in 0..words {
        let word = rng.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            text.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            text.push_str(chars.as_str());
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text.push('.');
    text
}

/// A body of about `words` words in paragraphs of 40 to 120 words.
pub fn body(rng: &mut Rng, words: usize) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut left = words;
    while left > 0 {
        let size = (40 + rng.below(81)).min(left);
        paragraphs.push(paragraph(rng, size));
        left -= size;
    }
    paragraphs
}

/// `n` articles with bodies of 300 to 1,200 words and one captioned photo each.
pub fn articles(n: usize, seed: u64) -> Collection {
    let mut rng = Rng::new(seed);
    let articles: Vec<Article> = (0..n)
        .map(|i| {
            let title = headline(&mut rng);
            let words = 300 + rng.below(901);
            let body = body(&mut rng, words);
            let caption =
                Caption { text: format!("{} on {}.", rng.pick(PLACES), 1 + i % 28), credit: Some("AP".into()) };
            Article::new(title, vec![caption], body)
        })
        .collect();
    Collection::from(articles)
}

/// `n` headline-only articles (no captions, no body). Templates repeat headlines, so each gets
/// an id of its own (`h1`, `h2`, …): as different reports with the same headline would have.
pub fn headline_collection(n: usize, seed: u64) -> Collection {
    let articles: Vec<Article> = headlines(n, seed)
        .into_iter()
        .enumerate()
        .map(|(i, title)| Article { id: format!("h{}", i + 1), ..Article::new(title, Vec::new(), Vec::new()) })
        .collect();
    Collection::from(articles)
}

/// `text` with `&`, `<` and `>` escaped for XML.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// An RSS 2.0 feed of `n` entries shaped like a news site's: title, link, guid, date, a
/// one-paragraph description, the full article as HTML in `content:encoded` (paragraphs of
/// 40–120 words with links and emphasis, a list, a figure with a credited caption; 300 to 900
/// words in all) and a Media RSS picture with its caption and credit.
pub fn rss_feed(n: usize, seed: u64, title: &str) -> String {
    let mut rng = Rng::new(seed);
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n<title>{}</title>\n<link>https://news.example/</link>\n<description>News</description>\n",
        xml_escape(title)
    );
    for i in 0..n {
        let headline = headline(&mut rng);
        let words = 300 + rng.below(601);
        let paragraphs = body(&mut rng, words);
        let mut html = String::new();
        for (p, text) in paragraphs.iter().enumerate() {
            // A link and some emphasis in every other paragraph.
            let text = match text.split_once(' ') {
                Some((first, rest)) if p % 2 == 0 => {
                    format!("<a href=\"/{}/{p}\">{first}</a> <em>{rest}</em>", 1 + rng.below(9999))
                }
                _ => text.clone(),
            };
            html.push_str(&format!("<p>{text}</p>\n"));
            if p == 1 {
                let place = rng.pick(PLACES);
                html.push_str(&format!(
                    "<figure><img src=\"/img/{i}.jpg\" alt=\"\"><figcaption>A street in {place} on Monday. <span class=\"credit\">Photo: {} {}/Reuters</span></figcaption></figure>\n",
                    rng.pick(PLACES), rng.pick(SUBJECTS)
                ));
            }
            if p == 2 {
                html.push_str("<ul><li>What happened</li><li>What comes next</li></ul>\n");
            }
        }
        let day = 1 + i % 28;
        feed.push_str(&format!(
            "<item>\n<title>{title}</title>\n<link>https://news.example/{i}</link>\n<guid isPermaLink=\"false\">story-{seed}-{i}</guid>\n<pubDate>Mon, {day:02} Nov 2026 {:02}:{:02}:00 +0100</pubDate>\n<description>{description}</description>\n<content:encoded><![CDATA[{html}]]></content:encoded>\n<media:content url=\"https://news.example/img/{i}.jpg\" medium=\"image\"><media:description>{caption}</media:description><media:credit>AP</media:credit></media:content>\n</item>\n",
            i % 24,
            i % 60,
            title = xml_escape(&headline),
            description = xml_escape(&paragraphs[0]),
            caption = xml_escape(&format!("{} on {}.", rng.pick(PLACES), day)),
        ));
    }
    feed.push_str("</channel>\n</rss>\n");
    feed
}
