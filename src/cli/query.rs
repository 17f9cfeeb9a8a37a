//! The commands that ask the index: `search`, `compare`, `matrix`, `gaps`, and the `eval`
//! measurements. Each builds the engine's typed request straight from its clap values, checks
//! what only the open index's registry and taxonomy can tell (does this country or category
//! exist), calls one engine function and prints.

use super::args::{
    CommaList, CompareArgs, EvalAnnotationsArgs, GapsArgs, KnownItemArgs, MatrixArgs, SearchArgs,
    Subsystem,
};
use super::{annotator, open_engine, print};
use crate::annotate::taxonomy::{CategoryId, Taxonomy};
use crate::compare::{MatrixRequest, Peers};
use crate::config::Config;
use crate::corpus::countries::Registry;
use crate::corpus::model::{CountryCode, Language};
use crate::error::{Error, Result};
use crate::search::SearchRequest;
use std::time::Instant;

// The checks below give the messages the API gives for the same mistakes, so a user sees one
// wording whether they search from the terminal or over HTTP.

/// A well-formed country code must also be in the registry (or be INTL).
fn known_country(registry: &Registry, param: &str, c: &CountryCode) -> Result<()> {
    if c.is_intl() || registry.get(c).is_some() {
        Ok(())
    } else {
        Err(Error::invalid(
            param,
            format!("unknown country '{c}' (not an OAS member state)"),
        ))
    }
}

/// A well-formed category id must also be in the taxonomy (leaf or parent).
fn known_category(taxonomy: &Taxonomy, param: &str, id: &CategoryId) -> Result<()> {
    match taxonomy.get(id) {
        Some(_) => Ok(()),
        None => Err(Error::invalid(param, format!("unknown category '{id}'"))),
    }
}

/// A count flag between 1 and `max`.
fn bounded(param: &str, n: usize, max: usize) -> Result<usize> {
    if n == 0 || n > max {
        return Err(Error::invalid(
            param,
            format!("must be between 1 and {max}"),
        ));
    }
    Ok(n)
}

/// `search`: the same request as `GET /v1/search` with these filters.
pub fn search(cfg: &Config, a: &SearchArgs) -> Result<i32> {
    let engine = open_engine(cfg)?;
    let countries = CommaList::concat(&a.country);
    for c in &countries {
        known_country(engine.registry(), "country", c)?;
    }
    let categories = CommaList::concat(&a.category);
    for id in &categories {
        known_category(engine.taxonomy(), "category", id)?;
    }
    let req = SearchRequest {
        q: a.query.clone(),
        countries,
        subsystems: CommaList::concat(&a.subsystem)
            .into_iter()
            .map(|s| s.0)
            .collect(),
        kinds: CommaList::concat(&a.kind),
        categories,
        languages: CommaList::concat(&a.lang),
        modalities: CommaList::concat(&a.modality),
        in_force: a.in_force,
        limit: a.limit,
        expand: !a.no_expand,
        ..SearchRequest::default()
    };
    let r = engine.search(&req)?;
    if a.json {
        print::json(&r)?;
    } else {
        print::search(&r);
    }
    Ok(0)
}

/// `compare`: the countries given and the members of the subsystem, in that order.
pub fn compare(cfg: &Config, a: &CompareArgs) -> Result<i32> {
    let e = open_engine(cfg)?;
    known_category(e.taxonomy(), "category", &a.category)?;
    let limit = bounded("limit", a.limit, 50)?;
    let mut countries = a.countries.0.clone();
    for c in &countries {
        known_country(e.registry(), "countries", c)?;
    }
    if let Some(Subsystem(s)) = &a.subsystem {
        countries.extend(e.registry().members_of(s));
    }
    if let Some(q) = &a.q {
        crate::search::query::parse(q)?;
    }
    countries.dedup();
    if countries.is_empty() {
        return Err(Error::invalid("countries", "give countries or a subsystem"));
    }
    if countries.len() > 40 {
        return Err(Error::invalid("countries", "at most 40 countries"));
    }
    let r = crate::compare::compare(&e, &a.category, &countries, a.q.as_deref(), limit)?;
    if a.json {
        print::json(&r)?;
    } else {
        print::compare(&r);
    }
    Ok(0)
}

/// `matrix`: table, CSV (`--csv` wins over `--json`) or JSON.
pub fn matrix(cfg: &Config, a: &MatrixArgs) -> Result<i32> {
    let e = open_engine(cfg)?;
    let categories = a.categories.clone().map(|l| l.0).unwrap_or_default();
    for id in &categories {
        known_category(e.taxonomy(), "categories", id)?;
    }
    let req = MatrixRequest {
        subsystem: a.subsystem.clone().map(|s| s.0),
        categories,
        ..MatrixRequest::default()
    };
    let m = crate::compare::matrix(&e, &req)?;
    if a.csv {
        print!("{}", crate::compare::matrix_csv(&m));
    } else if a.json {
        print::json(&m)?;
    } else {
        print::matrix(&m);
    }
    Ok(0)
}

/// `gaps COUNTRY`: against its own subsystems unless `--peers` says otherwise.
pub fn gaps(cfg: &Config, a: &GapsArgs) -> Result<i32> {
    let e = open_engine(cfg)?;
    known_country(e.registry(), "country", &a.country)?;
    let n = bounded("exemplars", a.exemplars, 10)?;
    let peers = a.peers.clone().unwrap_or(Peers::Subsystems);
    if let Peers::List(list) = &peers {
        for c in list {
            known_country(e.registry(), "peers", c)?;
        }
    }
    let r = crate::compare::gaps(&e, &a.country, &peers, n)?;
    if a.json {
        print::json(&r)?;
    } else {
        print::gaps(&r);
    }
    Ok(0)
}

/// `eval known-item`: Spanish and French.
pub fn known_item(cfg: &Config, a: &KnownItemArgs) -> Result<i32> {
    let engine = open_engine(cfg)?;
    let reports = [
        engine.known_item(Language::Es)?,
        engine.known_item(Language::Fr)?,
    ];
    if a.json {
        print::json(&reports)?;
    } else {
        print::known_item(&reports);
    }
    Ok(0)
}

/// `eval annotations`: annotates the whole corpus (timed) and scores it against the gold file.
pub fn eval_annotations(cfg: &Config, a: &EvalAnnotationsArgs) -> Result<i32> {
    let ann = annotator(cfg)?;
    let mut items = crate::annotate::eval::read_gold(&a.gold)?;
    if let Some(h) = a.half {
        items = crate::annotate::eval::in_half(&items, h);
    }
    let c = crate::corpus::load(&cfg.corpus, true)?;
    let t = Instant::now();
    let all = ann.annotate_corpus(&c);
    let secs = t.elapsed().as_secs_f64();
    let report = crate::annotate::eval::evaluate(&all, &c, &items);
    let twins = crate::annotate::eval::twin_agreement(&all, &c);
    let groups = crate::annotate::eval::breakdown(&all, &c, &items);
    let rate = all.len() as f64 / secs.max(1e-9);
    if !a.json {
        print::eval_annotations(&report, &groups, &twins, all.len(), secs, rate, a.errors);
        return Ok(0);
    }
    let mut v = serde_json::to_value(&report)?;
    if let Some(o) = v.as_object_mut() {
        if !a.errors {
            o.remove("errors");
        }
        o.insert("bilingual_agreement".into(), serde_json::to_value(&twins)?);
        o.insert("breakdown".into(), serde_json::to_value(&groups)?);
        o.insert(
            "annotation_provisions_per_second".into(),
            serde_json::json!(rate.round()),
        );
    }
    print::json(&v)?;
    Ok(0)
}
