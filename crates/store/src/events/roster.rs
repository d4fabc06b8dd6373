//! Reading who takes part: an event's registrations (the organiser's list, one joined
//! query), one person's registration with its waitlist position, and the counts by status.

use super::entities::registration;
use super::places::status;
use crate::entities::person;
use crate::{Result, Store, StoreError};
use headway_domain::events::participation::RegStatus;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;

/// A registration as the organiser's list and the participant's page show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistrationRow {
    pub id: i32,
    pub person_id: i32,
    pub name: String,
    pub audience: String,
    pub status: RegStatus,
    pub arrival: i64,
    /// From 1, among those waiting, when it waits.
    pub waitlist_position: Option<u32>,
    pub registered_at: String,
    pub promoted_at: Option<String>,
    pub attended: Option<bool>,
}

/// How many registrations of an event stand where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    pub confirmed: u32,
    pub waitlisted: u32,
    /// Awaiting the organiser's approval.
    pub pending: u32,
}

pub(super) async fn names(store: &Store, ids: Vec<i32>) -> Result<HashMap<i32, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(5000) {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .all(&store.db)
            .await?
        {
            out.insert(p.id, format!("{} {}", p.given_name, p.family_name));
        }
    }
    Ok(out)
}

pub(super) fn rows(
    models: Vec<registration::Model>,
    names: &HashMap<i32, String>,
) -> Result<Vec<RegistrationRow>> {
    let mut waiting = 0;
    models
        .into_iter()
        .map(|m| {
            let s = status(&m)?;
            let waitlist_position = (s == RegStatus::Waitlisted).then(|| {
                waiting += 1;
                waiting
            });
            Ok(RegistrationRow {
                id: m.id,
                person_id: m.person_id,
                name: names.get(&m.person_id).cloned().unwrap_or_default(),
                audience: m.audience,
                status: s,
                arrival: m.arrival,
                waitlist_position,
                registered_at: m.registered_at,
                promoted_at: m.promoted_at,
                attended: m.attended,
            })
        })
        .collect()
}

/// Every registration of the event, by arrival, with the people's names: one query.
pub(super) async fn list(store: &Store, event: i32) -> Result<Vec<RegistrationRow>> {
    use registration::Column as C;
    use sea_orm::{JoinType, RelationDef};
    // One query for the whole list, with the people's names and only the columns shown:
    // an event of 5,000 passes no 5,000 ids back to the database.
    let to_person: RelationDef = registration::Entity::belongs_to(person::Entity)
        .from(C::PersonId)
        .to(person::Column::Id)
        .into();
    type Line = (
        i32,
        i32,
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<bool>,
        String,
        String,
    );
    let lines: Vec<Line> = registration::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::PersonId,
            C::Audience,
            C::Status,
            C::Arrival,
            C::RegisteredAt,
            C::PromotedAt,
            C::Attended,
        ])
        .column(person::Column::GivenName)
        .column(person::Column::FamilyName)
        .join(JoinType::InnerJoin, to_person)
        .filter(C::EventId.eq(event))
        .order_by_asc(C::Arrival)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut waiting = 0;
    lines
        .into_iter()
        .map(
            |(
                id,
                person_id,
                audience,
                code,
                arrival,
                registered_at,
                promoted_at,
                attended,
                given,
                family,
            )| {
                let status = RegStatus::parse(&code)
                    .map_err(|e| StoreError::Internal(format!("stored registration: {e}")))?;
                let waitlist_position = (status == RegStatus::Waitlisted).then(|| {
                    waiting += 1;
                    waiting
                });
                Ok(RegistrationRow {
                    id,
                    person_id,
                    name: format!("{given} {family}"),
                    audience,
                    status,
                    arrival,
                    waitlist_position,
                    registered_at,
                    promoted_at,
                    attended,
                })
            },
        )
        .collect()
}

/// `person`'s registration of the event, if any.
pub(super) async fn one(store: &Store, event: i32, person: i32) -> Result<Option<RegistrationRow>> {
    let Some(m) = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event))
        .filter(registration::Column::PersonId.eq(person))
        .one(&store.db)
        .await?
    else {
        return Ok(None);
    };
    let position = if status(&m)? == RegStatus::Waitlisted {
        Some(
            registration::Entity::find()
                .filter(registration::Column::EventId.eq(event))
                .filter(registration::Column::Status.eq(RegStatus::Waitlisted.code()))
                .filter(registration::Column::Arrival.lte(m.arrival))
                .count(&store.db)
                .await? as u32,
        )
    } else {
        None
    };
    let names = names(store, vec![person]).await?;
    let mut row = rows(vec![m], &names)?.remove(0);
    row.waitlist_position = position;
    Ok(Some(row))
}

/// How many registrations of the event stand where: one grouped count.
pub(super) async fn tally(store: &Store, event: i32) -> Result<Tally> {
    let per: Vec<(String, i64)> = registration::Entity::find()
        .select_only()
        .column(registration::Column::Status)
        .column_as(registration::Column::Id.count(), "n")
        .filter(registration::Column::EventId.eq(event))
        .group_by(registration::Column::Status)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut t = Tally::default();
    for (s, n) in per {
        let n = n as u32;
        match RegStatus::parse(&s) {
            Ok(RegStatus::Confirmed) => t.confirmed = n,
            Ok(RegStatus::Waitlisted) => t.waitlisted = n,
            Ok(RegStatus::Pending) => t.pending = n,
            _ => {}
        }
    }
    Ok(t)
}
