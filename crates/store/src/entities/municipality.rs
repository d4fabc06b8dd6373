use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "municipalities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub external_id: String,
    pub country: String,
    /// The national code (GM0014, kommunenummer 3207, občina 1).
    pub code: String,
    pub name: String,
    pub region_id: Option<i32>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
