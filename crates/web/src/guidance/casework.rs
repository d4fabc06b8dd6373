//! The work of a case between its phases on the web: meetings, referrals to competence
//! environments, goals and their measures — recorded by the case's advisor or the owner's
//! contact.

use super::cases::{party_of, visible_case};
use crate::http::authorize::SignedIn;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::AppState;
use axum::extract::State;
use axum::response::Redirect;
use chrono::NaiveDate;
use headway_domain::guidance::cases::MeasureStatus;
use headway_domain::input::{InputError, Problem, Reason, Title};
use headway_domain::register::parse_date;
use headway_store::accounts::Account;
use headway_store::guidance::{CaseWork, NewMeeting};
use serde::Deserialize;

/// Only the case's advisor or the owner's contact; others who may see the case are
/// forbidden, anyone else told it does not exist.
async fn may_work(state: &AppState, me: &Account, id: i32) -> AppResult<()> {
    visible_case(state, me, id).await?;
    party_of(me, id).map(|_| ()).ok_or_else(AppError::forbidden)
}

fn date(field: &'static str, s: &str) -> Result<NaiveDate, InputError> {
    parse_date(s).ok_or_else(|| {
        InputError::new(
            field,
            Problem::NotADate {
                value: s.chars().take(20).collect(),
            },
        )
    })
}

fn back(id: i32, anchor: &str) -> Redirect {
    Redirect::to(&format!("/guidance/cases/{id}#{anchor}"))
}

#[derive(Debug, Deserialize)]
pub struct MeetingForm {
    pub held_on: String,
    pub participants: String,
    pub minutes: String,
}

pub async fn meeting(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    form: Result<ValidForm<MeetingForm>, AppError>,
) -> AppResult<Redirect> {
    may_work(&state, &me, id).await?;
    let ValidForm(f) = form?;
    let m = NewMeeting {
        held_on: date("held_on", &f.held_on)?,
        participants: Reason::parse("participants", &f.participants)?,
        minutes: Reason::parse("minutes", &f.minutes)?,
    };
    state.store.add_meeting(&me.username, id, m).await?;
    Ok(back(id, "meetings"))
}

#[derive(Debug, Deserialize)]
pub struct ReferralForm {
    pub organization: i32,
    pub topic: String,
    pub referred_on: String,
}

pub async fn referral(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    form: Result<ValidForm<ReferralForm>, AppError>,
) -> AppResult<Redirect> {
    may_work(&state, &me, id).await?;
    let ValidForm(f) = form?;
    let topic = Title::parse("topic", &f.topic)?;
    let on = date("referred_on", &f.referred_on)?;
    state
        .store
        .add_referral(&me.username, id, f.organization, topic, on)
        .await?;
    Ok(back(id, "referrals"))
}

#[derive(Debug, Deserialize)]
pub struct GoalForm {
    pub title: String,
}

pub async fn goal(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    form: Result<ValidForm<GoalForm>, AppError>,
) -> AppResult<Redirect> {
    may_work(&state, &me, id).await?;
    let ValidForm(f) = form?;
    state
        .store
        .add_goal(&me.username, id, Title::parse("title", &f.title)?)
        .await?;
    Ok(back(id, "goals"))
}

#[derive(Debug, Deserialize)]
pub struct MeasureForm {
    pub goal: i32,
    pub what: String,
    pub responsible: String,
    pub deadline: String,
}

pub async fn measure(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    form: Result<ValidForm<MeasureForm>, AppError>,
) -> AppResult<Redirect> {
    may_work(&state, &me, id).await?;
    let ValidForm(f) = form?;
    let what = Title::parse("what", &f.what)?;
    let responsible = Title::parse("responsible", &f.responsible)?;
    let deadline = date("deadline", &f.deadline)?;
    state
        .store
        .add_measure(&me.username, id, f.goal, what, responsible, deadline)
        .await?;
    Ok(back(id, "goals"))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    pub status: String,
}

pub async fn measure_status(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath((id, measure)): ValidPath<(i32, i32)>,
    form: Result<ValidForm<StatusForm>, AppError>,
) -> AppResult<Redirect> {
    may_work(&state, &me, id).await?;
    let ValidForm(f) = form?;
    let status = MeasureStatus::parse(&f.status)?;
    state
        .store
        .set_measure_status(&me.username, id, measure, status)
        .await?;
    Ok(back(id, "goals"))
}
