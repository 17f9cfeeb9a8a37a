//! Comparison endpoints through the real router over the shared corpus.

mod common;

use axum::http::StatusCode;
use common::{enc, get, get_with};
use std::collections::BTreeSet;

#[test]
fn matrix_has_a_row_per_country_and_says_why_cells_are_empty() {
    let (s, v) = get("/v1/matrix");
    assert_eq!(s, StatusCode::OK, "{v}");
    let rows = v["rows"].as_array().unwrap();
    let res = common::resources();
    let members = res.registry.oas_members().count();
    assert_eq!(rows.len(), members, "one row per OAS member");
    let columns = v["columns"].as_array().unwrap();
    let leaves = res.annotator.taxonomy().leaves().count();
    assert_eq!(columns.len(), leaves, "one column per leaf category");
    for cc in ["AR", "CA", "CL", "CO", "CR", "EC", "JM", "PE", "US", "UY"] {
        let row = rows
            .iter()
            .find(|r| r["country"] == cc)
            .unwrap_or_else(|| panic!("{cc} row"));
        assert_eq!(row["state"], "covered", "{cc}");
        let cells = row["cells"].as_object().unwrap();
        assert!(cells.values().any(|c| c["state"] == "covered"));
        for c in cells.values() {
            let n = c["provisions"].as_u64().unwrap();
            assert_eq!(c["state"] == "covered", n > 0);
            assert!(c["obligations"].as_u64().unwrap() <= n);
            // every count links to the query that lists its provisions
            assert!(c["query"]
                .as_str()
                .unwrap()
                .starts_with(&format!("/v1/search?country={cc}&category=")));
            if n > 0 {
                assert!(c["strongest"].as_str().unwrap().contains(':'));
            }
        }
    }
    let br = rows.iter().find(|r| r["country"] == "BO").unwrap();
    assert_eq!(br["state"], "no_sources");
    assert!(br["cells"]
        .as_object()
        .unwrap()
        .values()
        .all(|c| c["state"] == "no_sources"));

    // a count is what its query lists (national law: the query's hits minus treaty copies)
    let ar = rows.iter().find(|r| r["country"] == "AR").unwrap();
    let cell = &ar["cells"]["documents/passports"];
    let (_, hits) = get(&format!("{}&limit=100", cell["query"].as_str().unwrap()));
    let national = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["part"].is_null() && h["kind"] != "treaty")
        .count();
    assert_eq!(national as u64, cell["provisions"].as_u64().unwrap());
}

#[test]
fn matrix_as_csv() {
    let (s, ctype, body) = get_with("/v1/matrix?subsystem=MERCOSUR", &[("accept", "text/csv")]);
    assert_eq!(s, StatusCode::OK);
    assert!(ctype.starts_with("text/csv"));
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines[0].starts_with("country,name,"));
    assert!(lines.iter().any(|l| l.starts_with("AR,")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("BO,") && l.contains("no_sources")));
    let (_, _, body2) = get_with("/v1/matrix?subsystem=MERCOSUR&format=csv", &[]);
    assert_eq!(body, body2);
}

#[test]
fn compare_detention_across_ar_co_ca_keeps_the_vienna_convention_apart() {
    let (s, v) = get("/v1/compare?category=protection/detention&countries=AR,CO,CA,BO");
    assert_eq!(s, StatusCode::OK, "{v}");
    let countries = v["countries"].as_array().unwrap();
    for cc in ["AR", "CO", "CA"] {
        let c = countries.iter().find(|c| c["country"] == cc).unwrap();
        let national = c["provisions"].as_array().unwrap();
        let treaty = c["treaty_copies"].as_array().unwrap();
        assert!(
            !national.is_empty() || !treaty.is_empty(),
            "{cc} has nothing"
        );
        assert!(national.iter().chain(treaty).all(|p| p["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "protection/detention")));
        // the Vienna Convention copies are shown apart from national law
        assert!(
            national
                .iter()
                .all(|p| p["part"].is_null() && p["kind"] != "treaty"),
            "{cc}"
        );
        assert!(
            treaty
                .iter()
                .any(|p| p["id"].as_str().unwrap().ends_with("art_36")),
            "{cc}: {treaty:?}"
        );
    }
    let br = countries.iter().find(|c| c["country"] == "BO").unwrap();
    assert_eq!(br["state"], "no_sources");
    assert!(br["message"].as_str().unwrap().contains("BO"));
    // strongest first by substance (the model-provision ranking's tier), then obligations
    // before the rest
    let ca = countries.iter().find(|c| c["country"] == "CA").unwrap()["provisions"]
        .as_array()
        .unwrap()
        .clone();
    let tier = |p: &serde_json::Value| {
        ["model", "plain", "noisy", "incidental", "weak"]
            .iter()
            .position(|t| p["tier"] == *t)
            .unwrap()
    };
    let ranks: Vec<(usize, u8)> = ca
        .iter()
        .map(|p| (tier(p), if p["modality"] == "obligation" { 0 } else { 1 }))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
}

#[test]
fn gaps_return_exemplars_tagged_with_the_gap_category() {
    let (s, v) = get("/v1/gaps?country=UY");
    assert_eq!(s, StatusCode::OK, "{v}");
    let gaps = v["gaps"].as_array().unwrap();
    assert!(!gaps.is_empty());
    assert!(v["ranking"].as_str().unwrap().contains("ranked by"));
    let peers: BTreeSet<&str> = v["peers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(peers.contains("AR") && !peers.contains("UY"));
    for g in gaps {
        let cat = g["category"].as_str().unwrap();
        let ex = g["exemplars"].as_array().unwrap();
        assert!(!ex.is_empty() || g["exemplars_note"].is_string(), "{g}");
        for e in ex {
            assert!(
                e["categories"].as_array().unwrap().iter().any(|c| c == cat),
                "{cat}: {e}"
            );
            assert_eq!(e["modality"], "obligation");
            assert!(peers.contains(
                e["id"]
                    .as_str()
                    .unwrap()
                    .split('-')
                    .next()
                    .unwrap()
                    .to_uppercase()
                    .as_str()
            ));
        }
    }
    let counts: Vec<usize> = gaps
        .iter()
        .map(|g| g["peers_with_obligations"].as_array().unwrap().len())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "ranked by peers: {counts:?}"
    );
    let (s, v) = get("/v1/gaps?country=UY&peers=AR,CL");
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["peers"], serde_json::json!(["AR", "CL"]));
    let (s, v) = get("/v1/gaps?country=BO");
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _) = get("/v1/gaps");
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[test]
fn similar_provisions_cross_countries_and_languages() {
    let (s, v) = get("/v1/provisions/ar-ley-25871:art_9/similar?limit=20");
    assert_eq!(s, StatusCode::OK, "{v}");
    let sim = v["similar"].as_array().unwrap();
    let countries: BTreeSet<&str> = sim
        .iter()
        .map(|x| x["country"].as_str().unwrap())
        .filter(|c| *c != "AR")
        .collect();
    assert!(countries.len() >= 2, "{countries:?}");
    assert!(
        sim.iter().any(|x| x["language"] != "es"),
        "none in another language"
    );
    assert!(sim
        .iter()
        .all(|x| !x["reason"].as_str().unwrap().is_empty()));
    assert!(
        sim.iter().all(|x| x["instrument"] != "ar-ley-25871"),
        "the source's own instrument is excluded"
    );
    let (s, _) = get("/v1/provisions/ar-ley-25871:art_9999/similar");
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = get(&format!(
        "/v1/provisions/ar-ley-25871:art_9/similar?lang={}",
        enc("fr")
    ));
    assert_eq!(s, StatusCode::OK);
    assert!(v["similar"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["language"] == "fr"));
}

#[test]
fn standards_lens_for_the_vienna_convention() {
    let (s, v) = get("/v1/standards/vccr");
    assert_eq!(s, StatusCode::OK, "{v}");
    let arts = v.as_array().unwrap();
    let a36 = arts.iter().find(|a| a["article"] == "36").unwrap();
    assert_eq!(
        a36["categories"],
        serde_json::json!(["protection/detention"])
    );
    assert_eq!(
        a36["vccr_provision"],
        "intl-bwbv0004334-vienna-convention-on-consular-relations:art_36"
    );
    let countries = a36["countries"].as_object().unwrap();
    assert!(!countries.is_empty());
    for (cc, c) in countries {
        assert_ne!(cc, "INTL");
        assert!(c["strongest"].as_str().unwrap().contains(':'));
        assert!(c["query"]
            .as_str()
            .unwrap()
            .contains("category=protection/detention"));
    }
    assert!(arts
        .iter()
        .any(|a| a["article"].as_str().unwrap().starts_with("5")));
}

#[test]
fn a_comparison_without_countries_compares_every_indexed_country() {
    let (s, v) = get("/v1/compare?category=protection/detention");
    assert_eq!(s, StatusCode::OK, "{v}");
    let got: Vec<&str> = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["country"].as_str().unwrap())
        .collect();
    // the countries of the indexed instruments, as /v1/instruments lists them (not the
    // function the handler calls), in code order, without the treaties' INTL
    let (s, list) = get("/v1/instruments");
    assert_eq!(s, StatusCode::OK);
    let indexed: std::collections::BTreeSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["country"].as_str().unwrap())
        .filter(|c| *c != "INTL")
        .collect();
    assert_eq!(got, indexed.into_iter().collect::<Vec<_>>());
    assert!(got.contains(&"AR") && !got.contains(&"INTL"), "{got:?}");
}

#[test]
fn comparison_bad_input() {
    for (uri, param) in [
        ("/v1/compare?countries=AR", "category"),
        ("/v1/compare?category=nope&countries=AR", "category"),
        (
            "/v1/compare?category=protection/detention&countries=XX",
            "countries",
        ),
        ("/v1/matrix?subsystem=NATO", "subsystem"),
        ("/v1/matrix?format=xls", "format"),
        ("/v1/gaps?country=UY&peers=NOWHERE", "peers"),
        ("/v1/gaps?country=UY&exemplars=0", "exemplars"),
    ] {
        let (s, v) = get(uri);
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert!(v["message"].as_str().unwrap().contains(param), "{uri}: {v}");
    }
}
