//! The library's one error type. Messages are lower case and name the file, field or parameter
//! at fault; the CLI maps variants to exit codes and the API to HTTP statuses.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The configuration or a project data file (taxonomy, countries) is invalid.
    #[error("configuration: {0}")]
    Config(String),
    /// A request or argument is invalid; the message names the parameter.
    #[error("invalid {param}: {message}")]
    Invalid { param: String, message: String },
    /// Something asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// No index generation is available to serve.
    #[error("no index: {0}")]
    NoIndex(String),
    /// The live generation was built with an older schema than this program's.
    #[error("outdated index: {0}; run `consulex index` to build a new generation")]
    OutdatedIndex(String),
    /// Another process holds the reindex lock.
    #[error("another reindex is running ({0})")]
    Locked(String),
    /// A new generation failed its checks and was not switched to.
    #[error("switch refused: {0}")]
    Refused(String),
    /// A submitted record repeats one that exists (published or pending).
    #[error("duplicate: {0}")]
    Duplicate(String),
    /// The search engine failed.
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Serialization of stored data failed.
    #[error("data: {0}")]
    Data(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            param: param.to_string(),
            message: message.into(),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Data(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
