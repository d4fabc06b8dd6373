//! Reaching respondents: whom a survey asks (its subject's participants, each in the
//! cohort of the session they took part in), and the worker's step that asks them when a
//! wave opens and reminds those who have not answered — letters through the outbox in each
//! recipient's language, deduplicated by key so that any server may run it.
//!
//! A personal link is known only when it is made: the store keeps its SHA-256. A reminder
//! therefore carries a fresh link and the earlier one stops working (the answer page says
//! to use the latest letter's link).

use super::entities::{respondent, survey, wave};
use super::{hash, random_hex, SurveyRow, Surveys, WaveRow};
use crate::entities::membership;
use crate::events::entities::{event, registration};
use crate::networks::entities::network;
use crate::{outbox, Result, Store};
use chrono::NaiveDate;
use headway_domain::events::participation::RegStatus;
use headway_domain::feedback::{reminder_due, SubjectKind};
use headway_domain::mail::{Letter, Letters};
use headway_domain::memberships::{ContextKind, ContextRole};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Someone a survey asks, and the cohort (the session) they are asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Participant {
    pub person: i32,
    pub cohort: Option<i32>,
}

/// What one run of the worker's step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutreachTick {
    /// People newly asked (each sent an invitation when they have an address).
    pub asked: u64,
    pub invitations: u64,
    pub reminders: u64,
}

/// Asking and reminding.
#[async_trait::async_trait]
pub trait FeedbackOutreach {
    /// Whom a survey of `subject` asks, by person: an event's confirmed participants who
    /// were not marked absent (cohort: the event); a network's, those of the sessions of
    /// the network and the networks inside it (cohort: each session), and its people
    /// (no cohort); a guidance case's, the owner's contacts. A development project asks
    /// nobody yet.
    async fn participants(&self, kind: SubjectKind, subject: i32) -> Result<Vec<Participant>>;
    /// The day the subject's work ended, from which waves count: an event's last day, a
    /// network's last session (else its end); `None` when the subject says none.
    async fn subject_ended(&self, kind: SubjectKind, subject: i32) -> Result<Option<NaiveDate>>;
    /// The names of cohorts (sessions), by id.
    async fn cohort_names(&self, ids: &[i32]) -> Result<HashMap<i32, String>>;
    /// Asks `people` in `wave` (those asked already are left as they are) and queues each
    /// new respondent's invitation with their personal link, in one transaction. Returns
    /// how many were asked and how many letters were queued.
    async fn ask_and_invite(
        &self,
        wave: i32,
        people: &[Participant],
        letters: &dyn Letters,
    ) -> Result<(u64, u64)>;
    /// The waves of survey `survey` that `person` was asked in, and whether they answered.
    async fn asked_in(&self, survey: i32, person: i32) -> Result<Vec<(i32, bool)>>;
    /// The cohorts (sessions) people were asked about in survey `survey`.
    async fn survey_cohorts(&self, survey: i32) -> Result<Vec<i32>>;
    /// The surveys that asked `person`, newest first, with the waves as in [`Self::asked_in`].
    async fn surveys_asking(&self, person: i32) -> Result<Vec<(SurveyRow, Vec<(i32, bool)>)>>;
    /// Every survey, newest first.
    async fn all_surveys(&self) -> Result<Vec<SurveyRow>>;
    /// The worker's step on `today`: every open wave asks its subject's participants not
    /// asked yet, and reminds, on its survey's days, those who have not answered.
    async fn feedback_tick(&self, today: NaiveDate, letters: &dyn Letters) -> Result<OutreachTick>;
}

/// The letters of a wave: an invitation or a reminder, each with a personal link.
struct Mailing<'a> {
    letters: &'a dyn Letters,
    recipients: &'a outbox::Recipients,
    survey: &'a str,
    wave: &'a WaveRow,
}

impl Mailing<'_> {
    /// Queues `person`'s letter with `token`'s link once per `key`; false when they have no
    /// address.
    async fn send<C: ConnectionTrait>(
        &self,
        c: &C,
        person: i32,
        token: &str,
        reminder: bool,
        key: String,
    ) -> Result<bool> {
        let Some(p) = self.recipients.people.get(&person) else {
            return Ok(false);
        };
        let Some(email) = p.email.as_deref().filter(|m| !m.is_empty()) else {
            return Ok(false);
        };
        let (given_name, survey, wave) = (
            p.given_name.clone(),
            self.survey.to_owned(),
            self.wave.label.clone(),
        );
        let (closes_on, path) = (self.wave.closes_on, format!("/feedback/{token}"));
        let letter = match reminder {
            true => Letter::SurveyReminder {
                given_name,
                survey,
                wave,
                closes_on,
                path,
            },
            false => Letter::SurveyInvitation {
                given_name,
                survey,
                wave,
                closes_on,
                path,
            },
        };
        let lang = self
            .recipients
            .language(person, self.letters.default_language());
        outbox::queue(c, self.letters, email, lang, &letter, key).await?;
        Ok(true)
    }
}

/// The network and every network inside it, from `root`.
async fn network_tree<C: ConnectionTrait>(c: &C, root: i32) -> Result<Vec<i32>> {
    let mut all = vec![root];
    let mut frontier = vec![root];
    // A handful of levels at most (programme → region → group).
    while !frontier.is_empty() && all.len() < 10_000 {
        let next: Vec<i32> = network::Entity::find()
            .filter(network::Column::ParentId.is_in(frontier.clone()))
            .all(c)
            .await?
            .into_iter()
            .map(|n| n.id)
            .filter(|id| !all.contains(id))
            .collect();
        all.extend(&next);
        frontier = next;
    }
    Ok(all)
}

async fn sessions_of<C: ConnectionTrait>(c: &C, networks: Vec<i32>) -> Result<Vec<event::Model>> {
    Ok(event::Entity::find()
        .filter(event::Column::NetworkId.is_in(networks))
        .filter(event::Column::Status.ne("cancelled"))
        .order_by_asc(event::Column::StartsUtc)
        .all(c)
        .await?)
}

async fn took_part<C: ConnectionTrait>(c: &C, events: Vec<i32>) -> Result<Vec<Participant>> {
    let mut out = Vec::new();
    for chunk in events.chunks(500) {
        for r in registration::Entity::find()
            .filter(registration::Column::EventId.is_in(chunk.to_vec()))
            .filter(registration::Column::Status.eq(RegStatus::Confirmed.code()))
            .all(c)
            .await?
        {
            if r.attended != Some(false) {
                out.push(Participant {
                    person: r.person_id,
                    cohort: Some(r.event_id),
                });
            }
        }
    }
    Ok(out)
}

/// One entry per person: the first cohort found for them (by session, then none).
fn once_each(mut all: Vec<Participant>) -> Vec<Participant> {
    all.sort_by_key(|p| (p.person, p.cohort.is_none(), p.cohort));
    all.dedup_by_key(|p| p.person);
    all
}

impl Store {
    async fn people_holding(
        &self,
        context: ContextKind,
        ids: Vec<i32>,
        roles: &[ContextRole],
    ) -> Result<Vec<i32>> {
        let ms = membership::Entity::find()
            .filter(membership::Column::ContextKind.eq(context.code()))
            .filter(membership::Column::ContextId.is_in(ids))
            .filter(membership::Column::Role.is_in(roles.iter().map(|r| r.code())))
            .all(&self.db)
            .await?;
        let mut people: Vec<i32> = ms.iter().filter_map(|m| m.person_id).collect();
        let accounts: Vec<i32> = ms.iter().filter_map(|m| m.account_id).collect();
        if !accounts.is_empty() {
            use crate::entities::user;
            people.extend(
                user::Entity::find()
                    .filter(user::Column::Id.is_in(accounts))
                    .all(&self.db)
                    .await?
                    .into_iter()
                    .filter_map(|u| u.person_id),
            );
        }
        Ok(people)
    }

    /// The ids of survey `survey_id`'s waves.
    async fn wave_ids(&self, survey_id: i32) -> Result<Vec<i32>> {
        Ok(wave::Entity::find()
            .filter(wave::Column::SurveyId.eq(survey_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|w| w.id)
            .collect())
    }

    /// Asks `people` in `wave` inside `txn`; returns each new respondent with their link.
    pub(super) async fn ask_in<C: ConnectionTrait>(
        txn: &C,
        wave: i32,
        people: &[Participant],
    ) -> Result<Vec<(Participant, String)>> {
        let asked: HashSet<i32> = respondent::Entity::find()
            .filter(respondent::Column::WaveId.eq(wave))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.person_id)
            .collect();
        let fresh = once_each(
            people
                .iter()
                .copied()
                .filter(|p| !asked.contains(&p.person))
                .collect(),
        );
        let tokens: Vec<(Participant, String)> =
            fresh.into_iter().map(|p| (p, random_hex(24))).collect();
        for chunk in tokens.chunks(500) {
            respondent::Entity::insert_many(chunk.iter().map(|(p, t)| respondent::ActiveModel {
                wave_id: Set(wave),
                person_id: Set(p.person),
                cohort: Set(p.cohort),
                token_hash: Set(hash(t)),
                answered: Set(false),
                reminders: Set(0),
                ..Default::default()
            }))
            .exec_without_returning(txn)
            .await?;
        }
        Ok(tokens)
    }

    async fn open_waves(&self, today: NaiveDate) -> Result<Vec<(wave::Model, survey::Model)>> {
        let day = today.to_string();
        let waves = wave::Entity::find()
            .filter(wave::Column::OpensOn.lte(day.clone()))
            .filter(wave::Column::ClosesOn.gte(day))
            .order_by_asc(wave::Column::Id)
            .all(&self.db)
            .await?;
        let surveys: HashMap<i32, survey::Model> = survey::Entity::find()
            .filter(survey::Column::Id.is_in(waves.iter().map(|w| w.survey_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        Ok(waves
            .into_iter()
            .filter_map(|w| {
                let s = surveys.get(&w.survey_id)?.clone();
                Some((w, s))
            })
            .collect())
    }

    /// Reminds the wave's non-respondents whose next reminder is due: each gets a fresh
    /// link, counted so that two servers never remind the same person twice.
    async fn remind_wave(
        &self,
        w: &WaveRow,
        s: &survey::Model,
        today: NaiveDate,
        letters: &dyn Letters,
    ) -> Result<u64> {
        let offsets: Vec<u32> = s
            .reminder_days
            .split(',')
            .filter_map(|d| d.trim().parse().ok())
            .collect();
        let due: Vec<respondent::Model> = respondent::Entity::find()
            .filter(respondent::Column::WaveId.eq(w.id))
            .filter(respondent::Column::Answered.eq(false))
            .order_by_asc(respondent::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|r| {
                reminder_due(
                    w.opens_on,
                    w.closes_on,
                    &offsets,
                    r.reminders.max(0) as u32,
                    today,
                )
            })
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let ids: Vec<i32> = due.iter().map(|r| r.person_id).collect();
        let recipients = outbox::Recipients::read(&self.db, &ids).await?;
        let mail = Mailing {
            letters,
            recipients: &recipients,
            survey: &s.title,
            wave: w,
        };
        let txn = self.begin_write().await?;
        let mut queued = 0;
        for r in due {
            let token = random_hex(24);
            let moved = respondent::Entity::update_many()
                .col_expr(respondent::Column::TokenHash, Expr::value(hash(&token)))
                .col_expr(respondent::Column::Reminders, Expr::value(r.reminders + 1))
                .filter(respondent::Column::Id.eq(r.id))
                .filter(respondent::Column::Reminders.eq(r.reminders))
                .filter(respondent::Column::Answered.eq(false))
                .exec(&*txn)
                .await?;
            if moved.rows_affected != 1 {
                continue;
            }
            let key = format!("feedback-remind:{}:{}", r.id, r.reminders + 1);
            queued += u64::from(mail.send(&*txn, r.person_id, &token, true, key).await?);
        }
        txn.commit().await?;
        Ok(queued)
    }
}

#[async_trait::async_trait]
impl FeedbackOutreach for Store {
    async fn participants(&self, kind: SubjectKind, subject: i32) -> Result<Vec<Participant>> {
        let all = match kind {
            SubjectKind::Event => took_part(&self.db, vec![subject]).await?,
            SubjectKind::Network => {
                let tree = network_tree(&self.db, subject).await?;
                let sessions = sessions_of(&self.db, tree.clone()).await?;
                let mut all = took_part(&self.db, sessions.iter().map(|e| e.id).collect()).await?;
                let roles = [ContextRole::NetworkMember, ContextRole::CoordinationGroup];
                for person in self
                    .people_holding(ContextKind::Network, tree, &roles)
                    .await?
                {
                    all.push(Participant {
                        person,
                        cohort: None,
                    });
                }
                all
            }
            SubjectKind::Case => self
                .people_holding(
                    ContextKind::GuidanceCase,
                    vec![subject],
                    &[ContextRole::CaseOwnerContact],
                )
                .await?
                .into_iter()
                .map(|person| Participant {
                    person,
                    cohort: None,
                })
                .collect(),
            SubjectKind::Project => vec![],
        };
        Ok(once_each(all))
    }

    async fn subject_ended(&self, kind: SubjectKind, subject: i32) -> Result<Option<NaiveDate>> {
        let day = |local: &str| local.get(..10).and_then(|d| d.parse::<NaiveDate>().ok());
        Ok(match kind {
            SubjectKind::Event => event::Entity::find_by_id(subject)
                .one(&self.db)
                .await?
                .and_then(|e| day(&e.ends_local)),
            SubjectKind::Network => {
                let tree = network_tree(&self.db, subject).await?;
                let last = sessions_of(&self.db, tree)
                    .await?
                    .iter()
                    .filter_map(|e| day(&e.ends_local))
                    .max();
                match last {
                    Some(d) => Some(d),
                    None => network::Entity::find_by_id(subject)
                        .one(&self.db)
                        .await?
                        .and_then(|n| n.ends_on.as_deref().and_then(day)),
                }
            }
            SubjectKind::Case | SubjectKind::Project => None,
        })
    }

    async fn cohort_names(&self, ids: &[i32]) -> Result<HashMap<i32, String>> {
        Ok(event::Entity::find()
            .filter(event::Column::Id.is_in(ids.to_vec()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.title))
            .collect())
    }

    async fn ask_and_invite(
        &self,
        wave_id: i32,
        people: &[Participant],
        letters: &dyn Letters,
    ) -> Result<(u64, u64)> {
        let w = wave::Entity::find_by_id(wave_id)
            .one(&self.db)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        let asked: HashSet<i32> = respondent::Entity::find()
            .filter(respondent::Column::WaveId.eq(wave_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.person_id)
            .collect();
        // Most runs find nobody new: they write nothing.
        if people.iter().all(|p| asked.contains(&p.person)) {
            return Ok((0, 0));
        }
        let s = self.survey(w.survey_id).await?;
        let w = super::wave_row(w)?;
        let ids: Vec<i32> = people.iter().map(|p| p.person).collect();
        let recipients = outbox::Recipients::read(&self.db, &ids).await?;
        let mail = Mailing {
            letters,
            recipients: &recipients,
            survey: &s.title,
            wave: &w,
        };
        let txn = self.begin_write().await?;
        let fresh = Self::ask_in(&*txn, wave_id, people).await?;
        let mut queued = 0;
        for (p, token) in &fresh {
            let key = format!("feedback-invite:{wave_id}:{}", p.person);
            queued += u64::from(mail.send(&*txn, p.person, token, false, key).await?);
        }
        txn.commit().await?;
        Ok((fresh.len() as u64, queued))
    }

    async fn asked_in(&self, survey_id: i32, person: i32) -> Result<Vec<(i32, bool)>> {
        let waves = self.wave_ids(survey_id).await?;
        Ok(respondent::Entity::find()
            .filter(respondent::Column::WaveId.is_in(waves))
            .filter(respondent::Column::PersonId.eq(person))
            .order_by_asc(respondent::Column::WaveId)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.wave_id, r.answered))
            .collect())
    }

    async fn survey_cohorts(&self, survey_id: i32) -> Result<Vec<i32>> {
        let waves = self.wave_ids(survey_id).await?;
        let mut cohorts: Vec<i32> = respondent::Entity::find()
            .select_only()
            .column(respondent::Column::Cohort)
            .distinct()
            .filter(respondent::Column::WaveId.is_in(waves))
            .filter(respondent::Column::Cohort.is_not_null())
            .into_tuple::<Option<i32>>()
            .all(&self.db)
            .await?
            .into_iter()
            .flatten()
            .collect();
        cohorts.sort_unstable();
        cohorts.dedup();
        Ok(cohorts)
    }

    async fn surveys_asking(&self, person: i32) -> Result<Vec<(SurveyRow, Vec<(i32, bool)>)>> {
        let asked = respondent::Entity::find()
            .filter(respondent::Column::PersonId.eq(person))
            .all(&self.db)
            .await?;
        let waves = wave::Entity::find()
            .filter(wave::Column::Id.is_in(asked.iter().map(|r| r.wave_id)))
            .all(&self.db)
            .await?;
        let ms = survey::Entity::find()
            .filter(survey::Column::Id.is_in(waves.iter().map(|w| w.survey_id)))
            .order_by_desc(survey::Column::Id)
            .all(&self.db)
            .await?;
        let rows = self.with_waves(ms).await?;
        Ok(rows
            .into_iter()
            .map(|s| {
                let mine = s
                    .waves
                    .iter()
                    .filter_map(|w| {
                        asked
                            .iter()
                            .find(|r| r.wave_id == w.id)
                            .map(|r| (w.id, r.answered))
                    })
                    .collect();
                (s, mine)
            })
            .collect())
    }

    async fn all_surveys(&self) -> Result<Vec<SurveyRow>> {
        let ms = survey::Entity::find()
            .order_by_desc(survey::Column::Id)
            .all(&self.db)
            .await?;
        self.with_waves(ms).await
    }

    async fn feedback_tick(&self, today: NaiveDate, letters: &dyn Letters) -> Result<OutreachTick> {
        let mut tick = OutreachTick::default();
        // The participants of a subject are read once however many of its waves are open.
        let mut of_subject: BTreeMap<(String, i32), Vec<Participant>> = BTreeMap::new();
        for (w, s) in self.open_waves(today).await? {
            let key = (s.subject_kind.clone(), s.subject_id);
            if !of_subject.contains_key(&key) {
                let kind = SubjectKind::parse(&s.subject_kind)?;
                let people = self.participants(kind, s.subject_id).await?;
                of_subject.insert(key.clone(), people);
            }
            let people = of_subject.get(&key).map(Vec::as_slice).unwrap_or_default();
            let (asked, invited) = self.ask_and_invite(w.id, people, letters).await?;
            tick.asked += asked;
            tick.invitations += invited;
            let row = super::wave_row(w)?;
            tick.reminders += self.remind_wave(&row, &s, today, letters).await?;
        }
        Ok(tick)
    }
}
