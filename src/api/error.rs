//! The API's one error type: one status table, one JSON shape `{"code","message"}`.

use crate::error::Error;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl From<Error> for ApiError {
    /// The status table.
    fn from(e: Error) -> Self {
        let (status, code) = match &e {
            Error::Invalid { .. } => (StatusCode::BAD_REQUEST, "invalid_parameter"),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Error::NoIndex(_) | Error::OutdatedIndex(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "no_index")
            }
            Error::Locked(_) => (StatusCode::CONFLICT, "locked"),
            Error::Refused(_) => (StatusCode::CONFLICT, "refused"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "request failed");
        }
        ApiError::new(status, code, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self)).into_response()
    }
}
