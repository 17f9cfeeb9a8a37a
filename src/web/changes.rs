//! The changes page (`/changes`): what the last reindexes added, removed, modified and
//! re-annotated, per generation, optionally for one country or category. Takes `/v1/changes`'s
//! parameters; without `since` it shows every report the index root still keeps.

use super::compare::{category_choices, country_choices, Choice};
use super::{country_name, Chrome, Req};
use crate::api::AppState;
use crate::index::manifest::{ChangeReport, Counts};
use crate::search::request;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

/// Ids listed per kind of change before "and N more".
const LISTED: usize = 50;

/// `since` when none is given: before any generation, so every kept report is shown.
const EVERYTHING: &str = "1970-01-01";

pub struct IdList {
    pub title: &'static str,
    pub total: usize,
    pub ids: Vec<(String, String)>,
    pub more: usize,
}

pub struct GenerationView {
    pub name: String,
    pub previous: Option<String>,
    pub built_at: String,
    pub reparsed: usize,
    pub lists: Vec<IdList>,
    pub by_country: Vec<(String, Counts)>,
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    c: Chrome,
    since: String,
    countries: Vec<Choice>,
    categories: Vec<Choice>,
    note: Option<String>,
    generations: Vec<GenerationView>,
}

pub async fn page(State(s): State<AppState>, req: Req) -> Result<Response, Response> {
    let engine = s.engine();
    let (mut since, mut country, mut category) = (None, None, None);
    for (k, v) in &req.params {
        match k.as_str() {
            "since" => since = Some(v.clone()),
            "country" => {
                country = Some(
                    request::country(engine.registry(), k, v)
                        .map_err(|e| req.error(e))?
                        .to_string(),
                )
            }
            "category" => {
                category = Some(
                    engine
                        .taxonomy()
                        .parse_id(v)
                        .map_err(|m| req.error(crate::Error::invalid(k, m)))?
                        .to_string(),
                )
            }
            other => {
                return Err(req.error(crate::Error::invalid(
                    other,
                    "unknown parameter (since, country, category, lang)",
                )))
            }
        }
    }
    let root = s.index_root().map(|p| p.to_path_buf()).ok_or_else(|| {
        req.error(crate::Error::NoIndex(
            "this server has no index root".into(),
        ))
    })?;
    let since_q = since.clone().unwrap_or_else(|| EVERYTHING.to_string());
    let (c2, k2) = (country.clone(), category.clone());
    let ch = req
        .run(&s, move |_| {
            crate::index::ops::changes(&root, &since_q, c2.as_deref(), k2.as_deref())
        })
        .await?;
    let t = req.t;
    let list = |title: &'static str, ids: Vec<(String, String)>| IdList {
        title,
        total: ids.len(),
        more: ids.len().saturating_sub(LISTED),
        ids: ids.into_iter().take(LISTED).collect(),
    };
    let link = |id: &str| (id.to_string(), format!("/p/{}", super::percent(id)));
    let generations = ch
        .generations
        .into_iter()
        .rev()
        .map(|r: ChangeReport| GenerationView {
            lists: vec![
                list(t.added, r.added.iter().map(|x| link(&x.id)).collect()),
                list(
                    t.removed,
                    r.removed
                        .iter()
                        .map(|x| (x.id.clone(), String::new()))
                        .collect(),
                ),
                list(t.modified, r.modified.iter().map(|x| link(&x.id)).collect()),
                list(
                    t.annotation_changed,
                    r.annotation_changes.iter().map(|x| link(&x.id)).collect(),
                ),
            ],
            by_country: r
                .by_country
                .into_iter()
                .map(|(c, n)| {
                    let name = c
                        .parse()
                        .map(|code| country_name(&engine, &code, req.lang))
                        .unwrap_or(c);
                    (name, n)
                })
                .collect(),
            reparsed: r.reparsed_files.len(),
            name: r.generation,
            previous: r.previous,
            built_at: r.built_at,
        })
        .collect();
    Ok(req.render(&ChangesPage {
        c: req.chrome(t.changes_title, "changes"),
        since: since.unwrap_or_default(),
        countries: country_choices(&req, &engine, country.as_deref()),
        categories: category_choices(
            &req,
            &engine,
            &category.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        note: ch.note,
        generations,
    }))
}
