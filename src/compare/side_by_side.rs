//! Side by side: each country's provisions in one category, strongest first, national law apart
//! from treaty copies, with what an empty country means (no sources, none found, sources
//! incomplete).

use super::exemplar::{self, Exemplar};
use super::{en_label, items, partial_caveat, query_link, strength, tagged, CellState, Item};
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, ProvisionId};
use crate::error::{Error, Result};
use crate::search::{Dims, Engine, PartialSource, Query, SearchRequest};
use serde::Serialize;
use std::collections::BTreeSet;
use tantivy::DocAddress;

/// Matches of a comparison's query taken into account at most (the best first).
const MAX_QUERY_MATCHES: usize = 1100;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompareCountry {
    pub country: CountryCode,
    pub state: CellState,
    pub message: Option<String>,
    /// The country's instruments whose sources lack articles.
    pub partial_sources: Vec<PartialSource>,
    pub count: usize,
    pub query: String,
    /// National provisions, strongest first by substance (`exemplar`), each with its reason.
    pub provisions: Vec<Exemplar>,
    /// Copies of treaties (shown apart from national law).
    pub treaty_copies: Vec<Item>,
    /// What the country does in the category: its shared practices (records, not law).
    pub practices: Vec<crate::search::PracticeHit>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompareResponse {
    pub category: CategoryId,
    pub countries: Vec<CompareCountry>,
    pub ranking: &'static str,
}

/// Side by side: each country's provisions in a category, best first; with a query, only the
/// provisions it matches. `countries` are distinct (the request readers make them so with
/// `countries_to_compare`; a country given twice would fill only its last column).
pub fn compare(
    engine: &Engine,
    category: &CategoryId,
    countries: &[CountryCode],
    q: Option<&Query>,
    per_country: usize,
) -> Result<CompareResponse> {
    if countries.is_empty() {
        return Err(Error::invalid(
            "countries",
            "give at least one country (or a subsystem)",
        ));
    }
    let allowed: Option<BTreeSet<ProvisionId>> = match q.filter(|q| !q.is_blank()) {
        Some(q) => {
            let req = SearchRequest {
                q: q.clone(),
                categories: vec![category.clone()],
                countries: countries.to_vec(),
                ..Default::default()
            };
            let ids = engine.matching_ids(&req)?;
            Some(ids.into_iter().take(MAX_QUERY_MATCHES).collect())
        }
        None => None,
    };
    let sources = engine.countries_with_sources();
    let label = en_label(engine, category);
    // One pass over the documents for all the countries (not one per country): national
    // provisions and treaty copies, by the country's place in `countries`.
    let place: std::collections::HashMap<&CountryCode, usize> =
        countries.iter().enumerate().map(|(i, c)| (c, i)).collect();
    type Found<'e> = Vec<(DocAddress, &'e Dims)>;
    let mut found: Vec<(Found, Found)> = vec![(Vec::new(), Vec::new()); countries.len()];
    for (a, d) in engine.docs() {
        let Some(&i) = place.get(&d.country) else {
            continue;
        };
        if !tagged(d, category) || allowed.as_ref().is_some_and(|ids| !ids.contains(&d.id)) {
            continue;
        }
        if d.treaty_copy {
            found[i].1.push((a, d));
        } else {
            found[i].0.push((a, d));
        }
    }
    let mut out = Vec::new();
    for (c, (mut national, mut treaty)) in countries.iter().zip(found) {
        // the key reads the provision's features: computed once per provision, not per
        // comparison (a parent category holds thousands); the sort is stable either way
        national.sort_by_cached_key(|(_, d)| strength(d, category));
        treaty.sort_by_cached_key(|(_, d)| strength(d, category));
        let partial = engine.partial_sources(c);
        let state = CellState::of(sources.contains(c), !partial.is_empty(), national.len());
        let none =
            || format!("the indexed national instruments of {c} have no provision in {category}");
        let message = match state {
            CellState::NoSources => Some(format!("no instrument of {c} is indexed")),
            CellState::NotFound => Some(none()),
            CellState::NotFoundPartial => Some(format!(
                "{}; {}",
                none(),
                partial_caveat(c, &partial).unwrap_or_default()
            )),
            CellState::Covered => None,
        };
        out.push(CompareCountry {
            country: c.clone(),
            state,
            message,
            partial_sources: partial,
            count: national.len(),
            query: query_link(c, category, ""),
            provisions: national
                .iter()
                .take(per_country)
                .map(|(a, d)| Exemplar::new(engine, *a, d, exemplar::features(d, category), &label))
                .collect::<Result<_>>()?,
            treaty_copies: items(engine, &treaty, per_country)?,
            practices: engine.practices_of(c, category),
        });
    }
    Ok(CompareResponse {
        category: category.clone(),
        countries: out,
        ranking: exemplar::RANKING,
    })
}
