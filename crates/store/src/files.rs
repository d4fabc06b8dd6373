//! Uploaded files' content, kept once per SHA-256 whatever points to it (a PD activity's
//! evidence, an event's material): the same certificate uploaded twice is stored once.
//! Checking a file before it is kept is the domain's [`headway_domain::files::FileRule`].

use crate::entities::register::blob;
use crate::{Result, StoreError};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use sha2::{Digest, Sha256};

/// Keeps `bytes` (once) and answers their SHA-256, by which they are read again.
pub(crate) async fn keep(db: &impl ConnectionTrait, bytes: &[u8]) -> Result<String> {
    let sha = hex::encode(Sha256::digest(bytes));
    blob::Entity::insert(blob::ActiveModel {
        sha256: Set(sha.clone()),
        size: Set(bytes.len() as i64),
        content: Set(bytes.to_vec()),
    })
    .on_conflict(
        OnConflict::column(blob::Column::Sha256)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(sha)
}

/// The content kept under `sha256`.
pub(crate) async fn content(db: &impl ConnectionTrait, sha256: &str) -> Result<Vec<u8>> {
    Ok(blob::Entity::find_by_id(sha256.to_owned())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?
        .content)
}
