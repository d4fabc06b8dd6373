use super::index;
use sea_orm_migration::prelude::*;

/// Certificates of attendance (issue 16): an attended registration's verification code
/// (unique, so a code names one certificate), and the PD-log activity its attendance made
/// for a registered leader at an accredited event (so unmarking removes exactly that one).
/// No foreign key on `activity_id`: SQLite cannot add one by ALTER TABLE; the store keeps
/// the link, and deletes the activity before it clears it.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000018_certificates"
    }
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    CertificateCode,
    ActivityId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        for col in [
            ColumnDef::new(Registrations::CertificateCode)
                .string()
                .null()
                .to_owned(),
            ColumnDef::new(Registrations::ActivityId)
                .integer()
                .null()
                .to_owned(),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(Registrations::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(index("registrations", &["certificate_code"], true))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite refuses to drop a column an index names: the index goes first.
        m.drop_index(
            Index::drop()
                .name("ix_registrations_certificate_code")
                .table(Registrations::Table)
                .to_owned(),
        )
        .await?;
        for col in [Registrations::CertificateCode, Registrations::ActivityId] {
            m.alter_table(
                Table::alter()
                    .table(Registrations::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
