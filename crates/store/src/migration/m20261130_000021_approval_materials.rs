use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Events (issue 16): an event may ask for the organiser's approval of each registration
/// (`events.needs_approval`); and materials (slides, good-practice descriptions) attached
/// to the event or one of its agenda items, their content stored once per SHA-256 in the
/// same blob table as the register's evidence.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000021_approval_materials"
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    NeedsApproval,
}

#[derive(DeriveIden)]
enum EventMaterials {
    Table,
    Id,
    EventId,
    AgendaItemId,
    Title,
    FileName,
    ContentType,
    Size,
    Sha256,
    PersonId,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AgendaItems {
    Table,
}

#[derive(DeriveIden)]
enum People {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(
                    ColumnDef::new(Events::NeedsApproval)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EventMaterials::Table)
                .col(
                    ColumnDef::new(EventMaterials::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(EventMaterials::EventId).integer().not_null())
                .col(
                    ColumnDef::new(EventMaterials::AgendaItemId)
                        .integer()
                        .null(),
                )
                .col(ColumnDef::new(EventMaterials::Title).string().not_null())
                .col(ColumnDef::new(EventMaterials::FileName).string().not_null())
                .col(
                    ColumnDef::new(EventMaterials::ContentType)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EventMaterials::Size)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(EventMaterials::Sha256).string().not_null())
                .col(ColumnDef::new(EventMaterials::PersonId).integer().null())
                .col(
                    ColumnDef::new(EventMaterials::UploadedBy)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(EventMaterials::CreatedAt)
                        .string()
                        .not_null(),
                )
                .foreign_key(&mut fk(
                    EventMaterials::Table,
                    EventMaterials::EventId,
                    Events::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    EventMaterials::Table,
                    EventMaterials::AgendaItemId,
                    AgendaItems::Table,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    EventMaterials::Table,
                    EventMaterials::PersonId,
                    People::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("event_materials", &["event_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EventMaterials::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .drop_column(Events::NeedsApproval)
                .to_owned(),
        )
        .await
    }
}
