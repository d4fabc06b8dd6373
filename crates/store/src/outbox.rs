//! The e-mail outbox, shared by every feature that sends mail: messages are queued in the
//! database (deduplicated by key) inside the transaction of what caused them, and sent by
//! whichever server's worker gets to them (SMTP when configured).

use crate::entities::register::outbox;
use crate::{Result, Store};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A message as administrators and the sender see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutboxMessage {
    pub id: i32,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub kind: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub error: Option<String>,
}

impl From<outbox::Model> for OutboxMessage {
    fn from(m: outbox::Model) -> Self {
        Self {
            id: m.id,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            kind: m.kind,
            created_at: m.created_at,
            sent_at: m.sent_at,
            error: m.error,
        }
    }
}

/// Reading and marking the outbox.
#[async_trait::async_trait]
pub trait Outbox {
    /// The outbox, newest first.
    async fn outbox(&self, limit: u64) -> Result<Vec<OutboxMessage>>;

    /// Messages not yet sent, oldest first.
    async fn outbox_unsent(&self, limit: u64) -> Result<Vec<OutboxMessage>>;

    /// Marks a message sent, or records why sending failed.
    async fn outbox_mark(&self, id: i32, error: Option<String>) -> Result<()>;
}

async fn messages(
    s: &Store,
    q: sea_orm::Select<outbox::Entity>,
    limit: u64,
) -> Result<Vec<OutboxMessage>> {
    Ok(q.limit(limit)
        .all(&s.db)
        .await?
        .into_iter()
        .map(OutboxMessage::from)
        .collect())
}

#[async_trait::async_trait]
impl Outbox for Store {
    async fn outbox(&self, limit: u64) -> Result<Vec<OutboxMessage>> {
        messages(
            self,
            outbox::Entity::find().order_by_desc(outbox::Column::Id),
            limit,
        )
        .await
    }

    async fn outbox_unsent(&self, limit: u64) -> Result<Vec<OutboxMessage>> {
        let q = outbox::Entity::find()
            .filter(outbox::Column::SentAt.is_null())
            .order_by_asc(outbox::Column::Id);
        messages(self, q, limit).await
    }

    async fn outbox_mark(&self, id: i32, error: Option<String>) -> Result<()> {
        let mut q = outbox::Entity::update_many().filter(outbox::Column::Id.eq(id));
        q = match error {
            None => q.col_expr(outbox::Column::SentAt, Expr::value(crate::now())),
            Some(e) => q.col_expr(outbox::Column::Error, Expr::value(e)),
        };
        q.exec(&self.db).await?;
        Ok(())
    }
}
