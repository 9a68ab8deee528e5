//! One article wrapped and drawn at any size, bidi on or off, and the help overlay over it: no
//! panic, nothing outside the area.
#![no_main]

use broadsheet::app::{Action, App, Step};
use broadsheet::article::{Article, Caption};
use broadsheet::collection::Collection;
use broadsheet::sanitize::sanitize;
use libfuzzer_sys::fuzz_target;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

fuzz_target!(|input: (u8, u8, bool, &str, &str, &str)| {
    let (width, height, bidi, title, body, caption) = input;
    let title = sanitize(title).replace('\n', " ");
    let title = if title.trim().is_empty() { "x".to_string() } else { title };
    let captions = vec![Caption { text: sanitize(caption), credit: Some("AP".into()) }];
    let paragraphs = sanitize(body).split('\n').map(str::to_string).collect();
    let article = Article::new(title, captions, paragraphs);
    let mut app = App::new(Collection::from(vec![article]), u16::from(width), u16::from(height)).with_bidi(bidi);
    for action in [
        Action::FocusReader,
        Action::Scroll(Step::Bottom),
        Action::Resize(u16::from(height), u16::from(width)),
        // The help overlay, scrolled to its end, then the screen resized under it.
        Action::ToggleHelp,
        Action::Scroll(Step::Bottom),
        Action::Resize(u16::from(width), u16::from(height)),
    ] {
        app.update(action);
        let size = app.size();
        let mut buffer = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        (&app).render(buffer.area, &mut buffer);
    }
});
