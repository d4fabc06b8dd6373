use sea_orm_migration::{prelude::*, schema::*};

/// The distinct words of the register, for typo-tolerant search: a near miss is looked
/// up among the few thousand words sharing its first letter, not among every leader.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000005_register_vocab"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("register_vocab"))
                .col(string(a("word")).primary_key())
                .to_owned(),
        )
        .await?;
        let fill = Query::insert()
            .into_table(a("register_vocab"))
            .columns([a("word")])
            .select_from(
                Query::select()
                    .distinct()
                    .column(a("word"))
                    .from(a("register_words"))
                    .to_owned(),
            )
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        m.exec_stmt(fill).await?;
        // Trigrams served the first typo-tolerant search; the vocabulary replaces them.
        m.drop_table(Table::drop().table(a("register_trigrams")).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("register_vocab")).to_owned())
            .await
    }
}
