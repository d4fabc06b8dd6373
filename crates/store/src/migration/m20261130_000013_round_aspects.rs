use super::{fk, index};
use sea_orm_migration::prelude::*;

/// What a conversation round yields (issue 15): the aspects each group raised, tagged to
/// one of the round's competences.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000013_round_aspects"
    }
}

#[derive(DeriveIden)]
enum RoundAspects {
    Table,
    Id,
    RoundId,
    GroupNo,
    Competence,
    Text,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RoundAspects::Table)
                .col(
                    ColumnDef::new(RoundAspects::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(RoundAspects::RoundId).integer().not_null())
                .col(ColumnDef::new(RoundAspects::GroupNo).integer().not_null())
                .col(
                    ColumnDef::new(RoundAspects::Competence)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(RoundAspects::Text).text().not_null())
                .col(ColumnDef::new(RoundAspects::RecordedBy).string().not_null())
                .col(ColumnDef::new(RoundAspects::RecordedAt).string().not_null())
                .foreign_key(&mut fk(
                    RoundAspects::Table,
                    RoundAspects::RoundId,
                    Rounds::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("round_aspects", &["round_id", "group_no"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RoundAspects::Table).to_owned())
            .await
    }
}
