//! How a search shows what it found: hits with their snippets (looked for in a provision's
//! opening first), and the categories the query was expanded to. The provisions shown are kept
//! parsed and analysed (`Shown`), since parsing a stored record and analysing its opening are
//! most of the cost of showing a hit and the same provisions come back across searches.

use super::response::{Expansion, Hit, InstrumentRef};
use super::snippet::{self, Highlighter, Snippet};
use super::{tquery, Engine};
use crate::annotate::taxonomy::Taxonomy;
use crate::annotate::QueryMatch;
use crate::corpus::model::Language;
use crate::error::Result;
use crate::index::Record;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tantivy::DocAddress;

/// Characters of a provision searched first for a snippet.
const SNIPPET_WINDOW: usize = 1500;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 240;
/// Provisions an engine keeps parsed (about 8 kB each).
pub(super) const SHOWN_CACHE: usize = 2048;

/// A provision as a hit shows it: its record, and the analysed words of its opening (the
/// first `SNIPPET_WINDOW` characters), where its snippet is looked for first.
pub(crate) struct Shown {
    record: Record,
    opening_end: usize,
    opening: Vec<crate::text::Token>,
}

impl Engine {
    /// A provision as a hit shows it, from the cache when it is there.
    pub(super) fn shown(&self, addr: DocAddress) -> Result<Arc<Shown>> {
        self.shown.get_or_try_insert(&addr, || {
            let record = self.record(addr)?;
            let text = record.provision.text.as_str();
            let opening_end = crate::text::char_offset(text, SNIPPET_WINDOW);
            let opening = crate::text::analyse(&text[..opening_end], record.provision.language);
            Ok(Arc::new(Shown {
                record,
                opening_end,
                opening,
            }))
        })
    }
}

/// The hits of a page, each with a snippet highlighting `terms` (per language).
pub(super) fn hits(
    page: Vec<(f32, Arc<Shown>)>,
    mut terms: BTreeMap<Language, Vec<String>>,
) -> Vec<Hit> {
    let mut highlighters: HashMap<Language, Highlighter> = HashMap::new();
    page.into_iter()
        .map(|(score, shown)| {
            let lang = shown.record.provision.language;
            let h = highlighters
                .entry(lang)
                .or_insert_with(|| Highlighter::new(lang, terms.remove(&lang).unwrap_or_default()));
            hit(&shown.record, score, snippet_of(h, &shown))
        })
        .collect()
}

/// The best snippet of a provision: in the opening first, in the rest only when the opening
/// has no match (a long provision is seldom read past its opening); with no highlighted word
/// (or a filter-only search), the opening itself.
fn snippet_of(h: &Highlighter, shown: &Shown) -> Snippet {
    let full = shown.record.provision.text.as_str();
    let window_end = shown.opening_end;
    let found = if h.is_empty() {
        None
    } else {
        h.snippet_analysed(&full[..window_end], &shown.opening, SNIPPET_CHARS)
            .or_else(|| {
                (window_end < full.len())
                    .then(|| h.snippet(full, SNIPPET_CHARS))
                    .flatten()
            })
    };
    found.unwrap_or_else(|| {
        let end = crate::text::char_offset(full, SNIPPET_CHARS);
        Snippet {
            text: full[..end].to_string(),
            highlights: Vec::new(),
            html: snippet::escape(&full[..end]),
        }
    })
}

fn hit(rec: &Record, score: f32, snippet: Snippet) -> Hit {
    Hit {
        id: rec.provision.id.clone(),
        instrument: InstrumentRef {
            id: rec.instrument.id.clone(),
            title: rec.instrument.title.clone(),
        },
        country: rec.instrument.country.clone(),
        kind: rec.instrument.kind,
        language: rec.provision.language,
        number: rec.provision.number.clone(),
        heading: rec.provision.heading.clone(),
        part: rec.provision.part.clone(),
        categories: rec.annotation.tags.clone(),
        modality: rec.annotation.modality,
        in_force: rec.instrument.in_force && rec.provision.is_operative(),
        score,
        snippet,
        also_in: Vec::new(),
    }
}

/// The categories a query was expanded to, with the words that matched and the descriptors
/// added per language.
pub(super) fn expansions(matches: &[QueryMatch], tax: &Taxonomy) -> Vec<Expansion> {
    matches
        .iter()
        .filter_map(|m| {
            let c = tax.get(&m.category)?;
            let mut added: BTreeMap<Language, Vec<String>> = BTreeMap::new();
            for (l, text, _) in tquery::expansion_terms(c) {
                added.entry(l).or_default().push(text);
            }
            Some(Expansion {
                category: m.category.clone(),
                matched: m.matched.clone(),
                matched_language: m.language,
                added,
            })
        })
        .collect()
}
