//! Events in the store: the [`Events`] capability (create an event with its audiences,
//! read one with its agenda, list them, keep the agenda), implemented once on [`Store`].
//! Times and agenda rules come from `headway_domain::events`.

mod certificates;
pub mod counselling;
#[cfg(feature = "fixtures")]
pub mod demo;
#[cfg(feature = "fixtures")]
pub mod demo_sessions;
mod details;
pub mod entities;
mod feeds;
#[cfg(feature = "fixtures")]
pub mod generate;
pub mod invitations;
pub mod materials;
mod places;
mod registrations;
mod reminders;
mod roster;
mod rows;

pub use certificates::{Certificate, Certificates};
pub use feeds::CalendarFeeds;
pub use materials::{MaterialRow, Materials, NewMaterial};
pub use registrations::Registrations;
pub use reminders::EventReminders;
pub use roster::{RegistrationRow, Tally};
use rows::{domain_item, parse_schedule, stored, summary, view, LOCAL};

use crate::audit::AuditEvent;
use crate::entities::{membership, organization};
use crate::networks::entities::network;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use entities::{agenda_item, event, event_audience};
use headway_domain::events::agenda::{self, AgendaItem, ItemKind};
use headway_domain::events::{parse_link, AudienceKey, EventKind, Schedule};
use headway_domain::input::{Description, InputError, Problem, Title};
use headway_domain::language::Lang;
use headway_domain::memberships::ContextRole;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// An audience to create.
#[derive(Debug, Clone)]
pub struct NewAudience {
    pub key: AudienceKey,
    pub name: String,
    /// Places of this audience; `None`: only the event's limit.
    pub capacity: Option<u32>,
}

/// An event to create.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub language: Lang,
    pub network_id: Option<i32>,
    pub host_id: Option<i32>,
    pub venue_name: String,
    pub venue_address: String,
    pub latlon: Option<(f64, f64)>,
    pub online_url: String,
    pub schedule: Schedule,
    /// At least one; the first is the event's main audience.
    pub audiences: Vec<NewAudience>,
    pub offer_id: Option<i32>,
    /// Places; `None`: no limit.
    pub capacity: Option<u32>,
    /// When registration closes; `None`: when the event starts.
    pub registration_closes: Option<chrono::DateTime<chrono::Utc>>,
    /// Each registration waits for the organiser's approval (an invitation's yes does not).
    pub needs_approval: bool,
    /// The account that organises it (an `event_organiser` membership).
    pub organiser: Option<i32>,
}

/// An agenda item to add at the end of the programme.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub day: NaiveDate,
    pub starts_at: String,
    pub title: String,
    pub description: String,
    pub speakers: String,
    pub kind: ItemKind,
    /// Keys of the event's audiences; none: everyone.
    pub audiences: Vec<String>,
}

/// An audience of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audience {
    pub key: String,
    pub name: String,
    pub capacity: Option<u32>,
}

/// An event as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventSummary {
    pub id: i32,
    pub kind: EventKind,
    pub cancelled: bool,
    pub title: String,
    pub network: Option<(i32, String)>,
    pub venue_name: String,
    pub time_zone: String,
    /// Wall-clock `YYYY-MM-DDTHH:MM` in `time_zone`.
    pub starts_local: String,
    pub ends_local: String,
    pub starts_utc: String,
    pub ends_utc: String,
}

/// An agenda item as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaRow {
    pub id: i32,
    pub position: i32,
    pub item: AgendaView,
}

/// An agenda item's content in plain values (the domain's [`AgendaItem`] parsed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaView {
    pub day: String,
    pub starts_at: Option<String>,
    pub title: String,
    pub description: String,
    pub speakers: String,
    pub kind: ItemKind,
    pub audiences: Vec<String>,
}

/// Everything an event's page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventDetail {
    pub summary: EventSummary,
    pub description: String,
    pub language: String,
    pub host: Option<(i32, String)>,
    pub venue_address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub online_url: Option<String>,
    /// The accredited offer it counts for: (id, title, hours, points).
    pub offer: Option<(i32, String, f64, f64)>,
    pub audiences: Vec<Audience>,
    pub agenda: Vec<AgendaRow>,
    pub sequence: i32,
    pub capacity: Option<u32>,
    /// When registration closes (UTC instant): the deadline, else the start.
    pub registration_closes_utc: String,
    /// Registrations wait for the organiser's approval.
    pub needs_approval: bool,
}

impl EventDetail {
    /// Its schedule, as the domain reads it.
    pub fn schedule(&self) -> Result<Schedule> {
        parse_schedule(
            &self.summary.time_zone,
            &self.summary.starts_local,
            &self.summary.ends_local,
        )
    }

    /// Its agenda, as the domain reads it.
    pub fn items(&self) -> Result<Vec<AgendaItem>> {
        self.agenda.iter().map(|r| domain_item(&r.item)).collect()
    }

    /// The name of the audience `key`, or the key itself when the event has no such one.
    pub fn audience_name(&self, key: &str) -> String {
        self.audiences
            .iter()
            .find(|a| a.key == key)
            .map_or_else(|| key.to_owned(), |a| a.name.clone())
    }

    pub fn audience_keys(&self) -> Result<Vec<AudienceKey>> {
        self.audiences
            .iter()
            .map(|a| AudienceKey::parse("audience", &a.key).map_err(stored))
            .collect()
    }
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub network_id: Option<i32>,
    /// Only events ending at or after this instant (`headway_domain::time::format`).
    pub ending_after: Option<String>,
    /// Only events starting before this instant.
    pub starting_before: Option<String>,
    pub limit: Option<u64>,
}

/// Reading and building events.
#[async_trait::async_trait]
pub trait Events {
    /// Creates an event with its audiences and its organiser's membership, all or nothing
    /// (audited). The network, host and offer must exist.
    async fn create_event(&self, actor: &str, e: NewEvent) -> Result<i32>;

    /// One event with its audiences and agenda; three to six queries.
    async fn event(&self, id: i32) -> Result<EventDetail>;

    /// Events matching `q`, by start; two queries.
    async fn events(&self, q: &EventQuery) -> Result<Vec<EventSummary>>;

    /// Adds an item at the end of the agenda, checked with the whole agenda against the
    /// event's days, hours and audiences; returns its id.
    async fn add_agenda_item(&self, actor: &str, event: i32, item: NewItem) -> Result<i32>;

    /// Removes an item; `NotFound` when the event has no such item.
    async fn remove_agenda_item(&self, actor: &str, event: i32, item: i32) -> Result<()>;

    /// Calls the event off: it stays listed as cancelled, calendars drop it (a higher
    /// `SEQUENCE` with `STATUS:CANCELLED`), and no one can register any more.
    async fn cancel_event(&self, actor: &str, event: i32) -> Result<()>;
}

#[async_trait::async_trait]
impl Events for Store {
    async fn create_event(&self, actor: &str, e: NewEvent) -> Result<i32> {
        let title = Title::parse("title", &e.title)?;
        let description = Description::parse("description", &e.description)?;
        let venue_name = Description::parse("venue_name", &e.venue_name)?;
        let venue_address = Description::parse("venue_address", &e.venue_address)?;
        let online_url = parse_link("online_url", &e.online_url)?;
        if e.audiences.is_empty() {
            return Err(InputError::new("audiences", Problem::Required).into());
        }
        let mut names = Vec::with_capacity(e.audiences.len());
        for (i, a) in e.audiences.iter().enumerate() {
            if e.audiences[..i].iter().any(|b| b.key == a.key) {
                return Err(InputError::new(
                    "audiences",
                    Problem::Repeated {
                        value: a.key.as_str().into(),
                    },
                )
                .into());
            }
            names.push(Title::parse("audience_name", &a.name)?);
        }
        if let Some((lat, lon)) = e.latlon {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(InputError::new(
                    "lat",
                    Problem::OutOfRange {
                        min: -90.0,
                        max: 90.0,
                    },
                )
                .into());
            }
        }
        let txn = self.begin_write().await?;
        if let Some(n) = e.network_id {
            if network::Entity::find_by_id(n).count(&*txn).await? == 0 {
                return Err(InputError::new("network_id", Problem::NoSuchRecord).into());
            }
        }
        if let Some(h) = e.host_id {
            if organization::Entity::find_by_id(h).count(&*txn).await? == 0 {
                return Err(InputError::new("host_id", Problem::NoSuchRecord).into());
            }
        }
        if let Some(o) = e.offer_id {
            if crate::entities::register::offer::Entity::find_by_id(o)
                .count(&*txn)
                .await?
                == 0
            {
                return Err(InputError::new("offer_id", Problem::NoSuchRecord).into());
            }
        }
        let now = crate::now();
        let s = e.schedule;
        let row = event::ActiveModel {
            kind: Set(e.kind.code().into()),
            status: Set("scheduled".into()),
            title: Set(title.as_str().into()),
            description: Set(description.as_str().into()),
            language: Set(e.language.code().into()),
            network_id: Set(e.network_id),
            host_id: Set(e.host_id),
            venue_name: Set(venue_name.as_str().into()),
            venue_address: Set(venue_address.as_str().into()),
            lat: Set(e.latlon.map(|p| p.0)),
            lon: Set(e.latlon.map(|p| p.1)),
            online_url: Set(online_url),
            time_zone: Set(s.zone.name().into()),
            starts_local: Set(s.starts.format(LOCAL).to_string()),
            ends_local: Set(s.ends.format(LOCAL).to_string()),
            starts_utc: Set(headway_domain::time::format(s.start_utc())),
            ends_utc: Set(headway_domain::time::format(s.end_utc())),
            offer_id: Set(e.offer_id),
            sequence: Set(0),
            capacity: Set(e.capacity.map(|c| c as i32)),
            registration_closes_utc: Set(e.registration_closes.map(headway_domain::time::format)),
            needs_approval: Set(e.needs_approval),
            arrivals: Set(0),
            created_by: Set(actor.into()),
            created_at: Set(now.clone()),
            updated_at: Set(now.clone()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        let audiences = e
            .audiences
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (a, name))| event_audience::ActiveModel {
                event_id: Set(row.id),
                key: Set(a.key.as_str().into()),
                name: Set(name.into_inner()),
                position: Set(i as i32 + 1),
                capacity: Set(a.capacity.map(|c| c as i32)),
            });
        event_audience::Entity::insert_many(audiences)
            .exec_without_returning(&*txn)
            .await?;
        if let Some(account) = e.organiser {
            membership::ActiveModel {
                account_id: Set(Some(account)),
                person_id: Set(None),
                context_kind: Set(ContextRole::EventOrganiser.context().code().into()),
                context_id: Set(row.id),
                role: Set(ContextRole::EventOrganiser.code().into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.create",
            subject: &format!("event:{}", row.id),
            detail: title.as_str(),
        })
        .await?;
        Ok(row.id)
    }

    async fn event(&self, id: i32) -> Result<EventDetail> {
        let m = event::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        details::details(&self.db, vec![m])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn events(&self, q: &EventQuery) -> Result<Vec<EventSummary>> {
        let mut find = event::Entity::find();
        if let Some(n) = q.network_id {
            find = find.filter(event::Column::NetworkId.eq(n));
        }
        if let Some(t) = &q.ending_after {
            find = find.filter(event::Column::EndsUtc.gte(t.as_str()));
        }
        if let Some(t) = &q.starting_before {
            find = find.filter(event::Column::StartsUtc.lt(t.as_str()));
        }
        let rows = find
            .order_by_asc(event::Column::StartsUtc)
            .order_by_asc(event::Column::Id)
            .limit(q.limit)
            .all(&self.db)
            .await?;
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.network_id).collect();
        let networks: HashMap<i32, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            network::Entity::find()
                .filter(network::Column::Id.is_in(ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|n| (n.id, n.name))
                .collect()
        };
        rows.iter().map(|r| summary(r, &networks)).collect()
    }

    async fn add_agenda_item(&self, actor: &str, event: i32, item: NewItem) -> Result<i32> {
        let title = Title::parse("title", &item.title)?;
        let description = Description::parse("description", &item.description)?;
        let speakers = Description::parse("speakers", &item.speakers)?;
        let starts_at = headway_domain::events::parse_time("starts_at", &item.starts_at)?;
        let audiences = item
            .audiences
            .iter()
            .map(|a| AudienceKey::parse("audiences", a))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let txn = self.begin_write().await?;
        let e = event::Entity::find_by_id(event)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let schedule = parse_schedule(&e.time_zone, &e.starts_local, &e.ends_local)?;
        let keys = event_audience::Entity::find()
            .filter(event_audience::Column::EventId.eq(event))
            .all(&*txn)
            .await?
            .into_iter()
            .map(|a| AudienceKey::parse("audiences", &a.key).map_err(stored))
            .collect::<Result<Vec<_>>>()?;
        let existing = agenda_item::Entity::find()
            .filter(agenda_item::Column::EventId.eq(event))
            .order_by_asc(agenda_item::Column::Position)
            .all(&*txn)
            .await?;
        let mut items = existing
            .iter()
            .map(|m| view(m).and_then(|r| domain_item(&r.item)))
            .collect::<Result<Vec<_>>>()?;
        items.push(AgendaItem {
            day: item.day,
            starts_at,
            title: title.as_str().into(),
            description: description.as_str().into(),
            speakers: speakers.as_str().into(),
            kind: item.kind,
            audiences: audiences.clone(),
        });
        if let Err(e) = agenda::check(&items, &schedule, &keys) {
            // Only the new item can be wrong: the stored ones were checked when added.
            return Err(e.error.into());
        }
        let position = existing.last().map_or(1, |m| m.position + 1);
        let row = agenda_item::ActiveModel {
            event_id: Set(event),
            position: Set(position),
            day: Set(item.day.to_string()),
            starts_at: Set(starts_at.map(|t| t.format("%H:%M").to_string())),
            title: Set(title.as_str().into()),
            description: Set(description.into_inner()),
            speakers: Set(speakers.into_inner()),
            kind: Set(item.kind.code().into()),
            audiences: Set(audiences
                .iter()
                .map(AudienceKey::as_str)
                .collect::<Vec<_>>()
                .join(" ")),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        touch(&txn, e).await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.agenda.add",
            subject: &format!("event:{event}"),
            detail: &format!("item:{} {}", row.id, title.as_str()),
        })
        .await?;
        Ok(row.id)
    }

    async fn remove_agenda_item(&self, actor: &str, event: i32, item: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        let e = event::Entity::find_by_id(event)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let n = agenda_item::Entity::delete_many()
            .filter(agenda_item::Column::EventId.eq(event))
            .filter(agenda_item::Column::Id.eq(item))
            .exec(&*txn)
            .await?;
        if n.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        touch(&txn, e).await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.agenda.remove",
            subject: &format!("event:{event}"),
            detail: &format!("item:{item}"),
        })
        .await
    }

    async fn cancel_event(&self, actor: &str, event: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        let e = event::Entity::find_by_id(event)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if e.status == "cancelled" {
            return Err(headway_domain::events::participation::EventRule::EventCancelled.into());
        }
        let (title, sequence) = (e.title.clone(), e.sequence + 1);
        let mut a: event::ActiveModel = e.into();
        a.status = Set("cancelled".into());
        a.sequence = Set(sequence);
        a.updated_at = Set(crate::now());
        a.update(&*txn).await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.cancel",
            subject: &format!("event:{event}"),
            detail: &title,
        })
        .await
    }
}

/// Marks an event changed: calendar clients see a higher `SEQUENCE`.
async fn touch(txn: &crate::WriteTxn, e: event::Model) -> Result<()> {
    let sequence = e.sequence + 1;
    let mut a: event::ActiveModel = e.into();
    a.sequence = Set(sequence);
    a.updated_at = Set(crate::now());
    a.update(&**txn).await?;
    Ok(())
}
