//! Errors of page routes as translated HTML pages, and the page for unknown paths.

use crate::http::error::AppError;
use crate::ui::i18n::Lang;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

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
    let user = crate::http::session::current_user(&state, &session)
        .await
        .ok()
        .flatten();
    let ctx = Ctx::build(&state, &session, lang, "/", user).await;
    let message = match err.code {
        "not_found" => ctx.t("error-not-found"),
        "forbidden" => ctx.t("error-forbidden"),
        "unauthorized" => ctx.t("error-unauthorized"),
        "csrf" => ctx.t("error-csrf"),
        "too_many_requests" => ctx.t("error-too-many"),
        "busy" => ctx.t("error-busy"),
        "too_large" => ctx.t("error-too-large"),
        "bad_request" => ctx
            .tr
            .a("error-bad-request", "reason", &ctx.error_text(&err)),
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
    let user = crate::http::session::current_user(&state, &session)
        .await
        .ok()
        .flatten();
    let ctx = Ctx::build(&state, &session, lang, "/", user).await;
    let message = ctx.t("error-not-found");
    match render(&ErrorPage { ctx, message }) {
        Ok(html) => (StatusCode::NOT_FOUND, html).into_response(),
        Err(e) => e.into_response(),
    }
}
