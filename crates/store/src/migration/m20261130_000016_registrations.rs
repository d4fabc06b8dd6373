use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Taking part in events (issue 16): places per event and per audience, a registration
/// deadline, the arrival counter that orders registrations (raised under the event row's
/// lock), and the registrations with their status, arrival and attendance.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000016_registrations"
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Capacity,
    RegistrationClosesUtc,
    Arrivals,
}

#[derive(DeriveIden)]
enum EventAudiences {
    Table,
    Capacity,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    EventId,
    PersonId,
    Audience,
    Status,
    Arrival,
    RegisteredAt,
    ChangedAt,
    PromotedAt,
    Attended,
}

#[derive(DeriveIden)]
enum People {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for col in [
            ColumnDef::new(Events::Capacity).integer().null().to_owned(),
            ColumnDef::new(Events::RegistrationClosesUtc)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Events::Arrivals)
                .big_integer()
                .not_null()
                .default(0)
                .to_owned(),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(EventAudiences::Table)
                .add_column(ColumnDef::new(EventAudiences::Capacity).integer().null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Registrations::Table)
                .col(
                    ColumnDef::new(Registrations::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Registrations::EventId).integer().not_null())
                .col(ColumnDef::new(Registrations::PersonId).integer().not_null())
                .col(ColumnDef::new(Registrations::Audience).string().not_null())
                .col(ColumnDef::new(Registrations::Status).string().not_null())
                .col(
                    ColumnDef::new(Registrations::Arrival)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Registrations::RegisteredAt)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(Registrations::ChangedAt).string().not_null())
                .col(ColumnDef::new(Registrations::PromotedAt).string().null())
                .col(ColumnDef::new(Registrations::Attended).boolean().null())
                .foreign_key(&mut fk(
                    Registrations::Table,
                    Registrations::EventId,
                    Alias::new("events"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Registrations::Table,
                    Registrations::PersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registrations", &["event_id", "person_id"], true))
            .await?;
        m.create_index(index(
            "registrations",
            &["event_id", "status", "arrival"],
            false,
        ))
        .await?;
        m.create_index(index("registrations", &["person_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Registrations::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(EventAudiences::Table)
                .drop_column(EventAudiences::Capacity)
                .to_owned(),
        )
        .await?;
        for c in [
            Events::Arrivals,
            Events::RegistrationClosesUtc,
            Events::Capacity,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
