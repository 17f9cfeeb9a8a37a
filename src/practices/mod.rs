//! Shared practices: the documented programmes, protocols and services of member states
//! (`../shared/spec/practices.md`), read from one Markdown file with YAML front matter each,
//! validated field by field, and linked to the instruments of the corpus that they name as
//! their legal basis. A bad record is reported by file, line and field and skipped; every other
//! record is read.
//!
//! Not for: indexing (see `index::build`) or serving (see `search::practices`).

pub mod link;
pub(crate) mod read;
pub mod submit;

pub use read::{parse_record, Problem};

use crate::annotate::taxonomy::{CategoryId, Taxonomy};
use crate::corpus::countries::Registry;
use crate::corpus::model::CountryCode;
use crate::error::{Error, Result};
use crate::text::Language;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A practice id: lowercase letters, digits and hyphens, starting with the lowercase code of its
/// country (`mx-...`) or `reg-` for a regional mechanism; the file is named after it.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct PracticeId(String);

/// Longest id accepted (file names stay portable).
pub const MAX_ID_LEN: usize = 96;

impl PracticeId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PracticeId {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if s.is_empty() || s.len() > MAX_ID_LEN {
            return Err(format!("'{s}' must be 1 to {MAX_ID_LEN} characters"));
        }
        if !ok_chars || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(format!(
                "'{s}' must be lowercase letters, digits and single hyphens"
            ));
        }
        Ok(PracticeId(s.to_string()))
    }
}

impl TryFrom<String> for PracticeId {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        s.parse()
    }
}

impl From<PracticeId> for String {
    fn from(p: PracticeId) -> String {
        p.0
    }
}

impl fmt::Display for PracticeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a practice is (the spec's closed list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PracticeKind {
    Programme,
    Protocol,
    Service,
    Network,
    Agreement,
    Campaign,
    Training,
    InformationSystem,
    Institution,
}

impl PracticeKind {
    pub const ALL: [PracticeKind; 9] = [
        PracticeKind::Programme,
        PracticeKind::Protocol,
        PracticeKind::Service,
        PracticeKind::Network,
        PracticeKind::Agreement,
        PracticeKind::Campaign,
        PracticeKind::Training,
        PracticeKind::InformationSystem,
        PracticeKind::Institution,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PracticeKind::Programme => "programme",
            PracticeKind::Protocol => "protocol",
            PracticeKind::Service => "service",
            PracticeKind::Network => "network",
            PracticeKind::Agreement => "agreement",
            PracticeKind::Campaign => "campaign",
            PracticeKind::Training => "training",
            PracticeKind::InformationSystem => "information-system",
            PracticeKind::Institution => "institution",
        }
    }
}

impl FromStr for PracticeKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        PracticeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let all: Vec<_> = PracticeKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("'{s}' is not one of {}", all.join(", "))
            })
    }
}

/// Whether a record is served (`published`) or waits for review (`pending`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = PracticeStatus)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Published,
    Pending,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Pending => "pending",
        }
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "published" => Ok(Status::Published),
            "pending" => Ok(Status::Pending),
            _ => Err(format!("'{s}' is not one of published, pending")),
        }
    }
}

/// One source a record rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = PracticeSource)]
pub struct Source {
    pub url: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
}

/// One practice record, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Practice {
    pub id: PracticeId,
    /// The state that runs it; `None` for a regional mechanism (see `countries`).
    pub country: Option<CountryCode>,
    /// All participating states (regional mechanisms); may be empty for a national practice.
    pub countries: Vec<CountryCode>,
    pub title: String,
    pub title_en: Option<String>,
    /// Language of `title`.
    pub language: Language,
    pub kind: PracticeKind,
    pub year: Option<i64>,
    pub institution: Option<String>,
    pub partners: Vec<String>,
    /// Leaf ids of the taxonomy.
    pub categories: Vec<CategoryId>,
    /// The law or article the sources name as its basis.
    pub legal_basis: Option<String>,
    pub sources: Vec<Source>,
    pub status: Status,
    /// The Markdown body: an English summary of 60-150 words.
    pub summary: String,
    /// Path of the file relative to the practices folder.
    pub file: String,
    /// Content hash of the file (what the reindex compares).
    pub hash: String,
}

impl Practice {
    /// Every state the practice belongs to: its country, or the members of a regional
    /// mechanism.
    pub fn states(&self) -> impl Iterator<Item = &CountryCode> {
        self.country.iter().chain(
            self.countries
                .iter()
                .filter(move |c| Some(*c) != self.country.as_ref()),
        )
    }

    /// Whether the practice belongs to a state (runs it, or takes part in the mechanism).
    pub fn involves(&self, c: &CountryCode) -> bool {
        self.states().any(|s| s == c)
    }

    /// Whether it is in a category (a leaf, or a parent of one of its leaves).
    pub fn in_category(&self, c: &CategoryId) -> bool {
        self.categories
            .iter()
            .any(|x| x.with_ancestors().contains(c))
    }

    /// The English title where there is one, else the title.
    pub fn display_title(&self) -> &str {
        self.title_en.as_deref().unwrap_or(&self.title)
    }
}

/// What a practices folder held: the valid records, in file order, and the problems of every
/// record that was skipped.
#[derive(Debug, Clone, Default)]
pub struct Practices {
    pub records: Vec<Practice>,
    pub rejected: Vec<Problem>,
    /// Files read (records and rejected ones).
    pub files: usize,
}

impl Practices {
    /// The records that are served (`published`).
    pub fn published(&self) -> impl Iterator<Item = &Practice> {
        self.records
            .iter()
            .filter(|p| p.status == Status::Published)
    }
}

/// Reads every `*.md` file of a folder except `README.md`, in name order. A folder that does
/// not exist is an error naming it; a file that cannot be read or validated is one or more
/// problems in `rejected`, and the others are read.
pub fn load_dir(dir: &Path, registry: &Registry, taxonomy: &Taxonomy) -> Result<Practices> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "README.md")
                && p.is_file()
        })
        .collect();
    files.sort();
    let mut out = Practices {
        files: files.len(),
        ..Practices::default()
    };
    let mut seen: HashMap<PracticeId, String> = HashMap::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match std::fs::read(&path) {
            Ok(b) => match String::from_utf8(b) {
                Ok(t) => t,
                Err(_) => {
                    out.rejected
                        .push(Problem::new(&name, None, "file", "is not valid UTF-8"));
                    continue;
                }
            },
            Err(e) => {
                out.rejected
                    .push(Problem::new(&name, None, "file", &e.to_string()));
                continue;
            }
        };
        match parse_record(&name, &text, registry, taxonomy) {
            Ok(p) => {
                if let Some(first) = seen.get(&p.id) {
                    out.rejected.push(Problem::new(
                        &name,
                        Some(2),
                        "id",
                        &format!("duplicate id '{}', already used by {first}", p.id),
                    ));
                    continue;
                }
                let stem = name.strip_suffix(".md").unwrap_or(&name);
                if p.id.as_str() != stem {
                    out.rejected.push(Problem::new(
                        &name,
                        Some(2),
                        "id",
                        &format!(
                            "'{}' is not the file's name: a record is named after its id ({}.md)",
                            p.id, p.id
                        ),
                    ));
                    continue;
                }
                seen.insert(p.id.clone(), name.clone());
                out.records.push(p);
            }
            Err(problems) => out.rejected.extend(problems),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
