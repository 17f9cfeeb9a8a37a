//! Scoring and the category rules: what a category's evidence in a provision is worth (field
//! factors, repeats, late terms, length damping), and which candidates become tags (threshold,
//! requirement groups, exclusions, incidental terms, the relative floor, the five-tag cap).
//! `explain` shows the same candidates before the decision.

use super::context::{consular_title, CONTEXT_FACTOR};
use super::matcher::{FxMap, Scan, TermTable};
use super::shape::{scoring_length, shape};
use super::taxonomy::CategoryId;
use super::types::{Evidence, Field, Tag};
use super::{text_field, with_fields, Annotator};
use crate::corpus::model::{Language, Provision};
use serde::Serialize;
use std::cmp::Ordering;

/// At most this many categories per provision: long noisy texts must not flood tags.
pub(super) const MAX_TAGS: usize = 5;
/// An enumeration (see `shape`) may carry up to this many categories, one per kind of item.
/// Its length, for damping, is its word count over the square root of its number of items.
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
pub(super) const POSITION_MIN_WORDS: usize = 40;
/// Provisions longer than this (in words) have their scores damped by sqrt(words / this).
const LENGTH_NORM: f32 = 120.0;
/// A post or an actor named once, with no other evidence, is mentioned in passing ("los
/// trámites entre el Ministerio y sus misiones diplomáticas") unless it opens the provision,
/// within this many first words, as its subject ("Toda oficina consular se establecerá...").
/// Named again and again ("the consular post" in every sentence), it is the subject too.
/// After a preposition ("En las misiones diplomáticas ... serán inhábiles"), an opening post
/// is a place, not the subject (see `locative`).
const SUBJECT_WORDS: usize = 4;

/// A category's evidence in one provision, before the tagging decision.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Candidate {
    pub category: CategoryId,
    /// The summed evidence, damped for long provisions.
    pub score: f32,
    /// The category's threshold in the taxonomy.
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
    pub(super) fn eligible(&self) -> bool {
        self.requirement_met && self.excluded_by.is_none() && !self.in_passing
    }

    fn passes(&self) -> bool {
        self.eligible() && self.score >= self.threshold
    }

    /// The tag it becomes against `threshold` (its own, or lowered by instrument context),
    /// its confidence scaled by the text's `quality`.
    pub(super) fn into_tag(self, threshold: f32, quality: f32, context: Option<f32>) -> Tag {
        let confidence = (1.0 - (-self.score / threshold).exp()) * quality;
        Tag {
            category: self.category,
            confidence: round3(confidence),
            score: self.score,
            evidence: self.evidence,
            context,
        }
    }
}

/// Rounds to three decimals, as confidences and shares are shown.
pub(super) fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Strongest first, then by category id: the order of tags and of the candidates competing
/// for them.
pub(super) fn strongest_first(a: (f32, &CategoryId), b: (f32, &CategoryId)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(b.1))
}

/// Sorts tags strongest first (see `strongest_first`).
pub(super) fn sort_tags(tags: &mut [Tag]) {
    tags.sort_by(|a, b| strongest_first((a.score, &a.category), (b.score, &b.category)));
}

/// The tagging decision over a provision's candidates (`enumeration`: it is a list, see
/// `shape`): its tags, strongest first, and the untagged candidates that instrument context
/// could still promote (eligible ones with at least `CONTEXT_FACTOR` of their threshold).
pub(super) fn decide(
    candidates: Vec<Candidate>,
    enumeration: bool,
    quality: f32,
) -> (Vec<Tag>, Vec<Candidate>) {
    let mut near = Vec::new();
    let mut passing = Vec::new();
    for c in candidates {
        if c.passes() {
            passing.push(c);
        } else if c.eligible() && c.score >= c.threshold * CONTEXT_FACTOR {
            near.push(c);
        }
    }
    passing.sort_by(|a, b| strongest_first((a.score, &a.category), (b.score, &b.category)));
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
            let threshold = c.threshold;
            tags.push(c.into_tag(threshold, quality, None));
        } else {
            // outscored here, but the instrument's main subject may still claim it
            near.push(c);
        }
    }
    (tags, near)
}

impl Annotator {
    /// Every leaf category with some evidence in the provision, tagged or not, with its score,
    /// threshold and whether its required co-occurrence was met: the answer to "why was this
    /// provision not tagged X?". `title` is its instrument's (see `annotate_instrument`).
    pub fn explain(&self, p: &Provision, title: &str) -> Vec<Candidate> {
        let Some(table) = self.matcher.table(p.language) else {
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

    /// Every leaf category with evidence in the fields, scored. `word_count` is the scoring
    /// length (see `scoring_length`); `consular`: the provision belongs to a consular
    /// instrument, which meets the consular requirement groups.
    pub(super) fn candidates(
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
        } = self.matcher.scan(&self.taxonomy, table, fields, lang);
        let text = text_field(fields);
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
                        && !(e.field == Field::Text
                            && opens(text.get(..e.start).unwrap_or(text), lang))
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

/// Sums the evidence of one category: overlapping matches count once (the heaviest), repeats
/// add a little, and with `opening` (where a longer provision's first half ends) a term first
/// met after it counts `LATE_FACTOR`. Returns the score and the evidence kept.
pub(super) fn score_evidence(
    terms: FxMap<usize, Evidence>,
    opening: Option<usize>,
) -> (f32, Vec<Evidence>) {
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

/// Whether what precedes a match is shorter than `SUBJECT_WORDS` words (counted no further).
fn opens(before: &str, lang: Language) -> bool {
    let words: Vec<&str> = before.split_whitespace().take(SUBJECT_WORDS).collect();
    if words.iter().any(|w| locative(w, lang)) {
        return false;
    }
    words.len() < SUBJECT_WORDS
}

/// Prepositions that make what follows a place or an agent, not the subject ("En las
/// misiones diplomáticas...", "Before the consul...").
fn locative(word: &str, lang: Language) -> bool {
    let w = crate::text::fold_lower(word.trim_matches(|c: char| !c.is_alphanumeric()));
    let list: &[&str] = match lang {
        Language::Es => &["en", "ante", "por", "desde", "para", "con"],
        Language::En => &["in", "at", "by", "before", "through", "with", "from"],
        Language::Fr => &["dans", "par", "aupres", "devant", "en", "avec"],
        Language::Pt => &[
            "em", "no", "na", "nos", "nas", "ante", "perante", "por", "pelo", "pela", "pelos",
            "pelas", "com",
        ],
    };
    list.contains(&w.as_str())
}
