//! The coverage page (`/matrix`): a heatmap of countries by category, labelled in the interface
//! language, coloured by the number of obligations with the number written in each cell, and
//! distinct marks for "not found", "not found in partial sources" and "no sources"; every cell
//! links to the search of its provisions. `/matrix.csv` is the same grid as CSV.

use super::compare::{subsystem_choices, Choice};
use super::{category_label, country_name, href, search_href, Chrome, Req};
use crate::api::AppState;
use crate::compare::{self, request, Cell, CellState, Matrix};
use crate::search::Engine;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A group of columns under one parent category.
pub struct Group {
    pub label: String,
    pub span: usize,
}

pub struct Column {
    pub id: String,
    pub label: String,
}

pub struct CellView {
    pub class: &'static str,
    pub mark: String,
    /// What the cell says, in words (for screen readers and the tooltip).
    pub says: String,
    pub href: Option<String>,
}

pub struct RowView {
    pub code: String,
    pub name: String,
    pub gaps: Option<String>,
    pub cells: Vec<CellView>,
}

#[derive(Template)]
#[template(path = "matrix.html")]
struct MatrixPage {
    c: Chrome,
    groups: Vec<Group>,
    columns: Vec<Column>,
    rows: Vec<RowView>,
    subsystems: Vec<Choice>,
    csv: String,
    note: &'static str,
}

pub async fn page(State(s): State<AppState>, req: Req) -> Result<Response, Response> {
    let engine = s.engine();
    let mr = request::matrix(&req.params, &engine)
        .map_err(|e| req.error(e))?
        .request;
    let m = req.run(&s, move |e| compare::matrix(e, &mr)).await?;
    Ok(req.render(&view(&req, &engine, m)))
}

pub async fn csv(State(s): State<AppState>, req: Req) -> Result<Response, Response> {
    let engine = s.engine();
    let mr = request::matrix(&req.params, &engine)
        .map_err(|e| req.error(e))?
        .request;
    let m = req.run(&s, move |e| compare::matrix(e, &mr)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"consulex-matrix.csv\"",
            ),
        ],
        compare::matrix_csv(&m),
    )
        .into_response())
}

/// The colour class of a count of obligations.
fn bucket(obligations: usize) -> &'static str {
    match obligations {
        0 => "n0",
        1 => "n1",
        2..=3 => "n2",
        4..=7 => "n3",
        _ => "n4",
    }
}

fn cell_view(req: &Req, cell: &Cell) -> CellView {
    let t = req.t;
    match cell.state {
        CellState::Covered => CellView {
            class: bucket(cell.obligations),
            mark: cell.obligations.to_string(),
            says: format!(
                "{} {}, {} {}",
                cell.obligations, t.obligations, cell.provisions, t.provisions
            ),
            href: Some(search_href(&cell.query)),
        },
        CellState::NotFound => CellView {
            class: "nf",
            mark: "–".into(),
            says: t.legend_not_found.into(),
            href: None,
        },
        CellState::NotFoundPartial => CellView {
            class: "np",
            mark: "?".into(),
            says: t.legend_partial.into(),
            href: None,
        },
        CellState::NoSources => CellView {
            class: "ns",
            mark: "·".into(),
            says: t.legend_no_sources.into(),
            href: None,
        },
    }
}

fn view(req: &Req, engine: &Engine, m: Matrix) -> MatrixPage {
    let lang = req.lang;
    let tax = engine.taxonomy();
    let mut groups: Vec<Group> = Vec::new();
    let mut last_parent = None;
    for col in &m.columns {
        let parent = tax.get(col).and_then(|c| c.parent.clone());
        match (&last_parent, groups.last_mut()) {
            (Some(p), Some(g)) if Some(p) == parent.as_ref() => g.span += 1,
            _ => groups.push(Group {
                label: parent
                    .as_ref()
                    .map(|p| category_label(engine, p, lang))
                    .unwrap_or_default(),
                span: 1,
            }),
        }
        last_parent = parent;
    }
    let columns = m
        .columns
        .iter()
        .map(|c| Column {
            id: c.to_string(),
            label: category_label(engine, c, lang),
        })
        .collect();
    let rows = m
        .rows
        .iter()
        .map(|r| RowView {
            code: r.country.to_string(),
            name: country_name(engine, &r.country, lang),
            gaps: (r.state != CellState::NoSources).then(|| format!("/gaps/{}", r.country)),
            cells: m
                .columns
                .iter()
                .map(|c| match r.cells.get(c) {
                    Some(cell) => cell_view(req, cell),
                    None => CellView {
                        class: "ns",
                        mark: "·".into(),
                        says: req.t.legend_no_sources.into(),
                        href: None,
                    },
                })
                .collect(),
        })
        .collect();
    let filters: Vec<(&str, &str)> = req
        .params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    MatrixPage {
        c: req.chrome(req.t.nav_matrix, "matrix"),
        groups,
        columns,
        rows,
        subsystems: subsystem_choices(req.first("subsystem")),
        csv: href("/matrix.csv", &filters),
        note: m.note,
    }
}
