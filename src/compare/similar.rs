//! Similar provisions as comparisons show them: the search layer's more-like-this
//! (`Engine::more_like_this`), each hit shown as an `Item` with its country and the reason.

use super::{item, Item};
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, Language, ProvisionId};
use crate::error::Result;
use crate::search::Engine;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SimilarItem {
    #[serde(flatten)]
    pub item: Item,
    pub country: CountryCode,
    pub score: f32,
    pub shared_categories: Vec<CategoryId>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SimilarResponse {
    pub source: ProvisionId,
    pub terms: Vec<String>,
    pub similar: Vec<SimilarItem>,
}

/// The closest provisions in other instruments (see `Engine::more_like_this`).
pub fn similar(
    engine: &Engine,
    id: &ProvisionId,
    countries: &[CountryCode],
    langs: &[Language],
    limit: usize,
) -> Result<SimilarResponse> {
    let found = engine.more_like_this(id, countries, langs, limit)?;
    let similar = found
        .hits
        .into_iter()
        .map(|h| {
            Ok(SimilarItem {
                item: item(engine, h.addr)?,
                country: h.country,
                score: h.score,
                shared_categories: h.shared_categories,
                reason: h.reason,
            })
        })
        .collect::<Result<_>>()?;
    Ok(SimilarResponse {
        source: id.clone(),
        terms: found.terms,
        similar,
    })
}
