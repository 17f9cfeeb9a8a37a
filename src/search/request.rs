//! The typed search request and its construction from name/value parameters (as a query string
//! gives them). Every value is parsed into a domain type, the query included (once, here); an
//! unknown country, category or language is refused with a message naming the parameter. The
//! checks that need the registry or the taxonomy (`country`, `known_country`,
//! `known_category`, `subsystem`) are the ones every route and the CLI use.

use super::query::Query;
use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::{CategoryId, Taxonomy};
use crate::corpus::countries::{Registry, SUBSYSTEMS};
use crate::corpus::model::{CountryCode, InstrumentKind, Language};
use crate::error::{Error, Result};
use crate::params::{self, parse_bool, parse_num, values};
use serde::Serialize;

pub const MAX_LIMIT: usize = 100;
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_OFFSET: usize = 10_000;

/// The two kinds of document a search finds (`type=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocType {
    Provision,
    Practice,
}

impl std::str::FromStr for DocType {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "provision" | "provisions" => Ok(DocType::Provision),
            "practice" | "practices" => Ok(DocType::Practice),
            _ => Err(format!(
                "'{}' is not provision or practice",
                s.trim().chars().take(40).collect::<String>()
            )),
        }
    }
}

/// A search, as the engine takes it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchRequest {
    pub q: Query,
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
    /// Copies of one provision shown as one hit (`search::group`); `group=off` lists each.
    pub group: bool,
    /// What to find: provisions, practices, or (empty) both.
    pub types: Vec<DocType>,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: Query::default(),
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
            group: true,
            types: vec![],
        }
    }
}

/// A well-formed country code must also be in the registry (or be INTL).
pub fn known_country(registry: &Registry, param: &str, c: &CountryCode) -> Result<()> {
    if c.is_intl() || registry.get(c).is_some() {
        Ok(())
    } else {
        Err(Error::invalid(
            param,
            format!("unknown country '{c}' (not an OAS member state)"),
        ))
    }
}

/// Parses a country code that must be in the registry (or INTL).
pub fn country(registry: &Registry, param: &str, v: &str) -> Result<CountryCode> {
    let c: CountryCode = v.parse().map_err(|e: String| Error::invalid(param, e))?;
    known_country(registry, param, &c)?;
    Ok(c)
}

/// A well-formed category id must also be in the taxonomy (leaf or parent).
pub fn known_category(taxonomy: &Taxonomy, param: &str, id: &CategoryId) -> Result<()> {
    category(taxonomy, param, id.as_str()).map(|_| ())
}

/// Parses a category id that must be in the taxonomy.
pub fn category(taxonomy: &Taxonomy, param: &str, v: &str) -> Result<CategoryId> {
    taxonomy.parse_id(v).map_err(|e| Error::invalid(param, e))
}

/// A subsystem name (SICA, CAN, MERCOSUR, CARICOM) in any case, upper-cased.
pub fn subsystem_name(v: &str) -> std::result::Result<String, String> {
    let up = v.trim().to_ascii_uppercase();
    if SUBSYSTEMS.contains(&up.as_str()) {
        Ok(up)
    } else {
        Err(format!(
            "unknown subsystem '{v}' (one of {})",
            SUBSYSTEMS.join(", ")
        ))
    }
}

/// Parses a subsystem parameter.
pub fn subsystem(param: &str, v: &str) -> Result<String> {
    subsystem_name(v).map_err(|e| Error::invalid(param, e))
}

/// `group=on` / `group=off` (or any spelling of a boolean `in_force` takes).
fn parse_group(v: &str) -> Result<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => params::boolean(v).map_err(|_| {
            let v: String = v.trim().chars().take(40).collect();
            Error::invalid("group", format!("'{v}' is not on or off"))
        }),
    }
}

impl SearchRequest {
    /// Whether the request asks for documents of a type (no `type` given: both).
    pub fn wants(&self, t: DocType) -> bool {
        self.types.is_empty() || self.types.contains(&t)
    }

    /// A request for a query with every other value at its default.
    pub fn new(q: &str) -> Result<SearchRequest> {
        Ok(SearchRequest {
            q: Query::parse(q)?,
            ..SearchRequest::default()
        })
    }

    /// Builds a request from name/value pairs; unknown parameter names are refused too, so a
    /// typo does not silently widen a search.
    pub fn from_params(
        params: &[(String, String)],
        taxonomy: &Taxonomy,
        registry: &Registry,
    ) -> Result<SearchRequest> {
        let mut r = SearchRequest::default();
        let mut q: Option<&str> = None;
        for (k, v) in crate::params::given(params) {
            match k.as_str() {
                "q" => {
                    if q.is_some() {
                        return Err(Error::invalid("q", "given more than once"));
                    }
                    q = Some(v);
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
                "kind" => r.kinds.extend(params::list::<InstrumentKind>(k, v)?),
                "category" => {
                    for s in values(v) {
                        r.categories.push(category(taxonomy, k, s)?);
                    }
                }
                "lang" => r.languages.extend(params::list::<Language>(k, v)?),
                "modality" => r.modalities.extend(params::list::<Modality>(k, v)?),
                "in_force" => r.in_force = Some(parse_bool(k, v)?),
                "from" => r.from = Some(parse_num(k, v)?),
                "to" => r.to = Some(parse_num(k, v)?),
                "limit" => r.limit = parse_num(k, v)?,
                "offset" => r.offset = parse_num(k, v)?,
                "expand" => r.expand = parse_bool(k, v)?,
                "group" => r.group = parse_group(v)?,
                "type" => r.types.extend(params::list::<DocType>(k, v)?),
                other => {
                    return Err(params::unknown(
                        other,
                        "q, country, subsystem, kind, category, lang, modality, in_force, from, to, limit, offset, expand, group, type",
                    ))
                }
            }
        }
        // each filter value once, so a repeated one costs nothing
        r.countries = params::distinct("country", r.countries, params::MAX_COUNTRIES)?;
        r.categories = params::distinct("category", r.categories, params::MAX_CATEGORIES)?;
        r.types.sort_by_key(|t| *t as u8);
        r.types.dedup();
        r.validate()?;
        // the query last, as the bounds are checked first
        r.q = Query::parse(q.unwrap_or_default())?;
        Ok(r)
    }

    /// Checks the bounds of a request built in code (the query is checked when parsed).
    pub fn validate(&self) -> Result<()> {
        params::bounded("limit", self.limit, MAX_LIMIT)?;
        if self.offset > MAX_OFFSET {
            return Err(Error::invalid(
                "offset",
                format!("must be at most {MAX_OFFSET}"),
            ));
        }
        // a `from` after `to` is an empty range: it selects nothing, as a range of years would
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_group;

    #[test]
    fn group_reads_on_off_and_booleans_and_refuses_the_rest() {
        for (v, b) in [
            ("off", false),
            ("ON", true),
            ("false", false),
            (" 1 ", true),
        ] {
            assert_eq!(parse_group(v).ok(), Some(b), "{v}");
        }
        let e = parse_group("sometimes").unwrap_err().to_string();
        assert!(e.contains("group") && e.contains("on or off"), "{e}");
    }
}
