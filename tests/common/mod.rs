//! Shared helpers for integration tests: where the shared corpus and the fixtures are.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared corpus: `CONSULEX_CORPUS` if set, else `../shared/corpus` beside the repository.
pub fn shared_corpus() -> PathBuf {
    std::env::var_os("CONSULEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}
