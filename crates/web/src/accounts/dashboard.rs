//! The signed-in account's own page.

use crate::http::authorize::Authorized;
use crate::http::error::AppResult;
use crate::policy::can;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_store::accounts::Account;
use headway_store::directory::OrgDetail;

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
    Authorized(me, _): Authorized<can::ViewDashboard>,
) -> AppResult<Html<String>> {
    let org = match me.organization_id {
        Some(id) => Some(state.store.organization(id).await?),
        None => None,
    };
    render(&DashboardPage { ctx, me, org })
}
