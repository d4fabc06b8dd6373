//! Calendars: an event's ICS file (its whole span, or one audience's hours) and a person's
//! personal feed (a secret, revocable link) holding their events with their audience's
//! hours. Written with the `ics` crate: times in the event's own zone with a `VTIMEZONE`
//! made from the zone's rules, a stable `UID` per event, the event's `SEQUENCE` (raised on
//! every change) and `STATUS:CANCELLED` for a cancelled event or registration, so calendar
//! clients follow changes.

use super::pages::{chosen, AudienceParam};
use super::participation::person_of;
use crate::http::authorize::SignedIn;
use crate::http::error::{AppError, AppResult, ValidPath, ValidQuery};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDateTime};
use headway_domain::events::agenda;
use headway_domain::events::participation::RegStatus;
use headway_domain::events::{AudienceKey, Zone};
use headway_store::events::{CalendarFeeds, EventDetail, Events};
use ics::properties::{Description, DtEnd, DtStart, Location, Sequence, Status, Summary, TzName};
use ics::{escape_text, Daylight, ICalendar, Standard, TimeZone};

const ICS: &str = "%Y%m%dT%H%M%S";

/// `+0100` from seconds east of UTC.
fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// A `VTIMEZONE` for `zone` with its changes in the years the events span (one before, to
/// cover the offset in force when they start).
fn vtimezone(zone: Zone, from_year: i32, to_year: i32) -> Option<TimeZone<'static>> {
    let mut tz: Option<TimeZone<'static>> = None;
    for t in zone.transitions(from_year - 1, to_year) {
        let start = t.local.format(ICS).to_string();
        let (from, to) = (offset(t.offset_from), offset(t.offset_to));
        let name = TzName::new(t.abbreviation.clone());
        if t.daylight {
            let mut d = Daylight::new(start, from, to);
            d.push(name);
            match tz.as_mut() {
                Some(z) => z.add_daylight(d),
                None => tz = Some(TimeZone::daylight(zone.name(), d)),
            }
        } else {
            let mut s = Standard::new(start, from, to);
            s.push(name);
            match tz.as_mut() {
                Some(z) => z.add_standard(s),
                None => tz = Some(TimeZone::standard(zone.name(), s)),
            }
        }
    }
    tz
}

/// One event as a calendar entry: the audience's hours when one is given, else the whole
/// event; cancelled when the event or the registration is.
struct Entry {
    e: EventDetail,
    audience: Option<AudienceKey>,
    status: Option<RegStatus>,
}

fn calendar(entries: &[Entry], stamp: &str) -> AppResult<String> {
    let mut cal = ICalendar::new("2.0", "-//Headway//Events//EN");
    cal.push(ics::properties::Method::new("PUBLISH"));
    // One VTIMEZONE per zone, covering the years of its events.
    let mut zones: Vec<(Zone, i32, i32)> = Vec::new();
    let mut events = Vec::new();
    for en in entries {
        let s = en.e.schedule()?;
        let (from, to) = match &en.audience {
            Some(k) => agenda::window(&en.e.items()?, &s, k),
            None => (s.starts, s.ends),
        };
        match zones.iter_mut().find(|z| z.0 == s.zone) {
            Some(z) => {
                z.1 = z.1.min(from.year());
                z.2 = z.2.max(to.year());
            }
            None => zones.push((s.zone, from.year(), to.year())),
        }
        let mut ev = ics::Event::new(
            format!("event-{}@headway", en.e.summary.id),
            stamp.to_owned(),
        );
        let at = |t: NaiveDateTime| t.format(ICS).to_string();
        let mut start = DtStart::new(at(from));
        start.add(ics::parameters::TzIDParam::new(s.zone.name()));
        let mut end = DtEnd::new(at(to));
        end.add(ics::parameters::TzIDParam::new(s.zone.name()));
        ev.push(start);
        ev.push(end);
        ev.push(Sequence::new(en.e.sequence.to_string()));
        ev.push(Summary::new(escape_text(en.e.summary.title.clone())));
        let place = [
            en.e.summary.venue_name.as_str(),
            en.e.venue_address.as_str(),
        ]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
        if !place.is_empty() {
            ev.push(Location::new(escape_text(place)));
        }
        if !en.e.description.is_empty() {
            ev.push(Description::new(escape_text(en.e.description.clone())));
        }
        let cancelled = en.e.summary.cancelled
            || matches!(en.status, Some(RegStatus::Cancelled | RegStatus::Declined));
        ev.push(if cancelled {
            Status::cancelled()
        } else if matches!(en.status, Some(RegStatus::Waitlisted | RegStatus::Pending)) {
            Status::tentative()
        } else {
            Status::confirmed()
        });
        events.push(ev);
    }
    for (zone, from, to) in zones {
        if let Some(tz) = vtimezone(zone, from, to) {
            cal.add_timezone(tz);
        }
    }
    for ev in events {
        cal.add_event(ev);
    }
    Ok(cal.to_string())
}

fn ics_response(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.ics\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string()
}

/// An event's ICS file; `?audience=` gives that audience's hours.
pub async fn event_ics(
    State(state): State<AppState>,
    ValidPath(id): ValidPath<i32>,
    ValidQuery(q): ValidQuery<AudienceParam>,
) -> AppResult<Response> {
    let e = state.store.event(id).await?;
    let audience = chosen(&e, q.audience.as_deref())?.map(|a| a.0);
    let body = calendar(
        &[Entry {
            e,
            audience,
            status: None,
        }],
        &stamp(),
    )?;
    Ok(ics_response(body, &format!("event-{id}")))
}

/// A person's feed, by its secret token: their events with their audience's hours.
pub async fn feed(
    State(state): State<AppState>,
    ValidPath(file): ValidPath<String>,
) -> AppResult<Response> {
    // The route is `/calendar/{file}`: the token with `.ics` after it.
    let token = file.strip_suffix(".ics").ok_or_else(AppError::not_found)?;
    let person = state
        .store
        .feed_person(token)
        .await?
        .ok_or_else(AppError::not_found)?;
    let entries = state
        .store
        .feed_events(person)
        .await?
        .into_iter()
        .map(|(e, audience, status)| Entry {
            e,
            audience: AudienceKey::parse("audience", &audience).ok(),
            status: Some(status),
        })
        .collect::<Vec<_>>();
    Ok(ics_response(calendar(&entries, &stamp())?, "headway"))
}

#[derive(Template)]
#[template(path = "events/feed.html")]
struct FeedPage {
    ctx: Ctx,
    /// When the working feed was made.
    made: Option<String>,
    /// The new link, shown once right after it was made.
    link: Option<String>,
}

pub async fn feed_page(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
) -> AppResult<Html<String>> {
    let person = person_of(&me)?;
    let made = state.store.feed_made(person).await?;
    render(&FeedPage {
        ctx,
        made,
        link: None,
    })
}

/// Makes a new feed link (the old one stops working) and shows it once.
pub async fn new_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
) -> AppResult<Html<String>> {
    let person = person_of(&me)?;
    let token = state.store.new_feed(&me.username, person).await?;
    let made = state.store.feed_made(person).await?;
    let link = Some(format!("/calendar/{token}.ics"));
    render(&FeedPage { ctx, made, link })
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> AppResult<axum::response::Redirect> {
    let person = person_of(&me)?;
    state.store.revoke_feeds(&me.username, person).await?;
    Ok(axum::response::Redirect::to("/me/calendar"))
}
