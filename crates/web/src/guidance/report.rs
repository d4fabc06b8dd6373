//! Evaluation and the case report: the owner's indicators at the baseline and at the latest
//! follow-up against the nation (a table and a before/after chart), a follow-up snapshot
//! taken by a party, and the whole case as a page to print and as a PDF — or one year of
//! it (`?year=1`): what was recorded, signed, met and referred in that year, the measures
//! due in it, and the indicators at its end against the baseline.

use super::cases::{party_of, visible_case};
use super::chart::Profile;
use super::indicators::{indicator_label, number};
use crate::http::authorize::SignedIn;
use crate::http::error::{AppError, AppResult, ValidPath, ValidQuery};
use crate::ui::pdf::TextPdf;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use headway_domain::guidance::assessment::Better;
use headway_domain::guidance::cases::{case_years, CaseYear, Output, Party, Phase};
use headway_domain::guidance::indicators::definition;
use headway_domain::register::parse_date;
use headway_store::guidance::{CaseDetail, Evaluation, Snapshot, SnapshotValue};
use serde::Deserialize;

/// One indicator's row: name, baseline, latest, nation (latest), all as shown.
pub struct EvalRow {
    pub indicator: String,
    pub baseline: String,
    pub latest: String,
    pub national: String,
}

/// The case's evaluation: its snapshots' dates, rows and the before/after chart.
pub struct Evaluated {
    pub baseline_on: String,
    pub latest_on: String,
    pub rows: Vec<EvalRow>,
    pub chart: Option<String>,
}

fn shown(ctx: &Ctx, v: Option<&SnapshotValue>) -> String {
    match v {
        Some(SnapshotValue {
            hidden: Some(h), ..
        }) => ctx.label(h),
        Some(SnapshotValue {
            value: Some(x),
            indicator,
            period,
            ..
        }) => {
            format!("{} ({period})", number(ctx, indicator, *x))
        }
        _ => "–".into(),
    }
}

/// The evaluation of `snapshots` (oldest first): the first against the last.
pub fn evaluate(ctx: &Ctx, snapshots: &[Snapshot]) -> AppResult<Option<Evaluated>> {
    let (Some(first), Some(last)) = (snapshots.first(), snapshots.last()) else {
        return Ok(None);
    };
    let mut codes: Vec<&str> = first
        .values
        .iter()
        .chain(&last.values)
        .map(|v| v.indicator.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let find = |s: &'_ Snapshot, c: &str| s.values.iter().find(|v| v.indicator == c).cloned();
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for c in codes {
        let (b, l) = (find(first, c), find(last, c));
        let label = indicator_label(ctx, c);
        rows.push(EvalRow {
            baseline: shown(ctx, b.as_ref()),
            latest: shown(ctx, l.as_ref()),
            national: l
                .as_ref()
                .and_then(|v| v.national)
                .map(|n| number(ctx, c, n))
                .unwrap_or_default(),
            indicator: label.clone(),
        });
        let better = definition(c).map_or(Better::Higher, |d| d.better);
        for (v, when) in [(b, &first.taken_on), (l, &last.taken_on)] {
            if let Some(SnapshotValue {
                value: Some(x),
                national: Some(n),
                hidden: None,
                ..
            }) = v
            {
                let d = match better {
                    Better::Higher => x - n,
                    Better::Lower => n - x,
                };
                let values = ctx.tr.args(
                    "ind-profile-values",
                    &[
                        ("value", &number(ctx, c, x)),
                        ("national", &number(ctx, c, n)),
                    ],
                );
                bars.push((format!("{label} ({})", ctx.date(when)), values, d));
            }
        }
    }
    let chart = match bars.is_empty() {
        true => None,
        false => Some(Profile::new(ctx.t("case-evaluation-chart"), bars, 5.0).render()?),
    };
    Ok(Some(Evaluated {
        baseline_on: ctx.date(&first.taken_on),
        latest_on: ctx.date(&last.taken_on),
        rows,
        chart,
    }))
}

pub async fn follow_up(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Redirect> {
    visible_case(&state, &me, id).await?;
    party_of(&me, id).ok_or_else(AppError::forbidden)?;
    let today = chrono::Utc::now().date_naive();
    state.store.follow_up(&me.username, id, today).await?;
    Ok(Redirect::to(&format!("/guidance/cases/{id}#evaluation")))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportParams {
    /// One year of the case (from 1); the whole case when left out.
    pub year: Option<u32>,
}

/// A year of the case as its report heads it.
pub struct YearView {
    pub number: u32,
    pub from: String,
    pub to: String,
    /// The year has ended: the report is final.
    pub ended: bool,
    /// Phases both parties had signed off by the year's end, signed in it.
    pub completed: Vec<Phase>,
    /// The year's number, span and whether it has ended, as a sentence.
    pub line: String,
}

fn day(stamp: &str) -> Option<NaiveDate> {
    parse_date(stamp.get(..10)?)
}

/// The case and its snapshots as far as `y` goes: what was recorded, signed, met and
/// referred in it, the measures due in it, the snapshots taken by its end.
fn in_year(
    mut c: CaseDetail,
    snapshots: Vec<Snapshot>,
    y: &CaseYear,
) -> (CaseDetail, Vec<Snapshot>, Vec<Phase>) {
    let within = |s: &str| day(s).is_some_and(|d| y.contains(d));
    c.outputs.retain(|o| within(&o.recorded_at));
    c.meetings.retain(|m| within(&m.held_on));
    c.referrals.retain(|r| within(&r.referred_on));
    for g in c.goals.iter_mut() {
        g.measures.retain(|m| within(&m.deadline));
    }
    c.goals.retain(|g| !g.measures.is_empty());
    let completed = Phase::ALL
        .iter()
        .copied()
        .filter(|p| {
            let signed: Vec<_> = c.signoffs.iter().filter(|s| s.phase == *p).collect();
            let both = [Party::Advisor, Party::Owner]
                .iter()
                .all(|party| signed.iter().any(|s| s.party == *party));
            let last = signed.iter().filter_map(|s| day(&s.at)).max();
            both && last.is_some_and(|d| y.contains(d))
        })
        .collect();
    c.signoffs.retain(|s| within(&s.at));
    let snapshots = snapshots
        .into_iter()
        .filter(|s| day(&s.taken_on).is_some_and(|d| d <= y.to))
        .collect();
    (c, snapshots, completed)
}

/// The case (or the year `p` asks for) with the snapshots its evaluation uses; a year the
/// case does not have is not found.
async fn reported(
    state: &AppState,
    ctx: &Ctx,
    c: CaseDetail,
    p: &ReportParams,
) -> AppResult<(CaseDetail, Option<Evaluated>, Option<YearView>)> {
    let snapshots = state.store.snapshots(c.summary.id).await?;
    let Some(n) = p.year else {
        return Ok((c, evaluate(ctx, &snapshots)?, None));
    };
    let span = (day(&c.summary.starts_on), day(&c.summary.ends_on));
    let (Some(start), Some(end)) = span else {
        return Err(AppError::internal("a case without its dates"));
    };
    let y = case_years(start, end)
        .into_iter()
        .find(|y| y.number == n)
        .ok_or_else(AppError::not_found)?;
    let (c, snapshots, completed) = in_year(c, snapshots, &y);
    let today = chrono::Utc::now().date_naive();
    let mut view = YearView {
        number: y.number,
        from: ctx.date(&y.from.to_string()),
        to: ctx.date(&y.to.to_string()),
        ended: y.ended(today),
        completed,
        line: String::new(),
    };
    view.line = year_line(ctx, &view);
    Ok((c, evaluate(ctx, &snapshots)?, Some(view)))
}

/// The years of a case, as links to their reports: (number, from – to, ended).
pub fn year_links(ctx: &Ctx, c: &CaseDetail) -> Vec<(u32, String, bool)> {
    let today = chrono::Utc::now().date_naive();
    match (day(&c.summary.starts_on), day(&c.summary.ends_on)) {
        (Some(a), Some(b)) => case_years(a, b)
            .into_iter()
            .filter(|y| y.from <= today)
            .map(|y| {
                let span = format!(
                    "{} – {}",
                    ctx.date(&y.from.to_string()),
                    ctx.date(&y.to.to_string())
                );
                (y.number, span, y.ended(today))
            })
            .collect(),
        _ => vec![],
    }
}

#[derive(Template)]
#[template(path = "guidance/report.html")]
struct ReportPage {
    ctx: Ctx,
    c: CaseDetail,
    outputs: Vec<(Phase, Vec<(Output, String)>)>,
    evaluation: Option<Evaluated>,
    year: Option<YearView>,
    years: Vec<(u32, String, bool)>,
    /// The year shown (0: the whole case).
    current: u32,
}

fn outputs_by_phase(c: &CaseDetail) -> Vec<(Phase, Vec<(Output, String)>)> {
    Phase::ALL
        .iter()
        .map(|p| {
            let texts = p
                .outputs()
                .iter()
                .filter_map(|o| {
                    c.outputs
                        .iter()
                        .find(|r| r.output == *o)
                        .map(|r| (*o, r.text.clone()))
                })
                .collect();
            (*p, texts)
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
    ValidQuery(p): ValidQuery<ReportParams>,
) -> AppResult<Html<String>> {
    let c = visible_case(&state, &me, id).await?;
    let years = year_links(&ctx, &c);
    let (c, evaluation, year) = reported(&state, &ctx, c, &p).await?;
    render(&ReportPage {
        outputs: outputs_by_phase(&c),
        ctx,
        c,
        evaluation,
        current: year.as_ref().map_or(0, |y| y.number),
        year,
        years,
    })
}

pub async fn pdf(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ctx: Ctx,
    ValidPath(id): ValidPath<i32>,
    ValidQuery(q): ValidQuery<ReportParams>,
) -> AppResult<Response> {
    let c = visible_case(&state, &me, id).await?;
    let (c, evaluation, year) = reported(&state, &ctx, c, &q).await?;
    let t = |k: &str| ctx.t(k);
    let s = &c.summary;
    let mut p = TextPdf::new()?;
    let title = match &year {
        Some(y) => format!(
            "{} — {}",
            ctx.tr
                .args("case-year-report", &[("number", &y.number.to_string())]),
            s.owner
        ),
        None => format!("{} — {}", t("case-report"), s.owner),
    };
    p.title(&title);
    if let Some(y) = &year {
        p.para(&y.line);
        if !y.completed.is_empty() {
            let phases: Vec<String> = y.completed.iter().map(|p| ctx.label(p)).collect();
            p.para(&format!(
                "{}: {}",
                t("case-year-completed"),
                phases.join(", ")
            ));
        }
    }
    p.para(&format!(
        "{}: {} – {}. {}: {}.",
        t("case-period"),
        ctx.date(&s.starts_on),
        ctx.date(&s.ends_on),
        t("case-phase"),
        if s.closed {
            t("case-closed")
        } else {
            ctx.label(&s.phase)
        }
    ));
    let names = |v: &[(i32, String)]| {
        v.iter()
            .map(|x| x.1.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    p.para(&format!("{}: {}", t("case-advisors"), names(&c.advisors)));
    p.para(&format!("{}: {}", t("case-contacts"), names(&c.contacts)));
    for (phase, texts) in outputs_by_phase(&c) {
        if texts.is_empty() {
            continue;
        }
        p.heading(&ctx.label(&phase));
        for (o, text) in texts {
            p.para(&format!("{}: {text}", ctx.label(&o)));
        }
    }
    if !c.goals.is_empty() {
        p.heading(&t("case-goals"));
        for g in &c.goals {
            p.para(&format!("{}. {}", g.priority, g.title));
            for m in &g.measures {
                p.para(&format!(
                    "  – {} ({}, {}): {}",
                    m.what,
                    m.responsible,
                    ctx.date(&m.deadline),
                    ctx.label(&m.status)
                ));
            }
        }
    }
    if !c.meetings.is_empty() {
        p.heading(&t("case-meetings"));
        for m in &c.meetings {
            p.para(&format!(
                "{} — {}: {}",
                ctx.date(&m.held_on),
                m.participants,
                m.minutes
            ));
        }
    }
    if !c.referrals.is_empty() {
        p.heading(&t("case-referrals"));
        for r in &c.referrals {
            p.para(&format!(
                "{}: {} — {}",
                ctx.date(&r.referred_on),
                r.name,
                r.topic
            ));
        }
    }
    if let Some(e) = &evaluation {
        p.heading(&t("case-evaluation"));
        p.para(&ctx.tr.args(
            "case-evaluation-dates",
            &[("baseline", &e.baseline_on), ("latest", &e.latest_on)],
        ));
        for r in &e.rows {
            p.para(&format!(
                "{}: {} → {} ({} {})",
                r.indicator,
                r.baseline,
                r.latest,
                t("ind-national"),
                r.national
            ));
        }
    }
    let bytes = p.finish(&title, ctx.lang())?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                match &year {
                    Some(y) => format!("attachment; filename=\"case-{id}-year-{}.pdf\"", y.number),
                    None => format!("attachment; filename=\"case-{id}.pdf\""),
                },
            ),
        ],
        bytes,
    )
        .into_response())
}

/// "Year 1: 15 August 2025 – 14 August 2026 (ended)" in the reader's language.
pub fn year_line(ctx: &Ctx, y: &YearView) -> String {
    ctx.tr.args(
        match y.ended {
            true => "case-year-span-ended",
            false => "case-year-span-running",
        },
        &[
            ("number", &y.number.to_string()),
            ("from", &y.from),
            ("to", &y.to),
        ],
    )
}
