//! Norway: kommuner and fylker (each kommune also a school owner), regional councils.

use super::write::{self, MuniRow, OrgRow, RegionRow};
use super::{CsvTable, ImportReport, Progress};
use crate::entities::region_member;
use crate::Result;
use headway_domain::directory::{Country, Environment, OrgKind};
use headway_domain::text::fold;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseTransaction, EntityTrait, Set};

const C: Country = Country::Norway;

/// Inhabitants per km² from which a kommune counts as urban (SSB's *tettsted* threshold
/// is for settlements, not kommuner; this is a coarse stand-in documented as such).
pub const URBAN_MIN_DENSITY: f64 = 100.0;

fn kommunenummer(r: &super::Row<'_>, idx: usize, field: &str) -> Result<String> {
    let v = r.req(idx)?;
    if v.len() != 4 || !v.chars().all(|c| c.is_ascii_digit()) {
        return Err(r
            .error(field, format!("`{v}` is not a four-digit kommunenummer"))
            .into());
    }
    Ok(v.to_owned())
}

pub async fn municipalities(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let nr = t.require(&["kommunenummer"])?;
    let name = t.require(&["kommunenavn"])?;
    let name_no = t.col(&["kommunenavn_no"]);
    let (fnr, fname) = (t.require(&["fylkesnummer"])?, t.require(&["fylkesnavn"])?);
    let pop = t.col(&["folketall_2024_01_01", "folketall"]);
    let area = t.col(&["areal_km2"]);
    let (lat, lon) = (
        t.col(&["centroid_lat", "lat"]),
        t.col(&["centroid_lon", "lon"]),
    );
    let mut fylker: Vec<RegionRow> = Vec::new();
    let mut munis = Vec::with_capacity(t.len());
    let mut extra = Vec::with_capacity(t.len());
    for r in t.rows() {
        let k = kommunenummer(&r, nr, "kommunenummer")?;
        let f = r.req(fnr)?;
        let fid = format!("no:fylke:{f}");
        if !fylker.iter().any(|x| x.external_id == fid) {
            fylker.push(RegionRow {
                external_id: fid.clone(),
                country: C,
                level: 1,
                name: r.req(fname)?.to_owned(),
            });
        }
        let official = r.req(name)?;
        let display = r.opt(name_no).unwrap_or(official);
        let p = r.latlon(lat, lon)?;
        let population = r.i64_opt(pop)?;
        let density = match (population, r.f64_opt(area)?) {
            (Some(p), Some(a)) if a > 0.0 => Some(p as f64 / a),
            _ => None,
        };
        munis.push((
            fid,
            MuniRow {
                external_id: format!("no:kommune:{k}"),
                country: C,
                code: k.clone(),
                name: display.to_owned(),
                region_id: None,
                lat: p.map(|x| x.0),
                lon: p.map(|x| x.1),
                population,
            },
        ));
        extra.push((
            k,
            official.to_owned(),
            display.to_owned(),
            p,
            population,
            density,
        ));
    }
    let mut report = ImportReport::default();
    let regions = write::upsert_regions(txn, fylker, &mut ImportReport::default()).await?;
    let rows = munis
        .into_iter()
        .map(|(fid, mut m)| {
            m.region_id = regions.get(&fid).copied();
            m
        })
        .collect();
    let ids = write::upsert_municipalities(txn, rows, &mut report).await?;
    // Each kommune owns its primary and lower-secondary schools: one owner organisation each.
    let owners = extra
        .into_iter()
        .map(|(k, official, display, p, _population, density)| OrgRow {
            external_id: format!("no:kommune:{k}"),
            country: Some(C),
            kind: Some(OrgKind::Owner),
            name: format!("{display} kommune"),
            municipality: ids.get(&format!("no:kommune:{k}")).cloned(),
            city: (official != display).then_some(official),
            latlon: p,
            environment: density.map(|d| {
                if d >= URBAN_MIN_DENSITY {
                    Environment::Urban
                } else {
                    Environment::Rural
                }
                .code()
                .to_owned()
            }),
            governance: Some("public".into()),
            ..Default::default()
        })
        .collect();
    write::upsert_orgs(
        txn,
        "no:kommune:",
        owners,
        &mut ImportReport::default(),
        progress,
    )
    .await?;
    Ok(report)
}

pub async fn regions(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let region = t.require(&["region"])?;
    let nr = t.require(&["kommunenummer_2024", "kommunenummer"])?;
    let munis = write::municipality_ids(txn, C).await?;
    let mut regions: Vec<RegionRow> = Vec::new();
    let mut members = Vec::with_capacity(t.len());
    for r in t.rows() {
        let name = r.req(region)?;
        let rid = format!("no:region:{}", fold(name).replace(' ', "-"));
        if !regions.iter().any(|x| x.external_id == rid) {
            regions.push(RegionRow {
                external_id: rid.clone(),
                country: C,
                level: 2,
                name: name.to_owned(),
            });
        }
        let k = kommunenummer(&r, nr, "kommunenummer_2024")?;
        let (mid, _) = munis
            .get(&format!("no:kommune:{k}"))
            .cloned()
            .ok_or_else(|| {
                r.error(
                    "kommunenummer_2024",
                    format!("kommune {k} is not in the directory; import no-municipalities first"),
                )
            })?;
        members.push((rid, mid));
    }
    let mut report = ImportReport::default();
    let ids = write::upsert_regions(txn, regions, &mut report).await?;
    let rows: Vec<_> = members
        .into_iter()
        .map(|(rid, mid)| region_member::ActiveModel {
            region_id: Set(ids[&rid]),
            municipality_id: Set(mid),
        })
        .collect();
    let n = rows.len() as u64;
    if !rows.is_empty() {
        region_member::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    region_member::Column::RegionId,
                    region_member::Column::MunicipalityId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    progress(n, n);
    Ok(report)
}
