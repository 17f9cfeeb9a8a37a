//! The provision page (`/p/{id}`): the full text with each category's evidence marked in place,
//! the hierarchy as breadcrumbs, modality, instrument, year, in-force state, source, licence
//! and attribution; the twin in the other language side by side; similar provisions in other
//! instruments with the engine's reasons; a stable citation.

use super::{category_label, country_name, marked, provision_href, search_href, Chrome, Req};
use crate::annotate::Field;
use crate::api::AppState;
use crate::compare::{self, SimilarResponse};
use crate::corpus::model::ProvisionId;
use crate::search::{Engine, ProvisionDetail};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

/// Similar provisions shown.
const SIMILAR: usize = 6;

/// One category of the provision, numbered like its marks.
pub struct TagView {
    pub n: usize,
    pub class: String,
    pub label: String,
    pub href: String,
    pub confidence: String,
    pub context: bool,
    pub terms: String,
}

/// A provision's text as shown (the page's own, or its twin's).
pub struct TextView {
    pub lang: &'static str,
    pub lang_name: &'static str,
    pub number: String,
    pub heading: String,
    pub text: String,
    pub href: String,
}

pub struct SimilarView {
    pub href: String,
    pub country: String,
    pub country_name: String,
    pub lang: &'static str,
    pub instrument: String,
    pub number: String,
    pub heading: Option<String>,
    pub excerpt: String,
    pub reason: String,
    pub shared: Vec<String>,
}

#[derive(Template)]
#[template(path = "provision.html")]
struct ProvisionPage {
    c: Chrome,
    id: String,
    url: String,
    country: String,
    country_href: String,
    instrument: String,
    hierarchy: Vec<String>,
    main: TextView,
    twin: Option<TextView>,
    tags: Vec<TagView>,
    modality: &'static str,
    modality_cues: String,
    kind: &'static str,
    year: Option<i64>,
    in_force: bool,
    repealed: bool,
    partial: bool,
    source_url: Option<String>,
    licence: Option<String>,
    attribution: Option<String>,
    notes: Vec<String>,
    similar: Vec<SimilarView>,
    /// Shared practices that name the provision or share its country and a category.
    practices: Vec<super::practices::PracticeView>,
}

/// What the page shows, fetched in one trip to the blocking pool: the provision, its twin,
/// and the similar provisions.
struct Fetched {
    detail: ProvisionDetail,
    twin: Option<ProvisionDetail>,
    similar: SimilarResponse,
}

pub async fn page(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    req: Req,
) -> Result<Response, Response> {
    let id: ProvisionId = raw
        .parse()
        .map_err(|m: String| req.error(crate::Error::invalid("id", m)))?;
    if !req.params.is_empty() {
        return Err(req.error(crate::Error::invalid(
            &req.params[0].0,
            "unknown parameter (lang)",
        )));
    }
    let f = req
        .run(&s, move |e| {
            let detail = e.provision(&id)?;
            let twin = match detail.twins.first() {
                Some(t) => Some(e.provision(&t.id)?),
                None => None,
            };
            let similar = compare::similar(e, &id, &[], &[], SIMILAR)?;
            Ok(Fetched {
                detail,
                twin,
                similar,
            })
        })
        .await?;
    Ok(req.render(&view(&req, &s.engine(), f)))
}

/// The text and heading of a provision with its evidence marked.
fn text_view(req: &Req, d: &ProvisionDetail, numbered: bool) -> TextView {
    let p = &d.record.provision;
    let mut in_text = Vec::new();
    let mut in_heading = Vec::new();
    for (i, tag) in d.record.annotation.tags.iter().enumerate() {
        for ev in &tag.evidence {
            match ev.field {
                Field::Text => in_text.push((ev.start, ev.end, i)),
                Field::Heading => in_heading.push((ev.start, ev.end, i)),
                Field::Hierarchy => {}
            }
        }
    }
    TextView {
        lang: p.language.code(),
        lang_name: req.t.language_of(p.language),
        number: p.number.clone(),
        heading: p
            .heading
            .as_deref()
            .map(|h| marked(h, &in_heading, numbered))
            .unwrap_or_default(),
        text: marked(&p.text, &in_text, numbered),
        href: provision_href(&p.id),
    }
}

fn view(req: &Req, engine: &Engine, f: Fetched) -> ProvisionPage {
    let t = req.t;
    let lang = req.lang;
    let rec = &f.detail.record;
    let p = &rec.provision;
    let inst = &rec.instrument;
    let tags = rec
        .annotation
        .tags
        .iter()
        .enumerate()
        .map(|(i, tag)| TagView {
            n: i + 1,
            class: format!("t{}", i % 5),
            label: category_label(engine, &tag.category, lang),
            href: search_href(&format!(
                "/v1/search?country={}&category={}",
                inst.country, tag.category
            )),
            confidence: format!("{:.2}", tag.confidence),
            context: tag.context.is_some(),
            terms: tag
                .evidence
                .iter()
                .map(|e| e.matched.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let similar = f
        .similar
        .similar
        .iter()
        .map(|s| SimilarView {
            href: provision_href(&s.item.id),
            country: s.country.to_string(),
            country_name: country_name(engine, &s.country, lang),
            lang: s.item.language.code(),
            instrument: s.item.instrument_title.clone(),
            number: s.item.number.clone(),
            heading: s.item.heading.clone(),
            excerpt: s.item.excerpt.clone(),
            reason: s.reason.clone(),
            shared: s
                .shared_categories
                .iter()
                .map(|c| category_label(engine, c, lang))
                .collect(),
        })
        .collect();
    let title = format!("{} — {} {}", inst.title, t.article, p.number);
    let path = provision_href(&p.id);
    ProvisionPage {
        c: req.chrome(title, "search"),
        id: p.id.to_string(),
        url: req.absolute(&path),
        country: country_name(engine, &inst.country, lang),
        country_href: super::href("/", &[("country", inst.country.as_str())]),
        instrument: inst.title.clone(),
        hierarchy: p.hierarchy.clone(),
        main: text_view(req, &f.detail, true),
        twin: f.twin.as_ref().map(|d| text_view(req, d, true)),
        tags,
        modality: t.modality(rec.annotation.modality),
        modality_cues: rec.annotation.modality_evidence.join(", "),
        kind: t.kind(inst.kind),
        year: inst.year,
        in_force: inst.in_force && p.is_operative(),
        repealed: p.repealed,
        partial: inst.partial,
        source_url: inst
            .source_url
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        licence: inst.licence.clone(),
        attribution: inst.attribution.clone(),
        notes: p.notes.clone(),
        similar,
        practices: super::practices::PracticeView::list(engine, &f.detail.practices, lang),
    }
}
