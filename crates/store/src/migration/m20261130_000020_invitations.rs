use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Invitations to events (issue 16): one per person and event, for an audience, answered
/// through a personal link whose token is kept only as its SHA-256.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000020_invitations"
    }
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    EventId,
    PersonId,
    Audience,
    TokenHash,
    Status,
    InvitedBy,
    InvitedAt,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
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
                .table(Invitations::Table)
                .col(
                    ColumnDef::new(Invitations::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Invitations::EventId).integer().not_null())
                .col(ColumnDef::new(Invitations::PersonId).integer().not_null())
                .col(ColumnDef::new(Invitations::Audience).string().not_null())
                .col(ColumnDef::new(Invitations::TokenHash).string().not_null())
                .col(ColumnDef::new(Invitations::Status).string().not_null())
                .col(ColumnDef::new(Invitations::InvitedBy).string().not_null())
                .col(ColumnDef::new(Invitations::InvitedAt).string().not_null())
                .col(ColumnDef::new(Invitations::AnsweredAt).string().null())
                .foreign_key(&mut fk(
                    Invitations::Table,
                    Invitations::EventId,
                    Events::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Invitations::Table,
                    Invitations::PersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("invitations", &["event_id", "person_id"], true))
            .await?;
        m.create_index(index("invitations", &["token_hash"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Invitations::Table).to_owned())
            .await
    }
}
