//! Searching in the background, so the UI never waits for a ranking.
//!
//! The UI sends each query with a generation number; the worker ranks the newest one and drops
//! stale work: every chunk of a search first checks that no newer query has arrived.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread;

use super::{Engine, Hits};

/// A finished ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    pub generation: u64,
    pub query: String,
    pub hits: Hits,
}

/// What the search thread is asked to do.
enum Request {
    Rank(u64, String),
    /// Search another collection from now on (the library after a fetch).
    Replace(Box<Engine>),
}

/// The UI's handle on the search thread.
#[derive(Debug)]
pub struct Worker {
    requests: Sender<Request>,
    results: Receiver<Ranking>,
    latest: Arc<AtomicU64>,
    progress: Arc<AtomicUsize>,
}

impl Worker {
    /// Starts the search thread; it ends when the handle is dropped.
    pub fn spawn(mut engine: Engine) -> Worker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, results) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let progress = Arc::new(AtomicUsize::new(0));
        let (newest, done) = (Arc::clone(&latest), Arc::clone(&progress));
        thread::Builder::new()
            .name("search".into())
            .spawn(move || {
                while let Ok(first) = inbox.recv() {
                    // Only the newest waiting query matters; a new engine applies at once.
                    let mut request = None;
                    let mut next = Some(first);
                    while let Some(message) = next.take() {
                        match message {
                            Request::Replace(new) => engine = *new,
                            Request::Rank(generation, query) => request = Some((generation, query)),
                        }
                        match inbox.try_recv() {
                            Ok(newer) => next = Some(newer),
                            Err(TryRecvError::Empty) => {}
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    let Some((generation, query)) = request else { continue };
                    done.store(0, Ordering::Relaxed);
                    let stale = || newest.load(Ordering::Relaxed) != generation;
                    if let Some(hits) = engine.rank(&query, &stale, &done)
                        && outbox.send(Ranking { generation, query, hits }).is_err()
                    {
                        return;
                    }
                }
            })
            .expect("cannot start the search thread");
        Worker { requests, results, latest, progress }
    }

    /// Asks for a ranking; any older request still running is abandoned.
    pub fn request(&self, generation: u64, query: &str) {
        self.latest.store(generation, Ordering::Relaxed);
        // The thread only stops when this handle is dropped, so sending cannot fail before that.
        let _ = self.requests.send(Request::Rank(generation, query.to_string()));
    }

    /// Searches `engine`'s collection from now on; rankings asked for after this use it.
    pub fn replace(&self, engine: Engine) {
        let _ = self.requests.send(Request::Replace(Box::new(engine)));
    }

    /// A finished ranking, if one is ready.
    pub fn try_result(&self) -> Option<Ranking> {
        self.results.try_recv().ok()
    }

    /// Headlines looked at so far by the current search.
    pub fn progress(&self) -> usize {
        self.progress.load(Ordering::Relaxed)
    }
}
