//! The browser's library worker: marks made in the browser are stored on a thread of their
//! own, with its own connection, so the screen never waits on a write. Failures come back as
//! messages for the status line.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use super::{Library, Mark};

/// A running worker.
pub struct Writer {
    requests: Option<Sender<(Vec<i64>, Mark)>>,
    failures: Receiver<String>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts a worker on the library in `dir`.
    pub fn spawn(dir: PathBuf) -> Writer {
        let (requests, incoming) = mpsc::channel::<(Vec<i64>, Mark)>();
        let (report, failures) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut library = match Library::open(&dir) {
                Ok(library) => library,
                Err(err) => {
                    let _ = report.send(format!("marks are not saved: {err}"));
                    return;
                }
            };
            for (ids, mark) in incoming {
                if let Err(err) = library.mark(&ids, mark) {
                    let _ = report.send(format!("a mark was not saved: {err}"));
                }
            }
        });
        Writer { requests: Some(requests), failures, thread: Some(thread) }
    }

    /// Stores a mark (soon: the caller has shown it already).
    pub fn mark(&self, ids: Vec<i64>, mark: Mark) {
        if let Some(requests) = &self.requests {
            let _ = requests.send((ids, mark));
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
