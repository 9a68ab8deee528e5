//! The state machine: everything the screen shows is derived from [`App`], and [`App::update`] is
//! the only way it changes. Selection and scroll are clamped here, never while rendering.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use ratatui::layout::Rect;

use crate::article::Article;
use crate::collection::Collection;
use crate::layout::{self, Panes};
use crate::page::Page;
use crate::search::engine::never;
use crate::search::index::Index;
use crate::search::worker::Ranking;
use crate::search::{Engine, Hit, Hits, Query, Searcher};

/// Browsing the list or the reader, or typing a search query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Search,
}

/// Which pane keys go to while browsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

/// Where a key press lands: what the key table is keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    List,
    Reader,
    Search,
    Help,
    /// A yes/no question in the status line.
    Confirm,
    /// The feed picker (`F`).
    Picker,
}

/// A movement of the selection or of the scroll position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Move the selection in the headline list (also `n`/`p` in the reader).
    Select(Step),
    /// Scroll the body.
    Scroll(Step),
    FocusReader,
    FocusList,
    StartSearch,
    Insert(char),
    DeleteChar,
    DeleteWord,
    ClearQuery,
    /// Keep the filter and go to the list.
    AcceptSearch,
    /// Clear the filter and restore the selection from before the search.
    CancelSearch,
    /// Clear an accepted filter, keeping the selection.
    ClearFilter,
    ToggleHelp,
    Resize(u16, u16),
    /// A ranking from the background search.
    Ranked(Ranking),
    /// Open the selected article's URL in the user's browser.
    OpenUrl,
    /// Open link `n` (from 1) of the selected article's Links list; `OpenLink(0)` is the key
    /// table's stand-in for "the digit pressed" (see `keys::action`).
    OpenLink(usize),
    /// Copy the selected article's URL to the clipboard (OSC 52).
    CopyUrl,
    /// Show a message in the status line.
    Notify(String),
    /// Toggle the selected article's read mark (a library only).
    ToggleRead,
    /// Toggle the selected article's star (a library only).
    ToggleStar,
    /// Show only unread articles, or all again.
    ShowUnread,
    /// Show only starred articles, or all again.
    ShowStarred,
    /// Fetch every feed of the library in the background.
    Refresh,
    /// How the background fetch is going.
    RefreshProgress {
        done: usize,
        total: usize,
        new: usize,
        failed: usize,
        /// Full text: article pages read, of how many (after the feeds).
        pages: (usize, usize),
    },
    /// The background fetch is done: the library as it is now.
    Reloaded(Reload),
    /// Show or hide the last fetch's failures.
    ToggleErrors,
    /// Ask to mark every unread article in view read.
    MarkAllRead,
    /// The answer to the question in the status line.
    Confirm(bool),
    /// Open the feed picker.
    OpenPicker,
    /// Narrow the list to the picker's chosen feed (or all feeds).
    AcceptPick,
    /// Close the picker, changing nothing.
    CancelPick,
    /// Fetch the selected article's page and show its full text.
    FetchFullText,
    /// Time passed with no event: the spinner turns while a page or a fetch loads.
    Tick,
    /// The full text of article `index` (a collection index), or why there is none.
    FullText {
        index: usize,
        result: Result<Article, String>,
    },
}

/// The feed picker's state: what was typed and which choice is selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    pub query: String,
    pub selected: usize,
}

/// One choice of the feed picker: all feeds, a tag's feeds or one feed, and its unread count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub narrow: Narrow,
    pub unread: usize,
}

/// What the list is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Narrow {
    All,
    /// The feeds with this tag.
    Tag(String),
    Feed(String),
}

impl Narrow {
    /// How the picker and the status line name it.
    pub fn label(&self) -> String {
        match self {
            Narrow::All => "All feeds".into(),
            Narrow::Tag(tag) => format!("#{tag}"),
            Narrow::Feed(feed) => feed.clone(),
        }
    }
}

/// The library after a background fetch, ready to be shown: its collection, marks and search
/// index (built off the screen's thread), and how the fetch went.
#[derive(Clone)]
pub struct Reload {
    pub collection: Arc<Collection>,
    pub marks: Marks,
    pub index: Arc<Index>,
    pub everything: Hits,
    pub new: usize,
    pub total: usize,
    pub failures: Vec<String>,
}

impl std::fmt::Debug for Reload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reload").field("articles", &self.collection.len()).field("new", &self.new).finish()
    }
}

/// Two reloads are the same when they carry the same collection.
impl PartialEq for Reload {
    fn eq(&self, other: &Reload) -> bool {
        Arc::ptr_eq(&self.collection, &other.collection) && self.new == other.new && self.failures == other.failures
    }
}

impl Eq for Reload {}

/// Work that [`App::update`] asks its caller to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Rank `query` in the background and send back [`Action::Ranked`] with this generation.
    Search { generation: u64, query: String },
    /// Open this http(s) URL in the user's browser.
    Open(String),
    /// Put this text on the clipboard.
    Copy(String),
    /// Store these marks in the library (the screen shows them already).
    Mark { ids: Vec<i64>, mark: crate::library::Mark },
    /// Fetch the library's feeds in the background and send back progress and a reload.
    Refresh,
    /// Fetch this article page and send back [`Action::FullText`] for article `index`.
    FetchPage { index: usize, url: String },
    /// Keep this full text with the library's article `id`, for reading offline.
    StoreFullText { id: i64, article: Article },
}

/// Read and starred marks of a collection that comes from the library, indexed like it.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Each article's row in the library.
    pub ids: Vec<i64>,
    /// Each article's feed, as the list shows it.
    pub feeds: Vec<Arc<str>>,
    pub read: Vec<bool>,
    pub starred: Vec<bool>,
    /// The library's tags, each with the feeds (as in `feeds`) that carry it.
    pub tags: Vec<(String, Vec<String>)>,
}

/// Which articles of a library the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    All,
    Unread,
    Starred,
}

/// Where rankings come from.
#[derive(Debug)]
enum Ranker {
    /// Ranked inside `update`: simple and deterministic, for tests and small collections.
    Inline(Engine),
    /// Ranked by a worker thread; the app shows a first screen of matches meanwhile. The empty
    /// query's result is shared with the engine (16 MB for a million headlines).
    Background { index: Arc<Index>, everything: Hits },
}

/// At most this many headlines are looked at for the first screen of matches shown while a
/// background ranking runs, so a key press never waits on a scan of a huge collection.
const FIRST_SCREEN_SCAN: usize = 100_000;

/// The application state.
#[derive(Debug)]
pub struct App {
    collection: Arc<Collection>,
    ranker: Ranker,
    /// The articles on screen, in display order.
    hits: Hits,
    /// Query whose ranking `hits` is (or, while `pending`, the last ranking shown).
    ranked_query: String,
    /// A background ranking for the current query is still to come.
    pending: bool,
    /// Bumped on every query change; a ranking for an older generation is stale.
    generation: u64,
    /// The article to keep selected when the pending ranking arrives (fzf's `--track`).
    track: Option<usize>,
    /// Index into `hits`; meaningless when `hits` is empty.
    selected: usize,
    /// First visible row of the headline list.
    list_offset: usize,
    query: String,
    mode: Mode,
    focus: Focus,
    help: bool,
    overlay_offset: usize,
    /// First visible line of the body page.
    scroll: usize,
    /// The selected article (its collection index), read whole: a mapped collection parses it
    /// from its file only when it is selected.
    reading: Option<(usize, Article)>,
    /// The selected article wrapped to the body width.
    page: Option<Page>,
    size: Rect,
    /// Put right-to-left text in display order (`--bidi on`, the default).
    bidi: bool,
    /// The article selected when the search began, restored on cancel.
    before_search: Option<usize>,
    /// A message for the status line (what a key did, what failed to load).
    status: Option<String>,
    /// The marks of a library's articles; `None` for files and feeds.
    marks: Option<Marks>,
    view: View,
    /// A background fetch is running.
    refreshing: bool,
    /// The last fetch's failures (`E` shows them).
    errors: Vec<String>,
    errors_open: bool,
    /// Articles (collection indices) waiting for a yes to be marked read.
    confirm: Option<Vec<usize>>,
    picker: Option<Picker>,
    /// The feed or tag the picker narrowed the list to.
    narrow: Narrow,
    /// Full texts fetched with `f`, by collection index, shown in place of the feed's text.
    full_texts: std::collections::HashMap<usize, Article>,
    /// The article whose page is being fetched.
    fetching_page: Option<usize>,
    /// The spinner's frame (turned by [`Action::Tick`] while [`App::is_loading`]).
    spinner: usize,
    running: bool,
}

impl App {
    /// An app over a collection, sized for a terminal of `width` x `height`, that ranks inside
    /// `update`.
    pub fn new(collection: Collection, width: u16, height: u16) -> App {
        let collection = Arc::new(collection);
        let engine = Engine::new(Arc::clone(&collection));
        App::with_ranker(collection, Ranker::Inline(engine), width, height)
    }

    /// An app whose rankings come from a background worker: returns the engine to give it.
    pub fn with_background_search(collection: Collection, width: u16, height: u16) -> (App, Engine) {
        let collection = Arc::new(collection);
        let engine = Engine::new(Arc::clone(&collection));
        let ranker = Ranker::Background { index: Arc::clone(engine.index()), everything: engine.everything() };
        (App::with_ranker(collection, ranker, width, height), engine)
    }

    fn with_ranker(collection: Arc<Collection>, ranker: Ranker, width: u16, height: u16) -> App {
        let hits = match &ranker {
            Ranker::Inline(engine) => engine.everything(),
            Ranker::Background { everything, .. } => Arc::clone(everything),
        };
        let mut app = App {
            collection,
            ranker,
            hits,
            ranked_query: String::new(),
            pending: false,
            generation: 0,
            track: None,
            selected: 0,
            list_offset: 0,
            query: String::new(),
            mode: Mode::Browse,
            focus: Focus::List,
            help: false,
            overlay_offset: 0,
            scroll: 0,
            reading: None,
            page: None,
            size: Rect::new(0, 0, width, height),
            bidi: true,
            before_search: None,
            status: None,
            marks: None,
            view: View::All,
            refreshing: false,
            errors: Vec::new(),
            errors_open: false,
            confirm: None,
            picker: None,
            narrow: Narrow::All,
            full_texts: std::collections::HashMap::new(),
            fetching_page: None,
            spinner: 0,
            running: true,
        };
        app.refresh();
        app
    }

    /// Whether right-to-left text is put in display order (on by default); set once, at start.
    /// The collection is the library's: these are its marks (indexed like the collection).
    pub fn with_marks(mut self, marks: Marks) -> App {
        self.marks = Some(marks);
        self
    }

    pub fn with_bidi(mut self, bidi: bool) -> App {
        self.bidi = bidi;
        self.page = None;
        self.refresh();
        self
    }

    pub fn bidi(&self) -> bool {
        self.bidi
    }

    /// Applies an action. The returned effect, if any, is work for the caller (the event loop).
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        let mut effect = None;
        match action {
            Action::Quit => self.running = false,
            Action::Select(step) if self.picker.is_some() => {
                let last = self.choices().len().saturating_sub(1);
                if let Some(picker) = &mut self.picker {
                    picker.selected = step_to(step, picker.selected, last, 10);
                }
            }
            Action::Select(step) => {
                let height = self.list_height();
                self.selected = step_to(step, self.selected, self.hits.len().saturating_sub(1), height);
                // Moving by hand while a ranking runs: keep what the user chose.
                if self.is_ranking() {
                    self.track = self.selected_index();
                }
            }
            Action::Scroll(step) if self.help || self.errors_open => {
                let (max, page) = self.overlay_scroll();
                self.overlay_offset = step_to(step, self.overlay_offset, max, page);
            }
            Action::Scroll(step) => {
                let height = self.body_height();
                self.scroll = step_to(step, self.scroll, self.max_scroll(), height);
            }
            Action::FocusReader => {
                if self.selected_article().is_some() {
                    self.focus = Focus::Reader;
                    // Opening an article reads it.
                    effect = self.set_mark(crate::library::Mark::Read);
                }
            }
            Action::FocusList => self.focus = Focus::List,
            Action::StartSearch => {
                self.mode = Mode::Search;
                self.focus = Focus::List;
                self.help = false;
                self.before_search = self.selected_index();
            }
            // A pasted control character or escape would reach the screen through the search line.
            Action::Insert(c) if crate::sanitize::is_unsafe(c) => {}
            Action::Insert(c) if self.picker.is_some() => {
                if let Some(picker) = &mut self.picker {
                    picker.query.push(c);
                    picker.selected = 0;
                }
            }
            Action::DeleteChar if self.picker.is_some() => {
                if let Some(picker) = &mut self.picker {
                    picker.query.pop();
                    picker.selected = 0;
                }
            }
            Action::Insert(c) => {
                self.query.push(c);
                effect = self.filter();
            }
            Action::DeleteChar => {
                self.query.pop();
                effect = self.filter();
            }
            Action::DeleteWord => {
                let kept = self.query.trim_end().rfind(char::is_whitespace).map_or(0, |at| at + 1);
                self.query.truncate(kept);
                effect = self.filter();
            }
            Action::ClearQuery => {
                self.query.clear();
                effect = self.filter();
            }
            Action::AcceptSearch => {
                self.mode = Mode::Browse;
                self.focus = Focus::List;
            }
            Action::CancelSearch => {
                self.mode = Mode::Browse;
                self.query.clear();
                // The empty query needs no ranking: every article, in collection order.
                self.track = self.before_search.or(self.selected_index());
                effect = self.filter();
            }
            Action::ClearFilter => {
                if !self.query.is_empty() {
                    self.query.clear();
                    effect = self.filter();
                }
            }
            // `?`, Esc or q close whichever overlay is open.
            Action::ToggleHelp if self.errors_open => self.errors_open = false,
            Action::ToggleHelp => {
                self.help = !self.help;
                self.overlay_offset = 0;
            }
            Action::ToggleErrors => {
                if self.errors.is_empty() {
                    self.status = Some("no fetch errors".into());
                } else {
                    self.errors_open = !self.errors_open;
                    self.overlay_offset = 0;
                }
            }
            Action::Refresh => {
                if self.marks.is_none() {
                    self.status = Some("R fetches the library's feeds (broadsheet add URL)".into());
                } else if self.refreshing {
                    self.status = Some("a fetch is running already".into());
                } else {
                    self.refreshing = true;
                    self.status = Some("fetching…".into());
                    effect = Some(Effect::Refresh);
                }
            }
            Action::RefreshProgress { done, total, new, failed, pages: (read, of) } => {
                let failed = if failed > 0 { format!(", {failed} failed") } else { String::new() };
                self.status = Some(if of > 0 {
                    format!("fetched {}: {new} new{failed}; full text {read}/{of}…", feeds(total))
                } else {
                    format!("fetching {done}/{}: {new} new{failed}…", feeds(total))
                });
            }
            Action::Reloaded(reload) => effect = self.reload(reload),
            Action::MarkAllRead => {
                let Some(marks) = &self.marks else {
                    self.status = Some("marks are for the library's articles (broadsheet add URL)".into());
                    return None;
                };
                let unread: Vec<usize> = self.hits.iter().map(|h| h.index).filter(|&i| !marks.read[i]).collect();
                if unread.is_empty() {
                    self.status = Some("nothing unread here".into());
                } else {
                    self.status = Some(format!("Mark {} article(s) read? y / n", unread.len()));
                    self.confirm = Some(unread);
                }
            }
            Action::Confirm(yes) => {
                let unread = self.confirm.take().unwrap_or_default();
                match &mut self.marks {
                    Some(marks) if yes => {
                        unread.iter().for_each(|&i| marks.read[i] = true);
                        let ids = unread.iter().map(|&i| marks.ids[i]).collect();
                        self.status = Some(format!("{} article(s) marked read", unread.len()));
                        effect = Some(Effect::Mark { ids, mark: crate::library::Mark::Read });
                    }
                    _ => self.status = None,
                }
            }
            Action::Tick => {
                if self.is_loading() {
                    self.spinner = self.spinner.wrapping_add(1);
                }
            }
            Action::FetchFullText => {
                let index = self.selected_index()?;
                let url = self.selected_article().and_then(|a| a.url.clone());
                match url {
                    _ if self.fetching_page.is_some() => self.status = Some("a page is being fetched already".into()),
                    Some(url) if is_web_url(&url) => {
                        self.fetching_page = Some(index);
                        self.status = Some(format!("fetching the full article… {url}"));
                        effect = Some(Effect::FetchPage { index, url });
                    }
                    _ => self.status = Some("this article has no web page to fetch".into()),
                }
            }
            // A page asked for before the library was read again: its index means another article.
            Action::FullText { index, .. } if self.fetching_page != Some(index) => {}
            Action::FullText { index, result } => {
                self.fetching_page = None;
                match result {
                    Ok(page) => {
                        let feed = self.collection.article(index).into_owned();
                        // The feed's headline, id and metadata; the page's text and captions.
                        let full = Article {
                            body: page.body,
                            captions: if page.captions.is_empty() { feed.captions.clone() } else { page.captions },
                            published: feed.published.clone().or(page.published),
                            ..feed
                        };
                        self.status = Some("the full article".into());
                        if let Some(marks) = &self.marks {
                            effect = Some(Effect::StoreFullText { id: marks.ids[index], article: full.clone() });
                        }
                        self.full_texts.insert(index, full);
                        if self.reading.as_ref().is_some_and(|(i, _)| *i == index) {
                            self.reading = None;
                            self.page = None;
                        }
                    }
                    // The feed's text stays.
                    Err(why) => self.status = Some(format!("no full text: {why}")),
                }
            }
            Action::OpenPicker => {
                if self.marks.is_none() {
                    self.status = Some("F picks one of the library's feeds (broadsheet add URL)".into());
                } else {
                    self.picker = Some(Picker::default());
                }
            }
            Action::CancelPick => self.picker = None,
            Action::AcceptPick => {
                let chosen = self.picker.as_ref().and_then(|p| self.choices().into_iter().nth(p.selected));
                self.picker = None;
                if let Some(choice) = chosen {
                    self.narrow = choice.narrow;
                    self.status = Some(match &self.narrow {
                        Narrow::All => "all feeds".into(),
                        other => format!("{} only (F: all feeds)", other.label()),
                    });
                    self.track = self.selected_index();
                    effect = self.filter();
                }
            }
            Action::Resize(width, height) => {
                self.size = Rect::new(0, 0, width, height);
                if self.help || self.errors_open {
                    self.overlay_offset = self.overlay_offset.min(self.overlay_scroll().0);
                }
            }
            Action::Ranked(ranking) => {
                if ranking.generation == self.generation {
                    self.show_ranking(ranking.query, ranking.hits);
                }
            }
            Action::OpenUrl => {
                let url = self.selected_article().and_then(|a| a.url.clone());
                effect = self.open(url, "this article has no link");
            }
            Action::OpenLink(n) => {
                let url = self
                    .selected_article()
                    .and_then(|a| n.checked_sub(1).and_then(|i| a.links().get(i).map(|l| l.to_string())));
                effect = self.open(url, &format!("no link [{n}] in this article"));
            }
            Action::CopyUrl => match self.selected_article().and_then(|a| a.url.clone()) {
                Some(url) => {
                    self.status = Some(format!("copied {url}"));
                    effect = Some(Effect::Copy(url));
                }
                None => self.status = Some("this article has no link to copy".into()),
            },
            Action::Notify(message) => self.status = Some(crate::sanitize::sanitize(&message)),
            Action::ToggleRead | Action::ToggleStar => {
                use crate::library::Mark;
                let i = self.selected_index()?;
                let Some(marks) = &self.marks else {
                    self.status = Some("marks are for the library's articles (broadsheet add URL)".into());
                    return None;
                };
                let mark = match action {
                    Action::ToggleRead if marks.read[i] => Mark::Unread,
                    Action::ToggleRead => Mark::Read,
                    _ if marks.starred[i] => Mark::Unstar,
                    _ => Mark::Star,
                };
                effect = self.set_mark(mark);
            }
            Action::ShowUnread | Action::ShowStarred => {
                if self.marks.is_none() {
                    self.status = Some("unread and starred are for the library's articles (broadsheet add URL)".into());
                    return None;
                }
                let wanted = if action == Action::ShowUnread { View::Unread } else { View::Starred };
                self.view = if self.view == wanted { View::All } else { wanted };
                self.status = Some(
                    match self.view {
                        View::All => "all articles",
                        View::Unread => "unread articles only (u: all)",
                        View::Starred => "starred articles only (*: all)",
                    }
                    .into(),
                );
                self.track = self.selected_index();
                effect = self.filter();
            }
        }
        self.refresh();
        effect
    }

    /// Shows the library as a fetch left it: new articles join the list; the selected article
    /// stays selected, the query and the view stay as they are, and marks made meanwhile win.
    fn reload(&mut self, reload: Reload) -> Option<Effect> {
        let Reload { collection, mut marks, index, everything, new, total, failures } = reload;
        let selected_id = self.selected_index().and_then(|i| self.marks.as_ref().map(|m| m.ids[i]));
        if let Some(old) = &self.marks {
            let by_id: std::collections::HashMap<i64, usize> =
                old.ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
            for (i, id) in marks.ids.iter().enumerate() {
                if let Some(&j) = by_id.get(id) {
                    marks.read[i] = old.read[j];
                    marks.starred[i] = old.starred[j];
                }
            }
        }
        self.track = selected_id.and_then(|id| marks.ids.iter().position(|&m| m == id));
        self.ranker = match &self.ranker {
            Ranker::Inline(_) => Ranker::Inline(Engine::new(Arc::clone(&collection))),
            Ranker::Background { .. } => Ranker::Background { index, everything },
        };
        self.collection = collection;
        self.marks = Some(marks);
        // Collection indices change; stored full texts come back from the library itself.
        self.full_texts.clear();
        self.fetching_page = None;
        self.reading = None;
        self.page = None;
        self.refreshing = false;
        let failed =
            if failures.is_empty() { String::new() } else { format!(", {} failed (E lists them)", failures.len()) };
        self.status = Some(format!("fetched {}: {new} new{failed}", feeds(total)));
        self.errors = failures;
        self.filter()
    }

    /// The hits the view shows (all, unread or starred; every feed or the one picked).
    fn in_view(&self, hits: Hits) -> Hits {
        let Some(marks) = &self.marks else { return hits };
        if self.view == View::All && self.narrow == Narrow::All {
            return hits;
        }
        let tagged: Vec<&str> = match &self.narrow {
            Narrow::Tag(tag) => marks
                .tags
                .iter()
                .filter(|(t, _)| t == tag)
                .flat_map(|(_, feeds)| feeds.iter().map(String::as_str))
                .collect(),
            _ => Vec::new(),
        };
        let shown = |i: usize| {
            let marked = match self.view {
                View::All => true,
                View::Unread => !marks.read[i],
                View::Starred => marks.starred[i],
            };
            marked
                && match &self.narrow {
                    Narrow::All => true,
                    Narrow::Tag(_) => tagged.contains(&&*marks.feeds[i]),
                    Narrow::Feed(feed) => *marks.feeds[i] == **feed,
                }
        };
        Arc::new(hits.iter().filter(|h| shown(h.index)).copied().collect())
    }

    /// The feed picker's choices for what was typed: "All feeds" first, then the tags and the
    /// feeds (best fuzzy match first, else tags then feeds by name), each with its unread count.
    pub fn choices(&self) -> Vec<Choice> {
        let Some(marks) = &self.marks else { return Vec::new() };
        let mut unread: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for (i, feed) in marks.feeds.iter().enumerate() {
            *unread.entry(feed).or_default() += usize::from(!marks.read[i]);
        }
        let tags = marks.tags.iter().map(|(tag, feeds)| {
            let count = feeds.iter().map(|f| unread.get(f.as_str()).copied().unwrap_or(0)).sum();
            Choice { narrow: Narrow::Tag(tag.clone()), unread: count }
        });
        let feeds =
            unread.iter().map(|(feed, &count)| Choice { narrow: Narrow::Feed(feed.to_string()), unread: count });
        let query = self.picker.as_ref().map_or("", |p| p.query.as_str());
        let matcher = fuzzy_matcher::skim::SkimMatcherV2::default().smart_case();
        let mut scored: Vec<(i64, Choice)> = tags
            .chain(feeds)
            .filter_map(|choice| {
                let score = if query.is_empty() {
                    0
                } else {
                    fuzzy_matcher::FuzzyMatcher::fuzzy_match(&matcher, &choice.narrow.label(), query)?
                };
                Some((score, choice))
            })
            .collect();
        // Stable: equal scores keep tags before feeds, each by name.
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        let all = Choice { narrow: Narrow::All, unread: marks.read.iter().filter(|r| !**r).count() };
        std::iter::once(all).filter(|_| query.is_empty()).chain(scored.into_iter().map(|(_, c)| c)).collect()
    }

    /// What the list is narrowed to (the feed picker's choice).
    pub fn narrow(&self) -> &Narrow {
        &self.narrow
    }

    /// The feed picker, while it is open.
    pub fn picker(&self) -> Option<&Picker> {
        self.picker.as_ref()
    }

    /// Sets a mark on the selected article at once (the screen shows it in this frame) and asks
    /// for it to be stored. Nothing for a collection that is not the library's.
    fn set_mark(&mut self, mark: crate::library::Mark) -> Option<Effect> {
        use crate::library::Mark;
        let i = self.selected_index()?;
        let marks = self.marks.as_mut()?;
        let (flag, value) = match mark {
            Mark::Read => (&mut marks.read[i], true),
            Mark::Unread => (&mut marks.read[i], false),
            Mark::Star => (&mut marks.starred[i], true),
            Mark::Unstar => (&mut marks.starred[i], false),
        };
        if *flag == value {
            return None;
        }
        *flag = value;
        Some(Effect::Mark { ids: vec![marks.ids[i]], mark })
    }

    /// Asks for `url` to be opened in the browser, if it is a web link; says why not otherwise.
    fn open(&mut self, url: Option<String>, missing: &str) -> Option<Effect> {
        let Some(url) = url else {
            self.status = Some(missing.to_string());
            return None;
        };
        if !is_web_url(&url) {
            self.status = Some(format!("not opened: only http and https links open in the browser ({url})"));
            return None;
        }
        self.status = Some(format!("opening {url}"));
        Some(Effect::Open(url))
    }

    /// The query changed: rank it now (inline), or ask for a ranking and show a first screen of
    /// matches meanwhile (background).
    fn filter(&mut self) -> Option<Effect> {
        self.generation += 1;
        // Track the article selected before this run of key presses (or the one set by the caller).
        if self.track.is_none() {
            self.track = self.selected_index();
        }
        let query = self.query.clone();
        match &mut self.ranker {
            Ranker::Inline(engine) => {
                let hits = engine.rank(&query, &never, &AtomicUsize::new(0)).expect("never cancelled");
                self.show_ranking(query, hits);
                None
            }
            Ranker::Background { everything, .. } if query.split_whitespace().next().is_none() => {
                // Everything, in collection order: no need to wait for the worker.
                let everything = Arc::clone(everything);
                self.show_ranking(query, everything);
                None
            }
            Ranker::Background { index, .. } => {
                let index = Arc::clone(index);
                self.show_first_screen(&index);
                self.pending = true;
                Some(Effect::Search { generation: self.generation, query })
            }
        }
    }

    /// Shows a ranking, keeping the tracked article selected while it still matches, else
    /// selecting the best match.
    fn show_ranking(&mut self, query: String, hits: Hits) {
        self.hits = self.in_view(hits);
        self.ranked_query = query;
        self.pending = false;
        let tracked = self.track.take();
        self.selected = tracked.and_then(|index| self.position_of(index)).unwrap_or(0);
    }

    /// While the background ranking runs: the first screen of matches, in collection order (or in
    /// the previous ranking's order when the query only grew), found with the cheap prefilter and
    /// confirmed with skim. At most [`FIRST_SCREEN_SCAN`] headlines are looked at.
    fn show_first_screen(&mut self, index: &Index) {
        let rows = self.list_height().max(1);
        let query = Query::new(&self.query);
        let narrowing = !self.ranked_query.trim().is_empty() && self.query.starts_with(&self.ranked_query);
        let candidates: Box<dyn Iterator<Item = usize>> = if narrowing {
            Box::new(self.hits.iter().map(|hit| hit.index))
        } else {
            Box::new(0..self.collection.len())
        };
        let first: Vec<Hit> = candidates
            .take(FIRST_SCREEN_SCAN)
            .filter_map(|i| query.hit(index, i, || self.collection.title(i)))
            .take(rows)
            .collect();
        self.hits = self.in_view(Arc::new(first));
        let tracked = self.track;
        self.selected = tracked.and_then(|index| self.position_of(index)).unwrap_or(0);
    }

    /// Restores the invariants after any change: selection in range, the selected row visible,
    /// the page wrapped for the selected article at the current width, scroll in range.
    fn refresh(&mut self) {
        self.selected = self.selected.min(self.hits.len().saturating_sub(1));
        let height = self.list_height().max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + height {
            self.list_offset = self.selected + 1 - height;
        }
        self.list_offset = self.list_offset.min(self.hits.len().saturating_sub(height));

        let width = self.panes().body.map_or(0, |body| usize::from(layout::body_text(body).width));
        let selected = self.selected_index();
        if self.reading.as_ref().map(|(index, _)| *index) != selected {
            self.reading = selected.map(|index| {
                let article = match self.full_texts.get(&index) {
                    Some(full) => full.clone(),
                    None => self.collection.article(index).into_owned(),
                };
                (index, article)
            });
        }
        let article = self.reading.as_ref().map(|(_, article)| article);
        let stale = match (&self.page, article) {
            (Some(page), Some(article)) => page.article_id != article.id || page.width != width.max(1),
            (None, None) => false,
            _ => true,
        };
        if stale {
            // Same article at a new width: keep the paragraph at the top of the view, since the
            // line number means another place once the text is rewrapped.
            let anchor = match (&self.page, article) {
                (Some(page), Some(a)) if page.article_id == a.id && self.scroll > 0 => Some(page.block_at(self.scroll)),
                _ => None,
            };
            self.page = article.map(|article| Page::new(article, width, self.bidi));
            self.scroll = match (anchor, &self.page) {
                (Some(block), Some(page)) => page.first_line_of(block),
                _ => 0,
            };
        }
        if self.selected_article().is_none() {
            self.focus = Focus::List;
        }
        self.scroll = self.scroll.min(self.max_scroll());
    }

    fn position_of(&self, index: usize) -> Option<usize> {
        self.hits.iter().position(|hit| hit.index == index)
    }

    /// The panes for the current terminal size and state.
    pub fn panes(&self) -> Panes {
        self.panes_in(self.size)
    }

    /// The panes laid out in `area` (the renderer's area; the same size as the terminal).
    pub fn panes_in(&self, area: Rect) -> Panes {
        layout::panes(area, self.show_search_bar(), self.focus == Focus::Reader)
    }

    fn list_height(&self) -> usize {
        self.panes().list.map_or(0, |list| usize::from(layout::inner(list).height))
    }

    fn body_height(&self) -> usize {
        self.panes().body.map_or(0, |body| usize::from(layout::body_text(body).height))
    }

    /// The open overlay's scrolling (the failures over the help, as they are drawn): its last
    /// first line, and the lines it shows at once.
    fn overlay_scroll(&self) -> (usize, usize) {
        let (lines, popup) = if self.errors_open {
            let lines = layout::failure_lines(&self.errors, self.size).len();
            (lines, layout::failures_popup(self.size, lines))
        } else {
            let help = crate::keys::help(self.size.width);
            (help.rows.len(), layout::help_popup(self.size, help.width, help.rows.len()))
        };
        let shown = usize::from(popup.height.saturating_sub(2));
        (lines.saturating_sub(shown), shown)
    }

    fn max_scroll(&self) -> usize {
        let lines = self.page.as_ref().map_or(0, |page| page.lines.len());
        lines.saturating_sub(self.body_height())
    }

    // Read access for the renderer and for tests.

    /// The library's marks, when the collection is the library's.
    pub fn marks(&self) -> Option<&Marks> {
        self.marks.as_ref()
    }

    pub fn view(&self) -> View {
        self.view
    }

    /// The status line's message, if there is one.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Is a page or a fetch loading in the background (the footer shows a spinner)?
    pub fn is_loading(&self) -> bool {
        self.fetching_page.is_some() || self.refreshing
    }

    /// The spinner's glyph while [`App::is_loading`].
    pub fn spinner(&self) -> Option<char> {
        const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
        self.is_loading().then(|| FRAMES[self.spinner % FRAMES.len()])
    }

    pub fn is_running(&self) -> bool {
        self.running
    }
    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn focus(&self) -> Focus {
        self.focus
    }
    /// The last fetch's failures, when `E` shows them.
    pub fn errors(&self) -> Option<&[String]> {
        self.errors_open.then_some(self.errors.as_slice())
    }

    pub fn help_open(&self) -> bool {
        self.help
    }

    /// The open overlay's first line shown (help or failures: they scroll when taller than the
    /// screen).
    pub fn overlay_offset(&self) -> usize {
        self.overlay_offset
    }
    pub fn query(&self) -> &str {
        &self.query
    }
    pub fn collection(&self) -> &Collection {
        &self.collection
    }
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }
    pub fn searcher(&self) -> Searcher {
        Searcher
    }
    /// True while a background ranking for the current query is still to come; the list then
    /// shows a first screen of matches.
    pub fn is_ranking(&self) -> bool {
        self.pending
    }
    /// Position of the selection in the visible list.
    pub fn selected(&self) -> usize {
        self.selected
    }
    pub fn list_offset(&self) -> usize {
        self.list_offset
    }
    pub fn scroll(&self) -> usize {
        self.scroll
    }
    pub fn page(&self) -> Option<&Page> {
        self.page.as_ref()
    }
    pub fn size(&self) -> Rect {
        self.size
    }
    /// The search line shows while typing and while a filter is active.
    pub fn show_search_bar(&self) -> bool {
        self.mode == Mode::Search || !self.query.is_empty()
    }
    /// Collection index of the selected article.
    pub fn selected_index(&self) -> Option<usize> {
        self.hits.get(self.selected).map(|hit| hit.index)
    }
    pub fn selected_article(&self) -> Option<&Article> {
        self.reading.as_ref().map(|(_, article)| article)
    }
    /// Where keys go now.
    pub fn context(&self) -> Context {
        if !self.help && !self.errors_open {
            if self.confirm.is_some() {
                return Context::Confirm;
            }
            if self.picker.is_some() {
                return Context::Picker;
            }
        }
        match (self.help || self.errors_open, self.mode, self.focus) {
            (true, _, _) => Context::Help,
            (false, Mode::Search, _) => Context::Search,
            (false, Mode::Browse, Focus::List) => Context::List,
            (false, Mode::Browse, Focus::Reader) => Context::Reader,
        }
    }
}

/// "1 feed", "3 feeds".
fn feeds(count: usize) -> String {
    format!("{count} feed{}", if count == 1 { "" } else { "s" })
}

/// Applies a step to a position in `0..=max`, with pages of `page` rows.
fn step_to(step: Step, position: usize, max: usize, page: usize) -> usize {
    let page = page.max(1);
    let half = page.div_ceil(2);
    let target = match step {
        Step::Up => position.saturating_sub(1),
        Step::Down => position.saturating_add(1),
        Step::PageUp => position.saturating_sub(page),
        Step::PageDown => position.saturating_add(page),
        Step::HalfPageUp => position.saturating_sub(half),
        Step::HalfPageDown => position.saturating_add(half),
        Step::Top => 0,
        Step::Bottom => max,
    };
    target.min(max)
}

/// An `http:` or `https:` URL: the only links Broadsheet hands to a browser (`javascript:`,
/// `data:` and `file:` links are listed, never opened).
pub fn is_web_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}
