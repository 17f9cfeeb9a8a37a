//! The provision model every reader produces: `Instrument` and `Provision`, plus the typed
//! domain values (`CountryCode`, `Language`, `ProvisionId`) that the rest of the crate passes
//! around instead of bare strings.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// A country code: ISO 3166-1 alpha-2 in upper case (`AR`, `CA`), or `INTL` for treaties.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    /// The pseudo-country of international treaties.
    pub fn intl() -> Self {
        CountryCode("INTL".to_string())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_intl(&self) -> bool {
        self.0 == "INTL"
    }
}

impl FromStr for CountryCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let up = s.trim().to_ascii_uppercase();
        if up == "INTL" || (up.len() == 2 && up.bytes().all(|b| b.is_ascii_uppercase())) {
            Ok(CountryCode(up))
        } else {
            Err(format!("'{s}' is not an ISO 3166-1 alpha-2 code or INTL"))
        }
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub use crate::text::Language;

/// What kind of instrument a text is; drives ranking (a law before a decree) and facets.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum InstrumentKind {
    Constitution,
    Law,
    Decree,
    Regulation,
    Order,
    Treaty,
    Other,
}

impl InstrumentKind {
    pub const ALL: [InstrumentKind; 7] = [
        InstrumentKind::Constitution,
        InstrumentKind::Law,
        InstrumentKind::Decree,
        InstrumentKind::Regulation,
        InstrumentKind::Order,
        InstrumentKind::Treaty,
        InstrumentKind::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentKind::Constitution => "constitution",
            InstrumentKind::Law => "law",
            InstrumentKind::Decree => "decree",
            InstrumentKind::Regulation => "regulation",
            InstrumentKind::Order => "order",
            InstrumentKind::Treaty => "treaty",
            InstrumentKind::Other => "other",
        }
    }

    /// Maps the rank words used by the sources (`ley`, `decreto`, `SOR`, `statute` ...).
    pub fn from_rank(rank: &str) -> InstrumentKind {
        let r = crate::text::fold_lower(rank);
        let has = |w: &str| r.contains(w);
        if has("constitu") {
            InstrumentKind::Constitution
        } else if has("tratado") || has("treaty") || has("convention") || has("convencion") {
            InstrumentKind::Treaty
        } else if has("decreto") || has("decree") {
            InstrumentKind::Decree
        } else if has("reglament") || has("regulation") || has("sor") || has("dors") {
            InstrumentKind::Regulation
        } else if has("order") || has("orden") || has("resolucion") || r == "si" || r == "tr" {
            InstrumentKind::Order
        } else if has("ley")
            || has("lei")
            || has("law")
            || has("statute")
            || has("act")
            || has("loi")
        {
            InstrumentKind::Law
        } else {
            InstrumentKind::Other
        }
    }
}

impl FromStr for InstrumentKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        InstrumentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("'{s}' is not one of constitution, law, decree, regulation, order, treaty, other")
            })
    }
}

impl fmt::Display for InstrumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A provision's stable id: `{instrument id}:{eId}`, e.g. `ar-ley-17081:annex_1__art_36`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct ProvisionId(String);

impl ProvisionId {
    pub fn new(instrument: &str, eid: &str) -> Self {
        ProvisionId(format!("{instrument}:{eid}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The instrument part of the id.
    pub fn instrument(&self) -> &str {
        self.0.split_once(':').map(|(i, _)| i).unwrap_or(&self.0)
    }
}

impl FromStr for ProvisionId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let ok = s.len() <= 300
            && s.split_once(':')
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
        if ok {
            Ok(ProvisionId(s.to_string()))
        } else {
            Err(format!(
                "'{}' is not a provision id (instrument:eid)",
                truncate(s, 80)
            ))
        }
    }
}

impl fmt::Display for ProvisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// A national or international legal text, as read from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Instrument {
    /// `{country}-{file stem}` in lower case, e.g. `ar-ley-17081`, `ca-dors-95-538`.
    pub id: String,
    pub country: CountryCode,
    pub kind: InstrumentKind,
    pub title: String,
    pub language: Language,
    pub identifier: Option<String>,
    pub publication_date: Option<String>,
    pub last_updated: Option<String>,
    pub in_force: bool,
    pub source_url: Option<String>,
    pub attribution: Option<String>,
    pub licence: Option<String>,
    /// The licence text's file, relative to the corpus root (the nearest `LICENSE` up the tree).
    #[serde(default)]
    pub licence_file: Option<String>,
    /// Path relative to the corpus root, with `/` separators.
    pub file: String,
    /// The same instrument in another language (Canadian EN/FR pairs).
    pub twin: Option<String>,
    /// sha256 of the file's bytes; what the reindex uses to skip unchanged files.
    pub file_hash: String,
    /// What the file holds of the instrument's numbering (`corpus::audit`).
    #[serde(default)]
    pub completeness: super::audit::Completeness,
}

impl Instrument {
    /// The year of publication, when the dates say it.
    pub fn year(&self) -> Option<i64> {
        self.publication_date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
            .filter(|y| *y > 1000)
    }
}

/// One addressable unit of an instrument: an article, section or treaty article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Provision {
    pub id: ProvisionId,
    pub instrument: String,
    /// Akoma Ntoso-style element id: `art_36`, `art_5bis`, `sec_3`, `sched_2__art_36`.
    pub eid: String,
    /// The number as printed, normalised (`4`, `5 bis`, `2.1`, `art4`, `1504`).
    pub number: String,
    pub heading: Option<String>,
    /// Enclosing headings, outermost first (`TÍTULO I`, `CAPÍTULO II - De la protección`).
    pub hierarchy: Vec<String>,
    pub text: String,
    pub language: Language,
    /// 0-based position in the instrument.
    pub position: usize,
    pub repealed: bool,
    /// Vetoed on promulgation: present to keep the numbering, not law.
    #[serde(default)]
    pub vetoed: bool,
    /// A transitory article (of the original law or of an amending decree).
    #[serde(default)]
    pub transitory: bool,
    /// Amendment and editorial notes, kept apart from the text of law.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Part of a treaty reproduced inside an approving law or schedule.
    pub part: Option<String>,
    /// The twin provision in the other official language, when known.
    pub twin: Option<ProvisionId>,
    pub content_hash: String,
}

impl Provision {
    /// Whether the provision is law at all: neither repealed nor vetoed.
    pub fn is_operative(&self) -> bool {
        !self.repealed && !self.vetoed
    }
}

/// Hex sha256 of a string, truncated to 16 bytes: enough to detect changes, short in URLs.
pub fn content_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hex sha256 of bytes (whole-file hashes).
pub fn bytes_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Normalises a printed number the way the evaluation sets do: no label word, no ordinal marks,
/// lower case, single spaces (`5º bis` -> `5 bis`).
pub fn normalise_number(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .filter(|c| !matches!(c, 'º' | '°' | '*' | '§'))
        .collect::<String>()
        .to_lowercase();
    s = s.replace('ú', "u");
    let s = s.trim().trim_end_matches(['.', '-', ':', ' ']).trim();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds an eId fragment from a normalised number: `5 bis` -> `5bis`, `2.1` -> `2.1`.
pub fn eid_number(number: &str) -> String {
    let s: String = number
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                None
            } else {
                let f = crate::text::fold_lower(&c.to_string());
                f.chars().next().filter(|c| c.is_ascii_alphanumeric())
            }
        })
        .collect();
    if s.is_empty() {
        "x".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_normalise_like_the_gold_sets() {
        assert_eq!(normalise_number("4º"), "4");
        assert_eq!(normalise_number("5  bis"), "5 bis");
        assert_eq!(normalise_number("§ 1504"), "1504");
        assert_eq!(normalise_number("Único"), "unico");
        assert_eq!(eid_number("5 bis"), "5bis");
        assert_eq!(eid_number("2.1"), "2.1");
    }

    #[test]
    fn typed_values_reject_garbage() {
        assert!("ar".parse::<CountryCode>().is_ok());
        assert!("ARG".parse::<CountryCode>().is_err());
        assert!("ar-ley-1:art_1".parse::<ProvisionId>().is_ok());
        assert!("no colon".parse::<ProvisionId>().is_err());
        assert_eq!(InstrumentKind::from_rank("decreto"), InstrumentKind::Decree);
        assert_eq!(InstrumentKind::from_rank("ley"), InstrumentKind::Law);
        assert_eq!(InstrumentKind::from_rank("SOR"), InstrumentKind::Regulation);
    }
}
