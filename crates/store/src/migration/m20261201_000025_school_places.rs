use super::{fk, index};
use sea_orm_migration::prelude::*;

/// Guidance (issue 18): where Norway's schools are, by municipality — how many schools an
/// owner has, for the networks suggested to small owners.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000025_school_places"
    }
}

#[derive(DeriveIden)]
enum SchoolPlaces {
    Table,
    Id,
    MunicipalityId,
    Name,
    Lat,
    Lon,
}

#[derive(DeriveIden)]
enum Municipalities {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SchoolPlaces as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(
                    ColumnDef::new(P::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(P::MunicipalityId).integer().not_null())
                .col(ColumnDef::new(P::Name).string().not_null())
                .col(ColumnDef::new(P::Lat).double().not_null())
                .col(ColumnDef::new(P::Lon).double().not_null())
                .foreign_key(&mut fk(
                    P::Table,
                    P::MunicipalityId,
                    Municipalities::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("school_places", &["municipality_id", "name"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SchoolPlaces::Table).to_owned())
            .await
    }
}
