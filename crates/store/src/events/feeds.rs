//! Personal calendar feeds: a secret token per person (only its SHA-256 is kept), shown
//! once when made and revocable; the feed holds the person's registrations with their
//! events.

use super::entities::{calendar_feed, event, registration};
use super::EventDetail;
use crate::audit::AuditEvent;
use crate::{Result, Store};
use headway_domain::events::participation::RegStatus;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

/// A secret link's token as kept: its SHA-256, hex.
pub(super) fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Calendar feeds.
#[async_trait::async_trait]
pub trait CalendarFeeds {
    /// Makes a new feed token for `person`, revoking any earlier one; the token is
    /// returned once and kept only as its hash.
    async fn new_feed(&self, actor: &str, person: i32) -> Result<String>;

    /// Revokes `person`'s feed (its link stops working).
    async fn revoke_feeds(&self, actor: &str, person: i32) -> Result<()>;

    /// When `person`'s working feed was made, if there is one.
    async fn feed_made(&self, person: i32) -> Result<Option<String>>;

    /// The person a working token belongs to.
    async fn feed_person(&self, token: &str) -> Result<Option<i32>>;

    /// The person's registrations (not those never confirmed nor waiting) with their
    /// events, by the events' start.
    async fn feed_events(&self, person: i32) -> Result<Vec<(EventDetail, String, RegStatus)>>;
}

#[async_trait::async_trait]
impl CalendarFeeds for Store {
    async fn new_feed(&self, actor: &str, person: i32) -> Result<String> {
        let mut bytes = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let txn = self.begin_write().await?;
        let now = crate::now();
        calendar_feed::Entity::update_many()
            .col_expr(
                calendar_feed::Column::RevokedAt,
                Expr::value(Some(now.clone())),
            )
            .filter(calendar_feed::Column::PersonId.eq(person))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .exec(&*txn)
            .await?;
        calendar_feed::ActiveModel {
            person_id: Set(person),
            token_hash: Set(hash(&token)),
            created_at: Set(now),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "calendar.feed",
            subject: &format!("person:{person}"),
            detail: "new",
        })
        .await?;
        Ok(token)
    }

    async fn revoke_feeds(&self, actor: &str, person: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        calendar_feed::Entity::update_many()
            .col_expr(
                calendar_feed::Column::RevokedAt,
                Expr::value(Some(crate::now())),
            )
            .filter(calendar_feed::Column::PersonId.eq(person))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .exec(&*txn)
            .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "calendar.feed",
            subject: &format!("person:{person}"),
            detail: "revoked",
        })
        .await
    }

    async fn feed_made(&self, person: i32) -> Result<Option<String>> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::PersonId.eq(person))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .map(|f| f.created_at))
    }

    async fn feed_person(&self, token: &str) -> Result<Option<i32>> {
        Ok(calendar_feed::Entity::find()
            .filter(calendar_feed::Column::TokenHash.eq(hash(token.trim())))
            .filter(calendar_feed::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .map(|f| f.person_id))
    }

    async fn feed_events(&self, person: i32) -> Result<Vec<(EventDetail, String, RegStatus)>> {
        let regs = registration::Entity::find()
            .filter(registration::Column::PersonId.eq(person))
            .all(&self.db)
            .await?;
        let ids: Vec<i32> = regs.iter().map(|r| r.event_id).collect();
        let mut models = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            models.extend(
                event::Entity::find()
                    .filter(event::Column::Id.is_in(chunk.to_vec()))
                    .all(&self.db)
                    .await?,
            );
        }
        models.sort_by(|a, b| a.starts_utc.cmp(&b.starts_utc).then(a.id.cmp(&b.id)));
        let by_event: std::collections::HashMap<i32, &registration::Model> =
            regs.iter().map(|r| (r.event_id, r)).collect();
        let mut out = Vec::with_capacity(models.len());
        for e in super::details::details(&self.db, models).await? {
            let Some(r) = by_event.get(&e.summary.id) else {
                continue;
            };
            let status = RegStatus::parse(&r.status)
                .map_err(|e| crate::StoreError::Internal(format!("stored registration: {e}")))?;
            out.push((e, r.audience.clone(), status));
        }
        Ok(out)
    }
}
