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

/// Runs `command` with its output piped, reads the first `n` bytes of it, closes the pipe as a
/// reader that has seen enough does (`| head`), and waits: those bytes and how it ended.
pub fn read_then_close(command: &mut std::process::Command, n: usize) -> (Vec<u8>, std::process::Output) {
    use std::process::Stdio;
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = vec![0u8; n];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    (first, child.wait_with_output().unwrap())
}
