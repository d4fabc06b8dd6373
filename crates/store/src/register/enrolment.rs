//! Enrolment: a leader enrols (self-service), their registration is read, and they change schools (the old board loses sight at once; the committee confirms the new link).

use super::*;

/// Enrolment: a leader enrols (self-service), their registration is read, and they change schools (the old board loses sight at once; the committee confirms the new link).
#[async_trait::async_trait]
pub trait Enrolments {
    /// A leader enrols (self-service): a person, the leader record with its schools,
    /// and an audit entry, in one transaction.
    async fn enrol(&self, user_id: i32, e: Enrolment) -> Result<i32>;

    async fn leader_id_for_user(&self, user_id: i32) -> Result<Option<i32>>;

    async fn leader_view(&self, id: i32) -> Result<LeaderView>;

    /// The leader now leads `school_ids` (the first school's board becomes the leader's
    /// board). Waits for the committee's confirmation before any board sees the leader.
    async fn change_schools(&self, leader_id: i32, school_ids: &[i32]) -> Result<()>;
}

#[async_trait::async_trait]
impl Enrolments for Store {
    async fn enrol(&self, user_id: i32, e: Enrolment) -> Result<i32> {
        let given = PersonName::parse("given_name", &e.given_name)?;
        let family = PersonName::parse("family_name", &e.family_name)?;
        let email = match e.email.as_deref() {
            Some(m) if !m.trim().is_empty() => Some(Email::parse("email", m)?.as_str().to_owned()),
            _ => None,
        };
        let qualification = Reason::parse("qualification", &e.qualification)?;
        let txn = self.begin_write().await?;
        if leader::Entity::find()
            .filter(leader::Column::UserId.eq(user_id))
            .count(&*txn)
            .await?
            > 0
        {
            return Err(RuleError::AlreadyEnrolled.into());
        }
        let schools = self.check_schools(&*txn, &e.school_ids).await?;
        let board_id = e
            .board_id
            .or_else(|| schools.first().and_then(|s| s.parent_id));
        let now = crate::now();
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
            position: Set(e.position.code().to_owned()),
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

    async fn leader_id_for_user(&self, user_id: i32) -> Result<Option<i32>> {
        Ok(leader::Entity::find()
            .select_only()
            .column(leader::Column::Id)
            .filter(leader::Column::UserId.eq(user_id))
            .into_tuple::<i32>()
            .one(&self.db)
            .await?)
    }

    async fn leader_view(&self, id: i32) -> Result<LeaderView> {
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
            position: Position::parse(&l.position).map_err(corrupt)?,
            qualification: l.qualification,
            status: leader_status(&l.status),
            level: l.level,
            objected: l.objected,
            schools: schools.into_iter().map(|s| (s.0, s.2)).collect(),
            board_confirmed: l.board_confirmed,
            schools_changed_at: l.schools_changed_at,
        })
    }

    async fn change_schools(&self, leader_id: i32, school_ids: &[i32]) -> Result<()> {
        let txn = self.begin_write().await?;
        let l = self.leader_row(&*txn, leader_id).await?;
        if l.status == EnrolmentStatus::Rejected.code() {
            return Err(RuleError::Rejected.into());
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
        let now = crate::now();
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
}
