//! The school-leader register: enrolment, decisions, cycles, PD log, catalogue, public
//! search, boards with consent, reminders. Rules come from `headway_domain::register`.

use crate::audit::{self, AuditEvent};
use crate::entities::register::{
    activity, blob, consent, cycle, decision, evidence, leader, leader_school, offer, outbox,
    vocab, word,
};
use crate::entities::{audit_log, organization, person, user};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use headway_domain::input::{
    Description, Email, FileName, Hours, PersonName, Points, Reason, Title,
};
use headway_domain::register::{
    self as rules, CycleStatus, Decision, EnrolmentStatus, RegisterRules,
};
use headway_domain::text::{fold, term_score};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// What a leader gives when enrolling.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub board_id: Option<i32>,
    pub school_ids: Vec<i32>,
    /// director, deputy, team_leader
    pub position: String,
    pub qualification: String,
}

pub const POSITIONS: [&str; 3] = ["director", "deputy", "team_leader"];

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
    pub position: String,
    pub qualification: String,
    /// submitted, aspirant, rejected, objection, registered, conditional, lapsed
    pub status: String,
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
    pub status: String,
    pub level: Option<String>,
}

/// The statuses the public register publishes.
pub const PUBLIC_STATUSES: [&str; 3] = ["registered", "conditional", "lapsed"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleView {
    pub id: i32,
    pub number: i32,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
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
    pub kind: String,
    pub themes: String,
    pub hours: f64,
    pub points: f64,
    pub started_on: String,
    pub completed_on: String,
    /// not_needed, pending, validated, rejected
    pub validation: String,
    pub evidence: Vec<(i32, String)>,
    /// Whether it counts towards the points (formal, or informal and validated).
    pub counts: bool,
}

/// A PD activity to record.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub offer_id: Option<i32>,
    pub title: String,
    pub formal: bool,
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

/// Evidence types accepted, and the size limit.
pub const EVIDENCE_TYPES: [&str; 4] = ["application/pdf", "image/png", "image/jpeg", "text/plain"];
pub const EVIDENCE_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Evidence files per activity.
pub const MAX_EVIDENCE_FILES: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardLeaderRow {
    pub id: i32,
    pub name: String,
    pub position: String,
    pub status: String,
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
    pub status: String,
}

/// A board's read of a leader's data, for the leader's access log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessEntry {
    pub at: String,
    pub actor: String,
    pub detail: String,
}

/// A leader's school: (organisation id, its parent, its name, its municipality).
type SchoolLink = (i32, Option<i32>, String, String);

fn invalid(m: impl Into<String>) -> StoreError {
    StoreError::Invalid(m.into())
}

fn date(s: &str) -> Result<NaiveDate> {
    rules::parse_date(s).ok_or_else(|| invalid(format!("`{s}` is not a date (YYYY-MM-DD)")))
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

    /// `leader → [(org id, parent id, school name, municipality name)]`.
    async fn schools_of<C: ConnectionTrait>(
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
            return Err(invalid("schools: name at least one school you lead"));
        }
        if ids.len() > MAX_SCHOOLS {
            return Err(invalid(format!(
                "schools: at most {MAX_SCHOOLS} schools can be named"
            )));
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
            return Err(invalid(
                "schools: every school must be a school in the directory",
            ));
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

    /// A leader enrols (self-service): a person, the leader record with its schools,
    /// and an audit entry, in one transaction.
    pub async fn enrol(&self, user_id: i32, e: Enrolment) -> Result<i32> {
        let given = PersonName::parse("given_name", &e.given_name)?;
        let family = PersonName::parse("family_name", &e.family_name)?;
        let email = match e.email.as_deref() {
            Some(m) if !m.trim().is_empty() => Some(Email::parse("email", m)?.as_str().to_owned()),
            _ => None,
        };
        let qualification = Reason::parse("qualification", &e.qualification)?;
        if !POSITIONS.contains(&e.position.as_str()) {
            return Err(invalid(format!(
                "position: `{}` is not one of {}",
                e.position,
                POSITIONS.join(", ")
            )));
        }
        let txn = self.begin_write().await?;
        if leader::Entity::find()
            .filter(leader::Column::UserId.eq(user_id))
            .count(&*txn)
            .await?
            > 0
        {
            return Err(StoreError::Conflict(
                "this account has already enrolled".into(),
            ));
        }
        let schools = self.check_schools(&*txn, &e.school_ids).await?;
        let board_id = e
            .board_id
            .or_else(|| schools.first().and_then(|s| s.parent_id));
        let now = headway_domain::time::now();
        let u = user::Entity::find_by_id(user_id)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let person_id = match u.person_id {
            Some(p) => p,
            None => {
                let p = person::ActiveModel {
                    given_name: Set(given.as_str().to_owned()),
                    family_name: Set(family.as_str().to_owned()),
                    email: Set(email),
                    search_key: Set(fold(&format!("{given} {family}"))),
                    created_at: Set(now.clone()),
                    ..Default::default()
                }
                .insert(&*txn)
                .await?;
                user::Entity::update_many()
                    .col_expr(user::Column::PersonId, Expr::value(p.id))
                    .filter(user::Column::Id.eq(user_id))
                    .exec(&*txn)
                    .await?;
                p.id
            }
        };
        let l = leader::ActiveModel {
            person_id: Set(person_id),
            user_id: Set(Some(user_id)),
            board_id: Set(board_id),
            position: Set(e.position.clone()),
            qualification: Set(qualification.into_inner()),
            status: Set(EnrolmentStatus::Submitted.code().into()),
            level: Set(None),
            objected: Set(false),
            search_key: Set(String::new()),
            created_at: Set(now.clone()),
            updated_at: Set(now.clone()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        for s in &schools {
            leader_school::ActiveModel {
                leader_id: Set(l.id),
                organization_id: Set(s.id),
            }
            .insert(&*txn)
            .await?;
        }
        self.index_leader(&txn, l.id).await?;
        audit::append(
            &*txn,
            AuditEvent {
                actor: &format!("user:{user_id}"),
                action: "register.enrol",
                subject: &format!("leader:{}", l.id),
                detail: &format!("schools={:?}", e.school_ids),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(l.id)
    }

    pub async fn leader_id_for_user(&self, user_id: i32) -> Result<Option<i32>> {
        Ok(leader::Entity::find()
            .select_only()
            .column(leader::Column::Id)
            .filter(leader::Column::UserId.eq(user_id))
            .into_tuple::<i32>()
            .one(&self.db)
            .await?)
    }

    pub async fn leader_view(&self, id: i32) -> Result<LeaderView> {
        let l = self.leader_row(&self.db, id).await?;
        let p = person::Entity::find_by_id(l.person_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let schools = self
            .schools_of(&self.db, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        Ok(LeaderView {
            id,
            name: format!("{} {}", p.given_name, p.family_name),
            email: p.email,
            user_id: l.user_id,
            board_id: l.board_id,
            position: l.position,
            qualification: l.qualification,
            status: l.status,
            level: l.level,
            objected: l.objected,
            schools: schools.into_iter().map(|s| (s.0, s.2)).collect(),
            board_confirmed: l.board_confirmed,
            schools_changed_at: l.schools_changed_at,
        })
    }

    /// The committee decides. Registering opens the first cycle on `today`.
    pub async fn decide(
        &self,
        actor: &str,
        leader_id: i32,
        d: Decision,
        today: NaiveDate,
        r: &RegisterRules,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        let from = EnrolmentStatus::parse(&l.status).ok_or_else(|| {
            invalid(format!(
                "a leader who is {} is decided through the cycle, not the committee",
                l.status
            ))
        })?;
        let d = match d {
            Decision::Reject { reasons } => Decision::Reject {
                reasons: Reason::parse("reasons", &reasons)?.into_inner(),
            },
            other => other,
        };
        let to = rules::decide(from, &d, r).map_err(|e| invalid(e.0))?;
        // Registering or admitting as aspirant confirms the schools and board the leader
        // named: only then does the board see the leader.
        let confirms = matches!(to, EnrolmentStatus::Registered | EnrolmentStatus::Aspirant);
        let (kind, level, reasons) = match &d {
            Decision::Register { level } => ("register", Some(level.clone()), String::new()),
            Decision::Aspirant => ("aspirant", None, String::new()),
            Decision::Reject { reasons } => ("reject", None, reasons.clone()),
        };
        let kind = if from == EnrolmentStatus::Objection {
            format!("objection_{kind}")
        } else {
            kind.to_owned()
        };
        record_decision(
            &txn,
            leader_id,
            kind.clone(),
            level.clone(),
            reasons.clone(),
            actor.to_owned(),
        )
        .await?;
        let status = if to == EnrolmentStatus::Registered {
            let c = rules::first_cycle(today, r);
            self.open_cycle(&txn, leader_id, 1, c).await?;
            CycleStatus::Registered.code().to_owned()
        } else {
            to.code().to_owned()
        };
        leader::Entity::update_many()
            .col_expr(leader::Column::Status, Expr::value(status))
            .col_expr(leader::Column::Level, Expr::value(level.or(l.level)))
            .col_expr(
                leader::Column::BoardConfirmed,
                Expr::value(confirms || l.board_confirmed),
            )
            .col_expr(
                leader::Column::SchoolsChangedAt,
                Expr::value(if confirms { None } else { l.schools_changed_at }),
            )
            .col_expr(
                leader::Column::UpdatedAt,
                Expr::value(headway_domain::time::now()),
            )
            .filter(leader::Column::Id.eq(leader_id))
            .exec(&*txn)
            .await?;
        audit_leader(
            &txn,
            actor,
            &format!("register.decision.{kind}"),
            leader_id,
            &reasons,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    async fn open_cycle(
        &self,
        txn: &DatabaseTransaction,
        leader_id: i32,
        number: i32,
        c: rules::Cycle,
    ) -> Result<()> {
        cycle::Entity::update_many()
            .col_expr(cycle::Column::Current, Expr::value(false))
            .filter(cycle::Column::LeaderId.eq(leader_id))
            .exec(txn)
            .await?;
        cycle::ActiveModel {
            leader_id: Set(leader_id),
            number: Set(number),
            starts_on: Set(rules::format_date(c.starts_on)),
            ends_on: Set(rules::format_date(c.ends_on)),
            status: Set(CycleStatus::Registered.code().into()),
            current: Set(true),
            deferral_requested: Set(None),
            deferral_until: Set(None),
            reminders_sent: Set(String::new()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        Ok(())
    }

    /// A rejected leader objects (once).
    pub async fn object(&self, leader_id: i32, reason: &str) -> Result<()> {
        let reason = Reason::parse("reason", reason)?;
        let reason = reason.as_str();
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        let from = EnrolmentStatus::parse(&l.status)
            .ok_or_else(|| invalid(format!("a leader who is {} cannot object", l.status)))?;
        let to = rules::object(from, l.objected).map_err(|e| invalid(e.0))?;
        leader::Entity::update_many()
            .col_expr(leader::Column::Status, Expr::value(to.code()))
            .col_expr(leader::Column::Objected, Expr::value(true))
            .filter(leader::Column::Id.eq(leader_id))
            .exec(&*txn)
            .await?;
        record_decision(
            &txn,
            leader_id,
            "objection",
            None,
            reason.trim().to_owned(),
            format!("leader:{leader_id}"),
        )
        .await?;
        audit_leader(
            &txn,
            &format!("leader:{leader_id}"),
            "register.objection",
            leader_id,
            reason,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every decision on a leader, oldest first: (kind, level, reasons, by, at).
    pub async fn decisions(&self, leader_id: i32) -> Result<Vec<decision::Model>> {
        Ok(decision::Entity::find()
            .filter(decision::Column::LeaderId.eq(leader_id))
            .order_by_asc(decision::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Enrolments and objections waiting for the committee, and informal activities
    /// waiting for an assessor.
    /// What waits for the committee, oldest first: enrolments, objections and aspirants
    /// whose name contains `name` (folded; empty for all), one page of `limit` from
    /// `offset`, with the number of all that match; and the informal activities awaiting
    /// validation.
    pub async fn committee_queue(
        &self,
        name: &str,
        offset: u64,
        limit: u64,
    ) -> Result<CommitteeQueue> {
        let mut waiting = leader::Entity::find().filter(leader::Column::Status.is_in([
            "submitted",
            "objection",
            "aspirant",
        ]));
        let key = fold(name);
        if !key.trim().is_empty() {
            waiting = waiting.filter(leader::Column::SearchKey.contains(key.trim()));
        }
        let total = waiting.clone().count(&self.db).await?;
        let page = waiting
            .order_by_asc(leader::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(page.len());
        for l in page {
            out.push(self.leader_view(l.id).await?);
        }
        let pending = activity::Entity::find()
            .filter(activity::Column::Validation.eq("pending"))
            .order_by_asc(activity::Column::Id)
            .limit(200)
            .all(&self.db)
            .await?;
        let pending = pending
            .into_iter()
            .map(|a| (a.leader_id, activity_view(a, vec![])))
            .collect();
        Ok(CommitteeQueue {
            waiting: out,
            total,
            pending,
        })
    }

    pub async fn current_cycle(
        &self,
        leader_id: i32,
        r: &RegisterRules,
        today: NaiveDate,
    ) -> Result<Option<CycleView>> {
        let Some(c) = cycle::Entity::find()
            .filter(cycle::Column::LeaderId.eq(leader_id))
            .filter(cycle::Column::Current.eq(true))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let points = self.cycle_points(&self.db, &c, today).await?;
        let cy = rules::Cycle {
            starts_on: date(&c.starts_on)?,
            ends_on: date(&c.ends_on)?,
        };
        Ok(Some(CycleView {
            id: c.id,
            number: c.number,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            status: c.status,
            points,
            target: r.points_target,
            elapsed: rules::elapsed_fraction(today, cy),
            deferral_requested: c.deferral_requested,
            deferral_until: c.deferral_until,
        }))
    }

    /// Points that count in a cycle on `today`: formal activities and validated informal
    /// ones, completed within the cycle and not after `today`. Stored dates are
    /// fixed-width `YYYY-MM-DD` (four-digit years, [`headway_domain::input::date`]), so
    /// their text order is their date order on both backends.
    async fn cycle_points<C: ConnectionTrait>(
        &self,
        c: &C,
        cy: &cycle::Model,
        today: NaiveDate,
    ) -> Result<f64> {
        let acts = activity::Entity::find()
            .filter(activity::Column::LeaderId.eq(cy.leader_id))
            .filter(activity::Column::CompletedOn.gte(cy.starts_on.clone()))
            .filter(activity::Column::CompletedOn.lt(cy.ends_on.clone()))
            .filter(activity::Column::CompletedOn.lte(rules::format_date(today)))
            .filter(activity::Column::Validation.is_in(["not_needed", "validated"]))
            .all(c)
            .await?;
        Ok(acts.iter().map(|a| a.points).sum())
    }

    /// Records a PD activity with its evidence (type and size checked; content stored
    /// once per SHA-256). Informal learning waits for an assessor.
    pub async fn add_activity(
        &self,
        leader_id: i32,
        a: NewActivity,
        files: Vec<EvidenceFile>,
        r: &RegisterRules,
        today: NaiveDate,
    ) -> Result<i32> {
        let title = Title::parse("title", &a.title)?;
        let hours = Hours::new("hours", a.hours)?.get();
        let points = Points::new("points", a.points)?.get();
        if a.completed_on < a.started_on {
            return Err(invalid("completed_on: the end lies before the start"));
        }
        // Points count for what was done: an activity completed in the future is not.
        if a.completed_on > today {
            return Err(invalid("completed_on: the date lies in the future"));
        }
        if a.themes.len() > r.themes.len() {
            return Err(invalid("themes: a theme is named twice"));
        }
        if let Some(t) = a.themes.iter().find(|t| !r.themes.contains(t)) {
            return Err(invalid(format!(
                "themes: `{}` is not a theme of this register",
                t.chars().take(60).collect::<String>()
            )));
        }
        if files.len() > MAX_EVIDENCE_FILES {
            return Err(invalid(format!(
                "evidence: at most {MAX_EVIDENCE_FILES} files per activity"
            )));
        }
        let mut names = Vec::with_capacity(files.len());
        for f in &files {
            names.push(FileName::parse("evidence", &f.file_name)?);
            if !EVIDENCE_TYPES.contains(&f.content_type.as_str()) {
                return Err(invalid(format!(
                    "evidence `{}`: type {} is not accepted ({})",
                    f.file_name,
                    f.content_type,
                    EVIDENCE_TYPES.join(", ")
                )));
            }
            if f.bytes.len() > EVIDENCE_MAX_BYTES {
                return Err(invalid(format!(
                    "evidence `{}`: {} bytes is more than the {} allowed",
                    f.file_name,
                    f.bytes.len(),
                    EVIDENCE_MAX_BYTES
                )));
            }
        }
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        if matches!(l.status.as_str(), "rejected") {
            return Err(invalid("a rejected enrolment keeps no PD log"));
        }
        let (title, points, hours, themes) = match a.offer_id {
            Some(oid) => {
                let o = offer::Entity::find_by_id(oid)
                    .one(&*txn)
                    .await?
                    .ok_or_else(|| invalid("offer: no such offer"))?;
                if o.status != "accredited" {
                    return Err(invalid("offer: the offer is not accredited"));
                }
                (o.title, o.points, o.hours, o.themes)
            }
            None => (title.into_inner(), points, hours, a.themes.join(", ")),
        };
        let act = activity::ActiveModel {
            leader_id: Set(leader_id),
            offer_id: Set(a.offer_id),
            title: Set(title),
            kind: Set(if a.formal { "formal" } else { "informal" }.into()),
            themes: Set(themes),
            hours: Set(hours),
            points: Set(points),
            started_on: Set(rules::format_date(a.started_on)),
            completed_on: Set(rules::format_date(a.completed_on)),
            validation: Set(if a.formal { "not_needed" } else { "pending" }.into()),
            created_at: Set(headway_domain::time::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        for (f, name) in files.into_iter().zip(names) {
            let sha = hex::encode(Sha256::digest(&f.bytes));
            blob::Entity::insert(blob::ActiveModel {
                sha256: Set(sha.clone()),
                size: Set(f.bytes.len() as i64),
                content: Set(f.bytes.clone()),
            })
            .on_conflict(
                OnConflict::column(blob::Column::Sha256)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&*txn)
            .await?;
            evidence::ActiveModel {
                activity_id: Set(act.id),
                file_name: Set(name.as_str().to_owned()),
                content_type: Set(f.content_type),
                size: Set(f.bytes.len() as i64),
                sha256: Set(sha),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
        }
        audit_leader(
            &txn,
            &format!("leader:{leader_id}"),
            "register.activity.add",
            leader_id,
            &format!("activity:{}", act.id),
        )
        .await?;
        txn.commit().await?;
        Ok(act.id)
    }

    /// An assessor validates (or rejects) informal learning.
    pub async fn validate_activity(
        &self,
        actor: &str,
        activity_id: i32,
        approve: bool,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let a = activity::Entity::find_by_id(activity_id)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if a.validation != "pending" {
            return Err(invalid("only pending informal activities are validated"));
        }
        activity::Entity::update_many()
            .col_expr(
                activity::Column::Validation,
                Expr::value(if approve { "validated" } else { "rejected" }),
            )
            .filter(activity::Column::Id.eq(activity_id))
            .exec(&*txn)
            .await?;
        audit::append(
            &*txn,
            AuditEvent {
                actor,
                action: if approve {
                    "register.activity.validate"
                } else {
                    "register.activity.reject"
                },
                subject: &format!("leader:{}", a.leader_id),
                detail: &format!("activity:{activity_id}"),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A leader's whole PD log, newest first.
    pub async fn activities(&self, leader_id: i32) -> Result<Vec<ActivityView>> {
        self.activity_views(leader_id, None).await
    }

    /// The newest `limit` entries of a leader's PD log and the number of all of them (the
    /// leader's page shows a bounded log however long it grows).
    pub async fn recent_activities(
        &self,
        leader_id: i32,
        limit: u64,
    ) -> Result<(Vec<ActivityView>, u64)> {
        let total = activity::Entity::find()
            .filter(activity::Column::LeaderId.eq(leader_id))
            .count(&self.db)
            .await?;
        Ok((self.activity_views(leader_id, Some(limit)).await?, total))
    }

    async fn activity_views(
        &self,
        leader_id: i32,
        limit: Option<u64>,
    ) -> Result<Vec<ActivityView>> {
        let acts = activity::Entity::find()
            .filter(activity::Column::LeaderId.eq(leader_id))
            .order_by_desc(activity::Column::CompletedOn)
            .order_by_desc(activity::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut ev: HashMap<i32, Vec<(i32, String)>> = HashMap::new();
        if !acts.is_empty() {
            // A subquery, not a list of ids: a long PD log would pass the database's limit on
            // bound parameters (32,766 on SQLite), as the load benchmark's writer found.
            let of_leader = sea_orm::sea_query::Query::select()
                .column(activity::Column::Id)
                .from(activity::Entity)
                .and_where(activity::Column::LeaderId.eq(leader_id))
                .to_owned();
            for e in evidence::Entity::find()
                .filter(evidence::Column::ActivityId.in_subquery(of_leader))
                .all(&self.db)
                .await?
            {
                ev.entry(e.activity_id)
                    .or_default()
                    .push((e.id, e.file_name));
            }
        }
        Ok(acts
            .into_iter()
            .map(|a| {
                let e = ev.remove(&a.id).unwrap_or_default();
                activity_view(a, e)
            })
            .collect())
    }

    /// An evidence file: (name, type, bytes, owning leader).
    pub async fn evidence_file(&self, id: i32) -> Result<(String, String, Vec<u8>, i32)> {
        let e = evidence::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let a = activity::Entity::find_by_id(e.activity_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let b = blob::Entity::find_by_id(e.sha256.clone())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((e.file_name, e.content_type, b.content, a.leader_id))
    }

    /// Re-registration when the points are reached: the next cycle starts at the end of
    /// the current one, even when asked for late.
    pub async fn reregister(&self, actor: &str, leader_id: i32, r: &RegisterRules) -> Result<()> {
        let txn = self.begin_write().await?;
        let c = cycle::Entity::find()
            .filter(cycle::Column::LeaderId.eq(leader_id))
            .filter(cycle::Column::Current.eq(true))
            .one(&*txn)
            .await?
            .ok_or_else(|| invalid("there is no registration to renew"))?;
        if c.status == CycleStatus::Lapsed.code() {
            return Err(invalid(
                "the registration has lapsed; a new enrolment and decision are needed",
            ));
        }
        let points = self
            .cycle_points(&*txn, &c, chrono::Utc::now().date_naive())
            .await?;
        if !rules::may_reregister(points, r) {
            return Err(invalid(format!(
                "{points} of {} points: not yet enough to re-register",
                r.points_target
            )));
        }
        let prev = rules::Cycle {
            starts_on: date(&c.starts_on)?,
            ends_on: date(&c.ends_on)?,
        };
        self.open_cycle(&txn, leader_id, c.number + 1, rules::next_cycle(prev, r))
            .await?;
        leader::Entity::update_many()
            .col_expr(
                leader::Column::Status,
                Expr::value(CycleStatus::Registered.code()),
            )
            .col_expr(
                leader::Column::UpdatedAt,
                Expr::value(headway_domain::time::now()),
            )
            .filter(leader::Column::Id.eq(leader_id))
            .exec(&*txn)
            .await?;
        record_decision(
            &txn,
            leader_id,
            "reregister",
            None,
            format!("{points} points in cycle {}", c.number),
            actor.to_owned(),
        )
        .await?;
        audit_leader(
            &txn,
            actor,
            "register.reregister",
            leader_id,
            &format!("cycle {}", c.number + 1),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A leader asks for more time; a coordinator grants (with a date) or refuses.
    pub async fn request_deferral(&self, leader_id: i32, reason: &str) -> Result<()> {
        let reason = Reason::parse("reason", reason)?;
        let reason = reason.as_str();
        let n = cycle::Entity::update_many()
            .col_expr(cycle::Column::DeferralRequested, Expr::value(reason.trim()))
            .filter(cycle::Column::LeaderId.eq(leader_id))
            .filter(cycle::Column::Current.eq(true))
            .filter(cycle::Column::Status.ne("lapsed"))
            .exec(&self.db)
            .await?;
        if n.rows_affected == 0 {
            return Err(invalid("there is no running registration to defer"));
        }
        Ok(())
    }

    pub async fn decide_deferral(
        &self,
        actor: &str,
        leader_id: i32,
        until: Option<NaiveDate>,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let c = cycle::Entity::find()
            .filter(cycle::Column::LeaderId.eq(leader_id))
            .filter(cycle::Column::Current.eq(true))
            .one(&*txn)
            .await?
            .ok_or_else(|| invalid("there is no registration"))?;
        if c.deferral_requested.is_none() {
            return Err(invalid("no deferral was asked for"));
        }
        cycle::Entity::update_many()
            .col_expr(
                cycle::Column::DeferralUntil,
                Expr::value(until.map(rules::format_date)),
            )
            .col_expr(
                cycle::Column::DeferralRequested,
                Expr::value(Option::<String>::None),
            )
            .filter(cycle::Column::Id.eq(c.id))
            .exec(&*txn)
            .await?;
        let kind = if until.is_some() {
            "deferral_granted"
        } else {
            "deferral_refused"
        };
        record_decision(
            &txn,
            leader_id,
            kind,
            None,
            until.map(rules::format_date).unwrap_or_default(),
            actor.to_owned(),
        )
        .await?;
        audit_leader(&txn, actor, &format!("register.{kind}"), leader_id, "").await?;
        txn.commit().await?;
        Ok(())
    }

    /// The worker's step for `today`: moves every running cycle's status forward and
    /// queues the reminders that are due (once each). Safe to run on several servers at
    /// once: status updates are idempotent and reminders are deduplicated by key.
    pub async fn register_tick(&self, today: NaiveDate, r: &RegisterRules) -> Result<TickReport> {
        let mut report = TickReport::default();
        let mut last_id = 0;
        loop {
            let page = cycle::Entity::find()
                .filter(cycle::Column::Current.eq(true))
                .filter(cycle::Column::Status.ne("lapsed"))
                .filter(cycle::Column::Id.gt(last_id))
                .order_by_asc(cycle::Column::Id)
                .limit(1000)
                .all(&self.db)
                .await?;
            let Some(last) = page.last() else { break };
            last_id = last.id;
            for c in page {
                let cy = rules::Cycle {
                    starts_on: date(&c.starts_on)?,
                    ends_on: date(&c.ends_on)?,
                };
                let until = c.deferral_until.as_deref().and_then(rules::parse_date);
                let current = CycleStatus::parse(&c.status).unwrap_or(CycleStatus::Registered);
                let next = rules::advance(current, rules::status_on(today, cy, r, until));
                let sent: Vec<u32> = c
                    .reminders_sent
                    .split(',')
                    .filter_map(|s| s.parse().ok())
                    .collect();
                let due = rules::due_reminders(today, cy, r, &sent);
                if next == current && due.is_empty() {
                    continue;
                }
                let txn = self.begin_write().await?;
                if next != current {
                    cycle::Entity::update_many()
                        .col_expr(cycle::Column::Status, Expr::value(next.code()))
                        .filter(cycle::Column::Id.eq(c.id))
                        .exec(&*txn)
                        .await?;
                    leader::Entity::update_many()
                        .col_expr(leader::Column::Status, Expr::value(next.code()))
                        .col_expr(
                            leader::Column::UpdatedAt,
                            Expr::value(headway_domain::time::now()),
                        )
                        .filter(leader::Column::Id.eq(c.leader_id))
                        .exec(&*txn)
                        .await?;
                    audit::append(
                        &*txn,
                        AuditEvent {
                            actor: "system:worker",
                            action: &format!("register.status.{}", next.code()),
                            subject: &format!("leader:{}", c.leader_id),
                            detail: &rules::format_date(today),
                        },
                    )
                    .await?;
                    report.status_changes += 1;
                }
                if !due.is_empty() {
                    let l = self.leader_row(&*txn, c.leader_id).await?;
                    let p = person::Entity::find_by_id(l.person_id).one(&*txn).await?;
                    let to = p
                        .as_ref()
                        .and_then(|p| p.email.clone())
                        .unwrap_or_else(|| format!("leader:{}", c.leader_id));
                    let points = self.cycle_points(&*txn, &c, today).await?;
                    for d in &due {
                        let key = format!("reminder:{}:{}", c.id, d);
                        outbox::Entity::insert(outbox::ActiveModel {
                            recipient: Set(to.clone()),
                            subject: Set(format!("Your registration ends on {} ({d} days)", c.ends_on)),
                            body: Set(format!(
                                "Dear {},\n\nyour registration in the school-leader register runs until {}. You have {points} of {} points in this cycle.\nRecord your professional development and re-register in Headway.\n",
                                p.as_ref().map(|p| p.given_name.as_str()).unwrap_or(""),
                                c.ends_on,
                                r.points_target
                            )),
                            kind: Set(format!("reminder_{d}")),
                            dedupe_key: Set(key),
                            created_at: Set(headway_domain::time::now()),
                            sent_at: Set(None),
                            error: Set(None),
                            ..Default::default()
                        })
                        .on_conflict(OnConflict::column(outbox::Column::DedupeKey).do_nothing().to_owned())
                        .exec_without_returning(&*txn)
                        .await?;
                        report.reminders += 1;
                    }
                    let mut all = sent.clone();
                    all.extend(due);
                    cycle::Entity::update_many()
                        .col_expr(
                            cycle::Column::RemindersSent,
                            Expr::value(
                                all.iter().map(u32::to_string).collect::<Vec<_>>().join(","),
                            ),
                        )
                        .filter(cycle::Column::Id.eq(c.id))
                        .exec(&*txn)
                        .await?;
                }
                txn.commit().await?;
            }
        }
        Ok(report)
    }

    /// The outbox, newest first.
    pub async fn outbox(&self, limit: u64) -> Result<Vec<outbox::Model>> {
        Ok(outbox::Entity::find()
            .order_by_desc(outbox::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Messages not yet sent, oldest first.
    pub async fn outbox_unsent(&self, limit: u64) -> Result<Vec<outbox::Model>> {
        Ok(outbox::Entity::find()
            .filter(outbox::Column::SentAt.is_null())
            .order_by_asc(outbox::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    pub async fn outbox_mark(&self, id: i32, error: Option<String>) -> Result<()> {
        let mut q = outbox::Entity::update_many().filter(outbox::Column::Id.eq(id));
        q = match error {
            None => q.col_expr(
                outbox::Column::SentAt,
                Expr::value(headway_domain::time::now()),
            ),
            Some(e) => q.col_expr(outbox::Column::Error, Expr::value(e)),
        };
        q.exec(&self.db).await?;
        Ok(())
    }

    /// Published leaders that have, for every term, one of that term's words; in id
    /// order, at most `cap`. One query walks the (word, leader) index of the first term
    /// and probes the others by key, page by page; published statuses are checked on
    /// each page by primary key, so a query stops as soon as it has enough.
    async fn leaders_with_words(&self, per_term: &[Vec<String>], cap: usize) -> Result<Vec<i32>> {
        use sea_orm::sea_query::{Alias, Order, Query};
        if per_term.is_empty() || per_term.iter().any(Vec::is_empty) {
            return Ok(vec![]);
        }
        let w = |k: usize| Alias::new(format!("w{k}"));
        let (col_leader, col_word) = (Alias::new("leader_id"), Alias::new("word"));
        let page = (cap * 2).max(100) as u64;
        let mut out = Vec::with_capacity(cap);
        let mut after = 0i32;
        loop {
            let mut q = Query::select();
            q.distinct()
                .column((w(0), col_leader.clone()))
                .from_as(Alias::new("register_words"), w(0))
                .and_where(Expr::col((w(0), col_word.clone())).is_in(per_term[0].clone()))
                .and_where(Expr::col((w(0), col_leader.clone())).gt(after));
            for (k, words) in per_term.iter().enumerate().skip(1) {
                q.inner_join(
                    sea_orm::sea_query::TableRef::TableAlias(
                        sea_orm::sea_query::SeaRc::new(Alias::new("register_words")),
                        sea_orm::sea_query::SeaRc::new(w(k)),
                    ),
                    Expr::col((w(k), col_leader.clone()))
                        .equals((w(0), col_leader.clone()))
                        .and(Expr::col((w(k), col_word.clone())).is_in(words.clone())),
                );
            }
            q.order_by((w(0), col_leader.clone()), Order::Asc)
                .limit(page);
            let rows = self
                .db
                .query_all(self.db.get_database_backend().build(&q))
                .await?;
            let ids: Vec<i32> = rows
                .iter()
                .map(|r| r.try_get_by_index::<i32>(0))
                .collect::<std::result::Result<_, _>>()?;
            let Some(&last) = ids.last() else { break };
            after = last;
            let public: HashSet<i32> = leader::Entity::find()
                .select_only()
                .column(leader::Column::Id)
                .filter(leader::Column::Id.is_in(ids.clone()))
                .filter(leader::Column::Status.is_in(PUBLIC_STATUSES))
                .into_tuple::<i32>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            out.extend(
                ids.iter()
                    .filter(|id| public.contains(id))
                    .take(cap - out.len()),
            );
            if out.len() >= cap || (ids.len() as u64) < page {
                break;
            }
        }
        Ok(out)
    }

    /// The register's words that match `term`: the word itself, words it begins
    /// (prefix), or near misses by edit distance among words with the same first letter.
    async fn vocabulary_for(&self, term: &str, mode: Match) -> Result<Vec<String>> {
        match mode {
            Match::Exact => Ok(vec![term.to_owned()]),
            Match::Prefix | Match::Fuzzy => {
                let first: String = term
                    .chars()
                    .take(if mode == Match::Prefix { usize::MAX } else { 1 })
                    .collect();
                let mut end: Vec<char> = first.chars().collect();
                if let Some(last) = end.last_mut() {
                    *last = char::from_u32(*last as u32 + 1).unwrap_or(char::MAX);
                }
                let end: String = end.into_iter().collect();
                let words: Vec<String> = vocab::Entity::find()
                    .select_only()
                    .column(vocab::Column::Word)
                    .filter(vocab::Column::Word.gte(first))
                    .filter(vocab::Column::Word.lt(end))
                    .limit(20_000)
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                Ok(words
                    .into_iter()
                    .filter(|w| mode == Match::Prefix || term_score(term, w) > 0.0)
                    .collect())
            }
        }
    }

    /// Published leaders matching every term in `mode`.
    async fn matches(&self, terms: &[String], mode: Match, cap: usize) -> Result<Vec<i32>> {
        let mut per_term = Vec::with_capacity(terms.len());
        for t in terms {
            let words = self.vocabulary_for(t, mode).await?;
            if words.is_empty() {
                return Ok(vec![]);
            }
            per_term.push(words);
        }
        // The term with the fewest words leads the walk.
        per_term.sort_by_key(Vec::len);
        self.leaders_with_words(&per_term, cap).await
    }

    /// Public search: by name, school or municipality; diacritic- and typo-tolerant,
    /// ranked: leaders whose words equal the terms first, then prefixes, then near misses
    /// (edit distance 1 for words of 4–6 letters, 2 for longer). Only published statuses
    /// and public fields. A handful of indexed queries per search.
    pub async fn public_search(&self, q: &str, limit: usize) -> Result<Vec<PublicEntry>> {
        let terms = headway_domain::text::terms(q, 6);
        if terms.is_empty() || limit == 0 {
            return Ok(vec![]);
        }
        let mut ids: Vec<i32> = vec![];
        let mut seen = HashSet::new();
        for mode in [Match::Exact, Match::Prefix, Match::Fuzzy] {
            if ids.len() >= limit {
                break;
            }
            for id in self.matches(&terms, mode, limit).await? {
                if ids.len() < limit && seen.insert(id) {
                    ids.push(id);
                }
            }
        }
        let rows = leader::Entity::find()
            .filter(leader::Column::Id.is_in(ids.clone()))
            .all(&self.db)
            .await?;
        let mut by_id: HashMap<i32, leader::Model> = rows.into_iter().map(|l| (l.id, l)).collect();
        let ordered: Vec<leader::Model> = ids.iter().filter_map(|id| by_id.remove(id)).collect();
        self.public_entries(ordered).await
    }

    async fn public_entries(&self, leaders: Vec<leader::Model>) -> Result<Vec<PublicEntry>> {
        let ids: Vec<i32> = leaders.iter().map(|l| l.id).collect();
        let schools = self.schools_of(&self.db, &ids).await?;
        let pids: Vec<i32> = leaders.iter().map(|l| l.person_id).collect();
        let people: HashMap<i32, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(pids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        Ok(leaders
            .into_iter()
            .map(|l| {
                let s = schools.get(&l.id).cloned().unwrap_or_default();
                let mut munis: Vec<String> = s
                    .iter()
                    .map(|x| x.3.clone())
                    .filter(|m| !m.is_empty())
                    .collect();
                munis.dedup();
                PublicEntry {
                    id: l.id,
                    name: people
                        .get(&l.person_id)
                        .map(|p| format!("{} {}", p.given_name, p.family_name))
                        .unwrap_or_default(),
                    schools: s.into_iter().map(|x| x.2).collect(),
                    municipalities: munis,
                    status: l.status,
                    level: l.level,
                }
            })
            .collect())
    }

    /// A leader's public entry, if published.
    pub async fn public_entry(&self, id: i32) -> Result<PublicEntry> {
        let l = leader::Entity::find_by_id(id)
            .filter(leader::Column::Status.is_in(PUBLIC_STATUSES))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(self.public_entries(vec![l]).await?.remove(0))
    }

    pub async fn register_stats(&self) -> Result<RegisterStats> {
        let enrolled = leader::Entity::find().count(&self.db).await?;
        let registered = leader::Entity::find()
            .filter(leader::Column::Status.is_in(["registered", "conditional"]))
            .count(&self.db)
            .await?;
        let school_locations = organization::Entity::find()
            .filter(organization::Column::Kind.eq("school"))
            .count(&self.db)
            .await?;
        let boards: Vec<Option<i32>> = leader::Entity::find()
            .select_only()
            .column(leader::Column::BoardId)
            .distinct()
            .filter(leader::Column::BoardId.is_not_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let firsts: Vec<String> = cycle::Entity::find()
            .select_only()
            .column(cycle::Column::StartsOn)
            .filter(cycle::Column::Number.eq(1))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut per: std::collections::BTreeMap<i32, u64> = Default::default();
        for s in firsts {
            if let Some(y) = s.get(0..4).and_then(|y| y.parse().ok()) {
                *per.entry(y).or_default() += 1;
            }
        }
        Ok(RegisterStats {
            enrolled,
            registered,
            school_locations,
            boards: boards.len() as u64,
            per_year: per.into_iter().collect(),
        })
    }

    /// A board's leaders with their status, for the board page and the exports.
    pub async fn board_leaders(
        &self,
        board_id: i32,
        r: &RegisterRules,
    ) -> Result<Vec<BoardLeaderRow>> {
        // Only links the committee confirmed: a leader who merely names one of the board's
        // schools (at enrolment or by a change of schools) is not shown until then.
        let today = chrono::Utc::now().date_naive();
        let ls = leader::Entity::find()
            .filter(leader::Column::BoardId.eq(board_id))
            .filter(leader::Column::BoardConfirmed.eq(true))
            .order_by_asc(leader::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i32> = ls.iter().map(|l| l.id).collect();
        let schools = self.schools_of(&self.db, &ids).await?;
        let pids: Vec<i32> = ls.iter().map(|l| l.person_id).collect();
        let people: HashMap<i32, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(pids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let cycles: HashMap<i32, cycle::Model> = if ids.is_empty() {
            HashMap::new()
        } else {
            cycle::Entity::find()
                .filter(cycle::Column::LeaderId.is_in(ids.clone()))
                .filter(cycle::Column::Current.eq(true))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|c| (c.leader_id, c))
                .collect()
        };
        let all_consents: HashSet<i32> = if ids.is_empty() {
            HashSet::new()
        } else {
            consent::Entity::find()
                .filter(consent::Column::LeaderId.is_in(ids))
                .filter(consent::Column::BoardId.eq(board_id))
                .filter(consent::Column::ActivityId.is_null())
                .filter(consent::Column::RevokedAt.is_null())
                .all(&self.db)
                .await?
                .into_iter()
                .map(|c| c.leader_id)
                .collect()
        };
        let _ = r;
        let mut out = vec![];
        for l in ls {
            let c = cycles.get(&l.id);
            let points = match c {
                Some(c) => self.cycle_points(&self.db, c, today).await?,
                None => 0.0,
            };
            out.push(BoardLeaderRow {
                id: l.id,
                name: people
                    .get(&l.person_id)
                    .map(|p| format!("{} {}", p.given_name, p.family_name))
                    .unwrap_or_default(),
                position: l.position,
                status: l.status,
                level: l.level,
                schools: schools
                    .get(&l.id)
                    .map(|s| s.iter().map(|x| x.2.clone()).collect::<Vec<_>>().join("; "))
                    .unwrap_or_default(),
                cycle_ends_on: c.map(|c| c.ends_on.clone()),
                points,
                consent_all: all_consents.contains(&l.id),
            });
        }
        Ok(out)
    }

    /// Grants consent to the leader's board: for all activities (`activity = None`) or one.
    pub async fn grant_consent(&self, leader_id: i32, activity_id: Option<i32>) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        let board = l
            .board_id
            .ok_or_else(|| invalid("no board is linked to this enrolment"))?;
        if let Some(a) = activity_id {
            let act = activity::Entity::find_by_id(a)
                .one(&*txn)
                .await?
                .ok_or(StoreError::NotFound)?;
            if act.leader_id != leader_id {
                return Err(StoreError::NotFound);
            }
        }
        if self
            .active_consent(&*txn, leader_id, board, activity_id, true)
            .await?
            .is_none()
        {
            consent::ActiveModel {
                leader_id: Set(leader_id),
                board_id: Set(board),
                activity_id: Set(activity_id),
                granted_at: Set(headway_domain::time::now()),
                revoked_at: Set(None),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
        }
        audit_leader(
            &txn,
            &format!("leader:{leader_id}"),
            "register.consent.grant",
            leader_id,
            &format!("board:{board} activity:{activity_id:?}"),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn revoke_consent(&self, leader_id: i32, activity_id: Option<i32>) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        let board = l
            .board_id
            .ok_or_else(|| invalid("no board is linked to this enrolment"))?;
        let mut q = consent::Entity::update_many()
            .col_expr(
                consent::Column::RevokedAt,
                Expr::value(headway_domain::time::now()),
            )
            .filter(consent::Column::LeaderId.eq(leader_id))
            .filter(consent::Column::BoardId.eq(board))
            .filter(consent::Column::RevokedAt.is_null());
        q = match activity_id {
            Some(a) => q.filter(consent::Column::ActivityId.eq(a)),
            None => q.filter(consent::Column::ActivityId.is_null()),
        };
        q.exec(&*txn).await?;
        audit_leader(
            &txn,
            &format!("leader:{leader_id}"),
            "register.consent.revoke",
            leader_id,
            &format!("board:{board} activity:{activity_id:?}"),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    async fn active_consent<C: ConnectionTrait>(
        &self,
        c: &C,
        leader_id: i32,
        board: i32,
        activity_id: Option<i32>,
        exact: bool,
    ) -> Result<Option<consent::Model>> {
        let mut q = consent::Entity::find()
            .filter(consent::Column::LeaderId.eq(leader_id))
            .filter(consent::Column::BoardId.eq(board))
            .filter(consent::Column::RevokedAt.is_null());
        q = match (activity_id, exact) {
            (Some(a), true) => q.filter(consent::Column::ActivityId.eq(a)),
            (None, _) => q.filter(consent::Column::ActivityId.is_null()),
            (Some(a), false) => q.filter(
                consent::Column::ActivityId
                    .eq(a)
                    .or(consent::Column::ActivityId.is_null()),
            ),
        };
        Ok(q.one(c).await?)
    }

    /// The consents a leader has given to their current board and not revoked:
    /// (all?, activity ids). Consents given to an earlier board do not count.
    pub async fn consents(&self, leader_id: i32) -> Result<(bool, Vec<i32>)> {
        let l = self.leader_row(&self.db, leader_id).await?;
        match l.board_id {
            Some(b) => self.consents_to(leader_id, b).await,
            None => Ok((false, vec![])),
        }
    }

    /// The consents a leader has given to `board_id` and not revoked: (all?, activity ids).
    pub async fn consents_to(&self, leader_id: i32, board_id: i32) -> Result<(bool, Vec<i32>)> {
        let rows = consent::Entity::find()
            .filter(consent::Column::LeaderId.eq(leader_id))
            .filter(consent::Column::BoardId.eq(board_id))
            .filter(consent::Column::RevokedAt.is_null())
            .all(&self.db)
            .await?;
        Ok((
            rows.iter().any(|c| c.activity_id.is_none()),
            rows.iter().filter_map(|c| c.activity_id).collect(),
        ))
    }

    /// The board's view of a leader's activities: only those the leader consented to,
    /// each read written to the audit log (the leader's access log). `None` asks for
    /// all consented ones; `Some(id)` for one, refused without consent.
    pub async fn board_read_activities(
        &self,
        actor: &str,
        board_id: i32,
        leader_id: i32,
        only: Option<i32>,
    ) -> Result<Vec<ActivityView>> {
        let l = self.leader_row(&self.db, leader_id).await?;
        if l.board_id != Some(board_id) || !l.board_confirmed {
            return Err(StoreError::NotFound);
        }
        let all = self.activities(leader_id).await?;
        let (consent_all, ids) = self.consents_to(leader_id, board_id).await?;
        let allowed = |a: &ActivityView| consent_all || ids.contains(&a.id);
        let visible: Vec<ActivityView> = match only {
            Some(id) => {
                let a = all
                    .into_iter()
                    .find(|a| a.id == id)
                    .ok_or(StoreError::NotFound)?;
                // Not consented answers like not existing: a board learns nothing of ids.
                if !allowed(&a) {
                    return Err(StoreError::NotFound);
                }
                vec![a]
            }
            None => all.into_iter().filter(allowed).collect(),
        };
        if !visible.is_empty() {
            let txn = self.begin_write().await?;
            let list = visible
                .iter()
                .map(|a| a.id.to_string())
                .collect::<Vec<_>>()
                .join(",");
            audit_leader(
                &txn,
                actor,
                "register.board_read",
                leader_id,
                &format!("board:{board_id} activities:{list}"),
            )
            .await?;
            txn.commit().await?;
        }
        Ok(visible)
    }

    /// Who read the leader's consented data, newest first.
    pub async fn access_log(&self, leader_id: i32) -> Result<Vec<AccessEntry>> {
        Ok(audit_log::Entity::find()
            .filter(audit_log::Column::Subject.eq(format!("leader:{leader_id}")))
            .filter(audit_log::Column::Action.eq("register.board_read"))
            .order_by_desc(audit_log::Column::Seq)
            .limit(200)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| AccessEntry {
                at: e.at,
                actor: e.actor,
                detail: e.detail,
            })
            .collect())
    }

    /// Adds an offer (pending until a coordinator accredits it).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_offer(
        &self,
        actor: &str,
        provider_id: i32,
        title: &str,
        description: &str,
        themes: &[String],
        hours: f64,
        points: f64,
        valid_from: NaiveDate,
        valid_until: NaiveDate,
        r: &RegisterRules,
    ) -> Result<i32> {
        let title = Title::parse("title", title)?;
        let description = Description::parse("description", description)?;
        let hours = Hours::new("hours", hours)?.get();
        let points = Points::new("points", points)?.get();
        if themes.is_empty() {
            return Err(invalid("theme: choose a theme"));
        }
        if let Some(t) = themes.iter().find(|t| !r.themes.contains(t)) {
            let shown: String = t.chars().take(60).collect();
            return Err(invalid(format!(
                "theme: `{shown}` is not a theme of this register"
            )));
        }
        if valid_until < valid_from {
            return Err(invalid("valid_until: the end lies before the start"));
        }
        let txn = self.begin_write().await?;
        let p = organization::Entity::find_by_id(provider_id)
            .one(&*txn)
            .await?
            .ok_or_else(|| invalid("provider: no such organisation"))?;
        if p.kind != "provider" && p.kind != "agency" {
            return Err(invalid("provider: the organisation is not a provider"));
        }
        let o = offer::ActiveModel {
            provider_id: Set(provider_id),
            title: Set(title.as_str().into()),
            description: Set(description.into_inner()),
            themes: Set(themes.join(", ")),
            hours: Set(hours),
            points: Set(points),
            valid_from: Set(rules::format_date(valid_from)),
            valid_until: Set(rules::format_date(valid_until)),
            status: Set("pending".into()),
            created_at: Set(headway_domain::time::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        audit::append(
            &*txn,
            AuditEvent {
                actor,
                action: "register.offer.add",
                subject: &format!("offer:{}", o.id),
                detail: title.as_str(),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(o.id)
    }

    /// A coordinator accredits or withdraws an offer.
    pub async fn set_offer_status(&self, actor: &str, offer_id: i32, accredit: bool) -> Result<()> {
        let txn = self.begin_write().await?;
        let status = if accredit { "accredited" } else { "withdrawn" };
        let n = offer::Entity::update_many()
            .col_expr(offer::Column::Status, Expr::value(status))
            .filter(offer::Column::Id.eq(offer_id))
            .exec(&*txn)
            .await?;
        if n.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(
            &*txn,
            AuditEvent {
                actor,
                action: &format!("register.offer.{status}"),
                subject: &format!("offer:{offer_id}"),
                detail: "",
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn offers(&self, only_accredited: bool) -> Result<Vec<OfferView>> {
        let mut q = offer::Entity::find().order_by_asc(offer::Column::Title);
        if only_accredited {
            q = q.filter(offer::Column::Status.eq("accredited"));
        }
        let rows = q.all(&self.db).await?;
        let pids: Vec<i32> = rows.iter().map(|o| o.provider_id).collect();
        let names: HashMap<i32, String> = organization::Entity::find()
            .filter(organization::Column::Id.is_in(pids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|o| OfferView {
                id: o.id,
                provider_id: o.provider_id,
                provider: names.get(&o.provider_id).cloned().unwrap_or_default(),
                title: o.title,
                description: o.description,
                themes: o.themes,
                hours: o.hours,
                points: o.points,
                valid_from: o.valid_from,
                valid_until: o.valid_until,
                status: o.status,
            })
            .collect())
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
async fn record_decision(
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
        decided_at: Set(headway_domain::time::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// How a term must match a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Exact,
    Prefix,
    Fuzzy,
}

fn activity_view(a: activity::Model, evidence: Vec<(i32, String)>) -> ActivityView {
    ActivityView {
        counts: a.validation == "not_needed" || a.validation == "validated",
        id: a.id,
        title: a.title,
        kind: a.kind,
        themes: a.themes,
        hours: a.hours,
        points: a.points,
        started_on: a.started_on,
        completed_on: a.completed_on,
        validation: a.validation,
        evidence,
    }
}
