//! Building generations, in full or incrementally, behind one lock:
//!
//! 1. hash every source file; files whose hash and taxonomy key match the live generation's
//!    manifest are reused as they are (their documents are carried over in the copied index);
//! 2. parse and annotate only the other files (in parallel), keeping the previous version of a
//!    file that can no longer be read;
//! 3. write the new generation in `generations/.building-*` (a copy of the live one, with the
//!    changed instruments' documents replaced), with its manifest, instruments and change report;
//! 4. refuse the switch if the result lost too much (fewer than 80% of the provisions, or a
//!    country), unless forced; otherwise verify it (open, count, schema, a few known queries),
//!    rename it into place and switch `CURRENT` atomically. The live generation is never touched.

use super::generation::{self, GenerationMeta};
use super::manifest::{self, ChangeReport, Manifest};
use super::schema::Fields;
use super::{analyzer, practices, InstrumentSummary, Record};
use crate::annotate::Annotator;
use crate::corpus::{self, countries::Registry, Rejected};
use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::{doc, Index, TantivyDocument, Term};

/// Instruments as listed by the API: summary plus provision count and twin.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstrumentEntry {
    #[serde(flatten)]
    pub summary: InstrumentSummary,
    pub identifier: Option<String>,
    pub publication_date: Option<String>,
    pub file: String,
    pub twin: Option<String>,
    pub provisions: usize,
    /// The licence text's file, relative to the corpus root.
    #[serde(default)]
    pub licence_file: Option<String>,
    /// The completeness audit of the file.
    #[serde(default)]
    pub completeness: crate::corpus::audit::Completeness,
}

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    pub corpus: PathBuf,
    pub index_root: PathBuf,
    /// Parse and annotate every file even when the previous generation could be reused.
    pub full: bool,
    /// Switch even when the guards would refuse.
    pub force: bool,
    /// The shared practices folder; `None`: the generation serves no practice.
    pub practices: Option<PathBuf>,
}

/// What a build did (also stored as `index/last_reindex.json`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BuildReport {
    pub generation: String,
    pub previous: Option<String>,
    pub outcome: String,
    pub incremental: bool,
    pub files: usize,
    pub reparsed_files: Vec<String>,
    pub reused_files: usize,
    pub kept_files: Vec<String>,
    pub rejected: Vec<Rejected>,
    pub instruments: usize,
    pub provisions: usize,
    pub added: usize,
    pub removed: usize,
    pub modified: usize,
    pub annotation_changes: usize,
    /// Practice records served, and those skipped (file, line, field, reason).
    #[serde(default)]
    pub practices: usize,
    #[serde(default)]
    pub practices_rejected: Vec<crate::practices::Problem>,
    #[serde(default)]
    pub practice_changes: practices::PracticeChanges,
    pub seconds: f64,
    pub index_bytes: u64,
    pub finished_at: String,
}

/// Builds a full generation and switches to it (first build, `consulex index`).
pub fn build(
    corpus_dir: &Path,
    index_root: &Path,
    annotator: &Annotator,
    registry: &Registry,
    progress: &dyn Fn(&str),
) -> Result<BuildReport> {
    let opts = Options {
        corpus: corpus_dir.to_path_buf(),
        index_root: index_root.to_path_buf(),
        full: true,
        force: true,
        practices: None,
    };
    reindex(&opts, annotator, registry, progress)
}

/// Holds `index/reindex.lock` for the life of a build; the OS releases it if the process dies.
struct Lock(#[allow(dead_code)] File);

fn lock(root: &Path) -> Result<Lock> {
    std::fs::create_dir_all(root).map_err(|e| Error::io(root, e))?;
    let p = root.join("reindex.lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&p)
        .map_err(|e| Error::io(&p, e))?;
    match f.try_lock() {
        Ok(()) => Ok(Lock(f)),
        Err(std::fs::TryLockError::WouldBlock) => {
            Err(Error::Locked(format!("{} is held", p.display())))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&p, e)),
    }
}

/// Test hook for crash tests: with `CONSULEX_REINDEX_PAUSE=<stage>`, the build sleeps at that
/// stage so a test can kill it there. Stages: `hashed`, `parsed`, `written`, `verified`.
fn pause(stage: &str) {
    if std::env::var("CONSULEX_REINDEX_PAUSE").is_ok_and(|s| s == stage) {
        std::thread::sleep(std::time::Duration::from_secs(30));
    }
}

/// Incremental (or full) reindex, as described in the module header.
pub fn reindex(
    opts: &Options,
    annotator: &Annotator,
    registry: &Registry,
    progress: &dyn Fn(&str),
) -> Result<BuildReport> {
    let t0 = Instant::now();
    let _lock = lock(&opts.index_root)?;
    let root = &opts.index_root;
    // Leftovers of a build that was killed: never served, safe to remove under the lock.
    if let Ok(rd) = std::fs::read_dir(generation::generations_dir(root)) {
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with(".building-") {
                progress(&format!(
                    "removing the leftovers of an interrupted build: {}",
                    e.file_name().to_string_lossy()
                ));
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let files = corpus::discover(&opts.corpus)?;
    progress(&format!(
        "hashing {} files under {}",
        files.len(),
        opts.corpus.display()
    ));
    let hashes: Vec<std::result::Result<String, String>> = files
        .par_iter()
        .map(|f| {
            std::fs::read(&f.path)
                .map(|b| crate::corpus::model::bytes_hash(&b))
                .map_err(|e| e.to_string())
        })
        .collect();
    pause("hashed");

    let key = manifest::taxonomy_key(annotator.taxonomy());
    let previous = generation::current(root)?;
    // Practices are read whole each time (they are few); only published ones are served.
    let read_practices = match &opts.practices {
        Some(d) => {
            progress(&format!("reading practices under {}", d.display()));
            crate::practices::load_dir(d, registry, annotator.taxonomy())?
        }
        None => crate::practices::Practices::default(),
    };
    let published: Vec<crate::practices::Practice> = read_practices.published().cloned().collect();
    let served_practices = match &previous {
        Some(g) => practices::read_list(&generation::dir(root, g)).unwrap_or_default(),
        None => Vec::new(),
    };
    let practice_changes = practices::diff(&served_practices, &published);
    let prev_manifest = previous
        .as_ref()
        .and_then(|g| Manifest::load(&generation::dir(root, g)).ok());
    let reusable = prev_manifest
        .as_ref()
        .filter(|m| !opts.full && m.taxonomy_key == key && m.schema == manifest::SCHEMA_VERSION);

    // What must be parsed: new or changed files, and the Canadian twins of changed files (so
    // that section twins are linked again).
    let mut changed: BTreeSet<String> = BTreeSet::new();
    for (f, h) in files.iter().zip(&hashes) {
        let same = match (reusable.and_then(|m| m.files.get(&f.rel)), h) {
            (Some(e), Ok(h)) => &e.file_hash == h,
            _ => false,
        };
        if !same {
            changed.insert(f.rel.clone());
        }
    }
    let twin_keys: BTreeSet<String> = changed
        .iter()
        .filter_map(|r| corpus::canada_twin_key(r))
        .collect();
    for f in &files {
        if corpus::canada_twin_key(&f.rel).is_some_and(|k| twin_keys.contains(&k)) {
            changed.insert(f.rel.clone());
        }
    }
    let gone = reusable.is_some_and(|m| m.files.keys().any(|k| !files.iter().any(|f| &f.rel == k)));
    if let (Some(g), true, false) = (
        previous.as_ref(),
        reusable.is_some() && changed.is_empty() && practice_changes.is_empty(),
        gone,
    ) {
        // Nothing changed: no new generation, so the kept history is not pushed out by no-ops.
        let report = BuildReport {
            generation: g.clone(),
            previous: Some(g.clone()),
            outcome: "up_to_date".into(),
            incremental: true,
            files: files.len(),
            reparsed_files: vec![],
            reused_files: files.len(),
            kept_files: vec![],
            rejected: vec![],
            instruments: files.len(),
            provisions: reusable.map_or(0, |m| m.provisions()),
            added: 0,
            removed: 0,
            modified: 0,
            annotation_changes: 0,
            practices: published.len(),
            practices_rejected: read_practices.rejected.clone(),
            practice_changes: practice_changes.clone(),
            seconds: t0.elapsed().as_secs_f64(),
            index_bytes: dir_size(&generation::dir(root, g)),
            finished_at: generation::now_rfc3339(),
        };
        write_json(&root.join("last_reindex.json"), &report)?;
        progress(&format!("nothing changed: still serving {g}"));
        return Ok(report);
    }
    let to_read: Vec<corpus::SourceFile> = files
        .iter()
        .filter(|f| changed.contains(&f.rel))
        .cloned()
        .collect();
    progress(&format!(
        "{} of {} files to parse and annotate",
        to_read.len(),
        files.len()
    ));
    let loaded = corpus::load_files(&opts.corpus, &to_read, true)?;
    // Instruments are annotated whole: a provision's instrument is part of its context.
    let records: Vec<Record> = loaded
        .instruments
        .par_iter()
        .flat_map_iter(|l| {
            let summary = InstrumentSummary::from(&l.instrument);
            l.provisions
                .iter()
                .zip(annotator.annotate_instrument(&l.provisions, &l.instrument.title))
                .map(move |(p, annotation)| Record {
                    provision: p.clone(),
                    instrument: summary.clone(),
                    annotation,
                })
        })
        .collect();
    pause("parsed");

    // The new manifest: reused entries, new entries, and previous versions of unreadable files.
    let present: BTreeSet<&String> = files.iter().map(|f| &f.rel).collect();
    let mut new_manifest = Manifest {
        schema: manifest::SCHEMA_VERSION,
        taxonomy_key: key.clone(),
        files: BTreeMap::new(),
    };
    let mut kept_files = Vec::new();
    if let Some(m) = reusable {
        for (rel, e) in &m.files {
            if present.contains(rel) && !changed.contains(rel) {
                new_manifest.files.insert(rel.clone(), e.clone());
            }
        }
        for rej in &loaded.rejected {
            if let Some(e) = m.files.get(&rej.file) {
                new_manifest.files.insert(rej.file.clone(), e.clone());
                kept_files.push(rej.file.clone());
            }
        }
    }
    for l in &loaded.instruments {
        let recs: Vec<&Record> = records
            .iter()
            .filter(|r| r.provision.instrument == l.instrument.id)
            .collect();
        new_manifest.files.insert(
            l.instrument.file.clone(),
            manifest::entry(
                &l.instrument.file_hash,
                &l.instrument.id,
                l.instrument.country.as_str(),
                &recs,
            ),
        );
    }
    if new_manifest.files.is_empty() {
        return Err(Error::Refused(format!(
            "no instrument could be read from {}",
            opts.corpus.display()
        )));
    }

    // Guards against a bad night.
    if let (Some(old), false) = (prev_manifest.as_ref(), opts.force) {
        let (before, after) = (old.provisions(), new_manifest.provisions());
        if (after as f64) < 0.8 * before as f64 {
            let r = refuse(root, previous.clone(), &format!("the new generation would have {after} provisions, fewer than 80% of the {before} served now"));
            return Err(r);
        }
        let lost: Vec<String> = old
            .countries()
            .difference(&new_manifest.countries())
            .cloned()
            .collect();
        if !lost.is_empty() {
            return Err(refuse(
                root,
                previous.clone(),
                &format!("countries would disappear: {}", lost.join(", ")),
            ));
        }
    }

    let name = generation::new_name();
    let mut changes = manifest::diff(prev_manifest.as_ref(), &new_manifest);
    changes.generation = name.clone();
    changes.previous = previous.clone();
    changes.built_at = generation::now_rfc3339();
    changes.reparsed_files = loaded
        .instruments
        .iter()
        .map(|l| l.instrument.file.clone())
        .collect();
    changes.removed_files = reusable
        .map(|m| {
            m.files
                .keys()
                .filter(|k| !present.contains(k))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    changes.kept_files = kept_files.clone();
    changes.practices = practice_changes.clone();

    let base = reusable
        .and(previous.as_ref())
        .map(|g| generation::dir(root, g));
    progress(&format!(
        "writing generation {name} ({})",
        if base.is_some() {
            "incremental"
        } else {
            "full"
        }
    ));
    let building = generation::generations_dir(root).join(format!(".building-{name}"));
    let result = write(
        &building,
        base.as_deref(),
        reusable,
        &new_manifest,
        &records,
        &loaded,
        registry,
        &changes,
        &opts.corpus,
        annotator,
        &published,
    );
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&building);
        return Err(e);
    }
    pause("written");
    if let Err(e) = verify(
        &building,
        new_manifest.provisions(),
        &new_manifest.countries(),
    )
    .and_then(|_| practices::verify(&building))
    {
        let _ = std::fs::remove_dir_all(&building);
        return Err(refuse(
            root,
            previous.clone(),
            &format!("verification failed: {e}"),
        ));
    }
    pause("verified");
    let final_dir = generation::dir(root, &name);
    std::fs::rename(&building, &final_dir).map_err(|e| Error::io(&final_dir, e))?;
    generation::switch(root, &name)?;
    let pruned = generation::prune(root, 3)?;
    if !pruned.is_empty() {
        progress(&format!("pruned old generations: {}", pruned.join(", ")));
    }
    let report = BuildReport {
        generation: name,
        previous,
        outcome: if loaded.rejected.is_empty() {
            "switched".into()
        } else {
            "switched_with_rejected_files".into()
        },
        incremental: base.is_some(),
        files: files.len(),
        reparsed_files: changes.reparsed_files.clone(),
        reused_files: new_manifest.files.len() - loaded.instruments.len() - kept_files.len(),
        kept_files,
        rejected: loaded.rejected.clone(),
        instruments: new_manifest.files.len(),
        provisions: new_manifest.provisions(),
        added: changes.added.len(),
        removed: changes.removed.len(),
        modified: changes.modified.len(),
        annotation_changes: changes.annotation_changes.len(),
        practices: published.len(),
        practices_rejected: read_practices.rejected.clone(),
        practice_changes,
        seconds: t0.elapsed().as_secs_f64(),
        index_bytes: dir_size(&final_dir),
        finished_at: generation::now_rfc3339(),
    };
    write_json(&root.join("last_reindex.json"), &report)?;
    Ok(report)
}

/// Records a refused switch as the last outcome and returns the error.
fn refuse(root: &Path, previous: Option<String>, why: &str) -> Error {
    let report = serde_json::json!({"outcome": "refused", "reason": why, "previous": previous, "finished_at": generation::now_rfc3339()});
    let _ = std::fs::write(root.join("last_reindex.json"), report.to_string());
    Error::Refused(format!(
        "{why}; still serving {} (use --force to switch anyway)",
        previous.as_deref().unwrap_or("nothing")
    ))
}

#[allow(clippy::too_many_arguments)]
fn write(
    dir: &Path,
    base: Option<&Path>,
    reused: Option<&Manifest>,
    manifest: &Manifest,
    records: &[Record],
    loaded: &corpus::Corpus,
    registry: &Registry,
    changes: &ChangeReport,
    corpus_dir: &Path,
    annotator: &Annotator,
    published: &[crate::practices::Practice],
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let index = match base {
        Some(b) => {
            // A copy of the live generation's files; the live directory is only read.
            for e in std::fs::read_dir(b).map_err(|e| Error::io(b, e))?.flatten() {
                let p = e.path();
                if p.is_file() {
                    let to = dir.join(e.file_name());
                    std::fs::copy(&p, &to).map_err(|e| Error::io(&to, e))?;
                }
            }
            Index::open_in_dir(dir)?
        }
        None => Index::create_in_dir(dir, Fields::schema())?,
    };
    analyzer::register(&index);
    let f = Fields::from_schema(&index.schema())?;
    // One indexing thread keeps document order (and so doc ids) deterministic.
    let mut writer: tantivy::IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(1, 100_000_000)?;
    if let Some(m) = reused {
        // Replace the documents of every instrument read again, and drop those of removed files.
        let reread: BTreeSet<&String> = loaded
            .instruments
            .iter()
            .map(|l| &l.instrument.file)
            .collect();
        for (rel, e) in &m.files {
            if reread.contains(rel) || !manifest.files.contains_key(rel) {
                writer.delete_term(Term::from_field_text(f.instrument, &e.instrument));
            }
        }
    }
    for r in records {
        writer.add_document(document(&f, r, registry)?)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;

    // instruments.json: reused entries from the base, new ones from what was read.
    let mut instruments: BTreeMap<String, InstrumentEntry> = BTreeMap::new();
    if let Some(b) = base {
        let p = b.join("instruments.json");
        let prev: Vec<InstrumentEntry> =
            serde_json::from_str(&std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?)?;
        let keep: BTreeSet<&String> = manifest.files.values().map(|e| &e.instrument).collect();
        let fresh: BTreeSet<&String> = loaded
            .instruments
            .iter()
            .map(|l| &l.instrument.id)
            .collect();
        for i in prev {
            if keep.contains(&i.summary.id) && !fresh.contains(&i.summary.id) {
                instruments.insert(i.summary.id.clone(), i);
            }
        }
    }
    for l in &loaded.instruments {
        instruments.insert(
            l.instrument.id.clone(),
            InstrumentEntry {
                summary: InstrumentSummary::from(&l.instrument),
                identifier: l.instrument.identifier.clone(),
                publication_date: l.instrument.publication_date.clone(),
                file: l.instrument.file.clone(),
                twin: l.instrument.twin.clone(),
                provisions: l.provisions.len(),
                completeness: l.instrument.completeness.clone(),
                licence_file: l.instrument.licence_file.clone(),
            },
        );
    }
    let instruments: Vec<InstrumentEntry> = instruments.into_values().collect();
    let meta = GenerationMeta {
        generation: changes.generation.clone(),
        built_at: changes.built_at.clone(),
        corpus: corpus_dir.display().to_string(),
        taxonomy_version: annotator.taxonomy().version.clone(),
        instruments: instruments.len(),
        provisions: manifest.provisions(),
        rejected: loaded.rejected.len(),
        countries: manifest.countries().into_iter().collect(),
    };
    write_json(&dir.join("generation.json"), &meta)?;
    write_json(&dir.join("instruments.json"), &instruments)?;
    practices::write(dir, &practices::entries(published, &instruments), registry)?;
    write_json(&dir.join("manifest.json"), manifest)?;
    write_json(&dir.join("changes.json"), changes)?;
    Ok(())
}

/// A descriptor repeated more often than this adds nothing to a provision's concept count.
const MAX_CONCEPT_REPEAT: usize = 3;

pub(crate) fn document(f: &Fields, r: &Record, registry: &Registry) -> Result<TantivyDocument> {
    let p = &r.provision;
    let lang = p.language;
    let head = [
        p.heading.clone().unwrap_or_default(),
        p.hierarchy.join("\n"),
    ]
    .join("\n");
    let mut d = doc!(
        f.id => p.id.as_str(),
        f.doc_type => super::DOC_PROVISION,
        f.instrument => p.instrument.as_str(),
        f.body(lang) => p.text.as_str(),
        f.head(lang) => head.as_str(),
        f.neutral => format!("{}\n{}\n{}\n{}", p.number, head, r.instrument.title, p.text),
        f.country => r.instrument.country.as_str(),
        f.kind => r.instrument.kind.as_str(),
        f.language => lang.code(),
        f.modality => r.annotation.modality.as_str(),
        f.role => r.annotation.role.role.as_str(),
        f.in_force => if r.instrument.in_force && p.is_operative() { "true" } else { "false" },
        f.record => serde_json::to_string(r)?,
    );
    if let Some(y) = r.instrument.year {
        d.add_i64(f.year, y);
    }
    add_subsystems(&mut d, f, registry, &r.instrument.country);
    add_categories(&mut d, f, r.annotation.categories());
    for t in &r.annotation.tags {
        let strong: usize = t
            .evidence
            .iter()
            .filter(|e| e.weight >= crate::annotate::taxonomy::STRONG_WEIGHT)
            .map(|e| e.count.min(MAX_CONCEPT_REPEAT))
            .sum();
        for _ in 0..strong {
            d.add_text(f.concept, t.category.as_str());
        }
    }
    Ok(d)
}

/// A country's integration subsystems as `subsystem` terms (provisions and practices alike).
pub(crate) fn add_subsystems(
    d: &mut TantivyDocument,
    f: &Fields,
    registry: &Registry,
    c: &crate::corpus::model::CountryCode,
) {
    if let Some(c) = registry.get(c) {
        for s in c.subsystems.iter().chain(&c.associate) {
            d.add_text(f.subsystem, s);
        }
    }
}

/// Leaf categories and their ancestors, each once, as `category` terms.
pub(crate) fn add_categories<'a>(
    d: &mut TantivyDocument,
    f: &Fields,
    leaves: impl Iterator<Item = &'a crate::annotate::taxonomy::CategoryId>,
) {
    let mut cats: Vec<String> = leaves
        .flat_map(|c| c.with_ancestors())
        .map(|c| c.to_string())
        .collect();
    cats.sort();
    cats.dedup();
    for c in cats {
        d.add_text(f.category, c);
    }
}

/// Opens a generation directory and checks it: schema, document count, every country present,
/// and a few known queries answer.
pub fn verify(dir: &Path, expected: usize, countries: &BTreeSet<String>) -> Result<()> {
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    let index = Index::open_in_dir(dir)?;
    analyzer::register(&index);
    let f = Fields::from_schema(&index.schema())?;
    // A manual reader: the default one watches meta.json from a thread, and when the directory
    // is renamed into place right after this check, that thread's next look finds it gone
    // and tries to reload under a lock file in a folder that no longer exists (tantivy logs
    // `LockFailure(IoError(NotFound))` on the first build).
    let searcher = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?
        .searcher();
    let n = searcher.num_docs() as usize;
    if n != expected {
        return Err(Error::Refused(format!(
            "{} holds {n} documents, expected {expected}",
            dir.display()
        )));
    }
    for c in countries {
        let q = TermQuery::new(
            Term::from_field_text(f.country, c),
            IndexRecordOption::Basic,
        );
        if searcher.search(&q, &Count)? == 0 {
            return Err(Error::Refused(format!("country {c} has no documents")));
        }
    }
    // known queries: in every language the index holds, the consular vocabulary is found
    for (lang, word) in [
        (crate::corpus::model::Language::Es, "consular"),
        (crate::corpus::model::Language::En, "consular"),
        (crate::corpus::model::Language::Fr, "consulaire"),
        (crate::corpus::model::Language::Pt, "consular"),
    ] {
        let docs = searcher.search(
            &TermQuery::new(
                Term::from_field_text(f.language, lang.code()),
                IndexRecordOption::Basic,
            ),
            &Count,
        )?;
        if docs < 50 {
            continue; // too few texts in this language to expect the word
        }
        let stem = crate::text::analyse_word(word, lang);
        let q = TermQuery::new(
            Term::from_field_text(f.body(lang), &stem),
            IndexRecordOption::Basic,
        );
        if searcher.search(&q, &Count)? == 0 {
            return Err(Error::Refused(format!(
                "the known query '{word}' ({lang}) finds nothing among {docs} provisions"
            )));
        }
    }
    Ok(())
}

/// Verifies a generation directory against its own metadata (used before a rollback).
pub fn verify_dir(dir: &Path) -> Result<()> {
    let p = dir.join("generation.json");
    let meta: GenerationMeta =
        serde_json::from_str(&std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?)?;
    verify(dir, meta.provisions, &meta.countries.into_iter().collect())
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
