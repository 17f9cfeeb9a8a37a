//! The web pages through the real router, in-process, over an index built once from the
//! shared corpus: each page answers in the four interface languages with the provisions, counts
//! and labels the JSON API gives for the same question, every value escaped, the strict
//! Content-Security-Policy on every page.

mod common;

use axum::http::StatusCode;
use common::enc;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The router's state with an index root (so `/changes` has reports to show).
fn state() -> &'static consulex::api::AppState {
    static S: OnceLock<(tempfile::TempDir, consulex::api::AppState)> = OnceLock::new();
    &S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let res = common::resources();
        consulex::index::build::build(
            &common::shared_corpus(),
            dir.path(),
            &res.annotator,
            &res.registry,
            &|_| {},
        )
        .unwrap();
        let engine = consulex::search::Engine::open(dir.path(), common::resources()).unwrap();
        let root = dir.path().to_path_buf();
        let reloader: consulex::api::Reloader =
            std::sync::Arc::new(move || consulex::search::Engine::open(&root, common::resources()));
        let state =
            consulex::api::AppState::new(engine).with_index(dir.path().to_path_buf(), reloader);
        (dir, state)
    })
    .1
}

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

fn get_with(uri: &str, headers: &[(&str, &str)]) -> Resp {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut req = axum::http::Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = consulex::api::router(state().clone())
            .oneshot(req.body(axum::body::Body::empty()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
}

fn page(uri: &str) -> String {
    let r = get_with(uri, &[]);
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    r.body
}

fn json(uri: &str) -> Value {
    let r = get_with(uri, &[]);
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// The HTML-escaped form of a text, as the pages write it (askama's escaper).
fn askama_escaped(s: &str) -> String {
    askama::filters::escape(s, askama::filters::Html)
        .unwrap()
        .to_string()
}

/// The pieces of `html` between `start` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(start) {
        let after = &rest[i + start.len()..];
        let Some(j) = after.find(end) else { break };
        out.push(&after[..j]);
        rest = &after[j..];
    }
    out
}

#[test]
fn search_page_lists_the_api_hits_with_its_disjunctive_facet_counts() {
    let q = enc("pasaporte");
    let api = json(&format!("/v1/search?q={q}&country=AR"));
    let html = page(&format!("/?q={q}&country=AR&lang=en"));
    // the same hits, in the same order
    let ids: Vec<String> = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("/p/{}", h["id"].as_str().unwrap()))
        .collect();
    assert!(!ids.is_empty());
    let shown: Vec<&str> = between(&html, "<h3><a href=\"", "\"");
    assert_eq!(shown, ids);
    // the total and every country's count, the unselected ones too (disjunctive)
    assert!(html.contains(&format!(
        "<span id=\"total\">{}</span>",
        api["total"].as_u64().unwrap()
    )));
    let countries = api["facets"]["country"].as_object().unwrap();
    assert!(countries.len() > 1, "{countries:?}");
    for (code, n) in countries {
        let id = format!("id=\"f-country-{code}\"");
        let at = html.find(&id).unwrap_or_else(|| panic!("no facet {code}"));
        let label = &html[at..at + html[at..].find("</label>").unwrap()];
        assert!(
            label.contains(&format!("<span class=\"count\">{}</span>", n)),
            "{code}: {label}"
        );
    }
    // AR is ticked, CO is not
    let ar = between(&html, "id=\"f-country-AR\"", ">");
    assert!(ar[0].contains("checked"), "{ar:?}");
    let co = between(&html, "id=\"f-country-CO\"", ">");
    assert!(!co[0].contains("checked"));
    // each facet dimension appears as a fieldset of checkboxes (in force as radio buttons)
    for dim in ["country", "kind", "category", "language", "modality"] {
        assert!(
            html.contains(&format!("<fieldset class=\"facet\" id=\"facet-{dim}\">")),
            "{dim}"
        );
    }
    assert!(html.contains("type=\"radio\" id=\"f-in_force-any\""));
    // snippets are marked, badges shown
    assert!(html.contains("<mark class=\"t0\">"));
    assert!(html.contains("<abbr class=\"badge country\" title=\"Argentina\">AR</abbr>"));
}

#[test]
fn search_page_shows_expansions_pages_and_keeps_state_in_links() {
    let q = enc("assistência consular a presos");
    let api = json(&format!("/v1/search?q={q}&lang=pt,es"));
    let html = page(&format!("/?q={q}&language=pt&language=es&lang=en"));
    assert!(html.contains("Also searched"));
    let engine = state().engine();
    let expansions = api["expansions"].as_array().unwrap();
    assert!(!expansions.is_empty());
    for exp in expansions {
        let id = exp["category"].as_str().unwrap().parse().unwrap();
        let label = &engine.taxonomy().get(&id).unwrap().labels["en"];
        assert!(
            html.contains(&format!(
                "<span class=\"badge cat\">{}</span>",
                askama_escaped(label)
            )),
            "expansion {id}"
        );
        for words in exp["added"].as_object().unwrap().values() {
            for w in words.as_array().unwrap().iter().take(3) {
                assert!(html.contains(&askama_escaped(w.as_str().unwrap())), "{w}");
            }
        }
    }
    // paging: the next page keeps the query and the filters
    let total = api["total"].as_u64().unwrap();
    assert!(total > 10);
    let next = between(&html, "<a rel=\"next\" href=\"", "\"");
    assert_eq!(next.len(), 1);
    let next = next[0].replace("&#38;", "&");
    assert!(next.contains("offset=10"), "{next}");
    assert!(next.contains("language=pt") && next.contains("language=es"));
    let second = page(&next);
    let api2 = json(&format!("/v1/search?q={q}&lang=pt,es&offset=10"));
    let first_id = api2["hits"][0]["id"].as_str().unwrap();
    assert!(second.contains(&format!("/p/{first_id}\"")));
}

#[test]
fn provision_page_escapes_markup_in_law_texts() {
    // a provision whose text holds markup characters, found in the index itself
    let engine = state().engine();
    let find = |c: char| {
        engine.docs().find_map(|(addr, _)| {
            let r = engine.record(addr).ok()?;
            r.provision
                .text
                .contains(c)
                .then(|| (r.provision.id.to_string(), r.provision.text))
        })
    };
    let (id, text) = find('<')
        .or_else(|| find('&'))
        .expect("a provision with < or & in the corpus");
    let html = page(&format!("/p/{id}"));
    let body = between(&html, "<div class=\"text\" lang=\"", "</div>")[0];
    let body = &body[body.find('>').unwrap() + 1..];
    // without the evidence marks, the text is exactly the escaped law text
    let mut plain = String::new();
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        plain.push_str(&rest[..i]);
        let close = rest[i..].find('>').unwrap();
        let tag = &rest[i..i + close + 1];
        assert!(
            tag.starts_with("<mark class=\"t")
                || tag == "</mark>"
                || tag == "<sup>"
                || tag == "</sup>",
            "unexpected tag {tag}"
        );
        rest = &rest[i + close + 1..];
        if tag == "<sup>" {
            rest = &rest[rest.find("</sup>").unwrap() + 6..];
        }
    }
    plain.push_str(rest);
    let mut want = String::new();
    consulex::web::escape(&text, &mut want);
    assert_eq!(plain, want);
    // and a query with markup is escaped back into the search box
    let html = page(&format!("/?q={}", enc("<script>alert(1)</script>")));
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
}

#[test]
fn provision_page_shows_twin_evidence_metadata_similar_and_citation() {
    let id = "ca-eng-f-29.4:sched_2__art_36";
    let api = json(&format!("/v1/provisions/{id}"));
    let html = page(&format!("/p/{id}?lang=es"));
    assert!(html.contains("<html lang=\"es\">"));
    // the twin side by side, each text in its language
    let twin = api["twins"][0]["id"].as_str().unwrap();
    assert!(html.contains("<div class=\"texts two\">"));
    assert!(html.contains("<div class=\"text\" lang=\"en\">"));
    assert!(html.contains("<div class=\"text\" lang=\"fr\">"));
    assert!(html.contains(&format!("href=\"/p/{twin}\"")));
    // evidence marked in place, numbered like the categories listed
    let tags = api["annotation"]["tags"].as_array().unwrap();
    assert!(!tags.is_empty());
    assert!(html.contains("<mark class=\"t0\">"));
    assert!(
        html.contains("Personas detenidas"),
        "Spanish category label"
    );
    // metadata, licence, source, citation
    assert!(html.contains(&askama_escaped(
        api["instrument"]["title"].as_str().unwrap()
    )));
    if let Some(l) = api["instrument"]["licence"].as_str() {
        assert!(html.contains(&askama_escaped(l)));
    }
    if let Some(u) = api["instrument"]["source_url"].as_str() {
        assert!(html.contains(&format!("href=\"{}\"", askama_escaped(u))));
    }
    assert!(html.contains(&format!("<code id=\"citation\">{id} — ")));
    assert!(html.contains("<nav class=\"breadcrumbs\""));
    // similar provisions with the engine's reasons, as the engine gives them
    let sim = json(&format!("/v1/provisions/{id}/similar?limit=6"));
    let first = &sim["similar"][0];
    assert!(html.contains(&format!("href=\"/p/{}\"", first["id"].as_str().unwrap())));
    assert!(html.contains(&askama_escaped(first["reason"].as_str().unwrap())));
}

#[test]
fn compare_page_has_one_column_per_country_with_the_api_provisions() {
    let api = json("/v1/compare?category=protection/detention&countries=AR,CO,MX");
    let html = page(
        "/compare?category=protection%2Fdetention&countries=AR&countries=CO&countries=MX&lang=pt",
    );
    let columns = between(&html, "<section class=\"column", "</section>");
    assert_eq!(columns.len(), 3);
    for (col, c) in columns.iter().zip(api["countries"].as_array().unwrap()) {
        assert!(col.contains(&format!(
            "aria-labelledby=\"col-{}\"",
            c["country"].as_str().unwrap()
        )));
        for p in c["provisions"].as_array().unwrap() {
            assert!(col.contains(&format!("href=\"/p/{}\"", p["id"].as_str().unwrap())));
        }
        assert!(col.contains(&format!(
            "Disposições: <span class=\"n\">{}</span>",
            c["count"]
        )));
    }
    // the form alone, without a question
    let form = page("/compare");
    assert!(form.contains("<select id=\"category\" name=\"category\" required>"));
    assert!(!form.contains("class=\"column\""));
    // a wrong category is the error page with the API's status and message
    let r = get_with("/compare?category=nope&countries=AR", &[]);
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("role=\"alert\""));
}

#[test]
fn matrix_page_is_a_labelled_heatmap_with_the_api_numbers_and_csv() {
    let api = json("/v1/matrix?subsystem=MERCOSUR");
    let html = page("/matrix?subsystem=MERCOSUR&lang=fr");
    let engine = state().engine();
    let tax = engine.taxonomy();
    let columns = api["columns"].as_array().unwrap();
    // labels in French, not codes
    for c in columns {
        let cat = tax.get(&c.as_str().unwrap().parse().unwrap()).unwrap();
        assert!(html.contains(&format!(
            "<span>{}</span>",
            askama_escaped(&cat.labels["fr"])
        )));
    }
    let rows = between(
        &html,
        "<th scope=\"row\" class=\"row\" data-country=",
        "</tr>",
    );
    assert_eq!(rows.len(), api["rows"].as_array().unwrap().len());
    let mut marks = BTreeSet::new();
    for (row, r) in rows.iter().zip(api["rows"].as_array().unwrap()) {
        let cells = between(row, "<td class=\"", "</td>");
        assert_eq!(cells.len(), columns.len());
        for (cell, col) in cells.iter().zip(columns) {
            let c = &r["cells"][col.as_str().unwrap()];
            let class = &cell[..2];
            marks.insert(class.to_string());
            match c["state"].as_str().unwrap() {
                "covered" => {
                    let n = c["obligations"].as_u64().unwrap();
                    assert!(
                        cell.contains(&format!("\">{n}<span class=\"sr-only\">")),
                        "{cell}"
                    );
                    assert!(cell.contains("<a href=\"/?country="), "{cell}");
                }
                "not_found" => assert_eq!(class, "nf"),
                "not_found_partial" => assert_eq!(class, "np"),
                "no_sources" => assert_eq!(class, "ns"),
                s => panic!("state {s}"),
            }
        }
    }
    assert!(marks.len() > 2, "{marks:?}");
    assert!(html.contains("Légende"));
    // the CSV download is the API's CSV of the same filter
    let csv = get_with("/matrix.csv?subsystem=MERCOSUR", &[]);
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let api_csv = get_with("/v1/matrix?subsystem=MERCOSUR&format=csv", &[]);
    assert_eq!(csv.body, api_csv.body);
    assert!(html.contains("href=\"/matrix.csv?subsystem=MERCOSUR\""));
}

#[test]
fn gaps_and_standards_pages_follow_the_engine() {
    let api = json("/v1/gaps?country=PY");
    let html = page("/gaps/PY?lang=en");
    let engine = state().engine();
    let tax = engine.taxonomy();
    let shown = between(&html, "<h2>", "</h2>");
    let gaps = api["gaps"].as_array().unwrap();
    assert!(!gaps.is_empty());
    for (i, g) in gaps.iter().enumerate() {
        let cat = tax
            .get(&g["category"].as_str().unwrap().parse().unwrap())
            .unwrap();
        assert_eq!(
            shown[i],
            format!("{}. {}", i + 1, askama_escaped(&cat.labels["en"]))
        );
        for x in g["exemplars"].as_array().unwrap() {
            assert!(html.contains(&format!("href=\"/p/{}\"", x["id"].as_str().unwrap())));
        }
    }
    assert!(html.contains(&askama_escaped(api["ranking"].as_str().unwrap())));
    // each gap shows the engine's reasons and the country's nearest provisions, or the note
    for g in gaps {
        for x in g["exemplars"].as_array().unwrap() {
            assert!(html.contains(&askama_escaped(x["reason"].as_str().unwrap())));
        }
        // and why fewer (or no) exemplars are offered, as the API says it
        if let Some(n) = g["exemplars_note"].as_str() {
            assert!(html.contains(&askama_escaped(n)), "{n}");
        }
        for n in g["nearest"].as_array().unwrap() {
            assert!(html.contains(&format!("href=\"/p/{}\"", n["id"].as_str().unwrap())));
        }
        if let Some(note) = g["nearest_note"].as_str() {
            assert!(html.contains(&askama_escaped(note)));
        }
    }
    // the gaps page links to the country's printable brief, which is the engine's document
    assert!(html.contains("/brief/PY"));
    let brief = get_with("/brief/PY", &[]);
    assert_eq!(brief.status, StatusCode::OK);
    assert_eq!(
        brief.body,
        get_with("/v1/brief?country=PY&lang=en", &[]).body
    );
    let index = page("/gaps");
    assert!(index.contains("href=\"/gaps/PY\""));
    // the Vienna Convention lens: every article the engine lists
    let std = json("/v1/standards/vccr");
    let html = page("/standards/vccr?lang=pt");
    for a in std.as_array().unwrap() {
        assert!(html.contains(&format!(
            "id=\"art-{}\"",
            askama_escaped(a["article"].as_str().unwrap())
        )));
        for (c, x) in a["countries"].as_object().unwrap() {
            let _ = c;
            assert!(html.contains(&format!("href=\"/p/{}\"", x["strongest"].as_str().unwrap())));
        }
    }
    assert!(html.contains("Convenção de Viena sobre Relações Consulares"));
}

#[test]
fn changes_page_shows_the_kept_reports() {
    let status = json("/v1/status");
    let generation = status["serving"].as_str().unwrap();
    let html = page("/changes?lang=fr");
    assert!(html.contains(&format!("<code>{generation}</code>")));
    let api = json("/v1/changes?since=1970-01-01");
    let added = api["generations"][0]["added"].as_array().unwrap().len();
    assert!(html.contains(&format!("Ajoutées ({added})")));
    let r = get_with("/changes?since=yesterday", &[]);
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[test]
fn every_page_answers_in_four_languages_with_a_strict_policy() {
    let pages = [
        "/",
        "/?q=consul",
        "/p/intl-bwbv0004334-vienna-convention-on-consular-relations:art_36",
        "/compare?category=documents/passports&subsystem=CAN",
        "/matrix",
        "/gaps",
        "/gaps/AR",
        "/standards/vccr",
        "/changes",
    ];
    let search_word = [
        ("es", "Búsqueda"),
        ("en", "Search"),
        ("fr", "Recherche"),
        ("pt", "Pesquisa"),
    ];
    for p in pages {
        for (lang, word) in search_word {
            let sep = if p.contains('?') { '&' } else { '?' };
            let r = get_with(&format!("{p}{sep}lang={lang}"), &[]);
            assert_eq!(r.status, StatusCode::OK, "{p} {lang}: {}", r.body);
            assert!(
                r.body.contains(&format!("<html lang=\"{lang}\">")),
                "{p} {lang}"
            );
            assert!(r.body.contains(&format!(">{word}</a>")), "{p} {lang}");
            let csp = r.headers["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
            assert!(
                !r.body.contains("style=\""),
                "{p}: inline style breaks the policy"
            );
            // nothing loaded from elsewhere: scripts and stylesheets are this server's
            for src in between(&r.body, "<script src=\"", "\"")
                .into_iter()
                .chain(between(&r.body, "<link rel=\"stylesheet\" href=\"", "\""))
            {
                assert!(src.starts_with("/static/"), "{p}: {src}");
            }
            assert!(
                !r.body.contains("<script>"),
                "{p}: inline script breaks the policy"
            );
            assert_eq!(
                r.headers["set-cookie"].to_str().unwrap(),
                format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax")
            );
        }
    }
}

#[test]
fn language_comes_from_the_cookie_then_accept_language() {
    let r = get_with("/matrix", &[("accept-language", "pt-BR,pt;q=0.9,en;q=0.5")]);
    assert!(r.body.contains("<html lang=\"pt\">"));
    assert!(r.headers.get("set-cookie").is_none());
    let r = get_with(
        "/matrix",
        &[("accept-language", "pt-BR"), ("cookie", "lang=fr")],
    );
    assert!(r.body.contains("<html lang=\"fr\">"));
    let r = get_with("/", &[("accept-language", "de")]);
    assert!(r.body.contains("<html lang=\"en\">"));
    // the switch links keep the page's parameters
    let html = page("/?q=visa&country=AR&lang=es");
    assert!(
        html.contains("href=\"/?q=visa&#38;country=AR&#38;lang=fr\""),
        "language switch"
    );
}

#[test]
fn unknown_paths_get_an_html_page_and_the_api_keeps_json() {
    let r = get_with("/nowhere?lang=es", &[]);
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.body.contains("Esta página no existe."));
    let r = get_with("/v1/nowhere", &[]);
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["code"], "not_found");
    // the admin route has no page
    assert_eq!(get_with("/admin", &[]).status, StatusCode::NOT_FOUND);
    assert_eq!(get_with("/admin/reload", &[]).status, StatusCode::NOT_FOUND);
    // a wrong parameter is the error page, escaped
    let r = get_with("/?country=%3Cb%3E", &[]);
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(!r.body.contains("<b>"));
    // the assets are embedded
    let css = get_with("/static/site.css", &[]);
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains(":focus-visible"));
    assert!(!css.body.contains("@import") && !css.body.contains("url("));
}

#[test]
fn the_submission_page_says_when_the_server_takes_no_submissions() {
    // the test router has no submitter token: no form to post, and the page says why
    let r = get_with("/practices/submit?lang=en", &[]);
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"submit-closed\""), "{}", r.body);
    assert!(r.body.contains("does not take submissions"), "{}", r.body);
    assert!(!r.body.contains("name=\"token\""), "{}", r.body);
}
