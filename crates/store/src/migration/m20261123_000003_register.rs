use super::{fk, index};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000003_register"
    }
}

fn a(s: &str) -> Alias {
    Alias::new(s)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("register_leaders"))
                .col(pk_auto(a("id")))
                .col(integer(a("person_id")))
                .col(integer_null(a("user_id")))
                .col(integer_null(a("board_id")))
                .col(string(a("position")))
                .col(text(a("qualification")))
                .col(string(a("status")))
                .col(string_null(a("level")))
                .col(boolean(a("objected")))
                .col(string(a("search_key")))
                .col(string(a("created_at")))
                .col(string(a("updated_at")))
                .foreign_key(&mut fk(
                    a("register_leaders"),
                    a("person_id"),
                    a("people"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    a("register_leaders"),
                    a("user_id"),
                    a("users"),
                    ForeignKeyAction::SetNull,
                ))
                .foreign_key(&mut fk(
                    a("register_leaders"),
                    a("board_id"),
                    a("organizations"),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_leader_schools"))
                .col(integer(a("leader_id")))
                .col(integer(a("organization_id")))
                .primary_key(
                    Index::create()
                        .col(a("leader_id"))
                        .col(a("organization_id")),
                )
                .foreign_key(&mut fk(
                    a("register_leader_schools"),
                    a("leader_id"),
                    a("register_leaders"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    a("register_leader_schools"),
                    a("organization_id"),
                    a("organizations"),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_decisions"))
                .col(pk_auto(a("id")))
                .col(integer(a("leader_id")))
                .col(string(a("kind")))
                .col(string_null(a("level")))
                .col(text(a("reasons")))
                .col(string(a("decided_by")))
                .col(string(a("decided_at")))
                .foreign_key(&mut fk(
                    a("register_decisions"),
                    a("leader_id"),
                    a("register_leaders"),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_cycles"))
                .col(pk_auto(a("id")))
                .col(integer(a("leader_id")))
                .col(integer(a("number")))
                .col(string(a("starts_on")))
                .col(string(a("ends_on")))
                .col(string(a("status")))
                .col(boolean(a("current")))
                .col(string_null(a("deferral_requested")))
                .col(string_null(a("deferral_until")))
                .col(string(a("reminders_sent")))
                .foreign_key(&mut fk(
                    a("register_cycles"),
                    a("leader_id"),
                    a("register_leaders"),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_offers"))
                .col(pk_auto(a("id")))
                .col(integer(a("provider_id")))
                .col(string(a("title")))
                .col(text(a("description")))
                .col(string(a("themes")))
                .col(double(a("hours")))
                .col(double(a("points")))
                .col(string(a("valid_from")))
                .col(string(a("valid_until")))
                .col(string(a("status")))
                .col(string(a("created_at")))
                .foreign_key(&mut fk(
                    a("register_offers"),
                    a("provider_id"),
                    a("organizations"),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_activities"))
                .col(pk_auto(a("id")))
                .col(integer(a("leader_id")))
                .col(integer_null(a("offer_id")))
                .col(string(a("title")))
                .col(string(a("kind")))
                .col(string(a("themes")))
                .col(double(a("hours")))
                .col(double(a("points")))
                .col(string(a("started_on")))
                .col(string(a("completed_on")))
                .col(string(a("validation")))
                .col(string(a("created_at")))
                .foreign_key(&mut fk(
                    a("register_activities"),
                    a("leader_id"),
                    a("register_leaders"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    a("register_activities"),
                    a("offer_id"),
                    a("register_offers"),
                    ForeignKeyAction::SetNull,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_blobs"))
                .col(string(a("sha256")).primary_key())
                .col(big_integer(a("size")))
                .col(binary(a("content")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_evidence"))
                .col(pk_auto(a("id")))
                .col(integer(a("activity_id")))
                .col(string(a("file_name")))
                .col(string(a("content_type")))
                .col(big_integer(a("size")))
                .col(string(a("sha256")))
                .foreign_key(&mut fk(
                    a("register_evidence"),
                    a("activity_id"),
                    a("register_activities"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(
                    &mut ForeignKey::create()
                        .from(a("register_evidence"), a("sha256"))
                        .to(a("register_blobs"), a("sha256"))
                        .on_delete(ForeignKeyAction::Restrict)
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_consents"))
                .col(pk_auto(a("id")))
                .col(integer(a("leader_id")))
                .col(integer(a("board_id")))
                .col(integer_null(a("activity_id")))
                .col(string(a("granted_at")))
                .col(string_null(a("revoked_at")))
                .foreign_key(&mut fk(
                    a("register_consents"),
                    a("leader_id"),
                    a("register_leaders"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    a("register_consents"),
                    a("board_id"),
                    a("organizations"),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    a("register_consents"),
                    a("activity_id"),
                    a("register_activities"),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("register_trigrams"))
                .col(string(a("trigram")))
                .col(integer(a("leader_id")))
                .primary_key(Index::create().col(a("trigram")).col(a("leader_id")))
                .foreign_key(&mut fk(
                    a("register_trigrams"),
                    a("leader_id"),
                    a("register_leaders"),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("outbox"))
                .col(pk_auto(a("id")))
                .col(string(a("recipient")))
                .col(string(a("subject")))
                .col(text(a("body")))
                .col(string(a("kind")))
                .col(string_uniq(a("dedupe_key")))
                .col(string(a("created_at")))
                .col(string_null(a("sent_at")))
                .col(text_null(a("error")))
                .to_owned(),
        )
        .await?;
        for ix in [
            index("register_leaders", &["user_id"], false),
            index("register_leaders", &["board_id", "status"], false),
            index("register_leaders", &["status"], false),
            index("register_leader_schools", &["organization_id"], false),
            index("register_decisions", &["leader_id"], false),
            index("register_cycles", &["leader_id", "current"], false),
            index("register_cycles", &["current", "status", "ends_on"], false),
            index("register_activities", &["leader_id", "completed_on"], false),
            index("register_evidence", &["activity_id"], false),
            index("register_consents", &["leader_id", "board_id"], false),
            index("register_trigrams", &["leader_id"], false),
            index("register_offers", &["status"], false),
            index("outbox", &["sent_at"], false),
        ] {
            m.create_index(ix).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "outbox",
            "register_trigrams",
            "register_consents",
            "register_evidence",
            "register_blobs",
            "register_activities",
            "register_offers",
            "register_cycles",
            "register_decisions",
            "register_leader_schools",
            "register_leaders",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
