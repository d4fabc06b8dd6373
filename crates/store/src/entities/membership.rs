use sea_orm::entity::prelude::*;

/// A role held in a context (`headway_domain::memberships`), by an account or a person.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub account_id: Option<i32>,
    pub person_id: Option<i32>,
    pub context_kind: String,
    pub context_id: i32,
    pub role: String,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
