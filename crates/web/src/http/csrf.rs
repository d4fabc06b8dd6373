//! CSRF protection of state-changing requests, and the refusal of cross-site reads that
//! write the audit log.

use crate::http::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

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
    let bytes = axum::body::to_bytes(body, crate::http::limits::FORM_BODY)
        .await
        .map_err(|_| AppError::too_large(crate::http::limits::FORM_BODY))?;
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
