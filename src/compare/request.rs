//! Comparison requests from name/value parameters (query strings, CLI flags), each value parsed
//! into a domain type and refused with the parameter's name when wrong.

use super::{MatrixRequest, Peers};
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, Language};
use crate::error::{Error, Result};
use crate::search::{request, Engine};

fn values(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn unknown(k: &str, allowed: &str) -> Error {
    Error::invalid(k, format!("unknown parameter ({allowed})"))
}

fn num(k: &str, v: &str, max: usize) -> Result<usize> {
    let n: usize = v.trim().parse().map_err(|_| {
        Error::invalid(
            k,
            format!(
                "'{}' is not a number",
                v.chars().take(40).collect::<String>()
            ),
        )
    })?;
    if n == 0 || n > max {
        return Err(Error::invalid(k, format!("must be between 1 and {max}")));
    }
    Ok(n)
}

/// `GET /v1/compare`: category, countries and/or subsystem, q, limit (per country).
pub struct CompareParams {
    pub category: CategoryId,
    pub countries: Vec<CountryCode>,
    pub q: Option<String>,
    pub limit: usize,
}

pub fn compare(p: &[(String, String)], e: &Engine) -> Result<CompareParams> {
    let (mut category, mut countries, mut q, mut limit) = (None, Vec::new(), None, 5);
    for (k, v) in p {
        match k.as_str() {
            "category" => {
                category = Some(e.taxonomy().parse_id(v).map_err(|m| Error::invalid(k, m))?)
            }
            "countries" | "country" => {
                for c in values(v) {
                    countries.push(request::country(e.registry(), k, c)?);
                }
            }
            "subsystem" => {
                let s = request::subsystem(k, v)?;
                countries.extend(e.registry().members_of(&s));
            }
            "q" => {
                crate::search::query::parse(v)?;
                q = Some(v.clone());
            }
            "limit" => limit = num(k, v, 50)?,
            other => return Err(unknown(other, "category, countries, subsystem, q, limit")),
        }
    }
    let category = category.ok_or_else(|| Error::invalid("category", "is required"))?;
    countries.dedup();
    if countries.is_empty() {
        return Err(Error::invalid("countries", "give countries or a subsystem"));
    }
    if countries.len() > 40 {
        return Err(Error::invalid("countries", "at most 40 countries"));
    }
    Ok(CompareParams {
        category,
        countries,
        q,
        limit,
    })
}

/// `GET /v1/matrix`: subsystem, kind, in_force, categories, format.
pub fn matrix(p: &[(String, String)], e: &Engine) -> Result<(MatrixRequest, bool)> {
    let mut r = MatrixRequest::default();
    let mut csv = false;
    for (k, v) in p {
        match k.as_str() {
            "subsystem" => r.subsystem = Some(request::subsystem(k, v)?),
            "kind" => {
                for s in values(v) {
                    r.kinds
                        .push(s.parse().map_err(|m: String| Error::invalid(k, m))?);
                }
            }
            "in_force" => {
                r.in_force = Some(match v.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(Error::invalid(k, "must be true or false")),
                })
            }
            "categories" | "category" => {
                for s in values(v) {
                    r.categories
                        .push(e.taxonomy().parse_id(s).map_err(|m| Error::invalid(k, m))?);
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
    Ok((r, csv))
}

/// `GET /v1/gaps`: country, peers, exemplars.
pub fn gaps(p: &[(String, String)], e: &Engine) -> Result<(CountryCode, Peers, usize)> {
    let (mut country, mut peers, mut n) = (None, Peers::Subsystems, 3);
    for (k, v) in p {
        match k.as_str() {
            "country" => country = Some(request::country(e.registry(), k, v)?),
            "peers" => peers = parse_peers(e, v)?,
            "exemplars" => n = num(k, v, 10)?,
            other => return Err(unknown(other, "country, peers, exemplars")),
        }
    }
    Ok((
        country.ok_or_else(|| Error::invalid("country", "is required"))?,
        peers,
        n,
    ))
}

/// `GET /v1/brief`: country, peers, lang, format, exemplars.
pub fn brief(
    p: &[(String, String)],
    e: &Engine,
) -> Result<(super::brief::BriefRequest, super::brief::Format)> {
    let (mut country, mut peers, mut lang, mut format, mut n) = (
        None,
        Peers::Subsystems,
        Language::En,
        super::brief::Format::Html,
        super::brief::BRIEF_EXEMPLARS,
    );
    for (k, v) in p {
        match k.as_str() {
            "country" => country = Some(request::country(e.registry(), k, v)?),
            "peers" => peers = parse_peers(e, v)?,
            "lang" => lang = v.parse().map_err(|m: String| Error::invalid(k, m))?,
            "format" => format = v.parse().map_err(|m: String| Error::invalid(k, m))?,
            "exemplars" => n = num(k, v, 10)?,
            other => return Err(unknown(other, "country, peers, lang, format, exemplars")),
        }
    }
    let country = country.ok_or_else(|| Error::invalid("country", "is required"))?;
    Ok((
        super::brief::BriefRequest {
            country,
            peers,
            lang,
            exemplars: n,
        },
        format,
    ))
}

/// `MERCOSUR` (a subsystem), `all`, or a list of countries `AR,CL` (see `Peers::validated`).
pub fn parse_peers(e: &Engine, v: &str) -> Result<Peers> {
    let t = v.trim();
    if t.eq_ignore_ascii_case("all") {
        return Ok(Peers::All);
    }
    if let Ok(s) = request::subsystem("peers", t) {
        return Ok(Peers::Subsystem(s));
    }
    let list = values(t)
        .map(|c| request::country(e.registry(), "peers", c))
        .collect::<Result<Vec<_>>>()?;
    if list.is_empty() {
        return Err(Error::invalid(
            "peers",
            "give a subsystem, 'all' or country codes",
        ));
    }
    Peers::List(list).validated(e.registry())
}

/// `GET /v1/provisions/{id}/similar`: countries, lang, limit.
pub fn similar(
    p: &[(String, String)],
    e: &Engine,
) -> Result<(Vec<CountryCode>, Vec<Language>, usize)> {
    let (mut countries, mut langs, mut limit) = (Vec::new(), Vec::new(), 10);
    for (k, v) in p {
        match k.as_str() {
            "countries" | "country" => {
                for c in values(v) {
                    countries.push(request::country(e.registry(), k, c)?);
                }
            }
            "lang" => {
                for l in values(v) {
                    langs.push(l.parse().map_err(|m: String| Error::invalid(k, m))?);
                }
            }
            "limit" => limit = num(k, v, 50)?,
            other => return Err(unknown(other, "countries, lang, limit")),
        }
    }
    Ok((countries, langs, limit))
}

impl Peers {
    /// A list of peers deduplicated (first mention kept) and checked: every code an OAS member
    /// state in the registry, not `INTL`. Other kinds of peers are returned as they are.
    pub fn validated(self, registry: &crate::corpus::countries::Registry) -> Result<Peers> {
        let Peers::List(list) = self else {
            return Ok(self);
        };
        let mut out: Vec<CountryCode> = Vec::with_capacity(list.len());
        for c in list {
            if c.is_intl() {
                return Err(Error::invalid(
                    "peers",
                    "INTL is not a country: give OAS member states",
                ));
            }
            if registry.get(&c).is_none() {
                return Err(Error::invalid(
                    "peers",
                    format!("unknown country '{c}' (not an OAS member state)"),
                ));
            }
            if !out.contains(&c) {
                out.push(c);
            }
        }
        if out.is_empty() {
            return Err(Error::invalid(
                "peers",
                "give a subsystem, 'all' or country codes",
            ));
        }
        Ok(Peers::List(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> crate::corpus::countries::Registry {
        crate::corpus::countries::Registry::load(&std::path::PathBuf::from(concat!(
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
