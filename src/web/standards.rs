//! The Vienna Convention lens (`/standards/vccr`): for each article of the Convention that
//! grounds the taxonomy, its categories, the countries whose national law covers them (with
//! their strongest provision and the search behind the count), and those that do not.

use super::{category_label, country_name, provision_href, search_href, Chrome, Req};
use crate::api::AppState;
use crate::compare::{self, StandardArticle};
use crate::search::Engine;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

pub struct CountryCount {
    pub code: String,
    pub name: String,
    pub count: usize,
    pub search: String,
    pub strongest: String,
}

pub struct ArticleView {
    pub article: String,
    pub title: Option<String>,
    pub href: Option<String>,
    pub categories: Vec<String>,
    pub countries: Vec<CountryCount>,
    pub without: Vec<String>,
}

#[derive(Template)]
#[template(path = "standards.html")]
struct StandardsPage {
    c: Chrome,
    articles: Vec<ArticleView>,
}

pub async fn page(State(s): State<AppState>, req: Req) -> Result<Response, Response> {
    if let Some((k, _)) = req.params.first() {
        return Err(req.error(crate::Error::invalid(k, "unknown parameter (lang)")));
    }
    let list = req.run(&s, compare::standards_vccr).await?;
    let engine = s.engine();
    let articles = list.iter().map(|a| view(&req, &engine, a)).collect();
    Ok(req.render(&StandardsPage {
        c: req.chrome(req.t.vccr_title, "vccr"),
        articles,
    }))
}

fn view(req: &Req, engine: &Engine, a: &StandardArticle) -> ArticleView {
    let lang = req.lang;
    ArticleView {
        article: a.article.clone(),
        title: a.title.clone(),
        href: a.vccr_provision.as_ref().map(provision_href),
        categories: a
            .categories
            .iter()
            .map(|c| category_label(engine, c, lang))
            .collect(),
        countries: a
            .countries
            .iter()
            .map(|(c, x)| CountryCount {
                code: c.to_string(),
                name: country_name(engine, c, lang),
                count: x.provisions,
                search: search_href(&x.query),
                strongest: provision_href(&x.strongest),
            })
            .collect(),
        without: a
            .without
            .iter()
            .map(|c| country_name(engine, c, lang))
            .collect(),
    }
}
