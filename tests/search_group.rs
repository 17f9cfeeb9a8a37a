//! Grouping of copies over the shared corpus: a Vienna Convention article and its
//! reproductions, and a Canadian section and its twin, take one place in a top 10.

mod common;

use axum::http::StatusCode;
use common::{enc, get};
use consulex::search::{VCCR_COPIES, VCCR_SOURCE};
use serde_json::Value;
use std::collections::BTreeSet;

/// Consular fees, notification of detention (article 36), consular functions, in es/en/fr/pt.
const QUERIES: &[&str] = &[
    "derechos consulares aranceles",
    "notificación de la detención de un nacional",
    "funciones consulares",
    "consular fees",
    "notification of the arrest of a national",
    "consular functions",
    "droits consulaires",
    "fonctions consulaires",
    "taxas consulares",
    "notificação da prisão de um nacional",
    "funções consulares",
];

/// The Vienna Convention article an id is a copy of, if it is one.
fn vccr_article(id: &str) -> Option<String> {
    let (inst, eid) = id.split_once(':')?;
    if inst == VCCR_SOURCE {
        return eid.strip_prefix("art_").map(str::to_string);
    }
    VCCR_COPIES
        .iter()
        .find(|(i, _)| *i == inst)
        .and_then(|(_, p)| eid.strip_prefix(p))
        .map(str::to_string)
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// The treaty articles shown more than once in a list of ids.
fn repeated_articles(ids: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    ids.iter()
        .filter_map(|i| vccr_article(i))
        .filter(|a| !seen.insert(a.clone()))
        .collect()
}

/// The Canadian ids of the list whose twin is in the list too.
fn twins_together(ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter(|i| i.starts_with("ca-"))
        .filter(|i| {
            let (_, p) = get(&format!("/v1/provisions/{i}"));
            p["twins"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| ids.iter().any(|x| t["id"] == x.as_str()))
        })
        .cloned()
        .collect()
}

#[test]
fn no_top_ten_shows_a_treaty_article_twice_or_both_canadian_twins() {
    let mut folded_somewhere = false;
    for q in QUERIES {
        let (s, v) = get(&format!("/v1/search?q={}&limit=10", enc(q)));
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["facet_unit"], "provisions");
        let top = ids(&v);
        assert!(!top.is_empty(), "{q}: no hits");
        assert_eq!(
            repeated_articles(&top),
            Vec::<String>::new(),
            "{q}: {top:?}"
        );
        assert_eq!(twins_together(&top), Vec::<String>::new(), "{q}: {top:?}");
        let grouped = v["grouped"].as_u64().unwrap();
        let total = v["total"].as_u64().unwrap();
        assert!(grouped < total, "{q}");
        for h in v["hits"].as_array().unwrap() {
            let also = h["also_in"].as_array().unwrap();
            folded_somewhere |= !also.is_empty();
            for c in also {
                let id = c["id"].as_str().unwrap();
                // a folded copy is the same article (or the twin) and is reachable
                assert!(!top.iter().any(|t| t == id), "{q}: {id} shown and folded");
                let (s, p) = get(&format!("/v1/provisions/{id}"));
                assert_eq!(s, StatusCode::OK, "{id}");
                assert_eq!(p["provision"]["language"], c["language"], "{id}");
                if let Some(a) = vccr_article(h["id"].as_str().unwrap()) {
                    assert_eq!(vccr_article(id).as_deref(), Some(a.as_str()), "{q}: {id}");
                }
            }
        }
    }
    assert!(folded_somewhere, "no query folded any copy");
}

#[test]
fn with_group_off_the_copies_are_back() {
    let mut repeated = 0;
    for q in QUERIES {
        let (s, v) = get(&format!("/v1/search?q={}&limit=10&group=off", enc(q)));
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["grouped"], 0);
        assert!(v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["also_in"].as_array().unwrap().is_empty()));
        let (_, on) = get(&format!("/v1/search?q={}&limit=10", enc(q)));
        assert_eq!(on["total"], v["total"], "{q}: total counts provisions");
        assert_eq!(on["facets"], v["facets"], "{q}: facets count provisions");
        if !repeated_articles(&ids(&v)).is_empty() {
            repeated += 1;
        }
    }
    assert!(
        repeated > 0,
        "no query shows a repeated article with group=off"
    );
    let (s, e) = get("/v1/search?q=consul&group=sometimes");
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["code"], "invalid_parameter");
}

#[test]
fn a_group_is_shown_in_the_query_or_filter_language_and_pages_stay_slices() {
    // the query's language: a French query shows a French copy where the group has one
    let (_, v) = get(&format!(
        "/v1/search?q={}&limit=10",
        enc("fonctions consulaires")
    ));
    for h in v["hits"].as_array().unwrap() {
        let has_fr = h["also_in"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["language"] == "fr");
        assert!(h["language"] == "fr" || !has_fr, "{h}");
    }
    // the filter's language wins over the query's
    let (_, v) = get(&format!(
        "/v1/search?q={}&limit=10&lang=en,es",
        enc("fonctions consulaires")
    ));
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["language"] == "en" || h["language"] == "es"));
    // pages of the grouped list are slices of one ranking, and no copy comes back on a later page
    let q = enc("taxas consulares");
    let (_, whole) = get(&format!("/v1/search?q={q}&limit=20"));
    let (_, first) = get(&format!("/v1/search?q={q}&limit=8"));
    let (_, second) = get(&format!("/v1/search?q={q}&limit=12&offset=8"));
    let joined: Vec<String> = ids(&first).into_iter().chain(ids(&second)).collect();
    assert_eq!(joined, ids(&whole));
    assert_eq!(repeated_articles(&joined), Vec::<String>::new());
    assert_eq!(first["grouped"], second["grouped"]);
}

#[test]
fn the_search_page_lists_the_folded_copies_and_pages_through_the_grouped_list() {
    let q = enc("taxas consulares");
    let (_, api) = get(&format!("/v1/search?q={q}"));
    let (s, html) = get(&format!("/?q={q}&lang=en"));
    assert_eq!(s, StatusCode::OK);
    let html = html.as_str().unwrap();
    let folded: Vec<&Value> = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["also_in"].as_array().unwrap().is_empty())
        .collect();
    assert!(!folded.is_empty(), "{api}");
    assert_eq!(
        html.matches("<p class=\"also\">Also in: ").count(),
        folded.len()
    );
    let copy = &folded[0]["also_in"][0];
    assert!(html.contains(&format!(
        "<a href=\"/p/{}\">{} {}</a>",
        copy["id"].as_str().unwrap(),
        copy["country"].as_str().unwrap(),
        copy["language"].as_str().unwrap()
    )));
    let listed = api["total"].as_u64().unwrap() - api["grouped"].as_u64().unwrap();
    assert!(
        html.contains(&format!("of {}</span>", listed.div_ceil(10))),
        "pages"
    );
    // with grouping off, no copy is folded
    let (_, off) = get(&format!("/?q={q}&lang=en&group=off"));
    assert!(!off.as_str().unwrap().contains("<p class=\"also\">"));
}
