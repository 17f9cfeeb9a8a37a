//! One `Config`: the file `consulex.toml` < environment (`CONSULEX_*`) < command-line flags,
//! validated before use. Relative paths in the file are taken from the file's directory, so the
//! defaults work from a fresh clone whatever the working directory inside it.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    corpus: Option<PathBuf>,
    practices: Option<PathBuf>,
    index: Option<PathBuf>,
    taxonomy: Option<PathBuf>,
    countries: Option<PathBuf>,
    glossary: Option<PathBuf>,
    addr: Option<String>,
    admin_token: Option<String>,
    submitter_token: Option<String>,
    submissions: Option<PathBuf>,
    result_cache: Option<usize>,
    #[serde(default)]
    server: ServerLimits,
}

/// What one client may hold of the HTTP server (`[server]` in `consulex.toml`). Each bound
/// answers a way a slow, hostile or broken client could otherwise keep memory or connections;
/// docs/OPERATIONS.md says which. Times are in milliseconds.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerLimits {
    /// A request head must be complete this long after the connection opened or the previous
    /// response was sent (so it is also how long an idle keep-alive connection is kept).
    pub header_timeout_ms: u64,
    /// A connection on which no byte moves for this long while no request is being handled is
    /// closed (a client that stops reading its response, or stalls a body).
    pub idle_timeout_ms: u64,
    /// Deadline of one request, engine work included: past it the answer is 503 `timeout`.
    pub request_timeout_ms: u64,
    /// Request line and headers together, in bytes.
    pub max_header_bytes: usize,
    /// Path and query string, in bytes.
    pub max_uri_bytes: usize,
    pub max_body_bytes: usize,
    /// Open connections; one more is answered 503 `overloaded` and closed.
    pub max_connections: usize,
    /// Requests handled at once; more wait (within their deadline) for a turn.
    pub max_in_flight: usize,
    /// Practice submissions accepted per minute, all submitters together; more are answered
    /// 429 `rate_limited` (a token that leaks cannot fill the submissions folder).
    pub max_submissions_per_minute: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_timeout_ms: 5_000,
            idle_timeout_ms: 30_000,
            request_timeout_ms: 10_000,
            max_header_bytes: 32 * 1024,
            max_uri_bytes: 16 * 1024 + 512,
            max_body_bytes: 16 * 1024,
            max_connections: 512,
            max_in_flight: 64,
            max_submissions_per_minute: 30,
        }
    }
}

impl ServerLimits {
    /// Refuses limits that would make the server unusable.
    pub fn validate(&self) -> Result<()> {
        let checks: [(&str, u64, u64); 9] = [
            ("server.header_timeout_ms", self.header_timeout_ms, 100),
            ("server.idle_timeout_ms", self.idle_timeout_ms, 100),
            ("server.request_timeout_ms", self.request_timeout_ms, 1),
            (
                "server.max_header_bytes",
                self.max_header_bytes as u64,
                1024,
            ),
            ("server.max_uri_bytes", self.max_uri_bytes as u64, 256),
            ("server.max_body_bytes", self.max_body_bytes as u64, 0),
            ("server.max_connections", self.max_connections as u64, 1),
            ("server.max_in_flight", self.max_in_flight as u64, 1),
            (
                "server.max_submissions_per_minute",
                self.max_submissions_per_minute as u64,
                1,
            ),
        ];
        for (name, v, min) in checks {
            if v < min {
                return Err(Error::invalid(
                    name,
                    format!("{v} is below the minimum {min}"),
                ));
            }
        }
        Ok(())
    }
}

/// Effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub corpus: PathBuf,
    /// The shared practices folder (`practices`); `None` when none was configured and the
    /// default `../shared/practices` does not exist (then no practice is read, and
    /// `practices_note` says so).
    pub practices: Option<PathBuf>,
    pub practices_note: Option<String>,
    pub index: PathBuf,
    pub taxonomy: PathBuf,
    pub countries: PathBuf,
    pub glossary: PathBuf,
    pub addr: String,
    pub admin_token: Option<String>,
    /// The bearer token of the submitter role (`POST /v1/practices`); none: no submissions.
    pub submitter_token: Option<String>,
    /// Where submitted practices wait for review (`submissions`; default `submissions` beside
    /// the configuration file, or in the current directory).
    pub submissions: PathBuf,
    /// Search responses each generation keeps (0: no cache).
    pub result_cache: usize,
    pub server: ServerLimits,
    /// Set when no corpus was configured and `../shared/corpus` does not exist, so the sample
    /// carried in the repository is read instead: what to tell the user when a command starts.
    pub corpus_fallback: Option<String>,
}

/// The shared corpus, the default when nothing else is configured.
pub const DEFAULT_CORPUS: &str = "../shared/corpus";
/// The sample corpus carried in the repository (`corpus/sample/README.md`).
pub const SAMPLE_CORPUS: &str = "corpus/sample";
/// The shared practices, the default when nothing else is configured.
pub const DEFAULT_PRACTICES: &str = "../shared/practices";

/// Values given on the command line; `None` means "not given".
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub corpus: Option<PathBuf>,
    pub practices: Option<PathBuf>,
    pub index: Option<PathBuf>,
    pub addr: Option<String>,
}

impl Config {
    /// Loads `consulex.toml` (from `--config`, `CONSULEX_CONFIG`, or the current directory and
    /// its parents), then applies the environment and the flags.
    pub fn load(o: &Overrides) -> Result<Config> {
        let file = o
            .config_file
            .clone()
            .or_else(|| std::env::var_os("CONSULEX_CONFIG").map(PathBuf::from))
            .or_else(find_config_file);
        let (fc, base) = match &file {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
                let fc: FileConfig = toml::from_str(&text)
                    .map_err(|e| Error::Config(format!("{}: {e}", p.display())))?;
                (fc, p.parent().map(Path::to_path_buf).unwrap_or_default())
            }
            None => (
                FileConfig::default(),
                std::env::current_dir().unwrap_or_default(),
            ),
        };
        let from_file = |v: Option<PathBuf>, default: &str| {
            let p = v.unwrap_or_else(|| PathBuf::from(default));
            if p.is_absolute() {
                p
            } else {
                base.join(p)
            }
        };
        let env_path = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let configured = o
            .corpus
            .clone()
            .or_else(|| env_path("CONSULEX_CORPUS"))
            .or_else(|| {
                fc.corpus
                    .clone()
                    .map(|p| from_file(Some(p), DEFAULT_CORPUS))
            });
        // A corpus that was asked for and is missing is an error where it is used; only the
        // unconfigured default falls back, and says so.
        let mut corpus_fallback = None;
        let corpus = match configured {
            Some(p) => p,
            None => {
                let shared = from_file(None, DEFAULT_CORPUS);
                if shared.is_dir() {
                    shared
                } else {
                    let sample = from_file(None, SAMPLE_CORPUS);
                    corpus_fallback = Some(format!(
                        "no corpus configured and {} does not exist: using the sample corpus {} (a few hundred provisions; set --corpus, CONSULEX_CORPUS or `corpus =` in consulex.toml for a full one)",
                        shared.display(),
                        sample.display()
                    ));
                    sample
                }
            }
        };
        // Practices as the corpus: flag, environment, file; the default only where it exists.
        let configured_practices = o
            .practices
            .clone()
            .or_else(|| env_path("CONSULEX_PRACTICES"))
            .or_else(|| {
                fc.practices
                    .clone()
                    .map(|p| from_file(Some(p), DEFAULT_PRACTICES))
            });
        let (practices, practices_note) = match configured_practices {
            Some(p) => (Some(p), None),
            None => {
                let shared = from_file(None, DEFAULT_PRACTICES);
                if shared.is_dir() {
                    (Some(shared), None)
                } else {
                    (
                        None,
                        Some(format!(
                            "no practices configured and {} does not exist: no shared practice is read (set --practices, CONSULEX_PRACTICES or `practices =` in consulex.toml)",
                            shared.display()
                        )),
                    )
                }
            }
        };
        let index = o
            .index
            .clone()
            .or_else(|| env_path("CONSULEX_INDEX"))
            .unwrap_or_else(|| from_file(fc.index.clone(), "index"));
        let addr = o
            .addr
            .clone()
            .or_else(|| {
                std::env::var("CONSULEX_ADDR")
                    .ok()
                    .filter(|v| !v.is_empty())
            })
            .or(fc.addr.clone())
            .unwrap_or_else(|| "127.0.0.1:8080".to_string());
        let admin_token = std::env::var("CONSULEX_ADMIN_TOKEN")
            .ok()
            .filter(|v| !v.is_empty())
            .or(fc.admin_token.clone());
        let submitter_token = std::env::var("CONSULEX_SUBMITTER_TOKEN")
            .ok()
            .filter(|v| !v.is_empty())
            .or(fc.submitter_token.clone())
            .filter(|v| !v.is_empty());
        if let (Some(s), Some(a)) = (&submitter_token, &admin_token) {
            if s == a {
                return Err(Error::invalid(
                    "submitter_token",
                    "must differ from the admin token (each token is one role)",
                ));
            }
        }
        let submissions = env_path("CONSULEX_SUBMISSIONS")
            .unwrap_or_else(|| from_file(fc.submissions.clone(), "submissions"));
        let result_cache = match std::env::var("CONSULEX_RESULT_CACHE") {
            Ok(v) if !v.is_empty() => v.parse().map_err(|_| {
                Error::invalid(
                    "CONSULEX_RESULT_CACHE",
                    format!("{v:?} is not a number of responses"),
                )
            })?,
            _ => fc
                .result_cache
                .unwrap_or(crate::search::RESULT_CACHE_DEFAULT),
        };
        fc.server.validate()?;
        Ok(Config {
            server: fc.server.clone(),
            result_cache,
            corpus_fallback,
            corpus,
            practices,
            practices_note,
            index,
            taxonomy: from_file(fc.taxonomy, "corpus/taxonomy.toml"),
            countries: from_file(fc.countries, "corpus/countries.toml"),
            glossary: from_file(fc.glossary, "corpus/glossary.toml"),
            addr,
            admin_token,
            submitter_token,
            submissions,
        })
    }
}

fn find_config_file() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        let p = dir.join("consulex.toml");
        if p.is_file() {
            return Some(p);
        }
        if !dir.pop() {
            return None;
        }
    }
}
