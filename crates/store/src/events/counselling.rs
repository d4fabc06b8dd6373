//! Individual counselling at a session: slots a counsellor offers, one booking per
//! participant, and the counsellor's confidential notes. The store returns bookings in full
//! to the web, which shows each only where the policy allows; a note's text leaves the store
//! only through [`Counselling::read_note`], which audits the read (the audit entry names the
//! slot, never the text), and the worker deletes notes after their date.

use super::entities::{counselling_note, counselling_slot, registration};
use super::registrations::lock;
use super::rows::parse_schedule;
use crate::audit::{self, AuditEvent};
use crate::entities::{membership, person, user};
use crate::{Result, Store, StoreError};
use chrono::{NaiveDate, NaiveDateTime};
use headway_domain::events::counselling::{overlaps, CounsellingRule, SlotSeries};
use headway_domain::events::participation::RegStatus;
use headway_domain::input::{Description, InputError, Problem};
use headway_domain::memberships::ContextRole;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use std::collections::HashMap;

const SLOT: &str = "%Y-%m-%d %H:%M";

/// A slot as stored, with names; what the reader may see of it the policy decides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotRow {
    pub id: i32,
    pub event_id: i32,
    /// The counsellor's account and name.
    pub counsellor_id: i32,
    pub counsellor: String,
    /// Wall-clock `YYYY-MM-DD HH:MM` in the event's zone.
    pub starts_at: String,
    pub ends_at: String,
    /// Who booked it (person id and name): for that person's and the counsellor's eyes.
    pub booked_by: Option<(i32, String)>,
    /// Whether a note exists and whether it is shared with the participant.
    pub note: Option<bool>,
}

/// A counsellor's note on a booked slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub body: String,
    pub shared: bool,
    pub written_at: String,
    pub delete_after: String,
}

/// Individual counselling.
#[async_trait::async_trait]
pub trait Counselling {
    /// The accounts counselling at `event` (an `event_counsellor` membership): (id, name).
    async fn counsellors(&self, event: i32) -> Result<Vec<(i32, String)>>;

    /// Offers the series' slots for `counsellor` (an account): every slot inside the
    /// session and none overlapping one the counsellor offers already; all or none.
    async fn offer_slots(
        &self,
        actor: &str,
        event: i32,
        counsellor: i32,
        series: SlotSeries,
    ) -> Result<Vec<i32>>;

    /// The event's slots in time order.
    async fn slots(&self, event: i32) -> Result<Vec<SlotRow>>;

    /// One slot of the event (404 when it is not one of the event's).
    async fn slot(&self, event: i32, slot: i32) -> Result<SlotRow>;

    /// Books `slot` for `person`: a confirmed participant, one slot per session, a free slot.
    async fn book_slot(&self, actor: &str, event: i32, slot: i32, person: i32) -> Result<()>;

    /// Frees a booked slot; its note goes with the booking.
    async fn release_slot(&self, actor: &str, event: i32, slot: i32) -> Result<()>;

    /// Writes (or rewrites) the note of a booked slot, kept until `delete_after`.
    async fn write_note(
        &self,
        actor: &str,
        slot: i32,
        body: &str,
        shared: bool,
        delete_after: NaiveDate,
    ) -> Result<()>;

    /// A slot's note, the read recorded in the audit log. Call only when the policy allows
    /// the reader (the counsellor; the participant when shared).
    async fn read_note(&self, actor: &str, slot: i32) -> Result<Option<Note>>;

    /// Deletes the notes whose keeping date has passed; returns how many.
    async fn purge_counselling_notes(&self, today: NaiveDate) -> Result<u64>;
}

/// The slot `slot` of `event`, read inside the step's transaction.
async fn slot_of(txn: &crate::WriteTxn, event: i32, slot: i32) -> Result<counselling_slot::Model> {
    counselling_slot::Entity::find_by_id(slot)
        .one(&**txn)
        .await?
        .filter(|s| s.event_id == event)
        .ok_or(StoreError::NotFound)
}

fn slot_time(s: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, SLOT)
        .map_err(|e| StoreError::Internal(format!("stored slot time `{s}`: {e}")))
}

#[async_trait::async_trait]
impl Counselling for Store {
    async fn counsellors(&self, event: i32) -> Result<Vec<(i32, String)>> {
        let ids: Vec<i32> = membership::Entity::find()
            .filter(membership::Column::Role.eq(ContextRole::EventCounsellor.code()))
            .filter(membership::Column::ContextId.eq(event))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|m| m.account_id)
            .collect();
        let mut out: Vec<(i32, String)> = user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    async fn offer_slots(
        &self,
        actor: &str,
        event: i32,
        counsellor: i32,
        series: SlotSeries,
    ) -> Result<Vec<i32>> {
        let txn = self.begin_write().await?;
        let (e, _) = lock(&txn, event).await?;
        let schedule = parse_schedule(&e.time_zone, &e.starts_local, &e.ends_local)?;
        let new = series.slots(&schedule)?;
        let existing = counselling_slot::Entity::find()
            .filter(counselling_slot::Column::EventId.eq(event))
            .filter(counselling_slot::Column::CounsellorId.eq(counsellor))
            .all(&*txn)
            .await?;
        for x in &existing {
            let have = (slot_time(&x.starts_at)?, slot_time(&x.ends_at)?);
            if let Some(n) = new.iter().find(|n| overlaps(**n, have)) {
                return Err(CounsellingRule::Overlap {
                    slot: format!("{} – {}", n.0.format(SLOT), n.1.format("%H:%M")),
                }
                .into());
            }
        }
        let mut ids = Vec::with_capacity(new.len());
        for (from, to) in new {
            let m = counselling_slot::ActiveModel {
                event_id: Set(event),
                counsellor_id: Set(counsellor),
                starts_at: Set(from.format(SLOT).to_string()),
                ends_at: Set(to.format(SLOT).to_string()),
                booked_by: Set(None),
                booked_at: Set(None),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
            ids.push(m.id);
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.counselling.offer",
            subject: &format!("event:{event}"),
            detail: &format!("user:{counsellor} slots:{}", ids.len()),
        })
        .await?;
        Ok(ids)
    }

    async fn slots(&self, event: i32) -> Result<Vec<SlotRow>> {
        self.slot_rows(event, None).await
    }

    async fn slot(&self, event: i32, slot: i32) -> Result<SlotRow> {
        self.slot_rows(event, Some(slot))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn book_slot(&self, actor: &str, event: i32, slot: i32, person: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        // Under the event's lock: two people never take one slot, nor one person two.
        lock(&txn, event).await?;
        let s = slot_of(&txn, event, slot).await?;
        let confirmed = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event))
            .filter(registration::Column::PersonId.eq(person))
            .filter(registration::Column::Status.eq(RegStatus::Confirmed.code()))
            .one(&*txn)
            .await?
            .is_some();
        if !confirmed {
            return Err(CounsellingRule::NotAParticipant.into());
        }
        let mine = counselling_slot::Entity::find()
            .filter(counselling_slot::Column::EventId.eq(event))
            .filter(counselling_slot::Column::BookedBy.eq(person))
            .one(&*txn)
            .await?;
        if mine.is_some() {
            return Err(CounsellingRule::OneSlotEach.into());
        }
        if s.booked_by.is_some() {
            return Err(CounsellingRule::SlotTaken.into());
        }
        let mut a: counselling_slot::ActiveModel = s.into();
        a.booked_by = Set(Some(person));
        a.booked_at = Set(Some(crate::now()));
        a.update(&*txn).await?;
        // Who booked is between the participant and the counsellor: the entry names the
        // slot only.
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.counselling.book",
            subject: &format!("event:{event}"),
            detail: &format!("slot:{slot}"),
        })
        .await
    }

    async fn release_slot(&self, actor: &str, event: i32, slot: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        lock(&txn, event).await?;
        let s = slot_of(&txn, event, slot).await?;
        if s.booked_by.is_none() {
            return Err(CounsellingRule::NotBooked.into());
        }
        counselling_note::Entity::delete_by_id(slot)
            .exec(&*txn)
            .await?;
        let mut a: counselling_slot::ActiveModel = s.into();
        a.booked_by = Set(None);
        a.booked_at = Set(None);
        a.update(&*txn).await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.counselling.release",
            subject: &format!("event:{event}"),
            detail: &format!("slot:{slot}"),
        })
        .await
    }

    async fn write_note(
        &self,
        actor: &str,
        slot: i32,
        body: &str,
        shared: bool,
        delete_after: NaiveDate,
    ) -> Result<()> {
        let body = Description::parse("note", body)?;
        if body.as_str().trim().is_empty() {
            return Err(InputError::new("note", Problem::Required).into());
        }
        let txn = self.begin_write().await?;
        let s = counselling_slot::Entity::find_by_id(slot)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if s.booked_by.is_none() {
            return Err(CounsellingRule::NotBooked.into());
        }
        counselling_note::Entity::delete_by_id(slot)
            .exec(&*txn)
            .await?;
        counselling_note::ActiveModel {
            slot_id: Set(slot),
            body: Set(body.as_str().to_owned()),
            shared: Set(shared),
            written_at: Set(crate::now()),
            delete_after: Set(delete_after.format("%Y-%m-%d").to_string()),
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.counselling.note.write",
            subject: &format!("slot:{slot}"),
            detail: if shared { "shared" } else { "private" },
        })
        .await
    }

    async fn read_note(&self, actor: &str, slot: i32) -> Result<Option<Note>> {
        let txn = self.begin_write().await?;
        let n = counselling_note::Entity::find_by_id(slot)
            .one(&*txn)
            .await?;
        let Some(n) = n else {
            return Ok(None);
        };
        audit::append(
            &*txn,
            AuditEvent {
                actor,
                action: "event.counselling.note.read",
                subject: &format!("slot:{slot}"),
                detail: "",
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Some(Note {
            body: n.body,
            shared: n.shared,
            written_at: n.written_at,
            delete_after: n.delete_after,
        }))
    }

    async fn purge_counselling_notes(&self, today: NaiveDate) -> Result<u64> {
        let txn = self.begin_write().await?;
        let gone = counselling_note::Entity::delete_many()
            .filter(counselling_note::Column::DeleteAfter.lt(today.format("%Y-%m-%d").to_string()))
            .exec(&*txn)
            .await?
            .rows_affected;
        if gone > 0 {
            audit::append(
                &*txn,
                AuditEvent {
                    actor: "system:worker",
                    action: "event.counselling.note.purge",
                    subject: "counselling_notes",
                    detail: &format!("{gone} deleted"),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(gone)
    }
}

impl Store {
    /// The event's slots (or the one `only`) in time order, with names and whether a note
    /// exists: no note text.
    async fn slot_rows(&self, event: i32, only: Option<i32>) -> Result<Vec<SlotRow>> {
        let mut find =
            counselling_slot::Entity::find().filter(counselling_slot::Column::EventId.eq(event));
        if let Some(id) = only {
            find = find.filter(counselling_slot::Column::Id.eq(id));
        }
        let rows = find
            .order_by_asc(counselling_slot::Column::StartsAt)
            .order_by_asc(counselling_slot::Column::Id)
            .all(&self.db)
            .await?;

        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let counsellors: HashMap<i32, String> = user::Entity::find()
            .filter(user::Column::Id.is_in(rows.iter().map(|r| r.counsellor_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        let people: HashMap<i32, String> = person::Entity::find()
            .filter(person::Column::Id.is_in(rows.iter().filter_map(|r| r.booked_by)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
            .collect();
        // Whether a note exists and is shared: no text leaves here.
        let notes: HashMap<i32, bool> = counselling_note::Entity::find()
            .filter(counselling_note::Column::SlotId.is_in(rows.iter().map(|r| r.id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.slot_id, n.shared))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| SlotRow {
                id: r.id,
                event_id: r.event_id,
                counsellor_id: r.counsellor_id,
                counsellor: counsellors
                    .get(&r.counsellor_id)
                    .cloned()
                    .unwrap_or_default(),
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                booked_by: r
                    .booked_by
                    .map(|p| (p, people.get(&p).cloned().unwrap_or_default())),
                note: notes.get(&r.id).copied(),
            })
            .collect())
    }
}
