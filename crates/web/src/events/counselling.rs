//! Individual counselling in the web (the second part of a group-counselling session): the
//! session's slots, booked by its confirmed participants one each; the counsellor offers
//! slots and writes notes. Each booking is shown by name only to its participant and its
//! counsellor, each note only to the counsellor (and the participant when shared) — the
//! policy decides every slot — and the store audits every read of a note. The organiser
//! appoints counsellors but sees bookings only as taken or free.

use super::pages::{organised, organises};
use super::participation::person_of;
use crate::http::authorize::{Authorized, SignedIn};
use crate::http::error::{AppError, AppResult, ErrorBody, ValidForm, ValidPath};
use crate::policy::can::{CounselSomeSession, OrganiseSomeEvent};
use crate::policy::{allows, Action};
use crate::ui::{dates, render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use chrono::NaiveDateTime;
use headway_domain::events::counselling::SlotSeries;
use headway_domain::input::{InputError, Problem};
use headway_domain::memberships::{ContextRole, Membership, Memberships};
use headway_store::accounts::Account;
use headway_store::events::counselling::{Counselling, Note, SlotRow};
use headway_store::events::{EventDetail, Events, Registrations};
use headway_store::memberships::ContextRoles;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the reader may know of a slot, decided by the policy.
pub struct Seen {
    pub slot: SlotRow,
    /// The participant's name: for the counsellor only (the participant knows it is theirs).
    pub participant: Option<String>,
    pub mine: bool,
    pub counselling: bool,
    /// The note, read (and audited) only when the policy allows this reader.
    pub note: Option<Note>,
}

/// Each slot as `me` may see it; notes are read here, each read audited.
pub async fn seen(state: &AppState, me: &Account, slots: Vec<SlotRow>) -> AppResult<Vec<Seen>> {
    let mut out = Vec::with_capacity(slots.len());
    for slot in slots {
        let counsellor = slot.counsellor_id == me.id;
        let own = matches!((slot.booked_by.as_ref(), me.person_id), (Some((p, _)), Some(mine)) if *p == mine);
        let sees_booking = allows(Some(me), Action::SeeBooking { counsellor, own });
        let participant = match &slot.booked_by {
            Some((_, name)) if sees_booking && counsellor => Some(name.clone()),
            _ => None,
        };
        let may_read = slot.note.is_some_and(|shared| {
            allows(
                Some(me),
                Action::ReadCounsellingNote {
                    counsellor,
                    shared_with_me: own && shared,
                },
            )
        });
        let note = if may_read {
            state.store.read_note(&me.username, slot.id).await?
        } else {
            None
        };
        out.push(Seen {
            slot,
            participant,
            mine: own && sees_booking,
            counselling: counsellor,
            note,
        });
    }
    Ok(out)
}

fn slot_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").ok()
}

#[derive(Debug, Default, Deserialize)]
pub struct SlotsForm {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub first: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub count: String,
}

#[derive(Template)]
#[template(path = "events/counselling.html")]
struct CounsellingPage {
    ctx: Ctx,
    e: EventDetail,
    slots: Vec<Seen>,
    counsellors: Vec<(i32, String)>,
    /// The reader counsels at this session.
    counsels: bool,
    organises: bool,
    /// The reader is a confirmed participant without a booking yet.
    may_book: bool,
    form: SlotsForm,
    error: Option<String>,
}

impl CounsellingPage {
    fn when(&self, s: &SlotRow) -> String {
        match (slot_time(&s.starts_at), slot_time(&s.ends_at)) {
            (Some(a), Some(b)) => format!(
                "{}, {}–{}",
                dates::date(&self.ctx.tr, a.date()),
                a.format("%H:%M"),
                b.format("%H:%M")
            ),
            _ => s.starts_at.clone(),
        }
    }
}

async fn page_for(
    state: &AppState,
    ctx: Ctx,
    me: &Account,
    id: i32,
    form: SlotsForm,
    error: Option<String>,
) -> AppResult<CounsellingPage> {
    let e = state.store.event(id).await?;
    let slots = seen(state, me, state.store.slots(id).await?).await?;
    let counsels = allows(
        Some(me),
        Action::Counsel {
            counsellor: me.holds(ContextRole::EventCounsellor, id),
        },
    );
    let organises = organises(state, me, &e).await?;
    let confirmed = match me.person_id {
        Some(p) => state.store.registration(id, p).await?.is_some_and(|r| {
            r.status == headway_domain::events::participation::RegStatus::Confirmed
        }),
        None => false,
    };
    let may_book = confirmed && !slots.iter().any(|s| s.mine);
    let counsellors = state.store.counsellors(id).await?;
    let mut form = form;
    if form.day.is_empty() {
        form.day = e.summary.starts_local.chars().take(10).collect();
        form.minutes = "30".into();
        form.count = "4".into();
    }
    Ok(CounsellingPage {
        ctx,
        e,
        slots,
        counsellors,
        counsels,
        organises,
        may_book,
        form,
        error,
    })
}

/// `GET /events/{id}/counselling`.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    render(&page_for(&state, ctx, &me, id, SlotsForm::default(), None).await?)
}

/// The counsellor offers a series of slots; a refused series is shown on the page with
/// its field named, and no slot of it is made.
pub async fn offer(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<CounselSomeSession>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<SlotsForm>,
) -> AppResult<Response> {
    let counsellor = me.holds(ContextRole::EventCounsellor, id);
    if !allows(Some(&me), Action::Counsel { counsellor }) {
        return Err(AppError::forbidden());
    }
    let done = match SlotSeries::parse(&f.day, &f.first, &f.minutes, &f.count) {
        Ok(series) => state
            .store
            .offer_slots(&me.username, id, me.id, series)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::from(e)),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/events/{id}/counselling")).into_response()),
        Err(e) if e.status == StatusCode::BAD_REQUEST || e.status == StatusCode::CONFLICT => {
            let text = ctx.error_text(&e);
            let page = page_for(&state, ctx, &me, id, f, Some(text)).await?;
            Ok((e.status, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// A confirmed participant books a free slot (one per session).
pub async fn book(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath((id, slot)): ValidPath<(i32, i32)>,
) -> AppResult<Redirect> {
    let person = person_of(&me)?;
    state
        .store
        .book_slot(&me.username, id, slot, person)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}/counselling")))
}

/// The participant who booked a slot, or its counsellor, frees it.
pub async fn release(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath((id, slot)): ValidPath<(i32, i32)>,
) -> AppResult<Redirect> {
    let s = slot_of(&state, id, slot).await?;
    let own =
        matches!((s.booked_by.as_ref(), me.person_id), (Some((p, _)), Some(mine)) if *p == mine);
    let counsellor = s.counsellor_id == me.id;
    // Someone else's booking is not there for this reader: 404, as for another's evidence.
    if !allows(Some(&me), Action::SeeBooking { counsellor, own }) {
        return Err(AppError::not_found());
    }
    state.store.release_slot(&me.username, id, slot).await?;
    Ok(Redirect::to(&format!("/events/{id}/counselling")))
}

async fn slot_of(state: &AppState, id: i32, slot: i32) -> AppResult<SlotRow> {
    Ok(state.store.slot(id, slot).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    pub note: String,
    /// `1`: the participant may read it.
    #[serde(default)]
    pub shared: String,
}

/// The slot's counsellor writes its note, kept for the configured days after the session.
pub async fn note(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CounselSomeSession>,
    ValidPath((id, slot)): ValidPath<(i32, i32)>,
    ValidForm(f): ValidForm<NoteForm>,
) -> AppResult<Redirect> {
    let s = slot_of(&state, id, slot).await?;
    let counsellor = s.counsellor_id == me.id;
    if !allows(Some(&me), Action::Counsel { counsellor }) {
        return Err(AppError::forbidden());
    }
    let shared = if f.shared.trim().is_empty() {
        false
    } else {
        headway_domain::input::flag("shared", &f.shared)?
    };
    let ends = slot_time(&s.ends_at)
        .map(|t| t.date())
        .ok_or_else(|| AppError::internal("stored slot time"))?;
    let keep = ends + chrono::Duration::days(i64::from(state.config.counselling_note_days));
    state
        .store
        .write_note(&me.username, slot, &f.note, shared, keep)
        .await?;
    Ok(Redirect::to(&format!(
        "/events/{id}/counselling#slot-{slot}"
    )))
}

#[derive(Debug, Default, Deserialize)]
pub struct CounsellorForm {
    #[serde(default)]
    pub username: String,
}

/// The organiser appoints a counsellor by username (an `event_counsellor` membership).
pub async fn appoint(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<CounsellorForm>,
) -> AppResult<Redirect> {
    organised(&state, &me, id).await?;
    let name = f.username.trim();
    if name.is_empty() {
        return Err(InputError::new("username", Problem::Required).into());
    }
    let who = state
        .store
        .account_by_username(name)
        .await?
        .ok_or_else(|| AppError::from(InputError::new("username", Problem::NoSuchRecord)))?;
    state
        .store
        .grant_membership(
            &me.username,
            who.id,
            Membership {
                role: ContextRole::EventCounsellor,
                context_id: id,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/events/{id}/counselling")))
}

/// A slot as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotDto {
    pub id: i32,
    pub counsellor: String,
    /// Wall-clock `YYYY-MM-DD HH:MM` in the event's zone.
    pub starts_at: String,
    pub ends_at: String,
    /// `free`, `booked` (by someone else) or `yours`.
    pub status: String,
    /// Who booked it: for the slot's counsellor only.
    pub participant: Option<String>,
    /// The note: for the counsellor, and for the participant when shared (each read audited).
    pub note: Option<String>,
    pub note_shared: Option<bool>,
}

fn dto(s: Seen) -> SlotDto {
    let status = if s.mine {
        "yours"
    } else if s.slot.booked_by.is_some() {
        "booked"
    } else {
        "free"
    };
    SlotDto {
        id: s.slot.id,
        counsellor: s.slot.counsellor,
        starts_at: s.slot.starts_at,
        ends_at: s.slot.ends_at,
        status: status.into(),
        participant: s.participant,
        note_shared: s.note.as_ref().map(|n| n.shared),
        note: s.note.map(|n| n.body),
    }
}

/// The session's counselling slots as the caller may see them.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}/counselling",
    tag = "events",
    params(("id" = i32, Path, description = "Event id")),
    responses(
        (status = 200, description = "The slots in time order", body = [SlotDto]),
        (status = 400, description = "A value does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
    )
)]
pub async fn api_slots(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<Vec<SlotDto>>> {
    state.store.event(id).await?;
    let slots = seen(&state, &me, state.store.slots(id).await?).await?;
    Ok(Json(slots.into_iter().map(dto).collect()))
}

/// Books the slot for the signed-in participant.
#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/counselling/{slot}/booking",
    tag = "events",
    params(
        ("id" = i32, Path, description = "Event id"),
        ("slot" = i32, Path, description = "Slot id"),
    ),
    responses(
        (status = 201, description = "Booked", body = SlotDto),
        (status = 400, description = "A value does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Signed in by cookie without the session's CSRF token", body = ErrorBody),
        (status = 404, description = "No such event or slot", body = ErrorBody),
        (status = 409, description = "Refused now: not a confirmed participant, a slot booked already, the slot taken, an account not linked to a person", body = ErrorBody),
    )
)]
pub async fn api_book(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath((id, slot)): ValidPath<(i32, i32)>,
) -> AppResult<Response> {
    let person = person_of(&me).map_err(AppError::into_conflict)?;
    state
        .store
        .book_slot(&me.username, id, slot, person)
        .await
        .map_err(|e| AppError::from(e).into_conflict())?;
    let s = slot_of(&state, id, slot).await?;
    let seen = seen(&state, &me, vec![s]).await?;
    let dto = seen
        .into_iter()
        .next()
        .map(dto)
        .ok_or_else(AppError::not_found)?;
    Ok((StatusCode::CREATED, Json(dto)).into_response())
}
