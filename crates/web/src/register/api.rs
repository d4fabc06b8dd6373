//! `/api/v1/register/…`: the public register and the boards' view.

use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ErrorBody, ValidPath, ValidQuery};
use crate::policy::can;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use headway_store::register::prelude::*;
use headway_store::register::{ActivityView, BoardLeaderRow, PublicEntry};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A leader as the public register shows them: nothing more.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicEntryDto {
    pub id: i32,
    pub name: String,
    pub schools: Vec<String>,
    pub municipalities: Vec<String>,
    /// `registered`, `conditional` or `lapsed`.
    pub status: String,
    pub level: Option<String>,
}

impl From<PublicEntry> for PublicEntryDto {
    fn from(e: PublicEntry) -> Self {
        Self {
            id: e.id,
            name: e.name,
            schools: e.schools,
            municipalities: e.municipalities,
            status: e.status.to_string(),
            level: e.level,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Name, school or municipality; diacritics, case and small typos are forgiven.
    pub q: String,
    /// How many results (1–100, default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// Search the public register.
#[utoipa::path(get, path = "/api/v1/register/search", tag = "register", params(SearchQuery),
    responses((status = 200, description = "Matching leaders, best first", body = [PublicEntryDto]),
              (status = 400, description = "Missing query, or a limit out of range", body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    ValidQuery(q): ValidQuery<SearchQuery>,
) -> AppResult<Json<Vec<PublicEntryDto>>> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(AppError::bad_request(format!(
            "limit: {limit} is not between 1 and 100"
        )));
    }
    Ok(Json(
        state
            .store
            .public_search_indexed(&q.q, limit as usize)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// A leader's public entry.
#[utoipa::path(get, path = "/api/v1/register/leaders/{id}", tag = "register",
    params(("id" = i32, Path, description = "Leader id")),
    responses((status = 200, description = "The public entry", body = PublicEntryDto),
              (status = 400, description = "The id is not a number", body = ErrorBody),
              (status = 404, description = "Not in the public register", body = ErrorBody)))]
pub async fn entry(
    State(state): State<AppState>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<PublicEntryDto>> {
    Ok(Json(state.store.public_entry_indexed(id).await?.into()))
}

/// A board's leader with status.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardLeaderDto {
    pub id: i32,
    pub name: String,
    pub position: String,
    pub status: String,
    pub level: Option<String>,
    pub schools: String,
    pub cycle_ends_on: Option<String>,
    pub points: f64,
    /// Whether the leader lets the board see all PD activities.
    pub consent_all: bool,
}

impl From<BoardLeaderRow> for BoardLeaderDto {
    fn from(r: BoardLeaderRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            position: r.position.to_string(),
            status: r.status.to_string(),
            level: r.level,
            schools: r.schools,
            cycle_ends_on: r.cycle_ends_on,
            points: r.points,
            consent_all: r.consent_all,
        }
    }
}

/// A PD activity as a consenting leader's board sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: i32,
    pub title: String,
    /// `formal` or `informal`.
    pub kind: String,
    pub themes: String,
    pub hours: f64,
    pub points: f64,
    pub started_on: String,
    pub completed_on: String,
    pub validation: String,
}

impl From<ActivityView> for ActivityDto {
    fn from(a: ActivityView) -> Self {
        Self {
            id: a.id,
            title: a.title,
            kind: a.kind.to_string(),
            themes: a.themes,
            hours: a.hours,
            points: a.points,
            started_on: a.started_on,
            completed_on: a.completed_on,
            validation: a.validation.to_string(),
        }
    }
}

/// The signed-in board's leaders.
#[utoipa::path(get, path = "/api/v1/register/board/leaders", tag = "register",
    responses((status = 200, description = "The board's leaders whose link to the board the committee confirmed", body = [BoardLeaderDto]),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Not a board account", body = ErrorBody)))]
pub async fn board_leaders(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::BoardRegister>,
) -> AppResult<Json<Vec<BoardLeaderDto>>> {
    let b = super::my_board(&me)?;
    Ok(Json(
        state
            .store
            .board_leaders(b, &state.config.register)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// The activities a leader of the board consented to show (each read is logged).
#[utoipa::path(get, path = "/api/v1/register/board/leaders/{id}/activities", tag = "register",
    params(("id" = i32, Path, description = "Leader id")),
    responses((status = 200, description = "Consented activities", body = [ActivityDto]),
              (status = 400, description = "The id is not a number", body = ErrorBody),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Not a board account, or a request the browser marked cross-site", body = ErrorBody),
              (status = 404, description = "Not a confirmed leader of this board", body = ErrorBody)))]
pub async fn board_activities(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::BoardRegister>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<Vec<ActivityDto>>> {
    let (actor, b) = (super::actor(&me), super::my_board(&me)?);
    Ok(Json(
        state
            .store
            .board_read_activities(&actor, b, id, None)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// One activity, refused without the leader's consent.
#[utoipa::path(get, path = "/api/v1/register/board/leaders/{id}/activities/{activity}", tag = "register",
    params(("id" = i32, Path, description = "Leader id"), ("activity" = i32, Path, description = "Activity id")),
    responses((status = 200, description = "The activity", body = ActivityDto),
              (status = 400, description = "An id is not a number", body = ErrorBody),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 403, description = "Not a board account, or a request the browser marked cross-site", body = ErrorBody),
              (status = 404, description = "No such activity of a confirmed leader of this board, or none the leader consented to", body = ErrorBody)))]
pub async fn board_activity(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::BoardRegister>,
    ValidPath((id, activity)): ValidPath<(i32, i32)>,
) -> AppResult<Json<ActivityDto>> {
    let (actor, b) = (super::actor(&me), super::my_board(&me)?);
    let mut v = state
        .store
        .board_read_activities(&actor, b, id, Some(activity))
        .await?;
    Ok(Json(v.remove(0).into()))
}
