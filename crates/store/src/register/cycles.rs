//! Registration cycles: the current one with its points, re-registration on the original rhythm, requests for more time.

use super::*;

/// Registration cycles: the current one with its points, re-registration on the original rhythm, requests for more time.
#[async_trait::async_trait]
pub trait Cycles {
    async fn current_cycle(
        &self,
        leader_id: i32,
        r: &RegisterRules,
        today: NaiveDate,
    ) -> Result<Option<CycleView>>;

    /// Re-registration when the points are reached: the next cycle starts at the end of
    /// the current one, even when asked for late.
    async fn reregister(&self, actor: &str, leader_id: i32, r: &RegisterRules) -> Result<()>;

    /// A leader asks for more time; a coordinator grants (with a date) or refuses.
    async fn request_deferral(&self, leader_id: i32, reason: &str) -> Result<()>;
}

#[async_trait::async_trait]
impl Cycles for Store {
    async fn current_cycle(
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
            status: CycleStatus::parse(&c.status).map_err(corrupt)?,
            points,
            target: r.points_target,
            elapsed: rules::elapsed_fraction(today, cy),
            deferral_requested: c.deferral_requested,
            deferral_until: c.deferral_until,
        }))
    }

    async fn reregister(&self, actor: &str, leader_id: i32, r: &RegisterRules) -> Result<()> {
        let txn = self.begin_write().await?;
        let c = cycle::Entity::find()
            .filter(cycle::Column::LeaderId.eq(leader_id))
            .filter(cycle::Column::Current.eq(true))
            .one(&*txn)
            .await?
            .ok_or(RuleError::NoRegistration)?;
        if c.status == CycleStatus::Lapsed.code() {
            return Err(RuleError::Lapsed.into());
        }
        let points = self
            .cycle_points(&*txn, &c, chrono::Utc::now().date_naive())
            .await?;
        if !rules::may_reregister(points, r) {
            return Err(RuleError::NotEnoughPoints {
                points,
                target: r.points_target,
            }
            .into());
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
            .col_expr(leader::Column::UpdatedAt, Expr::value(crate::now()))
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

    async fn request_deferral(&self, leader_id: i32, reason: &str) -> Result<()> {
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
            return Err(RuleError::NoRegistration.into());
        }
        Ok(())
    }
}

impl Store {
    pub(crate) async fn open_cycle(
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

    /// Points that count in a cycle on `today`: formal activities and validated informal
    /// ones, completed within the cycle and not after `today`. Stored dates are
    /// fixed-width `YYYY-MM-DD` (four-digit years, [`headway_domain::input::date`]), so
    /// their text order is their date order on both backends.
    pub(crate) async fn cycle_points<C: ConnectionTrait>(
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
}
