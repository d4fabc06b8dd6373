//! The leader's own page: registration, cycle, PD log with evidence, objection, deferral,
//! re-registration, consent to the board, change of schools, access log.

use super::{bad, parse_date, school_ids, today};
use crate::http::authorize::{Authorized, SignedIn};
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::{allows, can, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use headway_domain::input::{Hours, Points};
use headway_domain::register::{self as rules, ActivityKind, CycleStatus, LeaderStatus};
use headway_store::register::prelude::*;
use headway_store::register::{
    AccessEntry, ActivityView, CycleView, DecisionView, EvidenceFile, LeaderView, NewActivity,
    OfferView,
};
use serde::Deserialize;

/// PD-log entries on the leader's own page, newest first.
const PD_LOG_SHOWN: u64 = 500;

#[derive(Template)]
#[template(path = "register/me.html")]
struct MyPage {
    ctx: Ctx,
    leader: LeaderView,
    cycle: Option<CycleView>,
    percent: u32,
    timeline: u32,
    activities: Vec<ActivityView>,
    /// All entries of the PD log; the page shows the newest [`PD_LOG_SHOWN`].
    activities_total: u64,
    decisions: Vec<DecisionView>,
    offers: Vec<OfferView>,
    themes: Vec<String>,
    consent_all: bool,
    consent_ids: Vec<i32>,
    access: Vec<AccessEntry>,
    can_reregister: bool,
}

impl MyPage {
    fn consented(&self, id: &i32) -> bool {
        self.consent_all || self.consent_ids.contains(id)
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
) -> AppResult<Response> {
    let Some(id) = state.store.leader_id_for_user(me.id).await? else {
        return Ok(Redirect::to("/register/enrol").into_response());
    };
    let r = &state.config.register;
    let leader = state.store.leader_view(id).await?;
    let cycle = state.store.current_cycle(id, r, today()).await?;
    let (consent_all, consent_ids) = state.store.consents(id).await?;
    let percent = cycle
        .as_ref()
        .map(|c| ((c.points / c.target).min(1.0) * 100.0) as u32)
        .unwrap_or(0);
    let timeline = cycle
        .as_ref()
        .map(|c| (c.elapsed * 100.0) as u32)
        .unwrap_or(0);
    let can_reregister = cycle
        .as_ref()
        .is_some_and(|c| c.status != CycleStatus::Lapsed && rules::may_reregister(c.points, r));
    let (activities, activities_total) = state.store.recent_activities(id, PD_LOG_SHOWN).await?;
    let page = MyPage {
        leader,
        activities_total,
        percent,
        timeline,
        can_reregister,
        cycle,
        activities,
        decisions: state.store.decisions(id).await?,
        offers: state.store.offers(true).await?,
        themes: r.themes.clone(),
        consent_all,
        consent_ids,
        access: state.store.access_log(id).await?,
        ctx,
    };
    Ok(render(&page)?.into_response())
}

pub async fn add_activity(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
    mut mp: Multipart,
) -> AppResult<Response> {
    let id = super::my_leader(&state, &me).await?;
    let mut fields: std::collections::HashMap<String, String> = Default::default();
    let mut themes = vec![];
    let mut files = vec![];
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| bad(format!("form: {e}")))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| bad(format!("evidence: {e}")))?;
            if !file_name.is_empty() && !bytes.is_empty() {
                files.push(EvidenceFile {
                    file_name,
                    content_type,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let v = field
                .text()
                .await
                .map_err(|e| bad(format!("{name}: {e}")))?;
            if name == "themes" {
                themes.push(v);
            } else {
                fields.insert(name, v);
            }
        }
    }
    let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
    let offer_id = match get("offer_id") {
        "" => None,
        v => Some(
            v.parse::<i32>()
                .map_err(|_| bad("offer_id: not a number"))?,
        ),
    };
    let a = NewActivity {
        offer_id,
        title: get("title").to_owned(),
        kind: ActivityKind::parse(match get("kind") {
            "" => "formal",
            k => k,
        })?,
        themes,
        hours: Hours::parse("hours", get("hours"))?.get(),
        points: Points::parse("points", get("points"))?.get(),
        started_on: parse_date("started_on", get("started_on"))?,
        completed_on: parse_date("completed_on", get("completed_on"))?,
    };
    let title_ok = offer_id.is_some() || !a.title.is_empty();
    if !title_ok {
        return Err(bad("title: a title is required"));
    }
    let a = if offer_id.is_some() && a.title.is_empty() {
        NewActivity {
            title: "(offer)".into(),
            ..a
        }
    } else {
        a
    };
    state
        .store
        .add_activity(id, a, files, &state.config.register, today())
        .await?;
    Ok(Redirect::to("/register/me").into_response())
}

#[derive(Deserialize)]
pub struct ReasonForm {
    reason: String,
}

pub async fn objection(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
    ValidForm(f): ValidForm<ReasonForm>,
) -> AppResult<Response> {
    let id = super::my_leader(&state, &me).await?;
    state.store.object(id, &f.reason).await?;
    Ok(Redirect::to("/register/me").into_response())
}

pub async fn deferral(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
    ValidForm(f): ValidForm<ReasonForm>,
) -> AppResult<Response> {
    let id = super::my_leader(&state, &me).await?;
    state.store.request_deferral(id, &f.reason).await?;
    Ok(Redirect::to("/register/me").into_response())
}

pub async fn reregister(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
) -> AppResult<Response> {
    let id = super::my_leader(&state, &me).await?;
    state
        .store
        .reregister(&super::actor(&me), id, &state.config.register)
        .await?;
    Ok(Redirect::to("/register/me").into_response())
}

#[derive(Deserialize)]
pub struct ConsentForm {
    /// `grant` or `revoke`.
    action: String,
    /// Empty for all activities.
    activity_id: Option<String>,
}

pub async fn consent(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
    ValidForm(f): ValidForm<ConsentForm>,
) -> AppResult<Response> {
    let id = super::my_leader(&state, &me).await?;
    let activity = match f
        .activity_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(v) => Some(
            v.parse::<i32>()
                .map_err(|_| bad("activity_id: not a number"))?,
        ),
        None => None,
    };
    match f.action.as_str() {
        "grant" => state.store.grant_consent(id, activity).await?,
        "revoke" => state.store.revoke_consent(id, activity).await?,
        other => {
            return Err(bad(format!(
                "action: `{other}` is neither grant nor revoke"
            )))
        }
    }
    Ok(Redirect::to("/register/me").into_response())
}

#[derive(Deserialize)]
pub struct SchoolsForm {
    /// Directory ids of the schools now led, comma separated.
    schools: String,
}

/// The leader now leads other schools (perhaps under another board).
pub async fn change_schools(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::KeepOwnRegistration>,
    ValidForm(f): ValidForm<SchoolsForm>,
) -> AppResult<Response> {
    let id = super::my_leader(&state, &me).await?;
    state
        .store
        .change_schools(id, &school_ids(&f.schools)?)
        .await?;
    Ok(Redirect::to("/register/me").into_response())
}

pub async fn evidence(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    let (name, ctype, bytes, leader) = state.store.evidence_file(id).await?;
    let own = state.store.leader_id_for_user(me.id).await? == Some(leader);
    // Someone else's evidence answers as if it did not exist: ids reveal nothing.
    if !allows(Some(&me), Action::ViewEvidence { own }) {
        return Err(AppError::not_found());
    }
    let disposition = crate::ui::export::attachment(&name);
    Ok((
        [
            (header::CONTENT_TYPE, ctype),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
