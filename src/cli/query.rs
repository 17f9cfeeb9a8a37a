//! The commands that ask the index: `search`, `compare`, `matrix`, `gaps`, and the `eval`
//! measurements. Each builds the engine's typed request straight from its clap values, checks
//! what only the open index's registry and taxonomy can tell (does this country or category
//! exist) with the validators the API uses, so a user sees one wording whether they search from
//! the terminal or over HTTP, calls one engine function and prints.

use super::args::{
    BriefArgs, CommaList, CompareArgs, EvalAnnotationsArgs, EvalSearchArgs, GapsArgs,
    KnownItemArgs, MatrixArgs, SearchArgs, Subsystem,
};
use super::{annotator, open_engine, print};
use crate::compare::request::{countries_to_compare, known_peers, MAX_EXEMPLARS, MAX_LIMIT};
use crate::compare::{MatrixRequest, Peers};
use crate::config::Config;
use crate::corpus::model::Language;
use crate::error::{Error, Result};
use crate::params::bounded;
use crate::search::request::{known_category, known_country};
use crate::search::{Query, SearchRequest};
use std::time::Instant;

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
        q: Query::parse(a.query.as_str())?,
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
        types: CommaList::concat(&a.types),
        limit: a.limit,
        expand: !a.no_expand,
        ..SearchRequest::default()
    };
    let r = engine.search(&req)?;
    print::either(a.json, &r, print::search)?;
    Ok(0)
}

/// `compare`: the countries given and the members of the subsystem, in that order.
pub fn compare(cfg: &Config, a: &CompareArgs) -> Result<i32> {
    let e = open_engine(cfg)?;
    known_category(e.taxonomy(), "category", &a.category)?;
    let limit = bounded("limit", a.limit, MAX_LIMIT)?;
    let mut countries = a.countries.0.clone();
    for c in &countries {
        known_country(e.registry(), "countries", c)?;
    }
    if let Some(Subsystem(s)) = &a.subsystem {
        countries.extend(e.registry().members_of(s));
    }
    let q = a.q.as_deref().map(Query::parse).transpose()?;
    let countries = countries_to_compare(countries)?;
    let r = crate::compare::compare(&e, &a.category, &countries, q.as_ref(), limit)?;
    print::either(a.json, &r, print::compare)?;
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
    } else {
        print::either(a.json, &m, print::matrix)?;
    }
    Ok(0)
}

/// `gaps COUNTRY`: against its own subsystems unless `--peers` says otherwise.
pub fn gaps(cfg: &Config, a: &GapsArgs) -> Result<i32> {
    let e = open_engine(cfg)?;
    known_country(e.registry(), "country", &a.country)?;
    let n = bounded("exemplars", a.exemplars, MAX_EXEMPLARS)?;
    let peers = a.peers.clone().unwrap_or(Peers::Subsystems);
    known_peers(e.registry(), &peers)?;
    let r = crate::compare::gaps(&e, &a.country, &peers, n)?;
    print::either(a.json, &r, print::gaps)?;
    Ok(0)
}

/// `brief COUNTRY`: the document, to standard output or `-o FILE`.
pub fn brief(cfg: &Config, a: &BriefArgs) -> Result<i32> {
    use crate::compare::brief;
    let e = open_engine(cfg)?;
    known_country(e.registry(), "country", &a.country)?;
    let req = brief::BriefRequest {
        country: a.country.clone(),
        peers: a.peers.clone().unwrap_or(Peers::Subsystems),
        lang: a.lang,
        exemplars: bounded("exemplars", a.exemplars, MAX_EXEMPLARS)?,
    };
    let doc = brief::render(&brief::brief(&e, &req)?, a.format);
    match &a.output {
        Some(path) => {
            std::fs::write(path, doc).map_err(|err| Error::io(path, err))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{doc}"),
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
    print::either(a.json, &reports[..], print::known_item)?;
    Ok(0)
}

/// `eval search`: nDCG@10 of the default search over a query set.
pub fn eval_search(cfg: &Config, a: &EvalSearchArgs) -> Result<i32> {
    let engine = open_engine(cfg)?;
    let queries = crate::search::relevance::read_queries(&a.queries)?;
    let qrels = crate::search::relevance::read_qrels(&a.qrels)?;
    let report = engine.eval_search(&queries, &qrels)?;
    print::either(a.json, &report, print::eval_search)?;
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
