//! A loopback HTTP server for the tests: 127.0.0.1 on a port the system picks, a thread of the
//! test. Nothing outside this machine is ever contacted.
//!
//! Every connection is bounded: a slow or silent reply ends after [`HOLD`] at most, an endless
//! body after as long, and the server stops when it is dropped.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest any reply keeps a connection.
pub const HOLD: Duration = Duration::from_secs(8);

/// How a path is answered.
#[derive(Clone)]
pub enum Reply {
    /// A whole response. The body is shared, not copied, by every request it answers.
    Full { status: u16, headers: Vec<(String, String)>, body: Arc<[u8]> },
    /// Headers at once, then the body a byte a second.
    Drip(Vec<u8>),
    /// Accepts, reads the request, never answers.
    Silent,
    /// A 200 whose body never ends.
    Endless,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::shared(content_type, body.into().into())
    }

    /// A 200 whose body is shared by every request it answers: a benchmark's server copies
    /// nothing per request.
    pub fn shared(content_type: &str, body: Arc<[u8]>) -> Reply {
        Reply::Full { status: 200, headers: vec![("Content-Type".into(), content_type.into())], body }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full { status, headers: Vec::new(), body: format!("status {status}").into_bytes().into() }
    }

    pub fn redirect(status: u16, to: &str) -> Reply {
        Reply::Full { status, headers: vec![("Location".into(), to.into())], body: Arc::new([]) }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Routes = dyn Fn(&str) -> Reply + Send + Sync;

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    /// The request lines and headers received, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(routes: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_on("127.0.0.1", routes)
    }

    /// On another loopback address (`127.0.0.2`…): a host of its own, for per-host limits.
    pub fn start_on(ip: &str, routes: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        assert!(ip.starts_with("127."), "loopback only");
        let listener = TcpListener::bind((ip, 0)).expect("a loopback port");
        let addr = listener.local_addr().expect("its address");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let routes: Arc<Routes> = Arc::new(routes);
        let (stopped, seen) = (Arc::clone(&stop), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::Relaxed) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (routes, seen, stopped) = (Arc::clone(&routes), Arc::clone(&seen), Arc::clone(&stopped));
                std::thread::spawn(move || serve(stream, &*routes, &seen, &stopped));
            }
        });
        Server { addr, stop, requests }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(mut stream: TcpStream, routes: &Routes, seen: &Mutex<Vec<String>>, stopped: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(HOLD));
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request_head = String::from_utf8_lossy(&request).into_owned();
    let path = request_head.split_whitespace().nth(1).unwrap_or("/").to_string();
    if let Ok(mut seen) = seen.lock() {
        seen.push(request_head.clone());
    }
    let started = Instant::now();
    let alive = || started.elapsed() < HOLD && !stopped.load(Ordering::Relaxed);
    match routes(&path) {
        Reply::Full { status, headers, body } => {
            // A conditional GET whose validator matches the reply's ETag: 304, no body.
            let etag = headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("etag")).map(|(_, v)| v.clone());
            let sent = head_header(&request_head, "if-none-match");
            if let (Some(etag), Some(sent)) = (&etag, &sent)
                && etag == sent
            {
                let _ = stream.write_all(
                    format!(
                        "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                    .as_bytes(),
                );
                return;
            }
            let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Reply::Drip(body) => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            for byte in body {
                if !alive() || stream.write_all(&[byte]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        Reply::Silent => {
            while alive() {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Reply::Endless => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n<rss><channel>",
            );
            let chunk = b"<item><title>again</title></item>".repeat(256);
            while alive() {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
    }
}

/// A request header's value (name case-insensitive).
fn head_header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_string())
    })
}
