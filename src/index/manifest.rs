//! A generation's manifest (`manifest.json`): for every source file its content hash, its
//! instrument and, per provision, the id, content hash, categories and modality. The next
//! reindex reuses the provisions of files whose hash (and taxonomy key) did not change, and
//! diffs two manifests into the change report.

use crate::error::{Error, Result};
use crate::index::Record;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Bumped when the index schema or the stored record changes: older generations are then
/// rebuilt in full rather than reused.
pub const SCHEMA_VERSION: u32 = 6;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProvEntry {
    pub id: String,
    pub hash: String,
    pub categories: Vec<String>,
    pub modality: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FileEntry {
    pub file_hash: String,
    pub instrument: String,
    pub country: String,
    pub provisions: Vec<ProvEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Manifest {
    pub schema: u32,
    /// Taxonomy version and file hash, and the program version: annotations are reused only
    /// under the same key.
    pub taxonomy_key: String,
    pub files: BTreeMap<String, FileEntry>,
}

impl Manifest {
    pub fn provisions(&self) -> usize {
        self.files.values().map(|f| f.provisions.len()).sum()
    }
    pub fn countries(&self) -> std::collections::BTreeSet<String> {
        self.files.values().map(|f| f.country.clone()).collect()
    }
    pub fn load(dir: &Path) -> Result<Manifest> {
        let p = dir.join("manifest.json");
        let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
        serde_json::from_str(&text).map_err(|e| Error::Data(format!("{}: {e}", p.display())))
    }
}

/// The manifest entry of one file from its records.
pub fn entry(file_hash: &str, instrument: &str, country: &str, records: &[&Record]) -> FileEntry {
    FileEntry {
        file_hash: file_hash.to_string(),
        instrument: instrument.to_string(),
        country: country.to_string(),
        provisions: records
            .iter()
            .map(|r| ProvEntry {
                id: r.provision.id.to_string(),
                hash: r.provision.content_hash.clone(),
                categories: r.annotation.categories().map(|c| c.to_string()).collect(),
                modality: r.annotation.modality.as_str().to_string(),
            })
            .collect(),
    }
}

pub fn taxonomy_key(t: &crate::annotate::taxonomy::Taxonomy) -> String {
    format!(
        "{}:{}:{}:{}:{}",
        t.version,
        t.source_hash,
        env!("CARGO_PKG_VERSION"),
        SCHEMA_VERSION,
        crate::annotate::RULES_VERSION
    )
}

// ---------------------------------------------------------------- change report

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub modified: usize,
    pub annotation_changed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Change {
    pub id: String,
    pub country: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AnnotationChange {
    pub id: String,
    pub country: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub modality_before: String,
    pub modality_after: String,
}

/// What a generation changed relative to the one it replaced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangeReport {
    pub generation: String,
    pub previous: Option<String>,
    pub built_at: String,
    /// Files parsed and annotated for this generation (all of them in a full build).
    pub reparsed_files: Vec<String>,
    pub removed_files: Vec<String>,
    /// Files that could not be read this time and whose previous version was kept.
    pub kept_files: Vec<String>,
    pub added: Vec<Change>,
    pub removed: Vec<Change>,
    /// Same id, different content hash.
    pub modified: Vec<Change>,
    /// Same id, different categories or modality.
    pub annotation_changes: Vec<AnnotationChange>,
    pub by_country: BTreeMap<String, Counts>,
    pub by_category: BTreeMap<String, Counts>,
    /// Practice records added, changed and removed (`index::practices`).
    #[serde(default)]
    pub practices: super::practices::PracticeChanges,
}

/// Diffs two manifests.
pub fn diff(old: Option<&Manifest>, new: &Manifest) -> ChangeReport {
    let index = |m: &Manifest| -> BTreeMap<String, (String, ProvEntry)> {
        m.files
            .values()
            .flat_map(|f| {
                f.provisions
                    .iter()
                    .map(move |p| (p.id.clone(), (f.country.clone(), p.clone())))
            })
            .collect()
    };
    let before = old.map(index).unwrap_or_default();
    let after = index(new);
    let mut r = ChangeReport::default();
    fn bump(r: &mut ChangeReport, country: &str, cats: &[String], f: fn(&mut Counts)) {
        f(r.by_country.entry(country.to_string()).or_default());
        for c in cats {
            f(r.by_category.entry(c.clone()).or_default());
        }
    }
    for (id, (country, p)) in &after {
        match before.get(id) {
            None => {
                r.added.push(Change {
                    id: id.clone(),
                    country: country.clone(),
                    categories: p.categories.clone(),
                });
                bump(&mut r, country, &p.categories, |c| c.added += 1);
            }
            Some((_, old)) => {
                if old.hash != p.hash {
                    r.modified.push(Change {
                        id: id.clone(),
                        country: country.clone(),
                        categories: p.categories.clone(),
                    });
                    bump(&mut r, country, &p.categories, |c| c.modified += 1);
                }
                if old.categories != p.categories || old.modality != p.modality {
                    r.annotation_changes.push(AnnotationChange {
                        id: id.clone(),
                        country: country.clone(),
                        before: old.categories.clone(),
                        after: p.categories.clone(),
                        modality_before: old.modality.clone(),
                        modality_after: p.modality.clone(),
                    });
                    let mut cats: Vec<String> = old
                        .categories
                        .iter()
                        .chain(&p.categories)
                        .cloned()
                        .collect();
                    cats.sort();
                    cats.dedup();
                    bump(&mut r, country, &cats, |c| c.annotation_changed += 1);
                }
            }
        }
    }
    for (id, (country, p)) in &before {
        if !after.contains_key(id) {
            r.removed.push(Change {
                id: id.clone(),
                country: country.clone(),
                categories: p.categories.clone(),
            });
            bump(&mut r, country, &p.categories, |c| c.removed += 1);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(provs: &[(&str, &str, &[&str])]) -> Manifest {
        let mut files = BTreeMap::new();
        files.insert(
            "AR/x.md".to_string(),
            FileEntry {
                file_hash: "h".into(),
                instrument: "ar-x".into(),
                country: "AR".into(),
                provisions: provs
                    .iter()
                    .map(|(id, h, c)| ProvEntry {
                        id: id.to_string(),
                        hash: h.to_string(),
                        categories: c.iter().map(|s| s.to_string()).collect(),
                        modality: "other".into(),
                    })
                    .collect(),
            },
        );
        Manifest {
            schema: SCHEMA_VERSION,
            taxonomy_key: "k".into(),
            files,
        }
    }

    #[test]
    fn diff_lists_exactly_what_changed() {
        let a = m(&[
            ("ar-x:art_1", "1", &["notarial"]),
            ("ar-x:art_2", "2", &[]),
            ("ar-x:art_3", "3", &[]),
        ]);
        let b = m(&[
            ("ar-x:art_1", "1", &["notarial"]),
            ("ar-x:art_2", "2b", &["civil-registry"]),
            ("ar-x:art_4", "4", &[]),
        ]);
        let r = diff(Some(&a), &b);
        assert_eq!(
            r.added.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["ar-x:art_4"]
        );
        assert_eq!(
            r.removed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["ar-x:art_3"]
        );
        assert_eq!(
            r.modified.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["ar-x:art_2"]
        );
        assert_eq!(r.annotation_changes.len(), 1);
        assert_eq!(
            r.by_country["AR"],
            Counts {
                added: 1,
                removed: 1,
                modified: 1,
                annotation_changed: 1
            }
        );
        assert_eq!(r.by_category["civil-registry"].modified, 1);
        assert!(diff(Some(&a), &a).modified.is_empty());
    }
}
