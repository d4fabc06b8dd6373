use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Guidance (issue 18): evaluation snapshots of a case — the owner's published indicator
/// values (and the nation's) when the case opens (the baseline) and at each follow-up.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000024_guidance_snapshots"
    }
}

#[derive(DeriveIden)]
enum GuidanceSnapshots {
    Table,
    Id,
    CaseId,
    Kind,
    TakenOn,
    TakenBy,
}

#[derive(DeriveIden)]
enum GuidanceSnapshotValues {
    Table,
    Id,
    SnapshotId,
    Indicator,
    Period,
    Value,
    National,
    Hidden,
}

#[derive(DeriveIden)]
enum GuidanceCases {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use GuidanceSnapshotValues as V;
        use GuidanceSnapshots as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(
                    ColumnDef::new(S::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(S::CaseId).integer().not_null())
                .col(ColumnDef::new(S::Kind).string().not_null())
                .col(ColumnDef::new(S::TakenOn).string().not_null())
                .col(ColumnDef::new(S::TakenBy).string().not_null())
                .foreign_key(&mut fk(
                    S::Table,
                    S::CaseId,
                    GuidanceCases::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_snapshots", &["case_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(
                    ColumnDef::new(V::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(V::SnapshotId).integer().not_null())
                .col(ColumnDef::new(V::Indicator).string().not_null())
                .col(ColumnDef::new(V::Period).string().not_null())
                .col(ColumnDef::new(V::Value).double().null())
                .col(ColumnDef::new(V::National).double().null())
                .col(ColumnDef::new(V::Hidden).string().null())
                .foreign_key(&mut fk(
                    V::Table,
                    V::SnapshotId,
                    S::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("guidance_snapshot_values", &["snapshot_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(GuidanceSnapshotValues::Table)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(GuidanceSnapshots::Table).to_owned())
            .await
    }
}
