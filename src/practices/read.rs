//! One practice record from its text: the YAML front matter read with every value's line
//! (`marked-yaml`), each field checked against the spec, the Markdown body as the summary. All
//! of a record's problems are reported at once, so a curator fixes a file in one pass.

use super::{Practice, PracticeId, PracticeKind, Source, Status};
use crate::annotate::taxonomy::{CategoryId, Taxonomy};
use crate::corpus::countries::Registry;
use crate::corpus::model::{content_hash, CountryCode};
use crate::text::Language;
use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode};
use marked_yaml::{LoadError, LoaderOptions, Node};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The spec's bounds on the summary, in words.
pub const SUMMARY_WORDS: (usize, usize) = (60, 150);
/// Longest title, institution, partner, source title or legal basis, in characters.
pub(crate) const MAX_TEXT: usize = 400;
/// Most sources, partners, categories or participating states one record lists.
pub(crate) const MAX_ITEMS: usize = 40;
const FIELDS: [&str; 15] = [
    "id",
    "country",
    "countries",
    "title",
    "title_en",
    "language",
    "kind",
    "year",
    "institution",
    "partners",
    "categories",
    "legal_basis",
    "sources",
    "status",
    "summary",
];

/// Why a record was skipped: its file, the line (1-based, in the file) and the field at fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub field: String,
    pub reason: String,
}

impl Problem {
    pub fn new(file: &str, line: Option<usize>, field: &str, reason: &str) -> Problem {
        Problem {
            file: file.to_string(),
            line,
            field: field.to_string(),
            reason: reason.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}: {}", self.file, self.field, self.reason),
            None => write!(f, "{}: {}: {}", self.file, self.field, self.reason),
        }
    }
}

/// Reads one record; `file` names it in problems. (That the file is named after the id is
/// checked where files are listed, `load_dir`, after duplicates.)
pub fn parse_record(
    file: &str,
    text: &str,
    registry: &Registry,
    taxonomy: &Taxonomy,
) -> Result<Practice, Vec<Problem>> {
    let mut r = Reader {
        file,
        problems: Vec::new(),
    };
    let Some((yaml, body, body_line)) = split_front_matter(text) else {
        return Err(vec![Problem::new(
            file,
            Some(1),
            "front matter",
            "the file must start with a line '---', then the YAML fields, then a line '---'",
        )]);
    };
    let opts = LoaderOptions::default()
        .error_on_duplicate_keys(true)
        .prevent_coercion(true);
    let node = match marked_yaml::parse_yaml_with_options(0, yaml, opts) {
        Ok(n) => n,
        Err(e) => {
            let (line, reason) = load_error(&e);
            return Err(vec![Problem::new(file, line, "yaml", &reason)]);
        }
    };
    let Some(map) = node.as_mapping() else {
        return Err(vec![Problem::new(
            file,
            Some(2),
            "yaml",
            "the front matter must be a mapping of fields",
        )]);
    };
    for (k, _) in map.iter() {
        if !FIELDS.contains(&k.as_str()) || k.as_str() == "summary" {
            r.at(
                Some(k),
                k.as_str(),
                &format!("unknown field (the fields are {})", FIELDS[..14].join(", ")),
            );
        }
    }

    let id = r.required_text(map, "id").and_then(|(s, n)| {
        s.parse::<PracticeId>()
            .map_err(|e| r.at(Some(n), "id", &e))
            .ok()
            .map(|id| (id, n))
    });
    let country = r.country(map, registry);
    let countries = r.countries(map, registry);
    if let (Some(None), Some(members)) = (&country, &countries) {
        if !members
            .iter()
            .any(|c| registry.get(c).is_some_and(|k| k.oas_member))
        {
            r.at(
                map.get_scalar("country"),
                "countries",
                "a regional mechanism (country: null) lists its participating states in `countries`, at least one of them an OAS member",
            );
        }
    }
    if let (Some((id, n)), Some(c)) = (&id, &country) {
        let prefix = match c {
            Some(c) => format!("{}-", c.as_str().to_ascii_lowercase()),
            None => "reg-".to_string(),
        };
        if !id.as_str().starts_with(&prefix) {
            r.at(
                Some(n),
                "id",
                &format!("'{id}' must start with '{prefix}' (its country's code, or reg- for a regional mechanism)"),
            );
        }
    }
    let title = r.required_text(map, "title").map(|(s, _)| s);
    let title_en = r.optional_text(map, "title_en");
    let language = r.required_text(map, "language").and_then(|(s, n)| {
        s.parse::<Language>()
            .map_err(|_| {
                r.at(
                    Some(n),
                    "language",
                    &format!("'{s}' is not one of es, en, fr, pt"),
                )
            })
            .ok()
    });
    let kind = r.required_text(map, "kind").and_then(|(s, n)| {
        s.parse::<PracticeKind>()
            .map_err(|e| r.at(Some(n), "kind", &e))
            .ok()
    });
    let year = r.year(map);
    let institution = r.optional_text(map, "institution");
    let partners = r.text_list(map, "partners", false);
    let categories = r.categories(map, taxonomy);
    let legal_basis = r.optional_text(map, "legal_basis");
    let sources = r.sources(map);
    let status = r.required_text(map, "status").and_then(|(s, n)| {
        s.parse::<Status>()
            .map_err(|e| r.at(Some(n), "status", &e))
            .ok()
    });
    let summary = body.trim().to_string();
    let words = summary.split_whitespace().count();
    if words < SUMMARY_WORDS.0 || words > SUMMARY_WORDS.1 {
        r.problems.push(Problem::new(
            file,
            Some(body_line),
            "summary",
            &format!(
                "{words} words; the summary (the text after the front matter) has {} to {}",
                SUMMARY_WORDS.0, SUMMARY_WORDS.1
            ),
        ));
    }
    if !r.problems.is_empty() {
        return Err(r.problems);
    }
    // Every required value was read without a problem, so each is present.
    match (
        id, country, countries, title, language, kind, year, partners, categories, sources, status,
    ) {
        (
            Some((id, _)),
            Some(country),
            Some(countries),
            Some(title),
            Some(language),
            Some(kind),
            Some(year),
            Some(partners),
            Some(categories),
            Some(sources),
            Some(status),
        ) => Ok(Practice {
            id,
            country,
            countries,
            title,
            title_en: title_en.flatten(),
            language,
            kind,
            year,
            institution: institution.flatten(),
            partners,
            categories,
            legal_basis: legal_basis.flatten(),
            sources,
            status,
            summary,
            file: file.to_string(),
            hash: content_hash(&[text]),
        }),
        _ => Err(vec![Problem::new(
            file,
            None,
            "record",
            "incomplete record",
        )]),
    }
}

/// The YAML between the opening and the closing `---` lines, the body after them, and the
/// body's first line number.
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    // the YAML starts on the file's line 2
    for (line, l) in (2..).zip(rest.split_inclusive('\n')) {
        if l.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + l.len()..];
            return Some((yaml, body, line + 1));
        }
        offset += l.len();
    }
    None
}

/// The file line of a YAML loader error (the front matter starts on the file's line 2).
fn load_error(e: &LoadError) -> (Option<usize>, String) {
    let m = match e {
        LoadError::TopLevelMustBeMapping(m)
        | LoadError::TopLevelMustBeSequence(m)
        | LoadError::UnexpectedAnchor(m)
        | LoadError::MappingKeyMustBeScalar(m)
        | LoadError::UnexpectedTag(m)
        | LoadError::ScanError(m, _) => Some(*m),
        LoadError::DuplicateKey(d) => d.key.span().start().copied(),
    };
    let reason = match e {
        LoadError::ScanError(_, s) => format!("invalid YAML: {}", s.info()),
        LoadError::DuplicateKey(d) => format!("field '{}' given twice", d.key.as_str()),
        other => format!("invalid YAML: {other}"),
    };
    (m.map(|m| m.line() + 1), reason)
}

struct Reader<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

/// A plain `null`, `~` or empty value (a quoted "null" is the text null).
fn is_null(s: &MarkedScalarNode) -> bool {
    s.may_coerce() && matches!(s.as_str().trim(), "" | "null" | "~" | "Null" | "NULL")
}

fn line_of(n: &Node) -> Option<usize> {
    n.span().start().map(|m| m.line() + 1)
}

impl Reader<'_> {
    /// Records a problem at a node's line; returns nothing so it fits `map_err(..).ok()`.
    fn at(&mut self, node: Option<&MarkedScalarNode>, field: &str, reason: &str) {
        let line = node.and_then(|n| n.span().start()).map(|m| m.line() + 1);
        self.problems
            .push(Problem::new(self.file, line, field, reason));
    }

    fn at_node(&mut self, node: &Node, field: &str, reason: &str) {
        self.problems
            .push(Problem::new(self.file, line_of(node), field, reason));
    }

    fn missing(&mut self, field: &str) {
        self.problems.push(Problem::new(
            self.file,
            Some(1),
            field,
            "missing (required)",
        ));
    }

    /// A scalar that may be null: `None` when absent (reported if `required`), `Some(None)`
    /// when null.
    fn scalar<'m>(
        &mut self,
        map: &'m MarkedMappingNode,
        field: &str,
        required: bool,
    ) -> Option<Option<&'m MarkedScalarNode>> {
        match map.get_node(field) {
            None => {
                if required {
                    self.missing(field);
                }
                None
            }
            Some(Node::Scalar(s)) if is_null(s) => Some(None),
            Some(Node::Scalar(s)) => Some(Some(s)),
            Some(n) => {
                self.at_node(n, field, "must be a single value, not a list or mapping");
                None
            }
        }
    }

    fn check_len(&mut self, s: &MarkedScalarNode, field: &str) -> bool {
        let n = s.as_str().chars().count();
        if n > MAX_TEXT {
            self.at(
                Some(s),
                field,
                &format!("{n} characters; at most {MAX_TEXT}"),
            );
            return false;
        }
        true
    }

    /// A required, non-empty text.
    fn required_text<'m>(
        &mut self,
        map: &'m MarkedMappingNode,
        field: &str,
    ) -> Option<(String, &'m MarkedScalarNode)> {
        match self.scalar(map, field, true)? {
            None => {
                let n = map.get_scalar(field);
                self.at(n, field, "must not be empty or null");
                None
            }
            Some(s) => {
                let t = s.as_str().trim();
                if t.is_empty() {
                    self.at(Some(s), field, "must not be empty");
                    return None;
                }
                self.check_len(s, field).then(|| (t.to_string(), s))
            }
        }
    }

    /// An optional text: `Some(None)` when absent or null, `None` on a problem.
    fn optional_text(&mut self, map: &MarkedMappingNode, field: &str) -> Option<Option<String>> {
        match self.scalar(map, field, false) {
            None if map.get_node(field).is_some() => None,
            None | Some(None) => Some(None),
            Some(Some(s)) => {
                let t = s.as_str().trim();
                if !self.check_len(s, field) {
                    return None;
                }
                Some((!t.is_empty()).then(|| t.to_string()))
            }
        }
    }

    /// The items of a list field, each a text (`required`: at least one).
    fn text_list(
        &mut self,
        map: &MarkedMappingNode,
        field: &str,
        required: bool,
    ) -> Option<Vec<String>> {
        let items = self.list(map, field, required)?;
        let mut out = Vec::new();
        let mut ok = true;
        for it in items {
            match it {
                Node::Scalar(s) if !is_null(s) && !s.as_str().trim().is_empty() => {
                    ok &= self.check_len(s, field);
                    out.push(s.as_str().trim().to_string());
                }
                n => {
                    self.at_node(n, field, "each item must be a non-empty text");
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// A list field's nodes; absent or null is an empty list unless `required`.
    fn list<'m>(
        &mut self,
        map: &'m MarkedMappingNode,
        field: &str,
        required: bool,
    ) -> Option<&'m [Node]> {
        let empty: &'m [Node] = &[];
        let items: &'m [Node] = match map.get_node(field) {
            None => empty,
            Some(Node::Scalar(s)) if is_null(s) => empty,
            Some(Node::Sequence(s)) => s,
            Some(n) => {
                self.at_node(n, field, "must be a list ([a, b] or one '- item' per line)");
                return None;
            }
        };
        if required && items.is_empty() {
            match map.get_node(field) {
                Some(n) => self.at_node(n, field, "must list at least one item"),
                None => self.missing(field),
            }
            return None;
        }
        if items.len() > MAX_ITEMS {
            if let Some(n) = map.get_node(field) {
                self.at_node(
                    n,
                    field,
                    &format!("{} items; at most {MAX_ITEMS}", items.len()),
                );
            }
            return None;
        }
        Some(items)
    }

    fn country_code(
        &mut self,
        s: &MarkedScalarNode,
        field: &str,
        registry: &Registry,
    ) -> Option<CountryCode> {
        let c: CountryCode = match s.as_str().parse::<CountryCode>() {
            Ok(c) if !c.is_intl() => c,
            Ok(_) => {
                self.at(Some(s), field, "INTL is not a state");
                return None;
            }
            Err(e) => {
                self.at(Some(s), field, &e);
                return None;
            }
        };
        // A mechanism's participants may include states outside the OAS (a CARICOM territory);
        // the state that runs a national practice is a member.
        if field == "country" && registry.get(&c).is_none_or(|k| !k.oas_member) {
            self.at(
                Some(s),
                field,
                &format!("'{c}' is not an OAS member state of corpus/countries.toml"),
            );
            return None;
        }
        Some(c)
    }

    /// `country`: `Some(None)` for a regional mechanism.
    fn country(
        &mut self,
        map: &MarkedMappingNode,
        registry: &Registry,
    ) -> Option<Option<CountryCode>> {
        match self.scalar(map, "country", true)? {
            None => Some(None),
            Some(s) => self.country_code(s, "country", registry).map(Some),
        }
    }

    fn countries(
        &mut self,
        map: &MarkedMappingNode,
        registry: &Registry,
    ) -> Option<Vec<CountryCode>> {
        let items = self.list(map, "countries", false)?;
        let mut out = Vec::new();
        for it in items {
            match it {
                Node::Scalar(s) => {
                    let c = self.country_code(s, "countries", registry)?;
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
                n => {
                    self.at_node(n, "countries", "each item must be a country code");
                    return None;
                }
            }
        }
        Some(out)
    }

    fn year(&mut self, map: &MarkedMappingNode) -> Option<Option<i64>> {
        match self.scalar(map, "year", false) {
            None if map.get_node("year").is_some() => None,
            None | Some(None) => Some(None),
            Some(Some(s)) => match s.as_str().trim().parse::<i64>() {
                Ok(y) if (1800..=2100).contains(&y) => Some(Some(y)),
                _ => {
                    self.at(
                        Some(s),
                        "year",
                        &format!("'{}' is not a year (1800-2100) or null", s.as_str()),
                    );
                    None
                }
            },
        }
    }

    fn categories(
        &mut self,
        map: &MarkedMappingNode,
        taxonomy: &Taxonomy,
    ) -> Option<Vec<CategoryId>> {
        let items = self.list(map, "categories", true)?;
        let mut out = Vec::new();
        let mut ok = true;
        for it in items {
            let Node::Scalar(s) = it else {
                self.at_node(it, "categories", "each item must be a category id");
                ok = false;
                continue;
            };
            match s.as_str().trim().parse::<CategoryId>() {
                Ok(id) if taxonomy.get(&id).is_some_and(|c| c.leaf) => {
                    if !out.contains(&id) {
                        out.push(id);
                    }
                }
                Ok(id) if taxonomy.get(&id).is_some() => {
                    self.at(
                        Some(s),
                        "categories",
                        &format!(
                            "'{id}' is a parent category; list its leaves (e.g. {})",
                            taxonomy
                                .leaves_under(&id)
                                .first()
                                .map(|c| c.as_str())
                                .unwrap_or("")
                        ),
                    );
                    ok = false;
                }
                _ => {
                    self.at(
                        Some(s),
                        "categories",
                        &format!("'{}' is not a leaf id of corpus/taxonomy.toml", s.as_str()),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn sources(&mut self, map: &MarkedMappingNode) -> Option<Vec<Source>> {
        let items = self.list(map, "sources", true)?;
        let mut out = Vec::new();
        let mut ok = true;
        for it in items {
            let Some(m) = it.as_mapping() else {
                self.at_node(
                    it,
                    "sources",
                    "each source is a mapping with url, title, publisher, date",
                );
                ok = false;
                continue;
            };
            for (k, _) in m.iter() {
                if !["url", "title", "publisher", "date"].contains(&k.as_str()) {
                    self.at(
                        Some(k),
                        "sources",
                        &format!("unknown source field '{}'", k.as_str()),
                    );
                    ok = false;
                }
            }
            let url = match m.get_scalar("url") {
                Some(u) if !is_null(u) && valid_url(u.as_str().trim()) => {
                    u.as_str().trim().to_string()
                }
                Some(u) => {
                    self.at(
                        Some(u),
                        "sources.url",
                        &format!("'{}' is not an http(s) URL", u.as_str()),
                    );
                    ok = false;
                    continue;
                }
                None => {
                    self.at_node(
                        it,
                        "sources.url",
                        "missing: every source has an http(s) URL",
                    );
                    ok = false;
                    continue;
                }
            };
            let mut text = |k: &str| -> Option<String> {
                let s = m.get_scalar(k)?;
                if is_null(s) || s.as_str().trim().is_empty() {
                    return None;
                }
                if !self.check_len(s, &format!("sources.{k}")) {
                    ok = false;
                }
                Some(s.as_str().trim().to_string())
            };
            out.push(Source {
                url,
                title: text("title"),
                publisher: text("publisher"),
                date: text("date"),
            });
        }
        ok.then_some(out)
    }
}

/// `http://` or `https://`, a host, and no whitespace or control characters.
pub(crate) fn valid_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && u.len() <= 2048
                && !u.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}
