//! The practices a generation serves: their index (same schema and analyzers as the
//! provisions, `type` = `practice`), their records with the links to the law, and the lookups
//! that comparisons, gaps and provision pages ask for (a country's practices in a category,
//! the practices that name an instrument). A search evaluates the same query tree over them as
//! over the provisions, so an expanded query meets a practice as it meets a provision.

use super::eval::{self, Node};
use super::stats::Stats;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::countries::Registry;
use crate::corpus::model::CountryCode;
use crate::error::{Error, Result};
use crate::index::practices::{self as ip, PracticeEntry};
use crate::index::schema::Fields;
use crate::search::SearchRequest;
use std::collections::HashMap;
use std::path::Path;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

/// The opened practices of a generation (none for a generation built without them).
#[derive(Default)]
pub(crate) struct PracticeSet {
    index: Option<(Fields, Stats)>,
    entries: Vec<PracticeEntry>,
    by_addr: HashMap<DocAddress, usize>,
    by_id: HashMap<String, usize>,
}

impl PracticeSet {
    /// Opens `dir/practices` and reads `dir/practices.json`.
    pub(crate) fn open(dir: &Path) -> Result<PracticeSet> {
        let entries = ip::read_list(dir)?;
        let idx_dir = dir.join(ip::DIR);
        // BM25 statistics need at least one document: no record, no index to search.
        if entries.is_empty() || !idx_dir.is_dir() {
            return Ok(PracticeSet {
                by_id: index_ids(&entries),
                entries,
                ..PracticeSet::default()
            });
        }
        let (fields, reader) = crate::index::generation::open_reader(&idx_dir)?;
        let searcher = reader.searcher();
        let by_id = index_ids(&entries);
        let mut by_addr = HashMap::new();
        for (seg, r) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..r.max_doc() {
                let addr = DocAddress::new(seg as u32, doc);
                let d: TantivyDocument = searcher.doc(addr)?;
                let id = d
                    .get_first(fields.id)
                    .and_then(|v| v.as_str())
                    .ok_or_else(|| Error::Data("practice document without id".into()))?;
                if let Some(i) = by_id.get(id) {
                    by_addr.insert(addr, *i);
                }
            }
        }
        Ok(PracticeSet {
            index: Some((fields, Stats::new(searcher)?)),
            entries,
            by_addr,
            by_id,
        })
    }

    /// Sets each legal link's provision: the article it names, found by its number among the
    /// instrument's provisions (`provisions_of` lists them with their numbers).
    pub(crate) fn resolve_articles(
        &mut self,
        provisions_of: impl Fn(&str) -> Vec<(crate::corpus::model::ProvisionId, String)>,
    ) {
        for e in &mut self.entries {
            for l in &mut e.legal_links {
                let Some(a) = &l.article else { continue };
                let want = crate::text::fold_lower(a);
                l.provision = provisions_of(&l.instrument)
                    .into_iter()
                    .find(|(_, n)| crate::text::fold_lower(n) == want)
                    .map(|(id, _)| id);
            }
        }
    }

    pub(crate) fn entries(&self) -> &[PracticeEntry] {
        &self.entries
    }

    pub(crate) fn get(&self, id: &str) -> Option<&PracticeEntry> {
        self.by_id.get(id).map(|i| &self.entries[*i])
    }

    /// The fields and statistics a query tree is built against, if there is an index.
    pub(crate) fn index(&self) -> Option<&(Fields, Stats)> {
        self.index.as_ref()
    }

    /// The records a query tree matches, best first, with their scores.
    pub(crate) fn matches(&self, q: &Node) -> Result<Vec<(f32, &PracticeEntry)>> {
        let Some((_, stats)) = &self.index else {
            return Ok(Vec::new());
        };
        let mut out: Vec<(f32, &PracticeEntry)> = eval::matches(q, stats)?
            .into_iter()
            .filter_map(|(s, a)| self.by_addr.get(&a).map(|i| (s, &self.entries[*i])))
            .collect();
        out.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| a.1.practice.id.cmp(&b.1.practice.id))
        });
        Ok(out)
    }

    /// The records of a state (run by it, or a mechanism it takes part in) in a category.
    pub(crate) fn of(&self, country: &CountryCode, category: &CategoryId) -> Vec<&PracticeEntry> {
        self.entries
            .iter()
            .filter(|e| e.practice.involves(country) && e.practice.in_category(category))
            .collect()
    }

    /// The records whose legal basis names an instrument.
    pub(crate) fn naming(&self, instrument: &str) -> Vec<&PracticeEntry> {
        self.entries
            .iter()
            .filter(|e| e.legal_links.iter().any(|l| l.instrument == instrument))
            .collect()
    }
}

fn index_ids(entries: &[PracticeEntry]) -> HashMap<String, usize> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.practice.id.to_string(), i))
        .collect()
}

/// Whether a record passes a search request's filters. The filters on what only provisions
/// have (instrument kind, modality, in force) leave practices out.
pub(crate) fn passes(e: &PracticeEntry, r: &SearchRequest, registry: &Registry) -> bool {
    let p = &e.practice;
    if !r.kinds.is_empty() || !r.modalities.is_empty() || r.in_force.is_some() {
        return false;
    }
    let country_ok = r.countries.is_empty() || r.countries.iter().any(|c| p.involves(c));
    let subsystem_ok = r.subsystems.is_empty()
        || p.states().any(|c| {
            registry
                .get(c)
                .is_some_and(|k| r.subsystems.iter().any(|s| k.in_subsystem(s)))
        });
    let category_ok = r.categories.is_empty() || r.categories.iter().any(|c| p.in_category(c));
    let lang_ok = r.languages.is_empty() || r.languages.contains(&p.language);
    let years_ok = (r.from.is_none() && r.to.is_none())
        || p.year
            .is_some_and(|y| r.from.is_none_or(|f| y >= f) && r.to.is_none_or(|t| y <= t));
    country_ok && subsystem_ok && category_ok && lang_ok && years_ok
}
