//! Rounds of groups in the web: a network's coordinator starts a round (population, mode,
//! sizes, attributes, constraints), the background [`runner`] forms the groups, the
//! round's page shows progress and the draft, a member can be moved by hand with the cost
//! shown first, and publishing makes the groups networks. `POST /api/v1/networks/{id}/rounds`
//! and `GET /api/v1/rounds/{id}` do the same for programs.

pub mod api;
pub mod aspects;
pub mod form;
pub mod forming;
pub mod pages;
pub mod runner;

use crate::policy::Action;
use crate::routes::{get, post, Access::Allowed, Feature, RouteDef};
use crate::ui::export::{Csv, Xlsx};
use axum::routing as h;
use utoipa::OpenApi;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: ApiDoc::openapi,
};

/// The route rule of every rounds route: coordinating some network; the handlers ask the
/// policy again with the network in question.
const COORDINATES: crate::routes::Access = Allowed(Action::CoordinateNetwork { coordinator: true });

/// Recording a group's aspects: facilitating some group; the handler asks with the group.
const FACILITATES: crate::routes::Access = Allowed(Action::RecordAspects { facilitator: true });

fn routes() -> Vec<RouteDef> {
    vec![
        get(
            "/networks/{id}/rounds/new",
            COORDINATES,
            h::get(pages::new_round),
        ),
        post("/networks/{id}/rounds", COORDINATES, h::post(pages::create)),
        get("/rounds/{id}", COORDINATES, h::get(pages::round)),
        post(
            "/rounds/{id}/move",
            COORDINATES,
            h::post(pages::move_member),
        ),
        post("/rounds/{id}/cancel", COORDINATES, h::post(pages::cancel)),
        post("/rounds/{id}/rerun", COORDINATES, h::post(pages::rerun)),
        post("/rounds/{id}/publish", COORDINATES, h::post(pages::publish)),
        get(
            "/rounds/{id}/groups.csv",
            COORDINATES,
            h::get(pages::groups::<Csv>),
        ),
        get(
            "/rounds/{id}/groups.xlsx",
            COORDINATES,
            h::get(pages::groups::<Xlsx>),
        ),
        get("/rounds/{id}/aspects", FACILITATES, h::get(aspects::page)),
        post(
            "/rounds/{id}/aspects",
            FACILITATES,
            h::post(aspects::record),
        ),
        get(
            "/rounds/{id}/synthesis",
            COORDINATES,
            h::get(aspects::synthesis),
        ),
        get(
            "/rounds/{id}/aspects.csv",
            COORDINATES,
            h::get(aspects::export::<Csv>),
        ),
        get(
            "/rounds/{id}/aspects.xlsx",
            COORDINATES,
            h::get(aspects::export::<Xlsx>),
        ),
        get(
            "/static/rounds.js",
            crate::routes::Access::Public,
            h::get(api::script),
        ),
        post(
            "/api/v1/networks/{id}/rounds",
            COORDINATES,
            h::post(api::start_round),
        ),
        get("/api/v1/rounds/{id}", COORDINATES, h::get(api::get_round)),
        post(
            "/rounds/{id}/facilitators",
            COORDINATES,
            h::post(aspects::name_facilitator),
        ),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(api::start_round, api::get_round),
    components(schemas(api::RoundRequest, api::AttributeWeight, api::RoundDto, api::GroupDto, api::MemberDto)),
    tags((name = "rounds", description = "Rounds of groups formed by the solver in the background"))
)]
pub struct ApiDoc;
