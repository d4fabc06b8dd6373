//! Taking part in events: register (confirmed while there is room, else waitlisted in
//! arrival order), cancel (the first waiting registration that fits is promoted and told
//! once, through the outbox, in the same transaction), places, attendance.
//!
//! Every step first raises the event's arrival counter (`events.arrivals`): on PostgreSQL
//! that takes the event row's lock until the step commits, on SQLite the write lock is
//! taken at the start; so steps on one event run one after another, arrival numbers follow
//! the order they ran in, and no interleaving confirms more than capacity.

use super::entities::{event, event_audience, registration};
use super::places::{confirmed_counts, promote, status, tell, Told};
use super::roster::{names, RegistrationRow, Tally};
use crate::audit::AuditEvent;
use crate::entities::person;
use crate::{Result, Store, StoreError, WriteTxn};
use headway_domain::events::participation::{arriving, EventRule, RegStatus, Room};
use headway_domain::mail::Letters;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// Taking part.
#[async_trait::async_trait]
pub trait Registrations {
    /// Registers `person` as one of `audience`: confirmed while the event and the audience
    /// have room, else waitlisted; pending instead at an event that asks for approval.
    /// Refused once registration closed, for a cancelled event, an unknown audience, someone
    /// already registered, or someone the organiser declined.
    async fn register(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        audience: &str,
    ) -> Result<RegistrationRow>;

    /// The organiser approves (`true`) or declines a pending registration. Approved, it is
    /// confirmed when there is room, else waitlisted by its arrival; the person is told
    /// either way, once, in their language.
    async fn decide_registration(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        approve: bool,
        letters: &dyn Letters,
    ) -> Result<RegStatus>;

    /// Cancels `person`'s registration; a freed place goes to the first waiting
    /// registration that fits, who is told once. Returns the promoted people.
    async fn cancel_registration(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        letters: &dyn Letters,
    ) -> Result<Vec<i32>>;

    /// Sets the event's places and its audiences' (`None`: no limit); refused below the
    /// number already confirmed; more places promote the waiting. Returns the promoted.
    async fn set_capacity(
        &self,
        actor: &str,
        event: i32,
        capacity: Option<u32>,
        audiences: &[(String, Option<u32>)],
        letters: &dyn Letters,
    ) -> Result<Vec<i32>>;

    /// Every registration of the event, by arrival; two queries.
    async fn registrations(&self, event: i32) -> Result<Vec<RegistrationRow>>;

    /// `person`'s registration of the event, if any.
    async fn registration(&self, event: i32, person: i32) -> Result<Option<RegistrationRow>>;

    /// How many are confirmed, waitlisted and pending; one grouped count.
    async fn registration_counts(&self, event: i32) -> Result<Tally>;

    /// Marks a confirmed participant present (`true`) or absent (`false`), once the event
    /// has begun. Present gives the certificate its code and, at an event counting for an
    /// accredited offer, a registered leader's PD log the activity; absent takes it out.
    async fn mark_attendance(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        attended: bool,
    ) -> Result<()>;
}

/// Takes the event's lock and the next arrival number.
pub(super) async fn lock(txn: &WriteTxn, event: i32) -> Result<(event::Model, i64)> {
    let raised = event::Entity::update_many()
        .col_expr(
            event::Column::Arrivals,
            Expr::col(event::Column::Arrivals).add(1),
        )
        .filter(event::Column::Id.eq(event))
        .exec(&**txn)
        .await?;
    if raised.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    let e = event::Entity::find_by_id(event)
        .one(&**txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let arrival = e.arrivals;
    Ok((e, arrival))
}

/// Registers `person` (see [`Registrations::register`]); `approved`: the organiser's
/// approval is given already (an invitation's yes), so the registration is not held.
pub(super) async fn register_as(
    store: &Store,
    actor: &str,
    event: i32,
    person: i32,
    audience: &str,
    approved: bool,
) -> Result<RegistrationRow> {
    let txn = store.begin_write().await?;
    let (e, arrival) = lock(&txn, event).await?;
    if e.status == "cancelled" {
        return Err(EventRule::EventCancelled.into());
    }
    let closes = e
        .registration_closes_utc
        .clone()
        .unwrap_or_else(|| e.starts_utc.clone());
    if crate::now() >= closes {
        return Err(EventRule::RegistrationClosed { deadline: closes }.into());
    }
    let aud = event_audience::Entity::find_by_id((event, audience.to_owned()))
        .one(&*txn)
        .await?
        .ok_or_else(|| EventRule::NoSuchAudience {
            audience: audience.chars().take(40).collect(),
        })?;
    if person::Entity::find_by_id(person).count(&*txn).await? == 0 {
        return Err(StoreError::NotFound);
    }
    let existing = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event))
        .filter(registration::Column::PersonId.eq(person))
        .one(&*txn)
        .await?;
    if let Some(x) = &existing {
        match status(x)? {
            RegStatus::Cancelled => {}
            RegStatus::Declined => return Err(EventRule::Declined.into()),
            _ => return Err(EventRule::AlreadyRegistered.into()),
        }
    }
    let (total, per) = confirmed_counts(&txn, event).await?;
    let room = Room {
        event_capacity: e.capacity.map(|c| c as u32),
        event_confirmed: total,
        audience_capacity: aud.capacity.map(|c| c as u32),
        audience_confirmed: per.get(audience).copied().unwrap_or(0),
    };
    let state = arriving(e.needs_approval, approved, &room);
    let now = crate::now();
    let saved = match existing {
        Some(x) => {
            let mut a: registration::ActiveModel = x.into();
            a.audience = Set(audience.to_owned());
            a.status = Set(state.code().into());
            a.arrival = Set(arrival);
            a.registered_at = Set(now.clone());
            a.changed_at = Set(now);
            a.promoted_at = Set(None);
            a.attended = Set(None);
            a.update(&*txn).await?
        }
        None => {
            registration::ActiveModel {
                event_id: Set(event),
                person_id: Set(person),
                audience: Set(audience.to_owned()),
                status: Set(state.code().into()),
                arrival: Set(arrival),
                registered_at: Set(now.clone()),
                changed_at: Set(now),
                promoted_at: Set(None),
                attended: Set(None),
                ..Default::default()
            }
            .insert(&*txn)
            .await?
        }
    };
    let position = if state == RegStatus::Waitlisted {
        Some(
            registration::Entity::find()
                .filter(registration::Column::EventId.eq(event))
                .filter(registration::Column::Status.eq(RegStatus::Waitlisted.code()))
                .filter(registration::Column::Arrival.lte(arrival))
                .count(&*txn)
                .await? as u32,
        )
    } else {
        None
    };
    txn.commit_audited(AuditEvent {
        actor,
        action: "event.register",
        subject: &format!("event:{event}"),
        detail: &format!("person:{person} {} {}", audience, state.code()),
    })
    .await?;
    let name = names(store, vec![person])
        .await?
        .remove(&person)
        .unwrap_or_default();
    Ok(RegistrationRow {
        id: saved.id,
        person_id: person,
        name,
        audience: saved.audience,
        status: state,
        arrival,
        waitlist_position: position,
        registered_at: saved.registered_at,
        promoted_at: None,
        attended: None,
    })
}

#[async_trait::async_trait]
impl Registrations for Store {
    async fn register(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        audience: &str,
    ) -> Result<RegistrationRow> {
        register_as(self, actor, event, person, audience, false).await
    }

    async fn decide_registration(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        approve: bool,
        letters: &dyn Letters,
    ) -> Result<RegStatus> {
        let txn = self.begin_write().await?;
        let (e, _) = lock(&txn, event).await?;
        let r = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event))
            .filter(registration::Column::PersonId.eq(person))
            .one(&*txn)
            .await?
            .ok_or(EventRule::NotRegistered)?;
        if status(&r)? != RegStatus::Pending {
            return Err(EventRule::NotPending.into());
        }
        let outcome = if approve {
            let capacity = event_audience::Entity::find_by_id((event, r.audience.clone()))
                .one(&*txn)
                .await?
                .and_then(|a| a.capacity);
            let (total, per) = confirmed_counts(&txn, event).await?;
            arriving(
                false,
                true,
                &Room {
                    event_capacity: e.capacity.map(|c| c as u32),
                    event_confirmed: total,
                    audience_capacity: capacity.map(|c| c as u32),
                    audience_confirmed: per.get(&r.audience).copied().unwrap_or(0),
                },
            )
        } else {
            RegStatus::Declined
        };
        let (id, arrival) = (r.id, r.arrival);
        let mut a: registration::ActiveModel = r.into();
        a.status = Set(outcome.code().into());
        a.changed_at = Set(crate::now());
        a.update(&*txn).await?;
        tell(
            &txn,
            &e,
            person,
            letters,
            Told::Decided(outcome),
            format!("decided:{id}:{arrival}"),
        )
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.decide_registration",
            subject: &format!("event:{event}"),
            detail: &format!("person:{person} {}", outcome.code()),
        })
        .await?;
        Ok(outcome)
    }

    async fn cancel_registration(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        letters: &dyn Letters,
    ) -> Result<Vec<i32>> {
        let txn = self.begin_write().await?;
        let (e, _) = lock(&txn, event).await?;
        let r = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event))
            .filter(registration::Column::PersonId.eq(person))
            .one(&*txn)
            .await?
            .ok_or(EventRule::NotRegistered)?;
        let was = status(&r)?;
        if matches!(was, RegStatus::Cancelled | RegStatus::Declined) {
            return Err(EventRule::NotRegistered.into());
        }
        let mut a: registration::ActiveModel = r.into();
        a.status = Set(RegStatus::Cancelled.code().into());
        a.changed_at = Set(crate::now());
        a.update(&*txn).await?;
        let promoted = if was == RegStatus::Confirmed {
            promote(&txn, &e, letters).await?
        } else {
            Vec::new()
        };
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.cancel_registration",
            subject: &format!("event:{event}"),
            detail: &format!("person:{person} promoted:{promoted:?}"),
        })
        .await?;
        Ok(promoted)
    }

    async fn set_capacity(
        &self,
        actor: &str,
        event: i32,
        capacity: Option<u32>,
        audiences: &[(String, Option<u32>)],
        letters: &dyn Letters,
    ) -> Result<Vec<i32>> {
        let txn = self.begin_write().await?;
        let (e, _) = lock(&txn, event).await?;
        let (total, per) = confirmed_counts(&txn, event).await?;
        if let Some(c) = capacity.filter(|c| *c < total) {
            return Err(EventRule::CapacityBelowConfirmed {
                capacity: c,
                confirmed: total,
            }
            .into());
        }
        for (key, cap) in audiences {
            let confirmed = per.get(key).copied().unwrap_or(0);
            if let Some(c) = cap.filter(|c| *c < confirmed) {
                return Err(EventRule::CapacityBelowConfirmed {
                    capacity: c,
                    confirmed,
                }
                .into());
            }
            let n = event_audience::Entity::update_many()
                .col_expr(
                    event_audience::Column::Capacity,
                    Expr::value(cap.map(|c| c as i32)),
                )
                .filter(event_audience::Column::EventId.eq(event))
                .filter(event_audience::Column::Key.eq(key.as_str()))
                .exec(&*txn)
                .await?;
            if n.rows_affected == 0 {
                return Err(EventRule::NoSuchAudience {
                    audience: key.chars().take(40).collect(),
                }
                .into());
            }
        }
        let mut a: event::ActiveModel = e.into();
        a.capacity = Set(capacity.map(|c| c as i32));
        a.updated_at = Set(crate::now());
        let e = a.update(&*txn).await?;
        let promoted = promote(&txn, &e, letters).await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.capacity",
            subject: &format!("event:{event}"),
            detail: &format!("capacity:{capacity:?} audiences:{audiences:?} promoted:{promoted:?}"),
        })
        .await?;
        Ok(promoted)
    }

    async fn registrations(&self, event: i32) -> Result<Vec<RegistrationRow>> {
        super::roster::list(self, event).await
    }

    async fn registration(&self, event: i32, person: i32) -> Result<Option<RegistrationRow>> {
        super::roster::one(self, event, person).await
    }

    async fn registration_counts(&self, event: i32) -> Result<Tally> {
        super::roster::tally(self, event).await
    }

    async fn mark_attendance(
        &self,
        actor: &str,
        event: i32,
        person: i32,
        attended: bool,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let e = event::Entity::find_by_id(event)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let r = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event))
            .filter(registration::Column::PersonId.eq(person))
            .one(&*txn)
            .await?
            .ok_or(EventRule::NotRegistered)?;
        super::certificates::on_attendance(&txn, actor, &e, r, attended).await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.attendance",
            subject: &format!("event:{event}"),
            detail: &format!("person:{person} attended:{attended}"),
        })
        .await
    }
}
