//! The network path against a loopback server inside the test: fetching, redirects, errors,
//! deadlines and caps, charsets, and the binary's exit statuses with URLs and OPML.

mod server;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use broadsheet::net::{Client, FetchError, Options};
use server::{Reply, Server};

const BIN: &str = env!("CARGO_BIN_EXE_broadsheet");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn client(timeout_secs: u64, max_size: u64) -> Client {
    Client::new(Options { timeout: Duration::from_secs(timeout_secs), max_size, ..Options::default() })
}

/// Every route of the tests.
fn routes(path: &str) -> Reply {
    let nyt = || fixture("Rss20NYTimes.xml");
    match path {
        "/nyt.xml" => Reply::ok("application/rss+xml", nyt()),
        "/nyt.gz" => Reply::ok("application/rss+xml", gzip(&nyt())).with_header("Content-Encoding", "gzip"),
        "/nyt.deflate" => Reply::ok("application/rss+xml", zlib(&nyt())).with_header("Content-Encoding", "deflate"),
        "/deflate-bomb" => {
            Reply::ok("application/rss+xml", zlib(&vec![0u8; 64 << 20])).with_header("Content-Encoding", "deflate")
        }
        "/plain.txt" => Reply::ok("text/plain", nyt()),
        "/r5" => Reply::redirect(301, "/r4"),
        "/r4" => Reply::redirect(302, "/r3"),
        "/r3" => Reply::redirect(307, "/r2"),
        "/r2" => Reply::redirect(308, "/r1"),
        "/r1" => Reply::redirect(302, "/nyt.xml"),
        "/r6" => Reply::redirect(302, "/r5"),
        "/missing" => Reply::status(404),
        "/broken" => Reply::status(500),
        "/arabic" => {
            let text = "<rss><channel><title>أخبار</title><item><title>مرحبا بالعالم</title><description>نص الخبر</description></item></channel></rss>";
            let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
            Reply::ok("application/xml; charset=windows-1256", bytes.into_owned())
        }
        "/drip" => Reply::Drip(nyt()),
        "/silent" => Reply::Silent,
        "/endless" => Reply::Endless,
        "/bomb" => {
            // 64 MiB of zeros in about 64 KiB.
            let bomb = gzip(&vec![0u8; 64 << 20]);
            Reply::ok("application/rss+xml", bomb).with_header("Content-Encoding", "gzip")
        }
        "/page.html" => Reply::ok(
            "text/html",
            "<html><body><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav></body></html>",
        ),
        _ => Reply::status(404),
    }
}

#[test]
fn fetches_plain_gzip_and_redirected_feeds() {
    let server = Server::start(routes);
    let client = client(10, 32 << 20);
    let plain = client.get(&server.url("/nyt.xml")).unwrap();
    assert_eq!(plain.body, fixture("Rss20NYTimes.xml"));
    assert_eq!(plain.status, 200);
    let gzipped = client.get(&server.url("/nyt.gz")).unwrap();
    assert_eq!(gzipped.body, plain.body, "decompressed");
    let deflated = client.get(&server.url("/nyt.deflate")).unwrap();
    assert_eq!(deflated.body, plain.body, "inflated");
    let redirected = client.get(&server.url("/r5")).unwrap();
    assert_eq!(redirected.final_url, server.url("/nyt.xml"));
    assert_eq!(client.get(&server.url("/r6")).unwrap_err(), FetchError::TooManyRedirects);
    let requests = server.requests.lock().unwrap();
    let ua = requests.iter().find(|r| r.starts_with("GET /nyt.xml")).unwrap();
    assert!(ua.contains(&format!("Broadsheet/{}", env!("CARGO_PKG_VERSION"))), "{ua}");
    assert!(requests.iter().any(|r| r.to_ascii_lowercase().contains("accept-encoding: gzip, deflate, br")));
}

#[test]
fn http_errors_name_the_status() {
    let server = Server::start(routes);
    let client = client(10, 32 << 20);
    assert!(matches!(client.get(&server.url("/missing")), Err(FetchError::Status(404, _))));
    assert!(matches!(client.get(&server.url("/broken")), Err(FetchError::Status(500, _))));
    assert_eq!(client.get("ftp://127.0.0.1/x").unwrap_err(), FetchError::Scheme);
    // Nothing listens on a port just freed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    assert_eq!(client.get(&format!("http://127.0.0.1:{port}/")).unwrap_err(), FetchError::Connect);
}

#[test]
fn slow_silent_and_endless_servers_end_at_the_deadline() {
    let server = Server::start(routes);
    let client = client(2, 32 << 20);
    for path in ["/drip", "/silent", "/endless"] {
        let started = Instant::now();
        let result = client.get(&server.url(path));
        let took = started.elapsed();
        assert!(took < Duration::from_secs(4), "{path} took {took:?}");
        assert!(matches!(result, Err(FetchError::Timeout(2)) | Err(FetchError::TooLarge(_))), "{path}: {result:?}");
    }
}

#[test]
fn size_caps_hold_while_decompressing() {
    let server = Server::start(routes);
    let client = client(10, 1 << 20);
    assert_eq!(client.get(&server.url("/bomb")).unwrap_err(), FetchError::TooLarge("1 MiB".into()));
    assert_eq!(client.get(&server.url("/deflate-bomb")).unwrap_err(), FetchError::TooLarge("1 MiB".into()));
    assert_eq!(client.get(&server.url("/endless")).unwrap_err(), FetchError::TooLarge("1 MiB".into()));
}

fn list(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(BIN).arg("list").args(args).env("BROADSHEET_CACHE_DIR", "").output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn urls_on_the_command_line() {
    let server = Server::start(routes);
    let nyt = server.url("/nyt.xml");
    // One URL: its articles, in feed order.
    let (code, out, err) = list(&[&nyt]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 33);
    assert!(out.starts_with("1\tPutin Led a Complex Cyberattack Scheme to Aid Trump, Report Finds\n"), "{out}");
    // A feed served as text/plain is still a feed; a charset only in the header is used.
    let (code, out, _) = list(&[&server.url("/plain.txt"), &server.url("/arabic")]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 34);
    assert!(out.ends_with("34\tمرحبا بالعالم\n"), "{out}");
    // Some fail: exit 1, each failure named with its reason, the rest listed.
    let (code, out, err) = list(&[&nyt, &server.url("/missing"), &server.url("/page.html")]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), 33);
    assert!(err.contains(&format!("{}: HTTP 404", server.url("/missing"))), "{err}");
    assert!(err.contains(&format!("{}: no article found in this page", server.url("/page.html"))), "{err}");
    // None loads: exit 2.
    let (code, out, err) = list(&[&server.url("/broken")]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("HTTP 500") && err.contains("nothing to show: the feed could not be loaded"), "{err}");
    let (code, _, err) = list(&[&server.url("/broken"), &server.url("/missing")]);
    assert_eq!(code, 2);
    assert!(err.contains("nothing to show: none of the feeds could be loaded"), "{err}");
}

#[test]
fn opml_opens_every_feed_it_lists() {
    let server = Server::start(routes);
    let dir = std::env::temp_dir().join(format!("broadsheet-opml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let opml = dir.join("subscriptions.opml");
    std::fs::write(
        &opml,
        format!(
            r#"<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
            <outline text="News"><outline text="NYT" type="rss" xmlUrl="{}"/></outline>
            <outline text="Arabic" type="rss" xmlUrl="{}"/><outline text="Gone" type="rss" xmlUrl="{}"/></body></opml>"#,
            server.url("/nyt.gz"),
            server.url("/arabic"),
            server.url("/missing")
        ),
    )
    .unwrap();
    let (code, out, err) = list(&[opml.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), 34);
    assert!(err.contains("/missing: HTTP 404"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
