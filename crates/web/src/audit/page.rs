//! The audit log's page: the newest entries and the verification of the whole chain.

use crate::http::authorize::Authorized;
use crate::http::error::AppResult;
use crate::policy::can;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use headway_domain::audit::StoredEntry;

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: Ctx,
    status: String,
    ok: bool,
    entries: Vec<StoredEntry>,
}

pub async fn audit(
    State(state): State<AppState>,
    ctx: Ctx,
    _: Authorized<can::ViewAudit>,
) -> AppResult<Response> {
    let (ok, status) = match state.store.verify_audit().await {
        Ok(v) => (true, ctx.tr.n("audit-ok", &v.entries)),
        Err(e) => (false, ctx.tr.a("audit-broken", "reason", &e.to_string())),
    };
    let entries = state.store.recent_audit(100).await?;
    Ok(render(&AuditPage {
        ctx,
        status,
        ok,
        entries,
    })?
    .into_response())
}
