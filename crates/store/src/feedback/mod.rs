//! Feedback in the store: questionnaires in versions ([`Questionnaires`]), surveys with
//! their waves and the people asked in each ([`Surveys`]), answering by a personal link or
//! as a signed-in participant ([`Answering`]) and results with thresholds, reviews of free
//! text and the raw answer sets ([`FeedbackResults`]).
//!
//! Anonymous by construction: `survey_respondents` keeps that a person was asked and
//! whether they answered; `answer_sets` and `answers` keep what was answered under a random
//! id, with no time and (on SQLite) no insertion order. Answering flips the respondent's
//! flag and writes the answers in one transaction; nothing written names the other side.

#[cfg(feature = "fixtures")]
pub mod demo;
pub mod entities;
pub mod generate;
pub mod outreach;
mod results;

pub use outreach::{FeedbackOutreach, OutreachTick, Participant};
pub use results::{CohortResults, FeedbackResults, QuestionResult, TextAnswer, WaveResults};

use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use entities::{answer, answer_set, questionnaire, respondent, survey, wave};
use headway_domain::feedback::{
    parse_answers, status_on, wave_window, AnswerSet, AnswerValue, FeedbackRule, Questionnaire,
    SubjectKind, TextReview, Threshold, WavePlan, WaveStatus,
};
use headway_domain::input::{InputError, Problem, Title};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// A questionnaire's version.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionnaireRow {
    pub id: i32,
    pub key: String,
    pub version: i32,
    pub body: Questionnaire,
}

fn questionnaire_row(m: questionnaire::Model) -> Result<QuestionnaireRow> {
    let body = serde_json::from_str(&m.body)
        .map_err(|e| StoreError::Internal(format!("questionnaire {}: {e}", m.id)))?;
    Ok(QuestionnaireRow {
        id: m.id,
        key: m.template_key,
        version: m.version,
        body,
    })
}

/// Keeping questionnaire templates.
#[async_trait::async_trait]
pub trait Questionnaires {
    /// Saves `q` as template `key`: a new version when the latest is asked in a survey (or
    /// there is none), else the latest changed in place. Returns the version's id.
    async fn save_questionnaire(&self, actor: &str, key: &str, q: &Questionnaire) -> Result<i32>;
    async fn questionnaire(&self, id: i32) -> Result<QuestionnaireRow>;
    /// The latest version of each template, by key.
    async fn questionnaires(&self) -> Result<Vec<QuestionnaireRow>>;
}

#[async_trait::async_trait]
impl Questionnaires for Store {
    async fn save_questionnaire(&self, actor: &str, key: &str, q: &Questionnaire) -> Result<i32> {
        q.check()
            .map_err(|problem| StoreError::from(FeedbackRule::Questionnaire { problem }))?;
        let well_formed = (1..=40).contains(&key.len())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !well_formed {
            let allowed = "1 to 40 of a-z, 0-9, _ and -".into();
            let value = key.chars().take(40).collect();
            return Err(InputError::new("key", Problem::NotOneOf { value, allowed }).into());
        }
        let body = serde_json::to_string(q).map_err(|e| StoreError::Internal(e.to_string()))?;
        let txn = self.begin_write().await?;
        let latest = questionnaire::Entity::find()
            .filter(questionnaire::Column::TemplateKey.eq(key))
            .order_by_desc(questionnaire::Column::Version)
            .one(&*txn)
            .await?;
        let used = match &latest {
            Some(l) => {
                survey::Entity::find()
                    .filter(survey::Column::QuestionnaireId.eq(l.id))
                    .count(&*txn)
                    .await?
                    > 0
            }
            None => true,
        };
        let now = crate::now();
        let id = match latest {
            Some(l) if !used => {
                let id = l.id;
                let mut a: questionnaire::ActiveModel = l.into();
                a.title = Set(q.title.en.clone());
                a.body = Set(body);
                a.update(&*txn).await?;
                id
            }
            l => {
                questionnaire::ActiveModel {
                    template_key: Set(key.to_owned()),
                    version: Set(l.map_or(1, |l| l.version + 1)),
                    title: Set(q.title.en.clone()),
                    body: Set(body),
                    created_by: Set(actor.to_owned()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&*txn)
                .await?
                .id
            }
        };
        txn.commit_audited(crate::audit::AuditEvent {
            actor,
            action: "feedback.questionnaire",
            subject: &format!("questionnaire:{id}"),
            detail: key,
        })
        .await?;
        Ok(id)
    }

    async fn questionnaire(&self, id: i32) -> Result<QuestionnaireRow> {
        let m = questionnaire::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        questionnaire_row(m)
    }

    async fn questionnaires(&self) -> Result<Vec<QuestionnaireRow>> {
        let all = questionnaire::Entity::find()
            .order_by_asc(questionnaire::Column::TemplateKey)
            .order_by_desc(questionnaire::Column::Version)
            .all(&self.db)
            .await?;
        let mut out: Vec<QuestionnaireRow> = Vec::new();
        for m in all {
            if out.last().is_none_or(|l| l.key != m.template_key) {
                out.push(questionnaire_row(m)?);
            }
        }
        Ok(out)
    }
}

/// A survey to create: a questionnaire's version about a subject that ended on `ended_on`,
/// asked in `waves` (a label each).
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub questionnaire_id: i32,
    pub subject: (SubjectKind, i32),
    pub title: String,
    pub threshold: Threshold,
    /// Days after a wave opens on which non-respondents are reminded.
    pub reminder_days: Vec<u32>,
    pub ended_on: NaiveDate,
    pub waves: Vec<(String, WavePlan)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaveRow {
    pub id: i32,
    pub label: String,
    pub months: u32,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

impl WaveRow {
    pub fn status(&self, today: NaiveDate) -> WaveStatus {
        status_on(self.opens_on, self.closes_on, today)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRow {
    pub id: i32,
    pub questionnaire_id: i32,
    pub subject: (SubjectKind, i32),
    pub title: String,
    pub threshold: Threshold,
    pub reminder_days: Vec<u32>,
    /// By the day they open.
    pub waves: Vec<WaveRow>,
}

fn day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| StoreError::Internal(format!("{s}: {e}")))
}

fn wave_row(w: wave::Model) -> Result<WaveRow> {
    Ok(WaveRow {
        id: w.id,
        opens_on: day(&w.opens_on)?,
        closes_on: day(&w.closes_on)?,
        label: w.label,
        months: w.months.max(0) as u32,
    })
}

/// Surveys and the people asked in their waves.
#[async_trait::async_trait]
pub trait Surveys {
    /// Creates a survey with its waves (audited); the questionnaire must exist.
    async fn create_survey(&self, actor: &str, s: NewSurvey) -> Result<i32>;
    async fn survey(&self, id: i32) -> Result<SurveyRow>;
    /// The surveys of a subject, newest first.
    async fn surveys_of(&self, kind: SubjectKind, subject: i32) -> Result<Vec<SurveyRow>>;
    /// Asks `people` in wave `wave`; those already asked are left as they are. Returns each
    /// newly asked person's personal link token (only its SHA-256 is kept).
    async fn ask(&self, wave: i32, people: &[i32]) -> Result<Vec<(i32, String)>>;
}

#[async_trait::async_trait]
impl Surveys for Store {
    async fn create_survey(&self, actor: &str, s: NewSurvey) -> Result<i32> {
        let title = Title::parse("title", &s.title)?;
        if s.waves.is_empty() || s.waves.len() > 6 {
            let range = Problem::OutOfRange { min: 1.0, max: 6.0 };
            return Err(InputError::new("waves", range).into());
        }
        if s.reminder_days.len() > 5 {
            return Err(InputError::new("reminder_days", Problem::TooMany { max: 5 }).into());
        }
        let labels: Vec<Title> = s
            .waves
            .iter()
            .map(|(l, _)| Title::parse("label", l))
            .collect::<std::result::Result<_, _>>()?;
        let txn = self.begin_write().await?;
        if questionnaire::Entity::find_by_id(s.questionnaire_id)
            .count(&*txn)
            .await?
            == 0
        {
            return Err(InputError::new("questionnaire_id", Problem::NoSuchRecord).into());
        }
        let days: Vec<String> = s.reminder_days.iter().map(u32::to_string).collect();
        let row = survey::ActiveModel {
            questionnaire_id: Set(s.questionnaire_id),
            subject_kind: Set(s.subject.0.code().into()),
            subject_id: Set(s.subject.1),
            title: Set(title.as_str().into()),
            threshold: Set(s.threshold.get() as i32),
            reminder_days: Set(days.join(",")),
            created_by: Set(actor.to_owned()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        for ((_, plan), label) in s.waves.iter().zip(labels) {
            let (opens, closes) = wave_window(s.ended_on, *plan);
            wave::ActiveModel {
                survey_id: Set(row.id),
                label: Set(label.into_inner()),
                months: Set(plan.months as i32),
                opens_on: Set(opens.to_string()),
                closes_on: Set(closes.to_string()),
                ..Default::default()
            }
            .insert(&*txn)
            .await?;
        }
        txn.commit_audited(crate::audit::AuditEvent {
            actor,
            action: "feedback.survey",
            subject: &format!("survey:{}", row.id),
            detail: &format!("{} {}: {}", s.subject.0, s.subject.1, title.as_str()),
        })
        .await?;
        Ok(row.id)
    }

    async fn survey(&self, id: i32) -> Result<SurveyRow> {
        let m = survey::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(self.with_waves(vec![m]).await?.remove(0))
    }

    async fn surveys_of(&self, kind: SubjectKind, subject: i32) -> Result<Vec<SurveyRow>> {
        let ms = survey::Entity::find()
            .filter(survey::Column::SubjectKind.eq(kind.code()))
            .filter(survey::Column::SubjectId.eq(subject))
            .order_by_desc(survey::Column::Id)
            .all(&self.db)
            .await?;
        self.with_waves(ms).await
    }

    async fn ask(&self, wave: i32, people: &[i32]) -> Result<Vec<(i32, String)>> {
        let txn = self.begin_write().await?;
        if wave::Entity::find_by_id(wave).count(&*txn).await? == 0 {
            return Err(StoreError::NotFound);
        }
        let people: Vec<Participant> = people
            .iter()
            .map(|&person| Participant {
                person,
                cohort: None,
            })
            .collect();
        let tokens = Self::ask_in(&*txn, wave, &people).await?;
        txn.commit().await?;
        Ok(tokens.into_iter().map(|(p, t)| (p.person, t)).collect())
    }
}

impl Store {
    /// The ballot of respondent `r`; how many were asked is counted only when `count`
    /// (answering does not need it).
    async fn ballot_for(&self, r: &respondent::Model, count: bool) -> Result<Ballot> {
        let w = wave::Entity::find_by_id(r.wave_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let survey = self.survey(w.survey_id).await?;
        let questionnaire = self.questionnaire(survey.questionnaire_id).await?.body;
        let asked = match count {
            true => self.asked_with(r).await?,
            false => 0,
        };
        Ok(Ballot {
            survey,
            wave: wave_row(w)?,
            questionnaire,
            answered: r.answered,
            asked,
        })
    }

    /// How many were asked in `r`'s wave and cohort (the whole wave when it has none).
    async fn asked_with(&self, r: &respondent::Model) -> Result<u64> {
        let q = respondent::Entity::find().filter(respondent::Column::WaveId.eq(r.wave_id));
        let q = match r.cohort {
            Some(c) => q.filter(respondent::Column::Cohort.eq(c)),
            None => q,
        };
        Ok(q.count(&self.db).await?)
    }

    async fn with_waves(&self, ms: Vec<survey::Model>) -> Result<Vec<SurveyRow>> {
        let waves = wave::Entity::find()
            .filter(wave::Column::SurveyId.is_in(ms.iter().map(|m| m.id)))
            .order_by_asc(wave::Column::OpensOn)
            .order_by_asc(wave::Column::Id)
            .all(&self.db)
            .await?;
        ms.into_iter()
            .map(|m| {
                Ok(SurveyRow {
                    id: m.id,
                    questionnaire_id: m.questionnaire_id,
                    subject: (SubjectKind::parse(&m.subject_kind)?, m.subject_id),
                    title: m.title,
                    threshold: Threshold::new(m.threshold.max(0) as u32)?,
                    reminder_days: m
                        .reminder_days
                        .split(',')
                        .filter_map(|d| d.trim().parse().ok())
                        .collect(),
                    waves: waves
                        .iter()
                        .filter(|w| w.survey_id == m.id)
                        .cloned()
                        .map(wave_row)
                        .collect::<Result<_>>()?,
                })
            })
            .collect()
    }
}

/// Who answers: the holder of a personal link, or a signed-in person asked in a wave.
#[derive(Debug, Clone, Copy)]
pub enum Respondent<'a> {
    Link(&'a str),
    Person { wave: i32, person: i32 },
}

/// What an answer form shows: the wave, its survey and questionnaire, and whether this
/// respondent has answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Ballot {
    pub survey: SurveyRow,
    pub wave: WaveRow,
    pub questionnaire: Questionnaire,
    pub answered: bool,
    /// People asked in the wave: a group under the threshold is warned before answering.
    pub asked: u64,
}

/// Answering a wave.
#[async_trait::async_trait]
pub trait Answering {
    /// The ballot of `who`, or `None` when the link or person was never asked.
    async fn ballot(&self, who: Respondent<'_>) -> Result<Option<Ballot>>;
    /// Stores the answer form's `fields` for `who` on `today`: all of it, or — an answer
    /// that does not parse, a wave not open, a second answer — nothing.
    async fn answer(
        &self,
        who: Respondent<'_>,
        fields: &[(String, String)],
        today: NaiveDate,
    ) -> Result<()>;
    /// Rewrites the answer tables in the order of their keys, so that the order answers
    /// came in is nowhere on disk: PostgreSQL appends rows (and a respondent's changed
    /// flag) in the order they are written; SQLite's answer tables are kept in key order
    /// already and a flag changes in place. Run by the worker; idempotent.
    async fn reorder_answers(&self) -> Result<()>;
}

/// The rows of answer set `id`: one per answer, one per choice of a multiple choice (its
/// position counting them), texts with their `review`.
pub(super) fn answer_rows(
    id: &str,
    set: AnswerSet,
    review: TextReview,
) -> Vec<answer::ActiveModel> {
    let mut rows = Vec::new();
    for (key, value) in set.0 {
        let (values, reviewed) = match value {
            AnswerValue::Scale(p) => (vec![p.to_string()], None),
            AnswerValue::Choice(c) => (vec![c.to_string()], None),
            AnswerValue::Choices(cs) => (cs.iter().map(usize::to_string).collect(), None),
            AnswerValue::YesNo(y) => (vec![if y { "yes" } else { "no" }.to_owned()], None),
            AnswerValue::Text(t) => (vec![t], Some(review.code().to_owned())),
        };
        for (position, v) in values.into_iter().enumerate() {
            rows.push(answer::ActiveModel {
                set_id: Set(id.to_owned()),
                question_key: Set(key.clone()),
                position: Set(position as i32),
                value: Set(v),
                review: Set(reviewed.clone()),
            });
        }
    }
    rows
}

async fn find_respondent<C: sea_orm::ConnectionTrait>(
    c: &C,
    who: Respondent<'_>,
) -> Result<Option<respondent::Model>> {
    let q = respondent::Entity::find();
    let q = match who {
        Respondent::Link(t) => q.filter(respondent::Column::TokenHash.eq(hash(t))),
        Respondent::Person { wave, person } => q
            .filter(respondent::Column::WaveId.eq(wave))
            .filter(respondent::Column::PersonId.eq(person)),
    };
    Ok(q.one(c).await?)
}

#[async_trait::async_trait]
impl Answering for Store {
    async fn ballot(&self, who: Respondent<'_>) -> Result<Option<Ballot>> {
        match find_respondent(&self.db, who).await? {
            Some(r) => Ok(Some(self.ballot_for(&r, true).await?)),
            None => Ok(None),
        }
    }

    async fn answer(
        &self,
        who: Respondent<'_>,
        fields: &[(String, String)],
        today: NaiveDate,
    ) -> Result<()> {
        let r = find_respondent(&self.db, who)
            .await?
            .ok_or(StoreError::NotFound)?;
        let ballot = self.ballot_for(&r, false).await?;
        if ballot.answered {
            return Err(FeedbackRule::AlreadyAnswered.into());
        }
        let status = ballot.wave.status(today);
        if status != WaveStatus::Open {
            return Err(FeedbackRule::NotOpen { status }.into());
        }
        let set = parse_answers(&ballot.questionnaire, fields).map_err(FeedbackRule::from)?;
        let txn = self.begin_write().await?;
        // Only the first of two answers racing each other flips the flag.
        let flipped = respondent::Entity::update_many()
            .col_expr(respondent::Column::Answered, Expr::value(true))
            .filter(respondent::Column::Id.eq(r.id))
            .filter(respondent::Column::Answered.eq(false))
            .exec(&*txn)
            .await?;
        if flipped.rows_affected != 1 {
            return Err(FeedbackRule::AlreadyAnswered.into());
        }
        // An answer set names its group only when at least the threshold were asked in it.
        let cohort = match r.cohort {
            Some(c)
                if ballot
                    .survey
                    .threshold
                    .met(self.asked_with(&r).await? as u32) =>
            {
                Some(c)
            }
            _ => None,
        };
        let id = random_hex(16);
        answer_set::ActiveModel {
            id: Set(id.clone()),
            wave_id: Set(r.wave_id),
            cohort: Set(cohort),
        }
        .insert(&*txn)
        .await?;
        let rows = answer_rows(&id, set, TextReview::Pending);
        if !rows.is_empty() {
            answer::Entity::insert_many(rows)
                .exec_without_returning(&*txn)
                .await?;
        }
        // Not audited: an entry with its time would say who answered when.
        txn.commit().await?;
        Ok(())
    }

    async fn reorder_answers(&self) -> Result<()> {
        use sea_orm::ConnectionTrait;
        if self.db.get_database_backend() == sea_orm::DbBackend::Postgres {
            for (table, key) in [
                ("answer_sets", "answer_sets_pkey"),
                ("answers", "answers_pkey"),
                ("survey_respondents", "survey_respondents_pkey"),
            ] {
                self.db
                    .execute_unprepared(&format!("CLUSTER {table} USING {key}"))
                    .await?;
            }
        }
        Ok(())
    }
}
