use sea_orm_migration::prelude::*;

/// Host rotation (issue 15): an organisation of a network may decline to host its meetings;
/// the suggestion of the next host skips it (the coordinator may still choose it).
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000014_hosting_declines"
    }
}

#[derive(DeriveIden)]
enum NetworkOrganizations {
    Table,
    DeclinesHosting,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(NetworkOrganizations::Table)
                .add_column(
                    ColumnDef::new(NetworkOrganizations::DeclinesHosting)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(NetworkOrganizations::Table)
                .drop_column(NetworkOrganizations::DeclinesHosting)
                .to_owned(),
        )
        .await
    }
}
