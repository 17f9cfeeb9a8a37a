//! Handlers for the comparison endpoints: compare, matrix (JSON or CSV), gaps, the brief (HTML
//! or Markdown), similar, standards lens. Each parses its parameters, calls one `compare` function, renders.

use super::{blocking, checked, contract, provision_id, ApiError, AppState};
use crate::compare::{self, request};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub async fn compare(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<compare::CompareResponse>, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::COMPARE, &engine)?;
    let req = request::compare(&p, &engine)?;
    blocking(&s, engine, move |e| {
        compare::compare(e, &req.category, &req.countries, req.q.as_ref(), req.limit)
    })
    .await
}

pub async fn matrix(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::MATRIX, &engine)?;
    let req = request::matrix(&p, &engine)?;
    let wants_csv = req.csv
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/csv"));
    let Json(m) = blocking(&s, engine, move |e| compare::matrix(e, &req.request)).await?;
    if wants_csv {
        Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            compare::matrix_csv(&m),
        )
            .into_response())
    } else {
        Ok(Json(m).into_response())
    }
}

pub async fn gaps(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<compare::GapsResponse>, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::GAPS, &engine)?;
    let req = request::gaps(&p, &engine)?;
    blocking(&s, engine, move |e| {
        compare::gaps(e, &req.country, &req.peers, req.exemplars)
    })
    .await
}

/// `GET /v1/brief`: the brief document (HTML by default, or Markdown).
pub async fn brief(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::BRIEF, &engine)?;
    let (req, format) = request::brief(&p, &engine)?;
    let Json(doc) = blocking(&s, engine, move |e| {
        compare::brief::document(e, &req, format)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], doc).into_response())
}

pub async fn similar(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<compare::SimilarResponse>, ApiError> {
    let engine = s.engine();
    let id = provision_id(&id, &engine)?;
    let p = checked(raw, contract::SIMILAR, &engine)?;
    let req = request::similar(&p, &engine)?;
    blocking(&s, engine, move |e| {
        compare::similar(e, &id, &req.countries, &req.languages, req.limit)
    })
    .await
}

pub async fn standards_vccr(
    State(s): State<AppState>,
) -> Result<Json<Vec<compare::StandardArticle>>, ApiError> {
    blocking(&s, s.engine(), compare::standards_vccr).await
}
