//! Taking part, in the web: a signed-in person registers as one of the event's audiences
//! (confirmed while there is room, else on the waitlist) and cancels; the organiser sees the
//! participants (printable, CSV and XLSX), sets the places, marks attendance and cancels for
//! someone. A freed place goes to the first on the waitlist, who is told by mail.

use super::pages::{organised, MAX_AUDIENCES};
use crate::http::authorize::{Authorized, SignedIn};
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::can::OrganiseSomeEvent;
use crate::ui::export::{Cell, Sheet, Table};
use crate::ui::mail::FluentLetters;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect, Response};
use headway_domain::events::participation::{parse_capacity, RegStatus};
use headway_domain::input::{InputError, Problem};
use headway_store::accounts::Account;
use headway_store::events::{EventDetail, Events, RegistrationRow, Registrations};
use serde::Deserialize;

/// The person `me` takes part as; an account without one cannot register.
pub(crate) fn person_of(me: &Account) -> AppResult<i32> {
    me.person_id.ok_or_else(|| {
        AppError::bad_request("this account is not linked to a person, so it cannot take part")
    })
}

/// Letters in the installation's language, for those who never signed in.
pub(crate) fn letters(state: &AppState) -> FluentLetters {
    // The server's loaded translations, not a fresh load per request.
    FluentLetters {
        i18n: state.i18n.clone(),
        default: state.config.language,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    pub audience: String,
}

/// The audience chosen, or the event's only one.
fn audience_of(e: &EventDetail, given: &str) -> String {
    let t = given.trim();
    if t.is_empty() && e.audiences.len() == 1 {
        e.audiences[0].key.clone()
    } else {
        t.to_owned()
    }
}

pub async fn register(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<RegisterForm>,
) -> AppResult<Redirect> {
    let person = person_of(&me)?;
    let e = state.store.event(id).await?;
    let audience = audience_of(&e, &f.audience);
    state
        .store
        .register(&me.username, id, person, &audience)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}#taking-part")))
}

pub async fn cancel(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Redirect> {
    let person = person_of(&me)?;
    state
        .store
        .cancel_registration(&me.username, id, person, &letters(&state))
        .await?;
    Ok(Redirect::to(&format!("/events/{id}#taking-part")))
}

/// The words every row of the participant list repeats, looked up once per page (a list
/// of 5,000 would otherwise format them 30,000 times).
struct RowWords {
    present: String,
    absent: String,
    mark_present: String,
    mark_absent: String,
    cancel_for: String,
    approve: String,
    decline: String,
    statuses: Vec<(RegStatus, String)>,
    audiences: Vec<(String, String)>,
}

impl RowWords {
    fn new(ctx: &Ctx, e: &EventDetail) -> Self {
        Self {
            present: ctx.t("ev-present"),
            absent: ctx.t("ev-absent"),
            mark_present: ctx.t("ev-mark-present"),
            mark_absent: ctx.t("ev-mark-absent"),
            cancel_for: ctx.t("ev-cancel-for"),
            approve: ctx.t("ev-approve"),
            decline: ctx.t("ev-decline"),
            statuses: RegStatus::ALL.iter().map(|s| (*s, ctx.label(s))).collect(),
            audiences: e
                .audiences
                .iter()
                .map(|a| (a.key.clone(), a.name.clone()))
                .collect(),
        }
    }

    fn status(&self, s: &RegStatus) -> &str {
        self.statuses
            .iter()
            .find(|(k, _)| k == s)
            .map_or("", |(_, w)| w.as_str())
    }

    fn audience<'a>(&'a self, key: &'a str) -> &'a str {
        self.audiences
            .iter()
            .find(|(k, _)| k == key)
            .map_or(key, |(_, n)| n.as_str())
    }
}

#[derive(Template)]
#[template(path = "events/participants.html")]
struct ParticipantsPage {
    ctx: Ctx,
    w: RowWords,
    e: EventDetail,
    rows: Vec<RegistrationRow>,
    confirmed: usize,
    waiting: usize,
    pending: usize,
    present: usize,
    absent: usize,
    error: Option<String>,
}

impl ParticipantsPage {
    fn capacity_of(&self, i: &usize) -> String {
        self.e.audiences[*i]
            .capacity
            .map(|c| c.to_string())
            .unwrap_or_default()
    }
}

async fn participants_page(
    state: &AppState,
    ctx: Ctx,
    e: EventDetail,
    error: Option<String>,
) -> AppResult<Html<String>> {
    let rows = state.store.registrations(e.summary.id).await?;
    let count = |s| rows.iter().filter(|r| r.status == s).count();
    let (confirmed, waiting) = (count(RegStatus::Confirmed), count(RegStatus::Waitlisted));
    let pending = count(RegStatus::Pending);
    let present = rows.iter().filter(|r| r.attended == Some(true)).count();
    let absent = rows.iter().filter(|r| r.attended == Some(false)).count();
    render(&ParticipantsPage {
        w: RowWords::new(&ctx, &e),
        ctx,
        e,
        rows,
        confirmed,
        waiting,
        pending,
        present,
        absent,
        error,
    })
}

pub async fn participants(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let e = organised(&state, &me, id).await?;
    participants_page(&state, ctx, e, None).await
}

/// The participant list as a spreadsheet.
pub async fn export<S: Sheet>(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    organised(&state, &me, id).await?;
    let mut t = Table::new(vec![
        "arrival",
        "name",
        "audience",
        "status",
        "waitlist_position",
        "registered_at",
        "attended",
    ]);
    for r in state.store.registrations(id).await? {
        t.push(vec![
            Cell::Number(r.arrival as f64),
            r.name.as_str().into(),
            r.audience.as_str().into(),
            r.status.code().into(),
            r.waitlist_position
                .map(|p| Cell::Number(f64::from(p)))
                .unwrap_or_else(|| "".into()),
            r.registered_at.as_str().into(),
            match r.attended {
                Some(true) => "present",
                Some(false) => "absent",
                None => "",
            }
            .into(),
        ]);
    }
    S::respond(&t, &format!("event-{id}-participants"))
}

#[derive(Debug, Default, Deserialize)]
pub struct AttendanceForm {
    #[serde(default)]
    pub person_id: String,
    /// `1` present, `0` absent.
    #[serde(default)]
    pub attended: String,
}

fn person_field(s: &str) -> Result<i32, InputError> {
    headway_domain::input::record_id("person_id", s)?
        .ok_or_else(|| InputError::new("person_id", Problem::Required))
}

pub async fn attendance(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<AttendanceForm>,
) -> AppResult<Redirect> {
    organised(&state, &me, id).await?;
    let person = person_field(&f.person_id)?;
    let attended = headway_domain::input::flag("attended", &f.attended)?;
    state
        .store
        .mark_attendance(&me.username, id, person, attended)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}/participants")))
}

#[derive(Debug, Default, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    pub person_id: String,
}

/// The organiser cancels someone's registration (a freed place is passed on).
pub async fn cancel_for(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<CancelForm>,
) -> AppResult<Redirect> {
    organised(&state, &me, id).await?;
    let person = person_field(&f.person_id)?;
    state
        .store
        .cancel_registration(&me.username, id, person, &letters(&state))
        .await?;
    Ok(Redirect::to(&format!("/events/{id}/participants")))
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub person_id: String,
    /// `1` approve, `0` decline.
    #[serde(default)]
    pub approve: String,
}

/// The organiser approves or declines a registration awaiting approval; the person is told.
pub async fn decide(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<DecisionForm>,
) -> AppResult<Redirect> {
    organised(&state, &me, id).await?;
    let person = person_field(&f.person_id)?;
    let approve = headway_domain::input::flag("approve", &f.approve)?;
    state
        .store
        .decide_registration(&me.username, id, person, approve, &letters(&state))
        .await?;
    Ok(Redirect::to(&format!("/events/{id}/participants")))
}

#[derive(Debug, Default, Deserialize)]
pub struct CapacityForm {
    #[serde(default)]
    pub capacity: String,
    /// Per audience, by position (`cap_1` … `cap_6`); empty: only the event's limit.
    pub cap_1: Option<String>,
    pub cap_2: Option<String>,
    pub cap_3: Option<String>,
    pub cap_4: Option<String>,
    pub cap_5: Option<String>,
    pub cap_6: Option<String>,
}

pub async fn capacity(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<CapacityForm>,
) -> AppResult<Response> {
    use axum::response::IntoResponse;
    let e = organised(&state, &me, id).await?;
    let per = [&f.cap_1, &f.cap_2, &f.cap_3, &f.cap_4, &f.cap_5, &f.cap_6];
    let parsed = (|| -> Result<_, InputError> {
        let event = parse_capacity("capacity", &f.capacity)?;
        let mut audiences = Vec::new();
        for (i, a) in e.audiences.iter().enumerate().take(MAX_AUDIENCES) {
            let v = per[i].as_deref().unwrap_or("");
            audiences.push((a.key.clone(), parse_capacity("audience_capacity", v)?));
        }
        Ok((event, audiences))
    })();
    let result = match parsed {
        Ok((event, audiences)) => state
            .store
            .set_capacity(&me.username, id, event, &audiences, &letters(&state))
            .await
            .map_err(AppError::from),
        Err(err) => Err(err.into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/events/{id}/participants")).into_response()),
        Err(err) if err.code == "bad_request" => {
            let error = Some(ctx.error_text(&err));
            let mut res = participants_page(&state, ctx, e, error)
                .await?
                .into_response();
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            Ok(res)
        }
        Err(err) => Err(err),
    }
}

/// Calls the event off (its calendars say so; no one can register any more).
pub async fn call_off(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Redirect> {
    organised(&state, &me, id).await?;
    state.store.cancel_event(&me.username, id).await?;
    Ok(Redirect::to(&format!("/events/{id}")))
}
