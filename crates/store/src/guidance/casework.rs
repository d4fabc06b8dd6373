//! The work of a case between its phases ([`CaseWork`]): meetings (date, who took part,
//! minutes), referrals to competence environments (a provider of the directory, with the
//! topic), and the prioritised goals with their measures (what, who, by when, how far).
//! Each step needs the case open, and is audited.

use super::entities::{case, goal, measure, meeting, referral};
use crate::audit::AuditEvent;
use crate::entities::organization;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use headway_domain::directory::OrgKind;
use headway_domain::guidance::cases::{CaseRule, MeasureStatus};
use headway_domain::input::{Reason, Title};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// A meeting to record.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub held_on: NaiveDate,
    pub participants: Reason,
    pub minutes: Reason,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingRow {
    pub held_on: String,
    pub participants: String,
    pub minutes: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralRow {
    pub organization_id: i32,
    pub name: String,
    pub topic: String,
    pub referred_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureRow {
    pub id: i32,
    pub what: String,
    pub responsible: String,
    pub deadline: String,
    pub status: MeasureStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalRow {
    pub id: i32,
    pub priority: i32,
    pub title: String,
    pub measures: Vec<MeasureRow>,
}

/// Meetings, referrals, goals and measures of a case.
#[async_trait::async_trait]
pub trait CaseWork {
    async fn add_meeting(&self, actor: &str, case: i32, m: NewMeeting) -> Result<()>;
    async fn add_referral(
        &self,
        actor: &str,
        case: i32,
        organization: i32,
        topic: Title,
        on: NaiveDate,
    ) -> Result<()>;
    /// Adds a goal after the others (the next priority); returns its id.
    async fn add_goal(&self, actor: &str, case: i32, title: Title) -> Result<i32>;
    async fn add_measure(
        &self,
        actor: &str,
        case: i32,
        goal: i32,
        what: Title,
        responsible: Title,
        deadline: NaiveDate,
    ) -> Result<i32>;
    async fn set_measure_status(
        &self,
        actor: &str,
        case: i32,
        measure: i32,
        status: MeasureStatus,
    ) -> Result<()>;
    /// The providers of the directory a case may refer to, by name.
    async fn competence_environments(&self) -> Result<Vec<(i32, String)>>;
}

/// The open case `id`; a closed one is refused. Every step that changes a case starts here.
pub(super) async fn open_case(db: &impl ConnectionTrait, id: i32) -> Result<case::Model> {
    let c = case::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if c.closed_at.is_some() {
        return Err(CaseRule::Closed.into());
    }
    Ok(c)
}

/// The goal `goal` of case `case`; another case's goal is not found.
async fn goal_of(db: &impl ConnectionTrait, case: i32, goal: i32) -> Result<goal::Model> {
    goal::Entity::find_by_id(goal)
        .filter(goal::Column::CaseId.eq(case))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

fn audit<'a>(actor: &'a str, action: &'a str, subject: &'a str, detail: &'a str) -> AuditEvent<'a> {
    AuditEvent {
        actor,
        action,
        subject,
        detail,
    }
}

#[async_trait::async_trait]
impl CaseWork for Store {
    async fn add_meeting(&self, actor: &str, case: i32, m: NewMeeting) -> Result<()> {
        let txn = self.begin_write().await?;
        open_case(&*txn, case).await?;
        meeting::ActiveModel {
            case_id: Set(case),
            held_on: Set(m.held_on.to_string()),
            participants: Set(m.participants.into_inner()),
            minutes: Set(m.minutes.into_inner()),
            recorded_by: Set(actor.to_owned()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        let subject = format!("case:{case}");
        txn.commit_audited(audit(
            actor,
            "guidance.case.meeting",
            &subject,
            &m.held_on.to_string(),
        ))
        .await
    }

    async fn add_referral(
        &self,
        actor: &str,
        case: i32,
        organization: i32,
        topic: Title,
        on: NaiveDate,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        open_case(&*txn, case).await?;
        let org = organization::Entity::find_by_id(organization)
            .one(&*txn)
            .await?
            .filter(|o| o.kind == OrgKind::Provider.code())
            .ok_or(CaseRule::NotCompetenceEnvironment)?;
        referral::ActiveModel {
            case_id: Set(case),
            organization_id: Set(org.id),
            topic: Set(topic.as_str().to_owned()),
            referred_on: Set(on.to_string()),
            recorded_by: Set(actor.to_owned()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        let (subject, detail) = (format!("case:{case}"), format!("{}: {}", org.name, topic));
        txn.commit_audited(audit(actor, "guidance.case.referral", &subject, &detail))
            .await
    }

    async fn add_goal(&self, actor: &str, case: i32, title: Title) -> Result<i32> {
        let txn = self.begin_write().await?;
        open_case(&*txn, case).await?;
        let last = goal::Entity::find()
            .filter(goal::Column::CaseId.eq(case))
            .order_by_desc(goal::Column::Priority)
            .one(&*txn)
            .await?
            .map_or(0, |g| g.priority);
        let g = goal::ActiveModel {
            case_id: Set(case),
            priority: Set(last + 1),
            title: Set(title.as_str().to_owned()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        let subject = format!("case:{case}");
        txn.commit_audited(audit(actor, "guidance.case.goal", &subject, title.as_str()))
            .await?;
        Ok(g.id)
    }

    async fn add_measure(
        &self,
        actor: &str,
        case: i32,
        goal: i32,
        what: Title,
        responsible: Title,
        deadline: NaiveDate,
    ) -> Result<i32> {
        let txn = self.begin_write().await?;
        open_case(&*txn, case).await?;
        goal_of(&*txn, case, goal).await?;
        let m = measure::ActiveModel {
            goal_id: Set(goal),
            what: Set(what.as_str().to_owned()),
            responsible: Set(responsible.into_inner()),
            deadline: Set(deadline.to_string()),
            status: Set(MeasureStatus::Planned.code().to_owned()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        let subject = format!("case:{case}");
        txn.commit_audited(audit(
            actor,
            "guidance.case.measure",
            &subject,
            what.as_str(),
        ))
        .await?;
        Ok(m.id)
    }

    async fn set_measure_status(
        &self,
        actor: &str,
        case: i32,
        id: i32,
        status: MeasureStatus,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        open_case(&*txn, case).await?;
        let m = measure::Entity::find_by_id(id)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        goal_of(&*txn, case, m.goal_id).await?;
        let mut a: measure::ActiveModel = m.into();
        a.status = Set(status.code().to_owned());
        a.update(&*txn).await?;
        let (subject, detail) = (format!("case:{case}"), format!("measure {id}: {status}"));
        txn.commit_audited(audit(
            actor,
            "guidance.case.measure_status",
            &subject,
            &detail,
        ))
        .await
    }

    async fn competence_environments(&self) -> Result<Vec<(i32, String)>> {
        Ok(organization::Entity::find()
            .filter(organization::Column::Kind.eq(OrgKind::Provider.code()))
            .order_by_asc(organization::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect())
    }
}

/// What a case's page shows of its work: meetings (by date), referrals, goals in priority
/// order with their measures; four queries.
pub(super) async fn work_of(
    db: &impl ConnectionTrait,
    case: i32,
) -> Result<(Vec<MeetingRow>, Vec<ReferralRow>, Vec<GoalRow>)> {
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::CaseId.eq(case))
        .order_by_asc(meeting::Column::HeldOn)
        .all(db)
        .await?
        .into_iter()
        .map(|m| MeetingRow {
            held_on: m.held_on,
            participants: m.participants,
            minutes: m.minutes,
            recorded_by: m.recorded_by,
        })
        .collect();
    let refs = referral::Entity::find()
        .filter(referral::Column::CaseId.eq(case))
        .order_by_asc(referral::Column::ReferredOn)
        .all(db)
        .await?;
    let names: HashMap<i32, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(refs.iter().map(|r| r.organization_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let referrals = refs
        .into_iter()
        .map(|r| ReferralRow {
            name: names.get(&r.organization_id).cloned().unwrap_or_default(),
            organization_id: r.organization_id,
            topic: r.topic,
            referred_on: r.referred_on,
        })
        .collect();
    let goals = goal::Entity::find()
        .filter(goal::Column::CaseId.eq(case))
        .order_by_asc(goal::Column::Priority)
        .all(db)
        .await?;
    let mut measures: HashMap<i32, Vec<MeasureRow>> = HashMap::new();
    for m in measure::Entity::find()
        .filter(measure::Column::GoalId.is_in(goals.iter().map(|g| g.id)))
        .order_by_asc(measure::Column::Deadline)
        .all(db)
        .await?
    {
        measures.entry(m.goal_id).or_default().push(MeasureRow {
            id: m.id,
            what: m.what,
            responsible: m.responsible,
            deadline: m.deadline,
            status: MeasureStatus::parse(&m.status)?,
        });
    }
    let goals = goals
        .into_iter()
        .map(|g| GoalRow {
            measures: measures.remove(&g.id).unwrap_or_default(),
            id: g.id,
            priority: g.priority,
            title: g.title,
        })
        .collect();
    Ok((meetings, referrals, goals))
}
