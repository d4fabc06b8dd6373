//! Batched upserts shared by the importers.

use super::{ImportReport, Progress};
use crate::entities::{municipality, organization, region};
use crate::Result;
use headway_domain::directory::{Country, OrgKind};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set};
use std::collections::HashMap;

const BATCH: usize = 400;

pub struct RegionRow {
    pub external_id: String,
    pub country: Country,
    pub level: i32,
    pub name: String,
}

pub struct MuniRow {
    pub external_id: String,
    pub country: Country,
    pub code: String,
    pub name: String,
    pub region_id: Option<i32>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<i64>,
}

/// An organisation to upsert; references already resolved to ids.
#[derive(Default)]
pub struct OrgRow {
    pub external_id: String,
    pub country: Option<Country>,
    pub kind: Option<OrgKind>,
    pub name: String,
    pub parent_id: Option<i32>,
    pub municipality: Option<(i32, String)>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub latlon: Option<(f64, f64)>,
    pub school_type: Option<String>,
    pub environment: Option<String>,
    pub governance: Option<String>,
    pub pupils: Option<i64>,
    pub website: Option<String>,
}

/// `external_id → id` for every region of a country.
pub async fn region_ids(
    txn: &DatabaseTransaction,
    country: Country,
) -> Result<HashMap<String, i32>> {
    Ok(region::Entity::find()
        .select_only()
        .columns([region::Column::ExternalId, region::Column::Id])
        .filter(region::Column::Country.eq(country.code()))
        .into_tuple::<(String, i32)>()
        .all(txn)
        .await?
        .into_iter()
        .collect())
}

/// `external_id → (id, name)` for every municipality of a country.
pub async fn municipality_ids(
    txn: &DatabaseTransaction,
    country: Country,
) -> Result<HashMap<String, (i32, String)>> {
    Ok(municipality::Entity::find()
        .select_only()
        .columns([
            municipality::Column::ExternalId,
            municipality::Column::Id,
            municipality::Column::Name,
        ])
        .filter(municipality::Column::Country.eq(country.code()))
        .into_tuple::<(String, i32, String)>()
        .all(txn)
        .await?
        .into_iter()
        .map(|(e, i, n)| (e, (i, n)))
        .collect())
}

/// `external_id → id` for organisations whose external id starts with `prefix`.
pub async fn org_ids(txn: &DatabaseTransaction, prefix: &str) -> Result<HashMap<String, i32>> {
    Ok(organization::Entity::find()
        .select_only()
        .columns([organization::Column::ExternalId, organization::Column::Id])
        .filter(organization::Column::ExternalId.starts_with(prefix))
        .into_tuple::<(String, i32)>()
        .all(txn)
        .await?
        .into_iter()
        .collect())
}

fn count(report: &mut ImportReport, existed: bool) {
    report.rows += 1;
    if existed {
        report.updated += 1;
    } else {
        report.inserted += 1;
    }
}

pub async fn upsert_regions(
    txn: &DatabaseTransaction,
    rows: Vec<RegionRow>,
    report: &mut ImportReport,
) -> Result<HashMap<String, i32>> {
    let Some(first) = rows.first() else {
        return Ok(HashMap::new());
    };
    let country = first.country;
    let before = region_ids(txn, country).await?;
    for chunk in rows.chunks(BATCH) {
        let models = chunk.iter().map(|r| {
            count(report, before.contains_key(&r.external_id));
            region::ActiveModel {
                external_id: Set(r.external_id.clone()),
                country: Set(r.country.code().to_owned()),
                level: Set(r.level),
                name: Set(r.name.clone()),
                ..Default::default()
            }
        });
        region::Entity::insert_many(models)
            .on_conflict(
                OnConflict::column(region::Column::ExternalId)
                    .update_columns([
                        region::Column::Country,
                        region::Column::Level,
                        region::Column::Name,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    region_ids(txn, country).await
}

pub async fn upsert_municipalities(
    txn: &DatabaseTransaction,
    rows: Vec<MuniRow>,
    report: &mut ImportReport,
) -> Result<HashMap<String, (i32, String)>> {
    let Some(first) = rows.first() else {
        return Ok(HashMap::new());
    };
    let country = first.country;
    let before = municipality_ids(txn, country).await?;
    for chunk in rows.chunks(BATCH) {
        let models = chunk.iter().map(|r| {
            count(report, before.contains_key(&r.external_id));
            municipality::ActiveModel {
                external_id: Set(r.external_id.clone()),
                country: Set(r.country.code().to_owned()),
                code: Set(r.code.clone()),
                name: Set(r.name.clone()),
                region_id: Set(r.region_id),
                lat: Set(r.lat),
                lon: Set(r.lon),
                population: Set(r.population),
                ..Default::default()
            }
        });
        municipality::Entity::insert_many(models)
            .on_conflict(
                OnConflict::column(municipality::Column::ExternalId)
                    .update_columns([
                        municipality::Column::Country,
                        municipality::Column::Code,
                        municipality::Column::Name,
                        municipality::Column::RegionId,
                        municipality::Column::Lat,
                        municipality::Column::Lon,
                        municipality::Column::Population,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    municipality_ids(txn, country).await
}

/// Upserts organisations in batches; `prefix` is the external-id prefix of the dataset,
/// used to tell inserts from updates with one query.
pub async fn upsert_orgs(
    txn: &DatabaseTransaction,
    prefix: &str,
    rows: Vec<OrgRow>,
    report: &mut ImportReport,
    progress: Progress<'_>,
) -> Result<HashMap<String, i32>> {
    let before = org_ids(txn, prefix).await?;
    let total = rows.len() as u64;
    let now = crate::now();
    let mut done = 0u64;
    for chunk in rows.chunks(BATCH) {
        let models = chunk.iter().map(|r| {
            count(report, before.contains_key(&r.external_id));
            let muni_name = r.municipality.as_ref().map(|m| m.1.as_str()).unwrap_or("");
            let key = headway_domain::text::fold(&format!(
                "{} {} {}",
                r.name,
                r.city.as_deref().unwrap_or(""),
                muni_name
            ));
            organization::ActiveModel {
                external_id: Set(r.external_id.clone()),
                country: Set(r.country.map(|c| c.code()).unwrap_or_default().to_owned()),
                kind: Set(r.kind.map(|k| k.code()).unwrap_or_default().to_owned()),
                name: Set(r.name.clone()),
                parent_id: Set(r.parent_id),
                municipality_id: Set(r.municipality.as_ref().map(|m| m.0)),
                address: Set(r.address.clone()),
                postcode: Set(r.postcode.clone()),
                city: Set(r.city.clone()),
                lat: Set(r.latlon.map(|p| p.0)),
                lon: Set(r.latlon.map(|p| p.1)),
                school_type: Set(r.school_type.clone()),
                environment: Set(r.environment.clone()),
                governance: Set(r.governance.clone()),
                pupils: Set(r.pupils),
                website: Set(r.website.clone()),
                search_key: Set(key),
                updated_at: Set(now.clone()),
                ..Default::default()
            }
        });
        organization::Entity::insert_many(models)
            .on_conflict(
                OnConflict::column(organization::Column::ExternalId)
                    .update_columns([
                        organization::Column::Country,
                        organization::Column::Kind,
                        organization::Column::Name,
                        organization::Column::ParentId,
                        organization::Column::MunicipalityId,
                        organization::Column::Address,
                        organization::Column::Postcode,
                        organization::Column::City,
                        organization::Column::Lat,
                        organization::Column::Lon,
                        organization::Column::SchoolType,
                        organization::Column::Environment,
                        organization::Column::Governance,
                        organization::Column::Pupils,
                        organization::Column::Website,
                        organization::Column::SearchKey,
                        organization::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        done += chunk.len() as u64;
        progress(done, total);
    }
    org_ids(txn, prefix).await
}
