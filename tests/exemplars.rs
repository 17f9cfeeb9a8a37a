//! Gaps a legislator can act on, over the shared corpus through the real router: every country
//! gets gaps or an explicit statement, peers always exist, exemplars are models in substance
//! (checked on the provisions' own features and words), each gap shows the country's nearest
//! provisions, and the brief is one self-contained document with every source's licence.

mod common;

use axum::http::StatusCode;
use common::{get, get_with};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn countries_with_sources() -> Vec<String> {
    let (s, v) = get("/v1/countries");
    assert_eq!(s, StatusCode::OK);
    v.as_array()
        .unwrap()
        .iter()
        .filter(|c| c["instruments"].as_u64().unwrap_or(0) > 0)
        .map(|c| c["code"].as_str().unwrap().to_string())
        .filter(|c| c != "INTL")
        .collect()
}

fn gaps(country: &str) -> Value {
    let (s, v) = get(&format!("/v1/gaps?country={country}"));
    assert_eq!(s, StatusCode::OK, "{country}: {v}");
    v
}

/// The provision behind an id, as the API shows it.
fn provision(id: &str) -> Value {
    let (s, v) = get(&format!("/v1/provisions/{id}"));
    assert_eq!(s, StatusCode::OK, "{id}: {v}");
    v
}

#[test]
fn every_country_with_sources_gets_gaps_or_an_explicit_statement() {
    let countries = countries_with_sources();
    assert!(countries.len() >= 10, "{countries:?}");
    for c in &countries {
        let v = gaps(c);
        let peers = v["peers"].as_array().unwrap();
        assert!(!peers.is_empty(), "{c}: an empty peer set is no answer");
        let g = v["gaps"].as_array().unwrap();
        if g.is_empty() {
            let st = v["statement"].as_str().unwrap_or("");
            assert!(st.contains("no gaps") && st.contains(c), "{c}: {v}");
        } else {
            assert!(
                g.iter()
                    .any(|x| !x["exemplars"].as_array().unwrap().is_empty()),
                "{c}: gaps without a single exemplar"
            );
            for x in g {
                if x["exemplars"].as_array().unwrap().is_empty() {
                    assert!(x["exemplars_note"].as_str().is_some(), "{c}: {x}");
                }
            }
        }
    }
}

#[test]
fn countries_alone_in_their_subsystems_are_compared_with_all_members() {
    let with_sources = countries_with_sources();
    for c in ["CA", "CR", "JM", "US"] {
        let v = gaps(c);
        let note = v["peers_fallback"].as_str().unwrap_or("");
        assert!(note.contains("all OAS members"), "{c}: {v}");
        let peers: BTreeSet<&str> = v["peers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = with_sources
            .iter()
            .map(String::as_str)
            .filter(|x| *x != c)
            .collect();
        assert_eq!(peers, expected, "{c}");
        assert!(!v["gaps"].as_array().unwrap().is_empty(), "{c}");
    }
}

/// Phrases that open a penalty, definition, transitional clause, delegation or repeal note, in
/// the four languages: read independently of the annotator's role cues.
fn weak_opening(text: &str) -> Option<&'static str> {
    let folded = consulex::text::folded_words(text);
    let opening: String = folded
        .split_whitespace()
        .take(30)
        .collect::<Vec<_>>()
        .join(" ");
    let opening = format!(" {opening} ");
    [
        " sera sancionado",
        " seran sancionados",
        " multa de ",
        " pena de prision",
        " guilty of an offence",
        " liable on summary conviction",
        " commet une infraction",
        " sera punido",
        " se entiende por ",
        " means ",
        " s'entend ",
        " entende-se por ",
        " entrara en vigor",
        " comes into force",
        " entre en vigueur",
        " entra em vigor",
        " reglamentara la presente",
        " may make regulations",
        " peut, par reglement",
        " regulamento dispora",
    ]
    .into_iter()
    .find(|p| opening.contains(p))
    .or_else(|| {
        (folded.split_whitespace().count() <= 6
            && [" derogado", " repealed", " revogado", " abroge"]
                .iter()
                .any(|p| folded.contains(p)))
        .then_some("repeal note")
    })
}

#[test]
fn first_exemplars_are_models_and_no_provision_serves_two_gaps() {
    for c in &countries_with_sources() {
        let v = gaps(c);
        let mut offered: BTreeMap<String, String> = BTreeMap::new();
        for g in v["gaps"].as_array().unwrap() {
            let cat = g["category"].as_str().unwrap();
            let ex = g["exemplars"].as_array().unwrap();
            for (i, e) in ex.iter().enumerate() {
                let id = e["id"].as_str().unwrap().to_string();
                assert!(
                    !e["reason"].as_str().unwrap_or("").is_empty(),
                    "{c}/{cat}: {id} has no reason"
                );
                if let Some(other) = offered.insert(id.clone(), cat.to_string()) {
                    panic!("{c}: {id} offered for {other} and {cat}");
                }
                let p = provision(&id);
                // its twin in the other language is the same provision
                for t in p["twins"].as_array().into_iter().flatten() {
                    let tid = t["id"].as_str().unwrap().to_string();
                    assert!(
                        offered.get(&tid).is_none_or(|x| x == cat),
                        "{c}: {id} and its twin {tid} in two gaps"
                    );
                }
                if i > 0 {
                    continue;
                }
                let a = &p["annotation"];
                let role = a["role"]["role"].as_str().unwrap();
                assert!(
                    ![
                        "penalty",
                        "definition",
                        "transitional",
                        "delegation",
                        "repeal_note"
                    ]
                    .contains(&role),
                    "{c}/{cat}: first exemplar {id} is a {role}"
                );
                let text = p["provision"]["text"].as_str().unwrap();
                assert_eq!(weak_opening(text), None, "{c}/{cat}: first exemplar {id}");
                assert!(
                    a["text_quality"].as_f64().unwrap() >= 0.8,
                    "{c}/{cat}: first exemplar {id} is a noisy text"
                );
                assert!(!p["provision"]["repealed"].as_bool().unwrap());
                assert!(!p["provision"]["transitory"].as_bool().unwrap_or(false));
                // the category in its own words: a tag on its own evidence, mostly in the text
                let tag = a["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["category"] == cat)
                    .unwrap_or_else(|| panic!("{c}/{cat}: {id} is not tagged {cat}"));
                assert!(
                    tag["context"].is_null(),
                    "{c}/{cat}: {id} from context only"
                );
                assert!(
                    tag["evidence"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|e| e["field"] == "text"),
                    "{c}/{cat}: {id} holds {cat} only in headings"
                );
            }
            // different peers where peers differ: each peer's best comes before any peer's
            // second, so two peers among the exemplars means the first two differ
            let from: Vec<&str> = ex.iter().map(|e| e["country"].as_str().unwrap()).collect();
            let distinct: BTreeSet<&str> = from.iter().copied().collect();
            if distinct.len() >= 2 {
                assert_ne!(from[0], from[1], "{c}/{cat}: {from:?}");
            }
        }
    }
}

#[test]
fn each_gap_shows_the_country_nearest_provisions_or_says_none() {
    for c in ["UY", "AR", "MX", "CA", "JM", "BR"] {
        let v = gaps(c);
        for g in v["gaps"].as_array().unwrap() {
            let cat = g["category"].as_str().unwrap();
            let near = g["nearest"].as_array().unwrap();
            if near.is_empty() {
                let note = g["nearest_note"].as_str().unwrap();
                assert!(note.starts_with("none"), "{c}/{cat}: {note}");
                continue;
            }
            for n in near {
                let id = n["id"].as_str().unwrap();
                assert!(
                    id.starts_with(&format!("{}-", c.to_lowercase())),
                    "{c}/{cat}: {id}"
                );
                assert!(n["score"].as_f64().unwrap() > 0.0, "{n}");
                assert!(!n["why"].as_str().unwrap().is_empty());
                match n["state"].as_str().unwrap() {
                    "tagged" => {
                        // in a gap, none of the country's tagged provisions is an obligation
                        // in force
                        assert!(
                            n["modality"] != "obligation" || n["in_force"] == false,
                            "{c}/{cat}: {n}"
                        );
                    }
                    "below_threshold" => {
                        assert!(
                            n["score"].as_f64().unwrap() < n["threshold"].as_f64().unwrap()
                                || !n["categories"].as_array().unwrap().iter().any(|x| x == cat)
                        );
                    }
                    other => panic!("{other}"),
                }
            }
        }
    }
}

#[test]
fn peers_lists_are_deduplicated_and_validated() {
    let (s, v) = get("/v1/gaps?country=UY&peers=AR,CL,AR,CL");
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["peers"], serde_json::json!(["AR", "CL"]));
    // codes as the registry spells them (the document's pattern)
    let (s, v) = get("/v1/gaps?country=UY&peers=AR,cl");
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = get("/v1/gaps?country=UY&peers=AR,INTL");
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["code"], "invalid_parameter");
    let (s, _) = get("/v1/gaps?country=UY&peers=AR,QQ");
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[test]
fn compare_ranks_models_before_weak_clauses() {
    let (s, v) = get("/v1/compare?category=documents/passports&countries=AR,BR,CA,US,MX");
    assert_eq!(s, StatusCode::OK, "{v}");
    for c in v["countries"].as_array().unwrap() {
        let tiers: Vec<u8> = c["provisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| match p["tier"].as_str().unwrap() {
                "model" => 0,
                "plain" => 1,
                "noisy" => 2,
                "incidental" => 3,
                _ => 4,
            })
            .collect();
        assert!(
            tiers.windows(2).all(|w| w[0] <= w[1]),
            "{}: {tiers:?}",
            c["country"]
        );
        for p in c["provisions"].as_array().unwrap() {
            assert!(!p["reason"].as_str().unwrap().is_empty());
        }
    }
}

/// Where a document would load something from outside itself.
fn external_references(html: &str) -> Vec<&'static str> {
    let lower = html.to_lowercase();
    [
        "<link",
        "<script",
        "<img",
        "<iframe",
        "src=",
        "href=\"http",
        "href='http",
        "url(",
        "@import",
    ]
    .into_iter()
    .filter(|p| lower.contains(p))
    .collect()
}

fn html_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn the_brief_is_one_self_contained_document_with_every_licence() {
    let (s, ctype, html) = get_with("/v1/brief?country=UY", &[]);
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(external_references(&html), Vec::<&str>::new());
    assert!(html.contains("@media print"));
    // every source it rests on: the country's instruments, every exemplar's and nearest's
    let (_, gaps) = get("/v1/gaps?country=UY&exemplars=2");
    let mut instruments: BTreeSet<String> = BTreeSet::new();
    let (_, list) = get("/v1/instruments?country=UY");
    for i in list.as_array().unwrap() {
        instruments.insert(i["id"].as_str().unwrap().to_string());
    }
    for g in gaps["gaps"].as_array().unwrap() {
        for e in g["exemplars"].as_array().unwrap() {
            instruments.insert(e["instrument"].as_str().unwrap().to_string());
            // the exemplar in full
            let p = provision(e["id"].as_str().unwrap());
            let first_line = p["provision"]["text"]
                .as_str()
                .unwrap()
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap()
                .to_string();
            assert!(html.contains(&html_escaped(&first_line)), "{first_line}");
        }
    }
    assert!(instruments.len() > 3);
    for id in &instruments {
        let (s, i) = get(&format!("/v1/instruments/{id}"));
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains(&format!("<code>{}</code>", html_escaped(id))),
            "{id}"
        );
        for k in ["licence", "attribution"] {
            if let Some(x) = i[k].as_str() {
                assert!(html.contains(&html_escaped(x)), "{id}: {k} {x}");
            }
        }
    }
    // the Vienna Convention grounds the gaps
    assert!(html.contains("Vienna Convention on Consular Relations"));
}

#[test]
fn the_brief_serves_the_same_document_as_the_engine_and_follows_the_language() {
    use consulex::compare::brief::{document, BriefRequest, Format};
    let engine = common::app_state().engine();
    let req = BriefRequest {
        country: "UY".parse().unwrap(),
        peers: consulex::compare::Peers::Subsystems,
        lang: consulex::corpus::model::Language::Es,
        exemplars: 2,
    };
    let (s, ctype, md) = get_with("/v1/brief?country=UY&lang=es&format=md", &[]);
    assert_eq!(s, StatusCode::OK);
    assert!(ctype.starts_with("text/markdown"), "{ctype}");
    assert_eq!(md, document(&engine, &req, Format::Md).unwrap());
    assert!(
        md.starts_with("# Informe de derecho consular — Uruguay"),
        "{}",
        &md[..80]
    );
    let (_, _, html) = get_with("/v1/brief?country=UY&lang=es", &[]);
    assert_eq!(html, document(&engine, &req, Format::Html).unwrap());
    assert!(html.contains("<html lang=\"es\">"));
    // taxonomy labels in the language asked for
    assert!(html.contains("Cobertura frente a los pares"));
    assert!(html.contains("Personas detenidas") || html.contains("Pasaportes"));
    let (s, v) = get("/v1/brief?country=UY&format=pdf");
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, _) = get("/v1/brief?lang=es");
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

/// Headless Chromium prints the brief to a PDF (skipped where Chromium is not installed).
#[test]
fn the_brief_prints_to_pdf_with_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("chromium not installed: print check skipped");
        return;
    };
    let (_, _, html) = get_with("/v1/brief?country=UY", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brief-uy.html");
    let pdf = dir.path().join("brief-uy.pdf");
    std::fs::write(&file, &html).unwrap();
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", file.display()),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(bytes.len() > 20_000, "{} bytes", bytes.len());
}
