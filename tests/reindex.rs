//! The nightly reindex, run as an operator runs it, against a temporary copy of part of the
//! shared corpus: incremental re-parsing, exact change reports, crashes, guards, the lock, and
//! a server that keeps answering while generations switch under it.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A corpus with a few countries (copied, never the shared files themselves) and an index dir.
struct Site {
    _tmp: tempfile::TempDir,
    corpus: PathBuf,
    index: PathBuf,
}

fn site() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    for cc in ["AR", "UY", "CL", "INTL"] {
        let from = common::shared_corpus().join(cc);
        let to = corpus.join(cc);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(&from).unwrap().flatten() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let index = tmp.path().join("index");
    Site {
        _tmp: tmp,
        corpus,
        index,
    }
}

fn consulex(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_consulex"));
    c.args(args)
        .env("CONSULEX_CORPUS", &site.corpus)
        .env("CONSULEX_INDEX", &site.index)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn run(site: &Site, args: &[&str]) -> Output {
    consulex(site, args, &[]).output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn current(site: &Site) -> String {
    std::fs::read_to_string(site.index.join("CURRENT"))
        .unwrap()
        .trim()
        .to_string()
}

/// Replaces the first occurrence of `from` in a corpus file.
fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let p = site.corpus.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// Provision ids whose content differs between two readings of a file (computed with the
/// library, independently of the reindex).
fn changed_ids(before: &corpus_read::Snapshot, after: &corpus_read::Snapshot) -> Vec<String> {
    after
        .iter()
        .filter(|(id, h)| before.iter().any(|(i, g)| i == id && g != h))
        .map(|(id, _)| id.clone())
        .collect()
}

mod corpus_read {
    use super::*;
    pub type Snapshot = Vec<(String, String)>;
    pub fn snapshot(site: &Site, rel: &str) -> Snapshot {
        let files = consulex::corpus::discover(&site.corpus).unwrap();
        let f = files.iter().find(|f| f.rel == rel).unwrap();
        let l = consulex::corpus::read_file(f, &Default::default()).unwrap();
        l.provisions
            .iter()
            .map(|p| (p.id.to_string(), p.content_hash.clone()))
            .collect()
    }
}

#[test]
fn one_changed_file_is_reparsed_alone_and_the_report_lists_exactly_its_modified_provisions() {
    let s = site();
    let first = run(&s, &["reindex", "--json"]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let first = json(&first);
    assert_eq!(first["incremental"], false);

    let rel = "UY/UY-ley-18250.md";
    let before = corpus_read::snapshot(&s, rel);
    edit(
        &s,
        rel,
        "La cancelación de la residencia",
        "La revocación de la residencia",
    );
    let after = corpus_read::snapshot(&s, rel);
    let expected = changed_ids(&before, &after);
    assert_eq!(expected.len(), 1);

    let out = run(&s, &["reindex", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["incremental"], true);
    assert_eq!(r["reparsed_files"], serde_json::json!([rel]));
    assert_eq!(r["modified"], 1);
    assert_eq!(r["added"], 0);
    assert_eq!(r["removed"], 0);
    assert_eq!(r["provisions"], first["provisions"]);

    let ch = json(&run(
        &s,
        &[
            "changes",
            "--json",
            "--since",
            first["generation"].as_str().unwrap(),
        ],
    ));
    let g = &ch["generations"][0];
    let modified: Vec<&str> = g["modified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        modified,
        expected.iter().map(|s| s.as_str()).collect::<Vec<_>>()
    );
    assert_eq!(g["reparsed_files"], serde_json::json!([rel]));
    assert_eq!(g["by_country"]["UY"]["modified"], 1);

    // nothing changed: no new generation
    let again = json(&run(&s, &["reindex", "--json"]));
    assert_eq!(again["outcome"], "up_to_date");
    assert_eq!(again["generation"], r["generation"]);

    // the served index answers with the new text
    let hits = json(&run(
        &s,
        &[
            "search",
            "revocación de la residencia",
            "--no-expand",
            "--json",
        ],
    ));
    assert!(hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == expected[0].as_str()));
}

#[test]
fn a_reindex_killed_at_any_point_leaves_the_served_generation_intact() {
    let s = site();
    assert_eq!(run(&s, &["reindex"]).status.code(), Some(0));
    let served = current(&s);
    for (i, stage) in ["hashed", "parsed", "written", "verified"]
        .iter()
        .enumerate()
    {
        edit(
            &s,
            "AR/LEY-346.md",
            "ARTICULO",
            &format!("ARTICULO{}", " ".repeat(i + 1)),
        );
        let mut child = consulex(&s, &["reindex"], &[("CONSULEX_REINDEX_PAUSE", stage)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        assert!(
            child.try_wait().unwrap().is_none(),
            "reindex finished before the {stage} pause"
        );
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert_eq!(current(&s), served, "after a kill at {stage}");
        consulex::index::build::verify_dir(&s.index.join("generations").join(&served)).unwrap();
        let st = json(&run(&s, &["status", "--json"]));
        assert_eq!(st["current"], served.as_str());
    }
    let out = run(&s, &["reindex", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(current(&s), served);
    let leftovers = std::fs::read_dir(s.index.join("generations"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn deleting_most_of_the_corpus_is_refused_and_the_old_generation_keeps_serving() {
    let s = site();
    assert_eq!(run(&s, &["reindex"]).status.code(), Some(0));
    let served = current(&s);
    for cc in ["AR", "CL", "INTL"] {
        std::fs::remove_dir_all(s.corpus.join(cc)).unwrap();
    }
    let out = run(&s, &["reindex"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("switch refused") && err.contains("80%"),
        "{err}"
    );
    assert_eq!(current(&s), served);
    let st = json(&run(&s, &["status", "--json"]));
    assert_eq!(st["last_reindex"]["outcome"], "refused");
    // an operator who means it can force the switch
    assert_eq!(run(&s, &["reindex", "--force"]).status.code(), Some(0));
    assert_ne!(current(&s), served);
    // and roll back
    let out = run(&s, &["rollback"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(current(&s), served);
}

#[test]
fn a_second_concurrent_reindex_exits_with_the_lock_message() {
    let s = site();
    let mut first = consulex(&s, &["reindex"], &[("CONSULEX_REINDEX_PAUSE", "parsed")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let t = Instant::now();
    let second = run(&s, &["reindex"]);
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "the second reindex waited"
    );
    assert_eq!(second.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&second.stderr).contains("another reindex is running"));
    first.kill().unwrap();
    first.wait().unwrap();
}

fn http(port: u16, method: &str, path: &str, headers: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let code = out.get(9..12)?.parse().ok()?;
    Some((code, out))
}

fn start_server(s: &Site, port: u16, token: &str) -> Child {
    let child = consulex(
        s,
        &["serve", "--addr", &format!("127.0.0.1:{port}")],
        &[("CONSULEX_ADMIN_TOKEN", token)],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let t = Instant::now();
    while http(port, "GET", "/health", "").is_none() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

fn generation_served(port: u16) -> String {
    let (_, body) = http(port, "GET", "/health", "").unwrap();
    let json = &body[body.find('{').unwrap()..];
    serde_json::from_str::<serde_json::Value>(json).unwrap()["generation"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn searches_never_fail_while_two_reindexes_switch_under_a_running_server() {
    let s = site();
    assert_eq!(run(&s, &["reindex"]).status.code(), Some(0));
    let port = common::free_port();
    let mut server = start_server(&s, port, "s3cret");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut ok, mut failed) = (0u32, 0u32);
            let t = Instant::now();
            while !stop.load(std::sync::atomic::Ordering::Relaxed)
                && t.elapsed() < Duration::from_secs(120)
            {
                match http(port, "GET", "/v1/search?q=consulado&limit=5", "") {
                    Some((200, body)) if body.contains("\"hits\"") => ok += 1,
                    _ => failed += 1,
                }
            }
            (ok, failed)
        })
    };
    for (i, marker) in ["zqxjwvconsular", "zqxjwvsegundo"].iter().enumerate() {
        edit(
            &s,
            "UY/UY-ley-19268.md",
            if i == 0 {
                "modernización tecnológica"
            } else {
                "zqxjwvconsular"
            },
            marker,
        );
        let out = run(&s, &["reindex"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let target = current(&s);
        let t = Instant::now();
        while generation_served(port) != target {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "server did not follow to {target}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let (code, body) = http(
            port,
            "GET",
            &format!("/v1/search?q={marker}&expand=false"),
            "",
        )
        .unwrap();
        assert_eq!(code, 200);
        assert!(
            body.contains("uy-uy-ley-19268"),
            "results do not reflect {target}"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (ok, failed) = client.join().unwrap();
    assert_eq!(failed, 0, "{failed} failed requests out of {}", ok + failed);
    assert!(ok > 10);

    // the admin reload route: a wrong token is refused, the right one works
    let (code, _) = http(
        port,
        "POST",
        "/v1/admin/reload",
        "Authorization: Bearer wrong\r\n",
    )
    .unwrap();
    assert_eq!(code, 401);
    let (code, body) = http(
        port,
        "POST",
        "/v1/admin/reload",
        "Authorization: Bearer s3cret\r\n",
    )
    .unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"switched\":false"));
    let (code, body) = http(port, "GET", "/v1/changes?since=2000-01-01&country=UY", "").unwrap();
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("uy-uy-ley-19268"));
    let (code, _) = http(port, "GET", "/v1/status", "").unwrap();
    assert_eq!(code, 200);
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
}

#[test]
fn admin_routes_are_disabled_without_a_token() {
    let s = site();
    assert_eq!(run(&s, &["reindex"]).status.code(), Some(0));
    let port = common::free_port();
    let mut server = start_server(&s, port, "");
    let (code, body) = http(
        port,
        "POST",
        "/v1/admin/reload",
        "Authorization: Bearer anything\r\n",
    )
    .unwrap();
    assert_eq!(code, 404, "{body}");
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
}
