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

use crate::source::size;

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
        Options {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_size: crate::source::DEFAULT_MAX_SIZE,
        }
    }
}

/// At most this many redirects are followed.
pub const MAX_REDIRECTS: u32 = 5;

/// What a conditional GET brought.
#[derive(Debug, Clone)]
pub enum Response {
    /// A body; `moved` is the new URL when every redirect on the way was permanent (301, 308).
    Body { fetched: Fetched, moved: Option<String> },
    /// 304: nothing new since the validators; the server's (possibly new) validators.
    NotModified { etag: Option<String>, last_modified: Option<String> },
}

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
    /// 429 or 503 with a `Retry-After` (seconds).
    #[error("HTTP {0}, retry after {1} s")]
    RetryAfter(u16, u64),
    #[error("no answer within {0} s (the deadline; see --timeout)")]
    Timeout(u64),
    #[error("the response is larger than {0} (see --max-size)")]
    TooLarge(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("host not found")]
    HostNotFound,
    /// The system's resolver failed: its reason (`Name or service not known`, or `Temporary
    /// failure in name resolution` when there is no network).
    #[error("cannot look up the host: {0}")]
    Lookup(String),
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
        // Redirects are followed here, not by ureq: a permanent one moves a subscription.
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout))
            .max_redirects(0)
            .accept_encoding("gzip, deflate, br")
            .http_status_as_error(false)
            .user_agent(user_agent())
            // Each connection's buffers are fresh, zeroed memory (128 KiB each by default): a
            // request is a line and a few headers, and a response's head is at most 64 KiB.
            .input_buffer_size(64 * 1024)
            .output_buffer_size(16 * 1024)
            .build()
            .new_agent();
        Client { agent, options }
    }

    pub fn options(&self) -> Options {
        self.options
    }

    /// GETs `url`: the body of a 2xx response, or why there is none.
    pub fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        match self.fetch(url, None, None)? {
            Response::Body { fetched, .. } => Ok(fetched),
            // Without validators a server has nothing to compare: treat as an error.
            Response::NotModified { .. } => Err(FetchError::Status(304, "Not Modified".into())),
        }
    }

    /// A conditional GET of `url` (`If-None-Match` / `If-Modified-Since` from the validators),
    /// following at most [`MAX_REDIRECTS`] redirects, all within one deadline.
    pub fn fetch(&self, url: &str, etag: Option<&str>, last_modified: Option<&str>) -> Result<Response, FetchError> {
        let started = std::time::Instant::now();
        // As a browser sends it: spaces and other characters a request line cannot carry are
        // percent-encoded, a host is in its ASCII form.
        let mut current = url::Url::parse(url).map_or_else(|_| url.to_string(), String::from);
        let mut permanent = true;
        for _ in 0..=MAX_REDIRECTS {
            let lower = current.get(..8).unwrap_or(&current).to_ascii_lowercase();
            if !lower.starts_with("http://") && !lower.starts_with("https://") {
                return Err(FetchError::Scheme);
            }
            let left = self.options.timeout.checked_sub(started.elapsed()).filter(|d| !d.is_zero());
            let Some(left) = left else { return Err(FetchError::Timeout(self.options.timeout.as_secs().max(1))) };
            let mut request = self.agent.get(&current).header("Accept", ACCEPT);
            if let Some(etag) = etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(date) = last_modified {
                request = request.header("If-Modified-Since", date);
            }
            let mut response =
                request.config().timeout_global(Some(left)).build().call().map_err(|err| self.error(err))?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string).filter(|v| !v.is_empty())
            };
            match status {
                301 | 302 | 303 | 307 | 308 => {
                    let Some(location) = header("location") else {
                        return Err(FetchError::Status(status, "redirect without a Location".into()));
                    };
                    let next = url::Url::parse(&current)
                        .and_then(|base| base.join(&location))
                        .map_err(|_| FetchError::Other(format!("a redirect to an invalid URL ({location})")))?;
                    permanent &= matches!(status, 301 | 308);
                    current = next.to_string();
                    continue;
                }
                304 => {
                    return Ok(Response::NotModified { etag: header("etag"), last_modified: header("last-modified") });
                }
                200..=299 => {}
                429 | 503 if header("retry-after").is_some() => {
                    let after = header("retry-after").and_then(|value| retry_after(&value)).unwrap_or(60);
                    return Err(FetchError::RetryAfter(status, after));
                }
                _ => {
                    let reason = response.status().canonical_reason().unwrap_or("").to_string();
                    return Err(FetchError::Status(status, reason));
                }
            }
            let content_type = header("content-type");
            let etag = header("etag");
            let last_modified = header("last-modified");
            let deflated = header("content-encoding").is_some_and(|e| e.trim().eq_ignore_ascii_case("deflate"));
            // Room for the length the server gave (within the cap), so that a large body is not
            // copied into ever larger buffers as it arrives.
            let expected = response.body().content_length().unwrap_or(0).min(self.options.max_size);
            let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).saturating_add(1));
            {
                use std::io::Read;
                let mut reader = response.body_mut().with_config().limit(self.options.max_size).reader();
                reader.read_to_end(&mut body).map_err(|err| self.error(ureq::Error::from(err)))?;
            }
            let body = if deflated { self.inflate(&body)? } else { body };
            let moved = (permanent && current != url).then(|| current.clone());
            let fetched = Fetched { final_url: current, status, content_type, etag, last_modified, body };
            return Ok(Response::Body { fetched, moved });
        }
        Err(FetchError::TooManyRedirects)
    }

    /// A `deflate` body (zlib-wrapped, as HTTP says, or raw, as some servers send it), under the
    /// same cap as any body.
    fn inflate(&self, compressed: &[u8]) -> Result<Vec<u8>, FetchError> {
        use std::io::Read;
        let read = |reader: &mut dyn Read| -> std::io::Result<Vec<u8>> {
            let mut out = Vec::new();
            reader.take(self.options.max_size + 1).read_to_end(&mut out)?;
            Ok(out)
        };
        let body = read(&mut flate2::read::ZlibDecoder::new(compressed))
            .or_else(|_| read(&mut flate2::read::DeflateDecoder::new(compressed)))
            .map_err(|err| FetchError::Other(format!("a deflate body that does not inflate ({err})")))?;
        if body.len() as u64 > self.options.max_size {
            return Err(FetchError::TooLarge(size(self.options.max_size)));
        }
        Ok(body)
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
            // std's words for a failed getaddrinfo, whose kind is not public.
            ureq::Error::Io(io) if io.to_string().starts_with(LOOKUP_FAILED) => {
                let reason = io.to_string();
                FetchError::Lookup(reason.trim_start_matches(LOOKUP_FAILED).trim_start_matches(':').trim().to_string())
            }
            other => FetchError::Other(other.to_string()),
        }
    }
}

/// How std begins the message of a failed host lookup.
const LOOKUP_FAILED: &str = "failed to lookup address information";

/// What a feed reader accepts, best first.
const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5";

/// A `Retry-After` value in seconds: a number of seconds, or an HTTP date.
fn retry_after(value: &str) -> Option<u64> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(seconds);
    }
    let when = crate::source::date::parse(value)?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() as i64;
    Some((when.timestamp() - now).max(0) as u64)
}

/// The host of a URL, for the per-host limit.
fn host(url: &str) -> String {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default()
}

/// Does `work` (fetching and parsing, say) for every URL, `jobs` at a time and at most
/// `per_host` at a time for one host; `work` is given the URL's number in `urls` and the URL.
/// Results come back in the order of `urls`.
/// `progress(done, total)` is called as each one finishes.
pub fn fetch_each<T: Send>(
    urls: &[String],
    jobs: usize,
    per_host: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
    work: &(dyn Fn(usize, &str) -> T + Sync),
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
                    let result = work(i, &urls[i]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_lookup_says_so_with_the_resolvers_reason() {
        let client = Client::new(Options::default());
        // As std words it (its kind is not public); nothing is looked up here.
        let io = std::io::Error::other(format!("{LOOKUP_FAILED}: Temporary failure in name resolution"));
        let said = client.error(ureq::Error::Io(io)).to_string();
        assert_eq!(said, "cannot look up the host: Temporary failure in name resolution");
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(client.error(ureq::Error::Io(refused)).to_string(), "cannot connect");
    }
}
