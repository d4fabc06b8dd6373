//! Guidance cases ([`Cases`]): opened for an owner the directorate invited, with its
//! advisors (a `case_advisor` membership each) and the owner's representatives as its
//! contacts (`case_owner_contact`); each phase's outputs recorded, and the phase signed off
//! by advisor and owner once it has them all — the second sign-off moves the case on, and
//! after evaluation closes it. Every step is audited.

use super::casework::{work_of, GoalRow, MeetingRow, ReferralRow};
use super::entities::{case, output, signoff};
use super::selection::{representatives, Selection};
use crate::audit::AuditEvent;
use crate::entities::{membership, organization, user};
use crate::memberships::insert as grant;
use crate::{Result, Store, StoreError};
use chrono::{Months, NaiveDate};
use headway_domain::accounts::Role;
use headway_domain::guidance::cases::{
    may_sign, CaseRule, Decision, Output, Party, Phase, SnapshotKind,
};
use headway_domain::input::Reason;
use headway_domain::memberships::{ContextRole, Membership};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

/// A case to open.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub organization_id: i32,
    pub starts_on: NaiveDate,
    /// How long it runs, at most `max_months`.
    pub months: u32,
    pub advisors: Vec<i32>,
    pub kindergarten: bool,
}

/// A case as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseSummary {
    pub id: i32,
    pub organization_id: i32,
    pub owner: String,
    pub starts_on: String,
    pub ends_on: String,
    pub phase: Phase,
    pub closed: bool,
    pub kindergarten: bool,
}

/// One recorded output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputRow {
    pub output: Output,
    pub text: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// One sign-off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignOff {
    pub phase: Phase,
    pub party: Party,
    pub by: String,
    pub at: String,
}

/// A case with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub outputs: Vec<OutputRow>,
    pub signoffs: Vec<SignOff>,
    /// `(account id, name)`.
    pub advisors: Vec<(i32, String)>,
    pub contacts: Vec<(i32, String)>,
    pub meetings: Vec<MeetingRow>,
    pub referrals: Vec<ReferralRow>,
    pub goals: Vec<GoalRow>,
}

/// Keeping guidance cases.
#[async_trait::async_trait]
pub trait Cases {
    /// Opens a case for an invited owner without a running one; `max_months` bounds its
    /// period. Returns its id.
    async fn open_case(&self, actor: &str, c: NewCase, max_months: u32) -> Result<i32>;
    /// Cases by id (every case: `None`), newest first.
    async fn cases(&self, ids: Option<&[i32]>) -> Result<Vec<CaseSummary>>;
    async fn case(&self, id: i32) -> Result<CaseDetail>;
    /// Writes an output of the case's current phase (again: replaces it).
    async fn record_output(&self, actor: &str, id: i32, o: Output, text: Reason) -> Result<()>;
    /// Signs the current phase off for `party`; returns the phase the case is in after.
    async fn sign_off(&self, actor: &str, id: i32, party: Party, account: i32) -> Result<Phase>;
    /// The people who are the owners' contacts of every running case (to invite the owners
    /// in guidance to a gathering); three queries.
    async fn owners_in_guidance(&self) -> Result<Vec<i32>>;
}

fn summary(m: case::Model, owner: String) -> Result<CaseSummary> {
    Ok(CaseSummary {
        id: m.id,
        organization_id: m.organization_id,
        owner,
        phase: Phase::parse(&m.phase)?,
        closed: m.closed_at.is_some(),
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        kindergarten: m.kindergarten,
    })
}

async fn names(db: &impl sea_orm::ConnectionTrait, ids: Vec<i32>) -> Result<Vec<(i32, String)>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// The accounts holding `role` in case `id`.
async fn holders(
    db: &impl sea_orm::ConnectionTrait,
    role: ContextRole,
    id: i32,
) -> Result<Vec<i32>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::Role.eq(role.code()))
        .filter(membership::Column::ContextId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| m.account_id)
        .collect())
}

#[async_trait::async_trait]
impl Cases for Store {
    async fn owners_in_guidance(&self) -> Result<Vec<i32>> {
        let running: Vec<i32> = case::Entity::find()
            .filter(case::Column::ClosedAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let accounts: Vec<i32> = membership::Entity::find()
            .filter(membership::Column::Role.eq(ContextRole::CaseOwnerContact.code()))
            .filter(membership::Column::ContextId.is_in(running))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|m| m.account_id)
            .collect();
        let mut people: Vec<i32> = user::Entity::find()
            .filter(user::Column::Id.is_in(accounts))
            .filter(user::Column::Active.eq(true))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|u| u.person_id)
            .collect();
        people.sort_unstable();
        people.dedup();
        Ok(people)
    }

    async fn open_case(&self, actor: &str, c: NewCase, max_months: u32) -> Result<i32> {
        if c.months == 0 || c.months > max_months {
            return Err(CaseRule::PeriodTooLong { max: max_months }.into());
        }
        let decision = self.latest_decision(c.organization_id).await?;
        if decision.as_ref().map(|d| d.decision) != Some(Decision::Invite) {
            return Err(CaseRule::NotInvited.into());
        }
        let txn = self.begin_write().await?;
        let running = case::Entity::find()
            .filter(case::Column::OrganizationId.eq(c.organization_id))
            .filter(case::Column::ClosedAt.is_null())
            .one(&*txn)
            .await?;
        if running.is_some() {
            return Err(CaseRule::CaseRunning.into());
        }
        let advisors = user::Entity::find()
            .filter(user::Column::Id.is_in(c.advisors.clone()))
            .all(&*txn)
            .await?;
        if advisors.len() != c.advisors.len()
            || advisors.iter().any(|a| a.role != Role::Advisor.code())
        {
            return Err(CaseRule::NotAnAdvisor.into());
        }
        let ends = c
            .starts_on
            .checked_add_months(Months::new(c.months))
            .ok_or(CaseRule::PeriodTooLong { max: max_months })?;
        let row = case::ActiveModel {
            organization_id: Set(c.organization_id),
            decision_id: Set(decision.map(|d| d.id)),
            starts_on: Set(c.starts_on.to_string()),
            ends_on: Set(ends.to_string()),
            phase: Set(Phase::Mapping.code().to_owned()),
            kindergarten: Set(c.kindergarten),
            closed_at: Set(None),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        for a in &advisors {
            grant(
                &*txn,
                a.id,
                Membership {
                    role: ContextRole::CaseAdvisor,
                    context_id: row.id,
                },
            )
            .await?;
        }
        super::evaluation::take(
            &*txn,
            row.id,
            c.organization_id,
            SnapshotKind::Baseline,
            c.starts_on,
            actor,
        )
        .await?;
        for u in representatives(&*txn, c.organization_id).await? {
            grant(
                &*txn,
                u.id,
                Membership {
                    role: ContextRole::CaseOwnerContact,
                    context_id: row.id,
                },
            )
            .await?;
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "guidance.case.open",
            subject: &format!("case:{}", row.id),
            detail: &format!(
                "organization {} from {} to {ends}; advisors {:?}",
                c.organization_id, c.starts_on, c.advisors
            ),
        })
        .await?;
        Ok(row.id)
    }

    async fn cases(&self, ids: Option<&[i32]>) -> Result<Vec<CaseSummary>> {
        let mut q = case::Entity::find().order_by_desc(case::Column::Id);
        if let Some(ids) = ids {
            q = q.filter(case::Column::Id.is_in(ids.to_vec()));
        }
        let rows = q.all(&self.db).await?;
        let orgs: std::collections::HashMap<i32, String> = organization::Entity::find()
            .filter(organization::Column::Id.is_in(rows.iter().map(|r| r.organization_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        rows.into_iter()
            .map(|m| {
                let owner = orgs.get(&m.organization_id).cloned().unwrap_or_default();
                summary(m, owner)
            })
            .collect()
    }

    async fn case(&self, id: i32) -> Result<CaseDetail> {
        let summary = self
            .cases(Some(&[id]))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        let outputs = output::Entity::find()
            .filter(output::Column::CaseId.eq(id))
            .order_by_asc(output::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| {
                Ok(OutputRow {
                    output: Output::parse(&o.output)?,
                    text: o.text,
                    recorded_by: o.recorded_by,
                    recorded_at: o.recorded_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let signed = signoff::Entity::find()
            .filter(signoff::Column::CaseId.eq(id))
            .order_by_asc(signoff::Column::Id)
            .all(&self.db)
            .await?;
        let who = names(
            &self.db,
            signed.iter().filter_map(|s| s.account_id).collect(),
        )
        .await?;
        let signoffs = signed
            .into_iter()
            .map(|s| {
                Ok(SignOff {
                    phase: Phase::parse(&s.phase)?,
                    party: Party::parse(&s.party)?,
                    by: who
                        .iter()
                        .find(|w| Some(w.0) == s.account_id)
                        .map(|w| w.1.clone())
                        .unwrap_or_default(),
                    at: s.signed_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let (meetings, referrals, goals) = work_of(&self.db, id).await?;
        Ok(CaseDetail {
            meetings,
            referrals,
            goals,
            summary,
            outputs,
            signoffs,
            advisors: names(
                &self.db,
                holders(&self.db, ContextRole::CaseAdvisor, id).await?,
            )
            .await?,
            contacts: names(
                &self.db,
                holders(&self.db, ContextRole::CaseOwnerContact, id).await?,
            )
            .await?,
        })
    }

    async fn record_output(&self, actor: &str, id: i32, o: Output, text: Reason) -> Result<()> {
        let txn = self.begin_write().await?;
        let c = super::casework::open_case(&*txn, id).await?;
        let current = Phase::parse(&c.phase)?;
        if Phase::of(o) != current {
            return Err(CaseRule::NotCurrentPhase {
                current,
                asked: Phase::of(o),
            }
            .into());
        }
        output::Entity::insert(output::ActiveModel {
            case_id: Set(id),
            output: Set(o.code().to_owned()),
            text: Set(text.as_str().to_owned()),
            recorded_by: Set(actor.to_owned()),
            recorded_at: Set(crate::now()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([output::Column::CaseId, output::Column::Output])
                .update_columns([
                    output::Column::Text,
                    output::Column::RecordedBy,
                    output::Column::RecordedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "guidance.case.output",
            subject: &format!("case:{id}"),
            detail: o.code(),
        })
        .await
    }

    async fn sign_off(&self, actor: &str, id: i32, party: Party, account: i32) -> Result<Phase> {
        let txn = self.begin_write().await?;
        let c = super::casework::open_case(&*txn, id).await?;
        let phase = Phase::parse(&c.phase)?;
        let recorded: Vec<Output> = output::Entity::find()
            .filter(output::Column::CaseId.eq(id))
            .all(&*txn)
            .await?
            .iter()
            .filter_map(|o| Output::parse(&o.output).ok())
            .collect();
        let signed: Vec<Party> = signoff::Entity::find()
            .filter(signoff::Column::CaseId.eq(id))
            .filter(signoff::Column::Phase.eq(phase.code()))
            .all(&*txn)
            .await?
            .iter()
            .filter_map(|s| Party::parse(&s.party).ok())
            .collect();
        may_sign(phase, &recorded, &signed, party)?;
        signoff::ActiveModel {
            case_id: Set(id),
            phase: Set(phase.code().to_owned()),
            party: Set(party.code().to_owned()),
            account_id: Set(Some(account)),
            signed_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        let both = signed.len() + 1 == Party::ALL.len();
        let after = match (both, phase.next()) {
            (true, Some(next)) => {
                let mut a: case::ActiveModel = c.into();
                a.phase = Set(next.code().to_owned());
                a.update(&*txn).await?;
                next
            }
            (true, None) => {
                let mut a: case::ActiveModel = c.into();
                a.closed_at = Set(Some(crate::now()));
                a.update(&*txn).await?;
                phase
            }
            (false, _) => phase,
        };
        txn.commit_audited(AuditEvent {
            actor,
            action: "guidance.case.signoff",
            subject: &format!("case:{id}"),
            detail: &format!("{} by the {}", phase.code(), party.code()),
        })
        .await?;
        Ok(after)
    }
}
