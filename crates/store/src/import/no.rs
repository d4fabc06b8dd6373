//! Norway: kommuner and fylker (each kommune also a school owner), regional councils, and
//! primary and lower-secondary schools (*grunnskoler*).

use super::write::{self, MuniRow, OrgRow, RegionRow};
use super::{CsvTable, ImportReport, Progress};
use crate::entities::{municipality, region_member};
use crate::Result;
use headway_domain::directory::{Country, Environment, OrgKind};
use headway_domain::text::fold;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

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

/// The directory's school type for a Norwegian school's grades (`trinn`).
fn school_type(trinn: &str) -> Option<&'static str> {
    match trinn {
        "1-7" => Some("primary"),
        "8-10" => Some("lower_secondary"),
        "1-10" => Some("primary_lower_secondary"),
        _ => None,
    }
}

/// Schools (`data/no/skoler_follo_romerike.csv`: organisasjonsnummer, skolenavn,
/// kommunenummer, trinn, eierform, lat, lon). A public school belongs to its kommune (the
/// kommune is its owner); a school without coordinates is placed at its kommune's centroid.
pub async fn schools(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let orgnr = t.require(&["organisasjonsnummer"])?;
    let name = t.require(&["skolenavn"])?;
    let nr = t.require(&["kommunenummer"])?;
    let trinn = t.require(&["trinn"])?;
    let owner = t.require(&["eierform"])?;
    let (lat, lon) = (t.col(&["lat"]), t.col(&["lon"]));
    let munis: HashMap<String, municipality::Model> = municipality::Entity::find()
        .filter(municipality::Column::Country.eq(C.code()))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.external_id.clone(), m))
        .collect();
    let owners = write::org_ids(txn, "no:kommune:").await?;
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::with_capacity(t.len());
    for r in t.rows() {
        let o = r.req(orgnr)?;
        if o.len() != 9 || !o.chars().all(|c| c.is_ascii_digit()) {
            return Err(r
                .error(
                    "organisasjonsnummer",
                    format!("`{o}` is not a nine-digit organisasjonsnummer"),
                )
                .into());
        }
        if !seen.insert(o) {
            return Err(r
                .error("organisasjonsnummer", format!("school {o} is listed twice"))
                .into());
        }
        let k = kommunenummer(&r, nr, "kommunenummer")?;
        let ext = format!("no:kommune:{k}");
        let m = munis.get(&ext).ok_or_else(|| {
            r.error(
                "kommunenummer",
                format!("kommune {k} is not in the directory; import no-municipalities first"),
            )
        })?;
        let grades = r.req(trinn)?;
        let stype = school_type(grades)
            .ok_or_else(|| r.error("trinn", format!("`{grades}` is not one of 1-7, 8-10, 1-10")))?;
        let governance = match fold(r.req(owner)?).as_str() {
            "offentlig" | "public" => "public",
            "privat" | "private" => "private",
            v => {
                return Err(r
                    .error("eierform", format!("`{v}` is neither offentlig nor privat"))
                    .into())
            }
        };
        let centroid = m.lat.zip(m.lon);
        rows.push(OrgRow {
            external_id: format!("no:skole:{o}"),
            country: Some(C),
            kind: Some(OrgKind::School),
            name: r.req(name)?.to_owned(),
            parent_id: (governance == "public")
                .then(|| owners.get(&ext).copied())
                .flatten(),
            municipality: Some((m.id, m.name.clone())),
            city: Some(m.name.clone()),
            latlon: r.latlon(lat, lon)?.or(centroid),
            school_type: Some(stype.into()),
            governance: Some(governance.into()),
            ..Default::default()
        });
    }
    let mut report = ImportReport::default();
    write::upsert_orgs(txn, "no:skole:", rows, &mut report, progress).await?;
    Ok(report)
}
