//! The e-mail outbox, shared by every feature that sends mail: messages are queued in the
//! database (deduplicated by key) inside the transaction of what caused them, and sent by
//! whichever server's worker gets to them (SMTP when configured).

use crate::entities::register::outbox;
use crate::{Result, Store};
use headway_domain::language::Lang;
use headway_domain::mail::{Letter, Letters};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

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
    /// The language it is written in (`None` for messages queued before languages were kept).
    pub language: Option<String>,
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
            language: m.language,
        }
    }
}

/// Queues `letter` to `recipient` in `lang` once per `dedupe_key`, inside the caller's
/// transaction (a second queueing with the same key does nothing).
pub(crate) async fn queue<C: sea_orm::ConnectionTrait>(
    c: &C,
    letters: &dyn Letters,
    recipient: &str,
    lang: Lang,
    letter: &Letter,
    dedupe_key: String,
) -> Result<()> {
    let w = letters.write(lang, letter);
    outbox::Entity::insert(outbox::ActiveModel {
        recipient: Set(recipient.to_owned()),
        subject: Set(w.subject),
        body: Set(w.body),
        kind: Set(letter.kind()),
        dedupe_key: Set(dedupe_key),
        created_at: Set(crate::now()),
        sent_at: Set(None),
        error: Set(None),
        language: Set(Some(lang.code().to_owned())),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(outbox::Column::DedupeKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(())
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
