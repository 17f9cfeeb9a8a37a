//! Comparison across countries, the service's reason to exist: side by side provisions of a
//! category (`side_by_side`), the coverage matrix (`matrix`), gaps with adoptable provisions
//! from peers (`gaps`), similar provisions across languages (`similar`), and the Vienna
//! Convention lens (`standards`). Everything is computed from the engine's in-memory dimensions
//! in one pass, and every count carries the search query that lists the provisions behind it.
//! This file holds what the features share: the strength ordering (the model-provision ranking
//! of `exemplar`), the tagged test, the item a comparison shows, the cell states and the search
//! links; `brief` assembles and renders the brief.
//!
//! Provisions of treaties (the INTL texts, and treaties reproduced inside an approving law or a
//! schedule) are kept apart from national law: ratifying the Vienna Convention is not the same
//! as legislating on consular notification.

pub mod brief;
pub mod exemplar;
pub mod gaps;
pub mod matrix;
pub mod request;
pub mod side_by_side;
pub mod similar;
pub mod standards;

use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, InstrumentKind, Language, ProvisionId};
use crate::error::Result;
use crate::search::{Dims, Engine, PartialSource};
pub use gaps::{gaps, Gap, GapsResponse, Peers};
pub use matrix::{matrix, matrix_csv, Cell, Matrix, MatrixRequest, MatrixRow};
use serde::Serialize;
pub use side_by_side::{compare, CompareCountry, CompareResponse};
pub use similar::{similar, SimilarItem, SimilarResponse};
pub use standards::{standards_vccr, StandardArticle, StandardCountry};
use tantivy::DocAddress;

/// How strong a provision is for a category: the model-provision ranking (`exemplar`), one
/// ordering for side by side, the matrix, the standards lens and the gaps' exemplars.
use exemplar::rank as strength;

/// The English label of a category (its id if it has none).
fn en_label(engine: &Engine, id: &CategoryId) -> String {
    engine
        .taxonomy()
        .get(id)
        .and_then(|c| c.labels.get("en").cloned())
        .unwrap_or_else(|| id.to_string())
}

/// Whether a provision carries a category (a leaf, or a parent through one of its leaves).
fn tagged(d: &Dims, cat: &CategoryId) -> bool {
    d.categories.contains(cat)
}

/// The search that lists the provisions behind a count.
pub fn query_link(country: &CountryCode, cat: &CategoryId, extra: &str) -> String {
    search_link(country.as_str(), cat.as_str(), extra)
}

/// The search for some countries and categories (comma-separated), with more filters.
fn search_link(countries: &str, categories: &str, extra: &str) -> String {
    format!("/v1/search?country={countries}&category={categories}{extra}")
}

/// A provision as comparisons show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: ProvisionId,
    pub link: String,
    pub instrument: String,
    pub instrument_title: String,
    pub kind: InstrumentKind,
    pub language: Language,
    pub number: String,
    pub heading: Option<String>,
    pub part: Option<String>,
    pub modality: Modality,
    pub in_force: bool,
    pub categories: Vec<CategoryId>,
    pub excerpt: String,
}

/// Characters of a provision's excerpt.
const EXCERPT_CHARS: usize = 300;

fn item(engine: &Engine, addr: DocAddress) -> Result<Item> {
    let r = engine.record(addr)?;
    let end = crate::text::char_offset(&r.provision.text, EXCERPT_CHARS);
    let in_force = r.instrument.in_force && r.provision.is_operative();
    Ok(Item {
        link: format!("/v1/provisions/{}", r.provision.id),
        id: r.provision.id,
        instrument: r.instrument.id,
        instrument_title: r.instrument.title,
        kind: r.instrument.kind,
        language: r.provision.language,
        number: r.provision.number,
        heading: r.provision.heading,
        part: r.provision.part,
        modality: r.annotation.modality,
        in_force,
        categories: r.annotation.tags.into_iter().map(|t| t.category).collect(),
        excerpt: r.provision.text[..end].replace('\n', " "),
    })
}

/// The items of the first `n` provisions of a list.
fn items<'a>(
    engine: &Engine,
    list: impl IntoIterator<Item = &'a (DocAddress, &'a Dims)>,
    n: usize,
) -> Result<Vec<Item>> {
    list.into_iter()
        .take(n)
        .map(|(a, _)| item(engine, *a))
        .collect()
}

/// Why a cell or a country has nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    Covered,
    /// Nothing found, in sources that are complete.
    NotFound,
    /// Nothing found, but some of the country's sources lack articles: the absence may be a
    /// missing article, not a missing rule.
    NotFoundPartial,
    NoSources,
}

impl CellState {
    /// The state of a count for a country with or without indexed sources, complete or not.
    pub fn of(has_sources: bool, partial: bool, count: usize) -> CellState {
        match (has_sources, count) {
            (false, _) => CellState::NoSources,
            (true, 0) if partial => CellState::NotFoundPartial,
            (true, 0) => CellState::NotFound,
            _ => CellState::Covered,
        }
    }
}

/// What a comparison says of a country whose sources lack articles.
fn partial_caveat(country: &CountryCode, partial: &[PartialSource]) -> Option<String> {
    if partial.is_empty() {
        return None;
    }
    let list: Vec<String> = partial
        .iter()
        .map(|p| format!("{} ({})", p.instrument, p.summary))
        .collect();
    Some(format!(
        "sources of {country} lack articles, so an absence there may be a missing article: {}",
        list.join("; ")
    ))
}
