//! A board's view: its confirmed leaders, and — only with the leader's consent to that board — their activities, each read logged for the leader.

use super::*;

/// A board's view: its confirmed leaders, and — only with the leader's consent to that board — their activities, each read logged for the leader.
#[async_trait::async_trait]
pub trait BoardAccess {
    /// A board's leaders with their status, for the board page and the exports.
    async fn board_leaders(&self, board_id: i32, r: &RegisterRules) -> Result<Vec<BoardLeaderRow>>;

    /// Grants consent to the leader's board: for all activities (`activity = None`) or one.
    async fn grant_consent(&self, leader_id: i32, activity_id: Option<i32>) -> Result<()>;

    async fn revoke_consent(&self, leader_id: i32, activity_id: Option<i32>) -> Result<()>;

    /// The consents a leader has given to their current board and not revoked:
    /// (all?, activity ids). Consents given to an earlier board do not count.
    async fn consents(&self, leader_id: i32) -> Result<(bool, Vec<i32>)>;

    /// The consents a leader has given to `board_id` and not revoked: (all?, activity ids).
    async fn consents_to(&self, leader_id: i32, board_id: i32) -> Result<(bool, Vec<i32>)>;

    /// The board's view of a leader's activities: only those the leader consented to,
    /// each read written to the audit log (the leader's access log). `None` asks for
    /// all consented ones; `Some(id)` for one, refused without consent.
    async fn board_read_activities(
        &self,
        actor: &str,
        board_id: i32,
        leader_id: i32,
        only: Option<i32>,
    ) -> Result<Vec<ActivityView>>;

    /// Who read the leader's consented data, newest first.
    async fn access_log(&self, leader_id: i32) -> Result<Vec<AccessEntry>>;
}

#[async_trait::async_trait]
impl BoardAccess for Store {
    async fn board_leaders(&self, board_id: i32, r: &RegisterRules) -> Result<Vec<BoardLeaderRow>> {
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
        let people = self.people_of(ls.iter().map(|l| l.person_id)).await?;
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
                position: Position::parse(&l.position).map_err(corrupt)?,
                status: leader_status(&l.status),
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

    async fn grant_consent(&self, leader_id: i32, activity_id: Option<i32>) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        let board = l.board_id.ok_or(RuleError::NoBoardLinked)?;
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
                granted_at: Set(crate::now()),
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

    async fn revoke_consent(&self, leader_id: i32, activity_id: Option<i32>) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        let board = l.board_id.ok_or(RuleError::NoBoardLinked)?;
        let mut q = consent::Entity::update_many()
            .col_expr(consent::Column::RevokedAt, Expr::value(crate::now()))
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

    async fn consents(&self, leader_id: i32) -> Result<(bool, Vec<i32>)> {
        let l = self.leader_row(&self.db, leader_id).await?;
        match l.board_id {
            Some(b) => self.consents_to(leader_id, b).await,
            None => Ok((false, vec![])),
        }
    }

    async fn consents_to(&self, leader_id: i32, board_id: i32) -> Result<(bool, Vec<i32>)> {
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

    async fn board_read_activities(
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

    async fn access_log(&self, leader_id: i32) -> Result<Vec<AccessEntry>> {
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
}

impl Store {
    pub(crate) async fn active_consent<C: ConnectionTrait>(
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
}
