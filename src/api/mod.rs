//! The HTTP API (axum). `router(state)` builds every route and layer once; `server::run` (the
//! `serve` command) and the tests use the same function. Handlers extract, convert to a typed
//! engine request, call one engine function on the blocking pool, and render JSON; errors go
//! through `ApiError`.
//!
//! Not for: search logic (see `search`).

mod compare;
pub mod contract;
pub mod error;
pub mod openapi;
pub mod server;

use crate::config::ServerLimits;
use crate::corpus::model::ProvisionId;
use crate::search::{request, Engine, SearchRequest};
use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
pub use error::ApiError;
use serde::Serialize;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Longest query string accepted: room for the longest request the document allows (a `q` of
/// 1,000 four-byte characters is 12,000 bytes percent-encoded, and every list filter at its
/// bound adds some 3,000 more).
pub const MAX_QUERY_STRING: usize = 16 * 1024;

/// Opens the engine of the generation `CURRENT` points at (supplied by whoever knows the
/// configuration: `serve`, or a test).
pub type Reloader = Arc<dyn Fn() -> crate::Result<Engine> + Send + Sync>;

/// Shared state: the engine of the live generation, swappable as a whole.
#[derive(Clone)]
pub struct AppState {
    engine: Arc<RwLock<Arc<Engine>>>,
    index_root: Option<std::path::PathBuf>,
    admin_token: Option<String>,
    /// The submitter role's token and the folders submissions move between; `None`: the
    /// submission routes answer 404.
    submitter: Option<(String, crate::practices::submit::Folders)>,
    /// When the submissions of the last minute arrived (the rate bound).
    submitted: Arc<std::sync::Mutex<std::collections::VecDeque<std::time::Instant>>>,
    reloader: Option<Reloader>,
    /// Serialises reloads (the poller and the admin route).
    reloading: Arc<tokio::sync::Mutex<()>>,
    /// The server's bounds (`[server]` in consulex.toml); the router's layers read them.
    limits: Arc<ServerLimits>,
    /// Engine calls running at once. A call is started only with a slot, taken within the
    /// request's deadline, so work of requests that already timed out never starts, and what
    /// still runs of abandoned ones cannot exceed the slots.
    engine_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(engine: Engine) -> Self {
        AppState {
            engine: Arc::new(RwLock::new(Arc::new(engine))),
            index_root: None,
            admin_token: None,
            submitter: None,
            submitted: Arc::default(),
            reloader: None,
            reloading: Arc::new(tokio::sync::Mutex::new(())),
            limits: Arc::new(ServerLimits::default()),
            engine_slots: Arc::new(tokio::sync::Semaphore::new(server::engine_threads())),
        }
    }

    /// Sets the server's bounds.
    pub fn with_limits(mut self, limits: ServerLimits) -> Self {
        self.limits = Arc::new(limits);
        self
    }

    pub fn limits(&self) -> &ServerLimits {
        &self.limits
    }

    /// Enables status, changes and reloading for an index root.
    pub fn with_index(mut self, root: std::path::PathBuf, reloader: Reloader) -> Self {
        self.index_root = Some(root);
        self.reloader = Some(reloader);
        self
    }

    /// Enables `POST /v1/admin/reload` behind a bearer token.
    pub fn with_admin_token(mut self, token: Option<String>) -> Self {
        self.admin_token = token.filter(|t| !t.is_empty());
        self
    }

    /// Enables `POST /v1/practices` (and the web form) behind the submitter role's token,
    /// writing into `folders.submissions`.
    pub fn with_submissions(
        mut self,
        token: Option<String>,
        folders: Option<crate::practices::submit::Folders>,
    ) -> Self {
        self.submitter = token.filter(|t| !t.is_empty()).zip(folders);
        self
    }

    /// The roles this server has tokens for (the secured routes it serves).
    pub fn roles(&self) -> openapi::Roles {
        openapi::Roles {
            admin: self.admin_token.is_some(),
            submitter: self.submitter.is_some(),
        }
    }

    /// Which role a bearer token holds: the one `needed`, or an error (401 unknown or
    /// missing, 403 another role's).
    fn authorize(&self, token: Option<&str>, needed: Role) -> Result<(), ApiError> {
        let token = token.unwrap_or("");
        let of =
            |t: Option<&str>| t.is_some_and(|t| constant_time_eq(token.as_bytes(), t.as_bytes()));
        let admin = of(self.admin_token.as_deref());
        let submitter = of(self.submitter.as_ref().map(|(t, _)| t.as_str()));
        match (needed, admin, submitter) {
            (Role::Admin, true, _) | (Role::Submitter, _, true) => Ok(()),
            (_, true, _) | (_, _, true) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("this token does not hold the {} role", needed.name()),
            )),
            _ if token.is_empty() => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                format!(
                    "this route needs a bearer token of the {} role (Authorization: Bearer ...)",
                    needed.name()
                ),
            )),
            _ => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "unknown bearer token",
            )),
        }
    }

    /// Takes one practice submission (the API route and the web form): the token checked,
    /// the rate bounded, then `practices::submit` on the blocking pool.
    pub async fn submit_practice(
        &self,
        token: Option<&str>,
        body: serde_json::Value,
    ) -> Result<crate::practices::submit::Receipt, ApiError> {
        let Some((_, folders)) = self.submitter.clone() else {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "submissions are disabled (no submitter token configured)",
            ));
        };
        self.authorize(token, Role::Submitter)?;
        self.take_submission_slot()?;
        let engine = self.engine();
        tokio::task::spawn_blocking(move || {
            crate::practices::submit::submit(&folders, &body, engine.registry(), engine.taxonomy())
                .map_err(crate::Error::from)
        })
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
        .map_err(ApiError::from)
    }

    /// Counts a submission against `max_submissions_per_minute`.
    fn take_submission_slot(&self) -> Result<(), ApiError> {
        let now = std::time::Instant::now();
        let minute = Duration::from_secs(60);
        let mut q = match self.submitted.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        while q.front().is_some_and(|t| now.duration_since(*t) >= minute) {
            q.pop_front();
        }
        if q.len() >= self.limits.max_submissions_per_minute {
            let wait = q
                .front()
                .map_or(60, |t| 60 - now.duration_since(*t).as_secs().min(59));
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "more than {} submissions in a minute; retry in {wait} s",
                    self.limits.max_submissions_per_minute
                ),
            ));
        }
        q.push_back(now);
        Ok(())
    }

    /// Opens the generation `CURRENT` points at and swaps it in if it is not the one served.
    /// Requests in flight finish on the engine they started with.
    pub async fn reload_if_changed(&self) -> crate::Result<(String, bool)> {
        let (Some(root), Some(reloader)) = (self.index_root.clone(), self.reloader.clone()) else {
            return Err(crate::Error::NoIndex(
                "this server has no index root to reload from".into(),
            ));
        };
        let _guard = self.reloading.lock().await;
        let served = self.engine().meta.generation.clone();
        let current = tokio::task::spawn_blocking(move || crate::index::generation::current(&root))
            .await
            .map_err(|e| crate::Error::Data(format!("worker failed: {e}")))??;
        match current {
            Some(c) if c != served => {
                let engine = tokio::task::spawn_blocking(move || reloader())
                    .await
                    .map_err(|e| crate::Error::Data(format!("worker failed: {e}")))??;
                let name = engine.meta.generation.clone();
                self.swap(engine);
                tracing::info!(from = %served, to = %name, "switched generation");
                Ok((name, true))
            }
            _ => Ok((served, false)),
        }
    }

    /// The index root served from, when the server has one (status, changes).
    pub fn index_root(&self) -> Option<&std::path::Path> {
        self.index_root.as_deref()
    }

    /// The current engine; in-flight requests keep the one they started with.
    pub fn engine(&self) -> Arc<Engine> {
        match self.engine.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }
    /// Replaces the engine (a new generation).
    pub fn swap(&self, engine: Engine) {
        let new = Arc::new(engine);
        match self.engine.write() {
            Ok(mut g) => *g = new,
            Err(p) => *p.into_inner() = new,
        }
    }
}

pub fn router(state: AppState) -> Router {
    // A route whose role has no token is not served: POST on a path that other methods serve
    // is then a 405 (Allow names what is), as the document, which leaves it out, says.
    let practices_route = if state.submitter.is_some() {
        get(practices).post(submit_practice)
    } else {
        get(practices)
    };
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi::document))
        .route("/v1/search", get(search))
        .route("/v1/provisions/{id}", get(provision))
        .route("/v1/instruments", get(instruments))
        .route("/v1/instruments/{id}", get(instrument))
        .route("/v1/countries", get(countries))
        .route("/v1/taxonomy", get(taxonomy))
        .route("/v1/practices", practices_route)
        .route("/v1/practices/{id}", get(practice))
        .route("/v1/compare", get(compare::compare))
        .route("/v1/matrix", get(compare::matrix))
        .route("/v1/gaps", get(compare::gaps))
        .route("/v1/brief", get(compare::brief))
        .route("/v1/provisions/{id}/similar", get(compare::similar))
        .route("/v1/standards/vccr", get(compare::standards_vccr))
        .route("/v1/status", get(status))
        .route("/v1/changes", get(changes))
        .route("/v1/admin/reload", axum::routing::post(admin_reload))
        .merge(crate::web::routes(state.submitter.is_some()))
        .fallback(fallback)
        .with_state(state.clone())
        // innermost first; the timeout covers the wait for a turn and the engine call, the
        // guard turns every error below it into JSON, CORS marks all of them
        .layer(RequestBodyLimitLayer::new(state.limits.max_body_bytes))
        .layer(ConcurrencyLimitLayer::new(state.limits.max_in_flight))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_millis(state.limits.request_timeout_ms),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.limits.clone(),
            error::guard,
        ))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers(Any),
        )
}

/// Runs an engine call on the blocking pool, on the engine the handler fetched (once), when an
/// engine slot is free.
async fn blocking<T, F>(state: &AppState, engine: Arc<Engine>, f: F) -> Result<Json<T>, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Engine) -> crate::Result<T> + Send + 'static,
{
    let slot = state
        .engine_slots
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        f(&engine)
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("worker failed: {e}"),
        )
    })?
    .map(Json)
    .map_err(ApiError::from)
}

/// A query string's pairs held to a route's parameters (`contract`).
fn checked(
    raw: Option<String>,
    spec: &[contract::Param],
    e: &Engine,
) -> Result<Vec<(String, String)>, ApiError> {
    let p = params(raw)?;
    contract::check(spec, &p, e)?;
    Ok(p)
}

/// Parses a query string into name/value pairs, refusing oversized ones.
fn params(raw: Option<String>) -> Result<Vec<(String, String)>, ApiError> {
    let raw = raw.unwrap_or_default();
    if raw.len() > MAX_QUERY_STRING {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            format!("query string is longer than {MAX_QUERY_STRING} bytes"),
        ));
    }
    Ok(crate::params::decode_query(&raw)?)
}

#[derive(Serialize, utoipa::ToSchema)]
struct Health {
    status: &'static str,
    generation: String,
    built_at: String,
    provisions: u64,
}

async fn health(State(s): State<AppState>) -> Json<Health> {
    let e = s.engine();
    Json(Health {
        status: "ok",
        generation: e.meta.generation.clone(),
        built_at: e.meta.built_at.clone(),
        provisions: e.num_docs(),
    })
}

async fn search(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<crate::search::SearchResponse>, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::SEARCH, &engine)?;
    let req = SearchRequest::from_params(&p, engine.taxonomy(), engine.registry())?;
    blocking(&s, engine, move |e| e.search(&req)).await
}

async fn provision(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<crate::search::ProvisionDetail>, ApiError> {
    let engine = s.engine();
    let id = provision_id(&id, &engine)?;
    blocking(&s, engine, move |e| e.provision(&id)).await
}

/// Parses a provision id from a path segment.
fn provision_id(raw: &str, e: &Engine) -> Result<ProvisionId, ApiError> {
    contract::check_path(&contract::PROVISION_ID, raw, e)?;
    raw.parse().map_err(|m: String| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            format!("invalid id: {m}"),
        )
    })
}

async fn instruments(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<crate::index::build::InstrumentEntry>>, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::INSTRUMENTS, &engine)?;
    let mut country = None;
    for (k, v) in crate::params::given(&p) {
        match k.as_str() {
            "country" => country = Some(request::country(engine.registry(), k, v)?),
            other => return Err(crate::params::unknown(other, "country").into()),
        }
    }
    blocking(&s, engine, move |e| Ok(e.instruments(country.as_ref()))).await
}

async fn instrument(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<crate::search::InstrumentDetail>, ApiError> {
    let engine = s.engine();
    contract::check_path(&contract::INSTRUMENT_ID, &id, &engine)?;
    blocking(&s, engine, move |e| e.instrument(&id)).await
}

/// `GET /v1/practices?country=&category=`: the served practices, filtered.
async fn practices(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<crate::search::PracticeHit>>, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::PRACTICES, &engine)?;
    let mut country = None;
    let mut category = None;
    for (k, v) in crate::params::given(&p) {
        match k.as_str() {
            "country" => country = Some(request::country(engine.registry(), k, v)?),
            "category" => category = Some(request::category(engine.taxonomy(), k, v)?),
            other => return Err(crate::params::unknown(other, "country, category").into()),
        }
    }
    blocking(&s, engine, move |e| {
        Ok(e.practices(country.as_ref(), category.as_ref()))
    })
    .await
}

/// `GET /v1/practices/{id}`: one practice with its sources and its links to the law.
async fn practice(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<crate::index::practices::PracticeEntry>, ApiError> {
    let engine = s.engine();
    contract::check_path(&contract::PRACTICE_ID, &id, &engine)?;
    let id: crate::practices::PracticeId = id.parse().map_err(|m: String| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            format!("invalid id: {m}"),
        )
    })?;
    blocking(&s, engine, move |e| e.practice(id.as_str())).await
}

async fn countries(
    State(s): State<AppState>,
) -> Result<Json<Vec<crate::search::CountryEntry>>, ApiError> {
    blocking(&s, s.engine(), |e| Ok(e.countries())).await
}

async fn taxonomy(State(s): State<AppState>) -> Json<crate::annotate::taxonomy::Taxonomy> {
    Json(s.engine().taxonomy().clone())
}

#[derive(Serialize, utoipa::ToSchema)]
struct StatusResponse {
    serving: String,
    provisions: u64,
    /// `index::ops::Status::public`: the status without file-system paths (its fields, when
    /// the server has an index root).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    index: Option<serde_json::Value>,
}

async fn status(State(s): State<AppState>) -> Result<Json<StatusResponse>, ApiError> {
    let e = s.engine();
    let index = match s.index_root.clone() {
        Some(root) => Some(
            tokio::task::spawn_blocking(move || {
                crate::index::ops::status(&root).map(|st| st.public(&root))
            })
            .await
            .map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })??,
        ),
        None => None,
    };
    Ok(Json(StatusResponse {
        serving: e.meta.generation.clone(),
        provisions: e.num_docs(),
        index,
    }))
}

async fn changes(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<crate::index::ops::Changes>, ApiError> {
    let engine = s.engine();
    let p = checked(raw, contract::CHANGES, &engine)?;
    let (mut since, mut country, mut category) = (None, None, None);
    for (k, v) in crate::params::given(&p) {
        match k.as_str() {
            "since" => since = Some(v.clone()),
            "country" => country = Some(request::country(engine.registry(), k, v)?.to_string()),
            "category" => category = Some(request::category(engine.taxonomy(), k, v)?.to_string()),
            other => return Err(crate::params::unknown(other, "since, country, category").into()),
        }
    }
    let since = since.ok_or_else(|| {
        crate::Error::invalid(
            "since",
            "is required (a generation name or a date YYYY-MM-DD)",
        )
    })?;
    let root = s
        .index_root
        .clone()
        .ok_or_else(|| crate::Error::NoIndex("this server has no index root".into()))?;
    tokio::task::spawn_blocking(move || {
        crate::index::ops::changes(&root, &since, country.as_deref(), category.as_deref())
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
    .map(Json)
    .map_err(ApiError::from)
}

#[derive(Serialize, utoipa::ToSchema)]
struct ReloadResponse {
    generation: String,
    switched: bool,
}

async fn admin_reload(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Json<ReloadResponse>, ApiError> {
    if s.admin_token.is_none() {
        // without a configured token the admin routes do not exist
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "admin routes are disabled (no admin token configured)",
        ));
    }
    s.authorize(bearer(&headers), Role::Admin)?;
    let (generation, switched) = s.reload_if_changed().await?;
    Ok(Json(ReloadResponse {
        generation,
        switched,
    }))
}

/// The roles a bearer token can hold.
#[derive(Debug, Clone, Copy)]
enum Role {
    /// Reloads the index.
    Admin,
    /// Submits practices.
    Submitter,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Submitter => "submitter",
        }
    }
}

/// The bearer token of a request, if it sends one.
fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// `POST /v1/practices`: a practice record as JSON, answered 201 with the receipt.
async fn submit_practice(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    let result = async {
        // the token first: an anonymous client learns nothing about the body's rules
        if s.submitter.is_some() {
            s.authorize(bearer(&headers), Role::Submitter)?;
        }
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be a JSON object (Content-Type: application/json)",
            ));
        }
        let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            ApiError::from(crate::Error::invalid(
                "body",
                format!("is not valid JSON: {e}"),
            ))
        })?;
        s.submit_practice(bearer(&headers), value).await
    }
    .await;
    match result {
        Ok(receipt) => (StatusCode::CREATED, Json(receipt)).into_response(),
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            let mut r = e.into_response();
            r.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(60u32),
            );
            r
        }
        Err(e) => e.into_response(),
    }
}

/// Compares secrets without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// No route: the JSON error under `/v1`, the web interface's page elsewhere.
async fn fallback(
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path() == "/v1" || uri.path().starts_with("/v1/") {
        not_found().await.into_response()
    } else {
        crate::web::fallback(uri, headers).await
    }
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route; see /openapi.json",
    )
}
