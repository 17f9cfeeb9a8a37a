//! The API's one error type: one status table, one JSON shape `{"code","message"}`, for the
//! handlers' errors and for those the framework, the middleware and the connection layer
//! produce themselves (unknown method, oversized request, timeout, refused connection).

use crate::config::ServerLimits;
use crate::error::Error;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::sync::Arc;

/// Every code the server sends: status and when. docs/API.md's table and `/openapi.json`
/// list exactly these (a test holds the three together).
pub const CODES: &[(&str, u16, &str)] = &[
    (
        "invalid_parameter",
        400,
        "a parameter or path segment is unknown, malformed or out of range; the message names it",
    ),
    ("bad_request", 400, "the request is not valid HTTP"),
    (
        "unauthorized",
        401,
        "an admin or submission route without a bearer token, or with one the server does not know",
    ),
    (
        "forbidden",
        403,
        "a known bearer token of another role (the admin token on the submission route, or the reverse)",
    ),
    (
        "not_found",
        404,
        "unknown provision, instrument or practice id, unknown route, the admin route disabled (no admin token)",
    ),
    (
        "method_not_allowed",
        405,
        "the route exists but not for this method (see the Allow header); a practice POSTed where the server has no submitter token",
    ),
    ("locked", 409, "another reindex holds the index lock"),
    ("refused", 409, "a reindex was refused by its checks"),
    (
        "duplicate",
        409,
        "a submitted practice repeats a record (same id, or same title and country); the message names it",
    ),
    (
        "payload_too_large",
        413,
        "the request body is larger than `max_body_bytes`",
    ),
    (
        "unsupported_media_type",
        415,
        "a body that is not `application/json` (the submission route)",
    ),
    (
        "uri_too_long",
        414,
        "path and query string are longer than `max_uri_bytes`",
    ),
    (
        "headers_too_large",
        431,
        "request line and headers are larger than `max_header_bytes`",
    ),
    (
        "rate_limited",
        429,
        "more submissions than `max_submissions_per_minute` (Retry-After)",
    ),
    ("internal", 500, "anything else (logged)"),
    ("no_index", 503, "no index generation is available"),
    (
        "timeout",
        503,
        "the request did not finish within `request_timeout_ms` (Retry-After)",
    ),
    (
        "overloaded",
        503,
        "the server holds `max_connections` connections (Retry-After)",
    ),
];

/// Seconds a client is asked to wait after a 503.
pub const RETRY_AFTER_SECS: u32 = 2;

/// The one error shape (`Error` in the OpenAPI document).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
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

    /// The body as sent.
    pub fn body(&self) -> String {
        serde_json::json!({"code": self.code, "message": self.message}).to_string()
    }

    /// A complete HTTP/1.1 response that closes the connection, for the connection layer,
    /// which answers before (or instead of) the router: same body and CORS header as the
    /// router's errors.
    pub fn raw_http(&self) -> Vec<u8> {
        let body = self.body();
        let retry = if self.status == StatusCode::SERVICE_UNAVAILABLE {
            format!("retry-after: {RETRY_AFTER_SECS}\r\n")
        } else {
            String::new()
        };
        format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\naccess-control-allow-origin: *\r\n{retry}connection: close\r\n\r\n{body}",
            self.status.as_u16(),
            self.status.canonical_reason().unwrap_or(""),
            body.len()
        )
        .into_bytes()
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
            Error::Duplicate(_) => (StatusCode::CONFLICT, "duplicate"),
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

/// The error for a status that something other than a handler chose (the framework, a layer,
/// hyper itself): its code from the table, and `detail` (their text, if any) as the message.
pub fn for_status(status: StatusCode, detail: &str, limits: &ServerLimits) -> ApiError {
    let (code, default) = match status.as_u16() {
        400 => (
            "invalid_parameter",
            "the request path could not be decoded".to_string(),
        ),
        404 => ("not_found", "no such route; see /openapi.json".to_string()),
        405 => (
            "method_not_allowed",
            "this route does not take this method".to_string(),
        ),
        415 => (
            "unsupported_media_type",
            "the body must be application/json".to_string(),
        ),
        413 => (
            "payload_too_large",
            format!("the body is larger than {} bytes", limits.max_body_bytes),
        ),
        414 => (
            "uri_too_long",
            format!(
                "path and query are longer than {} bytes",
                limits.max_uri_bytes
            ),
        ),
        431 => (
            "headers_too_large",
            format!(
                "the request head is larger than {} bytes",
                limits.max_header_bytes
            ),
        ),
        503 => (
            "timeout",
            format!(
                "the request did not finish within {} ms; retry later",
                limits.request_timeout_ms
            ),
        ),
        s if s >= 500 => ("internal", "internal error".to_string()),
        _ => ("invalid_parameter", "the request was refused".to_string()),
    };
    // Only a rejected path's text says something the default does not (which segment).
    let detail = if status == StatusCode::BAD_REQUEST {
        detail.trim()
    } else {
        ""
    };
    let message = if detail.is_empty() || detail.len() > 300 {
        default
    } else {
        detail.to_string()
    };
    ApiError::new(status, code, message)
}

/// The outermost layer but CORS: refuses oversized request lines and heads with JSON 414/431,
/// and rewrites every error response that is not already ours (axum's rejections, the
/// timeout's empty 503, the body limit's text 413) into the one shape; every 503 gets a
/// `Retry-After`. Responses a handler typed on purpose (JSON, HTML, CSV) pass untouched.
pub async fn guard(State(limits): State<Arc<ServerLimits>>, req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > limits.max_uri_bytes {
        return for_status(StatusCode::URI_TOO_LONG, "", &limits).into_response();
    }
    let head: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum::<usize>()
        + uri_len;
    if head > limits.max_header_bytes {
        return for_status(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "", &limits)
            .into_response();
    }
    let resp = next.run(req).await;
    let mut resp = normalize(resp, &limits).await;
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from(RETRY_AFTER_SECS));
    }
    resp
}

async fn normalize(resp: Response, limits: &ServerLimits) -> Response {
    let status = resp.status();
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let err = for_status(status, &String::from_utf8_lossy(&text), limits);
    // Keep what the framework said about the route (Allow on a 405), drop the old body's.
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let mut out = err.into_response();
    for (k, v) in parts.headers.iter() {
        out.headers_mut().entry(k).or_insert(v.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn call(
        app: Router,
        req: axum::http::Request<axum::body::Body>,
    ) -> (Response, serde_json::Value) {
        let resp = app.oneshot(req).await.unwrap();
        let (parts, body) = resp.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        let v = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (Response::from_parts(parts, axum::body::Body::empty()), v)
    }

    fn app(limits: ServerLimits) -> Router {
        Router::new()
            .route(
                "/empty503",
                get(|| async { StatusCode::SERVICE_UNAVAILABLE }),
            )
            .route(
                "/text400",
                get(|| async { (StatusCode::BAD_REQUEST, "Invalid URL: bad utf-8") }),
            )
            .route(
                "/html404",
                get(|| async { (StatusCode::NOT_FOUND, axum::response::Html("<p>no</p>")) }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(limits),
                guard,
            ))
    }

    fn get_req(uri: &str) -> axum::http::Request<axum::body::Body> {
        axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap()
    }

    #[tokio::test]
    async fn framework_errors_become_json_and_503_asks_to_retry() {
        let (r, v) = call(app(ServerLimits::default()), get_req("/empty503")).await;
        assert_eq!(r.status(), 503);
        assert_eq!(v["code"], "timeout");
        assert_eq!(r.headers()[header::RETRY_AFTER], "2");
        let (r, v) = call(app(ServerLimits::default()), get_req("/text400")).await;
        assert_eq!(r.status(), 400);
        assert_eq!(v["code"], "invalid_parameter");
        assert_eq!(v["message"], "Invalid URL: bad utf-8");
        let post = axum::http::Request::post("/text400")
            .body(axum::body::Body::empty())
            .unwrap();
        let (r, v) = call(app(ServerLimits::default()), post).await;
        assert_eq!(r.status(), 405);
        assert_eq!(v["code"], "method_not_allowed");
        assert!(r.headers().contains_key(header::ALLOW));
        // a page a handler chose to send stays a page
        let (r, v) = call(app(ServerLimits::default()), get_req("/html404")).await;
        assert_eq!(r.status(), 404);
        assert!(v.is_null());
    }

    #[tokio::test]
    async fn oversized_uri_and_head_are_refused_before_routing() {
        let limits = ServerLimits {
            max_uri_bytes: 300,
            max_header_bytes: 2000,
            ..ServerLimits::default()
        };
        let long = format!("/empty503?q={}", "a".repeat(400));
        let (r, v) = call(app(limits.clone()), get_req(&long)).await;
        assert_eq!(r.status(), 414);
        assert_eq!(v["code"], "uri_too_long");
        let req = axum::http::Request::get("/empty503")
            .header("x-big", "b".repeat(3000))
            .body(axum::body::Body::empty())
            .unwrap();
        let (r, v) = call(app(limits), req).await;
        assert_eq!(r.status(), 431);
        assert_eq!(v["code"], "headers_too_large");
    }

    #[test]
    fn every_status_the_table_maps_is_a_listed_code() {
        let l = ServerLimits::default();
        for s in [400u16, 404, 405, 413, 414, 431, 500, 503] {
            let e = for_status(StatusCode::from_u16(s).unwrap(), "", &l);
            assert!(
                CODES.iter().any(|(c, st, _)| *c == e.code && *st == s),
                "{s} -> {}",
                e.code
            );
        }
        let raw = String::from_utf8(for_status(StatusCode::SERVICE_UNAVAILABLE, "", &l).raw_http())
            .unwrap();
        assert!(raw.starts_with("HTTP/1.1 503 Service Unavailable\r\n"));
        assert!(
            raw.contains("retry-after: 2\r\n") && raw.contains("access-control-allow-origin: *")
        );
        let body = raw.split("\r\n\r\n").nth(1).unwrap();
        assert!(raw.contains(&format!("content-length: {}\r\n", body.len())));
    }
}
