//! Feedback in the web: questionnaire templates (`/feedback/questionnaires`), surveys of an
//! event, a network or a guidance case asked in waves (`/feedback/surveys`), the answer
//! form by personal link (`/feedback/{token}`, no account) or for a signed-in participant
//! (`/feedback/waves/{wave}`), reports with thresholds applied (page, CSV, XLSX and
//! `/api/v1/surveys/{id}/results`), the review of free text, and raw anonymous answer sets
//! for administrators.
//!
//! Who sees what is the policy's ([`relation`] works out the account's relation to a
//! survey's subject); what a page can show at all is the store's (thresholds, reviews).

pub mod answer;
pub mod api;
pub mod export;
pub mod questionnaires;
pub mod report;
pub mod surveys;

use crate::events::pages::organises;
use crate::http::error::AppResult;
use crate::networks::pages::coordinates;
use crate::policy::{allows, Action};
use crate::routes::{
    get, post, Access::Allowed, Access::Public, Access::SignedIn, Feature, RouteDef,
};
use crate::AppState;
use axum::routing as h;
use headway_domain::feedback::SubjectKind;
use headway_domain::memberships::{ContextRole, Memberships};
use headway_store::accounts::Account;
use headway_store::events::Events;
use headway_store::feedback::{FeedbackOutreach, SurveyRow, Surveys};
use headway_store::networks::Networks;
use utoipa::OpenApi;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: ApiDoc::openapi,
};

const DESIGNS: crate::routes::Access = Allowed(Action::DesignQuestionnaires);
const RUNS: crate::routes::Access = Allowed(Action::RunSurvey { runs: true });

fn routes() -> Vec<RouteDef> {
    vec![
        get("/feedback", SignedIn, h::get(answer::mine)),
        get(
            "/feedback/questionnaires",
            DESIGNS,
            h::get(questionnaires::list),
        ),
        post(
            "/feedback/questionnaires",
            DESIGNS,
            h::post(questionnaires::create),
        ),
        get(
            "/feedback/questionnaires/{id}",
            DESIGNS,
            h::get(questionnaires::page),
        ),
        post(
            "/feedback/questionnaires/{id}/questions",
            DESIGNS,
            h::post(questionnaires::add_question),
        ),
        post(
            "/feedback/questionnaires/{id}/questions/{key}/remove",
            DESIGNS,
            h::post(questionnaires::remove_question),
        ),
        get("/feedback/surveys/new", RUNS, h::get(surveys::new_form)),
        post("/feedback/surveys", RUNS, h::post(surveys::create)),
        get("/feedback/surveys/{id}", SignedIn, h::get(surveys::page)),
        post(
            "/feedback/surveys/{id}/ask",
            SignedIn,
            h::post(surveys::ask_now),
        ),
        post(
            "/feedback/surveys/{id}/texts",
            SignedIn,
            h::post(surveys::review),
        ),
        get(
            "/feedback/surveys/{id}/results.csv",
            SignedIn,
            h::get(export::csv),
        ),
        get(
            "/feedback/surveys/{id}/results.xlsx",
            SignedIn,
            h::get(export::xlsx),
        ),
        get(
            "/feedback/surveys/{id}/sets.csv",
            Allowed(Action::RawAnswers),
            h::get(export::raw),
        ),
        get(
            "/feedback/waves/{wave}",
            SignedIn,
            h::get(answer::as_person),
        ),
        post(
            "/feedback/waves/{wave}",
            SignedIn,
            h::post(answer::submit_as_person),
        ),
        get("/feedback/{token}", Public, h::get(answer::by_link)),
        post("/feedback/{token}", Public, h::post(answer::submit_by_link)),
        get(
            "/api/v1/surveys/{id}/results",
            SignedIn,
            h::get(api::results),
        ),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(api::results),
    components(schemas(
        api::SurveyResultsDto,
        api::WaveResultsDto,
        api::QuestionResultDto,
        api::CohortDto
    )),
    tags((name = "feedback", description = "Results of surveys on the effects of sessions, networks and guidance: aggregates only, thresholds applied"))
)]
pub struct ApiDoc;

/// How the account stands to a survey: keeps its subject (`runs`), counsels at one of its
/// sessions (`hosts`), or was asked in it (`invited`, with the waves).
#[derive(Debug, Clone, Default)]
pub struct Relation {
    pub runs: bool,
    pub hosts: bool,
    /// The waves the account's person was asked in, and whether they answered each.
    pub asked: Vec<(i32, bool)>,
}

impl Relation {
    pub fn sees_results(&self, me: &Account) -> bool {
        allows(
            Some(me),
            Action::SeeSurveyResults {
                runs: self.runs,
                hosts: self.hosts,
                invited: !self.asked.is_empty(),
            },
        )
    }

    pub fn runs_it(&self, me: &Account) -> bool {
        allows(Some(me), Action::RunSurvey { runs: self.runs })
    }

    /// Whether the account sees wave `wave`'s results: all of them when it runs the survey
    /// or counsels at its sessions, else those it was asked in.
    pub fn sees_wave(&self, me: &Account, wave: i32) -> bool {
        self.runs_it(me) || self.hosts || self.asked.iter().any(|(w, _)| *w == wave)
    }
}

/// Whether `me` keeps the subject `(kind, id)`: organises the event, coordinates the
/// network, advises the case (the policy then decides with the relation).
pub async fn keeps(state: &AppState, me: &Account, kind: SubjectKind, id: i32) -> AppResult<bool> {
    Ok(match kind {
        SubjectKind::Event => match state.store.event(id).await {
            Ok(e) => organises(state, me, &e).await?,
            Err(headway_store::StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        },
        SubjectKind::Network => match state.store.network(id).await {
            Ok(n) => coordinates(me, &n),
            Err(headway_store::StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        },
        SubjectKind::Case => me.holds(ContextRole::CaseAdvisor, id),
        SubjectKind::Project => false,
    })
}

/// The account's relation to survey `s`.
pub async fn relation(state: &AppState, me: &Account, s: &SurveyRow) -> AppResult<Relation> {
    let runs = keeps(state, me, s.subject.0, s.subject.1).await?;
    let asked = match me.person_id {
        Some(p) => state.store.asked_in(s.id, p).await?,
        None => vec![],
    };
    let sessions = match s.subject.0 {
        SubjectKind::Event => vec![s.subject.1],
        _ => state.store.survey_cohorts(s.id).await?,
    };
    let hosts = sessions
        .iter()
        .any(|e| me.holds(ContextRole::EventCounsellor, *e));
    Ok(Relation { runs, hosts, asked })
}

/// The survey and the account's relation to it, when it may see the survey at all; else
/// 403 (404 for a survey that does not exist).
pub async fn visible(state: &AppState, me: &Account, id: i32) -> AppResult<(SurveyRow, Relation)> {
    let s = state.store.survey(id).await?;
    let r = relation(state, me, &s).await?;
    if r.sees_results(me) {
        Ok((s, r))
    } else {
        Err(crate::http::error::AppError::forbidden())
    }
}
