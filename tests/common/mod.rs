//! Helpers shared by the integration tests.
#![allow(dead_code)]

use broadsheet::app::{Action, App};
use broadsheet::article::{Article, Caption};
use broadsheet::collection::Collection;

/// The bundled seed collection.
pub fn seed() -> Collection {
    broadsheet::source::bundled()
}

/// `n` articles titled "Headline 1" … with `paragraphs` paragraphs of long text each.
pub fn numbered(n: usize, paragraphs: usize) -> Collection {
    let articles: Vec<Article> = (1..=n)
        .map(|i| {
            let body = (1..=paragraphs)
                .map(|p| format!("Paragraph {p} of article {i}. {}", "Words fill the line here. ".repeat(8)))
                .collect();
            let captions = vec![Caption { text: format!("Photo for article {i}."), credit: Some("AP".into()) }];
            Article::new(format!("Headline {i}"), captions, body)
        })
        .collect();
    Collection::from(articles)
}

/// Opens the search bar and types `query`, one key at a time.
pub fn type_query(app: &mut App, query: &str) {
    app.update(Action::StartSearch);
    for c in query.chars() {
        app.update(Action::Insert(c));
    }
}
