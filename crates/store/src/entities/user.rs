use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    /// PHC string of an argon2id hash.
    pub password_hash: String,
    pub role: String,
    pub display_name: String,
    pub person_id: Option<i32>,
    /// The organisation the account acts for (an owner's board, a leader's school).
    pub organization_id: Option<i32>,
    pub active: bool,
    pub created_at: String,
    /// The language the account last signed in with (mail is written in it).
    pub language: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
