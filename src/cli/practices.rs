//! `practices list | approve | reject`: the secretariat's review of submitted practices. The
//! moves themselves are `practices::submit`'s; these commands find the folders in the
//! configuration and print what happened and what to do next.

use super::args::{PracticesApproveArgs, PracticesListArgs, PracticesRejectArgs, SubmissionPaths};
use crate::annotate::taxonomy::Taxonomy;
use crate::config::Config;
use crate::corpus::countries::Registry;
use crate::error::{Error, Result};
use crate::practices::submit::{self, Folders};
use crate::practices::Practices;

/// The submissions and practices folders of the configuration, the flag first.
fn folders(cfg: &Config, p: &SubmissionPaths) -> Result<Folders> {
    let practices = cfg.practices.clone().ok_or_else(|| {
        Error::Config(
            cfg.practices_note
                .clone()
                .unwrap_or_else(|| "no practices folder configured".into()),
        )
    })?;
    Ok(Folders {
        submissions: p
            .submissions
            .clone()
            .unwrap_or_else(|| cfg.submissions.clone()),
        practices,
    })
}

fn data(cfg: &Config) -> Result<(Registry, Taxonomy)> {
    Ok((
        Registry::load(&cfg.countries)?,
        Taxonomy::load(&cfg.taxonomy)?,
    ))
}

/// `practices list [--pending]`: exit 1 when a file of the folder does not read as a record.
pub fn list(cfg: &Config, a: &PracticesListArgs) -> Result<i32> {
    let f = folders(cfg, &a.paths)?;
    let (registry, taxonomy) = data(cfg)?;
    let (dir, held): (&std::path::Path, Practices) = if a.pending {
        (&f.submissions, submit::pending(&f, &registry, &taxonomy)?)
    } else {
        (
            &f.practices,
            crate::practices::load_dir(&f.practices, &registry, &taxonomy)?,
        )
    };
    if a.json {
        let rows: Vec<_> = held
            .records
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id, "country": p.country, "countries": p.countries,
                    "title": p.title, "kind": p.kind, "categories": p.categories,
                    "status": p.status, "file": dir.join(&p.file).display().to_string(),
                })
            })
            .collect();
        let problems: Vec<String> = held.rejected.iter().map(|p| p.to_string()).collect();
        let doc = serde_json::json!({"folder": dir.display().to_string(), "records": rows, "problems": problems});
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        let what = if a.pending {
            "pending submissions"
        } else {
            "practices"
        };
        println!("{} {what} in {}", held.records.len(), dir.display());
        for p in &held.records {
            let who = super::print::who(p.country.as_ref(), &p.countries);
            println!(
                "  {:<60} {:<8} {:<10} {}",
                p.id.as_str(),
                who,
                p.kind.as_str(),
                p.display_title()
            );
        }
        for r in &held.rejected {
            println!("PROBLEM {r}");
        }
        if a.pending && !held.records.is_empty() {
            println!(
                "review each, then `consulex practices approve ID` or `consulex practices reject ID --reason TEXT`"
            );
        }
    }
    Ok(if held.rejected.is_empty() { 0 } else { 1 })
}

/// `practices approve ID`.
pub fn approve(cfg: &Config, a: &PracticesApproveArgs) -> Result<i32> {
    let f = folders(cfg, &a.paths)?;
    let (registry, taxonomy) = data(cfg)?;
    let to = submit::approve(&f, &a.id, &registry, &taxonomy)?;
    println!(
        "published {} as {}; run `consulex reindex` to serve it",
        a.id,
        to.display()
    );
    Ok(0)
}

/// `practices reject ID --reason TEXT`.
pub fn reject(cfg: &Config, a: &PracticesRejectArgs) -> Result<i32> {
    let f = folders(cfg, &a.paths)?;
    let to = submit::reject(&f, &a.id, &a.reason)?;
    println!("rejected {}: moved to {}", a.id, to.display());
    Ok(0)
}
