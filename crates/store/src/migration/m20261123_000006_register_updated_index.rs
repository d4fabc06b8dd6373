use super::index;
use sea_orm_migration::prelude::*;

/// Lets every server ask cheaply whether the public register changed since its in-memory
/// index was built (`MAX(updated_at)`), and load only what changed.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000006_register_updated_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("register_leaders", &["updated_at"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_register_leaders_updated_at")
                .table(Alias::new("register_leaders"))
                .to_owned(),
        )
        .await
    }
}
