//! The parts of `headway group` that read user files, as a library so that the fuzz
//! targets in `fuzz/` can reach them.

use anyhow::{bail, Result};
use headway_domain::table::CsvTable;
use std::collections::{BTreeMap, HashMap};

/// One row of the input: its line in the file, id, display name, the chosen attribute
/// values (in `Input::attrs` order) and coordinates when given.
pub struct Row {
    pub line: u64,
    pub id: String,
    pub name: String,
    pub values: Vec<String>,
    pub at: Option<(f64, f64)>,
}

/// A parsed grouping input.
pub struct Input {
    pub attrs: Vec<String>,
    pub rows: Vec<Row>,
    pub skipped: Vec<u64>,
}

/// Parses the CSV of people or places. `needs_coordinates` (regional groups) requires
/// `lat`/`lon` columns and skips rows without them (their lines are in `skipped`).
pub fn parse_input(
    file: &str,
    bytes: &[u8],
    needs_coordinates: bool,
    wanted: &[String],
) -> Result<Input> {
    let t = CsvTable::parse(file, bytes)?;
    let id = t.col(&["id", "vestigingscode"]).unwrap_or(0);
    let name = t.col(&["name", "naam", "vestigingsnaam", "naziv"]);
    let (lat, lon) = (
        t.col(&["lat", "latitude"]),
        t.col(&["lon", "lng", "longitude"]),
    );
    let headers = t.headers();
    let attrs: Vec<String> = if wanted.is_empty() {
        headers
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != name && Some(*i) != lat && Some(*i) != lon && *i != id)
            .map(|(_, h)| h.clone())
            .collect()
    } else {
        wanted
            .iter()
            .map(|w| w.trim().to_lowercase().replace([' ', '-'], "_"))
            .collect()
    };
    let idx: Vec<usize> = attrs
        .iter()
        .map(|a| t.require(&[a.as_str()]))
        .collect::<Result<_, _>>()?;
    if needs_coordinates && (lat.is_none() || lon.is_none()) {
        bail!("{file}, line 1: regional groups need `lat` and `lon` columns");
    }
    let mut rows = vec![];
    let mut skipped = vec![];
    let mut seen = HashMap::new();
    for r in t.rows() {
        let rid = r.req(id)?.to_owned();
        if let Some(prev) = seen.insert(rid.clone(), r.line) {
            bail!(
                "{file}, line {}, field `{}`: id `{rid}` was already used on line {prev}",
                r.line,
                headers[id]
            );
        }
        let at = r.latlon(lat, lon)?;
        if needs_coordinates && at.is_none() {
            skipped.push(r.line);
            continue;
        }
        rows.push(Row {
            line: r.line,
            name: r.opt(name).unwrap_or(&rid).to_owned(),
            id: rid,
            values: idx
                .iter()
                .map(|&i| r.opt(Some(i)).unwrap_or("").to_owned())
                .collect(),
            at,
        });
    }
    if rows.len() < 2 {
        bail!("{file}: fewer than two rows to group");
    }
    Ok(Input {
        attrs,
        rows,
        skipped,
    })
}

impl Input {
    /// Each row's index by its id.
    pub fn ids(&self) -> HashMap<&str, usize> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect()
    }
}

/// Pairs of rows (by index in `ids`) that met in an earlier round, from an `id,group` CSV.
/// Ids not in `ids` are ignored: people who left since.
pub fn parse_earlier(
    file: &str,
    bytes: &[u8],
    ids: &HashMap<&str, usize>,
) -> Result<Vec<(usize, usize, f64)>> {
    let t = CsvTable::parse(file, bytes)?;
    let (id, group) = (t.require(&["id"])?, t.require(&["group"])?);
    let mut by_group: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for r in t.rows() {
        if let Some(&i) = ids.get(r.req(id)?) {
            by_group
                .entry(r.req(group)?.to_owned())
                .or_default()
                .push(i);
        }
    }
    let mut out = vec![];
    for m in by_group.values() {
        for (x, &i) in m.iter().enumerate() {
            for &j in &m[x + 1..] {
                out.push((i, j, 1.0));
            }
        }
    }
    Ok(out)
}
