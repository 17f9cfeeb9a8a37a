//! The commands on the corpus itself, without an index: `check` (read every file and every
//! practice record, report instruments, records and rejected files) and `annotate` (one file's provisions with their tags).

use super::args::{AnnotateArgs, CheckArgs};
use super::{annotator, print};
use crate::config::Config;
use crate::corpus;
use std::time::Instant;

/// `check`: exit 0 when every file was read, 1 when some were rejected.
pub fn check(cfg: &Config, a: &CheckArgs) -> crate::Result<i32> {
    // The registry is the project's own data: a broken one is a usage error, reported first.
    let registry = corpus::countries::Registry::load(&cfg.countries)?;
    let list = a.list.as_deref();
    let t = Instant::now();
    let c = corpus::load(&cfg.corpus, !a.single_thread)?;
    let secs = t.elapsed().as_secs_f64();
    let practices = match &cfg.practices {
        Some(dir) => {
            let tax = crate::annotate::taxonomy::Taxonomy::load(&cfg.taxonomy)?;
            Some(crate::practices::load_dir(dir, &registry, &tax)?)
        }
        None => None,
    };
    let rejected_practices = practices.as_ref().is_some_and(|p| !p.rejected.is_empty());
    let code = if c.rejected.is_empty() && !rejected_practices {
        0
    } else {
        1
    };
    if !a.json {
        print::check(&c, &registry, &cfg.countries, list, secs);
        match (&practices, &cfg.practices) {
            (Some(p), Some(dir)) => print::check_practices(p, dir),
            _ => println!(
                "{}",
                cfg.practices_note.as_deref().unwrap_or("no practices read")
            ),
        }
        return Ok(code);
    }
    let doc = serde_json::json!({
        "corpus": cfg.corpus.display().to_string(),
        "instruments": c.instruments.iter().map(|l| serde_json::json!({
            "id": l.instrument.id,
            "file": l.instrument.file,
            "country": l.instrument.country,
            "language": l.instrument.language,
            "kind": l.instrument.kind,
            "title": l.instrument.title,
            "provisions": l.provisions.len(),
            "twin": l.instrument.twin,
            "completeness": l.instrument.completeness,
            "warnings": l.warnings,
            "provision_list": list.filter(|f| l.instrument.file.contains(f)).map(|_| &l.provisions),
        })).collect::<Vec<_>>(),
        "rejected": c.rejected,
        "summary": {
            "instruments": c.instruments.len(),
            "provisions": c.provision_count(),
            "rejected": c.rejected.len(),
            "partial": c.instruments.iter().filter(|l| l.instrument.completeness.is_partial()).count(),
            "bytes": c.bytes(),
            "seconds": secs,
        },
        "practices": practices.as_ref().map(|p| serde_json::json!({
            "folder": cfg.practices.as_ref().map(|d| d.display().to_string()),
            "files": p.files,
            "records": p.records.iter().map(|r| serde_json::json!({
                "id": r.id, "file": r.file, "country": r.country, "kind": r.kind,
                "status": r.status, "categories": r.categories,
            })).collect::<Vec<_>>(),
            "rejected": p.rejected,
        })),
    });
    print::json(&doc)?;
    Ok(code)
}

/// `annotate FILE`: exit 1 (with the REJECTED line on stderr) when the file cannot be read.
pub fn annotate(cfg: &Config, a: &AnnotateArgs) -> crate::Result<i32> {
    let ann = annotator(cfg)?;
    let src = corpus_file(cfg, &a.file)?;
    let loaded = match corpus::read_file(&src, &Default::default()) {
        Ok(l) => l,
        Err(r) => {
            eprintln!("{}", print::rejected(&r));
            return Ok(1);
        }
    };
    // Annotated within the instrument, as the index build does (its main subject counts).
    let items: Vec<_> = loaded
        .provisions
        .iter()
        .zip(ann.annotate_instrument(&loaded.provisions, &loaded.instrument.title))
        .map(|(p, ann_p)| {
            let untagged: Vec<_> = if a.explain {
                ann.explain(p, &loaded.instrument.title)
                    .into_iter()
                    .filter(|c| !ann_p.categories().any(|t| *t == c.category))
                    .collect()
            } else {
                Vec::new()
            };
            (p, ann_p, untagged)
        })
        .collect();
    if !a.json {
        print::annotation(&loaded, &items);
        return Ok(0);
    }
    let out: Vec<_> = items
        .iter()
        .map(|(p, ann_p, untagged)| {
            let mut v = serde_json::json!({"id": p.id, "number": p.number, "heading": p.heading, "annotation": ann_p});
            if a.explain {
                v["untagged"] = serde_json::json!(untagged);
            }
            v
        })
        .collect();
    print::json(&serde_json::json!({"instrument": loaded.instrument, "provisions": out}))?;
    Ok(0)
}

/// The corpus file `file` names, as a path or relative to the corpus directory; a file
/// outside the corpus (or not an instrument file) is a usage error.
fn corpus_file(cfg: &Config, file: &std::path::Path) -> crate::Result<corpus::SourceFile> {
    let abs = if file.is_file() {
        file.to_path_buf()
    } else {
        cfg.corpus.join(file)
    };
    let files = corpus::discover(&cfg.corpus)?;
    let canon = abs.canonicalize().map_err(|e| crate::Error::io(&abs, e))?;
    files
        .into_iter()
        .find(|f| f.path.canonicalize().map(|p| p == canon).unwrap_or(false))
        .ok_or_else(|| {
            crate::Error::invalid(
                "FILE",
                format!(
                    "{} is not an instrument file of the corpus {}",
                    file.display(),
                    cfg.corpus.display()
                ),
            )
        })
}
