//! The binary as a user runs it: `check` exit codes and messages on a small corpus.

mod common;

use std::process::Command;

fn consulex(args: &[&str], corpus: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_consulex"))
        .args(args)
        .env("CONSULEX_CORPUS", corpus)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn check_reports_rejected_files_with_reason_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("CO")).unwrap();
    std::fs::copy(
        common::fixture("md/ley-ejemplo.md"),
        dir.path().join("CO/LEY-1-2020.md"),
    )
    .unwrap();
    let out = consulex(&["check"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("LEY 1 DE 2020"), "{text}");
    assert!(text.contains("1 instruments, 5 provisions"), "{text}");

    std::fs::copy(
        common::fixture("md/utf8-invalido.md"),
        dir.path().join("CO/ROTO.md"),
    )
    .unwrap();
    let out = consulex(&["check", "--json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rejected"][0]["file"], "CO/ROTO.md");
    assert!(v["rejected"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
    assert_eq!(v["instruments"][0]["provisions"], 5);
}

#[test]
fn usage_errors_exit_2() {
    let out = consulex(&["check", "--no-such-flag"], &common::shared_corpus());
    assert_eq!(out.status.code(), Some(2));
    let out = consulex(
        &["check", "--corpus", "/nonexistent/corpus"],
        &common::shared_corpus(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}
