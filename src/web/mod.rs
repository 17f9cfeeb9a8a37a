//! The web interface: server-rendered pages for analysts and legislators, served by the same
//! router as the JSON API. Each page handler extracts its parameters, calls the engine function
//! the matching `/v1` handler calls, and renders a compiled askama template (`templates/`);
//! every value is escaped by the templates, the stylesheet and the one small script are
//! compiled into the binary, and every page carries a strict Content-Security-Policy. Pages
//! work without JavaScript; the script only applies filters without a click and copies
//! citations.
//!
//! Not for: engine logic (see `search`, `compare`), JSON (see `api`).

mod changes;
mod compare;
mod gaps;
pub mod i18n;
mod matrix;
mod practices;
mod provision;
mod search;
mod standards;

use crate::api::{ApiError, AppState};
use crate::corpus::model::{CountryCode, Language};
use crate::search::Engine;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use i18n::Texts;

/// The policy of every page: nothing but this server's own stylesheet and script, no frames,
/// forms only to this server.
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
                       form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const SITE_CSS: &str = include_str!("site.css");
const SITE_JS: &str = include_str!("site.js");

/// The page routes, merged into the API router (which adds the state and the layers). The
/// submission form is posted only where the server takes submissions (`submissions`).
pub fn routes(submissions: bool) -> Router<AppState> {
    let submit = if submissions {
        get(practices::submit_form).post(practices::submit)
    } else {
        get(practices::submit_form)
    };
    Router::new()
        .route("/", get(search::page))
        .route("/p/{id}", get(provision::page))
        .route("/practices/submit", submit)
        .route("/practices/{id}", get(practices::page))
        .route("/compare", get(compare::page))
        .route("/matrix", get(matrix::page))
        .route("/matrix.csv", get(matrix::csv))
        .route("/gaps", get(gaps::index))
        .route("/gaps/{country}", get(gaps::page))
        .route("/brief/{country}", get(gaps::brief))
        .route("/standards/vccr", get(standards::page))
        .route("/changes", get(changes::page))
        .route("/static/site.css", get(css))
        .route("/static/site.js", get(js))
}

/// The page for a path no route has (the API keeps its JSON 404 for `/v1`).
pub async fn fallback(uri: Uri, headers: HeaderMap) -> Response {
    let req = Req::from_uri(&uri, &headers);
    req.error_page(StatusCode::NOT_FOUND, req.t.not_found.to_string())
}

async fn css() -> Response {
    asset("text/css; charset=utf-8", SITE_CSS)
}

async fn js() -> Response {
    asset("text/javascript; charset=utf-8", SITE_JS)
}

fn asset(ctype: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// What every page handler starts from: the interface language and the query's parameters
/// (without `lang`, which is the interface's, and without the empty values a form sends for
/// controls left blank).
pub struct Req {
    pub lang: Language,
    pub t: &'static Texts,
    /// `?lang=` was given: the response keeps it in a cookie.
    remember: bool,
    pub params: Vec<(String, String)>,
    path: String,
    /// Too long or otherwise refused before any handler ran.
    refused: Option<String>,
    host: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Req {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Req, Response> {
        let req = Req::from_uri(&parts.uri, &parts.headers);
        match &req.refused {
            Some(m) => Err(req.error_page(StatusCode::BAD_REQUEST, m.clone())),
            None => Ok(req),
        }
    }
}

/// One link of the language switch.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the layout shows around every page.
pub struct Chrome {
    pub lang: &'static str,
    pub t: &'static Texts,
    pub title: String,
    pub nav: &'static str,
    pub langs: Vec<LangLink>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

impl Req {
    fn from_uri(uri: &Uri, headers: &HeaderMap) -> Req {
        let raw = uri.query().unwrap_or("");
        let mut refused = None;
        let mut params = Vec::new();
        let mut lang_param = None;
        if raw.len() > crate::api::MAX_QUERY_STRING {
            refused = Some(format!(
                "query string is longer than {} bytes",
                crate::api::MAX_QUERY_STRING
            ));
        } else {
            for (k, v) in form_urlencoded::parse(raw.as_bytes()).into_owned() {
                if k == "lang" {
                    lang_param = Some(v);
                } else if !v.trim().is_empty() {
                    params.push((k, v));
                }
            }
        }
        let (lang, remember) = i18n::negotiate(lang_param.as_deref(), headers);
        Req {
            lang,
            t: Texts::of(lang),
            remember,
            params,
            path: uri.path().to_string(),
            refused,
            host: headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        }
    }

    /// The values of one parameter.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn first<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.values(name).next()
    }

    /// This page's URL with its parameters, `name` replaced by `value` (or removed).
    pub fn href_with(&self, name: &str, value: Option<&str>) -> String {
        let mut p: Vec<(&str, &str)> = self
            .params
            .iter()
            .filter(|(k, _)| k != name)
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(v) = value {
            p.push((name, v));
        }
        href(&self.path, &p)
    }

    /// The page's frame: title, current section, language switch.
    pub fn chrome(&self, title: impl Into<String>, nav: &'static str) -> Chrome {
        Chrome {
            lang: self.lang.code(),
            t: self.t,
            title: title.into(),
            nav,
            langs: Language::ALL
                .iter()
                .map(|l| {
                    let mut p: Vec<(&str, &str)> = self
                        .params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    p.push(("lang", l.code()));
                    LangLink {
                        code: l.code(),
                        name: Texts::of(*l).language_name,
                        href: href(&self.path, &p),
                        current: *l == self.lang,
                    }
                })
                .collect(),
        }
    }

    /// The absolute URL of a path on this server, as the client addressed it.
    pub fn absolute(&self, path: &str) -> String {
        match &self.host {
            Some(h) => format!("http://{h}{path}"),
            None => path.to_string(),
        }
    }

    /// A rendered page with the headers every page gets.
    pub fn render(&self, page: &impl Template) -> Response {
        match page.render() {
            Ok(html) => self.html(StatusCode::OK, html),
            Err(e) => {
                tracing::error!(error = %e, "template failed");
                self.html(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "<!doctype html><title>error</title><p>internal error</p>".into(),
                )
            }
        }
    }

    fn html(&self, status: StatusCode, body: String) -> Response {
        let mut r = (status, body).into_response();
        html_headers(&mut r, CSP);
        let h = r.headers_mut();
        h.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        if self.remember {
            let cookie = format!(
                "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                self.lang.code()
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                h.insert(header::SET_COOKIE, v);
            }
        }
        r
    }

    /// The error page, with the API's status for the same error.
    pub fn error(&self, e: crate::Error) -> Response {
        let api = ApiError::from(e);
        self.error_page(api.status, api.message)
    }

    fn error_page(&self, status: StatusCode, message: String) -> Response {
        let page = ErrorPage {
            c: self.chrome(self.t.error_title, ""),
            status: status.as_u16(),
            message,
        };
        let mut r = self.render(&page);
        *r.status_mut() = status;
        r
    }

    /// Runs one engine call on the blocking pool; an error becomes the error page.
    pub async fn run<T, F>(&self, state: &AppState, f: F) -> Result<T, Response>
    where
        T: Send + 'static,
        F: FnOnce(&Engine) -> crate::Result<T> + Send + 'static,
    {
        let engine = state.engine();
        match tokio::task::spawn_blocking(move || f(&engine)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.error(e)),
            Err(e) => Err(self.error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("worker failed: {e}"),
            )),
        }
    }
}

/// A path with its query string (the values percent-encoded).
pub fn href(path: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return path.to_string();
    }
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    format!("{path}?{}", s.finish())
}

/// The page of the search behind an engine count (the engine links to `/v1/search?...`; the
/// page takes the same parameters, with the text language as `language` since `lang` is the
/// interface's).
pub fn search_href(api_query: &str) -> String {
    let qs = api_query
        .strip_prefix("/v1/search?")
        .or_else(|| api_query.strip_prefix("/v1/search"))
        .unwrap_or(api_query);
    let p: Vec<(String, String)> = form_urlencoded::parse(qs.as_bytes())
        .into_owned()
        .map(|(k, v)| {
            if k == "lang" {
                ("language".into(), v)
            } else {
                (k, v)
            }
        })
        .collect();
    let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    href("/", &p)
}

/// The page of a provision.
pub fn provision_href(id: &crate::corpus::model::ProvisionId) -> String {
    format!("/p/{}", percent(id.as_str()))
}

/// Percent-encodes a path segment (provision ids are slugs, but a path is a path).
pub(super) fn percent(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The headers of every HTML answer: type, the content policy given, no sniffing, referrer
/// kept to this site.
pub fn html_headers(r: &mut Response, csp: &'static str) {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}

/// HTML-escapes text (for the few fragments built outside a template: highlighted texts).
pub fn escape(s: &str, out: &mut String) {
    crate::text::escape_html_into(out, s)
}

/// A text with byte ranges marked (`<mark class="tN">`, N the range's tag, its number shown
/// after the words so the marks do not rely on colour), everything else escaped. Ranges that
/// overlap an earlier one or do not fall on character boundaries are left unmarked.
pub fn marked(text: &str, ranges: &[(usize, usize, usize)], numbered: bool) -> String {
    let mut r: Vec<(usize, usize, usize)> = ranges
        .iter()
        .copied()
        .filter(|(s, e, _)| s < e && text.get(*s..*e).is_some())
        .collect();
    r.sort();
    let mut out = String::with_capacity(text.len() + r.len() * 40);
    let mut at = 0;
    for (s, e, tag) in r {
        if s < at {
            continue;
        }
        escape(&text[at..s], &mut out);
        out.push_str(&format!("<mark class=\"t{}\">", tag % 5));
        escape(&text[s..e], &mut out);
        if numbered {
            out.push_str(&format!("<sup>{}</sup>", tag + 1));
        }
        out.push_str("</mark>");
        at = e;
    }
    escape(&text[at..], &mut out);
    out
}

/// A country's name in the interface language (the code for the treaties' pseudo-country).
pub fn country_name(engine: &Engine, c: &CountryCode, lang: Language) -> String {
    match engine.registry().get(c) {
        Some(x) => x.name(lang.code()).to_string(),
        None if c.is_intl() => match lang {
            Language::Es => "Tratados internacionales",
            Language::En => "International treaties",
            Language::Fr => "Traités internationaux",
            Language::Pt => "Tratados internacionais",
        }
        .to_string(),
        None => c.to_string(),
    }
}

/// A category's label in the interface language (its id when the taxonomy lacks it).
pub fn category_label(
    engine: &Engine,
    c: &crate::annotate::taxonomy::CategoryId,
    lang: Language,
) -> String {
    engine
        .taxonomy()
        .get(c)
        .and_then(|x| x.labels.get(lang.code()).or_else(|| x.labels.get("en")))
        .cloned()
        .unwrap_or_else(|| c.to_string())
}

/// The page of a country's printable brief (`/brief/{country}`), linked from its gaps page.
pub fn brief_href(country: &CountryCode) -> Option<String> {
    Some(format!("/brief/{country}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_escapes_and_skips_bad_ranges() {
        let t = "a < b & \"c\" é";
        let html = marked(t, &[(0, 1, 0), (4, 5, 1), (4, 7, 2), (12, 13, 0)], true);
        assert_eq!(
            html,
            "<mark class=\"t0\">a<sup>1</sup></mark> &lt; <mark class=\"t1\">b<sup>2</sup></mark> &amp; &quot;c&quot; é"
        );
        assert_eq!(marked("<x>", &[], false), "&lt;x&gt;");
    }

    #[test]
    fn engine_search_links_become_page_links() {
        assert_eq!(
            search_href("/v1/search?country=AR&category=protection/detention&lang=es"),
            "/?country=AR&category=protection%2Fdetention&language=es"
        );
        assert_eq!(percent("ar-ley:art_1 x"), "ar-ley:art_1%20x");
    }
}
