//! The committee: decisions on enrolments and objections, informal learning, deferrals, changes of schools.

use super::*;

/// The committee: decisions on enrolments and objections, informal learning, deferrals, changes of schools.
#[async_trait::async_trait]
pub trait Committee {
    /// The committee decides. Registering opens the first cycle on `today`.
    async fn decide(
        &self,
        actor: &str,
        leader_id: i32,
        d: Decision,
        today: NaiveDate,
        r: &RegisterRules,
    ) -> Result<()>;

    /// A rejected leader objects (once).
    async fn object(&self, leader_id: i32, reason: &str) -> Result<()>;

    /// Every decision on a leader, oldest first: (kind, level, reasons, by, at).
    async fn decisions(&self, leader_id: i32) -> Result<Vec<DecisionView>>;

    /// Enrolments and objections waiting for the committee, and informal activities
    /// waiting for an assessor.
    /// What waits for the committee, oldest first: enrolments, objections and aspirants
    /// whose name contains `name` (folded; empty for all), one page of `limit` from
    /// `offset`, with the number of all that match; and the informal activities awaiting
    /// validation.
    async fn committee_queue(&self, name: &str, offset: u64, limit: u64) -> Result<CommitteeQueue>;

    /// An assessor validates (or rejects) informal learning.
    async fn validate_activity(&self, actor: &str, activity_id: i32, approve: bool) -> Result<()>;

    async fn decide_deferral(
        &self,
        actor: &str,
        leader_id: i32,
        until: Option<NaiveDate>,
    ) -> Result<()>;

    /// The committee confirms a change of schools: the (new) board sees the leader.
    async fn confirm_schools(&self, actor: &str, leader_id: i32) -> Result<()>;

    /// Changes of schools waiting for the committee, oldest first (at most `limit`).
    async fn school_changes(&self, limit: u64) -> Result<Vec<LeaderView>>;
}

#[async_trait::async_trait]
impl Committee for Store {
    async fn decide(
        &self,
        actor: &str,
        leader_id: i32,
        d: Decision,
        today: NaiveDate,
        r: &RegisterRules,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        // A registered leader's status is the cycle's: decided through the cycle.
        let from = EnrolmentStatus::parse(&l.status).map_err(|_| RuleError::NotDecidable {
            status: leader_status(&l.status),
        })?;
        let d = match d {
            Decision::Reject { reasons } => Decision::Reject {
                reasons: Reason::parse("reasons", &reasons)?.into_inner(),
            },
            other => other,
        };
        let to = rules::decide(from, &d, r)?;
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
            .col_expr(leader::Column::UpdatedAt, Expr::value(crate::now()))
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

    async fn object(&self, leader_id: i32, reason: &str) -> Result<()> {
        let reason = Reason::parse("reason", reason)?;
        let reason = reason.as_str();
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        let from = EnrolmentStatus::parse(&l.status).map_err(|_| RuleError::NotObjectable {
            status: leader_status(&l.status),
        })?;
        let to = rules::object(from, l.objected)?;
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

    async fn decisions(&self, leader_id: i32) -> Result<Vec<DecisionView>> {
        decision::Entity::find()
            .filter(decision::Column::LeaderId.eq(leader_id))
            .order_by_asc(decision::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| {
                Ok(DecisionView {
                    kind: DecisionKind::parse(&d.kind).map_err(corrupt)?,
                    level: d.level,
                    reasons: d.reasons,
                    decided_by: d.decided_by,
                    decided_at: d.decided_at,
                })
            })
            .collect()
    }

    async fn committee_queue(&self, name: &str, offset: u64, limit: u64) -> Result<CommitteeQueue> {
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
            .map(|a| Ok((a.leader_id, activity_view(a, vec![])?)))
            .collect::<Result<_>>()?;
        Ok(CommitteeQueue {
            waiting: out,
            total,
            pending,
        })
    }

    async fn validate_activity(&self, actor: &str, activity_id: i32, approve: bool) -> Result<()> {
        let txn = self.begin_write().await?;
        let a = activity::Entity::find_by_id(activity_id)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if a.validation != "pending" {
            return Err(RuleError::ActivityNotPending.into());
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

    async fn decide_deferral(
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
            .ok_or(RuleError::NoRegistration)?;
        if c.deferral_requested.is_none() {
            return Err(RuleError::NoDeferralAsked.into());
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

    async fn confirm_schools(&self, actor: &str, leader_id: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        if l.schools_changed_at.is_none() {
            return Err(RuleError::NothingToConfirm.into());
        }
        leader::Entity::update_many()
            .col_expr(leader::Column::BoardConfirmed, Expr::value(true))
            .col_expr(
                leader::Column::SchoolsChangedAt,
                Expr::value(Option::<String>::None),
            )
            .col_expr(leader::Column::UpdatedAt, Expr::value(crate::now()))
            .filter(leader::Column::Id.eq(leader_id))
            .exec(&*txn)
            .await?;
        audit_leader(
            &txn,
            actor,
            "register.schools.confirm",
            leader_id,
            &format!("board {:?}", l.board_id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    async fn school_changes(&self, limit: u64) -> Result<Vec<LeaderView>> {
        let ids: Vec<i32> = leader::Entity::find()
            .filter(leader::Column::SchoolsChangedAt.is_not_null())
            .filter(leader::Column::Status.is_not_in(["submitted", "objection", "rejected"]))
            .order_by_asc(leader::Column::SchoolsChangedAt)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.id)
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.leader_view(id).await?);
        }
        Ok(out)
    }
}
