//! The Netherlands: gemeenten and provinces, school boards, DUO school locations.

use super::write::{self, MuniRow, OrgRow, RegionRow};
use super::{CsvTable, ImportReport, Progress};
use crate::Result;
use headway_domain::directory::{Country, Environment, OrgKind};
use headway_domain::text::fold;
use sea_orm::DatabaseTransaction;
use std::collections::HashMap;

const C: Country = Country::Netherlands;

/// A DUO place with at least this many primary-school locations counts as urban.
/// DUO publishes no urbanity; CBS *stedelijkheid* is not in the shipped data, so the
/// density of schools in the place stands in for it.
pub const URBAN_MIN_LOCATIONS_IN_PLACE: usize = 12;

fn strip_prefix_code<'a>(v: &'a str, prefix: &str) -> &'a str {
    v.strip_prefix(prefix).unwrap_or(v)
}

/// A municipality name without the `(gemeente)` that tells it from its province.
fn plain_name(name: &str) -> String {
    fold(name.split(" (").next().unwrap_or(name))
}

pub async fn municipalities(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let (code, name) = (t.require(&["gemeentecode"])?, t.require(&["gemeentenaam"])?);
    let (pcode, pname) = (t.require(&["provinciecode"])?, t.require(&["provincie"])?);
    let (lat, lon) = (t.col(&["lat"]), t.col(&["lon"]));
    let mut provinces: Vec<RegionRow> = Vec::new();
    let mut munis = Vec::with_capacity(t.len());
    for r in t.rows() {
        let pid = format!("nl:pv:{}", strip_prefix_code(r.req(pcode)?, "PV"));
        if !provinces.iter().any(|p| p.external_id == pid) {
            provinces.push(RegionRow {
                external_id: pid.clone(),
                country: C,
                level: 1,
                name: r.req(pname)?.to_owned(),
            });
        }
        let gm = strip_prefix_code(r.req(code)?, "GM");
        if gm.len() != 4 || !gm.chars().all(|c| c.is_ascii_digit()) {
            return Err(r
                .error(
                    "gemeentecode",
                    format!("`{gm}` is not a gemeente code like GM0014"),
                )
                .into());
        }
        let p = r.latlon(lat, lon)?;
        munis.push((
            pid,
            MuniRow {
                external_id: format!("nl:gm:{gm}"),
                country: C,
                code: format!("GM{gm}"),
                name: r.req(name)?.to_owned(),
                region_id: None,
                lat: p.map(|p| p.0),
                lon: p.map(|p| p.1),
                population: None,
            },
        ));
    }
    let mut report = ImportReport::default();
    let regions = write::upsert_regions(txn, provinces, &mut ImportReport::default()).await?;
    let rows = munis
        .into_iter()
        .map(|(pid, mut m)| {
            m.region_id = regions.get(&pid).copied();
            m
        })
        .collect();
    write::upsert_municipalities(txn, rows, &mut report).await?;
    progress(report.rows, report.rows);
    Ok(report)
}

pub async fn boards(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let nr = t.require(&["bevoegd_gezag_nummer"])?;
    let (pupils, gemeenten, denom) = (
        t.col(&["leerlingen_2025"]),
        t.col(&["gemeenten"]),
        t.col(&["denominaties"]),
    );
    let by_name: HashMap<String, (i32, String)> = write::municipality_ids(txn, C)
        .await?
        .into_values()
        .map(|(id, n)| (plain_name(&n), (id, n)))
        .collect();
    let mut rows = Vec::with_capacity(t.len());
    for r in t.rows() {
        let n = r.req(nr)?;
        if !n.chars().all(|c| c.is_ascii_digit()) {
            return Err(r
                .error(
                    "bevoegd_gezag_nummer",
                    format!("`{n}` is not a board number"),
                )
                .into());
        }
        // A board working in several gemeenten is placed in the first one listed.
        let muni = r
            .opt(gemeenten)
            .and_then(|g| g.split('|').next())
            .and_then(|g| by_name.get(&plain_name(g)).cloned());
        rows.push(OrgRow {
            external_id: format!("nl:bg:{n}"),
            country: Some(C),
            kind: Some(OrgKind::Board),
            name: format!("Bevoegd gezag {n}"),
            municipality: muni,
            governance: r.opt(denom).map(str::to_owned),
            pupils: r.count_opt(pupils)?,
            ..Default::default()
        });
    }
    let mut report = ImportReport::default();
    write::upsert_orgs(txn, "nl:bg:", rows, &mut report, progress).await?;
    Ok(report)
}

pub async fn schools(
    txn: &DatabaseTransaction,
    t: &CsvTable,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let code = t.require(&["vestigingscode"])?;
    let name = t.require(&["vestigingsnaam"])?;
    let board = t.require(&["bevoegd_gezag_nummer"])?;
    let gm = t.require(&["gemeentenummer"])?;
    let street = t.col(&["straatnaam"]);
    let number = t.col(&["huisnummer", "huisnummer_toevoeging"]);
    let postcode = t.col(&["postcode"]);
    let place = t.col(&["plaatsnaam"]);
    let denom = t.col(&["denominatie"]);
    let web = t.col(&["internetadres"]);
    let (lat, lon) = (t.col(&["lat"]), t.col(&["lon"]));
    let pupils = t.col(&["leerlingen_2025", "leerlingen"]);

    let boards = write::org_ids(txn, "nl:bg:").await?;
    let munis = write::municipality_ids(txn, C).await?;
    let mut per_place: HashMap<String, usize> = HashMap::new();
    for r in t.rows() {
        *per_place
            .entry(fold(r.opt(place).unwrap_or("")))
            .or_default() += 1;
    }
    let mut rows = Vec::with_capacity(t.len());
    let mut seen = std::collections::HashSet::new();
    for r in t.rows() {
        let v = r.req(code)?;
        if v.len() != 6 || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(r
                .error(
                    "vestigingscode",
                    format!("`{v}` is not a BRIN + vestiging code like 32JK00"),
                )
                .into());
        }
        if !seen.insert(v.to_owned()) {
            return Err(r
                .error("vestigingscode", format!("`{v}` appears twice in the file"))
                .into());
        }
        let b = r.req(board)?;
        let parent = *boards.get(&format!("nl:bg:{b}")).ok_or_else(|| {
            r.error(
                "bevoegd_gezag_nummer",
                format!("board {b} is not in the directory; import nl-boards first"),
            )
        })?;
        let g: u32 = r
            .req(gm)?
            .parse()
            .map_err(|_| r.error("gemeentenummer", "not a gemeente number"))?;
        let muni = munis
            .get(&format!("nl:gm:{g:04}"))
            .cloned()
            .ok_or_else(|| {
                r.error(
                    "gemeentenummer",
                    format!(
                        "gemeente {g:04} is not in the directory; import nl-municipalities first"
                    ),
                )
            })?;
        let address = match (r.opt(street), r.opt(number)) {
            (Some(s), Some(n)) => Some(format!("{s} {n}")),
            (Some(s), None) => Some(s.to_owned()),
            _ => None,
        };
        let city = r.opt(place).map(str::to_owned);
        let n_in_place = per_place
            .get(&fold(city.as_deref().unwrap_or("")))
            .copied()
            .unwrap_or(0);
        let env = if n_in_place >= URBAN_MIN_LOCATIONS_IN_PLACE {
            Environment::Urban
        } else {
            Environment::Rural
        };
        rows.push(OrgRow {
            external_id: format!("nl:vestiging:{v}"),
            country: Some(C),
            kind: Some(OrgKind::School),
            name: r.req(name)?.to_owned(),
            parent_id: Some(parent),
            municipality: Some(muni),
            address,
            postcode: r.opt(postcode).map(str::to_owned),
            city,
            latlon: r.latlon(lat, lon)?,
            school_type: Some("primary".into()),
            environment: Some(env.code().to_owned()),
            governance: r.opt(denom).map(str::to_owned),
            pupils: r.count_opt(pupils)?,
            website: r.opt(web).map(str::to_owned),
        });
    }
    let mut report = ImportReport::default();
    write::upsert_orgs(txn, "nl:vestiging:", rows, &mut report, progress).await?;
    Ok(report)
}
