//! Versioned schema migrations. One code path for SQLite and PostgreSQL: only portable
//! column types (text, integer, big integer, double, boolean); instants are stored as
//! fixed-width RFC 3339 UTC text (see `headway_domain::time`).

use sea_orm_migration::prelude::*;

mod m20261123_000001_directory;
mod m20261123_000002_accounts;
mod m20261123_000003_register;
mod m20261123_000004_register_words;
mod m20261123_000005_register_vocab;
mod m20261123_000006_register_updated_index;
mod m20261130_000007_hardening;
mod m20261130_000008_memberships;
mod m20261130_000009_languages;
mod m20261130_000010_networks;
mod m20261130_000011_jobs;
mod m20261130_000012_rounds;
mod m20261130_000013_round_aspects;
mod m20261130_000014_hosting_declines;
mod m20261130_000015_events;
mod m20261130_000016_registrations;
mod m20261130_000017_calendar_feeds;
mod m20261130_000018_certificates;
mod m20261130_000019_counselling;
mod m20261130_000020_invitations;
mod m20261130_000021_approval_materials;
mod m20261201_000022_indicators;
mod m20261201_000023_guidance_cases;
mod m20261201_000024_guidance_snapshots;
mod m20261201_000025_school_places;
mod m20261201_000026_feedback;
mod m20261201_000027_feedback_cohorts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_directory::Migration),
            Box::new(m20261123_000002_accounts::Migration),
            Box::new(m20261123_000003_register::Migration),
            Box::new(m20261123_000004_register_words::Migration),
            Box::new(m20261123_000005_register_vocab::Migration),
            Box::new(m20261123_000006_register_updated_index::Migration),
            Box::new(m20261130_000007_hardening::Migration),
            Box::new(m20261130_000008_memberships::Migration),
            Box::new(m20261130_000009_languages::Migration),
            Box::new(m20261130_000010_networks::Migration),
            Box::new(m20261130_000011_jobs::Migration),
            Box::new(m20261130_000012_rounds::Migration),
            Box::new(m20261130_000013_round_aspects::Migration),
            Box::new(m20261130_000014_hosting_declines::Migration),
            Box::new(m20261130_000015_events::Migration),
            Box::new(m20261130_000016_registrations::Migration),
            Box::new(m20261130_000017_calendar_feeds::Migration),
            Box::new(m20261130_000018_certificates::Migration),
            Box::new(m20261130_000019_counselling::Migration),
            Box::new(m20261130_000020_invitations::Migration),
            Box::new(m20261130_000021_approval_materials::Migration),
            Box::new(m20261201_000022_indicators::Migration),
            Box::new(m20261201_000023_guidance_cases::Migration),
            Box::new(m20261201_000024_guidance_snapshots::Migration),
            Box::new(m20261201_000025_school_places::Migration),
            Box::new(m20261201_000026_feedback::Migration),
            Box::new(m20261201_000027_feedback_cohorts::Migration),
        ]
    }
}

/// A foreign key from `table.col` to `to.id`.
pub(crate) fn fk(
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
    to: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    fk_to(table, col, to, Alias::new("id"), on_delete)
}

/// An `id` column: an integer primary key the database counts up.
pub(crate) fn id<T: IntoIden + 'static>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

/// A foreign key from `table.col` to `to.to_col`.
pub(crate) fn fk_to(
    table: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
    to: impl IntoIden + 'static,
    to_col: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(to, to_col)
        .on_delete(on_delete)
        .to_owned()
}

/// A (non-unique unless `unique`) index named after its table and columns.
pub(crate) fn index(table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut st = Index::create();
    st.name(format!("ix_{}_{}", table, cols.join("_")))
        .table(Alias::new(table))
        .if_not_exists();
    for c in cols {
        st.col(Alias::new(*c));
    }
    if unique {
        st.unique();
    }
    st.to_owned()
}
