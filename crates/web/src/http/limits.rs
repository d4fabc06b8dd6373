//! How much a request may send. A body over its route's limit is answered 413 — before
//! it is read when `Content-Length` already says so, else as soon as the limit is passed.

/// Forms and JSON: every route but uploads.
pub const FORM_BODY: usize = 64 * 1024;

/// Evidence uploads: a PD activity's files together (each at most
/// [`headway_domain::files::EVIDENCE`]'s limit), an event's material (at most
/// [`headway_domain::files::MATERIALS`]'s) and the form's fields.
pub const UPLOAD_BODY: usize = 12 << 20;

use crate::http::error::AppError;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// Answers 413 at once when `Content-Length` is over `limit`, before anything reads the
/// body (and before a client waiting on `Expect: 100-continue` sends it). Extractors
/// stop at the same limit ([`axum::extract::DefaultBodyLimit`]) when no length is given.
pub async fn content_length(limit: usize, req: Request, next: Next) -> Result<Response, AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(AppError::too_large(limit));
    }
    Ok(next.run(req).await)
}
