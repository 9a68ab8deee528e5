//! HTTP: the one place Broadsheet talks to the network.
//!
//! One blocking client (ureq, rustls: nothing to install) with a deadline on every request
//! (connect, redirects, headers and body together), a cap on the body that holds while it is
//! decompressed (gzip, brotli), at most five redirects, and a User-Agent naming Broadsheet.
//! [`fetch_each`] works on many URLs at once, a few per host. Callers get bytes and the metadata a
//! feed reader needs later (final URL, status, validators); parsing is the sources' business.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use ureq::ResponseExt;

/// How a request is bounded.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The whole request, from connecting to the body's last byte (`--timeout`).
    pub timeout: Duration,
    /// Connecting alone.
    pub connect_timeout: Duration,
    /// The body, decompressed (`--max-size`).
    pub max_size: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options { timeout: Duration::from_secs(30), connect_timeout: Duration::from_secs(10), max_size: 32 << 20 }
    }
}

/// At most this many redirects are followed.
pub const MAX_REDIRECTS: u32 = 5;

/// A response.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where the body came from after redirects.
    pub final_url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

impl Fetched {
    /// The charset the server declared, if any.
    pub fn charset(&self) -> Option<&str> {
        self.content_type.as_deref().and_then(crate::source::decode::charset_param)
    }
}

/// Why a URL could not be fetched, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("only http and https URLs can be fetched")]
    Scheme,
    #[error("HTTP {0}")]
    Status(u16, String),
    #[error("no answer within {0} s (the deadline; see --timeout)")]
    Timeout(u64),
    #[error("the response is larger than {0} (see --max-size)")]
    TooLarge(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("host not found")]
    HostNotFound,
    #[error("cannot connect")]
    Connect,
    #[error("{0}")]
    Other(String),
}

/// The HTTP client.
pub struct Client {
    agent: ureq::Agent,
    options: Options,
}

/// `Broadsheet/0.1.0 (+https://crates.io/crates/broadsheet)`.
pub fn user_agent() -> String {
    format!("Broadsheet/{} (terminal news reader)", env!("CARGO_PKG_VERSION"))
}

impl Client {
    pub fn new(options: Options) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout))
            .max_redirects(MAX_REDIRECTS)
            .http_status_as_error(false)
            .user_agent(user_agent())
            .build()
            .new_agent();
        Client { agent, options }
    }

    pub fn options(&self) -> Options {
        self.options
    }

    /// GETs `url`: the body of a 2xx response, or why there is none.
    pub fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !lower.starts_with("http://") && !lower.starts_with("https://") {
            return Err(FetchError::Scheme);
        }
        let request = self
            .agent
            .get(url)
            .header("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5");
        let mut response = request.call().map_err(|err| self.error(err))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let reason = response.status().canonical_reason().unwrap_or("").to_string();
            return Err(FetchError::Status(status, reason));
        }
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string).filter(|v| !v.is_empty())
        };
        let content_type = header("content-type");
        let etag = header("etag");
        let last_modified = header("last-modified");
        let final_url = response.get_uri().to_string();
        let body = response
            .body_mut()
            .with_config()
            .limit(self.options.max_size)
            .read_to_vec()
            .map_err(|err| self.error(err))?;
        Ok(Fetched { final_url, status, content_type, etag, last_modified, body })
    }

    fn error(&self, err: ureq::Error) -> FetchError {
        match err {
            ureq::Error::Timeout(_) => FetchError::Timeout(self.options.timeout.as_secs().max(1)),
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(size(self.options.max_size)),
            ureq::Error::TooManyRedirects => FetchError::TooManyRedirects,
            ureq::Error::HostNotFound => FetchError::HostNotFound,
            ureq::Error::ConnectionFailed => FetchError::Connect,
            ureq::Error::Io(io)
                if io.kind() == std::io::ErrorKind::TimedOut || io.kind() == std::io::ErrorKind::WouldBlock =>
            {
                FetchError::Timeout(self.options.timeout.as_secs().max(1))
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => FetchError::Connect,
            other => FetchError::Other(other.to_string()),
        }
    }
}

/// `32 MiB`, `512 KiB`, `100 bytes`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The host of a URL, for the per-host limit.
fn host(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default()
}

/// Does `work` (fetching and parsing, say) for every URL, `jobs` at a time and at most
/// `per_host` at a time for one host; results come back in the order of `urls`.
/// `progress(done, total)` is called as each one finishes.
pub fn fetch_each<T: Send>(
    urls: &[String],
    jobs: usize,
    per_host: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
    work: &(dyn Fn(&str) -> T + Sync),
) -> Vec<T> {
    let hosts: Vec<String> = urls.iter().map(|u| host(u)).collect();
    let state = Mutex::new(Queue { waiting: (0..urls.len()).collect(), busy: HashMap::new() });
    let ready = Condvar::new();
    let results: Vec<Mutex<Option<T>>> = urls.iter().map(|_| Mutex::new(None)).collect();
    let done = AtomicUsize::new(0);
    let per_host = per_host.max(1);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let Some(i) = next(&state, &ready, &hosts, per_host) else { return };
                    let result = work(&urls[i]);
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(result);
                    }
                    if let Ok(mut queue) = state.lock()
                        && let Some(count) = queue.busy.get_mut(&hosts[i])
                    {
                        *count -= 1;
                    }
                    ready.notify_all();
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, urls.len());
                }
            });
        }
    });
    results.into_iter().map(|slot| slot.into_inner().ok().flatten().expect("every URL was worked on")).collect()
}

struct Queue {
    waiting: std::collections::VecDeque<usize>,
    busy: HashMap<String, usize>,
}

/// The next URL whose host has room, waiting for one if every waiting URL's host is busy;
/// `None` when nothing is left.
fn next(state: &Mutex<Queue>, ready: &Condvar, hosts: &[String], per_host: usize) -> Option<usize> {
    let mut queue = state.lock().ok()?;
    loop {
        if queue.waiting.is_empty() {
            return None;
        }
        let free = queue.waiting.iter().position(|&i| queue.busy.get(&hosts[i]).copied().unwrap_or(0) < per_host);
        if let Some(at) = free {
            let i = queue.waiting.remove(at)?;
            *queue.busy.entry(hosts[i].clone()).or_default() += 1;
            return Some(i);
        }
        queue = ready.wait(queue).ok()?;
    }
}
