//! The feedback benchmark's fixtures (`bench/feedback.sh`): a questionnaire of twenty
//! questions (scales, one and several choices, yes or no, free text), a survey whose one
//! wave is open on `today`, `sets` answer sets written in bulk (as answering writes them:
//! random ids, the respondents' flags raised), and `links` more people asked and not yet
//! answered, whose personal links are returned for the load of answers.

use super::entities::{answer, answer_set, respondent};
use super::outreach::Participant;
use super::{random_hex, NewSurvey, Questionnaires, Surveys};
use crate::entities::person;
use crate::{Result, Store};
use chrono::NaiveDate;
use headway_domain::feedback::{
    Localized, Question, QuestionKind, Questionnaire, Section, SubjectKind, TextReview, Threshold,
    WavePlan,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// What the benchmark needs: the survey, its wave, and the unanswered links.
#[derive(Debug, Clone)]
pub struct FeedbackBench {
    pub survey: i32,
    pub wave: i32,
    pub links: Vec<String>,
}

fn t(s: &str) -> Localized {
    Localized::new(s, "", "", "")
}

/// Twenty questions: twelve scales, three of one choice, two of several, two yes-or-no and
/// one free text.
pub fn twenty() -> Questionnaire {
    let questions = (1..=20)
        .map(|i| {
            let kind = match i {
                1..=12 => QuestionKind::Scale,
                13..=15 => QuestionKind::Single,
                16..=17 => QuestionKind::Multiple,
                18..=19 => QuestionKind::YesNo,
                _ => QuestionKind::Text,
            };
            let choices = match kind {
                QuestionKind::Single | QuestionKind::Multiple => {
                    (1..=5).map(|c| t(&format!("Choice {c}"))).collect()
                }
                _ => vec![],
            };
            Question {
                key: format!("q{i:02}"),
                kind,
                required: kind != QuestionKind::Text,
                text: t(&format!("Question {i}")),
                choices,
                low: None,
                high: None,
            }
        })
        .collect();
    Questionnaire {
        title: t("Benchmark: twenty questions"),
        sections: vec![Section {
            title: t("All"),
            questions,
        }],
    }
}

/// The answer form of one respondent, varied by `n`: what the load posts.
pub fn answers_of(n: u64) -> Vec<(String, String)> {
    let mut f = Vec::new();
    for i in 1..=20u64 {
        let key = format!("q_q{i:02}");
        let v = (n.wrapping_mul(2_654_435_761) >> (i % 16)) ^ i;
        match i {
            1..=12 => f.push((key, (1 + v % 5).to_string())),
            13..=15 => f.push((key, (1 + v % 5).to_string())),
            16..=17 => {
                f.push((key.clone(), (1 + v % 5).to_string()));
                f.push((key, (1 + (v / 5) % 5).to_string()));
            }
            18..=19 => f.push((key, if v.is_multiple_of(3) { "no" } else { "yes" }.into())),
            _ => {
                if v.is_multiple_of(4) {
                    f.push((key, format!("Remark number {n}.")));
                }
            }
        }
    }
    f
}

impl Store {
    pub async fn generate_feedback_bench(
        &self,
        sets: u32,
        links: u32,
        today: NaiveDate,
    ) -> Result<FeedbackBench> {
        let q = twenty();
        let questionnaire_id = self
            .save_questionnaire("system:bench", "bench-20", &q)
            .await?;
        let survey = self
            .create_survey(
                "system:bench",
                NewSurvey {
                    questionnaire_id,
                    subject: (SubjectKind::Event, 0),
                    title: "Benchmark survey".into(),
                    threshold: Threshold::DEFAULT,
                    reminder_days: vec![],
                    ended_on: today,
                    waves: vec![("Right after".into(), WavePlan::new(0, 30)?)],
                },
            )
            .await?;
        let wave = self.survey(survey).await?.waves[0].id;
        let now = crate::now();
        let total = sets + links;
        for chunk in (0..total).collect::<Vec<_>>().chunks(1000) {
            let txn = self.begin_write().await?;
            person::Entity::insert_many(chunk.iter().map(|n| person::ActiveModel {
                given_name: Set("Respondent".into()),
                family_name: Set(format!("Number {n}")),
                email: Set(Some(format!("respondent{n}@bench.invalid"))),
                search_key: Set(format!("respondent number {n}")),
                created_at: Set(now.clone()),
                ..Default::default()
            }))
            .exec_without_returning(&*txn)
            .await?;
            txn.commit().await?;
        }
        let people: Vec<Participant> = person::Entity::find()
            .filter(person::Column::Email.like("respondent%@bench.invalid"))
            .order_by_asc(person::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| Participant {
                person: p.id,
                cohort: None,
            })
            .collect();
        let txn = self.begin_write().await?;
        let asked = Self::ask_in(&*txn, wave, &people).await?;
        txn.commit().await?;
        let (answered, open) = asked.split_at((sets as usize).min(asked.len()));
        let q = self.questionnaire(questionnaire_id).await?.body;
        for (k, chunk) in answered.chunks(250).enumerate() {
            let txn = self.begin_write().await?;
            let ids: Vec<i32> = chunk.iter().map(|(p, _)| p.person).collect();
            respondent::Entity::update_many()
                .col_expr(respondent::Column::Answered, Expr::value(true))
                .filter(respondent::Column::WaveId.eq(wave))
                .filter(respondent::Column::PersonId.is_in(ids))
                .exec(&*txn)
                .await?;
            let mut set_rows = Vec::new();
            let mut rows = Vec::new();
            for (i, _) in chunk.iter().enumerate() {
                let set =
                    headway_domain::feedback::parse_answers(&q, &answers_of((k * 250 + i) as u64))
                        .map_err(|e| crate::StoreError::Internal(e.to_string()))?;
                let id = random_hex(16);
                set_rows.push(answer_set::ActiveModel {
                    id: Set(id.clone()),
                    wave_id: Set(wave),
                    cohort: Set(None),
                });
                rows.extend(super::answer_rows(&id, set, TextReview::Published));
            }
            answer_set::Entity::insert_many(set_rows)
                .exec_without_returning(&*txn)
                .await?;
            for part in rows.chunks(1000) {
                answer::Entity::insert_many(part.to_vec())
                    .exec_without_returning(&*txn)
                    .await?;
            }
            txn.commit().await?;
        }
        Ok(FeedbackBench {
            survey,
            wave,
            links: open.iter().map(|(_, t)| t.clone()).collect(),
        })
    }
}
