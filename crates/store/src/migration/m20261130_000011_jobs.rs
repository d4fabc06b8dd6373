use super::index;
use sea_orm_migration::prelude::*;

/// Background jobs (issue 15): work a server claims through a lease, so that several
/// servers never run it twice and a dead server's job is picked up again.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000011_jobs"
    }
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Subject,
    Status,
    Progress,
    Note,
    LeaseOwner,
    LeaseUntil,
    Attempts,
    CancelRequested,
    Error,
    CreatedAt,
    StartedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(
                    ColumnDef::new(Jobs::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Jobs::Kind).string().not_null())
                .col(ColumnDef::new(Jobs::Subject).string().not_null())
                .col(ColumnDef::new(Jobs::Status).string().not_null())
                .col(ColumnDef::new(Jobs::Progress).integer().not_null())
                .col(ColumnDef::new(Jobs::Note).string().not_null())
                .col(ColumnDef::new(Jobs::LeaseOwner).string().null())
                .col(ColumnDef::new(Jobs::LeaseUntil).string().null())
                .col(ColumnDef::new(Jobs::Attempts).integer().not_null())
                .col(ColumnDef::new(Jobs::CancelRequested).boolean().not_null())
                .col(ColumnDef::new(Jobs::Error).text().null())
                .col(ColumnDef::new(Jobs::CreatedAt).string().not_null())
                .col(ColumnDef::new(Jobs::StartedAt).string().null())
                .col(ColumnDef::new(Jobs::FinishedAt).string().null())
                .to_owned(),
        )
        .await?;
        m.create_index(index("jobs", &["status", "kind", "id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await
    }
}
