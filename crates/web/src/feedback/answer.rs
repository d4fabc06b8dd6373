//! Answering: the form of a wave by personal link (`/feedback/{token}`, no account) or for
//! a signed-in participant (`/feedback/waves/{wave}`), and the participant's own surveys
//! (`/feedback`). The form says how answers are kept apart from the respondent, warns a
//! group smaller than the threshold, and on a refusal shows the answers given with the
//! problem beside its question; nothing of a refused form is kept.

use crate::http::authorize::SignedIn;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath, ValidQuery};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::feedback::answers::field;
use headway_domain::feedback::{QuestionKind, Questionnaire, WaveStatus, SCALE};
use headway_domain::language::Lang;
use headway_store::feedback::{Answering, Ballot, FeedbackOutreach, Respondent, SurveyRow};
use tower_sessions::Session;

/// A question as the form shows it, with what was given when the form comes back.
pub struct QuestionView {
    pub key: String,
    pub field: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub text: String,
    /// Choices in the reader's language, numbered from 1 in the form.
    pub choices: Vec<(String, String)>,
    pub low: String,
    pub high: String,
    pub given: Vec<String>,
    pub error: Option<String>,
}

impl QuestionView {
    pub fn is(&self, kind: &str) -> bool {
        self.kind.code() == kind
    }

    pub fn chosen(&self, v: &str) -> bool {
        self.given.iter().any(|g| g == v)
    }

    pub fn text_given(&self) -> &str {
        self.given.first().map(String::as_str).unwrap_or_default()
    }
}

pub struct SectionView {
    pub title: String,
    pub questions: Vec<QuestionView>,
}

/// The questionnaire in `lang`, with the form's `given` fields and an `error` on question
/// `wrong`.
pub fn sections(
    q: &Questionnaire,
    lang: Lang,
    given: &[(String, String)],
    wrong: Option<(&str, String)>,
) -> Vec<SectionView> {
    q.sections
        .iter()
        .map(|s| SectionView {
            title: s.title.get(lang).to_owned(),
            questions: s
                .questions
                .iter()
                .map(|qu| {
                    let f = field(&qu.key);
                    QuestionView {
                        key: qu.key.clone(),
                        kind: qu.kind,
                        required: qu.required,
                        text: qu.text.get(lang).to_owned(),
                        choices: match qu.kind {
                            QuestionKind::Scale => {
                                SCALE.map(|p| (p.to_string(), p.to_string())).collect()
                            }
                            _ => qu
                                .choices
                                .iter()
                                .enumerate()
                                .map(|(i, c)| ((i + 1).to_string(), c.get(lang).to_owned()))
                                .collect(),
                        },
                        low: qu
                            .low
                            .as_ref()
                            .map(|l| l.get(lang).to_owned())
                            .unwrap_or_default(),
                        high: qu
                            .high
                            .as_ref()
                            .map(|l| l.get(lang).to_owned())
                            .unwrap_or_default(),
                        given: given
                            .iter()
                            .filter(|(k, _)| *k == f)
                            .map(|(_, v)| v.clone())
                            .collect(),
                        error: wrong
                            .as_ref()
                            .filter(|(k, _)| *k == qu.key)
                            .map(|(_, e)| e.clone()),
                        field: f,
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "feedback/answer.html")]
struct AnswerPage {
    ctx: Ctx,
    /// Where the form posts.
    action: String,
    found: Option<Found>,
    error: Option<String>,
    /// Thanks after answering.
    done: bool,
}

struct Found {
    title: String,
    wave: String,
    status: WaveStatus,
    opens: String,
    closes: String,
    answered: bool,
    /// The group is smaller than the threshold.
    small: Option<String>,
    sections: Vec<SectionView>,
}

fn found(
    ctx: &Ctx,
    b: &Ballot,
    today: chrono::NaiveDate,
    given: &[(String, String)],
    wrong: Option<(&str, String)>,
) -> Found {
    let t = b.survey.threshold.get();
    let small = (b.asked < u64::from(t)).then(|| {
        ctx.tr.args(
            "fb-small-group",
            &[
                ("asked", &b.asked.to_string()),
                ("threshold", &t.to_string()),
            ],
        )
    });
    Found {
        title: b.survey.title.clone(),
        wave: b.wave.label.clone(),
        status: b.wave.status(today),
        opens: ctx.date(&b.wave.opens_on.to_string()),
        closes: ctx.date(&b.wave.closes_on.to_string()),
        answered: b.answered,
        small,
        sections: sections(&b.questionnaire, ctx.tr.lang, given, wrong),
    }
}

/// A refused answer: a link used already or a wave not open is a conflict with the
/// state (409), an answer that does not parse a bad request (400).
fn refused(e: headway_store::StoreError) -> AppError {
    let e = AppError::from(e);
    let state = e.said.as_ref().is_some_and(|s| {
        matches!(
            s.id.as_str(),
            "feedback-already_answered" | "feedback-not_open"
        )
    });
    if state {
        e.into_conflict()
    } else {
        e
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// `?sent=1`: the page right after answering thanks; any later visit says it was answered.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Sent {
    #[serde(default)]
    pub sent: Option<String>,
}

async fn show(
    state: &AppState,
    ctx: Ctx,
    who: Respondent<'_>,
    action: String,
    refused: Option<(AppError, Vec<(String, String)>)>,
    sent: bool,
) -> AppResult<Response> {
    let ballot = state.store.ballot(who).await?;
    let (status, error, given, wrong) = match &refused {
        Some((e, given)) => {
            let wrong = e.said.as_ref().and_then(|s| {
                s.args.iter().find_map(|(k, v)| match v {
                    headway_domain::refusal::Arg::Text(q) if *k == "question" => Some(q.clone()),
                    _ => None,
                })
            });
            (e.status, Some(ctx.error_text(e)), given.clone(), wrong)
        }
        None if ballot.is_some() => (StatusCode::OK, None, vec![], None),
        None => (StatusCode::NOT_FOUND, None, vec![], None),
    };
    let found = ballot.as_ref().map(|b| {
        let wrong = wrong.as_deref().zip(error.clone());
        found(&ctx, b, today(), &given, wrong)
    });
    let done = sent && found.as_ref().is_some_and(|f| f.answered) && refused.is_none();
    let page = render(&AnswerPage {
        ctx,
        action,
        found,
        error,
        done,
    })?;
    Ok((status, page).into_response())
}

/// `GET /feedback/{token}`: the form of the link's wave.
pub async fn by_link(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
    ValidPath(token): ValidPath<String>,
    ValidQuery(q): ValidQuery<Sent>,
) -> AppResult<Response> {
    let token: String = token.chars().take(64).collect();
    // The answer is a form: a real link's page needs the session's CSRF token even for
    // someone not signed in (respondents need no account).
    let known = state
        .store
        .ballot(Respondent::Link(&token))
        .await?
        .is_some();
    let ctx = if known {
        ctx.with_form(&session).await?
    } else {
        ctx
    };
    let action = format!("/feedback/{token}");
    let sent = q.sent.is_some();
    show(&state, ctx, Respondent::Link(&token), action, None, sent).await
}

/// `POST /feedback/{token}`: stores the answers whole, or refuses and keeps nothing.
pub async fn submit_by_link(
    State(state): State<AppState>,
    ctx: Ctx,
    session: Session,
    ValidPath(token): ValidPath<String>,
    ValidForm(fields): ValidForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let token: String = token.chars().take(64).collect();
    let action = format!("/feedback/{token}");
    match state
        .store
        .answer(Respondent::Link(&token), &fields, today())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{action}?sent=1")).into_response()),
        Err(e) => {
            let e = refused(e);
            if !e.status.is_client_error() || e.status == StatusCode::NOT_FOUND {
                return Err(e);
            }
            let ctx = ctx.with_form(&session).await?;
            show(
                &state,
                ctx,
                Respondent::Link(&token),
                action,
                Some((e, fields)),
                false,
            )
            .await
        }
    }
}

fn person(me: &headway_store::accounts::Account) -> AppResult<i32> {
    me.person_id.ok_or_else(AppError::not_found)
}

/// `GET /feedback/waves/{wave}`: the form for a signed-in participant asked in the wave.
pub async fn as_person(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(wave): ValidPath<i32>,
    ValidQuery(q): ValidQuery<Sent>,
) -> AppResult<Response> {
    let who = Respondent::Person {
        wave,
        person: person(&me)?,
    };
    let action = format!("/feedback/waves/{wave}");
    show(&state, ctx, who, action, None, q.sent.is_some()).await
}

/// `POST /feedback/waves/{wave}`: as [`submit_by_link`], for the signed-in participant.
pub async fn submit_as_person(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(wave): ValidPath<i32>,
    ValidForm(fields): ValidForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let who = Respondent::Person {
        wave,
        person: person(&me)?,
    };
    let action = format!("/feedback/waves/{wave}");
    match state.store.answer(who, &fields, today()).await {
        Ok(()) => Ok(Redirect::to(&format!("{action}?sent=1")).into_response()),
        Err(e) => {
            let e = refused(e);
            if !e.status.is_client_error() || e.status == StatusCode::NOT_FOUND {
                return Err(e);
            }
            show(&state, ctx, who, action, Some((e, fields)), false).await
        }
    }
}

/// A survey the participant was asked in, with each wave they were asked in.
struct Mine {
    survey: SurveyRow,
    waves: Vec<MyWave>,
}

struct MyWave {
    id: i32,
    label: String,
    status: WaveStatus,
    closes: String,
    answered: bool,
}

#[derive(Template)]
#[template(path = "feedback/mine.html")]
struct MinePage {
    ctx: Ctx,
    mine: Vec<Mine>,
    /// Surveys the account runs (its subjects'), for coordinators and organisers.
    runs: Vec<SurveyRow>,
    can_run: bool,
    designs: bool,
}

/// `GET /feedback`: the surveys the participant was asked in (answer, or read the published
/// summary), and the surveys the account runs.
pub async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
) -> AppResult<Html<String>> {
    use crate::policy::{allows, Action};
    let day = today();
    let mine = match me.person_id {
        Some(p) => state
            .store
            .surveys_asking(p)
            .await?
            .into_iter()
            .map(|(survey, asked)| Mine {
                waves: survey
                    .waves
                    .iter()
                    .filter_map(|w| {
                        let answered = asked.iter().find(|(id, _)| *id == w.id)?.1;
                        Some(MyWave {
                            id: w.id,
                            label: w.label.clone(),
                            status: w.status(day),
                            closes: ctx.date(&w.closes_on.to_string()),
                            answered,
                        })
                    })
                    .collect(),
                survey,
            })
            .collect(),
        None => vec![],
    };
    let can_run = allows(Some(&me), Action::RunSurvey { runs: true });
    // The agency runs every survey: no subject to load for each.
    let every = allows(Some(&me), Action::RunSurvey { runs: false });
    let mut runs = Vec::new();
    if can_run {
        for s in state.store.all_surveys().await? {
            if every || super::keeps(&state, &me, s.subject.0, s.subject.1).await? {
                runs.push(s);
            }
        }
    }
    render(&MinePage {
        designs: allows(Some(&me), Action::DesignQuestionnaires),
        ctx,
        mine,
        runs,
        can_run,
    })
}
