//! The gaps pages: `/gaps` lists the countries with sources, `/gaps/{country}` shows the
//! ranked gaps against the country's peers with the exemplars a legislator could adapt, the
//! engine's reasons and caveats, and links to the searches behind each count. Takes
//! `/v1/gaps`'s parameters (`peers`, `exemplars`), the country in the path.

use super::compare::{item_view, subsystem_choices, Choice, ItemView};
use super::{brief_href, category_label, country_name, search_href, Chrome, Req};
use crate::api::AppState;
use crate::compare::{self, request, GapsResponse};
use crate::search::{CountryEntry, Engine};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

pub struct CountryLink {
    pub href: String,
    pub name: String,
    pub code: String,
    pub provisions: usize,
}

#[derive(Template)]
#[template(path = "gaps_index.html")]
struct GapsIndex {
    c: Chrome,
    countries: Vec<CountryLink>,
}

pub struct GapView {
    pub label: String,
    pub has: &'static str,
    pub country_search: String,
    pub peers: Vec<String>,
    pub peer_obligations: usize,
    pub peers_search: String,
    pub exemplars: Vec<(String, ItemView, String)>,
    /// Why fewer exemplars (or none) are offered than asked for, in the engine's words.
    pub exemplars_note: Option<String>,
    /// The country's own nearest provisions in the category, with why each falls short, so
    /// that the gap can be checked; or the engine's note that there are none.
    pub nearest: Vec<(ItemView, String)>,
    pub nearest_note: Option<String>,
    /// What the peers do in the category: their shared practices.
    pub practices: Vec<super::practices::PracticeView>,
    pub practices_total: usize,
    pub practices_search: String,
    /// The index of its caveat in the page's list of caveats.
    pub caveat: Option<usize>,
}

#[derive(Template)]
#[template(path = "gaps.html")]
struct GapsPage {
    c: Chrome,
    code: String,
    name: String,
    peers: Vec<String>,
    peers_basis: String,
    peers_fallback: Option<String>,
    partial: Vec<String>,
    /// The engine's caveats, each once (every gap of a country with partial sources has one).
    caveats: Vec<String>,
    gaps: Vec<GapView>,
    ranking: &'static str,
    subsystems: Vec<Choice>,
    all_peers: bool,
    brief: Option<String>,
}

pub async fn index(State(s): State<AppState>, req: Req) -> Result<Response, Response> {
    if let Some((k, _)) = req.params.first() {
        return Err(req.error(crate::Error::invalid(k, "unknown parameter (lang)")));
    }
    let list: Vec<CountryEntry> = req.run(&s, |e| Ok(e.countries())).await?;
    let engine = s.engine();
    let mut countries: Vec<CountryLink> = list
        .iter()
        .filter(|c| c.provisions > 0 && !c.country.code.is_intl())
        .map(|c| CountryLink {
            href: format!("/gaps/{}", c.country.code),
            name: country_name(&engine, &c.country.code, req.lang),
            code: c.country.code.to_string(),
            provisions: c.provisions,
        })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(req.render(&GapsIndex {
        c: req.chrome(req.t.nav_gaps, "gaps"),
        countries,
    }))
}

pub async fn page(
    State(s): State<AppState>,
    Path(country): Path<String>,
    req: Req,
) -> Result<Response, Response> {
    let engine = s.engine();
    let mut p = req.params.clone();
    p.push(("country".into(), country));
    let gp = request::gaps(&p, &engine).map_err(|e| req.error(e))?;
    let g = req
        .run(&s, move |e| {
            compare::gaps(e, &gp.country, &gp.peers, gp.exemplars)
        })
        .await?;
    Ok(req.render(&view(&req, &engine, g)))
}

fn view(req: &Req, engine: &Engine, g: GapsResponse) -> GapsPage {
    let lang = req.lang;
    let t = req.t;
    let name = country_name(engine, &g.country, lang);
    let mut caveats: Vec<String> = Vec::new();
    let gaps = g
        .gaps
        .iter()
        .map(|x| GapView {
            label: category_label(engine, &x.category, lang),
            has: if x.country_has == "none" {
                t.country_has_none
            } else {
                t.country_has_permissive
            },
            country_search: search_href(&x.country_query),
            peers: x
                .peers_with_obligations
                .iter()
                .map(|c| country_name(engine, c, lang))
                .collect(),
            peer_obligations: x.peer_obligations,
            peers_search: search_href(&x.peers_query),
            exemplars_note: x.exemplars_note.clone(),
            exemplars: x
                .exemplars
                .iter()
                .map(|x| {
                    (
                        country_name(engine, &x.country, lang),
                        item_view(req, &x.item),
                        x.reason.clone(),
                    )
                })
                .collect(),
            nearest: x
                .nearest
                .iter()
                .map(|n| (item_view(req, &n.item), n.why.clone()))
                .collect(),
            nearest_note: x.nearest_note.clone(),
            practices: super::practices::PracticeView::list(engine, &x.peer_practices, lang),
            practices_total: x.peer_practices_total,
            practices_search: search_href(&x.peer_practices_query),
            caveat: x.caveat.as_ref().map(|cv| {
                caveats.iter().position(|c| c == cv).unwrap_or_else(|| {
                    caveats.push(cv.clone());
                    caveats.len() - 1
                })
            }),
        })
        .collect();
    let peers_param = req.first("peers");
    GapsPage {
        c: req.chrome(format!("{} {}", t.gaps_for, name), "gaps"),
        brief: brief_href(&g.country),
        code: g.country.to_string(),
        name,
        peers: g
            .peers
            .iter()
            .map(|c| country_name(engine, c, lang))
            .collect(),
        peers_basis: g.peers_basis,
        peers_fallback: g.peers_fallback,
        partial: g
            .partial_sources
            .iter()
            .map(|p| format!("{}: {}", p.title, p.summary))
            .collect(),
        caveats,
        gaps,
        ranking: g.ranking,
        subsystems: subsystem_choices(peers_param),
        all_peers: peers_param.is_some_and(|p| p.eq_ignore_ascii_case("all")),
    }
}

/// The brief's own policy: the document is one self-contained file whose print styles are
/// inline, so it allows inline style and nothing else.
const BRIEF_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// `/brief/{country}`: the printable brief in the interface language, the same document as
/// `/v1/brief?format=html` (`peers` and `exemplars` as there).
pub async fn brief(
    State(s): State<AppState>,
    Path(country): Path<String>,
    req: Req,
) -> Result<Response, Response> {
    use axum::response::IntoResponse;
    let engine = s.engine();
    let mut p: Vec<(String, String)> = req
        .params
        .iter()
        .filter(|(k, _)| k == "peers" || k == "exemplars")
        .cloned()
        .collect();
    p.push(("country".into(), country));
    p.push(("lang".into(), req.lang.code().into()));
    let (br, format) = request::brief(&p, &engine).map_err(|e| req.error(e))?;
    let doc = req
        .run(&s, move |e| compare::brief::document(e, &br, format))
        .await?;
    let mut r = doc.into_response();
    super::html_headers(&mut r, BRIEF_CSP);
    Ok(r)
}
