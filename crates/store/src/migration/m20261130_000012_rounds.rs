use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Group rounds (issue 15): what a coordinator asked for, the job that forms the groups,
/// the draft, and once published the networks that hold the groups.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000012_rounds"
    }
}

#[derive(DeriveIden)]
enum Rounds {
    Table,
    Id,
    NetworkId,
    JobId,
    Title,
    Spec,
    Status,
    Draft,
    CreatedBy,
    CreatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum RoundGroups {
    Table,
    RoundId,
    GroupNo,
    NetworkId,
}

#[derive(DeriveIden)]
enum Networks {
    Table,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Rounds::Table)
                .col(
                    ColumnDef::new(Rounds::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Rounds::NetworkId).integer().not_null())
                .col(ColumnDef::new(Rounds::JobId).integer().null())
                .col(ColumnDef::new(Rounds::Title).string().not_null())
                .col(ColumnDef::new(Rounds::Spec).text().not_null())
                .col(ColumnDef::new(Rounds::Status).string().not_null())
                .col(ColumnDef::new(Rounds::Draft).text().null())
                .col(ColumnDef::new(Rounds::CreatedBy).string().not_null())
                .col(ColumnDef::new(Rounds::CreatedAt).string().not_null())
                .col(ColumnDef::new(Rounds::PublishedAt).string().null())
                .foreign_key(&mut fk(
                    Rounds::Table,
                    Rounds::NetworkId,
                    Networks::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Rounds::Table,
                    Rounds::JobId,
                    Jobs::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RoundGroups::Table)
                .col(ColumnDef::new(RoundGroups::RoundId).integer().not_null())
                .col(ColumnDef::new(RoundGroups::GroupNo).integer().not_null())
                .col(ColumnDef::new(RoundGroups::NetworkId).integer().not_null())
                .primary_key(
                    Index::create()
                        .col(RoundGroups::RoundId)
                        .col(RoundGroups::GroupNo),
                )
                .foreign_key(&mut fk(
                    RoundGroups::Table,
                    RoundGroups::RoundId,
                    Rounds::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    RoundGroups::Table,
                    RoundGroups::NetworkId,
                    Networks::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        for ix in [
            index("rounds", &["network_id"], false),
            index("rounds", &["job_id"], false),
            index("round_groups", &["network_id"], true),
        ] {
            m.create_index(ix).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [Alias::new("round_groups"), Alias::new("rounds")] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
