//! The register of school leaders in the web: the public register, enrolment, the
//! leader's own page, the committee, the board's view and exports, the catalogue, and the
//! API. Each part is a file; this one holds their routes and what they share.

pub mod api;
pub mod board;
pub mod catalogue;
pub mod committee;
pub mod enrolment;
pub mod me;
pub mod public;

use crate::http::error::{AppError, AppResult};
use crate::policy::Action as A;
use crate::routes::{get, post, Access::*, Feature, RouteDef};
use crate::AppState;
use axum::routing as h;
use chrono::NaiveDate;
use headway_store::accounts::Account;
use headway_store::register::Enrolments;
use utoipa::OpenApi;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: ApiDoc::openapi,
};

fn routes() -> Vec<RouteDef> {
    let own = Allowed(A::KeepOwnRegistration);
    let committee = Allowed(A::Committee);
    let board = Allowed(A::BoardRegister);
    vec![
        get("/register", Public, h::get(public::search)),
        get("/register/leaders/{id}", Public, h::get(public::entry)),
        get("/register/enrol", own, h::get(enrolment::page)),
        post("/register/enrol", own, h::post(enrolment::enrol)),
        get("/register/me", own, h::get(me::page)),
        post("/register/me/activities", own, h::post(me::add_activity)).uploads(),
        post("/register/me/objection", own, h::post(me::objection)),
        post("/register/me/deferral", own, h::post(me::deferral)),
        post("/register/me/reregister", own, h::post(me::reregister)),
        post("/register/me/consent", own, h::post(me::consent)),
        post("/register/me/schools", own, h::post(me::change_schools)),
        get("/register/evidence/{id}", SignedIn, h::get(me::evidence)),
        get("/register/committee", committee, h::get(committee::page)),
        post(
            "/register/committee/decide",
            committee,
            h::post(committee::decide),
        ),
        post(
            "/register/committee/validate",
            committee,
            h::post(committee::validate),
        ),
        post(
            "/register/committee/deferral",
            committee,
            h::post(committee::decide_deferral),
        ),
        post(
            "/register/committee/schools",
            committee,
            h::post(committee::confirm_schools),
        ),
        get("/register/board", board, h::get(board::page)),
        get("/register/board/export.csv", board, h::get(board::csv)),
        get("/register/board/export.xlsx", board, h::get(board::xlsx)),
        get("/register/board/leaders/{id}", board, h::get(board::leader)).same_site_only(),
        get("/register/offers", Public, h::get(catalogue::offers)),
        post(
            "/register/offers",
            Allowed(A::AddOffer { own_org: true }),
            h::post(catalogue::add_offer),
        ),
        post(
            "/register/offers/{id}/status",
            Allowed(A::ManageOffers),
            h::post(catalogue::offer_status),
        ),
        get("/api/v1/register/search", Public, h::get(api::search)),
        get("/api/v1/register/leaders/{id}", Public, h::get(api::entry)),
        get(
            "/api/v1/register/board/leaders",
            board,
            h::get(api::board_leaders),
        ),
        get(
            "/api/v1/register/board/leaders/{id}/activities",
            board,
            h::get(api::board_activities),
        )
        .same_site_only(),
        get(
            "/api/v1/register/board/leaders/{id}/activities/{activity}",
            board,
            h::get(api::board_activity),
        )
        .same_site_only(),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::search,
        api::entry,
        api::board_leaders,
        api::board_activities,
        api::board_activity
    ),
    components(schemas(api::PublicEntryDto, api::BoardLeaderDto, api::ActivityDto)),
    tags((name = "register", description = "The public register of school leaders and the boards' view"))
)]
pub struct ApiDoc;

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn bad(m: impl Into<String>) -> AppError {
    AppError::bad_request(m)
}

fn parse_date(field: &'static str, v: &str) -> AppResult<NaiveDate> {
    Ok(headway_domain::input::date(field, v)?)
}

/// Directory ids of schools, separated by commas or spaces.
fn school_ids(v: &str) -> AppResult<Vec<i32>> {
    v.split([',', ' '])
        .filter(|s| !s.trim().is_empty())
        .take(headway_store::register::MAX_SCHOOLS + 1)
        .map(|s| s.trim().parse::<i32>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad("schools: give directory ids of schools, separated by commas"))
}

/// The registration of the signed-in leader (404 before enrolment).
async fn my_leader(state: &AppState, me: &Account) -> AppResult<i32> {
    state
        .store
        .leader_id_for_user(me.id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The board the signed-in account represents (the first, should it represent several).
fn my_board(me: &Account) -> AppResult<i32> {
    use headway_domain::memberships::{ContextRole, Memberships};
    me.contexts_of(ContextRole::Representative)
        .first()
        .copied()
        .ok_or_else(AppError::forbidden)
}

/// How an account is named in the audit log.
fn actor(me: &Account) -> String {
    format!("user:{}", me.id)
}
