//! The sample corpus a fresh clone falls back on: chosen only when nothing is configured and the
//! shared corpus is absent, announced, readable in four languages, and byte-identical to its
//! sources.

mod common;

use consulex::config::{Config, Overrides};
use std::path::Path;
use std::process::Command;

fn write_config(dir: &Path, extra: &str) -> std::path::PathBuf {
    let repo = common::repo_file("");
    let p = dir.join("consulex.toml");
    std::fs::write(
        &p,
        format!(
            "taxonomy = \"{0}/corpus/taxonomy.toml\"\ncountries = \"{0}/corpus/countries.toml\"\nglossary = \"{0}/corpus/glossary.toml\"\nindex = \"index\"\n{extra}",
            repo.display()
        ),
    )
    .unwrap();
    p
}

fn load(config_file: &Path) -> Config {
    Config::load(&Overrides {
        config_file: Some(config_file.to_path_buf()),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn the_sample_is_used_only_when_nothing_is_configured_and_the_shared_corpus_is_absent() {
    // `dir/clone/consulex.toml`: its ../shared/corpus is `dir/shared/corpus`.
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    std::fs::create_dir_all(&clone).unwrap();
    let cfg_file = write_config(&clone, "");
    let cfg = load(&cfg_file);
    assert_eq!(cfg.corpus, clone.join("corpus/sample"));
    let note = cfg.corpus_fallback.expect("the fallback is announced");
    assert!(note.contains("sample corpus"), "{note}");

    std::fs::create_dir_all(dir.path().join("shared/corpus")).unwrap();
    let cfg = load(&cfg_file);
    assert_eq!(cfg.corpus, clone.join("../shared/corpus"));
    assert!(cfg.corpus_fallback.is_none());

    // A corpus that is asked for is used as given, even when missing (an error where used).
    let cfg = load(&write_config(&clone, "corpus = \"elsewhere\"\n"));
    assert_eq!(cfg.corpus, clone.join("elsewhere"));
    assert!(cfg.corpus_fallback.is_none());
}

#[test]
fn the_sample_reads_in_four_languages_without_rejections() {
    let c = consulex::corpus::load(&common::repo_file("corpus/sample"), true).unwrap();
    assert!(c.rejected.is_empty(), "{:?}", c.rejected);
    let langs: std::collections::BTreeSet<&str> = c
        .instruments
        .iter()
        .map(|l| l.instrument.language.code())
        .collect();
    assert_eq!(
        langs.into_iter().collect::<Vec<_>>(),
        ["en", "es", "fr", "pt"]
    );
    let n = c.provision_count();
    assert!((300..1000).contains(&n), "a few hundred provisions: {n}");
    for l in &c.instruments {
        assert!(l.instrument.licence.is_some() && l.instrument.attribution.is_some());
    }
}

#[test]
fn the_sample_files_are_byte_identical_copies_of_the_shared_corpus() {
    let shared = common::shared_corpus();
    if !shared.is_dir() {
        eprintln!("skipped: no shared corpus at {}", shared.display());
        return;
    }
    let sample = common::repo_file("corpus/sample");
    let mut compared = 0;
    for e in walkdir::WalkDir::new(&sample) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&sample).unwrap();
        if !e.file_type().is_file() || rel == Path::new("README.md") {
            continue;
        }
        let a = std::fs::read(e.path()).unwrap();
        let b = std::fs::read(shared.join(rel))
            .unwrap_or_else(|_| panic!("{} is not in the shared corpus", rel.display()));
        assert!(a == b, "{} differs from its source", rel.display());
        compared += 1;
    }
    assert!(compared >= 15, "{compared}");
}

#[test]
fn a_command_on_a_fresh_clone_says_it_uses_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    std::fs::create_dir_all(clone.join("corpus")).unwrap();
    let cfg_file = write_config(&clone, "");
    // The clone's own sample (the repository's), as a fresh clone has it.
    let status = Command::new("cp")
        .arg("-r")
        .arg(common::repo_file("corpus/sample"))
        .arg(clone.join("corpus/"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_consulex"))
        .args(["--config"])
        .arg(&cfg_file)
        .arg("check")
        .env_remove("CONSULEX_CORPUS")
        .current_dir(&clone)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stderr}{stdout}");
    assert!(stderr.contains("using the sample corpus"), "{stderr}");
    assert!(
        stdout.contains("BR/L13445-lei-de-migracao.json"),
        "{stdout}"
    );
    assert!(stdout.contains("0 rejected"), "{stdout}");
}
