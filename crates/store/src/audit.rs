//! Appending to and verifying the tamper-evident audit chain.

use crate::entities::audit_log;
use crate::Result;
use headway_domain::audit::{entry_hash, verify_step, AuditFields, StoredEntry, GENESIS};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// One audit entry to append.
pub struct AuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// Appends an entry inside the caller's transaction, so the entry and the change it
/// records commit or roll back together. The first statement updates the single
/// `audit_head` row: that takes the row lock (PostgreSQL) or the write lock (SQLite), so
/// concurrent appenders, even on several servers, form one chain.
pub async fn append<C: ConnectionTrait>(conn: &C, ev: AuditEvent<'_>) -> Result<i64> {
    let head = Alias::new("audit_head");
    conn.execute(
        conn.get_database_backend().build(
            Query::update()
                .table(head.clone())
                .value(Alias::new("seq"), Expr::col(Alias::new("seq")))
                .and_where(Expr::col(Alias::new("id")).eq(1)),
        ),
    )
    .await?;
    let row = conn
        .query_one(
            conn.get_database_backend().build(
                Query::select()
                    .columns([Alias::new("seq"), Alias::new("hash")])
                    .from(head.clone())
                    .and_where(Expr::col(Alias::new("id")).eq(1)),
            ),
        )
        .await?
        .ok_or(crate::StoreError::NotFound)?;
    let prev_seq: i64 = row.try_get("", "seq")?;
    let prev_hash: String = row.try_get("", "hash")?;
    let seq = prev_seq + 1;
    let at = crate::now();
    let fields = AuditFields {
        seq,
        at: &at,
        actor: ev.actor,
        action: ev.action,
        subject: ev.subject,
        detail: ev.detail,
    };
    let hash = entry_hash(&prev_hash, &fields);
    audit_log::Entity::insert(audit_log::ActiveModel {
        seq: Set(seq),
        at: Set(at.clone()),
        actor: Set(ev.actor.to_owned()),
        action: Set(ev.action.to_owned()),
        subject: Set(ev.subject.to_owned()),
        detail: Set(ev.detail.to_owned()),
        prev_hash: Set(prev_hash),
        hash: Set(hash.clone()),
    })
    .exec_without_returning(conn)
    .await?;
    conn.execute(
        conn.get_database_backend().build(
            Query::update()
                .table(head)
                .value(Alias::new("seq"), seq)
                .value(Alias::new("hash"), hash)
                .and_where(Expr::col(Alias::new("id")).eq(1)),
        ),
    )
    .await?;
    Ok(seq)
}

/// Outcome of a full verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    pub entries: u64,
    pub head_seq: i64,
}

fn stored(m: audit_log::Model) -> StoredEntry {
    StoredEntry {
        seq: m.seq,
        at: m.at,
        actor: m.actor,
        action: m.action,
        subject: m.subject,
        detail: m.detail,
        prev_hash: m.prev_hash,
        hash: m.hash,
    }
}

impl crate::Store {
    /// Re-computes every hash in sequence, in pages, and checks the head row too
    /// (deleting the newest entries would otherwise go unnoticed).
    pub async fn verify_audit(&self) -> Result<AuditVerification> {
        const PAGE: u64 = 5_000;
        let mut prev = GENESIS.to_owned();
        let mut seq = 0i64;
        let mut n = 0u64;
        loop {
            let page = audit_log::Entity::find()
                .filter(audit_log::Column::Seq.gt(seq))
                .order_by_asc(audit_log::Column::Seq)
                .limit(PAGE)
                .all(&self.db)
                .await?;
            if page.is_empty() {
                break;
            }
            for m in page {
                let e = stored(m);
                prev = verify_step(&prev, seq, &e)?;
                seq = e.seq;
                n += 1;
            }
        }
        let row = self
            .db
            .query_one(
                self.db.get_database_backend().build(
                    Query::select()
                        .columns([Alias::new("seq"), Alias::new("hash")])
                        .from(Alias::new("audit_head"))
                        .and_where(Expr::col(Alias::new("id")).eq(1)),
                ),
            )
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        let head_seq: i64 = row.try_get("", "seq")?;
        let head_hash: String = row.try_get("", "hash")?;
        if head_seq != seq || head_hash != prev {
            return Err(headway_domain::audit::ChainError::Gap {
                seq: head_seq,
                prev: seq,
            }
            .into());
        }
        Ok(AuditVerification {
            entries: n,
            head_seq,
        })
    }

    /// The newest entries, for the admin page.
    /// The newest `limit` entries, newest first.
    pub async fn recent_audit(&self, limit: u64) -> Result<Vec<StoredEntry>> {
        Ok(audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Seq)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(stored)
            .collect())
    }

    pub async fn audit_count(&self) -> Result<u64> {
        Ok(audit_log::Entity::find().count(&self.db).await?)
    }
}
