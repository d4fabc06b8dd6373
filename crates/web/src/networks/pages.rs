//! The networks' pages.

use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath, ValidQuery};
use crate::policy::can::CoordinateSomeNetwork;
use crate::policy::{allows, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use headway_domain::directory::Country;
use headway_domain::input::{InputError, Problem};
use headway_domain::memberships::{ContextKind, ContextRole, Memberships};
use headway_domain::networks::{NetworkKind, OrgRole};
use headway_domain::register::parse_date;
use headway_store::accounts::Account;
use headway_store::directory::OrgSummary;
use headway_store::networks::{
    suggest_host, NetworkDetail, NetworkHosting, NetworkPeople, NetworkPerson, NetworkQuery,
    NetworkSchools, NetworkSummary, Networks,
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
    /// The network's rounds of groups, when the reader coordinates the network.
    rounds: Option<Vec<RoundSummary>>,
    /// For its coordinators: the host to preselect for the next meeting.
    suggested: Option<i32>,
    /// The schools of its member owners and boards, whose principals it also reaches.
    schools: Vec<OrgSummary>,
    today: String,
}

impl NetworkPage {
    fn is_suggested(&self, id: &i32) -> bool {
        self.suggested == Some(*id)
    }
}

/// Whether `me` coordinates `n`: the agency's coordinators every network, anyone else a
/// network they (or the network it sits in) coordinate, as a membership.
pub fn coordinates(me: &Account, n: &NetworkDetail) -> bool {
    let id = n.summary.id;
    let coordinator = me.holds(ContextRole::NetworkCoordinator, id)
        || n.summary
            .parent_id
            .is_some_and(|p| me.holds(ContextRole::NetworkCoordinator, p));
    allows(Some(me), Action::CoordinateNetwork { coordinator })
}

/// The network, if `me` coordinates it; else 403.
pub async fn coordinated(state: &AppState, me: &Account, id: i32) -> AppResult<NetworkDetail> {
    let n = state.store.network(id).await?;
    if coordinates(me, &n) {
        Ok(n)
    } else {
        Err(AppError::forbidden())
    }
}

#[derive(Debug, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    held_on: String,
    host_id: Option<String>,
    #[serde(default)]
    note: String,
}

/// Records a meeting at the host the coordinator chose (the suggestion preselected, any
/// member allowed: the coordinator may override it).
pub async fn record_meeting(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<MeetingForm>,
) -> AppResult<Redirect> {
    coordinated(&state, &me, id).await?;
    let day = parse_date(f.held_on.trim()).ok_or_else(|| {
        InputError::new(
            "held_on",
            Problem::NotADate {
                value: f.held_on.chars().take(20).collect(),
            },
        )
    })?;
    let host = headway_domain::input::record_id("host_id", f.host_id.as_deref().unwrap_or(""))?;
    state
        .store
        .add_meeting(&me.username, id, day, host, &f.note)
        .await?;
    Ok(Redirect::to(&format!("/networks/{id}#meetings")))
}

#[derive(Debug, Deserialize)]
pub struct HostingForm {
    #[serde(default)]
    organization_id: String,
    /// `1` when it declines, `0` when it hosts again.
    #[serde(default)]
    declines: String,
}

/// Records that a member declines (or no longer declines) to host.
pub async fn set_hosting(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<HostingForm>,
) -> AppResult<Redirect> {
    coordinated(&state, &me, id).await?;
    let org = headway_domain::input::record_id("organization_id", &f.organization_id)?
        .ok_or_else(|| InputError::new("organization_id", Problem::Required))?;
    let declines = headway_domain::input::flag("declines", &f.declines)?;
    state
        .store
        .set_declines_hosting(&me.username, id, org, declines)
        .await?;
    Ok(Redirect::to(&format!("/networks/{id}#members")))
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
    let suggested = suggest_host(&n);
    // The suggestion is shown to everyone once the network has met.
    let next_host = suggested.clone().filter(|_| !n.meetings.is_empty());
    let member = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.in_context(ContextKind::Network, id));
    let people = if allows(ctx.user.as_ref(), Action::ViewNetworkPeople { member }) {
        Some(state.store.network_people(id).await?)
    } else {
        None
    };
    let coordinating = ctx.user.as_ref().is_some_and(|u| coordinates(u, &n));
    let rounds = if coordinating {
        Some(state.store.rounds_of(id).await?)
    } else {
        None
    };
    let schools = state.store.member_schools(id).await?;
    render(&NetworkPage {
        ctx,
        n,
        map,
        next_host,
        people,
        rounds,
        suggested: suggested.map(|s| s.0).filter(|_| coordinating),
        schools,
        today: chrono::Utc::now().date_naive().to_string(),
    })
}
