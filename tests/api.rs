//! The real router, in-process, over an index built once from the shared corpus.

mod common;

use axum::http::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

use common::{enc, get};

fn has_category(hit: &Value, cat: &str) -> bool {
    hit["categories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["category"] == cat)
}

#[test]
fn portuguese_query_finds_detention_provisions_in_three_languages_and_every_article_36() {
    let q = enc("assistência consular a presos");
    let mut ids = Vec::new();
    let mut langs = BTreeSet::new();
    let mut offset = 0;
    loop {
        let (s, v) = get(&format!("/v1/search?q={q}&limit=100&offset={offset}"));
        assert_eq!(s, StatusCode::OK, "{v}");
        let hits = v["hits"].as_array().unwrap();
        for h in hits {
            if has_category(h, "protection/detention") {
                langs.insert(h["language"].as_str().unwrap().to_string());
                // a copy folded into the hit (the French text of the same article) is the
                // same provision in another language
                for c in h["also_in"].as_array().unwrap() {
                    langs.insert(c["language"].as_str().unwrap().to_string());
                }
                assert!(h["categories"][0]["evidence"]
                    .as_array()
                    .is_some_and(|e| !e.is_empty()));
            }
            ids.push(h["id"].as_str().unwrap().to_string());
            // copies folded into the hit are listed with it
            for c in h["also_in"].as_array().unwrap() {
                ids.push(c["id"].as_str().unwrap().to_string());
            }
        }
        let expansions: Vec<&str> = v["expansions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["category"].as_str().unwrap())
            .collect();
        assert!(
            expansions.contains(&"protection/detention"),
            "{expansions:?}"
        );
        offset += 100;
        if offset >= v["total"].as_u64().unwrap() as usize {
            break;
        }
    }
    assert!(langs.len() >= 3, "{langs:?}");
    for art36 in [
        "intl-bwbv0004334-vienna-convention-on-consular-relations:art_36",
        "ca-eng-f-29.4:sched_2__art_36",
        "ca-fra-f-29.4:sched_2__art_36",
        "ar-ley-17081:annex_1__art_36",
        "co-ley-17-1971:annex_1__art_36",
    ] {
        assert!(ids.iter().any(|i| i == art36), "{art36} missing");
    }
}

#[test]
fn facets_are_disjunctive() {
    let (s, v) = get(&format!("/v1/search?q={}&country=AR", enc("nacionalidad")));
    assert_eq!(s, StatusCode::OK);
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["country"] == "AR"));
    let countries = v["facets"]["country"].as_object().unwrap();
    assert!(
        countries.len() > 1,
        "selecting AR hides the other countries: {countries:?}"
    );
    assert!(countries.get("CO").and_then(|n| n.as_u64()).unwrap_or(0) > 0);
    // other dimensions are filtered by the country
    let langs = v["facets"]["lang"].as_object().unwrap();
    assert_eq!(langs.keys().collect::<Vec<_>>(), vec!["es"]);
}

#[test]
fn a_repeated_search_is_answered_from_the_cache_with_the_same_body() {
    // a query no other test sends, so the first call is a miss whatever the test order
    let url = format!(
        "/v1/search?q={}&lang=fr&limit=7",
        enc("ressortissant incarcéré")
    );
    let (s1, first) = get(&url);
    let (s2, second) = get(&url);
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(first["cached"], false);
    assert_eq!(second["cached"], true);
    assert!(first["total"].as_u64().unwrap_or(0) > 0, "{first}");
    for k in ["total", "hits", "facets", "expansions", "generation"] {
        assert_eq!(first[k], second[k], "{k} differs");
    }
    // another page of the same query is another request
    let (_, other) = get(&format!("{url}&offset=7"));
    assert_eq!(other["cached"], false);
    assert_ne!(other["hits"], first["hits"]);
}

#[test]
fn pages_are_slices_of_one_ranking() {
    let q = enc("protección consular");
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, whole) = get(&format!("/v1/search?q={q}&limit=12"));
    let (_, first) = get(&format!("/v1/search?q={q}&limit=5"));
    let (_, second) = get(&format!("/v1/search?q={q}&limit=7&offset=5"));
    let joined: Vec<String> = ids(&first).into_iter().chain(ids(&second)).collect();
    assert_eq!(ids(&whole).len(), 12, "{whole}");
    assert_eq!(joined, ids(&whole));
    let scores: Vec<f64> = whole["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(first["total"], whole["total"]);
}

#[test]
fn a_stopword_between_content_words_is_not_required() {
    let (_, with) = get(&format!(
        "/v1/search?q={}&expand=false",
        enc("consular a presos")
    ));
    let (_, without) = get(&format!(
        "/v1/search?q={}&expand=false",
        enc("consular presos")
    ));
    assert!(with["total"].as_u64().unwrap_or(0) > 0, "{with}");
    assert_eq!(with["total"], without["total"]);
    // a query made only of stopwords still searches for them
    let (s, only) = get("/v1/search?q=de&expand=false");
    assert_eq!(s, StatusCode::OK);
    assert!(only["total"].as_u64().unwrap_or(0) > 100, "{only}");
}

#[test]
fn accents_and_stems_match() {
    let (s, v) = get("/v1/search?q=detencion&expand=false&limit=20");
    assert_eq!(s, StatusCode::OK);
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter().any(|h| h["snippet"]["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("detención")),
        "{hits:?}"
    );
    assert!(v["expansions"].as_array().unwrap().is_empty());
    // highlights point at original words
    let h = &hits[0];
    let text = h["snippet"]["text"].as_str().unwrap();
    for r in h["snippet"]["highlights"].as_array().unwrap() {
        let (a, b) = (
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
        assert!(
            consulex::text::fold_lower(&text[a..b]).starts_with("deten"),
            "{}",
            &text[a..b]
        );
    }
}

#[test]
fn phrases_exclusions_and_filters() {
    let (_, v) = get(&format!(
        "/v1/search?q={}&expand=false&lang=en",
        enc("\"consular post\" -archives")
    ));
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["language"] == "en"));
    let (_, v) = get("/v1/search?category=protection&kind=treaty&limit=100");
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["kind"] == "treaty"
        && h["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["category"].as_str().unwrap().starts_with("protection/"))));
    let (_, v) = get("/v1/search?q=passport&subsystem=CARICOM&limit=50");
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["country"] == "JM"));
}

#[test]
fn every_documented_bad_input_is_a_400_naming_the_parameter() {
    let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
    let many = "a ".repeat(70);
    let long = "x".repeat(1001);
    let cases = [
        ("/v1/search?country=ZZ".to_string(), "country"),
        (
            "/v1/search?category=protection/nothing".to_string(),
            "category",
        ),
        ("/v1/search?limit=0".to_string(), "limit"),
        ("/v1/search?limit=101".to_string(), "limit"),
        ("/v1/search?limit=ten".to_string(), "limit"),
        (format!("/v1/search?q={}", enc(&long)), "q"),
        (format!("/v1/search?q={}", enc(&many)), "q"),
        (format!("/v1/search?q={}", enc(&deep)), "q"),
        (format!("/v1/search?q={}", enc("a\u{7}b")), "q"),
        ("/v1/search?lang=de".to_string(), "lang"),
        ("/v1/search?modality=maybe".to_string(), "modality"),
        ("/v1/search?in_force=perhaps".to_string(), "in_force"),
        ("/v1/search?colour=red".to_string(), "colour"),
    ];
    // a `from` after `to` is an empty range of years: nothing, not an error
    let (s, v) = get("/v1/search?from=2000&to=1990");
    assert_eq!((s, v["total"].as_u64()), (StatusCode::OK, Some(0)), "{v}");
    for (uri, param) in cases {
        let (s, v) = get(&uri);
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert_eq!(v["code"], "invalid_parameter", "{uri}");
        assert!(v["message"].as_str().unwrap().contains(param), "{uri}: {v}");
    }
    // odd whitespace is harmless: around a word it is a search, with only a dash and a quote
    // it is the 400 of a query with no searchable word
    let (s, _) = get(&format!(
        "/v1/search?q={}",
        enc("\u{3000}\u{2028}\tpasaporte \u{a0}OR \"")
    ));
    assert_eq!(s, StatusCode::OK);
    let (s, v) = get(&format!(
        "/v1/search?q={}",
        enc("\u{3000}\u{2028}\t \u{a0}- \"")
    ));
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("q"), "{v}");
}

#[test]
fn provisions_instruments_countries_taxonomy() {
    let (s, v) = get("/v1/provisions/ca-eng-f-29.4:sched_2__art_36");
    assert_eq!(s, StatusCode::OK);
    assert!(v["provision"]["text"]
        .as_str()
        .unwrap()
        .contains("arrested"));
    assert_eq!(v["twins"][0]["id"], "ca-fra-f-29.4:sched_2__art_36");
    assert_eq!(v["twins"][0]["language"], "fr");
    assert!(v["instrument"]["attribution"].as_str().is_some());
    assert!(v["instrument"]["source_url"].is_string() || v["instrument"]["source_url"].is_null());
    assert!(v["annotation"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| !t["evidence"].as_array().unwrap().is_empty()));

    let (s, v) = get("/v1/provisions/ar-ley-17081:art_999");
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["code"], "not_found");
    let (s, _) = get("/v1/provisions/not%20an%20id");
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, v) = get("/v1/instruments?country=UY");
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_array().unwrap().iter().all(|i| i["country"] == "UY"));
    let (s, v) = get("/v1/instruments/ar-ley-17081");
    assert_eq!(s, StatusCode::OK);
    // the list holds every provision the build counted for the instrument
    let listed = v["provision_list"].as_array().unwrap().len();
    assert!(listed > 0);
    assert_eq!(listed as u64, v["provisions"].as_u64().unwrap(), "{v}");
    let (s, _) = get("/v1/instruments/nope");
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (_, v) = get("/v1/countries");
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), common::resources().registry.countries.len());
    // Brazil's three texts are indexed; Honduras has no source in the corpus.
    let br = list.iter().find(|c| c["code"] == "BR").unwrap();
    assert_eq!(br["instruments"], 3);
    let hn = list.iter().find(|c| c["code"] == "HN").unwrap();
    assert_eq!(hn["instruments"], 0);
    // Mexico's registry entry says it belongs to no subsystem.
    let mx = list.iter().find(|c| c["code"] == "MX").unwrap();
    assert!(mx["note"]
        .as_str()
        .unwrap()
        .contains("none of SICA, CAN, MERCOSUR"));

    // An instrument carries its completeness audit: the Paraguayan foreign service law lacks
    // the articles its provenance lists, the Brazilian migration law lacks none.
    let (s, v) = get("/v1/instruments/py-py-ley-10546");
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["completeness"]["status"], "partial");
    assert_eq!(v["partial"], true);
    assert!(v["completeness"]["parts"][0]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m == "1-4"));
    let (_, v) = get("/v1/instruments/br-l13445-lei-de-migracao");
    assert_eq!(v["completeness"]["status"], "complete");
    assert!(v["licence"].as_str().is_some() && v["attribution"].as_str().is_some());
    let (_, v) = get("/v1/taxonomy");
    assert!(v["categories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "protection/detention"));
    let (_, v) = get("/openapi.json");
    assert_eq!(v["openapi"], "3.1.0");
    assert!(
        v["paths"]["/v1/search"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .len()
            >= 13
    );
    // an unknown route under /v1 is the JSON error (elsewhere the web interface's page)
    let (s, v) = get("/v1/nowhere");
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["code"], "not_found");
    let (_, v) = get("/health");
    assert_eq!(v["status"], "ok");
}

#[test]
fn known_item_search_across_languages() {
    let engine = common::app_state().engine();
    for lang in [
        consulex::corpus::model::Language::Es,
        consulex::corpus::model::Language::Fr,
    ] {
        let r = engine.known_item(lang).unwrap();
        println!(
            "known-item lang={lang}: {}/{} = {:.3}",
            r.found_in_top10, r.articles, r.share
        );
        assert_eq!(r.articles, 79);
        assert!(r.share >= 0.6, "lang={lang}: {r:?}");
    }
}

#[test]
fn the_served_document_marks_every_required_parameter() {
    let (_, doc) = get("/openapi.json");
    // the parameters the handlers refuse to go without are marked required
    for (path, name) in [
        ("/v1/compare", "category"),
        ("/v1/gaps", "country"),
        ("/v1/brief", "country"),
    ] {
        let params = doc["paths"][path]["get"]["parameters"].as_array().unwrap();
        let p = params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(p["required"], true, "{path} {name}");
        let (s, v) = get(path);
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path} without {name}");
        assert!(v["message"].as_str().unwrap().contains(name), "{v}");
    }
}

/// The body without what differs between two runs of one request (the cache flag, timings).
fn uncached(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("cached");
        o.remove("took_ms");
    }
    v
}

#[test]
fn a_repeated_list_value_counts_once_and_a_list_past_its_bound_is_refused() {
    let (s, v) = get("/v1/gaps?country=UY&peers=CA,CA,CA");
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, one) = get("/v1/gaps?country=UY&peers=CA");
    assert_eq!(v["peers"], serde_json::json!(["CA"]), "{}", v["peers"]);
    assert!(uncached(v) == uncached(one));
    // order-preserving: not only neighbours are dropped
    let cat = enc("protection/detention");
    let (s, v) = get(&format!(
        "/v1/compare?category={cat}&countries=CL,AR,CL,AR,AR"
    ));
    assert_eq!(s, StatusCode::OK, "{v}");
    let got: Vec<&str> = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["country"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["CL", "AR"]);
    let (s, m) = get(&format!(
        "/v1/matrix?categories={cat},{cat},{cat}&subsystem=CAN"
    ));
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["columns"], serde_json::json!(["protection/detention"]));
    let (s, v) = get("/v1/search?country=CA,CA,CA&limit=1");
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["country"] == "CA"));
    // 2,600 times the same peer (what issue 15's flood sent) is past the bound the document
    // states (each country once): refused before any work, naming the parameter
    let many = vec!["CA"; 2600].join(",");
    for (uri, param) in [
        (format!("/v1/gaps?country=UY&peers={many}"), "peers"),
        (format!("/v1/search?country={many}&limit=1"), "country"),
        (
            format!("/v1/compare?category={cat}&countries={many}"),
            "countries",
        ),
    ] {
        let (s, v) = get(&uri);
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let m = v["message"].as_str().unwrap();
        assert!(m.starts_with(&format!("invalid {param}:")), "{m}");
    }
}
