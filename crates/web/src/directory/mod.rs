//! The directory in the web: search and organisation pages, and the API.

pub mod api;
pub mod pages;

use crate::routes::{get, Access::Public, Feature, RouteDef};
use axum::routing as h;
use utoipa::OpenApi;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: ApiDoc::openapi,
};

fn routes() -> Vec<RouteDef> {
    vec![
        get("/directory", Public, h::get(pages::search)),
        get("/organizations/{id}", Public, h::get(pages::organization)),
        get(
            "/api/v1/organizations",
            Public,
            h::get(api::list_organizations),
        ),
        get(
            "/api/v1/organizations/{id}",
            Public,
            h::get(api::get_organization),
        ),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(api::list_organizations, api::get_organization),
    components(schemas(
        api::OrganizationDto,
        api::OrganizationPageDto,
        api::OrganizationDetailDto
    )),
    tags((name = "directory", description = "Countries, municipalities and organisations"))
)]
pub struct ApiDoc;
