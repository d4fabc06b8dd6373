use super::{fk, fk_to, index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_directory"
    }
}

#[derive(DeriveIden)]
enum Countries {
    Table,
    Code,
    Name,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Id,
    ExternalId,
    Country,
    Level,
    Name,
}

#[derive(DeriveIden)]
enum Municipalities {
    Table,
    Id,
    ExternalId,
    Country,
    Code,
    Name,
    RegionId,
    Lat,
    Lon,
    Population,
}

#[derive(DeriveIden)]
enum RegionMembers {
    Table,
    RegionId,
    MunicipalityId,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    ExternalId,
    Country,
    Kind,
    Name,
    ParentId,
    MunicipalityId,
    Address,
    Postcode,
    City,
    Lat,
    Lon,
    SchoolType,
    Environment,
    Governance,
    Pupils,
    Website,
    SearchKey,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    GivenName,
    FamilyName,
    Email,
    SearchKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
    PersonId,
    OrganizationId,
    Title,
    StartsOn,
    EndsOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Countries::Table)
                .col(string(Countries::Code).primary_key())
                .col(string(Countries::Name))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Regions::Table)
                .col(pk_auto(Regions::Id))
                .col(string_uniq(Regions::ExternalId))
                .col(string(Regions::Country))
                .col(integer(Regions::Level))
                .col(string(Regions::Name))
                .foreign_key(&mut fk_to(
                    Regions::Table,
                    Regions::Country,
                    Countries::Table,
                    Countries::Code,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Municipalities::Table)
                .col(pk_auto(Municipalities::Id))
                .col(string_uniq(Municipalities::ExternalId))
                .col(string(Municipalities::Country))
                .col(string(Municipalities::Code))
                .col(string(Municipalities::Name))
                .col(integer_null(Municipalities::RegionId))
                .col(double_null(Municipalities::Lat))
                .col(double_null(Municipalities::Lon))
                .col(big_integer_null(Municipalities::Population))
                .foreign_key(&mut fk(
                    Municipalities::Table,
                    Municipalities::RegionId,
                    Regions::Table,
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RegionMembers::Table)
                .col(integer(RegionMembers::RegionId))
                .col(integer(RegionMembers::MunicipalityId))
                .primary_key(
                    Index::create()
                        .col(RegionMembers::RegionId)
                        .col(RegionMembers::MunicipalityId),
                )
                .foreign_key(&mut fk(
                    RegionMembers::Table,
                    RegionMembers::RegionId,
                    Regions::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    RegionMembers::Table,
                    RegionMembers::MunicipalityId,
                    Municipalities::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Organizations::Table)
                .col(pk_auto(Organizations::Id))
                .col(string_uniq(Organizations::ExternalId))
                .col(string(Organizations::Country))
                .col(string(Organizations::Kind))
                .col(string(Organizations::Name))
                .col(integer_null(Organizations::ParentId))
                .col(integer_null(Organizations::MunicipalityId))
                .col(string_null(Organizations::Address))
                .col(string_null(Organizations::Postcode))
                .col(string_null(Organizations::City))
                .col(double_null(Organizations::Lat))
                .col(double_null(Organizations::Lon))
                .col(string_null(Organizations::SchoolType))
                .col(string_null(Organizations::Environment))
                .col(string_null(Organizations::Governance))
                .col(big_integer_null(Organizations::Pupils))
                .col(string_null(Organizations::Website))
                .col(string(Organizations::SearchKey))
                .col(string(Organizations::UpdatedAt))
                .foreign_key(&mut fk(
                    Organizations::Table,
                    Organizations::ParentId,
                    Organizations::Table,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    Organizations::Table,
                    Organizations::MunicipalityId,
                    Municipalities::Table,
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk_to(
                    Organizations::Table,
                    Organizations::Country,
                    Countries::Table,
                    Countries::Code,
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(People::Table)
                .col(pk_auto(People::Id))
                .col(string(People::GivenName))
                .col(string(People::FamilyName))
                .col(string_null(People::Email))
                .col(string(People::SearchKey))
                .col(string(People::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Positions::Table)
                .col(pk_auto(Positions::Id))
                .col(integer(Positions::PersonId))
                .col(integer(Positions::OrganizationId))
                .col(string(Positions::Title))
                .col(string(Positions::StartsOn))
                .col(string_null(Positions::EndsOn))
                .foreign_key(&mut fk(
                    Positions::Table,
                    Positions::PersonId,
                    People::Table,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    Positions::Table,
                    Positions::OrganizationId,
                    Organizations::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        for ix in [
            index("organizations", &["country", "kind", "name"], false),
            index("organizations", &["parent_id"], false),
            index("organizations", &["municipality_id"], false),
            index("municipalities", &["country", "name"], false),
            index("positions", &["organization_id"], false),
            index("positions", &["person_id"], false),
            index("people", &["email"], true),
        ] {
            m.create_index(ix).await?;
        }
        let seed = Query::insert()
            .into_table(Countries::Table)
            .columns([Countries::Code, Countries::Name])
            .values_panic(["NL".into(), "Netherlands".into()])
            .values_panic(["NO".into(), "Norway".into()])
            .values_panic(["SI".into(), "Slovenia".into()])
            .to_owned();
        m.exec_stmt(seed).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "positions",
            "people",
            "organizations",
            "region_members",
            "municipalities",
            "regions",
            "countries",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
