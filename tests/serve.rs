//! `consulex serve` as an operator runs it: builds an index when none exists, answers HTTP,
//! and exits cleanly on SIGTERM.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn http_get(port: u16, path: &str) -> Option<String> {
    http_get_with(port, path, "")
}

fn http_get_with(port: u16, path: &str, headers: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn serve_builds_answers_and_stops_on_sigterm() {
    let index = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_consulex"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("CONSULEX_CORPUS", common::shared_corpus())
        .env("CONSULEX_INDEX", index.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let health = loop {
        if let Some(r) = http_get(port, "/health") {
            break r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "server did not come up"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""));
    assert!(
        index.path().join("CURRENT").is_file(),
        "serve did not build an index"
    );
    let r = http_get(port, "/v1/search?q=pasaporte&limit=3").unwrap();
    assert!(
        r.starts_with("HTTP/1.1 200") && r.contains("\"hits\""),
        "{r}"
    );
    // CORS for browser clients
    let r = http_get_with(port, "/v1/countries", "Origin: https://analyst.example\r\n").unwrap();
    assert!(
        r.to_lowercase().contains("access-control-allow-origin: *"),
        "{r}"
    );
    let r = http_get(port, "/v1/search?limit=1000").unwrap();
    assert!(
        r.starts_with("HTTP/1.1 400") && r.contains("\"code\":\"invalid_parameter\""),
        "{r}"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(code.success(), "exit status {code:?}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("stopped"), "{err}");
}
