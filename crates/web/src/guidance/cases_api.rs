//! `/api/v1/guidance/cases`: the cases the reader may see (the agency's coordinators every
//! case, an advisor and the owner's contact theirs), and one case in full. Anyone else is
//! told a case does not exist.

use super::cases::{visible_case, visible_cases};
use crate::http::authorize::SignedIn;
use crate::http::error::{AppResult, ErrorBody, ValidPath};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use headway_store::guidance::{CaseDetail, CaseSummary};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDto {
    pub id: i32,
    pub organization_id: i32,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    /// `mapping`, `anchoring`, `area`, `goals`, `measures` or `evaluation`.
    pub phase: String,
    pub closed: bool,
    /// The transition from kindergarten to school is part of the work.
    pub kindergarten: bool,
}

impl From<CaseSummary> for CaseDto {
    fn from(c: CaseSummary) -> Self {
        Self {
            id: c.id,
            organization_id: c.organization_id,
            owner: c.owner,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            phase: c.phase.code().to_owned(),
            closed: c.closed,
            kindergarten: c.kindergarten,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutputDto {
    pub output: String,
    pub text: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignOffDto {
    pub phase: String,
    /// `advisor` or `owner`.
    pub party: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseMeetingDto {
    pub held_on: String,
    pub participants: String,
    pub minutes: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralDto {
    pub organization_id: i32,
    pub name: String,
    pub topic: String,
    pub referred_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureDto {
    pub id: i32,
    pub what: String,
    pub responsible: String,
    pub deadline: String,
    /// `planned`, `ongoing` or `done`.
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalDto {
    pub id: i32,
    pub priority: i32,
    pub title: String,
    pub measures: Vec<MeasureDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetailDto {
    #[serde(flatten)]
    pub case: CaseDto,
    pub advisors: Vec<String>,
    pub contacts: Vec<String>,
    pub outputs: Vec<OutputDto>,
    pub signoffs: Vec<SignOffDto>,
    pub meetings: Vec<CaseMeetingDto>,
    pub referrals: Vec<ReferralDto>,
    pub goals: Vec<GoalDto>,
}

impl From<CaseDetail> for CaseDetailDto {
    fn from(c: CaseDetail) -> Self {
        Self {
            case: c.summary.into(),
            advisors: c.advisors.into_iter().map(|a| a.1).collect(),
            contacts: c.contacts.into_iter().map(|a| a.1).collect(),
            outputs: c
                .outputs
                .into_iter()
                .map(|o| OutputDto {
                    output: o.output.code().to_owned(),
                    text: o.text,
                    recorded_by: o.recorded_by,
                    recorded_at: o.recorded_at,
                })
                .collect(),
            signoffs: c
                .signoffs
                .into_iter()
                .map(|s| SignOffDto {
                    phase: s.phase.code().to_owned(),
                    party: s.party.code().to_owned(),
                    by: s.by,
                    at: s.at,
                })
                .collect(),
            meetings: c
                .meetings
                .into_iter()
                .map(|m| CaseMeetingDto {
                    held_on: m.held_on,
                    participants: m.participants,
                    minutes: m.minutes,
                })
                .collect(),
            referrals: c
                .referrals
                .into_iter()
                .map(|r| ReferralDto {
                    organization_id: r.organization_id,
                    name: r.name,
                    topic: r.topic,
                    referred_on: r.referred_on,
                })
                .collect(),
            goals: c
                .goals
                .into_iter()
                .map(|g| GoalDto {
                    id: g.id,
                    priority: g.priority,
                    title: g.title,
                    measures: g
                        .measures
                        .into_iter()
                        .map(|m| MeasureDto {
                            id: m.id,
                            what: m.what,
                            responsible: m.responsible,
                            deadline: m.deadline,
                            status: m.status.code().to_owned(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The guidance cases the reader may see, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/guidance/cases",
    tag = "guidance",
    responses(
        (status = 200, description = "Cases", body = Vec<CaseDto>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> AppResult<Json<Vec<CaseDto>>> {
    let cases = visible_cases(&state, &me).await?;
    Ok(Json(cases.into_iter().map(Into::into).collect()))
}

/// One case in full: its phase, outputs and sign-offs, meetings, referrals, goals and
/// measures.
#[utoipa::path(
    get,
    path = "/api/v1/guidance/cases/{id}",
    tag = "guidance",
    params(("id" = i32, Path, description = "The case")),
    responses(
        (status = 200, description = "The case", body = CaseDetailDto),
        (status = 400, description = "The id is not a number", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such case, or not one of the reader's", body = ErrorBody),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<CaseDetailDto>> {
    Ok(Json(visible_case(&state, &me, id).await?.into()))
}
