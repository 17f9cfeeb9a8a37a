//! A practice submission's round trip against the real server, as the secretariat runs it:
//! `consulex serve` with a submitter token takes a record over HTTP as pending (401 without
//! the token, 403 with the admin's, 400 naming a bad field, 409 for a duplicate), a server
//! killed in the middle of a submission leaves no partial record, and after `consulex practices
//! approve` and `consulex reindex` the record is searchable.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SUBMITTER: &str = "submitter-secret-for-tests";
const ADMIN: &str = "admin-secret-for-tests";

struct Dirs {
    _tmp: tempfile::TempDir,
    practices: PathBuf,
    submissions: PathBuf,
    index: PathBuf,
}

fn dirs() -> Dirs {
    let tmp = tempfile::tempdir().unwrap();
    let practices = tmp.path().join("practices");
    std::fs::create_dir_all(&practices).unwrap();
    for f in ["mx-test-consular-hotline.md", "reg-test-network.md"] {
        std::fs::copy(
            common::fixture(&format!("practices/{f}")),
            practices.join(f),
        )
        .unwrap();
    }
    Dirs {
        submissions: tmp.path().join("submissions"),
        index: tmp.path().join("index"),
        practices,
        _tmp: tmp,
    }
}

fn consulex(d: &Dirs, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_consulex"));
    c.args(args)
        .env("CONSULEX_CORPUS", common::repo_file("corpus/sample"))
        .env("CONSULEX_PRACTICES", &d.practices)
        .env("CONSULEX_SUBMISSIONS", &d.submissions)
        .env("CONSULEX_INDEX", &d.index)
        .env("CONSULEX_SUBMITTER_TOKEN", SUBMITTER)
        .env("CONSULEX_ADMIN_TOKEN", ADMIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn serve(d: &Dirs) -> (Child, u16) {
    let port = common::free_port();
    let child = consulex(d, &["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while request(port, "GET", "/health", "", "").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "server did not come up"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    (child, port)
}

/// One HTTP/1.1 exchange: (status, body).
fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.get(9..12)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

fn post(port: u16, token: Option<&str>, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let (status, body) = request(
        port,
        "POST",
        "/v1/practices",
        &format!("{auth}Content-Type: application/json\r\n"),
        &body.to_string(),
    )
    .unwrap();
    (status, serde_json::from_str(&body).unwrap_or_default())
}

fn search(port: u16, q: &str) -> serde_json::Value {
    let (status, body) = request(
        port,
        "GET",
        &format!("/v1/search?type=practice&q={}", common::enc(q)),
        "",
        "",
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn record() -> serde_json::Value {
    let summary: Vec<String> = (0..10)
        .map(|i| format!("Consular officers visit every detained national within three days {i}."))
        .collect();
    serde_json::json!({
        "country": "CL",
        "title": "Programa de visitas carcelarias zafirinas",
        "title_en": "Zaffirine prison visits programme",
        "language": "es",
        "kind": "programme",
        "year": 2021,
        "institution": "Ministerio de Relaciones Exteriores",
        "categories": ["protection/detention"],
        "legal_basis": null,
        "sources": [{"url": "https://example.org/visits", "title": "Visits", "publisher": "consulex tests", "date": null}],
        "summary": summary.join(" "),
    })
}

fn records_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_submission_is_pending_until_approved_and_reindexed() {
    let d = dirs();
    let (mut server, port) = serve(&d);

    // the role: none, unknown, another role's
    let (s, b) = post(port, None, &record());
    assert_eq!((s, b["code"].as_str()), (401, Some("unauthorized")), "{b}");
    let (s, b) = post(port, Some("not-a-token"), &record());
    assert_eq!(s, 401, "{b}");
    let (s, b) = post(port, Some(ADMIN), &record());
    assert_eq!((s, b["code"].as_str()), (403, Some("forbidden")), "{b}");
    // the submitter's token may not reload the index either
    let (s, _) = request(
        port,
        "POST",
        "/v1/admin/reload",
        &format!("Authorization: Bearer {SUBMITTER}\r\n"),
        "",
    )
    .unwrap();
    assert_eq!(s, 403);

    // a bad field is named
    let mut bad = record();
    bad["categories"] = serde_json::json!(["protection/no-such-thing"]);
    let (s, b) = post(port, Some(SUBMITTER), &bad);
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["code"], "invalid_parameter");
    assert!(b["message"].as_str().unwrap().contains("categories"), "{b}");
    let (s, b) = request(
        port,
        "POST",
        "/v1/practices",
        &format!("Authorization: Bearer {SUBMITTER}\r\nContent-Type: application/json\r\n"),
        "{\"title\": ",
    )
    .unwrap();
    assert_eq!(s, 400, "{b}");
    assert!(b.contains("body"), "{b}");
    assert!(records_in(&d.submissions).is_empty());

    // a valid one: a receipt, a pending file, nothing served
    let mut marked = record();
    marked["title"] = serde_json::json!("<em>Programa de visitas carcelarias zafirinas</em>");
    let (s, receipt) = post(port, Some(SUBMITTER), &marked);
    assert_eq!(s, 201, "{receipt}");
    let id = receipt["id"].as_str().unwrap().to_string();
    assert_eq!(id, "cl-zaffirine-prison-visits-programme");
    assert_eq!(receipt["status"], "pending");
    assert!(receipt["hash"].as_str().is_some_and(|h| !h.is_empty()));
    assert_eq!(records_in(&d.submissions), vec![format!("{id}.md")]);
    let text = std::fs::read_to_string(d.submissions.join(format!("{id}.md"))).unwrap();
    assert!(
        text.contains("status: pending") && !text.contains("<em>"),
        "{text}"
    );
    assert!(records_in(&d.practices)
        .iter()
        .all(|f| !f.contains("zaffirine")));
    assert_eq!(search(port, "zafirinas")["practice_total"], 0);

    // the same record again: refused with the existing id
    let (s, b) = post(port, Some(SUBMITTER), &record());
    assert_eq!((s, b["code"].as_str()), (409, Some("duplicate")), "{b}");
    assert!(b["message"].as_str().unwrap().contains(&id), "{b}");

    // killed in the middle of a submission: half a body sent, then the process gone
    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut other = record();
    other["country"] = serde_json::json!("AR");
    let body = other.to_string();
    write!(
        half,
        "POST /v1/practices HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {SUBMITTER}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        body.len(),
        &body[..body.len() / 2]
    )
    .unwrap();
    half.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    kill(&mut server);
    drop(half);
    assert_eq!(records_in(&d.submissions), vec![format!("{id}.md")]);

    // the reviewer's side
    let out = consulex(&d, &["practices", "list", "--pending"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{listed}");
    assert!(
        listed.contains(&id) && listed.contains("1 pending"),
        "{listed}"
    );
    let out = consulex(&d, &["practices", "approve", &id])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(records_in(&d.submissions).is_empty());
    let published = std::fs::read_to_string(d.practices.join(format!("{id}.md"))).unwrap();
    assert!(published.contains("status: published"), "{published}");
    let out = consulex(&d, &["reindex"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // the command line finds it too
    let out = consulex(&d, &["search", "zafirinas", "--type", "practice"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{printed}");
    assert!(
        printed.contains("shared practices (1)") && printed.contains(&id),
        "{printed}"
    );

    let (mut server, port) = serve(&d);
    let found = search(port, "zafirinas");
    assert_eq!(found["practice_total"], 1, "{found}");
    assert_eq!(found["practices"][0]["id"], id.as_str());
    kill(&mut server);
}

#[test]
fn without_a_submitter_token_the_route_does_not_exist_and_reject_keeps_the_reason() {
    let d = dirs();
    let port = common::free_port();
    let mut server = consulex(&d, &["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("CONSULEX_SUBMITTER_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while request(port, "GET", "/health", "", "").is_none() {
        assert!(start.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(200));
    }
    // without a submitter token the server takes no submissions: POST is not a method of
    // the route (405, the one error shape), and the document does not list it
    let (s, b) = post(port, Some(SUBMITTER), &record());
    assert_eq!(s, 405, "{b}");
    assert_eq!(b["code"], "method_not_allowed", "{b}");
    kill(&mut server);

    // a record put in the folder by hand is reviewed like a submitted one
    std::fs::create_dir_all(&d.submissions).unwrap();
    let text = std::fs::read_to_string(common::fixture("practices/mx-test-consular-hotline.md"))
        .unwrap()
        .replace("mx-test-consular-hotline", "mx-test-second-hotline")
        .replace("Test consular hotline", "Second test hotline")
        .replace("Línea consular de prueba", "Segunda línea")
        .replace("status: published", "status: pending");
    std::fs::write(d.submissions.join("mx-test-second-hotline.md"), text).unwrap();
    let out = consulex(&d, &["practices", "reject", "mx-test-second-hotline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a rejection needs a reason");
    let out = consulex(
        &d,
        &[
            "practices",
            "reject",
            "mx-test-second-hotline",
            "--reason",
            "the sources describe another programme",
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(records_in(&d.submissions).is_empty());
    let rejected = d.submissions.join("rejected");
    let files = records_in(&rejected);
    assert_eq!(files.len(), 1, "{files:?}");
    let reason = std::fs::read_dir(&rejected)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".reason.txt"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .unwrap();
    assert!(reason.contains("another programme"), "{reason}");
    let out = consulex(&d, &["practices", "approve", "mx-test-second-hotline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no pending submission"));
}

#[test]
fn the_web_form_needs_the_token_and_answers_with_a_receipt() {
    let d = dirs();
    let (mut server, port) = serve(&d);
    let (s, page) = request(port, "GET", "/practices/submit?lang=es", "", "").unwrap();
    assert_eq!(s, 200);
    assert!(
        page.contains("name=\"token\"") && page.contains("Enviar para revisión"),
        "{page}"
    );
    let summary = record()["summary"].as_str().unwrap().replace(' ', "+");
    let form = |token: &str| {
        format!(
            "token={token}&country=CL&title=Programa+web+zafirino&language=es&kind=service&categories=protection%2Fdetention&source_url=https%3A%2F%2Fexample.org%2Fweb&summary={summary}"
        )
    };
    let urlencoded = "Content-Type: application/x-www-form-urlencoded\r\n";
    let (s, page) = request(
        port,
        "POST",
        "/practices/submit?lang=en",
        urlencoded,
        &form("wrong"),
    )
    .unwrap();
    assert_eq!(s, 401);
    // the form comes back with what was typed and the reason
    assert!(
        page.contains("Not received") && page.contains("Programa web zafirino"),
        "{page}"
    );
    assert!(records_in(&d.submissions).is_empty());
    let (s, page) = request(
        port,
        "POST",
        "/practices/submit?lang=en",
        urlencoded,
        &form(SUBMITTER),
    )
    .unwrap();
    assert_eq!(s, 201, "{page}");
    assert!(
        page.contains("Received as pending") && page.contains("cl-programa-web-zafirino"),
        "{page}"
    );
    assert_eq!(
        records_in(&d.submissions),
        vec!["cl-programa-web-zafirino.md"]
    );
    kill(&mut server);
}
