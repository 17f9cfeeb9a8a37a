//! Building a generation: parse the corpus and annotate it in parallel (rayon), write a new
//! tantivy index in a `.building-*` directory, verify it, rename it into place and switch the
//! `CURRENT` pointer. A failure at any step leaves the live generation untouched.

use super::generation::{self, GenerationMeta};
use super::schema::Fields;
use super::{analyzer, InstrumentSummary, Record};
use crate::annotate::Annotator;
use crate::corpus::{self, countries::Registry, Corpus};
use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use std::time::Instant;
use tantivy::{doc, Index, TantivyDocument};

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub generation: String,
    pub instruments: usize,
    pub provisions: usize,
    pub rejected: Vec<corpus::Rejected>,
    pub seconds: f64,
    pub index_bytes: u64,
}

/// Instruments as listed by the API: summary plus provision count and twin.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct InstrumentEntry {
    #[serde(flatten)]
    pub summary: InstrumentSummary,
    pub identifier: Option<String>,
    pub publication_date: Option<String>,
    pub file: String,
    pub twin: Option<String>,
    pub provisions: usize,
}

/// Parses, annotates and indexes the corpus into a new generation, then switches to it.
pub fn build(
    corpus_dir: &Path,
    index_root: &Path,
    annotator: &Annotator,
    registry: &Registry,
    progress: &dyn Fn(&str),
) -> Result<BuildReport> {
    let t = Instant::now();
    progress(&format!("reading {}", corpus_dir.display()));
    let corpus = corpus::load(corpus_dir, true)?;
    progress(&format!(
        "{} instruments, {} provisions read; {} rejected; annotating",
        corpus.instruments.len(),
        corpus.provision_count(),
        corpus.rejected.len()
    ));
    if corpus.instruments.is_empty() {
        return Err(Error::Refused(format!(
            "no instrument could be read from {}",
            corpus_dir.display()
        )));
    }
    let name = generation::new_name();
    let report = write_generation(
        &corpus, corpus_dir, index_root, &name, annotator, registry, progress,
    )?;
    generation::switch(index_root, &name)?;
    let pruned = generation::prune(index_root, 3)?;
    if !pruned.is_empty() {
        progress(&format!("pruned old generations: {}", pruned.join(", ")));
    }
    Ok(BuildReport {
        seconds: t.elapsed().as_secs_f64(),
        ..report
    })
}

/// Writes and verifies a generation directory without switching to it.
pub fn write_generation(
    corpus: &Corpus,
    corpus_dir: &Path,
    index_root: &Path,
    name: &str,
    annotator: &Annotator,
    registry: &Registry,
    progress: &dyn Fn(&str),
) -> Result<BuildReport> {
    let t = Instant::now();
    let records: Vec<Record> = corpus
        .provisions()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|(i, p)| Record {
            provision: (*p).clone(),
            instrument: InstrumentSummary::from(*i),
            annotation: annotator.annotate(p),
        })
        .collect();
    let gens = generation::generations_dir(index_root);
    let building = gens.join(format!(".building-{name}"));
    std::fs::create_dir_all(&building).map_err(|e| Error::io(&building, e))?;
    let result = (|| -> Result<()> {
        let index = Index::create_in_dir(&building, Fields::schema())?;
        analyzer::register(&index);
        let f = Fields::from_schema(&index.schema())?;
        // One indexing thread keeps document order (and so doc ids) deterministic.
        let mut writer = index.writer_with_num_threads(1, 200_000_000)?;
        progress(&format!(
            "indexing {} provisions into {name}",
            records.len()
        ));
        for r in &records {
            writer.add_document(document(&f, r, registry)?)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let instruments: Vec<InstrumentEntry> = corpus
            .instruments
            .iter()
            .map(|l| InstrumentEntry {
                summary: InstrumentSummary::from(&l.instrument),
                identifier: l.instrument.identifier.clone(),
                publication_date: l.instrument.publication_date.clone(),
                file: l.instrument.file.clone(),
                twin: l.instrument.twin.clone(),
                provisions: l.provisions.len(),
            })
            .collect();
        let mut countries: Vec<String> = corpus
            .instruments
            .iter()
            .map(|l| l.instrument.country.to_string())
            .collect();
        countries.sort();
        countries.dedup();
        let meta = GenerationMeta {
            generation: name.to_string(),
            built_at: generation::now_rfc3339(),
            corpus: corpus_dir.display().to_string(),
            taxonomy_version: annotator.taxonomy().version.clone(),
            instruments: corpus.instruments.len(),
            provisions: records.len(),
            rejected: corpus.rejected.len(),
            countries,
        };
        write_json(&building.join("generation.json"), &meta)?;
        write_json(&building.join("instruments.json"), &instruments)?;
        verify(&building, records.len())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&building);
        return Err(e);
    }
    let final_dir = generation::dir(index_root, name);
    std::fs::rename(&building, &final_dir).map_err(|e| Error::io(&final_dir, e))?;
    Ok(BuildReport {
        generation: name.to_string(),
        instruments: corpus.instruments.len(),
        provisions: records.len(),
        rejected: corpus.rejected.clone(),
        seconds: t.elapsed().as_secs_f64(),
        index_bytes: dir_size(&final_dir),
    })
}

fn document(f: &Fields, r: &Record, registry: &Registry) -> Result<TantivyDocument> {
    let p = &r.provision;
    let lang = p.language;
    let head = [
        p.heading.clone().unwrap_or_default(),
        p.hierarchy.join("\n"),
        r.instrument.title.clone(),
    ]
    .join("\n");
    let mut d = doc!(
        f.id => p.id.as_str(),
        f.instrument => p.instrument.as_str(),
        f.body(lang) => p.text.as_str(),
        f.head(lang) => head.as_str(),
        f.neutral => format!("{}\n{}\n{}", p.number, head, p.text),
        f.country => r.instrument.country.as_str(),
        f.kind => r.instrument.kind.as_str(),
        f.language => lang.code(),
        f.modality => r.annotation.modality.as_str(),
        f.in_force => if r.instrument.in_force && !p.repealed { "true" } else { "false" },
        f.record => serde_json::to_string(r)?,
    );
    if let Some(y) = r.instrument.year {
        d.add_i64(f.year, y);
    }
    if let Some(c) = registry.get(&r.instrument.country) {
        for s in c.subsystems.iter().chain(&c.associate) {
            d.add_text(f.subsystem, s);
        }
    }
    let mut cats: Vec<String> = r
        .annotation
        .categories()
        .flat_map(|c| c.with_ancestors())
        .map(|c| c.to_string())
        .collect();
    cats.sort();
    cats.dedup();
    for c in cats {
        d.add_text(f.category, c);
    }
    Ok(d)
}

/// Opens a generation directory and checks it holds the expected documents and schema.
pub fn verify(dir: &Path, expected: usize) -> Result<()> {
    let index = Index::open_in_dir(dir)?;
    analyzer::register(&index);
    Fields::from_schema(&index.schema())?;
    let reader = index.reader()?;
    let n = reader.searcher().num_docs() as usize;
    if n != expected {
        return Err(Error::Refused(format!(
            "{} holds {n} documents, expected {expected}",
            dir.display()
        )));
    }
    Ok(())
}

fn write_json<T: Serialize>(path: &Path, v: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(v)?;
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
