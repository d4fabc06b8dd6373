use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Personal calendar feeds (issue 16): a secret token per person, kept only as its SHA-256,
/// revocable; the feed lists the person's events with their audience's times.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000017_calendar_feeds"
    }
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    Id,
    PersonId,
    TokenHash,
    CreatedAt,
    RevokedAt,
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
                .table(CalendarFeeds::Table)
                .col(
                    ColumnDef::new(CalendarFeeds::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(CalendarFeeds::PersonId).integer().not_null())
                .col(ColumnDef::new(CalendarFeeds::TokenHash).string().not_null())
                .col(ColumnDef::new(CalendarFeeds::CreatedAt).string().not_null())
                .col(ColumnDef::new(CalendarFeeds::RevokedAt).string().null())
                .foreign_key(&mut fk(
                    CalendarFeeds::Table,
                    CalendarFeeds::PersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("calendar_feeds", &["token_hash"], true))
            .await?;
        m.create_index(index("calendar_feeds", &["person_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CalendarFeeds::Table).to_owned())
            .await
    }
}
