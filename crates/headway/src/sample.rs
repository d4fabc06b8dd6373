//! `headway generate leaders`: a population of school leaders for grouping at national
//! scale, sampled from the shipped DUO list of Dutch primary-school locations: each leader
//! leads one sampled location and carries its province, denomination, environment (urban
//! where the place has at least 12 locations, as the importer decides) and pupil-count
//! band. Seed 003's round is ~4,300 registered leaders; all Dutch primary leaders ~10,750.

use anyhow::{Context, Result};
use headway_domain::table::CsvTable;
use headway_store::import::bundled::BUNDLED;
use headway_store::Dataset;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::io::Write;

/// The pupil-count band of a location.
fn band(pupils: i64) -> &'static str {
    match pupils {
        i64::MIN..=99 => "<100",
        100..=199 => "100-199",
        200..=349 => "200-349",
        _ => "350+",
    }
}

/// Writes `count` leaders as CSV (`id,name,province,denomination,environment,pupils`).
/// Locations are drawn without replacement while they last, then again.
pub fn leaders(count: usize, seed: u64, out: &mut dyn Write) -> Result<()> {
    let (_, path, bytes) = BUNDLED
        .iter()
        .find(|(d, _, _)| *d == Dataset::NlSchools)
        .context("the DUO school list is not bundled")?;
    let t = CsvTable::parse(path, bytes)?;
    let (place, province, denomination, pupils) = (
        t.require(&["plaatsnaam"])?,
        t.require(&["provincie"])?,
        t.require(&["denominatie"])?,
        t.col(&["leerlingen_2025"]),
    );
    let mut per_place: HashMap<String, usize> = HashMap::new();
    for r in t.rows() {
        *per_place.entry(r.req(place)?.to_owned()).or_default() += 1;
    }
    let mut schools = Vec::new();
    for r in t.rows() {
        let urban = per_place.get(r.req(place)?).copied().unwrap_or(0) >= 12;
        schools.push([
            r.req(province)?.to_owned(),
            r.req(denomination)?.to_owned(),
            (if urban { "urban" } else { "rural" }).to_owned(),
            band(r.count_opt(pupils)?.unwrap_or(0)).to_owned(),
        ]);
    }
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "name",
        "province",
        "denomination",
        "environment",
        "pupils",
    ])?;
    let mut deck: Vec<usize> = Vec::new();
    for i in 0..count {
        if deck.is_empty() {
            deck = (0..schools.len()).collect();
            deck.shuffle(&mut rng);
        }
        let s = &schools[deck
            .pop()
            .unwrap_or_else(|| rng.gen_range(0..schools.len()))];
        let id = format!("L{:05}", i + 1);
        w.write_record([id.as_str(), id.as_str(), &s[0], &s[1], &s[2], &s[3]])?;
    }
    w.flush()?;
    Ok(())
}
