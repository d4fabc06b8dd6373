//! A leader changes jobs: new schools, and with them perhaps a new board. The
//! registration, its cycle and its points continue; the old board loses sight at once
//! (its consents end with the move); the new board sees the leader only after the
//! committee has confirmed the change, and their activities only after the leader
//! consents to the new board.

use crate::entities::register::{consent, leader, leader_school};
use crate::register::{audit_leader, LeaderView};
use crate::{Result, Store, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

impl Store {
    /// The leader now leads `school_ids` (the first school's board becomes the leader's
    /// board). Waits for the committee's confirmation before any board sees the leader.
    pub async fn change_schools(&self, leader_id: i32, school_ids: &[i32]) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        if l.status == "rejected" {
            return Err(StoreError::Invalid(
                "schools: a rejected enrolment has no schools to change".into(),
            ));
        }
        let schools = self.check_schools(&*txn, school_ids).await?;
        let before: Vec<i32> = leader_school::Entity::find()
            .filter(leader_school::Column::LeaderId.eq(leader_id))
            .order_by_asc(leader_school::Column::OrganizationId)
            .all(&*txn)
            .await?
            .into_iter()
            .map(|s| s.organization_id)
            .collect();
        let mut after: Vec<i32> = schools.iter().map(|s| s.id).collect();
        after.sort_unstable();
        let board = schools.first().and_then(|s| s.parent_id);
        if after == before && board == l.board_id {
            return Ok(());
        }
        let now = headway_domain::time::now();
        leader_school::Entity::delete_many()
            .filter(leader_school::Column::LeaderId.eq(leader_id))
            .exec(&*txn)
            .await?;
        for s in &schools {
            leader_school::ActiveModel {
                leader_id: Set(leader_id),
                organization_id: Set(s.id),
            }
            .insert(&*txn)
            .await?;
        }
        leader::Entity::update_many()
            .col_expr(leader::Column::BoardId, Expr::value(board))
            .col_expr(leader::Column::BoardConfirmed, Expr::value(false))
            .col_expr(leader::Column::SchoolsChangedAt, Expr::value(now.clone()))
            .col_expr(leader::Column::UpdatedAt, Expr::value(now.clone()))
            .filter(leader::Column::Id.eq(leader_id))
            .exec(&*txn)
            .await?;
        // What the leader allowed the old board to see ends with the move.
        if let Some(old) = l.board_id.filter(|old| Some(*old) != board) {
            consent::Entity::update_many()
                .col_expr(consent::Column::RevokedAt, Expr::value(now))
                .filter(consent::Column::LeaderId.eq(leader_id))
                .filter(consent::Column::BoardId.eq(old))
                .filter(consent::Column::RevokedAt.is_null())
                .exec(&*txn)
                .await?;
        }
        self.index_leader(&txn, leader_id).await?;
        audit_leader(
            &txn,
            &format!("leader:{leader_id}"),
            "register.schools.change",
            leader_id,
            &format!(
                "schools {before:?} -> {after:?}, board {:?} -> {board:?}",
                l.board_id
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The committee confirms a change of schools: the (new) board sees the leader.
    pub async fn confirm_schools(&self, actor: &str, leader_id: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        if l.schools_changed_at.is_none() {
            return Err(StoreError::Invalid(
                "leader_id: no change of schools waits for confirmation".into(),
            ));
        }
        leader::Entity::update_many()
            .col_expr(leader::Column::BoardConfirmed, Expr::value(true))
            .col_expr(
                leader::Column::SchoolsChangedAt,
                Expr::value(Option::<String>::None),
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
            "register.schools.confirm",
            leader_id,
            &format!("board {:?}", l.board_id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Changes of schools waiting for the committee, oldest first (at most `limit`).
    pub async fn school_changes(&self, limit: u64) -> Result<Vec<LeaderView>> {
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
