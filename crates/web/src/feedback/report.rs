//! A survey's report as pages and files show it: per question the waves side by side (the
//! same cohort right after and months later), each as an SVG bar chart with its count,
//! mean and median, or "too few answers" below the threshold; per wave the groups of a
//! programme compared, a group under the threshold shown as suppressed. Built once from
//! the store's results ([`gather`]) for the page, the exports and the API.

use crate::http::error::AppResult;
use crate::ui::Ctx;
use crate::AppState;
use askama::Template;
use headway_domain::feedback::{
    Distribution, Question, QuestionKind, Questionnaire, Shown, WaveStatus,
};
use headway_domain::language::Lang;
use headway_store::feedback::{
    CohortResults, FeedbackOutreach, FeedbackResults, Questionnaires, SurveyRow, WaveResults,
    WaveRow,
};
use std::collections::HashMap;

/// Everything a report needs, read from the store: the waves the reader may see, each
/// with its results and its groups'.
pub struct Gathered {
    pub survey: SurveyRow,
    pub questionnaire: Questionnaire,
    pub waves: Vec<(WaveRow, WaveResults, Vec<CohortResults>)>,
    pub cohort_names: HashMap<i32, String>,
}

/// Reads the results of the waves `sees` lets through.
pub async fn gather(
    state: &AppState,
    survey: SurveyRow,
    sees: impl Fn(i32) -> bool,
) -> AppResult<Gathered> {
    let questionnaire = state
        .store
        .questionnaire(survey.questionnaire_id)
        .await?
        .body;
    let mut waves = Vec::new();
    let mut ids = Vec::new();
    for w in survey.waves.iter().filter(|w| sees(w.id)) {
        let results = state.store.wave_results(w.id).await?;
        let cohorts = state.store.cohort_results(w.id).await?;
        ids.extend(cohorts.iter().map(|c| c.cohort));
        waves.push((w.clone(), results, cohorts));
    }
    ids.sort_unstable();
    ids.dedup();
    let cohort_names = state.store.cohort_names(&ids).await?;
    Ok(Gathered {
        survey,
        questionnaire,
        waves,
        cohort_names,
    })
}

/// One bar of a chart.
pub struct Bar {
    pub y: f64,
    pub width: f64,
    pub label: String,
    pub count: u32,
}

#[derive(Template)]
#[template(path = "feedback/bars.svg", escape = "html")]
pub struct Bars {
    pub label: String,
    pub height: f64,
    pub bars: Vec<Bar>,
}

/// The labels of a question's answer slots in `lang`: the scale's points (its ends
/// named), the choices, yes and no.
pub fn slot_labels(ctx: &Ctx, q: &Question) -> Vec<String> {
    let lang: Lang = ctx.tr.lang;
    match q.kind {
        QuestionKind::Scale => (1..=5)
            .map(|p| {
                let end = match p {
                    1 => q.low.as_ref(),
                    5 => q.high.as_ref(),
                    _ => None,
                };
                match end {
                    Some(e) => format!("{p} – {}", e.get(lang)),
                    None => p.to_string(),
                }
            })
            .collect(),
        QuestionKind::Single | QuestionKind::Multiple => {
            q.choices.iter().map(|c| c.get(lang).to_owned()).collect()
        }
        QuestionKind::YesNo => vec![ctx.t("fb-yes"), ctx.t("fb-no")],
        QuestionKind::Text => vec![],
    }
}

fn bars(label: String, labels: &[String], d: &Distribution) -> String {
    let max = d.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bars: Vec<Bar> = labels
        .iter()
        .zip(&d.counts)
        .enumerate()
        .map(|(i, (l, c))| Bar {
            y: 22.0 * i as f64,
            width: 180.0 * f64::from(*c) / max,
            label: l.chars().take(28).collect(),
            count: *c,
        })
        .collect();
    Bars {
        label,
        height: 22.0 * bars.len().max(1) as f64,
        bars,
    }
    .render()
    .unwrap_or_default()
}

/// A wave's figures for one question, as a cell of the side-by-side table.
pub enum Cell {
    TooFew,
    Figures {
        svg: String,
        answers: u32,
        mean: Option<String>,
        median: Option<String>,
        texts: Vec<String>,
    },
}

pub struct QuestionRow {
    pub key: String,
    pub text: String,
    pub kind: QuestionKind,
    pub cells: Vec<Cell>,
}

pub struct WaveColumn {
    pub id: i32,
    pub label: String,
    pub status: WaveStatus,
    pub window: String,
    pub asked: u64,
    pub sets: u64,
    pub rate: String,
}

/// A group of a wave: its numbers, and the mean of each scale question when it has enough
/// answers (else suppressed).
pub struct CohortRow {
    pub name: String,
    pub asked: u64,
    pub answered: u64,
    pub means: Option<Vec<String>>,
}

pub struct CohortTable {
    pub wave: String,
    /// The scale questions' wordings, the table's columns.
    pub questions: Vec<String>,
    pub rows: Vec<CohortRow>,
}

pub struct Report {
    pub waves: Vec<WaveColumn>,
    pub questions: Vec<QuestionRow>,
    pub cohorts: Vec<CohortTable>,
}

fn figures(shown: &Shown) -> Option<&Distribution> {
    match shown {
        Shown::Figures(d) => Some(d),
        Shown::TooFew => None,
    }
}

/// The report of `g` in the reader's language.
pub fn build(ctx: &Ctx, g: &Gathered, today: chrono::NaiveDate) -> Report {
    let lang = ctx.tr.lang;
    let waves = g
        .waves
        .iter()
        .map(|(w, r, _)| WaveColumn {
            id: w.id,
            label: w.label.clone(),
            status: w.status(today),
            window: format!(
                "{} – {}",
                ctx.date(&w.opens_on.to_string()),
                ctx.date(&w.closes_on.to_string())
            ),
            asked: r.asked,
            sets: r.sets,
            rate: r
                .response_rate()
                .map(|x| format!("{} %", ctx.decimal(100.0 * x, 0)))
                .unwrap_or_else(|| "–".into()),
        })
        .collect();
    let questions = g
        .questionnaire
        .questions()
        .map(|q| {
            let text = q.text.get(lang).to_owned();
            let labels = slot_labels(ctx, q);
            let cells = g
                .waves
                .iter()
                .map(|(w, r, _)| {
                    let Some(res) = r.questions.iter().find(|x| x.key == q.key) else {
                        return Cell::TooFew;
                    };
                    match figures(&res.shown) {
                        Some(d) => Cell::Figures {
                            svg: match q.kind {
                                QuestionKind::Text => String::new(),
                                _ => bars(format!("{text} — {}", w.label), &labels, d),
                            },
                            answers: d.answers,
                            mean: d.mean.map(|m| ctx.decimal(m, 2)),
                            median: d.median.map(|m| ctx.decimal(m, 1)),
                            texts: res.texts.clone(),
                        },
                        None => Cell::TooFew,
                    }
                })
                .collect();
            QuestionRow {
                key: q.key.clone(),
                text,
                kind: q.kind,
                cells,
            }
        })
        .collect();
    let scales: Vec<&Question> = g
        .questionnaire
        .questions()
        .filter(|q| q.kind == QuestionKind::Scale)
        .collect();
    let cohorts = g
        .waves
        .iter()
        .filter(|(_, _, cs)| !cs.is_empty())
        .map(|(w, _, cs)| CohortTable {
            wave: w.label.clone(),
            questions: scales.iter().map(|q| q.text.get(lang).to_owned()).collect(),
            rows: cs
                .iter()
                .map(|c| {
                    let means: Option<Vec<String>> = scales
                        .iter()
                        .map(|q| {
                            let r = c.results.questions.iter().find(|x| x.key == q.key)?;
                            let d = figures(&r.shown)?;
                            Some(d.mean.map(|m| ctx.decimal(m, 2)).unwrap_or_default())
                        })
                        .collect();
                    CohortRow {
                        name: g
                            .cohort_names
                            .get(&c.cohort)
                            .cloned()
                            .unwrap_or_else(|| format!("#{}", c.cohort)),
                        asked: c.asked,
                        answered: c.answered,
                        means,
                    }
                })
                .collect(),
        })
        .collect();
    Report {
        waves,
        questions,
        cohorts,
    }
}
