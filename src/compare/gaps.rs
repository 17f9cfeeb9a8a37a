//! Gaps: the categories where a country's national law in force has no obligation while its
//! peers' has, ranked by how many peers cover them, with exemplars a legislator could adapt.

use super::exemplar::{self, Exemplar};
use super::{partial_caveat, query_link, search_link, tagged};
use crate::annotate::modality::Modality;
use crate::annotate::taxonomy::CategoryId;
use crate::corpus::model::CountryCode;
use crate::error::{Error, Result};
use crate::search::request::subsystem_name;
use crate::search::{Dims, Engine, PartialSource};
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::DocAddress;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    /// What the peers do in the category: their shared practices, beside the exemplars of
    /// their law (records, each with its sources and the law it names).
    pub peer_practices: Vec<crate::search::PracticeHit>,
    /// How many peer practices there are in the category (`peer_practices` shows the first
    /// `MAX_PEER_PRACTICES`: those of the exemplars' countries, then those with law in the
    /// corpus, then the rest).
    pub peer_practices_total: usize,
    /// The search listing them all.
    pub peer_practices_query: String,
}

/// Peer practices shown per gap.
pub const MAX_PEER_PRACTICES: usize = 5;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl std::str::FromStr for Peers {
    type Err = String;
    /// `MERCOSUR` (a subsystem), `all`, or country codes `AR,CL` (whether they are in the
    /// registry is `request::peers`'s check).
    fn from_str(v: &str) -> std::result::Result<Peers, String> {
        let t = v.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Peers::All);
        }
        if let Ok(s) = subsystem_name(t) {
            return Ok(Peers::Subsystem(s));
        }
        let list = crate::params::values(t)
            .map(str::parse)
            .collect::<std::result::Result<Vec<CountryCode>, String>>()?;
        if list.is_empty() {
            return Err("give a subsystem, 'all' or country codes".into());
        }
        Ok(Peers::List(list))
    }
}

/// The practices of the peers in a category, in the peers' order (peers without indexed law
/// included: what a state does is worth knowing even where its law is not in the corpus); a
/// regional mechanism the country itself takes part in is not a peer's practice to adopt.
fn peer_practices(
    engine: &Engine,
    country: &CountryCode,
    peers: &[CountryCode],
    category: &CategoryId,
) -> Vec<crate::search::PracticeHit> {
    let mut out: Vec<crate::search::PracticeHit> = Vec::new();
    for p in peers {
        for h in engine.practices_of(p, category) {
            let own = h.country.as_ref() == Some(country) || h.countries.contains(country);
            if !own && !out.iter().any(|x| x.id == h.id) {
                out.push(h);
            }
        }
    }
    out
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
    let total = |b: &ByPeer<'_>| b.values().map(Vec::len).sum::<usize>();
    found.sort_by(|a, b| {
        b.2.len()
            .cmp(&a.2.len())
            .then(total(&b.2).cmp(&total(&a.2)))
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
        let mut practices = peer_practices(engine, country, &peer_list, id);
        // beside a peer's model provision, what that peer does with it; then practices whose
        // law the corpus holds (checkable), then the rest
        let exemplar_countries: Vec<&CountryCode> =
            picks.iter().map(|(_, d, _)| &d.country).collect();
        practices.sort_by_key(|h| {
            let with_exemplar = h
                .country
                .as_ref()
                .is_some_and(|c| exemplar_countries.contains(&c));
            let linked = h.legal_status == crate::index::practices::LegalStatus::Linked;
            (!with_exemplar, !linked)
        });
        gaps.push(Gap {
            category: id.clone(),
            country_has: if none { "none" } else { "permissive_only" },
            country_query: query_link(country, id, ""),
            peers_query: search_link(
                &by_peer
                    .keys()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                id.as_str(),
                "&modality=obligation&in_force=true",
            ),
            peers_with_obligations: by_peer.keys().map(|c| (*c).clone()).collect(),
            peer_obligations: total(&by_peer),
            exemplars: picks
                .into_iter()
                .map(|(a, d, f)| Exemplar::new(engine, a, d, f, &label))
                .collect::<Result<_>>()?,
            exemplars_note,
            nearest,
            nearest_note,
            caveat: caveat.clone(),
            peer_practices_total: practices.len(),
            peer_practices_query: search_link(
                &peer_list
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                id.as_str(),
                "&type=practice",
            ),
            peer_practices: practices.into_iter().take(MAX_PEER_PRACTICES).collect(),
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
        ranking: "categories where the country's national law in force has no obligation (none at all, or only permissions/other) while peers' national law in force has obligations; ranked by the number of peers with obligations, then by their number of obligation provisions; exemplars by the model-provision ranking (`exemplar`): each peer's best model first, so that they come from different peers, a provision offered for one gap of the report only, never a penalty, definition, transitional clause, delegation, repeal note, incidental mention or treaty wording, nor a noisy text first",
    })
}
