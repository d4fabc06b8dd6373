//! Reminders before events, queued by the worker through the outbox in each recipient's
//! language: for every confirmed participant of an event starting within the largest
//! offset, the reminder due now (`headway_domain::events::reminders::due`), once — the
//! outbox's deduplication key `event-reminder:{registration}:{hours}` makes a second run,
//! on this server or another, queue nothing.

use super::entities::{event, registration};
use super::Events;
use crate::entities::register::outbox as outbox_row;
use crate::{outbox, Result, Store, StoreError};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use headway_domain::events::participation::RegStatus;
use headway_domain::events::{agenda, reminders, AudienceKey};
use headway_domain::mail::{Letter, Letters};
use headway_domain::time;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;

/// Reminders before events.
#[async_trait::async_trait]
pub trait EventReminders {
    /// Queues the reminders due at `now` (offsets in hours before each event's start);
    /// returns how many were queued. Safe on several servers at once.
    async fn remind_participants(
        &self,
        now: DateTime<Utc>,
        hours: &[u32],
        letters: &dyn Letters,
    ) -> Result<u64>;
}

fn stored(s: &str) -> Result<DateTime<Utc>> {
    time::parse(s).ok_or_else(|| StoreError::Internal(format!("stored instant `{s}`")))
}

#[async_trait::async_trait]
impl EventReminders for Store {
    async fn remind_participants(
        &self,
        now: DateTime<Utc>,
        hours: &[u32],
        letters: &dyn Letters,
    ) -> Result<u64> {
        let Some(max) = hours.iter().copied().max() else {
            return Ok(0);
        };
        let soon = event::Entity::find()
            .filter(event::Column::Status.ne("cancelled"))
            .filter(event::Column::StartsUtc.gt(time::format(now)))
            .filter(
                event::Column::StartsUtc.lte(time::format(now + Duration::hours(i64::from(max)))),
            )
            .order_by_asc(event::Column::StartsUtc)
            .all(&self.db)
            .await?;
        let mut queued = 0;
        for e in soon {
            queued += self.remind_for(&e, now, hours, letters).await?;
        }
        Ok(queued)
    }
}

impl Store {
    async fn remind_for(
        &self,
        e: &event::Model,
        now: DateTime<Utc>,
        hours: &[u32],
        letters: &dyn Letters,
    ) -> Result<u64> {
        let starts = stored(&e.starts_utc)?;
        let regs = registration::Entity::find()
            .filter(registration::Column::EventId.eq(e.id))
            .filter(registration::Column::Status.eq(RegStatus::Confirmed.code()))
            .all(&self.db)
            .await?;
        let mut due = Vec::new();
        for r in regs {
            if let Some(h) = reminders::due(hours, starts, stored(&r.registered_at)?, now) {
                let key = format!("event-reminder:{}:{h}", r.id);
                due.push((r, h, key));
            }
        }
        if due.is_empty() {
            return Ok(0);
        }
        // What is queued already (by this server or another) is not written again.
        let mut sent: HashSet<String> = HashSet::new();
        for chunk in due.chunks(2000) {
            let keys: Vec<String> = chunk.iter().map(|d| d.2.clone()).collect();
            sent.extend(
                outbox_row::Entity::find()
                    .filter(outbox_row::Column::DedupeKey.is_in(keys))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .map(|m| m.dedupe_key),
            );
        }
        let ids: Vec<i32> = due.iter().map(|d| d.0.person_id).collect();
        let recipients = outbox::Recipients::read(&self.db, &ids).await?;
        let detail = self.event(e.id).await?;
        let schedule = detail.schedule()?;
        let items = detail.items()?;
        let place = match &detail.host {
            Some((_, name)) => name.clone(),
            None => e.venue_name.clone(),
        };
        let txn = self.begin_write().await?;
        let mut queued = 0;
        for (r, h, key) in due {
            if sent.contains(&key) {
                continue;
            }
            let Some(p) = recipients.people.get(&r.person_id) else {
                continue;
            };
            let Some(email) = p.email.as_deref().filter(|m| !m.is_empty()) else {
                continue;
            };
            let (from, to): (NaiveDateTime, NaiveDateTime) =
                match AudienceKey::parse("audience", &r.audience) {
                    Ok(k) => agenda::window(&items, &schedule, &k),
                    Err(_) => (schedule.starts, schedule.ends),
                };
            let letter = Letter::EventReminder {
                given_name: p.given_name.clone(),
                event: e.title.clone(),
                starts: from,
                ends: to,
                zone: e.time_zone.clone(),
                place: place.clone(),
                hours: h,
                path: format!("/events/{}", e.id),
            };
            let lang = recipients.language(r.person_id, letters.default_language());
            outbox::queue(&*txn, letters, email, lang, &letter, key).await?;
            queued += 1;
        }
        txn.commit().await?;
        Ok(queued)
    }
}
