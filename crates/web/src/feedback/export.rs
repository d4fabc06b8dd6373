//! A survey's aggregates as CSV and XLSX (one row per wave, group, question and answer
//! slot; thresholds applied, a suppressed row says so and carries no figures), and the raw
//! anonymous answer sets for administrators (by random id; no group, no person, no time).

use super::report::{gather, slot_labels, Gathered};
use super::visible;
use crate::http::authorize::{Authorized, SignedIn};
use crate::http::error::{AppResult, ValidPath};
use crate::policy::can::RawAnswers;
use crate::ui::export::{Cell, Table};
use crate::ui::Ctx;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use headway_domain::feedback::Shown;
use headway_store::feedback::{FeedbackResults, Surveys, WaveResults};

const HEADER: [&str; 12] = [
    "wave",
    "group",
    "question",
    "wording",
    "kind",
    "answer",
    "count",
    "answers",
    "mean",
    "median",
    "answer_sets",
    "shown",
];

fn rows(ctx: &Ctx, g: &Gathered, table: &mut Table, wave: &str, group: &str, r: &WaveResults) {
    for q in g.questionnaire.questions() {
        let Some(res) = r.questions.iter().find(|x| x.key == q.key) else {
            continue;
        };
        let base = |answer: String, count: Option<u32>| -> Vec<Cell> {
            vec![
                wave.into(),
                group.into(),
                q.key.as_str().into(),
                q.text.get(ctx.tr.lang).into(),
                q.kind.code().into(),
                answer.into(),
                count.map_or(Cell::Text(String::new()), |c| Cell::Number(f64::from(c))),
            ]
        };
        match &res.shown {
            Shown::TooFew => {
                let mut row = base(String::new(), None);
                row.extend([
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Number(r.sets as f64),
                    "too_few".into(),
                ]);
                table.push(row);
            }
            Shown::Figures(d) => {
                let labels = slot_labels(ctx, q);
                let slots: Vec<(String, Option<u32>)> = if labels.is_empty() {
                    vec![(String::new(), None)]
                } else {
                    labels
                        .into_iter()
                        .zip(d.counts.iter().map(|c| Some(*c)))
                        .collect()
                };
                for (answer, count) in slots {
                    let mut row = base(answer, count);
                    row.extend([
                        Cell::Number(f64::from(d.answers)),
                        d.mean.map_or(Cell::Text(String::new()), Cell::Number),
                        d.median.map_or(Cell::Text(String::new()), Cell::Number),
                        Cell::Number(r.sets as f64),
                        "figures".into(),
                    ]);
                    table.push(row);
                }
            }
        }
    }
}

/// The aggregates of the waves the reader may see.
async fn table(
    state: &AppState,
    ctx: &Ctx,
    me: &headway_store::accounts::Account,
    id: i32,
) -> AppResult<(Table, String)> {
    let (s, rel) = visible(state, me, id).await?;
    let g = gather(state, s, |w| rel.sees_wave(me, w)).await?;
    let mut t = Table::new(HEADER.to_vec());
    let all = ctx.t("fb-all-groups");
    for (w, r, cohorts) in &g.waves {
        rows(ctx, &g, &mut t, &w.label, &all, r);
        for c in cohorts {
            let name = g
                .cohort_names
                .get(&c.cohort)
                .cloned()
                .unwrap_or_else(|| format!("#{}", c.cohort));
            rows(ctx, &g, &mut t, &w.label, &name, &c.results);
        }
    }
    Ok((t, format!("survey-{id}-results")))
}

/// `GET /feedback/surveys/{id}/results.csv`.
pub async fn csv(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    let (t, name) = table(&state, &ctx, &me, id).await?;
    t.csv_response(&name)
}

/// `GET /feedback/surveys/{id}/results.xlsx`.
pub async fn xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    let (t, name) = table(&state, &ctx, &me, id).await?;
    t.xlsx_response(&name)
}

/// `GET /feedback/surveys/{id}/sets.csv`: every answer set of every wave under its random
/// id, for administrators.
pub async fn raw(
    State(state): State<AppState>,
    _who: Authorized<RawAnswers>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Response> {
    let s = state.store.survey(id).await?;
    let mut t = Table::new(vec!["wave", "answer_set", "question", "value"]);
    for w in &s.waves {
        for (set, answers) in state.store.answer_sets(w.id).await? {
            for (q, v) in answers {
                t.push(vec![
                    w.label.as_str().into(),
                    set.as_str().into(),
                    q.into(),
                    v.into(),
                ]);
            }
        }
    }
    t.csv_response(&format!("survey-{id}-answer-sets"))
}
