//! The networks' tables.

pub mod network {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "networks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub kind: String,
        pub name: String,
        pub country: String,
        pub programme_id: Option<i32>,
        pub parent_id: Option<i32>,
        pub starts_on: String,
        pub ends_on: Option<String>,
        pub description: String,
        pub created_at: String,
        pub updated_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod network_org {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "network_organizations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub network_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub organization_id: i32,
        pub role: String,
        /// The order the programme lists the organisations in (from 1).
        pub position: i32,
        /// It declines to host the network's meetings (the next-host suggestion skips it).
        pub declines_hosting: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "network_meetings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub network_id: i32,
        pub held_on: String,
        pub host_id: Option<i32>,
        pub note: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
