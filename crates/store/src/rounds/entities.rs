//! The rounds' tables.

pub mod round {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "rounds")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub network_id: i32,
        pub job_id: Option<i32>,
        pub title: String,
        /// `headway_domain::rounds::RoundSpec` as JSON.
        pub spec: String,
        pub status: String,
        /// `headway_domain::rounds::Draft` as JSON.
        pub draft: Option<String>,
        pub created_by: String,
        pub created_at: String,
        pub published_at: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod round_group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "round_groups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub round_id: i32,
        /// From 0.
        #[sea_orm(primary_key, auto_increment = false)]
        pub group_no: i32,
        pub network_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod round_aspect {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "round_aspects")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub round_id: i32,
        /// From 0.
        pub group_no: i32,
        /// An index into the round's competences.
        pub competence: i32,
        pub text: String,
        pub recorded_by: String,
        pub recorded_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
