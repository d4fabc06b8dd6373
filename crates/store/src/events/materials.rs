//! An event's materials: slides and good-practice descriptions that speakers and
//! participants attach to the event or one of its agenda items (the regional groups meet to
//! exchange good practice). Files are checked as evidence is
//! ([`headway_domain::files::MATERIALS`]) and their content kept once per SHA-256. Who may
//! see, attach and remove them is the web's policy.

use super::entities::{agenda_item, event, material};
use crate::audit::AuditEvent;
use crate::entities::person;
use crate::{files, Result, Store, StoreError};
use headway_domain::files::MATERIALS;
use headway_domain::input::{InputError, Problem, Title};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// The most materials one event holds.
pub const MAX_MATERIALS: u64 = 200;

/// A file to attach.
#[derive(Debug, Clone)]
pub struct NewMaterial {
    /// The agenda item it belongs to; `None`: the whole event.
    pub agenda_item: Option<i32>,
    /// Its title; empty: the file's name.
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A material as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialRow {
    pub id: i32,
    pub agenda_item_id: Option<i32>,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// The person who attached it (empty for an account without one).
    pub by: String,
    #[serde(skip)]
    pub person_id: Option<i32>,
    #[serde(skip)]
    pub uploaded_by: String,
    pub created_at: String,
}

/// Keeping an event's materials.
#[async_trait::async_trait]
pub trait Materials {
    /// Attaches a checked file to the event (or one of its items), all or nothing (audited);
    /// `person` is who attached it. Returns its id.
    async fn attach_material(
        &self,
        actor: &str,
        event: i32,
        person: Option<i32>,
        m: NewMaterial,
    ) -> Result<i32>;

    /// The event's materials in the order they came; two queries.
    async fn materials(&self, event: i32) -> Result<Vec<MaterialRow>>;

    /// One material of the event; `NotFound` for another event's.
    async fn material(&self, event: i32, id: i32) -> Result<MaterialRow>;

    /// One material of the event with its content (for a download).
    async fn material_content(&self, event: i32, id: i32) -> Result<(MaterialRow, Vec<u8>)>;

    /// Removes a material of the event (its content stays while evidence or another
    /// material shares it).
    async fn remove_material(&self, actor: &str, event: i32, id: i32) -> Result<()>;
}

fn row(m: material::Model, names: &HashMap<i32, String>) -> MaterialRow {
    MaterialRow {
        id: m.id,
        agenda_item_id: m.agenda_item_id,
        title: m.title,
        file_name: m.file_name,
        content_type: m.content_type,
        size: m.size,
        by: m
            .person_id
            .and_then(|p| names.get(&p).cloned())
            .unwrap_or_default(),
        person_id: m.person_id,
        uploaded_by: m.uploaded_by,
        created_at: m.created_at,
    }
}

async fn names(store: &Store, ids: Vec<i32>) -> Result<HashMap<i32, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(&store.db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect())
}

#[async_trait::async_trait]
impl Materials for Store {
    async fn attach_material(
        &self,
        actor: &str,
        event: i32,
        person: Option<i32>,
        m: NewMaterial,
    ) -> Result<i32> {
        let file_name = MATERIALS.check("file", &m.file_name, &m.content_type, &m.bytes)?;
        let title = match m.title.trim() {
            "" => Title::parse("title", file_name.as_str())?,
            t => Title::parse("title", t)?,
        };
        let txn = self.begin_write().await?;
        if event::Entity::find_by_id(event).count(&*txn).await? == 0 {
            return Err(StoreError::NotFound);
        }
        if let Some(item) = m.agenda_item {
            let of_event = agenda_item::Entity::find_by_id(item)
                .one(&*txn)
                .await?
                .is_some_and(|i| i.event_id == event);
            if !of_event {
                return Err(InputError::new("agenda_item_id", Problem::NoSuchRecord).into());
            }
        }
        let held = material::Entity::find()
            .filter(material::Column::EventId.eq(event))
            .count(&*txn)
            .await?;
        if held >= MAX_MATERIALS {
            return Err(InputError::new(
                "file",
                Problem::TooMany {
                    max: MAX_MATERIALS as usize,
                },
            )
            .into());
        }
        let sha256 = files::keep(&*txn, &m.bytes).await?;
        let saved = material::ActiveModel {
            event_id: Set(event),
            agenda_item_id: Set(m.agenda_item),
            title: Set(title.into_inner()),
            file_name: Set(file_name.as_str().to_owned()),
            content_type: Set(m.content_type),
            size: Set(m.bytes.len() as i64),
            sha256: Set(sha256.clone()),
            person_id: Set(person),
            uploaded_by: Set(actor.to_owned()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.material.attach",
            subject: &format!("event:{event}"),
            detail: &format!("material:{} sha256:{sha256}", saved.id),
        })
        .await?;
        Ok(saved.id)
    }

    async fn materials(&self, event: i32) -> Result<Vec<MaterialRow>> {
        let models = material::Entity::find()
            .filter(material::Column::EventId.eq(event))
            .order_by_asc(material::Column::Id)
            .all(&self.db)
            .await?;
        let mut ids: Vec<i32> = models.iter().filter_map(|m| m.person_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names = names(self, ids).await?;
        Ok(models.into_iter().map(|m| row(m, &names)).collect())
    }

    async fn material(&self, event: i32, id: i32) -> Result<MaterialRow> {
        let m = material::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .filter(|m| m.event_id == event)
            .ok_or(StoreError::NotFound)?;
        let names = names(self, m.person_id.into_iter().collect()).await?;
        Ok(row(m, &names))
    }

    async fn material_content(&self, event: i32, id: i32) -> Result<(MaterialRow, Vec<u8>)> {
        let m = self.material(event, id).await?;
        let sha256 = material::Entity::find_by_id(id)
            .select_only()
            .column(material::Column::Sha256)
            .into_tuple::<String>()
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((m, files::content(&self.db, &sha256).await?))
    }

    async fn remove_material(&self, actor: &str, event: i32, id: i32) -> Result<()> {
        let txn = self.begin_write().await?;
        let gone = material::Entity::delete_many()
            .filter(material::Column::Id.eq(id))
            .filter(material::Column::EventId.eq(event))
            .exec(&*txn)
            .await?;
        if gone.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "event.material.remove",
            subject: &format!("event:{event}"),
            detail: &format!("material:{id}"),
        })
        .await
    }
}
