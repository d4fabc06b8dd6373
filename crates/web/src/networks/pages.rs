//! The networks' pages.

use crate::http::error::{AppResult, ValidPath, ValidQuery};
use crate::policy::{allows, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_domain::directory::Country;
use headway_domain::memberships::{ContextKind, ContextRole, Memberships};
use headway_domain::networks::{next_host, NetworkKind, OrgRole};
use headway_store::networks::{
    hosted, NetworkDetail, NetworkPeople, NetworkPerson, NetworkQuery, NetworkSummary, Networks,
};
use headway_store::rounds::{RoundSummary, Rounds};
use serde::Deserialize;

/// Filters shared by the page and the API.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `NL`, `NO` or `SI`.
    #[param(pattern = "^([Nn][Ll]|[Nn][Oo]|[Ss][Ii])?$")]
    pub country: Option<String>,
    /// `programme`, `regional_group`, `owner_network`, `conversation_round`,
    /// `conversation_group` or `study_group`: networks of that kind at every level.
    #[param(
        pattern = "^(programme|regional_group|owner_network|conversation_round|conversation_group|study_group)?$"
    )]
    pub kind: Option<String>,
}

impl ListParams {
    /// The store's query; a bad value is an input error that names the parameter.
    pub fn to_query(&self) -> AppResult<NetworkQuery> {
        fn given(o: &Option<String>) -> Option<&str> {
            o.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let kind = given(&self.kind).map(NetworkKind::parse).transpose()?;
        Ok(NetworkQuery {
            country: given(&self.country).map(Country::parse).transpose()?,
            // A kind is looked for at every level; else the networks that stand alone.
            top_level: kind.is_none(),
            kind,
            parent_id: None,
        })
    }
}

#[derive(Template)]
#[template(path = "networks/list.html")]
struct ListPage {
    ctx: Ctx,
    networks: Vec<NetworkSummary>,
    country: String,
    kind: String,
    countries: &'static [Country],
    kinds: &'static [NetworkKind],
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidQuery(p): ValidQuery<ListParams>,
) -> AppResult<Html<String>> {
    let q = p.to_query()?;
    let networks = state.store.networks(&q).await?;
    render(&ListPage {
        ctx,
        networks,
        country: q.country.map(|c| c.code().to_owned()).unwrap_or_default(),
        kind: q.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
        countries: Country::ALL,
        kinds: NetworkKind::ALL,
    })
}

#[derive(Template)]
#[template(path = "networks/network.html")]
struct NetworkPage {
    ctx: Ctx,
    n: NetworkDetail,
    map: String,
    /// The host suggested for the next meeting, when the network meets at its members.
    next_host: Option<(i32, String)>,
    /// Who is in it, when the policy lets the reader see names.
    people: Option<Vec<NetworkPerson>>,
    /// The network's rounds of groups, when the reader may form them.
    rounds: Option<Vec<RoundSummary>>,
}

pub async fn network(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let n = state.store.network(id).await?;
    let pins: Vec<((f64, f64), bool)> = n
        .organizations
        .iter()
        .filter_map(|o| {
            let s = &o.organization;
            Some(((s.lat?, s.lon?), o.role == OrgRole::Host))
        })
        .collect();
    let label = ctx.tr.args(
        "net-map-label",
        &[
            ("name", &n.summary.name),
            ("count", &pins.len().to_string()),
        ],
    );
    let map = state
        .maps
        .get(n.summary.country.code())
        .filter(|_| !pins.is_empty())
        .map(|m| m.svg_pins(&pins, &label))
        .unwrap_or_default();
    let next_host = if n.meetings.is_empty() {
        None
    } else {
        let candidates: Vec<i32> = n.organizations.iter().map(|o| o.organization.id).collect();
        next_host(&candidates, &hosted(&n), &[]).and_then(|id| {
            n.organizations
                .iter()
                .find(|o| o.organization.id == id)
                .map(|o| (id, o.organization.name.clone()))
        })
    };
    let member = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.in_context(ContextKind::Network, id));
    let people = if allows(ctx.user.as_ref(), Action::ViewNetworkPeople { member }) {
        Some(state.store.network_people(id).await?)
    } else {
        None
    };
    let coordinator = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.holds(ContextRole::NetworkCoordinator, id));
    let rounds =
        if ctx.user.is_some() && allows(ctx.user.as_ref(), Action::ManageRounds { coordinator }) {
            Some(state.store.rounds_of(id).await?)
        } else {
            None
        };
    render(&NetworkPage {
        ctx,
        n,
        map,
        next_host,
        people,
        rounds,
    })
}
