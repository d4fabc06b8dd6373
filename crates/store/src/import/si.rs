//! Slovenia: GURS statistical regions and občine, their region links, institutions.

use super::write::{self, MuniRow, OrgRow, RegionRow};
use super::{CsvTable, ImportReport, Progress};
use crate::entities::municipality;
use crate::Result;
use headway_domain::directory::{slovenian_kind_from_name, Country, OrgKind};
use headway_domain::geo::d96tm_to_wgs84;
use headway_domain::text::fold;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::HashMap;

const C: Country = Country::Slovenia;

fn gurs_id(r: &super::Row<'_>, idx: usize, field: &str) -> Result<i64> {
    let v = r.i64_req(idx)?;
    if v <= 0 {
        return Err(r.error(field, format!("`{v}` is not a GURS id")).into());
    }
    Ok(v)
}

pub async fn regions(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let (id, name) = (t.require(&["sr_id"])?, t.require(&["sr_uime", "sr_ime"])?);
    let mut rows = Vec::with_capacity(t.len());
    for r in t.rows() {
        let i = gurs_id(&r, id, "SR_ID")?;
        rows.push(RegionRow {
            external_id: format!("si:sr:{i}"),
            country: C,
            level: 1,
            name: r.req(name)?.to_owned(),
        });
    }
    let mut report = ImportReport::default();
    write::upsert_regions(txn, rows, &mut report).await?;
    progress(report.rows, report.rows);
    Ok(report)
}

pub async fn municipalities(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let id = t.require(&["ob_id"])?;
    let name = t.require(&["ob_uime", "ob_ime"])?;
    let (e, n) = (t.require(&["cen_e"])?, t.require(&["cen_n"])?);
    let mut munis = Vec::with_capacity(t.len());
    for r in t.rows() {
        let i = gurs_id(&r, id, "OB_ID")?;
        let (east, north) = (r.f64_opt(Some(e))?, r.f64_opt(Some(n))?);
        let p = match (east, north) {
            (Some(x), Some(y))
                if (370_000.0..=630_000.0).contains(&x) && (20_000.0..=200_000.0).contains(&y) =>
            {
                d96tm_to_wgs84(x, y)
            }
            (Some(x), Some(y)) => {
                return Err(r
                    .error(
                        "CEN_E",
                        format!("({x}, {y}) lies outside Slovenia's D96/TM grid"),
                    )
                    .into())
            }
            _ => return Err(r.error("CEN_E", "a centroid is required").into()),
        };
        munis.push(MuniRow {
            external_id: format!("si:ob:{i}"),
            country: C,
            code: i.to_string(),
            name: r.req(name)?.to_owned(),
            // Set by si-municipality-regions; an upsert here must not clear it.
            region_id: None,
            lat: Some(p.lat),
            lon: Some(p.lon),
            population: None,
        });
    }
    let existing_regions: HashMap<String, Option<i32>> = municipality::Entity::find()
        .filter(municipality::Column::Country.eq(C.code()))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.external_id, m.region_id))
        .collect();
    for m in &mut munis {
        m.region_id = existing_regions.get(&m.external_id).copied().flatten();
    }
    let mut report = ImportReport::default();
    let ids = write::upsert_municipalities(txn, munis, &mut report).await?;
    // Občine found primary schools and kindergartens: one founder organisation each.
    let owners = ids
        .iter()
        .map(|(ext, (mid, name))| {
            let m = (*mid, name.clone());
            OrgRow {
                external_id: ext.clone(),
                country: Some(C),
                kind: Some(OrgKind::Owner),
                name: format!("Občina {name}"),
                municipality: Some(m),
                governance: Some("public".into()),
                ..Default::default()
            }
        })
        .collect();
    write::upsert_orgs(
        txn,
        "si:ob:",
        owners,
        &mut ImportReport::default(),
        progress,
    )
    .await?;
    Ok(report)
}

pub async fn municipality_regions(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let (ob, sr) = (t.require(&["ob_id"])?, t.require(&["sr_id"])?);
    let regions = write::region_ids(txn, C).await?;
    let munis = write::municipality_ids(txn, C).await?;
    let mut pairs = Vec::with_capacity(t.len());
    for r in t.rows() {
        let o = gurs_id(&r, ob, "OB_ID")?;
        let s = gurs_id(&r, sr, "SR_ID")?;
        let (mid, _) = munis.get(&format!("si:ob:{o}")).cloned().ok_or_else(|| {
            r.error(
                "OB_ID",
                format!("občina {o} is not in the directory; import si-municipalities first"),
            )
        })?;
        let rid = *regions.get(&format!("si:sr:{s}")).ok_or_else(|| {
            r.error(
                "SR_ID",
                format!("region {s} is not in the directory; import si-regions first"),
            )
        })?;
        pairs.push((mid, rid));
    }
    let mut report = ImportReport::default();
    for (mid, rid) in pairs {
        municipality::Entity::update_many()
            .col_expr(municipality::Column::RegionId, Expr::value(rid))
            .filter(municipality::Column::Id.eq(mid))
            .exec(txn)
            .await?;
        report.rows += 1;
        report.updated += 1;
    }
    progress(report.rows, report.rows);
    Ok(report)
}

/// A stable external id from an institution's name.
fn slug(name: &str) -> String {
    fold(name).replace(' ', "-")
}

pub async fn institutions(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let name = t.require(&["naziv"])?;
    let obcina = t.require(&["obcina"])?;
    let kind = t.col(&["vrsta"]);
    let parent = t.col(&["matica"]);
    let si_munis = municipality::Entity::find()
        .filter(municipality::Column::Country.eq(C.code()))
        .all(txn)
        .await?;
    let by_name: HashMap<String, (i32, String)> = si_munis
        .iter()
        .map(|m| (fold(&m.name), (m.id, m.name.clone())))
        .collect();
    // The programme gives no addresses: institutions are placed at their občina's centroid.
    let centroid: HashMap<i32, (f64, f64)> = si_munis
        .iter()
        .filter_map(|m| Some((m.id, (m.lat?, m.lon?))))
        .collect();
    let owners = write::org_ids(txn, "si:ob:").await?;
    let muni_owner: HashMap<i32, i32> = municipality::Entity::find()
        .filter(municipality::Column::Country.eq(C.code()))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|m| owners.get(&m.external_id).map(|o| (m.id, *o)))
        .collect();
    let mut centres: Vec<OrgRow> = Vec::new();
    let mut rows: Vec<(OrgRow, Option<String>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in t.rows() {
        let n = r.req(name)?;
        // The programme lists some institutions in more than one group; one record each.
        if !seen.insert(slug(n)) {
            continue;
        }
        let o = r.req(obcina)?;
        let muni = by_name.get(&fold(o)).cloned().ok_or_else(|| {
            r.error(
                "obcina",
                format!("`{o}` is not an občina in the directory; import si-municipalities first"),
            )
        })?;
        let k = match r.opt(kind) {
            Some(v) => OrgKind::parse(v).map_err(|e| r.error("vrsta", e.to_string()))?,
            None => slovenian_kind_from_name(n),
        };
        let centre = r.opt(parent).map(|p| {
            let ext = format!("si:zavod:{}", slug(p));
            if !centres.iter().any(|c| c.external_id == ext) {
                centres.push(OrgRow {
                    external_id: ext.clone(),
                    country: Some(C),
                    kind: Some(OrgKind::SchoolCentre),
                    name: p.to_owned(),
                    latlon: centroid.get(&muni.0).copied(),
                    municipality: Some(muni.clone()),
                    parent_id: None,
                    governance: Some("public".into()),
                    ..Default::default()
                });
            }
            ext
        });
        let school_type = match k {
            OrgKind::Kindergarten => "kindergarten",
            OrgKind::MusicSchool => "music",
            OrgKind::Dormitory => "dormitory",
            _ if fold(n).starts_with("os ") || fold(n).contains(" os ") => "primary",
            _ => "upper_secondary",
        };
        rows.push((
            OrgRow {
                external_id: format!("si:zavod:{}", slug(n)),
                country: Some(C),
                kind: Some(k),
                name: n.to_owned(),
                // Primary schools and kindergartens are founded by their občina.
                parent_id: matches!(school_type, "primary" | "kindergarten")
                    .then(|| muni_owner.get(&muni.0).copied())
                    .flatten(),
                city: Some(muni.1.clone()),
                latlon: centroid.get(&muni.0).copied(),
                municipality: Some(muni),
                school_type: Some(school_type.into()),
                governance: Some("public".into()),
                ..Default::default()
            },
            centre,
        ));
    }
    let mut report = ImportReport::default();
    let centre_ids = write::upsert_orgs(txn, "si:zavod:", centres, &mut report, &|_, _| {}).await?;
    let rows = rows
        .into_iter()
        .map(|(mut o, centre)| {
            if let Some(c) = centre {
                o.parent_id = centre_ids.get(&c).copied();
            }
            o
        })
        .collect();
    write::upsert_orgs(txn, "si:zavod:", rows, &mut report, progress).await?;
    Ok(report)
}
