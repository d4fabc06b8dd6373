//! The guidance slice's tables.

pub mod indicator_value {
    use sea_orm::entity::prelude::*;

    /// One value of an indicator for a unit, period and subgroup, as the source gave it;
    /// `hidden` says why it is not published (`source`, `primary`, `secondary`).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "indicator_values")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub indicator: String,
        pub level: String,
        pub unit_key: String,
        pub unit_name: String,
        pub parent_key: Option<String>,
        pub period: String,
        pub first_year: i32,
        pub last_year: i32,
        pub subgroup: String,
        pub value: Option<f64>,
        pub count: Option<i32>,
        pub hidden: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
