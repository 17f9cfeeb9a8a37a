//! The annotator's output types: where a term was found (`Field`), what matched (`Evidence`),
//! a category assigned (`Tag`), a provision's whole annotation (`Annotation`), and a category
//! a search query speaks of (`QueryMatch`). Serialised as they are by the CLI, the API and the
//! index, so their field names and order are part of the output.

use super::modality::Modality;
use super::role::ProvisionRole;
use super::taxonomy::CategoryId;
use crate::corpus::model::Language;
use serde::{Deserialize, Serialize};

/// Where in the provision a descriptor term was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The provision's own words.
    Text,
    /// Its heading (article title).
    Heading,
    /// The headings of the parts, titles and chapters it sits in.
    Hierarchy,
}

impl Field {
    /// What a term found in this field weighs against the same term in the text.
    pub(super) fn factor(self) -> f32 {
        match self {
            Field::Text => 1.0,
            Field::Heading => 0.6,
            Field::Hierarchy => 0.25,
        }
    }
}

/// One matched descriptor term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    /// The descriptor as written in the taxonomy.
    pub term: String,
    /// The words of the provision that matched, as printed.
    pub matched: String,
    /// The strongest field it was found in (the one `matched` and the span are from).
    pub field: Field,
    /// Byte span of the first match in that field.
    pub start: usize,
    pub end: usize,
    /// Matches in all fields.
    pub count: usize,
    /// The descriptor's weight in the taxonomy.
    pub weight: f32,
}

/// A category assigned to a provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Tag {
    pub category: CategoryId,
    /// 0..1: the score against the category's threshold, scaled by the text quality.
    pub confidence: f32,
    /// The summed, damped weight of the evidence kept.
    pub score: f32,
    pub evidence: Vec<Evidence>,
    /// Set when the tag rests partly on the instrument's main subject: the share of the
    /// instrument's provisions tagged with this category on their own evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<f32>,
}

/// The annotator's output for one provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Annotation {
    /// Strongest first (score, then category id).
    pub tags: Vec<Tag>,
    pub modality: Modality,
    /// The cue words that decided the modality.
    pub modality_evidence: Vec<String>,
    /// 0..1, lower for OCR noise or interleaved columns; scales every confidence.
    pub text_quality: f32,
    /// What the provision does: a service, duty, right, procedure or institution, or a
    /// penalty, definition, transitional clause, delegation or repeal note (`role`).
    #[serde(default)]
    pub role: ProvisionRole,
    /// Categories with eligible evidence below the tagging threshold (or outscored here),
    /// strongest first: what a reader checks when a comparison says a country has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub near: Vec<Near>,
}

/// A category a provision has evidence for but is not tagged with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Near {
    pub category: CategoryId,
    pub score: f32,
    pub threshold: f32,
}

impl Annotation {
    /// The categories of its tags, strongest first.
    pub fn categories(&self) -> impl Iterator<Item = &CategoryId> {
        self.tags.iter().map(|t| &t.category)
    }
}

/// A category a query speaks of, and the query words that said so.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QueryMatch {
    pub category: CategoryId,
    /// The language whose descriptors matched best.
    pub language: Language,
    pub score: f32,
    /// The query words that matched its descriptors, as typed.
    pub matched: Vec<String>,
}
