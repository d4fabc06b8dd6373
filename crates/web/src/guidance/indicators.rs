//! The published indicators of a unit (`/indicators?unit=`): its values over time against
//! the nation's, its profile against the nation, and the values of the units that add up
//! into it (a county's municipalities, a municipality's schools) — every hidden one shown as
//! hidden, with why, and never as a number.

use super::chart::Profile;
use crate::http::error::{AppError, AppResult, ValidQuery};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_domain::guidance::assessment::Better;
use headway_domain::guidance::indicators::{definition, Level, Period};
use headway_domain::input::{InputError, Problem};
use headway_store::guidance::{IndicatorQuery, IndicatorUnit, IndicatorValue, Indicators};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// A unit key: `no`, `no:fylke:34`, `no:kommune:3425`, `no:skole:<organisasjonsnummer>`.
    #[param(max_length = 40)]
    pub unit: Option<String>,
    /// `2024-25`, or a window `2022-23..2024-25`.
    #[param(max_length = 30)]
    pub period: Option<String>,
}

/// Whether `s` has the documented form of a period (`2024-25`, `2022-23..2024-25`): one in
/// that form that names no school year (`2024-27`) has no values, and is not an error.
pub fn period_shaped(s: &str) -> bool {
    let year = |y: &str| {
        let b = y.as_bytes();
        b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
    };
    match s.split_once("..") {
        Some((a, b)) => year(a) && year(b),
        None => year(s),
    }
}

/// A unit key from a parameter; a bad one is an input error naming `field`.
pub fn unit_key(field: &'static str, v: Option<&str>) -> Result<String, InputError> {
    let k = v.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("no");
    match Level::of_key(k) {
        Some(_) => Ok(k.to_owned()),
        None => Err(InputError::new(
            field,
            Problem::NotOneOf {
                value: k.chars().take(40).collect(),
                allowed: "no, no:fylke:NN, no:kommune:NNNN, no:skole:<9 digits>".into(),
            },
        )),
    }
}

/// A value as a reader reads it: with the unit's decimals, or why it is hidden.
pub fn shown(ctx: &Ctx, v: &IndicatorValue) -> String {
    match (v.hidden, v.value) {
        (Some(h), _) => ctx.label(&h),
        (None, Some(x)) => number(ctx, &v.indicator, x),
        (None, None) => "–".into(),
    }
}

/// A number of `indicator` with its unit's decimals (scale points are whole).
pub fn number(ctx: &Ctx, indicator: &str, x: f64) -> String {
    let digits = match definition(indicator).map(|d| d.unit) {
        Some("scale_points") => 0,
        Some("index") => 2,
        _ => 1,
    };
    ctx.decimal(x, digits)
}

/// An indicator's name in the reader's language.
pub fn indicator_label(ctx: &Ctx, code: &str) -> String {
    ctx.t(&format!("indicator-{code}"))
}

pub struct HistoryRow {
    pub indicator: String,
    pub period: String,
    pub subgroup: String,
    pub value: String,
    pub count: String,
    pub national: String,
    pub withheld: bool,
}

pub struct ChildRow {
    pub name: String,
    pub href: String,
    pub cells: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "guidance/indicators.html")]
struct IndicatorsPage {
    ctx: Ctx,
    unit: String,
    name: String,
    level: Level,
    parent: Option<(String, String)>,
    units: Vec<IndicatorUnit>,
    periods: Vec<(String, String)>,
    period: String,
    chart: Option<String>,
    history: Vec<HistoryRow>,
    child_heads: Vec<String>,
    children: Vec<ChildRow>,
}

impl IndicatorsPage {
    fn counties(&self) -> impl Iterator<Item = &IndicatorUnit> {
        self.units.iter().filter(|u| u.level == Level::County)
    }

    fn municipalities(&self) -> impl Iterator<Item = &IndicatorUnit> {
        self.units.iter().filter(|u| u.level == Level::Municipality)
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidQuery(p): ValidQuery<PageParams>,
) -> AppResult<Html<String>> {
    let unit = unit_key("unit", p.unit.as_deref())?;
    let store = &state.store;
    let mut units = vec![unit.clone()];
    if unit != "no" {
        units.push("no".into());
    }
    let values = store
        .indicator_values(&IndicatorQuery {
            units,
            ..Default::default()
        })
        .await?;
    let own: Vec<&IndicatorValue> = values.iter().filter(|v| v.unit == unit).collect();
    let Some(latest) = own.iter().max_by_key(|v| (v.period.last, v.period.first)) else {
        return Err(AppError::not_found());
    };
    let (name, level, parent_key) = (
        latest.unit_name.clone(),
        latest.level,
        latest.parent.clone(),
    );
    let national: HashMap<(&str, String, &str), &IndicatorValue> = values
        .iter()
        .filter(|v| v.unit == "no")
        .map(|v| {
            (
                (v.indicator.as_str(), v.period.key(), v.subgroup.as_str()),
                v,
            )
        })
        .collect();
    let mut periods: Vec<Period> = own.iter().map(|v| v.period).collect();
    periods.sort_by_key(|p| std::cmp::Reverse((p.last, p.first)));
    periods.dedup();
    let period = match p.period.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Period::parse("period", s)?,
        None => periods
            .iter()
            .copied()
            .find(Period::is_year)
            .unwrap_or(periods[0]),
    };
    let history = own
        .iter()
        .map(|v| {
            let n = national.get(&(v.indicator.as_str(), v.period.key(), v.subgroup.as_str()));
            HistoryRow {
                indicator: indicator_label(&ctx, &v.indicator),
                period: v.period.to_string(),
                subgroup: match v.subgroup.as_str() {
                    "" => String::new(),
                    s => ctx.value_label("subgroup", &s.replace(':', "-")),
                },
                value: shown(&ctx, v),
                count: v.count.map(|c| c.to_string()).unwrap_or_default(),
                national: n.map(|n| shown(&ctx, n)).unwrap_or_default(),
                withheld: v.hidden.is_some(),
            }
        })
        .collect();
    let chart = profile(&ctx, &own, &national, &period, &name)?;
    let (child_heads, children) = children(&ctx, store, &unit, level, &period).await?;
    let parent = match parent_key {
        Some(k) => {
            let pv = store
                .indicator_values(&IndicatorQuery {
                    units: vec![k.clone()],
                    period: Some(period.key()),
                    ..Default::default()
                })
                .await?;
            pv.first().map(|v| (k, v.unit_name.clone()))
        }
        None => None,
    };
    render(&IndicatorsPage {
        units: store.indicator_units().await?,
        periods: periods.iter().map(|p| (p.key(), p.to_string())).collect(),
        period: period.key(),
        ctx,
        unit,
        name,
        level,
        parent,
        chart,
        history,
        child_heads,
        children,
    })
}

/// The profile for `period`: each indicator where both the unit's and the nation's value
/// are shown, as the difference towards better.
fn profile(
    ctx: &Ctx,
    own: &[&IndicatorValue],
    national: &HashMap<(&str, String, &str), &IndicatorValue>,
    period: &Period,
    name: &str,
) -> AppResult<Option<String>> {
    let rows: Vec<(String, String, f64)> = own
        .iter()
        .filter(|v| v.period == *period && v.subgroup.is_empty() && v.unit != "no")
        .filter_map(|v| {
            let n = national.get(&(v.indicator.as_str(), v.period.key(), ""))?;
            let (x, y) = (v.value?, n.value?);
            let d = match definition(&v.indicator)?.better {
                Better::Higher => x - y,
                Better::Lower => y - x,
            };
            let values = ctx.tr.args(
                "ind-profile-values",
                &[
                    ("value", &number(ctx, &v.indicator, x)),
                    ("national", &number(ctx, &v.indicator, y)),
                ],
            );
            Some((indicator_label(ctx, &v.indicator), values, d))
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let title = ctx.tr.args(
        "ind-profile-title",
        &[("name", name), ("period", &period.to_string())],
    );
    Ok(Some(askama::Template::render(&Profile::new(
        title, rows, 5.0,
    ))?))
}

/// The units that add up into `unit` in `period`, one column per indicator.
async fn children(
    ctx: &Ctx,
    store: &headway_store::Store,
    unit: &str,
    level: Level,
    period: &Period,
) -> AppResult<(Vec<String>, Vec<ChildRow>)> {
    if level == Level::School {
        return Ok((vec![], vec![]));
    }
    let values = store
        .indicator_values(&IndicatorQuery {
            parent: Some(unit.to_owned()),
            period: Some(period.key()),
            subgroup: Some(String::new()),
            ..Default::default()
        })
        .await?;
    let mut codes: Vec<&str> = values.iter().map(|v| v.indicator.as_str()).collect();
    codes.sort_unstable_by_key(|c| {
        headway_domain::guidance::indicators::INDICATORS
            .iter()
            .position(|d| d.code == *c)
    });
    codes.dedup();
    let mut rows: Vec<(String, &str, HashMap<&str, &IndicatorValue>)> = Vec::new();
    for v in &values {
        match rows.iter_mut().find(|r| r.1 == v.unit) {
            Some(r) => {
                r.2.insert(&v.indicator, v);
            }
            None => rows.push((
                v.unit_name.clone(),
                &v.unit,
                HashMap::from([(v.indicator.as_str(), v)]),
            )),
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let heads = codes.iter().map(|c| indicator_label(ctx, c)).collect();
    let rows = rows
        .into_iter()
        .map(|(name, key, cells)| ChildRow {
            href: format!("/indicators?unit={key}&period={}", period.key()),
            name,
            cells: codes
                .iter()
                .map(|c| match cells.get(c) {
                    Some(v) => {
                        let text = match (v.hidden, v.value, v.count) {
                            (Some(h), ..) => ctx.value_label("hidden-short", h.code()),
                            (None, Some(x), Some(n)) => format!("{} ({n})", number(ctx, c, x)),
                            (None, Some(x), None) => number(ctx, c, x),
                            (None, None, _) => "–".into(),
                        };
                        (text, v.hidden.is_some())
                    }
                    None => (String::new(), false),
                })
                .collect(),
        })
        .collect();
    Ok((heads, rows))
}
