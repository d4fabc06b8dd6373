//! The background step: statuses move forward by date, reminders are queued once each.

use super::*;
use headway_domain::language::Lang;
use headway_domain::mail::{Letter, Letters};

/// The background step: statuses move forward by date, reminders are queued once each.
#[async_trait::async_trait]
pub trait RegisterWorker {
    /// The worker's step for `today`: moves every running cycle's status forward and
    /// queues the reminders that are due (once each). Safe to run on several servers at
    /// once: status updates are idempotent and reminders are deduplicated by key.
    /// Reminders are written through `letters` in the language of the leader's account.
    async fn register_tick(
        &self,
        today: NaiveDate,
        r: &RegisterRules,
        letters: &dyn Letters,
    ) -> Result<TickReport>;
}

#[async_trait::async_trait]
impl RegisterWorker for Store {
    async fn register_tick(
        &self,
        today: NaiveDate,
        r: &RegisterRules,
        letters: &dyn Letters,
    ) -> Result<TickReport> {
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
                        .col_expr(leader::Column::UpdatedAt, Expr::value(crate::now()))
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
                    let lang = match l.user_id {
                        Some(u) => user::Entity::find_by_id(u)
                            .one(&*txn)
                            .await?
                            .and_then(|u| u.language)
                            .and_then(|l| Lang::parse(&l)),
                        None => None,
                    }
                    .unwrap_or_else(|| letters.default_language());
                    let points = self.cycle_points(&*txn, &c, today).await?;
                    for &days in &due {
                        let letter = Letter::CycleReminder {
                            given_name: p
                                .as_ref()
                                .map(|p| p.given_name.clone())
                                .unwrap_or_default(),
                            ends_on: cy.ends_on,
                            days,
                            points,
                            target: r.points_target,
                        };
                        let key = format!("reminder:{}:{}", c.id, days);
                        crate::outbox::queue(&*txn, letters, &to, lang, &letter, key).await?;
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
}
