use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Events (issue 16): gatherings, counselling sessions, trainings, observation lessons and
/// conferences, with wall-clock times in a named zone (and the UTC instants they stand for,
/// to order and select by), their audiences, and their agenda. Organisers are memberships
/// (`event_organiser`).
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000015_events"
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Kind,
    Status,
    Title,
    Description,
    Language,
    NetworkId,
    HostId,
    VenueName,
    VenueAddress,
    Lat,
    Lon,
    OnlineUrl,
    TimeZone,
    StartsLocal,
    EndsLocal,
    StartsUtc,
    EndsUtc,
    OfferId,
    Sequence,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventAudiences {
    Table,
    EventId,
    Key,
    Name,
    Position,
}

#[derive(DeriveIden)]
enum AgendaItems {
    Table,
    Id,
    EventId,
    Position,
    Day,
    StartsAt,
    Title,
    Description,
    Speakers,
    Kind,
    Audiences,
}

#[derive(DeriveIden)]
enum Networks {
    Table,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[derive(DeriveIden)]
enum RegisterOffers {
    Table,
}

fn text(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).string().not_null().to_owned()
}

fn maybe(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).string().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(
                    ColumnDef::new(Events::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(text(Events::Kind))
                .col(text(Events::Status))
                .col(text(Events::Title))
                .col(text(Events::Description))
                .col(text(Events::Language))
                .col(ColumnDef::new(Events::NetworkId).integer().null())
                .col(ColumnDef::new(Events::HostId).integer().null())
                .col(text(Events::VenueName))
                .col(text(Events::VenueAddress))
                .col(ColumnDef::new(Events::Lat).double().null())
                .col(ColumnDef::new(Events::Lon).double().null())
                .col(maybe(Events::OnlineUrl))
                .col(text(Events::TimeZone))
                .col(text(Events::StartsLocal))
                .col(text(Events::EndsLocal))
                .col(text(Events::StartsUtc))
                .col(text(Events::EndsUtc))
                .col(ColumnDef::new(Events::OfferId).integer().null())
                .col(ColumnDef::new(Events::Sequence).integer().not_null())
                .col(text(Events::CreatedBy))
                .col(text(Events::CreatedAt))
                .col(text(Events::UpdatedAt))
                .foreign_key(&mut fk(
                    Events::Table,
                    Events::NetworkId,
                    Networks::Table,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    Events::Table,
                    Events::HostId,
                    Organizations::Table,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    Events::Table,
                    Events::OfferId,
                    RegisterOffers::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("events", &["starts_utc"], false))
            .await?;
        m.create_index(index("events", &["network_id", "starts_utc"], false))
            .await?;
        m.create_table(
            Table::create()
                .table(EventAudiences::Table)
                .col(ColumnDef::new(EventAudiences::EventId).integer().not_null())
                .col(text(EventAudiences::Key))
                .col(text(EventAudiences::Name))
                .col(
                    ColumnDef::new(EventAudiences::Position)
                        .integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(EventAudiences::EventId)
                        .col(EventAudiences::Key),
                )
                .foreign_key(&mut fk(
                    EventAudiences::Table,
                    EventAudiences::EventId,
                    Events::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AgendaItems::Table)
                .col(
                    ColumnDef::new(AgendaItems::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(AgendaItems::EventId).integer().not_null())
                .col(ColumnDef::new(AgendaItems::Position).integer().not_null())
                .col(text(AgendaItems::Day))
                .col(maybe(AgendaItems::StartsAt))
                .col(text(AgendaItems::Title))
                .col(text(AgendaItems::Description))
                .col(text(AgendaItems::Speakers))
                .col(text(AgendaItems::Kind))
                .col(text(AgendaItems::Audiences))
                .foreign_key(&mut fk(
                    AgendaItems::Table,
                    AgendaItems::EventId,
                    Events::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("agenda_items", &["event_id", "position"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["agenda_items", "event_audiences", "events"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
