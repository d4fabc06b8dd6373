//! Networks in the web: the list and a network's page (its organisations, meetings and
//! sub-networks, on a map), and `/api/v1/networks`.

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
        get("/networks", Public, h::get(pages::list)),
        get("/networks/{id}", Public, h::get(pages::network)),
        get("/api/v1/networks", Public, h::get(api::list_networks)),
        get("/api/v1/networks/{id}", Public, h::get(api::get_network)),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(api::list_networks, api::get_network),
    components(schemas(
        api::NetworkDto,
        api::NetworkDetailDto,
        api::NetworkOrgDto,
        api::MeetingDto
    )),
    tags((name = "networks", description = "Regional groups, owner networks and conversation rounds"))
)]
pub struct ApiDoc;
