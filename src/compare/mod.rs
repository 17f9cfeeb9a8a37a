//! Comparison across countries, the service's reason to exist: side by side provisions of a
//! category, the coverage matrix (countries x categories), gaps with adoptable provisions from
//! peers, similar provisions across languages, and the Vienna Convention lens. Everything is
//! computed from the engine's in-memory dimensions in one pass, and every count carries the
//! search query that lists the provisions behind it.
//!
//! Provisions of treaties (the INTL texts, and treaties reproduced inside an approving law or a
//! schedule) are kept apart from national law: ratifying the Vienna Convention is not the same
//! as legislating on consular notification.

use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::{CountryCode, InstrumentKind, Language, ProvisionId};
use crate::error::{Error, Result};
use crate::search::PartialSource;
use crate::search::{Dims, Engine};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tantivy::DocAddress;

pub mod brief;
pub mod exemplar;
pub mod request;

use exemplar::{rank as strength, Exemplar};

fn tagged(d: &Dims, cat: &CategoryId) -> bool {
    d.categories.contains(cat)
}

/// The search that lists the provisions behind a count.
pub fn query_link(country: &CountryCode, cat: &CategoryId, extra: &str) -> String {
    format!("/v1/search?country={}&category={}{extra}", country, cat)
}

/// A provision as comparisons show it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: ProvisionId,
    pub link: String,
    pub instrument: String,
    pub instrument_title: String,
    pub kind: InstrumentKind,
    pub language: Language,
    pub number: String,
    pub heading: Option<String>,
    pub part: Option<String>,
    pub modality: Modality,
    pub in_force: bool,
    pub categories: Vec<CategoryId>,
    pub excerpt: String,
}

fn item(engine: &Engine, addr: DocAddress) -> Result<Item> {
    let r = engine.record(addr)?;
    let end = crate::text::char_offset(&r.provision.text, 300);
    let in_force = r.instrument.in_force && r.provision.is_operative();
    Ok(Item {
        link: format!("/v1/provisions/{}", r.provision.id),
        id: r.provision.id,
        instrument: r.instrument.id,
        instrument_title: r.instrument.title,
        kind: r.instrument.kind,
        language: r.provision.language,
        number: r.provision.number,
        heading: r.provision.heading,
        part: r.provision.part,
        modality: r.annotation.modality,
        in_force,
        categories: r.annotation.tags.into_iter().map(|t| t.category).collect(),
        excerpt: r.provision.text[..end].replace('\n', " "),
    })
}

/// Why a cell or a country has nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    Covered,
    /// Nothing found, in sources that are complete.
    NotFound,
    /// Nothing found, but some of the country's sources lack articles: the absence may be a
    /// missing article, not a missing rule.
    NotFoundPartial,
    NoSources,
}

impl CellState {
    /// The state of a count for a country with or without indexed sources, complete or not.
    pub fn of(has_sources: bool, partial: bool, count: usize) -> CellState {
        match (has_sources, count) {
            (false, _) => CellState::NoSources,
            (true, 0) if partial => CellState::NotFoundPartial,
            (true, 0) => CellState::NotFound,
            _ => CellState::Covered,
        }
    }
}

/// What a comparison says of a country whose sources lack articles.
fn partial_caveat(country: &CountryCode, partial: &[PartialSource]) -> Option<String> {
    if partial.is_empty() {
        return None;
    }
    let list: Vec<String> = partial
        .iter()
        .map(|p| format!("{} ({})", p.instrument, p.summary))
        .collect();
    Some(format!(
        "sources of {country} lack articles, so an absence there may be a missing article: {}",
        list.join("; ")
    ))
}

// ---------------------------------------------------------------- side by side

#[derive(Debug, Clone, Serialize)]
pub struct CompareCountry {
    pub country: CountryCode,
    pub state: CellState,
    pub message: Option<String>,
    /// The country's instruments whose sources lack articles.
    pub partial_sources: Vec<PartialSource>,
    pub count: usize,
    pub query: String,
    /// National provisions, strongest first by substance (`exemplar`), each with its reason.
    pub provisions: Vec<Exemplar>,
    /// Copies of treaties (shown apart from national law).
    pub treaty_copies: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompareResponse {
    pub category: CategoryId,
    pub countries: Vec<CompareCountry>,
    pub ranking: &'static str,
}

/// Side by side: each country's provisions in a category, best first.
pub fn compare(
    engine: &Engine,
    category: &CategoryId,
    countries: &[CountryCode],
    q: Option<&str>,
    per_country: usize,
) -> Result<CompareResponse> {
    if countries.is_empty() {
        return Err(Error::invalid(
            "countries",
            "give at least one country (or a subsystem)",
        ));
    }
    let allowed: Option<BTreeSet<ProvisionId>> = match q.filter(|q| !q.trim().is_empty()) {
        Some(q) => {
            let mut ids = BTreeSet::new();
            let mut offset = 0;
            loop {
                let req = crate::search::SearchRequest {
                    q: q.to_string(),
                    categories: vec![category.clone()],
                    countries: countries.to_vec(),
                    limit: 100,
                    offset,
                    ..Default::default()
                };
                let r = engine.search(&req)?;
                ids.extend(r.hits.iter().map(|h| h.id.clone()));
                offset += 100;
                if offset >= r.total || offset > 1000 {
                    break;
                }
            }
            Some(ids)
        }
        None => None,
    };
    let sources = engine.countries_with_sources();
    let label = en_label(engine, category);
    let mut out = Vec::new();
    for c in countries {
        let mut national: Vec<(DocAddress, &Dims)> = Vec::new();
        let mut treaty: Vec<(DocAddress, &Dims)> = Vec::new();
        for (a, d) in engine.docs() {
            if &d.country != c
                || !tagged(d, category)
                || allowed.as_ref().is_some_and(|ids| !ids.contains(&d.id))
            {
                continue;
            }
            if d.treaty_copy {
                treaty.push((a, d));
            } else {
                national.push((a, d));
            }
        }
        national.sort_by_key(|(_, d)| strength(d, category));
        treaty.sort_by_key(|(_, d)| strength(d, category));
        let partial = engine.partial_sources(c);
        let state = CellState::of(sources.contains(c), !partial.is_empty(), national.len());
        let message = match state {
            CellState::NoSources => Some(format!("no instrument of {c} is indexed")),
            CellState::NotFound => Some(format!(
                "the indexed national instruments of {c} have no provision in {category}"
            )),
            CellState::NotFoundPartial => Some(format!(
                "the indexed national instruments of {c} have no provision in {category}; {}",
                partial_caveat(c, &partial).unwrap_or_default()
            )),
            CellState::Covered => None,
        };
        out.push(CompareCountry {
            country: c.clone(),
            state,
            message,
            partial_sources: partial,
            count: national.len(),
            query: query_link(c, category, ""),
            provisions: national
                .iter()
                .take(per_country)
                .map(|(a, d)| Exemplar::new(engine, *a, d, exemplar::features(d, category), &label))
                .collect::<Result<_>>()?,
            treaty_copies: treaty
                .iter()
                .take(per_country)
                .map(|(a, _)| item(engine, *a))
                .collect::<Result<_>>()?,
        });
    }
    Ok(CompareResponse {
        category: category.clone(),
        countries: out,
        ranking: exemplar::RANKING,
    })
}

// ---------------------------------------------------------------- matrix

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub state: CellState,
    pub provisions: usize,
    pub obligations: usize,
    pub strongest: Option<ProvisionId>,
    /// The search listing the provisions counted (add `&modality=obligation` for the
    /// obligations: `obligations_query`).
    pub query: String,
    pub obligations_query: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub country: CountryCode,
    pub name: String,
    pub state: CellState,
    /// The country's instruments whose sources lack articles; its empty cells are
    /// `not_found_partial`.
    pub partial_sources: Vec<PartialSource>,
    pub cells: BTreeMap<CategoryId, Cell>,
    /// Parent categories rolled up from their leaves.
    pub rollups: BTreeMap<CategoryId, Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub columns: Vec<CategoryId>,
    pub rows: Vec<MatrixRow>,
    pub note: &'static str,
}

/// Filters for the matrix.
#[derive(Debug, Clone, Default)]
pub struct MatrixRequest {
    pub subsystem: Option<String>,
    pub kinds: Vec<InstrumentKind>,
    pub in_force: Option<bool>,
    pub categories: Vec<CategoryId>,
}

/// Provisions, obligations and the strongest provision of one cell while counting.
type CellAcc<'a> = (usize, usize, Option<&'a Dims>);

/// The coverage matrix, in one pass over the index.
pub fn matrix(engine: &Engine, r: &MatrixRequest) -> Result<Matrix> {
    let tax = engine.taxonomy();
    let columns: Vec<CategoryId> = if r.categories.is_empty() {
        tax.leaves().map(|c| c.id.clone()).collect()
    } else {
        let mut v: Vec<CategoryId> = r
            .categories
            .iter()
            .flat_map(|c| tax.leaves_under(c))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let countries: Vec<&crate::corpus::countries::Country> = engine
        .registry()
        .oas_members()
        .filter(|c| r.subsystem.as_ref().is_none_or(|s| c.in_subsystem(s)))
        .collect();
    let sources = engine.countries_with_sources();
    // country -> category -> (provisions, obligations, best)
    let mut acc: HashMap<&CountryCode, HashMap<&CategoryId, CellAcc>> = HashMap::new();
    for (_, d) in engine.docs() {
        if d.treaty_copy
            || !r.kinds.is_empty() && !r.kinds.contains(&d.kind)
            || r.in_force.is_some_and(|f| f != d.in_force)
        {
            continue;
        }
        for (c, _) in &d.tags {
            let e = acc
                .entry(&d.country)
                .or_default()
                .entry(c)
                .or_insert((0, 0, None));
            e.0 += 1;
            if d.modality == Modality::Obligation {
                e.1 += 1;
            }
            if e.2.is_none_or(|b| strength(d, c) < strength(b, c)) {
                e.2 = Some(d);
            }
        }
    }
    let filters = {
        let mut f = String::new();
        for k in &r.kinds {
            f.push_str(&format!("&kind={k}"));
        }
        if let Some(x) = r.in_force {
            f.push_str(&format!("&in_force={x}"));
        }
        f
    };
    let mut rows = Vec::new();
    for c in countries {
        let has_sources = sources.contains(&c.code);
        let partial_sources = engine.partial_sources(&c.code);
        let partial = !partial_sources.is_empty();
        let row_acc = acc.get(&c.code);
        let mut cells = BTreeMap::new();
        for col in &columns {
            let (n, o, best) = row_acc
                .and_then(|m| m.get(col))
                .copied()
                .unwrap_or((0, 0, None));
            let state = CellState::of(has_sources, partial, n);
            cells.insert(
                col.clone(),
                Cell {
                    state,
                    provisions: n,
                    obligations: o,
                    strongest: best.map(|d| d.id.clone()),
                    obligations_query: format!(
                        "{}&modality=obligation",
                        query_link(&c.code, col, &filters)
                    ),
                    query: query_link(&c.code, col, &filters),
                },
            );
        }
        let mut rollups = BTreeMap::new();
        for parent in tax.categories.iter().filter(|p| !p.leaf) {
            let leaves: Vec<&Cell> = cells
                .iter()
                .filter(|(k, _)| k.as_str().starts_with(&format!("{}/", parent.id.as_str())))
                .map(|(_, v)| v)
                .collect();
            if leaves.is_empty() {
                continue;
            }
            let provisions = leaves.iter().map(|c| c.provisions).sum();
            let obligations = leaves.iter().map(|c| c.obligations).sum();
            let state = CellState::of(has_sources, partial, provisions);
            // provisions may carry several leaves of one parent: the sums count tags, not
            // distinct provisions; the query lists the distinct provisions
            rollups.insert(
                parent.id.clone(),
                Cell {
                    state,
                    provisions,
                    obligations,
                    strongest: None,
                    obligations_query: format!(
                        "{}&modality=obligation",
                        query_link(&c.code, &parent.id, &filters)
                    ),
                    query: query_link(&c.code, &parent.id, &filters),
                },
            );
        }
        rows.push(MatrixRow {
            country: c.code.clone(),
            name: c.name("en").to_string(),
            state: if has_sources {
                CellState::Covered
            } else {
                CellState::NoSources
            },
            partial_sources,
            cells,
            rollups,
        });
    }
    Ok(Matrix {
        columns,
        rows,
        note: "`not_found_partial`: nothing found, but the country's sources lack articles (see `partial_sources`); national law only: treaties and treaty texts reproduced in approving laws are not counted; `provisions` counts provisions tagged with the category, `obligations` those whose modality is obligation; rollups add up their leaves' tags",
    })
}

/// The matrix as CSV: one row per country, for each column `provisions/obligations` or the
/// empty state.
pub fn matrix_csv(m: &Matrix) -> String {
    let mut out = String::from("country,name");
    for c in &m.columns {
        out.push(',');
        out.push_str(c.as_str());
    }
    out.push('\n');
    for r in &m.rows {
        out.push_str(&format!(
            "{},\"{}\"",
            r.country,
            r.name.replace('"', "\"\"")
        ));
        for c in &m.columns {
            let cell = &r.cells[c];
            out.push(',');
            match cell.state {
                CellState::Covered => {
                    out.push_str(&format!("{}/{}", cell.provisions, cell.obligations))
                }
                CellState::NotFound => out.push_str("not_found"),
                CellState::NotFoundPartial => out.push_str("not_found_partial"),
                CellState::NoSources => out.push_str("no_sources"),
            }
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------- gaps

#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub category: CategoryId,
    pub label: String,
    /// What the country has: `none` or `permissive_only`.
    pub country_has: &'static str,
    pub country_query: String,
    pub peers_with_obligations: Vec<CountryCode>,
    pub peer_obligations: usize,
    /// The search that lists the peers' obligations counted in `peer_obligations` (national
    /// law in force; treaty copies, which the search also lists, are not counted).
    pub peers_query: String,
    /// Peers' provisions offered as models, each with its reason (`exemplar::pick`).
    pub exemplars: Vec<Exemplar>,
    /// Why fewer (or no) exemplars are offered than asked for.
    pub exemplars_note: Option<String>,
    /// The country's own provisions nearest to the category, so that the gap can be checked.
    pub nearest: Vec<exemplar::Nearest>,
    /// Said when the country has no such provision at all.
    pub nearest_note: Option<String>,
    /// Said first when the country's sources lack articles: the gap may be a missing article.
    pub caveat: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapsResponse {
    pub country: CountryCode,
    pub peers: Vec<CountryCode>,
    pub peers_basis: String,
    /// Why the peers are not the ones asked for, when the asked-for peers have no sources.
    pub peers_fallback: Option<String>,
    /// The country's instruments whose sources lack articles.
    pub partial_sources: Vec<PartialSource>,
    pub gaps: Vec<Gap>,
    /// What was compared and why nothing was found, when there are no gaps.
    pub statement: Option<String>,
    pub ranking: &'static str,
}

/// Peers of a gap analysis.
#[derive(Debug, Clone)]
pub enum Peers {
    /// The country's own integration subsystems (default).
    Subsystems,
    Subsystem(String),
    All,
    List(Vec<CountryCode>),
}

/// Categories where the country has no provision (or only non-binding ones) while peers have
/// obligations, ranked by how many peers cover them, with exemplars a legislator could adapt.
pub fn gaps(
    engine: &Engine,
    country: &CountryCode,
    peers: &Peers,
    exemplars_per_gap: usize,
) -> Result<GapsResponse> {
    let reg = engine.registry();
    let me = reg
        .get(country)
        .ok_or_else(|| Error::invalid("country", format!("unknown country '{country}'")))?;
    let peers = &peers.clone().validated(reg)?;
    let sources = engine.countries_with_sources();
    if !sources.contains(country) {
        return Err(Error::invalid(
            "country",
            format!("no instrument of {country} is indexed: nothing to compare"),
        ));
    }
    let (peer_list, basis): (Vec<CountryCode>, String) = match peers {
        Peers::Subsystems => {
            let subs: Vec<&String> = me.subsystems.iter().chain(&me.associate).collect();
            let v = reg
                .countries
                .iter()
                .filter(|c| c.code != *country && subs.iter().any(|s| c.in_subsystem(s)))
                .map(|c| c.code.clone())
                .collect();
            let basis = if subs.is_empty() {
                format!("members of the country's integration subsystems ({country} belongs to none of SICA, CAN, MERCOSUR, CARICOM)")
            } else {
                format!(
                    "members of {} (the country's integration subsystems)",
                    subs.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            (v, basis)
        }
        Peers::Subsystem(s) => (
            reg.members_of(s)
                .into_iter()
                .filter(|c| c != country)
                .collect(),
            format!("members of {s}"),
        ),
        Peers::All => (
            reg.countries
                .iter()
                .map(|c| c.code.clone())
                .filter(|c| c != country)
                .collect(),
            "all OAS member states".into(),
        ),
        Peers::List(v) => (
            v.iter().filter(|c| *c != country).cloned().collect(),
            "the countries given".into(),
        ),
    };
    let mut peers_with_sources: Vec<CountryCode> = peer_list
        .iter()
        .filter(|c| sources.contains(c) && !c.is_intl())
        .cloned()
        .collect();
    // An empty comparison is no clean bill of health: with no peer that has sources, compare
    // with every member that has, and say so.
    let mut peers_fallback = None;
    let mut basis = basis;
    if peers_with_sources.is_empty() {
        peers_fallback = Some(format!(
            "no peers with sources among the {basis}; compared with all OAS members with sources instead"
        ));
        basis = "all OAS member states with sources".into();
        peers_with_sources = reg
            .oas_members()
            .map(|c| c.code.clone())
            .filter(|c| c != country && sources.contains(c))
            .collect();
    }
    let partial_sources = engine.partial_sources(country);
    let caveat = partial_caveat(country, &partial_sources);
    let tax = engine.taxonomy();
    // the gaps first, then their exemplars in the order they are reported, so that a
    // provision is offered for one gap only (the first that wants it)
    type ByPeer<'a> = BTreeMap<&'a CountryCode, Vec<(DocAddress, &'a Dims)>>;
    let mut found: Vec<(&crate::annotate::taxonomy::Category, bool, ByPeer<'_>)> = Vec::new();
    for cat in tax.leaves() {
        let id = &cat.id;
        let mine: Vec<&Dims> = engine
            .docs()
            .map(|(_, d)| d)
            .filter(|d| &d.country == country && !d.treaty_copy && d.in_force && tagged(d, id))
            .collect();
        if mine.iter().any(|d| d.modality == Modality::Obligation) {
            continue;
        }
        let mut by_peer: ByPeer<'_> = BTreeMap::new();
        for (a, d) in engine.docs() {
            if peers_with_sources.contains(&d.country)
                && !d.treaty_copy
                && d.in_force
                && d.modality == Modality::Obligation
                && d.tags.iter().any(|(c, _)| c == id)
            {
                by_peer.entry(&d.country).or_default().push((a, d));
            }
        }
        if !by_peer.is_empty() {
            found.push((cat, mine.is_empty(), by_peer));
        }
    }
    found.sort_by(|a, b| {
        b.2.len()
            .cmp(&a.2.len())
            .then(
                b.2.values()
                    .map(Vec::len)
                    .sum::<usize>()
                    .cmp(&a.2.values().map(Vec::len).sum()),
            )
            .then(a.0.id.cmp(&b.0.id))
    });
    let mut used = std::collections::HashSet::new();
    let mut gaps = Vec::new();
    for (cat, none, by_peer) in found {
        let id = &cat.id;
        let label = cat.labels.get("en").cloned().unwrap_or_default();
        let picks = exemplar::pick(&by_peer, id, exemplars_per_gap, &mut used);
        let exemplars_note = (picks.len() < exemplars_per_gap)
            .then(|| exemplar::shortfall(&by_peer, id, picks.len()));
        let (nearest, nearest_note) = exemplar::nearest(engine, country, id, &label)?;
        gaps.push(Gap {
            category: id.clone(),
            country_has: if none { "none" } else { "permissive_only" },
            country_query: query_link(country, id, ""),
            peers_query: format!(
                "/v1/search?country={}&category={}&modality=obligation&in_force=true",
                by_peer
                    .keys()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                id
            ),
            peers_with_obligations: by_peer.keys().map(|c| (*c).clone()).collect(),
            peer_obligations: by_peer.values().map(|v| v.len()).sum(),
            exemplars: picks
                .into_iter()
                .map(|(a, d, f)| Exemplar::new(engine, a, d, f, &label))
                .collect::<Result<_>>()?,
            exemplars_note,
            nearest,
            nearest_note,
            caveat: caveat.clone(),
            label,
        });
    }
    let statement = gaps.is_empty().then(|| {
        format!(
            "no gaps: wherever {} ({basis}) have obligations in force, {country} has too",
            peers_with_sources
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    Ok(GapsResponse {
        country: country.clone(),
        peers: peers_with_sources,
        peers_basis: basis,
        peers_fallback,
        partial_sources,
        gaps,
        statement,
        ranking: "categories where the country's national law in force has no obligation (none at all, or only permissions/other) while peers' national law in force has obligations; ranked by the number of peers with obligations, then by their number of obligation provisions; exemplars by the model-provision ranking (see `exemplar`): each peer's best model first, so that they come from different peers, a provision offered for one gap only, never a penalty, definition, transitional clause, delegation, repeal note, noisy text or incidental mention first",
    })
}

/// The English label of a category (the id if it has none).
fn en_label(engine: &Engine, id: &CategoryId) -> String {
    engine
        .taxonomy()
        .get(id)
        .and_then(|c| c.labels.get("en").cloned())
        .unwrap_or_else(|| id.to_string())
}

// ---------------------------------------------------------------- similar

#[derive(Debug, Clone, Serialize)]
pub struct SimilarItem {
    #[serde(flatten)]
    pub item: Item,
    pub country: CountryCode,
    pub score: f32,
    pub shared_categories: Vec<CategoryId>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarResponse {
    pub source: ProvisionId,
    pub terms: Vec<String>,
    pub similar: Vec<SimilarItem>,
}

/// The closest provisions in other instruments: shared categories plus a more-like-this query
/// over the source's most distinctive words, translated across languages like a search.
pub fn similar(
    engine: &Engine,
    id: &ProvisionId,
    countries: &[CountryCode],
    langs: &[Language],
    limit: usize,
) -> Result<SimilarResponse> {
    use crate::search::eval::Node;
    use tantivy::Term;
    // candidates ranked before diversifying
    const MAX_CANDIDATES: usize = 400;
    let (addr, src) = engine
        .dims_of(id)
        .ok_or_else(|| Error::NotFound(format!("provision {id}")))?;
    let rec = engine.record(addr)?;
    let lang = rec.provision.language;
    let f = engine.fields();
    // distinctive words: frequent in the provision, rare in the index
    let mut tf: HashMap<String, (String, usize)> = HashMap::new();
    for t in crate::text::analyse(&rec.provision.text, lang) {
        let surface = &rec.provision.text[t.start..t.end];
        if surface.chars().count() < 5
            || crate::corpus::lang::is_stopword(surface)
            || surface.chars().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        tf.entry(t.term.to_string())
            .or_insert_with(|| (surface.to_lowercase(), 0))
            .1 += 1;
    }
    let n = engine.num_docs().max(1) as f32;
    let mut scored: Vec<(f32, String)> = tf
        .into_iter()
        .map(|(stem, (surface, count))| {
            let df = engine.doc_freq(&Term::from_field_text(f.body(lang), &stem)) as f32;
            // a word found nowhere else cannot connect the provision to anything
            let idf = if df < 2.0 { 0.0 } else { (n / (1.0 + df)).ln() };
            ((1.0 + count as f32).ln() * idf, surface)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let words: Vec<String> = scored.into_iter().take(12).map(|(_, w)| w).collect();
    let cognates = |p: &str| engine.cognates(p);
    let tr = crate::search::tquery::Translator {
        glossary: engine.glossary(),
        cognates: &cognates,
    };
    let doc_freq = |t: &Term| engine.doc_freq(t);
    let cx = crate::search::tquery::Ctx {
        fields: f,
        doc_freq: &doc_freq,
    };
    let mut parts: Vec<Node> = words
        .iter()
        .map(|w| crate::search::tquery::translated_word(&cx, w, &tr))
        .collect();
    for (c, _) in &src.tags {
        parts.push(Node::Const(
            Term::from_field_text(f.category, c.as_str()),
            2.0,
        ));
    }
    if parts.is_empty() {
        return Ok(SimilarResponse {
            source: id.clone(),
            terms: words,
            similar: vec![],
        });
    }
    let mut hits = engine.evaluate(&Node::any(parts))?;
    let reach = crate::search::eval::rank_top(&mut hits, MAX_CANDIDATES);
    hits.truncate(reach);
    // Diversified: at most 3 per instrument, and the source's own language may fill at most 60%
    // of the list while other languages remain, so the answer crosses languages and countries.
    let same_lang_cap = (limit * 3).div_ceil(5);
    let mut per_instrument: HashMap<String, usize> = HashMap::new();
    let mut same_lang = 0;
    let mut out = Vec::new();
    let mut deferred = Vec::new();
    for (score, a) in hits {
        let Some(d) = engine.dims_at(a) else { continue };
        let n = per_instrument.entry(d.instrument.clone()).or_insert(0);
        if *n >= 3 {
            continue;
        }
        if d.language == lang && same_lang >= same_lang_cap {
            deferred.push((score, a));
            continue;
        }
        // MoreLikeThis finds the source first; other copies of the same instrument add nothing
        if d.instrument == src.instrument
            || (!countries.is_empty() && !countries.contains(&d.country))
            || (!langs.is_empty() && !langs.contains(&d.language))
        {
            continue;
        }
        let shared: Vec<CategoryId> = d
            .tags
            .iter()
            .map(|(c, _)| c.clone())
            .filter(|c| src.tags.iter().any(|(s, _)| s == c))
            .collect();
        let reason = match (shared.is_empty(), d.language == lang) {
            (false, true) => format!(
                "shares {} and the source's distinctive words",
                shared
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (false, false) => format!(
                "shares {}; distinctive words matched across languages ({} -> {})",
                shared
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                lang,
                d.language
            ),
            (true, true) => "shares the source's distinctive words".to_string(),
            (true, false) => format!(
                "distinctive words matched across languages ({} -> {})",
                lang, d.language
            ),
        };
        *n += 1;
        if d.language == lang {
            same_lang += 1;
        }
        out.push(SimilarItem {
            item: item(engine, a)?,
            country: d.country.clone(),
            score,
            shared_categories: shared,
            reason,
        });
        if out.len() >= limit {
            break;
        }
    }
    // not enough in other languages: fill up with the source language's next best
    for (score, a) in deferred {
        if out.len() >= limit {
            break;
        }
        let Some(d) = engine.dims_at(a) else { continue };
        let shared: Vec<CategoryId> = d
            .tags
            .iter()
            .map(|(c, _)| c.clone())
            .filter(|c| src.tags.iter().any(|(s, _)| s == c))
            .collect();
        let reason = if shared.is_empty() {
            "shares the source's distinctive words".to_string()
        } else {
            format!(
                "shares {} and the source's distinctive words",
                shared
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(SimilarItem {
            item: item(engine, a)?,
            country: d.country.clone(),
            score,
            shared_categories: shared,
            reason,
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(SimilarResponse {
        source: id.clone(),
        terms: words,
        similar: out,
    })
}

// ---------------------------------------------------------------- standards lens

#[derive(Debug, Clone, Serialize)]
pub struct StandardCountry {
    pub provisions: usize,
    pub strongest: ProvisionId,
    pub query: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandardArticle {
    /// As cited by the taxonomy: `36`, `5(e)`.
    pub article: String,
    pub title: Option<String>,
    pub vccr_provision: Option<ProvisionId>,
    pub categories: Vec<CategoryId>,
    /// Countries with national provisions in those categories.
    pub countries: BTreeMap<CountryCode, StandardCountry>,
    /// Countries with sources but no such provision.
    pub without: Vec<CountryCode>,
}

/// For the Vienna Convention articles that ground the taxonomy, which countries legislate on
/// the matching categories, with their strongest provision.
pub fn standards_vccr(engine: &Engine) -> Result<Vec<StandardArticle>> {
    let tax = engine.taxonomy();
    let mut by_article: BTreeMap<(u32, String), Vec<CategoryId>> = BTreeMap::new();
    for c in tax.leaves() {
        for a in &c.vccr {
            let base: u32 = a
                .chars()
                .take_while(|x| x.is_ascii_digit())
                .collect::<String>()
                .parse()
                .unwrap_or(0);
            by_article
                .entry((base, a.clone()))
                .or_default()
                .push(c.id.clone());
        }
    }
    let sources = engine.countries_with_sources();
    let source_instrument = engine.instrument(crate::search::VCCR_SOURCE).ok();
    let mut out = Vec::new();
    for ((base, label), cats) in by_article {
        let mut countries: BTreeMap<CountryCode, (usize, &Dims)> = BTreeMap::new();
        for (_, d) in engine.docs() {
            if d.treaty_copy || d.country.is_intl() {
                continue;
            }
            for c in &cats {
                if tagged(d, c) {
                    let e = countries.entry(d.country.clone()).or_insert((0, d));
                    e.0 += 1;
                    if strength(d, c) < strength(e.1, c) {
                        e.1 = d;
                    }
                    break;
                }
            }
        }
        let vccr = source_instrument.as_ref().and_then(|i| {
            i.provision_list
                .iter()
                .find(|p| p.number == base.to_string() && p.id.as_str().contains(":art_"))
        });
        let cat_param = cats
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",");
        out.push(StandardArticle {
            article: label,
            title: vccr.and_then(|p| p.heading.clone()),
            vccr_provision: vccr.map(|p| p.id.clone()),
            without: sources
                .iter()
                .filter(|c| !c.is_intl() && !countries.contains_key(*c))
                .cloned()
                .collect(),
            countries: countries
                .into_iter()
                .map(|(c, (n, d))| {
                    let q = format!("/v1/search?country={c}&category={cat_param}");
                    (
                        c,
                        StandardCountry {
                            provisions: n,
                            strongest: d.id.clone(),
                            query: q,
                        },
                    )
                })
                .collect(),
            categories: cats,
        });
    }
    Ok(out)
}
