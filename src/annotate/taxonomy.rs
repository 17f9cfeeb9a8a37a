//! The category taxonomy (`corpus/taxonomy.toml`): ids, hierarchy, labels, scope notes and the
//! descriptor terms the annotator and the query expansion use, compiled once into analysed
//! term sequences per language.

use crate::corpus::model::Language;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// A category id as in the taxonomy (`protection/detention`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct CategoryId(String);

impl CategoryId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The facet path used in the index: `/protection/detention`.
    pub fn facet_path(&self) -> String {
        format!("/{}", self.0)
    }
    /// This id and its ancestors (`protection/detention` -> [`protection`, `protection/detention`]).
    pub fn with_ancestors(&self) -> Vec<CategoryId> {
        let mut out = Vec::new();
        let mut acc = String::new();
        for part in self.0.split('/') {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            out.push(CategoryId(acc.clone()));
        }
        out
    }
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CategoryId {
    type Err = String;
    /// Syntax only; whether the id exists is the taxonomy's business (`Taxonomy::parse_id`).
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let s = s.trim().trim_start_matches('/');
        if !s.is_empty()
            && s.len() <= 80
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == '/')
        {
            Ok(CategoryId(s.to_string()))
        } else {
            Err(format!(
                "'{}' is not a category id",
                s.chars().take(80).collect::<String>()
            ))
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RawCategory {
    id: String,
    parent: Option<String>,
    labels: BTreeMap<String, String>,
    scope: String,
    #[serde(default)]
    vccr: Vec<String>,
    threshold: Option<f32>,
    #[serde(default)]
    terms: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    requires: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    requires_also: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    incidental: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    excludes: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    not_within: BTreeMap<String, Vec<String>>,
    /// language -> descriptor -> the words of which one must occur with it
    #[serde(default)]
    senses: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, Deserialize)]
struct RawTaxonomy {
    version: String,
    /// Named term lists (name -> language -> terms) that requirement and exclusion lists
    /// include by writing "@name": one concept ("a consular or foreign element") written once.
    #[serde(default)]
    sets: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// The words that head the name of an agency, an office or a law, per language.
    #[serde(default)]
    names: BTreeMap<String, Vec<String>>,
    category: Vec<RawCategory>,
}

/// Replaces each "@name" entry of a requirement or exclusion list by the named set's terms in
/// that language.
fn expand_sets(
    id: &str,
    sets: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
    table: &BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    for (lang, terms) in table {
        let mut expanded = Vec::new();
        for t in terms {
            let Some(name) = t.strip_prefix('@') else {
                expanded.push(t.clone());
                continue;
            };
            let set = sets.get(name).and_then(|s| s.get(lang)).ok_or_else(|| {
                Error::Config(format!(
                    "taxonomy: category {id}: no term set '{name}' in '{lang}' (see [sets])"
                ))
            })?;
            expanded.extend(set.iter().cloned());
        }
        out.insert(lang.clone(), expanded);
    }
    Ok(out)
}

/// One descriptor term, analysed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Term {
    /// The term as written in the taxonomy.
    pub text: String,
    #[serde(skip)]
    pub stems: Vec<String>,
    /// Lowercased, accent-folded text (for the short-word surface check).
    #[serde(skip)]
    pub folded: String,
    pub weight: f32,
    /// A symbol with no word in it ("$"): word segmentation drops it, so it is matched in
    /// the raw text.
    #[serde(skip)]
    pub literal: bool,
    /// Names where or by whom rather than what ("consulado", "consular post"): a category
    /// with nothing but such terms is not tagged next to a better one.
    #[serde(skip)]
    pub incidental: bool,
}

/// Descriptors at least this heavy name their category on their own: they are what
/// cross-lingual search expands a category to, and what the index's concept field counts.
pub const STRONG_WEIGHT: f32 = 1.2;

/// A category with its compiled descriptors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Category {
    pub id: CategoryId,
    pub parent: Option<CategoryId>,
    pub labels: BTreeMap<String, String>,
    pub scope: String,
    pub vccr: Vec<String>,
    pub threshold: f32,
    pub leaf: bool,
    #[serde(skip)]
    pub terms: BTreeMap<Language, Vec<Term>>,
    /// Groups of terms (`requires`, then `requires_also`): the category is tagged only where
    /// one term of every group of the provision's language occurs (a consular fee needs a fee
    /// word and a consular element).
    #[serde(skip)]
    pub requires: Vec<BTreeMap<Language, Vec<Term>>>,
    /// Terms that put a provision outside the category's scope when its heading or opening
    /// states them: a penalty clause sets no fee, carriers' duties are no migrants' rights.
    #[serde(skip)]
    pub excludes: BTreeMap<Language, Vec<Term>>,
    /// Phrases inside which the category's descriptors are another word's sense ("extranjero"
    /// in "en el extranjero" is abroad, not a foreigner): a descriptor matched inside one is
    /// no evidence.
    #[serde(skip)]
    pub not_within: BTreeMap<Language, Vec<Term>>,
    /// Sense conditions of ambiguous descriptors: (descriptor index, the terms of which one
    /// must occur in the provision for it to count), per language.
    #[serde(skip)]
    pub senses: Senses,
}

/// The whole taxonomy.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Taxonomy {
    pub version: String,
    /// Hash of the taxonomy file: part of the key under which annotations are reused.
    #[serde(skip)]
    pub source_hash: String,
    pub categories: Vec<Category>,
    /// Lowercased, folded words that head the name of an agency, an office or a law
    /// ("dirección", "act"), per language (see `matcher::name_qualifiers`).
    #[serde(skip)]
    pub name_heads: BTreeMap<Language, std::collections::HashSet<String>>,
}

fn compile_terms(
    id: &str,
    raw: &BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<Language, Vec<Term>>> {
    let mut out = BTreeMap::new();
    for (lang, terms) in raw {
        let l: Language = lang
            .parse()
            .map_err(|e| Error::Config(format!("taxonomy: category {id}: {e}")))?;
        let mut compiled = Vec::new();
        for t in terms {
            let (text, weight) = match t.rsplit_once(':') {
                Some((a, w)) if w.parse::<f32>().is_ok() => {
                    (a.to_string(), w.parse::<f32>().unwrap_or(1.0))
                }
                _ => (t.clone(), 1.0),
            };
            let stems: Vec<String> = crate::text::analyse(&text, l)
                .into_iter()
                .map(|t| t.term.to_string())
                .collect();
            if stems.is_empty() {
                // "$" and similar symbols: matched literally
                compiled.push(Term {
                    stems: vec![text.clone()],
                    folded: crate::text::fold_lower(&text),
                    text,
                    weight,
                    literal: true,
                    incidental: false,
                });
                continue;
            }
            compiled.push(Term {
                folded: crate::text::fold_lower(&text),
                text,
                stems,
                weight,
                literal: false,
                incidental: false,
            });
        }
        out.insert(l, compiled);
    }
    Ok(out)
}

/// Requirement and exclusion terms are looked up by their words: a symbol ("$") would never
/// match, so it is refused rather than silently ignored.
fn word_terms(
    id: &str,
    kind: &str,
    terms: BTreeMap<Language, Vec<Term>>,
) -> Result<BTreeMap<Language, Vec<Term>>> {
    for (lang, list) in &terms {
        if let Some(t) = list.iter().find(|t| t.literal) {
            return Err(Error::Config(format!(
                "taxonomy: category {id}: {kind} term '{}' ({lang}) has no word in it",
                t.text
            )));
        }
    }
    Ok(terms)
}

/// Marks the terms listed as incidental; each must be one of the category's terms.
fn mark_incidental(
    id: &str,
    mut terms: BTreeMap<Language, Vec<Term>>,
    incidental: &BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<Language, Vec<Term>>> {
    for (lang, list) in incidental {
        let l: Language = lang
            .parse()
            .map_err(|e| Error::Config(format!("taxonomy: category {id}: {e}")))?;
        for text in list {
            let t = terms
                .get_mut(&l)
                .and_then(|ts| ts.iter_mut().find(|t| &t.text == text))
                .ok_or_else(|| {
                    Error::Config(format!(
                        "taxonomy: category {id}: incidental term '{text}' ({lang}) is not one of its terms"
                    ))
                })?;
            t.incidental = true;
        }
    }
    Ok(terms)
}

/// Sense conditions per language: (descriptor index, the terms of which one must co-occur).
pub type Senses = BTreeMap<Language, Vec<(usize, Vec<Term>)>>;

/// Compiles the sense conditions of a category's descriptors; each must name one of its terms.
fn compile_senses(
    id: &str,
    terms: &BTreeMap<Language, Vec<Term>>,
    raw: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
) -> Result<Senses> {
    let mut out: Senses = BTreeMap::new();
    for (lang, conditions) in raw {
        let l: Language = lang
            .parse()
            .map_err(|e| Error::Config(format!("taxonomy: category {id}: {e}")))?;
        for (term, words) in conditions {
            let ti = terms
                .get(&l)
                .and_then(|ts| ts.iter().position(|t| &t.text == term))
                .ok_or_else(|| {
                    Error::Config(format!(
                        "taxonomy: category {id}: sense condition for '{term}' ({lang}), which is not one of its terms"
                    ))
                })?;
            let table = BTreeMap::from([(lang.clone(), words.clone())]);
            let compiled = word_terms(id, "sense", compile_terms(id, &table)?)?;
            out.entry(l)
                .or_default()
                .push((ti, compiled.into_values().next().unwrap_or_default()));
        }
    }
    Ok(out)
}

impl Taxonomy {
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text).map_err(|e| match e {
            Error::Config(m) => Error::Config(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    pub fn parse(text: &str) -> Result<Taxonomy> {
        let raw: RawTaxonomy =
            toml::from_str(text).map_err(|e| Error::Config(format!("taxonomy: {e}")))?;
        let ids: Vec<String> = raw.category.iter().map(|c| c.id.clone()).collect();
        let mut categories = Vec::new();
        for c in &raw.category {
            let id: CategoryId = c.id.parse().map_err(Error::Config)?;
            if ids.iter().filter(|i| **i == c.id).count() > 1 {
                return Err(Error::Config(format!(
                    "taxonomy: category {} is defined twice",
                    c.id
                )));
            }
            let parent = match &c.parent {
                Some(p) if !ids.contains(p) => {
                    return Err(Error::Config(format!(
                        "taxonomy: category {}: unknown parent {p}",
                        c.id
                    )))
                }
                Some(p) => Some(p.parse().map_err(Error::Config)?),
                None => None,
            };
            for l in ["es", "en", "fr", "pt"] {
                if !c.labels.contains_key(l) {
                    return Err(Error::Config(format!(
                        "taxonomy: category {}: no '{l}' label",
                        c.id
                    )));
                }
            }
            let leaf = !raw
                .category
                .iter()
                .any(|o| o.parent.as_deref() == Some(&c.id));
            let terms = mark_incidental(&c.id, compile_terms(&c.id, &c.terms)?, &c.incidental)?;
            let senses = compile_senses(&c.id, &terms, &c.senses)?;
            categories.push(Category {
                id,
                parent,
                labels: c.labels.clone(),
                scope: c.scope.clone(),
                vccr: c.vccr.clone(),
                threshold: c.threshold.unwrap_or(1.0),
                leaf,
                terms,
                senses,
                not_within: word_terms(&c.id, "not_within", compile_terms(&c.id, &c.not_within)?)?,
                requires: [&c.requires, &c.requires_also]
                    .into_iter()
                    .filter(|g| !g.is_empty())
                    .map(|g| {
                        let g = expand_sets(&c.id, &raw.sets, g)?;
                        word_terms(&c.id, "requirement", compile_terms(&c.id, &g)?)
                    })
                    .collect::<Result<_>>()?,
                excludes: word_terms(
                    &c.id,
                    "exclusion",
                    compile_terms(&c.id, &expand_sets(&c.id, &raw.sets, &c.excludes)?)?,
                )?,
            });
        }
        let mut name_heads = BTreeMap::new();
        for (lang, words) in &raw.names {
            let l: Language = lang
                .parse()
                .map_err(|e| Error::Config(format!("taxonomy: names: {e}")))?;
            let set: std::collections::HashSet<String> =
                words.iter().map(|w| crate::text::fold_lower(w)).collect();
            name_heads.insert(l, set);
        }
        Ok(Taxonomy {
            version: raw.version,
            source_hash: crate::corpus::model::content_hash(&[text]),
            categories,
            name_heads,
        })
    }

    pub fn get(&self, id: &CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| &c.id == id)
    }

    /// Parses and checks that the id exists (leaf or parent).
    pub fn parse_id(&self, s: &str) -> std::result::Result<CategoryId, String> {
        let id: CategoryId = s.parse()?;
        if self.get(&id).is_some() {
            Ok(id)
        } else {
            Err(format!("unknown category '{id}'"))
        }
    }

    pub fn leaves(&self) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(|c| c.leaf)
    }

    /// Leaf ids under a category (the category itself when it is a leaf).
    pub fn leaves_under(&self, id: &CategoryId) -> Vec<CategoryId> {
        self.leaves()
            .filter(|c| c.id == *id || c.id.as_str().starts_with(&format!("{}/", id.as_str())))
            .map(|c| c.id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_taxonomy_matches_the_spec_ids() {
        let t = Taxonomy::load(
            &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/taxonomy.toml"),
        )
        .unwrap();
        let leaves: Vec<&str> = t.leaves().map(|c| c.id.as_str()).collect();
        assert_eq!(leaves.len(), 26);
        for id in [
            "protection/detention",
            "civil-registry",
            "administration/fees",
            "navigation",
        ] {
            assert!(leaves.contains(&id), "{id}");
        }
        for c in t.leaves() {
            for l in Language::ALL {
                assert!(
                    c.terms.get(&l).is_some_and(|v| !v.is_empty()),
                    "{} has no {l} terms",
                    c.id
                );
            }
        }
        assert_eq!(t.leaves_under(&"protection".parse().unwrap()).len(), 9);
    }

    #[test]
    fn a_symbol_cannot_be_required_or_excluded() {
        let base = r#"
version = "1"
[[category]]
id = "administration/fees"
labels = { es = "a", en = "b", fr = "c", pt = "d" }
scope = "fees"
[category.terms]
en = ["fee", "$:0.6"]
"#;
        assert!(Taxonomy::parse(base).is_ok());
        for table in ["requires", "requires_also", "excludes"] {
            let text = format!("{base}[category.{table}]\nen = [\"fee\", \"$\"]\n");
            let err = Taxonomy::parse(&text).unwrap_err().to_string();
            assert!(
                err.contains("administration/fees") && err.contains("'$'"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_term_set_is_included_by_name() {
        let text = r#"
version = "1"
[sets.abroad]
es = ["en el extranjero", "cónsul"]
[[category]]
id = "protection/deaths"
labels = { es = "a", en = "b", fr = "c", pt = "d" }
scope = "deaths"
[category.terms]
es = ["fallecimiento"]
[category.requires]
es = ["@abroad", "exterior"]
"#;
        let t = Taxonomy::parse(text).unwrap();
        let req: Vec<&str> = t.categories[0].requires[0][&Language::Es]
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(req, ["en el extranjero", "cónsul", "exterior"]);
        // an unknown set is an error that names the category and the set
        let err = Taxonomy::parse(&text.replace("@abroad", "@nowhere"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("protection/deaths") && err.contains("nowhere"),
            "{err}"
        );
    }

    #[test]
    fn ancestors() {
        let id: CategoryId = "protection/detention".parse().unwrap();
        let a: Vec<String> = id.with_ancestors().iter().map(|c| c.to_string()).collect();
        assert_eq!(a, ["protection", "protection/detention"]);
        assert_eq!(id.facet_path(), "/protection/detention");
    }
}
