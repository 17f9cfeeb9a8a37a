//! Annotation: for each provision, its leaf categories (with confidence and the descriptor terms
//! that matched, and where) and its modality. Deterministic and explainable: every tag carries
//! its evidence. Descriptor matching runs on the shared analysis of `text`, so a category's terms
//! meet a provision's words however they are inflected or accented.
//!
//! This module holds `Annotator` and its entry points; the work is in `matcher` (finding
//! terms), `rules` (scoring, the tagging decision, `explain`), `context` (the instrument's main
//! subject and consular title), `shape` (word counts, enumerations, text quality), with the
//! output types in `types` and the modality classifier in `modality`.
//!
//! Not for: deciding what is indexed or ranked; `index` and `search` consume these tags.

mod context;
pub mod eval;
mod matcher;
pub mod modality;
pub mod role;
mod rules;
mod shape;
pub mod taxonomy;
#[cfg(test)]
mod tests;
mod types;

pub use rules::Candidate;
pub use shape::text_quality;
pub use types::{Annotation, Evidence, Field, Near, QueryMatch, Tag};

use crate::corpus::model::{Language, Provision};
use matcher::Matcher;
use modality::{Modality, ModalityResult};
use rules::{score_evidence, strongest_first};
use shape::{scoring_length, shape};
use std::collections::{HashMap, HashSet};
use taxonomy::Taxonomy;

/// Version of the annotation rules written in code (the taxonomy has its own version and
/// hash). It is part of the index's reuse key, so the first reindex after an upgrade that moves
/// tags annotates every file again instead of keeping yesterday's tags for unchanged files.
/// Bump it with every change to the rules.
pub const RULES_VERSION: u32 = 12;

/// Minimum descriptor weight a query needs to be expanded to a category.
const QUERY_MIN_SCORE: f32 = 1.0;

/// The compiled annotator: taxonomy plus a first-stem lookup per language.
pub struct Annotator {
    taxonomy: Taxonomy,
    matcher: Matcher,
    /// Requirement groups a consular instrument's title meets (see
    /// `context::consular_requirements`).
    consular_requirement: HashSet<(usize, Language, usize)>,
}

impl Annotator {
    /// Compiles a taxonomy's terms into the lookup tables.
    pub fn new(taxonomy: Taxonomy) -> Annotator {
        Annotator {
            matcher: Matcher::new(&taxonomy),
            consular_requirement: context::consular_requirements(&taxonomy),
            taxonomy,
        }
    }

    /// The taxonomy it annotates with.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Categories a search query speaks of, in any of the four languages: the basis of
    /// cross-lingual expansion. A query is short, so one strong descriptor is enough.
    pub fn query_categories(&self, text: &str) -> Vec<QueryMatch> {
        let mut best: HashMap<usize, QueryMatch> = HashMap::new();
        for lang in Language::ALL {
            let Some(table) = self.matcher.table(lang) else {
                continue;
            };
            let fields = [(Field::Text, text)];
            let found = self
                .matcher
                .scan(&self.taxonomy, table, &fields, lang)
                .found;
            for (ci, terms) in found {
                let c = &self.taxonomy.categories[ci];
                let (score, kept) = score_evidence(terms, None);
                if !c.leaf || score < QUERY_MIN_SCORE {
                    continue;
                }
                let m = QueryMatch {
                    category: c.id.clone(),
                    language: lang,
                    score,
                    matched: kept.into_iter().map(|e| e.matched).collect(),
                };
                if best.get(&ci).is_none_or(|b| b.score < m.score) {
                    best.insert(ci, m);
                }
            }
        }
        let mut out: Vec<QueryMatch> = best.into_values().collect();
        out.sort_by(|a, b| strongest_first((a.score, &a.category), (b.score, &b.category)));
        out
    }

    /// Annotates one provision on its own evidence, without its instrument's context
    /// (`annotate_instrument` adds that).
    pub fn annotate(&self, p: &Provision) -> Annotation {
        self.draft(p, false).0
    }

    /// Annotates the provisions of one instrument together: each on its own evidence, then
    /// the instrument's main subject (see `context::main_subject`) lowers that category's
    /// threshold. Annotations come back in the order of `provisions`.
    ///
    /// The instrument's title counts too: a consular instrument (a consular fees act, a law on
    /// consular functions) gives each of its provisions the consular element that some
    /// categories require, however the provision is worded (other requirements, such as a fee
    /// word for fees, it does not meet); other words of a title do not ("Aliens and
    /// Nationality" does not make an arrest of aliens consular).
    pub fn annotate_instrument(&self, provisions: &[Provision], title: &str) -> Vec<Annotation> {
        use rayon::prelude::*;
        let consular = context::consular_title(title);
        let drafts: Vec<(Annotation, Vec<Candidate>)> = provisions
            .par_iter()
            .map(|p| self.draft(p, consular))
            .collect();
        let main = context::main_subject(drafts.iter().map(|(a, _)| a), provisions.len());
        drafts
            .into_iter()
            .map(|(a, near)| context::promote(a, near, &main))
            .collect()
    }

    /// Annotates every instrument of a corpus (see `annotate_instrument`), by provision id.
    pub fn annotate_corpus(&self, corpus: &crate::corpus::Corpus) -> HashMap<String, Annotation> {
        corpus
            .instruments
            .iter()
            .flat_map(|l| {
                let a = self.annotate_instrument(&l.provisions, &l.instrument.title);
                l.provisions.iter().map(|p| p.id.to_string()).zip(a)
            })
            .collect()
    }

    /// Annotates free text (used by the CLI and tests), without instrument context.
    pub fn annotate_fields(
        &self,
        fields: &[(Field, &str)],
        lang: Language,
        repealed: bool,
    ) -> Annotation {
        self.draft_fields(fields, lang, repealed, false).0
    }

    /// `consular`: the provision belongs to a consular instrument (see `annotate_instrument`).
    fn draft(&self, p: &Provision, consular: bool) -> (Annotation, Vec<Candidate>) {
        let (mut a, near) = with_fields(p, |fields| {
            self.draft_fields(fields, p.language, !p.is_operative(), consular)
        });
        if p.transitory {
            a.role = role::transitory();
        }
        (a, near)
    }

    /// The annotation on the provision's own evidence, and the untagged candidates that
    /// instrument context could still promote.
    fn draft_fields(
        &self,
        fields: &[(Field, &str)],
        lang: Language,
        repealed: bool,
        consular: bool,
    ) -> (Annotation, Vec<Candidate>) {
        let text = text_field(fields);
        let heading = fields
            .iter()
            .find(|(f, _)| *f == Field::Heading)
            .map_or("", |(_, t)| *t);
        let decided = modality::classify_provision(text, heading, lang);
        let ModalityResult {
            modality,
            evidence: modality_evidence,
        } = decided;
        let text_quality = text_quality(text);
        let role = role::classify(&role::RoleInput {
            text,
            heading: field(fields, Field::Heading),
            hierarchy: field(fields, Field::Hierarchy),
            language: lang,
            repealed,
            transitory: false,
            modality,
        });
        let annotation = |tags, modality| Annotation {
            tags,
            modality,
            modality_evidence,
            text_quality,
            role,
            near: Vec::new(),
        };
        // A repeal note or an empty provision provides nothing.
        let (word_count, items) = shape(text);
        if repealed || word_count < 3 {
            return (annotation(Vec::new(), Modality::Other), Vec::new());
        }
        // A definitions clause names many subjects and provides for none of them.
        if modality::definitions(text, heading, lang) {
            return (annotation(Vec::new(), modality), Vec::new());
        }
        let Some(table) = self.matcher.table(lang) else {
            return (annotation(Vec::new(), modality), Vec::new());
        };
        let (length, enumeration) = scoring_length(word_count, items);
        let candidates = self.candidates(table, fields, lang, length, consular);
        let (tags, near) = rules::decide(candidates, enumeration, text_quality);
        let mut a = annotation(tags, modality);
        a.near = near
            .iter()
            .map(|c| Near {
                category: c.category.clone(),
                score: rules::round3(c.score),
                threshold: c.threshold,
            })
            .collect();
        (a, near)
    }
}

/// The provision's own words among its evidence fields ("" if absent).
fn text_field<'a>(fields: &[(Field, &'a str)]) -> &'a str {
    field(fields, Field::Text)
}

/// One of the evidence fields ("" if absent).
fn field<'a>(fields: &[(Field, &'a str)], which: Field) -> &'a str {
    fields
        .iter()
        .find(|(f, _)| *f == which)
        .map_or("", |(_, t)| *t)
}

/// The evidence fields of a provision, strongest first.
fn with_fields<R>(p: &Provision, f: impl FnOnce(&[(Field, &str)]) -> R) -> R {
    let hierarchy = p.hierarchy.join("\n");
    f(&[
        (Field::Text, p.text.as_str()),
        (Field::Heading, p.heading.as_deref().unwrap_or("")),
        (Field::Hierarchy, hierarchy.as_str()),
    ])
}
