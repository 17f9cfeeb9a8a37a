//! Generation directories under the index root and the `CURRENT` pointer:
//!
//! ```text
//! index/CURRENT                    name of the live generation (replaced atomically)
//! index/generations/<name>/        tantivy files, generation.json, instruments.json
//! index/generations/.building-*    a build in progress (never served, removed on failure)
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Facts about a generation, stored beside it as `generation.json` (tantivy owns `meta.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct GenerationMeta {
    pub generation: String,
    /// Build time, RFC 3339 UTC.
    pub built_at: String,
    pub corpus: String,
    pub taxonomy_version: String,
    pub instruments: usize,
    pub provisions: usize,
    pub rejected: usize,
    pub countries: Vec<String>,
}

pub fn generations_dir(root: &Path) -> PathBuf {
    root.join("generations")
}

pub fn dir(root: &Path, name: &str) -> PathBuf {
    generations_dir(root).join(name)
}

/// The live generation's name, if any.
pub fn current(root: &Path) -> Result<Option<String>> {
    let p = root.join("CURRENT");
    match std::fs::read_to_string(&p) {
        Ok(s) => {
            let name = s.trim().to_string();
            if name.is_empty() || name.contains('/') || name.starts_with('.') {
                return Err(Error::NoIndex(format!(
                    "{} holds an invalid generation name",
                    p.display()
                )));
            }
            Ok(Some(name))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(&p, e)),
    }
}

/// Points `CURRENT` at a generation: temp file, fsync, rename, fsync the directory.
pub fn switch(root: &Path, name: &str) -> Result<()> {
    let tmp = root.join("CURRENT.tmp");
    let target = root.join("CURRENT");
    {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(format!("{name}\n").as_bytes())
            .map_err(|e| Error::io(&tmp, e))?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
    }
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    if let Ok(d) = std::fs::File::open(root) {
        let _ = d.sync_all();
    }
    Ok(())
}

pub fn read_meta(root: &Path, name: &str) -> Result<GenerationMeta> {
    let p = dir(root, name).join("generation.json");
    let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Data(format!("{}: {e}", p.display())))
}

/// Generation names, oldest first (names sort by build time).
pub fn list(root: &Path) -> Result<Vec<String>> {
    let d = generations_dir(root);
    let Ok(rd) = std::fs::read_dir(&d) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<String> = rd
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('g'))
        .collect();
    names.sort();
    Ok(names)
}

/// Removes all but the newest `keep` generations, never the live one.
pub fn prune(root: &Path, keep: usize) -> Result<Vec<String>> {
    let live = current(root)?;
    let names = list(root)?;
    let mut removed = Vec::new();
    let excess = names.len().saturating_sub(keep);
    for n in names.into_iter().take(excess) {
        if Some(&n) == live.as_ref() {
            continue;
        }
        let p = dir(root, &n);
        std::fs::remove_dir_all(&p).map_err(|e| Error::io(&p, e))?;
        removed.push(n);
    }
    Ok(removed)
}

/// A new, sortable generation name: `g` + UTC timestamp + milliseconds.
pub fn new_name() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (date, time) = civil(now.as_secs() as i64);
    format!(
        "g{}T{}{:03}",
        date.replace('-', ""),
        time.replace(':', ""),
        now.subsec_millis()
    )
}

/// RFC 3339 UTC for now.
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (date, time) = civil(now.as_secs() as i64);
    format!("{date}T{time}Z")
}

/// Seconds since the epoch to (YYYY-MM-DD, HH:MM:SS), proleptic Gregorian (Hinnant's algorithm).
fn civil(secs: i64) -> (String, String) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60),
    )
}

/// Opens the tantivy index in `dir` for reading: the analyzers registered, the schema's fields
/// found, a reader with the manual reload policy (a generation never changes).
pub fn open_reader(
    dir: &Path,
) -> crate::error::Result<(super::schema::Fields, tantivy::IndexReader)> {
    let index = tantivy::Index::open_in_dir(dir)?;
    super::analyzer::register(&index);
    let fields = super::schema::Fields::from_schema(&index.schema())?;
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    Ok((fields, reader))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), ("1970-01-01".into(), "00:00:00".into()));
        assert_eq!(
            civil(1_795_000_000),
            ("2026-11-18".into(), "11:06:40".into())
        );
    }

    #[test]
    fn switch_and_prune() {
        let d = tempfile::tempdir().unwrap();
        for n in ["g1", "g2", "g3", "g4"] {
            std::fs::create_dir_all(dir(d.path(), n)).unwrap();
        }
        assert_eq!(current(d.path()).unwrap(), None);
        switch(d.path(), "g1").unwrap();
        assert_eq!(current(d.path()).unwrap().as_deref(), Some("g1"));
        // the live generation survives pruning even when old
        assert_eq!(prune(d.path(), 2).unwrap(), vec!["g2".to_string()]);
        assert_eq!(list(d.path()).unwrap(), vec!["g1", "g3", "g4"]);
    }
}
