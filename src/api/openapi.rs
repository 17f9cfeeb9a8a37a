//! `GET /openapi.json`: the OpenAPI 3.1 document, derived, not written. Response bodies are
//! the schemas `utoipa` derives from the Rust types the handlers serialise (so a changed
//! field changes the document); parameters, with their enumerations filled from the served
//! taxonomy, registry and index, are the `contract` tables the handlers check requests
//! against; error bodies are the one `Error` shape with the codes of `error::CODES`.

use super::contract::{self, Param, Place, Ty, Values};
use super::AppState;
use crate::search::Engine;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The named schemas of the document, collected from the types as operations refer to them.
#[derive(Default)]
pub struct Schemas {
    named: BTreeMap<String, Value>,
    /// Names two different types claimed (a unit test keeps this empty).
    pub clashes: Vec<String>,
}

impl Schemas {
    fn insert(&mut self, name: String, schema: Value) {
        match self.named.get(&name) {
            Some(prev) if *prev != schema => self.clashes.push(name),
            Some(_) => {}
            None => {
                self.named.insert(name, schema);
            }
        }
    }
}

/// A reference to `T`'s schema, registering it and every schema it refers to.
fn of<T: ToSchema>(c: &mut Schemas) -> Value {
    let mut deps = Vec::new();
    T::schemas(&mut deps);
    for (name, s) in deps {
        c.insert(name, serde_json::to_value(s).unwrap_or_default());
    }
    let name = T::name().into_owned();
    c.insert(
        name.clone(),
        serde_json::to_value(T::schema()).unwrap_or_default(),
    );
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn list_of<T: ToSchema>(c: &mut Schemas) -> Value {
    json!({"type": "array", "items": of::<T>(c)})
}

/// What a route answers with when it succeeds.
#[derive(Clone, Copy)]
enum Body {
    Json(fn(&mut Schemas) -> Value),
    /// JSON, or CSV when asked (`/v1/matrix`).
    JsonOrCsv(fn(&mut Schemas) -> Value),
    /// A document: HTML, or Markdown when asked (the brief).
    Document,
    Html,
    Csv,
    Css,
    Js,
}

/// One operation of the document.
/// Builds a request body's schema (registering the component schemas it refers to).
type BodySchema = fn(&mut Schemas, &Engine) -> Value;

struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    description: &'static str,
    params: &'static [Param],
    path_params: &'static [Param],
    ok: (u16, Body),
    /// Error statuses beyond those every route can answer (400 with parameters, 404 with a
    /// path parameter, and the server's 414, 431, 500, 503).
    errors: &'static [(u16, &'static str)],
    security: Option<&'static str>,
    /// The role whose configured token enables the route, where it is not `security` (the
    /// web form takes the token as a field): without that token the route is not served.
    enabled_by: Option<&'static str>,
    /// The body's media type and schema.
    request_body: Option<(&'static str, BodySchema)>,
    tag: &'static str,
}

const fn get(path: &'static str, summary: &'static str, params: &'static [Param], ok: Body) -> Op {
    Op {
        method: "get",
        path,
        summary,
        description: "",
        params,
        path_params: &[],
        ok: (200, ok),
        errors: &[],
        security: None,
        enabled_by: None,
        request_body: None,
        tag: "api",
    }
}

const fn page(path: &'static str, summary: &'static str, ok: Body) -> Op {
    let mut op = get(path, summary, &[], ok);
    op.tag = "web";
    op
}

const fn with_path(mut op: Op, p: &'static [Param]) -> Op {
    op.path_params = p;
    op
}

const fn described(mut op: Op, d: &'static str) -> Op {
    op.description = d;
    op
}

const PROVISION_ID: &[Param] = &[contract::PROVISION_ID];
const INSTRUMENT_ID: &[Param] = &[contract::INSTRUMENT_ID];
const PRACTICE_ID: &[Param] = &[contract::PRACTICE_ID];
const COUNTRY: &[Param] = &[contract::COUNTRY_PATH];

/// Every route the server answers, API and pages (a test requests each).
fn operations() -> Vec<Op> {
    use crate::compare::{CompareResponse, GapsResponse, Matrix, SimilarResponse, StandardArticle};
    use crate::search::{
        CountryEntry, InstrumentDetail, PracticeHit, ProvisionDetail, SearchResponse,
    };
    const PAGE_NOTE: &str = "A page of the web interface. It reads the query parameters of its `/v1` route as a form sends them (empty fields ignored, unknown ones refused on a page of errors), which is why they are not listed here: see the `/v1` route for their meaning.";
    vec![
        get("/health", "liveness and the served generation", &[], Body::Json(of::<super::Health>)),
        get("/v1/search", "search provisions (and shared practices) with disjunctive facets", contract::SEARCH, Body::Json(of::<SearchResponse>)),
        with_path(get("/v1/provisions/{id}", "one provision: full text, metadata, categories with evidence, twins, attribution", &[], Body::Json(of::<ProvisionDetail>)), PROVISION_ID),
        with_path(get("/v1/provisions/{id}/similar", "the closest provisions in other instruments, across languages, with reasons", contract::SIMILAR, Body::Json(of::<SimilarResponse>)), PROVISION_ID),
        get("/v1/instruments", "the indexed instruments", contract::INSTRUMENTS, Body::Json(list_of::<crate::index::build::InstrumentEntry>)),
        with_path(get("/v1/instruments/{id}", "one instrument and its provisions", &[], Body::Json(of::<InstrumentDetail>)), INSTRUMENT_ID),
        get("/v1/countries", "the registry's countries with their subsystems and indexed counts", &[], Body::Json(list_of::<CountryEntry>)),
        get("/v1/taxonomy", "the consular service categories", &[], Body::Json(of::<crate::annotate::taxonomy::Taxonomy>)),
        get("/v1/practices", "shared practices of member states (programmes, protocols, services), each with its sources and the instruments its legal basis names", contract::PRACTICES, Body::Json(list_of::<PracticeHit>)),
        Op {
            method: "post",
            summary: "submit a practice record for review (the submitter role)",
            description: "Checked field by field as a record, markup stripped, written as pending into the submissions folder; never served until approved (`consulex practices approve`) and reindexed. Listed only where the server has a submitter token (without one, POST is a 405).",
            errors: &[
                (401, "no bearer token, or an unknown one"),
                (403, "a token of another role"),
                (409, "a record with this id, or this title and country, exists; the message names it"),
                (413, "the body is larger than max_body_bytes"),
                (415, "the body is not application/json"),
                (429, "more than max_submissions_per_minute submissions (Retry-After)"),
            ],
            security: Some("submitter"),
            request_body: Some(("application/json", submission_schema)),
            ..get("/v1/practices", "", &[], Body::Json(of::<crate::practices::submit::Receipt>))
        }
        .created(),
        with_path(get("/v1/practices/{id}", "one practice: record, sources, legal basis and its links to the corpus", &[], Body::Json(of::<crate::index::practices::PracticeEntry>)), PRACTICE_ID),
        described(get("/v1/compare", "side by side: each country's provisions in a category, strongest first, treaty copies apart", contract::COMPARE, Body::Json(of::<CompareResponse>)), "The countries compared are `countries`, the members of `subsystem`, or both (their union); with neither, every country with indexed instruments."),
        get("/v1/matrix", "coverage matrix, countries by categories (JSON, or CSV with format=csv or Accept: text/csv)", contract::MATRIX, Body::JsonOrCsv(of::<Matrix>)),
        get("/v1/gaps", "the categories where a country lacks obligations its peers have, with model provisions", contract::GAPS, Body::Json(of::<GapsResponse>)),
        get("/v1/brief", "a brief for a legislator: coverage against peers, each gap with model provisions in full, sources with licences; one self-contained HTML file (print-ready) or Markdown", contract::BRIEF, Body::Document),
        get("/v1/standards/vccr", "the Vienna Convention articles grounding the taxonomy, and the countries legislating on them", &[], Body::Json(list_of::<StandardArticle>)),
        get("/v1/status", "the served generation and the index's state (no file-system paths)", &[], Body::Json(of::<super::StatusResponse>)),
        Op {
            errors: &[(503, "this server has no index root")],
            ..get("/v1/changes", "what the generations built since a generation or a date added, removed and changed", contract::CHANGES, Body::Json(of::<crate::index::ops::Changes>))
        },
        Op {
            method: "post",
            errors: &[
                (401, "no bearer token, or an unknown one"),
                (403, "a token of another role"),
                (404, "admin routes are disabled (no admin token configured)"),
                (409, "another reload or reindex holds the lock"),
            ],
            security: Some("admin"),
            ..get("/v1/admin/reload", "switch to the generation CURRENT points at, if it is not the one served", &[], Body::Json(of::<super::ReloadResponse>))
        },
        get("/openapi.json", "this document", &[], Body::Json(|_| json!({"type": "object"}))),
        described(page("/", "search page", Body::Html), PAGE_NOTE),
        with_path(page("/p/{id}", "a provision's page", Body::Html), PROVISION_ID),
        with_path(page("/practices/{id}", "a practice's page", Body::Html), PRACTICE_ID),
        described(page("/practices/submit", "the form to submit a practice (it posts to this path with the submitter token)", Body::Html), PAGE_NOTE),
        Op {
            method: "post",
            errors: &[
                (401, "no token, or an unknown one"),
                (403, "a token of another role"),
                (409, "a record with this id, or this title and country, exists"),
                (429, "more than max_submissions_per_minute submissions"),
            ],
            enabled_by: Some("submitter"),
            request_body: Some(("application/x-www-form-urlencoded", submit_form_schema)),
            ..described(page("/practices/submit", "the submission form, posted: the token first, then the record's fields as `POST /v1/practices` checks them; the page says what was received or what to correct", Body::Html), "Lists (`partners`, `categories`) are one item per line or comma-separated.")
        }
        .created(),
        described(page("/compare", "side-by-side page", Body::Html), PAGE_NOTE),
        described(page("/matrix", "coverage matrix page", Body::Html), PAGE_NOTE),
        described(page("/matrix.csv", "the matrix page's CSV", Body::Csv), PAGE_NOTE),
        page("/gaps", "the countries whose gaps can be shown", Body::Html),
        described(with_path(page("/gaps/{country}", "a country's gaps", Body::Html), COUNTRY), PAGE_NOTE),
        described(with_path(page("/brief/{country}", "a country's brief, as a page to print (HTML; the Markdown is `GET /v1/brief?format=md`)", Body::Document), COUNTRY), PAGE_NOTE),
        page("/standards/vccr", "the Vienna Convention lens", Body::Html),
        described(page("/changes", "what changed between generations", Body::Html), PAGE_NOTE),
        page("/static/site.css", "the stylesheet", Body::Css),
        page("/static/site.js", "the pages' one script", Body::Js),
    ]
}

impl Op {
    const fn created(mut self) -> Op {
        self.ok.0 = 201;
        self
    }
}

fn param_schema(p: &Param, e: &Engine) -> Value {
    let closed = |v: Values| json!({"type": "string", "enum": v.list(e)});
    match p.ty {
        Ty::Text { max, min, pattern } => {
            let mut s = json!({"type": "string", "maxLength": max});
            if min > 0 {
                s["minLength"] = json!(min);
            }
            if let Some(pat) = pattern {
                s["pattern"] = json!(pat);
            }
            s
        }
        Ty::Peers => {
            json!({"type": "string", "maxLength": contract::peers_max_len(e), "pattern": contract::peers_pattern(e)})
        }
        Ty::Since => json!({"anyOf": [
            {"type": "string", "pattern": r"^g[0-9A-Za-z]{8,}$"},
            {"type": "string", "format": "date"},
            {"type": "string", "format": "date-time"}
        ]}),
        Ty::Int { min, max, default } => {
            let mut s = json!({"type": "integer", "format": "int64"});
            if min != i64::MIN {
                s["minimum"] = json!(min);
            }
            if max != i64::MAX {
                s["maximum"] = json!(max);
            }
            if let Some(d) = default {
                s["default"] = json!(d);
            }
            s
        }
        Ty::Bool { default } => {
            let mut s = json!({"type": "boolean"});
            if let Some(d) = default {
                s["default"] = json!(d);
            }
            s
        }
        Ty::One { values, default } => {
            let mut s = closed(values);
            if let Some(d) = default {
                s["default"] = json!(d);
            }
            s
        }
        Ty::List(values) => {
            json!({"type": "array", "minItems": 1, "maxItems": contract::max_items(values, e), "items": closed(values)})
        }
    }
}

fn parameter(p: &Param, e: &Engine) -> Value {
    let mut v = json!({
        "name": p.name,
        "in": if p.place == Place::Path { "path" } else { "query" },
        "required": p.required,
        "description": p.description,
        "schema": param_schema(p, e),
    });
    if matches!(p.ty, Ty::List(_)) {
        v["style"] = json!("form");
        v["explode"] = json!(false);
        v["description"] = json!(format!("{}; comma-separated", p.description));
    }
    v
}

fn content(ctype: &str, schema: Value) -> Value {
    json!({ctype: {"schema": schema}})
}

fn text(ctype: &str) -> Value {
    content(ctype, json!({"type": "string"}))
}

fn error(desc: &str, html: bool) -> Value {
    let mut c = content(
        "application/json",
        json!({"$ref": "#/components/schemas/Error"}),
    );
    if html {
        // a page answers with an error page, a `/v1` route with the JSON error
        c = text("text/html");
    }
    json!({"description": desc, "content": c})
}

fn operation(op: &Op, e: &Engine, c: &mut Schemas) -> Value {
    let page = op.tag == "web";
    let ok = match op.ok.1 {
        Body::Json(f) => content("application/json", f(c)),
        Body::JsonOrCsv(f) => {
            let mut m = content("application/json", f(c));
            m["text/csv"] = json!({"schema": {"type": "string"}});
            m
        }
        Body::Document => {
            let mut m = text("text/html");
            m["text/markdown"] = json!({"schema": {"type": "string"}});
            m
        }
        Body::Html => text("text/html"),
        Body::Csv => text("text/csv"),
        Body::Css => text("text/css"),
        Body::Js => text("text/javascript"),
    };
    let mut responses = Map::new();
    responses.insert(
        op.ok.0.to_string(),
        json!({"description": op.summary, "content": ok}),
    );
    let mut add = |status: u16, desc: &str| {
        responses
            .entry(status.to_string())
            .or_insert_with(|| error(desc, page));
    };
    for (s, d) in op.errors {
        add(*s, d);
    }
    if !op.params.is_empty() || !op.path_params.is_empty() || op.request_body.is_some() || page {
        add(
            400,
            "a parameter, path segment or body is invalid: the message names it",
        );
    }
    if !op.path_params.is_empty() || page {
        add(404, "no such provision, instrument, practice or country");
    }
    if op.method == "post" {
        add(413, "the body is larger than max_body_bytes");
    }
    add(414, "path and query string are longer than max_uri_bytes");
    add(
        431,
        "request line and headers are larger than max_header_bytes",
    );
    add(500, "an internal error (logged)");
    add(
        503,
        "no index, a timeout, or too many connections (Retry-After)",
    );
    let mut params: Vec<Value> = op.path_params.iter().map(|p| parameter(p, e)).collect();
    params.extend(op.params.iter().map(|p| parameter(p, e)));
    let mut v = json!({
        "tags": [op.tag],
        "summary": op.summary,
        "operationId": operation_id(op),
        "parameters": params,
        "responses": responses,
    });
    if !op.description.is_empty() {
        v["description"] = json!(op.description);
    }
    if let Some(s) = op.security {
        v["security"] = json!([{ s: [] }]);
    }
    if let Some((ctype, body)) = op.request_body {
        v["requestBody"] = json!({"required": true, "content": content(ctype, body(c, e))});
    }
    v
}

/// `get_v1_provisions_id_similar`: the method and the path's words.
fn operation_id(op: &Op) -> String {
    let words: Vec<&str> = op
        .path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut id = op.method.to_string();
    for w in words {
        id.push('_');
        id.push_str(w);
    }
    if op.tag == "web" {
        id.push_str("_page");
    }
    if op.path == "/" {
        id = "get_search_page".into();
    }
    id
}

/// Which secured routes a server serves: those whose role has a configured token (the others
/// answer 404, so the document leaves them out rather than promise a 401).
#[derive(Debug, Clone, Copy)]
pub struct Roles {
    pub admin: bool,
    pub submitter: bool,
}

impl Roles {
    /// Both roles configured: the whole document.
    pub const ALL: Roles = Roles {
        admin: true,
        submitter: true,
    };

    fn has(self, role: &str) -> bool {
        match role {
            "admin" => self.admin,
            "submitter" => self.submitter,
            _ => false,
        }
    }
}

/// The document for the served engine and the roles the server has tokens for.
pub fn build(e: &Engine, roles: Roles) -> (Value, Vec<String>) {
    let mut c = Schemas::default();
    let mut paths = Map::new();
    for op in operations() {
        if op.security.or(op.enabled_by).is_some_and(|r| !roles.has(r)) {
            continue;
        }
        let item = paths
            .entry(op.path.to_string())
            .or_insert_with(|| json!({}));
        item[op.method] = operation(&op, e, &mut c);
    }
    let error = of::<super::ApiError>(&mut c);
    debug_assert!(error["$ref"] == "#/components/schemas/Error");
    let codes: Vec<&str> = super::error::CODES.iter().map(|(c, _, _)| *c).collect();
    let code_table: Vec<String> = super::error::CODES
        .iter()
        .map(|(c, s, when)| format!("{c} ({s}): {when}"))
        .collect();
    if let Some(code) = c
        .named
        .get_mut("Error")
        .and_then(|s| s.pointer_mut("/properties/code"))
    {
        *code = json!({"type": "string", "enum": codes, "description": code_table.join("; ")});
    }
    let mut schemes = Map::new();
    if roles.admin {
        schemes.insert("admin".into(), json!({"type": "http", "scheme": "bearer", "description": "the admin token (`admin_token`, CONSULEX_ADMIN_TOKEN)"}));
    }
    if roles.submitter {
        schemes.insert("submitter".into(), json!({"type": "http", "scheme": "bearer", "description": "the submitter role's token (`submitter_token`, CONSULEX_SUBMITTER_TOKEN), given by the secretariat to member states' focal points"}));
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "consulex",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Comparative analysis of consular law: faceted, cross-lingual search over annotated provisions of national consular laws and treaties, comparisons, gaps and briefs. Every error is `{\"code\",\"message\"}` (the `Error` schema); every parameter list is comma-separated.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "tags": [
            {"name": "api", "description": "the JSON API"},
            {"name": "web", "description": "the web interface's pages"}
        ],
        "paths": paths,
        "components": {
            "securitySchemes": schemes,
            "schemas": c.named,
        }
    });
    (doc, c.clashes)
}

pub async fn document(State(s): State<AppState>) -> Json<Value> {
    Json(build(&s.engine(), s.roles()).0)
}

/// A practice record as `POST /v1/practices` takes it (`../shared/spec/practices.md`, without
/// `status`; `summary` is the record's body). The bounds are the reader's.
fn submission_schema(c: &mut Schemas, e: &Engine) -> Value {
    use crate::corpus::model::Language;
    use crate::practices::read::{MAX_ITEMS, MAX_TEXT, SUMMARY_WORDS};
    let countries: Vec<String> = e
        .registry()
        .oas_members()
        .map(|c| c.code.to_string())
        .collect();
    let leaves: Vec<String> = e.taxonomy().leaves().map(|c| c.id.to_string()).collect();
    let text = |desc: &str| json!({"type": "string", "maxLength": MAX_TEXT, "description": desc});
    let schema = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "language", "kind", "categories", "sources", "summary"],
        "properties": {
            "id": {"type": "string", "pattern": contract::PRACTICE_ID_PATTERN, "maxLength": crate::practices::MAX_ID_LEN, "description": "optional: derived from the country and the English title when absent; starts with the country's lowercase code, or reg- for a regional mechanism"},
            "country": {"type": ["string", "null"], "enum": countries.iter().map(|c| json!(c)).chain([Value::Null]).collect::<Vec<_>>(), "description": "the OAS member that runs it; null for a regional mechanism, which lists `countries`"},
            "countries": {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "string"}, "description": "participating states of a regional mechanism"},
            "title": text("title in its original language"),
            "title_en": text("English title"),
            "language": {"type": "string", "enum": Language::ALL.iter().map(|l| l.to_string()).collect::<Vec<_>>()},
            "kind": {"type": "string", "enum": crate::practices::PracticeKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()},
            "year": {"type": ["integer", "null"]},
            "institution": text("the institution that runs it"),
            "partners": {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "string", "maxLength": MAX_TEXT}},
            "categories": {"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": {"type": "string", "enum": leaves}},
            "legal_basis": text("the law or article the sources name as its basis"),
            "sources": {"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": {"type": "object", "additionalProperties": false, "required": ["url"], "properties": {"url": {"type": "string", "format": "uri", "pattern": "^https?://"}, "title": {"type": "string"}, "publisher": {"type": "string"}, "date": {"type": ["string", "null"]}}}},
            "summary": {"type": "string", "description": format!("{} to {} words in English; any markup is stripped", SUMMARY_WORDS.0, SUMMARY_WORDS.1)}
        }
    });
    c.insert("Submission".into(), schema);
    json!({"$ref": "#/components/schemas/Submission"})
}

/// The fields of the web submission form (`web::practices::SubmitForm`).
fn submit_form_schema(_: &mut Schemas, _: &Engine) -> Value {
    let fields = [
        "title",
        "title_en",
        "language",
        "kind",
        "country",
        "year",
        "institution",
        "partners",
        "categories",
        "legal_basis",
        "source_url",
        "source_title",
        "source_publisher",
        "summary",
    ];
    let mut props = Map::new();
    props.insert(
        "token".into(),
        json!({"type": "string", "description": "the submitter token"}),
    );
    for f in fields {
        props.insert(f.into(), json!({"type": "string"}));
    }
    json!({"type": "object", "required": ["token"], "properties": props})
}
