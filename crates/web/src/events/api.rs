//! `/api/v1/events`: list, read, create; an event's agenda for one audience; add an item.

use super::form::create_for;
use super::pages::{chosen, organised, AudienceParam};
use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ErrorBody, ValidJson, ValidPath, ValidQuery};
use crate::policy::can::{CoordinateSomeNetwork, OrganiseSomeEvent};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use headway_domain::events::agenda::{self, ItemKind};
use headway_domain::input::InputError;
use headway_store::events::{
    AgendaRow, EventDetail, EventQuery, EventSummary, Events, NewEvent, NewItem,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An event in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    pub id: i32,
    /// `gathering`, `counselling`, `training`, `observation_lesson` or `conference`.
    pub kind: String,
    pub cancelled: bool,
    pub title: String,
    pub network_id: Option<i32>,
    pub network: Option<String>,
    pub venue_name: String,
    /// IANA time zone the times are in (`Europe/Oslo`).
    pub time_zone: String,
    /// Wall-clock `YYYY-MM-DDTHH:MM` in `time_zone`.
    pub starts_at: String,
    pub ends_at: String,
    /// The same instants in UTC (RFC 3339).
    pub starts_utc: String,
    pub ends_utc: String,
}

impl From<EventSummary> for EventDto {
    fn from(s: EventSummary) -> Self {
        Self {
            id: s.id,
            kind: s.kind.code().into(),
            cancelled: s.cancelled,
            title: s.title,
            network_id: s.network.as_ref().map(|n| n.0),
            network: s.network.map(|n| n.1),
            venue_name: s.venue_name,
            time_zone: s.time_zone,
            starts_at: s.starts_local,
            ends_at: s.ends_local,
            starts_utc: s.starts_utc,
            ends_utc: s.ends_utc,
        }
    }
}

/// An audience with the hours it attends (from its first item to its last).
#[derive(Debug, Serialize, ToSchema)]
pub struct AudienceDto {
    pub key: String,
    pub name: String,
    /// Wall-clock `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub ends_at: String,
}

/// An agenda item.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemDto {
    pub id: i32,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`; none when the programme gives none (it follows the item before).
    pub starts_at: Option<String>,
    pub title: String,
    pub description: String,
    pub speakers: String,
    /// `talk`, `discussion`, `break` or `meal`.
    pub kind: String,
    /// Audience keys; empty: everyone.
    pub audiences: Vec<String>,
}

impl From<&AgendaRow> for AgendaItemDto {
    fn from(r: &AgendaRow) -> Self {
        Self {
            id: r.id,
            day: r.item.day.clone(),
            starts_at: r.item.starts_at.clone(),
            title: r.item.title.clone(),
            description: r.item.description.clone(),
            speakers: r.item.speakers.clone(),
            kind: r.item.kind.code().into(),
            audiences: r.item.audiences.clone(),
        }
    }
}

/// An event with its audiences and programme.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDetailDto {
    #[serde(flatten)]
    pub event: EventDto,
    pub description: String,
    /// The organiser's language: `en`, `nl`, `nb` or `sl`.
    pub language: String,
    pub host_id: Option<i32>,
    pub venue_address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub online_url: Option<String>,
    /// The accredited offer it counts for in the register.
    pub offer_id: Option<i32>,
    pub audiences: Vec<AudienceDto>,
    pub agenda: Vec<AgendaItemDto>,
    /// Raised on every change (the calendar `SEQUENCE`).
    pub sequence: i32,
    /// Places; none: no limit.
    pub capacity: Option<u32>,
    /// When registration closes (UTC, RFC 3339): the deadline, else the start.
    pub registration_closes_utc: String,
    /// Registrations wait for the organiser's approval (`pending` until decided).
    pub needs_approval: bool,
}

const LOCAL: &str = "%Y-%m-%dT%H:%M";

fn detail(e: EventDetail) -> AppResult<EventDetailDto> {
    let (schedule, items) = (e.schedule()?, e.items()?);
    let audiences = e
        .audience_keys()?
        .into_iter()
        .zip(&e.audiences)
        .map(|(k, a)| {
            let (from, to) = agenda::window(&items, &schedule, &k);
            AudienceDto {
                key: a.key.clone(),
                name: a.name.clone(),
                starts_at: from.format(LOCAL).to_string(),
                ends_at: to.format(LOCAL).to_string(),
            }
        })
        .collect();
    Ok(EventDetailDto {
        agenda: e.agenda.iter().map(Into::into).collect(),
        event: e.summary.into(),
        description: e.description,
        language: e.language,
        host_id: e.host.map(|h| h.0),
        venue_address: e.venue_address,
        lat: e.lat,
        lon: e.lon,
        online_url: e.online_url,
        offer_id: e.offer.map(|o| o.0),
        audiences,
        sequence: e.sequence,
        capacity: e.capacity,
        registration_closes_utc: e.registration_closes_utc,
        needs_approval: e.needs_approval,
    })
}

/// Which events to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventListParams {
    /// Only this network's events.
    pub network_id: Option<i32>,
    /// `upcoming` (not yet ended), `past` (already started) or `all` (the default).
    #[param(pattern = "^(upcoming|past|all)?$")]
    pub when: Option<String>,
}

/// Events by start.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    params(EventListParams),
    responses(
        (status = 200, description = "Events", body = Vec<EventDto>),
        (status = 400, description = "A filter does not parse", body = ErrorBody),
    )
)]
pub async fn list_events(
    State(state): State<AppState>,
    ValidQuery(p): ValidQuery<EventListParams>,
) -> AppResult<Json<Vec<EventDto>>> {
    let now = headway_store::now();
    let mut q = EventQuery {
        network_id: p.network_id,
        ..Default::default()
    };
    match p.when.as_deref().map(str::trim).unwrap_or("") {
        "upcoming" => q.ending_after = Some(now),
        "past" => q.starting_before = Some(now),
        "all" | "" => {}
        other => {
            return Err(AppError::bad_request(format!(
                "when: `{}` is not one of upcoming, past, all",
                other.chars().take(20).collect::<String>()
            )))
        }
    }
    let rows = state.store.events(&q).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One event: where and when (wall-clock times in its zone, and in UTC), its audiences
/// with the hours each attends, and its programme.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}",
    tag = "events",
    params(("id" = i32, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event", body = EventDetailDto),
        (status = 400, description = "The id does not parse", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
    )
)]
pub async fn get_event(
    State(state): State<AppState>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<EventDetailDto>> {
    Ok(Json(detail(state.store.event(id).await?)?))
}

/// One audience's agenda, or everyone's.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaDto {
    /// The audience's key; none for the whole programme.
    pub audience: Option<String>,
    /// Wall-clock `YYYY-MM-DDTHH:MM`: when this audience's day starts and ends.
    pub starts_at: String,
    pub ends_at: String,
    pub items: Vec<AgendaItemDto>,
}

/// The agenda of one audience (a principal's day at the ØST gathering starts at 11:30),
/// or the whole programme without `audience`.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}/agenda",
    tag = "events",
    params(("id" = i32, Path, description = "Event id"), AudienceParam),
    responses(
        (status = 200, description = "The agenda", body = AgendaDto),
        (status = 400, description = "The id does not parse", body = ErrorBody),
        (status = 404, description = "No such event, or the event has no such audience (the message names its audiences)", body = ErrorBody),
    )
)]
pub async fn get_agenda(
    State(state): State<AppState>,
    ValidPath(id): ValidPath<i32>,
    ValidQuery(q): ValidQuery<AudienceParam>,
) -> AppResult<Json<AgendaDto>> {
    let e = state.store.event(id).await?;
    // An audience the event does not have is a resource that does not exist.
    let audience = chosen(&e, q.audience.as_deref()).map_err(|err| AppError {
        status: StatusCode::NOT_FOUND,
        code: "not_found",
        ..err
    })?;
    let (schedule, items) = (e.schedule()?, e.items()?);
    let (from, to) = match &audience {
        Some((k, _)) => agenda::window(&items, &schedule, k),
        None => (schedule.starts, schedule.ends),
    };
    Ok(Json(AgendaDto {
        audience: audience.as_ref().map(|a| a.0.as_str().to_owned()),
        starts_at: from.format(LOCAL).to_string(),
        ends_at: to.format(LOCAL).to_string(),
        items: e
            .agenda
            .iter()
            .zip(&items)
            .filter(|(_, it)| audience.as_ref().is_none_or(|(k, _)| it.is_for(k)))
            .map(|(r, _)| r.into())
            .collect(),
    }))
}

/// An event to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventRequest {
    /// `gathering`, `counselling`, `training`, `observation_lesson` or `conference`.
    #[schema(pattern = "^(gathering|counselling|training|observation_lesson|conference)$")]
    pub kind: String,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub description: String,
    /// `en`, `nl`, `nb` or `sl`.
    #[schema(pattern = "^(en|nl|nb|sl)$")]
    pub language: String,
    /// The network it belongs to; required unless the caller is the agency's coordinator.
    #[serde(default, deserialize_with = "crate::http::whole::whole")]
    pub network_id: Option<i32>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub venue_name: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub venue_address: String,
    /// An `https://` link for an online event.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub online_url: String,
    /// `Europe/Amsterdam`, `Europe/Ljubljana` or `Europe/Oslo`.
    #[schema(pattern = "^Europe/(Amsterdam|Ljubljana|Oslo)$")]
    pub time_zone: String,
    /// Wall-clock `YYYY-MM-DDTHH:MM` in `time_zone`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$")]
    pub starts_at: String,
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$")]
    pub ends_at: String,
    /// The audiences' names, 1 to 6 (keys are made from them).
    #[schema(min_items = 1, max_items = 6)]
    pub audiences: Vec<String>,
    /// Places, 1 to 100,000; leave out for no limit.
    #[schema(minimum = 1, maximum = 100000)]
    #[serde(default, deserialize_with = "crate::http::whole::whole")]
    pub capacity: Option<u32>,
    /// When registration closes, wall-clock `YYYY-MM-DDTHH:MM` in `time_zone`, at the
    /// latest the end; leave out to close at the start.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$")]
    pub registration_closes: Option<String>,
    /// The host institution from the directory.
    #[serde(default, deserialize_with = "crate::http::whole::whole")]
    pub host_id: Option<i32>,
    /// Each registration waits for the organiser's approval (default: no).
    #[serde(default)]
    pub needs_approval: bool,
}

impl EventRequest {
    /// Read as the page's form is, so both refuse the same values with the same names.
    fn to_event(&self, organiser: i32) -> Result<NewEvent, InputError> {
        let text = |v: Option<String>| v.unwrap_or_default();
        super::form::EventForm {
            kind: self.kind.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            network_id: text(self.network_id.map(|n| n.to_string())),
            venue_name: self.venue_name.clone(),
            venue_address: self.venue_address.clone(),
            online_url: self.online_url.clone(),
            time_zone: self.time_zone.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            audiences: self.audiences.join("\n"),
            capacity: text(self.capacity.map(|c| c.to_string())),
            registration_closes: text(self.registration_closes.clone()),
            host_id: text(self.host_id.map(|h| h.to_string())),
            needs_approval: if self.needs_approval { "1" } else { "" }.into(),
        }
        .to_event(organiser)
    }
}

/// What was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedDto {
    pub id: i32,
}

/// Creates an event; the caller becomes its organiser. Nothing is kept when any value is
/// refused.
#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "events",
    request_body = EventRequest,
    responses(
        (status = 201, description = "Created", body = CreatedDto),
        (status = 400, description = "A value does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator of that network", body = ErrorBody),
        (status = 409, description = "The values do not fit together (an end before the start, a time that does not exist in the zone, an unknown network); the message names the field", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The body does not fit the schema", body = ErrorBody),
    )
)]
pub async fn create_event(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<CoordinateSomeNetwork>,
    ValidJson(body): ValidJson<EventRequest>,
) -> AppResult<Response> {
    let e = body
        .to_event(me.id)
        .map_err(|e| AppError::from(e).into_conflict())?;
    let id = create_for(&state, &me, e)
        .await
        .map_err(AppError::into_conflict)?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })).into_response())
}

/// An agenda item to add at the end of the programme.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemRequest {
    /// `YYYY-MM-DD`, one of the event's days.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub day: String,
    /// `HH:MM`; leave out for an item that follows the one before.
    #[schema(pattern = "^[0-9]{2}:[0-9]{2}$")]
    pub starts_at: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub description: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub speakers: String,
    /// `talk`, `discussion`, `break` or `meal`.
    #[schema(pattern = "^(talk|discussion|break|meal)$")]
    pub kind: String,
    /// Keys of the event's audiences; empty: everyone.
    #[serde(default)]
    pub audiences: Vec<String>,
}

/// Adds an item at the end of an event's programme; refused (nothing kept) when it lies
/// outside the event, before the item before it, or names an audience the event lacks.
#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/agenda",
    tag = "events",
    params(("id" = i32, Path, description = "Event id")),
    request_body = ItemRequest,
    responses(
        (status = 201, description = "Added", body = CreatedDto),
        (status = 400, description = "A value does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an organiser of this event", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
        (status = 409, description = "The item does not fit the event; the message names the field", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The body does not fit the schema", body = ErrorBody),
    )
)]
pub async fn add_item(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidJson(body): ValidJson<ItemRequest>,
) -> AppResult<Response> {
    organised(&state, &me, id).await?;
    let conflict = |e: InputError| AppError::from(e).into_conflict();
    let item = NewItem {
        day: headway_domain::input::date("day", &body.day).map_err(conflict)?,
        starts_at: body.starts_at.unwrap_or_default(),
        title: body.title,
        description: body.description,
        speakers: body.speakers,
        kind: ItemKind::parse(&body.kind).map_err(conflict)?,
        audiences: body.audiences,
    };
    let item = state
        .store
        .add_agenda_item(&me.username, id, item)
        .await
        .map_err(|e| AppError::from(e).into_conflict())?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: item })).into_response())
}

/// Registering oneself.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// The audience's key; may be left out when the event has one audience.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_-]{0,40}$")]
    pub audience: String,
}

/// A registration: confirmed, waiting at a position, or pending the organiser's approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationDto {
    pub id: i32,
    pub audience: String,
    /// `confirmed`, `waitlisted`, or `pending` (at an event that asks for approval).
    pub status: String,
    /// From 1, when waiting.
    pub waitlist_position: Option<u32>,
}

/// Registers the signed-in person: confirmed while the event and the audience have room,
/// else on the waitlist (the answer says the position); at an event that asks for approval,
/// pending until the organiser decides.
#[utoipa::path(
    post,
    path = "/api/v1/events/{id}/registrations",
    tag = "events",
    params(("id" = i32, Path, description = "Event id")),
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered or waitlisted", body = RegistrationDto),
        (status = 400, description = "A value does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Signed in by cookie without the session's CSRF token", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
        (status = 409, description = "Refused now: already registered (or declined by the organiser), registration closed, an audience the event lacks, an account not linked to a person", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The body does not fit the schema", body = ErrorBody),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    crate::http::authorize::SignedIn(me): crate::http::authorize::SignedIn,
    ValidPath(id): ValidPath<i32>,
    ValidJson(body): ValidJson<RegisterRequest>,
) -> AppResult<Response> {
    use headway_store::events::Registrations;
    let e = state.store.event(id).await?;
    let person = super::participation::person_of(&me).map_err(AppError::into_conflict)?;
    let audience = if body.audience.trim().is_empty() && e.audiences.len() == 1 {
        e.audiences[0].key.clone()
    } else {
        body.audience.trim().to_owned()
    };
    let r = state
        .store
        .register(&me.username, id, person, &audience)
        .await
        .map_err(|e| AppError::from(e).into_conflict())?;
    Ok((
        StatusCode::CREATED,
        Json(RegistrationDto {
            id: r.id,
            audience: r.audience,
            status: r.status.code().into(),
            waitlist_position: r.waitlist_position,
        }),
    )
        .into_response())
}

/// Cancels the signed-in person's registration: a confirmed place frees for the first on
/// the waitlist, who is told once.
#[utoipa::path(
    delete,
    path = "/api/v1/events/{id}/registrations/me",
    tag = "events",
    params(("id" = i32, Path, description = "Event id")),
    responses(
        (status = 204, description = "Cancelled"),
        (status = 400, description = "A value does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Signed in by cookie without the session's CSRF token", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
        (status = 409, description = "Refused now: not registered, or an account not linked to a person", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    crate::http::authorize::SignedIn(me): crate::http::authorize::SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    use headway_store::events::Registrations;
    let person = super::participation::person_of(&me).map_err(AppError::into_conflict)?;
    state
        .store
        .cancel_registration(
            &me.username,
            id,
            person,
            &super::participation::letters(&state),
        )
        .await
        .map_err(|e| AppError::from(e).into_conflict())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
