//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.

pub mod directory;

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Headway API", description = "The directory, register and programmes of Headway.", license(name = "AGPL-3.0-or-later")),
    paths(directory::list_organizations, directory::get_organization),
    components(schemas(
        directory::OrganizationDto,
        directory::OrganizationPageDto,
        directory::OrganizationDetailDto,
        crate::error::ErrorBody,
        crate::error::ErrorDetail
    )),
    tags((name = "directory", description = "Countries, municipalities and organisations"))
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
