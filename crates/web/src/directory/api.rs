//! `/api/v1/organizations`

use crate::directory::pages::SearchParams;
use crate::http::error::{AppResult, ErrorBody};
use crate::http::error::{ValidPath, ValidQuery};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use headway_store::directory::{OrgDetail, OrgSummary};
use serde::Serialize;
use utoipa::ToSchema;

/// An organisation in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationDto {
    pub id: i32,
    /// The id in the source register, e.g. `nl:vestiging:32JK00`, `no:kommune:3207`.
    pub external_id: String,
    pub name: String,
    /// `owner`, `board`, `school`, `kindergarten`, `school_centre`, `music_school`, `dormitory`, `provider`, `agency`.
    pub kind: String,
    /// `NL`, `NO` or `SI`.
    pub country: String,
    pub municipality: Option<String>,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl From<OrgSummary> for OrganizationDto {
    fn from(s: OrgSummary) -> Self {
        Self {
            id: s.id,
            external_id: s.external_id,
            name: s.name,
            kind: s.kind.code().to_owned(),
            country: s.country.code().to_owned(),
            municipality: s.municipality,
            city: s.city,
            lat: s.lat,
            lon: s.lon,
        }
    }
}

/// One page of a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationPageDto {
    pub items: Vec<OrganizationDto>,
    /// Matches in all pages.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// An organisation with its public details.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationDetailDto {
    #[serde(flatten)]
    pub organization: OrganizationDto,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub region: Option<String>,
    pub parent_id: Option<i32>,
    pub school_type: Option<String>,
    /// `urban` or `rural`.
    pub environment: Option<String>,
    pub governance: Option<String>,
    pub pupils: Option<i64>,
    pub website: Option<String>,
    /// Organisations directly under this one.
    pub children: u64,
}

impl From<OrgDetail> for OrganizationDetailDto {
    fn from(d: OrgDetail) -> Self {
        Self {
            organization: d.summary.into(),
            address: d.address,
            postcode: d.postcode,
            region: d.region,
            parent_id: d.parent.map(|p| p.0),
            school_type: d.school_type,
            environment: d.environment,
            governance: d.governance,
            pupils: d.pupils,
            website: d.website,
            children: d.children,
        }
    }
}

pub const API_PER_PAGE: u64 = 50;

/// Search the directory.
#[utoipa::path(
    get,
    path = "/api/v1/organizations",
    tag = "directory",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of organisations", body = OrganizationPageDto),
        (status = 400, description = "A parameter is not valid; the message names it", body = ErrorBody)
    )
)]
pub async fn list_organizations(
    State(state): State<AppState>,
    ValidQuery(p): ValidQuery<SearchParams>,
) -> AppResult<Json<OrganizationPageDto>> {
    let page = state
        .store
        .search_organizations_indexed(&p.to_query(API_PER_PAGE)?)
        .await?;
    Ok(Json(OrganizationPageDto {
        items: page.items.into_iter().map(Into::into).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// One organisation.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}",
    tag = "directory",
    params(("id" = i32, Path, description = "Headway's id of the organisation")),
    responses(
        (status = 200, description = "The organisation", body = OrganizationDetailDto),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody)
    )
)]
pub async fn get_organization(
    State(state): State<AppState>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<OrganizationDetailDto>> {
    Ok(Json(state.store.organization(id).await?.into()))
}
