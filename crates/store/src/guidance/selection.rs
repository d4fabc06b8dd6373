//! The directorate's decisions on owners ([`Selection`]): invite, not now, or declined by
//! the owner, with the rationale and the holistic assessment; audited, and the owner's
//! representatives are told through the outbox.

use super::entities::decision;
use crate::audit::AuditEvent;
use crate::entities::{membership, organization, user};
use crate::{outbox, Result, Store, StoreError};
use headway_domain::guidance::assessment::SchoolYear;
use headway_domain::guidance::cases::Decision;
use headway_domain::input::Reason;
use headway_domain::mail::{Letter, Letters};
use headway_domain::memberships::ContextRole;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub year: SchoolYear,
    pub organization_id: i32,
    pub decision: Decision,
    pub rationale: Reason,
    /// The holistic assessment the decision rests on.
    pub assessment: Reason,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRow {
    pub id: i32,
    pub year: SchoolYear,
    pub organization_id: i32,
    pub decision: Decision,
    pub rationale: String,
    pub assessment: String,
    pub decided_by: String,
    pub decided_at: String,
}

impl TryFrom<decision::Model> for DecisionRow {
    type Error = StoreError;
    fn try_from(m: decision::Model) -> Result<Self> {
        Ok(Self {
            id: m.id,
            year: SchoolYear::parse(
                "school_year",
                &format!("{}-{}", m.school_year, m.school_year + 1),
            )?,
            organization_id: m.organization_id,
            decision: Decision::parse(&m.decision)?,
            rationale: m.rationale,
            assessment: m.assessment,
            decided_by: m.decided_by,
            decided_at: m.decided_at,
        })
    }
}

/// Recording the directorate's decisions.
#[async_trait::async_trait]
pub trait Selection {
    /// Records (or replaces) the decision on an owner for a school year; audited, and each of
    /// the owner's representatives is told once per decision.
    async fn decide_owner(
        &self,
        actor: &str,
        d: NewDecision,
        letters: &dyn Letters,
    ) -> Result<DecisionRow>;
    /// The decisions of a school year.
    async fn decisions(&self, year: SchoolYear) -> Result<Vec<DecisionRow>>;
    /// An owner's latest decision, any year.
    async fn latest_decision(&self, organization_id: i32) -> Result<Option<DecisionRow>>;
}

/// The accounts that represent an organisation: a `representative` membership of it.
pub(crate) async fn representatives(
    db: &impl sea_orm::ConnectionTrait,
    organization_id: i32,
) -> Result<Vec<user::Model>> {
    let ids: Vec<i32> = membership::Entity::find()
        .filter(membership::Column::Role.eq(ContextRole::Representative.code()))
        .filter(membership::Column::ContextId.eq(organization_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| m.account_id)
        .collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Active.eq(true))
        .all(db)
        .await?)
}

#[async_trait::async_trait]
impl Selection for Store {
    async fn decide_owner(
        &self,
        actor: &str,
        d: NewDecision,
        letters: &dyn Letters,
    ) -> Result<DecisionRow> {
        let txn = self.begin_write().await?;
        let org = organization::Entity::find_by_id(d.organization_id)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let now = crate::now();
        decision::Entity::insert(decision::ActiveModel {
            school_year: Set(d.year.start()),
            organization_id: Set(org.id),
            decision: Set(d.decision.code().to_owned()),
            rationale: Set(d.rationale.as_str().to_owned()),
            assessment: Set(d.assessment.as_str().to_owned()),
            decided_by: Set(actor.to_owned()),
            decided_at: Set(now.clone()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                decision::Column::SchoolYear,
                decision::Column::OrganizationId,
            ])
            .update_columns([
                decision::Column::Decision,
                decision::Column::Rationale,
                decision::Column::Assessment,
                decision::Column::DecidedBy,
                decision::Column::DecidedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
        let row = decision::Entity::find()
            .filter(decision::Column::SchoolYear.eq(d.year.start()))
            .filter(decision::Column::OrganizationId.eq(org.id))
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let people: Vec<i32> = representatives(&*txn, org.id)
            .await?
            .into_iter()
            .filter_map(|u| u.person_id)
            .collect();
        let to = outbox::Recipients::read(&*txn, &people).await?;
        for p in &people {
            let Some(person) = to.people.get(p) else {
                continue;
            };
            let Some(email) = person.email.as_deref().filter(|m| !m.is_empty()) else {
                continue;
            };
            let letter = Letter::GuidanceDecision {
                given_name: person.given_name.clone(),
                owner: org.name.clone(),
                year: d.year.to_string(),
                decision: d.decision,
                rationale: row.rationale.clone(),
            };
            let key = format!("guidance-decision:{}:{}:{p}", row.id, row.decided_at);
            outbox::queue(
                &*txn,
                letters,
                email,
                to.language(*p, letters.default_language()),
                &letter,
                key,
            )
            .await?;
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "guidance.decide",
            subject: &format!("organization:{}", org.id),
            detail: &format!("{} {}: {}", d.year, d.decision.code(), row.rationale),
        })
        .await?;
        row.try_into()
    }

    async fn decisions(&self, year: SchoolYear) -> Result<Vec<DecisionRow>> {
        decision::Entity::find()
            .filter(decision::Column::SchoolYear.eq(year.start()))
            .order_by_asc(decision::Column::OrganizationId)
            .all(&self.db)
            .await?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    async fn latest_decision(&self, organization_id: i32) -> Result<Option<DecisionRow>> {
        decision::Entity::find()
            .filter(decision::Column::OrganizationId.eq(organization_id))
            .order_by_desc(decision::Column::SchoolYear)
            .one(&self.db)
            .await?
            .map(TryInto::try_into)
            .transpose()
    }
}
