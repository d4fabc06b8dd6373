//! The questionnaire editor, for the agency's coordinators: templates listed by key with
//! their latest version, a new template with its first question, and questions added or
//! removed one at a time. Saving a template that a survey asks makes a new version (the
//! store decides); the page then moves to it. Every wording in four languages, English
//! required.

use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::can::DesignQuestionnaires;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::feedback::{Localized, Question, QuestionKind, Questionnaire, Section};
use headway_store::feedback::{QuestionnaireRow, Questionnaires};
use serde::Deserialize;

/// One question's fields, as the forms send them.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    /// The section to add to, by number from 1; `new` (or empty) opens a new section.
    pub section: String,
    pub section_en: String,
    pub section_nl: String,
    pub section_nb: String,
    pub section_sl: String,
    pub key: String,
    pub kind: String,
    /// `1` when an answer is required.
    pub required: String,
    pub text_en: String,
    pub text_nl: String,
    pub text_nb: String,
    pub text_sl: String,
    /// Choices one per line, in each language (English decides their number).
    pub choices_en: String,
    pub choices_nl: String,
    pub choices_nb: String,
    pub choices_sl: String,
    /// A scale's ends.
    pub low_en: String,
    pub low_nl: String,
    pub low_nb: String,
    pub low_sl: String,
    pub high_en: String,
    pub high_nl: String,
    pub high_nb: String,
    pub high_sl: String,
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

fn loc(en: &str, nl: &str, nb: &str, sl: &str) -> Localized {
    Localized::new(en.trim(), nl.trim(), nb.trim(), sl.trim())
}

impl QuestionForm {
    fn question(&self) -> AppResult<Question> {
        let kind = QuestionKind::parse(self.kind.trim())?;
        let en = lines(&self.choices_en);
        let other = [
            lines(&self.choices_nl),
            lines(&self.choices_nb),
            lines(&self.choices_sl),
        ];
        fn at<'a>(v: &[&'a str], i: usize) -> &'a str {
            v.get(i).copied().unwrap_or_default()
        }
        let choices = en
            .iter()
            .enumerate()
            .map(|(i, c)| loc(c, at(&other[0], i), at(&other[1], i), at(&other[2], i)))
            .collect();
        let end = |en: &str, nl: &str, nb: &str, sl: &str| {
            (!en.trim().is_empty()).then(|| loc(en, nl, nb, sl))
        };
        Ok(Question {
            key: self.key.trim().to_owned(),
            kind,
            required: self.required == "1",
            text: loc(&self.text_en, &self.text_nl, &self.text_nb, &self.text_sl),
            choices,
            low: end(&self.low_en, &self.low_nl, &self.low_nb, &self.low_sl),
            high: end(&self.high_en, &self.high_nl, &self.high_nb, &self.high_sl),
        })
    }

    /// Adds the question to `q`: to the numbered section, or a new one.
    fn add_to(&self, q: &mut Questionnaire) -> AppResult<()> {
        let question = self.question()?;
        match self.section.trim().parse::<usize>() {
            Ok(n) if (1..=q.sections.len()).contains(&n) => {
                q.sections[n - 1].questions.push(question);
            }
            Ok(_) => {
                let range = headway_domain::input::Problem::OutOfRange {
                    min: 1.0,
                    max: q.sections.len().max(1) as f64,
                };
                return Err(headway_domain::input::InputError::new("section", range).into());
            }
            Err(_) => q.sections.push(Section {
                title: loc(
                    &self.section_en,
                    &self.section_nl,
                    &self.section_nb,
                    &self.section_sl,
                ),
                questions: vec![question],
            }),
        }
        Ok(())
    }
}

#[derive(Template)]
#[template(path = "feedback/questionnaires.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<QuestionnaireRow>,
    head: NewForm,
    /// The first question's fields (what the shared field templates call `form`).
    form: QuestionForm,
    kinds: &'static [QuestionKind],
    error: Option<String>,
}

/// A new template: its key and title, and its first question.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct NewForm {
    pub template: String,
    pub title_en: String,
    pub title_nl: String,
    pub title_nb: String,
    pub title_sl: String,
    #[serde(flatten)]
    pub first: QuestionForm,
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    form: NewForm,
    error: Option<String>,
) -> AppResult<Html<String>> {
    let rows = state.store.questionnaires().await?;
    render(&ListPage {
        ctx,
        rows,
        form: form.first.clone(),
        head: form,
        kinds: QuestionKind::ALL,
        error,
    })
}

/// `GET /feedback/questionnaires`: the templates and the form for a new one.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    _who: Authorized<DesignQuestionnaires>,
) -> AppResult<Html<String>> {
    let form = NewForm {
        first: QuestionForm {
            kind: "scale".into(),
            required: "1".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    list_page(&state, ctx, form, None).await
}

/// The page again with the error of a refused form (its values kept), or the error itself
/// when it is not the form's.
fn refused(e: AppError) -> AppResult<AppError> {
    if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND {
        Ok(e)
    } else {
        Err(e)
    }
}

/// `POST /feedback/questionnaires`: a new template with its first question.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    who: Authorized<DesignQuestionnaires>,
    ValidForm(f): ValidForm<NewForm>,
) -> AppResult<Response> {
    let built = (|| {
        let mut q = Questionnaire {
            title: loc(&f.title_en, &f.title_nl, &f.title_nb, &f.title_sl),
            sections: vec![],
        };
        f.first.add_to(&mut q)?;
        Ok::<_, AppError>(q)
    })();
    let saved = match built {
        Ok(q) => state
            .store
            .save_questionnaire(&who.0.username, f.template.trim(), &q)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/feedback/questionnaires/{id}")).into_response()),
        Err(e) => {
            let e = refused(e)?;
            let error = Some(ctx.error_text(&e));
            let page = list_page(&state, ctx, f, error).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "feedback/questionnaire.html")]
struct QuestionnairePage {
    ctx: Ctx,
    row: QuestionnaireRow,
    /// The latest version's id, when this is not it.
    newer: Option<i32>,
    form: QuestionForm,
    kinds: &'static [QuestionKind],
    error: Option<String>,
}

impl QuestionnairePage {
    fn text(&self, l: &Localized) -> String {
        l.get(self.ctx.tr.lang).to_owned()
    }
}

impl ListPage {
    fn text(&self, l: &Localized) -> String {
        l.get(self.ctx.tr.lang).to_owned()
    }
}

async fn one_page(
    state: &AppState,
    ctx: Ctx,
    id: i32,
    form: QuestionForm,
    error: Option<String>,
) -> AppResult<Html<String>> {
    let row = state.store.questionnaire(id).await?;
    let newer = state
        .store
        .questionnaires()
        .await?
        .into_iter()
        .find(|r| r.key == row.key && r.id != row.id)
        .map(|r| r.id);
    render(&QuestionnairePage {
        ctx,
        row,
        newer,
        form,
        kinds: QuestionKind::ALL,
        error,
    })
}

/// `GET /feedback/questionnaires/{id}`: one version, its questions and the form to add one.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    _who: Authorized<DesignQuestionnaires>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let form = QuestionForm {
        kind: "scale".into(),
        required: "1".into(),
        ..Default::default()
    };
    one_page(&state, ctx, id, form, None).await
}

/// Saves `q` as the template of `row` and goes to the version it was saved as.
async fn save(
    state: &AppState,
    ctx: Ctx,
    actor: &str,
    row: &QuestionnaireRow,
    q: AppResult<Questionnaire>,
    form: QuestionForm,
) -> AppResult<Response> {
    let saved = match q {
        Ok(q) => state
            .store
            .save_questionnaire(actor, &row.key, &q)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/feedback/questionnaires/{id}")).into_response()),
        Err(e) => {
            let e = refused(e)?;
            let error = Some(ctx.error_text(&e));
            let page = one_page(state, ctx, row.id, form, error).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// `POST /feedback/questionnaires/{id}/questions`: adds a question.
pub async fn add_question(
    State(state): State<AppState>,
    ctx: Ctx,
    who: Authorized<DesignQuestionnaires>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<QuestionForm>,
) -> AppResult<Response> {
    let row = state.store.questionnaire(id).await?;
    let mut q = row.body.clone();
    let built = f.add_to(&mut q).map(|()| q);
    save(&state, ctx, &who.0.username, &row, built, f).await
}

/// `POST /feedback/questionnaires/{id}/questions/{key}/remove`: removes a question (and a
/// section it leaves empty).
pub async fn remove_question(
    State(state): State<AppState>,
    ctx: Ctx,
    who: Authorized<DesignQuestionnaires>,
    ValidPath((id, key)): ValidPath<(i32, String)>,
) -> AppResult<Response> {
    let row = state.store.questionnaire(id).await?;
    if row.body.question(&key).is_none() {
        return Err(AppError::not_found());
    }
    let mut q = row.body.clone();
    for s in &mut q.sections {
        s.questions.retain(|qu| qu.key != key);
    }
    q.sections.retain(|s| !s.questions.is_empty());
    let form = QuestionForm {
        kind: "scale".into(),
        ..Default::default()
    };
    save(&state, ctx, &who.0.username, &row, Ok(q), form).await
}
