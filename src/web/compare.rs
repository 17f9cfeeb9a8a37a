//! The side-by-side page (`/compare`): a category and several countries (or a subsystem), one
//! column per country with its national provisions strongest first and the treaty copies
//! apart, each text in its original language. Takes `/v1/compare`'s parameters.

use super::{category_label, country_name, provision_href, search_href, Chrome, Req};
use crate::api::AppState;
use crate::compare::{self, request, CellState, CompareResponse, Item};
use crate::corpus::countries::SUBSYSTEMS;
use crate::search::Engine;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

/// An option of a select or a checkbox of the form.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// Indented under its parent (categories).
    pub child: bool,
}

pub struct ItemView {
    pub href: String,
    pub lang: &'static str,
    pub instrument: String,
    pub number: String,
    pub heading: Option<String>,
    pub modality: &'static str,
    pub in_force: bool,
    pub excerpt: String,
}

pub struct ColumnView {
    pub code: String,
    pub name: String,
    pub count: usize,
    pub search: String,
    pub message: Option<String>,
    pub covered: bool,
    pub provisions: Vec<ItemView>,
    pub treaty_copies: Vec<ItemView>,
    /// The country's shared practices in the category.
    pub practices: Vec<super::practices::PracticeView>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    c: Chrome,
    categories: Vec<Choice>,
    countries: Vec<Choice>,
    subsystems: Vec<Choice>,
    q: String,
    category: Option<String>,
    columns: Vec<ColumnView>,
}

pub async fn page(State(s): State<AppState>, req: Req) -> Result<Response, Response> {
    let engine = s.engine();
    let result = if req.params.is_empty() {
        None
    } else {
        let p = request::compare(&req.params, &engine).map_err(|e| req.error(e))?;
        Some(
            req.run(&s, move |e| {
                compare::compare(e, &p.category, &p.countries, p.q.as_ref(), p.limit)
            })
            .await?,
        )
    };
    Ok(req.render(&view(&req, &engine, result)))
}

pub fn item_view(req: &Req, i: &Item) -> ItemView {
    ItemView {
        href: provision_href(&i.id),
        lang: i.language.code(),
        instrument: i.instrument_title.clone(),
        number: i.number.clone(),
        heading: i.heading.clone(),
        modality: req.t.modality(i.modality),
        in_force: i.in_force,
        excerpt: i.excerpt.clone(),
    }
}

/// The categories as options, parents first, in the taxonomy's order.
pub fn category_choices(req: &Req, engine: &Engine, selected: &[&str]) -> Vec<Choice> {
    engine
        .taxonomy()
        .categories
        .iter()
        .map(|c| Choice {
            value: c.id.to_string(),
            label: category_label(engine, &c.id, req.lang),
            selected: selected.contains(&c.id.as_str()),
            child: c.parent.is_some(),
        })
        .collect()
}

/// The countries with indexed national sources as options, by name.
pub fn country_choices(req: &Req, engine: &Engine, selected: Option<&str>) -> Vec<Choice> {
    let mut v: Vec<Choice> = engine
        .countries_with_sources()
        .iter()
        .filter(|c| !c.is_intl())
        .map(|c| Choice {
            value: c.to_string(),
            label: country_name(engine, c, req.lang),
            selected: selected.is_some_and(|s| s.eq_ignore_ascii_case(c.as_str())),
            child: false,
        })
        .collect();
    v.sort_by(|a, b| a.label.cmp(&b.label));
    v
}

/// The subsystems as options.
pub fn subsystem_choices(selected: Option<&str>) -> Vec<Choice> {
    SUBSYSTEMS
        .iter()
        .map(|s| Choice {
            value: s.to_string(),
            label: s.to_string(),
            selected: selected.is_some_and(|x| x.eq_ignore_ascii_case(s)),
            child: false,
        })
        .collect()
}

fn view(req: &Req, engine: &Engine, r: Option<CompareResponse>) -> ComparePage {
    let lang = req.lang;
    let wanted: Vec<String> = req
        .values("countries")
        .chain(req.values("country"))
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_ascii_uppercase())
        .collect();
    let countries = country_choices(req, engine, None)
        .into_iter()
        .map(|mut c| {
            c.selected = wanted.contains(&c.value);
            c
        })
        .collect();
    let category = req.first("category").map(str::to_string);
    let columns = r
        .as_ref()
        .map(|r| {
            r.countries
                .iter()
                .map(|cc| ColumnView {
                    code: cc.country.to_string(),
                    name: country_name(engine, &cc.country, lang),
                    count: cc.count,
                    search: search_href(&cc.query),
                    message: cc.message.clone(),
                    covered: cc.state == CellState::Covered,
                    provisions: cc
                        .provisions
                        .iter()
                        .map(|i| item_view(req, &i.item))
                        .collect(),
                    treaty_copies: cc.treaty_copies.iter().map(|i| item_view(req, i)).collect(),
                    practices: super::practices::PracticeView::list(engine, &cc.practices, lang),
                })
                .collect()
        })
        .unwrap_or_default();
    let title = match &r {
        Some(r) => format!(
            "{} — {}",
            category_label(engine, &r.category, lang),
            req.t.nav_compare
        ),
        None => req.t.nav_compare.to_string(),
    };
    ComparePage {
        c: req.chrome(title, "compare"),
        categories: category_choices(
            req,
            engine,
            &category.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
        countries,
        subsystems: subsystem_choices(req.first("subsystem")),
        q: req.first("q").unwrap_or("").to_string(),
        category: r.map(|r| category_label(engine, &r.category, lang)),
        columns,
    }
}
