//! The board's view: its confirmed leaders, their consented activities (each read logged
//! for the leader), and the exports.

use crate::http::authorize::Authorized;
use crate::http::error::{AppResult, ValidPath, ValidQuery};
use crate::policy::can;
use crate::ui::export::Table;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use headway_store::accounts::Account;
use headway_store::register::prelude::*;
use headway_store::register::{ActivityView, BoardLeaderRow, LeaderView};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "register/board.html")]
struct BoardPage {
    ctx: Ctx,
    rows: Vec<BoardLeaderRow>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<can::BoardRegister>,
) -> AppResult<Html<String>> {
    let b = super::my_board(&me)?;
    let rows = state.store.board_leaders(b, &state.config.register).await?;
    render(&BoardPage { ctx, rows })
}

/// The board's leaders as a table for the exports.
async fn board_table(state: &AppState, me: &Account) -> AppResult<Table> {
    let b = super::my_board(me)?;
    let rows = state.store.board_leaders(b, &state.config.register).await?;
    let mut t = Table::new(vec![
        "id",
        "name",
        "position",
        "status",
        "level",
        "schools",
        "cycle_ends_on",
        "points",
    ]);
    for r in rows {
        t.push(vec![
            r.id.into(),
            r.name.into(),
            r.position.code().into(),
            r.status.code().into(),
            r.level.unwrap_or_default().into(),
            r.schools.into(),
            r.cycle_ends_on.unwrap_or_default().into(),
            r.points.into(),
        ]);
    }
    Ok(t)
}

pub async fn csv(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::BoardRegister>,
) -> AppResult<Response> {
    board_table(&state, &me).await?.csv_response("leaders")
}

pub async fn xlsx(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::BoardRegister>,
) -> AppResult<Response> {
    board_table(&state, &me).await?.xlsx_response("leaders")
}

#[derive(Template)]
#[template(path = "register/board_leader.html")]
struct BoardLeaderPage {
    ctx: Ctx,
    leader: LeaderView,
    activities: Vec<ActivityView>,
}

#[derive(Deserialize)]
pub struct ActivityParam {
    activity: Option<i32>,
}

pub async fn leader(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<can::BoardRegister>,
    ValidPath(id): ValidPath<i32>,
    ValidQuery(q): ValidQuery<ActivityParam>,
) -> AppResult<Html<String>> {
    let b = super::my_board(&me)?;
    let activities = state
        .store
        .board_read_activities(&super::actor(&me), b, id, q.activity)
        .await?;
    let leader = state.store.leader_view(id).await?;
    render(&BoardLeaderPage {
        ctx,
        leader,
        activities,
    })
}
