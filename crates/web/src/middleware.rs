//! Cross-cutting request handling: language, CSRF, HTML error pages, headers, health.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::Session;

/// Chooses the language (`?lang=` → cookie → `Accept-Language` → English) and remembers
/// an explicit choice in a cookie.
pub async fn language(mut req: Request, next: Next) -> Response {
    let from_query = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
        .and_then(Lang::parse);
    let from_cookie = || {
        req.headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix("lang="))
            .and_then(Lang::parse)
    };
    let from_header = || {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
    };
    let lang = from_query
        .or_else(from_cookie)
        .or_else(from_header)
        .unwrap_or(Lang::En);
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    if let Some(l) = from_query {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            l.code()
        )) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// Applies a route's [`crate::Access`] rule before extractors read the body: 401 for a
/// route that needs an account, 403 when the policy refuses the account's role.
pub async fn authorize(
    State(state): State<AppState>,
    session: Session,
    access: crate::Access,
    req: Request,
    next: Next,
) -> Response {
    let needs = match access {
        crate::Access::Public => return next.run(req).await,
        crate::Access::SignedIn => None,
        crate::Access::Allowed(a) => Some(a),
    };
    let user = match crate::auth::current_user(&state, &session).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    match (user, needs) {
        (None, _) => AppError::unauthorized().into_response(),
        (Some(u), Some(a)) if !crate::policy::allows(Some(&u), a) => {
            AppError::forbidden().into_response()
        }
        _ => next.run(req).await,
    }
}

pub const CSRF_KEY: &str = "csrf";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Refuses every state-changing request whose token (form field `_csrf`, header
/// `X-CSRF-Token`, or for multipart uploads the query string) does not match the one in
/// the session. What can be decided without the body is decided first: a session without
/// a token, or a request whose header or query token is wrong, is refused before a byte of
/// the body is read; only a url-encoded form without such a token has its body read, and
/// no further than the route's limit.
pub async fn csrf_guard(session: Session, req: Request, next: Next) -> Result<Response, AppError> {
    // Only methods that change state need the token; anything else (TRACE, …) goes on to
    // the router, which answers 405 where a method is not served.
    if !matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) {
        return Ok(next.run(req).await);
    }
    let Some(expected) = session.get::<String>(CSRF_KEY).await? else {
        return Err(AppError::csrf());
    };
    let header_token = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Multipart forms (evidence uploads) carry the token in the query string.
    let query_token = || {
        req.uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == CSRF_FIELD)
                    .map(|(_, v)| v)
            })
    };
    if let Some(t) = header_token.or_else(query_token) {
        return if constant_time_eq(expected.as_bytes(), t.as_bytes()) {
            Ok(next.run(req).await)
        } else {
            Err(AppError::csrf())
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::csrf());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, crate::limits::FORM_BODY)
        .await
        .map_err(|_| AppError::too_large(crate::limits::FORM_BODY))?;
    let provided = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v)
        });
    match provided {
        Some(p) if constant_time_eq(expected.as_bytes(), p.as_bytes()) => Ok(next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await),
        _ => Err(AppError::csrf()),
    }
}

/// Refuses a cross-site GET of a page that writes the audit log (a board reading a
/// leader's activities): a link or image on another site must not make a signed-in
/// board member's browser create access-log entries. Browsers send `Sec-Fetch-Site`;
/// a client that does not (curl, the API's own clients) is not a browser led astray.
pub async fn same_site_reads(req: Request, next: Next) -> Result<Response, AppError> {
    let cross = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site");
    if cross {
        return Err(AppError::forbidden());
    }
    Ok(next.run(req).await)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    message: String,
}

/// Turns an [`AppError`] from a page handler into a translated HTML page.
pub async fn html_errors(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let lang = req.extensions().get::<Lang>().copied().unwrap_or(Lang::En);
    let res = next.run(req).await;
    let Some(err) = res.extensions().get::<AppError>().cloned() else {
        return res;
    };
    let ctx = Ctx::build(&state, &session, lang, "/").await;
    let message = match err.code {
        "not_found" => ctx.t("error-not-found"),
        "forbidden" => ctx.t("error-forbidden"),
        "unauthorized" => ctx.t("error-unauthorized"),
        "csrf" => ctx.t("error-csrf"),
        "too_many_requests" => ctx.t("error-too-many"),
        "busy" => ctx.t("error-busy"),
        "too_large" => ctx.t("error-too-large"),
        "bad_request" => ctx.tr.a("error-bad-request", "reason", &err.message),
        _ => ctx.t("error-internal"),
    };
    match render(&ErrorPage { ctx, message }) {
        Ok(html) => {
            let mut page = (err.status, html).into_response();
            if let Some(v) = res.headers().get(header::RETRY_AFTER) {
                page.headers_mut().insert(header::RETRY_AFTER, v.clone());
            }
            page
        }
        Err(_) => res,
    }
}

pub async fn not_found(State(state): State<AppState>, session: Session, req: Request) -> Response {
    let lang = req.extensions().get::<Lang>().copied().unwrap_or(Lang::En);
    if req.uri().path().starts_with("/api/") {
        return AppError::not_found().into_response();
    }
    let ctx = Ctx::build(&state, &session, lang, "/").await;
    let message = ctx.t("error-not-found");
    match render(&ErrorPage { ctx, message }) {
        Ok(html) => (StatusCode::NOT_FOUND, html).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Content-Security-Policy and friends, on every response.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
) -> axum::Router<S> {
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}
