//! Guidance in the web: published indicators (`/indicators`, any unit from the nation to a
//! school, suppression applied, with a profile against the nation), the assessment of
//! school owners by the directorate's rules for the agency's coordinators, and
//! `/api/v1/indicators` and `/api/v1/guidance/assessment`.

pub mod api;
pub mod assessment;
pub mod calendar;
pub mod cases;
pub mod cases_api;
pub mod casework;
pub mod chart;
pub mod indicators;
pub mod networks;
pub mod report;

use crate::policy::Action;
use crate::routes::{
    get, post, Access::Allowed, Access::Public, Access::SignedIn, Feature, RouteDef,
};
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
        post(
            "/guidance/assessment/{code}/decision",
            ASSESSES,
            h::post(cases::decide),
        ),
        get("/guidance/networks", ASSESSES, h::get(networks::page)),
        post("/guidance/cases", ASSESSES, h::post(cases::open)),
        post(
            "/guidance/cases/invite",
            ASSESSES,
            h::post(cases::invite_owners),
        ),
        get("/guidance/cases", SignedIn, h::get(cases::list)),
        get("/guidance/cases/{id}", SignedIn, h::get(cases::page)),
        post(
            "/guidance/cases/{id}/outputs",
            SignedIn,
            h::post(cases::record_output),
        ),
        post(
            "/guidance/cases/{id}/signoff",
            SignedIn,
            h::post(cases::sign_off),
        ),
        post(
            "/guidance/cases/{id}/meetings",
            SignedIn,
            h::post(casework::meeting),
        ),
        post(
            "/guidance/cases/{id}/referrals",
            SignedIn,
            h::post(casework::referral),
        ),
        post(
            "/guidance/cases/{id}/goals",
            SignedIn,
            h::post(casework::goal),
        ),
        post(
            "/guidance/cases/{id}/measures",
            SignedIn,
            h::post(casework::measure),
        ),
        post(
            "/guidance/cases/{id}/measures/{measure}/status",
            SignedIn,
            h::post(casework::measure_status),
        ),
        post(
            "/guidance/cases/{id}/snapshots",
            SignedIn,
            h::post(report::follow_up),
        ),
        // After the cases' routes: the fuzz seeds name POST routes by their position.
        post("/guidance/networks", ASSESSES, h::post(networks::found)),
        get(
            "/guidance/cases/{id}/report",
            SignedIn,
            h::get(report::page),
        ),
        get(
            "/guidance/cases/{id}/report.pdf",
            SignedIn,
            h::get(report::pdf),
        ),
        get(
            "/guidance/cases/{id}/calendar.ics",
            SignedIn,
            h::get(calendar::ics),
        ),
        get("/api/v1/guidance/cases", SignedIn, h::get(cases_api::list)),
        get(
            "/api/v1/guidance/cases/{id}",
            SignedIn,
            h::get(cases_api::one),
        ),
        get("/api/v1/indicators", Public, h::get(api::indicators)),
        get(
            "/api/v1/guidance/assessment",
            ASSESSES,
            h::get(api::assessment),
        ),
        get("/api/v1/guidance/networks", ASSESSES, h::get(networks::api)),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::indicators,
        api::assessment,
        networks::api,
        cases_api::list,
        cases_api::one
    ),
    components(schemas(
        cases_api::CaseDto,
        cases_api::CaseDetailDto,
        cases_api::OutputDto,
        cases_api::SignOffDto,
        cases_api::CaseMeetingDto,
        cases_api::ReferralDto,
        cases_api::GoalDto,
        cases_api::MeasureDto,
        api::IndicatorValueDto,
        api::AssessmentDto,
        api::AssessedDto,
        api::PointDto,
        api::RulesDto,
        api::IndicatorRuleDto,
        networks::SuggestionsDto,
        networks::SuggestedNetwork,
        networks::OwnerDto
    )),
    tags((name = "guidance", description = "Indicators with small-number suppression, and the assessment of school owners for guidance"))
)]
pub struct ApiDoc;
