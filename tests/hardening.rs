//! The server as a hostile or broken client meets it: the real accept loop and router on a
//! loopback port, with small limits so that every bound is reached within a second or two.
//! Each attack is bounded in connections and time; every test stops by itself.

mod common;

use consulex::api::{server, AppState};
use consulex::config::ServerLimits;
use serde_json::Value;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One engine over the sample corpus (built once per test binary): these tests are about the
/// connection layer, not about results.
fn state() -> AppState {
    static S: OnceLock<(tempfile::TempDir, AppState)> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let res = common::resources();
        consulex::index::build::build(
            &common::repo_file("corpus/sample"),
            dir.path(),
            &res.annotator,
            &res.registry,
            &|_| {},
        )
        .unwrap();
        let engine = consulex::search::Engine::open(dir.path(), common::resources()).unwrap();
        (dir, AppState::new(engine))
    })
    .1
    .clone()
}

fn small_limits() -> ServerLimits {
    ServerLimits {
        header_timeout_ms: 800,
        idle_timeout_ms: 1500,
        request_timeout_ms: 5000,
        max_header_bytes: 4096,
        max_uri_bytes: 1024,
        max_body_bytes: 1024,
        max_connections: 64,
        max_in_flight: 16,
        ..ServerLimits::default()
    }
}

/// Starts a server with these limits on a free loopback port, in a thread of its own that
/// ends with the test binary.
fn start(limits: ServerLimits) -> SocketAddr {
    let state = state().with_limits(limits);
    let listener = server::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let l = tokio::net::TcpListener::from_std(listener).unwrap();
            server::serve(l, state, std::future::pending())
                .await
                .unwrap();
        });
    });
    addr
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// Sends raw bytes and reads the answer to the end: status, lower-cased head, JSON body.
fn exchange(addr: SocketAddr, raw: &[u8]) -> (u16, String, Value) {
    let mut s = connect(addr);
    s.write_all(raw).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse(&out)
}

fn parse(out: &[u8]) -> (u16, String, Value) {
    let text = String::from_utf8_lossy(out);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = serde_json::from_str(body).unwrap_or(Value::String(body.to_string()));
    (status, head.to_ascii_lowercase(), body)
}

fn get(addr: SocketAddr, path: &str) -> (u16, String, Value) {
    exchange(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: t\r\nOrigin: https://x.example\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
}

/// Asserts one error in the API's shape: status, code, a message, CORS.
fn assert_error(r: &(u16, String, Value), status: u16, code: &str) {
    let (s, head, body) = r;
    assert_eq!(*s, status, "{head}\n{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(head.contains("access-control-allow-origin: *"), "{head}");
    if status == 503 {
        assert!(head.contains("retry-after: "), "{head}");
    }
}

/// Waits (up to `within`) for the server to close `s`; true if it did.
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn slow_and_partial_heads_are_cut_while_ordinary_requests_are_served() {
    let addr = start(small_limits());
    let timeout = Duration::from_millis(small_limits().header_timeout_ms);
    // 30 connections that start a head and stop
    let mut partial: Vec<TcpStream> = (0..30)
        .map(|_| {
            let mut s = connect(addr);
            s.write_all(b"GET /health HTTP/1.1\r\nHo").unwrap();
            s
        })
        .collect();
    // one that sends a header byte every 100 ms, for at most 4 s
    let trickler = std::thread::spawn(move || {
        let mut s = connect(addr);
        s.write_all(b"GET /health HTTP/1.1\r\nX-Slow: ").unwrap();
        for _ in 0..40 {
            std::thread::sleep(Duration::from_millis(100));
            if s.write_all(b"a").is_err() {
                return true;
            }
        }
        closed_within(&mut s, Duration::from_millis(10))
    });
    // meanwhile, ordinary requests are answered
    for _ in 0..5 {
        let (status, _, body) = get(addr, "/health");
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "ok");
    }
    let (status, _, body) = get(addr, "/v1/search?q=consular&limit=1");
    assert_eq!(status, 200, "{body}");
    // every partial head is cut: closed well before five times the header timeout
    for s in &mut partial {
        assert!(closed_within(s, timeout * 5), "a partial head was not cut");
    }
    assert!(trickler.join().unwrap(), "a trickled head was not cut");
    // and a keep-alive connection left idle after a request is closed too
    let mut s = connect(addr);
    s.write_all(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    assert!(
        closed_within(&mut s, timeout * 5),
        "an idle keep-alive connection was kept"
    );
}

#[test]
fn oversized_heads_and_uris_get_json_431_and_414() {
    let addr = start(small_limits());
    // just over the configured limits: refused by the router
    let r = get(addr, &format!("/v1/search?q={}", "a".repeat(1100)));
    assert_error(&r, 414, "uri_too_long");
    let big = format!(
        "GET /health HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(4200)
    );
    assert_error(&exchange(addr, big.as_bytes()), 431, "headers_too_large");
    // far over them: refused by hyper before the router, in the same shape
    let huge = format!(
        "GET /health HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(100_000)
    );
    assert_error(&exchange(addr, huge.as_bytes()), 431, "headers_too_large");
    let r = get(addr, &format!("/v1/search?q={}", "a".repeat(100_000)));
    assert_error(&r, 414, "uri_too_long");
    // not HTTP at all
    assert_error(&exchange(addr, b"HELLO\r\n\r\n"), 400, "bad_request");
    // and the server still answers
    assert_eq!(get(addr, "/health").0, 200);
}

#[test]
fn framework_errors_are_json_with_cors() {
    let addr = start(small_limits());
    assert_error(&get(addr, "/v1/no-such-route"), 404, "not_found");
    assert_error(&get(addr, "/v1/provisions/%FF"), 400, "invalid_parameter");
    let r = exchange(
        addr,
        b"DELETE /v1/search HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    assert_error(&r, 405, "method_not_allowed");
    assert!(r.1.contains("allow: "), "{}", r.1);
    let body = "x".repeat(2048);
    let r = exchange(
        addr,
        format!(
            "POST /v1/admin/reload HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert_error(&r, 413, "payload_too_large");
}

#[test]
fn connections_beyond_the_cap_are_refused_cleanly_and_capacity_returns() {
    let limits = ServerLimits {
        max_connections: 8,
        header_timeout_ms: 1500,
        ..small_limits()
    };
    let addr = start(limits);
    // 8 connections hold every slot with a head they never finish
    let mut held: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = connect(addr);
            s.write_all(b"GET /health HTTP/1.1\r\n").unwrap();
            s
        })
        .collect();
    // let the server accept them all before the next one knocks
    std::thread::sleep(Duration::from_millis(200));
    let r = get(addr, "/health");
    assert_error(&r, 503, "overloaded");
    assert!(r.1.contains("connection: close"), "{}", r.1);
    // once the held ones are cut, the server takes connections again
    for s in &mut held {
        assert!(closed_within(s, Duration::from_secs(8)));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, _, body) = get(addr, "/health");
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "capacity did not return: {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_refuses_an_impossible_address_before_saying_it_serves() {
    let index = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_consulex"))
        .args(["serve", "--addr", "127.0.0.1:99999"])
        .env("CONSULEX_CORPUS", common::repo_file("corpus/sample"))
        .env("CONSULEX_INDEX", index.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot listen on 127.0.0.1:99999"), "{err}");
    assert!(!err.contains("serving"), "{err}");
    // nothing was built for a server that could not listen
    assert!(!index.path().join("CURRENT").exists());
}

#[test]
fn an_impossible_date_is_refused_by_the_cli_and_the_api() {
    let index = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_consulex"))
        .args(["changes", "--since", "2026-13-45"])
        .env("CONSULEX_CORPUS", common::repo_file("corpus/sample"))
        .env("CONSULEX_INDEX", index.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid since") && err.contains("2026-13-45"),
        "{err}"
    );

    let reloader: consulex::api::Reloader =
        std::sync::Arc::new(|| Err(consulex::Error::NoIndex("test".into())));
    let st = state().with_index(index.path().to_path_buf(), reloader);
    let listener = server::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let l = tokio::net::TcpListener::from_std(listener).unwrap();
            server::serve(l, st, std::future::pending()).await.unwrap();
        });
    });
    let r = get(addr, "/v1/changes?since=2026-13-45");
    assert_error(&r, 400, "invalid_parameter");
    assert!(
        r.2["message"].as_str().unwrap().contains("since"),
        "{}",
        r.2
    );
    let (status, _, body) = get(addr, "/v1/changes?since=2026-02-28");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn every_code_is_listed_in_the_api_doc_and_the_openapi_document() {
    let codes = consulex::api::error::CODES;
    let doc = std::fs::read_to_string(common::repo_file("docs/API.md")).unwrap();
    let rows: Vec<(String, u16)> = doc
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let status = cells.get(2)?.parse().ok()?;
            Some((code.to_string(), status))
        })
        .collect();
    let listed: Vec<(String, u16)> = codes.iter().map(|(c, s, _)| (c.to_string(), *s)).collect();
    assert_eq!(
        rows, listed,
        "docs/API.md's error table and error::CODES differ"
    );
    let addr = start(small_limits());
    let (status, _, body) = get(addr, "/openapi.json");
    assert_eq!(status, 200);
    let enumerated = &body["components"]["schemas"]["Error"]["properties"]["code"]["enum"];
    let names: Vec<&str> = codes.iter().map(|(c, _, _)| *c).collect();
    assert_eq!(enumerated, &serde_json::json!(names));
    assert!(names.contains(&"unauthorized"));
}

#[test]
fn a_query_that_is_not_utf8_or_has_no_searchable_word_is_refused_naming_q() {
    let addr = start(small_limits());
    // bytes that are not UTF-8 once percent-decoded: refused, not replaced by U+FFFD
    for path in [
        "/v1/search?q=%FF",
        "/v1/search?q=caf%C3",
        "/v1/search?limit=1&q=a%FFb",
    ] {
        let r = get(addr, path);
        assert_error(&r, 400, "invalid_parameter");
        let m = r.2["message"].as_str().unwrap();
        assert!(m.contains("q") && m.contains("UTF-8"), "{path}: {m}");
    }
    // the same on the other routes that read a query string
    let r = get(
        addr,
        "/v1/compare?category=protection/detention&countries=AR&q=%FF",
    );
    assert_error(&r, 400, "invalid_parameter");
    assert!(
        r.2["message"].as_str().unwrap().contains("UTF-8"),
        "{}",
        r.2
    );
    // text with no word in it: a 400 that says so and says how to list everything
    for q in ["-", "%22%20%22", "()", ")(", "*", "%22", "-%20-"] {
        let r = get(addr, &format!("/v1/search?q={q}"));
        assert_error(&r, 400, "invalid_parameter");
        let m = r.2["message"].as_str().unwrap();
        assert!(
            m.contains("q") && m.contains("no searchable word") && m.contains("leave q out"),
            "{q}: {m}"
        );
    }
    // a lone OR is the word "or", not an operator with nothing beside it
    let (status, _, or) = get(addr, "/v1/search?q=OR&limit=1");
    assert_eq!(status, 200, "{or}");
    // listing everything is `q` absent, with the filters alone; `q` given empty is a 400
    // that names it, so that a client's missing value is not read as "everything"
    let (status, _, all) = get(addr, "/v1/search?limit=1");
    assert_eq!(status, 200, "{all}");
    assert!(all["total"].as_u64().unwrap() > 0);
    let r = get(addr, "/v1/search?q=&limit=1");
    assert_error(&r, 400, "invalid_parameter");
    let m = r.2["message"].as_str().unwrap();
    assert!(m.contains("q") && m.contains("empty"), "{m}");
    // one word among the operators is a query
    let (status, _, one) = get(addr, "/v1/search?q=(consular)%20OR&limit=1");
    assert_eq!(status, 200, "{one}");
    assert!(one["total"].as_u64().unwrap() < all["total"].as_u64().unwrap());
    // the web page answers those with its error page and the API's status, not every provision
    for q in ["%FF", "-", "()"] {
        let raw = format!("GET /?q={q} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        let mut s = connect(addr);
        s.write_all(raw.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("HTTP/1.1 400"), "/?q={q}: {text}");
        assert!(
            text.contains("UTF-8") || text.contains("no searchable word"),
            "/?q={q}: {text}"
        );
    }
}

#[test]
fn changes_are_filtered_by_country_through_the_api() {
    let index = tempfile::tempdir().unwrap();
    let res = common::resources();
    let opts = consulex::index::build::Options {
        corpus: common::repo_file("corpus/sample"),
        index_root: index.path().to_path_buf(),
        full: true,
        force: true,
        practices: None,
    };
    consulex::index::build::reindex(&opts, &res.annotator, &res.registry, &|_| {}).unwrap();
    let reloader: consulex::api::Reloader =
        std::sync::Arc::new(|| Err(consulex::Error::NoIndex("test".into())));
    let st = state().with_index(index.path().to_path_buf(), reloader);
    let listener = server::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let l = tokio::net::TcpListener::from_std(listener).unwrap();
            server::serve(l, st, std::future::pending()).await.unwrap();
        });
    });
    // every file a generation report names, of every list of files it holds
    let files = |body: &Value| -> Vec<String> {
        let mut out = Vec::new();
        for g in body["generations"].as_array().unwrap() {
            for (k, v) in g.as_object().unwrap() {
                if k.ends_with("_files") {
                    out.extend(
                        v.as_array()
                            .unwrap()
                            .iter()
                            .map(|f| f.as_str().unwrap().to_string()),
                    );
                }
            }
        }
        out
    };
    let (status, _, all) = get(addr, "/v1/changes?since=2000-01-01");
    assert_eq!(status, 200, "{all}");
    let every = files(&all);
    assert!(every.iter().any(|f| f.starts_with("AR/")), "{all}");
    assert!(every.iter().any(|f| !f.starts_with("AR/")), "{all}");
    let (status, _, ar) = get(addr, "/v1/changes?since=2000-01-01&country=AR");
    assert_eq!(status, 200, "{ar}");
    let only = files(&ar);
    assert!(
        !only.is_empty() && only.iter().all(|f| f.starts_with("AR/")),
        "{only:?}"
    );
    for g in ar["generations"].as_array().unwrap() {
        if let Some(by) = g["by_country"].as_object() {
            assert!(by.keys().all(|k| k.eq_ignore_ascii_case("AR")), "{g}");
        }
    }
    let r = get(addr, "/v1/changes?since=2000-01-01&country=ZZ");
    assert_error(&r, 400, "invalid_parameter");
    assert!(
        r.2["message"].as_str().unwrap().contains("country"),
        "{}",
        r.2
    );
}
