//! Guidance in the web: published indicators (`/indicators`, any unit from the nation to a
//! school, suppression applied, with a profile against the nation), the assessment of
//! school owners by the directorate's rules for the agency's coordinators, and
//! `/api/v1/indicators` and `/api/v1/guidance/assessment`.

pub mod api;
pub mod assessment;
pub mod chart;
pub mod indicators;

use crate::policy::Action;
use crate::routes::{get, Access::Allowed, Access::Public, Feature, RouteDef};
use axum::routing as h;
use utoipa::OpenApi;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: ApiDoc::openapi,
};

const ASSESSES: crate::routes::Access = Allowed(Action::AssessOwners);

fn routes() -> Vec<RouteDef> {
    vec![
        get("/indicators", Public, h::get(indicators::page)),
        get("/guidance/assessment", ASSESSES, h::get(assessment::list)),
        get(
            "/guidance/assessment/{code}",
            ASSESSES,
            h::get(assessment::municipality),
        ),
        get("/api/v1/indicators", Public, h::get(api::indicators)),
        get(
            "/api/v1/guidance/assessment",
            ASSESSES,
            h::get(api::assessment),
        ),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(api::indicators, api::assessment),
    components(schemas(
        api::IndicatorValueDto,
        api::AssessmentDto,
        api::AssessedDto,
        api::PointDto,
        api::RulesDto,
        api::IndicatorRuleDto
    )),
    tags((name = "guidance", description = "Indicators with small-number suppression, and the assessment of school owners for guidance"))
)]
pub struct ApiDoc;
