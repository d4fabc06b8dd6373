//! Importing indicator files: read whole by the domain's readers, units checked against the
//! directory (a municipality number the directory does not know is refused by line and
//! field; the 2020–2023 numbers are renumbered to 2024's), merged with what is stored, and
//! suppression applied again to every indicator and period the file touches — so a value
//! that a new figure would give away is hidden before anything is committed. Running the
//! same file twice writes nothing the second time.

use super::entities::indicator_value;
use crate::import::{
    bundled::BUNDLED, write, CsvTable, Dataset, ImportError, ImportReport, Progress,
};
use crate::{Result, StoreError};
use headway_domain::guidance::indicators::{definition, Level, Observation, NOT_MUNICIPALITIES};
use headway_domain::guidance::sources;
use headway_domain::guidance::suppression::{suppress, Figure, Hidden, Relation};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which reader a dataset uses, and the field that names a unit in its rows.
pub(crate) fn read(dataset: Dataset, t: &CsvTable) -> Result<(Vec<Observation>, &'static str)> {
    Ok(match dataset {
        Dataset::NoNationalTests => (sources::national_tests(t)?, "kommunekode"),
        Dataset::NoFhiSchoolIndicators => (sources::fhi_school_indicators(t)?, "geo_kode"),
        _ => (sources::agency_export(t)?, "unit"),
    })
}

/// The 2024 key of each 2020–2023 municipality number that changed (Viken's 30xx, …), from
/// the bundled list of municipalities.
fn renumbered() -> HashMap<String, String> {
    let Some((_, path, bytes)) = BUNDLED
        .iter()
        .find(|(d, _, _)| *d == Dataset::NoMunicipalities)
    else {
        return HashMap::new();
    };
    let Ok(t) = CsvTable::parse(path, bytes) else {
        return HashMap::new();
    };
    let (Some(now), Some(then)) = (
        t.col(&["kommunenummer"]),
        t.col(&["kommunenummer_2020_2023"]),
    ) else {
        return HashMap::new();
    };
    t.rows()
        .filter_map(|r| Some((r.opt(Some(then))?, r.opt(Some(now))?)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (format!("no:kommune:{a}"), format!("no:kommune:{b}")))
        .collect()
}

/// One cell of an indicator and period: a unit in a subgroup.
struct Cell {
    id: Option<i32>,
    level: Level,
    name: String,
    parent: Option<String>,
    value: Option<f64>,
    count: Option<u32>,
    /// Withheld by the source (nothing to publish, whatever Headway decides).
    source_hidden: bool,
    /// As stored before this import, to write only what changed.
    stored: Option<indicator_value::Model>,
    first_year: i32,
    last_year: i32,
}

/// An indicator and period's cells by subgroup and unit.
type Cells = BTreeMap<(String, String), Cell>;

/// Imports `t` as `dataset` inside `txn`; `least` gives an indicator's least count.
pub(crate) async fn indicators(
    txn: &DatabaseTransaction,
    dataset: Dataset,
    t: &CsvTable,
    least: &HashMap<String, u32>,
    progress: Progress<'_>,
) -> Result<ImportReport> {
    let (mut obs, unit_field) = read(dataset, t)?;
    let mut known: HashSet<String> = write::org_ids(txn, "no:kommune:")
        .await?
        .into_keys()
        .collect();
    known.extend(NOT_MUNICIPALITIES.map(String::from));
    let renumber = renumbered();
    let to_2024 = |key: &mut String| {
        if !known.contains(key.as_str()) {
            if let Some(k) = renumber.get(key.as_str()) {
                key.clone_from(k);
            }
        }
    };
    let mut seen: HashMap<(&str, String, String, String), u64> = HashMap::new();
    for o in obs.iter_mut() {
        match o.level {
            Level::Municipality => {
                to_2024(&mut o.unit);
                if !known.contains(&o.unit) {
                    return Err(unknown(t, o, unit_field, &o.unit));
                }
            }
            Level::School => {
                if let Some(p) = o.parent.as_mut() {
                    to_2024(p);
                }
            }
            Level::Nation | Level::County => {}
        }
    }
    for o in &obs {
        let key = (
            o.indicator,
            o.period.key(),
            o.subgroup.clone(),
            o.unit.clone(),
        );
        if let Some(first) = seen.insert(key, o.line) {
            return Err(ImportError {
                file: t.file.clone(),
                line: o.line,
                field: unit_field.to_owned(),
                message: format!(
                    "{} {} {} is already on line {first}",
                    o.indicator,
                    o.unit,
                    o.period.key()
                ),
            }
            .into());
        }
    }
    // Every indicator and period the file touches, with what is stored of them.
    let mut groups: BTreeMap<(&'static str, String), Cells> = BTreeMap::new();
    let indicators: HashSet<&str> = obs.iter().map(|o| o.indicator).collect();
    let periods: HashSet<String> = obs.iter().map(|o| o.period.key()).collect();
    let stored = indicator_value::Entity::find()
        .filter(indicator_value::Column::Indicator.is_in(indicators.iter().copied()))
        .filter(indicator_value::Column::Period.is_in(periods.iter().cloned()))
        .all(txn)
        .await?;
    for o in &obs {
        groups.entry((o.indicator, o.period.key())).or_default();
    }
    for m in stored {
        let Some(d) = definition(&m.indicator) else {
            continue;
        };
        let Some(g) = groups.get_mut(&(d.code, m.period.clone())) else {
            continue;
        };
        g.insert(
            (m.subgroup.clone(), m.unit_key.clone()),
            Cell {
                id: Some(m.id),
                level: Level::parse(&m.level)?,
                name: m.unit_name.clone(),
                parent: m.parent_key.clone(),
                value: m.value,
                count: m.count.map(|c| c.max(0) as u32),
                source_hidden: m.hidden.as_deref() == Some(Hidden::Source.code()),
                first_year: m.first_year,
                last_year: m.last_year,
                stored: Some(m),
            },
        );
    }
    let mut report = ImportReport {
        rows: obs.len() as u64,
        ..Default::default()
    };
    for o in obs {
        let g = groups.entry((o.indicator, o.period.key())).or_default();
        let key = (o.subgroup, o.unit);
        let (id, stored) = match g.remove(&key) {
            Some(c) => {
                report.updated += 1;
                (c.id, c.stored)
            }
            None => {
                report.inserted += 1;
                (None, None)
            }
        };
        g.insert(
            key,
            Cell {
                id,
                level: o.level,
                name: o.name,
                parent: o.parent,
                value: o.value,
                count: o.count,
                source_hidden: o.hidden == Some(Hidden::Source),
                stored,
                first_year: o.period.first.start(),
                last_year: o.period.last.start(),
            },
        );
    }
    let total = groups.values().map(|g| g.len() as u64).sum();
    let mut done = 0;
    for ((indicator, period), cells) in groups {
        let min = least
            .get(indicator)
            .copied()
            .or_else(|| definition(indicator).map(|d| d.min_count))
            .unwrap_or(10);
        let hidden = suppressed(&cells, min);
        let mut fresh = Vec::new();
        for (((subgroup, unit), c), h) in cells.into_iter().zip(hidden) {
            let row = indicator_value::Model {
                id: c.id.unwrap_or(0),
                indicator: indicator.to_owned(),
                level: c.level.code().to_owned(),
                unit_key: unit,
                unit_name: c.name,
                parent_key: c.parent,
                period: period.clone(),
                first_year: c.first_year,
                last_year: c.last_year,
                subgroup,
                value: c.value,
                count: c.count.map(|n| n as i32),
                hidden: h.map(|h| h.code().to_owned()),
            };
            match c.stored {
                Some(before) if before == row => {}
                Some(_) => {
                    let mut a = row.into_active_model().reset_all();
                    a.id = sea_orm::ActiveValue::Unchanged(c.id.unwrap_or(0));
                    a.update(txn).await?;
                }
                None => fresh.push(row),
            }
            done += 1;
        }
        for chunk in fresh.chunks(500) {
            indicator_value::Entity::insert_many(chunk.iter().cloned().map(|m| {
                let mut a = m.into_active_model();
                a.id = sea_orm::ActiveValue::NotSet;
                a
            }))
            .exec(txn)
            .await?;
        }
        progress(done, total);
    }
    Ok(report)
}

fn unknown(t: &CsvTable, o: &Observation, field: &str, key: &str) -> StoreError {
    ImportError {
        file: t.file.clone(),
        line: o.line,
        field: field.to_owned(),
        message: format!(
            "`{}` is not a municipality in the directory (2024 numbers, or 2020–2023 numbers that changed)",
            key.trim_start_matches("no:kommune:")
        ),
    }
    .into()
}

/// Why each cell (in the map's order) is hidden after primary and secondary suppression
/// across every additive relation published: a unit's parts (schools into municipality,
/// municipalities into county, counties into nation) in each subgroup, and girls and boys
/// into everyone.
fn suppressed(cells: &Cells, min: u32) -> Vec<Option<Hidden>> {
    let index: HashMap<(&str, &str), usize> = cells
        .keys()
        .enumerate()
        .map(|(i, (s, u))| ((s.as_str(), u.as_str()), i))
        .collect();
    // Nothing measured (no pupils, no value) adds nothing: left out of every relation. A
    // value without a published count is unknown to a reader's arithmetic, as a hidden one.
    let figures: Vec<Figure> = cells
        .values()
        .map(|c| match (c.source_hidden, c.count) {
            (true, _) | (false, None) => Figure {
                count: None,
                hidden: Some(Hidden::Source),
            },
            (false, Some(n)) => Figure {
                count: Some(n),
                hidden: None,
            },
        })
        .collect();
    let nothing = |c: &Cell| c.count == Some(0) && c.value.is_none() && !c.source_hidden;
    let mut relations: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, ((sub, _), c)) in cells.iter().enumerate() {
        if nothing(c) {
            continue;
        }
        if let Some(&total) = c
            .parent
            .as_deref()
            .and_then(|p| index.get(&(sub.as_str(), p)))
        {
            relations.entry(total).or_default().push(i);
        }
    }
    let mut relations: Vec<Relation> = relations
        .into_iter()
        .map(|(total, parts)| Relation { total, parts })
        .collect();
    for ((sub, unit), _) in cells.iter().filter(|((s, _), _)| s.is_empty()) {
        let (Some(&g), Some(&b)) = (
            index.get(&("sex:girls", unit.as_str())),
            index.get(&("sex:boys", unit.as_str())),
        ) else {
            continue;
        };
        relations.push(Relation {
            total: index[&(sub.as_str(), unit.as_str())],
            parts: vec![g, b],
        });
    }
    let mut figures = figures;
    let nothing_at: Vec<bool> = cells.values().map(nothing).collect();
    // A count of nothing measured is shown as it is (below any least count, but 0).
    for (f, n) in figures.iter_mut().zip(&nothing_at) {
        if *n {
            f.count = Some(u32::MAX);
        }
    }
    suppress(&mut figures, &relations, min);
    cells
        .values()
        .zip(figures)
        .zip(nothing_at)
        .map(|((c, f), nothing)| match () {
            _ if c.source_hidden => Some(Hidden::Source),
            _ if nothing || c.count.is_none() => None,
            _ => f.hidden,
        })
        .collect()
}
