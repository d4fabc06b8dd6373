//! The e-mail outbox, shared by every feature that sends mail: messages are queued in the
//! database (deduplicated by key) inside the transaction of what caused them, and sent by
//! whichever server's worker gets to them (SMTP when configured).

use crate::entities::register::outbox;
use crate::entities::{person, user};
use crate::{Result, Store};
use headway_domain::language::Lang;
use headway_domain::mail::{Letter, Letters};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

/// The people `ids` whom letters go to, with the language each last signed in with (for
/// those whose account has one; the others get the installation's). Read in chunks, so a
/// round or an invitation to thousands stays within the database's bound parameters.
pub(crate) struct Recipients {
    pub people: HashMap<i32, person::Model>,
    pub languages: HashMap<i32, Lang>,
}

impl Recipients {
    pub(crate) async fn read(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Self> {
        let mut r = Recipients {
            people: HashMap::with_capacity(ids.len()),
            languages: HashMap::new(),
        };
        for chunk in ids.chunks(5000) {
            for p in person::Entity::find()
                .filter(person::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                r.people.insert(p.id, p);
            }
            for u in user::Entity::find()
                .filter(user::Column::PersonId.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                if let (Some(p), Some(l)) =
                    (u.person_id, u.language.as_deref().and_then(Lang::parse))
                {
                    r.languages.insert(p, l);
                }
            }
        }
        Ok(r)
    }

    /// `person`'s language, else `default`.
    pub(crate) fn language(&self, person: i32, default: Lang) -> Lang {
        self.languages.get(&person).copied().unwrap_or(default)
    }
}

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
