//! Operator views of the index root: status, change reports since a generation or a date, and
//! rollback to the previous generation.

use super::generation::{self, GenerationMeta};
use super::manifest::ChangeReport;
use crate::error::{Error, Result};
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub current: Option<String>,
    pub meta: Option<GenerationMeta>,
    /// Generations on disk, oldest first.
    pub generations: Vec<String>,
    /// The last reindex's report (or refusal), as written by it.
    pub last_reindex: Option<serde_json::Value>,
}

pub fn status(root: &Path) -> Result<Status> {
    let current = generation::current(root)?;
    let meta = current
        .as_ref()
        .and_then(|g| generation::read_meta(root, g).ok());
    let last_reindex = std::fs::read_to_string(root.join("last_reindex.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    Ok(Status {
        current,
        meta,
        generations: generation::list(root)?,
        last_reindex,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub since: String,
    /// Change reports of the generations after `since`, oldest first, filtered.
    pub generations: Vec<ChangeReport>,
    /// Set when `since` is older than the generations kept (only the last 3 are kept).
    pub note: Option<String>,
}

/// Change reports of the generations built after `since` (a generation name, or a date
/// `YYYY-MM-DD` / RFC 3339 time), optionally only for one country and/or category.
pub fn changes(
    root: &Path,
    since: &str,
    country: Option<&str>,
    category: Option<&str>,
) -> Result<Changes> {
    let since = since.trim();
    let is_generation = since.starts_with('g')
        && since.len() > 8
        && since[1..].chars().all(|c| c.is_ascii_alphanumeric());
    let is_date = since.len() >= 10
        && since.as_bytes()[4] == b'-'
        && since.as_bytes()[7] == b'-'
        && since[..4].chars().all(|c| c.is_ascii_digit());
    if !is_generation && !is_date {
        return Err(Error::invalid(
            "since",
            format!(
                "'{}' is neither a generation name (g...) nor a date (YYYY-MM-DD)",
                since.chars().take(40).collect::<String>()
            ),
        ));
    }
    let names = generation::list(root)?;
    let mut out = Vec::new();
    for n in &names {
        let Ok(meta) = generation::read_meta(root, n) else {
            continue;
        };
        let newer = if is_generation {
            n.as_str() > since
        } else {
            meta.built_at.as_str() >= since
        };
        if !newer {
            continue;
        }
        let p = generation::dir(root, n).join("changes.json");
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let mut r: ChangeReport = serde_json::from_str(&text)
            .map_err(|e| Error::Data(format!("{}: {e}", p.display())))?;
        filter(&mut r, country, category);
        out.push(r);
    }
    let note = if is_generation
        && !names.iter().any(|n| n == since)
        && names.first().is_some_and(|f| f.as_str() > since)
    {
        Some(format!(
            "generation {since} is no longer kept; reports start at {}",
            names[0]
        ))
    } else {
        None
    };
    Ok(Changes {
        since: since.to_string(),
        generations: out,
        note,
    })
}

fn filter(r: &mut ChangeReport, country: Option<&str>, category: Option<&str>) {
    let keep = |c: &str, cats: &[String]| {
        country.is_none_or(|x| x.eq_ignore_ascii_case(c))
            && category.is_none_or(|k| {
                cats.iter()
                    .any(|x| x == k || x.starts_with(&format!("{k}/")))
            })
    };
    r.added.retain(|x| keep(&x.country, &x.categories));
    r.removed.retain(|x| keep(&x.country, &x.categories));
    r.modified.retain(|x| keep(&x.country, &x.categories));
    r.annotation_changes
        .retain(|x| keep(&x.country, &[x.before.clone(), x.after.clone()].concat()));
    if let Some(c) = country {
        r.by_country.retain(|k, _| k.eq_ignore_ascii_case(c));
    }
    if let Some(k) = category {
        r.by_category
            .retain(|x, _| x == k || x.starts_with(&format!("{k}/")));
    }
}

/// Switches back to the generation before the live one. Returns (from, to).
pub fn rollback(root: &Path) -> Result<(String, String)> {
    let current = generation::current(root)?.ok_or_else(|| {
        Error::NoIndex("nothing is served: no generation to roll back from".into())
    })?;
    let names = generation::list(root)?;
    let pos = names
        .iter()
        .position(|n| *n == current)
        .ok_or_else(|| Error::NoIndex(format!("live generation {current} is not on disk")))?;
    let prev = pos
        .checked_sub(1)
        .map(|i| names[i].clone())
        .ok_or_else(|| Error::NotFound(format!("no generation older than {current} is kept")))?;
    super::build::verify_dir(&generation::dir(root, &prev))?;
    generation::switch(root, &prev)?;
    Ok((current, prev))
}
