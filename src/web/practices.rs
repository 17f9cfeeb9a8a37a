//! The practice page (`/practices/{id}`): a documented programme, protocol or service of a
//! member state with its summary, kind, year, institution, partners, categories, sources as
//! links and the law it names (linked to the corpus, or said not to be there); and the short
//! view of a practice that the search, compare, gaps and provision pages list.

use super::compare::Choice;
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

/// What the submission form holds, as typed (kept when the form is shown again with an
/// error, so nothing typed is lost).
#[derive(Default)]
struct SubmitForm {
    country: String,
    title: String,
    title_en: String,
    language: String,
    kind: String,
    year: String,
    institution: String,
    partners: String,
    categories: Vec<String>,
    legal_basis: String,
    source_url: String,
    source_title: String,
    source_publisher: String,
    summary: String,
}

impl SubmitForm {
    /// Reads an urlencoded body; returns the form and the token.
    fn parse(body: &[u8]) -> (SubmitForm, String) {
        let mut f = SubmitForm::default();
        let mut token = String::new();
        for (k, v) in form_urlencoded::parse(body) {
            let v = v.into_owned();
            match k.as_ref() {
                "token" => token = v,
                "country" => f.country = v,
                "title" => f.title = v,
                "title_en" => f.title_en = v,
                "language" => f.language = v,
                "kind" => f.kind = v,
                "year" => f.year = v,
                "institution" => f.institution = v,
                "partners" => f.partners = v,
                "categories" => f.categories.push(v),
                "legal_basis" => f.legal_basis = v,
                "source_url" => f.source_url = v,
                "source_title" => f.source_title = v,
                "source_publisher" => f.source_publisher = v,
                "summary" => f.summary = v,
                _ => {}
            }
        }
        (f, token)
    }

    /// The submission as the API takes it (blank fields absent; a year that is not a number
    /// is passed on as text, so the check names `year`).
    fn to_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value};
        let mut m = Map::new();
        let mut text = |k: &str, v: &str| {
            if !v.trim().is_empty() {
                m.insert(k.to_string(), Value::String(v.trim().to_string()));
            }
        };
        text("country", &self.country);
        text("title", &self.title);
        text("title_en", &self.title_en);
        text("language", &self.language);
        text("kind", &self.kind);
        text("institution", &self.institution);
        text("legal_basis", &self.legal_basis);
        text("summary", &self.summary);
        let y = self.year.trim();
        if !y.is_empty() {
            m.insert(
                "year".into(),
                y.parse::<i64>()
                    .map_or_else(|_| Value::String(y.to_string()), Value::from),
            );
        }
        let partners: Vec<Value> = self
            .partners
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Value::String(p.to_string()))
            .collect();
        m.insert("partners".into(), Value::Array(partners));
        m.insert(
            "categories".into(),
            Value::Array(self.categories.iter().cloned().map(Value::String).collect()),
        );
        let mut src = Map::new();
        for (k, v) in [
            ("url", &self.source_url),
            ("title", &self.source_title),
            ("publisher", &self.source_publisher),
        ] {
            if !v.trim().is_empty() {
                src.insert(k.into(), Value::String(v.trim().to_string()));
            }
        }
        let sources = if src.is_empty() {
            vec![]
        } else {
            vec![Value::Object(src)]
        };
        m.insert("sources".into(), Value::Array(sources));
        Value::Object(m)
    }
}

#[derive(Template)]
#[template(path = "submit.html")]
struct SubmitPage {
    c: Chrome,
    f: SubmitForm,
    countries: Vec<Choice>,
    languages: Vec<Choice>,
    kinds: Vec<Choice>,
    categories: Vec<Choice>,
    receipt: Option<crate::practices::submit::Receipt>,
    error: Option<String>,
    /// The server takes no submissions (no submitter token): the page says so, no form.
    closed: bool,
}

fn submit_page(
    engine: &Engine,
    req: &Req,
    f: SubmitForm,
    receipt: Option<crate::practices::submit::Receipt>,
    error: Option<String>,
) -> SubmitPage {
    let lang = req.lang;
    let choice = |value: &str, label: String, selected: bool| Choice {
        value: value.to_string(),
        label,
        selected,
        child: false,
    };
    SubmitPage {
        c: req.chrome(req.t.submit_link, "search"),
        countries: engine
            .registry()
            .oas_members()
            .map(|c| {
                choice(
                    c.code.as_str(),
                    format!("{} ({})", c.name(lang.code()), c.code),
                    f.country == c.code.as_str(),
                )
            })
            .collect(),
        languages: crate::corpus::model::Language::ALL
            .iter()
            .map(|l| {
                choice(
                    l.code(),
                    super::i18n::Texts::of(*l).language_name.to_string(),
                    f.language == l.code(),
                )
            })
            .collect(),
        kinds: crate::practices::PracticeKind::ALL
            .iter()
            .map(|k| choice(k.as_str(), k.as_str().to_string(), f.kind == k.as_str()))
            .collect(),
        categories: engine
            .taxonomy()
            .leaves()
            .map(|c| {
                choice(
                    c.id.as_str(),
                    category_label(engine, &c.id, lang),
                    f.categories.iter().any(|x| x == c.id.as_str()),
                )
            })
            .collect(),
        f,
        receipt,
        error,
        closed: false,
    }
}

/// `GET /practices/submit`: the empty form (or, where the server takes no submissions, the
/// page saying so).
pub async fn submit_form(State(s): State<AppState>, req: Req) -> Response {
    let engine = s.engine();
    let mut page = submit_page(&engine, &req, SubmitForm::default(), None, None);
    page.closed = !s.roles().submitter;
    req.render(&page)
}

/// `POST /practices/submit`: the form sent, taken by the same step as `POST /v1/practices`
/// (token, rate, checks); the receipt, or the form again with the reason and what was typed.
pub async fn submit(State(s): State<AppState>, req: Req, body: axum::body::Bytes) -> Response {
    let (f, token) = SubmitForm::parse(&body);
    let result = s.submit_practice(Some(token.as_str()), f.to_json()).await;
    let engine = s.engine();
    match result {
        Ok(receipt) => {
            let mut r = req.render(&submit_page(
                &engine,
                &req,
                SubmitForm::default(),
                Some(receipt),
                None,
            ));
            *r.status_mut() = axum::http::StatusCode::CREATED;
            r
        }
        Err(e) => {
            let status = e.status;
            let mut r = req.render(&submit_page(&engine, &req, f, None, Some(e.message)));
            *r.status_mut() = status;
            r
        }
    }
}
