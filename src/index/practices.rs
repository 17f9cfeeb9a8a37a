//! Practices in a generation: the published records of the practices folder, each linked to
//! the instruments its legal basis names, written beside the provisions as documents of the
//! same schema (`type` = `practice`) and the same analyzers, in the generation's `practices/`
//! index, with `practices.json` (the records and their links) for display. They are rebuilt in
//! every generation (a few hundred short records), so an added, changed or removed file is
//! served by the next reindex, which lists it in its change report.

use super::build::InstrumentEntry;
use super::schema::Fields;
use super::{analyzer, DOC_PRACTICE};
use crate::corpus::countries::Registry;
use crate::error::{Error, Result};
use crate::practices::link::{self, InstrumentRef};
use crate::practices::{Practice, PracticeId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use tantivy::{doc, Index, TantivyDocument};

/// The practices index inside a generation directory.
pub const DIR: &str = "practices";
/// The records and their links, inside a generation directory.
pub const LIST: &str = "practices.json";

/// Whether a record's legal basis is in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalStatus {
    /// The record names no legal basis.
    None,
    /// It names one and the corpus holds it (`legal_links`).
    Linked,
    /// It names one the corpus does not hold.
    NotInCorpus,
}

/// One instrument a practice's legal basis names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LegalLinkEntry {
    pub instrument: String,
    pub title: String,
    pub country: crate::corpus::model::CountryCode,
    /// The article named with it, as written.
    pub article: Option<String>,
    /// That article's provision, where the index holds it (set when a generation is opened).
    #[serde(default)]
    pub provision: Option<crate::corpus::model::ProvisionId>,
}

/// A served practice: the record and its bridge to the law.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PracticeEntry {
    #[serde(flatten)]
    pub practice: Practice,
    pub legal_status: LegalStatus,
    pub legal_links: Vec<LegalLinkEntry>,
}

/// Links each record to the instruments its legal basis names.
pub fn entries(practices: &[Practice], instruments: &[InstrumentEntry]) -> Vec<PracticeEntry> {
    let refs: Vec<InstrumentRef> = instruments
        .iter()
        .map(|i| InstrumentRef {
            id: &i.summary.id,
            country: &i.summary.country,
            title: &i.summary.title,
        })
        .collect();
    practices
        .iter()
        .map(|p| {
            let states: Vec<_> = p.states().cloned().collect();
            let links: Vec<LegalLinkEntry> = p
                .legal_basis
                .as_deref()
                .map(|lb| link::resolve(lb, &states, &refs))
                .unwrap_or_default()
                .into_iter()
                .filter_map(|l| {
                    let i = instruments.iter().find(|i| i.summary.id == l.instrument)?;
                    Some(LegalLinkEntry {
                        instrument: l.instrument,
                        title: i.summary.title.clone(),
                        country: i.summary.country.clone(),
                        article: l.article,
                        provision: None,
                    })
                })
                .collect();
            let legal_status = match (&p.legal_basis, links.is_empty()) {
                (None, _) => LegalStatus::None,
                (Some(_), true) => LegalStatus::NotInCorpus,
                (Some(_), false) => LegalStatus::Linked,
            };
            PracticeEntry {
                practice: p.clone(),
                legal_status,
                legal_links: links,
            }
        })
        .collect()
}

/// One practice as a document of the schema: the title in its language's fields, the English
/// title and summary in the English ones, every state's code and subsystems, its categories
/// (with their ancestors) and each category once more as a concept term, so that an expanded
/// query meets a practice as it meets a provision tagged with the category.
fn document(f: &Fields, e: &PracticeEntry, registry: &Registry) -> Result<TantivyDocument> {
    let p = &e.practice;
    let en = crate::text::Language::En;
    let mut english = vec![];
    if let Some(t) = &p.title_en {
        english.push(t.as_str());
    }
    english.push(p.summary.as_str());
    if let Some(i) = &p.institution {
        english.push(i.as_str());
    }
    let partners = p.partners.join("\n");
    let mut d = doc!(
        f.id => p.id.as_str(),
        f.instrument => "",
        f.doc_type => DOC_PRACTICE,
        f.kind => p.kind.as_str(),
        f.language => p.language.code(),
        f.neutral => format!("{}\n{}\n{}\n{}", p.title, english.join("\n"), partners, p.legal_basis.as_deref().unwrap_or("")),
        f.record => serde_json::to_string(e)?,
    );
    if p.language == en {
        d.add_text(f.body(en), format!("{}\n{}", p.title, english.join("\n")));
        d.add_text(f.head(en), &p.title);
    } else {
        d.add_text(f.body(p.language), &p.title);
        d.add_text(f.head(p.language), &p.title);
        d.add_text(f.body(en), english.join("\n"));
        if let Some(t) = &p.title_en {
            d.add_text(f.head(en), t);
        }
    }
    if let Some(y) = p.year {
        d.add_i64(f.year, y);
    }
    for c in p.states() {
        d.add_text(f.country, c.as_str());
        super::build::add_subsystems(&mut d, f, registry, c);
    }
    super::build::add_categories(&mut d, f, p.categories.iter());
    for c in &p.categories {
        d.add_text(f.concept, c.as_str());
    }
    Ok(d)
}

/// Writes the practices of a generation into `dir` (the generation being built).
pub fn write(dir: &Path, entries: &[PracticeEntry], registry: &Registry) -> Result<()> {
    if entries.is_empty() {
        // a generation without practices has neither the index nor the list
        return Ok(());
    }
    let idx_dir = dir.join(DIR);
    std::fs::create_dir_all(&idx_dir).map_err(|e| Error::io(&idx_dir, e))?;
    let index = Index::create_in_dir(&idx_dir, Fields::schema())?;
    analyzer::register(&index);
    let f = Fields::from_schema(&index.schema())?;
    let mut writer: tantivy::IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(1, 15_000_000)?;
    for e in entries {
        writer.add_document(document(&f, e, registry)?)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let p = dir.join(LIST);
    let text = serde_json::to_string_pretty(entries)?;
    std::fs::write(&p, text).map_err(|e| Error::io(&p, e))
}

/// The practices a generation serves (`practices.json`); none for a generation without it.
pub fn read_list(dir: &Path) -> Result<Vec<PracticeEntry>> {
    let p = dir.join(LIST);
    if !p.is_file() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Data(format!("{}: {e}", p.display())))
}

/// Checks the practices of a generation being built: the index holds one document per record.
pub fn verify(dir: &Path) -> Result<()> {
    let list = read_list(dir)?;
    let idx_dir = dir.join(DIR);
    if list.is_empty() && !idx_dir.exists() {
        return Ok(());
    }
    let index = Index::open_in_dir(&idx_dir)?;
    let n = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?
        .searcher()
        .num_docs() as usize;
    if n != list.len() {
        return Err(Error::Refused(format!(
            "{} holds {n} practices, expected {}",
            idx_dir.display(),
            list.len()
        )));
    }
    Ok(())
}

/// What changed in the practices between two generations, by id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PracticeChanges {
    pub added: Vec<PracticeId>,
    pub changed: Vec<PracticeId>,
    pub removed: Vec<PracticeId>,
}

impl PracticeChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compares the served records (id to content hash) with the new ones.
pub fn diff(old: &[PracticeEntry], new: &[Practice]) -> PracticeChanges {
    let before: BTreeMap<&PracticeId, &str> = old
        .iter()
        .map(|e| (&e.practice.id, e.practice.hash.as_str()))
        .collect();
    let after: BTreeMap<&PracticeId, &str> = new.iter().map(|p| (&p.id, p.hash.as_str())).collect();
    let mut c = PracticeChanges::default();
    for (id, h) in &after {
        match before.get(id) {
            None => c.added.push((*id).clone()),
            Some(old) if old != h => c.changed.push((*id).clone()),
            _ => {}
        }
    }
    c.removed = before
        .keys()
        .filter(|id| !after.contains_key(*id))
        .map(|id| (*id).clone())
        .collect();
    c
}
