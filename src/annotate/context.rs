//! Instrument context: what a provision's instrument (one file) says about it. Its main
//! subject (the category most of its provisions carry on their own evidence) lowers that
//! category's threshold for the rest; a consular title ("Consular Fees Act") is the consular
//! element some categories require. `Annotator::annotate_instrument` applies both.

use super::rules::{round3, sort_tags, Candidate, MAX_TAGS};
use super::taxonomy::{CategoryId, Taxonomy};
use super::types::Annotation;
use crate::corpus::model::Language;
use std::collections::{HashMap, HashSet};

/// An instrument's main subject is the category most of its provisions carry, if at least
/// this share of them do (a citizenship act, a consular fees regulation).
const CONTEXT_SHARE: f32 = 0.2;
/// ... and at least this many times as many as the runner-up.
const CONTEXT_LEAD: f32 = 1.5;
/// Within an instrument, a provision's own evidence for the main subject needs to reach only
/// this share of the category's threshold: a reader takes "the application" in a citizenship
/// act as a citizenship application. Evidence is still required; context alone tags nothing.
/// Two fifths: one weak word of the subject ("residencia" in a migration act, 0.6 of 1.5) is
/// enough there; at a half, such provisions of a single-subject act went untagged.
pub(super) const CONTEXT_FACTOR: f32 = 0.4;

/// An instrument's main subject and the share of its provisions that carry it.
pub(super) type MainSubject = Option<(CategoryId, f32)>;

/// Whether an instrument's title names consuls or consular matters ("Consular Fees Act", "Ley
/// del Servicio Consular"), not consultation ("consulta previa").
pub(super) fn consular_title(title: &str) -> bool {
    crate::text::fold_lower(title)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with("consul") && !w.starts_with("consult"))
}

/// (category, language, requirement group) whose group is a consular element (it has a
/// single word "consul", "consular"...): a consular instrument's title meets it. The fee
/// words that fees also require are not such a group.
pub(super) fn consular_requirements(taxonomy: &Taxonomy) -> HashSet<(usize, Language, usize)> {
    let mut out = HashSet::new();
    for (ci, c) in taxonomy.categories.iter().enumerate() {
        for (g, group) in c.requires.iter().enumerate() {
            for (lang, terms) in group {
                if terms
                    .iter()
                    .any(|t| t.stems.len() == 1 && t.folded.starts_with("consul"))
                {
                    out.insert((ci, *lang, g));
                }
            }
        }
    }
    out
}

/// The main subject of an instrument of `total` provisions, from their own annotations: the
/// most frequent category, if it leads clearly and is carried by `CONTEXT_SHARE` of them.
pub(super) fn main_subject<'a>(
    annotations: impl Iterator<Item = &'a Annotation>,
    total: usize,
) -> MainSubject {
    let mut counts: HashMap<&CategoryId, usize> = HashMap::new();
    for a in annotations {
        for c in a.categories() {
            *counts.entry(c).or_default() += 1;
        }
    }
    let total = total.max(1) as f32;
    let mut ranked: Vec<(&CategoryId, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // No main subject when two categories run close: the English and French versions of
    // one act must not pick different ones.
    let clear = match ranked.as_slice() {
        [(_, first), (_, second), ..] => *first as f32 >= CONTEXT_LEAD * *second as f32,
        _ => true,
    };
    ranked
        .first()
        .filter(|_| clear)
        .map(|(c, n)| ((*c).clone(), *n as f32 / total))
        .filter(|(_, share)| *share >= CONTEXT_SHARE)
}

/// Adds the main subject to a provision's annotation when one of its untagged candidates
/// (`near`) is that category, at `CONTEXT_FACTOR` of its threshold, marked with the share.
pub(super) fn promote(mut a: Annotation, near: Vec<Candidate>, main: &MainSubject) -> Annotation {
    let Some((main, share)) = main else {
        return a;
    };
    // a post named in passing is no second subject, context or not
    let has_tags = !a.tags.is_empty();
    if let Some(c) = near
        .into_iter()
        .find(|c| c.category == *main && !(has_tags && c.incidental_only))
    {
        let threshold = c.threshold * CONTEXT_FACTOR;
        a.tags
            .push(c.into_tag(threshold, a.text_quality, Some(round3(*share))));
        sort_tags(&mut a.tags);
        a.tags.truncate(MAX_TAGS);
    }
    a
}
