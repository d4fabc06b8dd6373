//! Register tables.

macro_rules! entity {
    ($module:ident, $table:literal, { $($field:ident : $ty:ty),* $(,)? }) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;

            #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key)]
                pub id: i32,
                $(pub $field: $ty),*
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

entity!(leader, "register_leaders", {
    person_id: i32, user_id: Option<i32>, board_id: Option<i32>, position: String, qualification: String,
    status: String, level: Option<String>, objected: bool, search_key: String, created_at: String, updated_at: String,
    board_confirmed: bool, schools_changed_at: Option<String>,
});
entity!(decision, "register_decisions", {
    leader_id: i32, kind: String, level: Option<String>, reasons: String, decided_by: String, decided_at: String,
});
entity!(cycle, "register_cycles", {
    leader_id: i32, number: i32, starts_on: String, ends_on: String, status: String, current: bool,
    deferral_requested: Option<String>, deferral_until: Option<String>, reminders_sent: String,
});
entity!(offer, "register_offers", {
    provider_id: i32, title: String, description: String, themes: String, hours: f64, points: f64,
    valid_from: String, valid_until: String, status: String, created_at: String,
});
entity!(activity, "register_activities", {
    leader_id: i32, offer_id: Option<i32>, title: String, kind: String, themes: String, hours: f64, points: f64,
    started_on: String, completed_on: String, validation: String, created_at: String,
});
entity!(evidence, "register_evidence", {
    activity_id: i32, file_name: String, content_type: String, size: i64, sha256: String,
});
entity!(consent, "register_consents", {
    leader_id: i32, board_id: i32, activity_id: Option<i32>, granted_at: String, revoked_at: Option<String>,
});
entity!(outbox, "outbox", {
    recipient: String, subject: String, body: String, kind: String, dedupe_key: String, created_at: String,
    sent_at: Option<String>, error: Option<String>, language: Option<String>,
});

pub mod leader_school {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "register_leader_schools")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub leader_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub organization_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod blob {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "register_blobs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub sha256: String,
        pub size: i64,
        pub content: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod word {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "register_words")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub word: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub leader_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod vocab {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "register_vocab")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub word: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
