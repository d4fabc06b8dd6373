//! Surveys: attaching a questionnaire to a subject the account keeps (an event, a network
//! with all its sessions, a guidance case) with an immediate wave and delayed waves months
//! later, asking the subject's participants (the worker does it as each wave opens; a
//! button does it now), the survey's report, and the review of free-text answers.

use super::report::{build, gather, Report};
use super::{keeps, visible, Relation};
use crate::http::authorize::{Authorized, SignedIn};
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::can::RunSomeSurvey;
use crate::policy::{allows, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::feedback::{SubjectKind, TextReview, Threshold, WavePlan, WaveStatus};
use headway_domain::input::{InputError, Problem};
use headway_domain::memberships::{ContextRole, Memberships};
use headway_store::accounts::Account;
use headway_store::events::{EventQuery, Events};
use headway_store::feedback::{
    FeedbackOutreach, FeedbackResults, NewSurvey, QuestionnaireRow, Questionnaires, SurveyRow,
    Surveys, TextAnswer,
};
use headway_store::guidance::Cases;
use headway_store::networks::{NetworkQuery, Networks};
use serde::Deserialize;

/// A subject the account may attach a survey to: `network:12`.
pub struct SubjectOption {
    pub value: String,
    pub name: String,
}

/// The subjects `me` keeps, by kind: every one for the agency's coordinators; else the
/// networks they coordinate (and those inside them), the events they organise or that
/// sit in those networks, the cases they advise.
async fn subjects(
    state: &AppState,
    me: &Account,
) -> AppResult<Vec<(SubjectKind, Vec<SubjectOption>)>> {
    let all = allows(Some(me), Action::RunSurvey { runs: false });
    let networks: Vec<_> = state
        .store
        .networks(&NetworkQuery::default())
        .await?
        .into_iter()
        .filter(|n| {
            all || me.holds(ContextRole::NetworkCoordinator, n.id)
                || n.parent_id
                    .is_some_and(|p| me.holds(ContextRole::NetworkCoordinator, p))
        })
        .collect();
    let mine: Vec<i32> = networks.iter().map(|n| n.id).collect();
    let events = state
        .store
        .events(&EventQuery::default())
        .await?
        .into_iter()
        .filter(|e| {
            !e.cancelled
                && (all
                    || me.holds(ContextRole::EventOrganiser, e.id)
                    || e.network.as_ref().is_some_and(|(n, _)| mine.contains(n)))
        })
        .map(|e| SubjectOption {
            value: format!("event:{}", e.id),
            name: format!(
                "{} ({})",
                e.title,
                e.starts_local.get(..10).unwrap_or_default()
            ),
        })
        .collect();
    let cases = state
        .store
        .cases(None)
        .await?
        .into_iter()
        .filter(|c| all || me.holds(ContextRole::CaseAdvisor, c.id))
        .map(|c| SubjectOption {
            value: format!("case:{}", c.id),
            name: format!("{} ({})", c.owner, c.starts_on),
        })
        .collect();
    let networks = networks
        .into_iter()
        .map(|n| SubjectOption {
            value: format!("network:{}", n.id),
            name: n.name,
        })
        .collect();
    Ok(vec![
        (SubjectKind::Network, networks),
        (SubjectKind::Event, events),
        (SubjectKind::Case, cases),
    ])
}

/// The form's fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SurveyForm {
    /// `network:12`, `event:3`, `case:7`.
    pub subject: String,
    pub questionnaire: String,
    pub title: String,
    pub threshold: String,
    /// `YYYY-MM-DD`; empty: when the subject ended (its last session), else today.
    pub ended_on: String,
    /// `1`: a wave right after.
    pub immediate: String,
    /// Months after for the delayed waves, comma-separated (`3, 6`).
    pub delayed: String,
    /// Days each wave stays open.
    pub open_days: String,
    /// Days after a wave opens on which non-respondents are reminded (`7, 14`).
    pub reminder_days: String,
}

impl Default for SurveyForm {
    fn default() -> Self {
        Self {
            subject: String::new(),
            questionnaire: String::new(),
            title: String::new(),
            threshold: Threshold::DEFAULT.get().to_string(),
            ended_on: String::new(),
            immediate: "1".into(),
            delayed: "3".into(),
            open_days: "14".into(),
            reminder_days: "7".into(),
        }
    }
}

fn numbers(field: &'static str, s: &str) -> Result<Vec<u32>, InputError> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            x.parse::<u32>().map_err(|_| {
                InputError::new(
                    field,
                    Problem::NotANumber {
                        value: x.chars().take(20).collect(),
                    },
                )
            })
        })
        .collect()
}

/// `network:12` as a subject.
pub fn parse_subject(s: &str) -> Result<(SubjectKind, i32), InputError> {
    let bad = || {
        InputError::new(
            "subject",
            Problem::NotOneOf {
                value: s.chars().take(40).collect(),
                allowed: "event:<id>, network:<id>, case:<id>".into(),
            },
        )
    };
    let (kind, id) = s.trim().split_once(':').ok_or_else(bad)?;
    let kind = SubjectKind::parse(kind).map_err(|_| bad())?;
    let id = id.parse::<i32>().map_err(|_| bad())?;
    Ok((kind, id))
}

#[derive(Template)]
#[template(path = "feedback/new.html")]
struct NewPage {
    ctx: Ctx,
    form: SurveyForm,
    subjects: Vec<(SubjectKind, Vec<SubjectOption>)>,
    questionnaires: Vec<QuestionnaireRow>,
    error: Option<String>,
}

impl NewPage {
    fn text(&self, l: &headway_domain::feedback::Localized) -> String {
        l.get(self.ctx.tr.lang).to_owned()
    }
}

async fn new_page(
    state: &AppState,
    ctx: Ctx,
    me: &Account,
    form: SurveyForm,
    error: Option<String>,
) -> AppResult<Html<String>> {
    render(&NewPage {
        subjects: subjects(state, me).await?,
        questionnaires: state.store.questionnaires().await?,
        ctx,
        form,
        error,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    /// Preselects a subject (`network:12`).
    #[serde(default)]
    pub subject: String,
}

/// `GET /feedback/surveys/new`: the form.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<RunSomeSurvey>,
    crate::http::error::ValidQuery(q): crate::http::error::ValidQuery<NewQuery>,
) -> AppResult<Html<String>> {
    let form = SurveyForm {
        subject: q.subject.chars().take(40).collect(),
        ..Default::default()
    };
    new_page(&state, ctx, &me, form, None).await
}

async fn to_survey(
    state: &AppState,
    ctx: &Ctx,
    me: &Account,
    f: &SurveyForm,
) -> AppResult<NewSurvey> {
    let subject = parse_subject(&f.subject)?;
    if !allows(
        Some(me),
        Action::RunSurvey {
            runs: keeps(state, me, subject.0, subject.1).await?,
        },
    ) {
        return Err(AppError::forbidden());
    }
    let questionnaire_id = f.questionnaire.trim().parse::<i32>().map_err(|_| {
        InputError::new(
            "questionnaire",
            Problem::NotANumber {
                value: f.questionnaire.chars().take(20).collect(),
            },
        )
    })?;
    let threshold = match numbers("threshold", &f.threshold)?.as_slice() {
        [] => Threshold::DEFAULT,
        [n] => Threshold::new(*n)?,
        _ => return Err(InputError::new("threshold", Problem::TooMany { max: 1 }).into()),
    };
    let open_days = match numbers("open_days", &f.open_days)?.as_slice() {
        [] => 14,
        [n] => *n,
        _ => return Err(InputError::new("open_days", Problem::TooMany { max: 1 }).into()),
    };
    let ended_on = match f.ended_on.trim() {
        "" => match state.store.subject_ended(subject.0, subject.1).await? {
            Some(d) => d,
            None => chrono::Utc::now().date_naive(),
        },
        d => headway_domain::input::date("ended_on", d)?,
    };
    let mut waves = Vec::new();
    if f.immediate == "1" {
        waves.push((ctx.t("fb-wave-now"), WavePlan::new(0, open_days)?));
    }
    for m in numbers("delayed", &f.delayed)? {
        let label = ctx.tr.args("fb-wave-later", &[("months", &m.to_string())]);
        waves.push((label, WavePlan::new(m, open_days)?));
    }
    Ok(NewSurvey {
        questionnaire_id,
        subject,
        title: f.title.clone(),
        threshold,
        reminder_days: numbers("reminder_days", &f.reminder_days)?,
        ended_on,
        waves,
    })
}

/// `POST /feedback/surveys`: creates the survey and asks the participants of any wave open
/// already; a refusal shows the form again with the problem named.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<RunSomeSurvey>,
    ValidForm(f): ValidForm<SurveyForm>,
) -> AppResult<Response> {
    let made = match to_survey(&state, &ctx, &me, &f).await {
        Ok(s) => state
            .store
            .create_survey(&me.username, s)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match made {
        Ok(id) => {
            ask_open_waves(&state, id).await?;
            Ok(Redirect::to(&format!("/feedback/surveys/{id}")).into_response())
        }
        Err(e) if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN => {
            let error = Some(ctx.error_text(&e));
            let page = new_page(&state, ctx, &me, f, error).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e),
    }
}

/// Asks the participants of the survey's open waves, with their invitations; returns how
/// many were asked.
async fn ask_open_waves(state: &AppState, id: i32) -> AppResult<u64> {
    let s = state.store.survey(id).await?;
    let today = chrono::Utc::now().date_naive();
    let people = state.store.participants(s.subject.0, s.subject.1).await?;
    let letters = crate::events::participation::letters(state);
    let mut asked = 0;
    for w in s
        .waves
        .iter()
        .filter(|w| w.status(today) == WaveStatus::Open)
    {
        asked += state.store.ask_and_invite(w.id, &people, &letters).await?.0;
    }
    Ok(asked)
}

#[derive(Template)]
#[template(path = "feedback/survey.html")]
struct SurveyPage {
    ctx: Ctx,
    survey: SurveyRow,
    subject_link: String,
    questionnaire: String,
    report: Report,
    runs: bool,
    raw: bool,
    /// The reader's own open waves not answered yet.
    to_answer: Vec<(i32, String)>,
    /// Free-text answers to review, by wave label.
    texts: Vec<(i32, String, Vec<TextAnswer>)>,
    asked_now: Option<u64>,
}

fn subject_link(s: &SurveyRow) -> String {
    match s.subject.0 {
        SubjectKind::Event => format!("/events/{}", s.subject.1),
        SubjectKind::Network => format!("/networks/{}", s.subject.1),
        SubjectKind::Case => format!("/guidance/cases/{}", s.subject.1),
        SubjectKind::Project => String::new(),
    }
}

async fn survey_page(
    state: &AppState,
    ctx: Ctx,
    me: &Account,
    s: SurveyRow,
    rel: Relation,
    asked_now: Option<u64>,
) -> AppResult<Html<String>> {
    let today = chrono::Utc::now().date_naive();
    let runs = rel.runs_it(me);
    let questionnaire = state
        .store
        .questionnaire(s.questionnaire_id)
        .await?
        .body
        .title
        .get(ctx.tr.lang)
        .to_owned();
    let mut texts = Vec::new();
    if runs {
        for w in &s.waves {
            let t = state.store.texts(w.id).await?;
            if !t.is_empty() {
                texts.push((w.id, w.label.clone(), t));
            }
        }
    }
    let to_answer = s
        .waves
        .iter()
        .filter(|w| w.status(today) == WaveStatus::Open)
        .filter(|w| {
            rel.asked
                .iter()
                .any(|(id, answered)| *id == w.id && !answered)
        })
        .map(|w| (w.id, w.label.clone()))
        .collect();
    let g = gather(state, s.clone(), |w| rel.sees_wave(me, w)).await?;
    let report = build(&ctx, &g, today);
    render(&SurveyPage {
        subject_link: subject_link(&s),
        raw: allows(Some(me), Action::RawAnswers),
        ctx,
        survey: s,
        questionnaire,
        report,
        runs,
        to_answer,
        texts,
        asked_now,
    })
}

/// `GET /feedback/surveys/{id}`: the report (the waves the reader may see), the review of
/// free text for whoever runs it.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let (s, rel) = visible(&state, &me, id).await?;
    survey_page(&state, ctx, &me, s, rel, None).await
}

/// The survey, when `me` runs it; else 403.
async fn run_by(state: &AppState, me: &Account, id: i32) -> AppResult<(SurveyRow, Relation)> {
    let (s, rel) = visible(state, me, id).await?;
    if rel.runs_it(me) {
        Ok((s, rel))
    } else {
        Err(AppError::forbidden())
    }
}

/// `POST /feedback/surveys/{id}/ask`: asks the participants of the open waves now (the
/// worker would at its next run) and says how many were newly asked.
pub async fn ask_now(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let (s, rel) = run_by(&state, &me, id).await?;
    let asked = ask_open_waves(&state, id).await?;
    survey_page(&state, ctx, &me, s, rel, Some(asked)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub wave: i32,
    pub set: String,
    pub question: String,
    /// `published` or `hidden`.
    pub review: String,
}

/// `POST /feedback/surveys/{id}/texts`: publishes or hides one free-text answer.
pub async fn review(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<ReviewForm>,
) -> AppResult<Redirect> {
    let (s, _) = run_by(&state, &me, id).await?;
    if !s.waves.iter().any(|w| w.id == f.wave) {
        return Err(AppError::not_found());
    }
    let review = TextReview::parse(f.review.trim())?;
    state
        .store
        .review_text(
            &me.username,
            f.wave,
            f.set.trim(),
            f.question.trim(),
            review,
        )
        .await?;
    Ok(Redirect::to(&format!("/feedback/surveys/{id}#review")))
}
