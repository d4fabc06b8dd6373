use sea_orm_migration::prelude::*;

/// Hardening (issue 13): a row per login name that login attempts lock, so that deciding
/// whether to check a password is atomic on both backends; and the board link of a
/// registration, which a board sees only once the committee has confirmed it (at the
/// decision on an enrolment, and again after a change of schools).
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000007_hardening"
    }
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Username,
    LastAt,
}

#[derive(DeriveIden)]
enum RegisterLeaders {
    Table,
    BoardConfirmed,
    SchoolsChangedAt,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(
                    ColumnDef::new(LoginThrottle::Username)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(LoginThrottle::LastAt).string().not_null())
                .to_owned(),
        )
        .await?;
        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table(RegisterLeaders::Table)
                .add_column(
                    ColumnDef::new(RegisterLeaders::BoardConfirmed)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RegisterLeaders::Table)
                .add_column(
                    ColumnDef::new(RegisterLeaders::SchoolsChangedAt)
                        .string()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // Registrations the committee has already decided on keep their board's sight.
        m.exec_stmt(
            Query::update()
                .table(RegisterLeaders::Table)
                .value(RegisterLeaders::BoardConfirmed, true)
                .and_where(Expr::col(RegisterLeaders::Status).is_not_in([
                    "submitted",
                    "rejected",
                    "objection",
                ]))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            RegisterLeaders::SchoolsChangedAt,
            RegisterLeaders::BoardConfirmed,
        ] {
            m.alter_table(
                Table::alter()
                    .table(RegisterLeaders::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(LoginThrottle::Table).to_owned())
            .await
    }
}
