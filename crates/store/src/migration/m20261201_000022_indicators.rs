use super::index;
use sea_orm_migration::prelude::*;

/// Guidance (issue 18): indicator values — one per indicator, unit, period and subgroup,
/// with the value and count as the source gave them and why it is hidden (by the source,
/// or by Headway's primary or secondary suppression). Hidden values are kept so that a
/// changed least count can be applied again; every read masks them.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000022_indicators"
    }
}

#[derive(DeriveIden)]
enum IndicatorValues {
    Table,
    Id,
    Indicator,
    Level,
    UnitKey,
    UnitName,
    ParentKey,
    Period,
    FirstYear,
    LastYear,
    Subgroup,
    Value,
    Count,
    Hidden,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use IndicatorValues as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(
                    ColumnDef::new(V::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(V::Indicator).string().not_null())
                .col(ColumnDef::new(V::Level).string().not_null())
                .col(ColumnDef::new(V::UnitKey).string().not_null())
                .col(ColumnDef::new(V::UnitName).string().not_null())
                .col(ColumnDef::new(V::ParentKey).string().null())
                .col(ColumnDef::new(V::Period).string().not_null())
                .col(ColumnDef::new(V::FirstYear).integer().not_null())
                .col(ColumnDef::new(V::LastYear).integer().not_null())
                .col(ColumnDef::new(V::Subgroup).string().not_null())
                .col(ColumnDef::new(V::Value).double().null())
                .col(ColumnDef::new(V::Count).integer().null())
                .col(ColumnDef::new(V::Hidden).string().null())
                .to_owned(),
        )
        .await?;
        let t = "indicator_values";
        m.create_index(index(
            t,
            &["indicator", "period", "subgroup", "unit_key"],
            true,
        ))
        .await?;
        m.create_index(index(t, &["unit_key", "indicator"], false))
            .await?;
        m.create_index(index(t, &["parent_key", "period"], false))
            .await?;
        m.create_index(index(t, &["last_year", "level"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(IndicatorValues::Table).to_owned())
            .await
    }
}
