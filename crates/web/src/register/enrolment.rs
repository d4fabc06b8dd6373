//! Enrolment in the register (self-service, reviewed by the committee).

use super::school_ids;
use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm};
use crate::policy::can;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use headway_domain::register::Position;
use headway_store::register::prelude::*;
use headway_store::register::Enrolment;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "register/enrol.html")]
struct EnrolPage {
    ctx: Ctx,
    positions: &'static [Position],
    error: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
) -> AppResult<Response> {
    if state.store.leader_id_for_user(me.id).await?.is_some() {
        return Ok(Redirect::to("/register/me").into_response());
    }
    Ok(render(&EnrolPage {
        ctx,
        positions: Position::ALL,
        error: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct EnrolForm {
    given_name: String,
    family_name: String,
    email: Option<String>,
    /// Directory ids of the schools led, comma separated.
    schools: String,
    position: String,
    qualification: String,
}

pub async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
    ValidForm(f): ValidForm<EnrolForm>,
) -> AppResult<Response> {
    let parsed = school_ids(&f.schools).and_then(|ids| Ok((ids, Position::parse(&f.position)?)));
    let result = match parsed {
        Err(e) => Err(e),
        Ok((school_ids, position)) => state
            .store
            .enrol(
                me.id,
                Enrolment {
                    given_name: f.given_name,
                    family_name: f.family_name,
                    email: f.email.filter(|e| !e.trim().is_empty()),
                    board_id: None,
                    school_ids,
                    position,
                    qualification: f.qualification,
                },
            )
            .await
            .map_err(AppError::from),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/register/me").into_response()),
        Err(e) if e.code == "bad_request" => {
            let error = Some(ctx.error_text(&e));
            let page = EnrolPage {
                ctx,
                positions: Position::ALL,
                error,
            };
            Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}
