//! The search page (`/`): one box, the facets as checkbox lists with their disjunctive counts,
//! the hits with their highlighted snippets, the expansions applied, paging. Every state is in
//! the URL: the page takes `/v1/search`'s parameters (the text language as `language`).

use super::{category_label, country_name, href, marked, provision_href, Chrome, Req};
use crate::api::AppState;
use crate::corpus::model::{InstrumentKind, Language};
use crate::search::{Engine, SearchRequest, SearchResponse};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

/// One value of a facet.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub count: usize,
    pub checked: bool,
    /// Nesting in the category tree (0 for the top).
    pub depth: usize,
    pub id: String,
}

pub struct Facet {
    pub param: &'static str,
    pub title: &'static str,
    /// A single choice (radio buttons with "any"), else checkboxes.
    pub single: bool,
    pub any_checked: bool,
    pub options: Vec<Opt>,
}

pub struct HitView {
    pub href: String,
    pub country: String,
    pub country_name: String,
    pub lang: &'static str,
    pub lang_name: &'static str,
    pub instrument: String,
    pub number: String,
    pub heading: Option<String>,
    pub part: Option<String>,
    pub categories: Vec<String>,
    pub modality: &'static str,
    pub in_force: bool,
    pub snippet: String,
    /// The other copies folded into the hit: link and `country language` label.
    pub also_in: Vec<(String, String)>,
}

pub struct ExpansionView {
    pub category: String,
    pub words: String,
}

/// Practices listed above the provisions on a page of both kinds.
const PRACTICES_BESIDE_PROVISIONS: usize = 3;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    hidden: Vec<(String, String)>,
    total: usize,
    facets: Vec<Facet>,
    hits: Vec<HitView>,
    /// Shared practices the query finds (listed before the provisions).
    practices: Vec<super::practices::PracticeView>,
    practice_total: usize,
    /// On a page of both kinds, the few best practices and the link to all of them.
    practices_all: Option<String>,
    expansions: Vec<ExpansionView>,
    /// Words of the query left out by the postings budget (almost always none).
    left_out: String,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    clear: String,
}

/// The page's parameters as the engine names them.
fn engine_params(req: &Req) -> Vec<(String, String)> {
    req.params
        .iter()
        .map(|(k, v)| match k.as_str() {
            "language" => ("lang".to_string(), v.clone()),
            _ => (k.clone(), v.clone()),
        })
        .collect()
}

pub async fn page(State(s): State<AppState>, req: Req) -> Result<Response, Response> {
    let engine = s.engine();
    let sreq =
        SearchRequest::from_params(&engine_params(&req), engine.taxonomy(), engine.registry())
            .map_err(|e| req.error(e))?;
    let r = {
        let sreq = sreq.clone();
        req.run(&s, move |e| e.search(&sreq)).await?
    };
    let page = view(&req, &engine, &sreq, r);
    Ok(req.render(&page))
}

fn view(req: &Req, engine: &Engine, sreq: &SearchRequest, r: SearchResponse) -> SearchPage {
    let t = req.t;
    let lang = req.lang;
    let selected = |param: &str, v: &str| {
        req.values(param)
            .flat_map(|x| x.split(','))
            .any(|x| x.trim().eq_ignore_ascii_case(v))
    };
    let counts = |dim: &str| r.facets.get(dim).cloned().unwrap_or_default();
    let mut facets = Vec::new();
    // countries: by name in the interface language
    let mut opts: Vec<Opt> = merge_selected(counts("country"), req, "country")
        .into_iter()
        .map(|(v, n)| Opt {
            label: v
                .parse()
                .map(|c| country_name(engine, &c, lang))
                .unwrap_or_else(|_| v.clone()),
            checked: selected("country", &v),
            id: format!("f-country-{v}"),
            value: v,
            count: n,
            depth: 0,
        })
        .collect();
    opts.sort_by(|a, b| a.label.cmp(&b.label));
    facets.push(multi("country", t.facet_country, opts));
    let opts = merge_selected(counts("subsystem"), req, "subsystem")
        .into_iter()
        .map(|(v, n)| Opt {
            label: v.clone(),
            checked: selected("subsystem", &v),
            id: format!("f-subsystem-{v}"),
            value: v,
            count: n,
            depth: 0,
        })
        .collect();
    facets.push(multi("subsystem", t.facet_subsystem, opts));
    let kinds = counts("kind");
    let opts = InstrumentKind::ALL
        .iter()
        .filter(|k| kinds.contains_key(k.as_str()) || selected("kind", k.as_str()))
        .map(|k| Opt {
            value: k.as_str().to_string(),
            label: t.kind(*k).to_string(),
            count: kinds.get(k.as_str()).copied().unwrap_or(0),
            checked: selected("kind", k.as_str()),
            depth: 0,
            id: format!("f-kind-{}", k.as_str()),
        })
        .collect();
    facets.push(multi("kind", t.facet_kind, opts));
    // the category tree, in the taxonomy's order
    let cats = counts("category");
    let tax = engine.taxonomy();
    let opts = tax
        .categories
        .iter()
        .filter(|c| cats.contains_key(c.id.as_str()) || selected("category", c.id.as_str()))
        .map(|c| Opt {
            value: c.id.to_string(),
            label: category_label(engine, &c.id, lang),
            count: cats.get(c.id.as_str()).copied().unwrap_or(0),
            checked: selected("category", c.id.as_str()),
            depth: c.id.as_str().matches('/').count(),
            id: format!("f-category-{}", c.id.as_str().replace('/', "-")),
        })
        .collect();
    facets.push(multi("category", t.facet_category, opts));
    let langs = counts("lang");
    let opts = Language::ALL
        .iter()
        .filter(|l| langs.contains_key(l.code()) || selected("language", l.code()))
        .map(|l| Opt {
            value: l.code().to_string(),
            label: t.language_of(*l).to_string(),
            count: langs.get(l.code()).copied().unwrap_or(0),
            checked: selected("language", l.code()),
            depth: 0,
            id: format!("f-language-{}", l.code()),
        })
        .collect();
    facets.push(multi("language", t.facet_lang, opts));
    let mods = counts("modality");
    let opts = crate::annotate::modality::Modality::ALL
        .iter()
        .filter(|m| mods.contains_key(m.as_str()) || selected("modality", m.as_str()))
        .map(|m| Opt {
            value: m.as_str().to_string(),
            label: t.modality(*m).to_string(),
            count: mods.get(m.as_str()).copied().unwrap_or(0),
            checked: selected("modality", m.as_str()),
            depth: 0,
            id: format!("f-modality-{}", m.as_str()),
        })
        .collect();
    facets.push(multi("modality", t.facet_modality, opts));
    let force = counts("in_force");
    let opts: Vec<Opt> = [("true", t.in_force), ("false", t.not_in_force)]
        .iter()
        .map(|(v, label)| Opt {
            value: v.to_string(),
            label: label.to_string(),
            count: force.get(*v).copied().unwrap_or(0),
            checked: sreq.in_force.map(|f| f.to_string()).as_deref() == Some(v),
            depth: 0,
            id: format!("f-in_force-{v}"),
        })
        .collect();
    facets.push(Facet {
        param: "in_force",
        title: t.facet_in_force,
        single: true,
        any_checked: sreq.in_force.is_none(),
        options: opts,
    });
    // what is listed: provisions of law, shared practices, or both
    let types = counts("type");
    let opts = [("provision", t.results), ("practice", t.practices)]
        .iter()
        .map(|(v, label)| Opt {
            value: v.to_string(),
            label: label.to_string(),
            count: types.get(*v).copied().unwrap_or(0),
            checked: selected("type", v),
            depth: 0,
            id: format!("f-type-{v}"),
        })
        .collect();
    facets.push(multi("type", t.practice_kind_of_result, opts));

    let hits = r
        .hits
        .iter()
        .map(|h| HitView {
            href: provision_href(&h.id),
            country: h.country.to_string(),
            country_name: country_name(engine, &h.country, lang),
            lang: h.language.code(),
            lang_name: t.language_of(h.language),
            instrument: h.instrument.title.clone(),
            number: h.number.clone(),
            heading: h.heading.clone(),
            part: h.part.clone(),
            categories: h
                .categories
                .iter()
                .map(|c| category_label(engine, &c.category, lang))
                .collect(),
            modality: t.modality(h.modality),
            in_force: h.in_force,
            snippet: marked(
                &h.snippet.text,
                &h.snippet
                    .highlights
                    .iter()
                    .map(|(s, e)| (*s, *e, 0))
                    .collect::<Vec<_>>(),
                false,
            ),
            also_in: h
                .also_in
                .iter()
                .map(|c| {
                    (
                        provision_href(&c.id),
                        format!("{} {}", c.country, c.language.code()),
                    )
                })
                .collect(),
        })
        .collect();
    let expansions = r
        .expansions
        .iter()
        .map(|x| {
            let mut words: Vec<&str> = Vec::new();
            for w in x.added.values().flatten() {
                if !words.contains(&w.as_str()) {
                    words.push(w);
                }
            }
            ExpansionView {
                category: category_label(engine, &x.category, lang),
                words: words.join(", "),
            }
        })
        .collect();
    let limit = r.limit.max(1);
    // copies folded into one hit take one place, so the list is shorter than `total`
    let listed = r.total.saturating_sub(r.grouped);
    let pages = listed.div_ceil(limit).max(1);
    let page = r.offset / limit + 1;
    let offset_href = |o: usize| {
        if o == 0 {
            req.href_with("offset", None)
        } else {
            req.href_with("offset", Some(&o.to_string()))
        }
    };
    let prev = (r.offset > 0).then(|| offset_href(r.offset.saturating_sub(limit)));
    let next = (r.offset + limit < listed).then(|| offset_href(r.offset + limit));
    // parameters the form has no control for, kept across a new search
    let hidden = req
        .params
        .iter()
        .filter(|(k, _)| ["limit", "expand", "group", "from", "to"].contains(&k.as_str()))
        .cloned()
        .collect();
    // with provisions listed too, practices take a few lines above them, not the page
    let practices_shown = if sreq.wants(crate::search::request::DocType::Provision) {
        PRACTICES_BESIDE_PROVISIONS
    } else {
        r.practices.len()
    };
    let title = if r.query.is_empty() {
        t.nav_search.to_string()
    } else {
        format!("{} — {}", r.query, t.nav_search)
    };
    SearchPage {
        c: req.chrome(title, "search"),
        q: sreq.q.as_str().to_string(),
        hidden,
        total: r.total,
        facets,
        hits,
        practices: super::practices::PracticeView::list(
            engine,
            &r.practices[..r.practices.len().min(practices_shown)],
            lang,
        ),
        practice_total: r.practice_total,
        practices_all: (r.practice_total > practices_shown)
            .then(|| req.href_with("type", Some("practice"))),
        expansions,
        left_out: r.left_out.join(", "),
        page,
        pages,
        prev,
        next,
        clear: if sreq.q.is_blank() {
            "/".into()
        } else {
            href("/", &[("q", sreq.q.as_str())])
        },
    }
}

fn multi(param: &'static str, title: &'static str, options: Vec<Opt>) -> Facet {
    Facet {
        param,
        title,
        single: false,
        any_checked: false,
        options,
    }
}

/// A dimension's counts plus the values selected that no hit has (shown with 0, so they can
/// be unticked).
fn merge_selected(
    mut counts: std::collections::BTreeMap<String, usize>,
    req: &Req,
    param: &str,
) -> Vec<(String, usize)> {
    for v in req.values(param).flat_map(|x| x.split(',')) {
        let v = v.trim().to_ascii_uppercase();
        if !v.is_empty() {
            counts.entry(v).or_insert(0);
        }
    }
    counts.into_iter().collect()
}
