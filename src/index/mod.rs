//! Index generations: the tantivy schema (defined once), the analyzers built on `src/text`,
//! building a new generation from the parsed and annotated corpus and the shared practices, and the atomic switch of the
//! `CURRENT` pointer. The live generation is never modified: a build writes a new directory,
//! verifies it, then renames the pointer.
//!
//! Not for: querying (see `search`).

pub mod analyzer;
pub mod build;
pub mod generation;
pub mod manifest;
pub mod ops;
pub mod practices;
pub mod schema;

use crate::annotate::Annotation;
use crate::corpus::model::{CountryCode, Instrument, InstrumentKind, Language, Provision};
use serde::{Deserialize, Serialize};

/// The `type` of a provision's document.
pub const DOC_PROVISION: &str = "provision";
/// The `type` of a practice's document (`index::practices`).
pub const DOC_PRACTICE: &str = "practice";

/// What an instrument looks like next to each of its provisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstrumentSummary {
    pub id: String,
    pub title: String,
    pub country: CountryCode,
    pub kind: InstrumentKind,
    pub language: Language,
    pub in_force: bool,
    pub year: Option<i64>,
    pub source_url: Option<String>,
    pub attribution: Option<String>,
    pub licence: Option<String>,
    /// The source lacks articles (`corpus::audit`): an absence in it proves nothing.
    #[serde(default)]
    pub partial: bool,
}

impl From<&Instrument> for InstrumentSummary {
    fn from(i: &Instrument) -> Self {
        InstrumentSummary {
            id: i.id.clone(),
            title: i.title.clone(),
            country: i.country.clone(),
            kind: i.kind,
            language: i.language,
            in_force: i.in_force,
            year: i.year(),
            source_url: i.source_url.clone(),
            attribution: i.attribution.clone(),
            licence: i.licence.clone(),
            partial: i.completeness.is_partial(),
        }
    }
}

/// The stored record of one indexed provision.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Record {
    pub provision: Provision,
    pub instrument: InstrumentSummary,
    pub annotation: Annotation,
}
