//! Shared helpers for integration tests: where the shared corpus and the fixtures are.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared corpus: `CONSULEX_CORPUS` if set, else `../shared/corpus` beside the repository.
pub fn shared_corpus() -> PathBuf {
    std::env::var_os("CONSULEX_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// The shared practices: `CONSULEX_PRACTICES` if set, else `../shared/practices`.
pub fn shared_practices() -> PathBuf {
    std::env::var_os("CONSULEX_PRACTICES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/practices"))
}

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// One index per test binary, built from the shared corpus and practices into a temporary directory, behind
/// the real router's state.
pub fn app_state() -> &'static consulex::api::AppState {
    use std::sync::OnceLock;
    static F: OnceLock<(tempfile::TempDir, consulex::api::AppState)> = OnceLock::new();
    &F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let res = resources();
        let opts = consulex::index::build::Options {
            corpus: shared_corpus(),
            index_root: dir.path().to_path_buf(),
            full: true,
            force: true,
            practices: Some(shared_practices()),
        };
        consulex::index::build::reindex(&opts, &res.annotator, &res.registry, &|_| {}).unwrap();
        let engine = consulex::search::Engine::open(dir.path(), resources()).unwrap();
        (dir, consulex::api::AppState::new(engine))
    })
    .1
}

pub fn resources() -> consulex::search::Resources {
    consulex::search::Resources::load(
        &repo_file("corpus/taxonomy.toml"),
        &repo_file("corpus/countries.toml"),
        &repo_file("corpus/glossary.toml"),
    )
    .unwrap()
}

/// GET through the real router, in-process: status and body (JSON, or the text as a string).
pub fn get(uri: &str) -> (axum::http::StatusCode, serde_json::Value) {
    let (s, _, body) = get_with(uri, &[]);
    let v = serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body));
    (s, v)
}

/// GET with headers: status, content type and body text.
pub fn get_with(uri: &str, headers: &[(&str, &str)]) -> (axum::http::StatusCode, String, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut req = axum::http::Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = consulex::api::router(app_state().clone())
            .oneshot(req.body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, ctype, String::from_utf8_lossy(&bytes).into_owned())
    })
}

pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A TCP port free on the loopback interface now, for a server started by a test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
