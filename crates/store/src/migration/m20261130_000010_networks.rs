use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Networks (issue 15): regional groups, owner networks, conversation rounds and their
/// groups; the organisations in them with their role; their meetings with the host.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000010_networks"
    }
}

#[derive(DeriveIden)]
enum Networks {
    Table,
    Id,
    Kind,
    Name,
    Country,
    ProgrammeId,
    ParentId,
    StartsOn,
    EndsOn,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NetworkOrganizations {
    Table,
    NetworkId,
    OrganizationId,
    Role,
    Position,
}

#[derive(DeriveIden)]
enum NetworkMeetings {
    Table,
    Id,
    NetworkId,
    HeldOn,
    HostId,
    Note,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Networks::Table)
                .col(
                    ColumnDef::new(Networks::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Networks::Kind).string().not_null())
                .col(ColumnDef::new(Networks::Name).string().not_null())
                .col(ColumnDef::new(Networks::Country).string().not_null())
                .col(ColumnDef::new(Networks::ProgrammeId).integer().null())
                .col(ColumnDef::new(Networks::ParentId).integer().null())
                .col(ColumnDef::new(Networks::StartsOn).string().not_null())
                .col(ColumnDef::new(Networks::EndsOn).string().null())
                .col(ColumnDef::new(Networks::Description).string().not_null())
                .col(ColumnDef::new(Networks::CreatedAt).string().not_null())
                .col(ColumnDef::new(Networks::UpdatedAt).string().not_null())
                .foreign_key(&mut fk(
                    Networks::Table,
                    Networks::ProgrammeId,
                    Organizations::Table,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    Networks::Table,
                    Networks::ParentId,
                    Networks::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NetworkOrganizations::Table)
                .col(
                    ColumnDef::new(NetworkOrganizations::NetworkId)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NetworkOrganizations::OrganizationId)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NetworkOrganizations::Role)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(NetworkOrganizations::Position)
                        .integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(NetworkOrganizations::NetworkId)
                        .col(NetworkOrganizations::OrganizationId),
                )
                .foreign_key(&mut fk(
                    NetworkOrganizations::Table,
                    NetworkOrganizations::NetworkId,
                    Networks::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    NetworkOrganizations::Table,
                    NetworkOrganizations::OrganizationId,
                    Organizations::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NetworkMeetings::Table)
                .col(
                    ColumnDef::new(NetworkMeetings::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(NetworkMeetings::NetworkId)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(NetworkMeetings::HeldOn).string().not_null())
                .col(ColumnDef::new(NetworkMeetings::HostId).integer().null())
                .col(ColumnDef::new(NetworkMeetings::Note).string().not_null())
                .foreign_key(&mut fk(
                    NetworkMeetings::Table,
                    NetworkMeetings::NetworkId,
                    Networks::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    NetworkMeetings::Table,
                    NetworkMeetings::HostId,
                    Organizations::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        for ix in [
            index("networks", &["parent_id"], false),
            index("networks", &["country", "kind"], false),
            index("network_organizations", &["organization_id"], false),
            index("network_meetings", &["network_id", "held_on"], false),
        ] {
            m.create_index(ix).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Alias::new("network_meetings"),
            Alias::new("network_organizations"),
            Alias::new("networks"),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
