//! The served OpenAPI document against the server: every documented route, requested as the
//! document describes it, answers with a documented status and content type and a body its
//! schema admits (a small JSON Schema checker below, strict about fields the schema does not
//! name); the body schemas are the ones the Rust types derive; every empty parameter is the
//! 400 the contract states; the examples in docs/API.md use documented routes and parameters
//! and get documented answers. schemathesis checks the same document from outside in CI.

mod common;

use axum::http::StatusCode;
use common::{enc, get, get_with};
use serde_json::Value;
use std::collections::BTreeSet;

fn doc() -> Value {
    get("/openapi.json").1
}

fn resolve<'a>(doc: &'a Value, s: &'a Value) -> &'a Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            let t = &doc["components"]["schemas"][name];
            assert!(!t.is_null(), "dangling reference {r}");
            resolve(doc, t)
        }
        None => s,
    }
}

/// The field names an object schema allows, when it names them all (through `allOf` too).
fn fields(doc: &Value, s: &Value) -> Option<BTreeSet<String>> {
    let s = resolve(doc, s);
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        let mut out = BTreeSet::new();
        for b in all {
            out.extend(fields(doc, b)?);
        }
        return Some(out);
    }
    if s.get("additionalProperties").is_some_and(|a| a != false) {
        return None;
    }
    let props = s.get("properties")?.as_object()?;
    Some(props.keys().cloned().collect())
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

/// Checks `v` against schema `s`, pushing what does not fit (with its JSON path) to `errs`.
fn check(doc: &Value, s: &Value, v: &Value, at: &str, strict: bool, errs: &mut Vec<String>) {
    let s = resolve(doc, s);
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            let fits = alts.iter().any(|a| {
                let mut e = Vec::new();
                check(doc, a, v, at, strict, &mut e);
                e.is_empty()
            });
            if !fits {
                errs.push(format!("{at}: fits none of {key} ({v:.80})"));
            }
        }
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for a in all {
            check(doc, a, v, at, false, errs);
        }
        if strict {
            extra_fields(doc, s, v, at, errs);
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errs.push(format!("{at}: {v} is not in the enumeration"));
        }
    }
    match s.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => errs.push(format!("{at}: not a {t}: {v:.80}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""), v)) => {
            errs.push(format!("{at}: none of the types {ts:?}: {v:.80}"))
        }
        _ => {}
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            errs.push(format!("{at}: {n} below the minimum {min}"));
        }
    }
    if let Some(o) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !o.contains_key(r.as_str().unwrap_or("")) {
                errs.push(format!("{at}: required field {r} is missing"));
            }
        }
        for (k, val) in o {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(doc, ps, val, &format!("{at}.{k}"), true, errs),
                None => {
                    if let Some(ap) = s.get("additionalProperties").filter(|a| a.is_object()) {
                        check(doc, ap, val, &format!("{at}.{k}"), true, errs);
                    }
                }
            }
        }
        if strict && s.get("allOf").is_none() {
            extra_fields(doc, s, v, at, errs);
        }
    }
    if let (Some(items), Some(a)) = (s.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"), true, errs);
        }
    }
}

fn extra_fields(doc: &Value, s: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    if let (Some(names), Some(o)) = (fields(doc, s), v.as_object()) {
        for k in o.keys().filter(|k| !names.contains(*k)) {
            errs.push(format!("{at}: field {k} is not in the document"));
        }
    }
}

/// Real values for path parameters, taken from the served data.
fn path_value(name: &str, path: &str) -> String {
    if path.contains("/practices/") {
        let (_, v) = get("/v1/practices");
        return v[0]["id"].as_str().unwrap().to_string();
    }
    if path.contains("/instruments/") {
        return "ar-ley-17081".into();
    }
    match name {
        "country" => "UY".into(),
        _ => "ca-eng-f-29.4:sched_2__art_36".into(),
    }
}

/// A value for a required query parameter: its first enumerated value, or a date for `since`.
fn query_value(p: &Value) -> String {
    let s = &p["schema"];
    if let Some(first) = s["enum"].get(0).and_then(Value::as_str) {
        return if p["name"] == "country" {
            "UY".into()
        } else {
            first.into()
        };
    }
    if p["name"] == "since" {
        return "2026-01-01".into();
    }
    panic!("no value for {p}");
}

/// The documented GET operations, each as a request the document allows, with its operation.
fn requests(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let mut uri = path.clone();
        let mut query = Vec::new();
        for p in op["parameters"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            if p["in"] == "path" {
                uri = uri.replace(&format!("{{{name}}}"), &enc(&path_value(name, path)));
            } else if p["required"] == true {
                query.push(format!("{name}={}", enc(&query_value(p))));
            }
        }
        if !query.is_empty() {
            uri = format!("{uri}?{}", query.join("&"));
        }
        out.push((path.clone(), uri, op.clone()));
    }
    out
}

/// The status, content type and body of `uri` checked against operation `op`.
fn answer_fits(doc: &Value, op: &Value, uri: &str, errs: &mut Vec<String>) -> StatusCode {
    let (status, ctype, body) = get_with(uri, &[]);
    let Some(resp) = op["responses"].get(status.as_str()) else {
        errs.push(format!("{uri}: status {status} is not documented"));
        return status;
    };
    let ctype = ctype.split(';').next().unwrap_or("").trim().to_string();
    let Some(media) = resp["content"].get(&ctype) else {
        errs.push(format!("{uri}: {status} as {ctype} is not documented"));
        return status;
    };
    if ctype == "application/json" {
        let v: Value = serde_json::from_str(&body).unwrap();
        check(doc, &media["schema"], &v, uri, true, errs);
    }
    status
}

#[test]
fn every_documented_route_answers_as_the_document_says() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut errs = Vec::new();
    let reqs = requests(&doc);
    assert!(reqs.len() >= 30, "{} operations", reqs.len());
    for (path, uri, op) in &reqs {
        let s = answer_fits(&doc, op, uri, &mut errs);
        // the changes need an index root, which the in-process state has not (503, documented)
        if !path.ends_with("/changes") {
            assert!(s.is_success(), "{uri}: {s}");
        }
    }
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

#[test]
fn the_body_schemas_are_the_types_own() {
    use utoipa::PartialSchema;
    let doc = doc();
    let schemas = &doc["components"]["schemas"];
    let served = |name: &str| schemas[name].clone();
    let derived = |s: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
        serde_json::to_value(s).unwrap()
    };
    assert_eq!(
        served("SearchResponse"),
        derived(consulex::search::SearchResponse::schema())
    );
    assert_eq!(served("Hit"), derived(consulex::search::Hit::schema()));
    assert_eq!(
        served("GapsResponse"),
        derived(consulex::compare::GapsResponse::schema())
    );
    assert_eq!(
        served("CompareResponse"),
        derived(consulex::compare::CompareResponse::schema())
    );
    // a field of a type is a field of its schema, required unless it may be left out
    let hit = &schemas["Hit"];
    for f in ["id", "country", "categories", "snippet"] {
        assert!(hit["properties"].get(f).is_some(), "Hit.{f}");
        assert!(
            hit["required"].as_array().unwrap().iter().any(|r| r == f),
            "Hit.{f} required"
        );
    }
    // the one error shape, with the codes of the status table
    let codes = schemas["Error"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap();
    for (code, _, _) in consulex::api::error::CODES {
        assert!(codes.iter().any(|c| c == code), "{code}");
    }
    // the document's own model parses it, and no two types claim one schema name
    let engine = common::app_state().engine();
    let (built, clashes) =
        consulex::api::openapi::build(&engine, consulex::api::openapi::Roles::ALL);
    assert!(
        clashes.is_empty(),
        "schema names claimed twice: {clashes:?}"
    );
    for (name, schema) in built["components"]["schemas"].as_object().unwrap() {
        let parsed: Result<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>, _> =
            serde_json::from_value(schema.clone());
        assert!(parsed.is_ok(), "{name}: {schema}");
    }
    for (path, item) in built["paths"].as_object().unwrap() {
        let parsed: Result<utoipa::openapi::PathItem, _> = serde_json::from_value(item.clone());
        assert!(parsed.is_ok(), "{path}: {:?}", parsed.err());
    }
    let _: utoipa::openapi::OpenApi = serde_json::from_value(built).unwrap();
}

#[test]
fn an_empty_or_unknown_value_is_a_400_naming_the_parameter_on_every_route() {
    let doc = doc();
    let mut errs = Vec::new();
    for (path, uri, op) in requests(&doc) {
        if !path.starts_with("/v1/") {
            continue;
        }
        let (route, given) = uri.split_once('?').unwrap_or((&uri, ""));
        for p in op["parameters"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            if p["in"] != "query" {
                continue;
            }
            // the other required parameters as the document allows them, this one wrong
            let pairs: Vec<String> = given
                .split('&')
                .filter(|kv| !kv.is_empty() && !kv.starts_with(&format!("{name}=")))
                .map(str::to_string)
                .collect();
            for bad in ["", "%C2%A7"] {
                let mut all = pairs.clone();
                all.push(format!("{name}={bad}"));
                let bad_uri = format!("{route}?{}", all.join("&"));
                let s = answer_fits(&doc, &op, &bad_uri, &mut errs);
                let (_, v) = get(&bad_uri);
                let names_it = v["message"].as_str().unwrap_or("").contains(name);
                if s != StatusCode::BAD_REQUEST || !names_it {
                    errs.push(format!("{bad_uri}: {s} {v}"));
                }
            }
        }
    }
    // a parameter the route does not take (the web pages' aliases are not the API's)
    let (s, v) = get("/v1/search?countries=AR");
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("countries"), "{v}");
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

/// Every request in docs/API.md's examples: a documented route and documented parameters,
/// answered with a documented status and a body its schema admits.
#[test]
fn the_examples_in_the_api_guide_fit_the_document() {
    let doc = doc();
    let guide = std::fs::read_to_string(common::repo_file("docs/API.md")).unwrap();
    let mut errs = Vec::new();
    let mut seen = 0;
    for line in guide
        .lines()
        .filter(|l| l.starts_with("curl") && !l.contains("-X POST"))
    {
        let Some(at) = line.find("http://127.0.0.1:8080") else {
            continue;
        };
        let uri: String = line[at + "http://127.0.0.1:8080".len()..]
            .chars()
            .take_while(|c| !matches!(c, '\'' | ' '))
            .collect();
        let (path, query) = uri.split_once('?').unwrap_or((&uri, ""));
        let Some((template, op)) =
            doc["paths"]
                .as_object()
                .unwrap()
                .iter()
                .find_map(|(t, item)| {
                    let ok = t.split('/').count() == path.split('/').count()
                        && t.split('/')
                            .zip(path.split('/'))
                            .all(|(a, b)| a == b || a.starts_with('{'));
                    ok.then(|| (t.clone(), item["get"].clone()))
                })
        else {
            errs.push(format!("{uri}: no documented route"));
            continue;
        };
        for kv in query.split('&').filter(|kv| !kv.is_empty()) {
            let name = kv.split('=').next().unwrap();
            if !op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == name)
            {
                errs.push(format!("{uri}: {template} documents no parameter {name}"));
            }
        }
        answer_fits(&doc, &op, &uri, &mut errs);
        seen += 1;
    }
    assert!(seen >= 15, "{seen} examples");
    assert!(errs.is_empty(), "{}", errs.join("\n"));
}

#[test]
fn secured_routes_are_documented_only_where_their_role_has_a_token() {
    use consulex::api::openapi::{build, Roles};
    let engine = common::app_state().engine();
    let post = |doc: &Value, path: &str| !doc["paths"][path]["post"].is_null();
    // a server with no tokens answers 404 on the secured routes: the document does not
    // promise them (nor a 401 they would never give)
    let none = build(
        &engine,
        Roles {
            admin: false,
            submitter: false,
        },
    )
    .0;
    assert!(!post(&none, "/v1/admin/reload") && !post(&none, "/v1/practices"));
    assert!(!post(&none, "/practices/submit"));
    assert_eq!(none["components"]["securitySchemes"], serde_json::json!({}));
    assert!(!none["paths"]["/practices/submit"]["get"].is_null());
    assert_eq!(
        doc()["paths"],
        none["paths"],
        "the test router has no tokens"
    );
    // with one role, its routes and its scheme only
    let sub = build(
        &engine,
        Roles {
            admin: false,
            submitter: true,
        },
    )
    .0;
    assert!(post(&sub, "/v1/practices") && post(&sub, "/practices/submit"));
    assert!(!post(&sub, "/v1/admin/reload"));
    assert_eq!(
        sub["paths"]["/v1/practices"]["post"]["security"],
        serde_json::json!([{"submitter": []}])
    );
    assert!(sub["components"]["securitySchemes"]["admin"].is_null());
    assert!(!sub["components"]["schemas"]["Submission"].is_null());
    let all = build(&engine, Roles::ALL).0;
    assert!(post(&all, "/v1/admin/reload"));
    assert_eq!(
        all["paths"]["/v1/admin/reload"]["post"]["security"],
        serde_json::json!([{"admin": []}])
    );
}
