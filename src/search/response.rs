//! What the engine answers: a search response and its hits, expansions and timings; a
//! provision or an instrument with what the API shows of it; a country's holdings. Plain data,
//! serialised as the API returns it.

pub use super::snippet::Snippet;
use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::annotate::Tag;
use crate::corpus::countries::Country;
use crate::corpus::model::{CountryCode, InstrumentKind, Language, ProvisionId};
use crate::index::build::InstrumentEntry;
use crate::index::Record;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstrumentRef {
    pub id: String,
    pub title: String,
}

/// One search result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub id: ProvisionId,
    pub instrument: InstrumentRef,
    pub country: CountryCode,
    pub kind: InstrumentKind,
    pub language: Language,
    pub number: String,
    pub heading: Option<String>,
    pub part: Option<String>,
    pub categories: Vec<Tag>,
    pub modality: Modality,
    pub in_force: bool,
    pub score: f32,
    pub snippet: Snippet,
    /// The other copies of this provision among the matches, folded into this hit (see
    /// `SearchResponse::grouped`); empty when it has none or grouping is off.
    pub also_in: Vec<CopyRef>,
}

/// A copy of a hit's provision: another reproduction of the same treaty article, or its twin
/// in the other official language (`GET /v1/provisions/{id}` shows it).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CopyRef {
    pub id: ProvisionId,
    pub country: CountryCode,
    pub language: Language,
}

/// A category the query was expanded to, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Expansion {
    pub category: CategoryId,
    /// The query words that matched the category's descriptors, and in which language.
    pub matched: Vec<String>,
    pub matched_language: Language,
    /// Descriptors added, per language.
    pub added: BTreeMap<Language, Vec<String>>,
}

/// Milliseconds spent in each stage of a search.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Timings {
    pub query: f64,
    pub facets: f64,
    pub stored: f64,
    pub snippets: f64,
    pub total: f64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    /// How many matching provisions were folded into another copy's hit (`also_in`), over all
    /// the matches: the list has `total - grouped` entries. 0 with `group=off`.
    pub grouped: usize,
    /// What `total` and the facet counts count: provisions, each copy on its own.
    pub facet_unit: &'static str,
    /// Disjunctive counts: a dimension's counts ignore that dimension's own filter.
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
    pub expansions: Vec<Expansion>,
    /// The query's unquoted content words, which were looked up in every language
    /// (glossary, cognates, categories); empty when `expand` is off.
    pub expanded_words: Vec<String>,
    /// The quoted phrases, matched as phrases in each language field and never expanded.
    pub literal_phrases: Vec<String>,
    /// Unquoted words of the query left out because, with the rest, they would read more
    /// postings than one search may (`POSTINGS_PER_DOC` per indexed provision): the
    /// commonest go first, the least common is kept; quoted phrases and exclusions never
    /// go. Empty for almost every query.
    pub left_out: Vec<String>,
    pub generation: String,
    pub took_ms: Timings,
    /// True when the response came from the generation's result cache (`took_ms` then
    /// times the lookup; the stage times are zero).
    pub cached: bool,
    /// The shared practices the query finds (`type=practice` lists only these), best first:
    /// at most `limit` of `practice_total`.
    pub practices: Vec<PracticeHit>,
    pub practice_total: usize,
}

/// A practice as a search hit, a comparison cell or a gap shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PracticeHit {
    pub id: crate::practices::PracticeId,
    pub title: String,
    pub title_en: Option<String>,
    /// The language of `title` (the summary is in English).
    pub language: Language,
    pub country: Option<CountryCode>,
    pub countries: Vec<CountryCode>,
    pub kind: crate::practices::PracticeKind,
    pub year: Option<i64>,
    pub institution: Option<String>,
    pub categories: Vec<CategoryId>,
    /// The summary's first sentences (at most about 40 words).
    pub summary: String,
    pub legal_basis: Option<String>,
    pub legal_status: crate::index::practices::LegalStatus,
    pub legal_links: Vec<crate::index::practices::LegalLinkEntry>,
    /// The first source's address.
    pub source: Option<String>,
    pub score: Option<f32>,
}

impl PracticeHit {
    pub fn of(e: &crate::index::practices::PracticeEntry, score: Option<f32>) -> PracticeHit {
        let p = &e.practice;
        let mut summary = String::new();
        for w in p.summary.split_whitespace() {
            if summary.split(' ').count() >= 40 {
                summary.push_str(" …");
                break;
            }
            if !summary.is_empty() {
                summary.push(' ');
            }
            summary.push_str(w);
        }
        PracticeHit {
            id: p.id.clone(),
            title: p.title.clone(),
            title_en: p.title_en.clone(),
            language: p.language,
            country: p.country.clone(),
            countries: p.countries.clone(),
            kind: p.kind,
            year: p.year,
            institution: p.institution.clone(),
            categories: p.categories.clone(),
            summary,
            legal_basis: p.legal_basis.clone(),
            legal_status: e.legal_status,
            legal_links: e.legal_links.clone(),
            source: p.sources.first().map(|s| s.url.clone()),
            score,
        }
    }
}

/// A provision with everything the API shows about it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProvisionDetail {
    #[serde(flatten)]
    pub record: Record,
    /// The same provision in other languages (Canadian EN/FR pairs).
    pub twins: Vec<TwinRef>,
    /// Shared practices that name it as their legal basis or share its country and one of
    /// its categories.
    pub practices: Vec<PracticeHit>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TwinRef {
    pub id: ProvisionId,
    pub language: Language,
    pub heading: Option<String>,
}

/// An instrument and its provisions (ids, numbers and headings).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstrumentDetail {
    #[serde(flatten)]
    pub entry: InstrumentEntry,
    pub provision_list: Vec<ProvisionRef>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProvisionRef {
    pub id: ProvisionId,
    pub number: String,
    pub heading: Option<String>,
    pub categories: Vec<CategoryId>,
}

/// An instrument whose source lacks articles.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartialSource {
    pub instrument: String,
    pub title: String,
    pub missing_articles: usize,
    /// The audit in one line (`partial: missing 1-4, 7 (5 articles)`).
    pub summary: String,
}

/// A country with what the index holds of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CountryEntry {
    #[serde(flatten)]
    pub country: Country,
    pub instruments: usize,
    pub provisions: usize,
}
