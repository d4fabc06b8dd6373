//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.

pub mod directory;
pub mod register;

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Headway API", description = "The directory, register and programmes of Headway.", license(name = "AGPL-3.0-or-later")),
    paths(
        directory::list_organizations,
        directory::get_organization,
        register::search,
        register::entry,
        register::board_leaders,
        register::board_activities,
        register::board_activity
    ),
    components(schemas(
        directory::OrganizationDto,
        directory::OrganizationPageDto,
        directory::OrganizationDetailDto,
        register::PublicEntryDto,
        register::BoardLeaderDto,
        register::ActivityDto,
        crate::error::ErrorBody,
        crate::error::ErrorDetail
    )),
    tags(
        (name = "directory", description = "Countries, municipalities and organisations"),
        (name = "register", description = "The public register of school leaders and the boards' view")
    )
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
