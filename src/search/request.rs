//! The typed search request and its construction from name/value parameters (as a query string
//! or CLI flags give them). Every value is parsed into a domain type; an unknown country,
//! category or language is refused with a message naming the parameter.

use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::{CategoryId, Taxonomy};
use crate::corpus::countries::{Registry, SUBSYSTEMS};
use crate::corpus::model::{CountryCode, InstrumentKind, Language};
use crate::error::{Error, Result};
use serde::Serialize;

pub const MAX_LIMIT: usize = 100;
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_OFFSET: usize = 10_000;

/// A search, as the engine takes it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchRequest {
    pub q: String,
    pub countries: Vec<CountryCode>,
    pub subsystems: Vec<String>,
    pub kinds: Vec<InstrumentKind>,
    pub categories: Vec<CategoryId>,
    pub languages: Vec<Language>,
    pub modalities: Vec<Modality>,
    pub in_force: Option<bool>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub limit: usize,
    pub offset: usize,
    pub expand: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            countries: vec![],
            subsystems: vec![],
            kinds: vec![],
            categories: vec![],
            languages: vec![],
            modalities: vec![],
            in_force: None,
            from: None,
            to: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
            expand: true,
        }
    }
}

/// Values of a repeated or comma-separated parameter.
fn values(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn parse_bool(param: &str, v: &str) -> Result<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Error::invalid(param, format!("'{v}' is not true or false"))),
    }
}

fn parse_num<T: std::str::FromStr>(param: &str, v: &str) -> Result<T> {
    v.trim().parse().map_err(|_| {
        Error::invalid(
            param,
            format!(
                "'{}' is not a number",
                v.chars().take(40).collect::<String>()
            ),
        )
    })
}

/// Parses a country code that must be in the registry (or INTL).
pub fn country(registry: &Registry, param: &str, v: &str) -> Result<CountryCode> {
    let c: CountryCode = v.parse().map_err(|e: String| Error::invalid(param, e))?;
    if c.is_intl() || registry.get(&c).is_some() {
        Ok(c)
    } else {
        Err(Error::invalid(
            param,
            format!("unknown country '{c}' (not an OAS member state)"),
        ))
    }
}

/// Parses a subsystem name (SICA, CAN, MERCOSUR, CARICOM).
pub fn subsystem(param: &str, v: &str) -> Result<String> {
    let up = v.trim().to_ascii_uppercase();
    if SUBSYSTEMS.contains(&up.as_str()) {
        Ok(up)
    } else {
        Err(Error::invalid(
            param,
            format!("unknown subsystem '{v}' (one of {})", SUBSYSTEMS.join(", ")),
        ))
    }
}

impl SearchRequest {
    /// Builds a request from name/value pairs; unknown parameter names are refused too, so a
    /// typo does not silently widen a search.
    pub fn from_params(
        params: &[(String, String)],
        taxonomy: &Taxonomy,
        registry: &Registry,
    ) -> Result<SearchRequest> {
        let mut r = SearchRequest::default();
        let mut seen_q = false;
        for (k, v) in params {
            match k.as_str() {
                "q" => {
                    if seen_q {
                        return Err(Error::invalid("q", "given more than once"));
                    }
                    seen_q = true;
                    r.q = v.clone();
                }
                "country" | "countries" => {
                    for c in values(v) {
                        r.countries.push(country(registry, k, c)?);
                    }
                }
                "subsystem" => {
                    for s in values(v) {
                        r.subsystems.push(subsystem(k, s)?);
                    }
                }
                "kind" => {
                    for s in values(v) {
                        r.kinds.push(s.parse().map_err(|e: String| Error::invalid(k, e))?);
                    }
                }
                "category" => {
                    for s in values(v) {
                        r.categories.push(taxonomy.parse_id(s).map_err(|e| Error::invalid(k, e))?);
                    }
                }
                "lang" => {
                    for s in values(v) {
                        r.languages.push(s.parse().map_err(|e: String| Error::invalid(k, e))?);
                    }
                }
                "modality" => {
                    for s in values(v) {
                        r.modalities.push(s.parse().map_err(|e: String| Error::invalid(k, e))?);
                    }
                }
                "in_force" => r.in_force = Some(parse_bool(k, v)?),
                "from" => r.from = Some(parse_num(k, v)?),
                "to" => r.to = Some(parse_num(k, v)?),
                "limit" => r.limit = parse_num(k, v)?,
                "offset" => r.offset = parse_num(k, v)?,
                "expand" => r.expand = parse_bool(k, v)?,
                other => {
                    return Err(Error::invalid(
                        other,
                        "unknown parameter (q, country, subsystem, kind, category, lang, modality, in_force, from, to, limit, offset, expand)",
                    ))
                }
            }
        }
        r.validate()?;
        Ok(r)
    }

    /// Checks the bounds of a request built in code.
    pub fn validate(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        if self.offset > MAX_OFFSET {
            return Err(Error::invalid(
                "offset",
                format!("must be at most {MAX_OFFSET}"),
            ));
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                return Err(Error::invalid("from", "is after 'to'"));
            }
        }
        super::query::parse(&self.q)?;
        Ok(())
    }
}
