//! The school-leader register, one file per group of use cases, each behind a capability
//! trait implemented once on [`Store`]: [`Enrolments`], [`Committee`], [`Cycles`],
//! [`PdLog`], [`BoardAccess`], [`Catalogue`], [`PublicRegister`], [`RegisterWorker`]
//! (`use headway_store::register::prelude::*` brings them all). Rules come from
//! `headway_domain::register`; the types here are what the layers above see.

mod board;
mod catalogue;
mod committee;
mod cycles;
mod enrolment;
pub mod index;
mod pd_log;
mod public;
mod worker;

pub use board::BoardAccess;
pub use catalogue::Catalogue;
pub use committee::Committee;
pub use cycles::Cycles;
pub use enrolment::Enrolments;
pub use pd_log::PdLog;
pub use public::PublicRegister;
pub use worker::RegisterWorker;

/// Every capability of the register, for `use headway_store::register::prelude::*`.
pub mod prelude {
    pub use super::{
        BoardAccess, Catalogue, Committee, Cycles, Enrolments, PdLog, PublicRegister,
        RegisterWorker,
    };
}

use crate::audit::{self, AuditEvent};
use crate::entities::register::{
    activity, consent, cycle, decision, evidence, leader, leader_school, offer, vocab, word,
};
use crate::entities::{audit_log, organization, person, user};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use headway_domain::files::EVIDENCE;
use headway_domain::input::{
    Description, Email, Hours, InputError, PersonName, Points, Problem, Reason, Title,
};
use headway_domain::register::{
    self as rules, ActivityKind, CycleStatus, Decision, DecisionKind, EnrolmentStatus,
    LeaderStatus, OfferStatus, Position, RegisterRules, RuleError, Validation,
};
use headway_domain::text::{fold, term_score};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What a leader gives when enrolling.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub board_id: Option<i32>,
    pub school_ids: Vec<i32>,
    pub position: Position,
    pub qualification: String,
}

/// The most schools one leader can name.
pub const MAX_SCHOOLS: usize = 20;

/// A leader as the leader, the committee and the board see them.
/// One page of the committee's queue.
#[derive(Debug, Clone)]
pub struct CommitteeQueue {
    pub waiting: Vec<LeaderView>,
    /// All waiting leaders that match, over every page.
    pub total: u64,
    /// Informal activities awaiting validation: `(leader id, activity)`.
    pub pending: Vec<(i32, ActivityView)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaderView {
    pub id: i32,
    pub name: String,
    pub email: Option<String>,
    pub user_id: Option<i32>,
    pub board_id: Option<i32>,
    pub position: Position,
    pub qualification: String,
    pub status: LeaderStatus,
    pub level: Option<String>,
    pub objected: bool,
    pub schools: Vec<(i32, String)>,
    /// Whether the committee has confirmed the board link (at its decision, and again
    /// after a change of schools); the board sees the leader only then.
    pub board_confirmed: bool,
    /// When the leader last changed schools, while the committee has not confirmed it.
    pub schools_changed_at: Option<String>,
}

/// What the public register shows: nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicEntry {
    pub id: i32,
    pub name: String,
    pub schools: Vec<String>,
    pub municipalities: Vec<String>,
    pub status: LeaderStatus,
    pub level: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleView {
    pub id: i32,
    pub number: i32,
    pub starts_on: String,
    pub ends_on: String,
    pub status: CycleStatus,
    pub points: f64,
    pub target: f64,
    pub elapsed: f64,
    pub deferral_requested: Option<String>,
    pub deferral_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityView {
    pub id: i32,
    pub title: String,
    pub kind: ActivityKind,
    pub themes: String,
    pub hours: f64,
    pub points: f64,
    pub started_on: String,
    pub completed_on: String,
    pub validation: Validation,
    pub evidence: Vec<(i32, String)>,
    /// Whether it counts towards the points (formal, or informal and validated).
    pub counts: bool,
}

/// A PD activity to record.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub offer_id: Option<i32>,
    pub title: String,
    pub kind: ActivityKind,
    pub themes: Vec<String>,
    pub hours: f64,
    pub points: f64,
    pub started_on: NaiveDate,
    pub completed_on: NaiveDate,
}

/// An evidence file as uploaded.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Evidence files per activity (their types and sizes: [`headway_domain::files::EVIDENCE`]).
pub const MAX_EVIDENCE_FILES: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardLeaderRow {
    pub id: i32,
    pub name: String,
    pub position: Position,
    pub status: LeaderStatus,
    pub level: Option<String>,
    pub schools: String,
    pub cycle_ends_on: Option<String>,
    pub points: f64,
    pub consent_all: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterStats {
    pub enrolled: u64,
    pub registered: u64,
    pub school_locations: u64,
    pub boards: u64,
    /// First registrations per year.
    pub per_year: Vec<(i32, u64)>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TickReport {
    pub status_changes: u64,
    pub reminders: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferView {
    pub id: i32,
    pub provider_id: i32,
    pub provider: String,
    pub title: String,
    pub description: String,
    pub themes: String,
    pub hours: f64,
    pub points: f64,
    pub valid_from: String,
    pub valid_until: String,
    pub status: OfferStatus,
}

/// A decision (or objection, re-registration, deferral) on a registration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionView {
    pub kind: DecisionKind,
    pub level: Option<String>,
    pub reasons: String,
    pub decided_by: String,
    pub decided_at: String,
}

/// A board's read of a leader's data, for the leader's access log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessEntry {
    pub at: String,
    pub actor: String,
    pub detail: String,
}

/// A leader's school: (organisation id, its parent, its name, its municipality).
pub(crate) type SchoolLink = (i32, Option<i32>, String, String);

/// A date the store wrote itself: one that does not parse is corrupt data.
pub(crate) fn date(s: &str) -> Result<NaiveDate> {
    rules::parse_date(s).ok_or_else(|| StoreError::Internal(format!("stored `{s}` is not a date")))
}

/// A stored leader status (an enrolment's or a cycle's); the store writes only these.
pub(crate) fn leader_status(s: &str) -> LeaderStatus {
    LeaderStatus::parse(s).unwrap_or(LeaderStatus::Submitted)
}

/// A stored code that does not parse: the data is corrupt, nothing the user can fix.
pub(crate) fn corrupt(e: InputError) -> StoreError {
    StoreError::Internal(format!("stored data does not parse: {e}"))
}

impl Store {
    pub(crate) async fn leader_row<C: ConnectionTrait>(
        &self,
        c: &C,
        id: i32,
    ) -> Result<leader::Model> {
        leader::Entity::find_by_id(id)
            .one(c)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Rebuilds a leader's search key and words from name, schools and municipalities.
    pub(crate) async fn index_leader(&self, txn: &DatabaseTransaction, id: i32) -> Result<()> {
        let l = self.leader_row(txn, id).await?;
        let p = person::Entity::find_by_id(l.person_id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let schools = self.schools_of(txn, &[id]).await?;
        let mut text = format!("{} {}", p.given_name, p.family_name);
        for (_, _, name, muni) in schools.get(&id).into_iter().flatten() {
            text.push(' ');
            text.push_str(name);
            text.push(' ');
            text.push_str(muni);
        }
        let key = fold(&text);
        let mut words: Vec<String> = key
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        words.sort();
        words.dedup();
        leader::Entity::update_many()
            .col_expr(leader::Column::SearchKey, Expr::value(key))
            .filter(leader::Column::Id.eq(id))
            .exec(txn)
            .await?;
        word::Entity::delete_many()
            .filter(word::Column::LeaderId.eq(id))
            .exec(txn)
            .await?;
        if !words.is_empty() {
            vocab::Entity::insert_many(words.iter().map(|w| vocab::ActiveModel {
                word: Set(w.clone()),
            }))
            .on_conflict(
                OnConflict::column(vocab::Column::Word)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
            word::Entity::insert_many(words.into_iter().map(|w| word::ActiveModel {
                word: Set(w),
                leader_id: Set(id),
            }))
            .exec_without_returning(txn)
            .await?;
        }
        Ok(())
    }

    /// The people with these ids, by id (one query).
    pub(crate) async fn people_of(
        &self,
        ids: impl IntoIterator<Item = i32>,
    ) -> Result<HashMap<i32, person::Model>> {
        let ids: Vec<i32> = ids.into_iter().collect();
        Ok(person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect())
    }

    /// `leader → [(org id, parent id, school name, municipality name)]`.
    pub(crate) async fn schools_of<C: ConnectionTrait>(
        &self,
        c: &C,
        leaders: &[i32],
    ) -> Result<HashMap<i32, Vec<SchoolLink>>> {
        if leaders.is_empty() {
            return Ok(HashMap::new());
        }
        let links = leader_school::Entity::find()
            .filter(leader_school::Column::LeaderId.is_in(leaders.to_vec()))
            .all(c)
            .await?;
        let org_ids: Vec<i32> = links.iter().map(|l| l.organization_id).collect();
        let orgs: HashMap<i32, organization::Model> = organization::Entity::find()
            .filter(organization::Column::Id.is_in(org_ids))
            .all(c)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let muni_ids: Vec<i32> = orgs.values().filter_map(|o| o.municipality_id).collect();
        let munis: HashMap<i32, String> = crate::entities::municipality::Entity::find()
            .filter(crate::entities::municipality::Column::Id.is_in(muni_ids))
            .all(c)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let mut out: HashMap<i32, Vec<SchoolLink>> = HashMap::new();
        for l in links {
            if let Some(o) = orgs.get(&l.organization_id) {
                let m = o
                    .municipality_id
                    .and_then(|id| munis.get(&id).cloned())
                    .unwrap_or_default();
                out.entry(l.leader_id)
                    .or_default()
                    .push((o.id, o.parent_id, o.name.clone(), m));
            }
        }
        Ok(out)
    }

    /// The schools named by ids: at least one, at most [`MAX_SCHOOLS`], each a school in
    /// the directory.
    pub(crate) async fn check_schools<C: ConnectionTrait>(
        &self,
        c: &C,
        ids: &[i32],
    ) -> Result<Vec<organization::Model>> {
        if ids.is_empty() {
            return Err(InputError::new("schools", Problem::Required).into());
        }
        if ids.len() > MAX_SCHOOLS {
            return Err(InputError::new("schools", Problem::TooMany { max: MAX_SCHOOLS }).into());
        }
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let schools = organization::Entity::find()
            .filter(organization::Column::Id.is_in(unique.clone()))
            .all(c)
            .await?;
        if schools.len() != unique.len()
            || schools.iter().any(|s| {
                s.kind != "school" && s.kind != "kindergarten" && s.kind != "school_centre"
            })
        {
            return Err(InputError::new("schools", Problem::NoSuchRecord).into());
        }
        // In the order given: the first school's board becomes the leader's board.
        let mut ordered = Vec::with_capacity(schools.len());
        for id in ids {
            if let Some(s) = schools.iter().find(|s| s.id == *id) {
                if !ordered.iter().any(|o: &organization::Model| o.id == s.id) {
                    ordered.push(s.clone());
                }
            }
        }
        Ok(ordered)
    }
}

/// Audits a change to a leader's record, inside the change's transaction.
pub(crate) async fn audit_leader(
    txn: &DatabaseTransaction,
    actor: &str,
    action: &str,
    leader_id: i32,
    detail: &str,
) -> Result<()> {
    audit::append(
        txn,
        AuditEvent {
            actor,
            action,
            subject: &format!("leader:{leader_id}"),
            detail,
        },
    )
    .await?;
    Ok(())
}

/// Keeps a decision (or an objection, re-registration, deferral) with who and when.
pub(crate) async fn record_decision(
    txn: &DatabaseTransaction,
    leader_id: i32,
    kind: impl Into<String>,
    level: Option<String>,
    reasons: impl Into<String>,
    by: impl Into<String>,
) -> Result<()> {
    decision::ActiveModel {
        leader_id: Set(leader_id),
        kind: Set(kind.into()),
        level: Set(level),
        reasons: Set(reasons.into()),
        decided_by: Set(by.into()),
        decided_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

pub(crate) use headway_domain::text::Match;

pub(crate) fn activity_view(
    a: activity::Model,
    evidence: Vec<(i32, String)>,
) -> Result<ActivityView> {
    let validation = Validation::parse(&a.validation).map_err(corrupt)?;
    Ok(ActivityView {
        counts: matches!(validation, Validation::NotNeeded | Validation::Validated),
        id: a.id,
        title: a.title,
        kind: ActivityKind::parse(&a.kind).map_err(corrupt)?,
        themes: a.themes,
        hours: a.hours,
        points: a.points,
        started_on: a.started_on,
        completed_on: a.completed_on,
        validation,
        evidence,
    })
}
