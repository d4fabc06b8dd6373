//! Invitations in the web: the organiser invites one audience among the network's people
//! (`/events/{id}/invitations`) and sees who answered; each invited person answers through
//! their personal link (`/rsvp/{token}`) without an account — yes registers them, no is
//! recorded and frees a place they held.

use super::pages::organised;
use super::participation::letters;
use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::can::OrganiseSomeEvent;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::events::invitations::{InviteTarget, Rsvp};
use headway_domain::events::{agenda, AudienceKey};
use headway_store::events::invitations::{InvitationRow, Invitations, InviteReport};
use headway_store::events::{EventDetail, Events};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "events/invitations.html")]
struct InvitationsPage {
    ctx: Ctx,
    e: EventDetail,
    rows: Vec<InvitationRow>,
    report: Option<InviteReport>,
    error: Option<String>,
}

impl InvitationsPage {
    fn targets(&self) -> &'static [InviteTarget] {
        InviteTarget::ALL
    }
    fn audience_name(&self, key: &str) -> String {
        self.e.audience_name(key)
    }
    fn sent(&self, r: &InviteReport) -> String {
        self.ctx.tr.args(
            "inv-sent",
            &[
                ("invited", &r.invited.to_string()),
                ("already", &r.already.to_string()),
                ("unreachable", &r.unreachable.to_string()),
            ],
        )
    }
}

/// `GET /events/{id}/invitations`: the form and who was invited, with their answers.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Html<String>> {
    let e = organised(&state, &me, id).await?;
    let rows = state.store.invitations(id).await?;
    render(&InvitationsPage {
        ctx,
        e,
        rows,
        report: None,
        error: None,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub target: String,
}

/// Sends the invitations and shows what was done (or, refused, why; nothing sent).
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<OrganiseSomeEvent>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<InviteForm>,
) -> AppResult<Response> {
    let e = organised(&state, &me, id).await?;
    let done = match InviteTarget::parse(&f.target) {
        Ok(target) => state
            .store
            .invite(
                &me.username,
                id,
                f.audience.trim(),
                target,
                &letters(&state),
            )
            .await
            .map_err(AppError::from),
        Err(err) => Err(AppError::from(err)),
    };
    let (status, report, error) = match done {
        Ok(r) => (StatusCode::OK, Some(r), None),
        Err(err) if err.status.is_client_error() && err.status != StatusCode::NOT_FOUND => {
            (StatusCode::BAD_REQUEST, None, Some(ctx.error_text(&err)))
        }
        Err(err) => return Err(err),
    };
    let rows = state.store.invitations(id).await?;
    let page = render(&InvitationsPage {
        ctx,
        e,
        rows,
        report,
        error,
    })?;
    Ok((status, page).into_response())
}

#[derive(Template)]
#[template(path = "events/rsvp.html")]
struct RsvpPage {
    ctx: Ctx,
    token: String,
    /// The invitation, its event and the audience's name and hours; none for a bad link.
    found: Option<Found>,
}

struct Found {
    greeting: String,
    status: Rsvp,
    e: EventDetail,
    hours: String,
}

/// `GET /rsvp/{token}`: the invitation, its event and the person's hours, and the answer.
pub async fn rsvp(
    State(state): State<AppState>,
    ctx: Ctx,
    session: tower_sessions::Session,
    ValidPath(token): ValidPath<String>,
) -> AppResult<Response> {
    let invitation = state.store.invitation(&token).await?;
    // The answer is a form: a real invitation's page needs the session's CSRF token even
    // for someone not signed in (the invited need no account).
    let ctx = if invitation.is_some() {
        ctx.with_form(&session).await?
    } else {
        ctx
    };
    let found = match invitation {
        Some(i) => {
            let e = state.store.event(i.event_id).await?;
            let (schedule, items) = (e.schedule()?, e.items()?);
            let window = match AudienceKey::parse("audience", &i.audience) {
                Ok(k) => agenda::window(&items, &schedule, &k),
                Err(_) => (schedule.starts, schedule.ends),
            };
            let hours = format!(
                "{}, {}–{} ({})",
                crate::ui::dates::date(&ctx.tr, window.0.date()),
                window.0.format("%H:%M"),
                window.1.format("%H:%M"),
                e.summary.time_zone
            );
            let audience = e.audience_name(&i.audience);
            let greeting = ctx.tr.args(
                "rsvp-greeting",
                &[("name", &i.given_name), ("audience", &audience)],
            );
            Some(Found {
                greeting,
                status: i.status,
                e,
                hours,
            })
        }
        None => None,
    };
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let shown: String = token.chars().take(64).collect();
    let page = render(&RsvpPage {
        ctx,
        token: shown,
        found,
    })?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    /// `yes` or `no`.
    #[serde(default)]
    pub answer: String,
}

/// `POST /rsvp/{token}`: yes registers (or keeps the registration), no declines.
pub async fn answer(
    State(state): State<AppState>,
    ValidPath(token): ValidPath<String>,
    ValidForm(f): ValidForm<AnswerForm>,
) -> AppResult<Redirect> {
    let accept = match f.answer.trim() {
        "yes" => true,
        "no" => false,
        other => {
            return Err(headway_domain::input::InputError::new(
                "answer",
                headway_domain::input::Problem::NotOneOf {
                    value: other.chars().take(20).collect(),
                    allowed: "yes, no".into(),
                },
            )
            .into())
        }
    };
    state
        .store
        .answer_invitation(&token, accept, &letters(&state))
        .await?;
    Ok(Redirect::to(&format!("/rsvp/{token}")))
}
