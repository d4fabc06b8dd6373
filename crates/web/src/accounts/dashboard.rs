//! The signed-in account's own page.

use crate::http::authorize::Authorized;
use crate::http::error::AppResult;
use crate::policy::can;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_domain::memberships::{ContextKind, ContextRole, Memberships};
use headway_store::accounts::Account;
use headway_store::directory::OrgDetail;
use headway_store::networks::Networks;

#[derive(Template)]
#[template(path = "accounts/dashboard.html")]
struct DashboardPage {
    ctx: Ctx,
    me: Account,
    org: Option<OrgDetail>,
    /// The networks and groups the account's person is in, with the role held.
    networks: Vec<(i32, String, ContextRole)>,
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
    let mut networks = Vec::new();
    for m in me
        .memberships()
        .iter()
        .filter(|m| m.role.context() == ContextKind::Network)
    {
        if let Ok(n) = state.store.network(m.context_id).await {
            networks.push((n.summary.id, n.summary.name, m.role));
        }
    }
    render(&DashboardPage {
        ctx,
        me,
        org,
        networks,
    })
}
