use super::index;
use sea_orm_migration::prelude::*;

/// Roles held in a context (issue 14): who is what where. The representatives of boards
/// and the staff of providers, until now told by the account's role and organisation, get
/// their membership, so every demo account can do what it could.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000008_memberships"
    }
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    AccountId,
    PersonId,
    ContextKind,
    ContextId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(
                    ColumnDef::new(Memberships::Id)
                        .integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Memberships::AccountId).integer().null())
                .col(ColumnDef::new(Memberships::PersonId).integer().null())
                .col(ColumnDef::new(Memberships::ContextKind).string().not_null())
                .col(ColumnDef::new(Memberships::ContextId).integer().not_null())
                .col(ColumnDef::new(Memberships::Role).string().not_null())
                .col(ColumnDef::new(Memberships::CreatedAt).string().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::AccountId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        for ix in [
            index("memberships", &["account_id"], false),
            index("memberships", &["person_id"], false),
            index("memberships", &["context_kind", "context_id"], false),
        ] {
            m.create_index(ix).await?;
        }
        let db = m.get_connection();
        for (role, membership) in [("owner", "representative"), ("provider", "staff")] {
            db.execute_unprepared(&format!(
                "INSERT INTO memberships (account_id, context_kind, context_id, role, created_at) \
                 SELECT id, 'organization', organization_id, '{membership}', created_at \
                 FROM users WHERE role = '{role}' AND organization_id IS NOT NULL"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Memberships::Table).to_owned())
            .await
    }
}
