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

/// `MERCOSUR` (a subsystem), `all`, or a list of countries `AR,CL`.
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
    Ok(Peers::List(list))
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
