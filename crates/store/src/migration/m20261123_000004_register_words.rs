use super::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

/// Folded words of each leader's name, schools and municipalities, for exact and prefix
/// search through an index (near misses go through the vocabulary of migration 5).
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000004_register_words"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("register_words"))
                .col(string(a("word")))
                .col(integer(a("leader_id")))
                .primary_key(Index::create().col(a("word")).col(a("leader_id")))
                .foreign_key(&mut fk(
                    a("register_words"),
                    a("leader_id"),
                    a("register_leaders"),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("register_words", &["leader_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("register_words")).to_owned())
            .await
    }
}
