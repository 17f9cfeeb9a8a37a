//! Per-route cost ceilings (issue 15, point 3): for each route, the most expensive request the
//! parameters allow, on the shared corpus through the real router, is answered 200 and what it
//! returns is bounded by the documented caps (hits, columns, countries, exemplars), not by how
//! the request is written. How long these take is measured by `benches/cost.sh` and reported in
//! docs/BENCHMARKS.md; no timing is asserted here.

mod common;

use axum::http::StatusCode;
use common::{enc, get, get_with};
use consulex::compare::request::{MAX_EXEMPLARS, MAX_LIMIT as COMPARE_MAX};
use consulex::params::MAX_COUNTRIES;
use consulex::search::query::{MAX_CHARS, MAX_CLAUSES};
use consulex::search::request::{MAX_LIMIT, MAX_OFFSET};
use serde_json::Value;

/// The widest query the parser takes: 64 frequent words of the four languages, each its own
/// OR clause (so each is expanded across languages), under 1,000 characters.
fn widest_query() -> String {
    let words = "consul consular consulado cónsul consulaire consulat nacional nationals \
        national nacionais estado state état país country pays ley law loi lei decreto decree \
        décret registro registry registre registo pasaporte passport passeport passaporte \
        visa visto derechos rights droits direitos extranjero foreign étranger estrangeiro \
        protección protection proteção asistencia assistance assistência detención detention \
        détention detenção migrantes migrants servicio service serviço función function \
        fonction função oficina office bureau escritório funcionario officer agent";
    let words: Vec<&str> = words.split_whitespace().take(MAX_CLAUSES).collect();
    assert_eq!(words.len(), MAX_CLAUSES);
    let q = words.join(" OR ");
    assert!(q.chars().count() <= MAX_CHARS, "{}", q.chars().count());
    q
}

fn ok(uri: &str) -> Value {
    let (status, body) = get(uri);
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

fn len(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        _ => panic!("not a list: {v}"),
    }
}

/// Countries the registry holds and leaf categories the taxonomy holds: the natural ceilings
/// of matrix rows, gap lists and per-country maps.
fn registry_and_leaves() -> (usize, usize) {
    let countries = len(&ok("/v1/countries"));
    let leaves = len(&ok("/v1/matrix")["columns"]);
    (countries, leaves)
}

#[test]
fn search_at_its_caps_is_answered_within_them() {
    let q = enc(&widest_query());
    for uri in [
        format!("/v1/search?q={q}&limit={MAX_LIMIT}"),
        format!("/v1/search?q={q}&limit={MAX_LIMIT}&offset={MAX_OFFSET}&group=off"),
        format!("/v1/search?limit={MAX_LIMIT}&group=off"),
    ] {
        let b = ok(&uri);
        let hits = len(&b["hits"]);
        assert!(hits <= MAX_LIMIT, "{uri}: {hits} hits");
        assert!(b["total"].as_u64().is_some(), "{b}");
    }
    // the wide query reaches the cap on this corpus: the bound is met, not merely unreached
    let b = ok(&format!("/v1/search?q={q}&limit={MAX_LIMIT}"));
    assert_eq!(len(&b["hits"]), MAX_LIMIT);
    // one past each cap is a 400 naming the parameter
    for (uri, param) in [
        (
            format!("/v1/search?q=visa&limit={}", MAX_LIMIT + 1),
            "limit",
        ),
        (
            format!("/v1/search?q=visa&offset={}", MAX_OFFSET + 1),
            "offset",
        ),
        (
            format!("/v1/search?q={}", enc(&"a ".repeat(MAX_CLAUSES + 1))),
            "q",
        ),
    ] {
        let (status, body) = get(&uri);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body["message"].as_str().unwrap().contains(param), "{body}");
    }
}

#[test]
fn a_query_of_common_words_reads_within_the_postings_budget_and_says_what_it_left_out() {
    // what an analyst types is searched whole: nothing is left out
    for q in [
        "assistance consulaire aux ressortissants détenus à l'étranger",
        "protección consular de los detenidos",
        "ley",
    ] {
        let b = ok(&format!("/v1/search?q={}", enc(q)));
        assert_eq!(
            b["left_out"],
            serde_json::json!([]),
            "{q}: {}",
            b["left_out"]
        );
    }
    // the widest query would read several times the budget: its commonest words go, the
    // rest is searched, and the response names what went
    let b = ok(&format!("/v1/search?q={}", enc(&widest_query())));
    let left: Vec<&str> = b["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(!left.is_empty() && left.len() < MAX_CLAUSES, "{left:?}");
    assert!(left.contains(&"law") && left.contains(&"ley"), "{left:?}");
    assert!(
        !left.contains(&"passeport"),
        "a rarer word is kept: {left:?}"
    );
    assert!(b["total"].as_u64().unwrap() > 0);
    let kept: Vec<&str> = b["expanded_words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        kept.iter().all(|w| !left.contains(w)),
        "{kept:?} / {left:?}"
    );
    // one clause is always searched, however common
    let b = ok("/v1/search?q=ley");
    assert!(b["total"].as_u64().unwrap() > 0);
    // excluded words are never left out (that would let back in what the user kept away):
    // within the budget they all apply, beyond it they are a 400 naming q
    let excluded: Vec<String> = widest_query()
        .split(" OR ")
        .skip(1)
        .map(|w| format!("-{w}"))
        .collect();
    let b = ok(&format!(
        "/v1/search?q={}",
        enc(&format!("pasaporte {}", excluded.join(" ")))
    ));
    assert_eq!(b["left_out"], serde_json::json!([]));
    let function_words = "de la el los las del en y que por con para the of and to in le les \
        des du et da do dos das em no na se su sus al or shall be is est un une una uno um uma";
    let excluded: Vec<String> = function_words
        .split_whitespace()
        .map(|w| format!("-{w}"))
        .collect();
    let (status, body) = get(&format!(
        "/v1/search?q={}",
        enc(&format!("pasaporte {}", excluded.join(" ")))
    ));
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let m = body["message"].as_str().unwrap();
    assert!(m.contains("q") && m.contains("excluded words"), "{m}");
    // quoted phrases are never left out either: an analyst's phrases beside common words
    // keep every phrase (the common words go first), and phrases of nothing but function
    // words beyond the budget are a 400
    let q = format!(
        "\"privados de la libertad\" \"asistencia consular\" {}",
        widest_query()
            .split(" OR ")
            .take(40)
            .collect::<Vec<_>>()
            .join(" OR ")
    );
    let b = ok(&format!("/v1/search?q={}", enc(&q)));
    let left = b["left_out"].as_array().unwrap();
    assert!(!left.is_empty(), "{q}");
    assert!(
        left.iter().all(|w| !w.as_str().unwrap().contains(' ')),
        "{left:?}"
    );
    assert_eq!(
        b["literal_phrases"],
        serde_json::json!(["privados de la libertad", "asistencia consular"])
    );
    let (status, body) = get(&format!(
        "/v1/search?q={}",
        enc(r#""de la" "de los" "de las" "en el" "of the" "to the" "in the" "do estado""#)
    ));
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("quoted phrases"),
        "{body}"
    );
}

#[test]
fn compare_matrix_gaps_and_brief_at_their_caps_stay_within_them() {
    let (countries, leaves) = registry_and_leaves();
    let all: Vec<String> = ok("/v1/countries")
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["code"].as_str().map(str::to_string))
        .take(MAX_COUNTRIES)
        .collect();
    let list = all.join(",");
    let q = enc(&widest_query());

    // compare: as many countries as allowed, the largest page, the widest query
    let b = ok(&format!(
        "/v1/compare?category=protection&countries={list}&limit={COMPARE_MAX}&q={q}"
    ));
    let cols = b["countries"].as_array().unwrap();
    assert!(!cols.is_empty() && cols.len() <= MAX_COUNTRIES.min(countries));
    for c in cols {
        assert!(len(&c["provisions"]) <= COMPARE_MAX, "{c}");
    }

    // matrix: every country, every category, and the csv form
    let m = ok("/v1/matrix");
    assert!(len(&m["rows"]) <= countries);
    for r in m["rows"].as_array().unwrap() {
        assert!(len(&r["cells"]) <= leaves, "{r}");
    }
    let (status, _, csv) = get_with("/v1/matrix?format=csv", &[]);
    assert_eq!(status, StatusCode::OK);
    assert!(csv.lines().count() <= countries + 1);

    // gaps: against every member with sources, the most exemplars per gap
    for peers in ["all", list.as_str()] {
        let g = ok(&format!(
            "/v1/gaps?country=UY&peers={peers}&exemplars={MAX_EXEMPLARS}"
        ));
        assert!(len(&g["peers"]) <= countries);
        let gaps = g["gaps"].as_array().unwrap();
        assert!(gaps.len() <= leaves, "{} gaps", gaps.len());
        for gap in gaps {
            assert!(len(&gap["exemplars"]) <= MAX_EXEMPLARS, "{gap}");
        }
    }
    // a peer repeated within the bound is the request for it once; thousands of times is past
    // the bound the document states, refused before any work
    let once = ok("/v1/gaps?country=UY&peers=CA");
    assert_eq!(once, ok("/v1/gaps?country=UY&peers=CA,CA,CA,CA"));
    let repeated = vec!["CA"; 2600].join(",");
    let (status, v) = get(&format!("/v1/gaps?country=UY&peers={repeated}"));
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");

    // brief: the same report in full text; a document a person reads, so a few MB at most
    for format in ["md", "html"] {
        let uri =
            format!("/v1/brief?country=UY&peers=all&exemplars={MAX_EXEMPLARS}&format={format}");
        let (status, _, body) = get_with(&uri, &[]);
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert!(body.len() < 4 << 20, "{uri}: {} bytes", body.len());
    }
    // one past each cap is a 400 naming the parameter
    for (uri, param) in [
        (
            format!("/v1/gaps?country=UY&exemplars={}", MAX_EXEMPLARS + 1),
            "exemplars",
        ),
        (
            format!(
                "/v1/compare?category=protection&countries=AR&limit={}",
                COMPARE_MAX + 1
            ),
            "limit",
        ),
    ] {
        let (status, body) = get(&uri);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body["message"].as_str().unwrap().contains(param), "{body}");
    }
}

#[test]
fn similar_standards_instruments_provisions_and_practices_are_bounded() {
    let (countries, _) = registry_and_leaves();
    // similar: the longest provision the widest search finds, the largest page
    let hits = ok(&format!(
        "/v1/search?q={}&limit={MAX_LIMIT}",
        enc(&widest_query())
    ));
    let id = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|h| h["snippet"]["text"].as_str().map_or(0, str::len))
        .and_then(|h| h["id"].as_str())
        .unwrap()
        .to_string();
    let s = ok(&format!(
        "/v1/provisions/{}/similar?limit={COMPARE_MAX}",
        enc(&id)
    ));
    assert!(len(&s["similar"]) <= COMPARE_MAX, "{s}");
    // the source's distinctive words are capped (similar.rs, MAX_WORDS)
    assert!(len(&s["terms"]) <= 12, "{s}");
    let p = ok(&format!("/v1/provisions/{}", enc(&id)));
    assert!(p.to_string().contains(id.as_str()), "{p}");

    // standards: one entry per cited article, each country at most once
    let st = ok("/v1/standards/vccr");
    for a in st.as_array().unwrap() {
        assert!(
            len(&a["countries"]) + len(&a["without"]) <= countries,
            "{a}"
        );
    }
    // instruments and practices: no parameter widens them beyond the corpus; unfiltered is
    // the most a request can ask, and a filter only narrows it
    let instruments = len(&ok("/v1/instruments"));
    assert!(instruments > 0);
    assert!(len(&ok("/v1/instruments?country=AR")) <= instruments);
    let practices = len(&ok("/v1/practices"));
    assert!(len(&ok("/v1/practices?country=AR&category=protection")) <= practices);
}
