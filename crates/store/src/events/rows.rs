//! Stored rows as the domain reads them: an event's schedule, its agenda items, its summary.

use super::entities::{agenda_item, event};
use super::{AgendaRow, AgendaView, EventSummary};
use crate::{Result, StoreError};
use chrono::NaiveDateTime;
use headway_domain::events::agenda::{AgendaItem, ItemKind};
use headway_domain::events::{AudienceKey, EventKind, Schedule, Zone};
use headway_domain::input::InputError;
use std::collections::HashMap;

/// The stored form of a wall-clock time.
pub(super) const LOCAL: &str = "%Y-%m-%dT%H:%M";

pub(super) fn stored(e: InputError) -> StoreError {
    StoreError::Internal(format!("stored event: {e}"))
}

pub(super) fn parse_schedule(zone: &str, starts: &str, ends: &str) -> Result<Schedule> {
    let zone = Zone::parse("time_zone", zone).map_err(stored)?;
    let at = |s: &str| {
        NaiveDateTime::parse_from_str(s, LOCAL)
            .map_err(|e| StoreError::Internal(format!("stored event time `{s}`: {e}")))
    };
    Schedule::new(at(starts)?, at(ends)?, zone).map_err(stored)
}

pub(super) fn domain_item(v: &AgendaView) -> Result<AgendaItem> {
    Ok(AgendaItem {
        day: v
            .day
            .parse()
            .map_err(|e| StoreError::Internal(format!("stored agenda day: {e}")))?,
        starts_at: match &v.starts_at {
            Some(t) => headway_domain::events::parse_time("starts_at", t).map_err(stored)?,
            None => None,
        },
        title: v.title.clone(),
        description: v.description.clone(),
        speakers: v.speakers.clone(),
        kind: v.kind,
        audiences: v
            .audiences
            .iter()
            .map(|a| AudienceKey::parse("audiences", a).map_err(stored))
            .collect::<Result<_>>()?,
    })
}

pub(super) fn view(m: &agenda_item::Model) -> Result<AgendaRow> {
    Ok(AgendaRow {
        id: m.id,
        position: m.position,
        item: AgendaView {
            day: m.day.clone(),
            starts_at: m.starts_at.clone(),
            title: m.title.clone(),
            description: m.description.clone(),
            speakers: m.speakers.clone(),
            kind: ItemKind::parse(&m.kind).map_err(stored)?,
            audiences: m.audiences.split_whitespace().map(str::to_owned).collect(),
        },
    })
}

pub(super) fn summary(m: &event::Model, networks: &HashMap<i32, String>) -> Result<EventSummary> {
    Ok(EventSummary {
        id: m.id,
        kind: EventKind::parse(&m.kind).map_err(stored)?,
        cancelled: m.status == "cancelled",
        title: m.title.clone(),
        network: m
            .network_id
            .and_then(|n| networks.get(&n).map(|name| (n, name.clone()))),
        venue_name: m.venue_name.clone(),
        time_zone: m.time_zone.clone(),
        starts_local: m.starts_local.clone(),
        ends_local: m.ends_local.clone(),
        starts_utc: m.starts_utc.clone(),
        ends_utc: m.ends_utc.clone(),
    })
}
