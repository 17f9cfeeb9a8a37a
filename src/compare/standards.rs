//! The Vienna Convention lens: for each article that grounds the taxonomy, which countries
//! legislate on its categories (national law only), with their strongest provision, and which
//! countries with sources do not.

use super::{search_link, strength, tagged};
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, ProvisionId};
use crate::error::Result;
use crate::search::{Dims, Engine, VCCR_SOURCE};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StandardCountry {
    pub provisions: usize,
    pub strongest: ProvisionId,
    pub query: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StandardArticle {
    /// As cited by the taxonomy: `36`, `5(e)`.
    pub article: String,
    pub title: Option<String>,
    pub vccr_provision: Option<ProvisionId>,
    pub categories: Vec<CategoryId>,
    /// Countries with national provisions in those categories.
    pub countries: BTreeMap<CountryCode, StandardCountry>,
    /// Countries with sources but no such provision.
    pub without: Vec<CountryCode>,
}

/// For the Vienna Convention articles that ground the taxonomy, which countries legislate on
/// the matching categories, with their strongest provision.
pub fn standards_vccr(engine: &Engine) -> Result<Vec<StandardArticle>> {
    let tax = engine.taxonomy();
    let mut by_article: BTreeMap<(u32, String), Vec<CategoryId>> = BTreeMap::new();
    for c in tax.leaves() {
        for a in &c.vccr {
            let base: u32 = a
                .chars()
                .take_while(|x| x.is_ascii_digit())
                .collect::<String>()
                .parse()
                .unwrap_or(0);
            by_article
                .entry((base, a.clone()))
                .or_default()
                .push(c.id.clone());
        }
    }
    let sources = engine.countries_with_sources();
    let source_instrument = engine.instrument(VCCR_SOURCE).ok();
    let mut out = Vec::new();
    for ((base, label), cats) in by_article {
        let mut countries: BTreeMap<CountryCode, (usize, &Dims)> = BTreeMap::new();
        for (_, d) in engine.docs() {
            if d.treaty_copy || d.country.is_intl() {
                continue;
            }
            for c in &cats {
                if tagged(d, c) {
                    let e = countries.entry(d.country.clone()).or_insert((0, d));
                    e.0 += 1;
                    if strength(d, c) < strength(e.1, c) {
                        e.1 = d;
                    }
                    break;
                }
            }
        }
        let vccr = source_instrument.as_ref().and_then(|i| {
            i.provision_list
                .iter()
                .find(|p| p.number == base.to_string() && p.id.as_str().contains(":art_"))
        });
        let cat_param = cats
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",");
        out.push(StandardArticle {
            article: label,
            title: vccr.and_then(|p| p.heading.clone()),
            vccr_provision: vccr.map(|p| p.id.clone()),
            without: sources
                .iter()
                .filter(|c| !c.is_intl() && !countries.contains_key(*c))
                .cloned()
                .collect(),
            countries: countries
                .into_iter()
                .map(|(c, (n, d))| {
                    let query = search_link(c.as_str(), &cat_param, "");
                    (
                        c,
                        StandardCountry {
                            provisions: n,
                            strongest: d.id.clone(),
                            query,
                        },
                    )
                })
                .collect(),
            categories: cats,
        });
    }
    Ok(out)
}
