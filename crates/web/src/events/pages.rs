//! The events' pages: the list (upcoming and past), an event's page with its programme and
//! each audience's own agenda, and the organiser's agenda forms.

use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath, ValidQuery};
use crate::networks::pages::coordinates;
use crate::policy::can::OrganiseSomeEvent;
use crate::policy::{allows, Action};
use crate::ui::{dates, render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveDateTime};
use headway_domain::events::agenda::{self, ItemKind};
use headway_domain::events::participation::RegStatus;
use headway_domain::events::AudienceKey;
use headway_domain::input::{InputError, Problem};
use headway_domain::memberships::{ContextRole, Memberships};
use headway_store::accounts::Account;
use headway_store::events::{
    EventDetail, EventQuery, EventSummary, Events, MaterialRow, Materials, NewItem,
    RegistrationRow, Registrations, Tally,
};
use headway_store::networks::Networks;
use serde::Deserialize;

/// The most audiences an event has (the agenda form offers one box each).
pub const MAX_AUDIENCES: usize = 6;

/// A wall-clock span as the reader reads it: `28 January 2020, 09:00–16:00`, or with both
/// dates when it runs over several days.
pub(crate) fn span(ctx: &Ctx, from: NaiveDateTime, to: NaiveDateTime) -> String {
    let (d1, t1) = (dates::date(&ctx.tr, from.date()), from.format("%H:%M"));
    let t2 = to.format("%H:%M");
    if from.date() == to.date() {
        format!("{d1}, {t1}–{t2}")
    } else {
        format!("{d1}, {t1} – {}, {t2}", dates::date(&ctx.tr, to.date()))
    }
}

/// `YYYY-MM-DDTHH:MM` as stored.
fn local(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()
}

/// An event in a list, as the reader reads it.
pub(crate) struct EventLine {
    pub e: EventSummary,
    pub when: String,
}

fn line(ctx: &Ctx, e: EventSummary) -> EventLine {
    let when = match (local(&e.starts_local), local(&e.ends_local)) {
        (Some(a), Some(b)) => span(ctx, a, b),
        _ => e.starts_local.clone(),
    };
    EventLine { e, when }
}

#[derive(Template)]
#[template(path = "events/list.html")]
struct ListPage {
    ctx: Ctx,
    upcoming: Vec<EventLine>,
    past: Vec<EventLine>,
    can_create: bool,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let now = headway_store::now();
    let upcoming = state
        .store
        .events(&EventQuery {
            ending_after: Some(now.clone()),
            ..Default::default()
        })
        .await?;
    let mut past = state
        .store
        .events(&EventQuery {
            starting_before: Some(now),
            ..Default::default()
        })
        .await?;
    past.retain(|p| !upcoming.iter().any(|u| u.id == p.id));
    past.reverse();
    let can_create = allows(
        ctx.user.as_ref(),
        Action::CoordinateNetwork { coordinator: true },
    );
    let upcoming = upcoming.into_iter().map(|e| line(&ctx, e)).collect();
    let past = past.into_iter().map(|e| line(&ctx, e)).collect();
    render(&ListPage {
        ctx,
        upcoming,
        past,
        can_create,
    })
}

/// Whether `me` organises `e`: an organiser of it, or a coordinator of its network (or of
/// the network that one sits in), or the agency's coordinator.
pub async fn organises(state: &AppState, me: &Account, e: &EventDetail) -> AppResult<bool> {
    let mut organiser = me.holds(ContextRole::EventOrganiser, e.summary.id);
    if !organiser {
        if let Some((n, _)) = e.summary.network {
            organiser = coordinates(me, &state.store.network(n).await?);
        }
    }
    Ok(allows(Some(me), Action::OrganiseEvent { organiser }))
}

/// The event, if `me` organises it; else 403.
pub async fn organised(state: &AppState, me: &Account, id: i32) -> AppResult<EventDetail> {
    let e = state.store.event(id).await?;
    if organises(state, me, &e).await? {
        Ok(e)
    } else {
        Err(AppError::forbidden())
    }
}

/// `?audience=` on an event's page.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AudienceParam {
    /// An audience's key: the agenda of that audience only.
    #[param(pattern = "^[a-z0-9_-]{0,40}$")]
    pub audience: Option<String>,
}

/// The audience `key` names in `e`: `None` for none given, an error naming the allowed
/// keys for one the event does not have.
pub(crate) fn chosen(
    e: &EventDetail,
    key: Option<&str>,
) -> AppResult<Option<(AudienceKey, String)>> {
    let Some(k) = key.map(str::trim).filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    match e.audiences.iter().find(|a| a.key == k) {
        Some(a) => Ok(Some((
            AudienceKey::parse("audience", &a.key)?,
            a.name.clone(),
        ))),
        None => Err(InputError::new(
            "audience",
            Problem::NotOneOf {
                value: k.chars().take(40).collect(),
                allowed: e
                    .audiences
                    .iter()
                    .map(|a| a.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        )
        .into()),
    }
}

/// An agenda item as the page shows it.
struct Row {
    id: i32,
    time: String,
    title: String,
    description: String,
    speakers: String,
    kind: ItemKind,
    /// The names of its audiences; empty: everyone.
    audiences: Vec<String>,
    /// A day heading before it, on a multi-day event.
    day: Option<String>,
}

/// The agenda form as the organiser sent it (kept when it comes back with an error).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub speakers: String,
    #[serde(default)]
    pub kind: String,
    /// One box per audience, by position (`for_1` … `for_6`); none ticked: everyone.
    pub for_1: Option<String>,
    pub for_2: Option<String>,
    pub for_3: Option<String>,
    pub for_4: Option<String>,
    pub for_5: Option<String>,
    pub for_6: Option<String>,
}

impl ItemForm {
    fn ticked(&self, i: usize) -> bool {
        [
            &self.for_1,
            &self.for_2,
            &self.for_3,
            &self.for_4,
            &self.for_5,
            &self.for_6,
        ]
        .get(i)
        .is_some_and(|v| v.is_some())
    }

    fn to_item(&self, e: &EventDetail) -> Result<NewItem, InputError> {
        let day = if self.day.trim().is_empty() {
            local(&e.summary.starts_local)
                .map(|d| d.date())
                .unwrap_or_default()
        } else {
            headway_domain::input::date("day", &self.day)?
        };
        Ok(NewItem {
            day,
            starts_at: self.starts_at.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            speakers: self.speakers.clone(),
            kind: if self.kind.trim().is_empty() {
                ItemKind::Talk
            } else {
                ItemKind::parse(&self.kind)?
            },
            audiences: e
                .audiences
                .iter()
                .enumerate()
                .filter(|(i, _)| self.ticked(*i))
                .map(|(_, a)| a.key.clone())
                .collect(),
        })
    }
}

#[derive(Template)]
#[template(path = "events/event.html")]
struct EventPage {
    ctx: Ctx,
    e: EventDetail,
    when: String,
    /// The same span in the reader's zone, when it differs from the event's.
    when_reader: Option<String>,
    /// The chosen audience: its key, name and hours.
    audience: Option<(String, String, String)>,
    rows: Vec<Row>,
    /// Each audience's hours, for the selector.
    hours: Vec<(String, String, String)>,
    organiser: bool,
    days: Vec<(String, String)>,
    form: ItemForm,
    error: Option<String>,
    /// The reader's registration, when signed in as a person who registered.
    mine: Option<RegistrationRow>,
    /// Whether the reader may register now (signed in as a person, not registered, open).
    can_register: bool,
    /// Registration is open (not past its deadline, not cancelled).
    open: bool,
    /// Confirmed, waiting and pending.
    counts: Tally,
    /// The event's materials, when the reader may see them (`None`: they may not).
    materials: Option<Vec<MaterialRow>>,
}

impl EventPage {
    fn kinds(&self) -> &'static [ItemKind] {
        ItemKind::ALL
    }
    fn is_chosen(&self, key: &str) -> bool {
        self.audience.as_ref().is_some_and(|a| a.0 == key)
    }
    fn ticked(&self, i: &usize) -> bool {
        self.form.ticked(*i)
    }
    fn audience_name(&self, key: &str) -> String {
        self.e.audience_name(key)
    }
    /// The materials of agenda item `id`.
    fn materials_of(&self, id: &i32) -> Vec<&MaterialRow> {
        self.materials
            .iter()
            .flatten()
            .filter(|m| m.agenda_item_id == Some(*id))
            .collect()
    }
    /// Whether the reader may remove material `m`.
    fn removable(&self, m: &MaterialRow) -> bool {
        let own = self
            .ctx
            .user
            .as_ref()
            .is_some_and(|u| u.username == m.uploaded_by);
        allows(
            self.ctx.user.as_ref(),
            Action::RemoveMaterial {
                organiser: self.organiser,
                own,
            },
        )
    }
    /// The item's title, for a material's line.
    fn item_title(&self, id: &Option<i32>) -> String {
        id.and_then(|i| self.e.agenda.iter().find(|r| r.id == i))
            .map(|r| r.item.title.clone())
            .unwrap_or_default()
    }
    /// Places left, when the event has a limit.
    fn left(&self) -> Option<u32> {
        self.e
            .capacity
            .map(|c| c.saturating_sub(self.counts.confirmed))
    }
}

async fn page(
    state: &AppState,
    ctx: Ctx,
    e: EventDetail,
    audience: Option<(AudienceKey, String)>,
    form: ItemForm,
    error: Option<String>,
) -> AppResult<Html<String>> {
    let schedule = e.schedule()?;
    let items = e.items()?;
    let when = span(&ctx, schedule.starts, schedule.ends);
    let when_reader = (ctx.tz != schedule.zone.tz()).then(|| {
        format!(
            "{} – {}",
            dates::instant(&ctx.tr, ctx.tz, schedule.start_utc()),
            dates::instant(&ctx.tr, ctx.tz, schedule.end_utc())
        )
    });
    let name_of = |k: &str| {
        e.audiences
            .iter()
            .find(|a| a.key == k)
            .map_or_else(|| k.to_owned(), |a| a.name.clone())
    };
    let keys = e.audience_keys()?;
    let hours = keys
        .iter()
        .map(|k| {
            let (a, b) = agenda::window(&items, &schedule, k);
            (k.as_str().to_owned(), name_of(k.as_str()), span(&ctx, a, b))
        })
        .collect();
    let multi_day = schedule.days().len() > 1;
    let mut rows = Vec::new();
    let mut last_day = None;
    for (r, it) in e.agenda.iter().zip(&items) {
        if audience.as_ref().is_some_and(|(k, _)| !it.is_for(k)) {
            continue;
        }
        let day = (multi_day && last_day != Some(it.day)).then(|| dates::date(&ctx.tr, it.day));
        last_day = Some(it.day);
        rows.push(Row {
            id: r.id,
            time: r.item.starts_at.clone().unwrap_or_default(),
            title: r.item.title.clone(),
            description: r.item.description.clone(),
            speakers: r.item.speakers.clone(),
            kind: r.item.kind,
            audiences: r.item.audiences.iter().map(|k| name_of(k)).collect(),
            day,
        });
    }
    let audience = audience.map(|(k, name)| {
        let (a, b) = agenda::window(&items, &schedule, &k);
        (k.as_str().to_owned(), name, span(&ctx, a, b))
    });
    let organiser = match &ctx.user {
        Some(me) => organises(state, me, &e).await?,
        None => false,
    };
    let days = schedule
        .days()
        .into_iter()
        .map(|d: NaiveDate| (d.to_string(), dates::date(&ctx.tr, d)))
        .collect();
    let person = ctx.user.as_ref().and_then(|u| u.person_id);
    let mine = match person {
        Some(p) => state.store.registration(e.summary.id, p).await?,
        None => None,
    };
    let open = !e.summary.cancelled && headway_store::now() < e.registration_closes_utc;
    let can_register = open
        && person.is_some()
        && mine
            .as_ref()
            .is_none_or(|r| r.status == RegStatus::Cancelled);
    let counts = state.store.registration_counts(e.summary.id).await?;
    let shares = ctx.user.as_ref().is_some_and(|me| {
        allows(
            Some(me),
            Action::ShareMaterials {
                organiser,
                participant: super::materials::takes_part(me, e.summary.id, mine.as_ref()),
            },
        )
    });
    let materials = if shares {
        Some(state.store.materials(e.summary.id).await?)
    } else {
        None
    };
    render(&EventPage {
        ctx,
        e,
        when,
        when_reader,
        audience,
        rows,
        hours,
        organiser,
        days,
        form,
        error,
        mine,
        can_register,
        open,
        counts,
        materials,
    })
}

pub async fn event(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
    ValidQuery(q): ValidQuery<AudienceParam>,
) -> AppResult<Html<String>> {
    let e = state.store.event(id).await?;
    // Without `?audience=`, a participant sees their own agenda (an empty `audience=`
    // asks for everyone's).
    let given = match q.audience {
        Some(a) => Some(a),
        None => match ctx.user.as_ref().and_then(|u| u.person_id) {
            Some(p) if e.audiences.len() > 1 => state
                .store
                .registration(id, p)
                .await?
                .filter(|r| !matches!(r.status, RegStatus::Cancelled | RegStatus::Declined))
                .map(|r| r.audience),
            _ => None,
        },
    };
    let audience = chosen(&e, given.as_deref())?;
    page(&state, ctx, e, audience, ItemForm::default(), None).await
}

/// Adds an item at the end of the programme; a refused item comes back on the page with
/// its message and the values as sent.
pub async fn add_item(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<ItemForm>,
) -> AppResult<Response> {
    let e = organised(&state, &me, id).await?;
    let result = match f.to_item(&e) {
        Ok(item) => state
            .store
            .add_agenda_item(&me.username, id, item)
            .await
            .map_err(AppError::from),
        Err(err) => Err(err.into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/events/{id}#agenda")).into_response()),
        Err(err) if err.code == "bad_request" => {
            let error = Some(ctx.error_text(&err));
            let mut res = page(&state, ctx, e, None, f, error).await?.into_response();
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            Ok(res)
        }
        Err(err) => Err(err),
    }
}

pub async fn remove_item(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath((id, item)): ValidPath<(i32, i32)>,
) -> AppResult<Redirect> {
    organised(&state, &me, id).await?;
    state
        .store
        .remove_agenda_item(&me.username, id, item)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}#agenda")))
}
