//! Networks in the web: the list and a network's page (its organisations, meetings and
//! sub-networks, on a map), and `/api/v1/networks`.

pub mod api;
pub mod pages;

use crate::policy::Action;
use crate::routes::{get, post, Access::Allowed, Access::Public, Feature, RouteDef};
use axum::routing as h;
use utoipa::OpenApi;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: ApiDoc::openapi,
};

/// Coordinating some network; the handlers ask again with the network in question.
const COORDINATES: crate::routes::Access = Allowed(Action::CoordinateNetwork { coordinator: true });

fn routes() -> Vec<RouteDef> {
    vec![
        get("/networks", Public, h::get(pages::list)),
        get("/networks/{id}", Public, h::get(pages::network)),
        post(
            "/networks/{id}/meetings",
            COORDINATES,
            h::post(pages::record_meeting),
        ),
        post(
            "/networks/{id}/hosting",
            COORDINATES,
            h::post(pages::set_hosting),
        ),
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
