//! What a conversation round yields: the aspects its groups raised, recorded by each
//! group's facilitator once the groups are published ([`RoundAspects`]).

use super::entities::{round, round_aspect};
use super::parse_round;
use crate::audit::AuditEvent;
use crate::{Result, Store, StoreError};
use headway_domain::rounds::{Aspect, AspectError, RoundRule, RoundStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// An aspect as pages and exports show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AspectRow {
    pub id: i32,
    pub aspect: Aspect,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Recording and reading a round's aspects.
#[async_trait::async_trait]
pub trait RoundAspects {
    /// Records an aspect of `group` (from 0) tagged to `competence` (an index into the
    /// round's competences). Refused before the round is published, and for a group or
    /// competence the round does not have; nothing is written then.
    async fn add_aspect(
        &self,
        actor: &str,
        round: i32,
        group: usize,
        competence: usize,
        text: &str,
    ) -> Result<i32>;

    /// The round's aspects by group, then in the order recorded.
    async fn aspects(&self, round: i32) -> Result<Vec<AspectRow>>;
}

#[async_trait::async_trait]
impl RoundAspects for Store {
    async fn add_aspect(
        &self,
        actor: &str,
        round_id: i32,
        group: usize,
        competence: usize,
        text: &str,
    ) -> Result<i32> {
        let txn = self.begin_write().await?;
        let m = round::Entity::find_by_id(round_id)
            .one(&*txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (spec, status, draft) = parse_round(&m)?;
        let draft = match (status, draft) {
            (RoundStatus::Published, Some(d)) => d,
            _ => return Err(RoundRule::NotPublished.into()),
        };
        let aspect = Aspect::new(
            group,
            competence,
            text,
            draft.groups,
            spec.competences.len(),
        )
        .map_err(|e| match e {
            AspectError::Input(e) => StoreError::Input(e),
            AspectError::Rule(r) => r.into(),
        })?;
        let row = round_aspect::ActiveModel {
            round_id: Set(round_id),
            group_no: Set(aspect.group as i32),
            competence: Set(aspect.competence as i32),
            text: Set(aspect.text.clone()),
            recorded_by: Set(actor.into()),
            recorded_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "round.aspect",
            subject: &format!("round:{round_id}"),
            detail: &format!("group {} competence {}", group + 1, competence + 1),
        })
        .await?;
        Ok(row.id)
    }

    async fn aspects(&self, round: i32) -> Result<Vec<AspectRow>> {
        Ok(round_aspect::Entity::find()
            .filter(round_aspect::Column::RoundId.eq(round))
            .order_by_asc(round_aspect::Column::GroupNo)
            .order_by_asc(round_aspect::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| AspectRow {
                id: m.id,
                aspect: Aspect {
                    group: m.group_no.max(0) as usize,
                    competence: m.competence.max(0) as usize,
                    text: m.text,
                },
                recorded_by: m.recorded_by,
                recorded_at: m.recorded_at,
            })
            .collect())
    }
}
