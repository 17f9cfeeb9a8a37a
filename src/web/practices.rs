//! The practice page (`/practices/{id}`): a documented programme, protocol or service of a
//! member state with its summary, kind, year, institution, partners, categories, sources as
//! links and the law it names (linked to the corpus, or said not to be there); and the short
//! view of a practice that the search, compare, gaps and provision pages list.

use super::{category_label, country_name, href, Chrome, Req};
use crate::api::AppState;
use crate::index::practices::{LegalStatus, PracticeEntry};
use crate::search::{Engine, PracticeHit};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

/// A practice as the lists show it.
pub struct PracticeView {
    pub href: String,
    /// Who runs it: a country code, or the participants of a regional mechanism.
    pub who: String,
    pub who_name: String,
    pub title: String,
    pub title_lang: &'static str,
    pub title_en: Option<String>,
    pub kind: &'static str,
    pub year: Option<i64>,
    pub summary: String,
    pub legal_basis: Option<String>,
    /// The instruments of the corpus it names: their page and title.
    pub legal_links: Vec<(String, String)>,
    pub not_in_corpus: bool,
}

impl PracticeView {
    pub fn of(engine: &Engine, h: &PracticeHit, lang: crate::corpus::model::Language) -> Self {
        let (who, who_name) = match &h.country {
            Some(c) => (c.to_string(), country_name(engine, c, lang)),
            None => {
                let codes: Vec<&str> = h.countries.iter().map(|c| c.as_str()).collect();
                (codes.join(" "), codes.join(", "))
            }
        };
        PracticeView {
            href: format!("/practices/{}", h.id),
            who,
            who_name,
            title: h.title.clone(),
            title_lang: title_lang(h),
            title_en: h.title_en.clone().filter(|t| *t != h.title),
            kind: h.kind.as_str(),
            year: h.year,
            summary: h.summary.clone(),
            legal_basis: h.legal_basis.clone(),
            legal_links: links(&h.legal_links),
            not_in_corpus: h.legal_status == LegalStatus::NotInCorpus,
        }
    }

    pub fn list(
        engine: &Engine,
        hits: &[PracticeHit],
        lang: crate::corpus::model::Language,
    ) -> Vec<Self> {
        hits.iter()
            .map(|h| PracticeView::of(engine, h, lang))
            .collect()
    }
}

fn title_lang(h: &PracticeHit) -> &'static str {
    h.language.code()
}

fn links(l: &[crate::index::practices::LegalLinkEntry]) -> Vec<(String, String)> {
    l.iter()
        .map(|k| {
            let label = match &k.article {
                Some(a) => format!("{} — art. {a}", k.title),
                None => k.title.clone(),
            };
            // the article's page where the index holds it, else the instrument's record
            let to = match &k.provision {
                Some(p) => super::provision_href(p),
                None => format!("/v1/instruments/{}", k.instrument),
            };
            (to, label)
        })
        .collect()
}

pub struct SourceView {
    pub url: String,
    pub title: String,
    pub publisher: Option<String>,
    pub date: Option<String>,
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    c: Chrome,
    p: PracticeView,
    institution: Option<String>,
    partners: Vec<String>,
    states: Vec<String>,
    categories: Vec<(String, String)>,
    sources: Vec<SourceView>,
    full_summary: String,
}

pub async fn page(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    req: Req,
) -> Result<Response, Response> {
    let id: crate::practices::PracticeId = raw
        .parse()
        .map_err(|m: String| req.error(crate::Error::invalid("id", m)))?;
    if let Some((k, _)) = req.params.iter().find(|(k, _)| k != "lang") {
        return Err(req.error(crate::Error::invalid(k, "unknown parameter (lang)")));
    }
    let e: PracticeEntry = req.run(&s, move |e| e.practice(id.as_str())).await?;
    let engine = s.engine();
    let lang = req.lang;
    let hit = PracticeHit::of(&e, None);
    let p = &e.practice;
    let page = PracticePage {
        c: req.chrome(p.display_title().to_string(), "search"),
        p: PracticeView::of(&engine, &hit, lang),
        institution: p.institution.clone(),
        partners: p.partners.clone(),
        states: p
            .states()
            .map(|c| format!("{} ({c})", country_name(&engine, c, lang)))
            .collect(),
        categories: p
            .categories
            .iter()
            .map(|c| {
                (
                    href("/", &[("category", c.as_str()), ("type", "practice")]),
                    category_label(&engine, c, lang),
                )
            })
            .collect(),
        sources: p
            .sources
            .iter()
            .map(|s| SourceView {
                url: s.url.clone(),
                title: s.title.clone().unwrap_or_else(|| s.url.clone()),
                publisher: s.publisher.clone(),
                date: s.date.clone(),
            })
            .collect(),
        full_summary: p.summary.clone(),
    };
    Ok(req.render(&page))
}
