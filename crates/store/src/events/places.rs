//! Places at an event: how many are confirmed, passing freed places on to the waiting in
//! arrival order, and telling the people concerned once (through the outbox, in the step's
//! own transaction). Every caller holds the event's lock ([`super::registrations::lock`]).

use super::entities::{event, event_audience, registration};
use crate::{outbox, Result, StoreError, WriteTxn};
use chrono::NaiveDateTime;
use headway_domain::events::participation::{promotions, RegStatus, Waiting};
use headway_domain::mail::{Letter, Letters};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

pub(super) fn status(m: &registration::Model) -> Result<RegStatus> {
    RegStatus::parse(&m.status)
        .map_err(|e| StoreError::Internal(format!("stored registration: {e}")))
}

/// Confirmed registrations of the event, in all and per audience: one grouped count, not
/// the rows (every registration step asks, so it must not grow with the event).
pub(super) async fn confirmed_counts(
    txn: &WriteTxn,
    event: i32,
) -> Result<(u32, HashMap<String, u32>)> {
    let per: Vec<(String, i64)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::Audience)
        .column_as(registration::Column::Id.count(), "n")
        .filter(registration::Column::EventId.eq(event))
        .filter(registration::Column::Status.eq(RegStatus::Confirmed.code()))
        .group_by(registration::Column::Audience)
        .into_tuple()
        .all(&**txn)
        .await?;
    let total = per.iter().map(|(_, n)| *n as u32).sum();
    Ok((total, per.into_iter().map(|(a, n)| (a, n as u32)).collect()))
}

/// Promotes whoever the rules say, in arrival order, and tells each once.
pub(super) async fn promote(
    txn: &WriteTxn,
    e: &event::Model,
    letters: &dyn Letters,
) -> Result<Vec<i32>> {
    let audiences = event_audience::Entity::find()
        .filter(event_audience::Column::EventId.eq(e.id))
        .all(&**txn)
        .await?;
    let (total, per) = confirmed_counts(txn, e.id).await?;
    let waiting_rows = registration::Entity::find()
        .filter(registration::Column::EventId.eq(e.id))
        .filter(registration::Column::Status.eq(RegStatus::Waitlisted.code()))
        .order_by_asc(registration::Column::Arrival)
        .all(&**txn)
        .await?;
    if waiting_rows.is_empty() {
        return Ok(Vec::new());
    }
    let caps: Vec<(String, Option<u32>, u32)> = audiences
        .iter()
        .map(|a| {
            (
                a.key.clone(),
                a.capacity.map(|c| c as u32),
                per.get(&a.key).copied().unwrap_or(0),
            )
        })
        .collect();
    let waiting: Vec<Waiting> = waiting_rows
        .iter()
        .map(|r| Waiting {
            id: r.id,
            arrival: r.arrival,
            audience: r.audience.clone(),
        })
        .collect();
    let chosen = promotions(e.capacity.map(|c| c as u32), total, &caps, &waiting);
    let now = crate::now();
    let mut promoted = Vec::with_capacity(chosen.len());
    for r in waiting_rows.into_iter().filter(|r| chosen.contains(&r.id)) {
        let (id, person_id, arrival) = (r.id, r.person_id, r.arrival);
        let mut a: registration::ActiveModel = r.into();
        a.status = Set(RegStatus::Confirmed.code().into());
        a.changed_at = Set(now.clone());
        a.promoted_at = Set(Some(now.clone()));
        a.update(&**txn).await?;
        tell(
            txn,
            e,
            person_id,
            letters,
            Told::Promoted,
            format!("promoted:{id}:{arrival}"),
        )
        .await?;
        promoted.push(person_id);
    }
    Ok(promoted)
}

/// What a participant is told.
pub(super) enum Told {
    /// A place freed and is theirs.
    Promoted,
    /// The organiser decided on their registration.
    Decided(RegStatus),
}

pub(super) async fn tell(
    txn: &WriteTxn,
    e: &event::Model,
    person_id: i32,
    letters: &dyn Letters,
    what: Told,
    key: String,
) -> Result<()> {
    let to = outbox::Recipients::read(&**txn, &[person_id]).await?;
    let Some(p) = to.people.get(&person_id) else {
        return Ok(());
    };
    let Some(email) = p.email.as_deref().filter(|m| !m.is_empty()) else {
        return Ok(());
    };
    let lang = to.language(person_id, letters.default_language());
    let at = |s: &str| {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
            .map_err(|err| StoreError::Internal(format!("stored event time: {err}")))
    };
    let (given_name, event, zone) = (p.given_name.clone(), e.title.clone(), e.time_zone.clone());
    let (starts, ends, path) = (
        at(&e.starts_local)?,
        at(&e.ends_local)?,
        format!("/events/{}", e.id),
    );
    let letter = match what {
        Told::Promoted => Letter::PlaceFreed {
            given_name,
            event,
            starts,
            ends,
            zone,
            path,
        },
        Told::Decided(outcome) => Letter::RegistrationDecided {
            given_name,
            event,
            starts,
            ends,
            zone,
            outcome,
            path,
        },
    };
    outbox::queue(&**txn, letters, email, lang, &letter, key).await
}
