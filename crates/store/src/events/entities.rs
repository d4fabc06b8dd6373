//! The events' tables.

pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub kind: String,
        /// `scheduled` or `cancelled`.
        pub status: String,
        pub title: String,
        pub description: String,
        /// The organiser's language (`headway_domain::language::Lang` code).
        pub language: String,
        pub network_id: Option<i32>,
        pub host_id: Option<i32>,
        pub venue_name: String,
        pub venue_address: String,
        pub lat: Option<f64>,
        pub lon: Option<f64>,
        pub online_url: Option<String>,
        /// IANA name (`Europe/Oslo`).
        pub time_zone: String,
        /// Wall-clock `YYYY-MM-DDTHH:MM` in `time_zone`.
        pub starts_local: String,
        pub ends_local: String,
        /// The instants they stand for (`headway_domain::time::format`), to order by.
        pub starts_utc: String,
        pub ends_utc: String,
        pub offer_id: Option<i32>,
        /// Raised on every change calendar clients must see (ICS `SEQUENCE`).
        pub sequence: i32,
        /// Places; `None`: no limit.
        pub capacity: Option<i32>,
        /// When registration closes (UTC instant); `None`: when the event starts.
        pub registration_closes_utc: Option<String>,
        /// Each registration waits for the organiser's approval.
        pub needs_approval: bool,
        /// The arrival counter: raised by every registration step, which so takes the
        /// event row's lock and orders registrations by arrival.
        pub arrivals: i64,
        pub created_by: String,
        pub created_at: String,
        pub updated_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod event_audience {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "event_audiences")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub event_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub name: String,
        pub position: i32,
        /// Places of this audience; `None`: only the event's limit.
        pub capacity: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod agenda_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "agenda_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub event_id: i32,
        /// From 1, the order of the programme.
        pub position: i32,
        pub day: String,
        /// `HH:MM`, or none (the item follows the one before).
        pub starts_at: Option<String>,
        pub title: String,
        pub description: String,
        pub speakers: String,
        pub kind: String,
        /// Audience keys separated by spaces; empty: everyone.
        pub audiences: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod registration {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "registrations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub event_id: i32,
        pub person_id: i32,
        /// The audience key the person takes part as.
        pub audience: String,
        /// `headway_domain::events::participation::RegStatus` code.
        pub status: String,
        /// The event's arrival counter when the person (last) registered.
        pub arrival: i64,
        pub registered_at: String,
        pub changed_at: String,
        /// When a place freed for it on the waitlist.
        pub promoted_at: Option<String>,
        /// Marked at the event: present, absent (a no-show), or not yet marked.
        pub attended: Option<bool>,
        /// The certificate's verification code, made when attendance is first marked present.
        pub certificate_code: Option<String>,
        /// The PD-log activity the attendance made (a registered leader, an accredited event).
        pub activity_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod calendar_feed {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_feeds")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub person_id: i32,
        /// SHA-256 of the token, hex: the token itself is shown once and never stored.
        pub token_hash: String,
        pub created_at: String,
        pub revoked_at: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod counselling_slot {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "counselling_slots")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub event_id: i32,
        /// The counsellor's account.
        pub counsellor_id: i32,
        /// Wall-clock `YYYY-MM-DD HH:MM` in the event's zone.
        pub starts_at: String,
        pub ends_at: String,
        /// The person who booked it: seen only by that person and the counsellor.
        pub booked_by: Option<i32>,
        pub booked_at: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod counselling_note {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "counselling_notes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub slot_id: i32,
        /// Confidential: read only through `Counselling::read_note`, which audits each read.
        pub body: String,
        /// Whether the participant may read it too.
        pub shared: bool,
        pub written_at: String,
        /// `YYYY-MM-DD`: the worker deletes the note after this day.
        pub delete_after: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod invitation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub event_id: i32,
        pub person_id: i32,
        /// The audience key the person is invited as.
        pub audience: String,
        /// SHA-256 of the personal link's token, hex: the token is only in the letter.
        pub token_hash: String,
        /// `headway_domain::events::invitations::Rsvp` code.
        pub status: String,
        pub invited_by: String,
        pub invited_at: String,
        pub answered_at: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod material {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "event_materials")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub event_id: i32,
        /// The agenda item it belongs to; `None`: the whole event.
        pub agenda_item_id: Option<i32>,
        pub title: String,
        pub file_name: String,
        pub content_type: String,
        pub size: i64,
        /// Its content in the blob table.
        pub sha256: String,
        /// Who attached it, when a person (an organiser's account may have none).
        pub person_id: Option<i32>,
        /// The account that attached it.
        pub uploaded_by: String,
        pub created_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
