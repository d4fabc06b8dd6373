use super::{fk, fk_to, index};
use sea_orm_migration::prelude::*;

/// Individual counselling (issue 16, seed 000): the slots a counsellor (an account with an
/// `event_counsellor` membership) offers at a session, each booked by at most one person,
/// and the counsellor's confidential note on a booked slot with the date after which the
/// worker deletes it.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000019_counselling"
    }
}

#[derive(DeriveIden)]
enum CounsellingSlots {
    Table,
    Id,
    EventId,
    CounsellorId,
    StartsAt,
    EndsAt,
    BookedBy,
    BookedAt,
}

#[derive(DeriveIden)]
enum CounsellingNotes {
    Table,
    SlotId,
    Body,
    Shared,
    WrittenAt,
    DeleteAfter,
}

#[derive(DeriveIden)]
enum Events {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum People {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CounsellingSlots::Table)
                .col(
                    ColumnDef::new(CounsellingSlots::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(CounsellingSlots::EventId)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CounsellingSlots::CounsellorId)
                        .integer()
                        .not_null(),
                )
                // Wall-clock `YYYY-MM-DD HH:MM` in the event's zone.
                .col(
                    ColumnDef::new(CounsellingSlots::StartsAt)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(CounsellingSlots::EndsAt).string().not_null())
                .col(ColumnDef::new(CounsellingSlots::BookedBy).integer().null())
                .col(ColumnDef::new(CounsellingSlots::BookedAt).string().null())
                .foreign_key(&mut fk(
                    CounsellingSlots::Table,
                    CounsellingSlots::EventId,
                    Events::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk_to(
                    CounsellingSlots::Table,
                    CounsellingSlots::CounsellorId,
                    Users::Table,
                    Users::Id,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    CounsellingSlots::Table,
                    CounsellingSlots::BookedBy,
                    People::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "counselling_slots",
            &["event_id", "starts_at"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table(CounsellingNotes::Table)
                .col(
                    ColumnDef::new(CounsellingNotes::SlotId)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(CounsellingNotes::Body).text().not_null())
                .col(
                    ColumnDef::new(CounsellingNotes::Shared)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CounsellingNotes::WrittenAt)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CounsellingNotes::DeleteAfter)
                        .string()
                        .not_null(),
                )
                .foreign_key(&mut fk_to(
                    CounsellingNotes::Table,
                    CounsellingNotes::SlotId,
                    CounsellingSlots::Table,
                    CounsellingSlots::Id,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("counselling_notes", &["delete_after"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CounsellingNotes::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(CounsellingSlots::Table).to_owned())
            .await
    }
}
