use super::{render, Ctx};
use crate::auth::require_user;
use crate::error::AppResult;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_store::accounts::Account;
use headway_store::directory::OrgDetail;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "accounts/dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    me: Account,
    org: Option<OrgDetail>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
) -> AppResult<Html<String>> {
    let me = require_user(&state, &session).await?;
    let org = match me.organization_id {
        Some(id) => Some(state.store.organization(id).await?),
        None => None,
    };
    render(&DashboardPage { ctx, me, org })
}
