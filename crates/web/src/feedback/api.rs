//! `GET /api/v1/surveys/{id}/results`: a survey's aggregates with thresholds applied — per
//! wave and per group of a programme, each question's counts, mean and median, or
//! `too_few`; published free text only. Never an answer set, never a person.

use super::report::gather;
use super::visible;
use crate::http::authorize::SignedIn;
use crate::http::error::{AppResult, ErrorBody, ValidPath};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use headway_domain::feedback::Shown;
use headway_store::feedback::WaveResults;
use serde::Serialize;
use utoipa::ToSchema;

/// A question's results in a wave (or a group of it).
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionResultDto {
    pub key: String,
    /// `scale`, `single`, `multiple`, `yes_no` or `text`.
    pub kind: String,
    /// `figures`, or `too_few` below the survey's threshold (then no figures).
    pub shown: String,
    /// Per answer slot: the scale's points 1–5, the choices in order, yes then no.
    pub counts: Vec<u32>,
    pub answers: u32,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// Free-text answers the coordinator published.
    pub texts: Vec<String>,
}

/// A group (a session of a programme) in a wave.
#[derive(Debug, Serialize, ToSchema)]
pub struct CohortDto {
    /// The session (event) id.
    pub cohort: i32,
    pub name: String,
    pub asked: u64,
    pub answered: u64,
    pub questions: Vec<QuestionResultDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WaveResultsDto {
    pub id: i32,
    pub label: String,
    /// Months after the subject ended.
    pub months: u32,
    pub opens_on: String,
    pub closes_on: String,
    /// `planned`, `open` or `closed`.
    pub status: String,
    pub asked: u64,
    pub answer_sets: u64,
    pub response_rate: Option<f64>,
    pub questions: Vec<QuestionResultDto>,
    pub cohorts: Vec<CohortDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResultsDto {
    pub id: i32,
    pub title: String,
    /// `event`, `network`, `case` or `project`.
    pub subject_kind: String,
    pub subject_id: i32,
    pub threshold: u32,
    /// The waves the caller may see.
    pub waves: Vec<WaveResultsDto>,
}

fn questions(r: &WaveResults) -> Vec<QuestionResultDto> {
    r.questions
        .iter()
        .map(|q| {
            let (shown, counts, answers, mean, median) = match &q.shown {
                Shown::Figures(d) => ("figures", d.counts.clone(), d.answers, d.mean, d.median),
                Shown::TooFew => ("too_few", vec![], 0, None, None),
            };
            QuestionResultDto {
                key: q.key.clone(),
                kind: q.kind.code().into(),
                shown: shown.into(),
                counts,
                answers,
                mean,
                median,
                texts: q.texts.clone(),
            }
        })
        .collect()
}

/// A survey's results, thresholds applied.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results",
    tag = "feedback",
    params(("id" = i32, Path, description = "The survey")),
    responses(
        (status = 200, description = "The aggregates of the waves the caller may see", body = SurveyResultsDto),
        (status = 400, description = "An id that is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Neither running the survey, counselling at its sessions nor asked in it", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn results(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<SurveyResultsDto>> {
    let (s, rel) = visible(&state, &me, id).await?;
    let g = gather(&state, s, |w| rel.sees_wave(&me, w)).await?;
    let today = chrono::Utc::now().date_naive();
    let waves = g
        .waves
        .iter()
        .map(|(w, r, cohorts)| WaveResultsDto {
            id: w.id,
            label: w.label.clone(),
            months: w.months,
            opens_on: w.opens_on.to_string(),
            closes_on: w.closes_on.to_string(),
            status: w.status(today).code().into(),
            asked: r.asked,
            answer_sets: r.sets,
            response_rate: r.response_rate(),
            questions: questions(r),
            cohorts: cohorts
                .iter()
                .map(|c| CohortDto {
                    cohort: c.cohort,
                    name: g.cohort_names.get(&c.cohort).cloned().unwrap_or_default(),
                    asked: c.asked,
                    answered: c.answered,
                    questions: questions(&c.results),
                })
                .collect(),
        })
        .collect();
    Ok(Json(SurveyResultsDto {
        id: g.survey.id,
        title: g.survey.title.clone(),
        subject_kind: g.survey.subject.0.code().into(),
        subject_id: g.survey.subject.1,
        threshold: g.survey.threshold.get(),
        waves,
    }))
}
