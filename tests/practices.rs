//! Shared practices through the real router, over the shared corpus and practices: search
//! finds them with the provisions, the `type` facet counts both kinds, gaps and comparisons
//! list them beside the law, and a record's legal basis links to the corpus or says it is not
//! there.

mod common;

use common::get;

#[test]
fn a_search_finds_the_protocol_for_unaccompanied_children_and_counts_both_kinds() {
    let (s, v) = get("/v1/search?q=ni%C3%B1os%20no%20acompa%C3%B1ados");
    assert_eq!(s, 200, "{v}");
    let ids: Vec<&str> = v["practices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let pos = ids
        .iter()
        .position(|id| id.starts_with("mx-") && id.contains("unaccompanied"));
    assert!(pos.is_some_and(|p| p < 3), "{ids:?}");
    let types = &v["facets"]["type"];
    assert!(types["provision"].as_u64().unwrap() > 0, "{types}");
    assert_eq!(
        types["practice"].as_u64().unwrap(),
        v["practice_total"].as_u64().unwrap()
    );
    // provisions on unaccompanied minors are listed too
    assert!(!v["hits"].as_array().unwrap().is_empty());
}

#[test]
fn type_practice_with_a_country_lists_that_countrys_records_only() {
    let (s, v) = get("/v1/search?type=practice&country=HN&limit=50");
    assert_eq!(s, 200, "{v}");
    assert!(v["hits"].as_array().unwrap().is_empty(), "{v}");
    let ps = v["practices"].as_array().unwrap();
    assert!(ps.len() >= 2, "{v}");
    for p in ps {
        let own =
            p["country"] == "HN" || p["countries"].as_array().unwrap().iter().any(|c| c == "HN");
        assert!(own, "{p}");
    }
    let all: Vec<_> = get("/v1/practices?country=HN")
        .1
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all.len(), ps.len());
    let (s, v) = get("/v1/search?type=practise");
    assert_eq!(s, 400);
    assert!(v["message"].as_str().unwrap().contains("type"), "{v}");
}

#[test]
fn a_legal_basis_links_to_the_corpus_or_says_it_is_not_there() {
    // the Honduran migrants' law is not in the corpus
    let (s, v) = get("/v1/practices/hn-solidarity-fund-for-honduran-migrants");
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["legal_status"], "not_in_corpus");
    assert!(v["legal_links"].as_array().unwrap().is_empty());
    // Colombia's return law is, and its article is kept
    let (_, v) =
        get("/v1/practices/co-return-incentives-for-colombians-living-abroad-return-law-an");
    assert_eq!(v["legal_status"], "linked", "{v}");
    let links = v["legal_links"].as_array().unwrap();
    let law = links
        .iter()
        .find(|l| l["instrument"] == "co-ley-1565-2012")
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(law["article"], "5");
    // and that provision's record lists the practice
    let (_, p) = get("/v1/provisions/co-ley-1565-2012:art_5");
    let listed: Vec<&str> = p["practices"]
        .as_array()
        .unwrap_or_else(|| panic!("{p}"))
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert!(
        listed.contains(&"co-return-incentives-for-colombians-living-abroad-return-law-an"),
        "{listed:?}"
    );
    let (s, _) = get("/v1/practices/no-such-practice");
    assert_eq!(s, 404);
}

#[test]
fn gaps_list_the_peers_practices_beside_the_exemplars() {
    let (s, v) = get("/v1/gaps?country=JM&peers=all");
    assert_eq!(s, 200, "{v}");
    let gaps = v["gaps"].as_array().unwrap();
    let with: Vec<&serde_json::Value> = gaps
        .iter()
        .filter(|g| !g["peer_practices"].as_array().unwrap().is_empty())
        .collect();
    assert!(!with.is_empty(), "no gap lists a practice");
    for g in with {
        let cat = g["category"].as_str().unwrap();
        for p in g["peer_practices"].as_array().unwrap() {
            let cats: Vec<&str> = p["categories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert!(cats.contains(&cat), "{cat} {p}");
            assert_ne!(p["country"], "JM");
        }
    }
}

#[test]
fn compare_and_matrix_show_practices_as_their_own_figure() {
    let (s, v) = get("/v1/compare?category=protection/vulnerable-groups&countries=MX,AR");
    assert_eq!(s, 200, "{v}");
    let mx = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "MX")
        .unwrap();
    let ids: Vec<&str> = mx["practices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(ids.iter().any(|i| i.contains("unaccompanied")), "{ids:?}");
    let (_, m) = get("/v1/matrix");
    let row = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == "MX")
        .unwrap();
    let n = row["cells"]["protection/vulnerable-groups"]["practices"]
        .as_u64()
        .unwrap();
    assert_eq!(n as usize, ids.len());
}

#[test]
fn the_practice_page_shows_the_record_its_sources_and_its_law() {
    let (s, ctype, body) = common::get_with(
        "/practices/hn-solidarity-fund-for-honduran-migrants?lang=es",
        &[],
    );
    assert_eq!(s, 200, "{body}");
    assert!(ctype.starts_with("text/html"));
    assert!(body.contains("Fondo de Solidaridad con el Migrante Hondureño"));
    assert!(
        body.contains("no está en el corpus"),
        "the missing law is said"
    );
    assert!(
        body.contains("href=\"https://proceso.hn/"),
        "sources are links"
    );
    assert!(body.contains("Fuentes"));
    // a linked law points at its article's page
    let (_, _, body) = common::get_with(
        "/practices/co-return-incentives-for-colombians-living-abroad-return-law-an",
        &[],
    );
    assert!(body.contains("href=\"/p/co-ley-1565-2012"), "{body}");
    let (s, _, _) = common::get_with("/practices/Not_An_Id", &[]);
    assert_eq!(s, 400);
}

#[test]
fn the_search_page_lists_a_few_practices_above_the_provisions() {
    let (s, _, body) = common::get_with("/?q=ni%C3%B1os+no+acompa%C3%B1ados", &[]);
    assert_eq!(s, 200);
    let practices = body.matches("<li class=\"practice\">").count();
    assert!((1..=3).contains(&practices), "{practices}");
    assert!(body.contains("/practices/mx-protocol-for-the-consular-care-of-unaccompanied"));
    assert!(
        body.contains("type=practice"),
        "a link to all the practices"
    );
    // and the gaps page shows peers' practices next to the exemplars
    let (_, _, gaps) = common::get_with("/gaps/JM?peers=all", &[]);
    assert!(gaps.contains("<li class=\"practice\">"));
}

/// The nightly reindex picks up added, changed and removed records like corpus files and lists
/// them in its change report; a bad record is reported and skipped, the others served.
#[test]
fn a_reindex_serves_added_changed_and_removed_practices_and_reports_them() {
    use consulex::index::build::{reindex, Options};
    let tmp = tempfile::tempdir().unwrap();
    let practices = tmp.path().join("practices");
    std::fs::create_dir_all(&practices).unwrap();
    let fixture = |name: &str| common::fixture(&format!("practices/{name}"));
    std::fs::copy(
        fixture("mx-test-consular-hotline.md"),
        practices.join("mx-test-consular-hotline.md"),
    )
    .unwrap();
    std::fs::copy(
        fixture("zz-test-bad-country.md"),
        practices.join("zz-test-bad-country.md"),
    )
    .unwrap();
    let res = common::resources();
    let mut opts = Options {
        corpus: common::repo_file("corpus/sample"),
        index_root: tmp.path().join("index"),
        full: true,
        force: true,
        practices: Some(practices.clone()),
    };
    let first = reindex(&opts, &res.annotator, &res.registry, &|_| {}).unwrap();
    assert_eq!(first.practices, 1);
    assert_eq!(first.practices_rejected.len(), 1);
    assert_eq!(first.practices_rejected[0].field, "country");
    assert_eq!(first.practice_changes.added.len(), 1);

    // nothing changed: no new generation
    opts.full = false;
    opts.force = false;
    let same = reindex(&opts, &res.annotator, &res.registry, &|_| {}).unwrap();
    assert_eq!(same.outcome, "up_to_date");

    // one added, one changed
    std::fs::copy(
        fixture("reg-test-network.md"),
        practices.join("reg-test-network.md"),
    )
    .unwrap();
    let p = practices.join("mx-test-consular-hotline.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("year: 2020", "year: 2021")).unwrap();
    let second = reindex(&opts, &res.annotator, &res.registry, &|_| {}).unwrap();
    assert_eq!(second.outcome, "switched", "{second:?}");
    let ids = |v: &[consulex::practices::PracticeId]| -> Vec<String> {
        v.iter().map(|i| i.to_string()).collect()
    };
    assert_eq!(ids(&second.practice_changes.added), ["reg-test-network"]);
    assert_eq!(
        ids(&second.practice_changes.changed),
        ["mx-test-consular-hotline"]
    );
    let engine = consulex::search::Engine::open(&opts.index_root, common::resources()).unwrap();
    assert_eq!(
        engine
            .practice("mx-test-consular-hotline")
            .unwrap()
            .practice
            .year,
        Some(2021)
    );

    // one removed
    std::fs::remove_file(practices.join("reg-test-network.md")).unwrap();
    let third = reindex(&opts, &res.annotator, &res.registry, &|_| {}).unwrap();
    assert_eq!(ids(&third.practice_changes.removed), ["reg-test-network"]);
    let engine = consulex::search::Engine::open(&opts.index_root, common::resources()).unwrap();
    assert!(engine.practice("reg-test-network").is_err());
    assert_eq!(engine.practices(None, None).len(), 1);
}
