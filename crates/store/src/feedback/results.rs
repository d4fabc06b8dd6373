//! A wave's results: how many were asked and answered, per question its distribution shown
//! only above the survey's threshold, free-text answers once the coordinator published
//! them; the review of those texts, and the raw answer sets for administrators (under their
//! random ids, in the order of those ids).

use super::entities::{answer, answer_set, respondent, wave};
use super::{Questionnaires, Surveys};
use crate::{Result, Store, StoreError};
use headway_domain::feedback::{
    publish, shown_groups, summarize, AnswerValue, Distribution, Question, QuestionKind,
    Questionnaire, Shown, TextReview,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub key: String,
    pub kind: QuestionKind,
    pub shown: Shown,
    /// Published texts (a text question above the threshold), in the order of their sets'
    /// random ids.
    pub texts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaveResults {
    pub wave: i32,
    pub asked: u64,
    /// Answer sets stored (one per respondent who answered).
    pub sets: u64,
    pub questions: Vec<QuestionResult>,
}

impl WaveResults {
    /// Answer sets per person asked.
    pub fn response_rate(&self) -> Option<f64> {
        (self.asked > 0).then(|| self.sets as f64 / self.asked as f64)
    }
}

/// A group of a wave (a session of a programme): how many were asked and answered in it,
/// and its results — shown only when the group has enough answers and showing it does not
/// give away a smaller group's ([`headway_domain::feedback::shown_groups`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CohortResults {
    pub cohort: i32,
    pub asked: u64,
    pub answered: u64,
    pub results: WaveResults,
}

/// A free-text answer as its reviewer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextAnswer {
    pub set_id: String,
    pub question: String,
    pub text: String,
    pub review: TextReview,
}

/// Reading what was answered.
#[async_trait::async_trait]
pub trait FeedbackResults {
    /// The wave's results with the survey's threshold applied; three queries.
    async fn wave_results(&self, wave: i32) -> Result<WaveResults>;
    /// The wave's groups, by id, with their results (thresholds applied, and groups that
    /// would give a smaller one away withheld); five queries.
    async fn cohort_results(&self, wave: i32) -> Result<Vec<CohortResults>>;
    /// Every free-text answer of the wave with its review, for the coordinator.
    async fn texts(&self, wave: i32) -> Result<Vec<TextAnswer>>;
    /// Publishes or hides one free-text answer (audited by its random id only).
    async fn review_text(
        &self,
        actor: &str,
        wave: i32,
        set_id: &str,
        question: &str,
        review: TextReview,
    ) -> Result<()>;
    /// Every answer set of the wave: `(random id, [(question, value)])`, by id.
    async fn answer_sets(&self, wave: i32) -> Result<Vec<(String, Vec<(String, String)>)>>;
}

impl Store {
    async fn wave_answers(&self, wave: i32) -> Result<Vec<answer::Model>> {
        let sets = Query::select()
            .column(answer_set::Column::Id)
            .from(answer_set::Entity)
            .and_where(Expr::col(answer_set::Column::WaveId).eq(wave))
            .to_owned();
        Ok(answer::Entity::find()
            .filter(answer::Column::SetId.in_subquery(sets))
            .order_by_asc(answer::Column::SetId)
            .order_by_asc(answer::Column::QuestionKey)
            .order_by_asc(answer::Column::Position)
            .all(&self.db)
            .await?)
    }
}

/// The answers to `q` in `rows` as values, one per set.
fn values(q: &Question, rows: &[&answer::Model]) -> Vec<AnswerValue> {
    let mut by_set: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in rows {
        by_set.entry(&r.set_id).or_default().push(&r.value);
    }
    by_set
        .into_values()
        .filter_map(|vs| {
            let first = *vs.first()?;
            Some(match q.kind {
                QuestionKind::Scale => AnswerValue::Scale(first.parse().ok()?),
                QuestionKind::Single => AnswerValue::Choice(first.parse().ok()?),
                QuestionKind::Multiple => {
                    AnswerValue::Choices(vs.iter().filter_map(|v| v.parse().ok()).collect())
                }
                QuestionKind::YesNo => AnswerValue::YesNo(first == "yes"),
                QuestionKind::Text => AnswerValue::Text(first.to_owned()),
            })
        })
        .collect()
}

/// Each question of `q` with the distribution of its answers in `rows` and its published
/// texts (in the order of their sets' random ids).
fn distributions<'q>(
    q: &'q Questionnaire,
    rows: &[&answer::Model],
) -> Vec<(&'q Question, Distribution, Vec<String>)> {
    q.questions()
        .map(|question| {
            let mine: Vec<&answer::Model> = rows
                .iter()
                .copied()
                .filter(|r| r.question_key == question.key)
                .collect();
            let vals = values(question, &mine);
            let d = summarize(question, &vals.iter().collect::<Vec<_>>());
            let texts = mine
                .iter()
                .filter(|r| r.review.as_deref() == Some(TextReview::Published.code()))
                .map(|r| r.value.clone())
                .collect();
            (question, d, texts)
        })
        .collect()
}

fn question_result(question: &Question, shown: Shown, texts: Vec<String>) -> QuestionResult {
    let texts = match (&shown, question.kind) {
        (Shown::Figures(_), QuestionKind::Text) => texts,
        _ => vec![],
    };
    QuestionResult {
        key: question.key.clone(),
        kind: question.kind,
        shown,
        texts,
    }
}

#[async_trait::async_trait]
impl FeedbackResults for Store {
    async fn wave_results(&self, wave: i32) -> Result<WaveResults> {
        let w = wave::Entity::find_by_id(wave)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let survey = self.survey(w.survey_id).await?;
        let q = self.questionnaire(survey.questionnaire_id).await?.body;
        let asked = respondent::Entity::find()
            .filter(respondent::Column::WaveId.eq(wave))
            .count(&self.db)
            .await?;
        let sets = answer_set::Entity::find()
            .filter(answer_set::Column::WaveId.eq(wave))
            .count(&self.db)
            .await?;
        let rows = self.wave_answers(wave).await?;
        let all: Vec<&answer::Model> = rows.iter().collect();
        let questions = distributions(&q, &all)
            .into_iter()
            .map(|(question, d, texts)| {
                let shown = publish(d, sets as u32, survey.threshold);
                question_result(question, shown, texts)
            })
            .collect();
        Ok(WaveResults {
            wave,
            asked,
            sets,
            questions,
        })
    }

    async fn cohort_results(&self, wave: i32) -> Result<Vec<CohortResults>> {
        let w = wave::Entity::find_by_id(wave)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let survey = self.survey(w.survey_id).await?;
        let q = self.questionnaire(survey.questionnaire_id).await?.body;
        let t = survey.threshold;
        // cohort → (asked, answered)
        let mut people: BTreeMap<i32, (u64, u64)> = BTreeMap::new();
        for r in respondent::Entity::find()
            .filter(respondent::Column::WaveId.eq(wave))
            .filter(respondent::Column::Cohort.is_not_null())
            .all(&self.db)
            .await?
        {
            if let Some(c) = r.cohort {
                let e = people.entry(c).or_default();
                e.0 += 1;
                e.1 += u64::from(r.answered);
            }
        }
        if people.is_empty() {
            return Ok(vec![]);
        }
        let sets = answer_set::Entity::find()
            .filter(answer_set::Column::WaveId.eq(wave))
            .all(&self.db)
            .await?;
        let of_set: HashMap<&str, Option<i32>> =
            sets.iter().map(|s| (s.id.as_str(), s.cohort)).collect();
        let rows = self.wave_answers(wave).await?;
        let cohorts: Vec<i32> = people.keys().copied().collect();
        let in_cohort = |c: i32| -> Vec<&answer::Model> {
            rows.iter()
                .filter(|r| of_set.get(r.set_id.as_str()).copied().flatten() == Some(c))
                .collect()
        };
        let set_counts: Vec<u32> = cohorts
            .iter()
            .map(|c| sets.iter().filter(|s| s.cohort == Some(*c)).count() as u32)
            .collect();
        let by_sets = shown_groups(sets.len() as u32, &set_counts, t);
        let all: Vec<&answer::Model> = rows.iter().collect();
        let totals = distributions(&q, &all);
        let per: Vec<Vec<(&Question, Distribution, Vec<String>)>> = cohorts
            .iter()
            .map(|c| distributions(&q, &in_cohort(*c)))
            .collect();
        // Per question, the same rule over its answers.
        let by_question: Vec<Vec<bool>> = totals
            .iter()
            .enumerate()
            .map(|(k, (_, d, _))| {
                let counts: Vec<u32> = per
                    .iter()
                    .zip(&by_sets)
                    .map(|(p, shown)| if *shown { p[k].1.answers } else { 0 })
                    .collect();
                shown_groups(d.answers, &counts, t)
            })
            .collect();
        Ok(cohorts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (asked, answered) = people[c];
                let questions = per[i]
                    .iter()
                    .enumerate()
                    .map(|(k, (question, d, texts))| {
                        let shown = if by_sets[i] && by_question[k][i] {
                            publish(d.clone(), set_counts[i], t)
                        } else {
                            Shown::TooFew
                        };
                        question_result(question, shown, texts.clone())
                    })
                    .collect();
                CohortResults {
                    cohort: *c,
                    asked,
                    answered,
                    results: WaveResults {
                        wave,
                        asked,
                        sets: u64::from(set_counts[i]),
                        questions,
                    },
                }
            })
            .collect())
    }

    async fn texts(&self, wave: i32) -> Result<Vec<TextAnswer>> {
        Ok(self
            .wave_answers(wave)
            .await?
            .into_iter()
            .filter_map(|r| {
                let review = TextReview::parse(r.review.as_deref()?).ok()?;
                Some(TextAnswer {
                    set_id: r.set_id,
                    question: r.question_key,
                    text: r.value,
                    review,
                })
            })
            .collect())
    }

    async fn review_text(
        &self,
        actor: &str,
        wave: i32,
        set_id: &str,
        question: &str,
        review: TextReview,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let in_wave = answer_set::Entity::find_by_id(set_id.to_owned())
            .filter(answer_set::Column::WaveId.eq(wave))
            .count(&*txn)
            .await?;
        let done = answer::Entity::update_many()
            .col_expr(answer::Column::Review, Expr::value(review.code()))
            .filter(answer::Column::SetId.eq(set_id))
            .filter(answer::Column::QuestionKey.eq(question))
            .filter(answer::Column::Review.is_not_null())
            .exec(&*txn)
            .await?;
        if in_wave == 0 || done.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        txn.commit_audited(crate::audit::AuditEvent {
            actor,
            action: "feedback.review",
            subject: &format!("wave:{wave}"),
            detail: &format!("{set_id} {question} {review}"),
        })
        .await?;
        Ok(())
    }

    async fn answer_sets(&self, wave: i32) -> Result<Vec<(String, Vec<(String, String)>)>> {
        let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for r in self.wave_answers(wave).await? {
            match out.last_mut() {
                Some((id, vs)) if *id == r.set_id => vs.push((r.question_key, r.value)),
                _ => out.push((r.set_id, vec![(r.question_key, r.value)])),
            }
        }
        Ok(out)
    }
}
