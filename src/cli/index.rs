//! The commands on index generations: `index` (full build), `reindex` (incremental), `status`,
//! `changes` and `rollback`. Building and switching are `index::build` and `index::ops`; these
//! only gather the configuration and print the reports.

use super::args::{ChangesArgs, IndexArgs, ReindexArgs, StatusArgs};
use super::{annotator, print, progress};
use crate::config::Config;
use crate::corpus::countries::Registry;
use crate::index::{build, ops};

/// Parses, annotates and indexes the whole corpus into a new live generation (also what
/// `serve` does when there is no usable index).
pub fn build_index(cfg: &Config) -> crate::Result<build::BuildReport> {
    let ann = annotator(cfg)?;
    let registry = Registry::load(&cfg.countries)?;
    let opts = build::Options {
        corpus: cfg.corpus.clone(),
        index_root: cfg.index.clone(),
        full: true,
        force: true,
        practices: cfg.practices.clone(),
    };
    build::reindex(&opts, &ann, &registry, &progress)
}

/// Exit 1 when the build switched but some files or practice records were rejected.
fn rejected_code(r: &build::BuildReport) -> i32 {
    if r.rejected.is_empty() && r.practices_rejected.is_empty() {
        0
    } else {
        1
    }
}

/// `index`.
pub fn index(cfg: &Config, a: &IndexArgs) -> crate::Result<i32> {
    let r = build_index(cfg)?;
    print::either(a.json, &r, |r| print::build_report(r, &cfg.index))?;
    Ok(rejected_code(&r))
}

/// `reindex`; a refused switch (3) and a held lock (4) come back as errors.
pub fn reindex(cfg: &Config, a: &ReindexArgs) -> crate::Result<i32> {
    let ann = annotator(cfg)?;
    let registry = Registry::load(&cfg.countries)?;
    let opts = build::Options {
        corpus: cfg.corpus.clone(),
        index_root: cfg.index.clone(),
        full: a.full,
        force: a.force,
        practices: cfg.practices.clone(),
    };
    let r = build::reindex(&opts, &ann, &registry, &progress)?;
    print::either(a.json, &r, print::reindex_report)?;
    Ok(rejected_code(&r))
}

/// `status`.
pub fn status(cfg: &Config, a: &StatusArgs) -> crate::Result<i32> {
    let st = ops::status(&cfg.index)?;
    print::either(a.json, &st, |st| print::status(st, &cfg.index))?;
    Ok(0)
}

/// `changes`: since the given generation or date, by default since the generation before the
/// newest one (or since ever when there is only one).
pub fn changes(cfg: &Config, a: &ChangesArgs) -> crate::Result<i32> {
    let since = match &a.since {
        Some(s) => s.clone(),
        None => {
            let st = ops::status(&cfg.index)?;
            let n = st.generations.len();
            if n >= 2 {
                st.generations[n - 2].clone()
            } else {
                "1970-01-01".to_string()
            }
        }
    };
    let ch = ops::changes(
        &cfg.index,
        &since,
        a.country.as_deref(),
        a.category.as_deref(),
    )?;
    print::either(a.json, &ch, print::changes)?;
    Ok(0)
}

/// `rollback`.
pub fn rollback(cfg: &Config) -> crate::Result<i32> {
    let (from, to) = ops::rollback(&cfg.index)?;
    println!("rolled back from {from} to {to}; a running server follows within seconds");
    Ok(0)
}
