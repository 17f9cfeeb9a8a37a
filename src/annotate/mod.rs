//! Annotation: for each provision, its leaf categories (with confidence and the descriptor terms
//! that matched, and where) and its modality. Deterministic and explainable: every tag carries
//! its evidence. Descriptor matching runs on the shared analysis of `text`, so a category's terms
//! meet a provision's words however they are inflected or accented.
//!
//! Not for: deciding what is indexed or ranked; `index` and `search` consume these tags.

pub mod eval;
pub mod modality;
pub mod taxonomy;

use crate::corpus::model::{Language, Provision};
use modality::{classify, Modality, ModalityResult};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use taxonomy::{CategoryId, Taxonomy};

/// Where in the provision a descriptor term was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Text,
    Heading,
    Hierarchy,
}

impl Field {
    fn factor(self) -> f32 {
        match self {
            Field::Text => 1.0,
            Field::Heading => 0.6,
            Field::Hierarchy => 0.25,
        }
    }
}

/// One matched descriptor term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The descriptor as written in the taxonomy.
    pub term: String,
    /// The words of the provision that matched, as printed.
    pub matched: String,
    pub field: Field,
    /// Byte span of the first match in that field.
    pub start: usize,
    pub end: usize,
    pub count: usize,
    pub weight: f32,
}

/// A category assigned to a provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub category: CategoryId,
    pub confidence: f32,
    pub score: f32,
    pub evidence: Vec<Evidence>,
    /// Set when the tag rests partly on the instrument's main subject: the share of the
    /// instrument's provisions tagged with this category on their own evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<f32>,
}

/// The annotator's output for one provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub tags: Vec<Tag>,
    pub modality: Modality,
    pub modality_evidence: Vec<String>,
    /// 0..1, lower for OCR noise or interleaved columns; scales every confidence.
    pub text_quality: f32,
}

impl Annotation {
    pub fn categories(&self) -> impl Iterator<Item = &CategoryId> {
        self.tags.iter().map(|t| &t.category)
    }
}

/// Per-provision maps keyed by our own small indexes: a fast hash.
type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;
type Found = FxMap<usize, FxMap<usize, Evidence>>;

/// What `scan` finds in a provision, by category index.
struct Scan {
    /// term index -> evidence, per category
    found: Found,
    /// (category, requirement group) whose required co-occurrence is met
    required: rustc_hash::FxHashSet<(usize, usize)>,
    /// categories an exclusion term rules out, with that term
    excluded: FxMap<usize, String>,
}

/// A category a query speaks of, and the query words that said so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryMatch {
    pub category: CategoryId,
    /// The language whose descriptors matched best.
    pub language: Language,
    pub score: f32,
    pub matched: Vec<String>,
}

/// Version of the annotation rules written in code (the taxonomy has its own version and
/// hash). It is part of the index's reuse key, so the first reindex after an upgrade that moves
/// tags annotates every file again instead of keeping yesterday's tags for unchanged files.
/// Bump it with every change to the rules.
pub const RULES_VERSION: u32 = 6;

/// Minimum descriptor weight a query needs to be expanded to a category.
const QUERY_MIN_SCORE: f32 = 1.0;

/// What a taxonomy term does for its category (see `corpus/taxonomy.toml`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Descriptor,
    /// a term of this requirement group
    Requirement(usize),
    Exclusion,
}

struct TermRef {
    category: usize,
    term: usize,
    role: Role,
}

/// A language's terms by their first stem. Looked up once per word of every provision: a fast
/// hash, since the keys are our own stems, not user input.
type TermTable = rustc_hash::FxHashMap<String, Vec<TermRef>>;

/// A post or an actor named once, with no other evidence, is mentioned in passing ("los
/// trámites entre el Ministerio y sus misiones diplomáticas") unless it opens the provision,
/// within this many first words, as its subject ("Toda oficina consular se establecerá...").
/// Named again and again ("the consular post" in every sentence), it is the subject too.
const SUBJECT_WORDS: usize = 4;

/// An exclusion term counts in the heading or in this many first words of the text: where a
/// provision states its subject ("Las empresas de transporte deberán...", "Penalties related
/// to removal"), not in a passing reference further on.
const EXCLUSION_OPENING: usize = 25;

/// The compiled annotator: taxonomy plus a first-stem lookup per language.
pub struct Annotator {
    taxonomy: Taxonomy,
    lookup: HashMap<Language, TermTable>,
    /// Symbol terms (see `Term::literal`), per language: (category, term).
    literals: HashMap<Language, Vec<(usize, usize)>>,
    /// (category, language, requirement group) whose group is a consular element (it has a
    /// single word "consul", "consular"...): a consular instrument's title meets it. The fee
    /// words that fees also require are not such a group.
    consular_requirement: HashSet<(usize, Language, usize)>,
    /// The most words of any descriptor (for the longest-reading check).
    longest_term: usize,
}

/// At most this many categories per provision: long noisy texts must not flood tags.
const MAX_TAGS: usize = 5;
/// A provision with at least this many lettered or numbered items is an enumeration...
const ENUMERATION_ITEMS: usize = 3;
/// ... and may carry up to this many categories, one per kind of item. Its length, for
/// damping, is its word count over the square root of its number of items.
const MAX_TAGS_ENUMERATION: usize = 12;
/// A tag must score at least this share of the provision's best tag (any provision: once
/// out-of-scope tags are gone, a second subject is right about half the time; see
/// docs/EVALUATION.md).
const RELATIVE_FLOOR: f32 = 0.25;
/// What a provision is about, it says in its first half: a term first met after this share of
/// a provision's text (an exception, a cross-reference, a sanction, the last items of a list)
/// counts this much...
const LATE_SHARE: f32 = 0.5;
const LATE_FACTOR: f32 = 0.5;
/// ... in provisions of at least this many words (for scoring; a sentence or two has no
/// second half to speak of).
const POSITION_MIN_WORDS: usize = 40;
/// Provisions longer than this (in words) have their scores damped by sqrt(words / this).
const LENGTH_NORM: f32 = 120.0;
/// An instrument's main subject is the category most of its provisions carry, if at least
/// this share of them do (a citizenship act, a consular fees regulation).
const CONTEXT_SHARE: f32 = 0.2;
/// ... and at least this many times as many as the runner-up.
const CONTEXT_LEAD: f32 = 1.5;
/// Within an instrument, a provision's own evidence for the main subject needs to reach only
/// this share of the category's threshold: a reader takes "the application" in a citizenship
/// act as a citizenship application. Evidence is still required; context alone tags nothing.
const CONTEXT_FACTOR: f32 = 0.5;

impl Annotator {
    pub fn new(taxonomy: Taxonomy) -> Annotator {
        let mut lookup: HashMap<Language, TermTable> = HashMap::new();
        let mut literals: HashMap<Language, Vec<(usize, usize)>> = HashMap::new();
        let mut consular_requirement = HashSet::new();
        for (ci, c) in taxonomy.categories.iter().enumerate() {
            for (g, group) in c.requires.iter().enumerate() {
                for (lang, terms) in group {
                    if terms
                        .iter()
                        .any(|t| t.stems.len() == 1 && t.folded.starts_with("consul"))
                    {
                        consular_requirement.insert((ci, *lang, g));
                    }
                }
            }
            for (lang, terms) in &c.terms {
                for (ti, t) in terms.iter().enumerate() {
                    if t.literal {
                        literals.entry(*lang).or_default().push((ci, ti));
                    }
                }
            }
            let groups = c.requires.iter().enumerate();
            let roles = [(Role::Descriptor, &c.terms), (Role::Exclusion, &c.excludes)]
                .into_iter()
                .chain(groups.map(|(g, group)| (Role::Requirement(g), group)));
            for (role, table) in roles {
                for (lang, terms) in table {
                    for (ti, t) in terms.iter().enumerate() {
                        if let Some(first) = t.stems.first() {
                            lookup
                                .entry(*lang)
                                .or_default()
                                .entry(first.clone())
                                .or_default()
                                .push(TermRef {
                                    category: ci,
                                    term: ti,
                                    role,
                                });
                        }
                    }
                }
            }
        }
        let longest_term = taxonomy
            .categories
            .iter()
            .flat_map(|c| c.terms.values().flatten())
            .map(|t| t.stems.len())
            .max()
            .unwrap_or(1);
        Annotator {
            taxonomy,
            lookup,
            literals,
            consular_requirement,
            longest_term,
        }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Finds every descriptor, requirement and exclusion term of `lang` in the fields.
    fn scan(&self, table: &TermTable, fields: &[(Field, &str)], lang: Language) -> Scan {
        let mut found = Found::default();
        let mut required: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
        let mut excluded: FxMap<usize, String> = FxMap::default();
        for (field, source) in fields {
            if source.is_empty() {
                continue;
            }
            for &(ci, ti) in self.literals.get(&lang).into_iter().flatten() {
                let t = &self.taxonomy.categories[ci].terms[&lang][ti];
                let mut hits = source.match_indices(t.text.as_str());
                let Some((start, m)) = hits.next() else {
                    continue;
                };
                let end = start + m.len();
                let count = 1 + hits.count();
                record(&mut found, (ci, ti), t, *field, source, (start, end), count);
            }
            let toks = crate::text::analyse(source, lang);
            // (first token, token count, category, term) of every descriptor match
            let mut matches: Vec<(usize, usize, usize, usize)> = Vec::new();
            for i in 0..toks.len() {
                let Some(refs) = table.get(&*toks[i].term) else {
                    continue;
                };
                for r in refs {
                    let c = &self.taxonomy.categories[r.category];
                    let t = match r.role {
                        Role::Descriptor => &c.terms[&lang][r.term],
                        Role::Requirement(g) => &c.requires[g][&lang][r.term],
                        Role::Exclusion => &c.excludes[&lang][r.term],
                    };
                    let n = t.stems.len();
                    if i + n > toks.len()
                        || !t
                            .stems
                            .iter()
                            .zip(&toks[i..i + n])
                            .all(|(s, tok)| s.as_str() == &*tok.term)
                    {
                        continue;
                    }
                    // Short single words collide under stemming (French "visa" and "visé"):
                    // they must match the written word's beginning too.
                    if n == 1 && t.folded.chars().count() <= 5 {
                        let surface = crate::text::fold_lower(&source[toks[i].start..toks[i].end]);
                        let rest = surface.strip_prefix(t.folded.as_str());
                        if !matches!(rest, Some("" | "s" | "es" | "x")) {
                            continue;
                        }
                    }
                    match r.role {
                        Role::Descriptor => matches.push((i, n, r.category, r.term)),
                        Role::Requirement(g) => {
                            required.insert((r.category, g));
                        }
                        Role::Exclusion => {
                            if *field == Field::Heading
                                || (*field == Field::Text && i < EXCLUSION_OPENING)
                            {
                                excluded.entry(r.category).or_insert_with(|| t.text.clone());
                            }
                        }
                    }
                }
            }
            for &(i, n, ci, ti) in &matches {
                // The longest reading wins across categories: "oficina consular" inside
                // "miembros de la oficina consular" names staff, not the post. Matches are in
                // word order and no term is longer than `longest_term` words, so only those
                // starting that close before this one can contain it.
                let from = matches.partition_point(|&(j, ..)| j + self.longest_term < i);
                let inside_longer = matches[from..]
                    .iter()
                    .take_while(|&&(j, ..)| j <= i)
                    .any(|&(j, m, cj, _)| cj != ci && m > n && i + n <= j + m);
                if inside_longer {
                    continue;
                }
                let t = &self.taxonomy.categories[ci].terms[&lang][ti];
                let span = (toks[i].start, toks[i + n - 1].end);
                record(&mut found, (ci, ti), t, *field, source, span, 1);
            }
        }
        Scan {
            found,
            required,
            excluded,
        }
    }

    /// Categories a search query speaks of, in any of the four languages: the basis of
    /// cross-lingual expansion. A query is short, so one strong descriptor is enough.
    pub fn query_categories(&self, text: &str) -> Vec<QueryMatch> {
        let mut best: HashMap<usize, QueryMatch> = HashMap::new();
        for lang in Language::ALL {
            let Some(table) = self.lookup.get(&lang) else {
                continue;
            };
            let found = self.scan(table, &[(Field::Text, text)], lang).found;
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
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.category.cmp(&b.category))
        });
        out
    }

    /// Annotates one provision on its own evidence, without its instrument's context
    /// (`annotate_instrument` adds that).
    pub fn annotate(&self, p: &Provision) -> Annotation {
        self.draft(p, false).0
    }

    /// Annotates the provisions of one instrument together: each on its own evidence, then
    /// the instrument's main subject (see `CONTEXT_SHARE`) lowers that category's threshold.
    /// Annotations come back in the order of `provisions`.
    ///
    /// The instrument's title counts too: a consular instrument (a consular fees act, a law on
    /// consular functions) gives each of its provisions the consular element that some
    /// categories require, however the provision is worded (other requirements, such as a fee
    /// word for fees, it does not meet); other words of a title do not ("Aliens and
    /// Nationality" does not make an arrest of aliens consular).
    pub fn annotate_instrument(&self, provisions: &[Provision], title: &str) -> Vec<Annotation> {
        use rayon::prelude::*;
        let consular = consular_title(title);
        let drafts: Vec<(Annotation, Vec<Candidate>)> = provisions
            .par_iter()
            .map(|p| self.draft(p, consular))
            .collect();
        let mut counts: HashMap<&CategoryId, usize> = HashMap::new();
        for (a, _) in &drafts {
            for c in a.categories() {
                *counts.entry(c).or_default() += 1;
            }
        }
        let total = provisions.len().max(1) as f32;
        let mut ranked: Vec<(&CategoryId, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        // No main subject when two categories run close: the English and French versions of
        // one act must not pick different ones.
        let clear = match ranked.as_slice() {
            [(_, first), (_, second), ..] => *first as f32 >= CONTEXT_LEAD * *second as f32,
            _ => true,
        };
        let main = ranked
            .first()
            .filter(|_| clear)
            .map(|(c, n)| ((*c).clone(), *n as f32 / total))
            .filter(|(_, share)| *share >= CONTEXT_SHARE);
        drafts
            .into_iter()
            .map(|(mut a, near)| {
                let Some((main, share)) = &main else {
                    return a;
                };
                // a post named in passing is no second subject, context or not
                let has_tags = !a.tags.is_empty();
                if let Some(c) = near
                    .into_iter()
                    .find(|c| c.category == *main && !(has_tags && c.incidental_only))
                {
                    let threshold = c.threshold * CONTEXT_FACTOR;
                    let confidence = (1.0 - (-c.score / threshold).exp()) * a.text_quality;
                    a.tags.push(Tag {
                        category: c.category,
                        confidence: (confidence * 1000.0).round() / 1000.0,
                        score: c.score,
                        evidence: c.evidence,
                        context: Some((share * 1000.0).round() / 1000.0),
                    });
                    sort_tags(&mut a.tags);
                    a.tags.truncate(MAX_TAGS);
                }
                a
            })
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

    /// `consular`: the provision belongs to a consular instrument (see `annotate_instrument`).
    fn draft(&self, p: &Provision, consular: bool) -> (Annotation, Vec<Candidate>) {
        with_fields(p, |fields| {
            self.draft_fields(fields, p.language, !p.is_operative(), consular)
        })
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

    /// The annotation on the provision's own evidence, and the untagged candidates that
    /// instrument context could still promote.
    fn draft_fields(
        &self,
        fields: &[(Field, &str)],
        lang: Language,
        repealed: bool,
        consular: bool,
    ) -> (Annotation, Vec<Candidate>) {
        let text = fields
            .iter()
            .find(|(f, _)| *f == Field::Text)
            .map(|(_, t)| *t)
            .unwrap_or("");
        let ModalityResult {
            modality,
            evidence: modality_evidence,
        } = classify(text, lang);
        let quality = text_quality(text);
        // A repeal note or an empty provision provides nothing.
        let (word_count, items) = shape(text);
        if repealed || word_count < 3 {
            let a = Annotation {
                tags: Vec::new(),
                modality: Modality::Other,
                modality_evidence,
                text_quality: quality,
            };
            return (a, Vec::new());
        }
        let Some(table) = self.lookup.get(&lang) else {
            let a = Annotation {
                tags: Vec::new(),
                modality,
                modality_evidence,
                text_quality: quality,
            };
            return (a, Vec::new());
        };
        let mut near = Vec::new();
        let mut passing = Vec::new();
        let (length, enumeration) = scoring_length(word_count, items);
        for c in self.candidates(table, fields, lang, length, consular) {
            if c.passes() {
                passing.push(c);
            } else if c.eligible() && c.score >= c.threshold * CONTEXT_FACTOR {
                near.push(c);
            }
        }
        passing.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.category.cmp(&b.category))
        });
        let best = passing.first().map_or(0.0, |c| c.score);
        let substantive = passing.iter().any(|c| !c.incidental_only);
        let floor = best * RELATIVE_FLOOR;
        let max = if enumeration {
            MAX_TAGS_ENUMERATION
        } else {
            MAX_TAGS
        };
        let mut tags: Vec<Tag> = Vec::new();
        for c in passing {
            // only a post named in passing ("ante el consulado"): not a tag next to a real
            // subject, even when the post is named more often than the subject
            if substantive && c.incidental_only {
                continue;
            }
            if tags.len() < max && c.score >= floor {
                let confidence = (1.0 - (-c.score / c.threshold).exp()) * quality;
                tags.push(Tag {
                    category: c.category,
                    confidence: (confidence * 1000.0).round() / 1000.0,
                    score: c.score,
                    evidence: c.evidence,
                    context: None,
                });
            } else {
                // outscored here, but the instrument's main subject may still claim it
                near.push(c);
            }
        }
        let a = Annotation {
            tags,
            modality,
            modality_evidence,
            text_quality: quality,
        };
        (a, near)
    }
}

impl Annotator {
    /// Every leaf category with some evidence in the provision, tagged or not, with its score,
    /// threshold and whether its required co-occurrence was met: the answer to "why was this
    /// provision not tagged X?". `title` is its instrument's (see `annotate_instrument`).
    pub fn explain(&self, p: &Provision, title: &str) -> Vec<Candidate> {
        let Some(table) = self.lookup.get(&p.language) else {
            return Vec::new();
        };
        let (words, items) = shape(&p.text);
        let (length, _) = scoring_length(words, items);
        let mut out = with_fields(p, |fields| {
            self.candidates(table, fields, p.language, length, consular_title(title))
        });
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }

    fn candidates(
        &self,
        table: &TermTable,
        fields: &[(Field, &str)],
        lang: Language,
        word_count: usize,
        consular: bool,
    ) -> Vec<Candidate> {
        let Scan {
            found,
            required,
            mut excluded,
        } = self.scan(table, fields, lang);
        let text = fields
            .iter()
            .find(|(f, _)| *f == Field::Text)
            .map_or("", |(_, t)| *t);
        // Where the provision's first half ends (see `LATE_FACTOR`); none for short ones.
        let opening =
            (word_count >= POSITION_MIN_WORDS).then_some((text.len() as f32 * LATE_SHARE) as usize);
        // Long provisions collect weak terms by chance: damp the score past LENGTH_NORM words.
        let damping = (word_count as f32 / LENGTH_NORM).max(1.0).sqrt();
        let mut out = Vec::new();
        for (ci, terms) in found {
            let c = &self.taxonomy.categories[ci];
            if !c.leaf {
                continue;
            }
            let incidental_only = c
                .terms
                .get(&lang)
                .is_some_and(|ts| terms.keys().all(|ti| ts[*ti].incidental));
            let (score, evidence) = score_evidence(terms, opening);
            let in_passing = incidental_only
                && evidence.iter().all(|e| {
                    e.count < 2
                        && !(e.field == Field::Text && opens(text.get(..e.start).unwrap_or(text)))
                });
            out.push(Candidate {
                category: c.id.clone(),
                score: score / damping,
                threshold: c.threshold,
                requirement_met: c.requires.iter().enumerate().all(|(g, group)| {
                    !group.contains_key(&lang)
                        || required.contains(&(ci, g))
                        || (consular && self.consular_requirement.contains(&(ci, lang, g)))
                }),
                excluded_by: excluded.remove(&ci),
                incidental_only,
                in_passing,
                evidence,
            });
        }
        out
    }
}

/// A category's evidence in one provision, before the tagging decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub category: CategoryId,
    pub score: f32,
    pub threshold: f32,
    /// False when the category requires a co-occurring term that the provision lacks.
    pub requirement_met: bool,
    /// The exclusion term in the provision's heading or opening that puts it outside the
    /// category's scope ("penalties" for a fee), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded_by: Option<String>,
    /// Every term found is `incidental` (names a place or person in passing).
    pub incidental_only: bool,
    /// Its only evidence is incidental terms, each named once and none opening the provision
    /// (see `SUBJECT_WORDS`): a place or an actor mentioned in passing, which is no tag even
    /// alone.
    pub in_passing: bool,
    pub evidence: Vec<Evidence>,
}

impl Candidate {
    /// Its requirement is met and nothing excludes it: enough evidence would tag it.
    fn eligible(&self) -> bool {
        self.requirement_met && self.excluded_by.is_none() && !self.in_passing
    }

    fn passes(&self) -> bool {
        self.eligible() && self.score >= self.threshold
    }
}

/// Whether an instrument's title names consuls or consular matters ("Consular Fees Act", "Ley
/// del Servicio Consular"), not consultation ("consulta previa").
fn consular_title(title: &str) -> bool {
    crate::text::fold_lower(title)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with("consul") && !w.starts_with("consult"))
}

/// Adds `count` matches of a term at `span` of a field to the evidence found; the strongest
/// field's first match is the one shown.
fn record(
    found: &mut Found,
    (ci, ti): (usize, usize),
    t: &taxonomy::Term,
    field: Field,
    source: &str,
    (start, end): (usize, usize),
    count: usize,
) {
    let e = found
        .entry(ci)
        .or_default()
        .entry(ti)
        .or_insert_with(|| Evidence {
            term: t.text.clone(),
            matched: source[start..end].to_string(),
            field,
            start,
            end,
            count: 0,
            weight: t.weight,
        });
    if field.factor() > e.field.factor() {
        e.field = field;
        e.matched = source[start..end].to_string();
        e.start = start;
        e.end = end;
    }
    e.count += count;
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

fn sort_tags(tags: &mut [Tag]) {
    tags.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.category.cmp(&b.category))
    });
}

/// Sums the evidence of one category: overlapping matches count once (the heaviest), repeats
/// add a little. Returns the score and the evidence kept.
fn score_evidence(terms: FxMap<usize, Evidence>, opening: Option<usize>) -> (f32, Vec<Evidence>) {
    let mut evidence: Vec<Evidence> = terms.into_values().collect();
    evidence.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    let mut score = 0.0;
    let mut used: Vec<(Field, usize, usize)> = Vec::new();
    let mut kept = Vec::new();
    for e in evidence {
        let overlaps = used
            .iter()
            .any(|(f, s, en)| *f == e.field && e.start < *en && *s < e.end);
        if overlaps {
            continue;
        }
        used.push((e.field, e.start, e.end));
        let repeat = if e.count >= 3 {
            1.3
        } else if e.count == 2 {
            1.15
        } else {
            1.0
        };
        // a term first met in the second half of a longer provision counts less
        let late = e.field == Field::Text && opening.is_some_and(|end| e.start >= end);
        let position = if late { LATE_FACTOR } else { 1.0 };
        score += e.weight * e.field.factor() * repeat * position;
        kept.push(e);
    }
    (score, kept)
}

/// The length a provision's scores are damped by, and whether it is an enumeration ("a) ...
/// b) ... c) ...", the functions of a consul): a list of short provisions, whose length is
/// its word count over the square root of its items, and which may carry more categories.
fn scoring_length(word_count: usize, items: usize) -> (usize, bool) {
    if items >= ENUMERATION_ITEMS {
        ((word_count as f32 / (items as f32).sqrt()) as usize, true)
    } else {
        (word_count, false)
    }
}

/// List items of a text: lettered ("a)", "(b)") or numbered ("1.", "2)") at a word start, the
/// larger count of distinct markers of either kind, so that a repeated "(a)" in cross-references
/// does not make an enumeration.
#[cfg(test)]
fn list_items(text: &str) -> usize {
    shape(text).1
}

/// Distinct list markers seen so far (see `list_items`).
#[derive(Default)]
struct Markers {
    letters: [bool; 26],
    numbers: [bool; 21],
}

impl Markers {
    fn see(&mut self, word: &[u8]) {
        match word {
            [l, b')'] | [b'(', l, b')'] if l.is_ascii_lowercase() => {
                self.letters[(l - b'a') as usize] = true;
            }
            _ => {
                let digits = word.iter().take_while(|c| c.is_ascii_digit()).count();
                if (1..=2).contains(&digits) && matches!(&word[digits..], b"." | b")" | b".-") {
                    let n = word[..digits]
                        .iter()
                        .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'));
                    if let Some(slot) = self.numbers.get_mut(n).filter(|_| n > 0) {
                        *slot = true;
                    }
                }
            }
        }
    }

    fn count(&self) -> usize {
        let count = |v: &[bool]| v.iter().filter(|s| **s).count();
        count(&self.letters).max(count(&self.numbers))
    }
}

/// Whether what precedes a match is shorter than `SUBJECT_WORDS` words (counted no further).
fn opens(before: &str) -> bool {
    before.split_whitespace().take(SUBJECT_WORDS).count() < SUBJECT_WORDS
}

/// Whitespace-separated words, as `split_whitespace().count()` without building the slices,
/// and the list items among them (see `list_items`): one pass over the text.
fn shape(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let mut n = 0;
    let mut markers = Markers::default();
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        // ASCII bytes directly; a multi-byte character is decoded (NBSP is white space)
        let (space, width) = if b[i] < 0x80 {
            (b[i].is_ascii_whitespace() || b[i] == 0x0b, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('x');
            (c.is_whitespace(), c.len_utf8())
        };
        match (space, start) {
            (false, None) => {
                n += 1;
                start = Some(i);
            }
            (true, Some(s)) => {
                markers.see(&b[s..i]);
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    if let Some(s) = start {
        markers.see(&b[s..]);
    }
    (n, markers.count())
}

#[cfg(test)]
fn count_words(text: &str) -> usize {
    shape(text).0
}

/// Share of tokens that look like words: OCR debris ("qualiEcations", "$;?&.", "cm -1")
/// and runs of dots lower it.
pub fn text_quality(text: &str) -> f32 {
    let mut words = 0usize;
    let mut bad = 0usize;
    // the first 400 words are a large enough sample of a text's noise
    for w in text.split_whitespace().take(400) {
        words += 1;
        // one pass over the word's characters (this runs on every provision)
        let (mut letters, mut digits, mut symbols, mut inner_caps, mut dots, mut max_dots) =
            (0usize, false, 0usize, 0usize, 0usize, 0usize);
        for (i, c) in w.chars().enumerate() {
            if c == '.' {
                dots += 1;
                max_dots = max_dots.max(dots);
            } else {
                dots = 0;
            }
            if c.is_alphabetic() {
                letters += 1;
                if i > 0 && c.is_uppercase() {
                    inner_caps += 1;
                }
            } else if c.is_ascii_digit() {
                digits = true;
            } else if !c.is_alphanumeric() && !",.;:()\"'“”’-–—".contains(c) {
                symbols += 1;
            }
        }
        let starts_lower = w.chars().next().is_some_and(|c| c.is_lowercase());
        if (letters == 0 && !digits)
            || symbols >= 2
            || (inner_caps >= 1 && starts_lower)
            || max_dots >= 4
        {
            bad += 1;
        }
    }
    if words == 0 {
        return 0.0;
    }
    let share = bad as f32 / words as f32;
    (1.0 - 2.0 * share).clamp(0.3, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn annotator() -> &'static Annotator {
        static A: OnceLock<Annotator> = OnceLock::new();
        A.get_or_init(|| {
            let t = Taxonomy::load(
                &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/taxonomy.toml"),
            )
            .unwrap();
            Annotator::new(t)
        })
    }

    fn cats(text: &str, lang: Language) -> Vec<String> {
        annotator()
            .annotate_fields(&[(Field::Text, text)], lang, false)
            .tags
            .iter()
            .map(|t| t.category.to_string())
            .collect()
    }

    /// (text, language, category, whether the provision gets it)
    type Case<'a> = (&'a str, Language, &'a str, bool);

    fn check(cases: &[Case]) {
        for (text, lang, category, want) in cases {
            let got = cats(text, *lang);
            assert_eq!(got.iter().any(|c| c == category), *want, "{text}: {got:?}");
        }
    }

    #[test]
    fn category_table_per_language() {
        let cases: &[Case] = &[
            ("Los cónsules visitarán a los nacionales detenidos o privados de libertad en cárceles extranjeras.", Language::Es, "protection/detention", true),
            ("The consular officer shall visit a national of the sending State who is in prison, custody or detention.", Language::En, "protection/detention", true),
            ("Les fonctionnaires consulaires ont le droit de rendre visite à un ressortissant qui est incarcéré ou en état de détention.", Language::Fr, "protection/detention", true),
            ("O consulado prestará assistência aos brasileiros presos ou privados de liberdade no exterior.", Language::Pt, "protection/detention", true),
            ("El Ministerio expedirá pasaportes ordinarios a los nacionales que lo soliciten.", Language::Es, "documents/passports", true),
            ("The fee for the issuance of a passport abroad is $25.", Language::En, "documents/passports", true),
            ("Los cónsules ejercerán funciones notariales y podrán legalizar firmas de documentos.", Language::Es, "notarial", true),
            ("Les électeurs résidant à l'étranger peuvent voter par bulletin de vote spécial.", Language::Fr, "civic-participation", true),
            // smuggling of persons, in the words of the Argentine and Spanish penal laws
            ("Será reprimido el que facilitare el tráfico ilegal de personas desde la República.", Language::Es, "protection/vulnerable-groups", true),
            // a second subject a third as strong as the first is a tag too
            ("El Ministerio expedirá pasaportes ordinarios, pasaportes diplomáticos, salvoconductos y documentos de viaje, con su renovación, su vigencia y reposición, a los nacionales en el exterior, por medios electrónicos.", Language::Es, "administration/digital-services", true),
            // negatives
            // a definition that mentions a consul is not protection
            ("Para los efectos de esta ley, se entiende por cónsul el funcionario que dirige una oficina.", Language::Es, "protection/general", false),
            // domestic voting is not civic participation abroad
            ("No voting qualification shall be imposed to deny the right of any citizen to vote on account of race.", Language::En, "civic-participation", false),
            // a domestic disaster or a welfare benefit is not consular protection
            ("The municipality shall provide emergency relief to the victims of a flood disaster.", Language::En, "protection/emergencies", false),
            ("El municipio otorgará ayuda económica a las familias en situación de indigencia.", Language::Es, "protection/financial-aid", false),
            // a foreigner's death in a domestic registry is no act abroad; a birth abroad is
            ("La defunción de la persona ecuatoriana o extranjera se inscribirá en el registro civil con su partida de nacimiento.", Language::Es, "civil-registry", false),
            ("El nacimiento ocurrido en el extranjero se inscribirá en el registro civil con su partida de nacimiento.", Language::Es, "civil-registry", true),
            // inside an agency's name, "naturalization" is no citizenship provision
            ("The Immigration and Naturalization Service shall promulgate regulations to implement this chapter.", Language::En, "nationality", false),
            ("An alien may apply for naturalization after five years of lawful permanent residence.", Language::En, "nationality", true),
            // a decree published online is no electronic consular service; online passports are
            ("El presente decreto es publicado en la plataforma digital única del Estado y en su sede digital.", Language::Es, "administration/digital-services", false),
            ("Los consulados recibirán en línea, por medios electrónicos, las solicitudes de pasaporte.", Language::Es, "administration/digital-services", true),
            // a foreigner's access to justice here is a migrant's right, not consular legal
            // assistance to nationals before foreign courts
            ("Las personas extranjeras tendrán acceso a la justicia y a asistencia jurídica gratuita en igualdad de condiciones.", Language::Es, "protection/legal-assistance", false),
            ("Los consulados brindarán asistencia jurídica a los nacionales que enfrenten procesos en el exterior.", Language::Es, "protection/legal-assistance", true),
            // ... abroad, the same emergency is
            ("The consular officer shall assist nationals abroad affected by a disaster or an emergency.", Language::En, "protection/emergencies", true),
        ];
        check(cases);
        // an entry-into-force clause says nothing
        assert!(cats(
            "Esta ley entrará en vigencia a partir de su publicación.",
            Language::Es
        )
        .is_empty());
    }

    #[test]
    fn an_exclusion_in_the_opening_puts_a_provision_out_of_scope() {
        let cases: &[Case] = &[
            ("Los extranjeros cuya expulsión haya sido decretada tendrán derecho a recurrir la resolución.", Language::Es, "migrants-rights", true),
            // carriers' duties and penalties are enforcement, not migrants' rights
            ("Las empresas de transporte internacional deberán trasladar a todo extranjero cuya expulsión haya sido decretada.", Language::Es, "migrants-rights", false),
            ("Any alien against whom a final order of removal is outstanding who fails to depart shall be fined or imprisoned.", Language::En, "migrants-rights", false),
            ("Any national of a foreign state who fails to depart shall be fined or imprisoned.", Language::En, "protection/detention", false),
            // the arrest and the social security of consular staff are personnel (reading note)
            ("In the event of the arrest or detention, pending trial, of a member of the consular staff, the receiving State shall notify the head of the consular post.", Language::En, "protection/detention", false),
            ("The receiving State shall notify the consular post without delay if a national of the sending State is arrested or detained.", Language::En, "protection/detention", true),
            ("Los miembros de la oficina consular estarán exentos del régimen de seguridad social y de los contratos de trabajo del Estado receptor.", Language::Es, "protection/migrant-workers", false),
            // premises are the network's, the staff personnel (reading note)
            ("Consular premises and the residence of the career head of consular post shall be exempt from all national taxation, other than charges levied for specific services.", Language::En, "administration/personnel", false),
            ("The receiving State may at any time notify the sending State that a member of the consular staff is persona non grata; the sending State shall then recall him or terminate his functions with the consular post and withdraw his exequatur.", Language::En, "administration/network", false),
            ("The functions of a member of a consular post shall come to an end on notification by the sending State to the receiving State, or on withdrawal of the exequatur.", Language::En, "administration/network", false),
            // a fine is no fee
            ("Every person who contravenes this Act is guilty of an offence and liable to pay a fee and charges of $500.", Language::En, "administration/fees", false),
            ("Le consul perçoit le droit à payer prévu au tarif, soit 25 dollars.", Language::Fr, "administration/fees", true),
            ("Quien no pague el arancel consular será sancionado con multa.", Language::Es, "administration/fees", false),
        ];
        check(cases);
        // further on, the same words are a passing reference: the provision keeps its subject
        let late = "Los extranjeros residentes gozarán de igualdad de trato con los nacionales en \
            el acceso a la salud, la educación, la vivienda y el trabajo, y a la residencia \
            permanente; sin perjuicio de ello, las empresas de transporte cumplirán sus deberes.";
        assert!(cats(late, Language::Es)
            .iter()
            .any(|c| c == "migrants-rights"));
        // and "why not?" names the exclusion
        let ann = annotator();
        let mut p = provision(
            1,
            "Las empresas de transporte deberán trasladar a todo extranjero expulsado.",
        );
        p.language = Language::Es;
        let c = ann.explain(&p, "");
        let m = c.iter().find(|c| c.category.as_str() == "migrants-rights");
        assert_eq!(
            m.and_then(|m| m.excluded_by.as_deref()),
            Some("empresas de transporte")
        );
    }

    #[test]
    fn a_post_named_once_in_passing_is_no_tag_even_alone() {
        let network = |text: &str| {
            cats(text, Language::Es)
                .iter()
                .any(|c| c == "administration/network")
        };
        // where the staff may not work: the posts are a place named in passing
        assert!(!network("Los familiares del personal del Ministerio no podrán trabajar en las misiones diplomáticas ni en las oficinas consulares del mismo Estado."));
        // the posts open the provision as its subject
        assert!(network("Las misiones diplomáticas y las oficinas consulares son los órganos de representación del Estado en el exterior."));
        // or are named again and again
        assert!(network("El Poder Ejecutivo fijará por decreto la sede de las oficinas consulares, y cada oficina consular y las demás oficinas consulares ostentarán el escudo."));
        // and "why not?" says so
        let mut p = provision(1, "Los familiares del personal del Ministerio no podrán trabajar en las misiones diplomáticas ni en las oficinas consulares del mismo Estado.");
        p.language = Language::Es;
        let c = annotator().explain(&p, "");
        assert!(c
            .iter()
            .any(|c| c.category.as_str() == "administration/network" && c.in_passing));
    }

    #[test]
    fn a_post_named_in_passing_is_no_tag_next_to_the_subject() {
        // the posts are named three times, legal assistance once: the subject still wins
        let got = cats(
            "Las oficinas consulares, los consulados y las misiones diplomáticas prestarán asistencia jurídica.",
            Language::Es,
        );
        assert_eq!(got, ["protection/legal-assistance"]);
        // alone, the organisation of posts is still a subject
        let got = cats(
            "Se crean las oficinas consulares y se fija la circunscripción consular de cada una.",
            Language::Es,
        );
        assert_eq!(got, ["administration/network"]);
    }

    #[test]
    fn a_term_first_met_late_in_a_long_provision_counts_half() {
        let body = "El Ministerio de Relaciones Exteriores expedirá los pasaportes ordinarios, \
            diplomáticos y oficiales, y fijará por resolución los requisitos, la vigencia y el \
            formato de cada uno de ellos, así como el procedimiento de renovación y de \
            reposición en caso de pérdida, robo o deterioro del documento de viaje";
        let late = format!("{body}, incluido el de los menores de edad.");
        let early = format!("Para los menores de edad: {body}.");
        assert!(count_words(&late) >= POSITION_MIN_WORDS);
        let vulnerable = |t: &str| {
            cats(t, Language::Es)
                .iter()
                .any(|c| c == "protection/vulnerable-groups")
        };
        assert!(!vulnerable(&late), "{:?}", cats(&late, Language::Es));
        assert!(vulnerable(&early), "{:?}", cats(&early, Language::Es));
        // short provisions have no second half: the same words count in full
        assert!(vulnerable("Se expedirán pasaportes a los menores de edad."));
    }

    #[test]
    fn navigation_needs_a_consular_or_foreign_element() {
        let ship = "Los nacimientos ocurridos a bordo de un buque o aeronave de bandera nacional se inscriben en el primer puerto.";
        assert!(!cats(ship, Language::Es).iter().any(|c| c == "navigation"));
        let consul =
            "El cónsul prestará asistencia a los buques y aeronaves nacionales y a su tripulación.";
        assert!(cats(consul, Language::Es).iter().any(|c| c == "navigation"));
    }

    #[test]
    fn tags_carry_evidence_and_heading_counts_less() {
        let a = annotator().annotate_fields(
            &[(Field::Text, "Los consulados expedirán pasaportes.")],
            Language::Es,
            false,
        );
        let t = &a.tags[0];
        assert_eq!(t.category.as_str(), "documents/passports");
        assert_eq!(t.evidence[0].matched, "pasaportes");
        assert_eq!(t.evidence[0].field, Field::Text);
        let h = annotator().annotate_fields(
            &[
                (Field::Text, "Se cobrará el valor fijado en la tabla anexa."),
                (Field::Heading, "Pasaportes"),
            ],
            Language::Es,
            false,
        );
        assert!(
            h.tags
                .iter()
                .all(|t| t.category.as_str() != "documents/passports"),
            "a heading alone is below the text weight"
        );
    }

    fn provision(i: usize, text: &str) -> Provision {
        Provision {
            id: crate::corpus::model::ProvisionId::new("test-act", &format!("sec_{i}")),
            instrument: "test-act".into(),
            eid: format!("sec_{i}"),
            number: i.to_string(),
            heading: None,
            hierarchy: vec![],
            text: text.into(),
            language: Language::En,
            position: i,
            repealed: false,
            vetoed: false,
            transitory: false,
            notes: vec![],
            part: None,
            twin: None,
            content_hash: String::new(),
        }
    }

    #[test]
    fn instrument_main_subject_lowers_the_threshold_but_needs_evidence() {
        let weak =
            "The Minister shall decide any pending application for citizenship within a year.";
        let mut act: Vec<Provision> = (0..4)
            .map(|i| provision(i, "A person born outside Canada may acquire citizenship by naturalization and take the oath of citizenship."))
            .collect();
        act.push(provision(4, weak));
        act.push(provision(
            5,
            "This Act comes into force on the day fixed by order.",
        ));
        let alone = annotator().annotate(&act[4]);
        assert!(alone.tags.is_empty(), "{:?}", alone.tags);
        let all = annotator().annotate_instrument(&act, "Test Act");
        assert_eq!(all.len(), act.len());
        let t = &all[4].tags;
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].category.as_str(), "nationality");
        assert!(t[0].context.is_some_and(|s| s > 0.5));
        assert!(
            !t[0].evidence.is_empty(),
            "a context tag still rests on the provision's words"
        );
        assert!(all[5].tags.is_empty(), "context alone tags nothing");
        assert!(all[0].tags.iter().all(|t| t.context.is_none()));
    }

    #[test]
    fn context_does_not_add_a_post_named_in_passing_next_to_a_subject() {
        // an act about consular posts: its main subject is the network
        let mut act: Vec<Provision> = (0..4)
            .map(|i| provision(i, "The head of consular post shall exercise consular functions within the consular district assigned by the exequatur."))
            .collect();
        act.push(provision(
            4,
            "A passport may be issued at the consulate to a citizen who applies.",
        ));
        act.push(provision(
            5,
            "The consulate shall remain open on working days.",
        ));
        let all = annotator().annotate_instrument(&act, "Test Act");
        let cats =
            |i: usize| -> Vec<&str> { all[i].tags.iter().map(|t| t.category.as_str()).collect() };
        assert_eq!(cats(0), ["administration/network"]);
        // "consulate" says where the passport is issued: no network tag beside the passport one
        assert_eq!(cats(4), ["documents/passports"]);
        // with nothing else to say, the post is the provision's subject in this act
        assert_eq!(cats(5), ["administration/network"]);
        assert!(all[5].tags[0].context.is_some());
    }

    #[test]
    fn a_consular_instrument_gives_its_provisions_the_consular_element() {
        // an estate administered under a consular fees act is a death abroad; under a
        // domestic fees act, or an "Aliens and Nationality" code, it is not
        let act = vec![provision(
            0,
            "Administering in full the estate of a deceased person, with a minimum charge of $3.00.",
        )];
        let deaths = |title: &str| {
            annotator().annotate_instrument(&act, title)[0]
                .tags
                .iter()
                .any(|t| t.category.as_str() == "protection/deaths")
        };
        assert!(deaths("The Consular Fees Act"));
        assert!(!deaths("The Court Fees Act"));
        assert!(!deaths("Aliens and Nationality"));
        assert!(!deaths("Ley de consulta previa"));
        // a consular fee needs a fee word and a consular element: the title of a consular
        // fees act is the element, never the fee word, and a domestic registry's fee has
        // neither title nor element
        let fees = |text: &str, title: &str| {
            annotator().annotate_instrument(&[provision(0, text)], title)[0]
                .tags
                .iter()
                .any(|t| t.category.as_str() == "administration/fees")
        };
        let entry =
            "For each entry of a birth, a fee of twelve cents shall be paid to the Registrar.";
        assert!(fees(entry, "The Consular Fees Act"));
        assert!(!fees(entry, "The Registration (Births and Deaths) Act"));
        assert!(fees(
            "For each entry of a birth abroad, a fee of twelve cents shall be paid.",
            "The Registration (Births and Deaths) Act"
        ));
        assert!(!fees(
            "Registering the birth of a child of a citizen: two dollars ($2.00).",
            "The Consular Fees Act"
        ));
    }

    #[test]
    fn enumerations_are_recognised_by_their_lettered_items() {
        assert_eq!(
            list_items(
                "Las funciones consisten en: a) proteger; b) fomentar; c) informar; d) expedir"
            ),
            4
        );
        assert_eq!(list_items("(a) protecting; (b) furthering; (c) issuing"), 3);
        assert_eq!(list_items("see paragraph (a) and (a) again"), 1);
        assert_eq!(list_items("no list here at all"), 0);
        assert_eq!(
            list_items("Son objetivos: 1. acompañar; 2. promover; 3. proteger"),
            3
        );
        assert_eq!(list_items("Ley 25.871, artículo 5.- y 12.000 personas"), 1);
    }

    #[test]
    fn the_longest_reading_wins_across_categories() {
        // "miembros de la oficina consular" are staff; the post inside the phrase is not
        // evidence for the consular network
        let a = annotator().annotate_fields(
            &[(
                Field::Text,
                "Los miembros de la oficina consular gozarán de inmunidad de jurisdicción.",
            )],
            Language::Es,
            false,
        );
        assert!(
            a.tags
                .iter()
                .any(|t| t.category.as_str() == "administration/personnel"),
            "{:?}",
            a.tags
        );
        assert!(
            a.tags
                .iter()
                .all(|t| t.category.as_str() != "administration/network"),
            "{:?}",
            a.tags
        );
    }

    #[test]
    fn a_post_named_in_passing_is_not_a_second_subject() {
        let with_passports = cats(
            "Las oficinas consulares y misiones diplomáticas expedirán pasaportes y documentos de viaje a los nacionales.",
            Language::Es,
        );
        assert_eq!(with_passports, vec!["documents/passports".to_string()]);
        // alone, the same words still speak of the consular network
        let alone = cats(
            "Las oficinas consulares y las misiones diplomáticas de la República.",
            Language::Es,
        );
        assert_eq!(alone, vec!["administration/network".to_string()]);
    }

    #[test]
    fn count_words_is_split_whitespace() {
        for t in ["", "  a  b\tc\n", "detención\u{a0}de  nacionales", "x"] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn ocr_noise_lowers_confidence_without_flooding() {
        let clean = "The Minister may issue a passport to any citizen of Jamaica.";
        let noisy = "The Minister may issue a passport $;?&. to qualiEcations any citizen cm -1 .......... of Jamaica orambanur-";
        let a = annotator().annotate_fields(&[(Field::Text, clean)], Language::En, false);
        let b = annotator().annotate_fields(&[(Field::Text, noisy)], Language::En, false);
        assert!(b.text_quality < a.text_quality);
        assert!(b.tags[0].confidence < a.tags[0].confidence);
        assert!(b.tags.len() <= MAX_TAGS);
    }
}
