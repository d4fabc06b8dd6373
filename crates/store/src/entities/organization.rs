use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable id from the source register (BRIN+vestiging, kommunenummer, …), prefixed by country.
    #[sea_orm(unique)]
    pub external_id: String,
    pub country: String,
    pub kind: String,
    pub name: String,
    pub parent_id: Option<i32>,
    pub municipality_id: Option<i32>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub school_type: Option<String>,
    pub environment: Option<String>,
    pub governance: Option<String>,
    pub pupils: Option<i64>,
    pub website: Option<String>,
    /// `headway_domain::text::fold` of name, city and municipality.
    pub search_key: String,
    pub updated_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
