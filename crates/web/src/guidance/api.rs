//! `/api/v1/indicators` (public: suppression applied) and `/api/v1/guidance/assessment`
//! (the agency's coordinators: ranked, with every point and its explanation).

use super::assessment::{assessment_for, explain, AssessmentParams};
use super::indicators::{period_shaped, unit_key};
use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ErrorBody, ValidQuery};
use crate::policy::can::AssessOwners;
use crate::ui::Ctx;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use headway_domain::guidance::indicators::{parse_indicator, Level, Period};
use headway_store::guidance::{IndicatorQuery, IndicatorValue, Indicators};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorParams {
    /// A directory organisation (a Norwegian kommune or school): its values.
    pub organization: Option<i32>,
    /// Or a unit key: `no` (the default), `no:fylke:34`, `no:kommune:3425`,
    /// `no:skole:<organisasjonsnummer>`.
    #[param(pattern = "^(no|no:fylke:[0-9]{2}|no:kommune:[0-9]{4}|no:skole:[0-9]{9})?$")]
    pub unit: Option<String>,
    /// An indicator's code.
    #[param(
        pattern = "^(np_english_5|np_reading_5|np_numeracy_5|np_english_8|np_reading_8|np_numeracy_8|level1_reading_5|level1_reading_8|level1_numeracy_5|level1_numeracy_8|bullying_7|wellbeing_10|points_10|bullying_10|support_7|support_10|motivation_7|motivation_10|completion)?$"
    )]
    pub indicator: Option<String>,
    /// `2024-25`, or a window `2022-23..2024-25`; one that names no school year has no
    /// values.
    #[param(pattern = "^([0-9]{4}-[0-9]{2}(\\.\\.[0-9]{4}-[0-9]{2})?)?$")]
    pub period: Option<String>,
}

/// A published value. Hidden: neither value nor count, only why.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorValueDto {
    pub indicator: String,
    /// `nation`, `county`, `municipality` or `school`.
    pub level: String,
    pub unit: String,
    pub unit_name: String,
    /// The unit it adds up into.
    pub parent: Option<String>,
    /// `2024-25` or `2022-23..2024-25`.
    pub period: String,
    /// Empty for everyone; else `parents:primary`, `sex:girls`, ….
    pub subgroup: String,
    pub value: Option<f64>,
    /// Pupils or respondents.
    pub count: Option<u32>,
    /// `source` (withheld by the source), `primary` (fewer than the least count) or
    /// `secondary` (it would give another hidden figure away); none when shown.
    pub hidden: Option<String>,
    /// The nation's value for the same indicator, period and subgroup, when shown.
    pub national: Option<f64>,
}

fn dto(v: IndicatorValue, national: Option<f64>) -> IndicatorValueDto {
    IndicatorValueDto {
        indicator: v.indicator,
        level: v.level.code().to_owned(),
        unit: v.unit,
        unit_name: v.unit_name,
        parent: v.parent,
        period: v.period.key(),
        subgroup: v.subgroup,
        value: v.value,
        count: v.count,
        hidden: v.hidden.map(|h| h.code().to_owned()),
        national,
    }
}

/// A unit's published indicator values (the nation's without `organization` or `unit`),
/// by indicator and period, each with the nation's for comparison.
#[utoipa::path(
    get,
    path = "/api/v1/indicators",
    tag = "guidance",
    params(IndicatorParams),
    responses(
        (status = 200, description = "Published values, suppression applied", body = Vec<IndicatorValueDto>),
        (status = 400, description = "A parameter does not parse", body = ErrorBody),
        (status = 404, description = "No such organisation, or one without indicators", body = ErrorBody),
    )
)]
pub async fn indicators(
    State(state): State<AppState>,
    ValidQuery(p): ValidQuery<IndicatorParams>,
) -> AppResult<Json<Vec<IndicatorValueDto>>> {
    let unit = match p.organization {
        Some(id) => {
            let org = state.store.organization(id).await?;
            let key = org.summary.external_id;
            if !matches!(
                Level::of_key(&key),
                Some(Level::Municipality | Level::School)
            ) {
                return Err(AppError::not_found());
            }
            key
        }
        None => unit_key("unit", p.unit.as_deref())?,
    };
    let given = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let indicator = given(&p.indicator)
        .map(|c| parse_indicator("indicator", &c).map(|d| d.code.to_owned()))
        .transpose()?;
    let period = match given(&p.period) {
        None => None,
        Some(s) => match Period::parse("period", &s) {
            Ok(p) => Some(p.key()),
            Err(_) if period_shaped(&s) => return Ok(Json(vec![])),
            Err(e) => return Err(e.into()),
        },
    };
    let mut units = vec![unit.clone()];
    if unit != "no" {
        units.push("no".into());
    }
    let values = state
        .store
        .indicator_values(&IndicatorQuery {
            units,
            indicator,
            period,
            ..Default::default()
        })
        .await?;
    let national: HashMap<(String, String, String), Option<f64>> = values
        .iter()
        .filter(|v| v.unit == "no")
        .map(|v| {
            (
                (v.indicator.clone(), v.period.key(), v.subgroup.clone()),
                v.value,
            )
        })
        .collect();
    Ok(Json(
        values
            .into_iter()
            .filter(|v| v.unit == unit)
            .map(|v| {
                let n = national
                    .get(&(v.indicator.clone(), v.period.key(), v.subgroup.clone()))
                    .copied()
                    .flatten();
                dto(v, n)
            })
            .collect(),
    ))
}

/// One indicator-year of a municipality's score.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointDto {
    pub indicator: String,
    pub year: String,
    pub value: Option<f64>,
    pub national: Option<f64>,
    pub absolute: f64,
    /// `higher` or `lower`.
    pub better: String,
    pub weight: u32,
    /// Risk points earned (weight included); none when it could not be assessed.
    pub points: Option<u32>,
    pub possible: u32,
    /// The point in a sentence, in the request's language.
    pub explanation: String,
}

/// A municipality in the ranked list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessedDto {
    pub unit: String,
    pub name: String,
    pub rank: u32,
    /// `1` or `2`; none when not selected by the rules.
    pub category: Option<String>,
    /// Percent of the points that could be assessed; none when nothing could.
    pub share: Option<f64>,
    pub earned: u32,
    pub possible: u32,
    /// Indicator-years that could not be assessed (missing or hidden values).
    pub unknown: u32,
    /// Highest school share less lowest, in percentage points.
    pub spread: Option<f64>,
    pub top_schools: u32,
    pub points: Vec<PointDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorRuleDto {
    pub indicator: String,
    pub better: String,
    pub absolute: f64,
    pub weight: u32,
}

/// The numbers the assessment was made by.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesDto {
    pub lookback_years: u32,
    pub national_points: u32,
    pub absolute_points: u32,
    pub first_count: usize,
    pub second_count: usize,
    pub spread_level: f64,
    pub top_schools: f64,
    pub indicators: Vec<IndicatorRuleDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDto {
    /// The school year assessed.
    pub year: String,
    /// The school years looked back over, oldest first.
    pub years: Vec<String>,
    pub rules: RulesDto,
    pub municipalities: Vec<AssessedDto>,
}

/// Every municipality ranked by its share of risk points over the school year and the ones
/// before it, with its category, its points and their explanations, and the rules in force.
#[utoipa::path(
    get,
    path = "/api/v1/guidance/assessment",
    tag = "guidance",
    params(AssessmentParams),
    responses(
        (status = 200, description = "The ranked list", body = AssessmentDto),
        (status = 400, description = "The period does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not one of the agency's coordinators", body = ErrorBody),
        (status = 404, description = "No values to assess", body = ErrorBody),
    )
)]
pub async fn assessment(
    State(state): State<AppState>,
    _who: Authorized<AssessOwners>,
    ctx: Ctx,
    ValidQuery(p): ValidQuery<AssessmentParams>,
) -> AppResult<Json<AssessmentDto>> {
    let a = assessment_for(&state, &p).await?;
    let r = &a.rules;
    Ok(Json(AssessmentDto {
        year: a.year.to_string(),
        years: a.years.iter().map(|y| y.to_string()).collect(),
        rules: RulesDto {
            lookback_years: r.lookback_years,
            national_points: r.national_points,
            absolute_points: r.absolute_points,
            first_count: r.first_count,
            second_count: r.second_count,
            spread_level: r.spread_level,
            top_schools: r.top_schools,
            indicators: r
                .indicators
                .iter()
                .map(|i| IndicatorRuleDto {
                    indicator: i.code.clone(),
                    better: i.better.code().to_owned(),
                    absolute: i.absolute,
                    weight: i.weight,
                })
                .collect(),
        },
        municipalities: a
            .units
            .iter()
            .map(|u| AssessedDto {
                unit: u.unit.clone(),
                name: u.name.clone(),
                rank: u.ranked.rank,
                category: u.ranked.category.map(|c| c.code().to_owned()),
                share: u.ranked.score.share,
                earned: u.ranked.score.earned,
                possible: u.ranked.score.possible,
                unknown: u.ranked.score.unknown,
                spread: u.ranked.spread,
                top_schools: u.ranked.top_schools,
                points: u
                    .ranked
                    .score
                    .points
                    .iter()
                    .map(|p| PointDto {
                        indicator: p.indicator.clone(),
                        year: p.year.to_string(),
                        value: p.value,
                        national: p.national,
                        absolute: p.absolute,
                        better: p.better.code().to_owned(),
                        weight: p.weight,
                        points: p.points,
                        possible: p.possible,
                        explanation: explain(&ctx, p),
                    })
                    .collect(),
            })
            .collect(),
    }))
}
