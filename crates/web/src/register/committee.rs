//! The committee: enrolments, objections and aspirants to decide, changes of schools to
//! confirm, informal learning to validate, deferrals.

use super::{bad, parse_date, today};
use crate::http::authorize::Authorized;
use crate::http::error::{AppResult, ValidForm, ValidQuery};
use crate::policy::can;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::register::{Decision, DecisionKind};
use headway_store::register::prelude::*;
use headway_store::register::{ActivityView, LeaderView, OfferView};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "register/committee.html")]
struct CommitteePage {
    ctx: Ctx,
    name: String,
    total: u64,
    page: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    waiting: Vec<LeaderView>,
    pending: Vec<(i32, ActivityView)>,
    /// Changes of schools waiting for confirmation.
    moves: Vec<LeaderView>,
    levels: Vec<String>,
    offers: Vec<OfferView>,
}

/// The committee queue's filter: a part of the name, and the page.
#[derive(Deserialize)]
pub struct QueueQuery {
    name: Option<String>,
    page: Option<u64>,
}

/// Enrolments shown per page of the committee queue.
const QUEUE_PAGE: u64 = 50;

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(_me, _): Authorized<can::Committee>,
    ValidQuery(q): ValidQuery<QueueQuery>,
) -> AppResult<Html<String>> {
    let name = q.name.unwrap_or_default();
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let queue = state
        .store
        .committee_queue(&name, (page - 1) * QUEUE_PAGE, QUEUE_PAGE)
        .await?;
    let offers = state.store.offers(false).await?;
    let href = |p: u64| {
        let pairs = [("name", name.as_str()), ("page", &p.to_string())];
        format!(
            "/register/committee?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    render(&CommitteePage {
        ctx,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page * QUEUE_PAGE < queue.total).then(|| href(page + 1)),
        name,
        total: queue.total,
        page,
        waiting: queue.waiting,
        pending: queue.pending,
        moves: state.store.school_changes(QUEUE_PAGE).await?,
        levels: state.config.register.levels.clone(),
        offers,
    })
}

#[derive(Deserialize)]
pub struct DecideForm {
    leader_id: i32,
    /// register, aspirant, reject
    decision: String,
    level: Option<String>,
    reasons: Option<String>,
}

pub async fn decide(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::Committee>,
    ValidForm(f): ValidForm<DecideForm>,
) -> AppResult<Response> {
    let d = match f.decision.as_str() {
        "register" => Decision::Register {
            level: f.level.unwrap_or_default(),
        },
        "aspirant" => Decision::Aspirant,
        "reject" => Decision::Reject {
            reasons: f.reasons.unwrap_or_default(),
        },
        other => {
            return Err(bad(format!(
                "decision: `{other}` is not register, aspirant or reject"
            )))
        }
    };
    state
        .store
        .decide(
            &super::actor(&me),
            f.leader_id,
            d,
            today(),
            &state.config.register,
        )
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}

#[derive(Deserialize)]
pub struct ValidateForm {
    activity_id: i32,
    approve: String,
}

pub async fn validate(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::Committee>,
    ValidForm(f): ValidForm<ValidateForm>,
) -> AppResult<Response> {
    state
        .store
        .validate_activity(&super::actor(&me), f.activity_id, f.approve == "yes")
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}

#[derive(Deserialize)]
pub struct DeferralDecisionForm {
    leader_id: i32,
    /// A date grants until then; empty refuses.
    until: Option<String>,
}

pub async fn decide_deferral(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::Committee>,
    ValidForm(f): ValidForm<DeferralDecisionForm>,
) -> AppResult<Response> {
    let until = match f.until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(v) => Some(parse_date("until", v)?),
        None => None,
    };
    state
        .store
        .decide_deferral(&super::actor(&me), f.leader_id, until)
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}

#[derive(Deserialize)]
pub struct LeaderForm {
    leader_id: i32,
}

/// The committee confirms a change of schools; the new board then sees the leader.
pub async fn confirm_schools(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::Committee>,
    ValidForm(f): ValidForm<LeaderForm>,
) -> AppResult<Response> {
    state
        .store
        .confirm_schools(&super::actor(&me), f.leader_id)
        .await?;
    Ok(Redirect::to("/register/committee").into_response())
}
