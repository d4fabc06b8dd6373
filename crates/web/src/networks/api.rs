//! `/api/v1/networks`

use crate::http::error::{AppResult, ErrorBody, ValidPath, ValidQuery};
use crate::networks::pages::ListParams;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use headway_store::networks::{Meeting, NetworkDetail, NetworkOrg, NetworkSummary, Networks};
use serde::Serialize;
use utoipa::ToSchema;

/// A network in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkDto {
    pub id: i32,
    /// `programme`, `regional_group`, `owner_network`, `conversation_round`,
    /// `conversation_group` or `study_group`.
    pub kind: String,
    pub name: String,
    /// `NL`, `NO` or `SI`.
    pub country: String,
    pub parent_id: Option<i32>,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`; none while it runs on.
    pub ends_on: Option<String>,
    pub organizations: u64,
    /// Networks directly inside this one.
    pub children: u64,
}

impl From<NetworkSummary> for NetworkDto {
    fn from(s: NetworkSummary) -> Self {
        Self {
            id: s.id,
            kind: s.kind.code().to_owned(),
            name: s.name,
            country: s.country.code().to_owned(),
            parent_id: s.parent_id,
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            organizations: s.organizations,
            children: s.children,
        }
    }
}

/// An organisation in a network.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkOrgDto {
    pub organization_id: i32,
    pub name: String,
    pub municipality: Option<String>,
    /// `host` or `member`.
    pub role: String,
    /// The order the programme lists them in, from 1.
    pub position: i32,
}

impl From<NetworkOrg> for NetworkOrgDto {
    fn from(o: NetworkOrg) -> Self {
        Self {
            organization_id: o.organization.id,
            name: o.organization.name,
            municipality: o.organization.municipality,
            role: o.role.code().to_owned(),
            position: o.position,
        }
    }
}

/// A meeting of a network.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingDto {
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub host_id: Option<i32>,
    pub note: String,
}

impl From<Meeting> for MeetingDto {
    fn from(m: Meeting) -> Self {
        Self {
            held_on: m.held_on,
            host_id: m.host.map(|h| h.0),
            note: m.note,
        }
    }
}

/// A network with its organisations, meetings and sub-networks.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkDetailDto {
    #[serde(flatten)]
    pub network: NetworkDto,
    pub description: String,
    /// The organisation whose programme it is.
    pub programme_id: Option<i32>,
    /// Its organisations, in the programme's order (`organizations` is their count).
    pub members: Vec<NetworkOrgDto>,
    pub meetings: Vec<MeetingDto>,
    pub networks: Vec<NetworkDto>,
}

impl From<NetworkDetail> for NetworkDetailDto {
    fn from(d: NetworkDetail) -> Self {
        Self {
            network: d.summary.into(),
            description: d.description,
            programme_id: d.programme.map(|p| p.0),
            members: d.organizations.into_iter().map(Into::into).collect(),
            meetings: d.meetings.into_iter().map(Into::into).collect(),
            networks: d.children.into_iter().map(Into::into).collect(),
        }
    }
}

/// Networks by start date: those that stand alone (programmes, owner networks), or with
/// `kind` every network of that kind, also inside a programme.
#[utoipa::path(
    get,
    path = "/api/v1/networks",
    tag = "networks",
    params(ListParams),
    responses(
        (status = 200, description = "Networks", body = Vec<NetworkDto>),
        (status = 400, description = "A filter does not parse", body = ErrorBody),
    )
)]
pub async fn list_networks(
    State(state): State<AppState>,
    ValidQuery(p): ValidQuery<ListParams>,
) -> AppResult<Json<Vec<NetworkDto>>> {
    let q = p.to_query()?;
    let rows = state.store.networks(&q).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One network: its organisations in the programme's order, its meetings and the networks
/// inside it.
#[utoipa::path(
    get,
    path = "/api/v1/networks/{id}",
    tag = "networks",
    params(("id" = i32, Path, description = "Network id")),
    responses(
        (status = 200, description = "The network", body = NetworkDetailDto),
        (status = 400, description = "The id does not parse", body = ErrorBody),
        (status = 404, description = "No such network", body = ErrorBody),
    )
)]
pub async fn get_network(
    State(state): State<AppState>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<NetworkDetailDto>> {
    Ok(Json(state.store.network(id).await?.into()))
}
