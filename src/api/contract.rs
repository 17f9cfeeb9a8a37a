//! The API's parameter contract: for each route, the parameters it takes with their types,
//! bounds and closed enumerations. One table serves twice: `check` holds a request to it before
//! the engine's (lenient, shared with the web pages and the CLI) readers see it, and
//! `openapi` states it in the document, so the document says what the server accepts and the
//! server accepts what the document says (schemathesis checks both directions in CI).
//!
//! The rules the table states: a parameter not listed is a 400 naming it; a parameter given
//! empty (`country=`) is a 400 naming it, on every route (leave it out for its default: an
//! empty list and a list of one empty item are the same query string, so "empty" can mean
//! only one thing); a list parameter is comma-separated (`style: form, explode: false`), each
//! item exactly one of its values, at most as many items as it has values; booleans are
//! `true` or `false`; integers are decimal within their range; a required parameter must be
//! given.

use crate::annotate::modality::Modality;
use crate::corpus::countries::SUBSYSTEMS;
use crate::corpus::model::{InstrumentKind, Language};
use crate::error::{Error, Result};
use crate::search::Engine;

/// Where a parameter is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Query,
    Path,
}

/// A closed set of values, read from the Rust types or from the served engine (registry,
/// taxonomy, indexed countries).
#[derive(Debug, Clone, Copy)]
pub enum Values {
    /// Every country of the registry, and `INTL`.
    Countries,
    /// Countries with indexed instruments (not `INTL`): the ones gaps and briefs are about.
    Indexed,
    /// Every category id of the taxonomy (a parent includes its leaves).
    Categories,
    Subsystems,
    Kinds,
    Languages,
    Modalities,
    Fixed(&'static [&'static str]),
}

impl Values {
    /// The values, in the order the registry, the taxonomy or the type lists them.
    pub fn list(self, e: &Engine) -> Vec<String> {
        match self {
            Values::Countries => e
                .registry()
                .countries
                .iter()
                .map(|c| c.code.to_string())
                .chain(["INTL".to_string()])
                .collect(),
            Values::Indexed => crate::compare::request::indexed_countries(e)
                .iter()
                .map(|c| c.to_string())
                .collect(),
            Values::Categories => e
                .taxonomy()
                .categories
                .iter()
                .map(|c| c.id.to_string())
                .collect(),
            Values::Subsystems => SUBSYSTEMS.iter().map(|s| s.to_string()).collect(),
            Values::Kinds => InstrumentKind::ALL.iter().map(|k| k.to_string()).collect(),
            Values::Languages => Language::ALL.iter().map(|l| l.to_string()).collect(),
            Values::Modalities => Modality::ALL
                .iter()
                .map(|m| m.as_str().to_string())
                .collect(),
            Values::Fixed(v) => v.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn contains(self, e: &Engine, v: &str) -> bool {
        match self {
            Values::Countries => {
                v == "INTL" || e.registry().countries.iter().any(|c| c.code.as_str() == v)
            }
            Values::Indexed => v != "INTL" && e.meta.countries.iter().any(|c| c == v),
            Values::Categories => e.taxonomy().categories.iter().any(|c| c.id.as_str() == v),
            Values::Fixed(list) => list.contains(&v),
            other => other.list(e).iter().any(|x| x == v),
        }
    }
}

/// A parameter's type.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Free text: at most `max` characters matching `pattern` (the same regular expression
    /// in the document and here; written with explicit classes only, so that it means the
    /// same to the Rust `regex` crate and to clients' engines).
    Text {
        max: usize,
        min: usize,
        pattern: Option<&'static str>,
    },
    /// `since` of `/v1/changes`: a generation name, or a date or date-time (the changes
    /// report's own check, which says what is wrong with a date).
    Since,
    Int {
        min: i64,
        max: i64,
        default: Option<i64>,
    },
    Bool {
        default: Option<bool>,
    },
    /// `peers`: a subsystem, `all`, or the registry's country codes, comma-separated.
    Peers,
    /// One of the values.
    One {
        values: Values,
        default: Option<&'static str>,
    },
    /// Comma-separated values, each one of `values`.
    List(Values),
}

/// One parameter of a route.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub place: Place,
    pub required: bool,
    pub ty: Ty,
    pub description: &'static str,
}

const fn query(name: &'static str, ty: Ty, description: &'static str) -> Param {
    Param {
        name,
        place: Place::Query,
        required: false,
        ty,
        description,
    }
}

const fn required(mut p: Param) -> Param {
    p.required = true;
    p
}

const fn path(name: &'static str, ty: Ty, description: &'static str) -> Param {
    Param {
        name,
        place: Place::Path,
        required: true,
        ty,
        description,
    }
}

// The pieces of the query pattern, as macros so the pattern is one literal (`concat!`).
/// Any character but a control character (tab and line breaks aside) or U+FFFD.
macro_rules! plain {
    () => {
        r"[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFD]"
    };
}
/// A digit or a letter of the Latin scripts.
macro_rules! latin {
    () => {
        r"[0-9A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]"
    };
}

/// A query: plain text holding at least one letter of the Latin scripts or a digit, so that
/// it has a word to search for (the parser refuses a query of operators and punctuation
/// alone, which would otherwise match everything; listing everything is `q` left out).
pub const Q_PATTERN: &str = concat!("^", plain!(), "*", latin!(), plain!(), "*$");

const Q: Ty = Ty::Text {
    max: crate::search::query::MAX_CHARS,
    min: 1,
    pattern: Some(Q_PATTERN),
};

/// A provision id as `ProvisionId` parses it: `{instrument}:{eId}`.
pub const PROVISION_ID_PATTERN: &str = r"^[A-Za-z0-9_.-]+:[A-Za-z0-9_.:-]+$";
/// An instrument id (a slug of its path in the corpus).
pub const INSTRUMENT_ID_PATTERN: &str = r"^[A-Za-z0-9_.-]+$";
/// A practice id as `PracticeId` parses it.
pub const PRACTICE_ID_PATTERN: &str = r"^[a-z0-9]+(-[a-z0-9]+)*$";

pub const PROVISION_ID: Param = path(
    "id",
    Ty::Text {
        max: 300,
        min: 1,
        pattern: Some(PROVISION_ID_PATTERN),
    },
    "a provision id, `{instrument id}:{eId}` (e.g. `ca-eng-f-29.4:sched_2__art_36`)",
);
pub const INSTRUMENT_ID: Param = path(
    "id",
    Ty::Text {
        max: 200,
        min: 1,
        pattern: Some(INSTRUMENT_ID_PATTERN),
    },
    "an instrument id (e.g. `ar-ley-17081`)",
);
pub const PRACTICE_ID: Param = path(
    "id",
    Ty::Text {
        max: crate::practices::MAX_ID_LEN,
        min: 1,
        pattern: Some(PRACTICE_ID_PATTERN),
    },
    "a practice id: lowercase letters, digits and single hyphens",
);
/// `/gaps/{country}` and `/brief/{country}` (web pages).
pub const COUNTRY_PATH: Param = path(
    "country",
    Ty::One {
        values: Values::Indexed,
        default: None,
    },
    "a country with indexed instruments",
);

use crate::search::request::{DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET};

pub const SEARCH: &[Param] = &[
    query("q", Q, "query text in any language: words (all of them), \"phrases\", -exclusions, OR between words; at most 1000 characters, 64 clauses, 16 levels of parentheses"),
    query("country", Ty::List(Values::Countries), "country codes"),
    query("subsystem", Ty::List(Values::Subsystems), "integration subsystems (their members)"),
    query("kind", Ty::List(Values::Kinds), "instrument kinds"),
    query("category", Ty::List(Values::Categories), "category ids; a parent includes its leaves"),
    query("lang", Ty::List(Values::Languages), "provision languages"),
    query("modality", Ty::List(Values::Modalities), "normative modalities"),
    query("in_force", Ty::Bool { default: None }, "only provisions in force (true) or not in force (false)"),
    query("from", Ty::Int { min: i64::MIN, max: i64::MAX, default: None }, "earliest publication year; a `from` after `to` selects nothing"),
    query("to", Ty::Int { min: i64::MIN, max: i64::MAX, default: None }, "latest publication year"),
    query("limit", Ty::Int { min: 1, max: MAX_LIMIT as i64, default: Some(DEFAULT_LIMIT as i64) }, "hits per page"),
    query("offset", Ty::Int { min: 0, max: MAX_OFFSET as i64, default: Some(0) }, "hits to skip"),
    query("expand", Ty::Bool { default: Some(true) }, "cross-lingual expansion through the category descriptors"),
    query("group", Ty::One { values: Values::Fixed(&["on", "off"]), default: Some("on") }, "copies of one provision (treaty article copies, Canadian twins) as one hit"),
    query("type", Ty::List(Values::Fixed(&["provision", "practice"])), "what to list (default both); the `type` facet counts both"),
];

pub const INSTRUMENTS: &[Param] = &[query(
    "country",
    Ty::One {
        values: Values::Countries,
        default: None,
    },
    "only this country's instruments",
)];

pub const PRACTICES: &[Param] = &[
    query(
        "country",
        Ty::One {
            values: Values::Countries,
            default: None,
        },
        "the state that runs the practice or takes part in it",
    ),
    query(
        "category",
        Ty::One {
            values: Values::Categories,
            default: None,
        },
        "a category id (a parent includes its leaves)",
    ),
];

pub const COMPARE: &[Param] = &[
    required(query("category", Ty::One { values: Values::Categories, default: None }, "the category compared")),
    query("countries", Ty::List(Values::Countries), "the countries compared (with `subsystem`: their union; with neither: every country with indexed instruments), at most 40"),
    query("subsystem", Ty::List(Values::Subsystems), "every member of these subsystems"),
    query("q", Q, "only provisions matching this query"),
    query("limit", Ty::Int { min: 1, max: crate::compare::request::MAX_LIMIT as i64, default: Some(5) }, "provisions per country"),
];

pub const MATRIX: &[Param] = &[
    query(
        "subsystem",
        Ty::One {
            values: Values::Subsystems,
            default: None,
        },
        "rows: the members of this subsystem (default: every OAS member state)",
    ),
    query(
        "kind",
        Ty::List(Values::Kinds),
        "only instruments of these kinds",
    ),
    query(
        "in_force",
        Ty::Bool { default: None },
        "only provisions in force",
    ),
    query(
        "categories",
        Ty::List(Values::Categories),
        "columns: these categories' leaves (default: every leaf)",
    ),
    query(
        "format",
        Ty::One {
            values: Values::Fixed(&["json", "csv"]),
            default: Some("json"),
        },
        "json, or csv (as does `Accept: text/csv`)",
    ),
];

const PEERS: Param = query(
    "peers",
    Ty::Peers,
    "a subsystem, `all`, or OAS member states' codes, comma-separated (default: the country's subsystems, or every member with sources when it has none)",
);
const EXEMPLARS_DOC: &str = "model provisions per gap";

pub const GAPS: &[Param] = &[
    required(query(
        "country",
        Ty::One {
            values: Values::Indexed,
            default: None,
        },
        "the country whose gaps are shown (one with indexed instruments)",
    )),
    PEERS,
    query(
        "exemplars",
        Ty::Int {
            min: 1,
            max: crate::compare::request::MAX_EXEMPLARS as i64,
            default: Some(3),
        },
        EXEMPLARS_DOC,
    ),
];

pub const BRIEF: &[Param] = &[
    required(query(
        "country",
        Ty::One {
            values: Values::Indexed,
            default: None,
        },
        "the country the brief is for (one with indexed instruments)",
    )),
    PEERS,
    query(
        "lang",
        Ty::One {
            values: Values::Fixed(&["es", "en", "fr", "pt"]),
            default: Some("en"),
        },
        "language of the labels",
    ),
    query(
        "format",
        Ty::One {
            values: Values::Fixed(&["html", "md"]),
            default: Some("html"),
        },
        "a self-contained HTML file, or Markdown",
    ),
    query(
        "exemplars",
        Ty::Int {
            min: 1,
            max: crate::compare::request::MAX_EXEMPLARS as i64,
            default: Some(2),
        },
        EXEMPLARS_DOC,
    ),
];

pub const SIMILAR: &[Param] = &[
    query(
        "countries",
        Ty::List(Values::Countries),
        "only provisions of these countries",
    ),
    query(
        "lang",
        Ty::List(Values::Languages),
        "only provisions in these languages",
    ),
    query(
        "limit",
        Ty::Int {
            min: 1,
            max: crate::compare::request::MAX_LIMIT as i64,
            default: Some(10),
        },
        "provisions returned",
    ),
];

pub const CHANGES: &[Param] = &[
    required(query("since", Ty::Since, "a generation name (`g20261128T153000123`), or a date `YYYY-MM-DD` or date-time: the changes of the generations built after it")),
    query("country", Ty::One { values: Values::Countries, default: None }, "only changes of this country's instruments"),
    query("category", Ty::One { values: Values::Categories, default: None }, "only changes touching this category"),
];

/// The pattern the document states for `peers`, from the registry: what `Ty::Peers` checks.
pub fn peers_pattern(e: &Engine) -> String {
    let codes: Vec<String> = Values::Countries
        .list(e)
        .into_iter()
        .filter(|c| c != "INTL")
        .collect();
    let codes = codes.join("|");
    format!("^(all|{}|({codes})(,({codes}))*)$", SUBSYSTEMS.join("|"))
}

/// Items a list parameter holds at most: as many as it has values (a value may repeat, and
/// counts once, but a list cannot grow past the bound the document states).
pub fn max_items(values: Values, e: &Engine) -> usize {
    values.list(e).len()
}

/// The longest `peers`: every country of the registry once.
pub fn peers_max_len(e: &Engine) -> usize {
    let n = Values::Countries.list(e).len().saturating_sub(1);
    (n * 3).saturating_sub(1).max(8)
}

/// Holds a query string's pairs to a route's parameters (see the module comment). The
/// engine's readers then parse the values; what passes here they accept.
pub fn check(params: &[Param], pairs: &[(String, String)], e: &Engine) -> Result<()> {
    for (k, v) in pairs {
        let Some(p) = params
            .iter()
            .find(|p| p.place == Place::Query && p.name == k.as_str())
        else {
            let names: Vec<&str> = params
                .iter()
                .filter(|p| p.place == Place::Query)
                .map(|p| p.name)
                .collect();
            let shown: String = k.chars().take(40).collect();
            return Err(crate::params::unknown(&shown, &names.join(", ")));
        };
        if v.is_empty() {
            return Err(Error::invalid(
                p.name,
                "is empty (leave the parameter out for its default)",
            ));
        }
        value(p, v, e)?;
    }
    for p in params
        .iter()
        .filter(|p| p.required && p.place == Place::Query)
    {
        if !pairs.iter().any(|(k, _)| k == p.name) {
            return Err(Error::invalid(p.name, "is required"));
        }
    }
    Ok(())
}

/// Holds a path segment to its parameter.
pub fn check_path(p: &Param, v: &str, e: &Engine) -> Result<()> {
    value(p, v, e)
}

fn value(p: &Param, v: &str, e: &Engine) -> Result<()> {
    let shown = || -> String {
        let s: String = v.chars().take(60).collect();
        if s.len() < v.len() {
            format!("{s}...")
        } else {
            s
        }
    };
    let not_one_of = |values: Values| {
        let list = values.list(e);
        let some = if list.len() > 12 {
            format!(
                "{}, ... ({} values: see /openapi.json)",
                list[..12].join(", "),
                list.len()
            )
        } else {
            list.join(", ")
        };
        Error::invalid(p.name, format!("'{}' is not one of {some}", shown()))
    };
    match p.ty {
        Ty::Text { max, min, pattern } => {
            let n = v.chars().count();
            if n > max {
                return Err(Error::invalid(
                    p.name,
                    format!("is longer than {max} characters"),
                ));
            }
            if n < min {
                return Err(Error::invalid(p.name, "is empty"));
            }
            if let Some(pat) = pattern {
                if pat == Q_PATTERN && !matches(pat, v) {
                    // the parser's own reason where it has one (a control character, no word)
                    crate::search::query::Query::parse(v)?;
                    return Err(Error::invalid(
                        p.name,
                        "query has no searchable word: it needs a letter of the Latin scripts or a digit; leave q out to list everything the filters select",
                    ));
                }
                if !matches(pat, v) {
                    return Err(Error::invalid(
                        p.name,
                        format!("'{}' does not match {pat}", shown()),
                    ));
                }
            }
            Ok(())
        }
        Ty::Peers => {
            let max = peers_max_len(e);
            if v.len() > max {
                return Err(Error::invalid(
                    p.name,
                    format!("is longer than {max} characters (each country once)"),
                ));
            }
            let member = |c: &str| c != "INTL" && Values::Countries.contains(e, c);
            if v == "all" || SUBSYSTEMS.contains(&v) || v.split(',').all(member) {
                Ok(())
            } else {
                Err(Error::invalid(
                    p.name,
                    format!(
                        "'{}' is not a subsystem, all, or a list of the registry's country codes",
                        shown()
                    ),
                ))
            }
        }
        Ty::Since => crate::index::ops::check_since(v).map(|_| ()),
        Ty::Int { min, max, .. } => {
            let ok = !v.starts_with('+') && !v.is_empty() && v.parse::<i64>().is_ok();
            match v.parse::<i64>() {
                Ok(n) if ok && (min..=max).contains(&n) => Ok(()),
                Ok(_) if ok => Err(Error::invalid(
                    p.name,
                    format!("must be between {min} and {max}"),
                )),
                _ => Err(Error::invalid(
                    p.name,
                    format!("'{}' is not an integer", shown()),
                )),
            }
        }
        Ty::Bool { .. } => match v {
            "true" | "false" => Ok(()),
            _ => Err(Error::invalid(
                p.name,
                format!("'{}' is not true or false", shown()),
            )),
        },
        Ty::One { values, .. } => {
            if values.contains(e, v) {
                Ok(())
            } else {
                Err(not_one_of(values))
            }
        }
        Ty::List(values) => {
            let max = max_items(values, e);
            if v.split(',').count() > max {
                return Err(Error::invalid(
                    p.name,
                    format!("at most {max} items (one per value)"),
                ));
            }
            for item in v.split(',') {
                if !values.contains(e, item) {
                    let item: String = item.chars().take(60).collect();
                    return Err(Error::invalid(
                        p.name,
                        format!("item '{item}' is not one of its values (see /openapi.json)"),
                    ));
                }
            }
            Ok(())
        }
    }
}

/// Whether `v` matches one of this module's patterns (compiled once each).
fn matches(pattern: &'static str, v: &str) -> bool {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<&'static str, regex::Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = match cache.lock() {
        Ok(c) => c,
        Err(p) => p.into_inner(),
    };
    let re = cache
        .entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).unwrap_or_else(|_| never()));
    re.is_match(v)
}

/// A pattern that matches nothing: what a pattern of this module that failed to compile
/// stands for (the unit tests compile each).
fn never() -> regex::Regex {
    regex::Regex::new(r"[^\s\S]").expect("a constant pattern compiles")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patterns_compile_and_say_what_they_mean() {
        for p in [
            Q_PATTERN,
            PROVISION_ID_PATTERN,
            INSTRUMENT_ID_PATTERN,
            PRACTICE_ID_PATTERN,
        ] {
            regex::Regex::new(p).unwrap();
        }
        for ok in [
            "consular",
            "assistência consular",
            "\"prisión\" -pena",
            "art. 36",
            "Ärzte",
        ] {
            assert!(matches(Q_PATTERN, ok), "{ok:?}");
        }
        for bad in [
            "",
            "  ",
            "*",
            ")(",
            "\"",
            "-",
            "a\u{0}b",
            "x\u{FFFD}",
            "日本",
        ] {
            assert!(!matches(Q_PATTERN, bad), "{bad:?}");
        }
        assert!(matches(
            PROVISION_ID_PATTERN,
            "ar-ley-17081:annex_1__art_36"
        ));
        assert!(!matches(PROVISION_ID_PATTERN, "ar-ley-17081"));
    }

    /// Every query text the pattern admits has a word the parser finds, so a request the
    /// document allows is not refused by the parser (except by its clause and nesting bounds).
    #[test]
    fn a_query_the_pattern_admits_parses() {
        for q in [
            "a", "é", "-a", "\"a", "(a)", "a OR", "1", "x.y", "_a", "ñ!", "\t9\n",
        ] {
            assert!(matches(Q_PATTERN, q), "{q:?}");
            crate::search::query::Query::parse(q).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        }
    }
}
