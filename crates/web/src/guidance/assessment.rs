//! The assessment of school owners for guidance (the agency's coordinators): the ranked
//! list for a school year with the rules in force, and one municipality's points, each
//! explained in the reader's language.

use super::indicators::{indicator_label, number};
use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidPath, ValidQuery};
use crate::policy::can::AssessOwners;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use headway_domain::accounts::Role;
use headway_domain::guidance::assessment::{Point, Rules, SchoolYear};
use headway_domain::guidance::cases::Decision;
use headway_store::guidance::{Assessment, Assessments, Cases, DecisionRow, Selection};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentParams {
    /// The school year assessed (`2025-26`) with the ones before it; the latest when
    /// left out. One in this form that names no school year has nothing to assess.
    #[param(pattern = "^([0-9]{4}-[0-9]{2})?$")]
    pub period: Option<String>,
}

/// The assessment `p` asks for: its year (the latest with values when none is given).
pub async fn assessment_for(
    state: &AppState,
    p: &AssessmentParams,
) -> AppResult<std::sync::Arc<Assessment>> {
    let year = match p.period.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => match SchoolYear::parse("period", s) {
            Ok(y) => y,
            Err(_) if super::indicators::period_shaped(s) => return Err(AppError::not_found()),
            Err(e) => return Err(e.into()),
        },
        None => match state.store.assessment_years().await?.first() {
            Some(y) => *y,
            None => return Err(AppError::not_found()),
        },
    };
    Ok(state
        .store
        .cached_assessment(year, &state.config.guidance)
        .await?)
}

/// One point as a sentence: "Reading, grade 5, 2024-25: 47 scale points, national 50,
/// absolute limit 45: 1 point (of 3)".
pub fn explain(ctx: &Ctx, p: &Point) -> String {
    let label = indicator_label(ctx, &p.indicator);
    let year = p.year.to_string();
    match (p.value, p.national, p.points) {
        (Some(v), Some(n), Some(points)) => ctx.tr.args(
            "guid-point",
            &[
                ("indicator", &label),
                ("year", &year),
                ("value", &number(ctx, &p.indicator, v)),
                ("unit", &ctx.t(&format!("unit-{}", unit_of(&p.indicator)))),
                ("national", &number(ctx, &p.indicator, n)),
                ("absolute", &number(ctx, &p.indicator, p.absolute)),
                ("points", &points.to_string()),
                ("possible", &p.possible.to_string()),
                ("better", &ctx.label(&p.better)),
            ],
        ),
        (None, ..) => ctx.tr.args(
            "guid-point-unknown",
            &[("indicator", &label), ("year", &year)],
        ),
        _ => ctx.tr.args(
            "guid-point-no-national",
            &[("indicator", &label), ("year", &year)],
        ),
    }
}

fn unit_of(code: &str) -> &'static str {
    headway_domain::guidance::indicators::definition(code).map_or("value", |d| d.unit)
}

/// The rules in force, as rows of (what, value).
pub fn rules_rows(ctx: &Ctx, r: &Rules, used: &[String]) -> Vec<(String, String)> {
    let mut rows = vec![
        (ctx.t("guid-rule-lookback"), r.lookback_years.to_string()),
        (ctx.t("guid-rule-national"), r.national_points.to_string()),
        (ctx.t("guid-rule-absolute"), r.absolute_points.to_string()),
        (ctx.t("guid-rule-first"), r.first_count.to_string()),
        (ctx.t("guid-rule-second"), r.second_count.to_string()),
        (ctx.t("guid-rule-spread"), ctx.decimal(r.spread_level, 1)),
        (
            ctx.t("guid-rule-top"),
            format!("{} %", ctx.decimal(100.0 * r.top_schools, 0)),
        ),
    ];
    for i in r.indicators.iter().filter(|i| used.contains(&i.code)) {
        rows.push((
            ctx.tr.args(
                "guid-rule-indicator",
                &[("indicator", &indicator_label(ctx, &i.code))],
            ),
            ctx.tr.args(
                "guid-rule-indicator-value",
                &[
                    ("absolute", &number(ctx, &i.code, i.absolute)),
                    ("weight", &i.weight.to_string()),
                    ("better", &ctx.label(&i.better)),
                ],
            ),
        ));
    }
    rows
}

/// The indicators the assessment had values of.
fn used(a: &Assessment) -> Vec<String> {
    let mut codes: Vec<String> = a
        .units
        .iter()
        .flat_map(|u| u.ranked.score.points.iter().map(|p| p.indicator.clone()))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

pub struct ListRow {
    pub rank: u32,
    pub code: String,
    pub name: String,
    pub share: String,
    pub earned: String,
    pub unknown: u32,
    pub category: String,
    pub spread: String,
    pub top_schools: u32,
}

#[derive(Template)]
#[template(path = "guidance/assessment.html")]
struct ListPage {
    ctx: Ctx,
    year: String,
    years: String,
    choices: Vec<String>,
    rules: Vec<(String, String)>,
    rows: Vec<ListRow>,
    schools: usize,
}

fn share(ctx: &Ctx, s: Option<f64>) -> String {
    s.map(|x| format!("{} %", ctx.decimal(x, 1)))
        .unwrap_or_else(|| ctx.t("guid-unassessed"))
}

pub async fn list(
    State(state): State<AppState>,
    _who: Authorized<AssessOwners>,
    ctx: Ctx,
    ValidQuery(mut p): ValidQuery<AssessmentParams>,
) -> AppResult<Html<String>> {
    // The years to choose from, read once: the latest is also the default.
    let choices: Vec<String> = state
        .store
        .assessment_years()
        .await?
        .iter()
        .map(|y| y.to_string())
        .collect();
    if p.period.as_deref().is_none_or(|s| s.trim().is_empty()) {
        p.period = choices.first().cloned();
    }
    let a = assessment_for(&state, &p).await?;
    let rows = a
        .units
        .iter()
        .map(|u| ListRow {
            rank: u.ranked.rank,
            code: u.unit.trim_start_matches("no:kommune:").to_owned(),
            name: u.name.clone(),
            share: share(&ctx, u.ranked.score.share),
            earned: format!("{} / {}", u.ranked.score.earned, u.ranked.score.possible),
            unknown: u.ranked.score.unknown,
            category: u.ranked.category.map(|c| ctx.label(&c)).unwrap_or_default(),
            spread: u
                .ranked
                .spread
                .map(|s| ctx.decimal(s, 1))
                .unwrap_or_default(),
            top_schools: u.ranked.top_schools,
        })
        .collect();
    render(&ListPage {
        rules: rules_rows(&ctx, &a.rules, &used(&a)),
        year: a.year.to_string(),
        years: format!("{}–{}", a.years.first().copied().unwrap_or(a.year), a.year),
        choices,
        schools: a.schools,
        rows,
        ctx,
    })
}

#[derive(Template)]
#[template(path = "guidance/municipality.html")]
struct MunicipalityPage {
    ctx: Ctx,
    code: String,
    name: String,
    year: String,
    rank: u32,
    of: usize,
    share: String,
    earned: u32,
    possible: u32,
    unknown: u32,
    category: String,
    points: Vec<(String, bool)>,
    rules: Vec<(String, String)>,
    /// The owner in the directory, the decision on it this year, its running case.
    organization: Option<i32>,
    decision: Option<DecisionRow>,
    decisions: &'static [Decision],
    case: Option<i32>,
    advisors: Vec<(i32, String)>,
    today: String,
}

pub async fn municipality(
    State(state): State<AppState>,
    _who: Authorized<AssessOwners>,
    ctx: Ctx,
    ValidPath(code): ValidPath<String>,
    ValidQuery(p): ValidQuery<AssessmentParams>,
) -> AppResult<Html<String>> {
    if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::not_found());
    }
    let a = assessment_for(&state, &p).await?;
    let key = format!("no:kommune:{code}");
    let Some(u) = a.units.iter().find(|u| u.unit == key) else {
        return Err(AppError::not_found());
    };
    let sc = &u.ranked.score;
    let organization = state.store.organization_id(&key).await?;
    let (decision, case) = match organization {
        Some(org) => (
            state
                .store
                .decisions(a.year)
                .await?
                .into_iter()
                .find(|d| d.organization_id == org),
            state
                .store
                .cases(None)
                .await?
                .into_iter()
                .find(|c| c.organization_id == org && !c.closed)
                .map(|c| c.id),
        ),
        None => (None, None),
    };
    let advisors = state
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| a.role == Role::Advisor)
        .map(|a| (a.id, a.display_name))
        .collect();
    render(&MunicipalityPage {
        organization,
        decision,
        decisions: Decision::ALL,
        case,
        advisors,
        today: chrono::Utc::now().date_naive().to_string(),
        points: sc
            .points
            .iter()
            .map(|p| (explain(&ctx, p), p.points.is_none()))
            .collect(),
        rules: rules_rows(&ctx, &a.rules, &used(&a)),
        share: share(&ctx, sc.share),
        category: u.ranked.category.map(|c| ctx.label(&c)).unwrap_or_default(),
        year: a.year.to_string(),
        rank: u.ranked.rank,
        of: a.units.len(),
        earned: sc.earned,
        possible: sc.possible,
        unknown: sc.unknown,
        name: u.name.clone(),
        code,
        ctx,
    })
}
