//! `GET /openapi.json`: an OpenAPI 3.0 document. Parameter enumerations come from the Rust
//! types (kinds, modalities, subsystems, languages) and the live taxonomy and registry, so
//! the document cannot drift from what the handlers accept; response bodies are described by
//! their fields and an example.

use super::AppState;
use crate::annotate::modality::Modality;
use crate::corpus::countries::SUBSYSTEMS;
use crate::corpus::model::{InstrumentKind, Language};
use crate::search::request::{DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET};
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

fn param(name: &str, desc: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema})
}

fn required(mut p: Value) -> Value {
    p["required"] = json!(true);
    p
}

fn list(values: Vec<String>) -> Value {
    json!({"type": "string", "description": format!("one of, or comma-separated: {}", values.join(", "))})
}

fn error_response(desc: &str) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

pub async fn document(State(s): State<AppState>) -> Json<Value> {
    let e = s.engine();
    let categories: Vec<String> = e
        .taxonomy()
        .categories
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    let countries: Vec<String> = e
        .registry()
        .countries
        .iter()
        .map(|c| c.code.to_string())
        .chain(["INTL".to_string()])
        .collect();
    let countries_oas: Vec<String> = e
        .registry()
        .oas_members()
        .map(|c| c.code.to_string())
        .collect();
    let leaf_categories: Vec<String> = e.taxonomy().leaves().map(|c| c.id.to_string()).collect();
    // every code the server sends, from the one table (`error::CODES`)
    let codes: Vec<&str> = super::error::CODES.iter().map(|(c, _, _)| *c).collect();
    let code_table: Vec<String> = super::error::CODES
        .iter()
        .map(|(c, s, when)| format!("{c} ({s}): {when}"))
        .collect();
    let code_table = code_table.join("; ");
    let search_params = vec![
        param("q", "query text in any language: words (AND), \"phrases\", -exclusions, OR; at most 1000 characters, 64 clauses, 16 nesting levels", json!({"type": "string"})),
        param("country", "country codes (repeat or comma-separate)", list(countries.clone())),
        param("subsystem", "integration subsystem", list(SUBSYSTEMS.iter().map(|s| s.to_string()).collect())),
        param("kind", "instrument kind", list(InstrumentKind::ALL.iter().map(|k| k.to_string()).collect())),
        param("category", "category id; a parent includes its children", list(categories)),
        param("lang", "provision language", list(Language::ALL.iter().map(|l| l.to_string()).collect())),
        param("modality", "normative modality", list(Modality::ALL.iter().map(|m| m.as_str().to_string()).collect())),
        param("in_force", "only provisions in force (true) or not (false)", json!({"type": "boolean"})),
        param("from", "earliest publication year (any integer; not after 'to')", json!({"type": "integer", "format": "int64"})),
        param("to", "latest publication year (any integer)", json!({"type": "integer", "format": "int64"})),
        param("limit", "hits per page", json!({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT})),
        param("offset", "hits to skip", json!({"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0})),
        param("expand", "cross-lingual expansion through category descriptors", json!({"type": "boolean", "default": true})),
        param("group", "copies of one provision (treaty article copies, Canadian twins) as one hit: on (default) or off", json!({"type": "string", "enum": ["on", "off"], "default": "on"})),
        param("type", "what to list: provision, practice, or both (default); the `type` facet counts both", json!({"type": "string", "enum": ["provision", "practice"]})),
    ];
    // the body's JSON type is the example's, so a route answering with an array cannot be
    // described as an object (tests/api.rs checks the served bodies against these types)
    let ok = |desc: &str, example: Value| {
        let kind = if example.is_array() {
            "array"
        } else {
            "object"
        };
        json!({"200": {"description": desc, "content": {"application/json": {"schema": {"type": kind}, "example": example}}}, "400": error_response("invalid parameter"), "404": error_response("not found")})
    };
    Json(json!({
        "openapi": "3.0.3",
        "info": {"title": "consulex", "version": env!("CARGO_PKG_VERSION"), "description": "Comparative analysis of consular law: faceted, cross-lingual search over annotated provisions of national consular laws and treaties."},
        "paths": {
            "/health": {"get": {"summary": "liveness and the served generation", "responses": ok("status", json!({"status": "ok", "generation": "g20261128T153000123", "provisions": 6443}))}},
            "/v1/search": {"get": {"summary": "search provisions with disjunctive facets", "parameters": search_params, "responses": ok("hits, facets, expansions", json!({"query": "assistência consular a presos", "total": 120, "hits": [{"id": "intl-bwbv0004334-vienna-convention-on-consular-relations:art_36", "country": "INTL", "language": "en", "number": "36", "categories": [{"category": "protection/detention", "confidence": 0.9, "evidence": [{"term": "detention", "matched": "detention", "field": "text"}]}], "snippet": {"html": "... is <b>arrested</b> or committed to <b>prison</b> ..."}}], "facets": {"country": {"AR": 10, "CA": 22}}, "expansions": [{"category": "protection/detention", "matched": ["presos"]}], "cached": false}))}},
            "/v1/provisions/{id}": {"get": {"summary": "one provision: full text, metadata, categories with evidence, twins, attribution", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "ca-eng-f-29.4:sched_2__art_36"}], "responses": ok("the provision", json!({"provision": {"id": "ca-eng-f-29.4:sched_2__art_36", "text": "..."}, "twins": [{"id": "ca-fra-f-29.4:sched_2__art_36", "language": "fr"}]}))}},
            "/v1/instruments": {"get": {"summary": "indexed instruments", "parameters": [param("country", "country code", list(countries))], "responses": ok("instruments", json!([{"id": "ar-ley-17081", "title": "TRATADOS INTERNACIONALES", "country": "AR", "provisions": 81}]))}},
            "/v1/instruments/{id}": {"get": {"summary": "one instrument and its provisions", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "ar-ley-17081"}], "responses": ok("the instrument", json!({"id": "ar-ley-17081", "provision_list": [{"id": "ar-ley-17081:art_1", "number": "1"}]}))}},
            "/v1/practices": {"get": {"summary": "shared practices of member states (programmes, protocols, services), each with its sources and the instruments its legal basis names", "parameters": [param("country", "the state that runs it or takes part in it", json!({"type": "string"})), param("category", "category id (a parent includes its leaves)", json!({"type": "string"}))], "responses": ok("practices", json!([{"id": "hn-solidarity-fund-for-honduran-migrants", "country": "HN", "kind": "programme", "legal_status": "not_in_corpus"}]))}, "post": {"summary": "submit a practice record for review (the secretariat's submitter role): checked field by field as a record, markup stripped, written as pending into the submissions folder, never served until approved (`consulex practices approve`) and reindexed", "security": [{"submitter": []}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}}, "responses": {"201": {"description": "received as pending", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Receipt"}}}}, "400": error_response("a field is missing or invalid; the message names it"), "401": error_response("no bearer token, or an unknown one"), "403": error_response("a token of another role"), "404": error_response("submissions are disabled (no submitter token configured)"), "409": error_response("a record with this id, or this title and country, exists; the message names it"), "413": error_response("the body is larger than max_body_bytes"), "415": error_response("the body is not application/json"), "429": error_response("more than max_submissions_per_minute submissions")}}},
            "/v1/practices/{id}": {"get": {"summary": "one practice: record, sources, legal basis and its links to the corpus (legal_status linked, not_in_corpus or none)", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "co-return-incentives-for-colombians-living-abroad-return-law-an"}], "responses": ok("the practice", json!({"id": "co-return-incentives-for-colombians-living-abroad-return-law-an", "legal_status": "linked", "legal_links": [{"instrument": "co-ley-1565-2012", "article": "5"}]}))}},
            "/v1/countries": {"get": {"summary": "OAS member states with subsystems and indexed counts", "responses": ok("countries", json!([{"code": "UY", "subsystems": ["MERCOSUR"], "instruments": 7}]))}},
            "/v1/taxonomy": {"get": {"summary": "the consular service categories", "responses": ok("taxonomy", json!({"version": "1.1.0", "categories": [{"id": "protection/detention"}]}))}},
            "/v1/compare": {"get": {"summary": "side by side: each country's provisions in a category, strongest first, treaty copies apart", "description": "Takes the countries to compare as `countries` (comma-separated codes) or `subsystem` (its members); given both, their union. Giving neither is a 400 naming `countries`.", "parameters": [required(param("category", "category id", json!({"type": "string"}))), param("countries", "country codes, comma-separated (give countries, a subsystem, or both: their union, at most 40 countries)", json!({"type": "string"})), param("subsystem", "every member of a subsystem (give this, countries, or both)", json!({"type": "string"})), param("q", "only provisions matching this query", json!({"type": "string"})), param("limit", "provisions per country", json!({"type": "integer", "minimum": 1, "maximum": 50, "default": 5}))], "responses": ok("per country", json!({"category": "protection/detention", "countries": [{"country": "AR", "state": "covered", "count": 4, "provisions": [], "treaty_copies": []}]}))}},
            "/v1/matrix": {"get": {"summary": "coverage matrix countries x categories (JSON, or CSV with format=csv / Accept: text/csv)", "parameters": [param("subsystem", "rows: members of a subsystem", json!({"type": "string"})), param("kind", "instrument kinds", json!({"type": "string"})), param("in_force", "in force only", json!({"type": "boolean"})), param("categories", "columns: these categories' leaves", json!({"type": "string"})), param("format", "json or csv", json!({"type": "string", "enum": ["json", "csv"]}))], "responses": ok("matrix", json!({"columns": ["protection/detention"], "rows": [{"country": "AR", "state": "covered", "cells": {"protection/detention": {"state": "covered", "provisions": 4, "obligations": 2, "strongest": "...", "query": "/v1/search?country=AR&category=protection/detention"}}}]}))}},
            "/v1/gaps": {"get": {"summary": "categories where a country lacks obligations its peers have, with exemplars", "parameters": [required(param("country", "country code", json!({"type": "string"}))), param("peers", "a subsystem, all, or country codes (default: the country's subsystems)", json!({"type": "string"})), param("exemplars", "exemplars per gap", json!({"type": "integer", "minimum": 1, "maximum": 10, "default": 3}))], "responses": ok("gaps", json!({"country": "UY", "peers": ["AR"], "gaps": [{"category": "civic-participation", "exemplars": []}], "ranking": "..."}))}},
            "/v1/brief": {"get": {"summary": "a brief for a legislator: coverage against peers, each gap with model provisions in full (with reasons, translation hints, the Vienna Convention article), the country's nearest provisions, sources with licences and attributions; one self-contained HTML file (print-ready, no external assets) or Markdown", "parameters": [required(param("country", "country code", json!({"type": "string"}))), param("peers", "a subsystem, all, or country codes (default: the country's subsystems)", json!({"type": "string"})), param("lang", "language of the labels", json!({"type": "string", "enum": ["es", "en", "fr", "pt"], "default": "en"})), param("format", "html or md", json!({"type": "string", "enum": ["html", "md"], "default": "html"})), param("exemplars", "exemplars per gap", json!({"type": "integer", "minimum": 1, "maximum": 10, "default": 2}))], "responses": {"200": {"description": "the document (text/html or text/markdown)"}, "400": {"description": "invalid parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/provisions/{id}/similar": {"get": {"summary": "closest provisions in other instruments, across languages, with reasons", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, param("countries", "country codes", json!({"type": "string"})), param("lang", "languages", json!({"type": "string"})), param("limit", "results", json!({"type": "integer", "minimum": 1, "maximum": 50, "default": 10}))], "responses": ok("similar", json!({"source": "ar-ley-25871:art_9", "similar": [{"id": "co-ley-146-1994:art_33", "reason": "..."}]}))}},
            "/v1/standards/vccr": {"get": {"summary": "Vienna Convention articles grounding the taxonomy and the countries legislating on them", "responses": ok("articles", json!([{"article": "36", "categories": ["protection/detention"], "countries": {}}]))}},
            "/v1/admin/reload": {"post": {"summary": "switch to the generation CURRENT points at, if it is not the one served", "security": [{"admin": []}], "responses": {"200": {"description": "the generation served and whether it changed", "content": {"application/json": {"schema": {"type": "object"}, "example": {"generation": "g20261128T153000123", "switched": true}}}}, "401": error_response("no bearer token, or an unknown one"), "403": error_response("a token of another role"), "404": error_response("admin routes are disabled (no admin token configured)")}}},
            "/openapi.json": {"get": {"summary": "this document", "responses": {"200": {"description": "OpenAPI 3 document", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        },
        "components": {"securitySchemes": {"admin": {"type": "http", "scheme": "bearer", "description": "the admin token (`admin_token`, CONSULEX_ADMIN_TOKEN)"}, "submitter": {"type": "http", "scheme": "bearer", "description": "the submitter role's token (`submitter_token`, CONSULEX_SUBMITTER_TOKEN), given by the secretariat to member states' focal points"}}, "schemas": {"Submission": submission_schema(&countries_oas, &leaf_categories), "Receipt": {"type": "object", "required": ["id", "status", "received", "hash", "message"], "properties": {"id": {"type": "string"}, "status": {"type": "string", "enum": ["pending"]}, "received": {"type": "string", "format": "date-time"}, "hash": {"type": "string"}, "message": {"type": "string"}}}, "Error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string", "enum": codes, "description": code_table}, "message": {"type": "string"}}}}}
    }))
}

/// A practice record as `POST /v1/practices` takes it (`../shared/spec/practices.md`, without
/// `status`; `summary` is the record's body). The bounds are the reader's.
fn submission_schema(countries: &[String], categories: &[String]) -> Value {
    use crate::practices::read::{MAX_ITEMS, MAX_TEXT, SUMMARY_WORDS};
    let text = |desc: &str| json!({"type": "string", "maxLength": MAX_TEXT, "description": desc});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "language", "kind", "categories", "sources", "summary"],
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": crate::practices::MAX_ID_LEN, "description": "optional: derived from the country and the English title when absent; starts with the country's lowercase code, or reg- for a regional mechanism"},
            "country": {"type": "string", "nullable": true, "enum": countries, "description": "the OAS member that runs it; null for a regional mechanism, which lists `countries`"},
            "countries": {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "string"}, "description": "participating states of a regional mechanism"},
            "title": text("title in its original language"),
            "title_en": text("English title"),
            "language": {"type": "string", "enum": Language::ALL.iter().map(|l| l.to_string()).collect::<Vec<_>>()},
            "kind": {"type": "string", "enum": crate::practices::PracticeKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()},
            "year": {"type": "integer", "nullable": true},
            "institution": text("the institution that runs it"),
            "partners": {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "string", "maxLength": MAX_TEXT}},
            "categories": {"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": {"type": "string", "enum": categories}},
            "legal_basis": text("the law or article the sources name as its basis"),
            "sources": {"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": {"type": "object", "additionalProperties": false, "required": ["url"], "properties": {"url": {"type": "string", "format": "uri", "pattern": "^https?://"}, "title": {"type": "string"}, "publisher": {"type": "string"}, "date": {"type": "string", "nullable": true}}}},
            "summary": {"type": "string", "description": format!("{} to {} words in English; any markup is stripped", SUMMARY_WORDS.0, SUMMARY_WORDS.1)}
        }
    })
}
