//! Comparison requests from name/value parameters (query strings), one named struct per route,
//! each value parsed into a domain type with the shared readers (`params`, `search::request`)
//! and refused with the parameter's name when wrong. The checks the CLI shares with these
//! routes (`countries_to_compare`, `known_peers`) are here too.

use super::{MatrixRequest, Peers};
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::countries::Registry;
use crate::corpus::model::{CountryCode, InstrumentKind, Language};
use crate::error::{Error, Result};
use crate::params::{self, given, no_items, parse_bool, parse_count, unknown, values};
use crate::search::query::Query;
use crate::search::{request, Engine};

/// Provisions per country a comparison shows, and similar provisions, at most.
pub const MAX_LIMIT: usize = 50;
/// Countries compared side by side at most (distinct ones).
pub const MAX_COUNTRIES: usize = params::MAX_COUNTRIES;
/// Exemplars per gap at most.
pub const MAX_EXEMPLARS: usize = 10;

/// `GET /v1/compare`: category, countries and/or subsystem, q, limit (per country).
pub struct CompareParams {
    pub category: CategoryId,
    pub countries: Vec<CountryCode>,
    /// Parsed here, once; `None` when absent or blank.
    pub q: Option<Query>,
    pub limit: usize,
}

pub fn compare(p: &[(String, String)], e: &Engine) -> Result<CompareParams> {
    let (mut category, mut countries, mut q, mut limit) = (None, Vec::new(), None, 5);
    for (k, v) in given(p) {
        match k.as_str() {
            "category" => category = Some(request::category(e.taxonomy(), k, v)?),
            "countries" | "country" => {
                for c in values(v) {
                    countries.push(request::country(e.registry(), k, c)?);
                }
            }
            "subsystem" => {
                for s in values(v) {
                    let s = request::subsystem(k, s)?;
                    countries.extend(e.registry().members_of(&s));
                }
            }
            "q" => q = Some(Query::parse(v.as_str())?).filter(|q| !q.is_blank()),
            "limit" => limit = parse_count(k, v, MAX_LIMIT)?,
            other => return Err(unknown(other, "category, countries, subsystem, q, limit")),
        }
    }
    let category = category.ok_or_else(|| Error::invalid("category", "is required"))?;
    if countries.is_empty() && !p.iter().any(|(k, v)| k == "subsystem" && !no_items(v)) {
        // neither countries nor a subsystem: every country the index has law of
        countries = indexed_countries(e);
    }
    Ok(CompareParams {
        category,
        countries: countries_to_compare(countries)?,
        q,
        limit,
    })
}

/// The countries with indexed instruments (not `INTL`), in code order.
pub fn indexed_countries(e: &Engine) -> Vec<CountryCode> {
    let mut v: Vec<CountryCode> = e
        .meta
        .countries
        .iter()
        .filter_map(|c| c.parse().ok())
        .filter(|c: &CountryCode| !c.is_intl())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The countries of a comparison, each once in the order first given: at least one, at most
/// `MAX_COUNTRIES`.
pub fn countries_to_compare(countries: Vec<CountryCode>) -> Result<Vec<CountryCode>> {
    let countries = params::distinct("countries", countries, MAX_COUNTRIES)?;
    if countries.is_empty() {
        return Err(Error::invalid("countries", "give countries or a subsystem"));
    }
    Ok(countries)
}

/// `GET /v1/matrix`: the matrix's filters, and whether CSV was asked for.
pub struct MatrixParams {
    pub request: MatrixRequest,
    pub csv: bool,
}

/// `GET /v1/matrix`: subsystem, kind, in_force, categories, format.
pub fn matrix(p: &[(String, String)], e: &Engine) -> Result<MatrixParams> {
    let mut r = MatrixRequest::default();
    let mut csv = false;
    for (k, v) in given(p) {
        match k.as_str() {
            "subsystem" if no_items(v) => {}
            "subsystem" => r.subsystem = Some(request::subsystem(k, v)?),
            "kind" => r.kinds.extend(params::list::<InstrumentKind>(k, v)?),
            "in_force" => r.in_force = Some(parse_bool(k, v)?),
            "categories" | "category" => {
                for s in values(v) {
                    r.categories.push(request::category(e.taxonomy(), k, s)?);
                }
            }
            "format" => {
                csv = match v.as_str() {
                    "csv" => true,
                    "json" => false,
                    _ => return Err(Error::invalid(k, "must be json or csv")),
                }
            }
            other => {
                return Err(unknown(
                    other,
                    "subsystem, kind, in_force, categories, format",
                ))
            }
        }
    }
    r.categories = params::distinct("categories", r.categories, params::MAX_CATEGORIES)?;
    Ok(MatrixParams { request: r, csv })
}

/// `GET /v1/gaps`: the country, its peers and how many exemplars per gap.
pub struct GapsParams {
    pub country: CountryCode,
    pub peers: Peers,
    pub exemplars: usize,
}

/// `GET /v1/gaps`: country, peers, exemplars.
pub fn gaps(p: &[(String, String)], e: &Engine) -> Result<GapsParams> {
    let (mut country, mut peers, mut exemplars) = (None, Peers::Subsystems, 3);
    for (k, v) in given(p) {
        match k.as_str() {
            "country" => country = Some(request::country(e.registry(), k, v)?),
            "peers" => peers = parse_peers(e, v)?,
            "exemplars" => exemplars = parse_count(k, v, MAX_EXEMPLARS)?,
            other => return Err(unknown(other, "country, peers, exemplars")),
        }
    }
    Ok(GapsParams {
        country: country.ok_or_else(|| Error::invalid("country", "is required"))?,
        peers,
        exemplars,
    })
}

/// `MERCOSUR` (a subsystem), `all`, or a list of countries `AR,CL` in the registry,
/// deduplicated (`Peers::validated`).
/// A value with no item (`peers=,`) is the default, as an absent one is.
pub fn parse_peers(e: &Engine, v: &str) -> Result<Peers> {
    if no_items(v) {
        return Ok(Peers::Subsystems);
    }
    let peers: Peers = v.parse().map_err(|m: String| Error::invalid("peers", m))?;
    peers.validated(e.registry())
}

/// Peers given as countries must be OAS member states in the registry (see
/// `Peers::validated`).
pub fn known_peers(registry: &Registry, peers: &Peers) -> Result<()> {
    peers.clone().validated(registry).map(|_| ())
}

impl Peers {
    /// A list of peers checked (every code an OAS member state in the registry, not `INTL`)
    /// and deduplicated (first mention kept), at most `MAX_COUNTRIES` distinct ones. Other kinds of peers are returned as they are.
    pub fn validated(self, registry: &Registry) -> Result<Peers> {
        let Peers::List(list) = self else {
            return Ok(self);
        };
        for c in &list {
            if c.is_intl() {
                return Err(Error::invalid(
                    "peers",
                    "INTL is not a country: give OAS member states",
                ));
            }
            request::known_country(registry, "peers", c)?;
        }
        let out = params::distinct("peers", list, MAX_COUNTRIES)?;
        if out.is_empty() {
            return Err(Error::invalid(
                "peers",
                "give a subsystem, 'all' or country codes",
            ));
        }
        Ok(Peers::List(out))
    }
}

/// `GET /v1/brief`: country, peers, lang, format, exemplars.
pub fn brief(
    p: &[(String, String)],
    e: &Engine,
) -> Result<(super::brief::BriefRequest, super::brief::Format)> {
    let (mut country, mut peers, mut lang, mut format, mut exemplars) = (
        None,
        Peers::Subsystems,
        Language::En,
        super::brief::Format::Html,
        super::brief::BRIEF_EXEMPLARS,
    );
    for (k, v) in given(p) {
        match k.as_str() {
            "country" => country = Some(request::country(e.registry(), k, v)?),
            "peers" => peers = parse_peers(e, v)?,
            "lang" => lang = v.parse().map_err(|m: String| Error::invalid(k, m))?,
            "format" => format = v.parse().map_err(|m: String| Error::invalid(k, m))?,
            "exemplars" => exemplars = parse_count(k, v, MAX_EXEMPLARS)?,
            other => return Err(unknown(other, "country, peers, lang, format, exemplars")),
        }
    }
    let country = country.ok_or_else(|| Error::invalid("country", "is required"))?;
    Ok((
        super::brief::BriefRequest {
            country,
            peers,
            lang,
            exemplars,
        },
        format,
    ))
}

/// `GET /v1/provisions/{id}/similar`: which countries and languages, how many.
pub struct SimilarParams {
    pub countries: Vec<CountryCode>,
    pub languages: Vec<Language>,
    pub limit: usize,
}

/// `GET /v1/provisions/{id}/similar`: countries, lang, limit.
pub fn similar(p: &[(String, String)], e: &Engine) -> Result<SimilarParams> {
    let (mut countries, mut languages, mut limit) = (Vec::new(), Vec::new(), 10);
    for (k, v) in given(p) {
        match k.as_str() {
            "countries" | "country" => {
                for c in values(v) {
                    countries.push(request::country(e.registry(), k, c)?);
                }
            }
            "lang" => languages.extend(params::list::<Language>(k, v)?),
            "limit" => limit = parse_count(k, v, MAX_LIMIT)?,
            other => return Err(unknown(other, "countries, lang, limit")),
        }
    }
    Ok(SimilarParams {
        countries: params::distinct("countries", countries, MAX_COUNTRIES)?,
        languages,
        limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::load(&std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/countries.toml"
        )))
        .unwrap()
    }

    #[test]
    fn peer_lists_are_deduplicated_and_checked() {
        let reg = registry();
        let c = |s: &str| s.parse::<CountryCode>().unwrap();
        let v = Peers::List(vec![c("AR"), c("CL"), c("AR")])
            .validated(&reg)
            .unwrap();
        assert!(matches!(v, Peers::List(l) if l == vec![c("AR"), c("CL")]));
        assert!(Peers::List(vec![c("INTL")]).validated(&reg).is_err());
        assert!(Peers::List(vec![c("ZZ")]).validated(&reg).is_err());
        assert!(matches!(Peers::All.validated(&reg), Ok(Peers::All)));
    }
}
