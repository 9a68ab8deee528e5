//! The browser's library worker: marks made in the browser, and full texts fetched with `f`,
//! are stored on a thread of their own, with its own connection, so the screen never waits on
//! a write. Failures come back as messages for the status line.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use super::{Library, Mark};
use crate::article::Article;

/// What the worker stores.
enum Request {
    Mark(Vec<i64>, Mark),
    FullText(i64, Box<Article>),
}

/// A running worker.
pub struct Writer {
    requests: Option<Sender<Request>>,
    failures: Receiver<String>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts a worker on the library in `dir`.
    pub fn spawn(dir: PathBuf) -> Writer {
        let (requests, incoming) = mpsc::channel::<Request>();
        let (report, failures) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut library = match Library::open(&dir) {
                Ok(library) => library,
                Err(err) => {
                    let _ = report.send(format!("marks are not saved: {err}"));
                    return;
                }
            };
            for request in incoming {
                let result = match request {
                    Request::Mark(ids, mark) => {
                        library.mark(&ids, mark).map_err(|e| format!("a mark was not saved: {e}"))
                    }
                    Request::FullText(id, article) => {
                        library.store_full_text(id, &article).map_err(|e| format!("the full text was not saved: {e}"))
                    }
                };
                if let Err(message) = result {
                    let _ = report.send(message);
                }
            }
        });
        Writer { requests: Some(requests), failures, thread: Some(thread) }
    }

    /// Stores a mark (soon: the caller has shown it already).
    pub fn mark(&self, ids: Vec<i64>, mark: Mark) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::Mark(ids, mark));
        }
    }

    /// Stores an article's full text (soon).
    pub fn full_text(&self, id: i64, article: Article) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(Request::FullText(id, Box::new(article)));
        }
    }

    /// A failure to tell the user about, if one came back.
    pub fn try_failure(&self) -> Option<String> {
        self.failures.try_recv().ok()
    }
}

impl Drop for Writer {
    /// Waits for every mark to be stored.
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
